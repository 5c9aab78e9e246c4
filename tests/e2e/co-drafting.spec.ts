import { expect, test, type Page } from '@playwright/test';
import { closeDeclarationContexts, documentReaderText as plainText, openDeclarationAs } from './support';

test.afterEach(closeDeclarationContexts);

const text = (page: Page) => page.getByRole('textbox', { name: 'Document text' });

test.describe('co-drafting the declaration live', () => {
  test('two delegations and an observer converge; the observer cannot edit', async ({ browser }) => {
    const seoul = await openDeclarationAs(browser, 'delegate.seoul');
    const barcelona = await openDeclarationAs(browser, 'head.barcelona');
    const observer = await openDeclarationAs(browser, 'observer');

    await expect(seoul.getByRole('heading', { name: /people here/ })).toHaveText('3 people here');
    await expect(seoul.getByRole('complementary').getByText('UN-Habitat Liaison Officer')).toBeVisible();
    await expect(observer.getByText('Read only: your role follows the text but does not edit it.')).toBeVisible();
    await expect(text(observer)).toHaveAttribute('contenteditable', 'false');
    await expect(observer.getByRole('toolbar', { name: 'Formatting' })).toHaveCount(0);

    // Both delegations type at the same time, in different places.
    await text(seoul).getByText('Call upon national governments').click();
    await seoul.keyboard.press('End');
    // On the paragraph's first line (it wraps; its label hangs in the margin), then to its start.
    await text(barcelona).getByText('We, the mayors').click({ position: { x: 80, y: 8 } });
    await barcelona.keyboard.press('Home');
    await Promise.all([seoul.keyboard.type(' (Seoul proposal)', { delay: 20 }), barcelona.keyboard.type('Barcelona: ', { delay: 20 })]);

    for (const page of [seoul, barcelona, observer]) {
      await expect.poll(() => plainText(page)).toContain('international climate finance; (Seoul proposal)');
      await expect.poll(() => plainText(page)).toContain('Barcelona: We, the mayors');
      await expect(page.getByRole('status').filter({ hasText: 'All changes saved' })).toBeVisible();
    }
    const [seoulText, barcelonaText, observerText] = await Promise.all([seoul, barcelona, observer].map(plainText));
    expect(barcelonaText).toBe(seoulText);
    expect(observerText).toBe(seoulText);

    // The observer's keystrokes change nothing, anywhere.
    await text(observer).click();
    await observer.keyboard.type('observer text');
    await expect(observer.getByRole('status').filter({ hasText: 'All changes saved' })).toBeVisible();
    expect(await plainText(observer)).not.toContain('observer text');
    expect(await plainText(seoul)).not.toContain('observer text');

    // A reload shows the stored text: nothing acknowledged was lost, nothing duplicated.
    await barcelona.reload();
    await expect.poll(() => plainText(barcelona)).toBe(seoulText);
    expect((await plainText(barcelona)).match(/Barcelona: We, the mayors/g)?.length).toBe(1);
    expect((await plainText(barcelona)).match(/Declaration on Urban Climate Resilience/g)?.length).toBe(1);
  });
});
