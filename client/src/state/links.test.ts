// Personal links and table cards (PROTOCOL.md §1, browser routes), and forgetting a deleted
// workshop: what the browser keeps, tested on an in-memory storage.
import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../testing/fakes';
import {
  adoptToken,
  confirmIdentity,
  forgetWorkshop,
  keyFromHash,
  loadHosted,
  loadIdentity,
  rememberHosted,
  saveIdentity,
  setFlash,
  takeFlash,
  tableFromHash,
  tokenFromHash,
  type ListableStore,
} from './identity';

const W = '6937a2a9-0000-4000-8000-000000000001';
const TOKEN = '63YJVn0S6y196mf6HdiEuo-VbA5c6wjucex5kuanw5c';
const TABLE = '0b7d3c2a-0000-4000-8000-0000000000a1';

class ListedStorage extends MemoryStorage implements ListableStore {
  get length(): number {
    return this.data.size;
  }
  key(i: number): string | null {
    return [...this.data.keys()][i] ?? null;
  }
}

describe('URL fragments', () => {
  it('reads the token of a personal link', () => {
    expect(tokenFromHash(`#t=${TOKEN}`)).toBe(TOKEN);
    expect(tokenFromHash(`#x=1&t=${TOKEN}`)).toBe(TOKEN);
    expect(tokenFromHash(`t=${TOKEN}`)).toBe(TOKEN);
  });

  it('refuses what is not a token', () => {
    expect(tokenFromHash('')).toBeNull();
    expect(tokenFromHash('#t=')).toBeNull();
    expect(tokenFromHash('#t=short')).toBeNull();
    expect(tokenFromHash('#t=<script>alert(1)</script>xxxxxxxxxxxx')).toBeNull();
    expect(tokenFromHash(`#table=${TABLE}`)).toBeNull();
    expect(tokenFromHash(`#k=${TOKEN}`)).toBeNull();
    expect(tokenFromHash('#t=%E0%A4%A')).toBeNull(); // broken escape
  });

  it('reads the table of a table card', () => {
    expect(tableFromHash(`#table=${TABLE}`)).toBe(TABLE);
    expect(tableFromHash(`#table=${TABLE.toUpperCase()}`)).toBe(TABLE);
    expect(tableFromHash(`#t=${TOKEN}&table=${TABLE}`)).toBe(TABLE);
    expect(tableFromHash(`#t=${TOKEN}`)).toBeNull();
    expect(tableFromHash('#table=javascript:alert(1)')).toBeNull();
    expect(tableFromHash('')).toBeNull();
  });

  it('keeps reading console and board keys as before', () => {
    expect(keyFromHash(`#k=${TOKEN}`)).toBe(TOKEN);
    expect(keyFromHash(`#t=${TOKEN}`)).toBeNull();
  });
});

describe('a personal link opened', () => {
  it('stores the token at once, then who it is', () => {
    const s = new MemoryStorage();
    adoptToken(W, TOKEN, s);
    expect(loadIdentity(W, s)).toEqual({ workshop: W, participant: '', token: TOKEN, code: '', name: '' });
    expect(confirmIdentity(W, TOKEN, { participant: 'p1', code: 'K7QX4M', name: 'Hélène Dupré' }, s)).toBe(true);
    expect(loadIdentity(W, s)).toEqual({ workshop: W, participant: 'p1', token: TOKEN, code: 'K7QX4M', name: 'Hélène Dupré' });
  });

  it('opened again, keeps what is known', () => {
    const s = new MemoryStorage();
    saveIdentity({ workshop: W, participant: 'p1', token: TOKEN, code: 'K7QX4M', name: 'Hélène' }, s);
    adoptToken(W, TOKEN, s);
    expect(loadIdentity(W, s)?.name).toBe('Hélène');
  });

  it('replaces another identity on this device, and a late answer about the old one changes nothing', () => {
    const s = new MemoryStorage();
    saveIdentity({ workshop: W, participant: 'p0', token: 'o'.repeat(43), code: 'K7QX4M', name: 'Ada' }, s);
    adoptToken(W, TOKEN, s);
    expect(loadIdentity(W, s)?.token).toBe(TOKEN);
    expect(confirmIdentity(W, 'o'.repeat(43), { participant: 'p0', code: 'K7QX4M', name: 'Ada' }, s)).toBe(false);
    expect(loadIdentity(W, s)?.participant).toBe('');
  });

  it('ignores a damaged entry', () => {
    const s = new MemoryStorage();
    s.setItem(`nappe.participant.${W}`, '{"workshop":"x","token":""}');
    expect(loadIdentity(W, s)).toBeNull();
    s.setItem(`nappe.participant.${W}`, 'not json');
    expect(loadIdentity(W, s)).toBeNull();
  });
});

describe('a deleted workshop', () => {
  it('is forgotten on this device, and only that one', () => {
    const s = new ListedStorage();
    const other = '6937a2a9-0000-4000-8000-000000000002';
    for (const w of [W, other]) {
      saveIdentity({ workshop: w, participant: 'p', token: TOKEN, code: 'C', name: 'N' }, s);
      s.setItem(`nappe.state.${w}.phone`, '{}');
      s.setItem(`nappe.outbox.${w}.abc123`, '[]');
      s.setItem(`nappe.arrived.${w}`, '{}');
      rememberHosted({ id: w, title: w, code: 'C', console: '/c', board: '/b', createdAt: 1 }, s);
    }
    s.setItem('nappe.lang', 'fr');
    forgetWorkshop(W, s);
    expect([...s.data.keys()].filter((k) => k.includes(W))).toEqual([]);
    expect(loadIdentity(other, s)).not.toBeNull();
    expect(s.getItem(`nappe.outbox.${other}.abc123`)).toBe('[]');
    expect(loadHosted(s).map((h) => h.id)).toEqual([other]);
    expect(s.getItem('nappe.lang')).toBe('fr');
  });

  it('leaves a word for the next page, said once', () => {
    const s = new MemoryStorage();
    setFlash('deleted', s);
    expect(takeFlash(s)).toBe('deleted');
    expect(takeFlash(s)).toBeNull();
  });
});
