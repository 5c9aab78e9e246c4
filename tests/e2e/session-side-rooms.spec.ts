/**
 * Side rooms in the session room (PROTOCOL.md V23–V26), without a LiveKit server: the chair opens a
 * bilateral side room for Montréal and Seoul, Montréal's head moves into it and back, and the
 * plenary (here the observer) sees who is away. Screenshots of the panel on a desktop and a phone.
 */
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { closeParticipants, expectNoHorizontalScroll, liveSessionWithTwoHeadsAndObserver, SCREENSHOT_DIR, sessionEventTypes, unique, wcagViolations } from './support';

test.afterEach(closeParticipants);

const sideRooms = (page: Page) => page.getByRole('region', { name: 'Side rooms' });
const SIDE_ROOM = 'Montréal–Seoul bilateral';

test('[V23][V24][V25] the chair opens a side room for two delegations; a head joins it and comes back; the plenary shows who is away', async ({ browser }) => {
  const title = unique('Side rooms');
  const { chair, montreal, seoul, observer } = await liveSessionWithTwoHeadsAndObserver(browser, title);
  // Nobody but the chair sees the panel while no side room is open.
  await expect(sideRooms(observer)).toHaveCount(0);

  const form = sideRooms(chair).getByRole('form', { name: 'Open a side room' });
  await form.getByLabel('Title').fill(SIDE_ROOM);
  await form.getByLabel('Montréal').check();
  await form.getByLabel('Seoul').check();
  await form.getByRole('button', { name: 'Open side room' }).click();

  const room = (page: Page) => sideRooms(page).getByRole('listitem', { name: SIDE_ROOM });
  await expect(room(observer).getByText('For Montréal and Seoul')).toBeVisible();
  // The observer is not invited: no way in; Seoul's head may join.
  await expect(room(observer).getByRole('button', { name: `Join ${SIDE_ROOM}` })).toHaveCount(0);
  await expect(room(seoul).getByRole('button', { name: `Join ${SIDE_ROOM}` })).toBeVisible();

  await room(montreal).getByRole('button', { name: `Join ${SIDE_ROOM}` }).click();
  await expect(room(montreal).getByRole('button', { name: 'Back to plenary' })).toBeVisible();
  // The video panel now joins the side room's media room.
  await expect(montreal.getByRole('heading', { name: `Video: ${SIDE_ROOM}` })).toBeVisible();
  const away = sideRooms(observer).getByRole('list', { name: 'Away from the plenary' });
  await expect(away.getByRole('listitem')).toHaveText([new RegExp(`^Mayor of Montréal\\s*in ${SIDE_ROOM}$`)]);

  for (const [name, size] of [
    ['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    for (const [who, page] of [
      ['chair', chair],
      ['montreal', montreal],
    ] as const) {
      await page.setViewportSize(size);
      await expectNoHorizontalScroll(page);
      await sideRooms(page).screenshot({ path: path.join(SCREENSHOT_DIR, `side-rooms-${who}-${name}.png`) });
    }
  }
  expect(await wcagViolations(montreal)).toEqual([]);
  expect(await wcagViolations(chair)).toEqual([]);

  await room(montreal).getByRole('button', { name: 'Back to plenary' }).click();
  await expect(away).toHaveCount(0);
  await expect(montreal.getByRole('heading', { name: 'Video', exact: true })).toBeVisible();

  await room(chair).getByRole('button', { name: 'Close side room' }).click();
  await expect(sideRooms(observer)).toHaveCount(0);
  expect(sessionEventTypes(title).filter((type) => type.startsWith('side_room.'))).toEqual(['side_room.opened', 'side_room.joined', 'side_room.left', 'side_room.closed']);
});
