import { z } from 'zod';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { Database, Queryable } from '../../lib/db';
import { applyParagraphChange, type TParagraphChange } from '../../lib/documents/paragraph-edit';
import type { TChangeAuthor } from '../../lib/server/live-hub';
import { listParagraphStatuses } from '../../lib/db/repositories/documents';
import { findDelegationInNegotiation } from '../../lib/db/repositories/negotiations';
import { findUserById, type TUser } from '../../lib/db/repositories/people';
import {
  decodeAwarenessEntries,
  decodeDocumentMessage,
  encodeAwareness,
  encodeAwarenessEntries,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  type TAwarenessEntry,
  type TAwarenessRefusal,
  type TDocumentMessage,
} from '../../lib/documents/messages';
import { MAX_UPDATE_BYTES } from '../../lib/documents/schema';
import { documentAccessFor, type TDocumentAccessLevel } from '../../lib/server/documents/document-access';
import { log } from '../../lib/server/log';
import { AppError } from '../../lib/shared/errors';
import { colorOfDelegation } from '../../lib/server/documents/delegation-color';
import type { TRole } from '../../lib/shared/domain';
import type { TProxeniaSocket as Socket, TProxeniaSocketServer as Server } from '../socket/types';
import { LiveDocument, type TContentRefusal } from './live-document';

const ZDocumentId = z.uuid();
const ZJoin = z.strictObject({ documentId: ZDocumentId });

/** Refusals a connection may accumulate before it is closed (THREATS T19, T24). */
const MAX_VIOLATIONS = 20;
/**
 * Awareness client ids one connection may describe in one document over its life (D7): a browser
 * describes one, its Y.Doc's; the cap keeps ids bound to a user (T26) from growing without end.
 */
const MAX_AWARENESS_CLIENTS = 4;
/** Awareness (cursors, presence) is relayed in batches this far apart. */
const AWARENESS_BATCH_MS = 20;
/** How long an unused document stays in memory after its last reader leaves. */
const UNLOAD_AFTER_MS = 30_000;

type TAck = (response: unknown) => void;

/** Tokens refill continuously up to a burst; each message takes one (THREATS T24). */
class TokenBucket {
  private tokens: number;
  private updatedAt = Date.now();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond);
    this.updatedAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** What one connection has open in one document. */
interface TOpenDocument {
  access: TDocumentAccessLevel;
  negotiationId: string;
  delegationId: string | null;
  role: TRole | null;
  identity: { name: string; delegation: string | null; color: string };
  /** Awareness client ids this connection has described (removed when it leaves). */
  awarenessClients: Set<number>;
  /** Every awareness client id this connection has claimed in this document (D7's cap). */
  claimedClients: Set<number>;
}

interface TConnection {
  userId: string;
  documents: Map<string, TOpenDocument>;
  contentBucket: TokenBucket;
  awarenessBucket: TokenBucket;
  violations: number;
}

const documentRoom = (documentId: string) => `doc:${documentId}`;

/**
 * The live co-drafting service over socket.io (docs/PROTOCOL.md D1–D10): one LiveDocument per open
 * document, joined through the policy, fed through validation, broadcast to its room.
 */
export class DocumentHub {
  private readonly documents = new Map<string, Promise<LiveDocument>>();
  private readonly connections = new WeakMap<Socket, TConnection>();
  private readonly unloadTimers = new Map<string, NodeJS.Timeout>();
  /** Awareness entries waiting for the next batch, per document (latest per client id), and the batch's deadline. */
  private readonly pendingAwareness = new Map<string, { entries: Map<number, TAwarenessEntry>; timer: NodeJS.Timeout }>();
  /** Per document, which socket describes each awareness client id now (whose leaving removes its state). */
  private readonly awarenessSockets = new Map<string, Map<number, Socket>>();

  constructor(
    private readonly io: Server,
    private readonly db: Database,
  ) {}

  /** Registers the document events on an authenticated socket. */
  attach(socket: Socket, userId: string): void {
    const connection: TConnection = {
      userId,
      documents: new Map(),
      contentBucket: new TokenBucket(30, 60),
      awarenessBucket: new TokenBucket(10, 20),
      violations: 0,
    };
    this.connections.set(socket, connection);
    socket.on('doc:join', (payload: unknown, ack: unknown) => void this.join(socket, connection, payload, ack));
    socket.on('doc:message', (documentId: unknown, bytes: unknown, ack: unknown) => void this.receive(socket, connection, documentId, bytes, ack));
    socket.on('doc:leave', (payload: unknown) => {
      const parsed = ZJoin.safeParse(payload);
      if (parsed.success) void this.leave(socket, connection, parsed.data.documentId);
    });
    socket.on('disconnect', () => {
      for (const documentId of [...connection.documents.keys()]) void this.leave(socket, connection, documentId);
    });
  }

  private violation(socket: Socket, connection: TConnection, reason: string, documentId?: string): void {
    connection.violations += 1;
    log.warn('doc.refused', { userId: connection.userId, documentId, reason });
    if (connection.violations >= MAX_VIOLATIONS) {
      log.warn('doc.connection_closed', { userId: connection.userId, violations: connection.violations });
      socket.disconnect(true);
    }
  }

  private load(document: { id: string; negotiationId: string; baseText: string }): Promise<LiveDocument> {
    const timer = this.unloadTimers.get(document.id);
    if (timer) clearTimeout(timer);
    this.unloadTimers.delete(document.id);
    let live = this.documents.get(document.id);
    if (!live) {
      live = LiveDocument.open(this.db, document, (documentId, update) => {
        const frame = encodeUpdate(update);
        // D8: carets waiting for their batch go out in the same packet, after the text they point
        // into: one WebSocket frame per recipient instead of two.
        const awareness = this.takeAwarenessFrame(documentId);
        if (awareness) this.io.to(documentRoom(documentId)).emit('doc:message', documentId, frame, awareness);
        else this.io.to(documentRoom(documentId)).emit('doc:message', documentId, frame);
      });
      this.documents.set(document.id, live);
      live.catch(() => this.documents.delete(document.id));
    }
    return live;
  }

  /** D1: join a document the user may see; the server answers with its state vector. */
  private async join(socket: Socket, connection: TConnection, payload: unknown, ack: unknown): Promise<void> {
    const reply = typeof ack === 'function' ? (ack as TAck) : () => undefined;
    const parsed = ZJoin.safeParse(payload);
    if (!parsed.success) {
      this.violation(socket, connection, 'invalid_join');
      return reply({ ok: false, error: 'not_found' });
    }
    try {
      const user = await findUserById(this.db, connection.userId);
      if (!user) return reply({ ok: false, error: 'unauthenticated' });
      const access = await documentAccessFor(this.db, user, parsed.data.documentId);
      const delegation = access.membership?.delegationId
        ? await findDelegationInNegotiation(this.db, access.document.negotiationId, access.membership.delegationId)
        : undefined;
      const live = await this.load(access.document);
      connection.documents.set(access.document.id, {
        access: access.access,
        negotiationId: access.document.negotiationId,
        delegationId: access.membership?.delegationId ?? null,
        role: access.membership?.role ?? null,
        identity: {
          name: user.name,
          delegation: delegation?.actorName ?? null,
          color: await colorOfDelegation(this.db, access.document.negotiationId, access.membership?.delegationId ?? null),
        },
        awarenessClients: new Set(),
        claimedClients: new Set(),
      });
      await socket.join(documentRoom(access.document.id));
      reply({ ok: true, access: access.access, mode: access.mode, statuses: await listParagraphStatuses(this.db, access.document.id) });
      socket.emit('doc:message', access.document.id, encodeSyncStep1(live.stateVector()));
      const states = [...live.awareness.getStates().keys()];
      if (states.length) socket.emit('doc:message', access.document.id, encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(live.awareness, states)));
    } catch (error) {
      if (error instanceof AppError) {
        this.violation(socket, connection, `join_${error.code}`);
        return reply({ ok: false, error: error.code === 'forbidden' ? 'not_found' : error.code });
      }
      log.error('doc.join_failed', { error });
      return reply({ ok: false, error: 'internal' });
    }
  }

  /** D2–D7: one y-protocols message for a joined document. */
  private async receive(socket: Socket, connection: TConnection, documentId: unknown, bytes: unknown, ack: unknown): Promise<void> {
    const reply = typeof ack === 'function' ? (ack as TAck) : () => undefined;
    const id = ZDocumentId.safeParse(documentId);
    const open = id.success ? connection.documents.get(id.data) : undefined;
    if (!id.success || !open) {
      this.violation(socket, connection, 'not_joined');
      return reply({ ok: false, error: 'not_joined' });
    }
    if (!(bytes instanceof Uint8Array)) return this.refuse(socket, connection, id.data, 'malformed', reply);
    if (bytes.byteLength > MAX_UPDATE_BYTES) return this.refuse(socket, connection, id.data, 'too_large', reply);
    let message: TDocumentMessage;
    try {
      message = decodeDocumentMessage(bytes);
    } catch {
      return this.refuse(socket, connection, id.data, 'malformed', reply);
    }
    const live = await this.documents.get(id.data);
    if (!live) return reply({ ok: false, error: 'not_joined' });

    switch (message.kind) {
      case 'sync-step-1': {
        let missing: Uint8Array;
        try {
          missing = await live.diffFor(message.stateVector);
        } catch {
          // Yjs could not read the state vector.
          return this.refuse(socket, connection, id.data, 'malformed', reply);
        }
        socket.emit('doc:message', id.data, encodeSyncStep2(missing));
        return reply({ ok: true });
      }
      case 'awareness':
        return this.receiveAwareness(socket, connection, live, open, message.update, reply);
      default: {
        if (!connection.contentBucket.take()) return this.refuse(socket, connection, id.data, 'rate_limited', reply);
        const outcome = await live.submit(message.update, { userId: connection.userId, delegationId: open.delegationId, role: open.role }, open.access === 'edit');
        if (outcome.ok) return reply({ ok: true });
        return this.refuse(socket, connection, id.data, outcome.error, reply);
      }
    }
  }

  /** D6: refused content is neither applied, stored nor broadcast; the sender must re-sync. */
  private refuse(socket: Socket, connection: TConnection, documentId: string, code: TContentRefusal | TAwarenessRefusal | 'rate_limited', reply: TAck): void {
    socket.emit('doc:error', { documentId, code });
    reply({ ok: false, error: code });
    // Counted after the answer, so even the refusal that closes the connection reaches the sender.
    this.violation(socket, connection, code, documentId);
  }

  /**
   * D7: awareness only for client ids that are the sender's user's (T26), with the identity set by
   * the server. A refused message is dropped and only its sender told: whoever describes an id
   * keeps their connection, and a user's new connection may go on describing its own ids.
   */
  private receiveAwareness(socket: Socket, connection: TConnection, live: LiveDocument, open: TOpenDocument, update: Uint8Array, reply: TAck): void {
    if (!connection.awarenessBucket.take()) return reply({ ok: false, error: 'rate_limited' });
    let entries;
    try {
      entries = decodeAwarenessEntries(update);
    } catch {
      return this.refuse(socket, connection, live.documentId, 'malformed', reply);
    }
    const clientIds = [...new Set(entries.map((entry) => entry.clientId))];
    if (new Set([...open.claimedClients, ...clientIds]).size > MAX_AWARENESS_CLIENTS) return this.refuse(socket, connection, live.documentId, 'too_many_clients', reply);
    if (!live.claimAwarenessClients(clientIds, connection.userId)) return this.refuse(socket, connection, live.documentId, 'awareness_spoof', reply);
    for (const clientId of clientIds) open.claimedClients.add(clientId);
    let describers = this.awarenessSockets.get(live.documentId);
    if (!describers) {
      describers = new Map();
      this.awarenessSockets.set(live.documentId, describers);
    }
    const rewritten = entries.map((entry) => ({
      ...entry,
      state: entry.state === null ? null : { cursor: entry.state.cursor ?? null, user: open.identity },
    }));
    for (const entry of rewritten) {
      if (entry.state === null) {
        open.awarenessClients.delete(entry.clientId);
        if (describers.get(entry.clientId) === socket) describers.delete(entry.clientId);
      } else {
        // The user's latest connection describes the id; an older one of theirs leaving takes nothing with it.
        open.awarenessClients.add(entry.clientId);
        describers.set(entry.clientId, socket);
      }
    }
    awarenessProtocol.applyAwarenessUpdate(live.awareness, encodeAwarenessEntries(rewritten), socket.id);
    this.queueAwareness(live.documentId, rewritten);
    reply({ ok: true });
  }

  /**
   * D7, D8: cursors and presence go out at most every AWARENESS_BATCH_MS per document, the latest
   * state of each client in one message: fan-out to every socket is the cost that grows (T24), and a
   * caret 20 ms late is not noticed. Senders get their own state back, which Yjs ignores.
   */
  private queueAwareness(documentId: string, entries: readonly TAwarenessEntry[]): void {
    let pending = this.pendingAwareness.get(documentId);
    if (!pending) {
      const timer = setTimeout(() => {
        const frame = this.takeAwarenessFrame(documentId);
        if (frame) this.io.to(documentRoom(documentId)).emit('doc:message', documentId, frame);
      }, AWARENESS_BATCH_MS).unref();
      pending = { entries: new Map(), timer };
      this.pendingAwareness.set(documentId, pending);
    }
    for (const entry of entries) pending.entries.set(entry.clientId, entry);
  }

  /** The batch waiting to go out (its deadline cancelled), as one frame; undefined when none. */
  private takeAwarenessFrame(documentId: string): Uint8Array | undefined {
    const pending = this.pendingAwareness.get(documentId);
    if (!pending) return undefined;
    this.pendingAwareness.delete(documentId);
    clearTimeout(pending.timer);
    if (!pending.entries.size) return undefined;
    return encodeAwareness(encodeAwarenessEntries([...pending.entries.values()]));
  }

  /** D9: leave a document; its awareness entries go with the connection. */
  private async leave(socket: Socket, connection: TConnection, documentId: string): Promise<void> {
    const open = connection.documents.get(documentId);
    if (!open) return;
    connection.documents.delete(documentId);
    // At once, not after the awaits below: the states this connection still describes go, and the
    // user's next connection describes these ids afresh (they stay the user's, D7).
    const describers = this.awarenessSockets.get(documentId);
    const clients = [...open.awarenessClients].filter((clientId) => describers?.get(clientId) === socket);
    for (const clientId of clients) describers?.delete(clientId);
    await socket.leave(documentRoom(documentId));
    const live = await this.documents.get(documentId)?.catch(() => undefined);
    if (!live) return;
    if (clients.length) {
      // A state still waiting to go out must not bring the leaver back after the removal.
      for (const clientId of clients) this.pendingAwareness.get(documentId)?.entries.delete(clientId);
      awarenessProtocol.removeAwarenessStates(live.awareness, clients, 'leave');
      const removal = encodeAwarenessEntries(clients.map((clientId) => ({ clientId, clock: (live.awareness.meta.get(clientId)?.clock ?? 0) + 1, state: null })));
      this.io.to(documentRoom(documentId)).emit('doc:message', documentId, encodeAwareness(removal));
    }
    this.scheduleUnload(documentId);
  }

  private scheduleUnload(documentId: string): void {
    if ((this.io.sockets.adapter.rooms.get(documentRoom(documentId))?.size ?? 0) > 0) return;
    const timer = setTimeout(() => {
      this.unloadTimers.delete(documentId);
      if ((this.io.sockets.adapter.rooms.get(documentRoom(documentId))?.size ?? 0) > 0) return;
      const live = this.documents.get(documentId);
      this.documents.delete(documentId);
      this.awarenessSockets.delete(documentId);
      void live?.then(async (document) => {
        await document.drain();
        document.destroy();
      });
    }, UNLOAD_AFTER_MS);
    timer.unref();
    this.unloadTimers.set(documentId, timer);
  }

  /** D10: a user's role changed; re-evaluate their open documents in that negotiation at once (T39). */
  async membershipChanged(negotiationId: string, userId: string): Promise<void> {
    const user = await findUserById(this.db, userId);
    for (const socket of this.io.sockets.sockets.values()) {
      const connection = this.connections.get(socket);
      if (!connection || connection.userId !== userId) continue;
      for (const [documentId, open] of connection.documents) {
        if (open.negotiationId !== negotiationId) continue;
        await this.reevaluate(socket, connection, documentId, open, user);
      }
    }
  }

  /** D10: a document's drafting mode changed; re-evaluate everyone who has it open. */
  async documentModeChanged(documentId: string): Promise<void> {
    for (const socket of this.io.sockets.sockets.values()) {
      const connection = this.connections.get(socket);
      const open = connection?.documents.get(documentId);
      if (!connection || !open) continue;
      await this.reevaluate(socket, connection, documentId, open, await findUserById(this.db, connection.userId));
    }
  }

  private async reevaluate(socket: Socket, connection: TConnection, documentId: string, open: TOpenDocument, user: TUser | undefined): Promise<void> {
    try {
      if (!user) throw new AppError('not_found');
      const access = await documentAccessFor(this.db, user, documentId);
      open.access = access.access;
      open.role = access.membership?.role ?? null;
      open.delegationId = access.membership?.delegationId ?? null;
      socket.emit('doc:access', { documentId, access: access.access, mode: access.mode });
    } catch {
      await this.leave(socket, connection, documentId);
      socket.emit('doc:access', { documentId, access: 'none', mode: null });
    }
  }

  /** D11: a paragraph's status changed; everyone with the document open sees it at once. */
  paragraphStatusChanged(documentId: string, pid: string, status: string): void {
    this.io.to(documentRoom(documentId)).emit('doc:status', { documentId, pid, status });
  }

  /** D12: the amendments of a document changed; open editors refetch them. */
  amendmentsChanged(documentId: string): void {
    this.io.to(documentRoom(documentId)).emit('doc:amendments', { documentId });
  }

  /** D13: the comments of a document changed; open editors refetch what they may see (no content here). */
  commentsChanged(documentId: string): void {
    this.io.to(documentRoom(documentId)).emit('doc:comments', { documentId });
  }

  /** D14: the brackets of a document changed; open editors refetch them. */
  bracketsChanged(documentId: string): void {
    this.io.to(documentRoom(documentId)).emit('doc:brackets', { documentId });
  }

  /** A change made by the server itself (an accepted amendment), on the live document. */
  async applyDocumentChange(
    document: { id: string; negotiationId: string; baseText: string },
    change: TParagraphChange,
    author: TChangeAuthor,
    alsoInTransaction: (tx: Queryable, seq: number) => Promise<void>,
  ): Promise<number | null> {
    const live = await this.load(document);
    try {
      return await live.applyServerChange((doc) => applyParagraphChange(doc, change), author, alsoInTransaction);
    } finally {
      this.scheduleUnload(document.id);
    }
  }

  /** Makes every accepted update durable (graceful shutdown). */
  async drainAll(): Promise<void> {
    await Promise.all([...this.documents.values()].map((live) => live.then((document) => document.drain()).catch(() => undefined)));
  }
}
