import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { demoEmail, readDatabase, SCREENSHOT_DIR, signInViaApi } from './support';

const RECORDED = 'Plenary — opening and general debate';

/**
 * The summary page of the demo's recorded plenary (M1–M5): the minutes generated from its log and
 * the analytics as charts; the secretariat edits and publishes; members read the published minutes
 * and download them. Screenshots on a desktop and a phone are left in test-results/screenshots.
 */
test.describe('minutes and analytics of a recorded session', () => {
  test('charts and generated minutes render; the secretariat edits and publishes; exports download, escaped', async ({ browser }) => {
    const { id: sessionId, negotiationId } = readDatabase((db) => db.prepare('SELECT id, negotiation_id AS negotiationId FROM negotiation_sessions WHERE title = ?').get(RECORDED) as { id: string; negotiationId: string });
    const summaryPath = `/sessions/${sessionId}/summary`;

    const secretariatContext = await browser.newContext();
    const secretariat = await secretariatContext.newPage();
    await signInViaApi(secretariat, demoEmail('secretariat'));
    // The session room links to the summary.
    await secretariat.goto(`/negotiations/${negotiationId}/sessions/${sessionId}`);
    await secretariat.getByRole('link', { name: 'Minutes and analytics' }).click();
    await expect(secretariat).toHaveURL(new RegExp(`${summaryPath}$`));
    await expect(secretariat.getByRole('heading', { level: 1, name: RECORDED })).toBeVisible();
    await expect(secretariat.getByText('Generated from the record (no draft saved)')).toBeVisible();
    const minutes = secretariat.locator('article.minutes-text');
    await expect(minutes.getByRole('heading', { name: 'Attendance' })).toBeVisible();
    await expect(minutes.getByText(/Seoul, Mayor of Seoul \(statement\): 4:00/)).toBeVisible();
    await expect(minutes.getByText('Barcelona: no')).toBeVisible();
    for (const title of ['Speaking time by delegation', 'Speaking time by stakeholder type', 'Floor requests by outcome', 'Amendments per delegation and their fate', 'Share of paragraphs agreed over time']) {
      const figure = secretariat.getByRole('figure', { name: title });
      await expect(figure).toBeVisible();
      await expect(figure.locator('.summary-chart-drawing svg.recharts-surface').first()).toBeVisible();
      await expect(figure.getByRole('table')).toHaveCount(1);
    }

    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await secretariat.setViewportSize({ width: 1280, height: 900 });
    await secretariat.screenshot({ path: path.join(SCREENSHOT_DIR, 'summary-desktop.png'), fullPage: true });

    // The secretariat edits the generated Markdown, saves a draft, then publishes.
    const editor = secretariat.getByLabel('Minutes (Markdown)');
    const edited = `${await editor.inputValue()}\n\n## Closing remarks\n\nThe chair thanked <b>interpreters</b> & staff.\n`;
    await editor.fill(edited);
    await secretariat.getByRole('button', { name: 'Save draft' }).click();
    await expect(secretariat.getByText('Draft saved.')).toBeVisible();
    await expect(secretariat.getByText('Draft, last saved')).toBeVisible();
    await expect(minutes.getByText('The chair thanked <b>interpreters</b> & staff.')).toBeVisible();
    await secretariat.getByRole('button', { name: 'Publish the minutes' }).click();
    await expect(secretariat.getByText('Published', { exact: true })).toBeVisible();
    await expect(secretariat.getByLabel('Minutes (Markdown)')).toHaveCount(0);
    const logged = readDatabase((db) => db.prepare("SELECT payload FROM session_events WHERE session_id = ? AND type = 'minutes.published'").all(sessionId) as { payload: string }[]);
    expect(logged).toHaveLength(1);
    await secretariatContext.close();

    // A delegate reads the published minutes and downloads them in the three formats.
    const delegateContext = await browser.newContext();
    const delegate = await delegateContext.newPage();
    await signInViaApi(delegate, demoEmail('delegate.barcelona'));
    await delegate.goto(summaryPath);
    await expect(delegate.getByText('The chair thanked <b>interpreters</b> & staff.')).toBeVisible();
    await expect(delegate.getByLabel('Minutes (Markdown)')).toHaveCount(0);
    const download = delegate.waitForEvent('download');
    await delegate.getByRole('link', { name: 'Word (DOCX)' }).click();
    expect((await download).suggestedFilename()).toMatch(/^Minutes-.*\.docx$/);
    const expectations = { md: 'text/markdown; charset=utf-8', html: 'text/html; charset=utf-8', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' };
    for (const [format, type] of Object.entries(expectations)) {
      const response = await delegate.request.get(`/api/sessions/${sessionId}/minutes?format=${format}`);
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toBe(type);
      const disposition = format === 'html' ? 'inline' : 'attachment';
      expect(response.headers()['content-disposition']).toMatch(new RegExp(`^${disposition}; filename="Minutes-.*\\.${format}"; filename\\*=UTF-8''Minutes-.*\\.${format}$`));
    }
    const html = await (await delegate.request.get(`/api/sessions/${sessionId}/minutes?format=html`)).text();
    expect(html).toContain('The chair thanked &lt;b&gt;interpreters&lt;/b&gt; &amp; staff.');
    expect(html).not.toContain('<b>interpreters');
    expect((await delegate.request.get(`/api/sessions/${sessionId}/minutes?format=pdf`)).status()).toBe(400);

    await delegate.setViewportSize({ width: 390, height: 844 });
    await delegate.reload();
    await expect(delegate.getByRole('figure', { name: 'Speaking time by delegation' }).locator('.summary-chart-drawing svg.recharts-surface').first()).toBeVisible();
    const overflow = await delegate.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, 'no sideways scrolling on a phone').toBeLessThanOrEqual(1);
    await delegate.screenshot({ path: path.join(SCREENSHOT_DIR, 'summary-phone.png'), fullPage: true });
    await delegateContext.close();
  });
});
