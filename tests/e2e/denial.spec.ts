import { expect, test } from '@playwright/test';
import { demoEmail, METROPOLIS_TITLE, negotiationIdByTitle, rowCounts, signInViaApi, TWINNING_TITLE } from './support';

const WATCHED_TABLES = ['invitations', 'delegations', 'memberships', 'negotiation_sessions', 'documents'] as const;

test.describe('a delegate is refused the secretariat screens', () => {
  test('secretariat and chair pages answer 403 with the "Not allowed" page, and nothing changes', async ({ page }) => {
    const metropolis = negotiationIdByTitle(METROPOLIS_TITLE);
    const before = rowCounts(WATCHED_TABLES);
    await signInViaApi(page, demoEmail('delegate.montreal'));

    for (const screen of ['members', 'delegations', 'sessions/new', 'documents/new']) {
      await test.step(`/${screen}`, async () => {
        const response = await page.goto(`/negotiations/${metropolis}/${screen}`);
        expect(response?.status(), `/${screen} status`).toBe(403);
        await expect(page.getByRole('heading', { level: 1, name: 'Not allowed' })).toBeVisible();
        await expect(page.getByText('Your role in this negotiation does not allow this.')).toBeVisible();
        await expect(page.getByRole('button', { name: /Create invitation|Accredit|Schedule|Create document/ })).toHaveCount(0);
      });
    }

    expect(rowCounts(WATCHED_TABLES)).toEqual(before);
  });

  test("another negotiation's pages answer 404, not revealing that it exists", async ({ page }) => {
    const twinning = negotiationIdByTitle(TWINNING_TITLE);
    const before = rowCounts(WATCHED_TABLES);
    await signInViaApi(page, demoEmail('delegate.montreal'));

    for (const screen of ['', '/members', '/sessions/new']) {
      await test.step(`bilateral negotiation${screen || ' overview'}`, async () => {
        const response = await page.goto(`/negotiations/${twinning}${screen}`);
        expect(response?.status()).toBe(404);
        await expect(page.getByRole('heading', { level: 1, name: 'Not found' })).toBeVisible();
        await expect(page.getByText(TWINNING_TITLE)).toHaveCount(0);
      });
    }

    expect(rowCounts(WATCHED_TABLES)).toEqual(before);
  });

  test('the overview shows a delegate no secretariat buttons', async ({ page }) => {
    const metropolis = negotiationIdByTitle(METROPOLIS_TITLE);
    await signInViaApi(page, demoEmail('delegate.montreal'));
    const response = await page.goto(`/negotiations/${metropolis}`);
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1, name: METROPOLIS_TITLE })).toBeVisible();
    await expect(page.getByText('You: Delegate')).toBeVisible();
    for (const name of ['Accredit delegations', 'Members and invitations', 'Schedule a session', 'New document']) {
      await expect(page.getByRole('link', { name })).toHaveCount(0);
    }
    await expect(page.getByRole('navigation', { name: 'Manage the negotiation' })).toHaveCount(0);
    // Session controls are the chair's and the secretariat's.
    await expect(page.getByRole('button', { name: 'Open session' })).toHaveCount(0);
  });
});
