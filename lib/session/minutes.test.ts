import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTranslator } from 'next-intl';
import messages from '../../messages/en.json' with { type: 'json' };
import { toMarkdown, toPrintableHtml } from '../documents/export';
import type { TSessionEventPayload, TSessionEventType } from './events';
import { sessionAnalytics } from './analytics';
import { buildMinutes, minutesBlocks, type TMinutesFacts, type TMinutesTranslate } from './minutes';
import { parseMinutesMarkdown } from './minutes-markdown';
import type { TRoomEvent } from './room/state';
import { clockDuration } from './speaking-time';

const T0 = Date.UTC(2030, 0, 1, 9, 0, 0);
const translator = createTranslator({ locale: 'en', messages });
const t: TMinutesTranslate = (key, values) => (translator as unknown as TMinutesTranslate)(key, values);

/** A log under construction: typed events with consecutive seqs at given offsets from T0 (seconds). */
function logOf() {
  const events: TRoomEvent[] = [];
  return {
    events,
    add<Type extends TSessionEventType>(type: Type, payload: TSessionEventPayload<Type>, seconds: number, delegationId: string | null = null): void {
      events.push({ seq: events.length + 1, at: T0 + seconds * 1000, userId: null, delegationId, role: null, type, payload });
    },
  };
}

const SUBJECT = { kind: 'paragraph', documentId: 'doc', documentTitle: 'Declaration', pid: 'p2', excerpt: 'Resolve to…' } as const;
const QUORUM = { present: 3, required: 2, members: 3 };

/**
 * A closed session: three member cities and an observer; Montréal joins twice, two speeches (one
 * paused for 20 s), a withdrawn and a waiting request, two amendments, a roll-call and a secret
 * ballot, a document adopted and signed.
 */
function recordedSession() {
  const log = logOf();
  log.add('session.scheduled', { title: 'Plenary', scheduledStart: T0 }, 0);
  log.add('quorum.roster_recorded', { rule: 'majority', delegations: ['montreal', 'seoul', 'barcelona'].map((delegationId) => ({ delegationId, status: 'member' as const })) }, 0);
  log.add('session.status_changed', { from: 'scheduled', to: 'live' }, 60);
  log.add('attendance.joined', { userId: 'chair', delegationId: null, role: 'chair' }, 60);
  log.add('attendance.joined', { userId: 'head.montreal', delegationId: 'montreal', role: 'head' }, 61);
  log.add('attendance.joined', { userId: 'head.seoul', delegationId: 'seoul', role: 'head' }, 62);
  log.add('attendance.joined', { userId: 'head.barcelona', delegationId: 'barcelona', role: 'head' }, 63);
  log.add('agenda.item_added', { itemId: 'a1', title: 'Opening', plannedMinutes: 5, index: 0 }, 64);
  log.add('agenda.item_added', { itemId: 'a2', title: 'First reading', plannedMinutes: 30, index: 1 }, 64);
  log.add('agenda.item_added', { itemId: 'a3', title: 'Any other business', plannedMinutes: null, index: 2 }, 64);
  log.add('agenda.current_set', { itemId: 'a1' }, 65);
  log.add('floor.requested', { requestId: 'r1', kind: 'regular', userId: 'head.seoul', delegationId: 'seoul' }, 70);
  log.add('floor.requested', { requestId: 'r2', kind: 'regular', userId: 'head.barcelona', delegationId: 'barcelona' }, 71);
  log.add('floor.requested', { requestId: 'r3', kind: 'question', userId: 'head.montreal', delegationId: 'montreal' }, 72);
  log.add('floor.request_skipped', { requestId: 'r2' }, 73);
  log.add('floor.granted', { speechId: 's1', requestId: 'r1', kind: 'regular', userId: 'head.seoul', delegationId: 'seoul', limitSeconds: 180, warningSeconds: 30 }, 80);
  log.add('speech.started', { speechId: 's1' }, 80);
  log.add('speech.paused', { speechId: 's1' }, 100);
  log.add('speech.resumed', { speechId: 's1' }, 120);
  log.add('speech.ended', { speechId: 's1' }, 190);
  log.add('floor.request_withdrawn', { requestId: 'r3' }, 191);
  log.add('attendance.left', { userId: 'head.montreal', reason: 'disconnected' }, 200);
  log.add('attendance.joined', { userId: 'head.montreal', delegationId: 'montreal', role: 'head' }, 260);
  log.add('agenda.current_set', { itemId: 'a2' }, 300);
  log.add('floor.granted', { speechId: 's2', requestId: null, kind: 'regular', userId: null, delegationId: 'montreal', limitSeconds: 180, warningSeconds: 30 }, 310);
  log.add('speech.started', { speechId: 's2' }, 310);
  log.add('amendment.proposed', { amendmentId: 'am1', documentId: 'doc', pid: 'p2', kind: 'replace' }, 320, 'seoul');
  log.add('amendment.proposed', { amendmentId: 'am2', documentId: 'doc', pid: 'p3', kind: 'delete' }, 330, 'barcelona');
  log.add('amendment.decided', { amendmentId: 'am2', status: 'rejected', documentSeq: null }, 340);
  log.add('paragraph.status_changed', { documentId: 'doc', pid: 'p1', from: 'pending', to: 'agreed_ad_ref' }, 350);
  log.add('decision.opened', { decisionId: 'd1', subject: SUBJECT, method: 'majority', ballot: 'roll_call', deadline: null, quorum: QUORUM }, 360);
  log.add('decision.ballot_cast', { decisionId: 'd1', delegationId: 'seoul', choice: 'yes' }, 361);
  log.add('decision.ballot_cast', { decisionId: 'd1', delegationId: 'barcelona', choice: 'no' }, 362);
  log.add('decision.ballot_cast', { decisionId: 'd1', delegationId: 'montreal', choice: 'yes' }, 363);
  log.add('decision.closed', { decisionId: 'd1', outcome: 'adopted', closedBy: 'chair', entitled: ['barcelona', 'montreal', 'seoul'], tally: { yes: 2, no: 1, abstain: 0 }, quorum: QUORUM }, 370);
  log.add('paragraph.status_changed', { documentId: 'doc', pid: 'p2', from: 'pending', to: 'agreed' }, 371);
  log.add('decision.opened', { decisionId: 'd2', subject: { kind: 'procedural', text: 'Close the list of speakers' }, method: 'majority', ballot: 'secret', deadline: null, quorum: QUORUM }, 380);
  log.add('decision.ballot_cast', { decisionId: 'd2', delegationId: 'seoul', choice: null }, 381);
  log.add('decision.ballot_cast', { decisionId: 'd2', delegationId: 'montreal', choice: null }, 382);
  log.add('decision.closed', { decisionId: 'd2', outcome: 'adopted', closedBy: 'chair', entitled: ['barcelona', 'montreal', 'seoul'], tally: { yes: 1, no: 0, abstain: 1 }, quorum: QUORUM }, 390);
  log.add('document.adopted', { documentId: 'doc', textHash: 'a'.repeat(64) }, 400);
  log.add('session.status_changed', { from: 'live', to: 'closed' }, 430);
  return log.events;
}

const FACTS: TMinutesFacts = {
  sessionTitle: 'Plenary',
  negotiationTitle: 'Metropolis <Annual> Meeting',
  delegations: [
    { id: 'montreal', name: 'Montréal', kind: 'city', status: 'member' },
    { id: 'seoul', name: 'Seoul', kind: 'city', status: 'member' },
    { id: 'barcelona', name: 'Barcelona <script>alert(1)</script>', kind: 'region', status: 'member' },
  ],
  people: [
    { userId: 'chair', name: 'The Chair' },
    { userId: 'head.montreal', name: 'Mayor of Montréal' },
    { userId: 'head.seoul', name: 'Mayor of Seoul' },
    { userId: 'head.barcelona', name: 'Mayor of Barcelona' },
  ],
  amendments: [
    { id: 'am1', documentId: 'doc', documentTitle: 'Declaration', pid: 'p2', kind: 'replace', originalText: 'Resolve to…', proposedText: 'Resolve *firmly* to <b>act</b>', delegationId: 'seoul', sponsorIds: ['montreal'] },
    { id: 'am2', documentId: 'doc', documentTitle: 'Declaration', pid: 'p3', kind: 'delete', originalText: 'Call upon', proposedText: '', delegationId: 'barcelona', sponsorIds: [] },
  ],
  adoptions: [
    {
      documentId: 'doc',
      title: 'Declaration',
      textHash: 'a'.repeat(64),
      blocks: [{ pid: 'p1', type: 'paragraph', level: 0, kind: 'operative', runs: [{ text: 'Commit to act.', bold: false, italic: false }] }],
      signatures: [{ delegationId: 'seoul', signerName: 'Mayor of Seoul', signedAt: T0 + 500_000 }],
    },
  ],
  paragraphs: [
    { documentId: 'doc', pid: 'p1', status: 'agreed_ad_ref' },
    { documentId: 'doc', pid: 'p2', status: 'agreed' },
    { documentId: 'doc', pid: 'p3', status: 'pending' },
    { documentId: 'doc', pid: 'p4', status: 'agreed' },
  ],
  labels: [
    { documentId: 'doc', pid: 'p1', label: 'PP 1' },
    { documentId: 'doc', pid: 'p2', label: 'OP 1' },
    { documentId: 'doc', pid: 'p3', label: 'OP 2' },
  ],
};

const text = (blocks: ReturnType<typeof minutesBlocks>) => blocks.map((block) => block.runs.map((run) => run.text).join(''));

describe('minutes from the log', () => {
  const events = recordedSession();
  const minutes = buildMinutes('session', events);

  test('attendance by delegation with every stay, and the session’s hours', () => {
    assert.equal(minutes.openedAt, T0 + 60_000);
    assert.equal(minutes.closedAt, T0 + 430_000);
    const montreal = minutes.attendance.find((group) => group.delegationId === 'montreal');
    assert.deepEqual(montreal?.people, [
      {
        userId: 'head.montreal',
        role: 'head',
        intervals: [
          { from: T0 + 61_000, to: T0 + 200_000 },
          { from: T0 + 260_000, to: T0 + 430_000 },
        ],
      },
    ]);
    assert.deepEqual(minutes.attendance.find((group) => group.delegationId === null)?.people.map((person) => person.userId), ['chair']);
  });

  test('speeches last what the timer counted (a pause does not count; closing ends the running one)', () => {
    assert.deepEqual(
      minutes.speeches.map(({ speechId, delegationId, seconds, endedAt }) => ({ speechId, delegationId, seconds, endedAt })),
      [
        { speechId: 's1', delegationId: 'seoul', seconds: 90, endedAt: T0 + 190_000 },
        { speechId: 's2', delegationId: 'montreal', seconds: 120, endedAt: T0 + 430_000 },
      ],
    );
    assert.equal(clockDuration(90), '1:30');
    assert.equal(clockDuration(3_725), '1:02:05');
  });

  test('agenda, amendments with their fate, decisions with method and result', () => {
    assert.deepEqual(minutes.agenda.map((item) => [item.title, item.takenUpAt, item.doneAt]), [
      ['Opening', T0 + 65_000, T0 + 300_000],
      ['First reading', T0 + 300_000, null],
      ['Any other business', null, null],
    ]);
    assert.deepEqual(minutes.amendments.map((amendment) => [amendment.amendmentId, amendment.fate]), [
      ['am1', 'pending'],
      ['am2', 'rejected'],
    ]);
    assert.deepEqual(minutes.decisions.map((question) => [question.decisionId, question.result?.outcome]), [
      ['d1', 'adopted'],
      ['d2', 'adopted'],
    ]);
  });

  test('the generated text: roll-call by delegation, secret ballot by totals only, adopted text and signatories', () => {
    const lines = text(minutesBlocks(minutes, FACTS, t));
    assert.equal(lines[0], 'Minutes — Plenary');
    assert.ok(lines.includes('Held on 2030-01-01, opened at 09:01 and closed at 09:07 (times in UTC).'));
    assert.ok(lines.includes('Mayor of Montréal (Head of delegation): 09:01–09:03, 09:04–09:07'));
    assert.ok(lines.includes('09:01 — Seoul, Mayor of Seoul (statement): 1:30'));
    // [M7] A log recorded before S80 may name no speaker for a floor given directly: the delegation alone.
    assert.ok(lines.includes('09:05 — Montréal (statement): 2:00'));
    assert.ok(!lines.some((line) => line.includes('(unknown)')), 'nobody is "(unknown)"');
    assert.ok(lines.includes('2. First reading — taken up at 09:05, left at —'));
    assert.ok(lines.includes('Seoul — replacement, OP 1 of “Declaration”: “Resolve *firmly* to <b>act</b>” — not decided in this session'));
    assert.ok(lines.includes('Co-sponsored by Montréal'));
    assert.ok(lines.includes('Seoul: yes'));
    assert.ok(lines.includes('Barcelona <script>alert(1)</script>: no'));
    assert.ok(lines.includes('Yes 1, no 0, abstentions 1 (3 delegations entitled).'));
    const secret = lines.slice(lines.findIndex((line) => line.startsWith('Procedural question')));
    assert.ok(!secret.some((line) => /: (yes|no|abstention)$/.test(line)), 'no choice by delegation for a secret ballot');
    assert.ok(lines.includes('OP 1 Commit to act.'), 'the adopted text’s paragraphs open with their labels (M9)');
    assert.ok(lines.some((line) => line.startsWith('Seoul — signed by Mayor of Seoul on 2030-01-01')));
  });

  test('Markdown round trip: the draft parses back to the same blocks; exports escape names and texts', () => {
    const blocks = minutesBlocks(minutes, FACTS, t);
    const markdown = toMarkdown(blocks);
    const parsed = parseMinutesMarkdown(markdown);
    assert.deepEqual(text(parsed), text(blocks));
    assert.deepEqual(parsed.map((block) => [block.type, block.level, block.kind]), blocks.map((block) => [block.type, block.level, block.kind]));
    const html = toPrintableHtml('Minutes', parsed);
    assert.ok(!html.includes('<script>alert'), 'a delegation name is never markup');
    assert.ok(html.includes('Barcelona &lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(html.includes('&lt;b&gt;act&lt;/b&gt;'));
  });

  test('inline Markdown: bold, italic and escapes; other markup stays text', () => {
    assert.deepEqual(parseMinutesMarkdown('Some **bold** and *it* \\*not\\* <i>x</i>')[0]?.runs, [
      { text: 'Some ', bold: false, italic: false },
      { text: 'bold', bold: true, italic: false },
      { text: ' and ', bold: false, italic: false },
      { text: 'it', bold: false, italic: true },
      { text: ' *not* <i>x</i>', bold: false, italic: false },
    ]);
    assert.deepEqual(
      parseMinutesMarkdown('# Title\n\n- a\n1. b\n> c\n3\\. d\nline one\nline two').map((block) => [block.type, block.level, block.kind, block.runs[0]?.text]),
      [
        ['heading', 1, null, 'Title'],
        ['bullet', 0, null, 'a'],
        ['numbered', 0, null, 'b'],
        ['quote', 0, null, 'c'],
        ['paragraph', 0, null, '3. d'],
        ['paragraph', 0, null, 'line one line two'],
      ],
    );
  });
});

describe('session analytics', () => {
  const events = recordedSession();
  const analytics = sessionAnalytics(events, buildMinutes('session', events), FACTS);

  test('speaking time by delegation and by stakeholder type (the actor’s kind)', () => {
    assert.deepEqual(analytics.speakingByDelegation, [
      { delegationId: 'montreal', seconds: 120, speeches: 1 },
      { delegationId: 'seoul', seconds: 90, speeches: 1 },
    ]);
    assert.deepEqual(analytics.speakingByStakeholder, [{ group: 'city', seconds: 210 }]);
  });

  test('floor requests: granted, waiting, withdrawn; a skip is counted apart', () => {
    assert.deepEqual(analytics.floorRequests.totals, { granted: 1, waiting: 1, withdrawn: 1, removed: 0 });
    assert.equal(analytics.skippedRequests, 1);
    assert.deepEqual(analytics.floorRequests.byDelegation.find((entry) => entry.delegationId === 'barcelona'), { delegationId: 'barcelona', granted: 0, waiting: 1, withdrawn: 0, removed: 0 });
  });

  test('amendments per delegation by fate', () => {
    assert.deepEqual(analytics.amendmentsByDelegation, [
      { delegationId: 'seoul', accepted: 0, rejected: 0, withdrawn: 0, pending: 1 },
      { delegationId: 'barcelona', accepted: 0, rejected: 1, withdrawn: 0, pending: 0 },
    ]);
  });

  test('share of paragraphs agreed over time, from the statuses when the session began', () => {
    // p1 and p2 were pending at the start; p3 is pending and p4 agreed (unchanged in the session).
    assert.equal(analytics.paragraphCount, 4);
    assert.deepEqual(analytics.agreedOverTime, [
      { at: T0 + 60_000, agreed: 0.25, agreedAdRef: 0 },
      { at: T0 + 350_000, agreed: 0.25, agreedAdRef: 0.25 },
      { at: T0 + 371_000, agreed: 0.5, agreedAdRef: 0.25 },
    ]);
  });

  test('an empty log has no speeches, requests or series', () => {
    const empty = sessionAnalytics([], buildMinutes('session', []), FACTS);
    assert.deepEqual(empty.speakingByDelegation, []);
    assert.deepEqual(empty.floorRequests.totals, { granted: 0, waiting: 0, withdrawn: 0, removed: 0 });
    assert.deepEqual(empty.agreedOverTime, []);
  });
});

describe('who spoke, for how long, on which paragraph: one record, one figure, one label', () => {
  /** Two speeches of Seoul of 122.6 s each, one of Montréal of 31.6 s: figures where two roundings would differ. */
  function speeches() {
    const log = logOf();
    log.add('session.status_changed', { from: 'scheduled', to: 'live' }, 0);
    const speech = (speechId: string, delegationId: string, userId: string, from: number, seconds: number) => {
      log.add('floor.granted', { speechId, requestId: null, kind: 'regular', userId, delegationId, limitSeconds: 300, warningSeconds: 30 }, from);
      log.add('speech.started', { speechId }, from);
      log.add('speech.ended', { speechId }, from + seconds);
    };
    speech('a', 'seoul', 'head.seoul', 10, 122.6);
    speech('b', 'seoul', 'head.seoul', 200, 122.6);
    // [S81] The chair gives Montréal the floor: its head by default, who hands it to a colleague.
    log.add('floor.granted', { speechId: 'c', requestId: null, kind: 'regular', userId: 'head.montreal', delegationId: 'montreal', limitSeconds: 300, warningSeconds: 30 }, 400);
    log.add('floor.speaker_designated', { speechId: 'c', userId: 'delegate.montreal' }, 401);
    log.add('speech.started', { speechId: 'c' }, 401);
    log.add('speech.ended', { speechId: 'c' }, 432.6);
    log.add('decision.opened', { decisionId: 'd', subject: SUBJECT, method: 'majority', ballot: 'roll_call', deadline: null, quorum: QUORUM }, 500);
    return log.events;
  }
  const events = speeches();
  const minutes = buildMinutes('session', events);
  const facts: TMinutesFacts = { ...FACTS, people: [...FACTS.people, { userId: 'delegate.montreal', name: 'Delegate of Montréal' }] };
  const lines = text(minutesBlocks(minutes, facts, t));
  const analytics = sessionAnalytics(events, minutes, facts);

  test('[M7][S81] the minutes name the designated speaker of a floor given directly', () => {
    assert.ok(lines.includes('09:06 — Montréal, Delegate of Montréal (statement): 0:32'), lines.join('\n'));
  });

  test('[M8] each speech rounds once; the minutes’ totals and the chart data are the same sums of the same seconds', () => {
    assert.deepEqual(minutes.speeches.map((speech) => speech.seconds), [123, 123, 32]);
    assert.deepEqual(analytics.speakingByDelegation, [
      { delegationId: 'seoul', seconds: 246, speeches: 2 },
      { delegationId: 'montreal', seconds: 32, speeches: 1 },
    ]);
    for (const entry of analytics.speakingByDelegation) {
      const name = FACTS.delegations.find((delegation) => delegation.id === entry.delegationId)?.name;
      const line = `${name}: ${clockDuration(entry.seconds)} (${entry.speeches} ${entry.speeches === 1 ? 'speech' : 'speeches'})`;
      assert.ok(lines.includes(line), `the minutes say “${line}”`);
    }
    assert.ok(lines.includes('Seoul: 4:06 (2 speeches)'), 'two speeches of 2:03 are 4:06, not the 4:05 of rounding their sum');
    assert.ok(lines.includes('Montréal: 0:32 (1 speech)'));
  });

  test('[M9] a question on a paragraph names it by its label', () => {
    assert.ok(lines.some((line) => line.startsWith('OP 1 of “Declaration”: “Resolve to…” — simple majority, roll-call')), lines.join('\n'));
  });
});
