// People and the harvest in real browsers against the real server: the facilitator imports a
// participant list as Excel saves it in France (Windows-1252, semicolons, an accented name, a
// line twice), checks the preview and imports it; a personal link opens the phone as that person
// and leaves the address bar clean; a table card's link comes with its table chosen; the printable
// report opens from the console (a blob: page, the key never in an address); the charts show on
// the console and the projector and follow the notes; the workshop is exported, imported again
// from the landing page, and deleted, which a connected phone is told.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axe, describeViolations, desktopContext, launch, phoneContext, shot, SHOTS, closeAll } from './browser';
import { buildServer, newDataDir, startServer, type RunningServer } from './server';

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const a11y: string[] = [];
const timings: string[] = [];

let workshopId = '';
let code = '';
let key = '';
let boardLink = '';
let consoleLink = '';
let tables: { id: string; number: number; name: string }[] = [];
let facilitator: Page;
let helene: Page; // a phone opened with Hélène's personal link
let heleneLink = '';
let board: Page;

const TITLE = 'Café des communs';

interface ServerState {
  workshop: { code: string; title: string };
  tables: { id: string; number: number; name: string; question: string }[];
  participants: { id: string; name: string; organisation: string; email?: string; table: string | null }[];
  notes: { id: string; text: string; authorName: string | null; table: string }[];
}

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

const stateOf = async (id: string, bearer: string) => (await api<{ state: ServerState }>('GET', `/api/workshops/${id}/state`, bearer)).state;

/**
 * Text as Excel writes a "CSV (séparateur : point-virgule)" on a French Windows: Windows-1252,
 * where œ and ’ have bytes of their own (latin1 has neither).
 */
function windows1252(text: string): Buffer {
  const special: Record<string, number> = { '€': 0x80, '’': 0x92, œ: 0x9c, Œ: 0x8c, '…': 0x85 };
  return Buffer.from(
    [...text].map((c) => {
      if (special[c] !== undefined) return special[c];
      const n = c.codePointAt(0)!;
      if (n > 0xff || (n >= 0x80 && n < 0xa0)) throw new Error(`not in Windows-1252: ${c}`);
      return n;
    }),
  );
}

const ROSTER = [
  'NOM;Prénom;Organisation;Courriel',
  'Dupré;Hélène;Agence du numérique;helene.dupre@example.org',
  'Lœuvre;Benoît;Cœur de ville;benoit@example.org',
  'Dupré;Hélène;Agence du numérique;helene.dupre@example.org',
  'N’Diaye;Aïssa;Télécom Paris;pas-une-adresse',
  '',
].join('\r\n');

async function checkA11y(page: Page, view: string) {
  await page.waitForTimeout(500);
  const v = await axe(page);
  if (v.length) a11y.push(`${view}:\n${describeViolations(v)}`);
}

async function shotOf(page: Page, selector: string, name: string) {
  await page.waitForTimeout(500);
  await page.locator(selector).screenshot({ path: join(SHOTS, `${name}.png`) });
}

const status = (p: Page) => p.locator('[data-status]').first();
async function waitOnline(p: Page, timeout = 30_000) {
  await status(p).and(p.locator('[data-status="online"]')).waitFor({ timeout });
}

async function timed<T>(what: string, f: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  try {
    return await f();
  } finally {
    timings.push(`${what}: ${Date.now() - t0} ms`);
  }
}

beforeAll(async () => {
  server = await startServer(buildServer(), newDataDir());
  browser = await launch();
  console.log(`screenshots: ${SHOTS}`);
  const created = await api<{ workshop: { id: string; code: string }; facilitatorKey: string; links: { console: string; board: string } }>(
    'POST',
    '/api/workshops',
    null,
    { title: TITLE, subtitle: 'Qui fait quoi, avec qui ?', date: '2026-12-03', venue: 'Paris', language: 'fr', allowAnonymous: true, template: 'seed' },
  );
  workshopId = created.workshop.id;
  code = created.workshop.code;
  key = created.facilitatorKey;
  consoleLink = server.url + created.links.console;
  boardLink = server.url + created.links.board;
  tables = (await stateOf(workshopId, key)).tables;
  expect(tables.length).toBe(4);
});

afterAll(async () => {
  if (timings.length) console.log(`people.e2e timings:\n  ${timings.join('\n  ')}`);
  await closeAll(contexts, browser, server);
});

describe('people', () => {
  it('the facilitator previews a Windows-1252 semicolon list: encoding, columns, the duplicate line', async () => {
    const ctx = await desktopContext(browser, server.url, 1280, 900);
    contexts.push(ctx);
    facilitator = await ctx.newPage();
    await facilitator.goto(consoleLink);
    await waitOnline(facilitator);
    await shot(facilitator, 'console-top-1280');

    await shotOf(facilitator, '#people', 'console-people-empty-1280');
    const bytes = windows1252(ROSTER);
    expect(bytes.includes(0xe9)).toBe(true); // é as one byte: not UTF-8
    await timed('roster preview', async () => {
      await facilitator.locator('#roster-file').setInputFiles({ name: 'inscrits.csv', mimeType: 'text/csv', buffer: bytes });
      await facilitator.locator('#roster-summary').waitFor();
    });
    const people = facilitator.locator('#people');
    await expect(people.locator('[data-encoding]').getAttribute('data-encoding')).resolves.toBe('windows-1252');
    await expect(people.locator('[data-delimiter]').getAttribute('data-delimiter')).resolves.toBe(';');
    await expect(people.locator('.detected').innerText()).resolves.toMatch(/Courriel/);
    await expect(people.locator('#roster-summary').innerText()).resolves.toMatch(/3 personnes à importer/);
    const rows = people.locator('.preview tbody tr');
    await expect(rows.count()).resolves.toBe(3);
    await expect(rows.nth(0).innerText()).resolves.toContain('Hélène Dupré');
    await expect(rows.nth(1).innerText()).resolves.toContain('Benoît Lœuvre');
    await expect(rows.nth(1).innerText()).resolves.toContain('Cœur de ville');
    await expect(rows.nth(2).innerText()).resolves.toContain('Aïssa N’Diaye');
    const dup = people.locator('.issues li[data-code="duplicate"]');
    await expect(dup.innerText()).resolves.toMatch(/^Ligne 4 — cette personne figure déjà plus haut/);
    await expect(people.locator('.issues li[data-code="bad_email"]').innerText()).resolves.toMatch(/^Ligne 5 — l’adresse e-mail n’est pas valide/);
    await checkA11y(facilitator, 'console, roster preview');
    await shotOf(facilitator, '#people', 'console-people-preview-1280');

    // The same preview in English: every issue is translated, none is left in the server's words.
    await facilitator.locator('.bar-right button.lang').click();
    await expect.poll(() => people.locator('.issues li[data-code="duplicate"]').innerText()).toMatch(/^Line 4 — this person is already higher up/);
    await expect(people.locator('#roster-summary').innerText()).resolves.toMatch(/3 people to import/);
    await expect(people.locator('.issues').innerText()).resolves.not.toMatch(/is not an e-mail address/);
    await shotOf(facilitator, '#people', 'console-people-preview-en-1280');
    await facilitator.locator('.bar-right button.lang').click();
    await expect.poll(() => people.locator('#roster-summary').innerText()).toMatch(/3 personnes à importer/);
  });

  it('imports them once, even clicked twice, and lists their personal links', async () => {
    const button = facilitator.getByRole('button', { name: 'Importer 3 personnes' });
    await timed('roster import', async () => {
      await button.dblclick();
      await facilitator.locator('.done-title').waitFor();
    });
    await expect(facilitator.locator('.done-title').innerText()).resolves.toBe('3 personnes importées.');
    await expect(facilitator.locator('.added li').count()).resolves.toBe(3);
    await expect.poll(() => facilitator.locator('.personal-links li').count(), { timeout: 10_000 }).toBe(3);
    const s = await stateOf(workshopId, key);
    expect(s.participants.map((p) => p.name).sort()).toEqual(['Aïssa N’Diaye', 'Benoît Lœuvre', 'Hélène Dupré']);
    expect(s.participants.find((p) => p.name === 'Aïssa N’Diaye')?.email).toBe('');
    await expect.poll(() => facilitator.locator('#participants tbody tr').count()).toBe(3);

    heleneLink = await facilitator.locator('.personal-links li', { hasText: 'Hélène Dupré' }).locator('.link').innerText();
    expect(heleneLink).toMatch(new RegExp(`^${server.url}/p/${workshopId}#t=[A-Za-z0-9_-]{43}$`));
    await checkA11y(facilitator, 'console, imported');
    await shotOf(facilitator, '#people', 'console-people-imported-1280');

    // The same file again, dropped this time: everyone is already there.
    await facilitator.getByRole('button', { name: 'Choisir un autre fichier' }).click();
    const dropped = await facilitator.evaluateHandle((bytes) => {
      const d = new DataTransfer();
      d.items.add(new File([new Uint8Array(bytes)], 'inscrits.csv', { type: 'text/csv' }));
      return d;
    }, [...windows1252(ROSTER)]);
    await facilitator.locator('.drop').dispatchEvent('dragover', { dataTransfer: dropped });
    await expect(facilitator.locator('.drop').getAttribute('class')).resolves.toContain('over');
    await facilitator.locator('.drop').dispatchEvent('drop', { dataTransfer: dropped });
    await expect(facilitator.locator('#roster-summary').innerText()).resolves.toMatch(/Personne de nouveau.*3 déjà dans l’atelier/s);
    await expect(facilitator.getByRole('button', { name: /^Importer/ }).isDisabled()).resolves.toBe(true);
    await facilitator.getByRole('button', { name: 'Choisir un autre fichier' }).click();

    // A file without a name column says so.
    await facilitator.locator('#roster-file').setInputFiles({ name: 'x.csv', mimeType: 'text/csv', buffer: Buffer.from('a;b\r\n1;2\r\n') });
    await expect(facilitator.locator('#people [role="alert"]').innerText()).resolves.toMatch(/Aucune colonne de noms/);
  });

  it('a personal link opens the phone as that person and leaves the address bar without the token', async () => {
    const ctx = await phoneContext(browser, server.url);
    contexts.push(ctx);
    helene = await ctx.newPage();
    await timed('personal link to phone online', async () => {
      await helene.goto(heleneLink);
      await waitOnline(helene);
    });
    expect(helene.url()).toBe(`${server.url}/p/${workshopId}`);
    await expect(helene.evaluate(() => location.hash)).resolves.toBe('');
    // Imported people have no table yet: she picks one, and writes as herself.
    await helene.locator('#pick-title').waitFor();
    await helene.locator('nav.picker button', { hasText: 'Table 2' }).click();
    await helene.locator('#table-title').waitFor();
    await helene.fill('#note-text', 'Des communs numériques pour les associations');
    await helene.locator('.composer button[type="submit"]').click();
    await helene.locator('article.note', { hasText: 'Des communs numériques' }).locator('.state.sent').waitFor({ timeout: 15_000 });
    const s = await stateOf(workshopId, key);
    const n = s.notes.find((x) => x.text.startsWith('Des communs numériques'));
    expect(n?.authorName).toBe('Hélène Dupré');
    expect(s.participants.find((p) => p.name === 'Hélène Dupré')?.table).toBe(tables[1].id);
    // What this phone now remembers: her, as the join flow would.
    const id = await helene.evaluate((w) => JSON.parse(localStorage.getItem(`nappe.participant.${w}`) ?? 'null'), workshopId);
    expect(id).toMatchObject({ workshop: workshopId, code, name: 'Hélène Dupré' });
    expect(id.participant).toBe(s.participants.find((p) => p.name === 'Hélène Dupré')?.id);
    await checkA11y(helene, 'phone from a personal link');
    await shot(helene, 'phone-personal-link-360');

    // Back on the join page on this phone: it knows her.
    await helene.goto(`/j/${code}`);
    await expect(helene.locator('.already').innerText()).resolves.toContain('Hélène Dupré');
    await helene.goto(`/p/${workshopId}`);
    await waitOnline(helene);
  });

  it('a table card’s link comes with the table chosen', async () => {
    const ctx = await phoneContext(browser, server.url);
    contexts.push(ctx);
    const phone = await ctx.newPage();
    await phone.goto(`/j/${code}#table=${tables[2].id}`);
    await phone.locator('#name').waitFor();
    await expect(phone.locator(`input[name="table"][value="${tables[2].id}"]`).isChecked()).resolves.toBe(true);
    await expect(phone.locator('.card-table').innerText()).resolves.toContain('Table 3');
    await checkA11y(phone, 'join from a table card');
    await shot(phone, 'join-table-card-360');
    await phone.fill('#name', 'Chloé Martin');
    await phone.locator('form button[type="submit"]').click();
    await phone.waitForURL(/\/p\//);
    await expect(phone.locator('#table-title').innerText()).resolves.toContain('Table 3');
  });
});

describe('the harvest from the console', () => {
  it('the printable report opens in a new tab from a blob, read with the key', async () => {
    await facilitator.locator('#harvest').scrollIntoViewIfNeeded();
    await checkA11y(facilitator, 'console, harvest');
    await shotOf(facilitator, '#harvest', 'console-harvest-1280');
    const report = await timed('report.html to blob tab', async () => {
      const [page] = await Promise.all([
        facilitator.context().waitForEvent('page'),
        facilitator.getByRole('button', { name: 'Ouvrir : Compte rendu', exact: true }).click(),
      ]);
      await page.waitForURL(/^blob:/);
      await page.locator('h1').waitFor();
      return page;
    });
    expect(report.url()).not.toContain(key);
    await expect(report.locator('h1').innerText()).resolves.toBe(TITLE);
    await expect(report.locator('section.table-page').count()).resolves.toBe(tables.length);
    await expect(report.locator('body').innerText()).resolves.toContain('Des communs numériques pour les associations');
    expect(await report.locator('text=helene.dupre@example.org').count()).toBe(0);
    await shot(report, 'report-from-console-1280');
    await report.close();

    // Badges: Hélène's carries her personal link.
    const [badges] = await Promise.all([facilitator.context().waitForEvent('page'), facilitator.getByRole('button', { name: 'Ouvrir : Badges' }).click()]);
    await badges.locator('article.badge').first().waitFor();
    await expect(badges.locator('article.badge', { hasText: 'Hélène Dupré' }).locator('.qr-caption').innerText()).resolves.toMatch(/lien personnel/i);
    await badges.close();

    // Print: the tab opens and the print dialog is asked for (headless Chromium answers at once).
    const [printed] = await Promise.all([
      facilitator.context().waitForEvent('page'),
      facilitator.getByRole('button', { name: 'Imprimer ou PDF : Cartes de table' }).click(),
    ]);
    await printed.locator('article.card').first().waitFor();
    await expect(printed.locator('article.card').count()).resolves.toBe(tables.length);
    await printed.close();
  });

  it('the charts show on the console', async () => {
    const figures = facilitator.locator('#figures');
    await figures.scrollIntoViewIfNeeded();
    await expect.poll(() => figures.locator('figure.chart svg[role="img"]').count(), { timeout: 15_000 }).toBe(3);
    await expect(figures.locator('[data-chart="contributions"] svg > title').textContent()).resolves.toMatch(/Contributions/);
    const box = await figures.locator('[data-chart="contributions"] svg').boundingBox();
    expect(box!.width).toBeGreaterThan(600); // scaled to the panel, not left at 720 × whatever
    await checkA11y(facilitator, 'console, figures');
    await shotOf(facilitator, '#figures', 'console-figures-1280');
  });

  it('the projector shows them large, switched from its controls by keyboard, and follows the notes', async () => {
    const ctx = await desktopContext(browser, server.url, 1920, 1080);
    contexts.push(ctx);
    board = await ctx.newPage();
    await board.goto(boardLink);
    await waitOnline(board);
    const toggle = board.getByRole('button', { name: 'Graphiques' });
    await toggle.focus();
    await board.keyboard.press('Enter');
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('true');
    const chart = board.locator('.board-charts figure svg');
    await chart.waitFor({ timeout: 15_000 });
    const box = await chart.boundingBox();
    expect(box!.width).toBeGreaterThan(1200); // readable from the back of the room
    await checkA11y(board, 'board, charts');
    await shot(board, 'board-charts-1920x1080');

    await board.getByRole('button', { name: 'Rencontres' }).click();
    await expect(board.locator('.board-charts figure').getAttribute('data-chart')).resolves.toBe('encounters');
    await board.getByRole('button', { name: 'Contributions' }).click();
    const before = await board.locator('.board-charts figure desc').textContent();
    // A note at another table: within the refresh interval the projector's chart says so.
    await helene.getByRole('button', { name: 'Changer de table' }).click();
    await helene.locator('nav.picker button', { hasText: 'Table 4' }).click();
    await helene.fill('#note-text', 'Mutualiser les outils');
    await helene.locator('.composer button[type="submit"]').click();
    await timed('board chart follows a note', () =>
      expect.poll(() => board.locator('.board-charts figure desc').textContent(), { timeout: 25_000, interval: 500 }).not.toBe(before),
    );
    await shot(board, 'board-charts-after-note-1920x1080');
  });
});

describe('export, import, delete', () => {
  let exported = '';

  it('the whole workshop exports as JSON and imports again from the landing page', async () => {
    await facilitator.locator('#harvest').scrollIntoViewIfNeeded();
    const [dl] = await Promise.all([facilitator.waitForEvent('download'), facilitator.getByRole('button', { name: 'Atelier complet (JSON)' }).click()]);
    expect(dl.suggestedFilename()).toBe(`nappe-${code}.json`);
    exported = (await dl.path())!;
    const doc = JSON.parse(await readFile(exported, 'utf8'));
    expect(doc.format).toBe('nappe.workshop');
    expect(doc.notes.length).toBe(2);

    const ctx = await desktopContext(browser, server.url, 1280, 900);
    contexts.push(ctx);
    const landing = await ctx.newPage();
    await landing.goto('/');
    await landing.locator('#import-file').waitFor({ state: 'attached' });
    await shotOf(landing, '.create', 'landing-import-1280');
    // Not an export: said before anything is sent.
    await landing.locator('#import-file').setInputFiles({ name: 'x.json', mimeType: 'application/json', buffer: Buffer.from('{"hello":1}') });
    await expect(landing.locator('.import [role="alert"]').innerText()).resolves.toMatch(/pas un export/);
    await timed('import from landing', async () => {
      await landing.locator('#import-file').setInputFiles(exported);
      await landing.locator('#created-title').waitFor();
    });
    await expect(landing.locator('#created-title').innerText()).resolves.toBe('Votre atelier est importé');
    const newConsole = await landing.inputValue('#link-console');
    const m = /\/console\/([^#]+)#k=([A-Za-z0-9_-]{43})$/.exec(newConsole);
    expect(m).not.toBeNull();
    const [, newId, newKey] = m!;
    expect(newId).not.toBe(workshopId);
    const copy = await stateOf(newId, newKey);
    const original = await stateOf(workshopId, key);
    expect(copy.workshop.code).not.toBe(code);
    expect(copy.workshop.title).toBe(TITLE);
    expect(copy.tables.map((t) => [t.number, t.name, t.question])).toEqual(original.tables.map((t) => [t.number, t.name, t.question]));
    expect(copy.notes.map((n) => n.text).sort()).toEqual(original.notes.map((n) => n.text).sort());
    expect(copy.participants.map((p) => p.name).sort()).toEqual(original.participants.map((p) => p.name).sort());
    await checkA11y(landing, 'landing, imported');
    await shot(landing, 'landing-imported-1280');

    // On a phone, the landing page with its import reads as well.
    const small = await (await phoneContext(browser, server.url)).newPage();
    contexts.push(small.context());
    await small.goto('/');
    await small.locator('#import-file').waitFor({ state: 'attached' });
    await shot(small, 'landing-360-full', true);

    await landing.locator('a.btn', { hasText: 'Ouvrir l’animation' }).click();
    await landing.waitForURL(/\/console\//);
    await expect.poll(() => landing.locator('.table-row').count(), { timeout: 20_000 }).toBe(4);
  });

  it('deleting the workshop takes a typed code; connected screens are told it no longer exists', async () => {
    await facilitator.locator('#delete').scrollIntoViewIfNeeded();
    const button = facilitator.getByRole('button', { name: 'Supprimer définitivement' });
    await expect(button.isDisabled()).resolves.toBe(true);
    await facilitator.fill('#delete-code', 'WRONG1');
    await expect(button.isDisabled()).resolves.toBe(true);
    await facilitator.fill('#delete-code', code.toLowerCase());
    await expect(button.isDisabled()).resolves.toBe(false);
    await checkA11y(facilitator, 'console, delete');
    await shotOf(facilitator, '#delete', 'console-delete-1280');
    await timed('delete to phone told', async () => {
      await button.click();
      await facilitator.waitForURL(`${server.url}/`);
      await helene.getByRole('heading', { name: 'Cet atelier n’existe plus' }).waitFor({ timeout: 15_000 });
    });
    await expect(facilitator.locator('.flash').innerText()).resolves.toContain(`L’atelier « ${TITLE} » a été supprimé.`);
    await expect(facilitator.locator('.recent').count()).resolves.toBe(0);
    await shot(helene, 'phone-workshop-deleted-360');
    await status(board).and(board.locator('[data-status="gone"]')).waitFor({ timeout: 15_000 });

    const res = await fetch(`${server.url}/api/join/${code}`);
    expect(res.status).toBe(404);
    // The phone forgot the workshop: coming back later, it does not knock again and again.
    await helene.reload();
    await helene.getByText('Rejoindre', { exact: false }).first().waitFor({ timeout: 15_000 });
    await expect(helene.locator('[data-status]').count()).resolves.toBe(0);
  });

  it('no serious or critical accessibility violation', () => {
    expect(a11y, a11y.join('\n\n')).toEqual([]);
  });
});
