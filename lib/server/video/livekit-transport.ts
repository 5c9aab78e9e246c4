/**
 * LiveKit as the media transport (docs/PROTOCOL.md V2–V11): tokens minted for one identity and one
 * room with the policy's grants, and the room kept in step with the session log through LiveKit's
 * RoomService — microphones follow the floor, the chair's moderation is carried out. The server's
 * own RoomService calls use `roomAdmin`; a browser's token never carries it.
 */
import {
  AccessToken,
  EgressClient,
  EncodedFileOutput,
  ParticipantPermission,
  RoomServiceClient,
  S3Upload,
  TrackSource,
  TwirpError,
  WebhookReceiver,
  type ParticipantInfo,
} from 'livekit-server-sdk';
import type { Database } from '../../db';
import { listMemberships, type TMembership } from '../../db/repositories/negotiations';
import type { TSessionEvent } from '../../db/repositories/sessions';
import { holdsFloor, type TMediaGrants, type TMediaSource } from '../../policy/media';
import { mediaGrantsNow } from '../../session/room/reduce-media';
import type { TSessionRoomState } from '../../session/room/state';
import { liveHub } from '../live-hub';
import { log } from '../log';
import { proposeEvent, recordSessionEventOnce, type TProposedEvent } from '../sessions/record-event';
import { mediaRoomName } from './media-room-name';
import type { TMediaAdmission, TMediaTicket, TMediaTransport } from './media-transport';
import { sessionIsOver } from '../../shared/domain';

export interface TLiveKitConfig {
  url: string;
  apiKey: string;
  apiSecret: string;
  /** V18: where the media server's egress writes recordings (docs/OPERATIONS.md). */
  recording: TRecordingOutput;
}

/**
 * A recording's destination: a file the egress writes (a path on the egress host, with LiveKit's
 * `{room_name}` and `{time}` templates), uploaded to S3 when a bucket is set.
 */
export interface TRecordingOutput {
  filepath: string;
  s3: { bucket: string; region: string; endpoint: string; accessKey: string; secret: string } | null;
}

/** V18: a recording shows the speaker large and the others as thumbnails, like the stage. */
const RECORDING_LAYOUT = 'speaker';

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
  'floor.speaker_designated',
  'speech.ended',
  'video.mode_changed',
  'membership.role_changed',
  // A token minted before the floor moved may carry an outdated microphone: correct it on arrival.
  'video.participant_joined',
  // V21: the booth's new interpreter gets the microphone, the previous one loses it.
  'interpretation.booth_handed_over',
];

/** The server's own events (recording started or failed) are in nobody's name. */
const SERVER_AUTHOR = { user: null, membership: undefined };

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
  private readonly egress: EgressClient;
  /** RoomService work per session, one call after another, so a later floor state is never overtaken. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly config: TLiveKitConfig,
    private readonly db: Database,
  ) {
    this.rooms = new RoomServiceClient(config.url, config.apiKey, config.apiSecret);
    this.egress = new EgressClient(config.url, config.apiKey, config.apiSecret);
    this.webhookReceiver = new WebhookReceiver(config.apiKey, config.apiSecret);
  }

  async admit(admission: TMediaAdmission): Promise<TMediaTicket> {
    const room = mediaRoomName(admission.sessionId, admission.sideRoomId);
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
        // The side room they were in (the event's batch took them out of it) loses them as well.
        this.removeEverywhere(session.id, state, (event.payload as { userId: string }).userId, event.at);
      } else if (event.type === 'video.participant_joined' && state.video.removed.includes((event.payload as { userId: string }).userId)) {
        // V10: LiveKit (1.13) ignores `revokeTokenTs`, so a token issued before the removal still
        // gets its holder in; the webhook telling us so takes them out again.
        this.removeEverywhere(session.id, state, (event.payload as { userId: string }).userId, event.at);
      } else if (event.type === 'video.muted_all_but_floor') {
        this.enqueue(session.id, 'mute_all_but_floor', () => this.muteAllButFloor(session, state));
      } else if (event.type === 'video.recording_requested') {
        this.enqueue(session.id, 'start_recording', () => this.startRecording(session.id, event.seq));
      } else if (event.type === 'video.recording_stopped') {
        const { egressId } = event.payload as { egressId: string };
        this.enqueue(session.id, 'stop_recording', () => this.egress.stopEgress(egressId));
      } else if (event.type === 'side_room.left') {
        // V24: back in the plenary means out of the side room's media room.
        const { sideRoomId, userId } = event.payload as { sideRoomId: string; userId: string };
        this.enqueue(session.id, 'leave_side_room', () => this.rooms.removeParticipant(mediaRoomName(session.id, sideRoomId), userId));
      } else if (event.type === 'side_room.closed') {
        const { sideRoomId } = event.payload as { sideRoomId: string };
        this.enqueue(session.id, 'close_side_room', () => this.rooms.deleteRoom(mediaRoomName(session.id, sideRoomId)));
      }
    }
    // V17: a closed session's media room closes with it (S3 empties the room), and nobody may rejoin.
    if (sessionIsOver(state.status)) {
      if (events.some((event) => event.type === 'session.status_changed')) this.enqueue(session.id, 'delete_room', () => this.rooms.deleteRoom(room));
      return;
    }
    if (events.some((event) => MICROPHONE_EVENTS.includes(event.type))) {
      this.enqueue(session.id, 'sync_microphones', () => this.syncMicrophones(session, state));
    }
  }

  /**
   * V10: takes `userId` out of the session's media room and its open side rooms'; tokens issued
   * before `at` are revoked where LiveKit supports it (new ones are refused by the endpoint).
   */
  private removeEverywhere(sessionId: string, state: TSessionRoomState, userId: string, at: number): void {
    const revokeTokenTs = BigInt(Math.floor(at / 1000));
    const open = state.sideRooms.filter((candidate) => candidate.closedAt === null).map((sideRoom) => sideRoom.sideRoomId);
    for (const room of [mediaRoomName(sessionId), ...open.map((sideRoomId) => mediaRoomName(sessionId, sideRoomId))]) {
      this.enqueue(sessionId, 'remove_participant', () => this.rooms.removeParticipant(room, userId, { revokeTokenTs }));
    }
  }

  /**
   * V19: starts the room-composite egress the chair asked for, then records in the log what the
   * media server answered — its egress id, or that it refused — once per request (a restart that
   * replays the request finds the answer stored).
   */
  private async startRecording(sessionId: string, requestSeq: number): Promise<void> {
    let event: TProposedEvent;
    try {
      const info = await this.egress.startRoomCompositeEgress(mediaRoomName(sessionId), this.recordingOutput(), { layout: RECORDING_LAYOUT });
      event = proposeEvent('video.recording_started', { egressId: info.egressId });
    } catch (error) {
      log.error('video.recording_failed', { sessionId, error });
      event = proposeEvent('video.recording_failed', { reason: error instanceof TwirpError ? 'refused' : 'unreachable' });
    }
    await this.db.transaction((tx) => recordSessionEventOnce(tx, sessionId, SERVER_AUTHOR, event, Date.now(), `egress:${requestSeq}`));
    liveHub().sessionLogChanged(sessionId);
  }

  private recordingOutput(): EncodedFileOutput {
    const { filepath, s3 } = this.config.recording;
    if (!s3) return new EncodedFileOutput({ filepath });
    return new EncodedFileOutput({
      filepath,
      output: { case: 's3', value: new S3Upload({ bucket: s3.bucket, region: s3.region, endpoint: s3.endpoint, accessKey: s3.accessKey, secret: s3.secret }) },
    });
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
      // The channel an interpreter joined on is the token's attribute, which the server set (V6).
      const wanted = permissionOf(mediaGrantsNow(state, membership, participant.attributes.language ?? ''));
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
