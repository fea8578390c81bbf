// Close 4004 (PROTOCOL.md §2 "Goodbye"): the workshop was deleted. The socket stops for good
// instead of knocking on the server's door forever.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWebSocket } from '../testing/fakes';
import { CLOSE_NO_WORKSHOP, Socket, isFinalStatus, type ConnectionStatus } from './socket';

beforeEach(() => {
  vi.useFakeTimers();
  FakeWebSocket.reset();
});
afterEach(() => vi.useRealTimers());

describe('a deleted workshop', () => {
  it('is final: status "gone", no reconnection', () => {
    const statuses: ConnectionStatus[] = [];
    const s = new Socket({
      url: 'ws://test/ws',
      workshop: 'w1',
      token: 'x'.repeat(43),
      since: () => 0,
      onMessage: () => {},
      onStatus: (st) => statuses.push(st),
      WebSocket: FakeWebSocket as unknown as typeof WebSocket,
      window: null,
      random: () => 0,
    });
    s.start();
    const ws = FakeWebSocket.last();
    ws.open();
    ws.push({ t: 'welcome', proto: 1, role: 'participant', participant: 'p1', serverTime: 1 }, { t: 'synced', v: 3 });
    ws.serverClose(CLOSE_NO_WORKSHOP);
    expect(statuses.at(-1)).toBe('gone');
    expect(isFinalStatus('gone')).toBe(true);
    vi.advanceTimersByTime(10 * 60_000);
    expect(FakeWebSocket.all).toHaveLength(1);
    s.reconnectNow();
    expect(FakeWebSocket.all).toHaveLength(1);
    s.stop();
  });
});
