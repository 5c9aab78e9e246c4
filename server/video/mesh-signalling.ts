/**
 * The peer-to-peer mesh's signalling (docs/PROTOCOL.md V27–V36): browsers of one session's media
 * room exchange WebRTC offers, answers and ICE candidates through this server, over the socket they
 * already have. The server decides who is in a room (the same admission as a LiveKit token: session,
 * membership, policy), stamps who each message is from, and refuses what it can check — media from
 * listeners, a seventh publisher, peers of other rooms, oversized or malformed messages. The media
 * itself flows between the browsers, which apply the grants and the chair's moderation (advisory).
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../../lib/db';
import { findUserById } from '../../lib/db/repositories/people';
import type { TSessionEvent } from '../../lib/db/repositories/sessions';
import { holdsFloor, publishesInMesh } from '../../lib/policy/media';
import { log } from '../../lib/server/log';
import { FailureLimiter } from '../../lib/server/rate-limit';
import { mediaAdmissionFor } from '../../lib/server/video/admit-to-media';
import { MESH_MAX_PUBLISHERS } from '../../lib/server/video/media-transport';
import type { TSessionRoomState } from '../../lib/session/room/state';
import { AppError } from '../../lib/shared/errors';
import {
  sdpSendsMedia,
  ZMeshJoin,
  ZMeshLeave,
  ZMeshSignal,
  type TIceServer,
  type TMeshAck,
  type TMeshError,
  type TMeshJoinAck,
  type TMeshPeer,
  type TMeshRelayed,
} from '../../lib/shared/mesh';
import type { TProxeniaSocket as Socket } from '../socket/types';

/** V32: signalling messages (joins included) a connection may send in the window; a mesh of six needs a few dozen. */
export const MESH_SIGNALS_PER_WINDOW = 200;
export const MESH_SIGNAL_WINDOW_MS = 10_000;
/** V32: joins read the session's log (the admission folds it), so they have a budget of their own. */
export const MESH_JOINS_PER_WINDOW = 10;

interface TMember {
  socket: Socket;
  peer: TMeshPeer;
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
  /** Session id → peer id → member. */
  private readonly rooms = new Map<string, Map<string, TMember>>();
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
      if (parsed.success) this.leave(socket, parsed.data.sessionId);
    });
    socket.on('disconnect', () => {
      this.limiter.reset(socket.id);
      this.joinLimiter.reset(socket.id);
      for (const sessionId of [...this.rooms.keys()]) this.leave(socket, sessionId);
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

  private memberOf(socket: Socket, sessionId: string): TMember | undefined {
    for (const member of this.rooms.get(sessionId)?.values() ?? []) if (member.socket === socket) return member;
    return undefined;
  }

  /** V27, V30, V33: admits the connection to a session's media room, as a publisher when asked and allowed. */
  private async join(socket: Socket, userId: string, payload: unknown): Promise<TMeshJoinAck> {
    const parsed = ZMeshJoin.safeParse(payload);
    if (!parsed.success) return { ok: false, error: 'invalid_input' };
    if (this.limited(socket, this.joinLimiter) || this.limited(socket)) return { ok: false, error: 'rate_limited' };
    const { sessionId, language, publish } = parsed.data;
    const user = await findUserById(this.db, userId);
    if (!user || user.disabledAt !== null) return { ok: false, error: 'forbidden' };
    let admission;
    try {
      admission = await mediaAdmissionFor(this.db, user, sessionId, { language });
    } catch (error) {
      return { ok: false, error: refusalOf(error) };
    }
    if (socket.disconnected) return { ok: false, error: 'forbidden' };
    // V29: someone whose role publishes nothing (an observer) listens; asking to publish is refused.
    // Decided by the role, not the grants of the moment: an interpreter's booth may come later (V21).
    const participant = { userId, role: admission.attributes.role, delegationId: admission.attributes.delegation || null };
    if (publish && !publishesInMesh(participant)) return { ok: false, error: 'not_publisher' };
    // Joining again replaces the connection's earlier place (a new language, listener → publisher).
    this.leave(socket, sessionId);
    const room = this.rooms.get(sessionId) ?? new Map<string, TMember>();
    // V30: counted after the last await, so two joins at once cannot both take the sixth place.
    if (publish && [...room.values()].filter((member) => member.peer.publisher).length >= MESH_MAX_PUBLISHERS) return { ok: false, error: 'room_full' };
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
    const others = [...room.values()];
    room.set(peer.peerId, { socket, peer });
    this.rooms.set(sessionId, room);
    for (const other of others) other.socket.emit('mesh:peer-joined', { sessionId, peer });
    log.info('mesh.joined', { sessionId, userId, publisher: publish });
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
    const sender = this.memberOf(socket, message.sessionId);
    if (!sender) return { ok: false, error: 'not_joined' };
    const target = this.rooms.get(message.sessionId)?.get(message.to);
    if (!target || target === sender) return { ok: false, error: 'no_such_peer' };
    if (message.kind !== 'candidate') {
      // V29: only publishers open connections; a listener's answer may only receive.
      if (message.kind === 'offer' && !sender.peer.publisher) return this.refuse(userId, 'not_publisher');
      if (!sender.peer.publisher && sdpSendsMedia(message.sdp)) return this.refuse(userId, 'sends_media');
    }
    const relayed: TMeshRelayed =
      message.kind === 'candidate'
        ? { sessionId: message.sessionId, from: sender.peer.peerId, kind: 'candidate', candidate: message.candidate }
        : { sessionId: message.sessionId, from: sender.peer.peerId, kind: message.kind, sdp: message.sdp };
    target.socket.emit('mesh:signal', relayed);
    return { ok: true };
  }

  private refuse(userId: string, error: TMeshError): TMeshAck {
    log.warn('mesh.refused', { userId, reason: error });
    return { ok: false, error };
  }

  /** Takes the connection's place in a session's media room, telling the others. */
  private leave(socket: Socket, sessionId: string): void {
    const member = this.memberOf(socket, sessionId);
    if (member) this.remove(sessionId, member);
  }

  private remove(sessionId: string, member: TMember): void {
    const room = this.rooms.get(sessionId);
    if (!room?.delete(member.peer.peerId)) return;
    if (room.size === 0) this.rooms.delete(sessionId);
    for (const other of room.values()) other.socket.emit('mesh:peer-left', { sessionId, peerId: member.peer.peerId });
  }

  /** Ends members' places and tells their browsers why (V35). */
  private close(sessionId: string, members: TMember[], reason: 'removed' | 'session_closed' | 'membership_changed'): void {
    for (const member of members) {
      this.remove(sessionId, member);
      member.socket.emit('mesh:closed', { sessionId, reason });
    }
  }

  /**
   * V34, V35: the chair's moderation and the session's end, as the room's log committed them. The
   * server takes removed people out of the signalling; muting is asked of the browsers (advisory).
   */
  roomEventsApplied(session: { id: string }, events: readonly TSessionEvent[], state: TSessionRoomState): void {
    const room = this.rooms.get(session.id);
    if (!room) return;
    const members = () => [...room.values()];
    if (state.status === 'closed') return this.close(session.id, members(), 'session_closed');
    for (const event of events) {
      if (event.type === 'video.participant_removed') {
        const { userId } = event.payload as { userId: string };
        this.close(session.id, members().filter((member) => member.peer.userId === userId), 'removed');
      } else if (event.type === 'video.track_muted') {
        const { userId } = event.payload as { userId: string };
        for (const member of members()) if (member.peer.userId === userId) member.socket.emit('mesh:moderation', { sessionId: session.id, action: 'mute_microphone' });
      } else if (event.type === 'video.muted_all_but_floor') {
        for (const { socket, peer } of members()) {
          // Interpreters carry the floor to listeners (V11).
          if (peer.role === 'interpreter' || holdsFloor({ userId: peer.userId, role: peer.role, delegationId: peer.delegationId }, state.floor.speech)) continue;
          socket.emit('mesh:moderation', { sessionId: session.id, action: 'mute_microphone' });
        }
      }
    }
  }

  /**
   * T39, V35: a person's role or delegation changed. Their places in the negotiation's media rooms
   * end when the admission now refuses them or describes them otherwise; their browsers may join
   * again with what they are now.
   */
  async membershipChanged(userId: string): Promise<void> {
    const user = await findUserById(this.db, userId);
    for (const [sessionId, room] of this.rooms) {
      for (const member of [...room.values()].filter((candidate) => candidate.peer.userId === userId)) {
        const admission = user && user.disabledAt === null ? await mediaAdmissionFor(this.db, user, sessionId, { language: member.peer.language }).catch(() => null) : null;
        const same = admission && admission.attributes.role === member.peer.role && (admission.attributes.delegation || null) === member.peer.delegationId;
        if (!same) this.close(sessionId, [member], 'membership_changed');
      }
    }
  }
}
