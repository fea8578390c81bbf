// One WebSocket to the server that keeps itself alive: hello (with `since`, to resume),
// ping/pong to notice a dead socket that the phone never reported, reconnection with
// exponential backoff and jitter, and the close codes of PROTOCOL.md §2 "Goodbye".
import { CLOCK_BURST, CLOCK_BURST_GAP_MS, type ClockSample } from './clock';
import { decodeServerMessage, splitFrame } from './decode';
import { encode, hello, ping } from './encode';
import { CLOSE, type ClientMessage, type ServerMessage } from './protocol';

/** First wait before reconnecting. */
export const RECONNECT_BASE_DELAY_MS = 500;
/** Each failed attempt multiplies the wait by this. */
export const RECONNECT_FACTOR = 2;
/** The wait never grows beyond this. */
export const RECONNECT_MAX_DELAY_MS = 15_000;
/** Up to this fraction of the wait is taken off at random, so a room of phones does not reconnect in step. */
export const RECONNECT_JITTER = 0.5;
/** After a server shutdown (bye + 1001) everybody reconnects at once: spread them over this. */
export const SHUTDOWN_SPREAD_MS = 2_000;
export const PING_INTERVAL_MS = 20_000;
export const PONG_TIMEOUT_MS = 10_000;
/** No welcome within this after opening: give up on this socket and try again. */
export const HELLO_TIMEOUT_MS = 10_000;

/** Close 4004 (PROTOCOL.md §2 "Goodbye"): no such workshop, it was deleted; do not reconnect. */
export const CLOSE_NO_WORKSHOP = 4004;

/**
 * connecting: first attempt · syncing: welcomed, catching up · online: caught up and live ·
 * reconnecting: lost, trying again · offline: the device says it has no network ·
 * removed / unauthorized / outdated / gone (the workshop was deleted): final, no more attempts.
 */
export type ConnectionStatus =
  | 'connecting'
  | 'syncing'
  | 'online'
  | 'reconnecting'
  | 'offline'
  | 'removed'
  | 'unauthorized'
  | 'outdated'
  | 'gone';

export function isFinalStatus(s: ConnectionStatus): boolean {
  return s === 'removed' || s === 'unauthorized' || s === 'outdated' || s === 'gone';
}

/** The wait before reconnect attempt number `attempt` (0 = first retry). */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const full = Math.min(RECONNECT_MAX_DELAY_MS, RECONNECT_BASE_DELAY_MS * RECONNECT_FACTOR ** attempt);
  return Math.round(full * (1 - RECONNECT_JITTER * random()));
}

export interface SocketOptions {
  url: string;
  workshop: string;
  token: string;
  /** The version of the last event applied, read at each hello. */
  since: () => number;
  onMessage: (m: ServerMessage) => void;
  onStatus: (s: ConnectionStatus) => void;
  /** The socket closed (for any reason): commands in flight must be sent again. */
  onDisconnect?: () => void;
  /** A measurement of the server's clock: hello→welcome and every ping→pong (see clock.ts). */
  onClockSample?: (s: ClockSample) => void;
  /** Our clock, for the samples (tests may replace it). */
  now?: () => number;
  WebSocket?: typeof WebSocket;
  random?: () => number;
  /** Defaults to the browser's window (online/offline, visibility); null in tests. */
  window?: Window | null;
}

export function socketURL(loc: Location = location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/ws`;
}

export class Socket {
  private ws: WebSocket | null = null;
  private status: ConnectionStatus = 'connecting';
  private attempt = 0;
  private stopped = false;
  private byeReason: string | null = null;
  private pingN = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private helloTimer: ReturnType<typeof setTimeout> | null = null;
  private pongTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private burstTimers: ReturnType<typeof setTimeout>[] = [];
  /** When each unanswered ping (by n), and the hello, left. */
  private pingSent = new Map<number, number>();
  private helloSent = 0;
  private readonly now: () => number;
  private readonly WS: typeof WebSocket;
  private readonly random: () => number;
  private readonly win: Window | null;

  constructor(private readonly o: SocketOptions) {
    this.WS = o.WebSocket ?? WebSocket;
    this.random = o.random ?? Math.random;
    this.now = o.now ?? Date.now;
    this.win = o.window === undefined ? (typeof window === 'undefined' ? null : window) : o.window;
  }

  start(): void {
    this.stopped = false;
    if (this.win) {
      this.win.addEventListener('online', this.onOnline);
      this.win.addEventListener('offline', this.onOffline);
      this.win.document.addEventListener('visibilitychange', this.onVisible);
      if (!this.win.navigator.onLine) {
        this.setStatus('offline');
        return;
      }
    }
    this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.win) {
      this.win.removeEventListener('online', this.onOnline);
      this.win.removeEventListener('offline', this.onOffline);
      this.win.document.removeEventListener('visibilitychange', this.onVisible);
    }
    this.drop();
    this.clearRetry();
  }

  getStatus(): ConnectionStatus {
    return this.status;
  }

  /** Sends one message; false when there is no open socket (the caller keeps it for later). */
  send(m: ClientMessage): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== 1) return false;
    try {
      ws.send(encode(m));
      return true;
    } catch {
      return false;
    }
  }

  /** Tries again now instead of waiting for the backoff (a "retry now" button, the network coming back). */
  reconnectNow(): void {
    if (this.stopped || isFinalStatus(this.status)) return;
    if (this.ws) return;
    this.clearRetry();
    this.attempt = 0;
    this.open();
  }

  private setStatus(s: ConnectionStatus): void {
    if (this.status === s) return;
    this.status = s;
    this.o.onStatus(s);
  }

  private open(): void {
    this.clearRetry();
    this.byeReason = null;
    this.setStatus(this.attempt === 0 && this.status === 'connecting' ? 'connecting' : 'reconnecting');
    let ws: WebSocket;
    try {
      ws = new this.WS(this.o.url);
    } catch {
      this.lost(null);
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.helloSent = this.now();
      this.send(hello(this.o.workshop, this.o.token, this.o.since()));
      this.helloTimer = setTimeout(() => this.lost(null), HELLO_TIMEOUT_MS);
    };
    ws.onmessage = (e: MessageEvent) => {
      if (typeof e.data !== 'string') return;
      this.receive(e.data);
    };
    ws.onclose = (e: CloseEvent) => {
      if (this.ws === ws) this.lost(e.code);
    };
    ws.onerror = () => {
      // A close event follows; nothing to do here.
    };
  }

  private receive(frame: string): void {
    let batch: unknown[];
    try {
      batch = splitFrame(frame);
    } catch (err) {
      console.warn('nappe: bad frame, resuming', err);
      this.lost(null);
      return;
    }
    for (const raw of batch) {
      let m: ServerMessage | null;
      try {
        m = decodeServerMessage(raw);
      } catch (err) {
        // Applying the rest after a malformed message could leave a hole: start again from `since`.
        console.warn('nappe: bad message, resuming', err);
        this.lost(null);
        return;
      }
      if (!m) continue;
      switch (m.t) {
        case 'welcome':
          this.clearHello();
          this.setStatus('syncing');
          this.o.onClockSample?.({ sent: this.helloSent, received: this.now(), serverTime: m.serverTime });
          this.startPing();
          break;
        case 'synced':
          this.attempt = 0;
          this.setStatus('online');
          break;
        case 'pong': {
          const sent = this.pingSent.get(m.n);
          this.pingSent.delete(m.n);
          if (sent !== undefined) this.o.onClockSample?.({ sent, received: this.now(), serverTime: m.serverTime });
          this.clearPong();
          break;
        }
        case 'bye':
          this.byeReason = m.reason;
          break;
      }
      this.o.onMessage(m);
      if (this.ws === null) return; // the listener stopped us
    }
  }

  /** A few pings in quick succession settle the clock offset, then the keepalive takes over. */
  private startPing(): void {
    this.stopPing();
    for (let i = 0; i < CLOCK_BURST; i++) {
      this.burstTimers.push(setTimeout(() => this.pingNow(), i * CLOCK_BURST_GAP_MS));
    }
    this.pingTimer = setInterval(() => this.pingNow(), PING_INTERVAL_MS);
  }

  /** Sends a ping and treats the socket as dead if no pong comes back in time. */
  pingNow(): void {
    if (!this.ws || this.pongTimer) return;
    const n = ++this.pingN;
    const sent = this.now();
    if (!this.send(ping(n))) return;
    this.pingSent.set(n, sent);
    this.pongTimer = setTimeout(() => {
      this.pongTimer = null;
      this.lost(null);
    }, PONG_TIMEOUT_MS);
  }

  private stopPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
    for (const b of this.burstTimers) clearTimeout(b);
    this.burstTimers = [];
    this.pingSent.clear();
    this.clearPong();
  }
  private clearPong(): void {
    if (this.pongTimer) clearTimeout(this.pongTimer);
    this.pongTimer = null;
  }
  private clearHello(): void {
    if (this.helloTimer) clearTimeout(this.helloTimer);
    this.helloTimer = null;
  }
  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /** Closes the current socket without waiting for its close event. */
  private drop(): void {
    const ws = this.ws;
    this.ws = null;
    this.stopPing();
    this.clearHello();
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      try {
        ws.close();
      } catch {
        // already closed
      }
      this.o.onDisconnect?.();
    }
  }

  /** The socket is gone (closed with `code`, or declared dead when code is null). */
  private lost(code: number | null): void {
    const reason = this.byeReason;
    this.drop();
    if (this.stopped) return;
    if (code === CLOSE.removed || reason === 'removed') return this.setStatus('removed');
    if (code === CLOSE.badToken) return this.setStatus('unauthorized');
    if (code === CLOSE.protocolVersion) return this.setStatus('outdated');
    if (code === CLOSE_NO_WORKSHOP) return this.setStatus('gone');
    if (this.win && !this.win.navigator.onLine) return this.setStatus('offline');
    this.setStatus('reconnecting');
    let delay = reconnectDelay(this.attempt++, this.random);
    if (code === CLOSE.goingAway || reason === 'shutdown') delay = Math.round(this.random() * SHUTDOWN_SPREAD_MS);
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  private onOnline = (): void => {
    if (this.status === 'offline' || this.status === 'reconnecting') this.reconnectNow();
  };

  private onOffline = (): void => {
    if (isFinalStatus(this.status) || this.stopped) return;
    // Say so at once: a phone that lost its network will not see a close for a long time.
    this.drop();
    this.clearRetry();
    this.setStatus('offline');
  };

  private onVisible = (): void => {
    if (!this.win || this.win.document.visibilityState !== 'visible') return;
    if (this.ws) this.pingNow();
    else if (this.status === 'reconnecting') this.reconnectNow();
  };
}
