import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { demoEmail, METROPOLIS_TITLE, negotiationIdByTitle, readDatabase, signInViaApi, unique } from './support';

/**
 * Adoption and signing end to end. The demo declaration stays in open drafting for the co-drafting
 * spec (one server and database for every spec), so the secretariat prepares a document of its own.
 */
test.describe('adopting and signing a declaration', () => {
  test('the secretariat adopts, the head of Montréal signs, and anyone sees the public page', async ({ browser }) => {
    const negotiationId = negotiationIdByTitle(METROPOLIS_TITLE);
    const title = unique('Declaration on Night-time Economy');

    // The secretariat prepares the text…
    const secretariatContext = await browser.newContext();
    const secretariat = await secretariatContext.newPage();
    await signInViaApi(secretariat, demoEmail('secretariat'));
    await secretariat.goto(`/negotiations/${negotiationId}/documents/new`);
    await secretariat.getByLabel('Title').fill(title);
    await secretariat
      .getByLabel('Base text')
      .fill('Declaration on the Night-time Economy\nRecognizing that cities never sleep,\n1. Agree to appoint a night mayor;\n2. Resolve to <keep> transport running after midnight.');
    await secretariat.getByRole('button', { name: 'Create document' }).click();
    await expect(secretariat).toHaveURL(new RegExp(`/negotiations/${negotiationId}$`));
    const documentId = readDatabase((db) => (db.prepare('SELECT id FROM documents WHERE title = ?').get(title) as { id: string }).id);
    const documentPath = `/negotiations/${negotiationId}/documents/${documentId}`;
    // Other specs may accredit delegations in the shared database: count the member delegations now.
    const members = readDatabase((db) => (db.prepare("SELECT COUNT(*) AS n FROM delegations WHERE negotiation_id = ? AND status = 'member'").get(negotiationId) as { n: number }).n);

    // …and adopts it with the drafting-mode control.
    await secretariat.goto(documentPath);
    await secretariat.getByRole('combobox', { name: 'Drafting mode' }).selectOption({ label: 'Adopted' });
    await secretariat.getByRole('button', { name: 'Change mode' }).click();
    await expect(secretariat.getByRole('heading', { name: 'Adoption and signatures' })).toBeVisible();
    await expect(secretariat.getByRole('heading', { name: `${members} member delegations have not signed` })).toBeVisible();
    await expect(secretariat.getByRole('button', { name: /Sign on behalf of/ })).toHaveCount(0);
    await expect(secretariat.getByRole('link', { name: 'Public page' })).toHaveAttribute('href', `/public/documents/${documentId}`);
    await secretariatContext.close();

    // The head of Montréal signs on behalf of the delegation.
    const montrealContext = await browser.newContext();
    const montreal = await montrealContext.newPage();
    await signInViaApi(montreal, demoEmail('head.montreal'));
    await montreal.goto(documentPath);
    await montreal.getByRole('button', { name: 'Sign on behalf of Montréal' }).click();
    const signed = montreal.getByRole('region', { name: '1 signature' });
    await expect(signed.getByRole('row', { name: /Montréal Mayor of Montréal/ })).toBeVisible();
    await expect(montreal.getByRole('button', { name: /Sign on behalf of/ })).toHaveCount(0);
    await expect(montreal.getByRole('heading', { name: `${members - 1} member delegations have not signed` })).toBeVisible();
    await montrealContext.close();

    // Anyone, signed out, sees the adopted text and the signatories.
    const publicContext = await browser.newContext();
    const visitor = await publicContext.newPage();
    await visitor.goto(`/public/documents/${documentId}`);
    await expect(visitor.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await expect(visitor.getByText(METROPOLIS_TITLE)).toBeVisible();
    const text = visitor.getByRole('region', { name: 'Adopted text' });
    // The operative paragraph carries its label, as in the editor and the exports; markup in it stays text.
    await expect(text.getByRole('paragraph').filter({ hasText: 'Resolve to <keep> transport running after midnight.' })).toHaveText('OP 2 Resolve to <keep> transport running after midnight.');
    const signatories = visitor.getByRole('region', { name: '1 signatory' });
    await expect(signatories.getByRole('listitem')).toHaveCount(1);
    await expect(signatories.getByRole('listitem').first()).toContainText('Montréal');
    await expect(signatories.getByRole('listitem').first()).toContainText('Signed by Mayor of Montréal');
    await expect(visitor.getByRole('button', { name: 'Print' })).toBeVisible();
    const violations = await new AxeBuilder({ page: visitor }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze();
    expect(violations.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);

    // On a phone the page does not scroll sideways, and printing leaves the button out.
    await visitor.setViewportSize({ width: 360, height: 740 });
    expect(await visitor.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await visitor.emulateMedia({ media: 'print' });
    await expect(visitor.getByRole('button', { name: 'Print' })).toBeHidden();
    await publicContext.close();
  });
});
