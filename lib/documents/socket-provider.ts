/**
 * Keeps a local Y.Doc in sync with the server over an existing socket.io connection
 * (docs/PROTOCOL.md D1–D10). Used by the browser editor, the tests and the benchmark clients.
 * Edits made while disconnected stay in the local document and reach the server on reconnect
 * through the sync exchange, without duplication (Yjs merges by id).
 */
import type { Socket } from 'socket.io-client';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { decodeDocumentMessage, encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeUpdate, type TDocumentMessage } from './messages';


export type TProviderStatus = 'connecting' | 'syncing' | 'synced' | 'refused' | 'closed';
export type TAccess = 'edit' | 'read' | 'none';

type TAck = { ok: true; access?: 'edit' | 'read'; mode?: string; statuses?: Record<string, string> } | { ok: false; error: string };

export interface TProviderListeners {
  status?: (status: TProviderStatus) => void;
  access?: (access: TAccess, mode: string | null) => void;
  /** The server refused content (D6): the local copy diverged and must be replaced. */
  refused?: (code: string) => void;
  /** How many sent edits the server has not yet confirmed durable. */
  unconfirmed?: (count: number) => void;
  /** Paragraph statuses by pid: all of them on join, then one at a time (D11). */
  statuses?: (changes: Record<string, string>) => void;
}

const REMOTE = Symbol('from the server');

export class DocumentSyncProvider {
  readonly awareness: awarenessProtocol.Awareness;
  status: TProviderStatus = 'connecting';
  access: TAccess = 'none';
  private unconfirmed = 0;
  private destroyed = false;
  /** Whether we answered the server's sync step 1 on this connection: later edits go out as updates. */
  private answeredServer = false;
  /**
   * Counts connections. socket.io drops the acknowledgements of a lost connection; what they
   * covered is still in the local document and goes out again with the next sync exchange.
   */
  private connection = 0;

  constructor(
    private readonly socket: Socket,
    readonly documentId: string,
    readonly doc: Y.Doc,
    private readonly listeners: TProviderListeners = {},
  ) {
    this.awareness = new awarenessProtocol.Awareness(doc);
    doc.on('update', this.onLocalUpdate);
    this.awareness.on('update', this.onAwarenessUpdate);
    socket.on('connect', this.join);
    socket.on('disconnect', this.onDisconnect);
    socket.on('doc:message', this.onMessage);
    socket.on('doc:error', this.onRefused);
    socket.on('doc:access', this.onAccess);
    socket.on('doc:status', this.onStatus);
    if (socket.connected) this.join();
  }

  private setStatus(status: TProviderStatus): void {
    this.status = status;
    this.listeners.status?.(status);
  }

  private setUnconfirmed(delta: number): void {
    this.unconfirmed += delta;
    this.listeners.unconfirmed?.(this.unconfirmed);
  }

  /** Sends content and counts it until the server confirms it durable. */
  private sendContent(frame: Uint8Array): void {
    const connection = this.connection;
    this.setUnconfirmed(1);
    this.socket.emit('doc:message', this.documentId, frame, (response: TAck) => {
      if (connection !== this.connection) return;
      this.setUnconfirmed(-1);
      if (!response.ok && response.error !== 'read_only') this.listeners.refused?.(response.error);
    });
  }

  private join = (): void => {
    this.answeredServer = false;
    this.setStatus('syncing');
    this.socket.emit('doc:join', { documentId: this.documentId }, (response: TAck) => {
      if (this.destroyed) return;
      if (!response.ok) {
        this.setStatus('refused');
        this.access = 'none';
        this.listeners.access?.('none', null);
        return;
      }
      this.access = response.access ?? 'read';
      this.listeners.access?.(this.access, response.mode ?? null);
      if (response.statuses) this.listeners.statuses?.(response.statuses);
      // Ask for what we lack; the server's own step 1 (sent on join) asks for what it lacks.
      this.socket.emit('doc:message', this.documentId, encodeSyncStep1(Y.encodeStateVector(this.doc)));
      if (this.awareness.getLocalState() !== null) {
        this.socket.emit('doc:message', this.documentId, encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.doc.clientID])));
      }
    });
  };

  /** D8: one packet may carry several messages (an update, then the carets batched with it). */
  private onMessage = (documentId: string, ...frames: Uint8Array[]): void => {
    if (documentId !== this.documentId || this.destroyed) return;
    for (const frame of frames) this.handle(decodeDocumentMessage(frame));
  };

  private handle(message: TDocumentMessage): void {
    switch (message.kind) {
      case 'sync-step-1': {
        // The server's step 1 asks for what it lacks: edits made offline, or before this point.
        if (this.access === 'edit') this.sendContent(encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, message.stateVector)));
        this.answeredServer = true;
        break;
      }
      case 'sync-step-2':
        Y.applyUpdate(this.doc, message.update, REMOTE);
        this.setStatus('synced');
        break;
      case 'update':
        Y.applyUpdate(this.doc, message.update, REMOTE);
        break;
      case 'awareness':
        awarenessProtocol.applyAwarenessUpdate(this.awareness, message.update, REMOTE);
        break;
    }
  }

  private onLocalUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === REMOTE || this.destroyed) return;
    if (this.socket.connected && this.answeredServer && this.access === 'edit') this.sendContent(encodeUpdate(update));
    // Otherwise the edit stays in the local document and goes with the next sync exchange.
  };

  private onAwarenessUpdate = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
    if (origin === REMOTE || !this.socket.connected || this.status !== 'synced') return;
    const changed = [...added, ...updated, ...removed].filter((clientId) => clientId === this.doc.clientID);
    if (changed.length) this.socket.emit('doc:message', this.documentId, encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)));
  };

  private onRefused = (payload: { documentId: string; code: string }): void => {
    if (payload.documentId === this.documentId) this.listeners.refused?.(payload.code);
  };

  private onAccess = (payload: { documentId: string; access: TAccess; mode: string | null }): void => {
    if (payload.documentId !== this.documentId) return;
    this.access = payload.access;
    this.listeners.access?.(payload.access, payload.mode);
  };

  private onStatus = (payload: { documentId: string; pid: string; status: string }): void => {
    if (payload.documentId === this.documentId) this.listeners.statuses?.({ [payload.pid]: payload.status });
  };

  private onDisconnect = (): void => {
    this.answeredServer = false;
    this.connection += 1;
    this.setUnconfirmed(-this.unconfirmed);
    this.setStatus('connecting');
    // Other people's cursors are stale once we are cut off.
    awarenessProtocol.removeAwarenessStates(this.awareness, [...this.awareness.getStates().keys()].filter((id) => id !== this.doc.clientID), REMOTE);
  };

  /** Leaves the document and stops listening. */
  destroy(): void {
    this.destroyed = true;
    if (this.socket.connected) this.socket.emit('doc:leave', { documentId: this.documentId });
    this.doc.off('update', this.onLocalUpdate);
    this.awareness.off('update', this.onAwarenessUpdate);
    this.socket.off('connect', this.join);
    this.socket.off('disconnect', this.onDisconnect);
    this.socket.off('doc:message', this.onMessage);
    this.socket.off('doc:error', this.onRefused);
    this.socket.off('doc:access', this.onAccess);
    this.socket.off('doc:status', this.onStatus);
    this.awareness.destroy();
    this.setStatus('closed');
  }
}
