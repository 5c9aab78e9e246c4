import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as Y from 'yjs';
import { decodeDocumentMessage, encodeSyncStep2, encodeUpdate, type TDocumentMessage } from '../../lib/documents/messages';
import { demoDocumentId, demoCookie, openDocument, typeInto } from '../helpers/documents';
import { withServerDatabase } from '../helpers/demo-data';
import { eventually } from '../helpers/http';
import { startServer, type TRunningServer } from '../helpers/server';

const updateCount = (server: TRunningServer, documentId: string) =>
  withServerDatabase(server, (db) => (db.prepare('SELECT COUNT(*) AS n FROM document_updates WHERE document_id = ?').get(documentId) as { n: number }).n);

describe('live documents over the real server', () => {
  let server: TRunningServer;
  let documentId: string;
  let delegate: string;
  let head: string;
  let observer: string;

  before(async () => {
    server = await startServer();
    documentId = demoDocumentId(server);
    [delegate, head, observer] = await Promise.all([demoCookie(server, 'delegate.seoul'), demoCookie(server, 'head.barcelona'), demoCookie(server, 'observer')]);
  });
  after(async () => {
    await server.stop();
  });

  test('[D1][T33] joining syncs the base text the server seeded once', async () => {
    const client = await openDocument(server, delegate, documentId);
    assert.equal(client.access(), 'edit');
    assert.match(client.text(), /^Declaration on Urban Climate Resilience\n/);
    assert.match(client.text(), /Commit to adopt, by the next Annual Meeting/);
    client.close();
    const again = await openDocument(server, head, documentId);
    assert.equal(again.text().match(/Declaration on Urban Climate Resilience/g)?.length, 1, 'seeded once, not per join');
    again.close();
  });

  test('[D1][T10] unknown, malformed and other negotiations’ document ids are not_found and join nothing', async () => {
    const nizhnyHead = await demoCookie(server, 'head.seoul');
    const agreement = demoDocumentId(server, 'Twinning');
    for (const id of ['00000000-0000-4000-8000-000000000000', '../etc/passwd', 'x'.repeat(10_000), agreement]) {
      const client = await openDocument(server, nizhnyHead, id);
      assert.equal(client.provider.status, 'refused', id.slice(0, 40));
      client.close();
    }
  });

  test('[D2][D5][D8] an edit is acknowledged once durable and reaches the other delegation', async () => {
    const writer = await openDocument(server, delegate, documentId);
    const reader = await openDocument(server, head, documentId);
    const before = updateCount(server, documentId);
    typeInto(writer.doc, 1, 0, 'Seoul: ');
    await eventually(() => writer.unconfirmed() === 0 && reader.text().includes('Seoul: We, the mayors'));
    assert.equal(updateCount(server, documentId), before + 1);
    assert.deepEqual(writer.refusals, []);
    writer.close();
    reader.close();
  });

  test('[D8] a caret waiting for its batch rides in the packet of the next update, after it; the provider applies both', async () => {
    const writer = await openDocument(server, delegate, documentId);
    const reader = await openDocument(server, head, documentId);
    const packets: TDocumentMessage['kind'][][] = [];
    reader.socket.on('doc:message', (id: string, ...frames: Uint8Array[]) => {
      if (id === documentId) packets.push(frames.map((frame) => decodeDocumentMessage(frame).kind));
    });
    try {
      // Whether a caret is still waiting when an update goes out depends on timing: move it, then
      // type, until one packet carried both (the caret's batch waits 20 ms, a commit far less).
      let attempt = 0;
      await eventually(
        () => {
          attempt += 1;
          writer.provider.awareness.setLocalStateField('cursor', { anchor: attempt, head: attempt });
          typeInto(writer.doc, 1, 0, `${attempt}.`);
          return packets.some((kinds) => kinds.length === 2);
        },
        { intervalMs: 100 },
      );
      for (const kinds of packets) assert.ok(kinds.length === 1 || (kinds[0] === 'update' && kinds[1] === 'awareness'), kinds.join());
      const caret = () => (reader.provider.awareness.getStates().get(writer.doc.clientID)?.cursor as { anchor?: number } | undefined)?.anchor;
      await eventually(() => reader.text().includes(`${attempt}.`) && caret() === attempt);
    } finally {
      writer.close();
      reader.close();
    }
  });

  test('[D4][T23] an observer cannot change the text, even with raw protocol messages', async () => {
    const viewer = await openDocument(server, observer, documentId);
    assert.equal(viewer.access(), 'read');
    const witness = await openDocument(server, head, documentId);
    const before = updateCount(server, documentId);
    const textBefore = witness.text();
    // Forge an edit on a replica and send it as an update and as a sync step 2.
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(viewer.doc));
    const vector = Y.encodeStateVector(replica);
    typeInto(replica, 1, 0, 'OBSERVER WAS HERE ');
    const forged = Y.encodeStateAsUpdate(replica, vector);
    for (const frame of [encodeUpdate(forged), encodeSyncStep2(forged)]) {
      const response = await viewer.socket.emitWithAck('doc:message', documentId, frame);
      assert.deepEqual(response, { ok: false, error: 'read_only' });
    }
    assert.equal(updateCount(server, documentId), before);
    const fresh = await openDocument(server, head, documentId);
    assert.equal(fresh.text(), textBefore);
    assert.equal(witness.text(), textBefore, 'nothing was broadcast');
    for (const client of [viewer, witness, fresh]) client.close();
  });
});

describe('drafting modes', () => {
  let server: TRunningServer;
  let documentId: string;

  before(async () => {
    server = await startServer();
    documentId = demoDocumentId(server);
  });
  after(async () => {
    await server.stop();
  });

  const setMode = (cookie: string, mode: string) =>
    fetch(`${server.url}/api/documents/${documentId}/mode`, {
      method: 'POST',
      headers: { cookie, origin: server.url, 'content-type': 'application/json' },
      body: JSON.stringify({ mode }),
    });

  test('[D10][T39] the chair freezes the text: open editors turn read-only at once and further edits are refused', async () => {
    const [chair, delegate] = await Promise.all([demoCookie(server, 'chair'), demoCookie(server, 'delegate.johannesburg')]);
    const editor = await openDocument(server, delegate, documentId);
    assert.equal(editor.access(), 'edit');
    const response = await setMode(chair, 'amendments_only');
    assert.equal(response.status, 200);
    await eventually(() => editor.access() === 'read');
    const before = updateCount(server, documentId);
    // The provider no longer sends edits; a client that sends one anyway is refused by the server.
    const vector = Y.encodeStateVector(editor.doc);
    typeInto(editor.doc, 1, 0, 'too late ');
    const response2 = await editor.socket.emitWithAck('doc:message', documentId, encodeUpdate(Y.encodeStateAsUpdate(editor.doc, vector)));
    assert.deepEqual(response2, { ok: false, error: 'read_only' });
    assert.equal(updateCount(server, documentId), before);
    const fresh = await openDocument(server, chair, documentId);
    assert.doesNotMatch(fresh.text(), /too late/);
    fresh.close();
    // Reopening drafting makes the same connection an editor again.
    assert.equal((await setMode(chair, 'open_drafting')).status, 200);
    await eventually(() => editor.access() === 'edit');
    editor.close();
  });

  test('[D10] only the chair and the secretariat set the mode; a delegate is refused and nothing changes', async () => {
    const delegate = await demoCookie(server, 'delegate.montreal');
    const response = await setMode(delegate, 'adopted');
    assert.equal(response.status, 403);
    const mode = withServerDatabase(server, (db) => (db.prepare('SELECT drafting_mode AS mode FROM documents WHERE id = ?').get(documentId) as { mode: string }).mode);
    assert.equal(mode, 'open_drafting');
  });

  test('[D10] an adopted document stays adopted', async () => {
    const secretariat = await demoCookie(server, 'secretariat');
    assert.equal((await setMode(secretariat, 'adopted')).status, 200);
    assert.equal((await setMode(secretariat, 'open_drafting')).status, 409);
  });
});

describe('exports', () => {
  let server: TRunningServer;
  let documentId: string;
  let observer: string;

  before(async () => {
    server = await startServer();
    documentId = demoDocumentId(server);
    observer = await demoCookie(server, 'observer');
  });
  after(async () => {
    await server.stop();
  });

  const download = (cookie: string, format: string, id = documentId) =>
    fetch(`${server.url}/api/documents/${id}/export?format=${format}`, { headers: { cookie } });

  test('Markdown numbers operative paragraphs and reflects acknowledged edits', async () => {
    const editor = await openDocument(server, await demoCookie(server, 'head.saopaulo'), documentId);
    typeInto(editor.doc, 5, 0, 'São Paulo: ');
    await eventually(() => editor.unconfirmed() === 0);
    editor.close();
    const response = await download(observer, 'md');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/markdown/);
    assert.match(response.headers.get('content-disposition') ?? '', /attachment; filename="Draft-Declaration-on-Urban-Climate-Resilience\.md"/);
    const text = await response.text();
    assert.match(text, /^# Declaration on Urban Climate Resilience\n/);
    assert.match(text, /\n\*\*OP 1\*\* São Paulo: Commit to adopt/);
    assert.match(text, /\n\*\*OP 5\*\* Invite international organizations/);
  });

  test('[T28] the printable page escapes text and carries no script', async () => {
    const response = await download(observer, 'html');
    assert.equal(response.status, 200);
    const html = await response.text();
    assert.match(html, /<h1>Draft Declaration on Urban Climate Resilience<\/h1>/);
    assert.match(html, /<p class="operative"><span class="label">OP 1<\/span> /);
    assert.doesNotMatch(html, /<script/i);
  });

  test('Word export is a real .docx (a zip with the document part)', async () => {
    const response = await download(observer, 'docx');
    assert.equal(response.status, 200);
    const bytes = new Uint8Array(await response.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 2)], [0x50, 0x4b]);
    assert.ok(Buffer.from(bytes).includes('word/document.xml'));
  });

  test('[T10][T11] unknown formats are 400; unknown documents and other negotiations’ documents are 404; signed out is 401', async () => {
    assert.equal((await download(observer, 'pdf')).status, 400);
    assert.equal((await download(observer, 'md', '00000000-0000-4000-8000-000000000000')).status, 404);
    assert.equal((await download(observer, 'md', demoDocumentId(server, 'Twinning'))).status, 404);
    assert.equal((await fetch(`${server.url}/api/documents/${documentId}/export?format=md`)).status, 401);
  });
});

describe('paragraph status', () => {
  let server: TRunningServer;
  let documentId: string;

  before(async () => {
    server = await startServer();
    documentId = demoDocumentId(server);
  });
  after(async () => {
    await server.stop();
  });

  const setStatus = (cookie: string, pid: string, status: unknown) =>
    fetch(`${server.url}/api/documents/${documentId}/paragraphs/${pid}/status`, {
      method: 'POST',
      headers: { cookie, origin: server.url, 'content-type': 'application/json' },
      body: JSON.stringify({ status }),
    });

  const pidOf = (doc: Y.Doc, index: number) => String((doc.getXmlFragment('default').get(index) as Y.XmlElement).getAttribute('pid'));

  test('[D11] the chair brackets a paragraph: open editors see it at once, joiners get it on join, the live session logs it', async () => {
    const [chair, delegate] = await Promise.all([demoCookie(server, 'chair'), demoCookie(server, 'delegate.brazzaville')]);
    const sessionId = withServerDatabase(server, (db) => (db.prepare("SELECT s.id FROM negotiation_sessions s JOIN negotiations n ON n.id = s.negotiation_id WHERE n.format = 'multilateral' AND s.status <> 'closed'").get() as { id: string }).id);
    withServerDatabase(server, (db) => db.prepare("UPDATE negotiation_sessions SET status = 'live' WHERE id = ?").run(sessionId), true);
    const editor = await openDocument(server, delegate, documentId);
    const seen: Record<string, string>[] = [];
    editor.socket.on('doc:status', (payload: { pid: string; status: string }) => seen.push({ [payload.pid]: payload.status }));
    const pid = pidOf(editor.doc, 5);
    assert.equal((await setStatus(chair, pid, 'bracketed')).status, 200);
    await eventually(() => seen.some((entry) => entry[pid] === 'bracketed'));
    // A (re)join carries every status in its acknowledgement.
    const ack = (await editor.socket.emitWithAck('doc:join', { documentId })) as { statuses?: Record<string, string> };
    assert.equal(ack.statuses?.[pid], 'bracketed');
    const logged = withServerDatabase(server, (db) => db.prepare("SELECT payload FROM session_events WHERE session_id = ? AND type = 'paragraph.status_changed'").all(sessionId) as { payload: string }[]);
    assert.deepEqual(JSON.parse(logged.at(-1)?.payload ?? '{}'), { documentId, pid, from: 'pending', to: 'bracketed' });
    editor.close();
  });

  test('[D11] only the chair and the secretariat set statuses; bad values and unknown paragraphs are refused', async () => {
    const [chair, delegate] = await Promise.all([demoCookie(server, 'chair'), demoCookie(server, 'head.montreal')]);
    const reader = await openDocument(server, delegate, documentId);
    const pid = pidOf(reader.doc, 6);
    reader.close();
    assert.equal((await setStatus(delegate, pid, 'agreed')).status, 403);
    assert.equal((await setStatus(chair, pid, 'accepted')).status, 400);
    assert.equal((await setStatus(chair, pid, { $ne: null })).status, 400);
    assert.equal((await setStatus(chair, '00000000-0000-4000-8000-000000000000', 'agreed')).status, 404);
    const stored = withServerDatabase(server, (db) => db.prepare('SELECT COUNT(*) AS n FROM paragraph_statuses WHERE pid = ?').get(pid) as { n: number });
    assert.equal(stored.n, 0);
  });
});
