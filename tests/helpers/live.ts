/** socket.io clients for tests: connect like a browser tab and report how the handshake ended. */
import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION, SOCKET_PATH } from '../../lib/shared/protocol';
import { socketParser } from '../../lib/shared/socket-parser';

export interface TWelcome {
  userId: string;
  name: string;
  protocol: number;
}

export type TConnectOutcome =
  | { kind: 'welcome'; welcome: TWelcome; socket: Socket }
  | { kind: 'refused'; message: string; socket: Socket };

export interface TConnectOptions {
  cookie?: string;
  /** The Origin header; the server's own origin by default, `null` to send none. */
  origin?: string | null;
  /** `auth.protocol`; the current version by default. */
  protocol?: unknown;
  timeoutMs?: number;
}

/**
 * Opens a socket.io connection over WebSocket (no reconnection) and resolves once the server has
 * either welcomed it (`session:welcome`) or refused it (`connect_error`). The caller closes it.
 */
export function connectSocket(url: string, options: TConnectOptions = {}): Promise<TConnectOutcome> {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  const origin = options.origin === undefined ? new URL(url).origin : options.origin;
  if (origin !== null) headers.origin = origin;
  const socket = io(url, {
    path: SOCKET_PATH,
    parser: socketParser,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: headers,
    auth: { protocol: 'protocol' in options ? options.protocol : PROTOCOL_VERSION },
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('socket neither welcomed nor refused in time'));
    }, options.timeoutMs ?? 5_000);
    socket.once('session:welcome', (welcome: TWelcome) => {
      clearTimeout(timer);
      resolve({ kind: 'welcome', welcome, socket });
    });
    socket.once('connect_error', (error: Error) => {
      clearTimeout(timer);
      resolve({ kind: 'refused', message: error.message, socket });
    });
  });
}

/** A socket the server welcomed (throws if it refused it). */
export async function welcomedSocket(url: string, cookie: string): Promise<Socket> {
  const outcome = await connectSocket(url, { cookie });
  if (outcome.kind === 'welcome') return outcome.socket;
  outcome.socket.close();
  throw new Error(`the socket was refused: ${outcome.message}`);
}

/** Resolves with the disconnect reason of a socket, once it is disconnected. */
export function disconnection(socket: Socket): Promise<string> {
  if (socket.disconnected && !socket.active) return Promise.resolve('already disconnected');
  return new Promise((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
}
