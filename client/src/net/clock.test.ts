import { describe, expect, it } from 'vitest';
import { CLOCK_SAMPLES, ClockEstimator, roundTrip, sampleOffset, type ClockSample } from './clock';

/** A deterministic pseudo-random sequence in [0, 1). */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

/**
 * One ping as a device whose clock is `skew` ms behind the server's sees it: it leaves at
 * `trueSent` (server time), takes `up` ms to arrive, the server answers at once, and the pong
 * takes `down` ms back.
 */
function ping(trueSent: number, skew: number, up: number, down: number): ClockSample {
  return { sent: trueSent - skew, serverTime: trueSent + up, received: trueSent + up + down - skew };
}

describe('sampleOffset', () => {
  it('is exact when the delays are equal both ways', () => {
    const s = ping(1_000_000, 90_000, 120, 120);
    expect(sampleOffset(s)).toBe(90_000);
    expect(roundTrip(s)).toBe(240);
  });

  it('is wrong by at most half the round trip when they are not', () => {
    const s = ping(1_000_000, -5_000, 300, 20);
    expect(Math.abs(sampleOffset(s) - -5_000)).toBeLessThanOrEqual(roundTrip(s) / 2);
  });
});

describe('ClockEstimator', () => {
  it('corrects a device clock minutes off to within half a second, given symmetric delays', () => {
    for (const skew of [-7 * 60_000, -181_234, 0, 42_000, 11 * 60_000 + 17]) {
      const random = rng(skew >>> 0);
      const c = new ClockEstimator();
      let t = 1_764_467_600_000;
      for (let i = 0; i < 12; i++) {
        const d = 20 + random() * 900; // conference Wi-Fi: 20 ms to nearly a second each way
        c.add(ping(t, skew, d, d));
        t += 20_000;
      }
      expect(Math.abs(c.offset() - skew), `skew ${skew}`).toBeLessThan(500);
      expect(Math.abs(c.offset() - skew)).toBeLessThanOrEqual(1); // symmetric: exact, up to rounding
    }
  });

  it('with jittery, lopsided delays, keeps the fastest sample: within half its round trip', () => {
    const skew = 4 * 60_000;
    const random = rng(7);
    const c = new ClockEstimator();
    let t = 1_764_467_600_000;
    for (let i = 0; i < CLOCK_SAMPLES; i++) {
      c.add(ping(t, skew, 30 + random() * 1500, 30 + random() * 200));
      t += 300;
    }
    expect(Math.abs(c.offset() - skew)).toBeLessThanOrEqual(c.uncertainty());
    expect(Math.abs(c.offset() - skew)).toBeLessThan(500);
  });

  it('prefers the sample with the smallest round trip, not the latest', () => {
    const c = new ClockEstimator();
    c.add({ sent: 0, received: 100, serverTime: 1050 }); // rtt 100, offset 1000
    c.add({ sent: 200, received: 900, serverTime: 5000 }); // rtt 700, offset 4450: slow and wrong
    expect(c.offset()).toBe(1000);
    expect(c.uncertainty()).toBe(50);
  });

  it('forgets samples older than the last few', () => {
    const c = new ClockEstimator(3);
    c.add({ sent: 0, received: 10, serverTime: 105 }); // the best, offset 100
    for (let i = 1; i <= 3; i++) c.add({ sent: i * 1000, received: i * 1000 + 50, serverTime: i * 1000 + 225 }); // offset 200
    expect(c.size()).toBe(3);
    expect(c.offset()).toBe(200);
  });

  it('is 0 before any sample and ignores nonsense', () => {
    const c = new ClockEstimator();
    expect(c.offset()).toBe(0);
    c.add({ sent: 100, received: 50, serverTime: 1e12 });
    c.add({ sent: Number.NaN, received: 50, serverTime: 1 });
    expect(c.size()).toBe(0);
    expect(c.offset()).toBe(0);
  });

  it('a new series (reconnect) keeps the old estimate until its first sample, then starts afresh', () => {
    const c = new ClockEstimator();
    c.add({ sent: 0, received: 10, serverTime: 1005 }); // rtt 10, offset 1000
    c.newSeries();
    expect(c.offset()).toBe(1000);
    c.add({ sent: 100, received: 400, serverTime: 2250 }); // rtt 300, offset 2000: another server's clock
    expect(c.offset()).toBe(2000);
    expect(c.size()).toBe(1);
  });
});
