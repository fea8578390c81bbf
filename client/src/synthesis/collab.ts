// Writing a synthesis together (PROTOCOL.md §3 "Syntheses"), with @codemirror/collab as designed:
// the server is the authority; an editor pushes the updates it made on the version it has, and
// applies every synthesis.changed (its own included, recognised by clientID) with receiveUpdates.
// Loaded only when someone edits (it brings @codemirror/state and @codemirror/collab).
//
//   typing ──► EditorState (instant, local) ──► unconfirmed updates ──► one push in flight
//   synthesis.changed ──► receiveUpdates: own updates confirmed, others' applied, ours rebased
//
// One push at a time, at least PUSH_GAP_MS apart: what is typed meanwhile goes in the next one,
// so a fast typist makes a few commands a second, well under the server's rate limit. `stale`:
// someone else's change got there first; wait for it to arrive (it is on its way), then push
// again with a new command id. `rate_limited` / `unavailable`: send the same push again later.
//
// Coming back after a long absence, the server may send a snapshot instead of the events missed.
// The editor then rebases its unconfirmed changes onto the snapshot's text: it diffs the text it
// last had confirmed against the snapshot's (a line diff narrowed to characters, diff.ts) and
// hands that diff to receiveUpdates as if it were the updates missed (padded with empty updates
// up to the snapshot's version). The library maps the local changes over it exactly as it does
// over anyone's change: edits made offline for a minute are merged, not lost. If a push was on
// its way when the connection dropped, whether the server applied it is unknown until it is sent
// again with the same id (the server answers a repeated id with its first answer): an ack means
// it is in the snapshot (it is then confirmed as our own update before rebasing), `stale` means it
// is not. Unconfirmed changes are kept in localStorage (store.ts) and replayed after a reload.
import { collab, getSyncedVersion, receiveUpdates, sendableUpdates, type Update } from '@codemirror/collab';
import { ChangeSet, Compartment, EditorState, Text, Transaction, type Extension, type TransactionSpec } from '@codemirror/state';
import { command } from '../net/encode';
import { uuid } from '../net/ids';
import type { KeyValueStore } from '../net/outbox';
import { SYNTHESIS_MAX, type Command, type ServerMessage, type SynthesisUpdate } from '../net/protocol';
import type { ConnectionStatus } from '../net/socket';
import type { LiveListener } from '../state/live.svelte';
import { emptySynthesis, type WorkshopModel } from '../state/workshop';
import { hunks } from './diff';
import { loadStored, saveStored, synthesisKey, type StoredDoc } from './store';
import { bulletsToAppend } from './text';

/** Pushes leave at least this far apart (the server allows about 5 commands a second). */
export const PUSH_GAP_MS = 250;
/** After `stale`, push again once the missing change arrived, or after this long anyway. */
export const STALE_RETRY_MS = 2_000;
/** `unavailable` with no hint: try again after this. */
export const UNAVAILABLE_RETRY_MS = 1_000;
/** Unconfirmed changes are written to storage at most this often (and when the page hides). */
export const SAVE_DELAY_MS = 200;
/** The server takes 1–100 updates per push, in a frame of at most 64 KiB. */
export const MAX_PUSH_UPDATES = 100;
export const MAX_PUSH_BYTES = 60_000;
/** What arrives is held this long after Enter or Backspace (see DocSession.holdRemote). */
export const KEY_HOLD_MS = 120;
/** The clientID of the diff that carries an editor over a snapshot: never an editor's. */
const RESYNC_CLIENT = 'nappe-resync';

/** What the sync needs of a live workshop (LiveWorkshop has all of it). */
export interface SyncHost {
  readonly model: WorkshopModel;
  readonly status: ConnectionStatus;
  readonly identity: { workshop: string; who: string; storage: KeyValueStore };
  sendDirect(id: string, c: Command): boolean;
  listen(l: LiveListener): () => void;
}

/** The parts of an EditorView a session drives. */
export interface EditorViewLike {
  readonly state: EditorState;
  dispatch(tr: Transaction): void;
  setState(s: EditorState): void;
}

interface InFlight {
  id: string;
  /** The version the updates were made on. */
  version: number;
  updates: SynthesisUpdate[];
  /** Sent on the current connection (false: send again, same id, once synced). */
  sent: boolean;
  /** Sent on some connection: the server may have it. */
  everSent: boolean;
}

export interface SessionInfo {
  /** Local changes the server has not confirmed yet. */
  unsaved: number;
  /** A push is on its way. */
  sending: boolean;
  /** The code of the last final error (changes were dropped), until the next confirmed push. */
  error: string | null;
}

/** Rejects local changes that would make the text longer than the server allows. */
const lengthLimit = EditorState.transactionFilter.of((tr) =>
  tr.docChanged && !tr.annotation(Transaction.remote) && tr.newDoc.length > SYNTHESIS_MAX && tr.newDoc.length > tr.startState.doc.length ? [] : tr,
);

function toText(s: string): Text {
  return Text.of(s.split('\n'));
}

function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** One synthesis being edited on this device: a CodeMirror state, with or without a view. */
export class DocSession {
  private _state: EditorState;
  private view: EditorViewLike | null = null;
  private readonly viewCompartment = new Compartment();
  /** The text at the synced version: what the server has. */
  private confirmed: string;
  private inflight: InFlight | null = null;
  /** Command ids answered already (their late acks are ignored). */
  private done = new Set<string>();
  /** The model moved ahead (a snapshot): rebase once the push in flight is known. */
  private resyncPending = false;
  /** Push again only once past this version (after `stale`), or when the timer says. */
  private staleAt: number | null = null;
  private pushTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private lastPushAt = -Infinity;
  private held: (() => void)[] = [];
  private holdUntil = 0;
  private holdTimer: ReturnType<typeof setTimeout> | null = null;
  private error: string | null = null;
  private listeners = new Set<() => void>();
  readonly clientID: string;

  constructor(
    private readonly host: SyncHost,
    readonly doc: string,
    private readonly storageKey: string,
    stored: StoredDoc | null,
  ) {
    const sy = host.model.syntheses[doc] ?? emptySynthesis(doc);
    this.clientID = stored?.clientID ?? uuid();
    if (stored) {
      // A reload: the confirmed text and version it had, then its changes replayed on top.
      this.confirmed = stored.base;
      this._state = this.makeState(stored.version, stored.base);
      for (const u of stored.updates) {
        try {
          this._state = this._state.update({ changes: ChangeSet.fromJSON(u) }).state;
        } catch {
          break; // a damaged entry: keep what fits
        }
      }
      if (stored.inflight && stored.inflight.count > 0) {
        const updates = sendableUpdates(this._state).slice(0, stored.inflight.count);
        this.inflight = {
          id: stored.inflight.id,
          version: stored.version,
          updates: updates.map((u) => ({ clientID: u.clientID, changes: u.changes.toJSON() as SynthesisUpdate['changes'] })),
          sent: false,
          everSent: true,
        };
      }
      if (sy.version > stored.version) this.resyncPending = true;
    } else {
      this.confirmed = sy.text;
      this._state = this.makeState(sy.version, sy.text);
    }
  }

  private makeState(version: number, text: string, viewExtensions: Extension = []): EditorState {
    return EditorState.create({
      doc: toText(text),
      extensions: [collab({ startVersion: version, clientID: this.clientID }), lengthLimit, this.viewCompartment.of(viewExtensions)],
    });
  }

  get state(): EditorState {
    return this._state;
  }

  /** The text as this device shows it, unconfirmed changes included. */
  get text(): string {
    return this._state.doc.toString();
  }

  get version(): number {
    return getSyncedVersion(this._state);
  }

  info(): SessionInfo {
    return { unsaved: sendableUpdates(this._state).length, sending: this.inflight !== null, error: this.error };
  }

  subscribe(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }

  // ---- the view ----

  /** The extensions of an editor view, before it is created on this state. */
  configure(viewExtensions: Extension): void {
    this.commit(this._state.update({ effects: this.viewCompartment.reconfigure(viewExtensions) }));
  }

  /** The view created on `state` now shows and edits this synthesis. */
  attach(view: EditorViewLike): void {
    this.view = view;
    this._state = view.state;
  }

  /** The view's dispatchTransactions calls this after view.update(trs). */
  viewUpdated(view: EditorViewLike, trs: readonly Transaction[]): void {
    if (this.view !== view) return;
    this._state = this.view.state;
    this.afterLocal(trs);
  }

  /** The view goes away (only the one attached: a newer view may have taken over). */
  detach(view: EditorViewLike): void {
    if (!this.view || this.view !== view) return;
    this._state = this.view.state;
    this.view = null;
    this.commit(this._state.update({ effects: this.viewCompartment.reconfigure([]) }));
  }

  private commit(tr: Transaction): void {
    if (this.view) {
      this.view.dispatch(tr); // → viewUpdated
      return;
    }
    this._state = tr.state;
    this.afterLocal([tr]);
  }

  private afterLocal(trs: readonly Transaction[]): void {
    if (trs.some((tr) => tr.docChanged && !tr.annotation(Transaction.remote))) {
      this.error = null;
      this.saveSoon();
      this.schedulePush();
    }
    this.notify();
  }

  /** A local edit made by code (the view's own edits come through viewUpdated). */
  edit(spec: TransactionSpec): boolean {
    const tr = this._state.update(spec);
    if (!tr.docChanged) return false; // refused (too long)
    this.commit(tr);
    return true;
  }

  /** Appends each note as a bullet on its own line at the end. False when it would be too long. */
  appendBullets(notes: readonly string[]): boolean {
    const end = this._state.doc.length;
    const insert = bulletsToAppend(this.text, notes);
    if (!insert) return true;
    return this.edit({ changes: { from: end, insert }, userEvent: 'input.note' });
  }

  /** Makes the text `text` with the smallest edit (one update, one push): "restore this version". */
  replaceText(text: string): boolean {
    const changes = hunks(this.text, text);
    if (changes.length === 0) return true;
    return this.edit({ changes, userEvent: 'input.restore' });
  }

  // ---- holding what arrives while a key is being handled ----

  /**
   * Holds what the server sends for ms: the view calls this when Enter or Backspace is pressed.
   * On Android, CodeMirror waits a frame to see what such a key did to the DOM, and a change
   * dispatched meanwhile (someone else's typing) makes it drop the key: a new line typed while
   * a table mate writes would vanish. Holding their changes for that moment keeps it.
   */
  holdRemote(ms: number): void {
    this.holdUntil = Math.max(this.holdUntil, Date.now() + ms);
  }

  private holding(): boolean {
    return this.held.length > 0 || Date.now() < this.holdUntil;
  }

  /** Runs f now, or after the hold, in the order things arrived. */
  private inOrder(f: () => void): void {
    if (!this.holding()) {
      f();
      return;
    }
    this.held.push(f);
    this.releaseSoon();
  }

  private releaseSoon(): void {
    if (this.holdTimer) return;
    this.holdTimer = setTimeout(() => {
      this.holdTimer = null;
      if (Date.now() < this.holdUntil) {
        this.releaseSoon();
        return;
      }
      const q = this.held;
      this.held = [];
      for (const f of q) f();
      this.schedulePush();
    }, Math.max(0, this.holdUntil - Date.now()));
  }

  // ---- the server ----

  /** A synthesis.changed for this doc (the model has applied it already). */
  received(d: { version: number; updates: SynthesisUpdate[] }): void {
    this.inOrder(() => this.applyReceived(d));
  }

  private applyReceived(d: { version: number; updates: SynthesisUpdate[] }): void {
    if (this.resyncPending) return; // the rebase reads the model's text when it happens
    const v = this.version;
    const skip = v - d.version;
    if (skip >= d.updates.length) return; // had them already
    if (skip < 0) {
      // A gap: the model has the text; carry the local changes over to it.
      this.requestResync();
      return;
    }
    const fresh = d.updates.slice(skip);
    let updates: Update[];
    let confirmed = this.confirmed;
    try {
      updates = fresh.map((u) => {
        const changes = ChangeSet.fromJSON(u.changes);
        confirmed = changes.apply(toText(confirmed)).toString();
        return { clientID: u.clientID, changes };
      });
    } catch (err) {
      console.warn(`nappe: synthesis ${this.doc}: a change does not fit, rebasing on the model`, err);
      this.requestResync();
      return;
    }
    const own = fresh.filter((u) => u.clientID === this.clientID).length;
    this.commit(receiveUpdates(this._state, updates));
    this.confirmed = confirmed;
    if (own > 0 && this.inflight) this.settled(this.inflight.id);
    if (this.staleAt !== null && this.version > this.staleAt) {
      // What made our push stale has arrived: push again now rather than at the timer.
      this.staleAt = null;
      if (this.pushTimer) clearTimeout(this.pushTimer);
      this.pushTimer = null;
    }
    this.checkModel();
    this.saveSoon();
    this.schedulePush();
    this.notify();
  }

  /** A snapshot replaced the model. */
  snapshot(): void {
    this.inOrder(() => this.applySnapshot());
  }

  private applySnapshot(): void {
    const sy = this.host.model.syntheses[this.doc];
    if (!sy) return; // not visible any more (moved to another table): nothing to follow
    if (sy.version === this.version && sy.text === this.confirmed) return;
    this.requestResync();
  }

  private requestResync(): void {
    this.resyncPending = true;
    // Whether the push on its way is in the new text is unknown: ask again (same id) first.
    if (this.inflight?.everSent) {
      if (this.host.status === 'online' && !this.inflight.sent) this.resend();
      return;
    }
    this.inflight = null;
    this.resync();
  }

  /**
   * Carries the unconfirmed changes over to the model's text (see the top of this file): the
   * diff from the confirmed text to the model's goes through receiveUpdates as the updates
   * missed, so the library rebases the local changes over it.
   */
  private resync(): void {
    this.resyncPending = false;
    const target = this.host.model.syntheses[this.doc];
    if (!target) return;
    const v = this.version;
    const diff = ChangeSet.of(hunks(this.confirmed, target.text), this.confirmed.length);
    if (target.version > v) {
      const updates: Update[] = [{ clientID: RESYNC_CLIENT, changes: diff }];
      for (let i = v + 1; i < target.version; i++) updates.push({ clientID: RESYNC_CLIENT, changes: ChangeSet.empty(target.text.length) });
      this.commit(receiveUpdates(this._state, updates));
    } else if (target.version < v || target.text !== this.confirmed) {
      // The server went back (restored from an older copy) or the texts differ at the same
      // version: start again from its text and version, the local changes carried over.
      const local = sendableUpdates(this._state).reduce((a, u) => a.compose(u.changes), ChangeSet.empty(this.confirmed.length));
      const mapped = local.map(diff);
      const view = this.view;
      let state = this.makeState(target.version, target.text, this.viewCompartment.get(this._state) ?? []);
      if (!mapped.empty) state = state.update({ changes: mapped }).state;
      if (view) view.setState(state);
      this._state = state;
    }
    this.confirmed = target.text;
    this.saveSoon();
    this.schedulePush();
    this.notify();
  }

  /** After an event: the confirmed text must be the model's at the same version. */
  private checkModel(): void {
    const sy = this.host.model.syntheses[this.doc];
    if (sy && sy.version === this.version && sy.text !== this.confirmed) {
      console.warn(`nappe: synthesis ${this.doc}: confirmed text differs from the model's, rebasing`);
      this.requestResync();
    }
  }

  /** The push in flight is answered (or its event came): forget it. */
  private settled(id: string): void {
    this.done.add(id);
    if (this.done.size > 50) this.done.delete(this.done.values().next().value!);
    if (this.inflight?.id === id) this.inflight = null;
  }

  /** An ack or error; true when it is for this session's push. */
  answer(m: Extract<ServerMessage, { t: 'ack' } | { t: 'error' }>): boolean {
    if (m.id === undefined) return false;
    // No push leaves while things are held, so the one in flight now is the one answered.
    if (!this.done.has(m.id) && this.inflight?.id !== m.id) return false;
    this.inOrder(() => this.applyAnswer(m));
    return true;
  }

  private applyAnswer(m: Extract<ServerMessage, { t: 'ack' } | { t: 'error' }>): void {
    if (m.id === undefined || this.done.has(m.id)) return;
    const f = this.inflight;
    if (!f || f.id !== m.id) return;
    f.sent = false;
    if (m.t === 'ack') {
      // Its event came first, on this connection or before a snapshot: when it did not, the
      // updates are confirmed here, as receiveUpdates would have on seeing them come back.
      this.settled(f.id);
      if (this.version === f.version) {
        const updates = f.updates.map((u) => ({ clientID: u.clientID, changes: ChangeSet.fromJSON(u.changes) }));
        let confirmed = toText(this.confirmed);
        for (const u of updates) confirmed = u.changes.apply(confirmed);
        this.commit(receiveUpdates(this._state, updates));
        this.confirmed = confirmed.toString();
      }
      this.error = null;
      this.afterAnswer();
      return;
    }
    switch (m.code) {
      case 'stale':
        this.settled(f.id);
        // Wait for the change that got there first, unless it is here already.
        if (this.version <= f.version) this.staleAt = f.version;
        this.afterAnswer();
        break;
      case 'rate_limited':
      case 'unavailable':
        // Nothing was stored: the same push again, later.
        this.retryLater(m.code === 'rate_limited' ? (m.retryAfterMs ?? PUSH_GAP_MS) : (m.retryAfterMs ?? UNAVAILABLE_RETRY_MS));
        break;
      default:
        // Final (forbidden, too_long, invalid…): these changes will never be accepted. Drop
        // them, back to the server's text, and say so.
        this.settled(f.id);
        this.error = m.code;
        this.dropLocal();
        this.afterAnswer();
    }
    this.notify();
  }

  private afterAnswer(): void {
    if (this.resyncPending) this.resync();
    else if (this.host.model.syntheses[this.doc] && this.host.model.syntheses[this.doc].version !== this.version) this.checkVersion();
    this.saveSoon();
    this.schedulePush();
    this.notify();
  }

  /** The model is ahead with no event on its way to us (a missed one): rebase on it. */
  private checkVersion(): void {
    const sy = this.host.model.syntheses[this.doc];
    if (sy && sy.version > this.version && this.staleAt === null) this.requestResync();
  }

  private dropLocal(): void {
    const state = this.makeState(this.version, this.confirmed, this.viewCompartment.get(this._state) ?? []);
    if (this.view) this.view.setState(state);
    this._state = state;
  }

  /** The connection is back and caught up. */
  synced(): void {
    this.inOrder(() => this.applySynced());
  }

  private applySynced(): void {
    const f = this.inflight;
    if (f && !f.sent) {
      if (f.everSent) this.resend();
      else this.inflight = null; // never left: the next push carries everything typed since
    }
    if (this.resyncPending && !this.inflight) this.resync();
    this.schedulePush();
  }

  disconnected(): void {
    this.inOrder(() => {
      if (this.inflight) this.inflight.sent = false;
      this.notify();
    });
  }

  private resend(): void {
    const f = this.inflight;
    if (!f) return;
    const was = f.everSent;
    f.sent = f.everSent = true; // before sending: an answer may come back at once
    this.lastPushAt = Date.now();
    if (!this.host.sendDirect(f.id, command('synthesis.push', { doc: this.doc, version: f.version, updates: f.updates })) && this.inflight === f) {
      f.sent = false;
      f.everSent = was;
    }
  }

  private retryLater(ms: number): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.inflight && !this.inflight.sent && this.host.status === 'online') this.resend();
    }, ms);
  }

  private schedulePush(): void {
    if (this.pushTimer || this.inflight || this.resyncPending) return;
    if (sendableUpdates(this._state).length === 0) return;
    const stale = this.staleAt !== null;
    const wait = Math.max(stale ? STALE_RETRY_MS : 0, this.lastPushAt + PUSH_GAP_MS - Date.now());
    this.pushTimer = setTimeout(() => {
      this.pushTimer = null;
      this.staleAt = null;
      this.push();
    }, wait);
  }

  private push(): void {
    if (this.inflight || this.resyncPending || this.host.status !== 'online') return;
    if (this.holding()) {
      this.releaseSoon(); // pushed when the hold ends, at the version it reaches
      return;
    }
    const all = sendableUpdates(this._state);
    if (all.length === 0) return;
    let n = Math.min(all.length, MAX_PUSH_UPDATES);
    const version = this.version;
    const id = uuid();
    const build = (k: number) =>
      command('synthesis.push', {
        doc: this.doc,
        version,
        updates: all.slice(0, k).map((u) => ({ clientID: u.clientID, changes: u.changes.toJSON() as SynthesisUpdate['changes'] })),
      });
    let c = build(n);
    while (n > 1 && utf8Length(JSON.stringify(c)) > MAX_PUSH_BYTES) c = build((n = Math.max(1, n >> 1)));
    if (utf8Length(JSON.stringify(c)) > MAX_PUSH_BYTES) {
      // One change larger than a frame (a huge paste): it can never be sent.
      this.error = 'too_long';
      this.dropLocal();
      this.saveSoon();
      this.notify();
      return;
    }
    const data = c.data as { updates: SynthesisUpdate[] };
    this.inflight = { id, version, updates: data.updates, sent: false, everSent: false };
    this.resend();
    this.save(); // at once: after a reload, whether this push may be on the server matters
    this.notify();
  }

  // ---- storage ----

  private saveSoon(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.save();
    }, SAVE_DELAY_MS);
  }

  /** Writes what the server may not have; forgets the entry when there is nothing. */
  save(): void {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
    }
    const updates = sendableUpdates(this._state);
    const f = this.inflight?.everSent ? this.inflight : null;
    const { storage } = this.host.identity;
    if (updates.length === 0 && !f) {
      saveStored(storage, this.storageKey, this.doc, null);
      return;
    }
    saveStored(storage, this.storageKey, this.doc, {
      clientID: this.clientID,
      version: this.version,
      base: this.confirmed,
      updates: updates.map((u) => u.changes.toJSON() as StoredDoc['updates'][number]),
      inflight: f ? { id: f.id, count: f.updates.length } : null,
    });
  }

  stop(): void {
    for (const t of [this.pushTimer, this.retryTimer, this.holdTimer]) if (t) clearTimeout(t);
    this.pushTimer = this.retryTimer = this.holdTimer = null;
    const q = this.held;
    this.held = [];
    this.holdUntil = 0;
    for (const f of q) f();
    this.save();
  }
}

/** The syntheses edited on one live workshop: a session per doc, fed by the connection. */
export class SynthesisSync {
  private sessions = new Map<string, DocSession>();
  private readonly key: string;
  private unlisten: () => void;
  private readonly win: Window | null;

  constructor(
    private readonly host: SyncHost,
    win: Window | null = typeof window === 'undefined' ? null : window,
  ) {
    this.key = synthesisKey(host.identity.workshop, host.identity.who);
    this.unlisten = host.listen({
      message: (m) => {
        if (m.t === 'ev') {
          if (m.type === 'synthesis.changed') this.sessions.get(m.data.doc)?.received(m.data);
        } else if (m.t === 'snapshot') {
          for (const s of this.sessions.values()) s.snapshot();
        } else {
          for (const s of this.sessions.values()) s.synced();
        }
      },
      answer: (m) => {
        for (const s of this.sessions.values()) if (s.answer(m)) return true;
        return false;
      },
      disconnected: () => {
        for (const s of this.sessions.values()) s.disconnected();
      },
    });
    this.win = win;
    this.win?.addEventListener('pagehide', this.saveAll);
    this.win?.document.addEventListener('visibilitychange', this.saveAll);
  }

  /** The session of doc, made on first use (with what storage kept of it). */
  session(doc: string): DocSession {
    let s = this.sessions.get(doc);
    if (!s) {
      const stored = loadStored(this.host.identity.storage, this.key)[doc] ?? null;
      s = new DocSession(this.host, doc, this.key, stored);
      this.sessions.set(doc, s);
      if (this.host.status === 'online') s.synced();
    }
    return s;
  }

  /** Sessions for every doc with edits left from an earlier page, so they are sent. */
  restore(): void {
    for (const doc of Object.keys(loadStored(this.host.identity.storage, this.key))) this.session(doc);
  }

  private saveAll = (): void => {
    for (const s of this.sessions.values()) s.save();
  };

  stop(): void {
    this.unlisten();
    this.win?.removeEventListener('pagehide', this.saveAll);
    this.win?.document.removeEventListener('visibilitychange', this.saveAll);
    for (const s of this.sessions.values()) s.stop();
  }
}
