// Commands the server has not acknowledged yet. Each one is written to localStorage before it
// is sent, so a note typed in a lift survives a lost socket, a reload, a killed tab. They are
// sent one at a time, in the order they were made, always with the id they were made with:
// the server applies a repeated id once (PROTOCOL.md §2 "Commands").
import type { Command, CommandType } from './protocol';
import { uuid } from './ids';

export interface PendingCommand {
  id: string;
  type: CommandType;
  data: Command['data'];
  createdAt: number;
  /** For vote.toggle: whether the vote should end up on (shown while pending; not sent). */
  voteOn?: boolean;
}

export interface FailedCommand extends PendingCommand {
  code: string;
  message: string;
}

/** Error codes after which the same command may succeed later (nothing was stored). */
export function isRetryable(code: string): boolean {
  // PROTOCOL.md says `unavailable` is retryable and "any other error is final", but its
  // table also says rate_limited stored nothing and gives retryAfterMs: we retry both.
  return code === 'unavailable' || code === 'rate_limited';
}

interface Stored {
  pending: PendingCommand[];
  failed: FailedCommand[];
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export class Outbox {
  private pending: PendingCommand[] = [];
  private failed: FailedCommand[] = [];
  /** The id sent on the current connection and not yet answered. */
  private inFlight: string | null = null;
  private listeners = new Set<() => void>();

  constructor(
    private readonly store: KeyValueStore,
    readonly key: string,
    private readonly now: () => number = Date.now,
    private readonly newId: () => string = uuid,
  ) {
    this.load();
  }

  /** Reads what an earlier page (or another tab) left. */
  load(): void {
    let s: Stored = { pending: [], failed: [] };
    try {
      const raw = this.store.getItem(this.key);
      if (raw) s = JSON.parse(raw) as Stored;
    } catch {
      // A corrupt entry is dropped rather than blocking the app.
    }
    this.pending = Array.isArray(s.pending) ? s.pending : [];
    this.failed = Array.isArray(s.failed) ? s.failed : [];
    if (this.inFlight && !this.pending.some((c) => c.id === this.inFlight)) this.inFlight = null;
    this.changed();
  }

  private save(): void {
    if (this.pending.length === 0 && this.failed.length === 0) this.store.removeItem(this.key);
    else this.store.setItem(this.key, JSON.stringify({ pending: this.pending, failed: this.failed } satisfies Stored));
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  subscribe(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Queues a command (persisted at once) and returns it with its new id. */
  add(c: Command, voteOn?: boolean): PendingCommand {
    const p: PendingCommand = { id: this.newId(), type: c.type, data: c.data, createdAt: this.now() };
    if (voteOn !== undefined) p.voteOn = voteOn;
    this.pending.push(p);
    this.save();
    this.changed();
    return p;
  }

  /** Commands not acknowledged yet, oldest first. */
  list(): readonly PendingCommand[] {
    return this.pending;
  }

  failures(): readonly FailedCommand[] {
    return this.failed;
  }

  size(): number {
    return this.pending.length;
  }

  /**
   * The next command to send, or null when one is already waiting for its answer on this
   * connection or when nothing is queued.
   */
  next(): PendingCommand | null {
    if (this.inFlight !== null) return null;
    const head = this.pending[0];
    if (!head) return null;
    this.inFlight = head.id;
    return head;
  }

  /** The connection dropped: whatever was in flight will be sent again on the next one. */
  reset(): void {
    this.inFlight = null;
  }

  /** `ack`: the command is durable; forget it. Returns whether it was ours. */
  ack(id: string): boolean {
    const i = this.pending.findIndex((c) => c.id === id);
    if (this.inFlight === id) this.inFlight = null;
    if (i < 0) return false;
    this.pending.splice(i, 1);
    this.save();
    this.changed();
    return true;
  }

  /**
   * `error`: a retryable error puts the command back at the head (sent again, same id);
   * a final one moves it to the failures, to be shown to the person who made it.
   */
  reject(id: string, code: string, message: string): 'retry' | 'final' | 'unknown' {
    if (this.inFlight === id) this.inFlight = null;
    const i = this.pending.findIndex((c) => c.id === id);
    if (i < 0) return 'unknown';
    if (isRetryable(code)) return 'retry';
    const [c] = this.pending.splice(i, 1);
    this.failed.push({ ...c, code, message });
    this.save();
    this.changed();
    return 'final';
  }

  dismissFailure(id: string): void {
    this.failed = this.failed.filter((f) => f.id !== id);
    this.save();
    this.changed();
  }
}
