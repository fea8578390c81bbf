// Values the views compute from the model: notes per table, counts, and the notes as a
// participant should see them right now — with what is still in the outbox laid on top,
// marked pending, so nothing typed ever seems to vanish.
import type { PendingCommand } from '../net/outbox';
import { PLENARY, type Clock, type CommandDataMap, type Note, type Participant, type Round, type Table } from '../net/protocol';
import { hostedBy, type WorkshopModel } from './workshop';

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

/** Whether a table has no seat left for one more person (capacity 0: no limit). */
export function tableFull(capacity: number, people: number): boolean {
  return capacity > 0 && people >= capacity;
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
  if (m.headcount) {
    // A phone sees only its table's people: the server counts the others.
    for (const t of m.tables) c[t.id].people = m.headcount[t.id] ?? 0;
  } else {
    for (const p of Object.values(m.participants)) if (p.table && c[p.table]) c[p.table].people++;
  }
  return c;
}

/**
 * The notes of one table as a participant sees them: the model's notes plus the effect of
 * every command still in the outbox (posted, edited, deleted, voted, hidden), newest first.
 * Hidden notes are there only for the table's host (`withHidden`), marked hidden.
 */
export function shownNotes(
  m: WorkshopModel,
  table: string | null,
  pending: readonly PendingCommand[],
  myName = '',
  withHidden = false,
): ShownNote[] {
  const me = m.me;
  const byId = new Map<string, ShownNote>();
  for (const n of Object.values(m.notes)) {
    if (n.table !== table || (n.hidden && !withHidden)) continue;
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
            authorName: d.for ? d.for : d.anonymous ? null : myName,
            via: d.for ? myName : null,
            text: d.text,
            colour: d.colour,
            round: m.clock.round,
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
      case 'note.hide':
      case 'note.restore': {
        const s = byId.get((c.data as CommandDataMap['note.hide']).note);
        if (!s) break;
        s.note = { ...s.note, hidden: c.type === 'note.hide' };
        s.pending = true;
        break;
      }
    }
  }
  return [...byId.values()].sort((a, b) => newestFirst(a.note, b.note));
}

// ---- Rounds ----

/** The round running, paused or last ended (0 before the first). */
export function currentRound(m: WorkshopModel): number {
  return m.clock.round;
}

/** The round that starts next, or null after the last. */
export function nextRound(m: WorkshopModel): number | null {
  const n = m.clock.round + 1;
  return n <= m.rounds.length ? n : null;
}

/** Whether a round is going on now (running, overtime included, or paused). */
export function roundInProgress(c: Clock): boolean {
  return c.round > 0 && (c.status === 'running' || c.status === 'paused');
}

/** Round n of the schedule (counting from 1), or null. */
export function roundAt(m: WorkshopModel, n: number): Round | null {
  return n >= 1 ? (m.rounds[n - 1] ?? null) : null;
}

/** The table this client's participant hosts, or null. */
export function myHostedTable(m: WorkshopModel): Table | null {
  return tableById(m, hostedBy(m, m.me));
}

/** Whether I host the table I sit at. */
export function amHostHere(m: WorkshopModel): boolean {
  return m.myTable !== null && hostedBy(m, m.me) === m.myTable;
}

/** The note's author as a table shows it: "Dan (via Ada)" when a host wrote it for Dan. */
export function authorOf(
  n: Pick<Note, 'authorName' | 'via'>,
  anonymous: string,
  via: (name: string, host: string) => string = (a, h) => `${a} (via ${h})`,
): string {
  const name = n.authorName || anonymous;
  return n.via ? via(name, n.via) : name;
}

/**
 * Splits a table's notes: those of the current round (and later), and those left by earlier
 * rounds, which someone arriving at the table reads apart. Before the first round every note
 * is "current".
 */
export function splitByRound<T extends { note: Note }>(shown: readonly T[], round: number): { current: T[]; earlier: T[] } {
  const current: T[] = [];
  const earlier: T[] = [];
  for (const s of shown) (s.note.round < round ? earlier : current).push(s);
  return { current, earlier };
}

/**
 * The round a host briefs newcomers about: during round N, what round N−1 wrote; between
 * rounds, what the round that just ended wrote. Null when there is none yet.
 */
export function briefRound(c: Clock): number | null {
  const r = c.status === 'ended' ? c.round : c.round - 1;
  return r >= 1 ? r : null;
}

/** The round whose seating a screen should show: the one going on, else the next one. */
export function seatingRound(m: WorkshopModel): number {
  if (roundInProgress(m.clock) || nextRound(m) === null) return Math.max(1, m.clock.round);
  return m.clock.round + 1;
}

export interface RoundSeating {
  round: number;
  /** Table id → the people who sit there that round, by name. */
  byTable: Record<string, Participant[]>;
  /** People with no known table that round (free seating, latecomers). */
  unknown: Participant[];
}

/**
 * Who sits where in round n, from the itineraries (facilitators and board). For the round going
 * on, someone the itineraries do not place is where they sit now.
 */
export function seatingOf(m: WorkshopModel, n: number): RoundSeating {
  const byTable: Record<string, Participant[]> = {};
  for (const t of m.tables) byTable[t.id] = [];
  const unknown: Participant[] = [];
  const now = n === m.clock.round && roundInProgress(m.clock);
  const people = Object.values(m.participants).sort((a, b) => a.name.localeCompare(b.name));
  for (const p of people) {
    let t = m.itineraries?.[p.id]?.[n - 1] || '';
    if (!t && now && p.table) t = p.table;
    if (t && byTable[t]) byTable[t].push(p);
    else unknown.push(p);
  }
  return { round: n, byTable, unknown };
}

/** Who sits where right now (free seating: where people chose to sit). */
export function seatedNow(m: WorkshopModel): RoundSeating {
  const byTable: Record<string, Participant[]> = {};
  for (const t of m.tables) byTable[t.id] = [];
  const unknown: Participant[] = [];
  for (const p of Object.values(m.participants).sort((a, b) => a.name.localeCompare(b.name))) {
    if (p.table && byTable[p.table]) byTable[p.table].push(p);
    else unknown.push(p);
  }
  return { round: m.clock.round, byTable, unknown };
}

/** Whether any round from n on has planned seats (the plan view has something to show). */
export function hasPlan(m: WorkshopModel): boolean {
  return m.seating === 'planned' && Object.values(m.itineraries ?? {}).some((it) => it.some((t) => t !== ''));
}

/** Where this phone last said "I'm here": the round and the table. */
export interface Arrival {
  round: number;
  table: string | null;
}

export type RoundPrompt =
  | { kind: 'goto'; round: number; table: Table; question: string; host: boolean }
  | { kind: 'choose'; round: number; table: Table | null; question: string };

/**
 * What a phone should say when a round starts. With planned seating: "go to table N" when my
 * table is not the one I last confirmed (or I never confirmed one), which also covers a
 * facilitator moving me by hand. A table host is told the same way, whatever the seating: the
 * server seats hosts at their table every round. With free seating: "round N, choose your
 * table" once per round. Nothing between rounds.
 */
export function roundPrompt(m: WorkshopModel, arrived: Arrival | null): RoundPrompt | null {
  const c = m.clock;
  if (!roundInProgress(c)) return null;
  const table = tableById(m, m.myTable);
  const question = roundAt(m, c.round)?.question ?? '';
  const host = table !== null && table.host !== '' && table.host === m.me;
  if (m.seating === 'planned' || host) {
    if (!table) return null;
    if (arrived && arrived.round > 0 && arrived.table === table.id) return null;
    return { kind: 'goto', round: c.round, table, question, host };
  }
  if (arrived && arrived.round >= c.round) return null;
  if (!table) return null; // the table picker is on screen already
  return { kind: 'choose', round: c.round, table, question };
}

// ---- Syntheses ----

/** Someone who changed a synthesis "just now" is shown as writing for this long. */
export const EDITING_WINDOW_MS = 10_000;

export interface SynthesisEditor {
  /** A participant id, or "" for a facilitator. */
  id: string;
  /** Their name when this view knows them (table mates do), else null. */
  name: string | null;
}

/**
 * Who is writing a synthesis now: the people whose changes reached it within the last
 * EDITING_WINDOW_MS of server time (synthesis.changed's `by`), most recent first, without `me`.
 */
export function synthesisEditors(m: WorkshopModel, doc: string, serverNow: number, me: string | null = m.me, windowMs = EDITING_WINDOW_MS): SynthesisEditor[] {
  const seen = m.synthesisActivity[doc] ?? {};
  return Object.entries(seen)
    .filter(([id, at]) => id !== me && serverNow - at <= windowMs)
    .sort((a, b) => b[1] - a[1])
    .map(([id]) => ({ id, name: id === '' ? null : (m.participants[id]?.name ?? null) }));
}

/** Whether this view may edit a synthesis (PROTOCOL.md: the table's people and hosts, hosts the plenary, facilitators all). */
export function canEditSynthesis(m: WorkshopModel, doc: string): boolean {
  if (m.role === 'facilitator') return true;
  if (m.role !== 'participant' || !m.me) return false;
  if (doc === PLENARY) return hostedBy(m, m.me) !== null;
  return m.myTable === doc;
}
