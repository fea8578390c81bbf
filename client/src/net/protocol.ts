// The Nappe wire protocol, version 1, as the browser speaks it.
// The contract is internal/protocol/PROTOCOL.md; the golden frames in
// internal/protocol/testdata/golden/ are checked against this file by golden.test.ts.

export const PROTOCOL_VERSION = 1;

export const PALETTE = ['yellow', 'orange', 'red', 'pink', 'purple', 'blue', 'teal', 'green'] as const;
export type Colour = (typeof PALETTE)[number];

export const LIMITS = {
  title: 200,
  subtitle: 300,
  venue: 300,
  name: 80,
  organisation: 120,
  email: 254,
  tableName: 120,
  question: 500,
  note: 500,
} as const;

export type Role = 'facilitator' | 'board' | 'participant';
export type Language = 'fr' | 'en';

export interface Workshop {
  id: string;
  title: string;
  subtitle: string;
  date: string;
  venue: string;
  language: string;
  code: string;
  allowAnonymous: boolean;
  createdAt?: number;
}

export interface Table {
  id: string;
  number: number;
  name: string;
  question: string;
  colour: Colour;
  capacity: number;
  /** The participant id of the table host (who stays every round), "" when none. */
  host: string;
  /** Only in JoinInfo: how many people sit there. */
  count?: number;
}

export interface Participant {
  id: string;
  name: string;
  organisation: string;
  /** Only in the facilitator's view. */
  email?: string;
  table: string | null;
  joinedAt: number;
}

export interface Note {
  id: string;
  table: string;
  author: string | null;
  authorName: string | null;
  /** The host's name when a host wrote this note for authorName, someone without a phone. */
  via: string | null;
  text: string;
  colour: Colour;
  round: number;
  createdAt: number;
  editedAt: number | null;
  /** Only in the facilitator's view and the table host's view of their own table. */
  hidden?: boolean;
  voters: string[];
}

/** One round of the schedule. */
export interface Round {
  minutes: number;
  /** Asked at every table this round, on top of each table's own; "" for none. */
  question: string;
}

export const CLOCK_STATUSES = ['waiting', 'running', 'paused', 'ended'] as const;
export type ClockStatus = (typeof CLOCK_STATUSES)[number];

/** Where the room is in its rounds. Times are server milliseconds. */
export interface Clock {
  /** The round running, paused or last ended, from 1; 0 before the first. */
  round: number;
  status: ClockStatus;
  startedAt: number;
  /** When the round ends if nobody pauses or extends it; past it, the room is in overtime. */
  endsAt: number;
  /** Milliseconds left when paused. */
  remaining: number;
}

export type Seating = 'free' | 'planned';

/** Participant id → table id per round ("" where unknown). Facilitators and board only. */
export type Itineraries = Record<string, string[]>;

export const ROUND_LIMITS = { rounds: 12, minutes: 240, extend: 60 } as const;

/**
 * A text written together (PROTOCOL.md §3 "Syntheses"): a table's (doc = the table id) or the
 * whole workshop's (doc = "plenary"). Plain text: paragraphs, and lines starting with "- " are
 * bullets. Positions in changes count UTF-16 code units, as JavaScript strings do.
 */
export interface Synthesis {
  doc: string;
  /** How many updates the text has had: the version an editor's next push is made on. */
  version: number;
  text: string;
  editedAt: number;
  /** The text as it stood when each round ended, by round number ("1", "2", …). */
  rounds: Record<string, string>;
}

/** The doc of the whole workshop's synthesis. */
export const PLENARY = 'plenary';

/** The longest a synthesis may be, in UTF-16 code units (the server's textsync.MaxLen). */
export const SYNTHESIS_MAX = 20_000;

/** One editor's change in a push or a synthesis.changed event: CodeMirror's ChangeSet.toJSON(). */
export interface SynthesisUpdate {
  clientID: string;
  changes: ChangeSetJSON;
}

/** ChangeSet.toJSON(): a number retains that many units; [n] deletes n; [n, ...lines] replaces n by the lines joined by "\n". */
export type ChangeSetJSON = (number | [number, ...string[]])[];

export interface You {
  participant: string;
  table: string | null;
  mine: string[];
}

export interface Snapshot {
  workshop: Workshop;
  tables: Table[];
  participants: Participant[];
  notes: Note[];
  /** Participants: their table's and the plenary's; facilitators and board: all of them. */
  syntheses: Synthesis[];
  rounds: Round[];
  clock: Clock;
  seating: Seating;
  /** Facilitators and board only. */
  itineraries?: Itineraries;
  you?: You;
}

// ---- Events (server → client, inside "ev") ----

export interface EventDataMap {
  'workshop.created': { workshop: Workshop };
  'workshop.edited': { workshop: Workshop };
  'table.added': { table: Table };
  'table.edited': { table: Table };
  'table.removed': { table: string };
  'participant.joined': { participant: Participant };
  'participant.edited': { participant: Participant };
  // person: the participant after the move, so that a table can show who arrived.
  'participant.moved': { participant: string; table: string | null; from: string | null; person?: Participant };
  'participant.removed': { participant: string };
  'note.posted': { note: Note };
  'note.edited': { note: string; text: string; colour: Colour; editedAt: number };
  'note.deleted': { note: string };
  'note.hidden': { note: string };
  'note.restored': { note: Note };
  'vote.toggled': { note: string; participant: string; on: boolean };
  'rounds.set': { rounds: Round[] };
  /** seats: facilitators and board only (participant id → table id for this round). */
  'round.started': { clock: Clock; seats?: Record<string, string> };
  'round.paused': { clock: Clock };
  'round.resumed': { clock: Clock };
  'round.extended': { clock: Clock };
  'round.ended': { clock: Clock };
  /** itineraries: facilitators and board only (phones learn only that seating is planned). */
  'plan.made': { seating: Seating; from: number; itineraries?: Itineraries };
  'seating.changed': { seating: Seating };
  /** The updates accepted at `version` (the synthesis is at version + updates.length after them); by: null for a facilitator. */
  'synthesis.changed': { doc: string; version: number; updates: SynthesisUpdate[]; by: string | null };
}
export type EventType = keyof EventDataMap;
export type WorkshopEvent = {
  [K in EventType]: { t: 'ev'; v: number; at: number; type: K; data: EventDataMap[K] };
}[EventType];

// ---- Commands (client → server, inside "cmd") ----

export interface CommandDataMap {
  'workshop.edit': Partial<Pick<Workshop, 'title' | 'subtitle' | 'date' | 'venue' | 'language' | 'allowAnonymous'>>;
  'table.add': { id: string; name: string; question: string; colour: Colour; capacity: number; number?: number };
  'table.edit': { table: string } & Partial<Pick<Table, 'number' | 'name' | 'question' | 'colour' | 'capacity'>>;
  'table.remove': { table: string };
  'participant.edit': { participant: string; name?: string; organisation?: string; email?: string };
  'participant.move': { participant: string; table: string | null };
  'participant.remove': { participant: string };
  /** for: the name of someone without a phone, for whom a table host (or a facilitator) writes. */
  'note.post': { note: string; table?: string; text: string; colour: Colour; anonymous: boolean; for?: string };
  'note.edit': { note: string; text?: string; colour?: Colour };
  'note.delete': { note: string };
  'note.hide': { note: string };
  'note.restore': { note: string };
  'vote.toggle': { note: string };
  'rounds.set': { rounds: Round[] };
  'round.start': Record<string, never>;
  'round.pause': Record<string, never>;
  'round.resume': Record<string, never>;
  'round.extend': { minutes: number };
  'round.end': Record<string, never>;
  'plan.make': Record<string, never>;
  'seating.set': { seating: Seating };
  'host.set': { table: string; participant: string | null };
  /** version: the version the updates were made on; 1–100 updates. */
  'synthesis.push': { doc: string; version: number; updates: SynthesisUpdate[] };
}
export type CommandType = keyof CommandDataMap;
export type Command = { [K in CommandType]: { type: K; data: CommandDataMap[K] } }[CommandType];

export type ErrorCode =
  | 'bad_frame'
  | 'unknown_type'
  | 'binary_frame'
  | 'invalid_utf8'
  | 'frame_too_large'
  | 'not_authenticated'
  | 'unauthorized'
  | 'proto_version'
  | 'forbidden'
  | 'not_found'
  | 'invalid'
  | 'too_long'
  | 'not_empty'
  | 'table_full'
  | 'workshop_full'
  | 'duplicate'
  | 'stale'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

// ---- Messages ----

export type ServerMessage =
  | { t: 'welcome'; proto: number; role: Role; participant: string | null; serverTime: number }
  | { t: 'snapshot'; v: number; state: Snapshot }
  | WorkshopEvent
  | { t: 'synced'; v: number }
  | { t: 'ack'; id: string; v: number }
  | { t: 'error'; id?: string; code: string; message: string; retryAfterMs?: number }
  | { t: 'pong'; n: number; serverTime: number }
  | { t: 'bye'; reason: string }
  /** Facilitators only: the participants connected now (the whole list each time). */
  | { t: 'presence'; online: string[] }
  /**
   * Participants only: how many people sit at the tables named (all of them on connect, then
   * those that changed); a phone sees only its own table's people.
   */
  | { t: 'headcount'; tables: Record<string, number> };

export type ClientMessage =
  | { t: 'hello'; proto: number; workshop: string; token: string; since?: number }
  | ({ t: 'cmd'; id: string } & Command)
  | { t: 'ping'; n: number };

/** Close codes of §2 "Goodbye". */
export const CLOSE = {
  goingAway: 1001,
  protocolVersion: 4000,
  badToken: 4001,
  removed: 4003,
  tooSlow: 4008,
} as const;
