// The server's clock as seen from this device (PROTOCOL.md §2 "Keepalive and clock"). Every
// countdown in the room is `endsAt − (Date.now() + offset)`, so phones whose clocks are minutes
// off still show the same time left as the projector.
//
// Each ping gives a sample: sent and received on our clock, serverTime on the server's. With
// equal delays both ways the server read its clock halfway, so
//   offset = serverTime − (sent + received) / 2
// and the error is at most half the round trip. Like NTP, we keep the sample with the smallest
// round trip among the last few: the least delayed one is the least wrong.

/** How many recent samples are kept; the best of them wins. */
export const CLOCK_SAMPLES = 8;
/** On (re)connect, this many pings in quick succession settle the offset… */
export const CLOCK_BURST = 4;
/** …this far apart. */
export const CLOCK_BURST_GAP_MS = 300;

export interface ClockSample {
  /** When the request left, on our clock (ms). */
  sent: number;
  /** When the answer came back, on our clock (ms). */
  received: number;
  /** The server's clock when it answered (ms). */
  serverTime: number;
}

export function sampleOffset(s: ClockSample): number {
  return s.serverTime - (s.sent + s.received) / 2;
}

export function roundTrip(s: ClockSample): number {
  return Math.max(0, s.received - s.sent);
}

export class ClockEstimator {
  private samples: ClockSample[] = [];
  private best: ClockSample | null = null;
  private fresh = false;

  constructor(private readonly keep = CLOCK_SAMPLES) {}

  /** Adds a sample; returns the offset estimate after it. Nonsense samples are ignored. */
  add(s: ClockSample): number {
    if (!Number.isFinite(s.sent) || !Number.isFinite(s.received) || !Number.isFinite(s.serverTime) || s.received < s.sent) {
      return this.offset();
    }
    if (this.fresh) {
      this.fresh = false;
      this.samples = [];
    }
    this.samples.push(s);
    if (this.samples.length > this.keep) this.samples.shift();
    this.best = this.samples.reduce((a, b) => (roundTrip(b) < roundTrip(a) ? b : a));
    return this.offset();
  }

  /** Server time minus our time, in ms (0 until the first sample). */
  offset(): number {
    return this.best ? Math.round(sampleOffset(this.best)) : 0;
  }

  /** The round trip of the sample in use: the offset is right to within half of it. */
  uncertainty(): number {
    return this.best ? roundTrip(this.best) / 2 : Infinity;
  }

  size(): number {
    return this.samples.length;
  }

  /**
   * A new connection (maybe another server, another network): the next sample starts a new
   * series, and until it comes the last estimate stays in use rather than jumping to 0.
   */
  newSeries(): void {
    this.fresh = this.samples.length > 0;
  }
}
