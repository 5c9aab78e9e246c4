import { expect, test } from '@playwright/test';
import { demoEmail, signInViaApi, unique } from './support';

test.describe('bad input in the negotiation form', () => {
  test.beforeEach(async ({ page }) => {
    await signInViaApi(page, demoEmail('secretariat'));
  });

  test('an empty title shows a field error and keeps everything else that was entered', async ({ page }) => {
    const host = unique('Association of Northern Cities');
    const description = 'Talks on shared winter-road maintenance.\nSecond line kept too.';
    await page.goto('/negotiations/new');
    await page.getByLabel('Host').fill(host);
    await page.getByRole('radio', { name: 'Bilateral' }).check();
    await page.getByRole('checkbox', { name: 'French' }).check();
    await page.getByRole('checkbox', { name: 'Spanish' }).check();
    await page.getByLabel('Description').fill(description);
    await page.getByRole('button', { name: 'Create negotiation' }).click();

    await expect(page.getByRole('main').getByRole('alert')).toHaveText('Some fields need attention. See the messages below.');
    await expect(page).toHaveURL(/\/negotiations\/new$/);
    const titleField = page.getByLabel('Title');
    await expect(titleField).toHaveAttribute('aria-invalid', 'true');
    await expect(titleField).toHaveAccessibleDescription('Required.');
    await expect(titleField).toHaveValue('');

    await expect(page.getByLabel('Host')).toHaveValue(host);
    await expect(page.getByLabel('Description')).toHaveValue(description);
    await expect(page.getByRole('radio', { name: 'Bilateral' })).toBeChecked();
    await expect(page.getByRole('checkbox', { name: 'English' })).toBeChecked();
    await expect(page.getByRole('checkbox', { name: 'French' })).toBeChecked();
    await expect(page.getByRole('checkbox', { name: 'Spanish' })).toBeChecked();
    await expect(page.getByRole('checkbox', { name: 'Russian' })).not.toBeChecked();
  });

  test('an HTML title is shown as literal text and never runs', async ({ page }) => {
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    const title = `<img src=x onerror=alert(1)> ${Date.now()}`;

    await page.goto('/negotiations/new');
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Host').fill('<b>Host</b> & co');
    await page.getByRole('button', { name: 'Create negotiation' }).click();

    await expect(page).toHaveURL(/\/negotiations\/[^/?]+$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
    await expect(page.getByText('Host: <b>Host</b> & co')).toBeVisible();
    await expect(page.getByRole('img')).toHaveCount(0);
    await expect(page).toHaveTitle(`${title} · Proxenia`);

    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'My negotiations' }).click();
    await expect(page.getByRole('list', { name: 'My negotiations' }).getByRole('heading', { name: title })).toBeVisible();
    await expect(page.getByRole('img')).toHaveCount(0);

    expect(dialogs, 'no script from the title ran').toEqual([]);
  });
});
