// What a countdown shows, from the round's clock and the server's time now (Date.now() plus the
// offset of net/clock.ts). Pure, so the phone, the projector and the console agree to the second.
import type { Clock } from '../net/protocol';

/** The last two minutes of a round are shown as a warning. */
export const WARNING_MS = 2 * 60_000;

/**
 * waiting: before the first round · running · warning: running, two minutes or less left ·
 * overtime: running past its end ("time to move") · paused · ended: stopped by the facilitator.
 */
export type Phase = 'waiting' | 'running' | 'warning' | 'overtime' | 'paused' | 'ended';

/** Milliseconds left in the round (negative in overtime); null before the first round. */
export function remainingMs(c: Clock, serverNow: number): number | null {
  switch (c.status) {
    case 'waiting':
      return null;
    case 'paused':
      return Math.max(0, c.remaining);
    case 'ended':
      return 0;
    case 'running':
      return c.endsAt - serverNow;
  }
}

export function phaseOf(c: Clock, serverNow: number): Phase {
  if (c.status !== 'running') return c.status;
  const left = c.endsAt - serverNow;
  if (left <= 0) return 'overtime';
  return left <= WARNING_MS ? 'warning' : 'running';
}

/** Whether the room should be moving now: the round ran out, or the facilitator ended it. */
export function timeToMove(c: Clock, serverNow: number): boolean {
  const p = phaseOf(c, serverNow);
  return p === 'overtime' || p === 'ended';
}

/** "mm:ss", or "h:mm:ss" from an hour; whole seconds, never negative. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(mm)}:${two(ss)}` : `${two(mm)}:${two(ss)}`;
}

export interface CountdownView {
  phase: Phase;
  /** What is left, in ms (0 when ended, negative in overtime); null before the first round. */
  ms: number | null;
  /**
   * The digits: time left rounded up (a round of 20 minutes shows 20:00 at its start and 00:00
   * only at its end), or in overtime the time past the end, with a "+".
   */
  text: string;
}

export function countdown(c: Clock, serverNow: number): CountdownView {
  const phase = phaseOf(c, serverNow);
  const ms = remainingMs(c, serverNow);
  let text: string;
  if (ms === null) text = '--:--';
  else if (phase === 'overtime') text = `+${formatDuration(-ms / 1000)}`;
  else text = formatDuration(Math.ceil(ms / 1000));
  return { phase, ms, text };
}

/** How long to wait before the display changes (the next whole second), for a ticking timer. */
export function nextTickIn(c: Clock, serverNow: number): number {
  if (c.status !== 'running') return 1000;
  const ms = c.endsAt - serverNow;
  const into = ((ms % 1000) + 1000) % 1000;
  return into === 0 ? 1000 : into + 5;
}
