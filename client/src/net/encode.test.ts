import { describe, expect, it } from 'vitest';
import { command } from './encode';

describe('round and host commands', () => {
  it('send exactly the fields of PROTOCOL.md §3', () => {
    expect(command('rounds.set', { rounds: [{ minutes: 20, question: 'Q', extra: 1 } as never] })).toEqual({
      type: 'rounds.set',
      data: { rounds: [{ minutes: 20, question: 'Q' }] },
    });
    for (const type of ['round.start', 'round.pause', 'round.resume', 'round.end', 'plan.make'] as const) {
      expect(command(type, {})).toEqual({ type, data: {} });
    }
    expect(command('round.extend', { minutes: 5 })).toEqual({ type: 'round.extend', data: { minutes: 5 } });
    expect(command('seating.set', { seating: 'planned' })).toEqual({ type: 'seating.set', data: { seating: 'planned' } });
    expect(command('host.set', { table: 't', participant: null })).toEqual({ type: 'host.set', data: { table: 't', participant: null } });
    expect(command('host.set', { table: 't', participant: 'p' })).toEqual({ type: 'host.set', data: { table: 't', participant: 'p' } });
  });

  it('note.post carries `for` only when a host writes for someone', () => {
    const base = { note: 'n', table: 't', text: 'x', colour: 'yellow' as const, anonymous: false };
    expect(command('note.post', base).data).not.toHaveProperty('for');
    expect(command('note.post', { ...base, for: 'Dan' }).data).toEqual({ ...base, for: 'Dan' });
  });
});
