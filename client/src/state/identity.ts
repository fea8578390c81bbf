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

export function loadIdentity(workshop: string, s: KeyValueStore = storage()): ParticipantIdentity | null {
  const id = read<ParticipantIdentity>(s, participantKey(workshop));
  return id && id.token && id.participant ? id : null;
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

/** The secret in a console or board link: `#k=…` (never in the path or query, PROTOCOL.md §1). */
export function keyFromHash(hash: string): string | null {
  const m = /(?:^#|&)k=([A-Za-z0-9_-]+)/.exec(hash);
  return m ? m[1] : null;
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
