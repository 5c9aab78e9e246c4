/**
 * Who may see what of a session (S23, S76–S79). Visibility is part of the event type: every type
 * of the catalogue must name its audience here, or the build fails. The same rules decide which
 * socket rooms an event goes to, which viewers an audience reaches, and what of the room's state
 * each viewer is sent (`stateForViewer`), so the live events, the snapshot on join and the record
 * can never disagree. Clients never pick a socket room.
 */
import type { TSessionEventPayload, TSessionEventType } from '../events';
import { channelIncludes, type TChatChannel } from './chat';
import type { TPositionMapVisibility } from './positions';
import type { TSessionRoomState } from './state';

export type TAudience =
  /** Everyone who has the room open. */
  | { kind: 'room' }
  /** Nobody in the room: the event belongs to another view (the drafting room carries document events). */
  | { kind: 'nobody' }
  /** Only the people of one delegation (delegation-internal notes, chat). */
  | { kind: 'delegation'; delegationId: string }
  /** Only those who run the session (chair, secretariat). */
  | { kind: 'managers' }
  /**
   * Only the people of these delegations (a consultation: two), and the chair and secretariat too
   * when `managers` (a stance while the map is theirs alone).
   */
  | { kind: 'delegations'; delegationIds: readonly string[]; managers: boolean };

const ROOM: TAudience = { kind: 'room' };
const NOBODY: TAudience = { kind: 'nobody' };
const MANAGERS: TAudience = { kind: 'managers' };

/** The people of a channel: everyone for the plenary; otherwise its delegations, never the chair. */
function channelAudience(channel: TChatChannel): TAudience {
  switch (channel.kind) {
    case 'plenary':
      return ROOM;
    case 'delegation':
      return { kind: 'delegation', delegationId: channel.delegationId };
    case 'consultation':
      return { kind: 'delegations', delegationIds: channel.delegationIds, managers: false };
  }
}

/** A delegation's stance: everyone while the map is everyone's; else the delegation and the managers. */
function stanceAudience(payload: { delegationId: string; visibility: TPositionMapVisibility }): TAudience {
  return payload.visibility === 'everyone' ? ROOM : { kind: 'delegations', delegationIds: [payload.delegationId], managers: true };
}

/** A delegation's workspace: its own people, and the partner it shares with (read-only). */
function workspaceAudience(payload: { delegationId: string; sharedWith: string | null }): TAudience {
  return payload.sharedWith === null
    ? { kind: 'delegation', delegationId: payload.delegationId }
    : { kind: 'delegations', delegationIds: [payload.delegationId, payload.sharedWith], managers: false };
}

const consultationAudience = (payload: { delegationIds: readonly [string, string] }): TAudience => ({ kind: 'delegations', delegationIds: payload.delegationIds, managers: false });
const ownDelegation = (payload: { delegationId: string }): TAudience => ({ kind: 'delegation', delegationId: payload.delegationId });

/** An audience per type, or a function of the payload where it depends on it (a delegation's own channel). */
const AUDIENCES: { [Type in TSessionEventType]: TAudience | ((payload: TSessionEventPayload<Type>) => TAudience) } = {
  'session.scheduled': ROOM,
  'session.status_changed': ROOM,
  'membership.added': ROOM,
  'membership.role_changed': ROOM,
  // Text, comments, amendments and brackets reach the drafting room through the document hub, each
  // with its own rules (a delegation-only comment must not reach the plenary).
  'document.updated': NOBODY,
  'document.mode_changed': NOBODY,
  'document.adopted': NOBODY,
  'document.signed': NOBODY,
  'paragraph.status_changed': NOBODY,
  'amendment.proposed': NOBODY,
  'amendment.cosponsored': NOBODY,
  'amendment.decided': NOBODY,
  'comment.added': NOBODY,
  'bracket.opened': NOBODY,
  'bracket.alternative_proposed': NOBODY,
  'bracket.resolved': NOBODY,
  'delegation.accredited': ROOM,
  'quorum.roster_recorded': ROOM,
  'quorum.rule_changed': ROOM,
  'attendance.joined': ROOM,
  'attendance.left': ROOM,
  'agenda.item_added': ROOM,
  'agenda.item_edited': ROOM,
  'agenda.item_removed': ROOM,
  'agenda.item_moved': ROOM,
  'agenda.current_set': ROOM,
  'floor.requested': ROOM,
  'floor.request_withdrawn': ROOM,
  'floor.request_removed': ROOM,
  'floor.request_moved': ROOM,
  'floor.request_skipped': ROOM,
  'floor.granted': ROOM,
  'floor.speaker_designated': ROOM,
  'speech.started': ROOM,
  'speech.paused': ROOM,
  'speech.resumed': ROOM,
  'speech.ended': ROOM,
  'floor.settings_changed': ROOM,
  // Decisions are public to the room; a secret ballot's event carries no choice (T38).
  'decision.opened': ROOM,
  'decision.voter_designated': ROOM,
  'decision.ballot_cast': ROOM,
  'decision.objected': ROOM,
  'decision.closed': ROOM,
  'decision.outcome_applied': ROOM,
  'decision.outcome_failed': ROOM,
  'chat.message_posted': (payload) => channelAudience(payload.channel),
  // Only plenary messages can be deleted (S58), and mutes apply to the plenary.
  'chat.message_deleted': ROOM,
  'chat.participant_muted': ROOM,
  'chat.participant_unmuted': ROOM,
  'chat.settings_changed': ROOM,
  'consultation.requested': consultationAudience,
  'consultation.accepted': consultationAudience,
  'consultation.declined': consultationAudience,
  'consultation.closed': consultationAudience,
  'position.recorded': stanceAudience,
  'position.note_set': ownDelegation,
  'positions.visibility_changed': ROOM,
  'positions.synced': stanceAudience,
  'position_notes.synced': ownDelegation,
  'workspace.note_set': workspaceAudience,
  'workspace.notes_synced': workspaceAudience,
  'workspace.shared': (payload) => ({ kind: 'delegations', delegationIds: [payload.delegationId, payload.partnerDelegationId], managers: false }),
  'workspace.unshared': (payload) => ({ kind: 'delegations', delegationIds: [payload.delegationId, payload.partnerDelegationId], managers: false }),
  // Moderation is done in the open: everyone sees who was muted or removed, and the room's mode.
  'video.mode_changed': ROOM,
  'video.track_muted': ROOM,
  'video.participant_removed': ROOM,
  'video.muted_all_but_floor': ROOM,
  // The media server's own reports are the record's and the chair's, not the plenary's.
  'video.participant_joined': MANAGERS,
  'video.participant_left': MANAGERS,
  'video.track_published': MANAGERS,
  'video.track_unpublished': MANAGERS,
  'video.egress_changed': MANAGERS,
  // Participants must know they are recorded (V18–V20): the whole room, from the request on.
  'video.recording_requested': ROOM,
  'video.recording_started': ROOM,
  'video.recording_failed': ROOM,
  'video.recording_stopped': ROOM,
  // Listeners pick a channel by who holds its booth.
  'interpretation.booth_handed_over': ROOM,
  // The plenary shows which side rooms are open and who is away in them (V23–V25).
  'side_room.opened': ROOM,
  'side_room.joined': ROOM,
  'side_room.left': ROOM,
  'side_room.closed': ROOM,
  // Published minutes are every member's to read (M1).
  'minutes.published': ROOM,
};

/** The audience of an event of the log; types this version does not know reach nobody. */
export function audienceOf(event: { type: string; payload: unknown }): TAudience {
  if (!Object.hasOwn(AUDIENCES, event.type)) return NOBODY;
  const audience = AUDIENCES[event.type as TSessionEventType] as TAudience | ((payload: unknown) => TAudience);
  return typeof audience === 'function' ? audience(event.payload) : audience;
}

/**
 * Whom the room shows what: a viewer's delegation (null: none) and whether they run the session
 * (chair, secretariat). Built by the server from the membership, never from input.
 */
export interface TViewerScope {
  delegationId: string | null;
  manager: boolean;
}

/** Whether an audience includes a viewer. */
export function reaches(audience: TAudience, viewer: TViewerScope): boolean {
  switch (audience.kind) {
    case 'room':
      return true;
    case 'nobody':
      return false;
    case 'delegation':
      return viewer.delegationId !== null && viewer.delegationId === audience.delegationId;
    case 'managers':
      return viewer.manager;
    case 'delegations':
      return (viewer.delegationId !== null && audience.delegationIds.includes(viewer.delegationId)) || (audience.managers && viewer.manager);
  }
}

/** Socket rooms of a session; clients never name them (STYLE 4). */
export const socketRooms = {
  everyone: (sessionId: string) => `session:${sessionId}`,
  delegation: (sessionId: string, delegationId: string) => `session:${sessionId}:delegation:${delegationId}`,
  managers: (sessionId: string) => `session:${sessionId}:managers`,
};

/** The socket rooms a viewer's connection is put in. */
export function socketRoomsOfViewer(sessionId: string, viewer: TViewerScope): string[] {
  const names = [socketRooms.everyone(sessionId)];
  if (viewer.delegationId !== null) names.push(socketRooms.delegation(sessionId, viewer.delegationId));
  if (viewer.manager) names.push(socketRooms.managers(sessionId));
  return names;
}

/** The socket rooms an event for `audience` is sent to (a viewer in several gets it once). */
export function socketRoomsOfAudience(sessionId: string, audience: TAudience): string[] {
  switch (audience.kind) {
    case 'room':
      return [socketRooms.everyone(sessionId)];
    case 'nobody':
      return [];
    case 'delegation':
      return [socketRooms.delegation(sessionId, audience.delegationId)];
    case 'managers':
      return [socketRooms.managers(sessionId)];
    case 'delegations':
      return [...audience.delegationIds.map((delegationId) => socketRooms.delegation(sessionId, delegationId)), ...(audience.managers ? [socketRooms.managers(sessionId)] : [])];
  }
}

/**
 * S76: the room as one viewer may see it — the snapshot on join and rejoin, after a role change,
 * and in the record. Left out: other delegations' channels and consultations, every other
 * delegation's notes, workspaces not shared with the viewer, and other delegations' stances while
 * the chair keeps the map to the chair and secretariat. Everything else is everyone's.
 */
export function stateForViewer(state: TSessionRoomState, viewer: TViewerScope): TSessionRoomState {
  const own = (entry: { delegationId: string }) => viewer.delegationId !== null && entry.delegationId === viewer.delegationId;
  const sharingWithViewer = new Set(state.workspace.shares.filter((share) => viewer.delegationId !== null && share.partnerDelegationId === viewer.delegationId).map((share) => share.delegationId));
  const mapIsVisible = state.positions.visibility === 'everyone' || viewer.manager;
  return {
    ...state,
    chat: {
      ...state.chat,
      messages: state.chat.messages.filter((message) => channelIncludes(message.channel, viewer.delegationId)),
      consultations: state.chat.consultations.filter((consultation) => viewer.delegationId !== null && consultation.delegationIds.includes(viewer.delegationId)),
    },
    positions: {
      ...state.positions,
      stances: mapIsVisible ? state.positions.stances : state.positions.stances.filter(own),
      notes: state.positions.notes.filter(own),
    },
    workspace: {
      notes: state.workspace.notes.filter((note) => own(note) || sharingWithViewer.has(note.delegationId)),
      shares: state.workspace.shares.filter((share) => own(share) || sharingWithViewer.has(share.delegationId)),
    },
  };
}

/**
 * Event types after which what a viewer may see of the room changes beyond the event itself (the
 * map opened or closed, a workspace shared or unshared): every viewer is sent the room again.
 */
export const RESCOPING_EVENTS: ReadonlySet<string> = new Set<TSessionEventType>(['positions.visibility_changed', 'workspace.shared', 'workspace.unshared']);
