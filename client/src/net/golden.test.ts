// The golden frames of internal/protocol/testdata/golden/, written by the Go side: the client
// must read every server message, write every client message byte-for-value the same, and
// reach the server's end state from its start state and events.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeServerMessage } from './decode';
import { cmd, command, encode, hello, ping } from './encode';
import type { Command, CommandType, Snapshot, WorkshopEvent } from './protocol';
import { applyEvent, applySnapshot, emptyModel, setIdentity, toSnapshot } from '../state/workshop';

const GOLDEN = fileURLToPath(new URL('../../../internal/protocol/testdata/golden/', import.meta.url));

function files(dir: string, ext: string): string[] {
  const d = join(GOLDEN, dir);
  if (!existsSync(d)) return [];
  return readdirSync(d)
    .filter((f) => f.endsWith(ext))
    .sort();
}
const read = (p: string) => readFileSync(join(GOLDEN, p), 'utf8');

describe('golden server messages', () => {
  const all = files('server', '.json');
  it('exist', () => expect(all.length).toBeGreaterThan(0));
  it.each(all)('%s decodes', (f) => {
    const raw = JSON.parse(read(`server/${f}`));
    const m = decodeServerMessage(raw);
    expect(m, `the client does not know message t=${raw.t}`).not.toBeNull();
    expect(m!.t).toBe(raw.t);
  });
});

describe('golden client messages', () => {
  const all = files('client', '.json');
  it('exist', () => expect(all.length).toBeGreaterThan(0));
  it.each(all)('%s is what the encoder writes', (f) => {
    const want = JSON.parse(read(`client/${f}`));
    let got: unknown;
    switch (want.t) {
      case 'hello':
        got = hello(want.workshop, want.token, want.since ?? 0);
        break;
      case 'ping':
        got = ping(want.n);
        break;
      case 'cmd':
        got = cmd(want.id, command(want.type as CommandType, want.data) as Command);
        break;
      default:
        throw new Error(`unknown client message t=${want.t}`);
    }
    expect(JSON.parse(encode(got as never))).toEqual(want);
  });
});

/** Server order is not part of the contract for people and notes; voters are a set. */
function normalise(s: Snapshot): Snapshot {
  const byId = <T extends { id: string }>(a: T[]) => [...a].sort((x, y) => x.id.localeCompare(y.id));
  return {
    ...s,
    tables: [...s.tables].sort((a, b) => a.number - b.number),
    participants: byId(s.participants),
    notes: byId(s.notes).map((n) => ({ ...n, voters: [...n.voters].sort() })),
  };
}

describe('golden scenario (board view)', () => {
  const present = existsSync(join(GOLDEN, 'scenario/start.json'));
  it.runIf(present)('start + events = end', () => {
    const start = decodeServerMessage(JSON.parse(read('scenario/start.json')));
    const end = decodeServerMessage(JSON.parse(read('scenario/end.json')));
    if (start?.t !== 'snapshot' || end?.t !== 'snapshot') throw new Error('start.json and end.json must be snapshot messages');
    const m = emptyModel();
    setIdentity(m, 'board', null);
    applySnapshot(m, start.v, start.state);
    const lines = read('scenario/events.jsonl')
      .split('\n')
      .filter((l) => l.trim());
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const e = decodeServerMessage(JSON.parse(line));
      expect(e?.t).toBe('ev');
      expect(applyEvent(m, e as WorkshopEvent)).toBe(true);
    }
    expect(m.v).toBeLessThanOrEqual(end.v);
    expect(normalise(toSnapshot(m))).toEqual(normalise(end.state));
    // Applying the same events again changes nothing.
    for (const line of lines) expect(applyEvent(m, decodeServerMessage(JSON.parse(line)) as WorkshopEvent)).toBe(false);
  });
});
