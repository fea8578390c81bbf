// The workshop as one client sees it, and the rules that change it: a snapshot replaces
// everything, each event changes one thing (PROTOCOL.md §3). Pure functions over a plain
// object, so they run the same in tests, in the golden scenario and behind Svelte's $state.
import type { Note, Participant, Role, Snapshot, Table, Workshop, WorkshopEvent } from '../net/protocol';

export interface WorkshopModel {
  /** Version of the last snapshot or event applied: the `since` of the next hello. */
  v: number;
  role: Role | null;
  /** The participant this client is (participants only). */
  me: string | null;
  /** My table, for a participant. */
  myTable: string | null;
  workshop: Workshop | null;
  /** Sorted by number. */
  tables: Table[];
  participants: Record<string, Participant>;
  notes: Record<string, Note>;
  /** Notes I wrote, anonymous ones included (participants only). */
  mine: string[];
  /** This participant was removed by a facilitator. */
  removed: boolean;
}

export function emptyModel(): WorkshopModel {
  return {
    v: 0,
    role: null,
    me: null,
    myTable: null,
    workshop: null,
    tables: [],
    participants: {},
    notes: {},
    mine: [],
    removed: false,
  };
}

/** From the welcome message: who the server says we are. */
export function setIdentity(m: WorkshopModel, role: Role, participant: string | null): void {
  m.role = role;
  m.me = role === 'participant' ? participant : null;
}

function sortTables(tables: Table[]): void {
  tables.sort((a, b) => a.number - b.number || a.id.localeCompare(b.id));
}

/** A snapshot replaces the whole state (resume too far behind, table change, first connect). */
export function applySnapshot(m: WorkshopModel, v: number, s: Snapshot): void {
  m.v = v;
  m.workshop = s.workshop;
  m.tables = s.tables.map((t) => ({ ...t }));
  sortTables(m.tables);
  m.participants = {};
  for (const p of s.participants) m.participants[p.id] = p;
  m.notes = {};
  for (const n of s.notes) m.notes[n.id] = n;
  if (s.you) {
    m.me = s.you.participant;
    m.myTable = s.you.table;
    m.mine = [...s.you.mine];
  } else if (m.role === 'participant' && m.me && m.participants[m.me]) {
    m.myTable = m.participants[m.me].table;
  }
  m.removed = false;
}

function forParticipant(m: WorkshopModel): boolean {
  return m.role === 'participant';
}

/** Whether a participant's view includes this person: itself, or someone at its table. */
function seesPerson(m: WorkshopModel, p: Participant): boolean {
  if (!forParticipant(m)) return true;
  return p.id === m.me || (m.myTable !== null && p.table === m.myTable);
}

/** Whether this view shows this note at all. */
function seesNote(m: WorkshopModel, n: Note): boolean {
  if (m.role === 'facilitator') return true;
  if (n.hidden) return false;
  if (forParticipant(m)) return n.table === m.myTable;
  return true;
}

function addMine(m: WorkshopModel, id: string): void {
  if (!m.mine.includes(id)) m.mine.push(id);
}

/** Marks a note as mine when I send note.post (anonymous notes carry no author). */
export function claimNote(m: WorkshopModel, id: string): void {
  addMine(m, id);
}

/**
 * Applies one event. Returns false when it is ignored because it is not newer than what
 * the model already has (a duplicate or an older event).
 */
export function applyEvent(m: WorkshopModel, ev: WorkshopEvent): boolean {
  if (ev.v <= m.v) return false;
  m.v = ev.v;
  switch (ev.type) {
    case 'workshop.created':
    case 'workshop.edited':
      m.workshop = ev.data.workshop;
      break;
    case 'table.added':
    case 'table.edited': {
      const t = ev.data.table;
      const i = m.tables.findIndex((x) => x.id === t.id);
      if (i >= 0) m.tables[i] = t;
      else m.tables.push(t);
      sortTables(m.tables);
      break;
    }
    case 'table.removed':
      m.tables = m.tables.filter((t) => t.id !== ev.data.table);
      break;
    case 'participant.joined':
    case 'participant.edited': {
      const p = ev.data.participant;
      if (p.id === m.me) m.myTable = p.table;
      if (seesPerson(m, p)) m.participants[p.id] = p;
      else delete m.participants[p.id];
      break;
    }
    case 'participant.moved': {
      const { participant: id, table } = ev.data;
      if (forParticipant(m) && id === m.me) {
        // The server follows with a fresh snapshot of the new table; until then show
        // only what still belongs to this participant's view.
        m.myTable = table;
        for (const n of Object.values(m.notes)) if (n.table !== table) delete m.notes[n.id];
        for (const p of Object.values(m.participants)) {
          if (p.id !== m.me && p.table !== table) delete m.participants[p.id];
        }
      }
      const known = m.participants[id];
      const moved = ev.data.person ?? (known && { ...known, table });
      if (moved && seesPerson(m, moved)) m.participants[id] = moved;
      else delete m.participants[id];
      break;
    }
    case 'participant.removed':
      delete m.participants[ev.data.participant];
      if (ev.data.participant === m.me) m.removed = true;
      break;
    case 'note.posted': {
      const n = ev.data.note;
      if (seesNote(m, n)) m.notes[n.id] = n;
      if (m.me && n.author === m.me) addMine(m, n.id);
      break;
    }
    case 'note.edited': {
      const n = m.notes[ev.data.note];
      if (n) m.notes[n.id] = { ...n, text: ev.data.text, colour: ev.data.colour, editedAt: ev.data.editedAt };
      break;
    }
    case 'note.deleted':
      delete m.notes[ev.data.note];
      break;
    case 'note.hidden': {
      const n = m.notes[ev.data.note];
      if (!n) break;
      if (m.role === 'facilitator') m.notes[n.id] = { ...n, hidden: true };
      else delete m.notes[n.id];
      break;
    }
    case 'note.restored': {
      const n = { ...ev.data.note, hidden: m.role === 'facilitator' ? false : ev.data.note.hidden };
      if (m.role !== 'facilitator') delete n.hidden;
      if (seesNote(m, n)) m.notes[n.id] = n;
      break;
    }
    case 'vote.toggled': {
      const n = m.notes[ev.data.note];
      if (!n) break;
      const others = n.voters.filter((x) => x !== ev.data.participant);
      m.notes[n.id] = { ...n, voters: ev.data.on ? [...others, ev.data.participant] : others };
      break;
    }
  }
  return true;
}

/** The state as a Snapshot, in the server's order (for comparing with the golden files). */
export function toSnapshot(m: WorkshopModel): Snapshot {
  if (!m.workshop) throw new Error('no workshop yet');
  const s: Snapshot = {
    workshop: m.workshop,
    tables: m.tables,
    participants: Object.values(m.participants).sort((a, b) => a.joinedAt - b.joinedAt || a.id.localeCompare(b.id)),
    notes: Object.values(m.notes).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id)),
  };
  if (m.role === 'participant' && m.me) s.you = { participant: m.me, table: m.myTable, mine: [...m.mine] };
  return s;
}
