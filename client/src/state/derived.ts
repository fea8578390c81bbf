// Values the views compute from the model: notes per table, counts, and the notes as a
// participant should see them right now — with what is still in the outbox laid on top,
// marked pending, so nothing typed ever seems to vanish.
import type { PendingCommand } from '../net/outbox';
import type { CommandDataMap, Note, Participant, Table } from '../net/protocol';
import type { WorkshopModel } from './workshop';

export interface ShownNote {
  note: Note;
  /** A command about this note has not been acknowledged yet. */
  pending: boolean;
  /** A delete is waiting. */
  deleting: boolean;
  mine: boolean;
  /** This participant's vote (pending toggles included). */
  voted: boolean;
  votes: number;
}

export function newestFirst(a: Note, b: Note): number {
  return b.createdAt - a.createdAt || b.id.localeCompare(a.id);
}

export function notesOf(m: WorkshopModel, table: string): Note[] {
  return Object.values(m.notes)
    .filter((n) => n.table === table)
    .sort(newestFirst);
}

export function visibleNotes(m: WorkshopModel): Note[] {
  return Object.values(m.notes).filter((n) => !n.hidden);
}

export function tableById(m: WorkshopModel, id: string | null): Table | null {
  return (id && m.tables.find((t) => t.id === id)) || null;
}

export function peopleAt(m: WorkshopModel, table: string | null): Participant[] {
  return Object.values(m.participants)
    .filter((p) => p.table === table)
    .sort((a, b) => a.name.localeCompare(b.name));
}

export interface TableCounts {
  notes: number;
  people: number;
  votes: number;
}

export function countsByTable(m: WorkshopModel): Record<string, TableCounts> {
  const c: Record<string, TableCounts> = {};
  for (const t of m.tables) c[t.id] = { notes: 0, people: 0, votes: 0 };
  for (const n of Object.values(m.notes)) {
    if (n.hidden || !c[n.table]) continue;
    c[n.table].notes++;
    c[n.table].votes += n.voters.length;
  }
  for (const p of Object.values(m.participants)) if (p.table && c[p.table]) c[p.table].people++;
  return c;
}

/**
 * The notes of one table as a participant sees them: the model's notes plus the effect of
 * every command still in the outbox (posted, edited, deleted, voted), newest first.
 */
export function shownNotes(m: WorkshopModel, table: string | null, pending: readonly PendingCommand[], myName = ''): ShownNote[] {
  const me = m.me;
  const byId = new Map<string, ShownNote>();
  for (const n of Object.values(m.notes)) {
    if (n.table !== table || n.hidden) continue;
    byId.set(n.id, {
      note: n,
      pending: false,
      deleting: false,
      mine: m.mine.includes(n.id) || (me !== null && n.author === me),
      voted: me !== null && n.voters.includes(me),
      votes: n.voters.length,
    });
  }
  for (const c of pending) {
    switch (c.type) {
      case 'note.post': {
        const d = c.data as CommandDataMap['note.post'];
        const s = byId.get(d.note);
        if (s) {
          s.pending = true;
          break;
        }
        if ((d.table ?? table) !== table) break;
        byId.set(d.note, {
          note: {
            id: d.note,
            table: table ?? '',
            author: d.anonymous ? null : me,
            authorName: d.anonymous ? null : myName,
            text: d.text,
            colour: d.colour,
            round: 0,
            createdAt: c.createdAt,
            editedAt: null,
            voters: [],
          },
          pending: true,
          deleting: false,
          mine: true,
          voted: false,
          votes: 0,
        });
        break;
      }
      case 'note.edit': {
        const d = c.data as CommandDataMap['note.edit'];
        const s = byId.get(d.note);
        if (!s) break;
        s.note = { ...s.note, text: d.text ?? s.note.text, colour: d.colour ?? s.note.colour };
        s.pending = true;
        break;
      }
      case 'note.delete': {
        const s = byId.get((c.data as CommandDataMap['note.delete']).note);
        if (s) s.pending = s.deleting = true;
        break;
      }
      case 'vote.toggle': {
        const s = byId.get((c.data as CommandDataMap['vote.toggle']).note);
        if (!s) break;
        // The event may already be applied while the ack is on its way: show the intended
        // state rather than flipping the current one.
        const on = c.voteOn ?? !s.voted;
        if (on !== s.voted) s.votes += on ? 1 : -1;
        s.voted = on;
        s.pending = true;
        break;
      }
    }
  }
  return [...byId.values()].sort((a, b) => newestFirst(a.note, b.note));
}
