import { describe, expect, it } from 'vitest';
import { ProtocolError, decodeServerMessage, splitFrame } from './decode';
import { note, snapshot } from '../testing/fakes';

describe('splitFrame', () => {
  it('gives one message for a frame of one', () => {
    expect(splitFrame('{"t":"synced","v":3}')).toEqual([{ t: 'synced', v: 3 }]);
  });

  it('splits a batched frame on "\\n", in order', () => {
    const frame = ['{"t":"ev","v":4}', '{"t":"ev","v":5}', '{"t":"synced","v":5}'].join('\n');
    expect(splitFrame(frame).map((m) => (m as { v: number }).v)).toEqual([4, 5, 5]);
  });

  it('skips blank lines and a trailing newline', () => {
    expect(splitFrame('{"a":1}\n\n{"b":2}\n')).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('keeps "\\n" escaped inside strings intact', () => {
    const line = JSON.stringify({ t: 'ev', text: 'deux\nlignes' });
    expect(splitFrame(line)).toEqual([{ t: 'ev', text: 'deux\nlignes' }]);
  });

  it('refuses a line that is not JSON', () => {
    expect(() => splitFrame('{"t":"synced"}\n{oops')).toThrow(ProtocolError);
  });
});

describe('decodeServerMessage', () => {
  it('accepts a snapshot and treats a null array as empty', () => {
    const s = { ...snapshot(), notes: null };
    const m = decodeServerMessage({ t: 'snapshot', v: 3, state: s });
    expect(m).toMatchObject({ t: 'snapshot', v: 3 });
    expect(m?.t === 'snapshot' && m.state.notes).toEqual([]);
  });

  it('checks event data by type', () => {
    const good = { t: 'ev', v: 4, at: 1, type: 'note.posted', data: { note: note('n', 't', null) } };
    expect(decodeServerMessage(good)).toMatchObject({ type: 'note.posted' });
    const bad = { ...good, data: { note: { ...note('n', 't', null), text: 7 } } };
    expect(() => decodeServerMessage(bad)).toThrow(/text/);
  });

  it('returns null for a message or event type it does not know', () => {
    expect(decodeServerMessage({ t: 'round', n: 2 })).toBeNull();
    expect(decodeServerMessage({ t: 'ev', v: 1, at: 1, type: 'mural.painted', data: {} })).toBeNull();
  });

  it('reads errors with and without a command id', () => {
    expect(decodeServerMessage({ t: 'error', id: 'c1', code: 'rate_limited', message: 'slow down', retryAfterMs: 500 })).toEqual({
      t: 'error',
      id: 'c1',
      code: 'rate_limited',
      message: 'slow down',
      retryAfterMs: 500,
    });
    expect(decodeServerMessage({ t: 'error', code: 'bad_frame', message: 'x' })).toEqual({ t: 'error', code: 'bad_frame', message: 'x' });
  });

  it('refuses a welcome with an unknown role', () => {
    expect(() => decodeServerMessage({ t: 'welcome', proto: 1, role: 'admin', participant: null, serverTime: 1 })).toThrow(ProtocolError);
  });
});

describe('rounds on the wire', () => {
  const clock = { round: 1, status: 'running', startedAt: 1, endsAt: 1_200_001, remaining: 0 };

  it('reads a snapshot from a server before rounds with the defaults', () => {
    const { rounds: _r, clock: _c, seating: _s, ...old } = snapshot();
    const m = decodeServerMessage({ t: 'snapshot', v: 1, state: old });
    expect(m?.t === 'snapshot' && [m.state.rounds, m.state.clock.status, m.state.seating, m.state.itineraries]).toEqual([[], 'waiting', 'free', undefined]);
  });

  it('reads tables with a host and notes with via', () => {
    const s = snapshot({ itineraries: { a: ['t1', ''] } });
    const raw = { ...s, tables: s.tables.map((t) => ({ ...t, host: 'a' })), notes: [{ ...note('n', 't', 'a'), via: 'Ada' }] };
    const m = decodeServerMessage({ t: 'snapshot', v: 1, state: raw });
    if (m?.t !== 'snapshot') throw new Error('not a snapshot');
    expect(m.state.tables[0].host).toBe('a');
    expect(m.state.notes[0].via).toBe('Ada');
    expect(m.state.itineraries).toEqual({ a: ['t1', ''] });
  });

  it('checks the clock and the seating', () => {
    expect(decodeServerMessage({ t: 'ev', v: 2, at: 1, type: 'round.paused', data: { clock } })).toMatchObject({ data: { clock } });
    expect(() => decodeServerMessage({ t: 'ev', v: 2, at: 1, type: 'round.paused', data: { clock: { ...clock, status: 'stopped' } } })).toThrow(ProtocolError);
    expect(() => decodeServerMessage({ t: 'ev', v: 2, at: 1, type: 'seating.changed', data: { seating: 'random' } })).toThrow(ProtocolError);
    expect(() => decodeServerMessage({ t: 'ev', v: 2, at: 1, type: 'round.ended', data: {} })).toThrow(/clock/);
  });

  it('round.started carries seats only for facilitators and board', () => {
    expect(decodeServerMessage({ t: 'ev', v: 2, at: 1, type: 'round.started', data: { clock } })).toMatchObject({ data: { clock } });
    const withSeats = decodeServerMessage({ t: 'ev', v: 2, at: 1, type: 'round.started', data: { clock, seats: { a: 't1' } } });
    expect(withSeats).toMatchObject({ data: { seats: { a: 't1' } } });
    expect(() => decodeServerMessage({ t: 'ev', v: 2, at: 1, type: 'round.started', data: { clock, seats: { a: 3 } } })).toThrow(/seats/);
  });

  it('plan.made in its public form (phones): no itineraries', () => {
    const m = decodeServerMessage({ t: 'ev', v: 3, at: 1, type: 'plan.made', data: { seating: 'planned', from: 1 } });
    expect(m).toMatchObject({ data: { seating: 'planned', from: 1 } });
    expect(m?.t === 'ev' && 'itineraries' in m.data).toBe(false);
  });

  it('plan.made and rounds.set', () => {
    expect(decodeServerMessage({ t: 'ev', v: 3, at: 1, type: 'plan.made', data: { seating: 'planned', from: 2, itineraries: { a: ['t1', 't2'] } } })).toMatchObject({
      data: { seating: 'planned', from: 2, itineraries: { a: ['t1', 't2'] } },
    });
    expect(decodeServerMessage({ t: 'ev', v: 4, at: 1, type: 'rounds.set', data: { rounds: [{ minutes: 20 }] } })).toMatchObject({
      data: { rounds: [{ minutes: 20, question: '' }] },
    });
    expect(() => decodeServerMessage({ t: 'ev', v: 4, at: 1, type: 'rounds.set', data: { rounds: [{ minutes: '20' }] } })).toThrow(/minutes/);
  });
});

describe('syntheses on the wire', () => {
  const sy = { doc: 'plenary', version: 3, text: 'Nous retenons :\n- écouter 👂', editedAt: 5, rounds: { '1': 'Nous' } };

  it('reads the syntheses of a snapshot; an older server sends none', () => {
    const m = decodeServerMessage({ t: 'snapshot', v: 1, state: { ...snapshot(), syntheses: [sy] } });
    expect(m?.t === 'snapshot' && m.state.syntheses).toEqual([sy]);
    const { syntheses: _s, ...old } = snapshot();
    const o = decodeServerMessage({ t: 'snapshot', v: 1, state: old });
    expect(o?.t === 'snapshot' && o.state.syntheses).toEqual([]);
    const bare = decodeServerMessage({ t: 'snapshot', v: 1, state: { ...snapshot(), syntheses: [{ doc: 't', version: 0, text: '', editedAt: 0, rounds: null }] } });
    expect(bare?.t === 'snapshot' && bare.state.syntheses[0].rounds).toEqual({});
  });

  it('checks a synthesis', () => {
    const bad = (over: object) => () => decodeServerMessage({ t: 'snapshot', v: 1, state: { ...snapshot(), syntheses: [{ ...sy, ...over }] } });
    expect(bad({ version: -1 })).toThrow(/version/);
    expect(bad({ version: 1.5 })).toThrow(/version/);
    expect(bad({ text: 3 })).toThrow(/text/);
    expect(bad({ rounds: { '1': 2 } })).toThrow(/rounds/);
  });

  it('reads synthesis.changed, by a participant or a facilitator (null)', () => {
    const data = { doc: 't1', version: 4, updates: [{ clientID: 'c1', changes: [3, [0, 'é', ''], [2], 1] }], by: 'p1' };
    expect(decodeServerMessage({ t: 'ev', v: 9, at: 1, type: 'synthesis.changed', data })).toEqual({ t: 'ev', v: 9, at: 1, type: 'synthesis.changed', data });
    const fac = decodeServerMessage({ t: 'ev', v: 9, at: 1, type: 'synthesis.changed', data: { ...data, by: null } });
    expect(fac?.t === 'ev' && fac.data).toMatchObject({ by: null });
  });

  it('refuses malformed changes', () => {
    const ev = (changes: unknown) => () =>
      decodeServerMessage({ t: 'ev', v: 9, at: 1, type: 'synthesis.changed', data: { doc: 't1', version: 0, updates: [{ clientID: 'c', changes }], by: null } });
    expect(ev([1, [0, 'a']])).not.toThrow();
    expect(ev({})).toThrow(/changes/);
    expect(ev([-1])).toThrow(/changes/);
    expect(ev([[]])).toThrow(/changes/);
    expect(ev([[0, 7]])).toThrow(/changes/);
    expect(ev(['a'])).toThrow(/changes/);
  });
});
