/** The peer: a HocuspocusProvider per simulated client, over `ws` (Node 20 has no global WebSocket). */
import { HocuspocusProvider, HocuspocusProviderWebsocket, MessageType } from '@hocuspocus/provider';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import { Awareness } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { now, type TClientAdapter, type TJoinResult, type TRole } from './types';

export interface THocuspocusOptions {
  url: string;
  documentName: string;
  role: TRole;
  light: boolean;
}

/**
 * The provider itself for everything (socket, authentication, sync handshake, ping), except that
 * once synced it does not apply document or awareness updates from others: it passes the update to
 * `onUpdate` and stops there (see `light` in ./types.ts).
 */
class LightProvider extends HocuspocusProvider {
  onUpdate: (update: Uint8Array) => void = () => undefined;

  override onMessage(event: MessageEvent): void {
    if (this.synced) {
      const decoder = decoding.createDecoder(new Uint8Array(event.data as ArrayBuffer));
      decoding.readVarString(decoder);
      const type = decoding.readVarUint(decoder);
      if (type === MessageType.Awareness) return;
      if (type === MessageType.Sync) {
        const syncType = decoding.readVarUint(decoder);
        if (syncType === syncProtocol.messageYjsUpdate || syncType === syncProtocol.messageYjsSyncStep2) {
          this.onUpdate(decoding.readVarUint8Array(decoder));
          return;
        }
      }
    }
    super.onMessage(event);
  }
}

export function hocuspocusAdapter(options: THocuspocusOptions): TClientAdapter {
  const doc = new Y.Doc();
  const awareness = new Awareness(doc);
  let provider: HocuspocusProvider | undefined;
  let socket: HocuspocusProviderWebsocket | undefined;
  const problems: ((message: string) => void)[] = [];
  const updates: ((update: Uint8Array) => void)[] = [];
  const report = (message: string) => problems.forEach((listener) => listener(message));
  const deliver = (update: Uint8Array) => updates.forEach((listener) => listener(update));

  return {
    doc,
    awareness,
    connect(timeoutMs) {
      return new Promise<TJoinResult>((resolve, reject) => {
        let openAt = 0;
        let done = false;
        const timer = setTimeout(() => finish(new Error(`not synced within ${timeoutMs} ms`)), timeoutMs);
        const finish = (error: Error | null) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          if (error) reject(error);
          else resolve({ access: options.role === 'editor' ? 'edit' : 'read', openAt, syncedAt: now() });
        };
        // One socket per simulated person, as one browser tab has.
        socket = new HocuspocusProviderWebsocket({
          url: options.url,
          WebSocketPolyfill: WebSocket,
          maxAttempts: 3,
          onOpen: () => {
            openAt ||= now();
          },
        });
        const Provider = options.light ? LightProvider : HocuspocusProvider;
        provider = new Provider({
          websocketProvider: socket,
          name: options.documentName,
          document: doc,
          awareness,
          // The bench server makes connections with this token read-only (Hocuspocus' readOnly).
          token: options.role,
          onSynced: ({ state }) => {
            if (state) finish(null);
          },
          onAuthenticationFailed: ({ reason }) => finish(new Error(`authentication failed: ${reason}`)),
          onClose: ({ event }) => {
            if (done) report(`closed ${event.code} ${event.reason}`);
          },
        });
        if (provider instanceof LightProvider) provider.onUpdate = deliver;
        else {
          const full = provider;
          doc.on('update', (update: Uint8Array, origin: unknown) => {
            if (origin === full && full.synced) deliver(update);
          });
        }
        provider.attach();
      });
    },
    onRemoteUpdate(listener) {
      updates.push(listener);
    },
    onProblem(listener) {
      problems.push(listener);
    },
    close() {
      provider?.destroy();
      socket?.destroy();
      doc.destroy();
    },
  };
}
