import path from 'node:path';
import { expect, test } from '@playwright/test';
import { demoEmail, expectNoHorizontalScroll, METROPOLIS_TITLE, negotiationIdByTitle, SCREENSHOT_DIR, signInViaApi, wcagViolations } from './support';

test.describe('accessibility (axe, WCAG 2.2 AA)', () => {
  test('sign-in page', async ({ page }) => {
    await page.goto('/signin');
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    expect(await wcagViolations(page)).toEqual([]);
  });

  test('sign-in page showing an error', async ({ page }) => {
    await page.goto('/signin');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('main').getByRole('alert')).toBeVisible();
    expect(await wcagViolations(page)).toEqual([]);
  });

  test('new negotiation form showing field errors', async ({ page }) => {
    await signInViaApi(page, demoEmail('secretariat'));
    await page.goto('/negotiations/new');
    await page.getByRole('button', { name: 'Create negotiation' }).click();
    await expect(page.getByLabel('Title')).toHaveAccessibleDescription('Required.');
    expect(await wcagViolations(page)).toEqual([]);
  });

  test('dashboard', async ({ page }) => {
    await signInViaApi(page, demoEmail('secretariat'));
    await page.goto('/dashboard');
    await expect(page.getByRole('link', { name: METROPOLIS_TITLE })).toBeVisible();
    expect(await wcagViolations(page)).toEqual([]);
  });

  test('negotiation overview', async ({ page }) => {
    await signInViaApi(page, demoEmail('secretariat'));
    await page.goto(`/negotiations/${negotiationIdByTitle(METROPOLIS_TITLE)}`);
    await expect(page.getByRole('heading', { level: 1, name: METROPOLIS_TITLE })).toBeVisible();
    expect(await wcagViolations(page)).toEqual([]);
  });

  test('members page', async ({ page }) => {
    await signInViaApi(page, demoEmail('secretariat'));
    await page.goto(`/negotiations/${negotiationIdByTitle(METROPOLIS_TITLE)}/members`);
    await expect(page.getByRole('heading', { level: 1, name: 'Members and invitations' })).toBeVisible();
    expect(await wcagViolations(page)).toEqual([]);
  });
});

const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 900 },
] as const;

test.describe('layout screenshots', () => {
  for (const viewport of VIEWPORTS) {
    test(`dashboard, negotiation and members pages on a ${viewport.name} (${viewport.width}×${viewport.height})`, async ({ page }) => {
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      await signInViaApi(page, demoEmail('secretariat'));

      await page.goto('/dashboard');
      await expect(page.getByRole('link', { name: METROPOLIS_TITLE })).toBeVisible();
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `dashboard-${viewport.name}.png`), fullPage: true });
      await expectNoHorizontalScroll(page);

      const negotiation = `/negotiations/${negotiationIdByTitle(METROPOLIS_TITLE)}`;
      await page.goto(negotiation);
      await expect(page.getByRole('heading', { level: 1, name: METROPOLIS_TITLE })).toBeVisible();
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `negotiation-${viewport.name}.png`), fullPage: true });
      await expectNoHorizontalScroll(page);
      // Every session control lies within its card, not hidden in a sideways-scrolling table.
      const sessions = page.getByRole('region', { name: 'Sessions' });
      await expect(sessions.getByRole('button', { name: 'Open session' }).first()).toBeVisible();
      const card = await sessions.boundingBox({ timeout: 5_000 });
      for (const button of await sessions.getByRole('button').all()) {
        const label = await button.innerText({ timeout: 5_000 });
        const box = await button.boundingBox({ timeout: 5_000 });
        expect(box && card && box.x >= card.x && box.x + box.width <= card.x + card.width, `"${label}" lies inside the Sessions card`).toBe(true);
      }
      expect(await wcagViolations(page)).toEqual([]);

      await page.goto(`${negotiation}/members`);
      await expect(page.getByRole('heading', { level: 1, name: 'Members and invitations' })).toBeVisible();
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `members-${viewport.name}.png`), fullPage: true });
      await expectNoHorizontalScroll(page);
    });
  }
});
