/**
 * What each decision event does to the room (S30–S49). Pure like the rest of the reducer: times come
 * from `event.at`, results from the payloads the server computed when it closed a question.
 */
import { changesTheText, entitledDelegations, quorumSnapshot, type TQuestion } from './decisions';
import type { THandler } from './reduce';
import type { TSessionRoomState } from './state';

type TDecisionEventType =
  | 'decision.opened'
  | 'decision.voter_designated'
  | 'decision.ballot_cast'
  | 'decision.objected'
  | 'decision.closed'
  | 'decision.outcome_applied'
  | 'decision.outcome_failed';

/** Applies `change` to the question the event names; an unknown id changes nothing. */
function onQuestion(state: TSessionRoomState, decisionId: string, change: (question: TQuestion) => TQuestion): TSessionRoomState {
  if (!state.decisions.questions.some((question) => question.decisionId === decisionId)) return state;
  const questions = state.decisions.questions.map((question) => (question.decisionId === decisionId ? change(question) : question));
  return { ...state, decisions: { ...state.decisions, questions } };
}

/** Adds a delegation to a question's sorted roll of those who voted. */
function withVoted(question: TQuestion, delegationId: string): string[] {
  return question.voted.includes(delegationId) ? question.voted : [...question.voted, delegationId].sort();
}

/** S46: a question still open when the session closes lapses without a result. */
export function lapseOpenQuestion(state: TSessionRoomState, at: number): TSessionRoomState {
  const open = state.decisions.questions.find((question) => question.status === 'open');
  if (!open) return state;
  return onQuestion(state, open.decisionId, (question) => ({
    ...question,
    status: 'closed',
    result: {
      closedAt: at,
      outcome: 'lapsed',
      closedBy: 'session_closed',
      entitled: entitledDelegations(state),
      tally: null,
      quorum: quorumSnapshot(state),
    },
  }));
}

export const DECISION_HANDLERS: { [Type in TDecisionEventType]: THandler<Type> } = {
  'decision.opened': (state, { payload, at, userId, role, delegationId }) => ({
    ...state,
    decisions: {
      ...state.decisions,
      questions: [
        ...state.decisions.questions,
        {
          decisionId: payload.decisionId,
          subject: payload.subject,
          method: payload.method,
          ballot: payload.ballot,
          openedAt: at,
          deadline: payload.deadline,
          putBy: { userId, role, delegationId },
          status: 'open',
          voted: [],
          choices: [],
          objection: null,
          result: null,
          application: null,
        },
      ],
    },
  }),
  'decision.voter_designated': (state, { payload }) => {
    const others = state.decisions.voters.filter((entry) => entry.delegationId !== payload.delegationId);
    const voters = payload.userId === null ? others : [...others, { delegationId: payload.delegationId, userId: payload.userId }];
    return { ...state, decisions: { ...state.decisions, voters } };
  },
  'decision.ballot_cast': (state, { payload }) =>
    onQuestion(state, payload.decisionId, (question) => ({
      ...question,
      voted: withVoted(question, payload.delegationId),
      // A secret ballot's event has no choice to keep; a roll-call's is public.
      choices: payload.choice === null ? question.choices : [...question.choices, { delegationId: payload.delegationId, choice: payload.choice }],
    })),
  'decision.objected': (state, { payload, at, userId }) =>
    onQuestion(state, payload.decisionId, (question) => ({
      ...question,
      voted: withVoted(question, payload.delegationId),
      objection: { delegationId: payload.delegationId, userId, reason: payload.reason, at },
    })),
  'decision.closed': (state, { payload, at }) =>
    onQuestion(state, payload.decisionId, (question) => ({
      ...question,
      status: 'closed',
      result: { closedAt: at, outcome: payload.outcome, closedBy: payload.closedBy, entitled: payload.entitled, tally: payload.tally, quorum: payload.quorum },
      application: payload.outcome === 'adopted' && changesTheText(question.subject) ? { status: 'pending' } : null,
    })),
  'decision.outcome_applied': (state, { payload }) =>
    onQuestion(state, payload.decisionId, (question) => ({ ...question, application: { status: 'applied', documentSeq: payload.documentSeq } })),
  'decision.outcome_failed': (state, { payload }) =>
    onQuestion(state, payload.decisionId, (question) => ({ ...question, application: { status: 'failed', reason: payload.reason } })),
};
