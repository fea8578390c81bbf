import { describe, expect, it } from 'vitest';
import { RECONNECT_BASE_DELAY_MS, RECONNECT_JITTER, RECONNECT_MAX_DELAY_MS, reconnectDelay } from './socket';

describe('reconnectDelay', () => {
  it('grows exponentially up to the maximum', () => {
    const noJitter = () => 0;
    expect(reconnectDelay(0, noJitter)).toBe(RECONNECT_BASE_DELAY_MS);
    expect(reconnectDelay(1, noJitter)).toBe(RECONNECT_BASE_DELAY_MS * 2);
    expect(reconnectDelay(3, noJitter)).toBe(RECONNECT_BASE_DELAY_MS * 8);
    expect(reconnectDelay(50, noJitter)).toBe(RECONNECT_MAX_DELAY_MS);
  });

  it('takes up to the jitter fraction off at random', () => {
    expect(reconnectDelay(2, () => 1)).toBe(Math.round(RECONNECT_BASE_DELAY_MS * 4 * (1 - RECONNECT_JITTER)));
    const spread = new Set(Array.from({ length: 20 }, (_, i) => reconnectDelay(2, () => i / 20)));
    expect(spread.size).toBeGreaterThan(10);
  });
});
