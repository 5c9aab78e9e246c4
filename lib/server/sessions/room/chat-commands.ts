/**
 * Chat and consultations (docs/PROTOCOL.md S50–S61): the plenary, each delegation's own channel,
 * consultation channels between two delegations, and the chair's moderation of the plenary. A
 * message's channel is never a delegation the client names: it is the sender's delegation, or a
 * consultation the sender's delegation takes part in.
 */
import { createHash } from 'node:crypto';
import { findDelegationInNegotiation, findMembership, listDelegations } from '../../../db/repositories/negotiations';
import { eraseEventContent } from '../../../db/repositories/sessions';
import { activeConsultation, mentionedDelegations, overMessageRate, type TChatChannel, type TConsultation } from '../../../session/room/chat';
import type { TSessionRoomState } from '../../../session/room/state';
import { proposeEvent, type TProposedEvent } from '../record-event';
import { accept, isObserver, refuse, statusRefusal, type TCommandContext, type TCommandHandler, type TCommandHandlers, type TDecision, type TRoomActor } from './command-registry';

/**
 * S59: who acts for a delegation towards another one — its head; for an observer delegation, which
 * has no head, its observers.
 */
export function speaksForDelegation(actor: TRoomActor): actor is TRoomActor & { delegationId: string } {
  return actor.delegationId !== null && (actor.role === 'head' || (actor.role === 'observer' && actor.delegationStatus === 'observer'));
}

/** S54–S57: appends a message to a channel, its text beside the log and its mentions resolved here. */
async function postMessage({ state, actor, now, newId, tx, session }: TCommandContext, channel: TChatChannel, text: string): Promise<TDecision> {
  const blocked = statusRefusal(state.status, 'open');
  if (blocked) return refuse(blocked);
  if (overMessageRate(state.chat.messages, actor.userId, now)) return refuse('rate_limited');
  const delegations = (await listDelegations(tx, session.negotiationId)).map((delegation) => ({ delegationId: delegation.id, name: delegation.actorName }));
  const messageId = newId();
  const textHash = createHash('sha256').update(text).digest('hex');
  return accept([proposeEvent('chat.message_posted', { messageId, channel, textHash, mentions: mentionedDelegations(text, delegations) }, text)], { messageId });
}

/**
 * Runs `decide` on a consultation the sender's delegation takes part in, for someone who speaks for
 * it; another delegation's consultation is `not_found`, as if it did not exist (S60).
 */
function onConsultation(state: TSessionRoomState, actor: TRoomActor, consultationId: string, decide: (consultation: TConsultation, own: string) => TDecision): TDecision {
  const blocked = statusRefusal(state.status, 'open');
  if (blocked) return refuse(blocked);
  const consultation = state.chat.consultations.find((candidate) => candidate.consultationId === consultationId);
  if (!consultation || actor.delegationId === null || !consultation.delegationIds.includes(actor.delegationId)) return refuse('not_found');
  if (!speaksForDelegation(actor)) return refuse('forbidden');
  return decide(consultation, actor.delegationId);
}

/** S61: the sharings a consultation's end takes with it (either side's workspace, shown to the other). */
function sharingsEndedWith(state: TSessionRoomState, consultation: TConsultation): TProposedEvent[] {
  const [a, b] = consultation.delegationIds;
  return state.workspace.shares
    .filter((share) => (share.delegationId === a && share.partnerDelegationId === b) || (share.delegationId === b && share.partnerDelegationId === a))
    .map((share) => proposeEvent('workspace.unshared', { ...share, reason: 'consultation_closed' }));
}

/** S59: only the invited delegation answers a request, while it is still a request. */
function answerRequest(answer: 'consultation.accepted' | 'consultation.declined'): TCommandHandler<'consultation.accept' | 'consultation.decline'> {
  return {
    action: 'consultation.manage',
    decide: ({ state, actor }, { consultationId }) =>
      onConsultation(state, actor, consultationId, (consultation, own) => {
        if (consultation.status !== 'requested') return refuse('invalid_transition');
        if (consultation.delegationIds[1] !== own) return refuse('forbidden');
        return accept([proposeEvent(answer, { consultationId, delegationIds: consultation.delegationIds })]);
      }),
  };
}

type TChatCommand =
  | 'chat.post_plenary'
  | 'chat.post_delegation'
  | 'chat.post_consultation'
  | 'chat.delete'
  | 'chat.mute'
  | 'chat.unmute'
  | 'chat.settings'
  | 'consultation.request'
  | 'consultation.accept'
  | 'consultation.decline'
  | 'consultation.close';

export const CHAT_COMMANDS: TCommandHandlers<TChatCommand> = {
  'chat.post_plenary': {
    action: 'chat.plenary',
    decide(context, { text }) {
      const { state, actor } = context;
      if (state.chat.muted.includes(actor.userId)) return refuse('muted');
      if (isObserver(actor) && !state.chat.observersMayWrite) return refuse('observers_read_only');
      return postMessage(context, { kind: 'plenary' }, text);
    },
  },
  'chat.post_delegation': {
    action: 'chat.delegation',
    decide: (context, { text }) =>
      context.actor.delegationId === null ? refuse('forbidden') : postMessage(context, { kind: 'delegation', delegationId: context.actor.delegationId }, text),
  },
  'chat.post_consultation': {
    action: 'chat.delegation',
    decide(context, { consultationId, text }) {
      const { state, actor } = context;
      const consultation = state.chat.consultations.find((candidate) => candidate.consultationId === consultationId);
      if (!consultation || actor.delegationId === null || !consultation.delegationIds.includes(actor.delegationId)) return refuse('not_found');
      if (consultation.status !== 'open') return refuse('no_consultation');
      return postMessage(context, { kind: 'consultation', consultationId, delegationIds: consultation.delegationIds }, text);
    },
  },
  'chat.delete': {
    action: 'chat.moderate',
    decide({ state, session, actor, now }, { messageId }) {
      const blocked = statusRefusal(state.status, 'open');
      if (blocked) return refuse(blocked);
      // The chair moderates the plenary only: other channels are not theirs to read (S52).
      const message = state.chat.messages.find((candidate) => candidate.messageId === messageId && candidate.channel.kind === 'plenary');
      if (!message) return refuse('not_found');
      if (message.deleted) return refuse('invalid_transition');
      return {
        ok: true,
        events: [proposeEvent('chat.message_deleted', { messageId })],
        alsoInTransaction: async (tx) => {
          await eraseEventContent(tx, session.id, message.seq, actor.userId, now);
        },
      };
    },
  },
  'chat.mute': {
    action: 'chat.moderate',
    async decide({ state, tx, session, actor }, { userId }) {
      const blocked = statusRefusal(state.status, 'open');
      if (blocked) return refuse(blocked);
      if (userId === actor.userId) return refuse('invalid_input');
      if (!(await findMembership(tx, session.negotiationId, userId))) return refuse('not_found');
      return state.chat.muted.includes(userId) ? refuse('invalid_transition') : accept([proposeEvent('chat.participant_muted', { userId })]);
    },
  },
  'chat.unmute': {
    action: 'chat.moderate',
    decide({ state }, { userId }) {
      const blocked = statusRefusal(state.status, 'open');
      if (blocked) return refuse(blocked);
      return state.chat.muted.includes(userId) ? accept([proposeEvent('chat.participant_unmuted', { userId })]) : refuse('invalid_transition');
    },
  },
  'chat.settings': {
    action: 'chat.moderate',
    decide({ state }, { observersMayWrite }) {
      const blocked = statusRefusal(state.status, 'open');
      return blocked ? refuse(blocked) : accept([proposeEvent('chat.settings_changed', { observersMayWrite })]);
    },
  },
  'consultation.request': {
    action: 'consultation.manage',
    async decide({ state, actor, tx, session, newId }, { delegationId }) {
      const blocked = statusRefusal(state.status, 'open');
      if (blocked) return refuse(blocked);
      if (!speaksForDelegation(actor)) return refuse('forbidden');
      const partner = await findDelegationInNegotiation(tx, session.negotiationId, delegationId);
      if (!partner) return refuse('not_found');
      if (partner.id === actor.delegationId) return refuse('invalid_input');
      if (activeConsultation(state.chat.consultations, actor.delegationId, partner.id)) return refuse('consultation_exists');
      const consultationId = newId();
      return accept([proposeEvent('consultation.requested', { consultationId, delegationIds: [actor.delegationId, partner.id] })], { consultationId });
    },
  },
  'consultation.accept': answerRequest('consultation.accepted'),
  'consultation.decline': answerRequest('consultation.declined'),
  // Either side closes; the requester thereby takes back a request not yet answered.
  'consultation.close': {
    action: 'consultation.manage',
    decide: ({ state, actor }, { consultationId }) =>
      onConsultation(state, actor, consultationId, (consultation) => {
        if (consultation.status !== 'requested' && consultation.status !== 'open') return refuse('invalid_transition');
        return accept([...sharingsEndedWith(state, consultation), proposeEvent('consultation.closed', { consultationId, delegationIds: consultation.delegationIds })]);
      }),
  },
};
