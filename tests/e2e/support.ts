/**
 * Shared helpers for the Playwright specs: the demo accounts, signing in, and a read-only view of
 * the e2e server's SQLite file (to check that a refused request changed nothing).
 */
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import BetterSqlite3 from 'better-sqlite3';
import { expect, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';

/** Where the e2e server keeps its data (see playwright.config.ts and scripts/e2e-server.mjs; E2E_DATA_DIR moves it). */
export const DATABASE_FILE = path.resolve(process.env.E2E_DATA_DIR ?? path.join('test-results', 'e2e-data'), 'proxenia.sqlite');

/** Where layout screenshots go, for people to look at. */
export const SCREENSHOT_DIR = path.resolve('test-results', 'screenshots');

export const DEMO_PASSWORD = 'proxenia-demo';
export const METROPOLIS_TITLE = 'Metropolis Annual Meeting — Declaration on Urban Climate Resilience';
export const TWINNING_TITLE = 'Nizhny Novgorod — Brazzaville twinning agreement';

/** The e-mail of a demo account, e.g. `demoEmail('delegate.montreal')`. */
export function demoEmail(local: string): string {
  return `${local}@demo.proxenia.test`;
}

/** A value no other test (or earlier run) uses, for titles and e-mails. */
export function unique(prefix: string): string {
  return `${prefix} ${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
}

/** Signs in through the sign-in form, as a person would, and waits for the dashboard. */
export async function signInThroughForm(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/signin');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('heading', { level: 1, name: 'My negotiations' })).toBeVisible();
}

/**
 * Signs in through Auth.js's credentials endpoint (no form), sharing the page's cookie jar: the
 * quick way in for tests whose subject is something else.
 */
export async function signInViaApi(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  const csrf = await page.request.get('/api/auth/csrf');
  expect(csrf.ok()).toBe(true);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await page.request.post('/api/auth/callback/credentials', {
    form: { csrfToken, email, password, callbackUrl: '/dashboard' },
    maxRedirects: 0,
  });
  expect(response.status(), 'credentials callback answers with a redirect').toBe(302);
  expect(response.headers().location ?? '', 'a successful sign-in does not go back to the sign-in page').not.toContain('error');
  const cookies = await page.context().cookies();
  expect(cookies.some((cookie) => cookie.name.includes('authjs.session-token'))).toBe(true);
}

/** Runs `read` on a read-only connection to the e2e server's database, then closes it. */
export function readDatabase<T>(read: (db: BetterSqlite3.Database) => T): T {
  const db = new BetterSqlite3(DATABASE_FILE, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** Row counts of the given tables (names are fixed strings from the tests, never input). */
export function rowCounts(tables: readonly string[]): Record<string, number> {
  return readDatabase((db) =>
    Object.fromEntries(tables.map((table) => [table, (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n])),
  );
}

/** The id of the negotiation with this exact title. */
export function negotiationIdByTitle(title: string): string {
  const row = readDatabase((db) => db.prepare('SELECT id FROM negotiations WHERE title = ?').get(title) as { id: string } | undefined);
  if (!row) throw new Error(`no negotiation titled ${title}`);
  return row.id;
}

/** The Metropolis draft declaration's page. */
export function declarationPath(): string {
  const negotiationId = negotiationIdByTitle(METROPOLIS_TITLE);
  const documentId = readDatabase((db) => (db.prepare("SELECT id FROM documents WHERE title LIKE 'Draft Declaration%'").get() as { id: string }).id);
  return `/negotiations/${negotiationId}/documents/${documentId}`;
}

const openContexts: BrowserContext[] = [];
const framesByPage = new WeakMap<Page, string[]>();

/**
 * A signed-in page in a browser context of its own, as one participant would have (closeParticipants
 * closes it). What its sockets receive is recorded from the start, for socketFramesReceived.
 */
export async function participant(browser: Browser, account: string): Promise<Page> {
  const context = await browser.newContext();
  openContexts.push(context);
  const page = await context.newPage();
  const frames: string[] = [];
  framesByPage.set(page, frames);
  page.on('websocket', (socket) => socket.on('framereceived', (frame) => frames.push(typeof frame.payload === 'string' ? frame.payload : frame.payload.toString('utf8'))));
  await signInViaApi(page, demoEmail(account));
  return page;
}

/** Every WebSocket frame a `participant` page has received so far, in order (to check what the server never sent it). */
export function socketFramesReceived(page: Page): string[] {
  return [...(framesByPage.get(page) ?? [])];
}

/** Closes every context `participant` and `openDeclarationAs` opened, so no test sees another's people. */
export async function closeParticipants(): Promise<void> {
  await Promise.all(openContexts.splice(0).map((context) => context.close()));
}

/** The chair schedules a Metropolis session through its form and opens its room; resolves with the room's path. */
export async function scheduleSessionAsChair(chair: Page, title: string, start = `${new Date().getFullYear() + 1}-03-05T14:30`): Promise<string> {
  await chair.goto(`/negotiations/${negotiationIdByTitle(METROPOLIS_TITLE)}/sessions/new`);
  await chair.getByLabel('Title').fill(title);
  await chair.getByLabel('Start').fill(start);
  await chair.getByRole('button', { name: 'Schedule' }).click();
  await chair.getByRole('link', { name: title }).click();
  await expect(chair.getByRole('heading', { level: 1, name: title })).toBeVisible();
  return new URL(chair.url()).pathname;
}

/** Opens the declaration as a demo account, in a browser context of its own, once synced. */
export async function openDeclarationAs(browser: Browser, account: string): Promise<Page> {
  const page = await participant(browser, account);
  await page.goto(declarationPath());
  await expect(page.getByRole('status').filter({ hasText: 'All changes saved' })).toBeVisible();
  return page;
}

/** Closes the contexts openDeclarationAs opened, so no test sees another's people in the room. */
export const closeDeclarationContexts = closeParticipants;

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'];

/** Axe violations (WCAG 2.2 AA) as short readable lines (rule, impact, the offending elements). */
export async function wcagViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return results.violations.map(
    (violation) => `${violation.id} (${violation.impact ?? 'n/a'}): ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  );
}

const LAYOUTS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 }, projector: { width: 1920, height: 1080 } } as const;

/**
 * Shows each page at its layout's size, checks that it never scrolls sideways and saves a
 * screenshot `<prefix>-<layout>.png` for people to look at (the whole page, but for the projector,
 * which shows what a hall sees: the screen, scrolled to `focus` when given).
 */
export async function screenshotLayouts(prefix: string, pages: Record<keyof typeof LAYOUTS, Page>, focus?: (page: Page) => Locator): Promise<void> {
  for (const [name, page] of Object.entries(pages) as [keyof typeof LAYOUTS, Page][]) {
    await page.setViewportSize(LAYOUTS[name]);
    await expectNoHorizontalScroll(page);
    if (focus) await focus(page).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${prefix}-${name}.png`), fullPage: name !== 'projector' });
  }
}

/** The page itself never scrolls sideways (wide tables scroll inside their own wrapper). */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, 'page is wider than the viewport').toBeLessThanOrEqual(0);
}

/**
 * The chair schedules and opens a Metropolis session (after `beforeOpening`, e.g. setting up its
 * agenda, in the room); the heads of Montréal and Seoul and the UN-Habitat observer open its room
 * too, each in a browser context of their own.
 */
export async function liveSessionWithTwoHeadsAndObserver(
  browser: Browser,
  title: string,
  beforeOpening?: (chair: Page) => Promise<void>,
  start?: string,
): Promise<{ room: string; chair: Page; montreal: Page; seoul: Page; observer: Page }> {
  const chair = await participant(browser, 'chair');
  const room = await scheduleSessionAsChair(chair, title, start);
  if (beforeOpening) await beforeOpening(chair);
  await chair.getByRole('button', { name: 'Open session' }).click();
  await expect(chair.getByRole('button', { name: 'Suspend' })).toBeVisible();
  const [montreal, seoul, observer] = [await participant(browser, 'head.montreal'), await participant(browser, 'head.seoul'), await participant(browser, 'observer')];
  for (const page of [montreal, seoul, observer]) {
    await page.goto(room);
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  }
  return { room, chair, montreal, seoul, observer };
}

/** The event types of the session with this title, in the order of its log. */
export function sessionEventTypes(title: string): string[] {
  const rows = readDatabase(
    (db) => db.prepare('SELECT e.type FROM session_events e JOIN negotiation_sessions s ON s.id = e.session_id WHERE s.title = ? ORDER BY e.seq').all(title) as { type: string }[],
  );
  return rows.map((row) => row.type);
}

/** The secretariat sets the Metropolis quorum rule on the delegations page (docs/PROTOCOL.md S17). */
export async function setQuorumRule(page: Page, rule: string): Promise<void> {
  await page.goto(`/negotiations/${negotiationIdByTitle(METROPOLIS_TITLE)}/delegations`);
  await page.getByLabel('Quorum rule').selectOption({ label: rule });
  await page.getByRole('button', { name: 'Save quorum rule' }).click();
  await expect(page.getByText('Quorum rule saved.')).toBeVisible();
}

/** The default Metropolis quorum rule of the demo seed (S17: more than half the member delegations). */
export const DEFAULT_QUORUM_RULE = 'A majority of member delegations';

// The session room's panels and the gestures the specs make in them.

/** The room's floor panel (who speaks, the timer). */
export const floor = (page: Page) => page.getByRole('region', { name: 'Floor' });
/** The entries of the speakers' list, in speaking order. */
export const speakersList = (page: Page) => page.getByRole('region', { name: /Speakers’ list/ }).getByRole('listitem');
/** The room's decisions panel. */
export const decisions = (page: Page) => page.getByRole('region', { name: 'Decisions' });
/** The closed questions, newest first. */
export const decisionResults = (page: Page) => decisions(page).getByRole('list', { name: 'Results' });
/** The "N of M delegations have voted" line of the open ballot. */
export const votedCount = (page: Page) => decisions(page).getByRole('status').filter({ hasText: 'delegations have voted' });
/** The chat panel and the log of its selected channel. */
export const chat = (page: Page) => page.getByRole('region', { name: 'Chat' });
export const chatMessages = (page: Page) => chat(page).getByRole('log');
/** The positions panel with the consensus map. */
export const positions = (page: Page) => page.getByRole('region', { name: 'Positions and consensus map' });

/** A head or observer raises a hand of this kind (S5). */
export async function raiseHand(page: Page, kind: 'Speech' | 'Point of order'): Promise<void> {
  await page.getByLabel('Kind of request').selectOption({ label: kind });
  await page.getByRole('button', { name: 'Raise hand' }).click();
}

/** Selects a chat channel's tab. */
export async function openChatTab(page: Page, name: string | RegExp): Promise<void> {
  await chat(page).getByRole('tab', { name }).click();
  await expect(chat(page).getByRole('tab', { name })).toHaveAttribute('aria-selected', 'true');
}

/** Posts in the selected channel and waits for the message to come back from the server. */
export async function say(page: Page, channel: string, text: string): Promise<void> {
  await chat(page).getByLabel(`Message to ${channel}`).fill(text);
  await chat(page).getByRole('button', { name: 'Send' }).click();
  await expect(chatMessages(page)).toContainText(text);
}

/** A member delegation's head records its position (and private note) on a paragraph (S62, S65). */
export async function recordPosition(page: Page, delegation: string, target: string, stance: string, note: string): Promise<void> {
  const form = positions(page).getByRole('form', { name: `${delegation}’s position on ${target}` });
  await form.getByLabel(`${delegation}’s position on ${target}`).selectOption({ label: stance });
  await form.getByLabel(`Note (only ${delegation} sees it)`).fill(note);
  await form.getByRole('button', { name: `Save position on ${target}` }).click();
}

/** The document's text as a reader sees it, one line per block, without other people's caret labels. */
export function documentReaderText(page: Page): Promise<string> {
  return page.getByRole('textbox', { name: 'Document text' }).evaluate((element) => {
    const copy = element.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('.collaboration-carets__caret').forEach((caret) => caret.remove());
    return [...copy.children].map((block) => block.textContent ?? '').join('\n');
  });
}
