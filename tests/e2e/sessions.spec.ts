import { expect, test } from '@playwright/test';
import { demoEmail, METROPOLIS_TITLE, negotiationIdByTitle, readDatabase, signInViaApi, unique } from './support';

// A zone far from UTC, so a time shown or stored in the wrong zone cannot pass by accident.
const TIME_ZONE = 'Asia/Seoul';
test.use({ timezoneId: TIME_ZONE });

test('the chair schedules a session in local time, opens it, and the log records both steps', async ({ page }) => {
  const metropolis = negotiationIdByTitle(METROPOLIS_TITLE);
  const title = unique('Informal consultations on paragraph 3');
  const year = new Date().getUTCFullYear() + 1;
  // 14:30 on 5 March in Seoul (UTC+9, no daylight saving) is 05:30 UTC.
  const wallClock = `${year}-03-05T14:30`;
  const instant = Date.UTC(year, 2, 5, 5, 30);
  const shown = new Intl.DateTimeFormat('en', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
    timeZone: TIME_ZONE,
  }).format(instant);

  await signInViaApi(page, demoEmail('chair'));
  await page.goto(`/negotiations/${metropolis}`);
  await page.getByRole('link', { name: 'Schedule a session' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Schedule a session' })).toBeVisible();
  // The browser has reported its zone to the server (TimeZoneSyncClient), which says so in the hint.
  await expect(page.getByText(`In your time zone (${TIME_ZONE}).`)).toBeVisible();

  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Start').fill(wallClock);
  await page.getByRole('button', { name: 'Schedule' }).click();

  await expect(page).toHaveURL(new RegExp(`/negotiations/${metropolis}$`));
  const sessions = page.getByRole('region', { name: 'Sessions' });
  const row = sessions.getByRole('row').filter({ hasText: title });
  await expect(row).toContainText(shown);
  await expect(row.getByRole('time')).toHaveAttribute('datetime', new Date(instant).toISOString());
  await expect(row.getByRole('cell').nth(2)).toHaveText('Scheduled');

  await row.getByRole('button', { name: 'Open session' }).click();
  await expect(row.getByRole('cell').nth(2)).toHaveText('Live');
  await expect(row.getByRole('button', { name: 'Suspend' })).toBeVisible();
  await expect(row.getByRole('button', { name: 'Open session' })).toHaveCount(0);

  const { session, events } = readDatabase((db) => {
    const found = db.prepare('SELECT id, scheduled_start, status FROM negotiation_sessions WHERE title = ?').get(title) as
      | { id: string; scheduled_start: number; status: string }
      | undefined;
    const log = found
      ? (db.prepare('SELECT seq, type, payload FROM session_events WHERE session_id = ? ORDER BY seq').all(found.id) as { seq: number; type: string; payload: string }[])
      : [];
    return { session: found, events: log };
  });
  expect(session).toMatchObject({ scheduled_start: instant, status: 'live' });
  // Going live records the quorum roster first (docs/PROTOCOL.md S17), then the change.
  expect(events.map(({ seq, type }) => ({ seq, type }))).toEqual([
    { seq: 1, type: 'session.scheduled' },
    { seq: 2, type: 'quorum.roster_recorded' },
    { seq: 3, type: 'session.status_changed' },
  ]);
  expect(JSON.parse(events[1]?.payload ?? 'null')).toMatchObject({ rule: 'majority' });
  expect(JSON.parse(events[2]?.payload ?? 'null')).toMatchObject({ from: 'scheduled', to: 'live' });
});
