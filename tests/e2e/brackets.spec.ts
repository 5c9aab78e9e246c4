import { expect, test } from '@playwright/test';
import { closeDeclarationContexts, openDeclarationAs } from './support';

test.afterEach(closeDeclarationContexts);

test('a delegation brackets disputed words, another puts forward its wording, the chair adopts it into the text', async ({ browser }) => {
  const seoul = await openDeclarationAs(browser, 'delegate.seoul');
  const barcelona = await openDeclarationAs(browser, 'head.barcelona');
  const chair = await openDeclarationAs(browser, 'chair');
  const text = seoul.getByRole('textbox', { name: 'Document text' });

  // Select the last two words of the fourth operative paragraph with the keyboard.
  await text.getByText(/through the Metropolis network/).click();
  await seoul.keyboard.press('End');
  await seoul.keyboard.press('ArrowLeft');
  await seoul.keyboard.press('Control+Shift+ArrowLeft');
  await seoul.keyboard.press('Control+Shift+ArrowLeft');
  await seoul.getByRole('button', { name: 'Bracket selection' }).click();

  const bracket = (page: typeof seoul) => page.locator('.bracket');
  await expect(bracket(barcelona)).toHaveCount(1);
  await expect(barcelona.locator('.document-text .bracket-mark')).toHaveCount(2);
  await expect(barcelona.getByText('1 open bracket')).toBeVisible();
  await barcelona.getByLabel("Your delegation's wording").fill('Metropolis platform');
  await barcelona.getByRole('button', { name: 'Put forward' }).click();

  await expect(bracket(chair).getByText('[Metropolis platform]')).toBeVisible();
  await bracket(chair).getByRole('button', { name: 'Adopt this wording' }).click();
  for (const page of [seoul, barcelona, chair]) {
    await expect(page.getByRole('textbox', { name: 'Document text' })).toContainText('through the Metropolis platform;');
    await expect(bracket(page)).toHaveCount(0);
  }
});
