import { expect, test } from '@playwright/test';
import { closeDeclarationContexts, openDeclarationAs } from './support';

test.afterEach(closeDeclarationContexts);

test('comments anchor to selected text; delegation-only comments stay within the delegation', async ({ browser }) => {
  const observer = await openDeclarationAs(browser, 'observer');
  const seoulDelegate = await openDeclarationAs(browser, 'delegate.seoul');
  const seoulHead = await openDeclarationAs(browser, 'head.seoul');
  const barcelona = await openDeclarationAs(browser, 'head.barcelona');

  // A read-only observer selects a whole paragraph (triple click) and comments on it.
  await observer.getByRole('textbox', { name: 'Document text' }).getByText(/Recalling the Paris Agreement/).click({ clickCount: 3 });
  await observer.getByRole('button', { name: 'Comment on selection' }).click();
  await observer.getByRole('textbox', { name: 'Comment', exact: true }).fill('Please cite the Sendai Framework too.');
  await observer.getByRole('button', { name: 'Post comment' }).click();
  for (const page of [seoulDelegate, barcelona]) {
    await expect(page.getByText('Please cite the Sendai Framework too.')).toBeVisible();
    await expect(page.locator('.document-text .commented').first()).toBeVisible();
  }

  // Seoul keeps a note to itself.
  await seoulDelegate.getByRole('textbox', { name: 'Document text' }).getByText(/Noting with concern/).click({ clickCount: 3 });
  await seoulDelegate.getByRole('button', { name: 'Comment on selection' }).click();
  await seoulDelegate.getByRole('textbox', { name: 'Comment', exact: true }).fill('Seoul only: check with the Ministry before agreeing.');
  await seoulDelegate.getByRole('radio', { name: 'Only my delegation' }).check();
  await seoulDelegate.getByRole('button', { name: 'Post comment' }).click();
  await expect(seoulHead.getByText('Seoul only: check with the Ministry before agreeing.')).toBeVisible();
  await expect(seoulHead.getByText('Only your delegation')).toBeVisible();
  // Barcelona refetches after the same change notice and still does not get it.
  await barcelona.reload();
  await expect(barcelona.getByText('Please cite the Sendai Framework too.')).toBeVisible();
  await expect(barcelona.getByText('Seoul only: check with the Ministry')).toHaveCount(0);
});
