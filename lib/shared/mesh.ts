/**
 * The peer-to-peer mesh's signalling messages (docs/PROTOCOL.md V27–V39), shared by the server that
 * relays them and the browsers that send them. The server checks each one against these schemas; a
 * browser names only a session, a peer of the same media room and the SDP or ICE candidate itself.
 */
import { z } from 'zod';
import { LANGUAGES, type TRole } from './domain';
import { ZId } from './schemas';

/** V28: a session description is a few kilobytes; 64 KB leaves room for many tracks and codecs. */
export const MAX_SDP_CHARS = 64 * 1024;
/** V28: one ICE candidate line is under 300 characters. */
export const MAX_CANDIDATE_CHARS = 1024;

/** Language channels: `floor` is the speakers themselves, the others are interpreters' (V6, V33). */
export const MEDIA_CHANNELS = ['floor', ...LANGUAGES] as const;
export type TMediaChannel = (typeof MEDIA_CHANNELS)[number];
export const ZMediaChannel = z.enum(MEDIA_CHANNELS);

/**
 * V37: which media room of a session a message is about — the plenary's (no `sideRoomId`) or a side
 * room's. Every mesh message names one, so the plenary's mesh and each side room's never mix.
 */
const meshRoom = { sessionId: z.uuid(), sideRoomId: ZId.optional() };
export interface TMeshRoomRef {
  sessionId: string;
  sideRoomId?: string;
}

/** V27: `mesh:join`. `publish: false` joins as a listener, which takes no publisher's place. */
export const ZMeshJoin = z.strictObject({ ...meshRoom, language: ZMediaChannel.default('floor'), publish: z.boolean() });
export type TMeshJoin = z.input<typeof ZMeshJoin>;

export const ZMeshLeave = z.strictObject(meshRoom);

/** V28: `mesh:signal`, from a browser to one peer of its media room. */
export const ZMeshSignal = z.discriminatedUnion('kind', [
  z.strictObject({ ...meshRoom, to: z.uuid(), kind: z.enum(['offer', 'answer']), sdp: z.string().min(1).max(MAX_SDP_CHARS) }),
  z.strictObject({
    ...meshRoom,
    to: z.uuid(),
    kind: z.literal('candidate'),
    candidate: z.strictObject({
      candidate: z.string().max(MAX_CANDIDATE_CHARS),
      sdpMid: z.string().max(64).nullable(),
      sdpMLineIndex: z.number().int().min(0).max(64).nullable(),
    }),
  }),
]);
export type TMeshSignal = z.infer<typeof ZMeshSignal>;

/** A member of a media room as the server describes it to the others: every field is the server's. */
export interface TMeshPeer {
  /** Random, given by the server at each join; the only address a browser uses for a peer. */
  peerId: string;
  userId: string;
  name: string;
  role: TRole;
  delegationId: string | null;
  /** The channel an interpreter publishes (V33); `floor` for everyone else. */
  language: TMediaChannel;
  /** Whether the peer holds one of the room's publisher places (V30); listeners send no media. */
  publisher: boolean;
}

/** An RTCIceServer as the operator configures it (MESH_ICE_SERVERS). */
export interface TIceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export const ZIceServers = z.array(
  z.strictObject({
    urls: z.union([z.string().regex(/^(stun|turns?):/), z.array(z.string().regex(/^(stun|turns?):/)).min(1)]),
    username: z.string().optional(),
    credential: z.string().optional(),
  }),
);

/** Refusals of the mesh's signalling (V27–V32). */
export type TMeshError = 'invalid_input' | 'not_found' | 'forbidden' | 'not_joined' | 'room_full' | 'not_publisher' | 'sends_media' | 'no_such_peer' | 'rate_limited';

export type TMeshJoinAck = { ok: true; self: TMeshPeer; peers: TMeshPeer[]; iceServers: TIceServer[] } | { ok: false; error: TMeshError };
export type TMeshAck = { ok: true } | { ok: false; error: TMeshError };

/** What a browser receives from a peer through the server: `from` and the sender's channel are stamped by the server. */
export type TMeshRelayed = TMeshRoomRef &
  ({ from: string; kind: 'offer' | 'answer'; sdp: string } | { from: string; kind: 'candidate'; candidate: { candidate: string; sdpMid: string | null; sdpMLineIndex: number | null } });

/** V34: what the chair's moderation asks of one browser in the mesh, which honours it (advisory). */
export type TMeshModeration = TMeshRoomRef & { action: 'mute_microphone' };

/** V35, V38: why the server ended a place. */
export type TMeshClosedReason = 'removed' | 'session_closed' | 'membership_changed' | 'left_side_room' | 'side_room_closed';

/** V37: whether a message is about the media room `room` names (the plenary's when it names no side room). */
export function sameMeshRoom(message: TMeshRoomRef, room: TMeshRoomRef): boolean {
  return message.sessionId === room.sessionId && (message.sideRoomId ?? null) === (room.sideRoomId ?? null);
}

/**
 * V29: whether an SDP sends media: any media section whose direction is sendrecv or sendonly (the
 * default when none is written). A listener's answers must receive only.
 */
export function sdpSendsMedia(sdp: string): boolean {
  const sections = sdp.split(/\r?\nm=/).slice(1);
  return sections.some((section) => {
    if (/^application /.test(section)) return false;
    // A rejected section (port 0) carries nothing.
    if (/^\w+ 0 /.test(section)) return false;
    const direction = /\r?\na=(sendrecv|sendonly|recvonly|inactive)\b/.exec(section)?.[1] ?? 'sendrecv';
    return direction === 'sendrecv' || direction === 'sendonly';
  });
}
