import { describe, expect, it } from 'vitest';
import { clock } from '../testing/fakes';
import { WARNING_MS, countdown, formatDuration, nextTickIn, phaseOf, remainingMs, timeToMove } from './countdown';

const T0 = 1_764_467_600_000;
const running = (minutes: number) => clock({ round: 1, status: 'running', startedAt: T0, endsAt: T0 + minutes * 60_000 });

describe('formatDuration', () => {
  it('writes mm:ss, and h:mm:ss from an hour', () => {
    expect(formatDuration(0)).toBe('00:00');
    expect(formatDuration(59)).toBe('00:59');
    expect(formatDuration(20 * 60)).toBe('20:00');
    expect(formatDuration(61 * 60 + 5)).toBe('1:01:05');
    expect(formatDuration(-3)).toBe('00:00');
    expect(formatDuration(12.9)).toBe('00:12');
  });
});

describe('countdown', () => {
  it('shows the whole round at its start and counts down, rounding up', () => {
    const c = running(20);
    expect(countdown(c, T0)).toEqual({ phase: 'running', ms: 20 * 60_000, text: '20:00' });
    expect(countdown(c, T0 + 1).text).toBe('20:00');
    expect(countdown(c, T0 + 1000).text).toBe('19:59');
    expect(countdown(c, T0 + 20 * 60_000 - 1).text).toBe('00:01');
  });

  it('warns in the last two minutes', () => {
    const c = running(20);
    const end = c.endsAt;
    expect(phaseOf(c, end - WARNING_MS - 1)).toBe('running');
    expect(phaseOf(c, end - WARNING_MS)).toBe('warning');
    expect(countdown(c, end - 90_000)).toMatchObject({ phase: 'warning', text: '01:30' });
  });

  it('past the end: overtime, counting up with a "+", time to move', () => {
    const c = running(20);
    expect(countdown(c, c.endsAt)).toMatchObject({ phase: 'overtime', ms: 0, text: '+00:00' });
    expect(countdown(c, c.endsAt + 75_500)).toMatchObject({ phase: 'overtime', ms: -75_500, text: '+01:15' });
    expect(timeToMove(c, c.endsAt + 1)).toBe(true);
    expect(timeToMove(c, c.endsAt - 1)).toBe(false);
  });

  it('paused: frozen on what was left, whatever the time', () => {
    const c = clock({ round: 2, status: 'paused', startedAt: T0, endsAt: T0 + 600_000, remaining: 312_400 });
    expect(countdown(c, T0)).toEqual({ phase: 'paused', ms: 312_400, text: '05:13' });
    expect(countdown(c, T0 + 3_600_000).text).toBe('05:13');
    expect(timeToMove(c, T0 + 3_600_000)).toBe(false);
  });

  it('ended by the facilitator: 00:00 and time to move', () => {
    const c = clock({ round: 1, status: 'ended', startedAt: T0, endsAt: T0 + 1000 });
    expect(countdown(c, T0 + 5)).toEqual({ phase: 'ended', ms: 0, text: '00:00' });
    expect(timeToMove(c, T0)).toBe(true);
  });

  it('before the first round: nothing to count', () => {
    expect(remainingMs(clock(), T0)).toBeNull();
    expect(countdown(clock(), T0)).toEqual({ phase: 'waiting', ms: null, text: '--:--' });
  });

  it('is the same on two devices whose clocks differ, once each adds its offset', () => {
    const c = running(20);
    const serverNow = T0 + 123_456;
    const phoneA = { now: serverNow - 180_000, offset: 180_000 }; // 3 minutes slow
    const phoneB = { now: serverNow + 42_000, offset: -42_000 }; // 42 s fast
    expect(countdown(c, phoneA.now + phoneA.offset)).toEqual(countdown(c, phoneB.now + phoneB.offset));
  });
});

describe('nextTickIn', () => {
  it('wakes just after the displayed second changes', () => {
    const c = running(1);
    expect(nextTickIn(c, T0 + 250)).toBe(755);
    expect(nextTickIn(c, T0)).toBe(1000);
    expect(nextTickIn(clock({ status: 'paused', round: 1 }), T0)).toBe(1000);
  });
});
