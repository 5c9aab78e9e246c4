import { expect, test } from '@playwright/test';
import { demoEmail, signInViaApi, unique } from './support';

test('secretariat creates a negotiation, accredits a delegation and invites a member who joins through the link', async ({ page, browser }) => {
  const stamp = Date.now();
  const title = `E2E Summit on Coastal Adaptation ${stamp}`;
  const actorName = unique('Port City');
  const inviteeEmail = `invitee.${stamp}@e2e.proxenia.test`;
  const inviteeName = unique('Ana Pereira');

  await signInViaApi(page, demoEmail('secretariat'));

  await test.step('create a negotiation and land on it', async () => {
    await page.goto('/dashboard');
    await page.getByRole('link', { name: 'New negotiation' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'New negotiation' })).toBeVisible();
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Host').fill('Network of Coastal Cities');
    await page.getByRole('button', { name: 'Create negotiation' }).click();
    await expect(page).toHaveURL(/\/negotiations\/[^/?]+$/);
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await expect(page.getByText('You: Secretariat')).toBeVisible();
  });
  const negotiationUrl = page.url();

  await test.step('accredit a delegation for a new actor', async () => {
    await page.getByRole('link', { name: 'Accredit delegations' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Accredit delegations' })).toBeVisible();
    await expect(page.getByLabel('Actor', { exact: true })).toHaveValue('');
    await page.getByLabel('Name', { exact: true }).fill(actorName);
    await page.getByLabel('Kind').selectOption({ label: 'City' });
    await page.getByLabel('Country').fill('Portugal');
    await page.getByRole('button', { name: 'Accredit' }).click();
    await expect(page.getByRole('main').getByRole('status')).toHaveText('The delegation is accredited.');
    const row = page.getByRole('row').filter({ hasText: actorName });
    await expect(row).toContainText('City · Portugal');
    await expect(row).toContainText('Member');
  });

  let invitationLink = '';
  await test.step('invite a delegate of that delegation and read the one-time link', async () => {
    await page.goto(`${negotiationUrl}/members`);
    const inviteForm = page.getByRole('region', { name: 'Invite a member' });
    await inviteForm.getByLabel('E-mail of the person to invite').fill(inviteeEmail);
    await inviteForm.getByLabel('Role').selectOption({ label: 'Delegate' });
    await inviteForm.getByLabel('Delegation').selectOption({ label: `${actorName} (Member)` });
    await inviteForm.getByRole('button', { name: 'Create invitation' }).click();
    const success = inviteForm.getByRole('status');
    await expect(success).toContainText(`Invitation for ${inviteeEmail} created. Send this link to them:`);
    await expect(success).toContainText('The link works once and expires in 7 days.');
    invitationLink = await success.getByLabel('Invitation link').inputValue();
    expect(invitationLink).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/invite\/[\w-]+$/);
    await expect(page.getByRole('region', { name: /open invitation/ })).toContainText(inviteeEmail);
  });

  await test.step('the invitee, in a fresh browser, accepts and lands on the negotiation', async () => {
    const inviteeContext = await browser.newContext();
    try {
      const invitee = await inviteeContext.newPage();
      await invitee.goto(invitationLink);
      await expect(invitee.getByRole('heading', { level: 1, name: 'Join a negotiation' })).toBeVisible();
      await expect(invitee.getByText(`You are invited to “${title}” as Delegate of the delegation of ${actorName}.`)).toBeVisible();
      await expect(invitee.getByLabel('E-mail')).toHaveValue(inviteeEmail);
      await invitee.getByLabel('Your name').fill(inviteeName);
      await invitee.getByLabel('Choose a password').fill('a-long-e2e-password');
      await invitee.getByRole('button', { name: 'Accept and join' }).click();

      await expect(invitee).toHaveURL(`${negotiationUrl}?welcome=1`);
      await expect(invitee.getByRole('main').getByRole('status')).toHaveText('Welcome! You have joined this negotiation.');
      await expect(invitee.getByRole('heading', { level: 1, name: title })).toBeVisible();
      await expect(invitee.getByText('You: Delegate')).toBeVisible();

      await invitee.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My negotiations' }).click();
      await expect(invitee.getByRole('list', { name: 'My negotiations' }).getByRole('link', { name: title })).toBeVisible();
    } finally {
      await inviteeContext.close();
    }
  });

  await test.step("the secretariat's members page lists the new member with the role", async () => {
    await page.goto(`${negotiationUrl}/members`);
    const row = page.getByRole('row').filter({ hasText: inviteeEmail });
    await expect(row).toContainText(inviteeName);
    const roleForm = row.getByRole('form', { name: `Role of ${inviteeName}` });
    await expect(roleForm.getByLabel('Role')).toHaveValue('delegate');
    await expect(roleForm.getByLabel('Delegation').getByRole('option', { name: `${actorName} (Member)`, selected: true })).toHaveCount(1);
    await expect(page.getByRole('region', { name: /open invitation/i })).not.toContainText(inviteeEmail);
  });

  await test.step('the same invitation link, opened again, says it was already used', async () => {
    const againContext = await browser.newContext();
    try {
      const again = await againContext.newPage();
      await again.goto(invitationLink);
      await expect(again.getByRole('main').getByRole('alert')).toHaveText(
        'This invitation has already been used. Sign in, or ask the secretariat for a new one.',
      );
      await expect(again.getByRole('button', { name: 'Accept and join' })).toHaveCount(0);
    } finally {
      await againContext.close();
    }
  });
});
