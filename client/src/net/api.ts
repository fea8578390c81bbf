// The HTTP side of PROTOCOL.md §1: create a workshop, read a join code, join.
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

async function call(method: string, path: string, body?: unknown, bearer?: string): Promise<unknown> {
  let res: Response;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (bearer) headers['Authorization'] = `Bearer ${bearer}`;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (err) {
    throw new ApiError('network', 0, 'Network error', String(err));
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: handled below
  }
  if (!res.ok) {
    const p = (json ?? {}) as Record<string, unknown>;
    const s = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : '');
    const retry = typeof p.retryAfterMs === 'number' ? p.retryAfterMs : undefined;
    throw new ApiError(s('code') || (res.status >= 500 ? 'internal' : 'invalid'), res.status, s('title') || res.statusText, s('detail'), retry);
  }
  if (json === null) throw new ApiError('internal', res.status, 'Bad answer', 'the server did not answer JSON');
  return json;
}

function record(x: unknown): Record<string, unknown> {
  if (typeof x !== 'object' || x === null) throw new ApiError('internal', 200, 'Bad answer', 'not an object');
  return x as Record<string, unknown>;
}

export async function createWorkshop(body: CreateWorkshop): Promise<Created> {
  const o = record(await call('POST', '/api/workshops', body));
  const links = record(o.links);
  return {
    workshop: decodeWorkshop(o.workshop),
    facilitatorKey: String(o.facilitatorKey),
    boardKey: String(o.boardKey),
    links: { console: String(links.console), board: String(links.board), join: String(links.join) },
  };
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

/** A facilitator's export (report.md or notes.csv) as a file to save: the key travels in a header. */
export async function downloadExport(workshopId: string, facilitatorKey: string, path: string): Promise<{ blob: Blob; filename: string }> {
  let res: Response;
  try {
    res = await fetch(`/api/workshops/${encodeURIComponent(workshopId)}/${path}`, { headers: { Authorization: `Bearer ${facilitatorKey}` } });
  } catch (err) {
    throw new ApiError('network', 0, 'Network error', String(err));
  }
  if (!res.ok) throw new ApiError('invalid', res.status, res.statusText, await res.text());
  const filename = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? path;
  return { blob: await res.blob(), filename };
}

/** The workshop as the token's role sees it (GET /api/workshops/{id}/state). */
export async function workshopState(workshopId: string, token: string): Promise<{ v: number; state: Snapshot }> {
  const o = record(await call('GET', `/api/workshops/${encodeURIComponent(workshopId)}/state`, undefined, token));
  return { v: typeof o.v === 'number' ? o.v : 0, state: decodeSnapshot(o.state) };
}

export function qrURL(workshopId: string): string {
  return `/api/workshops/${encodeURIComponent(workshopId)}/qr.svg`;
}
