/**
 * Decisions (docs/PROTOCOL.md S30–S49): the chair puts a question and closes it, heads designate
 * their voters, member delegations vote or break the silence. Every check runs here, against the
 * room folded to the log's head and the sender as the database has them; the browser only hides
 * what these would refuse.
 */
import { findAmendment } from '../../../db/repositories/amendments';
import { insertDecisionVoter, insertSecretBallot, tallySecretBallots } from '../../../db/repositories/decisions';
import { findLiveDocument, type TLiveDocument } from '../../../db/repositories/documents';
import { findMembership } from '../../../db/repositories/negotiations';
import type { Queryable } from '../../../db';
import { findParagraph, paragraphText } from '../../../documents/paragraph-edit';
import type { TSessionCommandInput } from '../../../session/room/commands';
import {
  ballotOutcome,
  designatedVoter,
  entitledDelegations,
  openQuestion,
  quorumSnapshot,
  tallyOf,
  voterRefusal,
  type TDecisionSubject,
  type TQuestion,
  type TTally,
} from '../../../session/room/decisions';
import type { TSessionRoomState } from '../../../session/room/state';
import type { TSessionEventPayload } from '../../../session/events';

type TEventPayload = TSessionEventPayload<'decision.closed'>;
import { quorumOf } from '../../../session/room/quorum';
import { readStoredDocument } from '../../documents/read-document';
import { proposeEvent } from '../record-event';
import {
  accept,
  refuse,
  statusRefusal,
  type TCommandContext,
  type TCommandHandlers,
  type TDecision,
  type TServerContext,
} from './command-registry';
import { sessionIsOver } from '../../../shared/domain';

/** How much of a paragraph the record keeps to say which one was decided. */
const EXCERPT_LENGTH = 160;

function excerptOf(text: string): string {
  return text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH - 1)}…` : text;
}

/** A paragraph's text in the stored (acknowledged) document, or null when it is not there. */
async function storedParagraphText(tx: Queryable, documentId: string, pid: string): Promise<string | null> {
  const doc = await readStoredDocument(tx, documentId);
  try {
    const paragraph = findParagraph(doc, pid);
    return paragraph ? paragraphText(paragraph) : null;
  } finally {
    doc.destroy();
  }
}

type TSubjectInput = TSessionCommandInput<'decision.put'>['subject'];

/**
 * S32: the subject as the record keeps it, read from the database: a document of this negotiation
 * that is not adopted yet, a paragraph of its stored text, or an amendment still proposed.
 */
async function resolveSubject(tx: Queryable, negotiationId: string, input: TSubjectInput): Promise<TDecisionSubject | 'not_found' | 'subject_unavailable'> {
  if (input.kind === 'procedural') return { kind: 'procedural', text: input.text };
  const document: TLiveDocument | undefined = await findLiveDocument(tx, input.documentId);
  if (!document || document.negotiationId !== negotiationId) return 'not_found';
  if (document.draftingMode === 'adopted') return 'subject_unavailable';
  const about = { documentId: document.id, documentTitle: document.title };
  switch (input.kind) {
    case 'document':
      return { kind: 'document', ...about };
    case 'paragraph': {
      const text = await storedParagraphText(tx, document.id, input.pid);
      return text === null ? 'not_found' : { kind: 'paragraph', ...about, pid: input.pid, excerpt: excerptOf(text) };
    }
    case 'amendment': {
      const amendment = await findAmendment(tx, document.id, input.amendmentId);
      if (!amendment) return 'not_found';
      if (amendment.status !== 'proposed') return 'subject_unavailable';
      return {
        kind: 'amendment',
        ...about,
        amendmentId: amendment.id,
        amendmentKind: amendment.kind,
        delegationId: amendment.delegationId,
        excerpt: excerptOf(amendment.kind === 'delete' ? amendment.originalText : amendment.proposedText),
      };
    }
  }
}

/** Runs `decide` on an open question of the room (any open status of the session: S37). */
function onOpenQuestion(context: TServerContext, decisionId: string, decide: (question: TQuestion) => TDecision | Promise<TDecision>): TDecision | Promise<TDecision> {
  const blocked = statusRefusal(context.state.status, 'open');
  if (blocked) return refuse(blocked);
  const question = context.state.decisions.questions.find((candidate) => candidate.decisionId === decisionId);
  if (!question) return refuse('not_found');
  return question.status === 'closed' ? refuse('decision_closed') : decide(question);
}

/**
 * S35–S37: the checks every ballot and objection passes — the question open and of the right
 * method, a silence procedure not past its deadline, the sender entitled to act for their member
 * delegation (always the sender's own, from the database), and the delegation not counted yet.
 */
function castableBy(context: TCommandContext, question: TQuestion, ballot: boolean): { delegationId: string } | TDecision {
  const { actor, now } = context;
  if ((question.method === 'consensus') === ballot) return refuse('wrong_method');
  if (question.deadline !== null && now >= question.deadline) return refuse('decision_closed');
  const refusal = voterRefusal(context.state, actor);
  if (refusal || actor.delegationId === null) return refuse(refusal ?? 'not_entitled');
  if (question.voted.includes(actor.delegationId)) return refuse('already_voted');
  return { delegationId: actor.delegationId };
}

function isDecision(value: { delegationId: string } | TDecision): value is TDecision {
  return 'ok' in value;
}

/** The row that lets the database refuse a second act of the same delegation (T34). */
function recordVoter(context: TServerContext, decisionId: string, delegationId: string) {
  return (tx: Queryable) => insertDecisionVoter(tx, { sessionId: context.session.id, decisionId, delegationId });
}

/** S38: the close of a question, with the entitled delegations and the quorum frozen as they are now. */
function closedEvent(state: TSessionRoomState, decisionId: string, outcome: TEventPayload['outcome'], closedBy: TEventPayload['closedBy'], tally: TTally | null) {
  return proposeEvent('decision.closed', { decisionId, outcome, closedBy, entitled: entitledDelegations(state), tally, quorum: quorumSnapshot(state) });
}

/**
 * S38, S39: closes a ballot question. The tally of a secret ballot is read now and published with
 * the result; the entitled delegations are frozen; without a quorum there is no result.
 */
async function closeBallot(context: TServerContext, question: TQuestion): Promise<TDecision> {
  const { state, tx } = context;
  if (question.method === 'consensus') throw new Error('closeBallot: a consensus question has no ballots');
  const tally = question.ballot === 'secret' ? await tallySecretBallots(tx, question.decisionId) : tallyOf(question.choices);
  const outcome = quorumOf(state).met ? ballotOutcome(question.method, tally) : 'no_quorum';
  return accept([closedEvent(state, question.decisionId, outcome, 'chair', tally)], { decisionId: question.decisionId, outcome });
}

/**
 * S40: the server closes a silence procedure at its deadline, by itself: adopted, since an
 * objection would have closed it already. Quorum was checked when it was put; silence needs no
 * presence, so a restart that empties the room does not undo it. Anything else: nothing to do.
 */
export function closeAtDeadline(context: TServerContext, decisionId: string): TDecision {
  const { state, now } = context;
  const question = openQuestion(state);
  if (sessionIsOver(state.status) || !question || question.decisionId !== decisionId || question.deadline === null || now < question.deadline) {
    return accept([]);
  }
  return accept([closedEvent(state, decisionId, 'adopted', 'deadline', null)]);
}

type TDecisionCommand = 'decision.put' | 'decision.designate' | 'decision.vote' | 'decision.object' | 'decision.close' | 'decision.withdraw';

export const DECISION_COMMANDS: TCommandHandlers<TDecisionCommand> = {
  'decision.put': {
    action: 'decision.manage',
    async decide({ state, tx, session, now, newId }, input) {
      const blocked = statusRefusal(state.status, 'live');
      if (blocked) return refuse(blocked);
      if (openQuestion(state)) return refuse('question_open');
      if (!quorumOf(state).met) return refuse('no_quorum');
      const subject = await resolveSubject(tx, session.negotiationId, input.subject);
      if (typeof subject === 'string') return refuse(subject);
      const decisionId = newId();
      const consensus = input.method === 'consensus';
      return accept(
        [
          proposeEvent('decision.opened', {
            decisionId,
            subject,
            method: input.method,
            ballot: consensus ? null : input.ballot,
            deadline: consensus ? now + input.silenceSeconds * 1000 : null,
            quorum: quorumSnapshot(state),
          }),
        ],
        { decisionId },
      );
    },
  },
  'decision.designate': {
    action: 'decision.designate',
    async decide({ state, tx, session, actor }, { userId }) {
      const blocked = statusRefusal(state.status, 'open');
      if (blocked) return refuse(blocked);
      const delegationId = actor.delegationId;
      if (delegationId === null || actor.delegationStatus !== 'member' || !entitledDelegations(state).includes(delegationId)) return refuse('not_entitled');
      if (designatedVoter(state, delegationId) === userId) return refuse('invalid_transition');
      if (userId !== null) {
        // Only a delegate of the head's own delegation, as the database has it now.
        const designee = await findMembership(tx, session.negotiationId, userId);
        if (!designee || designee.role !== 'delegate' || designee.delegationId !== delegationId) return refuse('not_found');
      }
      return accept([proposeEvent('decision.voter_designated', { delegationId, userId })]);
    },
  },
  'decision.vote': {
    action: 'decision.vote',
    decide: (context, { decisionId, choice }) =>
      onOpenQuestion(context, decisionId, (question) => {
        const castable = castableBy(context, question, true);
        if (isDecision(castable)) return castable;
        const { delegationId } = castable;
        const secret = question.ballot === 'secret';
        const ballotId = context.newId();
        return {
          ok: true,
          // T38: a secret ballot's event says that the delegation voted, not how.
          events: [proposeEvent('decision.ballot_cast', { decisionId, delegationId, choice: secret ? null : choice })],
          result: { decisionId },
          alsoInTransaction: async (tx) => {
            await recordVoter(context, decisionId, delegationId)(tx);
            if (secret) await insertSecretBallot(tx, { decisionId, ballotId, choice });
          },
        };
      }),
    // T38: the stored command hash covers the question only; with the choice in it, hashing the
    // three possible choices would give a secret ballot away. A retry with another choice is still
    // the same ballot and gets the first acknowledgement.
    retryFingerprint: ({ decisionId }) => ({ decisionId }),
  },
  'decision.object': {
    action: 'decision.vote',
    decide: (context, { decisionId, reason }) =>
      onOpenQuestion(context, decisionId, (question) => {
        const castable = castableBy(context, question, false);
        if (isDecision(castable)) return castable;
        if (reason === '') return refuse('reason_required');
        const { delegationId } = castable;
        return {
          ok: true,
          // S40: one objection breaks the silence; the question closes with it, not adopted.
          events: [proposeEvent('decision.objected', { decisionId, delegationId, reason }), closedEvent(context.state, decisionId, 'not_adopted', 'objection', null)],
          result: { decisionId },
          alsoInTransaction: recordVoter(context, decisionId, delegationId),
        };
      }),
  },
  'decision.close': {
    action: 'decision.manage',
    decide: (context, { decisionId }) =>
      onOpenQuestion(context, decisionId, (question) => {
        if (question.method !== 'consensus') return closeBallot(context, question);
        // A silence procedure runs its full time; the chair may withdraw it instead.
        if (question.deadline !== null && context.now < question.deadline) return refuse('deadline_not_reached');
        return closeAtDeadline(context, decisionId);
      }),
  },
  'decision.withdraw': {
    action: 'decision.manage',
    decide: (context, { decisionId }) =>
      onOpenQuestion(context, decisionId, () =>
        // No tally: a withdrawn secret ballot is never counted in public.
        accept([closedEvent(context.state, decisionId, 'withdrawn', 'chair', null)], { decisionId }),
      ),
  },
};
