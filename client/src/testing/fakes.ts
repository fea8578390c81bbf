// Test doubles: an in-memory localStorage and a WebSocket the test plays the server for.
import type { KeyValueStore } from '../net/outbox';
import type { Clock, Note, Participant, Snapshot, Table, Workshop } from '../net/protocol';

export class MemoryStorage implements KeyValueStore {
  data = new Map<string, string>();
  getItem(k: string): string | null {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.data.set(k, v);
  }
  removeItem(k: string): void {
    this.data.delete(k);
  }
}

export class FakeWebSocket {
  static all: FakeWebSocket[] = [];
  static last(): FakeWebSocket {
    return FakeWebSocket.all[FakeWebSocket.all.length - 1];
  }
  static reset(): void {
    FakeWebSocket.all = [];
  }
  readyState = 0;
  sent: string[] = [];
  closedByClient = false;
  onopen: ((e: Event) => void) | null = null;
  onmessage: ((e: MessageEvent) => void) | null = null;
  onclose: ((e: CloseEvent) => void) | null = null;
  onerror: ((e: Event) => void) | null = null;
  constructor(readonly url: string) {
    FakeWebSocket.all.push(this);
  }
  send(s: string): void {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(s);
  }
  close(): void {
    this.closedByClient = true;
    this.readyState = 3;
  }
  // ---- the test's side ----
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  /** Sends one frame: objects are joined with "\n" like the server's batches. */
  push(...msgs: unknown[]): void {
    this.onmessage?.({ data: msgs.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join('\n') } as MessageEvent);
  }
  serverClose(code: number): void {
    this.readyState = 3;
    this.onclose?.({ code } as CloseEvent);
  }
  messages(): Record<string, unknown>[] {
    return this.sent.map((s) => JSON.parse(s));
  }
  commands(): Record<string, unknown>[] {
    return this.messages().filter((m) => m.t === 'cmd');
  }
}

// ---- sample objects ----
export const W = '0b7d3c2a-0000-4000-8000-000000000001';
export const T1 = '0b7d3c2a-0000-4000-8000-0000000000a1';
export const T2 = '0b7d3c2a-0000-4000-8000-0000000000a2';
export const ADA = '0b7d3c2a-0000-4000-8000-00000000ada0';
export const BOB = '0b7d3c2a-0000-4000-8000-00000000b0b0';
export const CLEO = '0b7d3c2a-0000-4000-8000-00000000c1e0';

export function workshop(over: Partial<Workshop> = {}): Workshop {
  return {
    id: W,
    title: 'Café ISN',
    subtitle: '',
    date: '2018-10-04',
    venue: 'Paris',
    language: 'fr',
    code: 'K7QX4M',
    allowAnonymous: true,
    createdAt: 1_700_000_000_000,
    ...over,
  };
}
export function table(id: string, number: number, over: Partial<Table> = {}): Table {
  return { id, number, name: `Atelier ${number}`, question: 'Que signifie être socialement innovant ?', colour: 'teal', capacity: 6, host: '', ...over };
}
export function person(id: string, name: string, tableId: string | null, over: Partial<Participant> = {}): Participant {
  return { id, name, organisation: '', table: tableId, joinedAt: 1_700_000_000_100, ...over };
}
export function note(id: string, tableId: string, author: string | null, over: Partial<Note> = {}): Note {
  return {
    id,
    table: tableId,
    author,
    authorName: author ? 'Ada' : null,
    via: null,
    text: `note ${id}`,
    colour: 'yellow',
    round: 0,
    createdAt: 1_700_000_001_000,
    editedAt: null,
    voters: [],
    ...over,
  };
}
export function snapshot(over: Partial<Snapshot> = {}): Snapshot {
  return {
    workshop: workshop(),
    tables: [table(T1, 1), table(T2, 2)],
    participants: [person(ADA, 'Ada', T1), person(BOB, 'Bob', T1)],
    notes: [note('n1', T1, ADA)],
    syntheses: [],
    rounds: [
      { minutes: 20, question: '' },
      { minutes: 20, question: '' },
      { minutes: 20, question: '' },
    ],
    clock: clock(),
    seating: 'free',
    ...over,
  };
}
export function clock(over: Partial<Clock> = {}): Clock {
  return { round: 0, status: 'waiting', startedAt: 0, endsAt: 0, remaining: 0, ...over };
}
