import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { closeParticipants, decisions, declarationPath, liveSessionWithTwoHeadsAndObserver, positions, readDatabase, SCREENSHOT_DIR, signInViaApi, demoEmail, unique } from './support';

test.afterEach(closeParticipants);

const DECLARATION = 'Draft Declaration on Urban Climate Resilience';
/** The third operative paragraph of the demo's draft declaration (its ninth paragraph counting everything). */
const PARAGRAPH = 'Call upon national governments to give cities direct access to international climate finance;';

/**
 * One numbering (docs/ARCHITECTURE.md, "Paragraph numbering"; PROTOCOL.md M9): the same paragraph
 * is named alike in the editor, on its amendment card, in the chair's decisions menu, in the
 * positions map, in the minutes and in the export — and the name is the one negotiators use.
 */
test('one paragraph has one label in the editor, the amendment card, the decisions menu, the positions map, the minutes and the export', async ({ browser }) => {
  test.setTimeout(150_000);
  const title = unique('Plenary: paragraph labels');
  const { room, chair, seoul } = await liveSessionWithTwoHeadsAndObserver(browser, title);
  const labels: Record<string, string> = {};

  // The editor draws the label in the paragraph's margin; the paragraph list names its controls with it.
  await seoul.goto(declarationPath());
  await expect(seoul.getByRole('status').filter({ hasText: 'All changes saved' })).toBeVisible();
  const inText = seoul.getByRole('textbox', { name: 'Document text' }).locator('p', { hasText: PARAGRAPH });
  await expect(inText).toHaveAttribute('data-label', /.+/);
  labels.editor = (await inText.getAttribute('data-label')) ?? '';
  expect(labels.editor, 'the diplomats’ numbering: the third operative paragraph').toBe('OP 3');
  await seoul.setViewportSize({ width: 1280, height: 900 });
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await seoul.screenshot({ path: path.join(SCREENSHOT_DIR, 'document-paragraph-labels.png'), fullPage: true });

  // Seoul amends it (while the session is live, so the minutes record the proposal).
  await seoul.getByRole('button', { name: `Amend paragraph ${labels.editor}` }).click();
  await expect(seoul.getByLabel('Proposed text')).toHaveValue(/^Call upon national governments/);
  await seoul.getByLabel('Proposed text').fill('Call upon national governments and development banks to give cities direct access to climate finance;');
  await seoul.getByRole('button', { name: 'Propose on behalf of my delegation' }).click();
  const card = seoul.getByRole('heading', { name: /^Seoul: replace paragraph / });
  await expect(card).toBeVisible();
  labels.amendmentCard = /replace paragraph (.+?)\s*Proposed/.exec((await card.textContent()) ?? '')?.[1] ?? '';

  // The chair's menu of paragraphs to put to decision.
  await chair.goto(room);
  const put = decisions(chair).getByRole('form', { name: 'Put a question' });
  await put.getByLabel('The question is about').selectOption({ label: 'A paragraph' });
  await put.getByLabel('Document', { exact: true }).selectOption({ label: DECLARATION });
  const option = (await put.getByLabel('Paragraph').locator('option').allTextContents()).find((text) => text.includes(PARAGRAPH.slice(0, 40))) ?? '';
  labels.decisionMenu = option.split(': ')[0] ?? '';

  // The positions map and the form beside it.
  await seoul.goto(room);
  await seoul.getByLabel('Document under discussion').selectOption({ label: DECLARATION });
  const target = positions(seoul).getByRole('listitem').filter({ hasText: PARAGRAPH.slice(0, 40) });
  labels.positionsForm = (await target.locator('strong').first().textContent()) ?? '';
  await expect(positions(seoul).getByRole('row', { name: new RegExp(`^${labels.positionsForm} `) })).toHaveCount(1);
  labels.positionsMap = labels.positionsForm;

  // The minutes generated from the session's log (the chair sees them before the session closes).
  const sessionId = readDatabase((db) => (db.prepare('SELECT id FROM negotiation_sessions WHERE title = ?').get(title) as { id: string }).id);
  await chair.goto(`/sessions/${sessionId}/summary`);
  const line = chair.locator('article.minutes-text').getByText(/^Seoul — replacement, /);
  await expect(line).toBeVisible();
  labels.minutes = /^Seoul — replacement, (.+?) of “/.exec((await line.textContent()) ?? '')?.[1] ?? '';

  // The Markdown export of the document.
  const documentId = declarationPath().split('/').at(-1) ?? '';
  const exported = await (await chair.request.get(`/api/documents/${documentId}/export?format=md`)).text();
  labels.export = new RegExp(`\\*\\*([^*]+)\\*\\* ${PARAGRAPH.slice(0, 30)}`).exec(exported)?.[1] ?? '';

  expect(labels).toEqual({ editor: 'OP 3', amendmentCard: 'OP 3', decisionMenu: 'OP 3', positionsForm: 'OP 3', positionsMap: 'OP 3', minutes: 'OP 3', export: 'OP 3' });
});

/**
 * M7, M8: the demo's recorded plenary names every speaker, the delegate Seoul's head handed the floor
 * to included, and its minutes and charts give the same speaking times.
 */
test('the summary page: every speaker named; minutes and charts give the same speaking time', async ({ page }: { page: Page }) => {
  const sessionId = readDatabase((db) => (db.prepare('SELECT id FROM negotiation_sessions WHERE title = ?').get('Plenary — opening and general debate') as { id: string }).id);
  await signInViaApi(page, demoEmail('chair'));
  await page.goto(`/sessions/${sessionId}/summary`);
  const minutes = page.locator('article.minutes-text');
  await expect(minutes.getByText('Seoul, Delegate of Seoul (statement): 2:30')).toBeVisible();
  await expect(minutes).not.toContainText('(unknown)');
  const table = page.getByRole('figure', { name: 'Speaking time by delegation' }).getByRole('table');
  const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')?.textContent ?? '', tr.querySelector('td')?.textContent ?? '']));
  expect(rows.length).toBeGreaterThanOrEqual(4);
  for (const [delegation, duration] of rows) await expect(minutes.getByText(new RegExp(`^${delegation}: ${duration} \\(\\d+ speech`))).toBeVisible();
  await expect(minutes.getByText('Seoul: 6:30 (2 speeches)')).toBeVisible();
  await page.setViewportSize({ width: 1280, height: 900 });
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'summary-speaking-time.png'), fullPage: true });
});
