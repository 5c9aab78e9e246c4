import { createHash } from 'node:crypto';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Database, Queryable } from '../../lib/db';
import {
  appendDocumentUpdates,
  claimClientIds,
  insertDocumentCheckpoint,
  loadDocumentState,
} from '../../lib/db/repositories/documents';
import { hasPendingStructs, inspectUpdate } from '../../lib/documents/inspect-update';
import { MAX_DOCUMENT_BYTES } from '../../lib/documents/schema';
import { seedOnce } from '../../lib/server/documents/seed-base-text';
import { docFromStoredState } from '../../lib/server/documents/read-document';
import { recordSessionEvent } from '../../lib/server/sessions/record-event';
import { log } from '../../lib/server/log';
import type { TRole } from '../../lib/shared/domain';

/** A checkpoint every this many updates keeps loading bounded (checkpoint + at most this many). */
export const CHECKPOINT_EVERY = 2000;

export type TContentRefusal = 'malformed' | 'missing_dependencies' | 'foreign_client' | 'too_large' | 'read_only' | 'storage_failed';

/** Who sent an update, as the log records it (never taken from the document itself, T27). */
export interface TUpdateAuthor {
  userId: string;
  delegationId: string | null;
  role: TRole | null;
}

export type TSubmitResult = { ok: true } | { ok: false; error: TContentRefusal };

interface TPersistItem {
  bytes: Uint8Array;
  author: TUpdateAuthor;
  /** Yjs client ids this update is the first to use: they get their owner recorded. */
  newClients: readonly number[];
  /** Written by the server itself (an accepted amendment): its client id belongs to the server. */
  serverChange?: boolean;
}

interface TPendingUpdate extends TPersistItem {
  settle: (result: TSubmitResult) => void;
  /** The in-memory document it was applied to (see `generation`). */
  generation: number;
}

/** The transaction origin of changes the server makes itself. */
const SERVER_ORIGIN = Symbol('server change');

/** Runs tasks one at a time, in order. */
class TaskQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/**
 * One open document: the authoritative Y.Doc, its awareness, and the write path
 * validate → apply → append (one transaction per tick) → broadcast → acknowledge.
 *
 * The write path is a pipeline: while one batch waits for the disk, the next messages are already
 * checked and applied, and the next batch commits behind it. Batches commit and are broadcast in
 * order, each once committed, and acknowledged once durable (D5). A batch that cannot be
 * stored takes every later one with it (they were applied on top of it) and the document is
 * rebuilt from storage before the next message is looked at.
 */
export class LiveDocument {
  readonly awareness: awarenessProtocol.Awareness;
  /** Checks and applies messages one at a time, in order; whatever must see only durable state waits here for the pipeline to empty. */
  private readonly queue = new TaskQueue();
  /** Applied in memory, not yet handed to storage. */
  private pending: TPendingUpdate[] = [];
  private flushScheduled = false;
  /** Settles once the latest batch handed to storage has committed or failed: the next one begins its transaction then. */
  private lastCommit: Promise<void> = Promise.resolve();
  /** Settles once the latest batch has been broadcast (committed), or refused. */
  private lastDelivery: Promise<void> = Promise.resolve();
  /** Settles once the latest broadcast batch has been acknowledged (durable), or refused. */
  private lastAcknowledgement: Promise<void> = Promise.resolve();
  /** Counts rebuilds after a failed write: what was applied to an older in-memory document is refused, not stored. */
  private generation = 0;
  /** Set when a batch failed: the next task on the queue rebuilds the document from storage first. */
  private stale = false;
  private checkpointQueued = false;
  /** Yjs client id → user id (null: the server). Mirrors document_clients. */
  private owners = new Map<number, string | null>();
  /**
   * Awareness client id → the user whose connection first described it (D7, T26), for as long as
   * the document is in memory: an id whose describer dropped stays its user's, so nobody else can
   * take it over and the owner's tab, reconnecting with the same id, is not taken for an impostor.
   */
  private readonly awarenessOwners = new Map<number, string>();
  private lastCheckpointSeq = 0;
  private head = 0;
  private approximateBytes = 0;
  /**
   * The whole state as of `version`, for clients that have nothing yet (most joins). Encoding a large
   * document takes tens of milliseconds; after a load from a checkpoint at the head it is the
   * checkpoint itself, and otherwise it is shared by everyone who joins before the next change.
   */
  private fullState: { version: number; bytes: Uint8Array } | null = null;
  /** Counts changes to the in-memory document (applied updates, rebuilds): what `fullState` was encoded from. */
  private version = 0;
  /**
   * The Y.Doc, once built. A document loaded from a checkpoint at its head is not built until
   * something needs its structure (an edit, a client that already holds part of it): building a
   * large one takes hundreds of milliseconds, and a client with nothing is served the checkpoint.
   */
  private built: Y.Doc | null = null;
  /** The checkpoint to build from while `built` is null, and its state vector (stored with it, or computed once asked for). */
  private unbuilt: { state: Uint8Array; stateVector: Uint8Array | null } | null = null;

  private constructor(
    readonly documentId: string,
    readonly negotiationId: string,
    private readonly db: Database,
    private readonly broadcast: (documentId: string, update: Uint8Array) => void,
  ) {
    // Presence only: the awareness never reads the text, and the server has no presence of its own.
    this.awareness = new awarenessProtocol.Awareness(new Y.Doc());
    this.awareness.setLocalState(null);
  }

  /** The authoritative document (built from the checkpoint on first use). */
  get doc(): Y.Doc {
    if (!this.built) {
      const doc = new Y.Doc({ gc: true });
      if (this.unbuilt) Y.applyUpdate(doc, this.unbuilt.state);
      this.built = doc;
      this.unbuilt = null;
    }
    return this.built;
  }

  /** Loads a document: latest checkpoint plus the log after it; seeds the base text once if empty. */
  static async open(
    db: Database,
    document: { id: string; negotiationId: string; baseText: string },
    broadcast: (documentId: string, update: Uint8Array) => void,
  ): Promise<LiveDocument> {
    await seedOnce(db, document.id, document.baseText);
    const live = new LiveDocument(document.id, document.negotiationId, db, broadcast);
    await live.reload();
    return live;
  }

  /** Rebuilds the in-memory document from storage (at open, and after a failed write). */
  private async reload(): Promise<void> {
    const stored = await loadDocumentState(this.db, this.documentId);
    const atCheckpoint = stored.checkpoint && stored.updates.length === 0 ? stored.checkpoint : null;
    const owners = await this.db.all<{ clientId: number; userId: string | null }>(
      'SELECT client_id AS "clientId", user_id AS "userId" FROM document_clients WHERE document_id = ?',
      [this.documentId],
    );
    this.owners = new Map(owners.map((row) => [Number(row.clientId), row.userId]));
    this.built?.destroy();
    this.built = atCheckpoint ? null : docFromStoredState(stored);
    this.unbuilt = atCheckpoint ? { state: atCheckpoint.bytes, stateVector: atCheckpoint.stateVector } : null;
    this.head = stored.head;
    this.lastCheckpointSeq = stored.checkpoint?.seq ?? 0;
    // Stored bytes bound the encoded state from above; the next checkpoint measures it exactly.
    this.approximateBytes = stored.updates.reduce((sum, update) => sum + update.bytes.byteLength, stored.checkpoint?.bytes.byteLength ?? 0);
    this.version += 1;
    this.fullState = atCheckpoint ? { version: this.version, bytes: atCheckpoint.bytes } : null;
  }

  /** Whether a Yjs client id may be used by this user (unclaimed, or already theirs, by content or by presence). */
  mayUseClientId(clientId: number, userId: string): boolean {
    const owner = this.owners.has(clientId) ? this.owners.get(clientId) : this.awarenessOwners.get(clientId);
    return owner === undefined || owner === userId;
  }

  /**
   * D7: makes these awareness client ids `userId`'s when each is unclaimed or theirs already, and
   * says whether it did; a claim on anyone else's id binds none of them.
   */
  claimAwarenessClients(clientIds: readonly number[], userId: string): boolean {
    if (!clientIds.every((clientId) => this.mayUseClientId(clientId, userId))) return false;
    for (const clientId of clientIds) if (!this.owners.has(clientId)) this.awarenessOwners.set(clientId, userId);
    return true;
  }

  /**
   * The state a client lacks, given its state vector, handed out only once all of it is durable
   * (D5): otherwise a crash could leave a client holding content the server lost, which it would
   * then send back under another user's client id. It is encoded on the queue from the document as
   * applied so far, then waits off the queue until the batches holding those updates are durable,
   * so a joining client does not hold up everyone's edits for a disk flush. Should a batch fail
   * meanwhile, the document is rebuilt and the answer computed again.
   */
  async diffFor(stateVector: Uint8Array): Promise<Uint8Array> {
    for (;;) {
      const answer = await this.queue.run(async () => {
        await this.rebuildIfStale();
        this.dispatch();
        return {
          diff: this.encodeDiff(stateVector),
          durable: this.dispatchedSettled(),
          generation: this.generation,
        };
      });
      await answer.durable;
      if (answer.generation === this.generation) return answer.diff;
    }
  }

  private encodeDiff(stateVector: Uint8Array): Uint8Array {
    if (!isEmptyStateVector(stateVector)) return Y.encodeStateAsUpdate(this.doc, stateVector);
    if (this.fullState?.version !== this.version) this.fullState = { version: this.version, bytes: Y.encodeStateAsUpdate(this.doc) };
    return this.fullState.bytes;
  }

  /** The server's state vector. */
  stateVector(): Uint8Array {
    if (!this.unbuilt) return Y.encodeStateVector(this.doc);
    this.unbuilt.stateVector ??= Y.encodeStateVectorFromUpdate(this.unbuilt.state);
    return this.unbuilt.stateVector;
  }

  /**
   * Accepts or refuses one content message (sync step 2 or update). Resolves once the outcome is
   * final: `ok` only after the update is durable in the log (D5).
   */
  submit(bytes: Uint8Array, author: TUpdateAuthor, canEdit: boolean): Promise<TSubmitResult> {
    return new Promise<TSubmitResult>((settle) => {
      // The check and the apply run in order with every other message; the acknowledgement waits
      // for the batch that makes the update durable (not awaited here: the next message goes on).
      void this.queue.run(async () => {
        await this.rebuildIfStale();
        // What a client with nothing answers to the server's sync step 1: says nothing, needs no document.
        if (isEmptyUpdate(bytes)) return settle({ ok: true });
        const inspection = inspectUpdate(this.doc, bytes);
        if (!inspection.ok) return settle({ ok: false, error: inspection.reason });
        if (!inspection.hasContent) return settle({ ok: true });
        if (!canEdit) return settle({ ok: false, error: 'read_only' });
        if (inspection.clients.some((clientId) => !this.mayUseClientId(clientId, author.userId))) {
          return settle({ ok: false, error: 'foreign_client' });
        }
        if (this.approximateBytes + bytes.byteLength > MAX_DOCUMENT_BYTES) return settle({ ok: false, error: 'too_large' });

        Y.applyUpdate(this.doc, bytes, author);
        this.version += 1;
        if (hasPendingStructs(this.doc)) {
          // inspectUpdate should have caught it; never keep pending structs (they would be re-sent
          // forever). What was accepted before is stored first, then the document is rebuilt without it.
          await this.settled();
          await this.reload();
          return settle({ ok: false, error: 'missing_dependencies' });
        }
        const newClients = inspection.clients.filter((clientId) => !this.owners.has(clientId));
        for (const clientId of newClients) this.owners.set(clientId, author.userId);
        this.approximateBytes += bytes.byteLength;
        this.pending.push({ bytes, author, newClients, settle, generation: this.generation });
        this.scheduleFlush();
      });
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Everything that arrives in this turn of the event loop goes into one transaction and one broadcast.
    setImmediate(() => {
      this.flushScheduled = false;
      this.dispatch();
    });
  }

  /**
   * Hands what was applied so far to storage as one batch, behind the batches already on their
   * way. Its transaction begins once the previous one has committed, so the log keeps the order of
   * application. It is broadcast once committed, after the previous batch (D5: a crash of the
   * process cannot take it back), and acknowledged once durable on disk (nor can a power cut).
   */
  private dispatch(): void {
    const items = this.pending;
    this.pending = [];
    if (items.length === 0) return;
    const generation = this.generation;
    const current = items.filter((item) => item.generation === generation);
    // Applied to a document that has since been rebuilt without the batch they rested on.
    for (const item of items) if (item.generation !== generation) item.settle({ ok: false, error: 'storage_failed' });
    if (current.length === 0) return;

    let committed!: (seqs: number[] | null) => void;
    const commit = new Promise<number[] | null>((resolve) => (committed = resolve));
    const previousCommit = this.lastCommit;
    this.lastCommit = commit.then(() => undefined);
    const durable = previousCommit.then(() => {
      if (generation !== this.generation) throw new Error('an earlier batch was not stored');
      return this.db.transaction((tx) => this.persist(tx, current, Date.now()), { onCommit: committed });
    });
    // On failure, the rebuild is decided before the next batch looks at `generation`.
    durable.catch(() => {
      this.invalidate(generation);
      committed(null);
    });
    this.lastDelivery = this.lastDelivery.then(() => this.deliver(current, commit, durable));
  }

  private async deliver(items: readonly TPendingUpdate[], commit: Promise<number[] | null>, durable: Promise<unknown>): Promise<void> {
    const seqs = await commit;
    if (seqs) {
      this.head = seqs[seqs.length - 1] ?? this.head;
      const merged = items.length === 1 ? items[0]!.bytes : Y.mergeUpdates(items.map((item) => item.bytes));
      this.broadcast(this.documentId, merged);
    }
    // The next batch is broadcast without waiting for this one's disk; acknowledgements follow
    // their own durability (in order: a sync that covers a commit covers every earlier one).
    this.lastAcknowledgement = durable.then(
      () => items.forEach((item) => item.settle({ ok: true })),
      // Not durable, so not acknowledged; the document is rebuilt from what storage holds.
      () => items.forEach((item) => item.settle({ ok: false, error: 'storage_failed' })),
    );
    if (seqs && this.head - this.lastCheckpointSeq >= CHECKPOINT_EVERY && !this.checkpointQueued) {
      this.checkpointQueued = true;
      void this.queue
        .run(() => this.checkpointIfDue())
        .catch((error: unknown) => log.error('document.checkpoint_failed', { documentId: this.documentId, error }))
        .finally(() => (this.checkpointQueued = false));
    }
  }

  /** Settles once every batch dispatched so far has been broadcast and acknowledged, or refused. */
  private dispatchedSettled(): Promise<void> {
    return this.lastDelivery.then(() => this.lastAcknowledgement);
  }

  /** A batch of `generation` failed: everything applied since is refused and the document rebuilt. */
  private invalidate(generation: number): void {
    if (generation !== this.generation) return;
    this.generation += 1;
    this.stale = true;
    // At once, not at the next message: joins read the state vector of the document in memory.
    void this.queue.run(() => this.rebuildIfStale()).catch((error: unknown) => log.error('document.rebuild_failed', { documentId: this.documentId, error }));
  }

  private async rebuildIfStale(): Promise<void> {
    if (!this.stale) return;
    // Batches still on their way fail (they are of the older generation) or are already committed.
    await this.dispatchedSettled();
    this.stale = false;
    await this.reload();
  }

  /**
   * Empties the pipeline: everything applied so far is durable, broadcast and acknowledged (or
   * refused, and the document rebuilt). Called on the queue, so nothing new is applied meanwhile
   * and the document then holds exactly what is durable.
   */
  private async settled(): Promise<void> {
    this.dispatch();
    await this.dispatchedSettled();
    await this.rebuildIfStale();
  }

  /**
   * Appends updates to the document's log in one transaction, claiming their Yjs client ids (for
   * the server's own changes: for the server) and, while a session is live, hashing each into
   * that session's record. Returns the seqs.
   */
  private async persist(tx: Queryable, items: readonly TPersistItem[], at: number): Promise<number[]> {
    const liveSession = await findLiveSession(tx, this.negotiationId);
    for (const item of items) {
      // Ids already known are owned as `owners` says (it mirrors document_clients): nothing to write.
      if (item.newClients.length === 0) continue;
      const owner = item.serverChange ? null : item.author.userId;
      const foreign = await claimClientIds(tx, this.documentId, owner, item.newClients, at);
      if (foreign.length) throw new Error('a client id changed owner before it was stored');
    }
    const seqs = await appendDocumentUpdates(
      tx,
      this.documentId,
      items.map((item) => ({ at, userId: item.author.userId, delegationId: item.author.delegationId, sessionId: liveSession, bytes: item.bytes })),
    );
    if (liveSession) {
      for (const [index, item] of items.entries()) {
        await recordSessionEvent(
          tx,
          liveSession,
          { user: { id: item.author.userId }, membership: item.author.role ? { role: item.author.role, delegationId: item.author.delegationId } : undefined },
          'document.updated',
          { documentId: this.documentId, documentSeq: seqs[index] ?? 0, updateHash: createHash('sha256').update(item.bytes).digest('hex') },
          at,
        );
      }
    }
    return seqs;
  }

  private async checkpointIfDue(): Promise<void> {
    await this.settled();
    if (this.head - this.lastCheckpointSeq >= CHECKPOINT_EVERY) await this.checkpoint();
  }

  /**
   * A change the server makes itself (an accepted amendment): applied to the live document,
   * appended in one transaction together with `alsoInTransaction` (e.g. marking the amendment
   * accepted), then broadcast. `edit` returns false when there is nothing to change. Resolves with
   * the update's seq, or null when `edit` changed nothing.
   */
  applyServerChange(
    edit: (doc: Y.Doc) => boolean,
    author: TUpdateAuthor,
    alsoInTransaction: (tx: Queryable, seq: number) => Promise<void>,
  ): Promise<number | null> {
    return this.queue.run(async () => {
      // Edits already accepted from people go first, in their own transactions.
      await this.settled();
      const captured: Uint8Array[] = [];
      const capture = (update: Uint8Array) => captured.push(update);
      this.doc.on('update', capture);
      let changed = false;
      try {
        this.doc.transact(() => {
          changed = edit(this.doc);
        }, SERVER_ORIGIN);
      } finally {
        this.doc.off('update', capture);
      }
      if (!changed || captured.length === 0) return null;
      this.version += 1;
      const bytes = captured.length === 1 ? captured[0]! : Y.mergeUpdates(captured);
      let seq: number;
      try {
        seq = await this.db.transaction(async (tx) => {
          const newClients = inspectClients(bytes).filter((clientId) => !this.owners.has(clientId));
          const [stored] = await this.persist(tx, [{ bytes, author, newClients, serverChange: true }], Date.now());
          if (stored === undefined) throw new Error('server change not stored');
          await alsoInTransaction(tx, stored);
          return stored;
        });
      } catch (error) {
        await this.reload();
        throw error;
      }
      this.owners.set(this.doc.clientID, null);
      this.head = seq;
      this.approximateBytes += bytes.byteLength;
      this.broadcast(this.documentId, bytes);
      if (this.head - this.lastCheckpointSeq >= CHECKPOINT_EVERY) await this.checkpoint();
      return seq;
    });
  }

  /** Stores the whole state as of the current head (on the queue, with the pipeline empty). */
  private async checkpoint(): Promise<void> {
    const seq = this.head;
    const state = Y.encodeStateAsUpdate(this.doc);
    await insertDocumentCheckpoint(this.db, this.documentId, seq, state, Y.encodeStateVector(this.doc), Date.now());
    this.lastCheckpointSeq = seq;
    this.approximateBytes = state.byteLength;
    // On the queue with the pipeline empty: the document is exactly this state.
    this.fullState = { version: this.version, bytes: state };
  }

  /**
   * Makes every accepted update durable, then checkpoints what the last checkpoint lacks, so the
   * next load reads one row instead of replaying the tail (closing the document, shutdown).
   */
  async drain(): Promise<void> {
    await this.queue.run(async () => {
      await this.settled();
      if (this.head > this.lastCheckpointSeq) await this.checkpoint();
    });
  }

  destroy(): void {
    this.awareness.destroy();
    this.built?.destroy();
  }
}

/** An update without structs or deletions, as Yjs encodes it: two zero counts. */
function isEmptyUpdate(update: Uint8Array): boolean {
  return update.byteLength === 2 && update[0] === 0 && update[1] === 0;
}

/** A state vector naming no client: the peer has nothing yet. */
function isEmptyStateVector(stateVector: Uint8Array): boolean {
  try {
    return Y.decodeStateVector(stateVector).size === 0;
  } catch {
    return false;
  }
}

function inspectClients(bytes: Uint8Array): number[] {
  const clients = new Set<number>();
  for (const struct of Y.decodeUpdate(bytes).structs) if (!(struct instanceof Y.Skip)) clients.add(struct.id.client);
  return [...clients];
}

async function findLiveSession(q: Queryable, negotiationId: string): Promise<string | null> {
  const row = await q.get<{ id: string }>(
    `SELECT id FROM negotiation_sessions WHERE negotiation_id = ? AND status = 'live' ORDER BY scheduled_start, id LIMIT 1`,
    [negotiationId],
  );
  return row?.id ?? null;
}
