import type { Server, Socket } from 'socket.io';
import type { TClientToServerEvents, TServerToClientEvents } from '../../lib/shared/protocol';

/** What the handshake middleware stores on an authenticated socket. */
export interface TSocketData {
  userId: string;
  name: string;
  /** The sign-in (session cookie) the connection was opened with; signing out there closes it (H12). */
  signInId: string;
}

export type TProxeniaSocketServer = Server<TClientToServerEvents, TServerToClientEvents, Record<string, never>, TSocketData>;
export type TProxeniaSocket = Socket<TClientToServerEvents, TServerToClientEvents, Record<string, never>, TSocketData>;
