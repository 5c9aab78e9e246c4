/**
 * What the client processes need from a co-drafting server: connect one simulated client and keep
 * its Y.Doc in sync. Editing goes through the Y.Doc (see ../doc-model.ts), so both adapters see the
 * same local transactions and only differ in how they carry them.
 *
 * A `light` client does everything a real one does on the wire (connect, authenticate, the full
 * sync handshake, the initial state applied to its Y.Doc, its own edits and awareness) but, once
 * synced, does not apply what others send: it only reads the clock ranges of each update. Applying
 * every update (and every awareness change) in hundreds of simulated Y.Docs costs several times the
 * server's own work, on the same two cores; light clients leave those cores to the server.
 */
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';

export type TRole = 'editor' | 'viewer';

export interface TJoinResult {
  /** What the server granted (Hocuspocus: what we asked for; Proxenia: the D1 ack). */
  access: 'edit' | 'read';
  /** performance.timeOrigin + performance.now() when the transport was open (before the join). */
  openAt: number;
  /** Same clock, when the first sync step 2 from the server had been applied. */
  syncedAt: number;
}

export interface TClientAdapter {
  readonly doc: Y.Doc;
  /** The client's presence (Tiptap's collaboration caret writes `cursor` here). */
  readonly awareness: Awareness;
  /** Connects and resolves once the document is synced; rejects on refusal or after `timeoutMs`. */
  connect(timeoutMs: number): Promise<TJoinResult>;
  /** Called with every document update that arrives from the server after the initial sync. */
  onRemoteUpdate(listener: (update: Uint8Array) => void): void;
  /** Errors the server reported after the join (refused content, disconnects). */
  onProblem(listener: (message: string) => void): void;
  close(): void;
}

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes on one machine. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}
