// Checking what the server sends before the store sees it: every frame is split on "\n",
// each line is one JSON message, and each message is checked field by field.
// A message that does not fit PROTOCOL.md is a ProtocolError; the socket then reconnects
// and resumes rather than applying half of it.
import {
  CLOCK_STATUSES,
  PALETTE,
  type Clock,
  type ClockStatus,
  type Colour,
  type Itineraries,
  type Round,
  type Seating,
  type EventType,
  type Note,
  type Participant,
  type Role,
  type ServerMessage,
  type Snapshot,
  type Synthesis,
  type SynthesisUpdate,
  type ChangeSetJSON,
  type Table,
  type Workshop,
  type WorkshopEvent,
  type You,
} from './protocol';

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

type Obj = Record<string, unknown>;

function fail(path: string, want: string, got: unknown): never {
  throw new ProtocolError(`${path}: want ${want}, got ${JSON.stringify(got)?.slice(0, 60)}`);
}
function obj(x: unknown, path: string): Obj {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) fail(path, 'object', x);
  return x as Obj;
}
function str(o: Obj, k: string, path: string): string {
  const x = o[k];
  if (typeof x !== 'string') fail(`${path}.${k}`, 'string', x);
  return x;
}
/** A string that Go may leave out (omitempty) or send as "". */
function optStr(o: Obj, k: string, path: string): string {
  const x = o[k];
  if (x === undefined || x === null) return '';
  if (typeof x !== 'string') fail(`${path}.${k}`, 'string', x);
  return x;
}
function num(o: Obj, k: string, path: string): number {
  const x = o[k];
  if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${path}.${k}`, 'number', x);
  return x;
}
function bool(o: Obj, k: string, path: string): boolean {
  const x = o[k];
  if (typeof x !== 'boolean') fail(`${path}.${k}`, 'boolean', x);
  return x;
}
function strOrNull(o: Obj, k: string, path: string): string | null {
  const x = o[k];
  if (x === null || x === undefined) return null;
  if (typeof x !== 'string') fail(`${path}.${k}`, 'string or null', x);
  return x;
}
/** Go encodes a nil slice as null: accept it as empty. */
function arr<T>(o: Obj, k: string, path: string, each: (x: unknown, p: string) => T): T[] {
  const x = o[k];
  if (x === null || x === undefined) return [];
  if (!Array.isArray(x)) fail(`${path}.${k}`, 'array', x);
  return x.map((e, i) => each(e, `${path}.${k}[${i}]`));
}
function colour(o: Obj, k: string, path: string): Colour {
  const c = str(o, k, path);
  // An unknown colour from a newer server is shown as yellow rather than refused.
  return (PALETTE as readonly string[]).includes(c) ? (c as Colour) : 'yellow';
}

export function decodeWorkshop(x: unknown, p = 'workshop'): Workshop {
  const o = obj(x, p);
  const w: Workshop = {
    id: str(o, 'id', p),
    title: str(o, 'title', p),
    subtitle: optStr(o, 'subtitle', p),
    date: optStr(o, 'date', p),
    venue: optStr(o, 'venue', p),
    language: optStr(o, 'language', p) || 'fr',
    code: str(o, 'code', p),
    allowAnonymous: o.allowAnonymous === undefined ? false : bool(o, 'allowAnonymous', p),
  };
  if (o.createdAt !== undefined) w.createdAt = num(o, 'createdAt', p);
  return w;
}

export function decodeTable(x: unknown, p = 'table'): Table {
  const o = obj(x, p);
  const t: Table = {
    id: str(o, 'id', p),
    number: num(o, 'number', p),
    name: str(o, 'name', p),
    question: optStr(o, 'question', p),
    colour: colour(o, 'colour', p),
    capacity: o.capacity === undefined ? 0 : num(o, 'capacity', p),
    host: optStr(o, 'host', p),
  };
  if (o.count !== undefined) t.count = num(o, 'count', p);
  return t;
}

export function decodeParticipant(x: unknown, p = 'participant'): Participant {
  const o = obj(x, p);
  const r: Participant = {
    id: str(o, 'id', p),
    name: str(o, 'name', p),
    organisation: optStr(o, 'organisation', p),
    table: strOrNull(o, 'table', p),
    joinedAt: num(o, 'joinedAt', p),
  };
  if (o.email !== undefined && o.email !== null) r.email = str(o, 'email', p);
  return r;
}

export function decodeNote(x: unknown, p = 'note'): Note {
  const o = obj(x, p);
  const n: Note = {
    id: str(o, 'id', p),
    table: str(o, 'table', p),
    author: strOrNull(o, 'author', p),
    authorName: strOrNull(o, 'authorName', p),
    via: strOrNull(o, 'via', p),
    text: str(o, 'text', p),
    colour: colour(o, 'colour', p),
    round: o.round === undefined ? 0 : num(o, 'round', p),
    createdAt: num(o, 'createdAt', p),
    editedAt: o.editedAt === undefined || o.editedAt === null ? null : num(o, 'editedAt', p),
    voters: arr(o, 'voters', p, (e, q) => (typeof e === 'string' ? e : fail(q, 'string', e))),
  };
  if (o.hidden !== undefined) n.hidden = bool(o, 'hidden', p);
  return n;
}

export function decodeRound(x: unknown, p = 'round'): Round {
  const o = obj(x, p);
  return { minutes: num(o, 'minutes', p), question: optStr(o, 'question', p) };
}

/** Before the first round: what a server without rounds means too. */
export function waitingClock(): Clock {
  return { round: 0, status: 'waiting', startedAt: 0, endsAt: 0, remaining: 0 };
}

export function decodeClock(x: unknown, p = 'clock'): Clock {
  const o = obj(x, p);
  const status = str(o, 'status', p);
  if (!(CLOCK_STATUSES as readonly string[]).includes(status)) fail(`${p}.status`, CLOCK_STATUSES.join('|'), status);
  return {
    round: num(o, 'round', p),
    status: status as ClockStatus,
    startedAt: o.startedAt === undefined ? 0 : num(o, 'startedAt', p),
    endsAt: o.endsAt === undefined ? 0 : num(o, 'endsAt', p),
    remaining: o.remaining === undefined ? 0 : num(o, 'remaining', p),
  };
}

function seating(o: Obj, k: string, p: string): Seating {
  const s = str(o, k, p);
  if (s !== 'free' && s !== 'planned') fail(`${p}.${k}`, 'free|planned', s);
  return s;
}

function strings(x: unknown, p: string): string[] {
  if (x === null || x === undefined) return [];
  if (!Array.isArray(x)) fail(p, 'array', x);
  return x.map((e, i) => (typeof e === 'string' ? e : fail(`${p}[${i}]`, 'string', e)));
}

/** A map of id → string, like round.started's seats. */
function stringMap(x: unknown, p: string): Record<string, string> {
  const o = x === null || x === undefined ? {} : obj(x, p);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) out[k] = typeof v === 'string' ? v : fail(`${p}.${k}`, 'string', v);
  return out;
}

export function decodeItineraries(x: unknown, p = 'itineraries'): Itineraries {
  const o = x === null || x === undefined ? {} : obj(x, p);
  const out: Itineraries = {};
  for (const [k, v] of Object.entries(o)) out[k] = strings(v, `${p}.${k}`);
  return out;
}

function count(x: unknown, p: string): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0) fail(p, 'a count', x);
  return x;
}

/** CodeMirror's ChangeSet.toJSON(): retained lengths, and [deleted, ...inserted lines]. */
export function decodeChangeSet(x: unknown, p = 'changes'): ChangeSetJSON {
  if (!Array.isArray(x)) fail(p, 'array', x);
  return x.map((e, i) => {
    const q = `${p}[${i}]`;
    if (!Array.isArray(e)) return count(e, q);
    if (e.length === 0) fail(q, '[length, ...lines]', e);
    const [n, ...lines] = e;
    return [count(n, `${q}[0]`), ...lines.map((l, j) => (typeof l === 'string' ? l : fail(`${q}[${j + 1}]`, 'string', l)))] as [number, ...string[]];
  });
}

function decodeUpdate(x: unknown, p: string): SynthesisUpdate {
  const o = obj(x, p);
  return { clientID: str(o, 'clientID', p), changes: decodeChangeSet(o.changes, `${p}.changes`) };
}

export function decodeSynthesis(x: unknown, p = 'synthesis'): Synthesis {
  const o = obj(x, p);
  const rounds = o.rounds === undefined || o.rounds === null ? {} : stringMap(o.rounds, `${p}.rounds`);
  return {
    doc: str(o, 'doc', p),
    version: count(o.version, `${p}.version`),
    text: optStr(o, 'text', p),
    editedAt: o.editedAt === undefined || o.editedAt === null ? 0 : num(o, 'editedAt', p),
    rounds,
  };
}

function decodeYou(x: unknown, p: string): You {
  const o = obj(x, p);
  return {
    participant: str(o, 'participant', p),
    table: strOrNull(o, 'table', p),
    mine: arr(o, 'mine', p, (e, q) => (typeof e === 'string' ? e : fail(q, 'string', e))),
  };
}

export function decodeSnapshot(x: unknown, p = 'state'): Snapshot {
  const o = obj(x, p);
  const s: Snapshot = {
    workshop: decodeWorkshop(o.workshop, `${p}.workshop`),
    tables: arr(o, 'tables', p, decodeTable),
    participants: arr(o, 'participants', p, decodeParticipant),
    notes: arr(o, 'notes', p, decodeNote),
    syntheses: arr(o, 'syntheses', p, decodeSynthesis),
    // A server from before rounds sends none of these: it has the defaults.
    rounds: arr(o, 'rounds', p, decodeRound),
    clock: o.clock === undefined || o.clock === null ? waitingClock() : decodeClock(o.clock, `${p}.clock`),
    seating: o.seating === undefined ? 'free' : seating(o, 'seating', p),
  };
  if (o.itineraries !== undefined && o.itineraries !== null) s.itineraries = decodeItineraries(o.itineraries, `${p}.itineraries`);
  if (o.you !== undefined && o.you !== null) s.you = decodeYou(o.you, `${p}.you`);
  return s;
}

type DataDecoder = (d: Obj, p: string) => unknown;
const eventData: Record<EventType, DataDecoder> = {
  'workshop.created': (d, p) => ({ workshop: decodeWorkshop(d.workshop, `${p}.workshop`) }),
  'workshop.edited': (d, p) => ({ workshop: decodeWorkshop(d.workshop, `${p}.workshop`) }),
  'table.added': (d, p) => ({ table: decodeTable(d.table, `${p}.table`) }),
  'table.edited': (d, p) => ({ table: decodeTable(d.table, `${p}.table`) }),
  'table.removed': (d, p) => ({ table: str(d, 'table', p) }),
  'participant.joined': (d, p) => ({ participant: decodeParticipant(d.participant, `${p}.participant`) }),
  'participant.edited': (d, p) => ({ participant: decodeParticipant(d.participant, `${p}.participant`) }),
  'participant.moved': (d, p) => ({
    participant: str(d, 'participant', p),
    table: strOrNull(d, 'table', p),
    from: strOrNull(d, 'from', p),
    person: d.person === undefined ? undefined : decodeParticipant(d.person, `${p}.person`),
  }),
  'participant.removed': (d, p) => ({ participant: str(d, 'participant', p) }),
  'note.posted': (d, p) => ({ note: decodeNote(d.note, `${p}.note`) }),
  'note.edited': (d, p) => ({
    note: str(d, 'note', p),
    text: str(d, 'text', p),
    colour: colour(d, 'colour', p),
    editedAt: num(d, 'editedAt', p),
  }),
  'note.deleted': (d, p) => ({ note: str(d, 'note', p) }),
  'note.hidden': (d, p) => ({ note: str(d, 'note', p) }),
  'note.restored': (d, p) => ({ note: decodeNote(d.note, `${p}.note`) }),
  'vote.toggled': (d, p) => ({ note: str(d, 'note', p), participant: str(d, 'participant', p), on: bool(d, 'on', p) }),
  'rounds.set': (d, p) => ({ rounds: arr(d, 'rounds', p, decodeRound) }),
  'round.started': (d, p) => {
    const r: { clock: Clock; seats?: Record<string, string> } = { clock: decodeClock(d.clock, `${p}.clock`) };
    if (d.seats !== undefined) r.seats = stringMap(d.seats, `${p}.seats`);
    return r;
  },
  'round.paused': (d, p) => ({ clock: decodeClock(d.clock, `${p}.clock`) }),
  'round.resumed': (d, p) => ({ clock: decodeClock(d.clock, `${p}.clock`) }),
  'round.extended': (d, p) => ({ clock: decodeClock(d.clock, `${p}.clock`) }),
  'round.ended': (d, p) => ({ clock: decodeClock(d.clock, `${p}.clock`) }),
  'plan.made': (d, p) => {
    // Phones get the public form, without everyone's itinerary.
    const r: { seating: Seating; from: number; itineraries?: Itineraries } = { seating: seating(d, 'seating', p), from: num(d, 'from', p) };
    if (d.itineraries !== undefined && d.itineraries !== null) r.itineraries = decodeItineraries(d.itineraries, `${p}.itineraries`);
    return r;
  },
  'seating.changed': (d, p) => ({ seating: seating(d, 'seating', p) }),
  'synthesis.changed': (d, p) => ({
    doc: str(d, 'doc', p),
    version: count(d.version, `${p}.version`),
    updates: arr(d, 'updates', p, decodeUpdate),
    by: strOrNull(d, 'by', p),
  }),
};

export function isEventType(x: string): x is EventType {
  return Object.hasOwn(eventData, x);
}

const ROLES: readonly Role[] = ['facilitator', 'board', 'participant'];

/**
 * Checks one parsed server message. Returns null for a message this client does not know
 * (a newer server may add some); throws ProtocolError for a known one that is malformed.
 */
export function decodeServerMessage(x: unknown): ServerMessage | null {
  const o = obj(x, 'message');
  const t = str(o, 't', 'message');
  const p = t;
  switch (t) {
    case 'welcome': {
      const role = str(o, 'role', p);
      if (!ROLES.includes(role as Role)) fail(`${p}.role`, ROLES.join('|'), role);
      return {
        t,
        proto: num(o, 'proto', p),
        role: role as Role,
        participant: strOrNull(o, 'participant', p),
        serverTime: num(o, 'serverTime', p),
      };
    }
    case 'snapshot':
      return { t, v: num(o, 'v', p), state: decodeSnapshot(o.state, `${p}.state`) };
    case 'ev': {
      const type = str(o, 'type', p);
      if (!isEventType(type)) return null;
      const data = eventData[type](obj(o.data, `${p}.data`), `${p}(${type}).data`);
      return { t, v: num(o, 'v', p), at: num(o, 'at', p), type, data } as WorkshopEvent;
    }
    case 'synced':
      return { t, v: num(o, 'v', p) };
    case 'ack':
      return { t, id: str(o, 'id', p), v: num(o, 'v', p) };
    case 'error': {
      const e: ServerMessage = { t, code: str(o, 'code', p), message: optStr(o, 'message', p) };
      if (o.id !== undefined && o.id !== null) e.id = str(o, 'id', p);
      if (o.retryAfterMs !== undefined) e.retryAfterMs = num(o, 'retryAfterMs', p);
      return e;
    }
    case 'pong':
      return { t, n: num(o, 'n', p), serverTime: num(o, 'serverTime', p) };
    case 'bye':
      return { t, reason: str(o, 'reason', p) };
    case 'presence':
      return { t, online: arr(o, 'online', p, (e, q) => (typeof e === 'string' ? e : fail(q, 'string', e))) };
    case 'headcount': {
      const tables = obj(o.tables, `${p}.tables`);
      const counts: Record<string, number> = {};
      for (const k of Object.keys(tables)) counts[k] = num(tables, k, `${p}.tables`);
      return { t, tables: counts };
    }
    default:
      return null;
  }
}

/**
 * Splits one WebSocket text frame into its messages: the server may batch several JSON
 * objects into one frame, separated by "\n" (PROTOCOL.md §2). Blank lines are skipped.
 * Throws ProtocolError when a line is not JSON.
 */
export function splitFrame(frame: string): unknown[] {
  const out: unknown[] = [];
  for (const line of frame.split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      throw new ProtocolError(`frame line is not JSON: ${line.slice(0, 60)}`);
    }
  }
  return out;
}
