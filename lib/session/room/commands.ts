/**
 * What a client may ask of a session room (docs/PROTOCOL.md S-rules): one strict input schema per
 * command type, the envelope around it, and the acknowledgement. Shared by the server, which
 * validates, and the browser, which builds commands with these types.
 */
import { z } from 'zod';
import { MEDIA_MODES } from '../../policy/media';
import { ZFloorKind, ZLanguage, ZSessionStatus } from '../../shared/domain';
import { ZCancelReason, ZId, zLine, zText } from '../../shared/schemas';
import { BALLOT_KINDS, ZBallotChoice } from './decisions';
import { MAX_MESSAGE_LENGTH } from './chat';
import { ZPositionMapVisibility, ZStance } from './positions';
import { ZFloorSettings } from './settings';

/** A side room is a small conversation: a few delegations, a few invited people. */
const MAX_SIDE_ROOM_IDS = 20;
const ZPlannedMinutes = z.number().int().min(1).max(1_440).nullable();
const ZIndex = z.number().int().min(0).max(10_000);
const ZSpeechRef = z.strictObject({ speechId: ZId });
const ZDecisionRef = z.strictObject({ decisionId: ZId });

/** S31: what a question is about, by id; the server reads the rest from the stored text. */
const ZSubjectInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('paragraph'), documentId: ZId, pid: ZId }),
  z.strictObject({ kind: z.literal('amendment'), documentId: ZId, amendmentId: ZId }),
  z.strictObject({ kind: z.literal('document'), documentId: ZId }),
  z.strictObject({ kind: z.literal('procedural'), text: zLine(500) }),
]);

/** A silence procedure runs from a few seconds (a short procedural question) to a week. */
const MAX_SILENCE_SECONDS = 7 * 24 * 3_600;
/** A chat message: plain text, not empty, NFC so that mentions match names however they were typed. */
const ZMessageText = zText(MAX_MESSAGE_LENGTH)
  .transform((text) => text.normalize('NFC'))
  .pipe(z.string().min(1, 'required').max(MAX_MESSAGE_LENGTH, 'too_long'));
const ZNoteText = zText(4_000);
const ZConsultationRef = z.strictObject({ consultationId: ZId });
const ZPersonRef = z.strictObject({ userId: ZId });
const ZSideRoomRef = z.strictObject({ sideRoomId: ZId });
/** A few distinct ids (a side room's delegations, its invited people). */
const ZIdSet = z
  .array(ZId)
  .max(MAX_SIDE_ROOM_IDS, 'too_long')
  .refine((ids) => new Set(ids).size === ids.length, 'duplicate');


/**
 * Inputs by command type. Strict objects: unknown keys (a `userId`, a `delegationId` where none is
 * asked, `__proto__`) make the command invalid (T29). Who is asking is never part of an input.
 */
export const SESSION_COMMAND_INPUTS = {
  'session.set_status': z.strictObject({ status: ZSessionStatus, reason: ZCancelReason }),
  'agenda.add': z.strictObject({ title: zLine(200), plannedMinutes: ZPlannedMinutes, documentId: ZId.optional() }),
  'agenda.edit': z.strictObject({ itemId: ZId, title: zLine(200), plannedMinutes: ZPlannedMinutes }),
  'agenda.remove': z.strictObject({ itemId: ZId }),
  'agenda.move': z.strictObject({ itemId: ZId, toIndex: ZIndex }),
  'agenda.set_current': z.strictObject({ itemId: ZId.nullable() }),
  'agenda.next': z.strictObject({}),
  'floor.request': z.strictObject({ kind: ZFloorKind }),
  'floor.withdraw': z.strictObject({ requestId: ZId }),
  'floor.remove': z.strictObject({ requestId: ZId }),
  'floor.move': z.strictObject({ requestId: ZId, toIndex: ZIndex }),
  'floor.skip': z.strictObject({ requestId: ZId }),
  /** From the list (a request), or directly to a delegation that is not on it. */
  'floor.grant': z.union([z.strictObject({ requestId: ZId }), z.strictObject({ delegationId: ZId, userId: ZId.optional() })]),
  'floor.designate': z.strictObject({ speechId: ZId, userId: ZId }),
  'speech.pause': ZSpeechRef,
  'speech.resume': ZSpeechRef,
  'speech.end': ZSpeechRef,
  'floor.settings': z.strictObject({ settings: ZFloorSettings }),
  'decision.put': z.union([
    z.strictObject({ subject: ZSubjectInput, method: z.literal('consensus'), silenceSeconds: z.number().int().min(1).max(MAX_SILENCE_SECONDS) }),
    z.strictObject({ subject: ZSubjectInput, method: z.enum(['majority', 'two_thirds']), ballot: z.enum(BALLOT_KINDS) }),
  ]),
  /** The head names a delegate of the same delegation as its voter, or nobody (null). */
  'decision.designate': z.strictObject({ userId: ZId.nullable() }),
  'decision.vote': z.strictObject({ decisionId: ZId, choice: ZBallotChoice }),
  /** An empty reason is refused as `reason_required` (not as malformed input), so the form can say so. */
  'decision.object': z.strictObject({ decisionId: ZId, reason: zText(1_000) }),
  'decision.close': ZDecisionRef,
  'decision.withdraw': ZDecisionRef,
  // The channel's delegation is the sender's own, never named by the client (S52).
  'chat.post_plenary': z.strictObject({ text: ZMessageText }),
  'chat.post_delegation': z.strictObject({ text: ZMessageText }),
  'chat.post_consultation': z.strictObject({ consultationId: ZId, text: ZMessageText }),
  'chat.delete': z.strictObject({ messageId: ZId }),
  'chat.mute': ZPersonRef,
  'chat.unmute': ZPersonRef,
  'chat.settings': z.strictObject({ observersMayWrite: z.boolean() }),
  /** The delegation to consult; the requesting one is the sender's. */
  'consultation.request': z.strictObject({ delegationId: ZId }),
  'consultation.accept': ZConsultationRef,
  'consultation.decline': ZConsultationRef,
  'consultation.close': ZConsultationRef,
  /** The sender's delegation's stance (null: none) and private note on a paragraph or an amendment. */
  'position.record': z.strictObject({
    documentId: ZId,
    target: z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('paragraph'), pid: ZId }), z.strictObject({ kind: z.literal('amendment'), amendmentId: ZId })]),
    stance: ZStance.nullable(),
    note: ZNoteText,
  }),
  'positions.set_visibility': z.strictObject({ visibility: ZPositionMapVisibility }),
  /** The sender's delegation's workspace note on a paragraph (empty: none). */
  'workspace.write': z.strictObject({ documentId: ZId, pid: ZId, text: ZNoteText }),
  /** Show the sender's delegation's workspace to this consultation partner (one at a time). */
  'workspace.share': z.strictObject({ delegationId: ZId }),
  'workspace.unshare': z.strictObject({}),
  'video.set_mode': z.strictObject({ mode: z.enum(MEDIA_MODES) }),
  /** A LiveKit track id (`TR_…`); the server checks the participant is a member, LiveKit the track. */
  'video.mute_track': z.strictObject({ userId: ZId, trackSid: z.string().regex(/^TR_[A-Za-z0-9]{1,64}$/) }),
  'video.remove_participant': z.strictObject({ userId: ZId }),
  'video.mute_all_but_floor': z.strictObject({}),
  'video.start_recording': z.strictObject({}),
  'video.stop_recording': z.strictObject({}),
  /** The language's live channel passes to this interpreter (V21). */
  'interpretation.hand_over': z.strictObject({ language: ZLanguage, userId: ZId }),
  /** A side room for these delegations (at least one) and these invited people (V23). */
  'side_room.open': z.strictObject({
    title: zLine(120),
    delegationIds: ZIdSet.min(1, 'required'),
    userIds: ZIdSet,
  }),
  'side_room.join': ZSideRoomRef,
  'side_room.leave': ZSideRoomRef,
  'side_room.close': ZSideRoomRef,
} as const;

export type TSessionCommandType = keyof typeof SESSION_COMMAND_INPUTS;
export type TSessionCommandInput<Type extends TSessionCommandType> = z.infer<(typeof SESSION_COMMAND_INPUTS)[Type]>;

/** Whether a string names a command of this version. */
export function isSessionCommandType(type: string): type is TSessionCommandType {
  return Object.hasOwn(SESSION_COMMAND_INPUTS, type);
}

/**
 * A client's message id: chosen by the client, unique per command it sends, repeated on a retry
 * (S20). Scoped to the sender, so another person's ids can neither collide nor be probed.
 */
export const ZClientMsgId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

/** The envelope of `session:command`; `input` is checked against its type's schema next. */
export const ZSessionCommandEnvelope = z.strictObject({
  sessionId: ZId,
  clientMsgId: ZClientMsgId,
  type: z.string().max(64),
  input: z.unknown(),
});

/** Why a command was refused. A refusal changes nothing, stores nothing and broadcasts nothing (S21). */
export const ROOM_REFUSALS = [
  'invalid_input',
  'not_found',
  'not_joined',
  'forbidden',
  'not_live',
  'session_closed',
  'session_cancelled',
  'invalid_transition',
  'already_requested',
  'observers_not_allowed',
  'budget_exhausted',
  'no_next_item',
  'question_open',
  'no_quorum',
  'subject_unavailable',
  'not_entitled',
  'not_designated',
  'already_voted',
  'decision_closed',
  'wrong_method',
  'reason_required',
  'deadline_not_reached',
  'muted',
  'observers_read_only',
  'consultation_exists',
  'no_consultation',
  'recording_unavailable',
  'not_in_side_room',
  'client_msg_id_reused',
  'rate_limited',
  'internal',
] as const;
export type TRoomRefusal = (typeof ROOM_REFUSALS)[number];

/** Facts a command returns to its sender (the id of what it created). */
export type TCommandResult = Record<string, string>;

/** The acknowledgement of a command; a retry with the same client message id gets the same one. */
export type TCommandAck = { ok: true; seq: number; result?: TCommandResult } | { ok: false; error: TRoomRefusal };
