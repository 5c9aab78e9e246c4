import { expect, test, type Page } from '@playwright/test';
import { closeParticipants, participant, readDatabase, scheduleSessionAsChair, screenshotLayouts, unique, wcagViolations } from './support';

test.afterEach(closeParticipants);

const speakersList = (page: Page) => page.getByRole('region', { name: /Speakers’ list/ }).getByRole('listitem');
const floor = (page: Page) => page.getByRole('region', { name: 'Floor' });

async function raiseHand(page: Page, kind: 'Speech' | 'Point of order'): Promise<void> {
  await page.getByLabel('Kind of request').selectOption({ label: kind });
  await page.getByRole('button', { name: 'Raise hand' }).click();
}

test('a mini-session: the chair opens it, two heads ask for the floor, a point of order jumps the queue, a timed speech runs over for everyone', async ({ browser }) => {
  test.setTimeout(120_000);
  const chair = await participant(browser, 'chair');
  const title = unique('Plenary: first reading');
  const room = await scheduleSessionAsChair(chair, title);

  // The chair prepares the agenda and the speaking times, then opens the session.
  const agenda = chair.getByRole('region', { name: 'Agenda' });
  for (const [item, minutes] of [['Opening of the session', '5'], ['First reading of the draft declaration', '45']] as const) {
    await agenda.getByLabel('Item', { exact: true }).fill(item);
    await agenda.getByLabel('Planned minutes (optional)').fill(minutes);
    await agenda.getByRole('button', { name: 'Add item' }).click();
    await expect(agenda.getByRole('listitem').filter({ hasText: item })).toBeVisible();
  }
  const settings = chair.getByRole('region', { name: 'Speakers’ list settings' });
  await settings.getByLabel('Point of order (seconds)').fill('10');
  await settings.getByLabel('Warning before the end (seconds)').fill('8');
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await chair.getByRole('button', { name: 'Open session' }).click();
  await expect(chair.getByRole('button', { name: 'Suspend' })).toBeVisible();
  await agenda.getByRole('button', { name: 'Next item' }).click();
  await expect(agenda.locator('li[aria-current="step"]')).toContainText('Opening of the session');

  const montreal = await participant(browser, 'head.montreal');
  const seoul = await participant(browser, 'head.seoul');
  const observer = await participant(browser, 'observer');
  const everyone = [chair, montreal, seoul, observer];
  for (const page of [montreal, seoul, observer]) {
    await page.goto(room);
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  }
  await expect(observer.getByText('The chair has not opened the floor to observers.')).toBeVisible();
  await expect(chair.getByRole('region', { name: 'Attendance' })).toContainText('2 of 7 member delegations present');

  // Two requests, then a point of order that goes before both.
  await raiseHand(montreal, 'Speech');
  await expect(speakersList(montreal)).toHaveCount(1);
  await raiseHand(seoul, 'Speech');
  await expect(speakersList(seoul)).toHaveCount(2);
  await raiseHand(seoul, 'Point of order');
  for (const page of everyone) {
    await expect(speakersList(page)).toHaveCount(3);
    await expect(speakersList(page).nth(0)).toContainText('Point of order');
    await expect(speakersList(page).nth(0)).toContainText('Seoul');
    await expect(speakersList(page).nth(1)).toContainText('Montréal');
    await expect(speakersList(page).nth(2)).toContainText('Seoul');
  }

  // The chair gives the floor to the point of order: a 10-second speech, timed by the server.
  await speakersList(chair).nth(0).getByRole('button', { name: 'Give the floor to Seoul' }).click();
  for (const page of everyone) {
    await expect(floor(page)).toContainText('Seoul');
    await expect(floor(page).getByRole('timer', { name: 'Speaking time left' })).toBeVisible();
    await expect(speakersList(page)).toHaveCount(2);
  }
  for (const page of everyone) await expect(floor(page)).toContainText('Time is nearly up');
  for (const page of everyone) {
    await expect(floor(page)).toContainText('Over time by', { timeout: 15_000 });
    await expect(floor(page)).toHaveAttribute('data-level', 'overrun');
  }
  expect(await wcagViolations(chair)).toEqual([]);
  expect(await wcagViolations(observer)).toEqual([]);

  // The room on a phone, a laptop and a projector, mid-session.
  await screenshotLayouts('session-room', { phone: observer, desktop: chair, projector: montreal });

  await floor(chair).getByRole('button', { name: 'End speech' }).click();
  for (const page of everyone) await expect(floor(page)).toContainText('Nobody has the floor.');

  // The chair opens the floor to observers; the observer's hand goes up last.
  await settings.getByLabel('Observers may ask for the floor').check();
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await raiseHand(observer, 'Speech');
  await expect(speakersList(chair)).toHaveCount(3);
  await expect(speakersList(chair).nth(2)).toContainText('UN-Habitat');

  // The record holds every step, in order.
  const types = readDatabase(
    (db) =>
      db
        .prepare('SELECT e.type FROM session_events e JOIN negotiation_sessions s ON s.id = e.session_id WHERE s.title = ? ORDER BY e.seq')
        .all(title) as { type: string }[],
  ).map((row) => row.type);
  const floorTypes = types.filter((type) => type.startsWith('floor.') || type.startsWith('speech.'));
  expect(floorTypes).toEqual([
    'floor.settings_changed',
    'floor.requested',
    'floor.requested',
    'floor.requested',
    'floor.granted',
    'speech.started',
    'speech.ended',
    'floor.settings_changed',
    'floor.requested',
  ]);
  expect(types).toContain('session.status_changed');
  expect(types.filter((type) => type === 'attendance.joined')).toHaveLength(4);
});
