// A workshop kept live in the browser: the socket feeds the model, the outbox feeds the
// socket. Views read `model`, `status`, `pending` and `failed`, and call `send(command)`.
//
//   view ── send() ──► Outbox (localStorage) ── cmd ──► Socket ──► server
//   view ◄── model ◄── applyEvent / applySnapshot ◄── ev / snapshot ◄── Socket
import { workshopState } from '../net/api';
import { ClockEstimator } from '../net/clock';
import { Outbox, type FailedCommand, type KeyValueStore, type PendingCommand } from '../net/outbox';
import { cmd } from '../net/encode';
import type { Command, ServerMessage } from '../net/protocol';
import { Socket, socketURL, reconnectDelay, type ConnectionStatus } from '../net/socket';
import { applyEvent, applySnapshot, claimNote, emptyModel, setIdentity, type WorkshopModel } from './workshop';

export type ViewKind = 'phone' | 'board' | 'console';

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

/**
 * WORKAROUND for a gap on the server side (reported with this change; remove once phones get
 * the seating mode by event). `plan.made` reaches only facilitators and projectors, and
 * `seating.changed` is sent only when seating becomes free, so a phone learns that seating is
 * planned from a snapshot alone, and a snapshot comes at a round start only to phones whose
 * table or table mates change. A phone that stays put would go on believing seating is free and
 * say "choose your table" instead of "go to table N". So when a round starts, a phone that
 * believes seating is free and got no snapshot asks for its state once, after this delay plus
 * up to SEATING_CHECK_JITTER_MS at random (a room of phones must not ask at once).
 */
const SEATING_CHECK_DELAY_MS = 700;
const SEATING_CHECK_JITTER_MS = 1500;

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
  private seatingTimer: ReturnType<typeof setTimeout> | null = null;
  private snapshotCount = 0;

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
      onDisconnect: () => this.outbox.reset(),
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
    if (this.seatingTimer) clearTimeout(this.seatingTimer);
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
        this.snapshotCount++;
        this.cacheSoon();
        break;
      case 'ev':
        if (applyEvent(this.model, m)) {
          this.cacheSoon();
          if (m.type === 'round.started') this.checkSeatingSoon();
        }
        break;
      case 'synced':
        this.ready = true;
        this.retries = 0;
        // The socket sets status 'online' before handing us `synced`.
        this.flush();
        break;
      case 'ack':
        this.outbox.ack(m.id);
        this.retries = 0;
        this.flush();
        break;
      case 'error': {
        if (!m.id) {
          console.warn(`nappe: server error ${m.code}: ${m.message}`);
          break;
        }
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
      case 'bye':
        break;
    }
  }

  /** See SEATING_CHECK_DELAY_MS. */
  private checkSeatingSoon(): void {
    if (this.model.role !== 'participant' || this.model.seating !== 'free' || this.seatingTimer) return;
    const snapshots = this.snapshotCount;
    const random = this.o.random ?? Math.random;
    this.seatingTimer = setTimeout(
      () => {
        this.seatingTimer = null;
        if (this.snapshotCount !== snapshots || this.model.seating !== 'free') return;
        workshopState(this.o.workshop, this.o.token).then(
          ({ state }) => {
            if (this.model.seating !== state.seating) this.model.seating = state.seating;
          },
          () => {}, // the next snapshot will tell
        );
      },
      SEATING_CHECK_DELAY_MS + random() * SEATING_CHECK_JITTER_MS,
    );
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
