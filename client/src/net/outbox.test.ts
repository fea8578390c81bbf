import { describe, expect, it } from 'vitest';
import { command } from './encode';
import { Outbox } from './outbox';
import { MemoryStorage } from '../testing/fakes';

function ids() {
  let n = 0;
  return () => `cmd-${++n}`;
}

const post = (text: string) => command('note.post', { note: `note-${text}`, text, colour: 'yellow', anonymous: false });

describe('Outbox', () => {
  it('persists every command as soon as it is added', () => {
    const s = new MemoryStorage();
    const box = new Outbox(s, 'k', () => 1, ids());
    box.add(post('a'));
    const stored = JSON.parse(s.getItem('k')!);
    expect(stored.pending).toEqual([
      { id: 'cmd-1', type: 'note.post', data: { note: 'note-a', text: 'a', colour: 'yellow', anonymous: false }, createdAt: 1 },
    ]);
  });

  it('survives a reload: same commands, same ids, same order', () => {
    const s = new MemoryStorage();
    const box = new Outbox(s, 'k', Date.now, ids());
    box.add(post('a'));
    box.add(post('b'));
    box.add(post('c'));
    const again = new Outbox(s, 'k');
    expect(again.list().map((c) => c.id)).toEqual(['cmd-1', 'cmd-2', 'cmd-3']);
    expect(again.list().map((c) => (c.data as { text: string }).text)).toEqual(['a', 'b', 'c']);
  });

  it('sends one at a time, in order; ack removes and lets the next go', () => {
    const box = new Outbox(new MemoryStorage(), 'k', Date.now, ids());
    box.add(post('a'));
    box.add(post('b'));
    expect(box.next()?.id).toBe('cmd-1');
    expect(box.next()).toBeNull();
    expect(box.ack('cmd-1')).toBe(true);
    expect(box.next()?.id).toBe('cmd-2');
    box.ack('cmd-2');
    expect(box.next()).toBeNull();
    expect(box.size()).toBe(0);
  });

  it('after a lost connection the same command is sent again with the same id', () => {
    const box = new Outbox(new MemoryStorage(), 'k', Date.now, ids());
    box.add(post('a'));
    expect(box.next()?.id).toBe('cmd-1');
    box.reset();
    expect(box.next()?.id).toBe('cmd-1');
  });

  it('removes the storage entry when everything is acknowledged', () => {
    const s = new MemoryStorage();
    const box = new Outbox(s, 'k', Date.now, ids());
    box.add(post('a'));
    box.next();
    box.ack('cmd-1');
    expect(s.getItem('k')).toBeNull();
  });

  it('keeps a command after `unavailable` and `rate_limited` (nothing was stored: retry, same id)', () => {
    const box = new Outbox(new MemoryStorage(), 'k', Date.now, ids());
    box.add(post('a'));
    box.next();
    expect(box.reject('cmd-1', 'unavailable', 'storage down')).toBe('retry');
    expect(box.next()?.id).toBe('cmd-1');
    expect(box.reject('cmd-1', 'rate_limited', 'slow down')).toBe('retry');
    expect(box.list().map((c) => c.id)).toEqual(['cmd-1']);
  });

  it('moves a command to the failures on a final error, persisted until dismissed', () => {
    const s = new MemoryStorage();
    const box = new Outbox(s, 'k', Date.now, ids());
    box.add(post('a'));
    box.add(post('b'));
    box.next();
    expect(box.reject('cmd-1', 'too_long', 'text over 500')).toBe('final');
    expect(box.list().map((c) => c.id)).toEqual(['cmd-2']);
    expect(box.next()?.id).toBe('cmd-2');
    const again = new Outbox(s, 'k');
    expect(again.failures()).toMatchObject([{ id: 'cmd-1', code: 'too_long', message: 'text over 500' }]);
    again.dismissFailure('cmd-1');
    expect(new Outbox(s, 'k').failures()).toEqual([]);
  });

  it('ignores answers to commands it does not have', () => {
    const box = new Outbox(new MemoryStorage(), 'k', Date.now, ids());
    expect(box.ack('nope')).toBe(false);
    expect(box.reject('nope', 'forbidden', '')).toBe('unknown');
  });

  it('drops a corrupt storage entry instead of failing', () => {
    const s = new MemoryStorage();
    s.setItem('k', '{not json');
    expect(new Outbox(s, 'k').list()).toEqual([]);
  });

  it('tells its listeners about every change', () => {
    const box = new Outbox(new MemoryStorage(), 'k', Date.now, ids());
    let calls = 0;
    box.subscribe(() => calls++);
    box.add(post('a'));
    box.next();
    box.ack('cmd-1');
    expect(calls).toBe(2);
  });
});
