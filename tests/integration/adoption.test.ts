/**
 * Adoption, signing and the public page against the built server: the secretariat adopts through
 * POST /api/documents/<id>/mode, heads of member delegations sign through POST
 * /api/documents/<id>/sign (once per delegation), and /public/documents/<id> shows the adopted text
 * and its signatories to anyone — escaped — and nothing before adoption.
 */
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { demoCookie, demoDocumentId, openDocument, typeInto } from '../helpers/documents';
import { demoEmail, demoNegotiations, userIdOf, withServerDatabase } from '../helpers/demo-data';
import { eventually } from '../helpers/http';
import { startServer, type TRunningServer } from '../helpers/server';
import { documentPlainText } from '../../lib/documents/base-text';
import { readStoredDocument } from '../../lib/server/documents/read-document';
import { openSqlite } from '../../lib/db/sqlite';

const XSS = '<img src=x onerror=alert(1)>';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('adoption, signatures and the public page', () => {
  let server: TRunningServer;
  let documentId: string;
  let sessionId: string;
  const cookies: Record<string, string> = {};

  before(async () => {
    server = await startServer();
    documentId = demoDocumentId(server);
    for (const account of ['secretariat', 'chair', 'head.montreal', 'delegate.montreal', 'head.barcelona', 'delegate.seoul', 'observer']) {
      cookies[account] = await demoCookie(server, account);
    }
    // The Metropolis plenary is live, so the record must show adoption and signatures.
    sessionId = withServerDatabase(server, (db) => (db.prepare("SELECT s.id FROM negotiation_sessions s JOIN negotiations n ON n.id = s.negotiation_id WHERE n.format = 'multilateral' AND s.status <> 'closed'").get() as { id: string }).id);
    withServerDatabase(server, (db) => db.prepare("UPDATE negotiation_sessions SET status = 'live' WHERE id = ?").run(sessionId), true);
  });
  after(async () => {
    await server.stop();
  });

  const post = (path: string, cookie: string | undefined, body?: unknown, origin: string = server.url) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { ...(cookie ? { cookie } : {}), origin, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const sign = (account: string, id = documentId) => post(`/api/documents/${id}/sign`, cookies[account]);
  const setMode = (account: string, mode: string, id = documentId) => post(`/api/documents/${id}/mode`, cookies[account], { mode });
  const publicPage = (id = documentId) => fetch(`${server.url}/public/documents/${id}`);
  const signatureCount = () =>
    withServerDatabase(server, (db) => (db.prepare('SELECT COUNT(*) AS n FROM document_signatures WHERE document_id = ?').get(documentId) as { n: number }).n);
  const storedHash = (id: string) =>
    withServerDatabase(server, (db) => db.prepare('SELECT adopted_text_hash AS hash, adopted_at AS at, drafting_mode AS mode FROM documents WHERE id = ?').get(id) as { hash: string | null; at: number | null; mode: string });
  /** The stored text of a document, read from the server's database the way the server reads it. */
  const storedText = async (id: string) => {
    const db = openSqlite(server.sqlitePath);
    try {
      const doc = await readStoredDocument(db, id);
      return documentPlainText(doc);
    } finally {
      await db.close();
    }
  };

  test('before adoption: signing is 409 not_adopted and the public page is 404', async () => {
    const response = await sign('head.montreal');
    assert.equal(response.status, 409);
    assert.deepEqual(await response.json(), { error: 'not_adopted', fields: {} });
    const page = await publicPage();
    assert.equal(page.status, 404);
    assert.doesNotMatch(await page.text(), /Declaration on Urban Climate Resilience/);
    assert.equal(signatureCount(), 0);
  });

  test('the secretariat adopts: the hash of the stored text is recorded and logged; edits are refused from then on', async () => {
    // Markup typed into the text by a delegation must come out as text on the public page.
    const editor = await openDocument(server, cookies['delegate.seoul'] ?? '', documentId);
    typeInto(editor.doc, 5, 0, `${XSS} `);
    await eventually(() => editor.unconfirmed() === 0);
    assert.equal((await setMode('delegate.seoul', 'adopted')).status, 403);
    const response = await setMode('secretariat', 'adopted');
    assert.equal(response.status, 200);
    await eventually(() => editor.access() === 'read');
    const adopted = storedHash(documentId);
    assert.equal(adopted.mode, 'adopted');
    const text = await storedText(documentId);
    assert.match(text, /<img src=x onerror=alert\(1\)> Commit to adopt/);
    assert.equal(adopted.hash, sha256(text));
    assert.ok(adopted.at && adopted.at <= Date.now());
    const logged = withServerDatabase(server, (db) => db.prepare("SELECT payload FROM session_events WHERE session_id = ? AND type = 'document.adopted'").all(sessionId) as { payload: string }[]);
    assert.deepEqual(logged.map((row) => JSON.parse(row.payload) as unknown), [{ documentId, textHash: adopted.hash }]);
    editor.close();
  });

  test('a head of a member delegation signs once; a re-sign or a second head of the same delegation is 409', async () => {
    const response = await sign('head.montreal');
    assert.equal(response.status, 200);
    const { signature } = (await response.json()) as { signature: { documentId: string; delegationId: string; textHash: string; signedAt: number } };
    assert.equal(signature.documentId, documentId);
    assert.equal(signature.textHash, storedHash(documentId).hash);

    const again = await sign('head.montreal');
    assert.equal(again.status, 409);
    assert.equal(((await again.json()) as { error: string }).error, 'already_signed');

    // The secretariat makes Montréal's delegate a second head: the delegation has signed already.
    const { metropolis } = demoNegotiations(server);
    withServerDatabase(server, (db) => db.prepare("UPDATE memberships SET role = 'head' WHERE negotiation_id = ? AND user_id = ?").run(metropolis, userIdOf(server, demoEmail('delegate.montreal'))), true);
    const second = await sign('delegate.montreal');
    assert.equal(second.status, 409);
    assert.equal(((await second.json()) as { error: string }).error, 'already_signed');
    assert.equal(signatureCount(), 1);

    const logged = withServerDatabase(server, (db) => db.prepare("SELECT payload, user_id AS userId FROM session_events WHERE session_id = ? AND type = 'document.signed'").all(sessionId) as { payload: string; userId: string }[]);
    assert.equal(logged.length, 1);
    assert.deepEqual(JSON.parse(logged[0]?.payload ?? '{}'), { documentId, delegationId: signature.delegationId, textHash: signature.textHash });
    assert.equal(logged[0]?.userId, userIdOf(server, demoEmail('head.montreal')));
  });

  test('a delegate, the chair, an observer delegation’s head, a foreign page and a signed-out request are refused; nothing is stored', async () => {
    assert.equal((await sign('delegate.seoul')).status, 403);
    assert.equal((await sign('chair')).status, 403);
    // Make the UN-Habitat observer the head of that observer delegation: still not a signatory.
    const { metropolis } = demoNegotiations(server);
    withServerDatabase(server, (db) => db.prepare("UPDATE memberships SET role = 'head' WHERE negotiation_id = ? AND user_id = ?").run(metropolis, userIdOf(server, demoEmail('observer'))), true);
    const observerHead = await sign('observer');
    assert.equal(observerHead.status, 403);
    assert.equal(((await observerHead.json()) as { error: string }).error, 'forbidden');
    assert.equal((await post(`/api/documents/${documentId}/sign`, cookies['head.barcelona'], undefined, 'https://evil.example')).status, 403);
    assert.equal((await post(`/api/documents/${documentId}/sign`, undefined)).status, 401);
    assert.equal((await sign('head.barcelona', randomUUID())).status, 404);
    assert.equal((await sign('head.barcelona', demoDocumentId(server, 'Twinning'))).status, 404);
    assert.equal((await sign('head.barcelona', 'not-a-uuid')).status, 400);
    assert.equal(signatureCount(), 1);
  });

  test('the public page shows the adopted text, its hash and the signatories to anyone, escaped', async () => {
    // A delegation whose actor name carries markup signs too.
    withServerDatabase(server, (db) => db.prepare("UPDATE actors SET name = ? WHERE name = 'Barcelona'").run(`${XSS}Barcelona`), true);
    assert.equal((await sign('head.barcelona')).status, 200);

    const response = await publicPage();
    assert.equal(response.status, 200);
    const html = await response.text();
    assert.match(html, /<h1 id="document-title">Draft Declaration on Urban Climate Resilience<\/h1>/);
    assert.match(html, /Metropolis Annual Meeting — Declaration on Urban Climate Resilience/);
    assert.match(html, /Metropolis — World Association of the Major Metropolises/);
    assert.match(html, /Montréal/);
    assert.match(html, /Mayor of Montréal/);
    assert.match(html, /Canada/);
    assert.match(html, /Mayor of Barcelona/);
    assert.ok(html.includes(storedHash(documentId).hash ?? 'missing'), 'shows the text hash');
    // Paragraphs carry their labels, as everywhere else.
    assert.match(html, /<p class="operative"><span class="paragraph-label">OP 1 <\/span>/);
    // Markup in the text and in a delegation's name is text, never markup.
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt; Commit to adopt'), 'text escaped');
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;Barcelona'), 'delegation name escaped');
    assert.doesNotMatch(html, /<img src=x/i);
    assert.doesNotMatch(html, /Montreal Delegate|@demo\.proxenia\.test/, 'no e-mail addresses');
  });

  test('the public page answers 404, never 500, for unknown, foreign-format and malformed ids', async () => {
    for (const id of [randomUUID(), 'x'.repeat(5000), '..%2F..%2Fetc%2Fpasswd', '%00', randomUUID().toUpperCase(), demoDocumentId(server, 'Twinning')]) {
      const response = await publicPage(id);
      await response.body?.cancel();
      assert.equal(response.status, 404, id.slice(0, 40));
    }
  });

  test('the private document page shows signatures, the public page link, and the signing button only to heads who may still sign', async () => {
    const path = `/negotiations/${demoNegotiations(server).metropolis}/documents/${documentId}`;
    const page = async (account: string) => {
      const response = await fetch(`${server.url}${path}`, { headers: { cookie: cookies[account] ?? '' } });
      assert.equal(response.status, 200, account);
      return response.text();
    };
    const seoulHead = await demoCookie(server, 'head.seoul');
    cookies['head.seoul'] = seoulHead;
    const asSeoul = await page('head.seoul');
    // The button's label (the message catalogue, shipped to the browser, holds the bare template).
    assert.match(asSeoul, />Sign on behalf of Seoul</);
    assert.match(asSeoul, new RegExp(`href="/public/documents/${documentId}"`));
    assert.match(asSeoul, /Mayor of Montréal/);
    const asMontreal = await page('head.montreal');
    assert.doesNotMatch(asMontreal, />Sign on behalf of/, 'Montréal has signed');
    const asDelegate = await page('delegate.seoul');
    assert.doesNotMatch(asDelegate, />Sign on behalf of/, 'a delegate does not sign');
  });

  test('edits racing the adoption never leave the stored text different from the adopted hash', async () => {
    const { metropolis } = demoNegotiations(server);
    const secretariatId = userIdOf(server, demoEmail('secretariat'));
    for (let round = 0; round < 5; round += 1) {
      // A fresh document nobody has opened, in the Metropolis negotiation.
      const raceId = randomUUID();
      withServerDatabase(server, (db) =>
        db
          .prepare('INSERT INTO documents (id, negotiation_id, title, kind, base_text, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(raceId, metropolis, `Race <b>memo</b> ${round}`, 'memorandum', 'Race memo\n1. First.\n2. Second.', secretariatId, Date.now()),
      true);
      const editor = await openDocument(server, cookies['delegate.seoul'] ?? '', raceId);
      // Type without pause until the server turns the editor read-only; adopt in the middle of it.
      const typing = (async () => {
        for (let keystroke = 0; editor.access() === 'edit' && keystroke < 1000; keystroke += 1) {
          typeInto(editor.doc, 1, 0, 'x');
          await new Promise((resolve) => setTimeout(resolve, 3));
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 20 + round * 15));
      const adoption = await setMode('secretariat', 'adopted', raceId);
      assert.equal(adoption.status, 200);
      await typing;
      // An edit the server accepted but had not stored when the text was adopted is refused
      // (storage_failed: the database keeps an adopted text frozen), so nothing more is pending.
      await eventually(() => editor.unconfirmed() === 0 || editor.refusals.length > 0);
      editor.close();
      assert.equal(storedHash(raceId).hash, sha256(await storedText(raceId)), `round ${round}`);
      if (round === 0) {
        const html = await (await publicPage(raceId)).text();
        assert.match(html, /Race &lt;b&gt;memo&lt;\/b&gt; 0/);
        assert.match(html, /No delegation has signed this text yet\./);
      }
    }
  });
});
