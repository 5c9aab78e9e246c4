/**
 * A side room's video over the peer-to-peer mesh (PROTOCOL.md V37–V39) in real Chromium with fake
 * devices: the heads of Montréal and Seoul share video with the chair in the plenary, move into a
 * bilateral side room where their video panels join the side room's mesh — they see each other, the
 * chair (still in the plenary) receives nothing from them — and come back to the plenary's.
 * Screenshots of a head's panel in the side room on a desktop and a phone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { launchWithFakeMedia } from './fake-media';
import { closeParticipants, expectNoHorizontalScroll, liveSessionWithTwoHeadsAndObserver, SCREENSHOT_DIR, sessionEventTypes, unique, wcagViolations } from './support';

const SIDE_ROOM = 'Montréal–Seoul bilateral';
const NAMES = { chair: 'Chair of the Annual Meeting', montreal: 'Mayor of Montréal', seoul: 'Mayor of Seoul' };

const video = (page: Page) => page.getByRole('region', { name: /^Video/ });
const sideRooms = (page: Page) => page.getByRole('region', { name: 'Side rooms' });
const sideRoom = (page: Page) => sideRooms(page).getByRole('listitem', { name: SIDE_ROOM });
/** The width of the picture a remote tile shows (0 until frames arrive). */
const videoWidth = (page: Page, name: string) => video(page).getByLabel(`Video of ${name}`).evaluate((element: HTMLVideoElement) => element.videoWidth);

let browser: Browser | null = null;
test.afterEach(async () => {
  await closeParticipants();
  await browser?.close();
  browser = null;
});

test('[V37][V38][V39] two heads move into a side room and see each other there, the plenary receives none of it; back in the plenary they see it again', async ({}, testInfo) => {
  browser = await launchWithFakeMedia(null, testInfo.outputPath());
  const title = unique('Mesh side room');
  const { chair, montreal, seoul } = await liveSessionWithTwoHeadsAndObserver(browser, title);
  for (const page of [chair, montreal, seoul]) await video(page).getByRole('button', { name: 'Join video' }).click();
  await expect(video(montreal).getByRole('heading', { name: 'In the plenary' })).toBeVisible();
  // A formal plenary with nobody on the floor: a head's microphone is closed too (V4).
  await expect(video(montreal).getByText('Your microphone opens when you have the floor.')).toBeVisible();
  await expect.poll(() => videoWidth(montreal, NAMES.chair)).toBeGreaterThan(0);
  await expect.poll(() => videoWidth(chair, NAMES.seoul)).toBeGreaterThan(0);

  const form = sideRooms(chair).getByRole('form', { name: 'Open a side room' });
  await form.getByLabel('Title').fill(SIDE_ROOM);
  await form.getByLabel('Montréal').check();
  await form.getByLabel('Seoul').check();
  await form.getByRole('button', { name: 'Open side room' }).click();
  for (const page of [montreal, seoul]) await sideRoom(page).getByRole('button', { name: `Join ${SIDE_ROOM}` }).click();

  // Their panels follow them into the side room's mesh: each other's pictures, nobody else's.
  for (const page of [montreal, seoul]) {
    await expect(video(page).getByRole('heading', { name: `In the side room “${SIDE_ROOM}”` })).toBeVisible();
    await expect(video(page).getByRole('list', { name: 'People sharing video' }).getByRole('listitem')).toHaveCount(2);
    await expect(video(page).getByLabel(`Video of ${NAMES.chair}`)).toHaveCount(0);
  }
  await expect.poll(() => videoWidth(montreal, NAMES.seoul)).toBeGreaterThan(0);
  await expect.poll(() => videoWidth(seoul, NAMES.montreal)).toBeGreaterThan(0);
  // A side room is a conversation: the microphone is open without the floor.
  await expect(video(montreal).getByText('Your microphone is live.')).toBeVisible();
  // The chair, in the plenary, has no tile and no track of theirs.
  await expect(video(chair).getByRole('list', { name: 'People sharing video' }).getByRole('listitem')).toHaveText([/\(you\)/]);
  await expect(video(chair).locator('video:not([aria-label="Your camera"])')).toHaveCount(0);
  await expect(video(chair).getByText('Side rooms’ video needs a video server')).toHaveCount(0);

  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  for (const [name, size] of [
    ['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    await montreal.setViewportSize(size);
    await expectNoHorizontalScroll(montreal);
    await video(montreal).scrollIntoViewIfNeeded();
    await video(montreal).screenshot({ path: path.join(SCREENSHOT_DIR, `mesh-side-room-${name}.png`) });
  }
  expect(await wcagViolations(montreal)).toEqual([]);

  // Back to the plenary: the plenary's mesh again, with the chair's picture, and the chair sees theirs.
  for (const page of [montreal, seoul]) await sideRoom(page).getByRole('button', { name: 'Back to plenary' }).click();
  await expect(video(montreal).getByRole('heading', { name: 'In the plenary' })).toBeVisible();
  await expect.poll(() => videoWidth(montreal, NAMES.chair)).toBeGreaterThan(0);
  await expect.poll(() => videoWidth(chair, NAMES.montreal)).toBeGreaterThan(0);
  await expect.poll(() => videoWidth(chair, NAMES.seoul)).toBeGreaterThan(0);
  expect(sessionEventTypes(title).filter((type) => type.startsWith('side_room.'))).toEqual(['side_room.opened', 'side_room.joined', 'side_room.joined', 'side_room.left', 'side_room.left']);
});
