import { expect, test, type Page } from '@playwright/test';
import {
  chat,
  chatMessages,
  closeParticipants,
  decisionResults,
  decisions,
  DEFAULT_QUORUM_RULE,
  floor,
  liveSessionWithTwoHeadsAndObserver,
  openChatTab,
  participant,
  positions,
  raiseHand,
  recordPosition,
  say,
  screenshotLayouts,
  sessionEventTypes,
  setQuorumRule,
  socketFramesReceived,
  speakersList,
  unique,
  votedCount,
  wcagViolations,
} from './support';

test.afterEach(closeParticipants);

/** Issue 4's acceptance scenario, in its order, with four people in browser contexts of their own: the chair, the heads of Montréal and Seoul, the UN-Habitat observer. */
test('a mini-session end to end: floor with a point of order and a timed speech, consensus broken by an objection, a roll-call, positions in the map, a delegation’s own chat', async ({ browser }) => {
  test.setTimeout(120_000);
  const title = unique('Plenary: mini-session');
  const token = unique('mini').replace(/\W+/g, '-');

  // Outside the room, before the session: two of seven member cities are no quorum under the default
  // rule (S17, S31; that refusal is session-decisions.spec.ts's), so the secretariat waives it.
  const secretariat = await participant(browser, 'secretariat');
  await setQuorumRule(secretariat, 'No quorum required');
  await secretariat.context().close();
  try {
    // The chair prepares the agenda and the speaking times in the room, then opens the session; the others come in.
    const { chair, montreal, seoul, observer } = await liveSessionWithTwoHeadsAndObserver(browser, title, async (chair) => {
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
    });
    const everyone = [chair, montreal, seoul, observer];
    await chair.getByRole('region', { name: 'Agenda' }).getByRole('button', { name: 'Next item' }).click();
    for (const page of everyone) await expect(page.getByRole('region', { name: 'Agenda' }).locator('li[aria-current="step"]')).toContainText('Opening of the session');
    await expect(chair.getByRole('region', { name: 'Attendance' })).toContainText('2 of 7 member delegations present');
    await expect(observer.getByText('The chair has not opened the floor to observers.')).toBeVisible();

    await test.step('two floor requests, then a point of order that goes before both (S5)', async () => {
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
        await expect(speakersList(page).nth(1)).toContainText('Speech');
        await expect(speakersList(page).nth(2)).toContainText('Seoul');
        await expect(speakersList(page).nth(2)).toContainText('Speech');
      }
    });

    await test.step('a 10-second speech timed by the server: everyone sees the timer, the warning, then the overrun (S10, S13)', async () => {
      await speakersList(chair).nth(0).getByRole('button', { name: 'Give the floor to Seoul' }).click();
      for (const page of everyone) {
        await expect(floor(page)).toContainText('Seoul');
        await expect(floor(page).getByRole('timer', { name: 'Speaking time left' })).toBeVisible();
        await expect(speakersList(page)).toHaveCount(2);
      }
      // The warning lasts eight seconds: all four screens are watched at once.
      await Promise.all(
        everyone.map(async (page) => {
          await expect(floor(page)).toContainText('Time is nearly up');
          await expect(floor(page)).toHaveAttribute('data-level', 'warning');
        }),
      );
      for (const page of everyone) {
        await expect(floor(page)).toContainText('Over time by', { timeout: 15_000 });
        await expect(floor(page)).toHaveAttribute('data-level', 'overrun');
        await expect(floor(page).getByRole('timer', { name: 'Speaking time left' })).toHaveText(/^\+0:\d\d$/);
      }
      expect(await wcagViolations(chair)).toEqual([]);
      expect(await wcagViolations(observer)).toEqual([]);
      // The room on a phone, a laptop and a projector, mid-speech.
      await screenshotLayouts('session-room', { phone: observer, desktop: chair, projector: montreal });
      await floor(chair).getByRole('button', { name: 'End speech' }).click();
      for (const page of everyone) await expect(floor(page)).toContainText('Nobody has the floor.');
    });

    await test.step('the chair opens the floor to observers; the observer’s hand goes up last (S6)', async () => {
      const settings = chair.getByRole('region', { name: 'Speakers’ list settings' });
      await settings.getByLabel('Observers may ask for the floor').check();
      await settings.getByRole('button', { name: 'Save settings' }).click();
      await raiseHand(observer, 'Speech');
      for (const page of everyone) {
        await expect(speakersList(page)).toHaveCount(3);
        await expect(speakersList(page).nth(2)).toContainText('UN-Habitat');
      }
    });

    const put = decisions(chair).getByRole('form', { name: 'Put a question' });

    await test.step('a consensus question on a paragraph, broken by Montréal’s objection: not adopted, the reason shown to all (S40)', async () => {
      await put.getByLabel('The question is about').selectOption({ label: 'A paragraph' });
      const paragraph = put.getByLabel('Paragraph');
      await paragraph.selectOption((await paragraph.locator('option', { hasText: 'Call upon national governments' }).getAttribute('value')) ?? '');
      await put.getByLabel('Decided by').selectOption({ label: 'Consensus (silence procedure)' });
      await put.getByLabel('Silence period (minutes)').fill('10');
      await put.getByRole('button', { name: 'Put the question' }).click();
      for (const page of everyone) {
        await expect(decisions(page)).toContainText('The question before the room');
        await expect(decisions(page)).toContainText('Call upon national governments');
        await expect(decisions(page).getByRole('timer', { name: 'Time left to object' })).toBeVisible();
      }
      await expect(seoul.getByRole('button', { name: 'Object' })).toBeVisible();
      await expect(observer.getByRole('button', { name: 'Object' })).toHaveCount(0);
      await montreal.getByLabel('Reason for objecting').fill('Montréal cannot call on Ottawa before its council votes.');
      await montreal.getByRole('button', { name: 'Object' }).click();
      for (const page of everyone) {
        await expect(decisions(page)).toContainText('No question is before the room.');
        const latest = decisionResults(page).getByRole('listitem').first();
        await expect(latest).toContainText('Not adopted');
        await expect(latest).toContainText('Silence broken at');
        await expect(latest).toContainText('Call upon national governments');
        await expect(latest.locator('.decision-objection')).toHaveText('Objection by Montréal: Montréal cannot call on Ottawa before its council votes.');
      }
    });

    await test.step('a roll-call by simple majority: a tie is not adopted, the same result on all four screens; the observer has no ballot (S33, S35, S43)', async () => {
      await put.getByLabel('The question is about').selectOption({ label: 'A procedural matter' });
      await put.getByLabel('Question', { exact: true }).fill('Hold the next plenary in Seoul');
      await put.getByLabel('Decided by').selectOption({ label: 'Simple majority of delegations' });
      await put.getByLabel('Ballot').selectOption({ label: 'Roll-call (choices public by delegation)' });
      await put.getByRole('button', { name: 'Put the question' }).click();
      for (const page of everyone) await expect(votedCount(page)).toHaveText('0 of 7 delegations have voted');
      for (const page of [montreal, seoul]) await expect(page.getByRole('group', { name: 'Your delegation’s vote' })).toBeVisible();
      // T36: no ballot in the observer's page at all, nor in the chair's.
      for (const page of [observer, chair]) {
        await expect(page.getByRole('group', { name: 'Your delegation’s vote' })).toHaveCount(0);
        await expect(page.locator('button').filter({ hasText: /^(Vote yes|Vote no|Abstain)$/ })).toHaveCount(0);
      }

      await montreal.getByRole('button', { name: 'Vote yes' }).click();
      await expect(montreal.getByText('Your delegation voted: Yes.')).toBeVisible();
      for (const page of everyone) {
        await expect(votedCount(page)).toHaveText('1 of 7 delegations have voted');
        await expect(decisions(page).getByRole('list', { name: 'Votes so far, by delegation' })).toContainText('Montréal');
      }
      await seoul.getByRole('button', { name: 'Vote no' }).click();
      await expect(seoul.getByText('Your delegation voted: No.')).toBeVisible();
      for (const page of everyone) await expect(votedCount(page)).toHaveText('2 of 7 delegations have voted');
      await chair.getByRole('button', { name: 'Close the vote' }).click();

      const seen: string[] = [];
      for (const page of everyone) {
        const latest = decisionResults(page).getByRole('listitem').first();
        await expect(latest).toContainText('Procedural question: Hold the next plenary in Seoul');
        await expect(latest.locator('.badge').first()).toHaveText('Not adopted');
        const table = latest.getByRole('table', { name: 'Votes (2 of 7 entitled delegations voted)' });
        await expect(table.getByRole('row', { name: 'Yes 1' })).toBeVisible();
        await expect(table.getByRole('row', { name: 'No 1' })).toBeVisible();
        await expect(table.getByRole('row', { name: 'Abstain 0' })).toBeVisible();
        const rollCall = latest.getByRole('list', { name: 'Votes by delegation' }).getByRole('listitem');
        await expect(rollCall).toHaveCount(2);
        await expect(rollCall.filter({ hasText: 'Montréal' })).toContainText('Yes');
        await expect(rollCall.filter({ hasText: 'Seoul' })).toContainText('No');
        seen.push([await latest.locator('.badge').first().innerText(), await table.innerText(), ...(await rollCall.allInnerTexts())].join('\n'));
      }
      expect(new Set(seen).size, `one result on every screen:\n${seen.join('\n---\n')}`).toBe(1);
    });

    await test.step('positions on OP 2 appear in everyone’s consensus map; Montréal’s note stays in Montréal’s page (S62–S66)', async () => {
      const note = `Only with a 2030 horizon ${token}-note`;
      await recordPosition(montreal, 'Montréal', 'OP 2', 'Can accept', note);
      await recordPosition(seoul, 'Seoul', 'OP 2', 'Object', '');
      for (const page of everyone) {
        const row = positions(page).getByRole('row', { name: /^OP 2 / });
        await expect(row.getByRole('cell').nth(0)).toHaveText('Objection');
        await expect(row.getByRole('cell').nth(1)).toHaveText('0 · 1 · 0 · 1 · 5');
        await expect(row.getByRole('cell').nth(2)).toHaveText('Seoul');
        await expect(row.getByRole('cell').nth(3)).toHaveText('—');
      }
      await expect(positions(observer).getByText('Member delegations state positions; you follow the map.')).toBeVisible();
      const ours = positions(montreal).getByRole('form', { name: 'Montréal’s position on OP 2' });
      await expect(ours.getByLabel('Montréal’s position on OP 2')).toHaveValue('can_accept');
      await expect(ours.getByLabel('Note (only Montréal sees it)')).toHaveValue(note);
      expect(socketFramesReceived(montreal).some((frame) => frame.includes(`${token}-note`)), 'Montréal’s socket carried its note').toBe(true);
      // Seoul's stance came after Montréal's note in the log: had the note been sent to them, they would hold it by now.
      for (const page of [chair, seoul, observer]) await expectNeverReceived(page, `${token}-note`);
    });

    await test.step('Montréal’s internal message reaches Montréal only — not Seoul, not the chair, not the observer (S52)', async () => {
      const internal = `Between us: we can live with a 2030 horizon in OP 2 (${token}-internal)`;
      await openChatTab(montreal, 'Montréal (internal)');
      await expect(chat(montreal)).toContainText('Only the people of your delegation see this channel');
      await say(montreal, 'Montréal (internal)', internal);
      // Then a plenary message: once everyone has it, everything logged before it has reached whom it was for.
      await openChatTab(montreal, 'Plenary');
      const plenary = `Montréal asks for the floor on OP 2 (${token}-plenary)`;
      await say(montreal, 'Plenary', plenary);
      for (const page of [chair, seoul, observer]) await expect(chatMessages(page)).toContainText(plenary);
      await openChatTab(montreal, 'Montréal (internal)');
      await expect(chatMessages(montreal)).toContainText(internal);
      expect(socketFramesReceived(montreal).some((frame) => frame.includes(`${token}-internal`)), 'Montréal’s socket carried its own message').toBe(true);
      await expect(chat(chair).getByRole('tab')).toHaveCount(1);
      await expect(chat(seoul).getByRole('tab', { name: /Montréal/ })).toHaveCount(0);
      await expect(chat(observer).getByRole('tab', { name: /Montréal/ })).toHaveCount(0);
      for (const page of [chair, seoul, observer]) {
        expect(socketFramesReceived(page).some((frame) => frame.includes(`${token}-plenary`)), 'the frames of this page are recorded').toBe(true);
        await expectNeverReceived(page, `${token}-internal`);
      }
    });

    // The record: every step of the floor, the decisions, positions and chat, in order.
    const types = sessionEventTypes(title);
    expect(types.filter((type) => /^(floor|speech|decision|position|chat)\./.test(type))).toEqual([
      'floor.settings_changed',
      'floor.requested',
      'floor.requested',
      'floor.requested',
      'floor.granted',
      'speech.started',
      'speech.ended',
      'floor.settings_changed',
      'floor.requested',
      'decision.opened',
      'decision.objected',
      'decision.closed',
      'decision.opened',
      'decision.ballot_cast',
      'decision.ballot_cast',
      'decision.closed',
      'position.recorded',
      'position.note_set',
      'position.recorded',
      'chat.message_posted',
      'chat.message_posted',
    ]);
    expect(types).toContain('session.status_changed');
    expect(types.filter((type) => type === 'attendance.joined')).toHaveLength(4);
  } finally {
    await setQuorumRule(await participant(browser, 'secretariat'), DEFAULT_QUORUM_RULE);
  }
});

/** Nothing with `text` is in the page's DOM (hidden or not) nor in any frame its socket received. */
async function expectNeverReceived(page: Page, text: string): Promise<void> {
  expect(await page.content(), 'in the DOM').not.toContain(text);
  expect(socketFramesReceived(page).filter((frame) => frame.includes(text)), 'over the socket').toEqual([]);
}
