/**
 * The interface speaks the reader's language: chosen by the browser until the person switches,
 * then by their account on every browser; `<html lang dir>` follows, right to left for Arabic; and
 * no English is left on a page shown in another language.
 *
 * The languages under test are parameters: SWITCH_TO for the switcher, BROWSER_LANGUAGES for
 * Accept-Language, UNTRANSLATED_CHECK for the pages; a right-to-left test runs once LOCALES has a
 * right-to-left language (Arabic).
 */
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { LOCALES, localeDirection, type TLocale } from '../../lib/shared/i18n';
import { literalText, parseMessage, readCatalogue, type TCatalogue } from '../helpers/catalogues';
import {
  declarationPath,
  DEMO_PASSWORD,
  demoEmail,
  METROPOLIS_TITLE,
  negotiationIdByTitle,
  readDatabase,
  SCREENSHOT_DIR,
  signInViaApi,
  TWINNING_TITLE,
  wcagViolations,
} from './support';

/** Browser language (as a browser sends it) → the catalogue it must get. */
const BROWSER_LANGUAGES: [string, TLocale][] = [
  ['fr-FR', 'fr'],
  ['pt-BR', 'pt'],
  ['es-419', 'es'],
  ['ru-RU', 'ru'],
  ['ar-EG', 'ar'],
  ['zh-CN', 'zh'],
];
/** The language the head of Nizhny Novgorod switches to. */
const SWITCH_TO: TLocale = 'ru';
/** The languages whose pages are searched for English left behind. */
const UNTRANSLATED_CHECK: TLocale[] = ['fr', 'ru', 'ar'];
const RIGHT_TO_LEFT = LOCALES.find((locale) => localeDirection(locale) === 'rtl');

function catalogue(locale: string): TCatalogue {
  const messages = readCatalogue(locale);
  if (!messages) throw new Error(`messages/${locale}.json is missing`);
  return messages;
}

async function expectDocumentLanguage(page: Page, lang: string, dir: 'ltr' | 'rtl'): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
  await expect(page.locator('html')).toHaveAttribute('dir', dir);
}

/** Signs in with the sign-in form whatever language it is in. */
async function signInInLanguage(page: Page, locale: string, email: string): Promise<void> {
  const t = catalogue(locale);
  await page.goto('/signin');
  await page.getByLabel(t['signIn.email']!).fill(email);
  await page.getByLabel(t['signIn.password']!).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: t['signIn.submit'] }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

/** Chooses a language with the switcher of the current page, as a person would. */
async function switchLanguage(page: Page, from: string, to: TLocale): Promise<void> {
  const t = catalogue(from);
  await page.getByRole('combobox', { name: t['nav.language'], exact: true }).selectOption(to);
  await page.getByRole('button', { name: t['nav.changeLanguage'] }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', to);
}

function storedLocale(email: string): string | null {
  return readDatabase((db) => (db.prepare('SELECT locale FROM users WHERE email = ?').get(email) as { locale: string | null }).locale);
}

async function newPage(browser: Browser, locale: string): Promise<Page> {
  const context = await browser.newContext({ locale });
  return context.newPage();
}

for (const [browserLanguage, locale] of BROWSER_LANGUAGES) {
  test(`a ${browserLanguage} browser gets ${locale} without touching anything, signed out and in, WCAG 2.2 AA clean`, async ({ browser }) => {
    const t = catalogue(locale);
    const page = await newPage(browser, browserLanguage);
    await page.goto('/signin');
    await expectDocumentLanguage(page, locale, localeDirection(locale));
    await expect(page.getByRole('heading', { level: 1, name: t['signIn.title'] })).toBeVisible();
    await expect(page.getByRole('combobox', { name: t['nav.language'], exact: true })).toHaveValue(locale);
    expect(await wcagViolations(page)).toEqual([]);

    await signInInLanguage(page, locale, demoEmail('secretariat'));
    await expect(page.getByRole('heading', { level: 1, name: t['dashboard.title'] })).toBeVisible();
    await page.goto(`/negotiations/${negotiationIdByTitle(METROPOLIS_TITLE)}`);
    await expect(page.getByRole('heading', { level: 2, name: t['negotiation.sessions'] })).toBeVisible();
    expect(await wcagViolations(page)).toEqual([]);
    expect(storedLocale(demoEmail('secretariat')), 'the browser language is not a choice: nothing is stored').toBeNull();
    await page.context().close();
  });
}

test('the head of Nizhny Novgorod switches language; the account keeps it through sign-out and on another browser', async ({ browser }) => {
  const email = demoEmail('head.nizhny');
  const english = catalogue('en');
  const chosen = catalogue(SWITCH_TO);
  const page = await newPage(browser, 'en-US');
  await signInInLanguage(page, 'en', email);
  await page.goto(`/negotiations/${negotiationIdByTitle(TWINNING_TITLE)}`);
  await expectDocumentLanguage(page, 'en', 'ltr');

  await switchLanguage(page, 'en', SWITCH_TO);
  await expectDocumentLanguage(page, SWITCH_TO, localeDirection(SWITCH_TO));
  await expect(page.getByRole('heading', { level: 2, name: chosen['negotiation.sessions'] })).toBeVisible();
  await expect(page.getByRole('link', { name: chosen['nav.dashboard'] }).first()).toBeVisible();
  expect(storedLocale(email)).toBe(SWITCH_TO);

  // Signed out, the sign-in page keeps the language (the switch is remembered in this browser)…
  await page.getByRole('button', { name: chosen['nav.signOut'] }).click();
  await expect(page.getByRole('heading', { level: 1, name: chosen['signIn.title'] })).toBeVisible();
  await expectDocumentLanguage(page, SWITCH_TO, localeDirection(SWITCH_TO));
  await signInInLanguage(page, SWITCH_TO, email);
  await expect(page.getByRole('heading', { level: 1, name: chosen['dashboard.title'] })).toBeVisible();

  // …and a browser that never saw the switch, asking for English, follows the account.
  const elsewhere = await newPage(browser, 'en-US');
  await signInInLanguage(elsewhere, 'en', email);
  await expect(elsewhere.getByRole('heading', { level: 1, name: chosen['dashboard.title'] })).toBeVisible();
  await expectDocumentLanguage(elsewhere, SWITCH_TO, localeDirection(SWITCH_TO));

  // Back to English, so the demo account is as other specs expect it.
  await switchLanguage(elsewhere, SWITCH_TO, 'en');
  await expect(elsewhere.getByRole('heading', { level: 1, name: english['dashboard.title'] })).toBeVisible();
  expect(storedLocale(email)).toBe('en');
  await elsewhere.context().close();
  await page.context().close();
});

test('a signed-out visitor’s switch is remembered, and a forged choice changes nothing', async ({ browser }) => {
  const page = await newPage(browser, 'en-US');
  await page.goto('/signin');
  await switchLanguage(page, 'en', 'pt');
  await page.goto('/signin');
  await expectDocumentLanguage(page, 'pt', 'ltr');
  await page.evaluate(() => {
    const option = document.querySelector<HTMLOptionElement>('select[name="locale"] option[value="es"]');
    if (option) option.value = 'de';
  });
  await page.getByRole('combobox', { name: catalogue('pt')['nav.language'], exact: true }).selectOption('de');
  await page.getByRole('button', { name: catalogue('pt')['nav.changeLanguage'] }).click();
  await page.goto('/signin');
  await expectDocumentLanguage(page, 'pt', 'ltr');
  await page.context().close();
});

/**
 * Pages mirror right to left: the brand sits at the right of the top bar and the switcher at its
 * left. With a right-to-left catalogue the browser asks for it; until then the French pages are
 * turned right to left by hand, to look at the layout (screenshots in SCREENSHOT_DIR).
 */
test('right to left: <html lang dir>, a mirrored layout, screenshots', async ({ browser }) => {
  const locale = RIGHT_TO_LEFT ?? 'fr';
  const page = await newPage(browser, locale);
  await page.setViewportSize({ width: 1280, height: 900 });
  const turnRightToLeft = async () => {
    if (RIGHT_TO_LEFT) await expectDocumentLanguage(page, RIGHT_TO_LEFT, 'rtl');
    else await page.evaluate(() => document.documentElement.setAttribute('dir', 'rtl'));
  };

  await page.goto('/signin');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `language-signin-${locale}.png`), fullPage: true });
  await turnRightToLeft();
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'language-signin-rtl.png'), fullPage: true });

  // Brazzaville's head has never switched: the browser's language decides.
  await signInViaApi(page, demoEmail('head.brazzaville'));
  await page.goto(`/negotiations/${negotiationIdByTitle(TWINNING_TITLE)}`);
  await expect(page.locator('html')).toHaveAttribute('lang', locale);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `language-negotiation-${locale}.png`), fullPage: true });
  await turnRightToLeft();
  const brand = await page.locator('.topbar .brand').boundingBox();
  const switcher = await page.locator('.topbar .language-switcher').boundingBox();
  expect(brand && switcher && brand.x > switcher.x, 'the brand is at the start of the line, on the right').toBe(true);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'language-negotiation-rtl.png'), fullPage: true });

  await page.getByRole('link', { name: 'Round 1 — areas of cooperation' }).click();
  await expect(page.getByRole('heading', { level: 2, name: catalogue(locale)['room.agenda.heading'] })).toBeVisible();
  await turnRightToLeft();
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'language-room-rtl.png'), fullPage: true });
  await page.context().close();
});

/**
 * The English sentences of the catalogue a page could show: literal text of more than 12
 * characters that the translation does not share (names of formats such as "Word (.docx)" stay).
 */
function englishLeftovers(locale: string): string[] {
  const english = catalogue('en');
  const translated = catalogue(locale);
  const phrases = new Set<string>();
  for (const [key, message] of Object.entries(english)) {
    const target = literalText(parseMessage(translated[key] ?? ''));
    for (const piece of literalText(parseMessage(message)).split(/\s{2,}|[{}#]/)) {
      const phrase = piece.trim();
      if (phrase.length > 12 && !target.includes(phrase)) phrases.add(phrase);
    }
  }
  return [...phrases];
}

for (const locale of UNTRANSLATED_CHECK) {
  test(`${locale}: the main pages show no English left from the catalogue`, async ({ browser }) => {
    test.setTimeout(120_000);
    const leftovers = englishLeftovers(locale);
    const page = await newPage(browser, locale);
    await page.goto('/signin');
    const bodies: [string, string][] = [['/signin', await page.locator('body').innerText()]];
    await signInViaApi(page, demoEmail('chair'));
    const metropolis = `/negotiations/${negotiationIdByTitle(METROPOLIS_TITLE)}`;
    const sessionWith = (status: string) =>
      readDatabase(
        (db) => (db.prepare('SELECT s.id FROM negotiation_sessions s JOIN negotiations n ON n.id = s.negotiation_id WHERE n.title = ? AND s.status = ? LIMIT 1').get(METROPOLIS_TITLE, status) as { id: string }).id,
      );
    const pages = ['/dashboard', '/account', metropolis, `${metropolis}/members`, `${metropolis}/delegations`, `${metropolis}/sessions/new`, declarationPath()];
    pages.push(`${metropolis}/sessions/${sessionWith('scheduled')}`);
    // The recorded plenary's minutes and analytics: generated in the reader's language until someone
    // saves or publishes them (minutes.spec does, in English, and what was written stays as written).
    const recorded = sessionWith('closed');
    if (!readDatabase((db) => db.prepare('SELECT 1 FROM session_minutes WHERE session_id = ?').get(recorded))) pages.push(`/sessions/${recorded}/summary`);
    for (const path of pages) {
      await page.goto(path);
      await expectDocumentLanguage(page, locale, localeDirection(locale as TLocale));
      await page.waitForLoadState('networkidle');
      bodies.push([path, await page.locator('body').innerText()]);
    }
    const found = bodies.flatMap(([path, body]) => leftovers.filter((phrase) => body.includes(phrase)).map((phrase) => `${path}: ${phrase}`));
    expect(found).toEqual([]);
    await page.context().close();
  });
}
