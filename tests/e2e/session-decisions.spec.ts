import path from 'node:path';
import { expect, test } from '@playwright/test';
import {
  closeParticipants,
  decisionResults as results,
  decisions,
  DEFAULT_QUORUM_RULE,
  participant,
  readDatabase,
  liveSessionWithTwoHeadsAndObserver,
  screenshotLayouts,
  SCREENSHOT_DIR,
  setQuorumRule,
  unique,
  votedCount,
  wcagViolations,
} from './support';

test.afterEach(closeParticipants);

test('decisions: a consensus question broken by an objection, then a roll-call majority with the same result for everyone; the observer cannot vote', async ({ browser }) => {
  test.setTimeout(150_000);
  const title = unique('Plenary: decisions');
  const { chair, montreal, seoul, observer } = await liveSessionWithTwoHeadsAndObserver(browser, title);
  const everyone = [chair, montreal, seoul, observer];

  // S31: two of seven member cities are no quorum under the default rule.
  const put = decisions(chair).getByRole('form', { name: 'Put a question' });
  await put.getByLabel('The question is about').selectOption({ label: 'A paragraph' });
  await put.getByLabel('Paragraph').selectOption({ index: 2 });
  await put.getByLabel('Decided by').selectOption({ label: 'Consensus (silence procedure)' });
  await put.getByLabel('Silence period (minutes)').fill('10');
  await put.getByRole('button', { name: 'Put the question' }).click();
  await expect(chair.getByRole('alert').filter({ hasText: 'There is no quorum' })).toBeVisible();

  const secretariat = await participant(browser, 'secretariat');
  await setQuorumRule(secretariat, 'No quorum required');
  try {
    await put.getByRole('button', { name: 'Put the question' }).click();
    for (const page of everyone) {
      await expect(decisions(page)).toContainText('The question before the room');
      await expect(decisions(page)).toContainText('Adopt a paragraph of “Draft Declaration on Urban Climate Resilience”');
      await expect(decisions(page).getByRole('timer', { name: 'Time left to object' })).toBeVisible();
    }
    await expect(observer.getByRole('button', { name: 'Object' })).toHaveCount(0);

    // S40: an objection needs its reason; one objection breaks the silence.
    await seoul.getByRole('button', { name: 'Object' }).click();
    await expect(seoul.getByRole('alert').filter({ hasText: 'Give the reason for your objection.' })).toBeVisible();
    await seoul.getByLabel('Reason for objecting').fill('Our council has not yet seen the revised target year.');
    await seoul.getByRole('button', { name: 'Object' }).click();
    for (const page of everyone) {
      await expect(decisions(page)).toContainText('No question is before the room.');
      await expect(results(page).getByRole('listitem').first()).toContainText('Not adopted');
      await expect(results(page).getByRole('listitem').first()).toContainText('Objection by Seoul:');
      await expect(results(page).getByRole('listitem').first()).toContainText('Our council has not yet seen the revised target year.');
    }

    // S33, S38: a roll-call by simple majority; abstentions do not count.
    await put.getByLabel('The question is about').selectOption({ label: 'A procedural matter' });
    await put.getByLabel('Question', { exact: true }).fill('Hold the next plenary in Montréal');
    await put.getByLabel('Decided by').selectOption({ label: 'Simple majority of delegations' });
    await put.getByLabel('Ballot').selectOption({ label: 'Roll-call (choices public by delegation)' });
    await put.getByRole('button', { name: 'Put the question' }).click();
    for (const page of everyone) await expect(votedCount(page)).toHaveText('0 of 7 delegations have voted');
    // T36: the observer has no ballot to cast.
    await expect(observer.getByRole('group', { name: 'Your delegation’s vote' })).toHaveCount(0);
    await montreal.getByRole('button', { name: 'Vote yes' }).click();
    await expect(montreal.getByText('Your delegation voted: Yes.')).toBeVisible();
    for (const page of everyone) await expect(votedCount(page)).toHaveText('1 of 7 delegations have voted');
    // The open vote as a hall sees it on the projector.
    await seoul.setViewportSize({ width: 1920, height: 1080 });
    await decisions(seoul).scrollIntoViewIfNeeded();
    await seoul.screenshot({ path: path.join(SCREENSHOT_DIR, 'session-decisions-open-vote-projector.png') });
    await seoul.getByRole('button', { name: 'Abstain' }).click();
    for (const page of everyone) await expect(votedCount(page)).toHaveText('2 of 7 delegations have voted');
    await chair.getByRole('button', { name: 'Close the vote' }).click();
    for (const page of everyone) {
      const latest = results(page).getByRole('listitem').first();
      await expect(latest).toContainText('Adopted');
      await expect(latest).toContainText('Procedural question: Hold the next plenary in Montréal');
      const table = latest.getByRole('table', { name: /Votes \(2 of 7 entitled delegations voted\)/ });
      await expect(table.getByRole('row', { name: 'Yes 1' })).toBeVisible();
      await expect(table.getByRole('row', { name: 'No 0' })).toBeVisible();
      await expect(table.getByRole('row', { name: 'Abstain 1' })).toBeVisible();
      await expect(latest.getByRole('list', { name: 'Votes by delegation' })).toContainText('Montréal');
    }
    expect(await wcagViolations(chair)).toEqual([]);
    expect(await wcagViolations(observer)).toEqual([]);

    // The room on a phone, a laptop and a projector, with results on screen.
    await screenshotLayouts('session-decisions', { phone: observer, desktop: chair, projector: montreal }, decisions);

    // The record: two questions, one objection, two ballots; nothing from the observer.
    const types = readDatabase(
      (db) =>
        db
          .prepare("SELECT e.type FROM session_events e JOIN negotiation_sessions s ON s.id = e.session_id WHERE s.title = ? AND e.type LIKE 'decision.%' ORDER BY e.seq")
          .all(title) as { type: string }[],
    ).map((row) => row.type);
    expect(types).toEqual(['decision.opened', 'decision.objected', 'decision.closed', 'decision.opened', 'decision.ballot_cast', 'decision.ballot_cast', 'decision.closed']);
  } finally {
    await setQuorumRule(secretariat, DEFAULT_QUORUM_RULE);
  }
});
