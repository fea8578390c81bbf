// What this browser remembers between visits: the participant identity for each workshop
// joined (its token is the only proof of who it is), and the workshops created here.
import type { KeyValueStore } from '../net/outbox';

export interface ParticipantIdentity {
  workshop: string;
  participant: string;
  token: string;
  code: string;
  name: string;
}

export interface HostedWorkshop {
  id: string;
  title: string;
  code: string;
  console: string;
  board: string;
  createdAt: number;
}

const participantKey = (workshop: string) => `nappe.participant.${workshop}`;
const HOSTED_KEY = 'nappe.hosted';

function read<T>(s: KeyValueStore, key: string): T | null {
  try {
    const raw = s.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

function storage(): KeyValueStore {
  return localStorage;
}

/**
 * The identity this browser holds for a workshop. One adopted from a personal link has only its
 * token until the server says who it is (participant, name and code are then empty).
 */
export function loadIdentity(workshop: string, s: KeyValueStore = storage()): ParticipantIdentity | null {
  const id = read<ParticipantIdentity>(s, participantKey(workshop));
  return id && typeof id.token === 'string' && id.token && typeof id.participant === 'string' ? id : null;
}

export function saveIdentity(id: ParticipantIdentity, s: KeyValueStore = storage()): void {
  s.setItem(participantKey(id.workshop), JSON.stringify(id));
}

/** After close 4001 (bad token) or a removal: the token is worthless, forget it. */
export function forgetIdentity(workshop: string, s: KeyValueStore = storage()): void {
  s.removeItem(participantKey(workshop));
}

export function loadHosted(s: KeyValueStore = storage()): HostedWorkshop[] {
  const l = read<HostedWorkshop[]>(s, HOSTED_KEY);
  return Array.isArray(l) ? l : [];
}

export function rememberHosted(w: HostedWorkshop, s: KeyValueStore = storage()): void {
  const l = loadHosted(s).filter((x) => x.id !== w.id);
  l.unshift(w);
  s.setItem(HOSTED_KEY, JSON.stringify(l.slice(0, 20)));
}

export function forgetHosted(id: string, s: KeyValueStore = storage()): void {
  s.setItem(HOSTED_KEY, JSON.stringify(loadHosted(s).filter((x) => x.id !== id)));
}

/** One `name=value` of a URL fragment (`#a=1&b=2`), or null. */
function fromHash(hash: string, name: string, value: RegExp): string | null {
  for (const part of hash.replace(/^#/, '').split('&')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq) !== name) continue;
    let v: string;
    try {
      v = decodeURIComponent(part.slice(eq + 1));
    } catch {
      return null;
    }
    return value.test(v) ? v : null;
  }
  return null;
}

const SECRET = /^[A-Za-z0-9_-]{16,128}$/;

/** The secret in a console or board link: `#k=…` (never in the path or query, PROTOCOL.md §1). */
export function keyFromHash(hash: string): string | null {
  const m = /(?:^#|&)k=([A-Za-z0-9_-]+)/.exec(hash);
  return m ? m[1] : null;
}

/** The participant token of a personal link: `/p/{workshop}#t=…`. */
export function tokenFromHash(hash: string): string | null {
  return fromHash(hash, 't', SECRET);
}

/** The table a table card joins at: `/j/{code}#table={table id}`. */
export function tableFromHash(hash: string): string | null {
  return fromHash(hash, 'table', /^[0-9a-fA-F-]{8,64}$/)?.toLowerCase() ?? null;
}

/**
 * A personal link was opened: this browser is now that participant. The token is stored at once
 * (the phone connects with it straight away); who it is comes from the server a moment later
 * (`confirmIdentity`). Opening the same link again keeps what is already known.
 */
export function adoptToken(workshop: string, token: string, s: KeyValueStore = storage()): ParticipantIdentity {
  const had = loadIdentity(workshop, s);
  if (had && had.token === token) return had;
  const id: ParticipantIdentity = { workshop, participant: '', token, code: '', name: '' };
  saveIdentity(id, s);
  return id;
}

/** Completes an adopted identity with what the server says, unless another one replaced it meanwhile. */
export function confirmIdentity(
  workshop: string,
  token: string,
  who: { participant: string; code: string; name: string },
  s: KeyValueStore = storage(),
): boolean {
  const had = loadIdentity(workshop, s);
  if (!had || had.token !== token) return false;
  saveIdentity({ ...had, ...who }, s);
  return true;
}

/** Storage that can list its keys (localStorage does). */
export interface ListableStore extends KeyValueStore {
  readonly length: number;
  key(index: number): string | null;
}

/**
 * After the workshop was deleted: forget everything this browser kept about it (identity,
 * cached state, pending commands, the console's entry on the landing page).
 */
export function forgetWorkshop(workshop: string, s: ListableStore = localStorage): void {
  const doomed: string[] = [];
  for (let i = 0; i < s.length; i++) {
    const k = s.key(i);
    if (k && k.startsWith('nappe.') && (k.endsWith(`.${workshop}`) || k.includes(`.${workshop}.`))) doomed.push(k);
  }
  for (const k of doomed) s.removeItem(k);
  forgetHosted(workshop, s);
}

const FLASH_KEY = 'nappe.flash';

/** A message for the next page (the landing page says that a workshop was deleted). */
export function setFlash(message: string, s: KeyValueStore | null = typeof sessionStorage === 'undefined' ? null : sessionStorage): void {
  try {
    s?.setItem(FLASH_KEY, message);
  } catch {
    // private mode: no message, nothing worse
  }
}

/** Takes the message left for this page, once. */
export function takeFlash(s: KeyValueStore | null = typeof sessionStorage === 'undefined' ? null : sessionStorage): string | null {
  try {
    const m = s?.getItem(FLASH_KEY) ?? null;
    if (m !== null) s?.removeItem(FLASH_KEY);
    return m;
  } catch {
    return null;
  }
}

const arrivalKey = (workshop: string) => `nappe.arrived.${workshop}`;

/** Where this phone last said "I'm here" (round and table), so a reload does not ask again. */
export function loadArrival(workshop: string, s: KeyValueStore = storage()): { round: number; table: string | null } | null {
  const a = read<{ round: number; table: string | null }>(s, arrivalKey(workshop));
  return a && typeof a.round === 'number' ? a : null;
}

export function saveArrival(workshop: string, a: { round: number; table: string | null }, s: KeyValueStore = storage()): void {
  try {
    s.setItem(arrivalKey(workshop), JSON.stringify(a));
  } catch {
    // private mode: the prompt may come back after a reload, nothing worse
  }
}
