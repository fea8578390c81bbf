import { describe, expect, it } from 'vitest';
import { applyHunks, diffLines, hunks } from './diff';

const isHigh = (c: number) => c >= 0xd800 && c < 0xdc00;
const isLow = (c: number) => c >= 0xdc00 && c < 0xe000;

// mulberry32: the same cases on every run.
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const ATOMS = ['a', 'b', 'c', ' ', 'é', '😀', '👍🏽', '🇫🇷', '\n', '- ', 'xyz'];

function mutate(s: string, r: () => number): string {
  const out = [...s];
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * (out.length + 1));
    if (r() < 0.4 && out.length) out.splice(at, 1 + Math.floor(r() * 3));
    else out.splice(at, 0, ATOMS[Math.floor(r() * ATOMS.length)]);
  }
  return out.join('');
}

describe('diffLines', () => {
  it('says which lines were added and removed', () => {
    expect(diffLines('un\ndeux\ntrois', 'un\ndeux bis\ntrois\nquatre')).toEqual([
      { op: 'same', line: 'un' },
      { op: 'del', line: 'deux' },
      { op: 'add', line: 'deux bis' },
      { op: 'same', line: 'trois' },
      { op: 'add', line: 'quatre' },
    ]);
    expect(diffLines('', 'a')).toEqual([{ op: 'add', line: 'a' }]);
    expect(diffLines('a', '')).toEqual([{ op: 'del', line: 'a' }]);
    expect(diffLines('', '')).toEqual([]);
  });

  it('is a shortest script that rebuilds both texts', () => {
    const r = rng(7);
    for (let i = 0; i < 300; i++) {
      const a = Array.from({ length: Math.floor(r() * 12) }, () => 'abcd'[Math.floor(r() * 4)]).join('\n');
      const b = Array.from({ length: Math.floor(r() * 12) }, () => 'abcd'[Math.floor(r() * 4)]).join('\n');
      const ops = diffLines(a, b);
      expect(ops.filter((o) => o.op !== 'add').map((o) => o.line).join('\n')).toBe(a);
      expect(ops.filter((o) => o.op !== 'del').map((o) => o.line).join('\n')).toBe(b);
    }
  });
});

describe('hunks', () => {
  it('narrows a changed line to the characters that changed', () => {
    expect(hunks('un\ndeux\ntrois', 'un\ndeux bis\ntrois')).toEqual([{ from: 7, to: 7, insert: ' bis' }]);
    expect(hunks('same', 'same')).toEqual([]);
  });

  it('keeps separate edits apart, so changes between them survive a rebase', () => {
    const a = 'haut\nmilieu\nbas';
    const b = 'HAUT\nmilieu\nbas!';
    expect(hunks(a, b)).toEqual([
      { from: 0, to: 4, insert: 'HAUT' },
      { from: 15, to: 15, insert: '!' },
    ]);
  });

  it('never cuts an emoji in two', () => {
    // 😀 (d83d de00) → 😃 (d83d de03): same first unit, but the hunk takes the whole emoji.
    expect(hunks('a😀b', 'a😃b')).toEqual([{ from: 1, to: 3, insert: '😃' }]);
    expect(hunks('😀', '🈀')).toEqual([{ from: 0, to: 2, insert: '🈀' }]);
  });

  it('rebuilds the new text, random cases with emoji and accents', () => {
    const r = rng(42);
    for (let i = 0; i < 500; i++) {
      const a = mutate(mutate('', r) + mutate('début\n- 😀 é\nfin', r), r);
      const b = mutate(a, r);
      const hs = hunks(a, b);
      expect(applyHunks(a, hs)).toBe(b);
      let last = -1;
      for (const h of hs) {
        expect(h.from).toBeGreaterThan(last - 1);
        expect(h.to).toBeGreaterThanOrEqual(h.from);
        last = h.to;
        for (const p of [h.from, h.to]) expect(isHigh(a.charCodeAt(p - 1)) && isLow(a.charCodeAt(p)), `${JSON.stringify(a)} at ${p}`).toBe(false);
      }
    }
  });
});
