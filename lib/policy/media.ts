/**
 * What each role may publish in a session's media room (docs/PROTOCOL.md V3–V6). Pure, like the rest
 * of the policy: the token endpoint and the floor-controlled microphones (server/video) both ask
 * here, with the room's state as the log made it, so a token and a later permission update always
 * agree.
 */
import type { TRole } from '../shared/domain';

/** Media sources, named as LiveKit names them in a token's `canPublishSources`. */
export const MEDIA_SOURCES = ['camera', 'microphone', 'screen_share', 'screen_share_audio'] as const;
export type TMediaSource = (typeof MEDIA_SOURCES)[number];

/**
 * How a session runs its microphones: `formal` opens a delegation's microphones (its head's
 * included) only while it has the floor; `informal` lets its people speak freely (delegates' and
 * advisers' browsers join muted).
 */
export const MEDIA_MODES = ['formal', 'informal'] as const;
export type TMediaMode = (typeof MEDIA_MODES)[number];

/** When a role's microphone is open. */
type TMicrophoneRule = 'always' | 'with_floor_or_informal' | 'with_own_floor' | 'with_booth';

interface TRoleMedia {
  camera: boolean;
  microphone: TMicrophoneRule;
  screen: boolean;
}

/**
 * V3: grants by role. `satisfies Record<TRole, …>` fails the build when a role has no decision.
 * Only those who run the meeting speak at will in a formal room; a head speaks for a delegation,
 * so with its floor (V4).
 */
const ROLE_MEDIA = {
  secretariat: { camera: true, microphone: 'always', screen: true },
  chair: { camera: true, microphone: 'always', screen: true },
  head: { camera: true, microphone: 'with_floor_or_informal', screen: true },
  delegate: { camera: true, microphone: 'with_floor_or_informal', screen: true },
  adviser: { camera: true, microphone: 'with_floor_or_informal', screen: false },
  // Observers listen; one the chair gave the floor (S6 `observersMayTakeFloor`) may speak then.
  observer: { camera: false, microphone: 'with_own_floor', screen: false },
  // Interpreters publish their language channel and nothing else (V6), while they hold its booth (V21).
  interpreter: { camera: false, microphone: 'with_booth', screen: false },
} as const satisfies Record<TRole, TRoleMedia>;

/** The speech on the floor, as far as microphones care. */
export interface TFloorHolder {
  userId: string | null;
  delegationId: string | null;
}

/** A person in the media room, as the database says now. */
export interface TMediaParticipant {
  userId: string;
  role: TRole;
  delegationId: string | null;
}

/** V21: who holds each language's live channel. */
export interface TBoothHolder {
  language: string;
  userId: string;
}

/**
 * Whether an interpreter who joined on channel `language` holds its booth: only one interpreter per
 * language publishes at a time.
 */
export function holdsBooth(participant: TMediaParticipant, language: string, booths: readonly TBoothHolder[]): boolean {
  return participant.role === 'interpreter' && booths.some((booth) => booth.language === language && booth.userId === participant.userId);
}

/** What a participant may do in the media room. Never room administration or recording (V2). */
export interface TMediaGrants {
  canSubscribe: boolean;
  canPublish: boolean;
  canPublishSources: TMediaSource[];
  /** Data messages stay on our socket, where the server checks them. */
  canPublishData: false;
  /** Name, metadata and attributes are the server's (V2). */
  canUpdateOwnMetadata: false;
}

/**
 * V4: a person holds the floor when the speech is theirs (granted from their own request) or, for a
 * delegation's head, delegates and advisers, when it is their delegation's: the delegation is the
 * principal that was given the floor (S10).
 */
export function holdsFloor(participant: TMediaParticipant, floor: TFloorHolder | null): boolean {
  if (!floor) return false;
  if (floor.userId !== null && floor.userId === participant.userId) return true;
  return participant.role !== 'observer' && floor.delegationId !== null && floor.delegationId === participant.delegationId;
}

function microphoneOpen(rule: TMicrophoneRule, mode: TMediaMode, floorIsTheirs: boolean, boothIsTheirs: boolean): boolean {
  switch (rule) {
    case 'always':
      return true;
    case 'with_floor_or_informal':
      return mode === 'informal' || floorIsTheirs;
    case 'with_own_floor':
      return floorIsTheirs;
    case 'with_booth':
      return boothIsTheirs;
  }
}

function grantsOf(media: TRoleMedia, microphone: boolean): TMediaGrants {
  const sources: TMediaSource[] = [];
  if (media.camera) sources.push('camera');
  if (microphone) sources.push('microphone');
  if (media.screen) sources.push('screen_share', 'screen_share_audio');
  return { canSubscribe: true, canPublish: sources.length > 0, canPublishSources: sources, canPublishData: false, canUpdateOwnMetadata: false };
}

/**
 * The grants of one participant in a room running in `mode` with `floor` on the floor (V3–V5); an
 * interpreter's microphone also needs the booth of the channel they joined (V21).
 */
export function mediaGrantsFor(participant: TMediaParticipant, mode: TMediaMode, floor: TFloorHolder | null, booth = false): TMediaGrants {
  const media: TRoleMedia = ROLE_MEDIA[participant.role];
  return grantsOf(media, microphoneOpen(media.microphone, mode, holdsFloor(participant, floor), booth));
}

/**
 * V29: whether a participant takes a publisher's place in the peer-to-peer mesh: whether the role
 * publishes anything in the most open room short of the floor being personally theirs (informal,
 * their booth). Interpreters do (their booth may come later), observers do not.
 */
export function publishesInMesh(participant: TMediaParticipant): boolean {
  return mediaGrantsFor(participant, 'informal', null, true).canPublish;
}

/**
 * V26: a side room is a conversation, not a meeting with a floor: everyone in it who ever has a
 * microphone has it there (an interpreter invited to whisper too); observers still only listen.
 */
export function sideRoomGrantsFor(participant: TMediaParticipant): TMediaGrants {
  const media: TRoleMedia = ROLE_MEDIA[participant.role];
  return grantsOf(media, media.microphone !== 'with_own_floor');
}

/** A side room as far as who may enter it is concerned. */
export interface TSideRoomMembers {
  delegationIds: readonly string[];
  userIds: readonly string[];
}

/**
 * V23: who may enter a side room: the chair and secretariat, the people of its delegations who speak
 * or advise for them, and whoever the chair invited by name. Observers and interpreters only when
 * invited.
 */
export function mayEnterSideRoom(participant: TMediaParticipant, room: TSideRoomMembers): boolean {
  if (participant.role === 'chair' || participant.role === 'secretariat') return true;
  if (room.userIds.includes(participant.userId)) return true;
  const speaksForDelegation = participant.role === 'head' || participant.role === 'delegate' || participant.role === 'adviser';
  return speaksForDelegation && participant.delegationId !== null && room.delegationIds.includes(participant.delegationId);
}

/** V5: in an informal room a delegation's head joins live, speaking for it; its delegates and advisers join muted. */
const JOIN_MUTED_WHEN_INFORMAL: readonly TRole[] = ['delegate', 'adviser'];

/** Whether a role's browser should join with its microphone muted: it may speak at will, but need not yet. */
export function joinsMuted(role: TRole, mode: TMediaMode): boolean {
  return mode === 'informal' && JOIN_MUTED_WHEN_INFORMAL.includes(role);
}
