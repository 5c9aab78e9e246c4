import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TSessionEventPayload, TSessionEventType } from '../events';
import { ballotOutcome, entitledDelegations, openQuestion, tallyOf, voterRefusal, type TVoter } from './decisions';
import { foldSessionRoom } from './reduce';
import type { TRoomEvent } from './state';

const SESSION = 'session-1';
const T0 = Date.UTC(2030, 0, 1, 9, 0, 0);
const CHAIR = { userId: 'chair', role: 'chair', delegationId: null };

/** A live session with two member delegations and one observer delegation, and a log to extend. */
function liveSession() {
  const events: TRoomEvent[] = [];
  const add = <Type extends TSessionEventType>(type: Type, payload: TSessionEventPayload<Type>, seconds = 0, author: Partial<TRoomEvent> = {}) => {
    events.push({ seq: events.length + 1, at: T0 + seconds * 1000, userId: null, delegationId: null, role: null, type, payload, ...author });
  };
  add('session.scheduled', { title: 'Plenary', scheduledStart: T0 });
  add('quorum.roster_recorded', {
    rule: 'majority',
    delegations: [
      { delegationId: 'seoul', status: 'member' },
      { delegationId: 'montreal', status: 'member' },
      { delegationId: 'un-habitat', status: 'observer' },
    ],
  });
  add('session.status_changed', { from: 'scheduled', to: 'live' });
  return { events, add, fold: () => foldSessionRoom(SESSION, events) };
}

const QUORUM = { present: 2, required: 2, members: 2 };
const PARAGRAPH = { kind: 'paragraph', documentId: 'doc', documentTitle: 'Declaration', pid: 'p1', excerpt: 'Cities commit…' } as const;

describe('decisions: results', () => {
  test('[S33] a simple majority needs more yes than no; abstentions do not count; nobody voting adopts nothing', () => {
    assert.equal(ballotOutcome('majority', { yes: 2, no: 1, abstain: 5 }), 'adopted');
    assert.equal(ballotOutcome('majority', { yes: 1, no: 1, abstain: 0 }), 'not_adopted', 'a tie is not a majority');
    assert.equal(ballotOutcome('majority', { yes: 0, no: 0, abstain: 3 }), 'not_adopted');
    assert.equal(ballotOutcome('majority', { yes: 1, no: 0, abstain: 6 }), 'adopted');
  });

  test('[S34] two thirds of those voting yes or no: at least twice as many yes as no', () => {
    assert.equal(ballotOutcome('two_thirds', { yes: 2, no: 1, abstain: 0 }), 'adopted', 'exactly two thirds');
    assert.equal(ballotOutcome('two_thirds', { yes: 3, no: 2, abstain: 0 }), 'not_adopted', '60 % is not enough');
    assert.equal(ballotOutcome('two_thirds', { yes: 4, no: 2, abstain: 10 }), 'adopted', 'abstentions change nothing');
    assert.equal(ballotOutcome('two_thirds', { yes: 0, no: 0, abstain: 1 }), 'not_adopted');
  });

  test('tallyOf counts a roll-call by choice', () => {
    assert.deepEqual(tallyOf([{ choice: 'yes' }, { choice: 'no' }, { choice: 'yes' }, { choice: 'abstain' }]), { yes: 2, no: 1, abstain: 1 });
  });
});

describe('decisions: who votes', () => {
  const state = () => {
    const log = liveSession();
    log.add('decision.voter_designated', { delegationId: 'seoul', userId: 'delegate-seoul' });
    return log.fold();
  };
  const voter = (overrides: Partial<TVoter>): TVoter => ({ userId: 'u', role: 'head', delegationId: 'seoul', delegationStatus: 'member', ...overrides });

  test('[S35] the head of a member delegation votes; observers, observer delegations and people without a delegation do not', () => {
    assert.equal(voterRefusal(state(), voter({})), null);
    assert.equal(voterRefusal(state(), voter({ delegationId: 'un-habitat', delegationStatus: 'observer' })), 'not_entitled');
    assert.equal(voterRefusal(state(), voter({ role: 'observer', delegationId: null, delegationStatus: null })), 'not_entitled');
    assert.equal(voterRefusal(state(), voter({ role: 'adviser' })), 'not_entitled');
    assert.equal(voterRefusal(state(), voter({ delegationId: 'not-in-roster' })), 'not_entitled');
    assert.deepEqual(entitledDelegations(state()), ['montreal', 'seoul']);
  });

  test('[S36] a delegate votes only when the head designated them; a new designation replaces the old, null revokes it', () => {
    assert.equal(voterRefusal(state(), voter({ role: 'delegate', userId: 'delegate-seoul' })), null);
    assert.equal(voterRefusal(state(), voter({ role: 'delegate', userId: 'another-delegate' })), 'not_designated');
    assert.equal(voterRefusal(state(), voter({ role: 'delegate', userId: 'delegate-seoul', delegationId: 'montreal' })), 'not_designated');
    const log = liveSession();
    log.add('decision.voter_designated', { delegationId: 'seoul', userId: 'first' });
    log.add('decision.voter_designated', { delegationId: 'seoul', userId: 'second' });
    assert.deepEqual(log.fold().decisions.voters, [{ delegationId: 'seoul', userId: 'second' }]);
    log.add('decision.voter_designated', { delegationId: 'seoul', userId: null });
    assert.deepEqual(log.fold().decisions.voters, []);
  });
});

describe('decisions: the reducer', () => {
  test('[S31][S38] a roll-call: choices public by delegation, the roll sorted, the result and the frozen entitled list from the close', () => {
    const log = liveSession();
    log.add('decision.opened', { decisionId: 'd1', subject: PARAGRAPH, method: 'majority', ballot: 'roll_call', deadline: null, quorum: QUORUM }, 10, CHAIR);
    log.add('decision.ballot_cast', { decisionId: 'd1', delegationId: 'seoul', choice: 'yes' }, 20);
    log.add('decision.ballot_cast', { decisionId: 'd1', delegationId: 'montreal', choice: 'no' }, 30);
    let question = openQuestion(log.fold());
    assert.equal(question?.openedAt, T0 + 10_000);
    assert.deepEqual(question?.putBy, CHAIR);
    assert.deepEqual(question?.voted, ['montreal', 'seoul'], 'who voted, sorted, not in the order cast');
    assert.deepEqual(question?.choices, [
      { delegationId: 'seoul', choice: 'yes' },
      { delegationId: 'montreal', choice: 'no' },
    ]);
    log.add('decision.closed', { decisionId: 'd1', outcome: 'not_adopted', closedBy: 'chair', entitled: ['montreal', 'seoul'], tally: { yes: 1, no: 1, abstain: 0 }, quorum: QUORUM }, 40);
    const state = log.fold();
    assert.equal(openQuestion(state), null);
    question = state.decisions.questions[0]!;
    assert.equal(question.status, 'closed');
    assert.deepEqual(question.result, { closedAt: T0 + 40_000, outcome: 'not_adopted', closedBy: 'chair', entitled: ['montreal', 'seoul'], tally: { yes: 1, no: 1, abstain: 0 }, quorum: QUORUM });
    assert.equal(question.application, null, 'nothing to carry into the text');
  });

  test('[S39][T38] a secret ballot keeps who voted and never how', () => {
    const log = liveSession();
    log.add('decision.opened', { decisionId: 'd1', subject: { kind: 'procedural', text: 'Adjourn' }, method: 'majority', ballot: 'secret', deadline: null, quorum: QUORUM }, 0, CHAIR);
    log.add('decision.ballot_cast', { decisionId: 'd1', delegationId: 'seoul', choice: null });
    const question = openQuestion(log.fold())!;
    assert.deepEqual(question.voted, ['seoul']);
    assert.deepEqual(question.choices, []);
    assert.doesNotMatch(JSON.stringify(log.fold()), /"(yes|no|abstain)"/);
  });

  test('[S40] an objection with its reason, then the close; an adopted paragraph waits to reach the text, then is applied or failed', () => {
    const log = liveSession();
    log.add('decision.opened', { decisionId: 'd1', subject: PARAGRAPH, method: 'consensus', ballot: null, deadline: T0 + 600_000, quorum: QUORUM }, 0, CHAIR);
    log.add('decision.objected', { decisionId: 'd1', delegationId: 'montreal', reason: 'The target year is too late.' }, 60, { userId: 'head-montreal' });
    log.add('decision.closed', { decisionId: 'd1', outcome: 'not_adopted', closedBy: 'objection', entitled: ['montreal', 'seoul'], tally: null, quorum: QUORUM }, 60);
    const broken = log.fold().decisions.questions[0]!;
    assert.deepEqual(broken.objection, { delegationId: 'montreal', userId: 'head-montreal', reason: 'The target year is too late.', at: T0 + 60_000 });
    assert.equal(broken.application, null);

    log.add('decision.opened', { decisionId: 'd2', subject: PARAGRAPH, method: 'consensus', ballot: null, deadline: T0 + 700_000, quorum: QUORUM }, 100, CHAIR);
    log.add('decision.closed', { decisionId: 'd2', outcome: 'adopted', closedBy: 'deadline', entitled: ['montreal', 'seoul'], tally: null, quorum: QUORUM }, 700);
    assert.deepEqual(log.fold().decisions.questions[1]?.application, { status: 'pending' });
    log.add('decision.outcome_applied', { decisionId: 'd2', documentSeq: null }, 701);
    assert.deepEqual(log.fold().decisions.questions[1]?.application, { status: 'applied', documentSeq: null });

    log.add('decision.opened', { decisionId: 'd3', subject: PARAGRAPH, method: 'majority', ballot: 'roll_call', deadline: null, quorum: QUORUM }, 800, CHAIR);
    log.add('decision.closed', { decisionId: 'd3', outcome: 'adopted', closedBy: 'chair', entitled: ['seoul'], tally: { yes: 1, no: 0, abstain: 0 }, quorum: QUORUM }, 810);
    log.add('decision.outcome_failed', { decisionId: 'd3', reason: 'paragraph_missing' }, 811);
    assert.deepEqual(log.fold().decisions.questions[2]?.application, { status: 'failed', reason: 'paragraph_missing' });
  });

  test('[S46] closing the session lapses the open question: no result, no tally', () => {
    const log = liveSession();
    log.add('decision.opened', { decisionId: 'd1', subject: PARAGRAPH, method: 'two_thirds', ballot: 'secret', deadline: null, quorum: QUORUM }, 0, CHAIR);
    log.add('session.status_changed', { from: 'live', to: 'closed' }, 30);
    const question = log.fold().decisions.questions[0]!;
    assert.equal(question.status, 'closed');
    assert.equal(question.result?.outcome, 'lapsed');
    assert.equal(question.result?.closedBy, 'session_closed');
    assert.equal(question.result?.tally, null);
    assert.deepEqual(question.result?.entitled, ['montreal', 'seoul']);
  });

  test('events naming an unknown question change nothing but the seq', () => {
    const log = liveSession();
    const before = log.fold();
    log.add('decision.ballot_cast', { decisionId: 'nope', delegationId: 'seoul', choice: 'yes' });
    log.add('decision.closed', { decisionId: 'nope', outcome: 'adopted', closedBy: 'chair', entitled: [], tally: null, quorum: QUORUM });
    const after = log.fold();
    assert.deepEqual({ ...after, seq: before.seq }, before);
  });
});
