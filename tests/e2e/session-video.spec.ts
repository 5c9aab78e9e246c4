/**
 * The session room's video panel without a LiveKit server (the e2e server runs the embedded default):
 * the chair's moderation goes through the room's log and reaches everyone, and joining shows the
 * grants the server issued (PROTOCOL.md V1, V3, V5, V7, V11, V12).
 */
import { expect, test } from '@playwright/test';
import { closeParticipants, participant, readDatabase, scheduleSessionAsChair, unique, wcagViolations } from './support';

test.afterEach(closeParticipants);

test('[V7][V11][V5][V12] the chair switches the room to informal and mutes all but the floor; a delegate then joins with a microphone, told the mesh’s moderation is advisory', async ({ browser }) => {
  const chair = await participant(browser, 'chair');
  const title = unique('Video session');
  const room = await scheduleSessionAsChair(chair, title);
  const delegate = await participant(browser, 'delegate.montreal');
  await delegate.goto(room);
  const video = (page: typeof chair) => page.getByRole('region', { name: 'Video' });
  await expect(video(delegate).getByText('Formal: microphones follow the floor')).toBeVisible();
  await expect(video(delegate).getByRole('group', { name: 'Video moderation' })).toHaveCount(0);

  await video(delegate).getByRole('button', { name: 'Join video' }).click();
  await expect(video(delegate).getByRole('status')).toHaveText('You may share: camera, screen.');

  await video(chair).getByRole('button', { name: 'Switch to informal' }).click();
  await expect(video(delegate).getByText('Informal: everyone may speak')).toBeVisible();
  // What the panel says follows the grants as they change, the microphone first (V40).
  await expect(video(delegate).getByRole('status')).toHaveText('You may share: microphone, camera, screen.');
  await video(chair).getByRole('button', { name: 'Mute all but the floor' }).click();
  await expect(video(chair).getByRole('button', { name: 'Switch to formal' })).toBeEnabled();

  await delegate.reload();
  await video(delegate).getByRole('button', { name: 'Join video' }).click();
  await expect(video(delegate).getByRole('status')).toHaveText('You may share: microphone, camera, screen.');
  await expect(video(delegate).getByText('Peer-to-peer video: the chair’s moderation and the floor are applied by each browser, not enforced by a video server.')).toBeVisible();

  const sessionId = room.split('/').at(-1) ?? '';
  const logged = readDatabase((db) => (db.prepare("SELECT type FROM session_events WHERE session_id = ? AND type LIKE 'video.%' ORDER BY seq").all(sessionId) as { type: string }[]).map((row) => row.type));
  expect(logged).toEqual(['video.mode_changed', 'video.muted_all_but_floor']);
  expect(await wcagViolations(delegate)).toEqual([]);
});

test('[V4][V40] in a formal room a head’s microphone follows the floor like its delegate’s, and the panel says so as the floor moves', async ({ browser }) => {
  const chair = await participant(browser, 'chair');
  const room = await scheduleSessionAsChair(chair, unique('Formal video'));
  await chair.getByRole('button', { name: 'Open session' }).click();
  await expect(chair.getByRole('button', { name: 'Suspend' })).toBeVisible();
  const video = (page: typeof chair) => page.getByRole('region', { name: 'Video' });
  const people = { head: await participant(browser, 'head.montreal'), delegate: await participant(browser, 'delegate.montreal'), seoul: await participant(browser, 'head.seoul') };
  for (const page of Object.values(people)) {
    await page.goto(room);
    await video(page).getByRole('button', { name: 'Join video' }).click();
    // Nobody has the floor: no microphone for anyone of a delegation, heads included.
    await expect(video(page).getByRole('status')).toHaveText('You may share: camera, screen.');
  }
  const give = chair.getByRole('form', { name: 'Give the floor directly' });
  await give.getByLabel('Give the floor directly to').selectOption({ label: 'Montréal' });
  await give.getByRole('button', { name: 'Give the floor' }).click();
  await expect(video(people.head).getByRole('status')).toHaveText('You may share: microphone, camera, screen.');
  await expect(video(people.delegate).getByRole('status')).toHaveText('You may share: microphone, camera, screen.');
  await expect(video(people.seoul).getByRole('status')).toHaveText('You may share: camera, screen.');

  await give.getByLabel('Give the floor directly to').selectOption({ label: 'Seoul' });
  await give.getByRole('button', { name: 'Give the floor' }).click();
  await expect(video(people.seoul).getByRole('status')).toHaveText('You may share: microphone, camera, screen.');
  await expect(video(people.head).getByRole('status')).toHaveText('You may share: camera, screen.');
  await expect(video(people.delegate).getByRole('status')).toHaveText('You may share: camera, screen.');
});
