// Golden vectors for internal/textsync: documents, CodeMirror ChangeSets built by the real
// @codemirror/state (their toJSON form) and the library's result of applying them. The Go tests
// apply every vector and compare; client/src/net/textsync.test.ts re-runs the library on them.
//
// Regenerate (byte-identical on every run: a seeded PRNG, no clock):
//   node client/scripts/textsync-vectors.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rebaseUpdates } from '@codemirror/collab';
import { ChangeSet, Text } from '@codemirror/state';

const OUT = fileURLToPath(new URL('../../internal/textsync/testdata/vectors.json', import.meta.url));
const LIB = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../node_modules/@codemirror/state/package.json', import.meta.url)), 'utf8'),
);
const RANDOM_CASES = 300;
const OPERATION_CASES = 150; // of each: map, compose, rebase

// mulberry32: small, seeded, the same on every machine.
let seed = 0x6e617070; // "napp"
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (n) => Math.floor(random() * n); // 0 ≤ int(n) < n
const pick = (a) => a[int(a.length)];

const ASCII = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789    .,;!?-'.split('');
const LATIN = ['é', 'è', 'à', 'ç', 'ô', 'ï', 'ß', 'Œ', 'ñ', 'Ø', 'e\u0301' /* e + combining acute */];
const CJK = ['漢', '字', '中', '文', '日本', '한국어', 'の'];
const EMOJI = [
  '😀', '👍', '👍🏽', '👩‍💻', '👨‍👩‍👧‍👦', '🇫🇷', '🇩🇪', '🇯🇵', '🏳️‍🌈', '❤️', '🤝', '𝄞' /* astral, not emoji */, '🧑🏿‍🤝‍🧑🏻',
];
const ODD = ['"', '\\', '\t', '/', '\u0001', '\u2028', '\u00a0', '\ufeff'];

function atom(odd) {
  const r = random();
  if (r < 0.55) return pick(ASCII);
  if (r < 0.67) return pick(LATIN);
  if (r < 0.75) return pick(CJK);
  if (r < 0.9) return pick(EMOJI);
  if (odd && r < 0.93) return pick(ODD);
  return '\n';
}

function text(units, odd = false) {
  let s = '';
  while (s.length < units) s += atom(odd);
  return s;
}

const isHigh = (c) => c >= 0xd800 && c < 0xdc00;
const isLow = (c) => c >= 0xdc00 && c < 0xe000;

// A position in doc, moved off the middle of a surrogate pair unless split is set.
function position(doc, split) {
  let p = int(doc.length + 1);
  if (!split && p > 0 && p < doc.length && isHigh(doc.charCodeAt(p - 1)) && isLow(doc.charCodeAt(p))) p--;
  return p;
}

function wellFormed(s) {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isHigh(c) && i + 1 < s.length && isLow(s.charCodeAt(i + 1))) i++;
    else if (isHigh(c) || isLow(c)) return false;
  }
  return true;
}

function docLength() {
  const r = random();
  if (r < 0.25) return int(20);
  if (r < 0.8) return 20 + int(130);
  return 150 + int(450);
}

function randomChange(doc, split) {
  const n = 1 + int(5);
  const specs = [];
  for (let i = 0; i < n; i++) {
    let from = position(doc, split);
    let to = position(doc, split);
    if (from > to) [from, to] = [to, from];
    const r = random();
    if (r < 0.3) to = from; // pure insertion
    const insert = r >= 0.3 && r < 0.5 ? '' : text(1 + int(r > 0.9 ? 40 : 6), true);
    specs.push({ from, to, insert });
  }
  return specs;
}

// Replace or remove half of a surrogate pair, or cut into one, the way CodeMirror's DOM diffing
// can (it compares code units): some results stay well-formed, some do not.
function pairChange(doc) {
  const pairs = [];
  for (let i = 0; i + 1 < doc.length; i++) if (isHigh(doc.charCodeAt(i)) && isLow(doc.charCodeAt(i + 1))) pairs.push(i);
  if (pairs.length == 0) return randomChange(doc, true);
  const p = pick(pairs);
  switch (int(5)) {
    case 0: // another low half: 😀 → 😃, well-formed
      return [{ from: p + 1, to: p + 2, insert: String.fromCharCode(0xdc00 + int(0x400)) }];
    case 1: // another high half, well-formed
      return [{ from: p, to: p + 1, insert: String.fromCharCode(0xd800 + int(0x400)) }];
    case 2: {
      // delete one half
      const from = p + int(2);
      return [{ from, to: from + 1 }];
    }
    case 3: // insert between the halves
      return [{ from: p + 1, to: p + 1, insert: text(1 + int(3)) }];
    default: // replace a range that starts or ends inside the pair
      return int(2) ? [{ from: p + 1, to: doc.length, insert: text(int(4)) }] : [{ from: 0, to: p + 1, insert: text(int(4)) }];
  }
}

function vector(name, doc, specs) {
  const base = Text.of(doc.split('\n'));
  const changes = ChangeSet.of(specs, base.length);
  const result = changes.apply(base).toString();
  const v = { name, doc, changes: changes.toJSON(), lenBefore: changes.length, lenAfter: changes.newLength, result };
  if (!wellFormed(result)) v.error = 'surrogate';
  return v;
}

const vectors = [];
const add = (name, doc, specs) => vectors.push(vector(name, doc, specs));

// Edge cases by hand.
const smile = "J'aime 😀 !"; // 😀 is at code units 7 and 8
add('empty document, no change', '', []);
add('insert into the empty document', '', [{ from: 0, insert: 'Bonjour 👋' }]);
add('insert at 0', 'table 3', [{ from: 0, insert: '🇫🇷 ' }]);
add('insert at the end', 'table 3', [{ from: 7, insert: ' — fin' }]);
add('no change', 'inchangé', []);
const family = 'Tout 👨‍👩‍👧‍👦\nà effacer';
add('delete everything', family, [{ from: 0, to: family.length }]);
add('replace everything', 'avant\napres', [{ from: 0, to: 11, insert: 'après 🎉\n\nfin' }]);
add('insert one line break', 'ab', [{ from: 1, insert: '\n' }]);
add('insert two line breaks', 'ab', [{ from: 1, insert: '\n\n' }]);
add('CRLF and CR in an insert become line breaks', 'x', [{ from: 1, insert: 'a\r\nb\rc\n' }]);
add('quotes, backslash, tab, control, U+2028', 'x', [{ from: 0, to: 1, insert: '"q" \\ \t \u0001 \u2028 \u007f' }]);
add('several changes in one set', 'le café du coin', [
  { from: 0, to: 2, insert: 'Le' },
  { from: 3, to: 7, insert: 'thé ☕' },
  { from: 15, insert: '!' },
]);
add('delete a whole emoji', smile, [{ from: 7, to: 9 }]);
add('insert before and after an emoji', smile, [{ from: 7, insert: '<' }, { from: 9, insert: '>' }]);
add('replace the low half (😀 → 😃, as a DOM diff does)', smile, [{ from: 8, to: 9, insert: '\ude03' }]);
add('replace the high half (😀 → 🈀)', smile, [{ from: 7, to: 8, insert: '\ud83c' }]);
add('delete the high half', smile, [{ from: 7, to: 8 }]);
add('delete the low half', smile, [{ from: 8, to: 9 }]);
add('insert inside a pair', smile, [{ from: 8, insert: 'x' }]);
add('insert a lone high half at the end', 'abc', [{ from: 3, insert: '\ud83d' }]);
add('insert a pair in two changes', 'ab', [{ from: 1, insert: '\ud83d' }, { from: 1, insert: '\ude00' }]);
add('delete one flag of two (a grapheme split, code points intact)', '🇫🇷🇩🇪', [{ from: 0, to: 2 }]);
add('delete half of a ZWJ family', '👨‍👩‍👧‍👦', [{ from: 0, to: 5 }]);
add('insert at a line start', 'un\ndeux\ntrois', [{ from: 3, insert: '- ' }, { from: 8, insert: '- ' }]);
add('join two lines', 'un\ndeux', [{ from: 2, to: 3, insert: ' ' }]);

// Random cases.
for (let i = 0; i < RANDOM_CASES; i++) {
  const doc = text(docLength());
  const r = random();
  let kind, specs;
  if (r < 0.04) [kind, specs] = ['empty', []];
  else if (r < 0.1) [kind, specs] = ['deletion', [{ from: position(doc, false), to: doc.length }]];
  else if (r < 0.14) [kind, specs] = ['replace all', [{ from: 0, to: doc.length, insert: text(int(60)) }]];
  else if (r < 0.22) [kind, specs] = ['pair half', pairChange(doc)];
  else if (r < 0.3) [kind, specs] = ['split', randomChange(doc, true)];
  else [kind, specs] = ['random', randomChange(doc, false)];
  add(`${kind} #${i}`, doc, specs);
}

// Operations (drawn after the vectors above, so those stay the same): ChangeSet.map and compose,
// and @codemirror/collab's rebaseUpdates, which the server uses to accept a push made on an older
// version. Positions never split a surrogate pair here: the results must apply in Go.
const changeOf = (doc, specs) => ChangeSet.of(specs, doc.length);
const maps = [];
const composes = [];
const rebases = [];
for (let i = 0; i < OPERATION_CASES; i++) {
  const doc = text(docLength() >> 2);
  const a = changeOf(doc, randomChange(doc, false));
  const b = changeOf(doc, int(8) ? randomChange(doc, false) : []);
  const before = int(2) == 0;
  const mapped = a.map(b, before);
  const textAfter = mapped.apply(b.apply(Text.of(doc.split('\n')))).toString();
  maps.push({ name: `map #${i}`, doc, a: a.toJSON(), b: b.toJSON(), before, result: mapped.toJSON(), text: textAfter });
}
for (let i = 0; i < OPERATION_CASES; i++) {
  const doc = text(docLength() >> 2);
  const a = changeOf(doc, int(8) ? randomChange(doc, false) : []);
  const mid = a.apply(Text.of(doc.split('\n'))).toString();
  const b = changeOf(mid, int(8) ? randomChange(mid, false) : []);
  const composed = a.compose(b);
  const textAfter = composed.apply(Text.of(doc.split('\n'))).toString();
  composes.push({ name: `compose #${i}`, doc, a: a.toJSON(), b: b.toJSON(), result: composed.toJSON(), text: textAfter });
}
// A rebase: "me" pushed updates made on doc; the server accepted, since, the pushes in over (each
// one synthesis.changed event: one client's updates), perhaps led by the first of mine, accepted
// already (a push sent twice). The server rebases over one event after another, as an editor's
// receiveUpdates maps its unconfirmed updates over each event it receives: rebasing over all of
// them at once may place an insertion inside a range others replaced elsewhere than the editor
// does, and the texts would differ.
const typing = (doc) => {
  // Mostly keystrokes, as editors send them: one short insertion or deletion each.
  if (int(4)) {
    const p = position(doc, false);
    if (int(5) == 0 && p > 0) {
      let from = p - 1;
      if (from > 0 && isLow(doc.charCodeAt(from)) && isHigh(doc.charCodeAt(from - 1))) from--;
      return [{ from, to: p }];
    }
    return [{ from: p, insert: int(10) ? atom(false) : '\n' }];
  }
  return randomChange(doc, false);
};
const apply = (d, u) => u.changes.apply(Text.of(d.split('\n'))).toString();
const json = (us) => us.map((u) => ({ clientID: u.clientID, changes: u.changes.toJSON() }));
for (let i = 0; i < OPERATION_CASES; i++) {
  const doc = text(docLength() >> 2);
  const mine = [];
  let local = doc;
  for (let k = 1 + int(4); k > 0; k--) {
    const c = changeOf(local, typing(local));
    mine.push({ clientID: 'me', changes: c });
    local = apply(local, mine[mine.length - 1]);
  }
  const over = [];
  let server = doc;
  const accepted = int(6) == 0 ? 1 + int(mine.length) : 0; // a push sent twice: the first ones are in already
  if (accepted) over.push(mine.slice(0, accepted));
  server = mine.slice(0, accepted).reduce(apply, server);
  for (let k = int(10) ? 1 + int(6) : 0; k > 0; k--) {
    const event = [];
    const clientID = pick(['ada', 'bob', 'cy']);
    for (let n = int(3) ? 1 : 2 + int(2); n > 0; n--) {
      event.push({ clientID, changes: changeOf(server, typing(server)) });
      server = apply(server, event[event.length - 1]);
    }
    over.push(event);
  }
  const result = over.reduce((us, event) => rebaseUpdates(us, event), mine);
  const final = result.reduce(apply, server);
  rebases.push({ name: `rebase #${i}`, doc, updates: json(mine), over: over.map(json), result: json(result), text: final });
}

const lines = vectors.map((v) => JSON.stringify(v));
const section = (name, list) => `,"${name}":[\n` + list.map((v) => JSON.stringify(v)).join(',\n') + '\n]';
const out =
  `{"generator":"node client/scripts/textsync-vectors.mjs","library":"@codemirror/state ${LIB.version}","vectors":[\n` +
  lines.join(',\n') +
  '\n]' +
  section('maps', maps) +
  section('composes', composes) +
  section('rebases', rebases) +
  '}\n';
writeFileSync(OUT, out);
const failing = vectors.filter((v) => v.error).length;
console.log(
  `${vectors.length} vectors (${failing} leave an unpaired surrogate), ${maps.length} maps, ${composes.length} compositions, ${rebases.length} rebases, ${out.length} characters → ${OUT}`,
);
