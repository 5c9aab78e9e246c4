/**
 * Proxenia: socket.io-client with the session cookie and our parser, speaking docs/PROTOCOL.md
 * D1/D2/D7/D8 with y-protocols sync and awareness messages framed as y-websocket does (varUint type,
 * then content).
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { io, type Socket } from 'socket.io-client';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { MESSAGE_AWARENESS, MESSAGE_SYNC } from '../../../lib/documents/messages';
import { PROTOCOL_VERSION, SOCKET_PATH } from '../../../lib/shared/protocol';
import { socketParser } from '../../../lib/shared/socket-parser';
import { now, type TClientAdapter, type TJoinResult } from './types';

export interface TProxeniaOptions {
  url: string;
  documentId: string;
  /** `name=value` of the Auth.js session cookie. */
  cookie: string;
  /**
   * A loopback source address for this client (127.x.y.z): each simulated person connects from
   * its own address, as real browsers do, so the per-address handshake limit (H4) applies per client.
   */
  localAddress?: string;
  name: string;
  /** See `light` in ./types.ts. */
  light: boolean;
}

type TAck = { ok: true; access?: 'edit' | 'read'; mode?: string } | { ok: false; error: string };

export function proxeniaAdapter(options: TProxeniaOptions): TClientAdapter {
  const doc = new Y.Doc();
  const awareness = new awarenessProtocol.Awareness(doc);
  const remote = Symbol('proxenia-remote');
  const problems: ((message: string) => void)[] = [];
  const updates: ((update: Uint8Array) => void)[] = [];
  const report = (message: string) => problems.forEach((listener) => listener(message));
  let socket: Socket | undefined;
  let synced = false;

  const send = (bytes: Uint8Array) => {
    if (!socket?.connected) return;
    socket.emit('doc:message', options.documentId, bytes, (ack: TAck | undefined) => {
      if (ack && !ack.ok) report(`doc:message refused: ${ack.error}`);
    });
  };

  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === remote) {
      if (synced) updates.forEach((listener) => listener(update));
      return;
    }
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeUpdate(encoder, update);
    send(encoding.toUint8Array(encoder));
  });

  awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
    if (origin === remote) return;
    const changed = [...added, ...updated, ...removed].filter((id) => id === doc.clientID);
    if (!changed.length) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, changed));
    send(encoding.toUint8Array(encoder));
  });

  return {
    doc,
    awareness,
    connect(timeoutMs) {
      return new Promise<TJoinResult>((resolve, reject) => {
        let openAt = 0;
        let access: 'edit' | 'read' = 'read';
        let done = false;
        const timer = setTimeout(() => finish(new Error(`not synced within ${timeoutMs} ms`)), timeoutMs);
        const finish = (error: Error | null) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          if (error) {
            socket?.disconnect();
            reject(error);
          } else resolve({ access, openAt, syncedAt: now() });
        };

        socket = io(options.url, {
          path: SOCKET_PATH,
          parser: socketParser,
          transports: ['websocket'],
          extraHeaders: { cookie: options.cookie },
          auth: { protocol: PROTOCOL_VERSION },
          reconnection: false,
          forceNew: true,
          timeout: timeoutMs,
          ...(options.localAddress ? { localAddress: options.localAddress } : {}),
        });

        const receive = (frame: Uint8Array) => {
          const decoder = decoding.createDecoder(frame);
          const type = decoding.readVarUint(decoder);
          if (synced && options.light) {
            // After the initial sync a light client only reads what the updates carry.
            if (type === MESSAGE_SYNC) {
              const syncType = decoding.readVarUint(decoder);
              if (syncType === syncProtocol.messageYjsUpdate || syncType === syncProtocol.messageYjsSyncStep2) {
                const update = decoding.readVarUint8Array(decoder);
                updates.forEach((listener) => listener(update));
              }
            }
            return;
          }
          if (type === MESSAGE_SYNC) {
            const encoder = encoding.createEncoder();
            encoding.writeVarUint(encoder, MESSAGE_SYNC);
            const syncType = syncProtocol.readSyncMessage(decoder, encoder, doc, remote);
            // Sync step 1 from the server: answer with what it lacks (D1, D2).
            if (encoding.length(encoder) > 1) send(encoding.toUint8Array(encoder));
            if (syncType === syncProtocol.messageYjsSyncStep2 && !synced) {
              synced = true;
              finish(null);
            }
          } else if (type === MESSAGE_AWARENESS) {
            awarenessProtocol.applyAwarenessUpdate(awareness, decoding.readVarUint8Array(decoder), remote);
          }
        };
        // D8: one packet may carry an update and the carets batched with it.
        socket.on('doc:message', (documentId: string, ...frames: Uint8Array[]) => {
          if (documentId === options.documentId) frames.forEach(receive);
        });
        socket.on('doc:error', (payload: { documentId: string; code: string }) => report(`doc:error ${payload.code}`));
        socket.on('doc:access', (payload: { access: 'edit' | 'read' }) => report(`doc:access changed to ${payload.access}`));
        socket.on('session:ended', () => report('session ended'));
        socket.on('disconnect', (reason) => {
          if (done) report(`disconnected: ${reason}`);
          else finish(new Error(`disconnected before sync: ${reason}`));
        });
        socket.on('connect_error', (error) => finish(new Error(`connect_error: ${error.message}`)));
        socket.on('connect', () => {
          openAt ||= now();
          socket?.emit('doc:join', { documentId: options.documentId }, (ack: TAck) => {
            if (!ack.ok) {
              finish(new Error(`doc:join refused: ${ack.error}`));
              return;
            }
            access = ack.access ?? 'read';
            // Our sync step 1: the server answers with sync step 2, the state we lack.
            const encoder = encoding.createEncoder();
            encoding.writeVarUint(encoder, MESSAGE_SYNC);
            syncProtocol.writeSyncStep1(encoder, doc);
            send(encoding.toUint8Array(encoder));
            awareness.setLocalState({ user: { name: options.name } });
          });
        });
      });
    },
    onRemoteUpdate(listener) {
      updates.push(listener);
    },
    onProblem(listener) {
      problems.push(listener);
    },
    close() {
      if (socket?.connected) {
        awarenessProtocol.removeAwarenessStates(awareness, [doc.clientID], 'close');
        socket.emit('doc:leave', { documentId: options.documentId });
      }
      socket?.disconnect();
      awareness.destroy();
      doc.destroy();
    },
  };
}
