// The HTTP calls of the console and the landing page against a fake fetch: what is sent (the
// file as it is, the key in a header, never in the address) and how answers and problems read.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  deleteWorkshop,
  downloadExport,
  fetchArtefact,
  importRoster,
  importWorkshop,
  personalLinks,
  previewRoster,
} from './api';

const W = '12bc3b26-7fa5-4700-98ee-1ce0f456ca8a';
const KEY = 'ONm9pfDZQGfBdMXEhIuYbNS8QqQF78_YAwkTm0ZM5Gk';

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** Answers every request with `answer` and records what was asked. */
function fakeFetch(answer: () => Response | Promise<Response>): Seen[] {
  const seen: Seen[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    seen.push({ url, method: init.method ?? 'GET', headers: { ...(init.headers as Record<string, string>) }, body: init.body });
    return answer();
  });
  return seen;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
const problem = (status: number, code: string, detail: string) =>
  new Response(JSON.stringify({ type: 'about:blank', title: 'Bad Request', status, code, detail }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });

afterEach(() => {
  vi.unstubAllGlobals();
});

const previewAnswer = {
  encoding: 'windows-1252',
  delimiter: ';',
  columns: { last_name: 'NOM', first_name: 'Prénom', organisation: 'Organisation', email: 'Courriel', future_field: 'X' },
  people: [
    { id: null, name: 'Hélène Dupré', organisation: 'Agence du numérique', email: 'helene@example.org', existing: null },
    { id: null, name: 'Bob Martin', organisation: 'Ouishare', email: '', existing: '4f43eacb-9c5f-556f-a601-2fa721a85eb6' },
  ],
  issues: [{ line: 4, field: '', code: 'duplicate', message: 'line 4: Hélène Dupré is already on line 2 (same e-mail)' }],
};

describe('participant lists', () => {
  it('sends the file as it is, with the key in a header, and reads the preview', async () => {
    const seen = fakeFetch(() => json(200, previewAnswer));
    const file = new Blob([new Uint8Array([0x4e, 0x4f, 0x4d, 0x3b, 0xe9])]); // "NOM;é" in Windows-1252
    const p = await previewRoster(W, KEY, file);
    expect(seen).toHaveLength(1);
    expect(seen[0].method).toBe('POST');
    expect(seen[0].url).toBe(`/api/workshops/${W}/roster?preview=1`);
    expect(seen[0].url).not.toContain(KEY);
    expect(seen[0].headers.Authorization).toBe(`Bearer ${KEY}`);
    expect(seen[0].body).toBe(file); // not re-encoded: the server detects the encoding
    expect(p.encoding).toBe('windows-1252');
    expect(p.delimiter).toBe(';');
    expect(p.columns.first_name).toBe('Prénom');
    expect(p.people[0]).toEqual({ name: 'Hélène Dupré', organisation: 'Agence du numérique', email: 'helene@example.org', existing: null, id: null, link: null });
    expect(p.people[1].existing).toBe('4f43eacb-9c5f-556f-a601-2fa721a85eb6');
    expect(p.issues).toEqual([{ line: 4, field: '', code: 'duplicate', message: previewAnswer.issues[0].message }]);
    expect(p.imported).toBeUndefined();
  });

  it('imports under the id given, and reads each person’s link', async () => {
    const seen = fakeFetch(() =>
      json(201, {
        ...previewAnswer,
        imported: 1,
        people: [
          { ...previewAnswer.people[0], id: '6439c829-82cc-5001-b7ab-4001c89c7fe6', link: `/p/${W}#t=63YJVn0S6y196mf6HdiEuo-VbA5c6wjucex5kuanw5c` },
          previewAnswer.people[1],
        ],
      }),
    );
    const importId = '8a0f1c2e-1111-4222-8333-444455556666';
    const r = await importRoster(W, KEY, new Blob(['Nom\nAda']), importId);
    expect(seen[0].url).toBe(`/api/workshops/${W}/roster?import=${importId}`);
    expect(r.imported).toBe(1);
    expect(r.people[0].link).toBe(`/p/${W}#t=63YJVn0S6y196mf6HdiEuo-VbA5c6wjucex5kuanw5c`);
    expect(r.people[1].link).toBeNull();
  });

  it('gives whole-file errors as their code', async () => {
    fakeFetch(() => problem(400, 'no_name_column', 'no column of names was found'));
    const err = await previewRoster(W, KEY, new Blob(['a,b\n1,2'])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('no_name_column');
    expect((err as ApiError).status).toBe(400);
  });

  it('says "network" when the server cannot be reached', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(previewRoster(W, KEY, new Blob(['x']))).rejects.toMatchObject({ code: 'network', status: 0 });
  });

  it('lists the personal links', async () => {
    const seen = fakeFetch(() => json(200, { links: [{ participant: 'p1', name: 'Bob Martin', link: `/p/${W}#t=abc` }] }));
    expect(await personalLinks(W, KEY)).toEqual([{ participant: 'p1', name: 'Bob Martin', link: `/p/${W}#t=abc` }]);
    expect(seen[0].url).toBe(`/api/workshops/${W}/personal-links`);
    expect(seen[0].headers.Authorization).toBe(`Bearer ${KEY}`);
  });
});

describe('moving and deleting a workshop', () => {
  const created = {
    workshop: { id: 'e81a2dad-212c-402a-b319-c86391e44358', title: 'Test', subtitle: '', date: '2026-12-03', venue: '', language: 'fr', code: 'C7RM8V', allowAnonymous: true },
    facilitatorKey: 'f'.repeat(43),
    boardKey: 'b'.repeat(43),
    links: { console: '/console/e81a#k=fff', board: '/board/e81a#k=bbb', join: '/j/C7RM8V' },
  };

  it('imports an export as the file is, with no key', async () => {
    const seen = fakeFetch(() => json(201, created));
    const doc = new Blob(['{"format":"nappe.workshop","version":1}'], { type: 'application/json' });
    const c = await importWorkshop(doc);
    expect(seen[0]).toMatchObject({ url: '/api/workshops/import', method: 'POST', body: doc });
    expect(seen[0].headers['Content-Type']).toBe('application/json');
    expect(seen[0].headers.Authorization).toBeUndefined();
    expect(c.workshop.code).toBe('C7RM8V');
    expect(c.links.console).toBe('/console/e81a#k=fff');
  });

  it('an import refused says why', async () => {
    fakeFetch(() => problem(400, 'invalid', 'title is required'));
    await expect(importWorkshop('{}')).rejects.toMatchObject({ code: 'invalid', detail: 'title is required' });
  });

  it('deletes with the key; 204 has no body; already deleted counts as done', async () => {
    const seen = fakeFetch(() => new Response(null, { status: 204 }));
    await expect(deleteWorkshop(W, KEY)).resolves.toBeUndefined();
    expect(seen[0]).toMatchObject({ url: `/api/workshops/${W}`, method: 'DELETE' });
    expect(seen[0].headers.Authorization).toBe(`Bearer ${KEY}`);
    fakeFetch(() => problem(404, 'not_found', 'no such workshop'));
    await expect(deleteWorkshop(W, KEY)).resolves.toBeUndefined();
    fakeFetch(() => problem(403, 'forbidden', 'only a facilitator may do this'));
    await expect(deleteWorkshop(W, KEY)).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('the harvest', () => {
  it('reads a page or a chart as text with the key', async () => {
    const seen = fakeFetch(() => new Response('<svg xmlns="http://www.w3.org/2000/svg"></svg>', { status: 200, headers: { 'Content-Type': 'image/svg+xml' } }));
    expect(await fetchArtefact(W, KEY, 'charts/activity.svg?lang=fr')).toContain('<svg');
    expect(seen[0].url).toBe(`/api/workshops/${W}/charts/activity.svg?lang=fr`);
    expect(seen[0].headers.Authorization).toBe(`Bearer ${KEY}`);
  });

  it('a refused page reads as its problem', async () => {
    fakeFetch(() => problem(403, 'forbidden', 'only a facilitator may export the workshop'));
    await expect(fetchArtefact(W, KEY, 'report.html')).rejects.toMatchObject({ code: 'forbidden', status: 403 });
  });

  it('downloads take the server’s file name', async () => {
    fakeFetch(() => new Response('{}', { status: 200, headers: { 'Content-Disposition': 'attachment; filename="nappe-K7QX4M.json"' } }));
    const d = await downloadExport(W, KEY, 'export.json?lang=fr');
    expect(d.filename).toBe('nappe-K7QX4M.json');
    fakeFetch(() => new Response('x', { status: 200 }));
    expect((await downloadExport(W, KEY, 'notes.csv?lang=fr')).filename).toBe('notes.csv');
    fakeFetch(() => problem(401, 'unauthorized', 'bad token'));
    await expect(downloadExport(W, KEY, 'notes.csv')).rejects.toMatchObject({ code: 'unauthorized' });
  });
});
