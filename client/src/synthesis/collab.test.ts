// The collab adapter against a small authority that follows the server's rules (PROTOCOL.md
// "Syntheses"): a push is accepted only at the current version, its updates are applied on
// UTF-16 positions and sent to every editor as synthesis.changed (before the ack), a command id
// seen before gets its first answer again. Editors go offline, come back through events or a
// snapshot, reload, get stale and rate-limited, and must always end with the server's text.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Command, ServerMessage, SynthesisUpdate, WorkshopEvent } from '../net/protocol';
import type { ConnectionStatus } from '../net/socket';
import { MemoryStorage, T1, W, snapshot } from '../testing/fakes';
import type { LiveListener } from '../state/live.svelte';
import { applyEvent, applySnapshot, emptyModel, setIdentity, type WorkshopModel } from '../state/workshop';
import { DocSession, KEY_HOLD_MS, MAX_PUSH_UPDATES, PUSH_GAP_MS, STALE_RETRY_MS, SynthesisSync, type SyncHost } from './collab';
import { synthesisKey, loadStored } from './store';
import { applyUpdates } from './text';
import { SYNTHESIS_MAX } from '../net/protocol';

const DOC = T1;

/** No half of a surrogate pair alone (String.prototype.isWellFormed is ES2024). */
function wellFormed(s: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
}

/** The server: one synthesis, the versions, the commands it has seen. */
class Authority {
  version = 0;
  text = '';
  v = 100; // workshop event versions
  seen = new Map<string, { t: 'ack'; v: number } | { t: 'error'; code: string }>();
  hosts: Host[] = [];
  log: { version: number; updates: SynthesisUpdate[]; by: string | null }[] = [];
  /** Commands answered rate_limited once before being looked at. */
  limitNext = 0;

  handle(from: Host, id: string, c: Command): void {
    if (c.type !== 'synthesis.push') throw new Error(c.type);
    if (this.limitNext > 0) {
      this.limitNext--;
      from.answer({ t: 'error', id, code: 'rate_limited', message: 'slow down', retryAfterMs: 300 });
      return;
    }
    const first = this.seen.get(id);
    if (first) return from.answer(first.t === 'ack' ? { t: 'ack', id, v: first.v } : { t: 'error', id, code: first.code, message: '' });
    const d = c.data;
    if (d.version !== this.version) {
      from.answer({ t: 'error', id, code: 'stale', message: 'stale' });
      return; // nothing stored: not remembered, as the server does not store refusals
    }
    if (from.forbidden) {
      from.answer({ t: 'error', id, code: 'forbidden', message: 'no' });
      return;
    }
    this.text = applyUpdates(this.text, d.updates);
    const ev = { version: this.version, updates: d.updates, by: from.name };
    this.version += d.updates.length;
    this.log.push(ev);
    const v = ++this.v;
    this.seen.set(id, { t: 'ack', v });
    for (const h of this.hosts) h.event(v, ev);
    from.answer({ t: 'ack', id, v });
  }

  snapshotFor(): { v: number; state: ReturnType<typeof snapshot> } {
    return { v: this.v, state: snapshot({ syntheses: [{ doc: DOC, version: this.version, text: this.text, editedAt: 1, rounds: {} }] }) };
  }
}

/** A device: its model, its connection to the authority (which may be cut), its sync. */
class Host implements SyncHost {
  model: WorkshopModel = emptyModel();
  status: ConnectionStatus = 'online';
  readonly identity: { workshop: string; who: string; storage: MemoryStorage };
  private listeners = new Set<LiveListener>();
  /** Messages that reach this device only when it is connected (lost otherwise). */
  inbox: (() => void)[] = [];
  /** Hold deliveries until flush() (to reorder: an answer before an event). */
  hold = false;
  /** Commands that reach the server only when delivered. */
  outbox: { id: string; c: Command }[] = [];
  holdCommands = false;
  forbidden = false;
  sent: { id: string; c: Command }[] = [];
  sync: SynthesisSync;

  constructor(
    readonly auth: Authority,
    readonly name: string,
    storage = new MemoryStorage(),
  ) {
    this.identity = { workshop: W, who: name, storage };
    setIdentity(this.model, 'participant', name);
    const s = auth.snapshotFor();
    applySnapshot(this.model, s.v, { ...s.state, you: { participant: name, table: T1, mine: [] } });
    auth.hosts.push(this);
    this.sync = new SynthesisSync(this, null);
  }

  get session(): DocSession {
    return this.sync.session(DOC);
  }

  sendDirect(id: string, c: Command): boolean {
    if (this.status !== 'online') return false;
    this.sent.push({ id, c });
    if (this.holdCommands) this.outbox.push({ id, c });
    else this.auth.handle(this, id, c);
    return true;
  }
  deliverCommands(): void {
    const o = this.outbox;
    this.outbox = [];
    for (const { id, c } of o) this.auth.handle(this, id, c);
  }
  listen(l: LiveListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private deliver(f: () => void): void {
    if (this.status !== 'online') return; // lost with the connection
    if (this.hold || this.inbox.length > 0) this.inbox.push(f); // in order, as a socket delivers
    else f();
  }
  flush(): void {
    const i = this.inbox;
    this.inbox = [];
    for (const f of i) f();
  }

  event(v: number, d: { version: number; updates: SynthesisUpdate[]; by: string | null }): void {
    this.deliver(() => {
      const ev = { t: 'ev', v, at: Date.now(), type: 'synthesis.changed', data: { doc: DOC, ...d } } as WorkshopEvent;
      applyEvent(this.model, ev);
      for (const l of this.listeners) l.message?.(ev);
    });
  }
  answer(m: Extract<ServerMessage, { t: 'ack' } | { t: 'error' }>): void {
    this.deliver(() => {
      for (const l of this.listeners) if (l.answer?.(m)) return;
      throw new Error(`nobody claimed ${JSON.stringify(m)}`);
    });
  }

  goOffline(): void {
    this.status = 'offline';
    this.inbox = [];
    for (const l of this.listeners) l.disconnected?.();
  }
  /** Reconnects: the events missed (resume), or a snapshot when `snapshot` is set. */
  reconnect(how: 'events' | 'snapshot', missed: { v: number; ev: { version: number; updates: SynthesisUpdate[]; by: string | null } }[] = []): void {
    this.status = 'syncing';
    if (how === 'snapshot') {
      const s = this.auth.snapshotFor();
      applySnapshot(this.model, s.v, { ...s.state, you: { participant: this.name, table: T1, mine: [] } });
      for (const l of this.listeners) l.message?.({ t: 'snapshot', v: s.v, state: s.state });
    } else {
      for (const { v, ev } of missed) {
        const e = { t: 'ev', v, at: 1, type: 'synthesis.changed', data: { doc: DOC, ...ev } } as WorkshopEvent;
        applyEvent(this.model, e);
        for (const l of this.listeners) l.message?.(e);
      }
    }
    this.status = 'online';
    for (const l of this.listeners) l.message?.({ t: 'synced', v: this.model.v });
  }

  type(at: number | 'end', text: string): void {
    const s = this.session;
    const from = at === 'end' ? s.text.length : at;
    expect(s.edit({ changes: { from, insert: text } })).toBe(true);
    vi.advanceTimersByTime(0); // a push leaves on the next turn of the event loop
  }
}

/** Lets every timer due run (pushes, retries). */
async function settle(ms = 5_000): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
}

function expectConverged(auth: Authority, ...hosts: Host[]): void {
  for (const h of hosts) {
    expect(h.session.text, h.name).toBe(auth.text);
    expect(h.session.version, h.name).toBe(auth.version);
    expect(h.session.info().unsaved, h.name).toBe(0);
    expect(h.model.syntheses[DOC]?.text ?? '', `${h.name}'s model`).toBe(auth.text);
  }
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('pushing and receiving', () => {
  it('a change is pushed at once with the version it was made on, and confirmed by its own event', async () => {
    const auth = new Authority();
    const ada = new Host(auth, 'ada');
    const bob = new Host(auth, 'bob');
    ada.type(0, 'Bonjour');
    expect(ada.sent).toHaveLength(1);
    const [push] = ada.sent;
    expect(push.c).toEqual({
      type: 'synthesis.push',
      data: { doc: DOC, version: 0, updates: [{ clientID: ada.session.clientID, changes: [[0, 'Bonjour']] }] },
    });
    expect(auth.text).toBe('Bonjour');
    expectConverged(auth, ada, bob);
    expect(bob.session.text).toBe('Bonjour');
    expect(bob.model.synthesisActivity[DOC]).toEqual({ ada: expect.any(Number) });
  });

  it('one push in flight; what is typed meanwhile goes in the next, at least PUSH_GAP_MS later', async () => {
    const auth = new Authority();
    const ada = new Host(auth, 'ada');
    ada.holdCommands = true;
    ada.type(0, 'a');
    ada.type('end', 'b');
    ada.type('end', 'c');
    expect(ada.sent).toHaveLength(1);
    await settle(1000);
    expect(ada.sent).toHaveLength(1); // still waiting for its answer
    ada.holdCommands = false;
    ada.deliverCommands();
    expect(auth.text).toBe('a');
    expect(ada.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(PUSH_GAP_MS);
    expect(ada.sent).toHaveLength(2);
    expect((ada.sent[1].c.data as { updates: unknown[]; version: number }).updates).toHaveLength(2);
    expect((ada.sent[1].c.data as { version: number }).version).toBe(1);
    expectConverged(auth, ada);
  });

  it('a fast typist makes no more than one push per PUSH_GAP_MS (under the server rate limit)', async () => {
    const auth = new Authority();
    const ada = new Host(auth, 'ada');
    for (let i = 0; i < 100; i++) {
      ada.type('end', 'x');
      await vi.advanceTimersByTimeAsync(20); // 50 keys a second
    }
    await settle();
    expect(ada.sent.length).toBeLessThanOrEqual(Math.ceil((100 * 20) / PUSH_GAP_MS) + 1);
    expect(auth.text).toBe('x'.repeat(100));
    expectConverged(auth, ada);
  });

  it('stale: waits for the change that got there first, rebases, pushes again with a new id', async () => {
    const auth = new Authority();
    const ada = new Host(auth, 'ada');
    const bob = new Host(auth, 'bob');
    // Bob types at the same time as Ada: his push reaches the server after hers, before her
    // event reaches him, so it was made on version 0.
    bob.hold = true;
    ada.type(0, 'Le café ');
    bob.type(0, 'Thé ');
    expect(bob.sent[0].c.data).toMatchObject({ version: 0 });
    expect(auth.version).toBe(1);
    bob.hold = false;
    bob.flush(); // Ada's event, then the stale error (in the order the server sent them)
    await settle();
    expect(bob.sent).toHaveLength(2);
    expect(bob.sent[1].id).not.toBe(bob.sent[0].id);
    expect(bob.sent[1].c.data).toMatchObject({ version: 1 });
    expect(auth.text).toBe('Le café Thé ');
    expectConverged(auth, ada, bob);
  });

  it('stale before the event: pushes as soon as it arrives, not at the timer', async () => {
    const auth = new Authority();
    const ada = new Host(auth, 'ada');
    const bob = new Host(auth, 'bob');
    bob.hold = true;
    ada.type(0, 'un');
    bob.type(0, 'deux');
    // The error first, the event a moment later.
    const [event, stale] = bob.inbox;
    bob.inbox = [];
    stale();
    await vi.advanceTimersByTimeAsync(500);
    expect(bob.sent).toHaveLength(1);
    bob.hold = false;
    event();
    await vi.advanceTimersByTimeAsync(PUSH_GAP_MS);
    expect(bob.sent).toHaveLength(2);
    expectConverged(auth, ada, bob);
    expect(auth.text).toBe('undeux');
  });

  it('stale and the event never comes: pushes again after STALE_RETRY_MS', async () => {
    const auth = new Authority();
    const bob = new Host(auth, 'bob');
    auth.version = 1; // someone changed it; bob never hears of it
    auth.text = 'x';
    bob.type(0, 'y');
    expect(bob.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(STALE_RETRY_MS - 1);
    expect(bob.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(bob.sent).toHaveLength(2);
  });

  it('rate_limited: the same push again after retryAfterMs', async () => {
    const auth = new Authority();
    const ada = new Host(auth, 'ada');
    auth.limitNext = 1;
    ada.type(0, 'vite');
    expect(ada.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(299);
    expect(ada.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(ada.sent).toHaveLength(2);
    expect(ada.sent[1]).toEqual(ada.sent[0]);
    expectConverged(auth, ada);
  });

  it('a final error drops the changes the server will never take, and says so', async () => {
    const auth = new Authority();
    const ada = new Host(auth, 'ada');
    ada.type(0, 'accepté ');
    ada.forbidden = true;
    await settle(PUSH_GAP_MS);
    ada.type('end', 'refusé');
    await settle();
    expect(ada.session.info()).toMatchObject({ error: 'forbidden', unsaved: 0 });
    expect(ada.session.text).toBe('accepté ');
    ada.forbidden = false;
    ada.type('end', '!');
    await settle();
    expect(ada.session.info().error).toBeNull();
    expectConverged(auth, ada);
  });

  it('at most MAX_PUSH_UPDATES updates per push', async () => {
    const auth = new Authority();
    const ada = new Host(auth, 'ada');
    ada.goOffline();
    for (let i = 0; i < 250; i++) ada.type('end', String(i % 10));
    ada.reconnect('events');
    await settle();
    const sizes = ada.sent.map((s) => (s.c.data as { updates: unknown[] }).updates.length);
    expect(Math.max(...sizes)).toBe(MAX_PUSH_UPDATES);
    expect(sizes.reduce((a, b) => a + b)).toBe(250);
    expectConverged(auth, ada);
  });

  it('refuses a local change that would make the text longer than the server allows', () => {
    const auth = new Authority();
    const ada = new Host(auth, 'ada');
    expect(ada.session.edit({ changes: { from: 0, insert: 'x'.repeat(SYNTHESIS_MAX) } })).toBe(true);
    expect(ada.session.edit({ changes: { from: 0, insert: 'y' } })).toBe(false);
    expect(ada.session.appendBullets(['trop'])).toBe(false);
    expect(ada.session.edit({ changes: { from: 0, to: 1 } })).toBe(true);
  });
});

describe('holding what arrives while a key is handled', () => {
  it('others’ changes wait KEY_HOLD_MS after Enter, then apply in order; the local change is pushed after them', async () => {
    const auth = new Authority();
    const ada = new Host(auth, 'ada');
    const bob = new Host(auth, 'bob');
    ada.type(0, 'un');
    await settle();
    bob.session.holdRemote(KEY_HOLD_MS);
    bob.type('end', '\n'); // Enter: pushed only when the hold ends
    ada.type(0, 'Et ');
    await vi.advanceTimersByTimeAsync(KEY_HOLD_MS - 1);
    expect(bob.session.text).toBe('un\n');
    expect(bob.sent).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(bob.session.text).toBe('Et un\n');
    await settle();
    expect(bob.sent).toHaveLength(1);
    expect(bob.sent[0].c.data).toMatchObject({ version: 2 }); // made after Ada's change arrived: not stale
    expectConverged(auth, ada, bob);
    expect(auth.text).toBe('Et un\n');
  });
});

describe('emoji and UTF-16', () => {
  it('positions count code units; emoji and accents typed at once at both ends stay whole', async () => {
    const auth = new Authority();
    const ada = new Host(auth, 'ada');
    const bob = new Host(auth, 'bob');
    ada.type(0, '😀é');
    await settle();
    // Both type right after the emoji (unit 2) and at the end, at the same time.
    ada.hold = bob.hold = true;
    ada.type(2, '👍🏽');
    bob.type(2, 'café ');
    bob.type('end', ' 🇫🇷');
    ada.flush();
    bob.flush();
    await settle();
    ada.flush();
    bob.flush();
    ada.hold = bob.hold = false;
    await settle();
    ada.flush();
    bob.flush();
    await settle();
    expectConverged(auth, ada, bob);
    for (const w of ['😀', '👍🏽', 'café ', ' 🇫🇷', 'é']) expect(auth.text).toContain(w);
    expect(wellFormed(auth.text)).toBe(true);
    // Ada's push named the position after the emoji as 2 (two code units).
    expect((ada.sent[1].c.data as { updates: SynthesisUpdate[] }).updates[0].changes).toEqual([2, [0, '👍🏽'], 1]);
  });

  it('replacing one emoji by another is one whole change', async () => {
    const auth = new Authority();
    const ada = new Host(auth, 'ada');
    ada.type(0, 'a😀b');
    await settle();
    expect(ada.session.replaceText('a😃b')).toBe(true);
    await settle();
    expect((ada.sent.at(-1)!.c.data as { updates: SynthesisUpdate[] }).updates[0].changes).toEqual([1, [2, '😃'], 1]);
    expectConverged(auth, ada);
  });
});

describe('offline, resume, snapshot, reload', () => {
  it('offline edits are pushed when the connection is back (resume with events)', async () => {
    const auth = new Authority();
    const ada = new Host(auth, 'ada');
    const bob = new Host(auth, 'bob');
    ada.type(0, 'Intro.\n');
    await settle();
    bob.goOffline();
    bob.type('end', 'hors ligne ');
    expect(bob.sent).toHaveLength(0);
    ada.type('end', 'en ligne');
    await settle();
    bob.reconnect('events', [{ v: auth.v, ev: auth.log.at(-1)! }]);
    await settle();
    expectConverged(auth, ada, bob);
    expect(auth.text).toContain('hors ligne ');
    expect(auth.text).toContain('en ligne');
  });

  it('rebases unconfirmed changes onto a snapshot that is ahead (no events to replay)', async () => {
    const auth = new Authority();
    const ada = new Host(auth, 'ada');
    const bob = new Host(auth, 'bob');
    ada.type(0, 'haut\nmilieu\nbas');
    await settle();
    bob.goOffline();
    bob.type(bob.session.text.indexOf('milieu') + 'milieu'.length, ' (Bob hors ligne)');
    bob.type('end', '\n- 🎈 ballon');
    // Meanwhile Ada changes the top and the bottom, several pushes.
    ada.type(0, 'Tout en ');
    await settle();
    ada.type('end', ' de page');
    await settle();
    expect(auth.version).toBeGreaterThan(bob.session.version + 1);
    bob.reconnect('snapshot');
    await settle();
    expectConverged(auth, ada, bob);
    expect(auth.text).toBe('Tout en haut\nmilieu (Bob hors ligne)\nbas de page\n- 🎈 ballon');
  });

  it('a push applied but unanswered before a snapshot: sent again with its id, acked, not doubled', async () => {
    const auth = new Authority();
    const ada = new Host(auth, 'ada');
    const bob = new Host(auth, 'bob');
    bob.hold = true;
    bob.type(0, 'Bob1 ');
    // The server applied it, but the event and the ack are lost with the connection.
    expect(auth.text).toBe('Bob1 ');
    bob.goOffline();
    bob.type('end', 'Bob2');
    ada.type('end', 'Ada');
    await settle();
    bob.hold = false;
    bob.reconnect('snapshot');
    expect(bob.sent.at(-1)!.id).toBe(bob.sent[0].id); // the same command again
    await settle();
    expectConverged(auth, ada, bob);
    expect(auth.text).toBe('Bob1 AdaBob2');
  });

  it('a push lost on the way before a snapshot: sent again, stale, rebased and pushed anew', async () => {
    const auth = new Authority();
    const ada = new Host(auth, 'ada');
    const bob = new Host(auth, 'bob');
    bob.holdCommands = true;
    bob.type(0, 'Bob ');
    bob.outbox = []; // lost
    bob.goOffline();
    ada.type(0, 'Ada ');
    await settle();
    bob.holdCommands = false;
    bob.reconnect('snapshot');
    await settle();
    expectConverged(auth, ada, bob);
    expect(auth.text).toBe('Ada Bob ');
  });

  it('keeps unconfirmed changes across a reload, then merges them', async () => {
    const auth = new Authority();
    const ada = new Host(auth, 'ada');
    const storage = new MemoryStorage();
    const bob = new Host(auth, 'bob', storage);
    ada.type(0, 'début\n');
    await settle();
    bob.goOffline();
    bob.type('end', 'écrit dans le métro 🚇');
    bob.sync.stop(); // the page goes away
    auth.hosts = auth.hosts.filter((h) => h !== bob);
    expect(Object.keys(loadStored(storage, synthesisKey(W, 'bob')))).toEqual([DOC]);

    ada.type('end', 'pendant ce temps');
    await settle();
    const again = new Host(auth, 'bob', storage); // reloaded: a fresh snapshot, ahead of what bob had
    again.sync.restore();
    await settle();
    expectConverged(auth, ada, again);
    expect(auth.text).toBe('début\npendant ce tempsécrit dans le métro 🚇');
    expect(loadStored(storage, synthesisKey(W, 'bob'))).toEqual({});
  });

  it('a reload right after a push the server applied does not send it twice', async () => {
    const auth = new Authority();
    const storage = new MemoryStorage();
    const bob = new Host(auth, 'bob', storage);
    bob.hold = true;
    bob.type(0, 'une fois');
    bob.sync.stop();
    auth.hosts = [];
    const again = new Host(auth, 'bob', storage);
    again.sync.restore();
    await settle();
    expect(again.sent[0].id).toBe(bob.sent[0].id);
    expectConverged(auth, again);
    expect(auth.text).toBe('une fois');
  });
});

describe('many editors at random', () => {
  it.each([99, 7, 2024])('converge on the server text through stale pushes, drops and snapshots (seed %i)', async (first) => {
    let seed = first;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const auth = new Authority();
    const hosts = ['ada', 'bob', 'cleo', 'dan'].map((n) => new Host(auth, n));
    const words = ['é', '😀', ' café', '\n- ', 'ok', '👩‍💻', 'ß'];
    const typed: string[] = [];
    for (let step = 0; step < 400; step++) {
      const h = hosts[Math.floor(random() * hosts.length)];
      const r = random();
      if (r < 0.05 && h.status === 'online') h.goOffline();
      else if (r < 0.1 && h.status !== 'online') h.reconnect('snapshot');
      else if (r < 0.3) h.hold = !h.hold;
      else if (r < 0.45) h.flush();
      else {
        const s = h.session;
        const w = words[Math.floor(random() * words.length)] + step;
        typed.push(w);
        // Type at a position that does not cut an emoji in two.
        let at = Math.floor(random() * (s.text.length + 1));
        const c = s.text.charCodeAt(at);
        if (c >= 0xdc00 && c < 0xe000) at--;
        h.type(at, w);
      }
      await vi.advanceTimersByTimeAsync(Math.floor(random() * 200));
    }
    for (const h of hosts) {
      h.hold = false;
      h.flush();
      if (h.status !== 'online') h.reconnect('snapshot');
    }
    for (let i = 0; i < 10; i++) {
      await settle();
      for (const h of hosts) h.flush();
    }
    expectConverged(auth, ...hosts);
    expect(wellFormed(auth.text)).toBe(true);
    // Only insertions were made: every character typed is there exactly once (typing may land
    // inside an earlier word, so compare the characters, not the words).
    const sorted = (x: string) => [...x].sort().join('');
    expect(sorted(auth.text)).toBe(sorted(typed.join('')));
    expect(auth.log.length).toBeGreaterThan(50);
  });
});

describe('through a LiveWorkshop and its socket', () => {
  it('pushes over the socket beside the outbox; the ack is the sync’s; a dropped push is sent again with its id', async () => {
    const { LiveWorkshop } = await import('../state/live.svelte');
    const { FakeWebSocket } = await import('../testing/fakes');
    const { command } = await import('../net/encode');
    const { RECONNECT_BASE_DELAY_MS } = await import('../net/socket');
    FakeWebSocket.reset();
    const live = new LiveWorkshop({
      workshop: W,
      token: 't'.repeat(43),
      kind: 'phone',
      storage: new MemoryStorage(),
      url: 'ws://test/ws',
      WebSocket: FakeWebSocket as unknown as typeof WebSocket,
      window: null,
      random: () => 0,
    });
    live.start();
    const welcome = { t: 'welcome', proto: 1, role: 'participant', participant: 'ada', serverTime: 1 };
    const snap = (v: number, text = '', version = 0) => ({
      t: 'snapshot',
      v,
      state: { ...snapshot({ syntheses: [{ doc: DOC, version, text, editedAt: 1, rounds: {} }] }), you: { participant: 'ada', table: T1, mine: [] } },
    });
    let ws = FakeWebSocket.last();
    ws.open();
    ws.push(welcome, snap(10), { t: 'synced', v: 10 });

    const sync = new SynthesisSync(live, null);
    const s = sync.session(DOC);
    live.send(command('note.post', { note: 'n9', text: 'un post-it', colour: 'yellow', anonymous: false }));
    s.edit({ changes: { from: 0, insert: 'Synthèse' } });
    await vi.advanceTimersByTimeAsync(0);
    const [note, push] = ws.commands();
    expect(note).toMatchObject({ type: 'note.post' });
    expect(push).toMatchObject({ type: 'synthesis.push', data: { doc: DOC, version: 0, updates: [{ clientID: s.clientID, changes: [[0, 'Synthèse']] }] } });

    // The connection drops before any answer; it comes back by events.
    ws.serverClose(1006);
    await vi.advanceTimersByTimeAsync(RECONNECT_BASE_DELAY_MS);
    ws = FakeWebSocket.last();
    ws.open();
    ws.push(welcome, { t: 'synced', v: 10 });
    await vi.advanceTimersByTimeAsync(0);
    const again = ws.commands().find((c) => c.type === 'synthesis.push');
    expect(again?.id).toBe(push.id);
    ws.push(
      { t: 'ev', v: 11, at: 1, type: 'synthesis.changed', data: { doc: DOC, version: 0, updates: (push.data as { updates: unknown }).updates, by: 'ada' } },
      { t: 'ack', id: push.id, v: 11 },
    );
    expect(s.info()).toEqual({ unsaved: 0, sending: false, error: null });
    expect(live.model.syntheses[DOC].text).toBe('Synthèse');
    expect(live.pending.map((c) => c.type)).toEqual(['note.post']); // the outbox still has its own
    sync.stop();
    live.stop();
  });
});
