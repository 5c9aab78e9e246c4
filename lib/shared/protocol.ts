/**
 * Names and shapes of the socket protocol, shared by the server and the browser. docs/PROTOCOL.md
 * describes each event with its rule ids.
 */

/** Bumped on any incompatible change; a client with another version is refused (H3). */
export const PROTOCOL_VERSION = 1;

export const SOCKET_PATH = '/socket.io';

/** Codes a client sees in `connect_error` (error.message) or in `session:ended`. */
export const CONNECT_ERRORS = {
  unauthenticated: 'unauthenticated',
  updateRequired: 'update_required',
  rateLimited: 'rate_limited',
} as const;

export type TSessionEndReason = 'signed_out' | 'account_disabled';

export interface TServerToClientEvents {
  /** H5: sent once a connection is authenticated. */
  'session:welcome': (payload: { userId: string; name: string; protocol: number }) => void;
  /** H6: the user's session ended elsewhere; the server disconnects right after. */
  'session:ended': (payload: { reason: TSessionEndReason }) => void;
  /** H7: the user's role or delegation in a negotiation changed. */
  'membership:changed': (payload: { negotiationId: string }) => void;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no client events yet; later issues add them.
export interface TClientToServerEvents {}
