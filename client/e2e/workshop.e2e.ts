// A whole workshop in real browsers against the real server: a facilitator creates it on the
// landing page, two phones join and write, the projector shows it live; a phone goes offline
// and its note arrives exactly once; the server is killed and restarted and everything is
// still there, with the phones back by themselves. Each view also passes axe-core.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axe, describeViolations, desktopContext, launch, phoneContext, shot, SHOTS, closeAll } from './browser';
import { buildServer, newDataDir, startServer, type RunningServer } from './server';

let bin: string;
let server: RunningServer;
let data: string;
let browser: Browser;
const contexts: BrowserContext[] = [];

let facilitator: Page;
let board: Page;
let phoneA: Page;
let phoneB: Page;
let ctxA: BrowserContext;
let code = '';
let boardLink = '';
let consoleURL = '';
const a11y: string[] = [];

async function checkA11y(page: Page, view: string) {
  // Let arrival animations (opacity, glow) end: axe measures contrast on what is painted.
  await page.waitForTimeout(700);
  const v = await axe(page);
  if (v.length) a11y.push(`${view}:\n${describeViolations(v)}`);
}

const status = (p: Page) => p.locator('[data-status]').first();
const boardNote = (text: string) => board.locator('.note', { hasText: text });

async function waitOnline(p: Page, timeout = 30_000) {
  await status(p).and(p.locator('[data-status="online"]')).waitFor({ timeout });
}

async function joinWith(page: Page, name: string, table: string) {
  await page.fill('#name', name);
  await page.fill('#organisation', 'Agence du numérique');
  await page.fill('#email', `${name.toLowerCase()}@example.org`);
  await page.locator('label.table-choice', { hasText: table }).click();
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL(/\/p\//);
  await page.locator('#table-title').waitFor();
}

async function post(page: Page, text: string) {
  await page.fill('#note-text', text);
  await page.locator('.composer button[type="submit"]').click();
  await page.locator('article.note', { hasText: text }).waitFor();
}

beforeAll(async () => {
  bin = buildServer();
  data = newDataDir();
  server = await startServer(bin, data);
  browser = await launch();
  console.log(`screenshots: ${SHOTS}`);
});

afterAll(async () => {
  await closeAll(contexts, browser, server);
});

describe('a workshop, live', () => {
  it('a facilitator creates a workshop with two tables on the landing page', async () => {
    const ctx = await desktopContext(browser, server.url);
    contexts.push(ctx);
    facilitator = await ctx.newPage();
    await facilitator.goto('/');
    await facilitator.locator('#title').waitFor();
    await checkA11y(facilitator, 'landing');
    await shot(facilitator, 'landing-desktop');

    await facilitator.fill('#tables', '2');
    await facilitator.fill('#title', 'Café e2e');
    await facilitator.fill('#subtitle', 'Quel rôle pour les innovations sociales numériques ?');
    await facilitator.fill('#venue', 'Paris');
    await facilitator.locator('.create form button[type="submit"]').click();
    await facilitator.locator('#created-title').waitFor();
    code = (await facilitator.locator('.code-big').innerText()).trim();
    expect(code).toMatch(/^[A-Z0-9]{4,12}$/);
    boardLink = await facilitator.inputValue('#link-board');
    expect(boardLink).toMatch(/\/board\/[^#]+#k=[A-Za-z0-9_-]{43}$/);
    await shot(facilitator, 'landing-created');

    await facilitator.locator('a.btn', { hasText: /animation|console/i }).click();
    await facilitator.waitForURL(/\/console\//);
    consoleURL = facilitator.url();
    await expect.poll(() => facilitator.locator('.table-row').count(), { timeout: 20_000 }).toBe(2);
    await waitOnline(facilitator);
    await expect.poll(() => facilitator.locator('[data-status]').innerText()).not.toMatch(/attente|waiting/);
    await checkA11y(facilitator, 'console');
  });

  it('the projector shows both tables', async () => {
    const ctx = await desktopContext(browser, server.url, 1920, 1080);
    contexts.push(ctx);
    board = await ctx.newPage();
    await board.goto(boardLink);
    await expect.poll(() => board.locator('section.table').count(), { timeout: 20_000 }).toBe(2);
    await expect(board.locator('.code').innerText()).resolves.toContain(code);
  });

  it('two phones join with the code and post a note each; the board shows them live', async () => {
    ctxA = await phoneContext(browser, server.url);
    const ctxB = await phoneContext(browser, server.url);
    contexts.push(ctxA, ctxB);
    phoneA = await ctxA.newPage();
    phoneB = await ctxB.newPage();

    // Phone A types the code the sloppy way: lower case, with spaces.
    await phoneA.goto('/');
    await phoneA.fill('#code', ` ${code.slice(0, 3).toLowerCase()} ${code.slice(3).toLowerCase()} `);
    await phoneA.locator('#code').press('Enter');
    await phoneA.waitForURL(new RegExp(`/j/${code}$`));
    await phoneA.locator('#name').waitFor();
    await checkA11y(phoneA, 'join');
    await shot(phoneA, 'join-phone');
    await joinWith(phoneA, 'Ada', 'Table 1');

    await phoneB.goto(`/j/${code}`);
    await phoneB.locator('#name').waitFor();
    await joinWith(phoneB, 'Bob', 'Table 2');

    await waitOnline(phoneA);
    await waitOnline(phoneB);
    await post(phoneA, 'Mettre en réseau, décloisonner, mutualiser');
    await post(phoneB, 'Le numérique amplifie des initiatives existantes');
    await boardNote('Mettre en réseau').waitFor({ timeout: 10_000 });
    await boardNote('Le numérique amplifie').waitFor({ timeout: 10_000 });
    await phoneA.locator('article.note .state.sent').first().waitFor();
    await checkA11y(phoneA, 'phone');
    await checkA11y(board, 'board');
    await shot(phoneA, 'phone-360');
    await shot(phoneA, 'phone-360-full', true);
    await shot(board, 'board-1920x1080');
  });

  it('a phone offline keeps its note pending, then delivers it exactly once', async () => {
    await ctxA.setOffline(true);
    await status(phoneA).and(phoneA.locator('[data-status="offline"]')).waitFor({ timeout: 10_000 });
    const text = 'Écrit hors ligne : le lien physique compte';
    await post(phoneA, text);
    const card = phoneA.locator('article.note', { hasText: text });
    await expect(card.getAttribute('class')).resolves.toContain('pending');
    await expect(card.locator('.state').innerText()).resolves.toMatch(/attente/i);
    await shot(phoneA, 'phone-offline-pending');
    await board.waitForTimeout(1500);
    expect(await boardNote(text).count()).toBe(0);

    await ctxA.setOffline(false);
    await waitOnline(phoneA);
    await card.locator('.state.sent').waitFor({ timeout: 15_000 });
    await boardNote(text).waitFor({ timeout: 10_000 });
    await board.waitForTimeout(1500);
    expect(await boardNote(text).count()).toBe(1);
    expect(await phoneA.locator('article.note', { hasText: text }).count()).toBe(1);
  });

  it('the server is killed and restarted: everything is still there and the phones come back alone', async () => {
    const port = server.port;
    await server.kill();
    await status(phoneA).and(phoneA.locator('[data-status="reconnecting"]')).waitFor({ timeout: 15_000 });
    server = await startServer(bin, data, `127.0.0.1:${port}`);
    await waitOnline(phoneA, 45_000);
    await waitOnline(phoneB, 45_000);
    await waitOnline(board, 45_000);

    await post(phoneB, 'Après le redémarrage');
    await phoneB.locator('article.note', { hasText: 'Après le redémarrage' }).locator('.state.sent').waitFor({ timeout: 15_000 });
    await boardNote('Après le redémarrage').waitFor({ timeout: 10_000 });

    // A fresh board load (snapshot from the restarted server) shows every note once.
    await board.reload();
    await boardNote('Après le redémarrage').waitFor({ timeout: 20_000 });
    for (const t of ['Mettre en réseau', 'Le numérique amplifie', 'Écrit hors ligne', 'Après le redémarrage']) {
      expect(await boardNote(t).count(), t).toBe(1);
    }
    await expect(board.locator('.totals').innerText()).resolves.toMatch(/^4 /);

    await facilitator.goto(consoleURL);
    await expect.poll(() => facilitator.locator('#participants tbody tr').count(), { timeout: 20_000 }).toBe(2);
    await expect.poll(() => facilitator.locator('#notes li.note').count()).toBe(4);
    await shot(facilitator, 'console-desktop', true);
  });

  it('the console on another device gets the projector link back from the server', async () => {
    const ctx = await desktopContext(browser, server.url);
    contexts.push(ctx);
    const other = await ctx.newPage(); // a fresh context: nothing remembered in localStorage
    await other.goto(consoleURL);
    await expect.poll(() => other.locator('#c-board').inputValue(), { timeout: 20_000 }).toBe(boardLink);
  });

  it('the board reads well at 3840×2160 too', async () => {
    const ctx = await desktopContext(browser, server.url, 3840, 2160);
    contexts.push(ctx);
    const big = await ctx.newPage();
    await big.goto(boardLink);
    await big.locator('.note', { hasText: 'Après le redémarrage' }).waitFor({ timeout: 20_000 });
    await shot(big, 'board-3840x2160');
  });

  it('a phone edits its note, a vote counts, a phone changes table, the facilitator hides and restores', async () => {
    const mine = phoneA.locator('article.note', { hasText: 'Mettre en réseau' });
    await mine.getByRole('button', { name: 'Modifier' }).click();
    await expect(phoneA.inputValue('#note-text')).resolves.toBe('Mettre en réseau, décloisonner, mutualiser');
    await phoneA.fill('#note-text', 'Mettre en réseau et mutualiser');
    await phoneA.locator('.composer button[type="submit"]').click();
    await boardNote('Mettre en réseau et mutualiser').waitFor();

    await phoneB.locator('article.note', { hasText: 'Le numérique amplifie' }).locator('button.vote').click();
    await expect.poll(() => boardNote('Le numérique amplifie').locator('.votes').count(), { timeout: 10_000 }).toBe(1);
    await expect(phoneB.locator('article.note', { hasText: 'Le numérique amplifie' }).locator('button.vote').getAttribute('aria-pressed')).resolves.toBe(
      'true',
    );

    await phoneA.getByRole('button', { name: 'Changer de table' }).click();
    // Phone A sees only its own table's people; the server's headcount says who sits at Table 2.
    await expect
      .poll(() => phoneA.locator('nav.picker button', { hasText: 'Table 2' }).locator('.count').innerText(), { timeout: 10_000 })
      .toMatch(/^1 personne/);
    await shot(phoneA, 'phone-360-picker');
    await phoneA.locator('nav.picker button', { hasText: 'Table 2' }).click();
    await phoneA.locator('article.note', { hasText: 'Le numérique amplifie' }).waitFor({ timeout: 10_000 });
    await expect.poll(() => phoneA.locator('article.note', { hasText: 'Mettre en réseau' }).count()).toBe(0);
    await expect.poll(() => board.locator('section.table').nth(1).locator('.counts').innerText()).toMatch(/2 personnes/);

    const moderated = facilitator.locator('#notes li.note', { hasText: 'Après le redémarrage' });
    await moderated.getByRole('button', { name: 'Masquer' }).click();
    await expect.poll(() => boardNote('Après le redémarrage').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => phoneA.locator('article.note', { hasText: 'Après le redémarrage' }).count(), { timeout: 10_000 }).toBe(0);
    await moderated.getByRole('button', { name: 'Rétablir' }).click();
    await boardNote('Après le redémarrage').waitFor({ timeout: 10_000 });
    await phoneA.locator('article.note', { hasText: 'Après le redémarrage' }).waitFor({ timeout: 10_000 });
    await shot(phoneA, 'phone-360-table2');
    await shot(board, 'board-1920x1080-end');
  });

  it('the facilitator downloads the report and the notes', async () => {
    await facilitator.goto(consoleURL);
    await waitOnline(facilitator);
    const report = facilitator.locator('#harvest button').first();
    const [md] = await Promise.all([facilitator.waitForEvent('download'), report.click()]);
    expect(md.suggestedFilename()).toBe(`nappe-${code}.md`);
    const text = await readFile((await md.path())!, 'utf8');
    expect(text).toContain('# Café e2e');
    expect(text).toContain('Après le redémarrage');
    const [csv] = await Promise.all([facilitator.waitForEvent('download'), facilitator.locator('#harvest button').nth(2).click()]);
    expect(csv.suggestedFilename()).toBe(`nappe-${code}.csv`);
    expect(await readFile((await csv.path())!, 'utf8')).toMatch(/^\uFEFF/);
  });

  it('no serious or critical accessibility violation in any view', () => {
    expect(a11y, a11y.join('\n\n')).toEqual([]);
  });
});
