/**
 * LiveKit as the media transport (docs/PROTOCOL.md V2–V11): tokens minted for one identity and one
 * room with the policy's grants, and the room kept in step with the session log through LiveKit's
 * RoomService — microphones follow the floor, the chair's moderation is carried out. The server's
 * own RoomService calls use `roomAdmin`; a browser's token never carries it.
 */
import { AccessToken, ParticipantPermission, RoomServiceClient, TrackSource, TwirpError, WebhookReceiver, type ParticipantInfo } from 'livekit-server-sdk';
import type { Database } from '../../db';
import { listMemberships, type TMembership } from '../../db/repositories/negotiations';
import type { TSessionEvent } from '../../db/repositories/sessions';
import { holdsFloor, mediaGrantsFor, type TMediaGrants, type TMediaSource } from '../../policy/media';
import type { TSessionRoomState } from '../../session/room/state';
import { log } from '../log';
import { mediaRoomName } from './media-room-name';
import type { TMediaAdmission, TMediaTicket, TMediaTransport } from './media-transport';

export interface TLiveKitConfig {
  url: string;
  apiKey: string;
  apiSecret: string;
}

/** V2: a token only gets its holder into the room for a few minutes; the connection it opens lives on. */
export const MEDIA_TOKEN_TTL_SECONDS = 10 * 60;

const TRACK_SOURCES: Record<TMediaSource, TrackSource> = {
  camera: TrackSource.CAMERA,
  microphone: TrackSource.MICROPHONE,
  screen_share: TrackSource.SCREEN_SHARE,
  screen_share_audio: TrackSource.SCREEN_SHARE_AUDIO,
};

/** Events after which the microphones a room allows may have changed (V8). */
const MICROPHONE_EVENTS: readonly string[] = [
  'floor.granted',
  'speech.ended',
  'video.mode_changed',
  'membership.role_changed',
  // A token minted before the floor moved may carry an outdated microphone: correct it on arrival.
  'video.participant_joined',
];

function permissionOf(grants: TMediaGrants): Partial<ParticipantPermission> {
  return {
    canSubscribe: grants.canSubscribe,
    canPublish: grants.canPublish,
    canPublishData: grants.canPublishData,
    canPublishSources: grants.canPublishSources.map((source) => TRACK_SOURCES[source]),
    canUpdateMetadata: grants.canUpdateOwnMetadata,
  };
}

function samePermission(current: ParticipantPermission | undefined, wanted: Partial<ParticipantPermission>): boolean {
  if (!current) return false;
  const sources = (list: readonly TrackSource[] | undefined) => [...(list ?? [])].sort().join(',');
  return current.canPublish === wanted.canPublish && current.canSubscribe === wanted.canSubscribe && sources(current.canPublishSources) === sources(wanted.canPublishSources);
}

/** Whether LiveKit said the participant is not (or no longer) in the room: nothing left to do. */
function isNotFound(error: unknown): boolean {
  return error instanceof TwirpError && error.status === 404;
}

export class LiveKitTransport implements TMediaTransport {
  readonly kind = 'livekit';
  readonly webhookReceiver: WebhookReceiver;
  private readonly rooms: RoomServiceClient;
  /** RoomService work per session, one call after another, so a later floor state is never overtaken. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly config: TLiveKitConfig,
    private readonly db: Database,
  ) {
    this.rooms = new RoomServiceClient(config.url, config.apiKey, config.apiSecret);
    this.webhookReceiver = new WebhookReceiver(config.apiKey, config.apiSecret);
  }

  async admit(admission: TMediaAdmission): Promise<TMediaTicket> {
    const room = mediaRoomName(admission.sessionId);
    const token = new AccessToken(this.config.apiKey, this.config.apiSecret, {
      identity: admission.userId,
      name: admission.name,
      ttl: MEDIA_TOKEN_TTL_SECONDS,
      attributes: admission.attributes,
    });
    // Exactly these fields: no roomAdmin, roomRecord, roomCreate or roomList for a browser (V2).
    token.addGrant({
      roomJoin: true,
      room,
      canSubscribe: admission.grants.canSubscribe,
      canPublish: admission.grants.canPublish,
      canPublishSources: admission.grants.canPublishSources.map((source) => TRACK_SOURCES[source]),
      canPublishData: admission.grants.canPublishData,
      canUpdateOwnMetadata: admission.grants.canUpdateOwnMetadata,
    });
    return {
      transport: 'livekit',
      moderation: 'enforced',
      url: this.config.url,
      room,
      token: await token.toJwt(),
      expiresAt: Date.now() + MEDIA_TOKEN_TTL_SECONDS * 1000,
      grants: admission.grants,
      joinMuted: admission.joinMuted,
    };
  }

  roomEventsApplied(session: { id: string; negotiationId: string }, events: readonly TSessionEvent[], state: TSessionRoomState): void {
    const room = mediaRoomName(session.id);
    for (const event of events) {
      if (event.type === 'video.track_muted') {
        const { userId, trackSid } = event.payload as { userId: string; trackSid: string };
        this.enqueue(session.id, 'mute_track', () => this.rooms.mutePublishedTrack(room, userId, trackSid, true));
      } else if (event.type === 'video.participant_removed') {
        const { userId } = event.payload as { userId: string };
        // Tokens issued before now stop working too (V10); new ones are refused by the endpoint.
        this.enqueue(session.id, 'remove_participant', () => this.rooms.removeParticipant(room, userId, { revokeTokenTs: BigInt(Math.floor(event.at / 1000)) }));
      } else if (event.type === 'video.muted_all_but_floor') {
        this.enqueue(session.id, 'mute_all_but_floor', () => this.muteAllButFloor(session, state));
      }
    }
    // V17: a closed session's media room closes with it (S3 empties the room), and nobody may rejoin.
    if (state.status === 'closed') {
      if (events.some((event) => event.type === 'session.status_changed')) this.enqueue(session.id, 'delete_room', () => this.rooms.deleteRoom(room));
      return;
    }
    if (events.some((event) => MICROPHONE_EVENTS.includes(event.type))) {
      this.enqueue(session.id, 'sync_microphones', () => this.syncMicrophones(session, state));
    }
  }

  private enqueue(sessionId: string, action: string, work: () => Promise<unknown>): void {
    const run = (this.queues.get(sessionId) ?? Promise.resolve())
      .then(work)
      .then(
        () => undefined,
        (error: unknown) => {
          if (isNotFound(error)) return;
          // The log already holds the action; the media server missed it. Logged for the operator.
          log.error('video.livekit_failed', { sessionId, action, error });
        },
      );
    this.queues.set(sessionId, run);
    void run.then(() => {
      if (this.queues.get(sessionId) === run) this.queues.delete(sessionId);
    });
  }

  /** The room's participants with their memberships now; identities that are no member are left alone. */
  private async participantsOf(session: { id: string; negotiationId: string }): Promise<{ participant: ParticipantInfo; membership: TMembership }[]> {
    const participants = await this.rooms.listParticipants(mediaRoomName(session.id));
    if (!participants.length) return [];
    const members = new Map((await listMemberships(this.db, session.negotiationId)).map((membership) => [membership.userId, membership]));
    return participants.flatMap((participant) => {
      const membership = members.get(participant.identity);
      return membership ? [{ participant, membership }] : [];
    });
  }

  /**
   * V8: each participant's permission as the policy gives it for the room's state now; LiveKit is
   * told only where it differs, and unpublishes a microphone whose permission goes.
   */
  private async syncMicrophones(session: { id: string; negotiationId: string }, state: TSessionRoomState): Promise<void> {
    for (const { participant, membership } of await this.participantsOf(session)) {
      const wanted = permissionOf(mediaGrantsFor(membership, state.video.mode, state.floor.speech));
      if (samePermission(participant.permission, wanted)) continue;
      await this.rooms.updateParticipant(mediaRoomName(session.id), participant.identity, { permission: wanted });
    }
  }

  /** V11: every open microphone but the floor's (and the interpreters', who carry the floor) is muted. */
  private async muteAllButFloor(session: { id: string; negotiationId: string }, state: TSessionRoomState): Promise<void> {
    for (const { participant, membership } of await this.participantsOf(session)) {
      if (membership.role === 'interpreter' || holdsFloor(membership, state.floor.speech)) continue;
      for (const track of participant.tracks) {
        if (track.source === TrackSource.MICROPHONE && !track.muted) {
          await this.rooms.mutePublishedTrack(mediaRoomName(session.id), participant.identity, track.sid, true);
        }
      }
    }
  }
}
