/**
 * THREATS B at the document layer (docs/PROTOCOL.md D1–D10): hostile Yjs content and protocol
 * frames sent to the real, built server. "Rejected" is proved the same way every time (see
 * `expectRefused`): the sender gets the ack `{ ok: false, error }` and a `doc:error`; the log row
 * count is unchanged; a second connected client received no update and its text is unchanged; a
 * fresh join shows the same text; and the refusal is logged.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { documentPlainText } from '../../lib/documents/base-text';
import {
  decodeDocumentMessage,
  encodeAwareness,
  encodeAwarenessEntries,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
} from '../../lib/documents/messages';
import { DOCUMENT_FIELD, MAX_DOCUMENT_BYTES, MAX_UPDATE_BYTES } from '../../lib/documents/schema';
import { DocumentSyncProvider } from '../../lib/documents/socket-provider';
import { DELEGATION_PALETTE } from '../../lib/shared/colors';
import { demoEmail, userIdOf, withServerDatabase } from '../helpers/demo-data';
import { demoCookie, demoDocumentId, openDocument, typeInto, type TDocumentClient } from '../helpers/documents';
import { eventually } from '../helpers/http';
import { connectSocket, disconnection } from '../helpers/live';
import { startServer, type TRunningServer } from '../helpers/server';

type TAck = { ok: true } | { ok: false; error: string };

/** A document client that also records what a test needs to prove "nothing broadcast". */
interface TWatchedClient extends TDocumentClient {
  documentId: string;
  /** Every `doc:error` the server sent this connection. */
  errors: { documentId: string; code: string }[];
  /** Every update (sync message type 2) the server pushed to this connection. */
  updates: Uint8Array[];
}

const TITLE = 'Declaration on Urban Climate Resilience';

/** An edit made on a copy of `source`, as the update it produces (and the copy, for more edits). */
function editOn(source: Y.Doc, edit: (doc: Y.Doc) => void, clientId?: number): { update: Uint8Array; replica: Y.Doc } {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(source));
  // Set after loading: Yjs picks a new client id when a loaded update already uses its own.
  if (clientId !== undefined) replica.clientID = clientId;
  const before = Y.encodeStateVector(replica);
  edit(replica);
  return { update: Y.encodeStateAsUpdate(replica, before), replica };
}

/** The next edit on an existing replica, as an update. */
function nextEdit(replica: Y.Doc, edit: (doc: Y.Doc) => void): Uint8Array {
  const before = Y.encodeStateVector(replica);
  edit(replica);
  return Y.encodeStateAsUpdate(replica, before);
}

/** The paragraph at `index` as plain text (0: the title). */
function paragraph(text: string, index: number): string {
  return text.split('\n')[index] ?? '';
}

describe('live documents: hostile content and protocol traffic (THREATS B)', () => {
  let server: TRunningServer;
  let documentId: string;
  let twinningId: string;
  const cookies = new Map<string, string>();
  const open = new Set<TWatchedClient>();

  const ACCOUNTS = [
    'delegate.seoul',
    'head.seoul',
    'head.barcelona',
    'delegate.barcelona',
    'head.montreal',
    'delegate.montreal',
    'head.saopaulo',
    'delegate.saopaulo',
    'delegate.johannesburg',
    'head.johannesburg',
    'head.nizhny',
    'delegate.nizhny',
    'head.brazzaville',
    'observer',
    'chair',
    'secretariat',
  ];

  before(async () => {
    server = await startServer();
    documentId = demoDocumentId(server);
    twinningId = demoDocumentId(server, 'Twinning');
    const signedIn = await Promise.all(ACCOUNTS.map(async (local) => [local, await demoCookie(server, local)] as const));
    for (const [local, cookie] of signedIn) cookies.set(local, cookie);
  });
  after(async () => {
    for (const client of open) client.close();
    await server.stop();
  });

  const cookieOf = (local: string): string => {
    const cookie = cookies.get(local);
    if (!cookie) throw new Error(`not signed in: ${local}`);
    return cookie;
  };

  const updateCount = (id = documentId): number =>
    withServerDatabase(server, (db) => (db.prepare('SELECT COUNT(*) AS n FROM document_updates WHERE document_id = ?').get(id) as { n: number }).n);

  /** How many times the server logged a refusal with this reason. */
  const refusalsLogged = (reason: string): number =>
    server.output().split('\n').filter((line) => line.includes('"event":"doc.refused"') && line.includes(`"reason":"${reason}"`)).length;

  /** Opens a document through the real provider and records errors and pushed updates. */
  async function watch(local: string, id = documentId, options: { clientId?: number } = {}): Promise<TWatchedClient> {
    const client = await openDocument(server, cookieOf(local), id, options);
    const watched: TWatchedClient = { ...client, documentId: id, errors: [], updates: [] };
    client.socket.on('doc:error', (payload: { documentId: string; code: string }) => watched.errors.push(payload));
    client.socket.on('doc:message', (messageDocumentId: string, frame: Uint8Array) => {
      if (messageDocumentId !== id) return;
      const message = decodeDocumentMessage(frame);
      if (message.kind === 'update') watched.updates.push(message.update);
    });
    open.add(watched);
    return watched;
  }

  function closeAll(...clients: TWatchedClient[]): void {
    for (const client of clients) {
      client.close();
      open.delete(client);
    }
  }

  /**
   * A round trip on `client`'s connection: anything the server broadcast to it before handling this
   * message has arrived once the ack is back (one connection delivers in order).
   */
  async function barrier(client: TWatchedClient): Promise<void> {
    const ack = (await client.socket.emitWithAck('doc:message', client.documentId, encodeSyncStep1(Y.encodeStateVector(client.doc)))) as TAck;
    assert.deepEqual(ack, { ok: true });
  }

  /** A fresh join (new connection, new Y.Doc) shows exactly `text`. */
  async function freshJoinShows(text: string, id = documentId, local = 'secretariat'): Promise<Y.Doc> {
    const fresh = await watch(local, id);
    assert.equal(fresh.text(), text, 'a fresh join sees the document unchanged');
    assert.equal(fresh.doc.store.pendingStructs, null, 'the server sent no dangling structs');
    assert.equal(fresh.doc.store.pendingDs, null, 'the server sent no dangling deletions');
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(fresh.doc));
    closeAll(fresh);
    return doc;
  }

  /**
   * Sends `payload` as a doc:message from `sender` and proves it was rejected with `code`: ack and
   * doc:error to the sender, nothing persisted, nothing broadcast to `witness`, logged.
   */
  async function expectRefused(sender: TWatchedClient, payload: unknown, code: string, witness: TWatchedClient, label: string): Promise<void> {
    const id = witness.documentId;
    // Whatever was broadcast before this attempt has reached the witness.
    await barrier(witness);
    const rows = updateCount(id);
    const text = witness.text();
    const pushed = witness.updates.length;
    const errors = sender.errors.length;
    const logged = refusalsLogged(code);
    const ack = (await sender.socket.emitWithAck('doc:message', sender.documentId, payload)) as TAck;
    assert.deepEqual(ack, { ok: false, error: code }, `${label}: ack`);
    assert.deepEqual(sender.errors.slice(errors), [{ documentId: sender.documentId, code }], `${label}: one doc:error to the sender`);
    await barrier(witness);
    assert.equal(witness.updates.length, pushed, `${label}: nothing broadcast`);
    assert.equal(witness.text(), text, `${label}: the other client's text is unchanged`);
    assert.equal(updateCount(id), rows, `${label}: nothing persisted`);
    await eventually(() => refusalsLogged(code) > logged);
  }

  /** The server still serves: health ok, and a fresh editor's edit is accepted and relayed. */
  async function assertHealthy(witness: TWatchedClient): Promise<void> {
    assert.equal(server.exitStatus(), null, 'the server process is alive');
    const health = await fetch(`${server.url}/api/health`);
    assert.equal(health.status, 200);
    const editor = await watch('delegate.barcelona');
    const marker = `ok-${Date.now().toString(36)} `;
    typeInto(editor.doc, 4, 0, marker);
    await eventually(() => editor.unconfirmed() === 0 && paragraph(witness.text(), 4).startsWith(marker));
    assert.deepEqual(editor.refusals, []);
    closeAll(editor);
  }

  test('[T21][D3] truncated or garbage Yjs bytes inside a well-formed frame are refused "malformed"', async () => {
    const sender = await watch('delegate.seoul');
    const witness = await watch('head.barcelona');
    const { update } = editOn(sender.doc, (doc) => typeInto(doc, 1, 0, 'Truncated edit '));
    const cases: [string, Uint8Array][] = [
      ['update cut short by 1 byte', encodeUpdate(update.slice(0, update.length - 1))],
      ['update cut in half', encodeUpdate(update.slice(0, update.length >> 1))],
      ['out-of-range varints', encodeUpdate(new Uint8Array([255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 1]))],
      ['text instead of Yjs', encodeSyncStep2(new TextEncoder().encode('not yjs at all'))],
      ['an empty Yjs payload', encodeUpdate(new Uint8Array(0))],
      ['a real update followed by garbage', encodeUpdate(Uint8Array.from([...update, 7, 7, 7]))],
      ['a real sync step 2 followed by garbage', encodeSyncStep2(Uint8Array.from([...update, 0]))],
    ];
    for (const [label, frame] of cases) await expectRefused(sender, frame, 'malformed', witness, label);
    await freshJoinShows(witness.text());
    await assertHealthy(witness);
    closeAll(sender, witness);
  });

  test('[T21][D2] garbage frames (bad varints, unknown types, trailing bytes, non-binary) are refused "malformed"', async () => {
    const sender = await watch('head.seoul');
    const witness = await watch('head.barcelona');
    const { update } = editOn(sender.doc, (doc) => typeInto(doc, 1, 0, 'Framed edit '));
    const lengthBeyondEnd = encoding.createEncoder();
    encoding.writeVarUint(lengthBeyondEnd, 0);
    encoding.writeVarUint(lengthBeyondEnd, 2);
    encoding.writeVarUint(lengthBeyondEnd, 1_000_000);
    encoding.writeUint8Array(lengthBeyondEnd, update);
    const cases: [string, unknown][] = [
      ['an empty frame', new Uint8Array(0)],
      ['an unterminated varint', new Uint8Array([0x80, 0x80, 0x80])],
      ['a message type past 2^53', new Uint8Array([255, 255, 255, 255, 255, 255, 255, 255, 255, 1])],
      ['an unknown message type', Uint8Array.from([7, ...encodeUpdate(update).slice(1)])],
      ['an unknown sync step', Uint8Array.from([0, 9, ...encodeUpdate(update).slice(2)])],
      ['a length prefix beyond the end', encoding.toUint8Array(lengthBeyondEnd)],
      ['trailing bytes after an update frame', Uint8Array.from([...encodeUpdate(update), 0])],
      ['trailing bytes after a sync step 1', Uint8Array.from([...encodeSyncStep1(Y.encodeStateVector(sender.doc)), 1])],
      ['a sync step 1 whose state vector is not one', encodeSyncStep1(new Uint8Array([255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 1]))],
      ['a garbage awareness frame', encodeAwareness(new Uint8Array([3, 1, 2, 3]))],
      ['a string instead of bytes', 'AAEC'],
      ['an array of numbers instead of bytes', [0, 2, 1, 0]],
      ['an object instead of bytes', { type: 'Buffer', data: [0, 2, 1, 0] }],
    ];
    for (const [label, payload] of cases) await expectRefused(sender, payload, 'malformed', witness, label);
    // Thirteen refusals is below the violation limit: the connection is still usable for good traffic.
    assert.equal(sender.socket.connected, true);
    await barrier(sender);
    await freshJoinShows(witness.text());
    await assertHealthy(witness);
    closeAll(sender, witness);
  });

  test('[T22][D3] an update whose dependencies never arrived is refused "missing_dependencies"; sent in order later, it is accepted', async () => {
    const sender = await watch('delegate.montreal');
    const witness = await watch('head.barcelona');
    const first = editOn(sender.doc, (doc) => typeInto(doc, 2, 0, 'First '));
    const second = nextEdit(first.replica, (doc) => typeInto(doc, 2, 0, 'Second '));
    // A deletion of text the server never received (only a delete set, no structs).
    const deletion = editOn(first.replica, (doc) => (((doc.getXmlFragment(DOCUMENT_FIELD).get(2) as Y.XmlElement).get(0)) as Y.XmlText).delete(7, 6)).update;
    // Another client typing after text the server never received (its origin is missing).
    const afterMissing = editOn(first.replica, (doc) => typeInto(doc, 2, 3, 'X')).update;
    const textBefore = witness.text();
    await expectRefused(sender, encodeUpdate(second), 'missing_dependencies', witness, 'the second of two updates alone');
    await expectRefused(sender, encodeSyncStep2(second), 'missing_dependencies', witness, 'the same as a sync step 2');
    await expectRefused(sender, encodeUpdate(deletion), 'missing_dependencies', witness, 'a deletion of unknown text');
    await expectRefused(sender, encodeUpdate(afterMissing), 'missing_dependencies', witness, 'an insertion whose origin is unknown');
    // The server kept nothing pending: a joiner gets no dangling structs (freshJoinShows checks).
    await freshJoinShows(textBefore);

    const rows = updateCount();
    for (const update of [first.update, second, deletion, afterMissing]) {
      assert.deepEqual(await sender.socket.emitWithAck('doc:message', documentId, encodeUpdate(update)), { ok: true });
    }
    assert.equal(updateCount(), rows + 4);
    const expected = new Y.Doc();
    Y.applyUpdate(expected, Y.encodeStateAsUpdate(sender.doc));
    for (const update of [first.update, second, deletion, afterMissing]) Y.applyUpdate(expected, update);
    const expectedText = documentPlainText(expected);
    assert.match(paragraph(expectedText, 2), /^SecXond Recognizing/);
    await eventually(() => witness.text() === expectedText);
    await freshJoinShows(expectedText);
    closeAll(sender, witness);
  });

  test('[T16][D3] a content frame over 256 KB is refused "too_large" (as update and as sync step 2); the connection stays open', async () => {
    const sender = await watch('delegate.saopaulo');
    const witness = await watch('head.barcelona');
    // Size the insert so that the frame is exactly one byte over the cap.
    const frameOf = (length: number) => encodeUpdate(editOn(sender.doc, (doc) => typeInto(doc, 3, 0, 'a'.repeat(length)), 777_000_001).update);
    let length = MAX_UPDATE_BYTES;
    for (let attempt = 0; attempt < 5 && frameOf(length).byteLength !== MAX_UPDATE_BYTES + 1; attempt += 1) {
      length += MAX_UPDATE_BYTES + 1 - frameOf(length).byteLength;
    }
    const overByOne = frameOf(length);
    assert.equal(overByOne.byteLength, MAX_UPDATE_BYTES + 1);
    const payload = decodeDocumentMessage(overByOne);
    assert.ok(payload.kind === 'update');
    await expectRefused(sender, overByOne, 'too_large', witness, 'an update frame of 256 KB + 1 byte');
    await expectRefused(sender, encodeSyncStep2(payload.update), 'too_large', witness, 'the same content as a sync step 2');
    await expectRefused(sender, encodeUpdate(editOn(sender.doc, (doc) => typeInto(doc, 3, 0, 'b'.repeat(600_000))).update), 'too_large', witness, 'a 600 KB update');
    assert.equal(sender.socket.connected, true, 'a refusal is not a disconnect (that is the 1 MB transport cap, see malformed-traffic)');
    await freshJoinShows(witness.text());
    closeAll(sender, witness);
  });

  test('[T23][D4] observer and chair: update or sync step 2 with content is refused "read_only"; without content it is a harmless no-op', async () => {
    const witness = await watch('head.barcelona');
    const editor = await watch('secretariat');
    assert.equal(editor.access(), 'edit', 'control: the secretariat may edit');
    // Make sure the document has deletions: every real sync step 2 then carries a delete set.
    typeInto(editor.doc, 5, 0, 'typo ');
    (((editor.doc.getXmlFragment(DOCUMENT_FIELD).get(5) as Y.XmlElement).get(0)) as Y.XmlText).delete(0, 5);
    await eventually(() => editor.unconfirmed() === 0);
    await barrier(witness);
    for (const local of ['observer', 'chair']) {
      const viewer = await watch(local);
      assert.equal(viewer.access(), 'read', `${local} has read access`);
      const { update } = editOn(viewer.doc, (doc) => typeInto(doc, 1, 0, `${local.toUpperCase()} WAS HERE `));
      const deletion = editOn(viewer.doc, (doc) => (((doc.getXmlFragment(DOCUMENT_FIELD).get(1) as Y.XmlElement).get(0)) as Y.XmlText).delete(0, 3)).update;
      await expectRefused(viewer, encodeUpdate(update), 'read_only', witness, `${local}: an insertion as update`);
      await expectRefused(viewer, encodeSyncStep2(update), 'read_only', witness, `${local}: an insertion as sync step 2`);
      await expectRefused(viewer, encodeUpdate(deletion), 'read_only', witness, `${local}: a deletion`);

      const rows = updateCount();
      // What a y-protocols client answers to the server's sync step 1 when it has nothing new: no
      // structs, but its whole delete set.
      await barrier(viewer);
      const empty = Y.encodeStateAsUpdate(viewer.doc, Y.encodeStateVector(viewer.doc));
      assert.ok(Y.decodeUpdate(empty).ds.clients.size > 0, 'the answer carries deletions the server already has');
      for (const frame of [encodeSyncStep2(empty), encodeUpdate(empty), encodeSyncStep2(new Uint8Array([0, 0]))]) {
        assert.deepEqual(await viewer.socket.emitWithAck('doc:message', documentId, frame), { ok: true }, `${local}: an empty sync step 2 or update is accepted`);
      }
      assert.equal(updateCount(), rows, 'and stores nothing');
      // The viewer still reads: an edit by someone else reaches it.
      const marker = `seen-by-${local} `;
      typeInto(editor.doc, 5, 0, marker);
      await eventually(() => paragraph(viewer.text(), 5).startsWith(marker));
      closeAll(viewer);
    }
    await freshJoinShows(witness.text());
    closeAll(witness, editor);
  });

  test('[T24][D3] a flood of 90 updates: the burst of 60 passes, the excess is "rate_limited", the 20th refusal closes the connection; others keep editing', async () => {
    const flooder = await watch('delegate.johannesburg');
    const witness = await watch('head.barcelona');
    const other = await watch('head.saopaulo');
    const rowsBefore = updateCount();
    const baseText = witness.text();
    // Every update is independent of the others (its own client id, typed on the same base), so
    // whichever subset the server accepts, it applies cleanly.
    const frames = Array.from({ length: 90 }, () => encodeUpdate(editOn(flooder.doc, (doc) => typeInto(doc, 6, 0, 'Z')).update));
    const acks: TAck[] = [];
    const closed = disconnection(flooder.socket);
    for (const frame of frames) flooder.socket.emit('doc:message', documentId, frame, (ack: TAck) => acks.push(ack));
    // Meanwhile another delegation types and is served promptly.
    const startedAt = Date.now();
    typeInto(other.doc, 7, 0, 'Sao Paulo keeps typing ');
    await eventually(() => other.unconfirmed() === 0);
    const latency = Date.now() - startedAt;
    assert.deepEqual(other.refusals, []);
    assert.ok(latency < 2_000, `the other editor's edit was acknowledged in ${latency} ms`);

    assert.equal(await closed, 'io server disconnect', 'the flooder is disconnected by the server');
    const limited = acks.filter((ack) => !ack.ok && ack.error === 'rate_limited').length;
    assert.equal(acks.filter((ack) => !ack.ok && ack.error !== 'rate_limited').length, 0, JSON.stringify(acks));
    assert.equal(limited, 20, 'exactly 20 refusals reached the flooder before the close');
    assert.equal(flooder.errors.filter((error) => error.code === 'rate_limited').length, 20);
    await eventually(() => /"event":"doc.connection_closed"/.test(server.output()));

    // What was accepted (the burst, plus the little the bucket refilled) is stored, relayed and no more.
    // Every accepted update was queued before the disconnect; the witness's sync request is answered
    // after all of them are written and broadcast.
    await barrier(witness);
    const accepted = updateCount() - rowsBefore - 1;
    assert.ok(accepted >= 60 && accepted <= 64, `accepted ${accepted} of 90`);
    assert.equal(paragraph(witness.text(), 6), `${'Z'.repeat(accepted)}${paragraph(baseText, 6)}`);
    assert.ok(paragraph(witness.text(), 7).startsWith('Sao Paulo keeps typing '));
    await freshJoinShows(witness.text());
    closeAll(flooder, witness, other);
  });

  test('[T10][T11][D1][D2] doc:message for a document not joined is "not_joined"; joining another negotiation’s document is not_found and joins nothing', async () => {
    const outcome = await connectSocket(server.url, { cookie: cookieOf('delegate.seoul') });
    assert.equal(outcome.kind, 'welcome');
    const socket = outcome.socket;
    const pushed: string[] = [];
    socket.on('doc:message', (id: string) => pushed.push(id));
    const twinningWriter = await watch('head.nizhny', twinningId);
    const twinningWitness = await watch('head.brazzaville', twinningId);
    const rows = { metropolis: updateCount(), twinning: updateCount(twinningId) };
    const update = editOn(twinningWitness.doc, (doc) => typeInto(doc, 1, 0, 'Seoul was here ')).update;
    for (const id of [documentId, twinningId, '00000000-0000-4000-8000-000000000000', '../etc/passwd', 'x'.repeat(10_000), 42, null]) {
      const ack = (await socket.emitWithAck('doc:message', id, encodeUpdate(update))) as TAck;
      assert.deepEqual(ack, { ok: false, error: 'not_joined' }, String(id).slice(0, 40));
    }
    for (const payload of [{ documentId: twinningId }, { documentId: twinningId, negotiationId: 'x' }, { documentId: ` ${twinningId}` }, twinningId, null]) {
      assert.deepEqual(await socket.emitWithAck('doc:join', payload), { ok: false, error: 'not_found' }, JSON.stringify(payload));
    }
    assert.deepEqual(await socket.emitWithAck('doc:message', twinningId, encodeUpdate(update)), { ok: false, error: 'not_joined' }, 'a refused join leaves the document unjoined');
    assert.equal(updateCount(), rows.metropolis);
    assert.equal(updateCount(twinningId), rows.twinning);
    // The outsider is in no room of the twinning document: a member's edit never reaches it.
    typeInto(twinningWriter.doc, 2, 0, 'Members only. ');
    await eventually(() => twinningWitness.text().includes('Members only. '));
    const joined = (await socket.emitWithAck('doc:join', { documentId })) as { ok: boolean; access?: string };
    assert.equal(joined.ok && joined.access, 'edit', 'control: its own negotiation’s document joins');
    assert.ok(!pushed.includes(twinningId), 'nothing of the twinning document was sent to the outsider');
    await freshJoinShows(twinningWitness.text(), twinningId, 'delegate.nizhny');
    socket.close();
    closeAll(twinningWriter, twinningWitness);
  });

  test('[T25][D3] document growth past 2 MB is refused "too_large"; every frame under the cap before it is acknowledged and stored', async () => {
    const writer = await watch('head.nizhny', twinningId);
    const witness = await watch('head.brazzaville', twinningId);
    const rowsBefore = updateCount(twinningId);
    // The server counts the document's encoded state plus each accepted update.
    let size = Y.encodeStateAsUpdate(writer.doc).byteLength;
    // Edits are made on a mirror: applying them to writer.doc would make its provider send them again.
    const mirror = new Y.Doc();
    Y.applyUpdate(mirror, Y.encodeStateAsUpdate(writer.doc));
    const chunk = 'x'.repeat(200_000);
    const accepted: number[] = [];
    let refusedAt: number | null = null;
    for (let index = 0; index < 12 && refusedAt === null; index += 1) {
      const { update } = editOn(mirror, (doc) => typeInto(doc, 3, 0, chunk), 880_000 + index);
      const frame = encodeUpdate(update);
      assert.ok(frame.byteLength <= MAX_UPDATE_BYTES);
      if (size + update.byteLength <= MAX_DOCUMENT_BYTES) {
        assert.deepEqual(await writer.socket.emitWithAck('doc:message', twinningId, frame), { ok: true }, `chunk ${index} fits`);
        Y.applyUpdate(mirror, update);
        size += update.byteLength;
        accepted.push(update.byteLength);
      } else {
        refusedAt = index;
        await expectRefused(writer, frame, 'too_large', witness, `chunk ${index} would pass 2 MB`);
      }
    }
    assert.ok(refusedAt !== null && accepted.length >= 9, `refused at ${refusedAt} after ${accepted.length}`);
    // The cap is the state size, not a count of chunks: what still fits (short of a small margin for
    // encoding differences) is accepted, and a little more than fits is refused.
    const headroom = MAX_DOCUMENT_BYTES - size;
    const filler = editOn(mirror, (doc) => typeInto(doc, 4, 0, 'y'.repeat(headroom - 2_000)), 890_000).update;
    assert.ok(size + filler.byteLength < MAX_DOCUMENT_BYTES);
    assert.deepEqual(await writer.socket.emitWithAck('doc:message', twinningId, encodeUpdate(filler)), { ok: true }, 'the filler fits');
    Y.applyUpdate(mirror, filler);
    accepted.push(filler.byteLength);
    await expectRefused(writer, encodeUpdate(editOn(mirror, (doc) => typeInto(doc, 1, 0, 'z'.repeat(4_000))).update), 'too_large', witness, '4 KB more');

    // The stored state: exactly the accepted updates, under 2 MB, and what a fresh join sees.
    assert.equal(updateCount(twinningId), rowsBefore + accepted.length);
    const stored = withServerDatabase(server, (db) =>
      (db.prepare('SELECT update_bytes AS bytes FROM document_updates WHERE document_id = ? ORDER BY seq').all(twinningId) as { bytes: Buffer }[]).map(
        (row) => new Uint8Array(row.bytes),
      ),
    );
    const replay = new Y.Doc();
    for (const bytes of stored) Y.applyUpdate(replay, bytes);
    assert.ok(Y.encodeStateAsUpdate(replay).byteLength <= MAX_DOCUMENT_BYTES);
    assert.equal(documentPlainText(replay), documentPlainText(mirror));
    await eventually(() => witness.text() === documentPlainText(replay));
    await freshJoinShows(documentPlainText(replay), twinningId, 'delegate.nizhny');
    closeAll(writer, witness);
  });

  /** Sends an awareness frame and returns the ack: a refused one is also a `doc:error` to the sender. */
  const sendAwareness = async (client: TWatchedClient, entries: Parameters<typeof encodeAwarenessEntries>[0]): Promise<TAck> =>
    (await client.socket.emitWithAck('doc:message', client.documentId, encodeAwareness(encodeAwarenessEntries(entries)))) as TAck;

  test('[T26][D7][D25] awareness claiming another user’s client id is refused to the sender, who stays connected; a forged identity is relayed as the sender’s real one', async () => {
    const victim = await watch('head.montreal');
    const witness = await watch('head.barcelona');
    victim.provider.awareness.setLocalStateField('cursor', { anchor: 5, head: 5 });
    const victimState = () => witness.provider.awareness.getStates().get(victim.doc.clientID);
    await eventually(() => (victimState()?.cursor as { anchor?: number } | undefined)?.anchor === 5);
    const victimView = JSON.stringify(victimState());
    const victimName = withServerDatabase(server, (db) => (db.prepare('SELECT name FROM users WHERE email = ?').get(demoEmail('head.montreal')) as { name: string }).name);
    assert.equal((victimState()?.user as { name?: string } | undefined)?.name, victimName, 'control: the witness sees the victim under the victim’s name');

    // 1. Describing the victim's live awareness client id.
    const spoofer = await watch('delegate.seoul');
    const spoofed = [{ clientId: victim.doc.clientID, clock: 999, state: { cursor: { anchor: 0, head: 0 }, user: { name: 'Impostor' } } }];
    assert.deepEqual(await sendAwareness(spoofer, spoofed), { ok: false, error: 'awareness_spoof' });
    assert.deepEqual(spoofer.errors, [{ documentId, code: 'awareness_spoof' }]);
    assert.equal(spoofer.socket.connected, true, 'a refused awareness message costs no connection');
    await barrier(witness);
    assert.equal(JSON.stringify(victimState()), victimView, 'the victim’s presence is untouched');
    await eventually(() => /"event":"doc.refused"[^\n]*"reason":"awareness_spoof"/.test(server.output()));

    // 2. Removing the victim's presence (state null) is the same spoof.
    const remover = await watch('delegate.seoul');
    assert.deepEqual(await sendAwareness(remover, [{ clientId: victim.doc.clientID, clock: 1000, state: null }]), { ok: false, error: 'awareness_spoof' });
    await barrier(witness);
    assert.equal(JSON.stringify(victimState()), victimView);

    // 3. Describing a client id someone else has written content under (the server's seed).
    const seedClient = withServerDatabase(server, (db) => (db.prepare('SELECT client_id AS id FROM document_clients WHERE document_id = ? AND user_id IS NULL').get(documentId) as { id: number }).id);
    const squatter = await watch('delegate.seoul');
    assert.deepEqual(await sendAwareness(squatter, [{ clientId: Number(seedClient), clock: 1, state: { cursor: null } }]), { ok: false, error: 'awareness_spoof' });
    await barrier(witness);
    assert.equal(witness.provider.awareness.getStates().has(Number(seedClient)), false);
    assert.equal(JSON.stringify(victimState()), victimView);

    // 4. An own client id with a forged identity: relayed, but with the identity from the session.
    const forger = await watch('delegate.seoul');
    forger.provider.awareness.setLocalState({
      cursor: { anchor: 9, head: 9 },
      user: { name: victimName, delegation: 'Montréal', color: '#000000' },
      role: 'chair',
    });
    const forgedView = () => witness.provider.awareness.getStates().get(forger.doc.clientID);
    await eventually(() => (forgedView()?.cursor as { anchor?: number } | undefined)?.anchor === 9);
    const identity = withServerDatabase(server, (db) =>
      db
        .prepare(
          `SELECT u.name AS name, a.name AS delegation,
             (SELECT COUNT(*) FROM delegations e WHERE e.negotiation_id = d.negotiation_id AND (e.accredited_at < d.accredited_at OR (e.accredited_at = d.accredited_at AND e.id < d.id))) AS position
           FROM users u JOIN memberships m ON m.user_id = u.id JOIN delegations d ON d.id = m.delegation_id JOIN actors a ON a.id = d.actor_id
           WHERE u.email = ? AND d.negotiation_id = (SELECT negotiation_id FROM documents WHERE id = ?)`,
        )
        .get(demoEmail('delegate.seoul'), documentId) as { name: string; delegation: string; position: number },
    );
    // The delegation's colour is its place in the accreditation order.
    const color = DELEGATION_PALETTE[identity.position % DELEGATION_PALETTE.length];
    const expected = { cursor: { anchor: 9, head: 9 }, user: { name: identity.name, delegation: identity.delegation, color } };
    assert.notEqual(identity.name, victimName);
    assert.deepEqual(forgedView(), expected, 'the server replaced user and dropped the extra field');
    // A later joiner gets the same, from the server's own awareness.
    const late = await watch('head.johannesburg');
    await eventually(() => late.provider.awareness.getStates().has(forger.doc.clientID));
    assert.deepEqual(late.provider.awareness.getStates().get(forger.doc.clientID), expected);
    assert.equal(forger.socket.connected, true, 'describing oneself is fine');
    closeAll(victim, witness, spoofer, remover, squatter, forger, late);
  });

  test('[D25][T49][T26] a dropped tab’s awareness client id stays its user’s: another member’s claim is refused, and the owner, back on a new connection, is accepted and stays connected', async () => {
    const owner = await watch('head.montreal');
    const witness = await watch('head.barcelona');
    const ownerClient = owner.doc.clientID;
    const stateOf = (clientId: number) => witness.provider.awareness.getStates().get(clientId) as { cursor?: { anchor?: number }; user?: { name?: string } } | undefined;
    owner.provider.awareness.setLocalStateField('cursor', { anchor: 3, head: 3 });
    await eventually(() => stateOf(ownerClient)?.cursor?.anchor === 3);
    const ownerName = stateOf(ownerClient)?.user?.name;
    // What the owner's tab sends under its id once back on a new connection (its awareness clock has moved on).
    const ownerState = (clock: number, anchor: number) => [{ clientId: ownerClient, clock, state: { cursor: { anchor, head: anchor } } }];

    // The tab reconnects before the server noticed its old connection died: the new connection
    // describes the id, and the old one's leaving takes nothing with it.
    const reconnected = await watch('head.montreal');
    assert.deepEqual(await sendAwareness(reconnected, ownerState(10, 5)), { ok: true });
    await eventually(() => stateOf(ownerClient)?.cursor?.anchor === 5);
    closeAll(owner);
    await barrier(witness);
    await barrier(reconnected);
    assert.equal(stateOf(ownerClient)?.cursor?.anchor, 5, 'the presence stays with the connection that describes it now');
    assert.deepEqual([reconnected.socket.connected, reconnected.errors], [true, []]);

    // The tab drops: its presence goes with the connection.
    closeAll(reconnected);
    await eventually(() => stateOf(ownerClient) === undefined);

    // Another member who sees the document claims the id nobody describes now: refused, dropped, connection kept.
    const attacker = await watch('delegate.seoul');
    const claim = [{ clientId: ownerClient, clock: 50, state: { cursor: { anchor: 0, head: 0 }, user: { name: 'Impostor' } } }];
    assert.deepEqual(await sendAwareness(attacker, claim), { ok: false, error: 'awareness_spoof' });
    assert.deepEqual(attacker.errors, [{ documentId, code: 'awareness_spoof' }]);
    await barrier(witness);
    assert.equal(stateOf(ownerClient), undefined, 'nothing of the claim was relayed');
    assert.equal(attacker.socket.connected, true);

    // The owner's tab is back on a new connection: its id is accepted, shown under its user's name, and the connection kept.
    const back = await watch('head.montreal');
    assert.deepEqual(await sendAwareness(back, ownerState(60, 7)), { ok: true });
    await eventually(() => stateOf(ownerClient)?.cursor?.anchor === 7);
    assert.equal(stateOf(ownerClient)?.user?.name, ownerName);
    await barrier(back);
    assert.deepEqual([back.socket.connected, back.errors], [true, []]);

    // A connection claims a handful of ids at most (D25): a browser describes one.
    const hoarded = [1, 2, 3, 4, 5].map((offset) => ({ clientId: 4_000_000_000 + offset, clock: 1, state: { cursor: null } }));
    assert.deepEqual(await sendAwareness(attacker, hoarded), { ok: false, error: 'too_many_clients' });
    await barrier(witness);
    assert.equal(stateOf(4_000_000_001), undefined);
    closeAll(witness, attacker, back);
  });

  test('[T27][D3] writing under a Yjs client id another user wrote under is refused "foreign_client"; the log attributes every update to the authenticated user', async () => {
    const victim = await watch('delegate.montreal');
    const witness = await watch('head.barcelona');
    typeInto(victim.doc, 8, 0, 'Montréal wrote this. ');
    await eventually(() => victim.unconfirmed() === 0 && witness.text().includes('Montréal wrote this. '));
    const victimClient = victim.doc.clientID;

    // The attacker's own editor, switched to the victim's client id: the provider sends the edit.
    const attacker = await watch('delegate.seoul');
    const rows = updateCount();
    const text = witness.text();
    const pushed = witness.updates.length;
    attacker.doc.clientID = victimClient;
    typeInto(attacker.doc, 8, 0, 'Montréal withdraws its support. ');
    await eventually(() => attacker.refusals.includes('foreign_client') && attacker.unconfirmed() === 0);
    assert.deepEqual(attacker.errors, [{ documentId, code: 'foreign_client' }]);
    await barrier(witness);
    assert.equal(witness.updates.length, pushed);
    assert.equal(witness.text(), text);
    assert.equal(updateCount(), rows);

    // The same with raw frames, and under the server's own (seed) client id.
    const seedClient = Number(
      withServerDatabase(server, (db) => (db.prepare('SELECT client_id AS id FROM document_clients WHERE document_id = ? AND user_id IS NULL').get(documentId) as { id: number }).id),
    );
    const raw = await watch('head.seoul');
    await expectRefused(raw, encodeUpdate(editOn(witness.doc, (doc) => typeInto(doc, 8, 0, 'Forged. '), victimClient).update), 'foreign_client', witness, 'the victim’s client id');
    await expectRefused(raw, encodeSyncStep2(editOn(witness.doc, (doc) => typeInto(doc, 1, 0, 'Forged base. '), seedClient).update), 'foreign_client', witness, 'the server’s client id');
    await freshJoinShows(witness.text());

    // Attribution comes from the connection: the victim's row names the victim, a legitimate edit by
    // head.seoul names head.seoul, whatever Yjs client id they typed under.
    typeInto(raw.doc, 8, 0, 'Seoul agrees. ');
    await eventually(() => raw.unconfirmed() === 0 && witness.text().includes('Seoul agrees. '));
    const authorOf = (clientId: number) =>
      withServerDatabase(server, (db) => (db.prepare('SELECT user_id AS userId FROM document_clients WHERE document_id = ? AND client_id = ?').get(documentId, clientId) as { userId: string }).userId);
    assert.equal(authorOf(victimClient), userIdOf(server, demoEmail('delegate.montreal')));
    assert.equal(authorOf(raw.doc.clientID), userIdOf(server, demoEmail('head.seoul')));
    const rowsByAuthor = withServerDatabase(server, (db) =>
      (db.prepare('SELECT user_id AS userId, delegation_id AS delegationId, update_bytes AS bytes FROM document_updates WHERE document_id = ? ORDER BY seq').all(documentId) as {
        userId: string | null;
        delegationId: string | null;
        bytes: Buffer;
      }[]).map((row) => ({ ...row, clients: [...new Set(Y.decodeUpdate(new Uint8Array(row.bytes)).structs.map((struct) => struct.id.client))] })),
    );
    const owners = withServerDatabase(server, (db) =>
      new Map((db.prepare('SELECT client_id AS clientId, user_id AS userId FROM document_clients WHERE document_id = ?').all(documentId) as { clientId: number; userId: string | null }[]).map((row) => [Number(row.clientId), row.userId])),
    );
    for (const row of rowsByAuthor) for (const client of row.clients) assert.equal(owners.get(client), row.userId, 'every struct in the log is under a client id of the row’s user');
    const montrealRow = rowsByAuthor.find((row) => row.clients.includes(victimClient));
    const montrealDelegation = withServerDatabase(server, (db) =>
      (db.prepare('SELECT delegation_id AS id FROM memberships WHERE user_id = ? AND delegation_id IS NOT NULL AND negotiation_id = (SELECT negotiation_id FROM documents WHERE id = ?)').get(userIdOf(server, demoEmail('delegate.montreal')), documentId) as { id: string }).id,
    );
    assert.equal(montrealRow?.delegationId, montrealDelegation);
    closeAll(victim, witness, attacker, raw);
  });

  test('[T31][D5] a retried update (same bytes again, also from a new connection) changes nothing: no duplicate characters', async () => {
    const sender = await watch('delegate.barcelona');
    const witness = await watch('head.barcelona');
    const { update } = editOn(sender.doc, (doc) => typeInto(doc, 9, 0, 'Retried once. '));
    for (let attempt = 0; attempt < 3; attempt += 1) {
      assert.deepEqual(await sender.socket.emitWithAck('doc:message', documentId, encodeUpdate(update)), { ok: true }, `attempt ${attempt}`);
    }
    await eventually(() => paragraph(witness.text(), 9).startsWith('Retried once. '));
    const text = witness.text();
    assert.equal(text.split('Retried once. ').length - 1, 1);
    // A reconnect that resends the same update, as an update and as part of a sync step 2.
    const again = await watch('delegate.barcelona');
    assert.deepEqual(await again.socket.emitWithAck('doc:message', documentId, encodeUpdate(update)), { ok: true });
    assert.deepEqual(await again.socket.emitWithAck('doc:message', documentId, encodeSyncStep2(update)), { ok: true });
    await barrier(witness);
    assert.equal(witness.text(), text);
    await freshJoinShows(text);
    closeAll(sender, witness, again);
  });

  test('[T33][D1] reconnecting never duplicates the base text: five joins, a restart, a client that kept its copy across it', async () => {
    const seededRows = () =>
      withServerDatabase(server, (db) => (db.prepare('SELECT COUNT(*) AS n FROM document_updates WHERE document_id = ? AND user_id IS NULL').get(documentId) as { n: number }).n);
    const titleCount = (text: string) => text.split(TITLE).length - 1;
    for (let join = 0; join < 5; join += 1) {
      const client = await watch(join % 2 ? 'head.montreal' : 'delegate.saopaulo');
      assert.equal(titleCount(client.text()), 1, `join ${join}`);
      closeAll(client);
    }
    assert.equal(seededRows(), 1, 'the base text was seeded once');

    const keeper = await watch('head.johannesburg');
    const kept = keeper.doc;
    const textBefore = keeper.text();
    closeAll(keeper);
    closeAll(...open);
    await server.stop();
    server = await startServer({ dataDir: server.dataDir });

    const reopened = await watch('head.montreal');
    assert.equal(reopened.text(), textBefore);
    assert.equal(titleCount(reopened.text()), 1);
    assert.equal(seededRows(), 1, 'not seeded again on load');
    // The client that kept its Y.Doc reconnects with it: Yjs merges by id, nothing doubles.
    const outcome = await connectSocket(server.url, { cookie: cookieOf('head.johannesburg') });
    assert.equal(outcome.kind, 'welcome');
    const provider = new DocumentSyncProvider(outcome.socket, documentId, kept);
    await eventually(() => provider.status === 'synced');
    await barrier(reopened);
    assert.equal(documentPlainText(kept), textBefore);
    assert.equal(reopened.text(), textBefore);
    provider.destroy();
    outcome.socket.close();
    await freshJoinShows(textBefore);
    closeAll(reopened);
  });
});
