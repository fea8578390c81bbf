// A workshop kept live in the browser: the socket feeds the model, the outbox feeds the
// socket. Views read `model`, `status`, `pending` and `failed`, and call `send(command)`.
//
//   view ── send() ──► Outbox (localStorage) ── cmd ──► Socket ──► server
//   view ◄── model ◄── applyEvent / applySnapshot ◄── ev / snapshot ◄── Socket
import { ClockEstimator } from '../net/clock';
import { Outbox, type FailedCommand, type KeyValueStore, type PendingCommand } from '../net/outbox';
import { cmd } from '../net/encode';
import type { Command, ServerMessage } from '../net/protocol';
import { Socket, socketURL, reconnectDelay, type ConnectionStatus } from '../net/socket';
import { applyEvent, applyHeadcount, applySnapshot, claimNote, emptyModel, setIdentity, type WorkshopModel } from './workshop';

export type ViewKind = 'phone' | 'board' | 'console';

/** See LiveWorkshop.listen. */
export interface LiveListener {
  message?: (m: Extract<ServerMessage, { t: 'snapshot' } | { t: 'ev' } | { t: 'synced' }>) => void;
  /** An ack or error: true when it answers a command of this listener. */
  answer?: (m: Extract<ServerMessage, { t: 'ack' } | { t: 'error' }>) => boolean;
  disconnected?: () => void;
}

export interface LiveOptions {
  workshop: string;
  token: string;
  kind: ViewKind;
  storage?: KeyValueStore;
  url?: string;
  WebSocket?: typeof WebSocket;
  window?: Window | null;
  random?: () => number;
  /** Keep the state in storage so a reload shows it at once and resumes from its version. */
  cache?: boolean;
}

/** Saving the cached state at most this often. */
const CACHE_DELAY_MS = 400;

interface Cached {
  who: string;
  model: WorkshopModel;
}

/** A short tag that tells whose state or outbox an entry is, without storing the secret twice. */
function tag(token: string): string {
  let h = 0;
  for (let i = 0; i < token.length; i++) h = (Math.imul(h, 31) + token.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}

/** Where the outbox of this workshop and token lives in storage. */
export function outboxKey(workshop: string, token: string): string {
  return `nappe.outbox.${workshop}.${tag(token)}`;
}

/**
 * Queues commands for a view that is not open yet (the landing page adds the tables of a
 * new workshop; the console sends them as soon as it is connected).
 */
export function queueCommands(workshop: string, token: string, commands: Command[], storage: KeyValueStore = localStorage): void {
  const box = new Outbox(storage, outboxKey(workshop, token));
  for (const c of commands) box.add(c);
}

export class LiveWorkshop {
  model = $state<WorkshopModel>(emptyModel());
  status = $state<ConnectionStatus>('connecting');
  pending = $state<PendingCommand[]>([]);
  failed = $state<FailedCommand[]>([]);
  /** Participants connected now, when the server says (facilitators); null until it does. */
  online = $state<string[] | null>(null);
  /** True once the state is known (synced once, or restored from the cache). */
  ready = $state(false);
  /** The server's clock minus ours (ms), estimated from hello→welcome and ping→pong. */
  clockOffset = $state(0);
  readonly clock = new ClockEstimator();

  readonly outbox: Outbox;
  private readonly socket: Socket;
  private readonly storage: KeyValueStore;
  private readonly cacheKey: string | null;
  private readonly who: string;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private retries = 0;
  private cacheTimer: ReturnType<typeof setTimeout> | null = null;
  private unsubscribe: () => void;
  private listeners = new Set<LiveListener>();

  constructor(private readonly o: LiveOptions) {
    this.storage = o.storage ?? localStorage;
    this.who = tag(o.token);
    this.outbox = new Outbox(this.storage, outboxKey(o.workshop, o.token));
    this.unsubscribe = this.outbox.subscribe(() => {
      this.pending = [...this.outbox.list()];
      this.failed = [...this.outbox.failures()];
    });
    this.pending = [...this.outbox.list()];
    this.failed = [...this.outbox.failures()];
    this.cacheKey = o.cache ? `nappe.state.${o.workshop}.${o.kind}` : null;
    this.restore();
    this.socket = new Socket({
      url: o.url ?? socketURL(),
      workshop: o.workshop,
      token: o.token,
      since: () => this.model.v,
      onMessage: (m) => this.receive(m),
      onStatus: (s) => {
        if (s === 'syncing') this.clock.newSeries();
        this.status = s;
      },
      onDisconnect: () => {
        this.outbox.reset();
        for (const l of this.listeners) l.disconnected?.();
      },
      onClockSample: (sample) => {
        const o = this.clock.add(sample);
        if (o !== this.clockOffset) this.clockOffset = o;
      },
      WebSocket: o.WebSocket,
      window: o.window,
      random: o.random,
    });
  }

  start(): void {
    if (typeof window !== 'undefined' && this.o.window !== null) window.addEventListener('storage', this.onStorage);
    this.socket.start();
  }

  stop(): void {
    if (typeof window !== 'undefined') window.removeEventListener('storage', this.onStorage);
    this.socket.stop();
    this.unsubscribe();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.cacheTimer) {
      clearTimeout(this.cacheTimer);
      this.saveCache();
    }
  }

  /** The server's clock now, as well as this device can tell. */
  serverNow(): number {
    return Date.now() + this.clockOffset;
  }

  /** Tries to reconnect now (the "Reconnect" button). */
  reconnectNow(): void {
    this.socket.reconnectNow();
  }

  /**
   * Queues a command: it is stored at once, shown as pending, and sent when the socket is
   * synced — again after every reconnect, with the same id, until the server answers.
   */
  send(c: Command, voteOn?: boolean): PendingCommand {
    if (c.type === 'note.post') claimNote(this.model, c.data.note);
    const p = this.outbox.add(c, voteOn);
    this.flush();
    return p;
  }

  dismissFailure(id: string): void {
    this.outbox.dismissFailure(id);
  }

  /** Sends the next queued command when the connection is synced and nothing is in flight. */
  private flush(): void {
    if (this.status !== 'online') return;
    const next = this.outbox.next();
    if (!next) return;
    if (!this.socket.send(cmd(next.id, { type: next.type, data: next.data } as Command))) this.outbox.reset();
  }

  /** One decoded server message, in order. Public for tests. */
  receive(m: ServerMessage): void {
    switch (m.t) {
      case 'welcome':
        setIdentity(this.model, m.role, m.participant);
        break;
      case 'snapshot':
        applySnapshot(this.model, m.v, m.state);
        this.cacheSoon();
        break;
      case 'ev':
        if (applyEvent(this.model, m)) this.cacheSoon();
        break;
      case 'synced':
        this.ready = true;
        this.retries = 0;
        // The socket sets status 'online' before handing us `synced`.
        this.flush();
        break;
      case 'ack':
        if (!this.outbox.ack(m.id) && this.claimed(m)) break;
        this.retries = 0;
        this.flush();
        break;
      case 'error': {
        if (!m.id) {
          console.warn(`nappe: server error ${m.code}: ${m.message}`);
          break;
        }
        if (this.claimed(m)) break;
        const r = this.outbox.reject(m.id, m.code, m.message);
        if (r === 'retry') this.retryLater(m.retryAfterMs);
        else this.flush();
        break;
      }
      case 'pong':
        break; // the socket hands the clock sample over (onClockSample)
      case 'presence':
        this.online = m.online;
        break;
      case 'headcount':
        applyHeadcount(this.model, m.tables);
        break;
      case 'bye':
        break;
    }
    if (m.t === 'snapshot' || m.t === 'ev' || m.t === 'synced') for (const l of this.listeners) l.message?.(m);
  }

  /** An ack or error for a command sent with sendDirect: its sender handles it. */
  private claimed(m: Extract<ServerMessage, { t: 'ack' } | { t: 'error' }>): boolean {
    for (const l of this.listeners) if (l.answer?.(m)) return true;
    return false;
  }

  /**
   * Follows the connection from outside the outbox (the syntheses' collaborative editing, whose
   * pushes are made afresh when they are stale rather than resent as they were): every snapshot,
   * event and `synced` once the model has them, the answers to commands sent with sendDirect,
   * and each lost connection. Returns a function that stops it.
   */
  listen(l: LiveListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /**
   * Sends a command now, outside the outbox, when the connection is synced; false when it is not
   * (the caller tries again after the next `synced`). Its answer goes to the listeners' `answer`.
   */
  sendDirect(id: string, c: Command): boolean {
    if (this.status !== 'online') return false;
    return this.socket.send(cmd(id, c));
  }

  /** The workshop and token this live view is for (to name what it keeps in storage). */
  get identity(): { workshop: string; who: string; storage: KeyValueStore } {
    return { workshop: this.o.workshop, who: this.who, storage: this.storage };
  }

  private retryLater(afterMs?: number): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const wait = afterMs ?? reconnectDelay(this.retries++);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.flush();
    }, wait);
  }

  /** Another tab of the same identity changed the outbox. */
  private onStorage = (e: StorageEvent): void => {
    if (e.key === this.outbox.key) {
      this.outbox.load();
      this.flush();
    }
  };

  private restore(): void {
    if (!this.cacheKey) return;
    try {
      const raw = this.storage.getItem(this.cacheKey);
      if (!raw) return;
      const c = JSON.parse(raw) as Cached;
      if (c.who !== this.who || !c.model?.workshop) return;
      this.model = { ...emptyModel(), ...c.model };
      this.ready = true;
    } catch {
      // a damaged cache only costs a full snapshot
    }
  }

  private cacheSoon(): void {
    if (!this.cacheKey || this.cacheTimer) return;
    this.cacheTimer = setTimeout(() => {
      this.cacheTimer = null;
      this.saveCache();
    }, CACHE_DELAY_MS);
  }

  private saveCache(): void {
    if (!this.cacheKey) return;
    try {
      const c: Cached = { who: this.who, model: $state.snapshot(this.model) as WorkshopModel };
      this.storage.setItem(this.cacheKey, JSON.stringify(c));
    } catch {
      // storage full or unavailable: the next visit takes a snapshot instead
    }
  }

  /** Forget what this browser stored for this workshop (after a removal or a refused token). */
  forgetLocal(): void {
    if (this.cacheKey) this.storage.removeItem(this.cacheKey);
  }
}
