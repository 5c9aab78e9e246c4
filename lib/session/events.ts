/**
 * The catalogue of session events this version records. Each type's payload has a schema, so the
 * log only ever holds shapes the reducer and the replay understand. Later features add types here.
 */
import { z } from 'zod';
import { MEDIA_MODES } from '../policy/media';
import { ZDelegationStatus, ZFloorKind, ZLanguage, ZQuorumRule, ZRole, ZSessionStatus } from '../shared/domain';
import { CLOSED_BY, DECISION_METHODS, DECISION_OUTCOMES, OUTCOME_FAILURES, BALLOT_KINDS, ZBallotChoice, ZDecisionSubject, ZQuorumSnapshot, ZTally } from './room/decisions';
import { ZChatChannel } from './room/chat';
import { ZPositionMapVisibility, ZPositionTarget, ZStance } from './room/positions';
import { ZFloorSettings } from './room/settings';

const ZMediaMode = z.enum(MEDIA_MODES);
/** A media participant's identity is our opaque user id (V2). */
const ZMediaIdentity = z.string().min(1).max(64);

const ZSha256 = z.string().regex(/^[0-9a-f]{64}$/);
const ZPair = z.tuple([z.string(), z.string()]);
const ZStanceItem = z.strictObject({ documentId: z.string(), target: ZPositionTarget, stance: ZStance });
const ZNoteItem = z.strictObject({ documentId: z.string(), target: ZPositionTarget, text: z.string() });

export const SESSION_EVENT_PAYLOADS = {
  /** The session was created (always seq 1). */
  'session.scheduled': z.strictObject({ title: z.string(), scheduledStart: z.number() }),
  /**
   * Lifecycle move: scheduled → live → suspended → closed, or scheduled → cancelled with the chair's
   * reason when one was given (S85).
   */
  'session.status_changed': z.strictObject({ from: ZSessionStatus, to: ZSessionStatus, reason: z.string().optional() }),
  /** A person joined the negotiation (by invitation) while this session was open. */
  'membership.added': z.strictObject({
    membershipId: z.string(),
    userId: z.string(),
    role: ZRole,
    delegationId: z.string().nullable(),
  }),
  /** A member's role or delegation changed while this session was open. */
  'membership.role_changed': z.strictObject({
    membershipId: z.string(),
    userId: z.string(),
    from: z.strictObject({ role: ZRole, delegationId: z.string().nullable() }),
    to: z.strictObject({ role: ZRole, delegationId: z.string().nullable() }),
  }),
  /** An edit to a document was accepted while this session was live (the bytes are in document_updates). */
  'document.updated': z.strictObject({
    documentId: z.string(),
    documentSeq: z.number().int().positive(),
    /** sha256 of the Yjs update, so the session's hash chain also covers the text. */
    updateHash: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  /** A document's drafting mode changed while this session was open. */
  'document.mode_changed': z.strictObject({
    documentId: z.string(),
    from: z.enum(['open_drafting', 'amendments_only', 'adopted']),
    to: z.enum(['open_drafting', 'amendments_only', 'adopted']),
  }),
  /**
   * A document was adopted: its text is final. The hash is sha256 (hex) of the stored text as plain
   * lines (one per paragraph or heading), the text that heads of delegation then sign.
   */
  'document.adopted': z.strictObject({
    documentId: z.string(),
    textHash: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  /** A head signed an adopted document on behalf of a member delegation, over the adopted text's hash. */
  'document.signed': z.strictObject({
    documentId: z.string(),
    delegationId: z.string(),
    textHash: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  /** A paragraph's status changed (pending / bracketed / agreed ad referendum / agreed). */
  'paragraph.status_changed': z.strictObject({
    documentId: z.string(),
    pid: z.string(),
    from: z.enum(['pending', 'bracketed', 'agreed_ad_ref', 'agreed']),
    to: z.enum(['pending', 'bracketed', 'agreed_ad_ref', 'agreed']),
  }),
  /** A delegation proposed an amendment to a paragraph. */
  'amendment.proposed': z.strictObject({
    amendmentId: z.string(),
    documentId: z.string(),
    pid: z.string(),
    kind: z.enum(['replace', 'insert', 'delete']),
  }),
  /** Another delegation joined an amendment. */
  'amendment.cosponsored': z.strictObject({ amendmentId: z.string(), delegationId: z.string() }),
  /** An amendment was accepted (and applied to the text as `documentSeq`), rejected or withdrawn. */
  'amendment.decided': z.strictObject({
    amendmentId: z.string(),
    status: z.enum(['accepted', 'rejected', 'withdrawn']),
    documentSeq: z.number().int().positive().nullable(),
  }),
  /** A comment was added; `delegation` visibility keeps it to that delegation, on replay too. */
  'comment.added': z.strictObject({
    commentId: z.string(),
    documentId: z.string(),
    visibility: z.enum(['all', 'delegation']),
    delegationId: z.string().nullable(),
    body: z.string(),
  }),
  /** Text was put in square brackets (disputed). */
  'bracket.opened': z.strictObject({ bracketId: z.string(), documentId: z.string(), pid: z.string(), originalText: z.string() }),
  /** A delegation put forward its wording for a bracket. */
  'bracket.alternative_proposed': z.strictObject({ bracketId: z.string(), alternativeId: z.string(), delegationId: z.string(), text: z.string() }),
  /** The chair lifted a bracket by adopting the original wording or an alternative. */
  'bracket.resolved': z.strictObject({ bracketId: z.string(), choice: z.string() }),
  /** A delegation was accredited while this session was open. */
  'delegation.accredited': z.strictObject({
    delegationId: z.string(),
    actorId: z.string(),
    status: ZDelegationStatus,
  }),
  /**
   * Who counts for the quorum, recorded when the session first goes live: the negotiation's rule and
   * its delegations then (later accreditations arrive as `delegation.accredited`).
   */
  'quorum.roster_recorded': z.strictObject({
    rule: ZQuorumRule,
    delegations: z.array(z.strictObject({ delegationId: z.string(), status: ZDelegationStatus })),
  }),
  /** The negotiation's quorum rule changed while this session was open. */
  'quorum.rule_changed': z.strictObject({ from: ZQuorumRule, to: ZQuorumRule }),
  /** A person's first connection to the room opened (further tabs of the same person are not events). */
  'attendance.joined': z.strictObject({ userId: z.string(), delegationId: z.string().nullable(), role: ZRole }),
  /** A person's last connection to the room closed, or the server found them gone after a restart. */
  'attendance.left': z.strictObject({ userId: z.string(), reason: z.enum(['disconnected', 'server_restart']) }),
  /** Agenda: an item added at `index` (0-based), with a planned duration in minutes. */
  'agenda.item_added': z.strictObject({
    itemId: z.string(),
    title: z.string(),
    plannedMinutes: z.number().int().nullable(),
    index: z.number().int().min(0),
    /** The document the item is about, if any (one of the negotiation's). */
    documentId: z.string().optional(),
  }),
  'agenda.item_edited': z.strictObject({ itemId: z.string(), title: z.string(), plannedMinutes: z.number().int().nullable() }),
  'agenda.item_removed': z.strictObject({ itemId: z.string() }),
  /** An item moved to `toIndex` of the agenda. */
  'agenda.item_moved': z.strictObject({ itemId: z.string(), toIndex: z.number().int().min(0) }),
  /** The item under discussion now (null: none); "next item" records this too. */
  'agenda.current_set': z.strictObject({ itemId: z.string().nullable() }),
  /** A person asked for the floor on behalf of their delegation (or themselves, without one). */
  'floor.requested': z.strictObject({
    requestId: z.string(),
    kind: ZFloorKind,
    userId: z.string(),
    delegationId: z.string().nullable(),
  }),
  /** The requester took their request back. */
  'floor.request_withdrawn': z.strictObject({ requestId: z.string() }),
  /** The chair took a request off the list. */
  'floor.request_removed': z.strictObject({ requestId: z.string() }),
  /** The chair moved a request to `toIndex` among the requests of its class. */
  'floor.request_moved': z.strictObject({ requestId: z.string(), toIndex: z.number().int().min(0) }),
  /** The chair passed over a request: it goes to the end of its class. */
  'floor.request_skipped': z.strictObject({ requestId: z.string() }),
  /**
   * The chair gave the floor, from the list (`requestId`) or directly to a delegation. The limit is
   * fixed here (the kind's limit, or less when a speaking-time budget runs low), so replay needs no
   * settings lookup to time the speech. `userId` names the speaker (S80); logs recorded before that
   * rule may hold `null` for a floor given directly, and their minutes then name the delegation only.
   */
  'floor.granted': z.strictObject({
    speechId: z.string(),
    requestId: z.string().nullable(),
    kind: ZFloorKind,
    userId: z.string().nullable(),
    delegationId: z.string().nullable(),
    limitSeconds: z.number().int().min(1),
    warningSeconds: z.number().int().min(0),
  }),
  /**
   * S80, S81: the person who speaks in the delegation's name: a member of the speech's delegation
   * named by its head or by the chair (the speech's time, limit and delegation do not change).
   */
  'floor.speaker_designated': z.strictObject({ speechId: z.string(), userId: z.string() }),
  /** The speech's timer started (or, after a pause, `speech.resumed`). Timing uses the events' server times. */
  'speech.started': z.strictObject({ speechId: z.string() }),
  'speech.paused': z.strictObject({ speechId: z.string() }),
  'speech.resumed': z.strictObject({ speechId: z.string() }),
  'speech.ended': z.strictObject({ speechId: z.string() }),
  /** The chair's rules for the speakers' list, whole. */
  'floor.settings_changed': z.strictObject({ settings: ZFloorSettings }),
  /**
   * The chair put a question (S31): its subject as the stored text had it, the method, and for a
   * silence procedure the deadline in server time. The quorum then is part of the record.
   */
  'decision.opened': z.strictObject({
    decisionId: z.string(),
    subject: ZDecisionSubject,
    method: z.enum(DECISION_METHODS),
    ballot: z.enum(BALLOT_KINDS).nullable(),
    deadline: z.number().int().nullable(),
    quorum: ZQuorumSnapshot,
  }),
  /** A head designated the delegate who votes for the delegation (null: the head alone again). */
  'decision.voter_designated': z.strictObject({ delegationId: z.string(), userId: z.string().nullable() }),
  /**
   * A delegation voted. `choice` is null for a secret ballot, always: the record says who voted,
   * never how (THREATS T38); the choice is a row without voter in `secret_ballots`.
   */
  'decision.ballot_cast': z.strictObject({ decisionId: z.string(), delegationId: z.string(), choice: ZBallotChoice.nullable() }),
  /** A member delegation broke the silence, with its reason (the question closes with it). */
  'decision.objected': z.strictObject({ decisionId: z.string(), delegationId: z.string(), reason: z.string() }),
  /** A question closed: its outcome, the entitled delegations frozen now, the tally, the quorum. */
  'decision.closed': z.strictObject({
    decisionId: z.string(),
    outcome: z.enum(DECISION_OUTCOMES),
    closedBy: z.enum(CLOSED_BY),
    entitled: z.array(z.string()),
    tally: ZTally.nullable(),
    quorum: ZQuorumSnapshot,
  }),
  /** An adopted outcome reached the text or a status (`documentSeq`: the text's update, if any). */
  'decision.outcome_applied': z.strictObject({ decisionId: z.string(), documentSeq: z.number().int().positive().nullable() }),
  /** An adopted outcome could not reach the text; the decision stands and the chair acts by hand. */
  'decision.outcome_failed': z.strictObject({ decisionId: z.string(), reason: z.enum(OUTCOME_FAILURES) }),
  /**
   * A chat message. Its text is stored beside the log (`session_event_contents`), so the chair can
   * delete it for good; the log keeps the text's hash, and the mentions the server resolved.
   */
  'chat.message_posted': z.strictObject({ messageId: z.string(), channel: ZChatChannel, textHash: ZSha256, mentions: z.array(z.string()) }),
  /** The chair deleted a plenary message: its text is erased; the record keeps who and when. */
  'chat.message_deleted': z.strictObject({ messageId: z.string() }),
  'chat.participant_muted': z.strictObject({ userId: z.string() }),
  'chat.participant_unmuted': z.strictObject({ userId: z.string() }),
  /** The chair's chat settings, whole. */
  'chat.settings_changed': z.strictObject({ observersMayWrite: z.boolean() }),
  /** A head asked another delegation for a consultation channel: [requesting, invited]. */
  'consultation.requested': z.strictObject({ consultationId: z.string(), delegationIds: ZPair }),
  'consultation.accepted': z.strictObject({ consultationId: z.string(), delegationIds: ZPair }),
  'consultation.declined': z.strictObject({ consultationId: z.string(), delegationIds: ZPair }),
  /** Either side ended a consultation (or took back its request): no more messages; the history stays. */
  'consultation.closed': z.strictObject({ consultationId: z.string(), delegationIds: ZPair }),
  /**
   * A delegation stated (or, with `null`, withdrew) its stance on a paragraph or amendment. The
   * map's visibility when it was stated says who receives it.
   */
  'position.recorded': z.strictObject({ delegationId: z.string(), documentId: z.string(), target: ZPositionTarget, stance: ZStance.nullable(), visibility: ZPositionMapVisibility }),
  /** A delegation's private note on its position (empty: none). */
  'position.note_set': z.strictObject({ delegationId: z.string(), documentId: z.string(), target: ZPositionTarget, text: z.string() }),
  /** The chair showed the consensus map to everyone, or kept it to the chair and secretariat. */
  'positions.visibility_changed': z.strictObject({ from: ZPositionMapVisibility, to: ZPositionMapVisibility }),
  /** A delegation's stances as stored for the negotiation, brought into this session (set elsewhere). */
  'positions.synced': z.strictObject({ delegationId: z.string(), visibility: ZPositionMapVisibility, stances: z.array(ZStanceItem) }),
  /** A delegation's position notes as stored for the negotiation. */
  'position_notes.synced': z.strictObject({ delegationId: z.string(), notes: z.array(ZNoteItem) }),
  /** A delegation's workspace note on a paragraph (empty: none); `sharedWith` also receives it. */
  'workspace.note_set': z.strictObject({ delegationId: z.string(), documentId: z.string(), pid: z.string(), text: z.string(), sharedWith: z.string().nullable() }),
  /** A delegation's workspace notes as stored for the negotiation. */
  'workspace.notes_synced': z.strictObject({ delegationId: z.string(), notes: z.array(ZNoteItem), sharedWith: z.string().nullable() }),
  /** A delegation showed its workspace, read-only, to a consultation partner. */
  'workspace.shared': z.strictObject({ delegationId: z.string(), partnerDelegationId: z.string() }),
  /** The sharing ended: the delegation revoked it, or the consultation closed. */
  'workspace.unshared': z.strictObject({ delegationId: z.string(), partnerDelegationId: z.string(), reason: z.enum(['revoked', 'consultation_closed']) }),
  /** V7: the chair switched the media room between formal (microphones follow the floor) and informal. */
  'video.mode_changed': z.strictObject({ from: ZMediaMode, to: ZMediaMode }),
  /** V9: the chair muted one published track of a participant. */
  'video.track_muted': z.strictObject({ userId: ZMediaIdentity, trackSid: z.string() }),
  /** V10: the chair removed a participant from the media room; they get no new token in this session. */
  'video.participant_removed': z.strictObject({ userId: ZMediaIdentity }),
  /** V11: the chair muted every microphone but the floor's. */
  'video.muted_all_but_floor': z.strictObject({}),
  /** V13–V15: what the media server reported through a signed webhook (deduplicated by its event id). */
  'video.participant_joined': z.strictObject({ userId: ZMediaIdentity, participantSid: z.string() }),
  /**
   * V45: why LiveKit let the participant go, when it said (its disconnect reason, lower case):
   * `duplicate_identity` means a second join with the same identity evicted this one (T44).
   */
  'video.participant_left': z.strictObject({ userId: ZMediaIdentity, participantSid: z.string(), reason: z.string().regex(/^[a-z_]{1,40}$/).optional() }),
  'video.track_published': z.strictObject({ userId: ZMediaIdentity, trackSid: z.string(), source: z.string() }),
  'video.track_unpublished': z.strictObject({ userId: ZMediaIdentity, trackSid: z.string(), source: z.string() }),
  'video.egress_changed': z.strictObject({ change: z.enum(['started', 'updated', 'ended']), egressId: z.string(), status: z.string() }),
  /** V18: the chair asked for the room to be recorded; everyone is told before the server starts the egress. */
  'video.recording_requested': z.strictObject({}),
  /** V19: the media server is recording the room (a room-composite egress); recorded by the server. */
  'video.recording_started': z.strictObject({ egressId: z.string().min(1).max(64) }),
  /** V19: the media server refused to start the recording; nothing is being recorded. */
  'video.recording_failed': z.strictObject({ reason: z.enum(['refused', 'unreachable']) }),
  /** V20: the chair stopped the recording (the egress is stopped after this is stored). */
  'video.recording_stopped': z.strictObject({ egressId: z.string().min(1).max(64) }),
  /** V21: the live channel of a language passed to another interpreter (`from` null: the booth was empty). */
  'interpretation.booth_handed_over': z.strictObject({ language: ZLanguage, from: ZMediaIdentity.nullable(), to: ZMediaIdentity }),
  /** V23: the chair opened a side room for these delegations and invited people, with its own media room. */
  'side_room.opened': z.strictObject({ sideRoomId: z.string(), title: z.string(), delegationIds: z.array(z.string()), userIds: z.array(z.string()) }),
  /** V24: a participant moved from the plenary (or another side room) into a side room. */
  'side_room.joined': z.strictObject({ sideRoomId: z.string(), userId: z.string() }),
  /** V24: a participant came back to the plenary. */
  'side_room.left': z.strictObject({ sideRoomId: z.string(), userId: z.string() }),
  /** V25: the chair closed a side room: everyone in it is back in the plenary. */
  'side_room.closed': z.strictObject({ sideRoomId: z.string() }),
  /** M4: the secretariat published the session's minutes; `textHash` is sha256 (hex) of their Markdown as UTF-8. */
  'minutes.published': z.strictObject({ textHash: ZSha256 }),
} as const;

export type TSessionEventType = keyof typeof SESSION_EVENT_PAYLOADS;
export type TSessionEventPayload<Type extends TSessionEventType> = z.infer<(typeof SESSION_EVENT_PAYLOADS)[Type]>;
