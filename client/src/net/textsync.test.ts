// The golden vectors of internal/textsync/testdata/vectors.json: change sets built by
// @codemirror/state (client/scripts/textsync-vectors.mjs) that the Go server's textsync package
// applies and compares. Here the library re-applies them: an upgrade that changes its JSON form or
// its results fails this test, and the vectors must then be regenerated and the Go side re-checked.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ChangeSet, Text } from '@codemirror/state';

interface Vector {
  name: string;
  doc: string;
  changes: unknown;
  lenBefore: number;
  lenAfter: number;
  result: string;
  /** "surrogate": the result holds half a pair, which the Go server refuses. */
  error?: 'surrogate';
}

const FILE = fileURLToPath(new URL('../../../internal/textsync/testdata/vectors.json', import.meta.url));
const { vectors } = JSON.parse(readFileSync(FILE, 'utf8')) as { vectors: Vector[] };

const isHigh = (c: number) => c >= 0xd800 && c < 0xdc00;
const isLow = (c: number) => c >= 0xdc00 && c < 0xe000;
function wellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isHigh(c) && i + 1 < s.length && isLow(s.charCodeAt(i + 1))) i++;
    else if (isHigh(c) || isLow(c)) return false;
  }
  return true;
}

describe('textsync golden vectors', () => {
  it('cover both outcomes', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(300);
    expect(vectors.some((v) => v.error)).toBe(true);
    expect(vectors.some((v) => !v.error)).toBe(true);
  });

  it.each(vectors)('$name', (v) => {
    const doc = Text.of(v.doc.split('\n'));
    expect(doc.length).toBe(v.lenBefore);
    const changes = ChangeSet.fromJSON(v.changes);
    expect([changes.length, changes.newLength]).toEqual([v.lenBefore, v.lenAfter]);
    expect(changes.toJSON()).toEqual(v.changes);
    expect(changes.apply(doc).toString()).toBe(v.result);
    expect(wellFormed(v.result)).toBe(v.error === undefined);
  });
});
