// The harvest in a real browser against the real server: a workshop made through the API (the
// 2018 café's four ateliers, people, notes, votes, a host, two rounds, syntheses), then the
// printable report opened in Chromium with the facilitator's key, printed to PDF (one page per
// table at least, the title and a note in it), the charts, the badges and the table cards, each
// screenshotted and checked with axe-core.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axe, describeViolations, desktopContext, launch, shot, SHOTS, closeAll } from './browser';
import { buildServer, newDataDir, startServer, type RunningServer } from './server';

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

interface Table {
  id: string;
  number: number;
  name: string;
}
let workshopId = '';
let code = '';
let facilitatorKey = '';
let boardKey = '';
let tables: Table[] = [];

const TITLE = 'Le café des innovations sociales numériques';
const NOTE = 'Mettre en réseau, décloisonner et mutualiser';
const SYNTHESIS = 'Le numérique amplifie des initiatives déjà existantes';

const token = () => randomBytes(32).toString('base64url');
/** The token of a participant the facilitator registered (workshop.DeriveParticipantToken). */
const derivedToken = (key: string, participant: string) =>
  createHmac('sha256', key).update(`nappe participant token v1\0${participant}`).digest('base64url');

async function api<T = unknown>(method: string, path: string, bearer: string | null, body?: unknown): Promise<T> {
  const res = await fetch(server.url + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

const command = (bearer: string, type: string, data: Record<string, unknown>) =>
  api('POST', `/api/workshops/${workshopId}/commands`, bearer, { id: randomUUID(), type, data });

async function join(name: string, organisation: string, table: Table, tok = token(), id: string = randomUUID()) {
  await api('POST', `/api/join/${code}`, null, { id, token: tok, name, organisation, email: `${name.split(' ')[0].toLowerCase()}@example.org`, table: table.id });
  return { id, token: tok };
}

async function post(bearer: string, text: string): Promise<string> {
  const note = randomUUID();
  await command(bearer, 'note.post', { note, text });
  return note;
}

/** A page whose every request carries the facilitator's (or the projector's) key. */
async function pageWithKey(key: string, width = 1280, height = 900): Promise<Page> {
  const ctx = await desktopContext(browser, server.url, width, height);
  contexts.push(ctx);
  await ctx.setExtraHTTPHeaders({ Authorization: `Bearer ${key}` });
  return ctx.newPage();
}

async function expectAccessible(page: Page, view: string) {
  const v = await axe(page);
  expect(v, `${view}:\n${describeViolations(v)}`).toEqual([]);
}

/** Pages of a PDF as Chromium writes them: one /Type /Page object each. */
function pdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![A-Za-z])/g) ?? []).length;
}

/** The PDF's /Title, which Chromium writes in UTF-16BE hex from the document's <title>. */
function pdfTitle(pdf: Buffer): string {
  const m = /\/Title\s*<FEFF([0-9A-Fa-f]*)>/.exec(pdf.toString('latin1'));
  return m ? Buffer.from(m[1], 'hex').swap16().toString('utf16le') : '';
}

/**
 * The text of a PDF, when pdfjs-dist is installed (it is not a dependency yet); null otherwise.
 * The specifier is a variable so that neither TypeScript nor Vite needs the package to exist.
 */
async function pdfText(pdf: Buffer): Promise<string | null> {
  const spec = 'pdfjs-dist/legacy/build/pdf.mjs';
  let pdfjs: {
    getDocument(src: { data: Uint8Array }): {
      promise: Promise<{ numPages: number; getPage(n: number): Promise<{ getTextContent(): Promise<{ items: { str?: string }[] }> }> }>;
    };
  };
  try {
    pdfjs = await import(/* @vite-ignore */ spec);
  } catch {
    return null;
  }
  const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf) }).promise;
  let text = '';
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    text += content.items.map((i) => i.str ?? '').join('') + '\n';
  }
  return text;
}

const squash = (s: string) => s.replace(/\s+/g, '');

beforeAll(async () => {
  server = await startServer(buildServer(), newDataDir());
  browser = await launch();
  console.log(`screenshots: ${SHOTS}`);

  const created = await api<{ workshop: { id: string; code: string }; facilitatorKey: string; boardKey: string }>('POST', '/api/workshops', null, {
    title: TITLE,
    subtitle: "De l'impact social à la transformation sociale. Quel rôle pour les innovations sociales numériques ?",
    date: '2018-10-04',
    venue: 'Télécom ParisTech, 46 rue Barrault, Paris',
    language: 'fr',
    allowAnonymous: true,
    template: 'seed',
  });
  workshopId = created.workshop.id;
  code = created.workshop.code;
  facilitatorKey = created.facilitatorKey;
  boardKey = created.boardKey;
  const state = await api<{ state: { tables: Table[] } }>('GET', `/api/workshops/${workshopId}/state`, facilitatorKey);
  tables = state.state.tables;
  expect(tables.length).toBe(4);

  // People: three joined from their phones, one registered by the facilitator (her badge opens
  // her personal link).
  const nicoleId = randomUUID();
  const nicole = await join('Nicole Alix', 'Plateformes en communs', tables[3], derivedToken(facilitatorKey, nicoleId), nicoleId);
  const ada = await join('Ada Lovelace', 'Agence du numérique', tables[0]);
  const bob = await join('Bob Martin', 'Ouishare', tables[1]);
  const chloe = await join('Chloé Dubois', 'Entourage', tables[2]);
  await command(facilitatorKey, 'host.set', { table: tables[0].id, participant: ada.id });

  await post(bob.token, 'Le numérique ne doit pas faire oublier le lien physique');
  await post(chloe.token, 'Il n’existe pas de modèle économique type pour les ISN 💶');
  await post(nicole.token, 'Comment délimiter le champ et le temps de l’évaluation ?');

  await command(facilitatorKey, 'round.start', {});
  await post(ada.token, NOTE);
  await post(ada.token, 'Un processus incrémental : améliorer l’existant');
  await command(bob.token, 'participant.move', { participant: bob.id, table: tables[0].id });
  await command(facilitatorKey, 'round.start', {});
  const n2 = await post(bob.token, 'Mutualiser les outils entre associations 🤝');
  await command(ada.token, 'vote.toggle', { note: n2 });
  await command(facilitatorKey, 'synthesis.push', {
    doc: tables[0].id,
    version: 0,
    updates: [{ clientID: 'e2e', changes: [[0, `${SYNTHESIS}.`, '', '- Mettre en réseau', '- Décloisonner', '- Mutualiser']] }],
  });
  await command(facilitatorKey, 'synthesis.push', {
    doc: 'plenary',
    version: 0,
    updates: [{ clientID: 'e2e', changes: [[0, 'Deux principales pistes 🚀', '', '- Étudier les modèles économiques', '- Travailler de manière interdisciplinaire']] }],
  });
});

afterAll(async () => {
  await closeAll(contexts, browser, server);
});

describe('the harvest, printed', () => {
  it('the report opens with the facilitator key, reads well on screen and prints a page per table', async () => {
    const page = await pageWithKey(facilitatorKey);
    const res = await page.goto(`/api/workshops/${workshopId}/report.html`);
    expect(res?.status()).toBe(200);
    await expect(page.locator('h1').innerText()).resolves.toBe(TITLE);
    await expect(page.locator('section.table-page').count()).resolves.toBe(tables.length);
    await expect(page.locator('#table-1 .synthesis').innerText()).resolves.toContain(SYNTHESIS);
    await expect(page.locator('#table-1 .host').innerText()).resolves.toContain('Ada Lovelace');
    await expect(page.locator('#figures svg[role="img"]').count()).resolves.toBe(3);
    expect(await page.locator('text=ada@example.org').count()).toBe(0);
    await expectAccessible(page, 'report');
    await shot(page, 'report-cover');
    await shot(page, 'report-screen', true);
    await page.locator('#table-1').scrollIntoViewIfNeeded();
    await shot(page, 'report-table-1');
    await page.locator('#figures').scrollIntoViewIfNeeded();
    await shot(page, 'report-figures');

    const pdf = await page.pdf({ format: 'A4' });
    const pages = pdfPages(pdf);
    console.log(`report.pdf: ${pages} pages for ${tables.length} tables`);
    expect(pages, `${pages} pages`).toBeGreaterThanOrEqual(1 + tables.length);
    expect(pdfTitle(pdf)).toContain(TITLE);
    const text = await pdfText(pdf);
    if (text !== null) {
      expect(squash(text)).toContain(squash(TITLE));
      expect(squash(text)).toContain(squash(NOTE));
    } else {
      // Without pdfjs-dist the PDF's text cannot be read here: read what the print layout shows.
      await page.emulateMedia({ media: 'print' });
      const printed = await page.evaluate(() => document.body.innerText);
      expect(printed).toContain(TITLE);
      expect(printed).toContain(NOTE);
      await shot(page, 'report-print-media', true);
      await page.emulateMedia({ media: 'screen' });
    }
  });

  it('e-mail addresses only on ?emails=1; the projector and a wrong key are refused', async () => {
    const page = await pageWithKey(facilitatorKey);
    await page.goto(`/api/workshops/${workshopId}/report.html?emails=1`);
    await expect(page.locator('#participants').innerText()).resolves.toContain('ada@example.org');
    const board = await pageWithKey(boardKey);
    expect((await board.goto(`/api/workshops/${workshopId}/report.html`))?.status()).toBe(403);
    const stranger = await pageWithKey(token());
    expect((await stranger.goto(`/api/workshops/${workshopId}/report.html`))?.status()).toBe(401);
  });

  it('the projector gets the charts', async () => {
    const page = await pageWithKey(boardKey, 900, 520);
    for (const name of ['contributions', 'activity', 'encounters']) {
      const res = await page.goto(`/api/workshops/${workshopId}/charts/${name}.svg`);
      expect(res?.status(), name).toBe(200);
      expect(res?.headers()['content-type']).toContain('image/svg+xml');
      await shot(page, `chart-${name}`);
    }
  });

  it('badges and table cards print on A4', async () => {
    const page = await pageWithKey(facilitatorKey, 1000, 1200);
    await page.goto(`/api/workshops/${workshopId}/badges.html`);
    await expect(page.locator('article.badge').count()).resolves.toBe(4);
    await expect(page.locator('article.badge', { hasText: 'Nicole Alix' }).locator('.qr-caption').innerText()).resolves.toMatch(/lien personnel/i);
    await expect(page.locator('article.badge', { hasText: 'Ada Lovelace' }).locator('.hosting').innerText()).resolves.toMatch(/table 1/);
    await expectAccessible(page, 'badges');
    await shot(page, 'badges', true);
    const badges = await page.pdf({ format: 'A4' });
    expect(pdfPages(badges)).toBe(1);

    await page.goto(`/api/workshops/${workshopId}/table-cards.html`);
    await expect(page.locator('article.card').count()).resolves.toBe(tables.length);
    await expectAccessible(page, 'table cards');
    await shot(page, 'table-cards', true);
    const cards = await page.pdf({ format: 'A4' });
    expect(pdfPages(cards)).toBe(Math.ceil(tables.length / 2));
  });
});
