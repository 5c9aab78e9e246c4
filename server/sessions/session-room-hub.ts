/**
 * The session rooms over socket.io (docs/PROTOCOL.md S1, S18–S23): joining through the policy,
 * attendance from live connections, commands into each room's pipeline, and events out to the
 * socket rooms the server computes for each viewer.
 */
import { z } from 'zod';
import type { Database } from '../../lib/db';
import { findUserById, type TUser } from '../../lib/db/repositories/people';
import { findSessionById, type TSessionEvent } from '../../lib/db/repositories/sessions';
import { authorizeInNegotiation, type TNegotiationAccess } from '../../lib/server/negotiations/authorize-in-negotiation';
import { log } from '../../lib/server/log';
import { FailureLimiter } from '../../lib/server/rate-limit';
import { toRoomEvent } from '../../lib/server/sessions/read-session-record';
import { NEGOTIATION_RECORD_EVENTS } from '../../lib/server/sessions/room/negotiation-records';
import { loadRoomDirectory } from '../../lib/server/sessions/room/room-directory';
import { roomViewerOf, viewerScopeOf } from '../../lib/server/sessions/room/room-viewer';
import type { TMediaTransport } from '../../lib/server/video/media-transport';
import { ZSessionCommandEnvelope, type TCommandAck } from '../../lib/session/room/commands';
import type { TRoomEvent, TSessionRoomState } from '../../lib/session/room/state';
import type { TRoomDirectory, TRoomViewer, TSessionRoomView } from '../../lib/session/room/view';
import { audienceOf, RESCOPING_EVENTS, socketRooms, socketRoomsOfAudience, socketRoomsOfViewer, stateForViewer } from '../../lib/session/room/visibility';
import type { TRoomJoinAck } from '../../lib/shared/protocol';
import type { TProxeniaSocket as Socket, TProxeniaSocketServer as Server } from '../socket/types';
import { DecisionKeeper } from './decision-keeper';
import { LiveSessionRoom } from './live-session-room';

const ZJoin = z.strictObject({ sessionId: z.uuid() });

/** Refused or malformed messages a connection may send before it is closed (THREATS T19). */
const MAX_VIOLATIONS = 20;
/** How long a room nobody has open stays in memory (everything in it is in the log anyway). */
const UNLOAD_AFTER_MS = 30_000;

/** Event types after which the names a room shows may have changed: the directory is sent again. */
const DIRECTORY_EVENTS: readonly string[] = ['membership.added', 'membership.role_changed', 'delegation.accredited'];

/** What one connection has joined in one session: who it is there, and the socket rooms it was put in. */
interface TJoinedSession {
  negotiationId: string;
  /** The viewer as the last snapshot was built for (null until the first one). */
  viewer: TRoomViewer | null;
  socketRooms: string[];
  /** Set when the socket leaves, so a join still in progress does not put it back into rooms. */
  left: boolean;
}

interface TConnection {
  userId: string;
  name: string;
  sessions: Map<string, TJoinedSession>;
  violations: number;
}

type TReply<T> = (response: T) => void;

type TRoomFollower = (session: { id: string; negotiationId: string }, events: readonly TSessionEvent[], state: TSessionRoomState) => void;

function replyOf<T>(ack: unknown): TReply<T> {
  return typeof ack === 'function' ? (ack as TReply<T>) : () => undefined;
}

export class SessionRoomHub {
  private readonly rooms = new Map<string, Promise<LiveSessionRoom>>();
  private readonly connections = new WeakMap<Socket, TConnection>();
  private readonly unloadTimers = new Map<string, NodeJS.Timeout>();
  private readonly directories = new Map<string, TRoomDirectory>();
  /** Open connections per session and person: attendance counts people, not tabs (S18). */
  private readonly presence = new Map<string, Map<string, Set<Socket>>>();
  /** S21: at most 40 commands in 5 seconds per connection. */
  private readonly commandLimiter = new FailureLimiter(40, 5_000);
  /** S40, S41: deadlines and adopted outcomes, kept by the server itself. */
  private readonly decisions: DecisionKeeper;
  /** Others told of each room's committed events (the mesh's signalling, V34). */
  private readonly followers: TRoomFollower[] = [];

  constructor(
    private readonly io: Server,
    private readonly db: Database,
    /** Told of every committed event, so the media room follows the floor and moderation (V8). */
    private readonly media: TMediaTransport,
  ) {
    this.decisions = new DecisionKeeper(db, async (session) => {
      const room = await this.load(session);
      // A room loaded for the server's own work leaves memory again when nobody joins it.
      this.scheduleUnload(session.id);
      return room;
    });
  }

  /** `follower` is told of every room's committed events after they are applied. */
  follow(follower: TRoomFollower): void {
    this.followers.push(follower);
  }

  /** After a start: resumes the silence procedures and outcomes that the log says are not done. */
  resumeDecisions(): Promise<void> {
    return this.decisions.resume();
  }

  /** Registers the session events on an authenticated socket. */
  attach(socket: Socket, userId: string, name: string): void {
    const connection: TConnection = { userId, name, sessions: new Map(), violations: 0 };
    this.connections.set(socket, connection);
    socket.on('session:join', (payload: unknown, ack: unknown) => void this.join(socket, connection, payload, replyOf<TRoomJoinAck>(ack)));
    socket.on('session:command', (payload: unknown, ack: unknown) => void this.command(socket, connection, payload, replyOf<TCommandAck>(ack)));
    socket.on('session:leave', (payload: unknown) => {
      const parsed = ZJoin.safeParse(payload);
      if (parsed.success) void this.leave(socket, connection, parsed.data.sessionId);
    });
    socket.on('disconnect', () => {
      this.commandLimiter.reset(socket.id);
      for (const sessionId of [...connection.sessions.keys()]) void this.leave(socket, connection, sessionId);
    });
  }

  private violation(socket: Socket, connection: TConnection, reason: string): void {
    connection.violations += 1;
    log.warn('room.violation', { userId: connection.userId, reason });
    if (connection.violations >= MAX_VIOLATIONS) {
      log.warn('room.connection_closed', { userId: connection.userId, violations: connection.violations });
      socket.disconnect(true);
    }
  }

  private load(session: { id: string; negotiationId: string }): Promise<LiveSessionRoom> {
    const timer = this.unloadTimers.get(session.id);
    if (timer) clearTimeout(timer);
    this.unloadTimers.delete(session.id);
    let room = this.rooms.get(session.id);
    if (!room) {
      room = (async () => {
        if (!this.directories.has(session.negotiationId)) this.directories.set(session.negotiationId, await loadRoomDirectory(this.db, session.negotiationId));
        return LiveSessionRoom.open(this.db, { id: session.id, negotiationId: session.negotiationId }, (events, state) => {
          this.broadcast(session, events, state);
          this.decisions.follow(session, state);
          this.media.roomEventsApplied(session, events, state);
          for (const follower of this.followers) follower(session, events, state);
        });
      })();
      this.rooms.set(session.id, room);
      room.catch((error: unknown) => {
        log.error('room.load_failed', { sessionId: session.id, error });
        this.rooms.delete(session.id);
      });
    }
    return room;
  }

  /**
   * S23, S77: each event to the socket rooms of its audience, encoded once per audience (socket.io
   * sends it once to a socket in several of them). Runs inside the room's queue, so what follows —
   * a fresh snapshot for each viewer after an event that changes what they may see (S78) — comes
   * after the events in every connection's order.
   */
  private broadcast(session: { id: string; negotiationId: string }, events: readonly TSessionEvent[], state: TSessionRoomState): void {
    // S23: the events of one command in one message per audience (a floor change is three events):
    // one frame per socket instead of three, and one re-render in each browser.
    let run: { targets: string[]; events: TRoomEvent[] } | null = null;
    const send = () => {
      if (run?.targets.length) this.io.to(run.targets).emit('session:events', { sessionId: session.id, events: run.events });
    };
    for (const event of events) {
      const targets = socketRoomsOfAudience(session.id, audienceOf(event));
      if (run && run.targets.join() === targets.join()) run.events.push(toRoomEvent(event));
      else {
        send();
        run = { targets, events: [toRoomEvent(event)] };
      }
    }
    send();
    if (events.some((event) => RESCOPING_EVENTS.has(event.type))) this.resendViews(session, state);
    if (events.some((event) => DIRECTORY_EVENTS.includes(event.type))) void this.refreshDirectory(session.negotiationId);
    if (events.some((event) => NEGOTIATION_RECORD_EVENTS.has(event.type))) void this.syncOtherRooms(session);
  }

  /** S78: every connection in the session gets the room again, as its viewer may now see it. */
  private resendViews(session: { id: string; negotiationId: string }, state: TSessionRoomState): void {
    for (const socketId of this.io.sockets.adapter.rooms.get(socketRooms.everyone(session.id)) ?? []) {
      const socket = this.io.sockets.sockets.get(socketId);
      const joined = socket && this.connections.get(socket)?.sessions.get(session.id);
      if (socket && joined?.viewer) socket.emit('session:state', this.viewOf(session, state, joined.viewer));
    }
  }

  /** S68: the other open rooms of the negotiation bring in the positions and notes just stated. */
  private async syncOtherRooms(session: { id: string; negotiationId: string }): Promise<void> {
    for (const room of await this.roomsOf(session.negotiationId)) {
      if (room.session.id === session.id) continue;
      await room.syncNegotiationRecords().catch((error: unknown) => log.error('room.sync_failed', { sessionId: room.session.id, error }));
    }
  }

  private async refreshDirectory(negotiationId: string): Promise<void> {
    try {
      const directory = await loadRoomDirectory(this.db, negotiationId);
      this.directories.set(negotiationId, directory);
      for (const [sessionId, room] of this.rooms) {
        if ((await room.catch(() => undefined))?.session.negotiationId === negotiationId) {
          this.io.to(socketRooms.everyone(sessionId)).emit('session:directory', { sessionId, directory });
        }
      }
    } catch (error) {
      log.error('room.directory_failed', { negotiationId, error });
    }
  }

  /** S1, S76: the room as this viewer may see it. */
  private viewOf(session: { id: string; negotiationId: string }, state: TSessionRoomState, viewer: TRoomViewer): TSessionRoomView {
    return {
      sessionId: session.id,
      negotiationId: session.negotiationId,
      state: stateForViewer(state, viewerScopeOf(viewer)),
      viewer,
      directory: this.directories.get(session.negotiationId) ?? { delegations: [], people: [] },
      serverNow: Date.now(),
      media: { transport: this.media.kind },
    };
  }

  /** Who the user is in the session's negotiation now; throws `not_found` when they may not attend (T11). */
  private async accessTo(userId: string, negotiationId: string): Promise<{ user: TUser; access: TNegotiationAccess }> {
    const user = await findUserById(this.db, userId);
    if (!user || user.disabledAt !== null) throw new Error('account gone');
    return { user, access: await authorizeInNegotiation(this.db, user, negotiationId, 'session.attend') };
  }

  /**
   * Puts the socket into the session's socket rooms and sends it the room, inside the room's queue:
   * no event can fall between the snapshot and the first broadcast the socket receives.
   */
  private async enter(socket: Socket, room: LiveSessionRoom, user: TUser, access: TNegotiationAccess, joined: TJoinedSession): Promise<void> {
    const viewer = roomViewerOf(user, access);
    const names = socketRoomsOfViewer(room.session.id, viewerScopeOf(viewer));
    await room.serialize(async () => {
      // The socket may have left or gone while this waited: rooms joined after that would never be left.
      if (socket.disconnected || joined.left) return;
      for (const name of joined.socketRooms.filter((name) => !names.includes(name))) void socket.leave(name);
      void socket.join(names);
      joined.socketRooms = names;
      joined.viewer = viewer;
      socket.emit('session:state', this.viewOf(room.session, room.state, viewer));
    });
  }

  /** S1: join a session the user may attend; answered with `session:state`. */
  private async join(socket: Socket, connection: TConnection, payload: unknown, reply: TReply<TRoomJoinAck>): Promise<void> {
    const parsed = ZJoin.safeParse(payload);
    if (!parsed.success) {
      this.violation(socket, connection, 'invalid_join');
      return reply({ ok: false, error: 'not_found' });
    }
    const { sessionId } = parsed.data;
    try {
      const session = await findSessionById(this.db, sessionId);
      if (!session) throw new Error('no such session');
      const { user, access } = await this.accessTo(connection.userId, session.negotiationId);
      const room = await this.load(session);
      let joined = connection.sessions.get(sessionId);
      if (!joined) {
        joined = { negotiationId: session.negotiationId, viewer: null, socketRooms: [], left: false };
        connection.sessions.set(sessionId, joined);
        if (this.addPresence(sessionId, connection.userId, socket)) await room.recordPresence(connection.userId, 'joined');
      }
      await this.enter(socket, room, user, access, joined);
      reply({ ok: true });
    } catch (error) {
      // Unknown, foreign and forbidden sessions answer alike, so ids cannot be probed (T10, T11).
      this.violation(socket, connection, 'join_refused');
      log.info('room.join_refused', { userId: connection.userId, sessionId, error: error instanceof Error ? error.message : 'unknown' });
      reply({ ok: false, error: 'not_found' });
    }
  }

  /** Whether this socket is the person's first connection to the session. */
  private addPresence(sessionId: string, userId: string, socket: Socket): boolean {
    let people = this.presence.get(sessionId);
    if (!people) this.presence.set(sessionId, (people = new Map()));
    let sockets = people.get(userId);
    if (!sockets) people.set(userId, (sockets = new Set()));
    sockets.add(socket);
    return sockets.size === 1;
  }

  /** Whether this socket was the person's last connection to the session. */
  private removePresence(sessionId: string, userId: string, socket: Socket): boolean {
    const people = this.presence.get(sessionId);
    const sockets = people?.get(userId);
    if (!people || !sockets?.delete(socket)) return false;
    if (sockets.size > 0) return false;
    people.delete(userId);
    if (people.size === 0) this.presence.delete(sessionId);
    return true;
  }

  /** S20: one command into a joined session's pipeline. */
  private async command(socket: Socket, connection: TConnection, payload: unknown, reply: TReply<TCommandAck>): Promise<void> {
    const envelope = ZSessionCommandEnvelope.safeParse(payload);
    if (!envelope.success) {
      this.violation(socket, connection, 'invalid_command');
      return reply({ ok: false, error: 'invalid_input' });
    }
    const { sessionId, clientMsgId, type, input } = envelope.data;
    const room = connection.sessions.has(sessionId) ? await this.rooms.get(sessionId)?.catch(() => undefined) : undefined;
    if (!room) {
      this.violation(socket, connection, 'not_joined');
      return reply({ ok: false, error: 'not_joined' });
    }
    if (this.commandLimiter.isBlocked(socket.id)) return reply({ ok: false, error: 'rate_limited' });
    this.commandLimiter.recordFailure(socket.id);
    const user = await findUserById(this.db, connection.userId);
    if (!user || user.disabledAt !== null) return reply({ ok: false, error: 'forbidden' });
    const ack = await room.submit({ userId: user.id, accountRole: user.accountRole }, { clientMsgId, type, input });
    if (!ack.ok && ack.error === 'invalid_input') this.violation(socket, connection, 'invalid_input');
    reply(ack);
  }

  /** Takes a socket out of a session; the person leaves when it was their last connection (S18). */
  private async leave(socket: Socket, connection: TConnection, sessionId: string): Promise<void> {
    const joined = connection.sessions.get(sessionId);
    if (!joined) return;
    connection.sessions.delete(sessionId);
    joined.left = true;
    for (const name of joined.socketRooms) void socket.leave(name);
    const room = await this.rooms.get(sessionId)?.catch(() => undefined);
    if (room && this.removePresence(sessionId, connection.userId, socket)) {
      await room.recordPresence(connection.userId, 'left').catch((error: unknown) => log.error('room.presence_failed', { sessionId, error }));
    }
    this.scheduleUnload(sessionId);
  }

  private scheduleUnload(sessionId: string): void {
    if (this.presence.has(sessionId)) return;
    clearTimeout(this.unloadTimers.get(sessionId));
    const timer = setTimeout(() => {
      this.unloadTimers.delete(sessionId);
      if (!this.presence.has(sessionId)) this.rooms.delete(sessionId);
    }, UNLOAD_AFTER_MS);
    timer.unref();
    this.unloadTimers.set(sessionId, timer);
  }

  /** The loaded rooms of a negotiation. */
  private async roomsOf(negotiationId: string): Promise<LiveSessionRoom[]> {
    const loaded = await Promise.all([...this.rooms.values()].map((room) => room.catch(() => undefined)));
    return loaded.filter((room): room is LiveSessionRoom => room?.session.negotiationId === negotiationId);
  }

  /** S22: the log of a session grew outside its room (the negotiation page's lifecycle buttons). */
  sessionLogChanged(sessionId: string): void {
    void this.rooms
      .get(sessionId)
      ?.then((room) => room.catchUp())
      .catch((error: unknown) => log.error('room.catch_up_failed', { sessionId, error }));
  }

  /** S22: the logs of a negotiation's open sessions grew (an accreditation, a new quorum rule). */
  async negotiationSessionsChanged(negotiationId: string): Promise<void> {
    for (const room of await this.roomsOf(negotiationId)) {
      await room.catchUp().catch((error: unknown) => log.error('room.catch_up_failed', { sessionId: room.session.id, error }));
    }
  }

  /**
   * T39: a person's role or delegation changed. Their open rooms are re-evaluated at once: they get
   * the room again with their new abilities and socket rooms, or are taken out of it.
   */
  async membershipChanged(negotiationId: string, userId: string): Promise<void> {
    await this.negotiationSessionsChanged(negotiationId);
    for (const socket of this.io.sockets.sockets.values()) {
      const connection = this.connections.get(socket);
      if (!connection || connection.userId !== userId) continue;
      for (const [sessionId, joined] of connection.sessions) {
        if (joined.negotiationId !== negotiationId) continue;
        const room = await this.rooms.get(sessionId)?.catch(() => undefined);
        try {
          if (!room) throw new Error('room gone');
          const { user, access } = await this.accessTo(userId, negotiationId);
          await room.recordPresence(userId, 'joined');
          await this.enter(socket, room, user, access, joined);
        } catch {
          await this.leave(socket, connection, sessionId);
          socket.emit('session:access', { sessionId, access: 'none' });
        }
      }
    }
  }
}
