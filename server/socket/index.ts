import { socketParser } from '../../lib/shared/socket-parser';
import { FramingAdapter } from './framing-adapter';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { Server } from 'socket.io';
import type { Database } from '../../lib/db';
import { signInForClaims } from '../../lib/server/auth/session-claims';
import { originVerdict } from '../../lib/server/same-origin';
import type { TLiveHub } from '../../lib/server/live-hub';
import { log } from '../../lib/server/log';
import { FailureLimiter } from '../../lib/server/rate-limit';
import type { TMediaTransport } from '../../lib/server/video/media-transport';
import type { TIceServer } from '../../lib/shared/mesh';
import {
  CONNECT_ERRORS,
  PROTOCOL_VERSION,
  SOCKET_PATH,
} from '../../lib/shared/protocol';
import { DocumentHub } from '../documents/document-hub';
import { SessionRoomHub } from '../sessions/session-room-hub';
import { MeshSignalling } from '../video/mesh-signalling';
import type { TRequestOrigin } from '../request-origin';
import { claimsFromCookieHeader } from './session-cookie';
import type { TProxeniaSocket, TProxeniaSocketServer } from './types';


export interface TSocketOptions {
  db: Database;
  /** The session's media transport, which follows each room's committed events (V8). */
  media: TMediaTransport;
  authSecret: string;
  /** Exact origins allowed besides the server's own (H1). */
  allowedOrigins: readonly string[];
  /** Scheme, host and client address of a request, as the HTTP layer determines them. */
  requestOrigin: (request: IncomingMessage) => TRequestOrigin;
  /** The public address is HTTPS: refuse sockets over plain HTTP (THREATS T4). */
  httpsOnly: boolean;
  /** ICE servers the mesh's browsers use (V36); none on a local network. */
  meshIceServers: readonly TIceServer[];
}

/** The part of an engine.io connection (the transport under a socket.io client) we listen to. */
interface TEngineConnection {
  request: IncomingMessage;
  once(event: 'close', listener: (reason: string, description?: unknown) => void): unknown;
}

/** 1 MB: no legitimate message comes near it; larger packets close the connection (THREATS T16). */
export const MAX_MESSAGE_BYTES = 1_000_000;

const userRoom = (userId: string) => `user:${userId}`;
/** Every socket of one sign-in (one browser's session cookie), so signing out there closes them. */
const signInRoom = (signInId: string) => `sign-in:${signInId}`;

/**
 * H11: what every answer under /socket.io/ carries, refusals included: the pages' headers, and a
 * policy that lets nothing in an answer run or be framed (an engine.io answer is never a document).
 */
export const SOCKET_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/**
 * H1: a browser always sends Origin on cross-origin requests and WebSocket upgrades, so a present
 * Origin must be the server's own (same scheme and host) or on the allowlist. Sibling subdomains do
 * not match.
 */
export function isOriginAllowed(origin: string | undefined, own: Pick<TRequestOrigin, 'scheme' | 'host'>, allowed: readonly string[]): boolean {
  const verdict = originVerdict(origin, own);
  if (verdict === 'missing' || verdict === 'same') return true;
  return verdict === 'foreign' && allowed.includes(new URL(origin ?? '').origin);
}

/** Attaches socket.io to the HTTP server and returns it with the hub domain code uses to reach it. */
export function attachSocketServer(
  httpServer: HttpServer,
  options: TSocketOptions,
): { io: TProxeniaSocketServer; hub: TLiveHub; documents: DocumentHub; sessions: SessionRoomHub } {
  const allowed = options.allowedOrigins.map((origin) => new URL(origin).origin);
  // H4: a reconnect storm from one address is refused before any authentication work.
  const handshakes = new FailureLimiter(120, 60_000);

  const io: TProxeniaSocketServer = new Server(httpServer, {
    path: SOCKET_PATH,
    // H11: WebSocket only. An engine.io session over WebSocket is one HTTP request, the upgrade,
    // which allowRequest checks; HTTP long-polling (and its JSONP variant, which a <script> tag on a
    // same-site page could drive with the user's cookie) would be many requests, each needing it.
    transports: ['websocket'],
    serveClient: false,
    parser: socketParser,
    adapter: FramingAdapter,
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
    allowRequest(request, callback) {
      const origin = request.headers.origin;
      const own = options.requestOrigin(request);
      if (options.httpsOnly && own.scheme !== 'https') {
        callback('https required', false);
        return;
      }
      if (!isOriginAllowed(origin, own, allowed)) {
        log.warn('socket.origin_refused', { origin, address: own.address });
        callback('origin not allowed', false);
        return;
      }
      callback(null, true);
    },
  });

  // Runs on every request engine.io answers, before its own checks, so refusals carry them too.
  io.engine.use((_request: IncomingMessage, response: Pick<ServerResponse, 'setHeader'>, next: () => void) => {
    for (const [name, value] of Object.entries(SOCKET_RESPONSE_HEADERS)) response.setHeader(name, value);
    next();
  });

  // T16, T17, T19: the transport closes a connection that sends an oversized or unparseable frame;
  // say so in the log, with the address, since no socket.io socket may exist yet to report it.
  io.engine.on('connection', (connection: TEngineConnection) => {
    connection.once('close', (reason, description) => {
      if (reason === 'transport error' || reason === 'parse error') {
        log.warn('socket.bad_frame', { reason, error: description, address: options.requestOrigin(connection.request).address });
      }
    });
  });

  // H2, H3: runs on every connection, including reconnections, so a signed-out or disabled user
  // never regains a connection (THREATS T1, T14).
  io.use(async (socket, next) => {
    const request = socket.request;
    const address = options.requestOrigin(request).address;
    if (handshakes.isBlocked(address)) return next(new Error(CONNECT_ERRORS.rateLimited));
    handshakes.recordFailure(address);

    const protocol = (socket.handshake.auth as { protocol?: unknown } | undefined)?.protocol;
    if (protocol !== PROTOCOL_VERSION) return next(new Error(CONNECT_ERRORS.updateRequired));
    try {
      const claims = await claimsFromCookieHeader(request.headers.cookie, options.authSecret);
      const signedIn = await signInForClaims(options.db, claims);
      if (!signedIn) {
        log.info('socket.unauthenticated', { address });
        return next(new Error(CONNECT_ERRORS.unauthenticated));
      }
      socket.data.userId = signedIn.user.id;
      socket.data.name = signedIn.user.name;
      socket.data.signInId = signedIn.signInId;
      return next();
    } catch (error) {
      log.error('socket.auth_failed', { error });
      return next(new Error(CONNECT_ERRORS.unauthenticated));
    }
  });

  const documents = new DocumentHub(io, options.db);
  const sessions = new SessionRoomHub(io, options.db, options.media);
  // V27: without LiveKit the browsers carry the media themselves; the server only relays their signalling.
  const mesh = options.media.kind === 'mesh' ? new MeshSignalling(options.db, options.meshIceServers) : null;
  if (mesh) sessions.follow((session, events, state) => mesh.roomEventsApplied(session, events, state));
  io.on('connection', (socket: TProxeniaSocket) => {
    const { userId, name } = socket.data;
    void socket.join([userRoom(userId), signInRoom(socket.data.signInId)]);
    // T20: a malformed packet must not take the process down.
    socket.on('error', (error) => log.warn('socket.error', { userId, error }));
    socket.emit('session:welcome', { userId, name, protocol: PROTOCOL_VERSION });
    documents.attach(socket, userId);
    sessions.attach(socket, userId, name);
    mesh?.attach(socket, userId);
  });

  const hub: TLiveHub = {
    disconnectUser(userId, reason) {
      const room = io.in(userRoom(userId));
      room.emit('session:ended', { reason: reason === 'account_disabled' ? 'account_disabled' : 'signed_out' });
      room.disconnectSockets(true);
    },
    disconnectSignIn(signInId) {
      const room = io.in(signInRoom(signInId));
      room.emit('session:ended', { reason: 'signed_out' });
      room.disconnectSockets(true);
    },
    membershipChanged(negotiationId, userId) {
      io.in(userRoom(userId)).emit('membership:changed', { negotiationId });
      void documents.membershipChanged(negotiationId, userId);
      void sessions.membershipChanged(negotiationId, userId);
      void mesh?.membershipChanged(userId).catch((error: unknown) => log.error('mesh.membership_failed', { userId, error }));
    },
    documentModeChanged(documentId) {
      void documents.documentModeChanged(documentId);
    },
    paragraphStatusChanged(documentId, pid, status) {
      documents.paragraphStatusChanged(documentId, pid, status);
    },
    amendmentsChanged(documentId) {
      documents.amendmentsChanged(documentId);
    },
    commentsChanged(documentId) {
      documents.commentsChanged(documentId);
    },
    bracketsChanged(documentId) {
      documents.bracketsChanged(documentId);
    },
    sessionLogChanged(sessionId) {
      sessions.sessionLogChanged(sessionId);
    },
    negotiationSessionsChanged(negotiationId) {
      void sessions.negotiationSessionsChanged(negotiationId);
    },
    applyDocumentChange(document, change, author, alsoInTransaction) {
      return documents.applyDocumentChange(document, change, author, alsoInTransaction);
    },
  };
  return { io, hub, documents, sessions };
}
