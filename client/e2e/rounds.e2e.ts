// Rounds in real browsers against the real server: a facilitator makes a table host, plans the
// rounds and starts round 1 then round 2; each phone is sent to the table the server assigned
// ("go to table N", full screen), the projector counts down and says when it is time to move,
// notes carry their round, and a round's notes read apart from the earlier rounds' ones. The
// tables asked of the phones are read from the server's own state, never hard-coded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axe, describeViolations, desktopContext, launch, phoneContext, shot, SHOTS, createInBrowser, closeAll } from './browser';
import { join } from 'node:path';
import { buildServer, newDataDir, startServer, type RunningServer } from './server';

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let facilitator: Page;
let board: Page;
let ada: Page;
let bob: Page;
let workshopId = '';
let key = '';
let boardLink = '';
const ids: Record<string, string> = {}; // name → participant id
const a11y: string[] = [];

interface ServerState {
  workshop: { code: string };
  tables: { id: string; number: number; host: string }[];
  participants: { id: string; name: string; table: string | null }[];
  notes: { id: string; text: string; round: number; authorName: string | null; via: string | null }[];
  clock: { round: number; status: string };
  seating: string;
  itineraries: Record<string, string[]>;
}

/** The facilitator's view of the workshop, straight from the server's HTTP API. */
async function serverState(): Promise<ServerState> {
  const r = await fetch(`${server.url}/api/workshops/${workshopId}/state`, { headers: { Authorization: `Bearer ${key}` } });
  expect(r.status).toBe(200);
  return ((await r.json()) as { state: ServerState }).state;
}

function tableNumber(s: ServerState, id: string): number {
  const t = s.tables.find((x) => x.id === id);
  if (!t) throw new Error(`no table ${id}`);
  return t.number;
}

/** A screenshot of one part of a page. */
async function shotOf(page: Page, selector: string, name: string) {
  await page.waitForTimeout(600);
  await page.locator(selector).screenshot({ path: join(SHOTS, `${name}.png`) });
}

async function checkA11y(page: Page, view: string) {
  await page.waitForTimeout(700);
  const v = await axe(page);
  if (v.length) a11y.push(`${view}:\n${describeViolations(v)}`);
}

const status = (p: Page) => p.locator('[data-status]').first();
async function waitOnline(p: Page, timeout = 30_000) {
  await status(p).and(p.locator('[data-status="online"]')).waitFor({ timeout });
}

async function joinWith(page: Page, name: string, table: string) {
  await page.goto(`/j/${(await serverState()).workshop.code}`);
  await page.fill('#name', name);
  await page.fill('#organisation', `Organisation de ${name}`);
  await page.locator('label.table-choice', { hasText: table }).click();
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL(/\/p\//);
  await page.locator('#table-title').waitFor();
  await waitOnline(page);
}

async function post(page: Page, text: string) {
  await page.fill('#note-text', text);
  await page.locator('.composer button[type="submit"]').click();
  await page.locator('article.note', { hasText: text }).locator('.state.sent').waitFor({ timeout: 15_000 });
}

const prompt = (p: Page) => p.locator('[role="alertdialog"]');

/** The phone says "go to table N" for the table the server gave it, and the person confirms. */
async function expectGoTo(p: Page, n: number, screenshot: string) {
  await prompt(p).waitFor({ timeout: 10_000 });
  await expect(prompt(p).locator('h1').innerText()).resolves.toBe(`Allez à la table ${n}`);
  await shot(p, screenshot);
  await checkA11y(p, `${screenshot} (go to table)`);
  await prompt(p).getByRole('button', { name: 'J’y suis' }).click();
  await prompt(p).waitFor({ state: 'detached' });
  await expect(p.locator('#table-title .table-num').innerText()).resolves.toBe(`Table ${n}`);
}

beforeAll(async () => {
  const bin = buildServer();
  server = await startServer(bin, newDataDir());
  browser = await launch();
  console.log(`screenshots: ${SHOTS}`);
});

afterAll(async () => {
  await closeAll(contexts, browser, server);
});

describe('rounds, live', () => {
  it('a facilitator creates a workshop with three tables; the projector opens', async () => {
    const ctx = await desktopContext(browser, server.url);
    contexts.push(ctx);
    facilitator = await ctx.newPage();
    ({ workshopId, key, boardLink } = await createInBrowser(facilitator, 'Café tournant', 3));
    await waitOnline(facilitator);

    const bctx = await desktopContext(browser, server.url, 1920, 1080);
    contexts.push(bctx);
    board = await bctx.newPage();
    await board.goto(boardLink);
    await expect.poll(() => board.locator('section.table').count(), { timeout: 20_000 }).toBe(3);
  });

  it('two phones join; the facilitator makes Ada host of table 1', async () => {
    const ca = await phoneContext(browser, server.url);
    const cb = await phoneContext(browser, server.url);
    contexts.push(ca, cb);
    ada = await ca.newPage();
    bob = await cb.newPage();
    await joinWith(ada, 'Ada', 'Table 1');
    await joinWith(bob, 'Bob', 'Table 2');

    await expect.poll(() => facilitator.locator('#participants tbody tr').count(), { timeout: 10_000 }).toBe(2);
    const first = facilitator.locator('.table-row').first();
    await first.getByLabel('Hôte').selectOption({ label: 'Ada' });
    await ada.locator('.host-badge', { hasText: 'Vous animez cette table' }).waitFor({ timeout: 10_000 });
    await expect(ada.getByRole('button', { name: 'Changer de table' }).count()).resolves.toBe(0);
    await facilitator.locator('#participants .host-badge', { hasText: 'Hôte de la table 1' }).waitFor();

    const s = await serverState();
    for (const p of s.participants) ids[p.name] = p.id;
    expect(s.tables.find((t) => t.number === 1)?.host).toBe(ids.Ada);
    await shot(ada, 'rounds-phone-host-before');
  });

  it('the facilitator plans the rounds; the plan is shown, with "move by hand" next to it', async () => {
    await facilitator.getByRole('button', { name: 'Planifier les tours' }).click();
    await facilitator.locator('table.plan').waitFor({ timeout: 10_000 });
    await facilitator.getByRole('button', { name: 'Replanifier les tours restants' }).waitFor();
    await facilitator.locator('#move-who').waitFor();
    const s = await serverState();
    expect(s.seating).toBe('planned');
    // The host stays at table 1 in every round.
    const t1 = s.tables.find((t) => t.number === 1)!.id;
    expect(s.itineraries[ids.Ada]).toEqual([t1, t1, t1]);
    expect(s.itineraries[ids.Bob].every((t) => t !== '')).toBe(true);
    // Round 2 asks every table the same question, on top of each table's own.
    await facilitator.fill('#round-q-1', 'Qu’avez-vous entendu de nouveau ?');
    await facilitator.getByRole('button', { name: 'Enregistrer le programme' }).click();
    await expect.poll(async () => ((await serverState()) as unknown as { rounds: { question: string }[] }).rounds[1].question).toBe(
      'Qu’avez-vous entendu de nouveau ?',
    );
    await checkA11y(facilitator, 'console with the plan');
  });

  it('round 1 starts: each phone is sent to the table the server gave it; the projector counts down', async () => {
    await facilitator.getByRole('button', { name: 'Lancer le tour 1' }).click();
    await expect.poll(async () => (await serverState()).clock.round, { timeout: 10_000 }).toBe(1);
    const s = await serverState();
    expect(s.clock.status).toBe('running');
    const seat = (name: string) => s.participants.find((p) => p.id === ids[name])!.table!;
    expect(seat('Ada')).toBe(s.itineraries[ids.Ada][0]);
    expect(seat('Bob')).toBe(s.itineraries[ids.Bob][0]);

    await expectGoTo(ada, tableNumber(s, seat('Ada')), 'rounds-phone-goto-ada-r1');
    await expectGoTo(bob, tableNumber(s, seat('Bob')), 'rounds-phone-goto-bob-r1');

    // The clock, on the phone and on the projector.
    const strip = ada.locator('.top .countdown');
    await expect(strip.locator('.round').innerText()).resolves.toBe('Tour 1 sur 3');
    await expect(strip.locator('.digits').innerText()).resolves.toMatch(/^(20:00|19:5\d)$/);
    const big = board.locator('.head .countdown');
    await big.waitFor({ timeout: 10_000 });
    await expect(big.locator('.round').innerText()).resolves.toBe('Tour 1 sur 3');
    await expect(big.locator('.digits').innerText()).resolves.toMatch(/^(20:00|19:[0-5]\d)$/);
    const t0 = await big.locator('.digits').innerText();
    await expect.poll(() => big.locator('.digits').innerText(), { timeout: 5_000 }).not.toBe(t0);
    await checkA11y(board, 'board, round 1');
    await shot(board, 'rounds-board-r1');
  });

  it('notes are written in round 1, Ada writes one for Dan who has no phone', async () => {
    await post(ada, 'Au tour 1, chez Ada');
    await post(bob, 'Au tour 1, chez Bob');
    await ada.getByRole('button', { name: /Écrire pour quelqu’un sans téléphone/ }).click();
    await ada.fill('#for-name', 'Dan');
    await ada.fill('#for-text', 'Dan dit : écouter avant de numériser');
    await ada.getByRole('button', { name: 'Publier pour cette personne' }).click();
    const dan = ada.locator('article.note', { hasText: 'écouter avant de numériser' });
    await dan.waitFor();
    await expect(dan.locator('.name').innerText()).resolves.toBe('Dan (via Ada)');
    await board.locator('.note', { hasText: 'écouter avant de numériser' }).locator('.who', { hasText: 'Dan (via Ada)' }).waitFor({ timeout: 10_000 });
    await checkA11y(ada, 'phone, host tools');
    await shot(ada, 'rounds-phone-host-r1');

    // The host hides and restores a note of their table; hidden, it stays on their phone, greyed.
    await dan.getByRole('button', { name: 'Masquer' }).click();
    await dan.locator('.hidden-label').waitFor({ timeout: 10_000 });
    await expect.poll(() => board.locator('.note', { hasText: 'écouter avant de numériser' }).count(), { timeout: 10_000 }).toBe(0);
    await shot(ada, 'rounds-phone-host-hidden');
    await dan.getByRole('button', { name: 'Rétablir' }).click();
    await board.locator('.note', { hasText: 'écouter avant de numériser' }).waitFor({ timeout: 10_000 });
    await expect.poll(() => dan.locator('.hidden-label').count()).toBe(0);
  });

  it('round 2 starts: a phone whose table changes is told where to go; the host stays', async () => {
    await facilitator.getByRole('button', { name: 'Passer au tour 2' }).click();
    await expect.poll(async () => (await serverState()).clock.round, { timeout: 10_000 }).toBe(2);
    const s = await serverState();
    for (const [name, page] of [
      ['Ada', ada],
      ['Bob', bob],
    ] as const) {
      const it = s.itineraries[ids[name]];
      const now = s.participants.find((p) => p.id === ids[name])!.table!;
      expect(now, name).toBe(it[1]);
      await expect.poll(() => page.locator('.top .countdown .round').innerText(), { timeout: 10_000 }).toBe('Tour 2 sur 3');
      await expect.poll(() => page.locator('.round-q').first().innerText(), { timeout: 10_000 }).toContain('Qu’avez-vous entendu de nouveau ?');
      if (it[1] !== it[0]) {
        await expectGoTo(page, tableNumber(s, it[1]), `rounds-phone-goto-${name.toLowerCase()}-r2`);
      } else {
        await page.waitForTimeout(1500); // longer than the prompt's settling delay
        expect(await prompt(page).count(), `${name} stays at table ${tableNumber(s, it[1])}`).toBe(0);
        await expect(page.locator('#table-title .table-num').innerText()).resolves.toBe(`Table ${tableNumber(s, it[1])}`);
      }
    }
  });

  it('a note posted in round 2 is tagged round 2; round-1 notes read apart, as left by earlier rounds', async () => {
    await post(ada, 'Au tour 2, chez Ada');
    const s = await serverState();
    expect(s.notes.find((n) => n.text === 'Au tour 2, chez Ada')?.round).toBe(2);
    expect(s.notes.find((n) => n.text === 'Au tour 1, chez Ada')?.round).toBe(1);
    expect(s.notes.find((n) => n.text.includes('écouter avant'))).toMatchObject({ round: 1, authorName: 'Dan', via: 'Ada' });

    await ada.locator('ol.notes.current article.note', { hasText: 'Au tour 2, chez Ada' }).waitFor();
    expect(await ada.locator('ol.notes.current article.note', { hasText: 'Au tour 1' }).count()).toBe(0);
    const earlier = ada.getByRole('button', { name: /Laissés par les tours précédents/ });
    await expect(earlier.innerText()).resolves.toMatch(/\(2\)/);
    await earlier.click();
    const old = ada.locator('#earlier-notes article.note', { hasText: 'Au tour 1, chez Ada' });
    await old.waitFor();
    await expect(old.locator('.tag').innerText()).resolves.toBe('Tour 1');

    // The host's "since last round": what round 1 left at this table.
    await ada.getByRole('button', { name: /Depuis le tour précédent/ }).click();
    await ada.locator('#host-brief .brief-note', { hasText: 'Au tour 1, chez Ada' }).waitFor();
    expect(await ada.locator('#host-brief .brief-note').count()).toBe(2);
    await checkA11y(ada, 'phone, round 2, earlier notes open');
    await shot(ada, 'rounds-phone-host-r2');
    await shot(ada, 'rounds-phone-host-r2-full', true);
    await shot(bob, 'rounds-phone-r2');

    // The projector filters the notes by round.
    await board.locator('.note', { hasText: 'Au tour 2, chez Ada' }).waitFor({ timeout: 10_000 });
    await board.selectOption('#board-round', { label: 'Tour 2' });
    await expect.poll(() => board.locator('.note', { hasText: 'Au tour 1' }).count()).toBe(0);
    expect(await board.locator('.note', { hasText: 'Au tour 2, chez Ada' }).count()).toBe(1);
    await board.selectOption('#board-round', { label: 'Tous les tours' });
    await expect.poll(() => board.locator('.note', { hasText: 'Au tour 1' }).count()).toBe(2);
  });

  it('the facilitator pauses, adds time and ends the round: every screen says it is time to move', async () => {
    await facilitator.getByRole('button', { name: 'Pause' }).click();
    await ada.locator('.top .countdown[data-phase="paused"]').waitFor({ timeout: 10_000 });
    await shotOf(ada, '.top', 'rounds-phone-strip-paused');
    await board.locator('.head .countdown[data-phase="paused"]', { hasText: 'En pause' }).waitFor({ timeout: 10_000 });
    await facilitator.getByRole('button', { name: 'Reprendre' }).click();
    await facilitator.getByRole('button', { name: '+5 min' }).click();
    await expect.poll(() => board.locator('.head .countdown .digits').innerText(), { timeout: 10_000 }).toMatch(/^2[45]:\d\d$/);
    await shot(facilitator, 'rounds-console', true);
    await shotOf(facilitator, '#rounds', 'rounds-console-panel');

    await facilitator.getByRole('button', { name: 'Terminer le tour' }).click();
    const banner = board.locator('.move[role="alert"]');
    await banner.waitFor({ timeout: 10_000 });
    await expect(banner.innerText()).resolves.toMatch(/C’est l’heure de changer de table[\s\S]*Le tour 3 va commencer/);
    await shot(board, 'rounds-board-time-to-move');
    await ada.locator('.top .countdown', { hasText: 'C’est l’heure de changer de table' }).waitFor({ timeout: 10_000 });
    await shot(ada, 'rounds-phone-time-to-move');

    // The seating view shows where everyone goes next.
    await board.getByRole('button', { name: 'Placement', exact: true }).click();
    await board.locator('.seating-title', { hasText: 'Placement du tour 3' }).waitFor();
    const s = await serverState();
    const adaNext = tableNumber(s, s.itineraries[ids.Ada][2]);
    await board.locator('.seating-view .seat-table', { hasText: 'Ada' }).locator('.num', { hasText: String(adaNext) }).waitFor();
  });

  it('the projector at 4K; round 3; a fourth round with free seating: "choose your table"', async () => {
    const ctx = await desktopContext(browser, server.url, 3840, 2160);
    contexts.push(ctx);
    const big = await ctx.newPage();
    await big.goto(boardLink);
    await big.locator('.move[role="alert"]').waitFor({ timeout: 20_000 });
    await shot(big, 'rounds-board-3840x2160');
    await facilitator.getByRole('button', { name: 'Lancer le tour 3' }).click();
    await board.getByRole('button', { name: 'Post-it', exact: true }).click();
    await expect.poll(() => board.locator('.move[role="alert"]').count(), { timeout: 10_000 }).toBe(0);
    for (const p of [ada, bob]) {
      await p.waitForTimeout(1000);
      if (await prompt(p).count()) await prompt(p).getByRole('button', { name: 'J’y suis' }).click();
    }

    // One more round, and people choose their tables themselves this time.
    await facilitator.locator('#round-count').fill('4');
    await facilitator.locator('#round-count').press('Tab');
    await facilitator.locator('#round-min-3').waitFor();
    await facilitator.getByRole('button', { name: 'Enregistrer le programme' }).click();
    await facilitator.getByLabel('Libre : chacun choisit sa table').check();
    await expect.poll(async () => {
      const s = await serverState();
      return `${s.seating} ${s.itineraries[ids.Bob].length}`;
    }, { timeout: 10_000 }).toBe('free 4');
    await facilitator.getByRole('button', { name: 'Passer au tour 4' }).click();
    await prompt(bob).and(bob.locator('[data-kind="choose"]')).waitFor({ timeout: 10_000 });
    await expect(prompt(bob).locator('h1').innerText()).resolves.toBe('Tour 4 : choisissez votre table');
    await shot(bob, 'rounds-phone-choose-r4');
    await checkA11y(bob, 'phone, choose your table');
    await prompt(bob).getByRole('button', { name: /^Rester à la table \d$/ }).click();
    await prompt(bob).waitFor({ state: 'detached' });
    await ada.waitForTimeout(500);
    expect(await prompt(ada).count(), 'the host is not asked to choose').toBe(0);
    await checkA11y(facilitator, 'console, round 4');
  });

  it('no serious or critical accessibility violation in any view', () => {
    expect(a11y, a11y.join('\n\n')).toEqual([]);
  });
});
