// The HTTP side of PROTOCOL.md §1: create, import and delete a workshop, read a join code, join,
// import a participant list, and read the harvest with a key.
// Errors come back as application/problem+json; callers switch on `code`, never on `detail`.
import { decodeParticipant, decodeSnapshot, decodeTable, decodeWorkshop } from './decode';
import type { Language, Participant, Snapshot, Table, Workshop } from './protocol';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    /** A code of PROTOCOL.md §4, or `network` when the server could not be reached. */
    readonly code: string,
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly retryAfterMs?: number,
  ) {
    super(detail || title || code);
  }
}

export interface CreateWorkshop {
  title: string;
  subtitle: string;
  date: string;
  venue: string;
  language: Language;
  allowAnonymous: boolean;
  template: 'blank' | 'seed';
}

export interface Created {
  workshop: Workshop;
  facilitatorKey: string;
  boardKey: string;
  links: { console: string; board: string; join: string };
}

export interface JoinInfo {
  workshop: Workshop;
  tables: Table[];
}

export interface JoinRequest {
  id: string;
  token: string;
  name: string;
  organisation: string;
  email: string;
  table: string | null;
}

export interface Joined {
  workshop: string;
  participant: Participant;
}

/** A raw body (a file as the person chose it), sent as it is. */
class RawBody {
  constructor(
    readonly raw: Blob | string,
    readonly type: string,
  ) {}
}

async function send(method: string, path: string, body?: unknown, bearer?: string, accept = 'application/json'): Promise<Response> {
  const headers: Record<string, string> = { Accept: accept };
  let payload: BodyInit | undefined;
  if (body instanceof RawBody) {
    headers['Content-Type'] = body.type;
    payload = body.raw;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (bearer) headers['Authorization'] = `Bearer ${bearer}`;
  try {
    return await fetch(path, { method, headers, body: payload });
  } catch (err) {
    throw new ApiError('network', 0, 'Network error', String(err));
  }
}

/** The problem (RFC 9457) of a failed answer, as an ApiError. */
function problem(res: Response, text: string): ApiError {
  let p: Record<string, unknown> = {};
  try {
    const json: unknown = text ? JSON.parse(text) : null;
    if (typeof json === 'object' && json !== null) p = json as Record<string, unknown>;
  } catch {
    // not JSON: status only
  }
  const s = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : '');
  const retry = typeof p.retryAfterMs === 'number' ? p.retryAfterMs : undefined;
  return new ApiError(s('code') || (res.status >= 500 ? 'internal' : 'invalid'), res.status, s('title') || res.statusText, s('detail'), retry);
}

async function call(method: string, path: string, body?: unknown, bearer?: string, emptyOK = false): Promise<unknown> {
  const res = await send(method, path, body, bearer);
  const text = await res.text();
  if (!res.ok) throw problem(res, text);
  if (!text && emptyOK) return null;
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: handled below
  }
  if (json === null) throw new ApiError('internal', res.status, 'Bad answer', 'the server did not answer JSON');
  return json;
}

function record(x: unknown): Record<string, unknown> {
  if (typeof x !== 'object' || x === null) throw new ApiError('internal', 200, 'Bad answer', 'not an object');
  return x as Record<string, unknown>;
}

export async function createWorkshop(body: CreateWorkshop): Promise<Created> {
  return decodeCreated(await call('POST', '/api/workshops', body));
}

export async function getJoinInfo(code: string): Promise<JoinInfo> {
  const o = record(await call('GET', `/api/join/${encodeURIComponent(code)}`));
  return {
    workshop: decodeWorkshop(o.workshop),
    tables: (Array.isArray(o.tables) ? o.tables : []).map((t, i) => decodeTable(t, `tables[${i}]`)),
  };
}

/** Joining is idempotent on `req.id`: a retry after a lost answer gives the same participant. */
export async function join(code: string, req: JoinRequest): Promise<Joined> {
  const o = record(await call('POST', `/api/join/${encodeURIComponent(code)}`, req));
  return { workshop: String(o.workshop), participant: decodeParticipant(o.participant) };
}

/** The facilitator's links again (on a device that did not create the workshop). */
export async function workshopLinks(workshopId: string, facilitatorKey: string): Promise<Created['links']> {
  const o = record(await call('GET', `/api/workshops/${encodeURIComponent(workshopId)}/links`, undefined, facilitatorKey));
  return { console: String(o.console), board: String(o.board), join: String(o.join) };
}

const workshopPath = (workshopId: string, rest: string) => `/api/workshops/${encodeURIComponent(workshopId)}/${rest}`;

/** A facilitator's export (report.md, notes.csv, export.json) as a file to save: the key travels in a header. */
export async function downloadExport(workshopId: string, facilitatorKey: string, path: string): Promise<{ blob: Blob; filename: string }> {
  const res = await send('GET', workshopPath(workshopId, path), undefined, facilitatorKey, '*/*');
  if (!res.ok) throw problem(res, await res.text());
  const filename = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? path.replace(/\?.*$/, '');
  return { blob: await res.blob(), filename };
}

/**
 * A harvest page or chart as text (report.html, badges.html, table-cards.html, charts/*.svg),
 * read with a key: a page the console cannot open by address, since the key must stay out of it.
 */
export async function fetchArtefact(workshopId: string, token: string, path: string, signal?: AbortSignal): Promise<string> {
  let res: Response;
  try {
    res = await fetch(workshopPath(workshopId, path), { headers: { Accept: 'text/html, image/svg+xml, */*', Authorization: `Bearer ${token}` }, signal });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError('network', 0, 'Network error', String(err));
  }
  const text = await res.text();
  if (!res.ok) throw problem(res, text);
  return text;
}

// ---- Participant lists (PROTOCOL.md §1, "Participant lists") ----

/** Our fields, as keys of RosterPreview.columns. */
export type RosterField = 'last_name' | 'first_name' | 'full_name' | 'organisation' | 'email';

export interface RosterPerson {
  name: string;
  organisation: string;
  email: string;
  /** The participant this row already is (then it is not imported again). */
  existing: string | null;
  /** After an import, for each person added: their id and personal link ("/p/…#t=…"). */
  id: string | null;
  link: string | null;
}

export interface RosterIssue {
  /** 1-based line of the file. */
  line: number;
  /** name, organisation, email… or '' for the whole line. */
  field: string;
  code: string;
  /** In English, for logs; the console translates `code`. */
  message: string;
}

export interface RosterPreview {
  encoding: string;
  delimiter: string;
  columns: Partial<Record<RosterField, string>>;
  people: RosterPerson[];
  issues: RosterIssue[];
  /** After an import: how many were added. */
  imported?: number;
}

const str = (o: Record<string, unknown>, k: string) => (typeof o[k] === 'string' ? (o[k] as string) : '');
const strOrNull = (o: Record<string, unknown>, k: string) => (typeof o[k] === 'string' && o[k] !== '' ? (o[k] as string) : null);

export function decodeRosterPreview(x: unknown): RosterPreview {
  const o = record(x);
  const columns: Partial<Record<RosterField, string>> = {};
  if (typeof o.columns === 'object' && o.columns !== null) {
    for (const [k, v] of Object.entries(o.columns as Record<string, unknown>)) if (typeof v === 'string') columns[k as RosterField] = v;
  }
  const list = (k: string) => (Array.isArray(o[k]) ? (o[k] as unknown[]) : []).map(record);
  const p: RosterPreview = {
    encoding: str(o, 'encoding'),
    delimiter: str(o, 'delimiter'),
    columns,
    people: list('people').map((r) => ({
      name: str(r, 'name'),
      organisation: str(r, 'organisation'),
      email: str(r, 'email'),
      existing: strOrNull(r, 'existing'),
      id: strOrNull(r, 'id'),
      link: strOrNull(r, 'link'),
    })),
    issues: list('issues').map((r) => ({
      line: typeof r.line === 'number' ? r.line : 0,
      field: str(r, 'field'),
      code: str(r, 'code'),
      message: str(r, 'message'),
    })),
  };
  if (typeof o.imported === 'number') p.imported = o.imported;
  return p;
}

/** Reads a participant list (the file as it is) without storing anything. */
export async function previewRoster(workshopId: string, facilitatorKey: string, file: Blob): Promise<RosterPreview> {
  return decodeRosterPreview(await call('POST', workshopPath(workshopId, 'roster?preview=1'), new RawBody(file, 'text/csv'), facilitatorKey));
}

/** Imports a participant list. The same `importId` again adds nobody twice (a double click, a retry). */
export async function importRoster(workshopId: string, facilitatorKey: string, file: Blob, importId: string): Promise<RosterPreview & { imported: number }> {
  const p = decodeRosterPreview(
    await call('POST', workshopPath(workshopId, `roster?import=${encodeURIComponent(importId)}`), new RawBody(file, 'text/csv'), facilitatorKey),
  );
  return { ...p, imported: p.imported ?? p.people.filter((x) => x.link).length };
}

export interface PersonalLink {
  participant: string;
  name: string;
  /** "/p/{workshop}#t={token}" */
  link: string;
}

/** The personal link of every participant the facilitator registered. */
export async function personalLinks(workshopId: string, facilitatorKey: string): Promise<PersonalLink[]> {
  const o = record(await call('GET', workshopPath(workshopId, 'personal-links'), undefined, facilitatorKey));
  return (Array.isArray(o.links) ? o.links : []).map((l) => {
    const r = record(l);
    return { participant: str(r, 'participant'), name: str(r, 'name'), link: str(r, 'link') };
  });
}

// ---- Moving and deleting a workshop ----

function decodeCreated(x: unknown): Created {
  const o = record(x);
  const links = record(o.links);
  return {
    workshop: decodeWorkshop(o.workshop),
    facilitatorKey: String(o.facilitatorKey),
    boardKey: String(o.boardKey),
    links: { console: String(links.console), board: String(links.board), join: String(links.join) },
  };
}

/** A new workshop from an export (PROTOCOL.md §5), sent as the file is: new id, code and keys. */
export async function importWorkshop(doc: Blob | string): Promise<Created> {
  return decodeCreated(await call('POST', '/api/workshops/import', new RawBody(doc, 'application/json')));
}

/** Deletes the workshop and everything stored about it. Already gone counts as done. */
export async function deleteWorkshop(workshopId: string, facilitatorKey: string): Promise<void> {
  try {
    await call('DELETE', `/api/workshops/${encodeURIComponent(workshopId)}`, undefined, facilitatorKey, true);
  } catch (err) {
    if (err instanceof ApiError && err.code === 'not_found') return;
    throw err;
  }
}

/** The workshop as the token's role sees it (GET /api/workshops/{id}/state). */
export async function workshopState(workshopId: string, token: string): Promise<{ v: number; state: Snapshot }> {
  const o = record(await call('GET', `/api/workshops/${encodeURIComponent(workshopId)}/state`, undefined, token));
  return { v: typeof o.v === 'number' ? o.v : 0, state: decodeSnapshot(o.state) };
}

export function qrURL(workshopId: string): string {
  return `/api/workshops/${encodeURIComponent(workshopId)}/qr.svg`;
}
