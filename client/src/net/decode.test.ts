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
    expect(decodeServerMessage({ t: 'ev', v: 1, at: 1, type: 'round.started', data: {} })).toBeNull();
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
