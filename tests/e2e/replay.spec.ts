import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import {
  closeParticipants,
  decisionResults,
  decisions,
  declarationPath,
  DEFAULT_QUORUM_RULE,
  floor,
  liveSessionWithTwoHeadsAndObserver,
  participant,
  raiseHand,
  SCREENSHOT_DIR,
  setQuorumRule,
  speakersList,
  unique,
  wcagViolations,
} from './support';

test.afterEach(closeParticipants);

const DECLARATION_TITLE = 'Draft Declaration on Urban Climate Resilience';

/** The live room's log position on this screen (R2: the replay at this seq shows the same room). */
const liveSeq = async (page: Page) => Number(await page.locator('[data-room-seq]').getAttribute('data-room-seq'));

/** The declaration as the live editor shows it: one line per block, without other people's carets. */
const editorText = (page: Page) =>
  page.getByRole('textbox', { name: 'Document text' }).evaluate((element) => {
    const copy = element.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('.collaboration-carets__caret').forEach((caret) => caret.remove());
    return [...copy.children].map((block) => block.textContent ?? '').join('\n');
  });

/** The declaration as the replay shows it, one line per block, without the paragraph labels (the editor draws them beside the text too). */
const replayText = (page: Page) =>
  page.getByRole('region', { name: DECLARATION_TITLE }).getByTestId('replay-text').evaluate((element) =>
    [...element.querySelectorAll('.replay-block > :first-child')]
      .map((block) => {
        const copy = block.cloneNode(true) as HTMLElement;
        copy.querySelectorAll('.paragraph-label').forEach((label) => label.remove());
        return copy.textContent ?? '';
      })
      .join('\n'),
  );

async function openReplay(page: Page, sessionId: string, seq: number) {
  await page.goto(`/sessions/${sessionId}/replay?seq=${seq}`);
  await expect(page.locator('[data-seq]')).toHaveAttribute('data-seq', String(seq));
}

test('a session recorded through the UI replays with the text, the floor and the votes participants saw at those moments', async ({ browser }) => {
  test.setTimeout(150_000);
  const title = unique('Plenary: replay');
  const secretariat = await participant(browser, 'secretariat');
  await setQuorumRule(secretariat, 'No quorum required');
  try {
    // Several sessions of the negotiation may be live at once (other specs leave theirs open); the
    // text's edits are recorded in the earliest scheduled one, so this one is scheduled first.
    const { room, chair, montreal, seoul } = await liveSessionWithTwoHeadsAndObserver(browser, title, undefined, `${new Date().getFullYear() + 1}-01-05T09:00`);
    const sessionId = room.split('/').at(-1)!;
    const seqBeforeEdit = await liveSeq(seoul);

    // Montréal's head edits the declaration while the session is live: the edit joins the session's record.
    const editor = await montreal.context().newPage();
    await editor.goto(declarationPath());
    await expect(editor.getByRole('status').filter({ hasText: 'All changes saved' })).toBeVisible();
    await editor.getByRole('textbox', { name: 'Document text' }).getByText('Call upon national governments').click();
    await editor.keyboard.press('End');
    await editor.keyboard.type(' (replay check)', { delay: 15 });
    await expect(editor.getByRole('status').filter({ hasText: 'All changes saved' })).toBeVisible();
    const textAfterEdit = await editorText(editor);
    expect(textAfterEdit).toContain('(replay check)');

    await raiseHand(montreal, 'Speech');
    await speakersList(chair).nth(0).getByRole('button', { name: 'Give the floor to Montréal' }).click();
    await expect(floor(seoul)).toContainText('Montréal');
    const seqOfSpeech = await liveSeq(seoul);
    await seoul.screenshot({ path: path.join(SCREENSHOT_DIR, 'replay-live-floor.png') });

    const put = decisions(chair).getByRole('form', { name: 'Put a question' });
    await put.getByLabel('The question is about').selectOption({ label: 'A procedural matter' });
    await put.getByLabel('Question', { exact: true }).fill('Publish the replay of this session');
    await put.getByLabel('Decided by').selectOption({ label: 'Simple majority of delegations' });
    await put.getByLabel('Ballot').selectOption({ label: 'Roll-call (choices public by delegation)' });
    await put.getByRole('button', { name: 'Put the question' }).click();
    await montreal.getByRole('button', { name: 'Vote yes' }).click();
    await seoul.getByRole('button', { name: 'Vote no' }).click();
    await chair.getByRole('button', { name: 'Close the vote' }).click();
    const latest = decisionResults(seoul).getByRole('listitem').first();
    await expect(latest).toContainText('Publish the replay of this session');
    const seqOfResult = await liveSeq(seoul);
    const liveResult = (await latest.getByRole('table').innerText()).replace(/\s+/g, ' ');

    // The replay, opened by a participant at the seqs they saw.
    await test.step('before the edit: the text without it', async () => {
      await openReplay(seoul, sessionId, seqBeforeEdit);
      await expect.poll(() => replayText(seoul)).not.toContain('(replay check)');
    });
    await test.step('during the speech: Montréal on the floor, the edited text exactly as the editor showed it', async () => {
      await openReplay(seoul, sessionId, seqOfSpeech);
      await expect(seoul.getByTestId('replay-speaker')).toContainText('Montréal');
      expect(await replayText(seoul)).toBe(textAfterEdit);
      await expect(seoul.getByRole('region', { name: 'Attendance' })).toContainText('Montréal');
      await seoul.screenshot({ path: path.join(SCREENSHOT_DIR, 'replay-at-speech.png') });
    });
    await test.step('after the vote: the same result table as in the room', async () => {
      await openReplay(seoul, sessionId, seqOfResult);
      const replayed = seoul.getByRole('region', { name: 'Votes' }).getByRole('listitem').first();
      await expect(replayed).toContainText('Publish the replay of this session');
      expect((await replayed.getByRole('table').innerText()).replace(/\s+/g, ' ')).toBe(liveResult);
      await expect(seoul.getByText('Record verified')).toBeVisible();
      expect(await wcagViolations(seoul)).toEqual([]);
    });
    await test.step('stepping back one event and the deep link by time land on the same moments', async () => {
      await seoul.getByRole('button', { name: 'Previous event' }).click();
      await expect(seoul.locator('[data-seq]')).toHaveAttribute('data-seq', String(seqOfResult - 1));
      await expect(seoul).toHaveURL(new RegExp(`seq=${seqOfResult - 1}$`));
      const api = await seoul.request.get(`/api/sessions/${sessionId}/replay?seq=${seqOfSpeech}`);
      const atSpeech = (await api.json()) as { at: string; documents: { text: string }[] };
      await seoul.goto(`/sessions/${sessionId}/replay?t=${encodeURIComponent(atSpeech.at)}`);
      await expect(seoul.getByTestId('replay-speaker')).toContainText('Montréal');
      expect(atSpeech.documents.map((document) => document.text)).toContain(textAfterEdit);
    });
    await seoul.setViewportSize({ width: 390, height: 844 });
    await seoul.screenshot({ path: path.join(SCREENSHOT_DIR, 'replay-phone.png'), fullPage: false });
  } finally {
    await setQuorumRule(secretariat, DEFAULT_QUORUM_RULE);
  }
});
