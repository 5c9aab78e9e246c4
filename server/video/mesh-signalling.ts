/**
 * The peer-to-peer mesh's signalling (docs/PROTOCOL.md V27–V39): browsers of one media room — a
 * session's plenary or one of its side rooms — exchange WebRTC offers, answers and ICE candidates through this server, over the socket they
 * already have. The server decides who is in a room (the same admission as a LiveKit token: session,
 * membership, policy), stamps who each message is from, and refuses what it can check — media from
 * listeners, a seventh publisher, peers of other rooms, oversized or malformed messages. The media
 * itself flows between the browsers, which apply the grants and the chair's moderation (advisory).
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../../lib/db';
import { findUserById, type TUser } from '../../lib/db/repositories/people';
import type { TSessionEvent } from '../../lib/db/repositories/sessions';
import { holdsFloor, publishesInMesh } from '../../lib/policy/media';
import { log } from '../../lib/server/log';
import { FailureLimiter } from '../../lib/server/rate-limit';
import { mediaAdmissionFor } from '../../lib/server/video/admit-to-media';
import { mediaRoomName } from '../../lib/server/video/media-room-name';
import { MESH_MAX_PUBLISHERS, type TMediaAdmission } from '../../lib/server/video/media-transport';
import type { TSessionRoomState } from '../../lib/session/room/state';
import { AppError } from '../../lib/shared/errors';
import {
  sdpSendsMedia,
  ZMeshJoin,
  ZMeshLeave,
  ZMeshSignal,
  type TIceServer,
  type TMeshAck,
  type TMeshClosedReason,
  type TMeshError,
  type TMeshJoinAck,
  type TMeshPeer,
  type TMeshRelayed,
  type TMeshRoomRef,
} from '../../lib/shared/mesh';
import type { TProxeniaSocket as Socket } from '../socket/types';
import { sessionIsOver } from '../../lib/shared/domain';

/** V32: signalling messages (joins included) a connection may send in the window; a mesh of six needs a few dozen. */
export const MESH_SIGNALS_PER_WINDOW = 200;
export const MESH_SIGNAL_WINDOW_MS = 10_000;
/** V32: joins read the session's log (the admission folds it), so they have a budget of their own. */
export const MESH_JOINS_PER_WINDOW = 10;

/** V38: events after which an admission read before them may no longer hold (who is where, removals, the close). */
const ADMISSION_EVENTS = new Set(['side_room.left', 'side_room.closed', 'video.participant_removed', 'session.status_changed']);

interface TMember {
  socket: Socket;
  peer: TMeshPeer;
}

/** One media room's mesh: the plenary's (`sideRoomId` null) or a side room's (V37). */
interface TRoom {
  sessionId: string;
  sideRoomId: string | null;
  /** Peer id → member. */
  members: Map<string, TMember>;
}

/** How a message names a room to the browsers: the side room only when there is one, so the plenary's messages stay as they were. */
function refOf(room: TRoom): TMeshRoomRef {
  return room.sideRoomId === null ? { sessionId: room.sessionId } : { sessionId: room.sessionId, sideRoomId: room.sideRoomId };
}

function nameOf(ref: TMeshRoomRef): string {
  return mediaRoomName(ref.sessionId, ref.sideRoomId ?? null);
}

type TReply<T> = (response: T) => void;

/** Which refusal an admission error is, as a browser may learn it (V27). */
function refusalOf(error: unknown): TMeshError {
  if (error instanceof AppError) {
    if (error.code === 'invalid_input') return 'invalid_input';
    if (error.code === 'not_found') return 'not_found';
  }
  return 'forbidden';
}

export class MeshSignalling {
  /** Media room name (V26) → its mesh. */
  private readonly rooms = new Map<string, TRoom>();
  /**
   * Joins of a session whose admission is being decided: a batch of the session's events applied
   * meanwhile marks them stale, so they decide again on the log that includes it (V38).
   */
  private readonly deciding = new Map<string, Set<{ stale: boolean }>>();
  /** V32: per connection. */
  private readonly limiter = new FailureLimiter(MESH_SIGNALS_PER_WINDOW, MESH_SIGNAL_WINDOW_MS);
  private readonly joinLimiter = new FailureLimiter(MESH_JOINS_PER_WINDOW, MESH_SIGNAL_WINDOW_MS);

  constructor(
    private readonly db: Database,
    private readonly iceServers: readonly TIceServer[],
  ) {}

  /** Registers the mesh's events on an authenticated socket. */
  attach(socket: Socket, userId: string): void {
    socket.on('mesh:join', (payload: unknown, ack: unknown) => {
      const reply = this.replyOf<TMeshJoinAck>(socket, ack);
      void this.join(socket, userId, payload)
        .then(reply)
        .catch((error: unknown) => {
          log.error('mesh.join_failed', { userId, error });
          reply({ ok: false, error: 'forbidden' });
        });
    });
    socket.on('mesh:signal', (payload: unknown, ack: unknown) => this.replyOf<TMeshAck>(socket, ack)(this.signal(socket, userId, payload)));
    socket.on('mesh:leave', (payload: unknown) => {
      const parsed = ZMeshLeave.safeParse(payload);
      if (parsed.success) this.leave(socket, nameOf(parsed.data));
    });
    socket.on('disconnect', () => {
      this.limiter.reset(socket.id);
      this.joinLimiter.reset(socket.id);
      for (const name of [...this.rooms.keys()]) this.leave(socket, name);
    });
  }

  /** V28: a refusal goes back to the sender, on the ack when there is one, else as `mesh:error`; the connection stays. */
  private replyOf<T extends TMeshAck | TMeshJoinAck>(socket: Socket, ack: unknown): TReply<T> {
    if (typeof ack === 'function') return ack as TReply<T>;
    return (response) => {
      if (!response.ok) socket.emit('mesh:error', { error: response.error });
    };
  }

  /** V32: whether the connection is over a budget (each call counts one message). */
  private limited(socket: Socket, limiter = this.limiter): boolean {
    if (limiter.isBlocked(socket.id)) return true;
    limiter.recordFailure(socket.id);
    return false;
  }

  private memberOf(socket: Socket, name: string): TMember | undefined {
    for (const member of this.rooms.get(name)?.members.values() ?? []) if (member.socket === socket) return member;
    return undefined;
  }

  /** The meshes of one session: its plenary's and its side rooms'. */
  private roomsOf(sessionId: string): TRoom[] {
    return [...this.rooms.values()].filter((room) => room.sessionId === sessionId);
  }

  /**
   * V27, V37, V38: the admission of a join, decided again when the session's log moved while it was
   * read — a side room left or closed, a removal — so no place outlives what the log says.
   */
  private async admit(user: TUser, ref: TMeshRoomRef, language: string): Promise<TMediaAdmission> {
    const pending = this.deciding.get(ref.sessionId) ?? new Set<{ stale: boolean }>();
    this.deciding.set(ref.sessionId, pending);
    try {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const token = { stale: false };
        pending.add(token);
        try {
          const admission = await mediaAdmissionFor(this.db, user, ref.sessionId, { language, ...(ref.sideRoomId ? { sideRoomId: ref.sideRoomId } : {}) });
          if (!token.stale) return admission;
        } finally {
          pending.delete(token);
        }
      }
      // The log kept moving under three reads in a row: the browser may try again.
      throw new AppError('forbidden');
    } finally {
      if (pending.size === 0) this.deciding.delete(ref.sessionId);
    }
  }

  /** V27, V30, V33, V37: admits the connection to a media room, as a publisher when asked and allowed. */
  private async join(socket: Socket, userId: string, payload: unknown): Promise<TMeshJoinAck> {
    const parsed = ZMeshJoin.safeParse(payload);
    if (!parsed.success) return { ok: false, error: 'invalid_input' };
    if (this.limited(socket, this.joinLimiter) || this.limited(socket)) return { ok: false, error: 'rate_limited' };
    const { sessionId, sideRoomId, language, publish } = parsed.data;
    const user = await findUserById(this.db, userId);
    if (!user || user.disabledAt !== null) return { ok: false, error: 'forbidden' };
    let admission;
    try {
      admission = await this.admit(user, { sessionId, sideRoomId }, language);
    } catch (error) {
      return { ok: false, error: refusalOf(error) };
    }
    if (socket.disconnected) return { ok: false, error: 'forbidden' };
    // V29: someone whose role publishes nothing (an observer) listens; asking to publish is refused.
    // Decided by the role, not the grants of the moment: an interpreter's booth may come later (V21).
    const participant = { userId, role: admission.attributes.role, delegationId: admission.attributes.delegation || null };
    if (publish && !publishesInMesh(participant)) return { ok: false, error: 'not_publisher' };
    const name = mediaRoomName(sessionId, sideRoomId ?? null);
    const room = this.rooms.get(name) ?? { sessionId, sideRoomId: sideRoomId ?? null, members: new Map<string, TMember>() };
    // V30: counted after the last await, so two joins at once cannot both take the sixth place (the
    // connection's own place, which the join replaces, does not count).
    const publishers = [...room.members.values()].filter((member) => member.peer.publisher && member.socket !== socket).length;
    if (publish && publishers >= MESH_MAX_PUBLISHERS) return { ok: false, error: 'room_full' };
    // Joining again replaces the connection's earlier place in the session (a new language,
    // listener → publisher, V37: the plenary's for a side room's and back).
    for (const held of this.roomsOf(sessionId)) this.leave(socket, mediaRoomName(sessionId, held.sideRoomId));
    const peer: TMeshPeer = {
      peerId: randomUUID(),
      userId,
      name: user.name,
      role: participant.role,
      delegationId: participant.delegationId,
      // V33: the channel is the server's: an interpreter's validated language, the floor for everyone else.
      language: admission.attributes.role === 'interpreter' ? language : 'floor',
      publisher: publish,
    };
    const others = [...room.members.values()];
    room.members.set(peer.peerId, { socket, peer });
    this.rooms.set(name, room);
    for (const other of others) other.socket.emit('mesh:peer-joined', { ...refOf(room), peer });
    log.info('mesh.joined', { sessionId, sideRoomId, userId, publisher: publish });
    return { ok: true, self: peer, peers: others.map((other) => other.peer), iceServers: [...this.iceServers] };
  }

  /** V28, V29, V31: relays one offer, answer or candidate to a peer of the sender's room, stamped with who sent it. */
  private signal(socket: Socket, userId: string, payload: unknown): TMeshAck {
    const parsed = ZMeshSignal.safeParse(payload);
    if (!parsed.success) {
      log.warn('mesh.refused', { userId, reason: 'invalid_input' });
      return { ok: false, error: 'invalid_input' };
    }
    if (this.limited(socket)) return { ok: false, error: 'rate_limited' };
    const message = parsed.data;
    // V37: the room the sender has a place in; a peer of the plenary is not one of a side room's.
    const room = this.rooms.get(nameOf(message));
    const sender = room && this.memberOf(socket, nameOf(message));
    if (!room || !sender) return { ok: false, error: 'not_joined' };
    const target = room.members.get(message.to);
    if (!target || target === sender) return { ok: false, error: 'no_such_peer' };
    if (message.kind !== 'candidate') {
      // V29: only publishers open connections; a listener's answer may only receive.
      if (message.kind === 'offer' && !sender.peer.publisher) return this.refuse(userId, 'not_publisher');
      if (!sender.peer.publisher && sdpSendsMedia(message.sdp)) return this.refuse(userId, 'sends_media');
    }
    const relayed: TMeshRelayed =
      message.kind === 'candidate'
        ? { ...refOf(room), from: sender.peer.peerId, kind: 'candidate', candidate: message.candidate }
        : { ...refOf(room), from: sender.peer.peerId, kind: message.kind, sdp: message.sdp };
    target.socket.emit('mesh:signal', relayed);
    return { ok: true };
  }

  private refuse(userId: string, error: TMeshError): TMeshAck {
    log.warn('mesh.refused', { userId, reason: error });
    return { ok: false, error };
  }

  /** Takes the connection's place in a media room, telling the others. */
  private leave(socket: Socket, name: string): void {
    const member = this.memberOf(socket, name);
    const room = this.rooms.get(name);
    if (member && room) this.remove(room, member);
  }

  private remove(room: TRoom, member: TMember): void {
    if (!room.members.delete(member.peer.peerId)) return;
    if (room.members.size === 0) this.rooms.delete(mediaRoomName(room.sessionId, room.sideRoomId));
    for (const other of room.members.values()) other.socket.emit('mesh:peer-left', { ...refOf(room), peerId: member.peer.peerId });
  }

  /** Ends members' places and tells their browsers why (V35, V38). */
  private close(room: TRoom, members: TMember[], reason: TMeshClosedReason): void {
    for (const member of members) {
      this.remove(room, member);
      member.socket.emit('mesh:closed', { ...refOf(room), reason });
    }
  }

  /**
   * V34, V35, V38: the chair's moderation, the side rooms' comings and goings and the session's end,
   * as the room's log committed them. The server takes people out of the signalling where the log
   * says they are no longer; muting is asked of the browsers (advisory).
   */
  roomEventsApplied(session: { id: string }, events: readonly TSessionEvent[], state: TSessionRoomState): void {
    if (events.some((event) => ADMISSION_EVENTS.has(event.type))) for (const pending of this.deciding.get(session.id) ?? []) pending.stale = true;
    const rooms = this.roomsOf(session.id);
    if (sessionIsOver(state.status)) {
      for (const room of rooms) this.close(room, [...room.members.values()], 'session_closed');
      return;
    }
    for (const event of events) {
      if (event.type === 'video.participant_removed') {
        const { userId } = event.payload as { userId: string };
        for (const room of rooms) this.close(room, [...room.members.values()].filter((member) => member.peer.userId === userId), 'removed');
      } else if (event.type === 'video.track_muted') {
        const { userId } = event.payload as { userId: string };
        for (const room of rooms) {
          for (const member of room.members.values()) if (member.peer.userId === userId) member.socket.emit('mesh:moderation', { ...refOf(room), action: 'mute_microphone' });
        }
      } else if (event.type === 'video.muted_all_but_floor') {
        // The floor is the plenary's; a side room is a conversation (V26).
        const plenary = this.rooms.get(mediaRoomName(session.id));
        for (const { socket, peer } of plenary?.members.values() ?? []) {
          // Interpreters carry the floor to listeners (V11).
          if (peer.role === 'interpreter' || holdsFloor({ userId: peer.userId, role: peer.role, delegationId: peer.delegationId }, state.floor.speech)) continue;
          socket.emit('mesh:moderation', { sessionId: session.id, action: 'mute_microphone' });
        }
      }
    }
    // V38: a side room's mesh holds the people the log has in it, while it is open.
    for (const room of rooms) {
      if (room.sideRoomId === null) continue;
      const sideRoom = state.sideRooms.find((candidate) => candidate.sideRoomId === room.sideRoomId);
      if (!sideRoom || sideRoom.closedAt !== null) this.close(room, [...room.members.values()], 'side_room_closed');
      else this.close(room, [...room.members.values()].filter((member) => !sideRoom.present.includes(member.peer.userId)), 'left_side_room');
    }
  }

  /**
   * T39, V35: a person's role or delegation changed. Their places in the negotiation's media rooms
   * end when the admission now refuses them or describes them otherwise; their browsers may join
   * again with what they are now.
   */
  async membershipChanged(userId: string): Promise<void> {
    const user = await findUserById(this.db, userId);
    for (const room of [...this.rooms.values()]) {
      for (const member of [...room.members.values()].filter((candidate) => candidate.peer.userId === userId)) {
        // V37: a side room's admission also asks whether the new role or delegation may still be in it.
        const body = { language: member.peer.language, ...(room.sideRoomId === null ? {} : { sideRoomId: room.sideRoomId }) };
        const admission = user && user.disabledAt === null ? await mediaAdmissionFor(this.db, user, room.sessionId, body).catch(() => null) : null;
        const same = admission && admission.attributes.role === member.peer.role && (admission.attributes.delegation || null) === member.peer.delegationId;
        if (!same) this.close(room, [member], 'membership_changed');
      }
    }
  }
}
