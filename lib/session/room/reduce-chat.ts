/**
 * The reducer's part for chat and consultations (S50–S61): pure, like the rest of the reducer.
 * A message's text arrives as the event's `content` (kept beside the log); a deleted message keeps
 * its place, author and time, without its text.
 */
import type { TSessionEventType } from '../events';
import { MAX_MESSAGES_PER_CHANNEL, sameChannel, type TChatMessage, type TConsultation, type TConsultationStatus } from './chat';
import type { THandler } from './reduce';
import type { TSessionRoomState } from './state';

type TChatEventType = Extract<TSessionEventType, `chat.${string}` | `consultation.${string}`>;

/** Adds a message; a channel over its cap loses its oldest message (the log still has it). */
function withMessage(messages: readonly TChatMessage[], message: TChatMessage): TChatMessage[] {
  const next = [...messages, message];
  const inChannel = next.filter((candidate) => sameChannel(candidate.channel, message.channel));
  if (inChannel.length <= MAX_MESSAGES_PER_CHANNEL) return next;
  const oldest = inChannel[0];
  return next.filter((candidate) => candidate !== oldest);
}

function withConsultationStatus(state: TSessionRoomState, consultationId: string, status: TConsultationStatus, at: number, by: string | null): TSessionRoomState {
  const consultations = state.chat.consultations.map((consultation): TConsultation =>
    consultation.consultationId === consultationId ? { ...consultation, status, changedAt: at, changedBy: by } : consultation,
  );
  return { ...state, chat: { ...state.chat, consultations } };
}

export const CHAT_HANDLERS: { [Type in TChatEventType]: THandler<Type> } = {
  'chat.message_posted': (state, { payload, seq, at, userId, delegationId, content }) => ({
    ...state,
    chat: {
      ...state.chat,
      messages: withMessage(state.chat.messages, {
        messageId: payload.messageId,
        seq,
        channel: payload.channel,
        userId,
        delegationId,
        at,
        text: content ?? null,
        mentions: payload.mentions,
        deleted: null,
      }),
    },
  }),
  'chat.message_deleted': (state, { payload, at, userId }) => ({
    ...state,
    chat: {
      ...state.chat,
      messages: state.chat.messages.map((message) => (message.messageId === payload.messageId ? { ...message, text: null, deleted: { by: userId, at } } : message)),
    },
  }),
  'chat.participant_muted': (state, { payload }) =>
    state.chat.muted.includes(payload.userId) ? state : { ...state, chat: { ...state.chat, muted: [...state.chat.muted, payload.userId] } },
  'chat.participant_unmuted': (state, { payload }) => ({ ...state, chat: { ...state.chat, muted: state.chat.muted.filter((userId) => userId !== payload.userId) } }),
  'chat.settings_changed': (state, { payload }) => ({ ...state, chat: { ...state.chat, observersMayWrite: payload.observersMayWrite } }),
  'consultation.requested': (state, { payload, at, userId }) => ({
    ...state,
    chat: {
      ...state.chat,
      consultations: [
        ...state.chat.consultations,
        { consultationId: payload.consultationId, delegationIds: payload.delegationIds, status: 'requested', requestedBy: userId, requestedAt: at, changedAt: at, changedBy: userId },
      ],
    },
  }),
  'consultation.accepted': (state, { payload, at, userId }) => withConsultationStatus(state, payload.consultationId, 'open', at, userId),
  'consultation.declined': (state, { payload, at, userId }) => withConsultationStatus(state, payload.consultationId, 'declined', at, userId),
  'consultation.closed': (state, { payload, at, userId }) => withConsultationStatus(state, payload.consultationId, 'closed', at, userId),
};
