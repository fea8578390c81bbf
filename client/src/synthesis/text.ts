// Syntheses as plain text, without CodeMirror: applying the changes that arrive
// (ChangeSet.toJSON(), positions in UTF-16 code units, as in internal/textsync), reading the
// text as paragraphs and bullets for display, and building bullets from notes. Small and
// dependency-free: it is in every client's first load, and the projector needs nothing more.
import type { ChangeSetJSON, SynthesisUpdate } from '../net/protocol';

export class ChangeMismatch extends Error {
  override name = 'ChangeMismatch';
}

/** Applies one change set to text, as @codemirror/state's ChangeSet.apply would. */
export function applyChangeSet(text: string, changes: ChangeSetJSON): string {
  let out = '';
  let pos = 0;
  for (const part of changes) {
    if (typeof part === 'number') {
      if (pos + part > text.length) throw new ChangeMismatch(`retains past the end (${pos + part} > ${text.length})`);
      out += text.slice(pos, pos + part);
      pos += part;
      continue;
    }
    const [len, ...lines] = part;
    if (pos + len > text.length) throw new ChangeMismatch(`replaces past the end (${pos + len} > ${text.length})`);
    out += lines.join('\n');
    pos += len;
  }
  if (pos !== text.length) throw new ChangeMismatch(`covers ${pos} of ${text.length} code units`);
  return out;
}

/** Applies updates in order. */
export function applyUpdates(text: string, updates: readonly SynthesisUpdate[]): string {
  for (const u of updates) text = applyChangeSet(text, u.changes);
  return text;
}

export type Block = { kind: 'paragraph'; lines: string[] } | { kind: 'bullets'; items: string[] };

/** A bullet line: "- " at the start (spaces before it are allowed). */
const BULLET = /^\s*- /;

/**
 * Reads a synthesis as the projector and the report show it: lines starting with "- " are
 * bullets (consecutive ones make a list), blank lines separate paragraphs, and a paragraph
 * keeps its line breaks. The views render each piece as text, never as HTML.
 */
export function blocks(text: string): Block[] {
  const out: Block[] = [];
  for (const line of text.split('\n')) {
    const last = out.at(-1);
    if (BULLET.test(line)) {
      const item = line.replace(BULLET, '').trim();
      if (last?.kind === 'bullets') last.items.push(item);
      else out.push({ kind: 'bullets', items: [item] });
    } else if (line.trim() === '') {
      if (last) out.push({ kind: 'paragraph', lines: [] }); // a break; empty ones are dropped below
    } else if (last?.kind === 'paragraph' && last.lines.length > 0) {
      last.lines.push(line);
    } else {
      out.push({ kind: 'paragraph', lines: [line] });
    }
  }
  return out.filter((b) => b.kind === 'bullets' || b.lines.length > 0);
}

/** A note as a bullet: one line (a note may hold line breaks), "- " in front. */
export function bulletOf(note: string): string {
  return `- ${note.replace(/\s*\n\s*/g, ' ').trim()}`;
}

/** What to insert at the end of text to add these bullets, each on its own line. */
export function bulletsToAppend(text: string, notes: readonly string[]): string {
  if (notes.length === 0) return '';
  const lines = notes.map(bulletOf).join('\n');
  if (text === '') return lines;
  return text.endsWith('\n') ? lines : `\n${lines}`;
}

/** Whether the text already holds this note as a bullet. */
export function hasBullet(text: string, note: string): boolean {
  const want = bulletOf(note).slice(2);
  return text.split('\n').some((l) => BULLET.test(l) && l.replace(BULLET, '').trim() === want);
}
