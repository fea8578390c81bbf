// The golden vectors of internal/textsync/testdata/vectors.json: change sets built by
// @codemirror/state (client/scripts/textsync-vectors.mjs) that the Go server's textsync package
// applies and compares. Here the library re-applies them: an upgrade that changes its JSON form or
// its results fails this test, and the vectors must then be regenerated and the Go side re-checked.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collab, getSyncedVersion, rebaseUpdates, receiveUpdates, sendableUpdates, type Update } from '@codemirror/collab';
import { ChangeSet, EditorState, Text } from '@codemirror/state';

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

interface Op {
  name: string;
  doc: string;
  a: unknown;
  b: unknown;
  before?: boolean;
  result: unknown;
  text: string;
}
interface JsonUpdate {
  clientID: string;
  changes: unknown;
}
interface Rebase {
  name: string;
  doc: string;
  updates: JsonUpdate[];
  /** The pushes accepted since the updates' version: one synthesis.changed event each. */
  over: JsonUpdate[][];
  result: JsonUpdate[];
  text: string;
}
const ops = JSON.parse(readFileSync(FILE, 'utf8')) as { maps: Op[]; composes: Op[]; rebases: Rebase[] };
const docOf = (s: string) => Text.of(s.split('\n'));
const parse = (us: JsonUpdate[]) => us.map((u) => ({ clientID: u.clientID, changes: ChangeSet.fromJSON(u.changes) }));

describe('textsync operation vectors', () => {
  it.each(ops.maps)('$name', (v) => {
    const mapped = ChangeSet.fromJSON(v.a).map(ChangeSet.fromJSON(v.b), v.before);
    expect(mapped.toJSON()).toEqual(v.result);
    expect(mapped.apply(ChangeSet.fromJSON(v.b).apply(docOf(v.doc))).toString()).toBe(v.text);
  });

  it.each(ops.composes)('$name', (v) => {
    const composed = ChangeSet.fromJSON(v.a).compose(ChangeSet.fromJSON(v.b));
    expect(composed.toJSON()).toEqual(v.result);
    expect(composed.apply(docOf(v.doc)).toString()).toBe(v.text);
  });

  // The server rebases a push over each push it accepted since the push's version, in order, and
  // sends the result to everyone, the pusher included, who takes it as its own update confirmed.
  // The pusher's editor has meanwhile received those pushes, one synthesis.changed event each, and
  // mapped its unconfirmed updates over each with receiveUpdates: both must give the same text.
  it.each(ops.rebases)('$name', (v) => {
    const result = v.over.reduce((us, event) => rebaseUpdates(us, parse(event)), parse(v.updates) as readonly Update[]);
    expect(result.map((u) => ({ clientID: u.clientID, changes: (u.changes as ChangeSet).toJSON() }))).toEqual(v.result);
    let state = EditorState.create({ doc: v.doc, extensions: collab({ startVersion: 0, clientID: 'me' }) });
    for (const u of parse(v.updates)) state = state.update({ changes: u.changes }).state;
    for (const event of v.over) state = receiveUpdates(state, parse(event)).state;
    state = receiveUpdates(state, parse(v.result)).state;
    expect(state.doc.toString()).toBe(v.text);
    expect(sendableUpdates(state)).toHaveLength(0);
    expect(getSyncedVersion(state)).toBe(v.over.flat().length + v.result.length);
  });
});
