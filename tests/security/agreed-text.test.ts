/**
 * Agreed means agreed (docs/PROTOCOL.md D15–D18), against the real, built server: raw Yjs updates
 * that would change an agreed paragraph are refused at the socket like read-only content, server
 * changes to it are refused, the chair reopens it to change it, and nothing about an adopted text
 * changes. The demo declaration: 0 title, 1–4 preamble, 5–9 operative paragraphs 1–5.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as Y from 'yjs';
import { encodeUpdate } from '../../lib/documents/messages';
import { DOCUMENT_FIELD } from '../../lib/documents/schema';
import { withServerDatabase } from '../helpers/demo-data';
import { anchorsAround, demoCookie, demoDocumentId, openDocument, type TDocumentClient } from '../helpers/documents';
import { eventually } from '../helpers/http';
import { startServer, type TRunningServer } from '../helpers/server';

type TAck = { ok: true } | { ok: false; error: string };

const AGREED = 6;

const block = (doc: Y.Doc, index: number) => doc.getXmlFragment(DOCUMENT_FIELD).get(index) as Y.XmlElement;
const textOf = (doc: Y.Doc, index: number) => block(doc, index).get(0) as Y.XmlText;

/** The index of the block whose text holds `phrase` (earlier tests add paragraphs). */
function indexOf(doc: Y.Doc, phrase: string): number {
  const index = doc.getXmlFragment(DOCUMENT_FIELD).toArray().findIndex((node) => node instanceof Y.XmlElement && (node.get(0) as Y.XmlText | undefined)?.toString().includes(phrase));
  assert.ok(index >= 0, `a paragraph holds “${phrase}”`);
  return index;
}

/** An edit made on a copy of `source`, as the update it produces. */
function editOn(source: Y.Doc, edit: (doc: Y.Doc) => void): Uint8Array {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(source));
  const before = Y.encodeStateVector(replica);
  edit(replica);
  return Y.encodeStateAsUpdate(replica, before);
}

describe('agreed text and adopted documents (D15–D18)', () => {
  let server: TRunningServer;
  let documentId: string;
  const cookies: Record<string, string> = {};
  const clients: TDocumentClient[] = [];

  before(async () => {
    server = await startServer();
    documentId = demoDocumentId(server);
    for (const local of ['secretariat', 'chair', 'head.seoul', 'head.barcelona', 'delegate.montreal', 'observer']) cookies[local] = await demoCookie(server, local);
  });
  after(async () => {
    for (const client of clients) client.close();
    await server.stop();
  });

  const open = async (local: string): Promise<TDocumentClient> => {
    const client = await openDocument(server, cookies[local] ?? '', documentId);
    clients.push(client);
    return client;
  };
  const api = (local: string, path: string, body?: unknown) =>
    fetch(`${server.url}/api/documents/${documentId}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { cookie: cookies[local] ?? '', origin: server.url, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const setStatus = (local: string, pid: string, status: string) => api(local, `/paragraphs/${pid}/status`, { status });
  const updateCount = () => withServerDatabase(server, (db) => (db.prepare('SELECT COUNT(*) AS n FROM document_updates WHERE document_id = ?').get(documentId) as { n: number }).n);
  const storedStatus = (pid: string) =>
    withServerDatabase(server, (db) => (db.prepare('SELECT status FROM paragraph_statuses WHERE document_id = ? AND pid = ?').get(documentId, pid) as { status: string } | undefined)?.status ?? 'pending');
  const pidAt = (doc: Y.Doc, index: number) => String(block(doc, index).getAttribute('pid'));
  const send = async (client: TDocumentClient, update: Uint8Array) => (await client.socket.emitWithAck('doc:message', documentId, encodeUpdate(update))) as TAck;

  test('[D15] every update that would change an agreed paragraph is refused "agreed_paragraph": nothing stored, nothing relayed', async () => {
    const editor = await open('head.seoul');
    const witness = await open('head.barcelona');
    const errors: string[] = [];
    editor.socket.on('doc:error', (payload: { code: string }) => errors.push(payload.code));
    const agreedPid = pidAt(editor.doc, AGREED);
    assert.equal((await setStatus('secretariat', agreedPid, 'agreed')).status, 200);
    const agreedText = textOf(witness.doc, AGREED).toString();

    const attempts: [string, (doc: Y.Doc) => void][] = [
      ['typing appended at its end', (doc) => textOf(doc, AGREED).insert(textOf(doc, AGREED).length, ' And more.')],
      ['typing at its start', (doc) => textOf(doc, AGREED).insert(0, 'Not ')],
      ['a deletion across its start, from the end of the paragraph before', (doc) => {
        textOf(doc, AGREED - 1).delete(textOf(doc, AGREED - 1).length - 10, 10);
        textOf(doc, AGREED).delete(0, 7);
      }],
      ['a deletion across its end, into the paragraph after', (doc) => {
        textOf(doc, AGREED).delete(textOf(doc, AGREED).length - 6, 6);
        textOf(doc, AGREED + 1).delete(0, 5);
      }],
      ['bold on part of it', (doc) => textOf(doc, AGREED).format(0, 7, { bold: true })],
      ['changing its kind', (doc) => block(doc, AGREED).setAttribute('kind', 'preambular')],
      ['removing it', (doc) => doc.getXmlFragment(DOCUMENT_FIELD).delete(AGREED, 1)],
      ['joining the next paragraph into it', (doc) => {
        textOf(doc, AGREED).insert(textOf(doc, AGREED).length, textOf(doc, AGREED + 1).toString());
        doc.getXmlFragment(DOCUMENT_FIELD).delete(AGREED + 1, 1);
      }],
      ['a new paragraph wearing its pid (a split at its end)', (doc) => {
        const copy = new Y.XmlElement('paragraph');
        copy.setAttribute('pid', agreedPid);
        doc.getXmlFragment(DOCUMENT_FIELD).insert(AGREED + 1, [copy]);
      }],
    ];
    for (const [label, edit] of attempts) {
      const rows = updateCount();
      const before = errors.length;
      assert.deepEqual(await send(editor, editOn(editor.doc, edit)), { ok: false, error: 'agreed_paragraph' }, label);
      await eventually(() => errors.length > before);
      assert.deepEqual(errors.slice(before), ['agreed_paragraph'], `${label}: doc:error to the sender`);
      assert.equal(updateCount(), rows, `${label}: nothing stored`);
    }
    // The paragraphs around it, and a new paragraph right after it, are not agreed text.
    const fresh = new Y.XmlElement('paragraph');
    const accepted = editOn(editor.doc, (doc) => {
      textOf(doc, AGREED - 1).insert(textOf(doc, AGREED - 1).length, ' (amended)');
      textOf(doc, AGREED + 1).insert(0, 'Further, ');
      fresh.setAttribute('pid', '00000000-0000-4000-8000-0000000000aa');
      doc.getXmlFragment(DOCUMENT_FIELD).insert(AGREED + 1, [fresh]);
    });
    assert.deepEqual(await send(editor, accepted), { ok: true });
    await eventually(() => textOf(witness.doc, AGREED + 2).toString().startsWith('Further, '));
    assert.equal(textOf(witness.doc, AGREED).toString(), agreedText, 'the witness never saw the agreed paragraph change');
    const logged = server.output().split('\n').filter((line) => line.includes('"event":"doc.refused"') && line.includes('"reason":"agreed_paragraph"')).length;
    assert.equal(logged, attempts.length, 'each refusal is logged');
  });

  test('[D15][D6] the real provider typing into agreed text is refused and re-synced; the chair reopens the paragraph and the same edit goes through', async () => {
    const editor = await open('delegate.montreal');
    const agreedPid = pidAt(editor.doc, AGREED);
    const agreedText = textOf(editor.doc, AGREED).toString();
    textOf(editor.doc, AGREED).insert(agreedText.length, ' Typed by Montréal.');
    await eventually(() => editor.refusals.includes('agreed_paragraph'));
    const reader = await open('observer');
    assert.equal(textOf(reader.doc, AGREED).toString(), agreedText, 'a fresh join shows the agreed text unchanged');

    // Reopening is the chair's (or the secretariat's), recorded like any status change.
    assert.equal((await setStatus('delegate.montreal', agreedPid, 'pending')).status, 403);
    assert.equal((await setStatus('chair', agreedPid, 'bracketed')).status, 200);
    assert.equal(storedStatus(agreedPid), 'bracketed');
    const again = await open('delegate.montreal');
    assert.deepEqual(await send(again, editOn(again.doc, (doc) => textOf(doc, AGREED).insert(agreedText.length, ' Typed by Montréal.'))), { ok: true });
    await eventually(() => textOf(reader.doc, AGREED).toString() === `${agreedText} Typed by Montréal.`);
    // Agreed ad referendum locks the text as well.
    assert.equal((await setStatus('chair', agreedPid, 'agreed_ad_ref')).status, 200);
    assert.deepEqual(await send(again, editOn(again.doc, (doc) => textOf(doc, AGREED).delete(0, 3))), { ok: false, error: 'agreed_paragraph' });
  });

  test('[D16] the server’s own changes to agreed text are refused: accepting an amendment, lifting a bracket with an alternative, opening a bracket', async () => {
    const reader = await open('observer');
    const index = indexOf(reader.doc, 'early-warning data');
    const pid = pidAt(reader.doc, index);
    const original = textOf(reader.doc, index).toString();
    const proposed = await api('head.seoul', '/amendments', { pid, kind: 'replace', proposedText: 'Agree to share everything.', rationale: '' });
    assert.equal(proposed.status, 201);
    const amendment = ((await proposed.json()) as { amendment: { id: string } }).amendment;
    const opened = await api('head.seoul', '/brackets', anchorsAround(reader.doc, index, 'early-warning data'));
    assert.equal(opened.status, 201);
    const { id: bracketId } = (await opened.json()) as { id: string };
    assert.equal((await api('head.barcelona', `/brackets/${bracketId}/alternatives`, { text: 'climate data' })).status, 201);
    const brackets = (await (await api('observer', '/brackets')).json()) as { brackets: { id: string; alternatives: { id: string }[]; resolvedAt: number | null }[] };
    const alternativeId = brackets.brackets.find((bracket) => bracket.id === bracketId)?.alternatives[0]?.id;

    assert.equal((await setStatus('chair', pid, 'agreed')).status, 200);
    const rows = updateCount();
    const accept = await api('chair', `/amendments/${amendment.id}/accept`, {});
    assert.equal(accept.status, 409);
    assert.equal(((await accept.json()) as { error: string }).error, 'paragraph_agreed');
    const resolve = await api('chair', `/brackets/${bracketId}/resolve`, { choice: alternativeId });
    assert.equal(resolve.status, 409);
    assert.equal(((await resolve.json()) as { error: string }).error, 'paragraph_agreed');
    const another = await api('head.seoul', '/brackets', anchorsAround(reader.doc, index, 'heat-action plans'));
    assert.equal(another.status, 409);
    assert.equal(((await another.json()) as { error: string }).error, 'paragraph_agreed');
    assert.equal(updateCount(), rows, 'no server change was stored');
    assert.equal(textOf(reader.doc, index).toString(), original);
    const amendments = (await (await api('observer', '/amendments')).json()) as { amendments: { id: string; status: string }[] };
    assert.equal(amendments.amendments.find((candidate) => candidate.id === amendment.id)?.status, 'proposed', 'the amendment stays proposed');
    const after = (await (await api('observer', '/brackets')).json()) as typeof brackets;
    assert.equal(after.brackets.find((bracket) => bracket.id === bracketId)?.resolvedAt, null, 'the bracket stays open');

    // Once the chair reopens the paragraph, the same amendment goes in.
    assert.equal((await setStatus('chair', pid, 'pending')).status, 200);
    assert.equal((await api('chair', `/amendments/${amendment.id}/accept`, {})).status, 204);
    await eventually(() => textOf(reader.doc, index).toString() === 'Agree to share everything.');
  });

  test('[D18] the export of a draft says each paragraph’s status and its open brackets', async () => {
    const reader = await open('observer');
    const opened = await api('head.barcelona', '/brackets', anchorsAround(reader.doc, indexOf(reader.doc, 'academia and civil society'), 'academia and civil society'));
    assert.equal(opened.status, 201);
    const markdown = await (await fetch(`${server.url}/api/documents/${documentId}/export?format=md`, { headers: { cookie: cookies.observer ?? '' } })).text();
    assert.match(markdown, /\*\*OP 5\*\* Invite international organizations, academia and civil society[^\n]*\n\n\*Status: Pending · open bracket: \\\[academia and civil society\\\]\*/);
    assert.match(markdown, /\*Status: Agreed ad ref\.\*/, 'the paragraph agreed ad referendum above');
    const html = await (await fetch(`${server.url}/api/documents/${documentId}/export?format=html`, { headers: { cookie: cookies.observer ?? '' } })).text();
    assert.match(html, /<p class="draft-note">Status: Pending · open bracket: \[academia and civil society\]<\/p>/);
  });

  test('[D17] nothing about an adopted text changes: statuses, brackets, amendments, comments are 409 "document_adopted"', async () => {
    const reader = await open('observer');
    const pid = pidAt(reader.doc, 5);
    // Things in flight when the text is adopted.
    const amendment = ((await (await api('head.seoul', '/amendments', { pid, kind: 'delete', proposedText: '', rationale: '' })).json()) as { amendment: { id: string } }).amendment;
    const { id: bracketId } = (await (await api('head.seoul', '/brackets', anchorsAround(reader.doc, 5, 'coastal hazards'))).json()) as { id: string };
    const { id: threadId } = (await (await api('head.seoul', '/comments', { ...anchorsAround(reader.doc, 5, 'heat'), quote: 'heat', body: 'Which heat?', visibility: 'all' })).json()) as { id: string };
    assert.ok(amendment.id && bracketId && threadId);
    assert.equal((await api('secretariat', '/mode', { mode: 'adopted' })).status, 200);

    const counts = () =>
      withServerDatabase(server, (db) =>
        ['paragraph_statuses', 'brackets', 'bracket_alternatives', 'amendments', 'amendment_sponsors', 'comments'].map((table) => {
          const where = table === 'bracket_alternatives' || table === 'amendment_sponsors' ? '' : ' WHERE document_id = ?';
          return db.prepare(`SELECT COUNT(*) AS n FROM ${table}${where}`).get(...(where ? [documentId] : [])) as { n: number };
        }),
      );
    const before = JSON.stringify(counts());
    const statusBefore = storedStatus(pid);
    const refused: [string, string, string, unknown][] = [
      ['a paragraph status', 'secretariat', `/paragraphs/${pid}/status`, { status: 'bracketed' }],
      ['a new bracket', 'head.seoul', '/brackets', anchorsAround(reader.doc, 5, 'water')],
      ['an alternative wording', 'head.barcelona', `/brackets/${bracketId}/alternatives`, { text: 'sea-level rise' }],
      ['lifting a bracket', 'chair', `/brackets/${bracketId}/resolve`, { choice: 'original' }],
      ['a new amendment', 'head.barcelona', '/amendments', { pid, kind: 'replace', proposedText: 'Something else.', rationale: '' }],
      ['co-sponsoring', 'head.barcelona', `/amendments/${amendment.id}/cosponsor`, {}],
      ['withdrawing', 'head.seoul', `/amendments/${amendment.id}/withdraw`, {}],
      ['rejecting', 'chair', `/amendments/${amendment.id}/reject`, {}],
      ['accepting', 'chair', `/amendments/${amendment.id}/accept`, {}],
      ['a new comment thread', 'head.barcelona', '/comments', { ...anchorsAround(reader.doc, 5, 'water'), quote: 'water', body: 'Late remark', visibility: 'all' }],
      ['a reply', 'head.barcelona', '/comments', { replyTo: threadId, body: 'Late reply' }],
      ['resolving a thread', 'chair', `/comments/${threadId}/resolve`, {}],
    ];
    for (const [label, local, path, body] of refused) {
      const response = await api(local, path, body);
      assert.equal(response.status, 409, label);
      assert.deepEqual(await response.json(), { error: 'document_adopted', fields: {} }, label);
    }
    assert.equal(JSON.stringify(counts()), before, 'nothing was stored');
    assert.equal(storedStatus(pid), statusBefore);
    // Reading and exporting still work.
    assert.equal((await api('observer', '/comments')).status, 200);
    assert.equal((await fetch(`${server.url}/api/documents/${documentId}/export?format=md`, { headers: { cookie: cookies.observer ?? '' } })).status, 200);
  });
});
