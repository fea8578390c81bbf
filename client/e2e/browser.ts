// Debian's Chromium driven by playwright-core, with the flags that keep it off the network
// (shared/design-notes.md). Playwright gives each launch a fresh temporary --user-data-dir.
import { readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Every wait in the tests is bounded: a step that cannot happen fails instead of hanging. */
const ACTION_TIMEOUT_MS = 20_000;
async function bounded(c: Promise<BrowserContext>): Promise<BrowserContext> {
  const ctx = await c;
  ctx.setDefaultTimeout(ACTION_TIMEOUT_MS);
  return ctx;
}

export function phoneContext(b: Browser, baseURL: string): Promise<BrowserContext> {
  return bounded(b.newContext({
    baseURL,
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'fr-FR',
    userAgent:
      'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36',
  }));
}

export function desktopContext(b: Browser, baseURL: string, width = 1280, height = 900, locale = 'fr-FR'): Promise<BrowserContext> {
  return bounded(b.newContext({ baseURL, viewport: { width, height }, locale }));
}

export const SHOTS = process.env.NAPPE_SCREENSHOTS ?? join(tmpdir(), 'nappe-e2e-screenshots');
mkdirSync(SHOTS, { recursive: true });

export async function shot(page: Page, name: string, fullPage = false): Promise<string> {
  const path = join(SHOTS, `${name}.png`);
  await page.waitForTimeout(600); // let arrival animations settle
  await page.screenshot({ path, fullPage });
  return path;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe-core (injected) in the page; returns the serious and critical violations. */
export async function axe(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol: the page's Content-Security-Policy (script-src 'self')
  // would block an inline <script> tag.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const all = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: AxeViolation[] }> } }).axe.run(document, {
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
  return all.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function describeViolations(v: AxeViolation[]): string {
  return v.map((x) => `${x.impact} ${x.id}: ${x.help}\n${x.nodes.map((n) => `   ${n.target.join(' ')} — ${n.failureSummary ?? ''}`).join('\n')}`).join('\n');
}

/** What creating a workshop from the landing page leaves the facilitator with. */
export interface CreatedInBrowser {
  workshopId: string;
  key: string;
  boardLink: string;
}

/**
 * Creates a workshop from the landing page with `tables` tables, as a facilitator does, and
 * follows the link to the console; resolves once the console lists the tables.
 */
export async function createInBrowser(page: Page, title: string, tables: number): Promise<CreatedInBrowser> {
  await page.goto('/');
  await page.locator('#title').waitFor();
  await page.fill('#tables', String(tables));
  await page.fill('#title', title);
  await page.locator('.create form button[type="submit"]').click();
  await page.locator('#created-title').waitFor();
  const boardLink = await page.inputValue('#link-board');
  await page.locator('a.btn', { hasText: /animation|console/i }).click();
  await page.waitForURL(/\/console\//);
  const url = new URL(page.url());
  const workshopId = url.pathname.split('/')[2];
  const key = /k=([A-Za-z0-9_-]+)/.exec(url.hash)![1];
  const deadline = Date.now() + 20_000;
  while ((await page.locator('.table-row').count()) !== tables) {
    if (Date.now() > deadline) throw new Error(`the console does not list ${tables} tables`);
    await page.waitForTimeout(100); // polling a condition, with a deadline
  }
  return { workshopId, key, boardLink };
}

/** Ends a test file: its browser contexts, the browser, then the server. */
export async function closeAll(
  contexts: BrowserContext[],
  browser: Browser | undefined,
  server: { stop(): Promise<void> } | undefined,
): Promise<void> {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close().catch(() => {});
  await server?.stop();
}
