// What a phone keeps of its synthesis edits until the server has them: for each doc, the text
// and version it last had confirmed, the changes made on top (CodeMirror's unconfirmed updates,
// in their JSON form, in order) and the push that was on its way. One localStorage entry per
// workshop and identity, like the note outbox, so a reload or a killed tab loses nothing and
// the page can tell at start whether there is something to send without loading CodeMirror.
import type { ChangeSetJSON } from '../net/protocol';
import type { KeyValueStore } from '../net/outbox';

export interface StoredDoc {
  /** The editor's collab client id: its own updates are recognised by it when they come back. */
  clientID: string;
  /** The version and text the server had confirmed. */
  version: number;
  base: string;
  /** The updates made on top of base, each on the text the previous ones left. */
  updates: ChangeSetJSON[];
  /** The push sent and not answered: its command id and how many of `updates` it carried. */
  inflight: { id: string; count: number } | null;
}

export type Stored = Record<string, StoredDoc>;

export function synthesisKey(workshop: string, who: string): string {
  return `nappe.synthesis.${workshop}.${who}`;
}

export function loadStored(storage: KeyValueStore, key: string): Stored {
  try {
    const raw = storage.getItem(key);
    if (!raw) return {};
    const s = JSON.parse(raw) as unknown;
    return s && typeof s === 'object' && !Array.isArray(s) ? (s as Stored) : {};
  } catch {
    return {}; // a damaged entry must not block the app
  }
}

/** Writes one doc's entry (null: nothing left to send, forget it). */
export function saveStored(storage: KeyValueStore, key: string, doc: string, value: StoredDoc | null): void {
  const all = loadStored(storage, key);
  if (value) all[doc] = value;
  else delete all[doc];
  try {
    if (Object.keys(all).length === 0) storage.removeItem(key);
    else storage.setItem(key, JSON.stringify(all));
  } catch {
    // storage full or unavailable: the edits still reach the server while the page is open
  }
}

/** The docs with edits the server may not have. */
export function pendingDocs(storage: KeyValueStore, key: string): string[] {
  return Object.entries(loadStored(storage, key))
    .filter(([, d]) => d.updates.length > 0 || d.inflight !== null)
    .map(([doc]) => doc);
}
