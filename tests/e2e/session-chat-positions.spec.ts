import { expect, test, type Page } from '@playwright/test';
import {
  chat,
  chatMessages as messages,
  closeParticipants,
  liveSessionWithTwoHeadsAndObserver,
  openChatTab as openTab,
  positions,
  readDatabase,
  recordPosition,
  say,
  screenshotLayouts,
  sessionEventTypes,
  unique,
  wcagViolations,
} from './support';

test.afterEach(closeParticipants);

test('chair, two heads and an observer: positions on a paragraph in the map, a delegation’s own channel, a consultation opened and accepted, a message the chair deletes', async ({ browser }) => {
  test.setTimeout(150_000);
  const title = unique('Informal consultations');
  const { chair, montreal, seoul, observer } = await liveSessionWithTwoHeadsAndObserver(browser, title);
  const everyone = [chair, montreal, seoul, observer];

  await test.step('positions on a paragraph appear in everyone’s consensus map; the note stays with Montréal', async () => {
    await recordPosition(montreal, 'Montréal', 'OP 1', 'Object', 'Capital: only “voluntary” targets');
    await recordPosition(seoul, 'Seoul', 'OP 1', 'Support', '');
    for (const page of everyone) {
      const row = positions(page).getByRole('row', { name: /^OP 1 / });
      await expect(row).toContainText('Objection');
      await expect(row.getByRole('cell').nth(2)).toHaveText('Montréal');
      await expect(row).toContainText('1 · 0 · 0 · 1 · 5');
    }
    const ours = positions(montreal).getByRole('form', { name: 'Montréal’s position on OP 1' });
    await expect(ours.getByLabel('Note (only Montréal sees it)')).toHaveValue('Capital: only “voluntary” targets');
    await expect(ours.getByLabel('Montréal’s position on OP 1')).toHaveValue('object');
    for (const page of [chair, seoul, observer]) await expect(page.getByText('only “voluntary” targets')).toHaveCount(0);
  });

  await test.step('a delegation’s own channel reaches its people only — not the other delegation, not the chair', async () => {
    await openTab(montreal, 'Montréal (internal)');
    await say(montreal, 'Montréal (internal)', 'Between us: we can live with “where feasible” in OP 1.');
    await openTab(seoul, 'Seoul (internal)');
    await say(seoul, 'Seoul (internal)', 'Seoul will not move on OP 2.');
    await expect(chat(chair).getByRole('tab')).toHaveCount(1);
    for (const page of [chair, seoul, observer]) await expect(page.getByText('where feasible')).toHaveCount(0);
    for (const page of [chair, montreal, observer]) await expect(page.getByText('Seoul will not move')).toHaveCount(0);
  });

  await test.step('Montréal asks Seoul for a consultation; Seoul accepts; only the two see its channel', async () => {
    await chat(montreal).getByLabel('Consult another delegation').selectOption({ label: 'Seoul' });
    await chat(montreal).getByRole('button', { name: 'Request a consultation' }).click();
    await expect(chat(montreal)).toContainText('Waiting for Seoul to accept');
    await chat(seoul).getByRole('button', { name: 'Accept the consultation with Montréal' }).click();
    await openTab(seoul, 'With Montréal');
    await say(seoul, 'With Montréal', 'Seoul could accept OP 1 with “where feasible”.');
    await openTab(montreal, 'With Seoul');
    await expect(messages(montreal)).toContainText('Seoul could accept OP 1');
    await say(montreal, 'With Seoul', 'Agreed — we will propose it.');
    for (const page of [chair, observer]) {
      await expect(chat(page).getByRole('tab', { name: /With / })).toHaveCount(0);
      await expect(page.getByText('Seoul could accept OP 1')).toHaveCount(0);
    }
  });

  await test.step('Montréal shows its workspace note on OP 1 to Seoul, read-only; the chair does not see it', async () => {
    const workspace = (page: Page) => page.getByRole('region', { name: 'Delegation workspace' });
    await workspace(montreal).getByLabel('Note on OP 1', { exact: true }).fill('Fallback wording: “where feasible”');
    await workspace(montreal).getByRole('button', { name: 'Save note on OP 1' }).click();
    await workspace(montreal).getByLabel('Partner').selectOption({ label: 'Seoul' });
    await workspace(montreal).getByRole('button', { name: 'Share' }).click();
    await expect(workspace(montreal)).toContainText('Shared read-only with Seoul.');
    await expect(workspace(seoul).getByRole('heading', { name: 'Shared with you by Montréal' })).toBeVisible();
    await expect(workspace(seoul)).toContainText('Fallback wording: “where feasible”');
    await expect(chair.getByText('Fallback wording')).toHaveCount(0);
  });

  await test.step('markup in a plenary message stays text; the chair deletes the message for everyone', async () => {
    await openTab(seoul, 'Plenary');
    const injected = '<img src=x onerror="document.title=1"> @Montréal look';
    await say(seoul, 'Plenary', injected);
    await openTab(montreal, 'Plenary');
    const mentioned = messages(montreal).getByRole('listitem').filter({ hasText: 'look' });
    await expect(mentioned).toContainText('mentions your delegation');
    await expect(mentioned.locator('mark')).toHaveText('@Montréal');
    for (const page of everyone) {
      await expect(messages(page)).toContainText('<img src=x onerror="document.title=1">');
      await expect(messages(page).locator('img')).toHaveCount(0);
    }
    expect(await wcagViolations(chair)).toEqual([]);
    expect(await wcagViolations(montreal)).toEqual([]);
    expect(await wcagViolations(observer)).toEqual([]);
    await messages(chair).getByRole('listitem').filter({ hasText: 'look' }).getByRole('button', { name: /^Delete the message of / }).click();
    for (const page of everyone) {
      await expect(messages(page)).toContainText('Message deleted by the chair.');
      await expect(messages(page)).not.toContainText('onerror');
    }
  });

  // The room with its new panels on a phone, a laptop and a projector (which shows the chat and the map).
  await screenshotLayouts('session-chat-positions', { phone: observer, desktop: montreal, projector: chair }, (page) => chat(page));

  // The record: every step in order, the deleted text gone from storage, and nothing of it in the log itself.
  const types = sessionEventTypes(title);
  expect(types.filter((type) => /^(position|consultation|chat)\./.test(type))).toEqual([
    'position.recorded',
    'position.note_set',
    'position.recorded',
    'chat.message_posted',
    'chat.message_posted',
    'consultation.requested',
    'consultation.accepted',
    'chat.message_posted',
    'chat.message_posted',
    'chat.message_posted',
    'chat.message_deleted',
  ]);
  expect(types.filter((type) => type.startsWith('workspace.'))).toEqual(['workspace.note_set', 'workspace.shared']);
  const kept = readDatabase((db) => db.prepare("SELECT COUNT(*) AS n FROM session_event_contents WHERE content LIKE '%onerror%'").get() as { n: number });
  expect(kept.n).toBe(0);
});
