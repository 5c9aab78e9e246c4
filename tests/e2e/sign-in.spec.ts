import { expect, test } from '@playwright/test';
import { demoEmail, METROPOLIS_TITLE, signInThroughForm } from './support';

test.describe('sign-in', () => {
  test('a demo delegate signs in through the form and lands on the dashboard', async ({ page }) => {
    await signInThroughForm(page, demoEmail('delegate.barcelona'));
    const negotiations = page.getByRole('list', { name: 'My negotiations' });
    await expect(negotiations.getByRole('link', { name: METROPOLIS_TITLE })).toBeVisible();
    await expect(page.getByText('Welcome, Delegate of Barcelona.')).toBeVisible();
  });

  test('a wrong password shows the error alert and stays on the sign-in page', async ({ page }) => {
    await page.goto('/signin');
    await page.getByLabel('E-mail').fill(demoEmail('delegate.seoul'));
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('main').getByRole('alert')).toHaveText('That e-mail and password do not match. Check them and try again.');
    await expect(page).toHaveURL(/\/signin(\?|$)/);
    // The typed e-mail is kept; the password is not sent back.
    await expect(page.getByLabel('E-mail')).toHaveValue(demoEmail('delegate.seoul'));
    await expect(page.getByLabel('Password')).toHaveValue('');
  });

  test('signing out returns to the sign-in page and the dashboard then asks to sign in', async ({ page }) => {
    await signInThroughForm(page, demoEmail('delegate.johannesburg'));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/signin$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();

    await page.goto('/dashboard');
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fdashboard$/);
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  });
});
