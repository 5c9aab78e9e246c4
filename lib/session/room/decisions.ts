/**
 * Decisions in the session room (docs/PROTOCOL.md S30–S49): the question the chair puts, how it is
 * decided, who may vote, and how a result follows from the ballots. Runs anywhere: the reducer, the
 * server's command handlers and the browser's panel all ask these same rules.
 */
import { z } from 'zod';
import type { TDelegationStatus, TRole } from '../../shared/domain';
import type { TRoomRefusal } from './commands';
import { quorumOf } from './quorum';
import type { TSessionRoomState } from './state';

export const DECISION_METHODS = ['consensus', 'majority', 'two_thirds'] as const;
export type TDecisionMethod = (typeof DECISION_METHODS)[number];

/** Roll-call: each delegation's choice is public. Secret: the record says who voted, never how. */
export const BALLOT_KINDS = ['roll_call', 'secret'] as const;
export type TBallotKind = (typeof BALLOT_KINDS)[number];

export const BALLOT_CHOICES = ['yes', 'no', 'abstain'] as const;
export const ZBallotChoice = z.enum(BALLOT_CHOICES);
export type TBallotChoice = z.infer<typeof ZBallotChoice>;

/** What a `decision.closed` event may say; `lapsed` is the reducer's, for a session closed first. */
export const DECISION_OUTCOMES = ['adopted', 'not_adopted', 'no_quorum', 'withdrawn'] as const;
export type TDecisionOutcome = (typeof DECISION_OUTCOMES)[number] | 'lapsed';

/** How a question came to be closed (`session_closed`: the reducer's, like `lapsed`). */
export const CLOSED_BY = ['chair', 'deadline', 'objection'] as const;
export type TClosedBy = (typeof CLOSED_BY)[number] | 'session_closed';

/** Why an adopted outcome could not be carried into the text (the decision itself stands). */
export const OUTCOME_FAILURES = ['paragraph_missing', 'amendment_decided', 'document_adopted', 'document_missing', 'paragraph_agreed'] as const;
export type TOutcomeFailure = (typeof OUTCOME_FAILURES)[number];

/**
 * What a question is about, as the server recorded it when the question was put: the ids, and the
 * labels read from the stored text then, so the record still says what was decided after the text
 * changes. Never taken from the client beyond the ids (and a procedural question's wording).
 */
export const ZDecisionSubject = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('paragraph'), documentId: z.string(), documentTitle: z.string(), pid: z.string(), excerpt: z.string() }),
  z.strictObject({
    kind: z.literal('amendment'),
    documentId: z.string(),
    documentTitle: z.string(),
    amendmentId: z.string(),
    amendmentKind: z.enum(['replace', 'insert', 'delete']),
    delegationId: z.string(),
    excerpt: z.string(),
  }),
  z.strictObject({ kind: z.literal('document'), documentId: z.string(), documentTitle: z.string() }),
  z.strictObject({ kind: z.literal('procedural'), text: z.string() }),
]);
export type TDecisionSubject = z.infer<typeof ZDecisionSubject>;

export const ZTally = z.strictObject({ yes: z.number().int().min(0), no: z.number().int().min(0), abstain: z.number().int().min(0) });
export type TTally = z.infer<typeof ZTally>;

/** The quorum as it stood when a question was put or closed (S17). */
export const ZQuorumSnapshot = z.strictObject({ present: z.number().int().min(0), required: z.number().int().min(0), members: z.number().int().min(0) });
export type TQuorumSnapshot = z.infer<typeof ZQuorumSnapshot>;

export interface TDecisionResult {
  closedAt: number;
  outcome: TDecisionOutcome;
  closedBy: TClosedBy;
  /** The member delegations entitled to vote, frozen at the close (S38). */
  entitled: string[];
  /** Ballot methods: the count by choice, revealed only here for a secret ballot. */
  tally: TTally | null;
  quorum: TQuorumSnapshot;
}

export interface TQuestion {
  decisionId: string;
  subject: TDecisionSubject;
  method: TDecisionMethod;
  /** Null for consensus (objections are public by nature). */
  ballot: TBallotKind | null;
  openedAt: number;
  /** Consensus: when the silence procedure ends and the server closes it. */
  deadline: number | null;
  /** Who put the question; the text change of an adopted outcome is recorded in their name. */
  putBy: { userId: string | null; role: string | null; delegationId: string | null };
  status: 'open' | 'closed';
  /** Delegations that voted (or objected), sorted by id: a count and a roll, never an order (T38). */
  voted: string[];
  /** Roll-call choices by delegation, in the order cast; always empty for a secret ballot. */
  choices: { delegationId: string; choice: TBallotChoice }[];
  objection: { delegationId: string; userId: string | null; reason: string; at: number } | null;
  result: TDecisionResult | null;
  /** Carrying an adopted paragraph, amendment or document into the text (S41). */
  application: { status: 'pending' } | { status: 'applied'; documentSeq: number | null } | { status: 'failed'; reason: TOutcomeFailure } | null;
}

export interface TDecisionsState {
  /** Every question of the session in the order put; at most one is open. */
  questions: TQuestion[];
  /** S36: the delegate each member delegation's head designated as its voter. */
  voters: { delegationId: string; userId: string }[];
}

export const EMPTY_DECISIONS: TDecisionsState = { questions: [], voters: [] };

/** The question open now, if any (one at a time, S31). */
export function openQuestion(state: TSessionRoomState): TQuestion | null {
  return state.decisions.questions.find((question) => question.status === 'open') ?? null;
}

/** The member delegations of the roster: who may vote or object, sorted (S35). */
export function entitledDelegations(state: TSessionRoomState): string[] {
  return state.attendance.roster
    .filter((entry) => entry.status === 'member')
    .map((entry) => entry.delegationId)
    .sort();
}

/** The delegate a delegation's head designated as voter, if any. */
export function designatedVoter(state: TSessionRoomState, delegationId: string): string | null {
  return state.decisions.voters.find((entry) => entry.delegationId === delegationId)?.userId ?? null;
}

/** Who asks to vote, as the database says (server) or as the room's view says (browser). */
export interface TVoter {
  userId: string;
  role: TRole | null;
  delegationId: string | null;
  delegationStatus: TDelegationStatus | null;
}

/**
 * S35, S36: whether this person may cast their delegation's ballot or objection. Only for a member
 * delegation of the roster, and only its head or the delegate the head designated. Null: they may.
 */
export function voterRefusal(state: TSessionRoomState, voter: TVoter): TRoomRefusal | null {
  const { delegationId } = voter;
  if (delegationId === null || voter.delegationStatus !== 'member' || !entitledDelegations(state).includes(delegationId)) return 'not_entitled';
  if (voter.role === 'head') return null;
  if (voter.role === 'delegate') return designatedVoter(state, delegationId) === voter.userId ? null : 'not_designated';
  return 'not_entitled';
}

/** The count of a roll-call's choices. */
export function tallyOf(choices: readonly { choice: TBallotChoice }[]): TTally {
  const tally: TTally = { yes: 0, no: 0, abstain: 0 };
  for (const { choice } of choices) tally[choice] += 1;
  return tally;
}

/**
 * S33, S34: abstentions do not count. A simple majority needs more yes than no; two thirds needs at
 * least twice as many yes as no. Either needs at least one yes (nobody voting adopts nothing).
 */
export function ballotOutcome(method: Exclude<TDecisionMethod, 'consensus'>, tally: TTally): 'adopted' | 'not_adopted' {
  if (tally.yes === 0) return 'not_adopted';
  const adopted = method === 'majority' ? tally.yes > tally.no : tally.yes >= 2 * tally.no;
  return adopted ? 'adopted' : 'not_adopted';
}

/** The quorum now, as recorded with a question (S17). */
export function quorumSnapshot(state: TSessionRoomState): TQuorumSnapshot {
  const { present, required, members } = quorumOf(state);
  return { present, required, members };
}

/** Whether a subject changes the text or a status when adopted (a procedural question does not). */
export function changesTheText(subject: TDecisionSubject): boolean {
  return subject.kind !== 'procedural';
}
