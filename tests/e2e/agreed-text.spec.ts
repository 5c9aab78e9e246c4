import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { closeParticipants, documentReaderText, METROPOLIS_TITLE, negotiationIdByTitle, participant, readDatabase, SCREENSHOT_DIR, unique, wcagViolations } from './support';

/**
 * Agreed means agreed (docs/PROTOCOL.md D15, D17, D18) as people see it. Each test drafts a document
 * of its own: the demo declaration belongs to the co-drafting specs.
 */
test.afterEach(closeParticipants);

const BASE_TEXT = 'Declaration on Water\nRecognizing that water is life,\n1. Agree to share water data;\n2. Resolve to protect rivers and lakes.';

/** The secretariat creates a document with BASE_TEXT and opens it; resolves with its id and path. */
async function draftDocument(secretariat: Page, title: string): Promise<{ documentId: string; documentPath: string }> {
  const negotiationId = negotiationIdByTitle(METROPOLIS_TITLE);
  await secretariat.goto(`/negotiations/${negotiationId}/documents/new`);
  await secretariat.getByLabel('Title').fill(title);
  await secretariat.getByLabel('Base text').fill(BASE_TEXT);
  await secretariat.getByRole('button', { name: 'Create document' }).click();
  await expect(secretariat).toHaveURL(new RegExp(`/negotiations/${negotiationId}$`));
  const documentId = readDatabase((db) => (db.prepare('SELECT id FROM documents WHERE title = ?').get(title) as { id: string }).id);
  const documentPath = `/negotiations/${negotiationId}/documents/${documentId}`;
  await secretariat.goto(documentPath);
  await expect(secretariat.getByRole('status').filter({ hasText: 'All changes saved' })).toBeVisible();
  return { documentId, documentPath };
}

test('an agreed paragraph is locked in the editor; open brackets count as bracketed; the draft export says both', async ({ browser }) => {
  const secretariat = await participant(browser, 'secretariat');
  const { documentId, documentPath } = await draftDocument(secretariat, unique('Declaration on Water'));
  await secretariat.getByRole('combobox', { name: 'Status of paragraph OP 1' }).selectOption({ label: 'Agreed' });

  const montreal = await participant(browser, 'head.montreal');
  await montreal.goto(documentPath);
  await expect(montreal.getByRole('status').filter({ hasText: 'All changes saved' })).toBeVisible();
  const text = montreal.getByRole('textbox', { name: 'Document text' });
  const agreed = text.locator('.paragraph-locked');
  await expect(agreed).toHaveText('Agree to share water data;');
  await expect(agreed).toHaveAttribute('data-status-label', 'Agreed · locked');

  // Clicking at the end of the agreed paragraph and typing changes nothing, here or anywhere.
  await text.getByText('Agree to share water data;').click();
  await montreal.keyboard.press('End');
  await montreal.keyboard.type(' and everything else');
  // Enter at its end starts a new paragraph after it, which is Montréal's to write (and numbered).
  await montreal.keyboard.press('Enter');
  await montreal.keyboard.type('Invite other basins.');
  const secretariatText = secretariat.getByRole('textbox', { name: 'Document text' });
  await expect(secretariatText.locator('p').filter({ hasText: 'Invite other basins.' })).toHaveAttribute('data-label', 'OP 2');
  // Emptied, Backspace removes that paragraph again without touching the agreed one.
  for (let step = 0; step < 'Invite other basins.'.length + 1; step += 1) await montreal.keyboard.press('Backspace');
  await expect(secretariatText.locator('p').filter({ hasText: 'Invite other basins.' })).toHaveCount(0);
  await expect(secretariatText.locator('p')).toHaveCount(3);
  await montreal.keyboard.press('Backspace');
  // The next paragraph takes edits as before.
  await text.getByText('Resolve to protect rivers and lakes.').click();
  await montreal.keyboard.press('End');
  await montreal.keyboard.type(' Montréal agrees.');
  // Carets are drawn inside the text: read it as a reader does.
  await expect.poll(() => documentReaderText(secretariat)).toContain('Resolve to protect rivers and lakes. Montréal agrees.');
  await expect(agreed).toHaveText('Agree to share water data;');
  await expect(secretariatText.locator('p').filter({ hasText: 'Agree to share' })).toHaveText('Agree to share water data;');
  // Stopped in the editor, not refused by the server (which would replace Montréal's copy).
  await expect(montreal.locator('.alert.error')).toHaveCount(0);
  await text.getByText('Agree to share water data;').click();
  await expect(montreal.getByRole('toolbar', { name: 'Formatting' }).getByRole('button', { name: 'Bold' })).toBeDisabled();
  await montreal.locator('.editor-card').screenshot({ path: path.join(SCREENSHOT_DIR, 'agreed-paragraph-locked.png') });
  expect(await wcagViolations(montreal)).toEqual([]);

  // Montréal brackets "lakes": the paragraph is now bracketed in the totals.
  const panel = montreal.getByRole('complementary', { name: 'Paragraphs' });
  await expect(panel.getByText('0 bracketed')).toBeVisible();
  await text.getByText(/rivers and lakes/).click();
  await montreal.keyboard.press('End');
  for (let step = 0; step < ' Montréal agrees.'.length + 1; step += 1) await montreal.keyboard.press('ArrowLeft');
  await montreal.keyboard.press('Control+Shift+ArrowLeft');
  await montreal.getByRole('button', { name: 'Bracket selection' }).click();
  await expect(panel.getByText('1 open bracket')).toBeVisible();
  await expect(panel.getByText('1 bracketed')).toBeVisible();
  await expect(panel.getByText('1 agreed', { exact: true })).toBeVisible();
  await expect(panel.getByText('1 pending')).toBeVisible();

  const markdown = await (await montreal.request.get(`/api/documents/${documentId}/export?format=md`)).text();
  expect(markdown).toContain('**OP 1** Agree to share water data;\n\n*Status: Agreed*');
  expect(markdown).toContain('*Status: Pending · open bracket: \\[lakes\\]*');
});

test('an adopted document shows no control that would change it', async ({ browser }) => {
  const secretariat = await participant(browser, 'secretariat');
  const { documentPath } = await draftDocument(secretariat, unique('Declaration on Water, adopted'));
  await expect(secretariat.getByRole('combobox', { name: 'Status of paragraph ¶ 1' })).toBeVisible();
  await secretariat.getByRole('combobox', { name: 'Drafting mode' }).selectOption({ label: 'Adopted' });
  await secretariat.getByRole('button', { name: 'Change mode' }).click();
  await expect(secretariat.getByRole('heading', { name: 'Adoption and signatures' })).toBeVisible();

  const montreal = await participant(browser, 'head.montreal');
  await montreal.goto(documentPath);
  await expect(montreal.getByRole('status').filter({ hasText: 'All changes saved' })).toBeVisible();
  for (const page of [secretariat, montreal]) {
    await page.reload();
    await expect(page.getByRole('status').filter({ hasText: 'All changes saved' })).toBeVisible();
    await expect(page.getByRole('complementary', { name: 'Paragraphs' }).getByText('3 pending')).toBeVisible();
    await expect(page.getByRole('combobox', { name: /Status of paragraph/ })).toHaveCount(0);
    await expect(page.getByRole('button', { name: /^Amend/ })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Bracket selection' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Comment on selection' })).toHaveCount(0);
    await expect(page.getByText('This text is adopted: its comment threads are closed.')).toBeVisible();
  }
});
