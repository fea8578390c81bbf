// CodeMirror stays out of the first load: the collaborative editing (collab.ts, with
// @codemirror/state and @codemirror/collab) is fetched the first time someone edits or sends a
// note to a synthesis, and the editor view (editor.ts, with @codemirror/view) when an editor
// opens. A page that starts with edits left from before (store.ts) loads the first at once to
// send them.
import type { LiveWorkshop } from '../state/live.svelte';
import type { DocSession, SynthesisSync } from './collab';
import { pendingDocs, synthesisKey } from './store';

const syncs = new WeakMap<LiveWorkshop, Promise<SynthesisSync>>();

/** The synthesis sync of a live workshop, loaded and made once. */
export function loadSync(live: LiveWorkshop): Promise<SynthesisSync> {
  let p = syncs.get(live);
  if (!p) {
    p = import('./collab').then((m) => new m.SynthesisSync(live));
    syncs.set(live, p);
  }
  return p;
}

/** The session of one doc. */
export async function loadSession(live: LiveWorkshop, doc: string): Promise<DocSession> {
  return (await loadSync(live)).session(doc);
}

/** The editor view's module. */
export function loadEditor(): Promise<typeof import('./editor')> {
  return import('./editor');
}

/** Sends what an earlier page left unsent (call once the state is known). */
export function restorePending(live: LiveWorkshop): void {
  const { workshop, who, storage } = live.identity;
  if (pendingDocs(storage, synthesisKey(workshop, who)).length > 0) void loadSync(live).then((s) => s.restore());
}

/** Stops the sync (saving what is unsent) when the view closes. */
export function stopSync(live: LiveWorkshop): void {
  const p = syncs.get(live);
  syncs.delete(live);
  void p?.then((s) => s.stop());
}
