import path from 'node:path';
import { expect, test } from '@playwright/test';
import { closeParticipants, floor, liveSessionWithTwoHeadsAndObserver, readDatabase, SCREENSHOT_DIR, unique } from './support';

test.afterEach(closeParticipants);

/**
 * S80, S81, M7: the chair gives the floor directly to Montréal; its head speaks by default and hands
 * the floor to Montréal's delegate; the room and the minutes name the person who spoke, never
 * "(unknown)".
 */
test('a floor given directly names its speaker; the head hands it to a colleague; the minutes name who spoke', async ({ browser }) => {
  test.setTimeout(120_000);
  const title = unique('Plenary: who speaks');
  const { chair, montreal, seoul, observer } = await liveSessionWithTwoHeadsAndObserver(browser, title);
  const everyone = [chair, montreal, seoul, observer];

  const give = chair.getByRole('form', { name: 'Give the floor directly' });
  await give.getByLabel('Give the floor directly to').selectOption({ label: 'Montréal' });
  await give.getByRole('button', { name: 'Give the floor' }).click();
  for (const page of everyone) await expect(floor(page).locator('.floor-speaker')).toContainText('MontréalMayor of Montréal');

  // Only the chair and Montréal's own head may name another speaker.
  const designate = montreal.getByRole('form', { name: 'Who speaks for the delegation' });
  await expect(designate.getByLabel('Speaker')).toHaveValue(/.+/);
  await expect(seoul.getByRole('form', { name: 'Who speaks for the delegation' })).toHaveCount(0);
  await expect(observer.getByRole('form', { name: 'Who speaks for the delegation' })).toHaveCount(0);
  await expect(chair.getByRole('form', { name: 'Who speaks for the delegation' })).toBeVisible();
  await floor(montreal).scrollIntoViewIfNeeded();
  await floor(montreal).screenshot({ path: path.join(SCREENSHOT_DIR, 'floor-speaker-designation.png') });
  await designate.getByLabel('Speaker').selectOption({ label: 'Delegate of Montréal' });
  await designate.getByRole('button', { name: 'Give the floor to this person' }).click();
  for (const page of everyone) await expect(floor(page).locator('.floor-speaker')).toContainText('MontréalDelegate of Montréal');

  await floor(chair).getByRole('button', { name: 'End speech' }).click();
  for (const page of everyone) await expect(floor(page)).toContainText('Nobody has the floor.');

  const sessionId = readDatabase((db) => (db.prepare('SELECT id FROM negotiation_sessions WHERE title = ?').get(title) as { id: string }).id);
  await chair.goto(`/sessions/${sessionId}/summary`);
  const minutes = chair.locator('article.minutes-text');
  await expect(minutes.getByText(/^\d\d:\d\d — Montréal, Delegate of Montréal \(statement\): \d+:\d\d$/)).toBeVisible();
  await expect(minutes).not.toContainText('(unknown)');
});
