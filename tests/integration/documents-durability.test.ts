/**
 * THREATS "Durability drills" for live documents (docs/PROTOCOL.md D5): kill -9 mid-edit with random
 * timing, kill -9 with every client gone, SIGTERM, and checkpoint + replay equivalence.
 *
 * Scripted typists append 4-character tokens ("a017") to their own paragraph. Each typist records
 * which of its edits the server acknowledged: an acknowledged frame carrying the typist's own
 * structs up to clock c means everything it wrote before c is durable (the server refuses content
 * whose earlier clocks it lacks, and writes the log in order). After a restart the same Y.Doc is
 * reattached through a new socket and a new provider, as a browser tab would after reconnecting.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Socket } from 'socket.io-client';
import * as Y from 'yjs';
import type { Database } from '../../lib/db';
import { loadDocumentState } from '../../lib/db/repositories/documents';
import { insertDocument } from '../../lib/db/repositories/negotiations';
import { documentPlainText } from '../../lib/documents/base-text';
import { decodeDocumentMessage } from '../../lib/documents/messages';
import { DOCUMENT_FIELD } from '../../lib/documents/schema';
import { DocumentSyncProvider } from '../../lib/documents/socket-provider';
import { CHECKPOINT_EVERY, LiveDocument, type TSubmitResult, type TUpdateAuthor } from '../../server/documents/live-document';
import { testBackends } from '../helpers/databases';
import { demoCookie, demoDocumentId, openDocument } from '../helpers/documents';
import { withServerDatabase } from '../helpers/demo-data';
import { buildNegotiation, buildUser } from '../helpers/factories';
import { eventually } from '../helpers/http';
import { connectSocket } from '../helpers/live';
import { startServer, type TRunningServer } from '../helpers/server';

type TAck = { ok: true } | { ok: false; error: string };

const randomBetween = (min: number, max: number) => min + Math.floor(Math.random() * (max - min));
/** A drill's random delay (the only sleeps in this file). */
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The paragraph at `index` as plain text (0: the title). */
function paragraphOf(text: string, index: number): string {
  return text.split('\n')[index] ?? '';
}

/** One scripted co-drafter: a Y.Doc that outlives its connections, typing tokens into one paragraph. */
class Typist {
  readonly doc = new Y.Doc();
  /** Every token typed, in order, with the typist's own clock once it was in. */
  readonly edits: { token: string; end: number }[] = [];
  /** Own structs below this clock are acknowledged durable. */
  ackedClock = 0;
  readonly refusals: string[] = [];
  /** Content frames of the current connection not yet answered. */
  unconfirmed = 0;
  private socket: Socket | null = null;
  private provider: DocumentSyncProvider | null = null;
  private timer: NodeJS.Timeout | null = null;
  baseParagraph = '';

  constructor(
    readonly letter: string,
    readonly paragraph: number,
    private readonly cookie: string,
    private readonly documentId: string,
  ) {}

  /** Opens a new socket and a new provider on the same Y.Doc (and so the same Yjs client id). */
  async connect(server: TRunningServer): Promise<void> {
    this.disconnect();
    const outcome = await connectSocket(server.url, { cookie: this.cookie });
    if (outcome.kind !== 'welcome') throw new Error(`socket refused: ${outcome.message}`);
    const socket = outcome.socket;
    this.trackAcks(socket);
    this.socket = socket;
    this.unconfirmed = 0;
    this.provider = new DocumentSyncProvider(socket, this.documentId, this.doc, {
      refused: (code) => this.refusals.push(code),
      unconfirmed: (count) => (this.unconfirmed = count),
    });
    const provider = this.provider;
    await eventually(() => provider.status === 'synced');
    if (!this.baseParagraph) this.baseParagraph = paragraphOf(this.text(), this.paragraph);
  }

  /** Drops the provider and socket; the Y.Doc and its edits stay. */
  disconnect(): void {
    this.provider?.destroy();
    this.socket?.close();
    this.provider = null;
    this.socket = null;
  }

  /** Wraps the socket's emit so each content frame's acknowledgement advances `ackedClock`. */
  private trackAcks(socket: Socket): void {
    const emit = socket.emit.bind(socket) as (event: string, ...args: unknown[]) => Socket;
    const tracked = (event: string, ...args: unknown[]): Socket => {
      const callback = args[args.length - 1];
      const frame = args[1];
      if (event === 'doc:message' && typeof callback === 'function' && frame instanceof Uint8Array) {
        const message = decodeDocumentMessage(frame);
        if (message.kind === 'update' || message.kind === 'sync-step-2') {
          const own = this.doc.clientID;
          let end = 0;
          for (const struct of Y.decodeUpdate(message.update).structs) if (struct.id.client === own) end = Math.max(end, struct.id.clock + struct.length);
          args[args.length - 1] = (response: TAck) => {
            if (response.ok) this.ackedClock = Math.max(this.ackedClock, end);
            (callback as (response: TAck) => void)(response);
          };
        }
      }
      return emit(event, ...args);
    };
    socket.emit = tracked as unknown as Socket['emit'];
  }

  /** Appends the next 4-character token to the end of the typist's paragraph. */
  typeOne(): void {
    const token = `${this.letter}${String(this.edits.length).padStart(3, '0')}`;
    const block = this.doc.getXmlFragment(DOCUMENT_FIELD).get(this.paragraph) as Y.XmlElement;
    const text = block.get(0) as Y.XmlText;
    text.insert(text.length, token);
    this.edits.push({ token, end: Y.getState(this.doc.store, this.doc.clientID) });
  }

  startTyping(everyMs: number): void {
    this.stopTyping();
    this.timer = setInterval(() => this.typeOne(), everyMs);
  }

  stopTyping(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  acknowledgedTokens(): string[] {
    return this.edits.filter((edit) => edit.end <= this.ackedClock).map((edit) => edit.token);
  }

  /** Everything this typist wrote is acknowledged. */
  allAcknowledged(): boolean {
    return this.ackedClock >= Y.getState(this.doc.store, this.doc.clientID);
  }

  /** Connected, synced, and every frame sent on this connection answered. */
  settled(): boolean {
    return this.provider?.status === 'synced' && this.unconfirmed === 0;
  }

  /** The paragraph as it must read once everything is merged: the base, then every token once, in order. */
  expectedParagraph(): string {
    return `${this.baseParagraph}${this.edits.map((edit) => edit.token).join('')}`;
  }

  text(): string {
    return documentPlainText(this.doc);
  }
}

/** Asserts that `paragraph` is the base followed by a prefix of `typist`'s tokens containing every acknowledged one. */
function assertDurablePrefix(paragraph: string, typist: Typist, label: string): number {
  assert.ok(paragraph.startsWith(typist.baseParagraph), `${label}: the base text of paragraph ${typist.paragraph} is intact`);
  const typed = paragraph.slice(typist.baseParagraph.length);
  const tokens = typist.edits.map((edit) => edit.token);
  assert.equal(typed.length % 4, 0, `${label}: whole tokens only: ${typed}`);
  const stored = typed.match(/.{4}/g) ?? [];
  assert.deepEqual(stored, tokens.slice(0, stored.length), `${label}: a prefix of ${typist.letter}'s edits, in order, none twice`);
  const acknowledged = typist.acknowledgedTokens();
  assert.ok(stored.length >= acknowledged.length, `${label}: every acknowledged edit of ${typist.letter} is stored (${stored.length} stored, ${acknowledged.length} acknowledged)`);
  return stored.length;
}

describe('durability drills (real server, kill -9 and SIGTERM)', () => {
  let server: TRunningServer;
  let documentId: string;
  const cookies = new Map<string, string>();
  let typists: Typist[] = [];

  before(async () => {
    server = await startServer();
    documentId = demoDocumentId(server);
    for (const local of ['head.montreal', 'head.seoul', 'head.barcelona', 'secretariat']) cookies.set(local, await demoCookie(server, local));
  });
  after(async () => {
    for (const typist of typists) {
      typist.stopTyping();
      typist.disconnect();
    }
    await server.stop();
  });

  const cookieOf = (local: string) => cookies.get(local) ?? '';

  /** A fresh join (new connection, new Y.Doc) as the secretariat; its text. */
  async function freshJoinText(): Promise<string> {
    const checker = await openDocument(server, cookieOf('secretariat'), documentId);
    const text = checker.text();
    checker.close();
    return text;
  }

  async function makeTypists(paragraphs: number[]): Promise<Typist[]> {
    for (const typist of typists) typist.disconnect();
    const locals = ['head.montreal', 'head.seoul', 'head.barcelona'];
    const letters = ['a', 'b', 'c'];
    typists = paragraphs.map((paragraph, index) => new Typist(letters[index] ?? 'd', paragraph, cookieOf(locals[index] ?? ''), documentId));
    await Promise.all(typists.map((typist) => typist.connect(server)));
    return typists;
  }

  /** Everyone converged on the union of all edits: replicas, a fresh join, nothing duplicated, no refusal. */
  async function assertConverged(label: string): Promise<void> {
    // (An edit the server stored but could not acknowledge before it went down is not resent: the
    // server's state vector shows it has it. So convergence is judged by content, not by acks.)
    const complete = () => typists.every((typist) => typist.settled() && paragraphOf(typist.text(), typist.paragraph) === typist.expectedParagraph());
    await eventually(() => complete() && typists.every((typist) => typist.text() === typists[0]?.text()), { timeoutMs: 15_000 });
    const text = typists[0]?.text() ?? '';
    for (const typist of typists) {
      assert.equal(paragraphOf(text, typist.paragraph), typist.expectedParagraph(), `${label}: paragraph of ${typist.letter} holds all its edits exactly once`);
      assert.deepEqual(typist.refusals, [], `${label}: nothing of ${typist.letter} was refused`);
    }
    assert.equal(await freshJoinText(), text, `${label}: a fresh join equals the replicas`);
  }

  async function restart(): Promise<void> {
    server = await startServer({ dataDir: server.dataDir });
  }

  test('[Drill 1][D5] kill -9 mid-edit at a random moment, three rounds: replicas and store converge on the union of all edits; nothing acknowledged is lost', async (t) => {
    await makeTypists([1, 2, 3]);
    for (let round = 1; round <= 3; round += 1) {
      const typingMs = randomBetween(300, 1_500);
      const offlineMs = randomBetween(200, 800);
      const afterReconnectMs = randomBetween(200, 600);
      t.diagnostic(`round ${round}: kill after ${typingMs} ms, ${offlineMs} ms offline, ${afterReconnectMs} ms of typing after reconnecting`);
      typists.forEach((typist, index) => setTimeout(() => typist.startTyping(50), index * 15));
      await pause(typingMs);
      const acknowledgedAtKill = typists.map((typist) => typist.acknowledgedTokens().length);
      await server.kill();
      await pause(offlineMs);
      await restart();
      // Server-side durability first, before any client could resend: every acknowledged edit is on disk.
      const stored = await freshJoinText();
      for (const typist of typists) assertDurablePrefix(paragraphOf(stored, typist.paragraph), typist, `round ${round} after restart`);
      await Promise.all(typists.map((typist) => typist.connect(server)));
      await pause(afterReconnectMs);
      for (const typist of typists) typist.stopTyping();
      t.diagnostic(`round ${round}: acknowledged at the kill ${acknowledgedAtKill.join('/')}, typed ${typists.map((typist) => typist.edits.length).join('/')}`);
      assert.ok(acknowledgedAtKill.some((count) => count > 0) || round > 1, 'some edits were acknowledged before the first kill');
      await assertConverged(`round ${round}`);
    }
  });

  test('[Drill 2][D5] kill -9 with every client gone: every acknowledged edit is on disk', async () => {
    await makeTypists([4, 5]);
    for (let burst = 0; burst < 12; burst += 1) for (const typist of typists) typist.typeOne();
    await eventually(() => typists.every((typist) => typist.allAcknowledged()));
    for (const typist of typists) typist.disconnect();
    // At once: no unload timer (30 s) or graceful path gets a chance to write anything.
    await server.kill();
    await restart();
    const stored = await freshJoinText();
    for (const typist of typists) {
      assert.equal(typist.acknowledgedTokens().length, 12);
      assert.equal(paragraphOf(stored, typist.paragraph), typist.expectedParagraph());
    }
  });

  test('[Drill 6][D5] SIGTERM during a burst of edits: the server exits cleanly and stores a gap-free prefix with every acknowledged edit', async (t) => {
    await makeTypists([6, 7, 8]);
    // Each typist sends 40 updates at once (within the burst of 60); SIGTERM once the first is acknowledged.
    for (let index = 0; index < 40; index += 1) for (const typist of typists) typist.typeOne();
    // Let the client write the frames out, then signal at once: the server gets them and the signal together.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const exit = await server.stop();
    assert.deepEqual(exit, { code: 0, signal: null }, 'a clean exit');
    assert.match(server.output(), /"event":"server.stopping","signal":"SIGTERM"[\s\S]*"event":"server.stopped"/);
    await restart();
    const stored = await freshJoinText();
    const counts = typists.map((typist) => ({
      acknowledged: typist.acknowledgedTokens().length,
      stored: assertDurablePrefix(paragraphOf(stored, typist.paragraph), typist, 'after SIGTERM'),
    }));
    t.diagnostic(`acknowledged/stored per typist: ${counts.map((count) => `${count.acknowledged}/${count.stored}`).join(', ')}`);
    // The clients then bring what the server never received.
    await Promise.all(typists.map((typist) => typist.connect(server)));
    await assertConverged('after SIGTERM and reconnecting');
  });

  test('[Drill 4][D5] the log after the drills: seqs are gapless and replaying it gives what a fresh join shows', async () => {
    const text = await freshJoinText();
    const rows = withServerDatabase(server, (db) =>
      (db.prepare('SELECT seq, update_bytes AS bytes FROM document_updates WHERE document_id = ? ORDER BY seq').all(documentId) as { seq: number; bytes: Buffer }[]),
    );
    assert.deepEqual(rows.map((row) => row.seq), rows.map((_, index) => index + 1));
    const replay = new Y.Doc();
    Y.applyUpdate(replay, Y.mergeUpdates(rows.map((row) => new Uint8Array(row.bytes))));
    assert.equal(documentPlainText(replay), text);
    assert.equal(replay.store.pendingStructs, null);
  });
});

for (const backend of testBackends()) {
  describe(`LiveDocument write path on ${backend.name} (no server process)`, () => {
    /** A client's replica of the document: types at the start of the first paragraph and submits what it typed. */
    function typist(live: LiveDocument, author: TUpdateAuthor): (words: string) => Promise<TSubmitResult> {
      const replica = new Y.Doc();
      Y.applyUpdate(replica, Y.encodeStateAsUpdate(live.doc));
      return (words) => {
        const before = Y.encodeStateVector(replica);
        (((replica.getXmlFragment(DOCUMENT_FIELD).get(1) as Y.XmlElement).get(0)) as Y.XmlText).insert(0, words);
        return live.submit(Y.encodeStateAsUpdate(replica, before), author, true);
      };
    }

    /** A stored document and a LiveDocument opened on it; `reopen` loads it again as a restart would. */
    async function openLive(wrap: (db: Database) => Database = (db) => db) {
      const opened = await backend.open();
      const database = { ...opened, db: wrap(opened.db) };
      const secretariat = await buildUser(database.db);
      const editor = await buildUser(database.db);
      const negotiation = await buildNegotiation(database.db, secretariat);
      const id = randomUUID();
      const record = { id, negotiationId: negotiation.id, baseText: 'Test declaration\nWe, the parties,\n1. Agree on this.' };
      await insertDocument(database.db, { ...record, title: 'Test declaration', kind: 'declaration', createdBy: secretariat.id, createdAt: Date.now() });
      const broadcasts: Uint8Array[] = [];
      const open = () => LiveDocument.open(database.db, record, (_documentId, update) => broadcasts.push(update));
      const author: TUpdateAuthor = { userId: editor.id, delegationId: null, role: 'secretariat' };
      return { database, id, open, author, broadcasts, live: await open() };
    }

    test('[Drill 4][D5] past CHECKPOINT_EVERY updates a checkpoint is written; checkpoint + later log loads to the same document as a full replay', async () => {
      const { database, id, open, author, live } = await openLive();
      try {
        // Two writers' worth of small edits, submitted in waves (each wave is one flush).
        const replicas = [new Y.Doc(), new Y.Doc()];
        for (const replica of replicas) Y.applyUpdate(replica, Y.encodeStateAsUpdate(live.doc));
        const total = CHECKPOINT_EVERY + 150;
        let sent = 0;
        while (sent < total) {
          const wave: Promise<unknown>[] = [];
          for (let index = 0; index < 200 && sent < total; index += 1, sent += 1) {
            const replica = replicas[sent % 2] ?? new Y.Doc();
            const before = Y.encodeStateVector(replica);
            const block = replica.getXmlFragment(DOCUMENT_FIELD).get(1 + (sent % 2)) as Y.XmlElement;
            const text = block.get(0) as Y.XmlText;
            // Type, and now and then delete, so the checkpoint holds tombstones too.
            if (sent % 7 === 6) text.delete(0, 1);
            else text.insert(0, String(sent % 10));
            wave.push(live.submit(Y.encodeStateAsUpdate(replica, before), author, true).then((result) => assert.deepEqual(result, { ok: true })));
          }
          await Promise.all(wave);
        }
        const checkpoints = await database.db.all<{ seq: number }>('SELECT seq FROM document_checkpoints WHERE document_id = ?', [id]);
        assert.ok(checkpoints.length >= 1, 'a checkpoint was written');
        const stored = await loadDocumentState(database.db, id);
        assert.ok(stored.checkpoint && stored.checkpoint.seq >= CHECKPOINT_EVERY);
        assert.ok(stored.updates.length > 0 && stored.updates.length < CHECKPOINT_EVERY, 'loading replays only the updates after the checkpoint');
        assert.equal(stored.head, total + 1, 'the seed plus every update');

        const fromCheckpoint = new Y.Doc();
        Y.applyUpdate(fromCheckpoint, stored.checkpoint.bytes);
        for (const update of stored.updates) Y.applyUpdate(fromCheckpoint, update.bytes);
        const all = await database.db.all<{ bytes: Uint8Array }>('SELECT update_bytes AS bytes FROM document_updates WHERE document_id = ? ORDER BY seq', [id]);
        const fullReplay = new Y.Doc();
        for (const row of all) Y.applyUpdate(fullReplay, new Uint8Array(row.bytes));
        assert.equal(documentPlainText(fromCheckpoint), documentPlainText(fullReplay));
        assert.deepEqual(Y.encodeStateVector(fromCheckpoint), Y.encodeStateVector(fullReplay));
        assert.deepEqual(fromCheckpoint.getXmlFragment(DOCUMENT_FIELD).toJSON(), fullReplay.getXmlFragment(DOCUMENT_FIELD).toJSON());
        assert.equal(documentPlainText(fullReplay), documentPlainText(live.doc));

        // A restart loads checkpoint + tail and carries on from the same state.
        const reopened = await open();
        assert.equal(documentPlainText(reopened.doc), documentPlainText(live.doc));
        assert.deepEqual(Y.encodeStateVector(reopened.doc), Y.encodeStateVector(live.doc));
        reopened.destroy();
      } finally {
        live.destroy();
        await database.dispose();
      }
    });

    test('[Drill 6][D5] drain() (the SIGTERM path, and closing a document) makes an applied but not yet flushed update durable and checkpoints the head; reopened, it serves from that checkpoint', async () => {
      const { database, id, open, author, live } = await openLive();
      const reopened: LiveDocument[] = [];
      try {
        const replica = new Y.Doc();
        Y.applyUpdate(replica, Y.encodeStateAsUpdate(live.doc));
        const paragraph = () => ((replica.getXmlFragment(DOCUMENT_FIELD).get(1) as Y.XmlElement).get(0)) as Y.XmlText;
        const typeAndSubmit = (target: LiveDocument, words: string) => {
          const before = Y.encodeStateVector(replica);
          paragraph().insert(0, words);
          return target.submit(Y.encodeStateAsUpdate(replica, before), author, true);
        };
        const accepted = typeAndSubmit(live, 'Drained ');
        await live.drain();
        const rows = await database.db.all<{ seq: number }>('SELECT seq FROM document_updates WHERE document_id = ?', [id]);
        assert.equal(rows.length, 2, 'the seed and the drained update');
        assert.deepEqual(await accepted, { ok: true });
        const stored = await loadDocumentState(database.db, id);
        assert.equal(stored.checkpoint?.seq, 2, 'a checkpoint at the head');
        assert.deepEqual(stored.checkpoint?.stateVector, Y.encodeStateVector(live.doc), 'stored with its state vector');
        assert.equal(stored.updates.length, 0, 'the next load replays nothing');

        // Loaded from that checkpoint, a client with nothing gets the whole state, and after an edit the new state.
        const again = await open();
        reopened.push(again);
        const served = (bytes: Uint8Array) => {
          const doc = new Y.Doc();
          Y.applyUpdate(doc, bytes);
          return documentPlainText(doc);
        };
        // Served and described from the checkpoint alone (the document is built at the first edit).
        assert.deepEqual(again.stateVector(), Y.encodeStateVector(live.doc));
        assert.equal(served(await again.diffFor(new Uint8Array([0]))), documentPlainText(live.doc));
        assert.deepEqual(await typeAndSubmit(again, 'Then edited '), { ok: true });
        assert.match(served(await again.diffFor(new Uint8Array([0]))), /Then edited Drained /);
      } finally {
        for (const document of reopened) document.destroy();
        live.destroy();
        await database.dispose();
      }
    });

    test('[D5] while a batch waits for the disk the next edits are applied; a batch that cannot be stored is refused with every batch behind it, none broadcast, and the document is rebuilt from storage', async () => {
      // Transactions that end in a disk error while `failing` is set, after waiting for `release`.
      let failing = false;
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const failingDisk = (db: Database): Database => ({
        ...db,
        transaction: (work, options) =>
          db.transaction(async (tx) => {
            const result = await work(tx);
            if (!failing) return result;
            await gate;
            throw new Error('disk I/O error');
          }, options),
      });
      const { database, id, author, broadcasts, live } = await openLive(failingDisk);
      try {
        const typeAndSubmit = typist(live, author);
        assert.deepEqual(await typeAndSubmit('Stored '), { ok: true });
        const storedBefore = broadcasts.length;

        failing = true;
        const lost = typeAndSubmit('Lost ');
        // Its batch is now waiting in its transaction; the next edit (resting on it) is applied anyway.
        await new Promise((resolve) => setImmediate(resolve));
        const behind = typeAndSubmit('Behind ');
        await eventually(() => /Behind Lost Stored/.test(documentPlainText(live.doc)));
        release();

        assert.deepEqual(await lost, { ok: false, error: 'storage_failed' });
        assert.deepEqual(await behind, { ok: false, error: 'storage_failed' }, 'refused: it was applied on top of what was lost');
        assert.equal(broadcasts.length, storedBefore, 'nothing of either batch was broadcast');
        const served = new Y.Doc();
        Y.applyUpdate(served, await live.diffFor(new Uint8Array([0])));
        assert.match(documentPlainText(served), /Stored /);
        assert.doesNotMatch(documentPlainText(served), /Lost|Behind/, 'the document was rebuilt from storage');
        assert.equal(documentPlainText(live.doc), documentPlainText(served));
        const rows = await database.db.all<{ seq: number }>('SELECT seq FROM document_updates WHERE document_id = ? ORDER BY seq', [id]);
        assert.deepEqual(rows.map((row) => Number(row.seq)), [1, 2], 'the seed and the first edit only');

        // The disk is back: a client that re-synced types on, and is acknowledged and broadcast.
        failing = false;
        assert.deepEqual(await typist(live, author)('Again '), { ok: true });
        assert.equal(broadcasts.length, storedBefore + 1);
        assert.match(documentPlainText(live.doc), /^[\s\S]*Again Stored /);
      } finally {
        live.destroy();
        await database.dispose();
      }
    });

    test('[D5] a batch is broadcast once committed and acknowledged once durable; if the disk then fails, the sender is refused and the document keeps what storage holds', async () => {
      // The disk's confirmation (the transaction's resolution after its commit) waits for `release`, and may fail.
      let holding = false;
      let diskFails = false;
      let release!: () => void;
      const slowDisk = (db: Database): Database => ({
        ...db,
        transaction: async (work, options) => {
          const result = await db.transaction(work, options);
          if (holding) await new Promise<void>((resolve) => (release = resolve));
          if (diskFails) throw new Error('fsync: input/output error');
          return result;
        },
      });
      const { database, author, broadcasts, live } = await openLive(slowDisk);
      try {
        const typeAndSubmit = typist(live, author);
        const served = async () => {
          const doc = new Y.Doc();
          Y.applyUpdate(doc, await live.diffFor(new Uint8Array([0])));
          return documentPlainText(doc);
        };

        holding = true;
        let answered = false;
        const seen = typeAndSubmit('Seen ').finally(() => (answered = true));
        await eventually(() => broadcasts.length === 1);
        assert.equal(answered, false, 'broadcast at the commit, not yet acknowledged');
        release();
        assert.deepEqual(await seen, { ok: true });

        diskFails = true;
        const unsure = typeAndSubmit('Unsure ');
        await eventually(() => broadcasts.length === 2);
        release();
        assert.deepEqual(await unsure, { ok: false, error: 'storage_failed' }, 'never acknowledged without the disk');
        holding = false;
        diskFails = false;
        // What was broadcast was committed: the rebuilt document holds it, as every client does.
        assert.match(await served(), /Unsure Seen /);
        assert.equal(documentPlainText(live.doc), await served());
      } finally {
        live.destroy();
        await database.dispose();
      }
    });

    test('[D5] a sync step 1 is answered with durable state only: content applied in memory is written before it is served', async () => {
      const { database, id, author, live } = await openLive();
      try {
        const replica = new Y.Doc();
        Y.applyUpdate(replica, Y.encodeStateAsUpdate(live.doc));
        const before = Y.encodeStateVector(replica);
        (((replica.getXmlFragment(DOCUMENT_FIELD).get(1) as Y.XmlElement).get(0)) as Y.XmlText).insert(0, 'Not yet durable ');
        const accepted = live.submit(Y.encodeStateAsUpdate(replica, before), author, true);
        // Let the submit apply the update in memory (microtasks), but not the flush (setImmediate).
        for (let turn = 0; turn < 20; turn += 1) await Promise.resolve();
        assert.match(documentPlainText(live.doc), /Not yet durable/, 'the update is applied in memory');
        const diff = await live.diffFor(new Uint8Array([0]));
        const served = new Y.Doc();
        Y.applyUpdate(served, diff);
        assert.match(documentPlainText(served), /Not yet durable/);
        const rows = await database.db.all<{ seq: number }>('SELECT seq FROM document_updates WHERE document_id = ?', [id]);
        assert.equal(rows.length, 2, 'what was served is already in the log');
        assert.deepEqual(await accepted, { ok: true });
      } finally {
        live.destroy();
        await database.dispose();
      }
    });
  });
}
