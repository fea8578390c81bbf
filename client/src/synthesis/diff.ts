// Differences between two versions of a synthesis: by line, for "what changed since round N",
// and as replacements in UTF-16 code units, to carry an editor's unsaved changes over a text
// that moved on while it was away (see rebase in collab.ts). Myers' O(ND) algorithm.

export type LineOp = { op: 'same' | 'add' | 'del'; line: string };

/** One replacement of a by b: a[from, to) becomes insert. */
export interface Hunk {
  from: number;
  to: number;
  insert: string;
}

type Step = 'same' | 'add' | 'del';

/** The shortest edit script turning a into b: for each step, what it does. */
function myers<T>(a: readonly T[], b: readonly T[]): Step[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let done = false;
  for (let d = 0; d <= max && !done; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
    v = next;
  }
  trace.push(v);
  // Walk back from the end through the saved rows.
  const steps: Step[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d >= 0 && (x > 0 || y > 0); d--) {
    const row = trace[d];
    const k = x - y;
    const down = k === -d || (k !== d && row[offset + k - 1] < row[offset + k + 1]);
    const prevK = down ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : row[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      steps.push('same');
      x--;
      y--;
    }
    if (d === 0) break;
    steps.push(down ? 'add' : 'del');
    if (down) y--;
    else x--;
  }
  while (x > 0 && y > 0) {
    steps.push('same');
    x--;
    y--;
  }
  return steps.reverse();
}

/** What changed from a to b, line by line. */
export function diffLines(a: string, b: string): LineOp[] {
  const la = a === '' ? [] : a.split('\n');
  const lb = b === '' ? [] : b.split('\n');
  const out: LineOp[] = [];
  let i = 0;
  let j = 0;
  for (const s of myers(la, lb)) {
    if (s === 'same') out.push({ op: 'same', line: la[i++] }), j++;
    else if (s === 'del') out.push({ op: 'del', line: la[i++] });
    else out.push({ op: 'add', line: lb[j++] });
  }
  return out;
}

const isHigh = (c: number) => c >= 0xd800 && c < 0xdc00;
const isLow = (c: number) => c >= 0xdc00 && c < 0xe000;

/** Lines with their line break, so that offsets add up to the text. */
function units(s: string): string[] {
  return s === '' ? [] : s.split(/(?<=\n)/);
}

/**
 * The replacements that turn a into b: lines that differ, each narrowed to the characters that
 * differ, never cutting a surrogate pair (an emoji stays whole). Sorted, not overlapping.
 */
export function hunks(a: string, b: string): Hunk[] {
  const ua = units(a);
  const ub = units(b);
  const out: Hunk[] = [];
  let pa = 0; // offset in a
  let i = 0;
  let j = 0;
  let open: Hunk | null = null;
  const close = () => {
    if (open) out.push(narrow(a, open));
    open = null;
  };
  for (const s of myers(ua, ub)) {
    if (s === 'same') {
      close();
      pa += ua[i++].length;
      j++;
      continue;
    }
    open ??= { from: pa, to: pa, insert: '' };
    if (s === 'del') {
      pa += ua[i++].length;
      open.to = pa;
    } else {
      open.insert += ub[j++];
    }
  }
  close();
  return out.filter((h) => h.from !== h.to || h.insert !== '');
}

function narrow(a: string, h: Hunk): Hunk {
  const old = a.slice(h.from, h.to);
  const ins = h.insert;
  let p = 0;
  const most = Math.min(old.length, ins.length);
  while (p < most && old.charCodeAt(p) === ins.charCodeAt(p)) p++;
  if (p > 0 && isHigh(old.charCodeAt(p - 1))) p--;
  let s = 0;
  while (s < most - p && old.charCodeAt(old.length - 1 - s) === ins.charCodeAt(ins.length - 1 - s)) s++;
  if (s > 0 && isLow(old.charCodeAt(old.length - s))) s--;
  return { from: h.from + p, to: h.to - s, insert: ins.slice(p, ins.length - s) };
}

/** Applies hunks (as hunks() makes them) to a. */
export function applyHunks(a: string, hs: readonly Hunk[]): string {
  let out = '';
  let pos = 0;
  for (const h of hs) {
    out += a.slice(pos, h.from) + h.insert;
    pos = h.to;
  }
  return out + a.slice(pos);
}
