/**
 * Names and shapes of the socket protocol, shared by the server and the browser. docs/PROTOCOL.md
 * describes each event with its rule ids.
 */
import type { TCommandAck, TSessionCommandInput, TSessionCommandType } from '../session/room/commands';
import type { TRoomEvent } from '../session/room/state';
import type { TRoomDirectory, TSessionRoomView } from '../session/room/view';
import type { TMeshAck, TMeshClosedReason, TMeshError, TMeshJoin, TMeshJoinAck, TMeshModeration, TMeshPeer, TMeshRelayed, TMeshRoomRef, TMeshSignal } from './mesh';

/** Bumped on any incompatible change; a client with another version is refused (H3). */
export const PROTOCOL_VERSION = 2;

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
  /** D2, D8: y-protocols messages for a joined document, as base64 text, in order (one WebSocket frame). */
  'doc:message': (documentId: string, frame: Uint8Array, ...more: Uint8Array[]) => void;
  /** D6: content was refused; the client must discard its copy and join again. */
  'doc:error': (payload: { documentId: string; code: string }) => void;
  /** D10: access or drafting mode changed ('none': the document was closed for this user). */
  'doc:access': (payload: { documentId: string; access: 'edit' | 'read' | 'none'; mode: string | null }) => void;
  /** D11: a paragraph's status changed. */
  'doc:status': (payload: { documentId: string; pid: string; status: string }) => void;
  /** D12: the document's amendments changed (refetch them). */
  'doc:amendments': (payload: { documentId: string }) => void;
  /** D13: the document's comments changed (refetch the visible ones). */
  'doc:comments': (payload: { documentId: string }) => void;
  /** D14: the document's brackets changed (refetch them). */
  'doc:brackets': (payload: { documentId: string }) => void;
  /** S1: the room as it is, for this viewer (after joining, and when the viewer's role changes). */
  'session:state': (view: TSessionRoomView) => void;
  /** S1, S23: consecutive events of the log that this viewer may see, in seq order; fold each with reduceSessionRoom. */
  'session:events': (payload: { sessionId: string; events: TRoomEvent[] }) => void;
  /** S1: names of delegations and people changed (someone joined the negotiation, a role changed). */
  'session:directory': (payload: { sessionId: string; directory: TRoomDirectory }) => void;
  /** S1: the viewer may no longer be in the room; the server has taken the connection out of it. */
  'session:access': (payload: { sessionId: string; access: 'none' }) => void;
  /** V27, V37: someone joined the media room this connection is in. */
  'mesh:peer-joined': (payload: TMeshRoomRef & { peer: TMeshPeer }) => void;
  /** V27: someone left it (or was taken out). */
  'mesh:peer-left': (payload: TMeshRoomRef & { peerId: string }) => void;
  /** V28: an offer, answer or candidate from a peer, stamped by the server with who sent it. */
  'mesh:signal': (payload: TMeshRelayed) => void;
  /** V28: a refused message that came without an acknowledgement callback. */
  'mesh:error': (payload: { error: TMeshError }) => void;
  /** V34: the chair's moderation, for this browser to honour (advisory). */
  'mesh:moderation': (payload: TMeshModeration) => void;
  /** V35, V38: this connection's place in the media room ended. */
  'mesh:closed': (payload: TMeshRoomRef & { reason: TMeshClosedReason }) => void;
}

/** Acknowledgement of `session:join`. */
export type TRoomJoinAck = { ok: true } | { ok: false; error: 'not_found' | 'rate_limited' | 'internal' };

/** `session:command`: one command to a joined room (S20). */
export type TSessionCommandMessage = {
  [Type in TSessionCommandType]: { sessionId: string; clientMsgId: string; type: Type; input: TSessionCommandInput<Type> };
}[TSessionCommandType];

/** Acknowledgement of a document event. */
export type TDocumentAck =
  | { ok: true; access?: 'edit' | 'read'; mode?: string; statuses?: Record<string, string> }
  | { ok: false; error: string };

export interface TClientToServerEvents {
  /** D1 */
  'doc:join': (payload: { documentId: string }, ack: (response: TDocumentAck) => void) => void;
  /** D2 */
  'doc:message': (documentId: string, bytes: Uint8Array, ack?: (response: TDocumentAck) => void) => void;
  /** D9 */
  'doc:leave': (payload: { documentId: string }) => void;
  /** S1 */
  'session:join': (payload: { sessionId: string }, ack: (response: TRoomJoinAck) => void) => void;
  /** S1 */
  'session:leave': (payload: { sessionId: string }) => void;
  /** S20 */
  'session:command': (payload: TSessionCommandMessage, ack: (response: TCommandAck) => void) => void;
  /** V27 */
  'mesh:join': (payload: TMeshJoin, ack: (response: TMeshJoinAck) => void) => void;
  /** V28 */
  'mesh:signal': (payload: TMeshSignal, ack?: (response: TMeshAck) => void) => void;
  /** V27 */
  'mesh:leave': (payload: TMeshRoomRef) => void;
}
