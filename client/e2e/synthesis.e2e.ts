// Syntheses written together in real browsers against the real server: two phones at the same
// table type into the table's synthesis at the same time (accents and emoji included), one of
// them goes offline, keeps typing and comes back; notes are sent to the synthesis in one tap; the
// projector shows it live and in a spotlight; a round's end keeps a version that can be restored;
// the facilitator writes the plenary from the console. At the end both phones, the projector and
// the server hold exactly the same text. CodeMirror must not be in a phone's first load.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axe, describeViolations, desktopContext, launch, phoneContext, shot, SHOTS, createInBrowser, closeAll } from './browser';
import { buildServer, newDataDir, startServer, type RunningServer } from './server';

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let facilitator: Page;
let board: Page;
let ada: Page;
let bob: Page;
let bobCtx: BrowserContext;
let workshopId = '';
let key = '';
let boardLink = '';
let t1 = '';
const a11y: string[] = [];
const timings: string[] = [];
/** Requests for the editor's chunks, per phone. */
const editorLoads = new Map<Page, string[]>();

interface ServerState {
  workshop: { code: string };
  tables: { id: string; number: number }[];
  syntheses: { doc: string; version: number; text: string; rounds: Record<string, string> }[];
}

async function serverState(): Promise<ServerState> {
  const r = await fetch(`${server.url}/api/workshops/${workshopId}/state`, { headers: { Authorization: `Bearer ${key}` } });
  expect(r.status).toBe(200);
  return ((await r.json()) as { state: ServerState }).state;
}
async function serverText(doc: string): Promise<string> {
  return (await serverState()).syntheses.find((s) => s.doc === doc)?.text ?? '';
}

async function timed<T>(what: string, f: () => Promise<T>): Promise<T> {
  const start = Date.now();
  const r = await f();
  timings.push(`${what}: ${Date.now() - start} ms`);
  return r;
}

async function checkA11y(page: Page, view: string) {
  await page.waitForTimeout(700);
  const v = await axe(page);
  if (v.length) a11y.push(`${view}:\n${describeViolations(v)}`);
}

const status = (p: Page) => p.locator('[data-status]').first();
async function waitStatus(p: Page, s: string, timeout = 30_000) {
  await status(p).and(p.locator(`[data-status="${s}"]`)).waitFor({ timeout });
}

async function joinWith(page: Page, name: string, table: string) {
  await page.goto(`/j/${(await serverState()).workshop.code}`);
  await page.fill('#name', name);
  await page.fill('#organisation', `Organisation de ${name}`);
  await page.locator('label.table-choice', { hasText: table }).click();
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL(/\/p\//);
  await page.locator('#table-title').waitFor();
  await waitStatus(page, 'online');
}

async function post(page: Page, text: string) {
  await page.fill('#note-text', text);
  await page.locator('.composer button[type="submit"]').click();
  await page.locator('article.note', { hasText: text }).locator('.state.sent').waitFor({ timeout: 15_000 });
}

/** The text in a page's editor: CodeMirror draws one .cm-line per line. */
function editorText(p: Page): Promise<string> {
  return p.evaluate(() => Array.from(document.querySelectorAll('.cm-content .cm-line'), (l) => l.textContent ?? '').join('\n'));
}
const editor = (p: Page) => p.locator('.cm-content');
const saveState = (p: Page) => p.locator('.synthesis-editor').first();
async function waitSaved(p: Page, timeout = 20_000) {
  await saveState(p).and(p.locator('[data-state="saved"]')).waitFor({ timeout });
}

/** What a page's live model holds for a synthesis (the state it caches in localStorage). */
async function cachedText(p: Page, kind: 'phone' | 'board', doc: string): Promise<string | null> {
  return p.evaluate(
    ([k, d]) => {
      const raw = localStorage.getItem(k);
      if (!raw) return null;
      const c = JSON.parse(raw) as { model: { syntheses: Record<string, { text: string }> } };
      return c.model.syntheses[d]?.text ?? null;
    },
    [`nappe.state.${workshopId}.${kind}`, doc] as const,
  );
}

async function openSynthesis(p: Page) {
  await p.getByRole('button', { name: /Écrire la synthèse/ }).click();
  await editor(p).waitFor({ timeout: 15_000 });
  await waitSaved(p);
}

/** A key, at a person's pace: nobody types the next key within a frame of Enter. */
async function press(p: Page, key: string) {
  await p.keyboard.press(key);
  await p.waitForTimeout(60);
}

/** Puts the caret at the start or the end of the synthesis. */
async function caretTo(p: Page, where: 'start' | 'end') {
  await editor(p).locator('.cm-line').first().click();
  await press(p, where === 'start' ? 'Control+Home' : 'Control+End');
}

/** Types at the end of the synthesis (on a new line if asked), one key at a time. */
async function typeAtEnd(p: Page, text: string, newLine = false, delay = 25) {
  await caretTo(p, 'end');
  if (newLine) await press(p, 'Enter');
  await p.keyboard.type(text, { delay });
}

const boardCard = (doc: string) => board.locator(`.syntheses .card[data-doc="${doc}"]`);

beforeAll(async () => {
  const bin = buildServer();
  server = await startServer(bin, newDataDir());
  browser = await launch();
  console.log(`screenshots: ${SHOTS}`);
});

afterAll(async () => {
  if (timings.length) console.log(`synthesis e2e timings:\n  ${timings.join('\n  ')}`);
  await closeAll(contexts, browser, server);
});

describe('syntheses, written together live', () => {
  it('a facilitator creates a workshop with two tables; the projector shows the syntheses', async () => {
    const ctx = await desktopContext(browser, server.url);
    contexts.push(ctx);
    facilitator = await ctx.newPage();
    ({ workshopId, key, boardLink } = await createInBrowser(facilitator, 'Café synthèses', 2));
    const s = await serverState();
    t1 = s.tables.find((t) => t.number === 1)!.id;

    const bctx = await desktopContext(browser, server.url, 1920, 1080);
    contexts.push(bctx);
    board = await bctx.newPage();
    await board.goto(boardLink);
    await board.getByRole('button', { name: 'Synthèses', exact: true }).click();
    await expect.poll(() => board.locator('.syntheses .card').count(), { timeout: 20_000 }).toBe(3); // two tables and the plenary
  });

  it('two phones join table 1; the editor is loaded only when the synthesis opens', async () => {
    const ca = await phoneContext(browser, server.url);
    bobCtx = await phoneContext(browser, server.url);
    contexts.push(ca, bobCtx);
    ada = await ca.newPage();
    bob = await bobCtx.newPage();
    for (const p of [ada, bob]) {
      const loads: string[] = [];
      editorLoads.set(p, loads);
      p.on('request', (r) => {
        if (/\/assets\/(editor|collab)-/.test(r.url())) loads.push(r.url());
      });
    }
    await joinWith(ada, 'Ada', 'Table 1');
    await joinWith(bob, 'Bob', 'Table 1');
    await post(ada, 'Écouter avant de numériser');
    await ada.locator('.syn-card').waitFor();
    expect(editorLoads.get(ada), 'CodeMirror in the first load').toEqual([]);
    await shot(ada, 'synthesis-phone-table-card');

    await timed('open the editor (lazy load)', () => openSynthesis(ada));
    expect(editorLoads.get(ada)!.some((u) => u.includes('/editor-'))).toBe(true);
    await openSynthesis(bob);
    await shot(ada, 'synthesis-phone-editor-empty');
    await checkA11y(ada, 'phone synthesis editor');
  });

  it('they type at the same time, accents and emoji included; the projector shows it live', async () => {
    await typeAtEnd(ada, 'Ce que la table retient :');
    await waitSaved(ada);
    await expect.poll(() => editorText(bob), { timeout: 10_000 }).toBe('Ce que la table retient :');

    // At the same time: Ada adds a bullet at the end, Bob writes a line at the top.
    await timed('two phones type at once', () =>
      Promise.all([
        typeAtEnd(ada, '- Ada : un café ☕ pour tous, élégant', true, 30),
        (async () => {
          await caretTo(bob, 'start');
          await bob.keyboard.type('Bob préfère l’élégance 😀 ', { delay: 30 });
          await bob.keyboard.insertText('👍🏽');
          await press(bob, 'Enter');
        })(),
      ]),
    );
    await waitSaved(ada);
    await waitSaved(bob);
    const want = 'Bob préfère l’élégance 😀 👍🏽\nCe que la table retient :\n- Ada : un café ☕ pour tous, élégant';
    await expect.poll(() => editorText(ada), { timeout: 10_000 }).toBe(want);
    await expect.poll(() => editorText(bob), { timeout: 10_000 }).toBe(want);
    await timed('the projector shows the merged text', () =>
      boardCard(t1).locator('li', { hasText: 'Ada : un café ☕ pour tous, élégant' }).waitFor({ timeout: 10_000 }),
    );
    await boardCard(t1).locator('p', { hasText: 'Bob préfère l’élégance 😀 👍🏽' }).waitFor();
    expect(await serverText(t1)).toBe(want);
    // Ada sees that Bob is writing (his changes of the last seconds).
    await ada.locator('.writers', { hasText: 'Bob écrit' }).waitFor({ timeout: 5_000 });
    await shot(ada, 'synthesis-phone-editor-two-writers');
  });

  it('Bob goes offline, keeps typing, and comes back: his words are merged, not lost', async () => {
    await bobCtx.setOffline(true);
    await waitStatus(bob, 'offline', 10_000);
    await typeAtEnd(bob, '- hors ligne : Bob note « déjà vu » ', true, 20);
    await bob.keyboard.insertText('🎉');
    await saveState(bob).and(bob.locator('[data-state="offline"]')).waitFor({ timeout: 5_000 });
    await expect(bob.locator('.save').innerText()).resolves.toMatch(/Hors ligne/);
    await shot(bob, 'synthesis-phone-editor-offline');

    // Meanwhile Ada goes on writing, online.
    await typeAtEnd(ada, '- Ada, en ligne pendant ce temps', true, 20);
    await waitSaved(ada);
    expect(await serverText(t1)).not.toContain('hors ligne');

    await bobCtx.setOffline(false);
    await timed('offline edits merged after reconnect', async () => {
      await waitStatus(bob, 'online', 30_000);
      await waitSaved(bob);
    });
    const text = await serverText(t1);
    for (const w of ['Bob préfère l’élégance 😀 👍🏽', 'Ada : un café ☕', '- Ada, en ligne pendant ce temps', '- hors ligne : Bob note « déjà vu » 🎉']) {
      expect(text, w).toContain(w);
    }
    await expect.poll(() => editorText(ada), { timeout: 10_000 }).toBe(text);
    await expect.poll(() => editorText(bob), { timeout: 10_000 }).toBe(text);
  });

  it('"send to synthesis": one tap on a note, or several notes picked at once', async () => {
    await ada.getByRole('button', { name: /Retour à la table/ }).click();
    const note = ada.locator('article.note', { hasText: 'Écouter avant de numériser' });
    await timed('one tap adds a note as a bullet', async () => {
      await note.getByRole('button', { name: /Vers la synthèse/ }).click();
      await note.locator('.in-synthesis').waitFor({ timeout: 5_000 });
      await boardCard(t1).locator('li', { hasText: 'Écouter avant de numériser' }).waitFor({ timeout: 10_000 });
    });
    await shot(ada, 'synthesis-phone-note-sent');
    await expect.poll(async () => (await serverText(t1)).endsWith('\n- Écouter avant de numériser'), { timeout: 10_000 }).toBe(true);

    // Bob picks two notes of the table and sends them together.
    await bob.getByRole('button', { name: /Retour à la table/ }).click();
    await post(bob, 'Mutualiser les outils');
    await post(bob, 'Former les bénévoles');
    await openSynthesis(bob);
    await bob.getByRole('button', { name: /Ajouter des post-it/ }).click();
    await bob.locator('#pick-notes label', { hasText: 'Mutualiser les outils' }).click();
    await bob.locator('#pick-notes label', { hasText: 'Former les bénévoles' }).click();
    await shot(bob, 'synthesis-phone-pick-notes');
    await bob.getByRole('button', { name: 'Ajouter 2 post-it' }).click();
    await waitSaved(bob);
    await expect.poll(() => serverText(t1), { timeout: 10_000 }).toMatch(/\n- (Mutualiser les outils|Former les bénévoles)\n- (Former les bénévoles|Mutualiser les outils)$/);
    await checkA11y(bob, 'phone synthesis, notes picked');
  });

  it('a round ends: the version is kept, with what changed since, and can be restored', async () => {
    await facilitator.getByRole('button', { name: 'Lancer le tour 1' }).click();
    for (const p of [ada, bob]) {
      const stay = p.locator('[role="alertdialog"]').getByRole('button', { name: /Rester à la table 1/ });
      await stay.click({ timeout: 10_000 });
    }
    await facilitator.getByRole('button', { name: 'Terminer le tour' }).click();
    const atEnd = await serverText(t1);
    await expect.poll(async () => (await serverState()).syntheses.find((s) => s.doc === t1)?.rounds['1'], { timeout: 10_000 }).toBe(atEnd);

    await typeAtEnd(bob, 'Après la fin du tour', true, 10);
    await waitSaved(bob);
    await bob.getByRole('button', { name: /Versions de fin de tour/ }).click();
    await bob.getByRole('button', { name: 'Fin du tour 1' }).click();
    await bob.locator('.diff li.add', { hasText: 'Après la fin du tour' }).waitFor({ timeout: 5_000 });
    await shot(bob, 'synthesis-phone-history');
    await bob.getByRole('button', { name: 'Rétablir cette version' }).click();
    await bob.getByRole('button', { name: 'Confirmer le rétablissement' }).click();
    await waitSaved(bob);
    await expect.poll(() => serverText(t1), { timeout: 10_000 }).toBe(atEnd);
    await expect.poll(() => cachedText(ada, 'phone', t1), { timeout: 10_000 }).toBe(atEnd); // Ada is on her table's screen
  });

  it('the facilitator writes the plenary from the console; the projector shows it', async () => {
    const panel = facilitator.locator('#syntheses');
    await panel.scrollIntoViewIfNeeded();
    await panel.locator('li[data-doc="plenary"]').getByRole('button', { name: 'Modifier' }).click();
    await panel.locator('.cm-content').waitFor({ timeout: 15_000 });
    await panel.locator('.cm-content').click();
    await facilitator.keyboard.type('Perspectives : relier les tables, ', { delay: 10 });
    await facilitator.keyboard.insertText('🌍');
    await saveState(facilitator).and(facilitator.locator('[data-state="saved"]')).waitFor({ timeout: 10_000 });
    await boardCard('plenary').locator('p', { hasText: 'Perspectives : relier les tables, 🌍' }).waitFor({ timeout: 10_000 });
    await checkA11y(facilitator, 'console with the synthesis editor');
    await facilitator.waitForTimeout(600);
    await panel.screenshot({ path: join(SHOTS, 'synthesis-console-panel.png') });
    // Phones read the plenary (only hosts write it).
    await openSynthesis(ada);
    await ada.getByRole('button', { name: 'Plénière' }).click();
    await ada.locator('.read', { hasText: 'Perspectives : relier les tables, 🌍' }).waitFor({ timeout: 10_000 });
    expect(await ada.locator('.cm-content').count()).toBe(0);
    await ada.getByRole('button', { name: 'Notre table' }).click();
    await editor(ada).waitFor();
  });

  it('the projector spotlight: one synthesis on the whole screen, arrows and Escape', async () => {
    // After a round the projector says "time to move" over the tables: a clicker's → still opens
    // the spotlight, on the first table.
    await board.keyboard.press('ArrowRight');
    const spot = board.locator('.spotlight');
    await spot.waitFor();
    await expect(spot.locator('h2').innerText()).resolves.toMatch(/^Table 1/);
    await spot.locator('li', { hasText: 'Écouter avant de numériser' }).waitFor();
    await checkA11y(board, 'board spotlight');
    await shot(board, 'synthesis-board-spotlight-1920x1080');
    // Nothing is cut: the text fits the screen.
    const fits = await spot.locator('.spot-body').evaluate((el) => el.scrollHeight <= el.clientHeight + 1);
    expect(fits).toBe(true);
    await board.keyboard.press('ArrowRight');
    await expect(spot.locator('h2').innerText()).resolves.toMatch(/^Table 2/);
    await board.keyboard.press('ArrowRight');
    await expect(spot.locator('h2').innerText()).resolves.toBe('Synthèse plénière');
    await board.keyboard.press('ArrowRight');
    await expect(spot.locator('h2').innerText()).resolves.toMatch(/^Table 1/);
    await board.keyboard.press('ArrowLeft');
    await expect(spot.locator('h2').innerText()).resolves.toBe('Synthèse plénière');
    await board.keyboard.press('Escape');
    await spot.waitFor({ state: 'detached' });
    // A click on a card opens it too (once the next round has started: no "time to move" over it).
    await facilitator.getByRole('button', { name: 'Lancer le tour 2' }).click();
    await board.locator('.move[role="alert"]').waitFor({ state: 'detached', timeout: 10_000 });
    await checkA11y(board, 'board syntheses');
    await shot(board, 'synthesis-board-1920x1080');
    await boardCard(t1).getByRole('button', { name: /afficher en grand/ }).click();
    await spot.waitFor();
    await board.keyboard.press('Escape');
    await spot.waitFor({ state: 'detached' });
    for (const p of [ada, bob]) {
      const stay = p.locator('[role="alertdialog"]').getByRole('button', { name: /Rester à la table 1/ });
      await stay.click({ timeout: 10_000 });
    }

    const ctx = await desktopContext(browser, server.url, 3840, 2160);
    contexts.push(ctx);
    const big = await ctx.newPage();
    await big.goto(boardLink);
    await big.getByRole('button', { name: 'Synthèses', exact: true }).click();
    await big.locator(`.syntheses .card[data-doc="${t1}"]`).getByRole('button', { name: /afficher en grand/ }).click();
    await big.locator('.spotlight li', { hasText: 'Écouter avant de numériser' }).waitFor({ timeout: 20_000 });
    await shot(big, 'synthesis-board-spotlight-3840x2160');
  });

  it('both phones, the projector and the server hold exactly the same text', async () => {
    const s = await serverState();
    const text = s.syntheses.find((x) => x.doc === t1)!.text;
    for (const w of ['Bob préfère l’élégance 😀 👍🏽', 'Ada : un café ☕ pour tous, élégant', '- hors ligne : Bob note « déjà vu » 🎉', '- Ada, en ligne pendant ce temps', '- Écouter avant de numériser', '- Mutualiser les outils', '- Former les bénévoles']) {
      expect(text, w).toContain(w);
    }
    await expect.poll(() => editorText(ada)).toBe(text);
    await expect.poll(() => editorText(bob)).toBe(text);
    await expect.poll(() => cachedText(ada, 'phone', t1)).toBe(text);
    await expect.poll(() => cachedText(bob, 'phone', t1)).toBe(text);
    await expect.poll(() => cachedText(board, 'board', t1)).toBe(text);
    // And the projector renders every line of it.
    const items = await boardCard(t1).locator('li').allInnerTexts();
    expect(items).toEqual(text.split('\n').filter((l) => l.startsWith('- ')).map((l) => l.slice(2)));
  });

  it('no serious or critical accessibility violation', () => {
    expect(a11y, a11y.join('\n\n')).toEqual([]);
  });
});
