// The whole client loop against a fake server: hello/resume, snapshot and events, the outbox
// resent after reconnects, and the close codes.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { command } from '../net/encode';
import { outboxKey, LiveWorkshop } from './live.svelte';
import { ADA, FakeWebSocket, MemoryStorage, T1, T2, W, note, snapshot } from '../testing/fakes';
import { HELLO_TIMEOUT_MS, PING_INTERVAL_MS, PONG_TIMEOUT_MS, RECONNECT_BASE_DELAY_MS } from '../net/socket';
import { CLOCK_BURST, CLOCK_BURST_GAP_MS } from '../net/clock';

const TOKEN = 'x'.repeat(43);

function start(storage = new MemoryStorage(), cache = false) {
  const live = new LiveWorkshop({
    workshop: W,
    token: TOKEN,
    kind: 'phone',
    storage,
    url: 'ws://test/ws',
    WebSocket: FakeWebSocket as unknown as typeof WebSocket,
    window: null,
    random: () => 0,
    cache,
  });
  live.start();
  return live;
}

const welcome = { t: 'welcome', proto: 1, role: 'participant', participant: ADA, serverTime: 1 };
const snap = (v: number) => ({ t: 'snapshot', v, state: { ...snapshot(), you: { participant: ADA, table: T1, mine: [] } } });
const evPosted = (v: number, id: string) => ({ t: 'ev', v, at: 1, type: 'note.posted', data: { note: note(id, T1, ADA) } });

/** Opens the current fake socket and plays welcome + snapshot(v) + synced. */
function connect(v = 10) {
  const ws = FakeWebSocket.last();
  ws.open();
  ws.push(welcome, snap(v), { t: 'synced', v });
  return ws;
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeWebSocket.reset();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('hello and resume', () => {
  it('first hello has no `since`', () => {
    start();
    FakeWebSocket.last().open();
    expect(FakeWebSocket.last().messages()[0]).toEqual({ t: 'hello', proto: 1, workshop: W, token: TOKEN });
  });

  it('after a drop, hello carries the version of the last event applied', async () => {
    const live = start();
    const ws = connect(10);
    ws.push(evPosted(11, 'a'), evPosted(14, 'b'));
    expect(live.model.v).toBe(14);
    ws.serverClose(1006);
    await vi.advanceTimersByTimeAsync(RECONNECT_BASE_DELAY_MS);
    const ws2 = FakeWebSocket.last();
    expect(ws2).not.toBe(ws);
    ws2.open();
    expect(ws2.messages()[0]).toMatchObject({ t: 'hello', since: 14 });
  });

  it('missed events are applied on resume; duplicates and older ones are ignored', async () => {
    const live = start();
    const ws = connect(10);
    ws.push(evPosted(11, 'a'));
    ws.serverClose(1006);
    await vi.advanceTimersByTimeAsync(RECONNECT_BASE_DELAY_MS);
    const ws2 = FakeWebSocket.last();
    ws2.open();
    ws2.push(welcome, evPosted(11, 'a'), evPosted(9, 'old'), evPosted(12, 'b'), { t: 'synced', v: 12 });
    expect(Object.keys(live.model.notes).sort()).toEqual(['a', 'b', 'n1']);
    expect(live.model.v).toBe(12);
    expect(live.status).toBe('online');
  });

  it('a snapshot on resume replaces the state', async () => {
    const live = start();
    const ws = connect(10);
    ws.push(evPosted(11, 'a'));
    ws.serverClose(4008);
    await vi.advanceTimersByTimeAsync(RECONNECT_BASE_DELAY_MS);
    const ws2 = FakeWebSocket.last();
    ws2.open();
    ws2.push(welcome, { t: 'snapshot', v: 50, state: { ...snapshot({ notes: [] }), you: { participant: ADA, table: T1, mine: [] } } }, { t: 'synced', v: 50 });
    expect(live.model.notes).toEqual({});
    expect(live.model.v).toBe(50);
  });

  it('a reload resumes from the cached state', () => {
    const storage = new MemoryStorage();
    const live = start(storage, true);
    const ws = connect(10);
    ws.push(evPosted(11, 'a'));
    live.stop();
    const again = start(storage, true);
    expect(again.ready).toBe(true);
    expect(again.model.notes.a).toBeDefined();
    FakeWebSocket.last().open();
    expect(FakeWebSocket.last().messages()[0]).toMatchObject({ t: 'hello', since: 11 });
  });

  it('handles a batched frame in order', () => {
    const live = start();
    const ws = FakeWebSocket.last();
    ws.open();
    ws.push(welcome, snap(10), evPosted(11, 'a'), { t: 'synced', v: 11 });
    expect(live.model.v).toBe(11);
    expect(live.status).toBe('online');
  });

  it('keeps the headcount across snapshots, each message updating the tables it names', () => {
    const live = start();
    const ws = FakeWebSocket.last();
    ws.open();
    ws.push(welcome, snap(10), { t: 'synced', v: 10 }, { t: 'headcount', tables: { [T1]: 2, [T2]: 0 } });
    ws.push({ t: 'headcount', tables: { [T2]: 5 } }, snap(12));
    expect(live.model.headcount).toEqual({ [T1]: 2, [T2]: 5 });
  });

  it('a malformed message ends the connection and resumes from the last good version', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const live = start();
    const ws = connect(10);
    ws.push(evPosted(11, 'a'), { t: 'ev', v: 12, at: 1, type: 'note.posted', data: { note: { id: 5 } } });
    expect(live.model.v).toBe(11);
    expect(ws.closedByClient).toBe(true);
    await vi.advanceTimersByTimeAsync(RECONNECT_BASE_DELAY_MS);
    FakeWebSocket.last().open();
    expect(FakeWebSocket.last().messages()[0]).toMatchObject({ since: 11 });
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });
});

describe('outbox through the socket', () => {
  it('queues while offline, then sends in order after synced, one at a time', () => {
    const live = start();
    live.send(command('note.post', { note: 'a', text: 'un', colour: 'yellow', anonymous: false }));
    live.send(command('note.post', { note: 'b', text: 'deux', colour: 'yellow', anonymous: false }));
    expect(live.pending.length).toBe(2);
    const ws = FakeWebSocket.last();
    ws.open();
    ws.push(welcome, snap(10));
    expect(ws.commands()).toEqual([]); // not before synced
    ws.push({ t: 'synced', v: 10 });
    const [first] = ws.commands();
    expect(first).toMatchObject({ t: 'cmd', type: 'note.post', data: { note: 'a' } });
    expect(ws.commands().length).toBe(1);
    ws.push(evPosted(11, 'a'), { t: 'ack', id: first.id, v: 11 });
    expect(ws.commands().length).toBe(2);
    expect(ws.commands()[1]).toMatchObject({ data: { note: 'b' } });
    ws.push({ t: 'ack', id: ws.commands()[1].id, v: 12 });
    expect(live.pending).toEqual([]);
  });

  it('resends an unacknowledged command with the same id after a reconnect', async () => {
    const live = start();
    const ws = connect();
    live.send(command('note.post', { note: 'a', text: 'un', colour: 'yellow', anonymous: false }));
    const id = ws.commands()[0].id;
    ws.serverClose(1006);
    await vi.advanceTimersByTimeAsync(RECONNECT_BASE_DELAY_MS);
    const ws2 = connect();
    expect(ws2.commands().map((c) => c.id)).toEqual([id]);
    ws2.push({ t: 'ack', id, v: 11 });
    expect(live.pending).toEqual([]);
  });

  it('resends the outbox of a reloaded page, same ids, same order', () => {
    const storage = new MemoryStorage();
    const first = start(storage);
    first.send(command('note.post', { note: 'a', text: 'un', colour: 'yellow', anonymous: false }));
    first.send(command('vote.toggle', { note: 'n1' }));
    const ids = first.pending.map((c) => c.id);
    first.stop();
    expect(storage.getItem(outboxKey(W, TOKEN))).not.toBeNull();

    const reloaded = start(storage);
    const ws = connect();
    expect(ws.commands().map((c) => c.id)).toEqual([ids[0]]);
    ws.push({ t: 'ack', id: ids[0], v: 11 });
    expect(ws.commands().map((c) => c.id)).toEqual(ids);
    ws.push({ t: 'ack', id: ids[1], v: 12 });
    expect(reloaded.pending).toEqual([]);
  });

  it('retries `unavailable` later with the same id; shows a final error', async () => {
    const live = start();
    const ws = connect();
    live.send(command('note.post', { note: 'a', text: 'un', colour: 'yellow', anonymous: false }));
    live.send(command('note.post', { note: 'b', text: 'deux', colour: 'yellow', anonymous: false }));
    const id = ws.commands()[0].id;
    ws.push({ t: 'error', id, code: 'unavailable', message: 'nats down' });
    expect(ws.commands().length).toBe(1);
    await vi.advanceTimersByTimeAsync(RECONNECT_BASE_DELAY_MS);
    expect(ws.commands().map((c) => c.id)).toEqual([id, id]);
    ws.push({ t: 'error', id, code: 'rate_limited', message: 'slow', retryAfterMs: 3000 });
    await vi.advanceTimersByTimeAsync(2999);
    expect(ws.commands().length).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(ws.commands().map((c) => c.id)).toEqual([id, id, id]);
    ws.push({ t: 'error', id, code: 'forbidden', message: 'not your table' });
    expect(live.failed).toMatchObject([{ id, code: 'forbidden', type: 'note.post' }]);
    expect(live.pending.map((c) => (c.data as { note: string }).note)).toEqual(['b']);
    expect(ws.commands().at(-1)).toMatchObject({ data: { note: 'b' } });
  });

  it('marks a posted note as mine at once (anonymous notes carry no author)', () => {
    const live = start();
    connect();
    live.send(command('note.post', { note: 'anon', text: 'x', colour: 'yellow', anonymous: true }));
    expect(live.model.mine).toContain('anon');
  });
});

describe('keepalive and goodbye', () => {
  it('settles the clock with a burst of pings on connect, then pings every 20 s; reconnects when no pong comes within 10 s', async () => {
    start();
    const ws = connect();
    // The burst: CLOCK_BURST pings CLOCK_BURST_GAP_MS apart, each answered.
    for (let i = 1; i <= CLOCK_BURST; i++) {
      await vi.advanceTimersByTimeAsync(i === 1 ? 0 : CLOCK_BURST_GAP_MS);
      expect(ws.messages().at(-1)).toEqual({ t: 'ping', n: i });
      ws.push({ t: 'pong', n: i, serverTime: 5 });
    }
    const sent = ws.messages().length;
    await vi.advanceTimersByTimeAsync(PING_INTERVAL_MS - (CLOCK_BURST - 1) * CLOCK_BURST_GAP_MS - 1);
    expect(ws.messages().length).toBe(sent);
    await vi.advanceTimersByTimeAsync(1);
    expect(ws.messages().at(-1)).toEqual({ t: 'ping', n: CLOCK_BURST + 1 });
    ws.push({ t: 'pong', n: CLOCK_BURST + 1, serverTime: 5 });
    await vi.advanceTimersByTimeAsync(PING_INTERVAL_MS);
    expect(ws.messages().at(-1)).toEqual({ t: 'ping', n: CLOCK_BURST + 2 });
    await vi.advanceTimersByTimeAsync(PONG_TIMEOUT_MS);
    expect(ws.closedByClient).toBe(true);
    await vi.advanceTimersByTimeAsync(RECONNECT_BASE_DELAY_MS);
    expect(FakeWebSocket.all.length).toBe(2);
  });

  it('estimates the server clock from welcome and pongs, keeping the fastest round trip', async () => {
    // This device is 3 minutes behind the server; the network takes 40 ms each way.
    const skew = 180_000;
    const live = start();
    const ws = FakeWebSocket.last();
    ws.open(); // hello leaves now; the server stamps its welcome as it arrives here, 40 ms later
    await vi.advanceTimersByTimeAsync(40);
    ws.push({ ...welcome, serverTime: Date.now() + skew }, snap(10), { t: 'synced', v: 10 });
    expect(Math.abs(live.clockOffset - skew)).toBeLessThanOrEqual(20); // half the round trip
    // The first ping of the burst, answered in 10 ms each way, wins over the slower hello.
    await vi.advanceTimersByTimeAsync(0);
    expect(ws.messages().at(-1)).toMatchObject({ t: 'ping', n: 1 });
    await vi.advanceTimersByTimeAsync(10);
    const serverTime = Date.now() + skew;
    await vi.advanceTimersByTimeAsync(10);
    ws.push({ t: 'pong', n: 1, serverTime });
    expect(live.clockOffset).toBe(skew);
    expect(Math.abs(live.serverNow() - (Date.now() + skew))).toBeLessThanOrEqual(1);
  });

  it('gives up on a socket that never says welcome', async () => {
    const live = start();
    FakeWebSocket.last().open();
    await vi.advanceTimersByTimeAsync(HELLO_TIMEOUT_MS);
    expect(live.status).toBe('reconnecting');
  });

  it('reconnects after bye shutdown + 1001', async () => {
    const live = start();
    const ws = connect();
    ws.push({ t: 'bye', reason: 'shutdown' });
    ws.serverClose(1001);
    expect(live.status).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(2000);
    expect(FakeWebSocket.all.length).toBe(2);
  });

  it('stops for good after bye removed + 4003', async () => {
    const live = start();
    const ws = connect();
    ws.push({ t: 'bye', reason: 'removed' });
    ws.serverClose(4003);
    expect(live.status).toBe('removed');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeWebSocket.all.length).toBe(1);
  });

  it('stops for good after 4001 (bad token) and 4000 (protocol version)', async () => {
    const a = start();
    FakeWebSocket.last().open();
    FakeWebSocket.last().serverClose(4001);
    expect(a.status).toBe('unauthorized');
    const b = start();
    FakeWebSocket.last().open();
    FakeWebSocket.last().serverClose(4000);
    expect(b.status).toBe('outdated');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeWebSocket.all.length).toBe(2);
  });

  it('backs off more after each failed attempt', async () => {
    start();
    FakeWebSocket.last().serverClose(1006);
    await vi.advanceTimersByTimeAsync(RECONNECT_BASE_DELAY_MS);
    expect(FakeWebSocket.all.length).toBe(2);
    FakeWebSocket.last().serverClose(1006);
    await vi.advanceTimersByTimeAsync(RECONNECT_BASE_DELAY_MS);
    expect(FakeWebSocket.all.length).toBe(2);
    await vi.advanceTimersByTimeAsync(RECONNECT_BASE_DELAY_MS);
    expect(FakeWebSocket.all.length).toBe(3);
  });
});

describe('seating on a phone', () => {
  it('learns that seating is planned from plan.made in its public form, without asking for the state', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    const live = start();
    const ws = connect(10);
    expect(live.model.seating).toBe('free');
    ws.push({ t: 'ev', v: 11, at: 1, type: 'plan.made', data: { seating: 'planned', from: 1 } });
    expect(live.model.seating).toBe('planned');
    expect(live.model.itineraries).toBeNull(); // phones never get everyone's itinerary
    ws.push({
      t: 'ev',
      v: 12,
      at: 1,
      type: 'round.started',
      data: { clock: { round: 1, status: 'running', startedAt: 1, endsAt: 1_200_001, remaining: 0 } },
    });
    await vi.advanceTimersByTimeAsync(5000);
    expect(live.model.seating).toBe('planned');
    expect(fetch).not.toHaveBeenCalled();
    vi.unstubAllGlobals();
  });
});
