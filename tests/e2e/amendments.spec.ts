import { expect, test, type Page } from '@playwright/test';
import { closeDeclarationContexts, openDeclarationAs, readDatabase } from './support';

test.afterEach(closeDeclarationContexts);

test('a delegation turns a paragraph into an amendment, another co-sponsors, the chair accepts it into the live text', async ({ browser }) => {
  const johannesburg = await openDeclarationAs(browser, 'head.johannesburg');
  const montreal = await openDeclarationAs(browser, 'delegate.montreal');
  const chair = await openDeclarationAs(browser, 'chair');
  const proposed = 'Invite international organizations, academia, civil society and the private sector to support the implementation of this Declaration.';

  // One step from the paragraph list to a filled-in proposal.
  await johannesburg.getByRole('button', { name: 'Amend paragraph OP 5' }).click();
  const text = johannesburg.getByLabel('Proposed text');
  await expect(text).toBeFocused();
  await expect(text).toHaveValue(/^Invite international organizations/);
  await text.fill(proposed);
  await johannesburg.getByLabel('Rationale (optional)').fill('Business finances much of the adaptation.');
  await johannesburg.getByRole('button', { name: 'Propose on behalf of my delegation' }).click();

  const card = (page: Page) => page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /Johannesburg: replace paragraph OP 5/ }) });
  await expect(card(montreal)).toBeVisible();
  await expect(card(montreal).locator('ins').filter({ hasText: 'the private sector' })).toBeVisible();
  await card(montreal).getByRole('button', { name: 'Co-sponsor' }).click();
  await expect(card(chair)).toContainText('Co-sponsored by Montréal');

  await card(chair).getByRole('button', { name: 'Accept and apply' }).click();
  for (const page of [johannesburg, montreal, chair]) {
    await expect(card(page).getByText('Accepted')).toBeVisible();
    await expect(page.getByRole('textbox', { name: 'Document text' })).toContainText('civil society and the private sector');
  }
  const logged = readDatabase((db) => db.prepare("SELECT status FROM amendments WHERE proposed_text = ?").get(proposed) as { status: string });
  expect(logged.status).toBe('accepted');
});
