// The workshop as one client sees it, and the rules that change it: a snapshot replaces
// everything, each event changes one thing (PROTOCOL.md §3). Pure functions over a plain
// object, so they run the same in tests, in the golden scenario and behind Svelte's $state.
import { waitingClock } from '../net/decode';
import {
  PLENARY,
  type Clock,
  type Itineraries,
  type Note,
  type Participant,
  type Role,
  type Round,
  type Seating,
  type Snapshot,
  type Synthesis,
  type Table,
  type Workshop,
  type WorkshopEvent,
} from '../net/protocol';
import { applyUpdates } from '../synthesis/text';

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
  /** The schedule, the clock and how people are seated. */
  rounds: Round[];
  clock: Clock;
  seating: Seating;
  /** Who sits where each round (facilitators and board only; null for participants). */
  itineraries: Itineraries | null;
  /** The syntheses this view sees, by doc (a table id or "plenary"): the server's text. */
  syntheses: Record<string, Synthesis>;
  /**
   * Who changed each synthesis, and when (server time of their last change): doc → participant
   * id ("" for a facilitator) → ms. For "who is writing now".
   */
  synthesisActivity: Record<string, Record<string, number>>;
  /** This participant was removed by a facilitator. */
  removed: boolean;
  /**
   * How many people sit at each table, as the server last said (participants only: they see
   * their own table's people, not the others'). Null until told.
   */
  headcount: Record<string, number> | null;
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
    rounds: [],
    clock: waitingClock(),
    seating: 'free',
    itineraries: null,
    syntheses: {},
    synthesisActivity: {},
    removed: false,
    headcount: null,
  };
}

/** A headcount message: the tables it names have that many people now. */
export function applyHeadcount(m: WorkshopModel, tables: Record<string, number>): void {
  m.headcount = { ...(m.headcount ?? {}), ...tables };
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
  m.syntheses = {};
  for (const sy of s.syntheses) m.syntheses[sy.doc] = { ...sy, rounds: { ...sy.rounds } };
  m.synthesisActivity = {};
  m.rounds = s.rounds.map((r) => ({ ...r }));
  m.clock = { ...s.clock };
  m.seating = s.seating;
  m.itineraries = s.itineraries ? Object.fromEntries(Object.entries(s.itineraries).map(([k, v]) => [k, [...v]])) : null;
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

/** The table this participant hosts, or null. */
export function hostedBy(m: WorkshopModel, participant: string | null): string | null {
  if (!participant) return null;
  return m.tables.find((t) => t.host === participant)?.id ?? null;
}

/** Whether this view moderates the notes of this table (sees them hidden, may restore them). */
export function moderates(m: WorkshopModel, table: string): boolean {
  if (m.role === 'facilitator') return true;
  return forParticipant(m) && hostedBy(m, m.me) === table;
}

/** Whether this view shows this note at all. */
function seesNote(m: WorkshopModel, n: Note): boolean {
  if (m.role === 'facilitator') return true;
  if (n.hidden && !moderates(m, n.table)) return false;
  if (forParticipant(m)) return n.table === m.myTable;
  return true;
}

/** The itinerary of a participant, made (all "") and sized to the schedule if needed. */
function itinerary(m: WorkshopModel, id: string): string[] | null {
  if (!m.itineraries) return null;
  const it = (m.itineraries[id] ??= []);
  while (it.length < m.rounds.length) it.push('');
  return it;
}

/** Someone sat down during a round: the round's seating (and so their itinerary) says so. */
function noteSeat(m: WorkshopModel, id: string, table: string | null): void {
  const c = m.clock;
  if (!table || c.round === 0 || (c.status !== 'running' && c.status !== 'paused')) return;
  const it = itinerary(m, id);
  if (it && c.round - 1 < it.length) it[c.round - 1] = table;
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
      if (i >= 0 && forParticipant(m) && m.me && m.tables[i].host === m.me && t.host !== m.me) {
        // No longer the host: the hidden notes of this table are not mine to see any more.
        for (const n of Object.values(m.notes)) if (n.hidden && n.table === t.id) delete m.notes[n.id];
      }
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
      if (ev.type === 'participant.joined' && m.itineraries) {
        itinerary(m, p.id);
        noteSeat(m, p.id, p.table);
      }
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
        for (const doc of Object.keys(m.syntheses)) if (doc !== PLENARY && doc !== table) delete m.syntheses[doc];
      }
      const known = m.participants[id];
      const moved = ev.data.person ?? (known && { ...known, table });
      if (moved && seesPerson(m, moved)) m.participants[id] = moved;
      else delete m.participants[id];
      noteSeat(m, id, table);
      break;
    }
    case 'participant.removed': {
      const id = ev.data.participant;
      delete m.participants[id];
      if (m.itineraries) delete m.itineraries[id];
      // The server leaves their table without a host, with no table.edited of its own.
      m.tables = m.tables.map((t) => (t.host === id ? { ...t, host: '' } : t));
      if (id === m.me) m.removed = true;
      break;
    }
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
      if (moderates(m, n.table)) m.notes[n.id] = { ...n, hidden: true };
      else delete m.notes[n.id];
      break;
    }
    case 'note.restored': {
      const n: Note = { ...ev.data.note, hidden: false };
      if (!moderates(m, n.table)) delete n.hidden;
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
    case 'rounds.set':
      m.rounds = ev.data.rounds.map((r) => ({ ...r }));
      if (m.itineraries) {
        for (const [id, it] of Object.entries(m.itineraries)) {
          m.itineraries[id] = it.slice(0, m.rounds.length);
          itinerary(m, id);
        }
      }
      break;
    case 'round.started': {
      m.clock = { ...ev.data.clock };
      const seats = ev.data.seats;
      if (!seats) break; // a phone whose table changes gets a fresh snapshot next
      const r = m.clock.round;
      for (const [id, t] of Object.entries(seats)) {
        const p = m.participants[id];
        if (p && p.table !== t) m.participants[id] = { ...p, table: t };
      }
      if (m.itineraries) {
        for (const id of new Set([...Object.keys(m.itineraries), ...Object.keys(m.participants)])) {
          const it = itinerary(m, id);
          if (it && r >= 1 && r - 1 < it.length) it[r - 1] = seats[id] ?? '';
        }
      }
      break;
    }
    case 'round.ended': {
      // The server keeps every synthesis as it stands when a round ends: so do we.
      const r = ev.data.clock.round;
      if (r > 0) for (const sy of Object.values(m.syntheses)) sy.rounds = { ...sy.rounds, [String(r)]: sy.text };
      m.clock = { ...ev.data.clock };
      break;
    }
    case 'round.paused':
    case 'round.resumed':
    case 'round.extended':
      m.clock = { ...ev.data.clock };
      break;
    case 'plan.made':
      m.seating = ev.data.seating;
      // Phones get the public form: seating is planned, without everyone's itinerary.
      if (ev.data.itineraries) m.itineraries = Object.fromEntries(Object.entries(ev.data.itineraries).map(([k, v]) => [k, [...v]]));
      break;
    case 'seating.changed':
      m.seating = ev.data.seating;
      if (ev.data.seating === 'free' && m.itineraries) {
        // The plan is dropped: only the rounds already started keep who sat where.
        for (const it of Object.values(m.itineraries)) for (let r = m.clock.round; r < it.length; r++) it[r] = '';
      }
      break;
    case 'synthesis.changed':
      applySynthesisChange(m, ev.data, ev.at);
      break;
  }
  return true;
}

/** An empty synthesis: what a doc is before its first change. */
export function emptySynthesis(doc: string): Synthesis {
  return { doc, version: 0, text: '', editedAt: 0, rounds: {} };
}

/**
 * Applies synthesis.changed: the updates accepted at `version`. Updates this model already has
 * (an event seen twice) are skipped; a change that does not follow on (a gap, which the server
 * never sends) leaves the text as it is rather than corrupting it: the next snapshot repairs it.
 */
function applySynthesisChange(m: WorkshopModel, d: Extract<WorkshopEvent, { type: 'synthesis.changed' }>['data'], at: number): void {
  const sy = m.syntheses[d.doc] ?? emptySynthesis(d.doc);
  const skip = sy.version - d.version;
  if (skip < 0 || skip >= d.updates.length) return;
  try {
    const text = applyUpdates(sy.text, d.updates.slice(skip));
    m.syntheses[d.doc] = { ...sy, text, version: d.version + d.updates.length, editedAt: at };
  } catch (err) {
    console.warn(`nappe: synthesis ${d.doc}: a change does not fit`, err);
    return;
  }
  (m.synthesisActivity[d.doc] ??= {})[d.by ?? ''] = at;
}

/** The state as a Snapshot, in the server's order (for comparing with the golden files). */
export function toSnapshot(m: WorkshopModel): Snapshot {
  if (!m.workshop) throw new Error('no workshop yet');
  const s: Snapshot = {
    workshop: m.workshop,
    tables: m.tables,
    participants: Object.values(m.participants).sort((a, b) => a.joinedAt - b.joinedAt || a.id.localeCompare(b.id)),
    notes: Object.values(m.notes).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id)),
    syntheses: Object.values(m.syntheses).sort((a, b) => Number(b.doc === PLENARY) - Number(a.doc === PLENARY) || (a.doc < b.doc ? -1 : a.doc > b.doc ? 1 : 0)),
    rounds: m.rounds,
    clock: m.clock,
    seating: m.seating,
  };
  if (m.itineraries) s.itineraries = m.itineraries;
  if (m.role === 'participant' && m.me) s.you = { participant: m.me, table: m.myTable, mine: [...m.mine] };
  return s;
}
