import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as Y from 'yjs';
import { demoDocumentId, demoCookie, openDocument, useDemoDocumentApi } from '../helpers/documents';
import { withServerDatabase } from '../helpers/demo-data';
import { eventually } from '../helpers/http';
import { startServer, type TRunningServer } from '../helpers/server';

interface TAmendmentView {
  id: string;
  pid: string;
  kind: string;
  status: string;
  conflicting: boolean;
  currentText: string | null;
  delegationName: string;
  sponsors: { delegationName: string }[];
}

describe('amendments', () => {
  const api = useDemoDocumentApi('amendments', ['delegate.seoul', 'head.barcelona', 'observer', 'chair', 'head.johannesburg']);
  /** A bare path with no body lists; an action path posts, with or without a body. */
  const call = (account: string, path: string, body?: unknown) => api.request(account, path, { method: path === '' && body === undefined ? 'GET' : 'POST', body });
  const list = async (account = 'observer') => ((await (await call(account, '')).json()) as { amendments: TAmendmentView[] }).amendments;
  const pidAt = (doc: Y.Doc, index: number) => String((doc.getXmlFragment('default').get(index) as Y.XmlElement).getAttribute('pid'));
  const propose = async (account: string, body: Record<string, unknown>) => {
    const response = await call(account, '', body);
    return { status: response.status, amendment: response.status === 201 ? ((await response.json()) as { amendment: TAmendmentView }).amendment : null };
  };

  test('a delegation proposes, another co-sponsors, conflicts are flagged, the chair accepts and the live text changes', async () => {
    const reader = await openDocument(api.server, api.cookies['head.johannesburg'] ?? '', api.documentId);
    const pid = pidAt(reader.doc, 7);
    const seoul = await propose('delegate.seoul', { pid, kind: 'replace', proposedText: 'Call upon national governments and international lenders to give cities direct access to climate finance;', rationale: 'Lenders matter.' });
    assert.equal(seoul.status, 201);
    const barcelona = await propose('head.barcelona', { pid, kind: 'replace', proposedText: 'Call upon national governments to share climate finance with cities;', rationale: '' });
    assert.equal(barcelona.status, 201);
    let amendments = await list();
    assert.deepEqual(amendments.filter((a) => a.pid === pid).map((a) => a.conflicting), [true, true]);

    assert.equal((await call('head.barcelona', `/${seoul.amendment?.id}/cosponsor`)).status, 204);
    assert.equal((await call('delegate.seoul', `/${seoul.amendment?.id}/cosponsor`)).status, 403, 'a delegation does not co-sponsor its own amendment');
    assert.equal((await call('head.barcelona', `/${seoul.amendment?.id}/cosponsor`)).status, 409, 'once per delegation');

    assert.equal((await call('chair', `/${seoul.amendment?.id}/accept`)).status, 204);
    await eventually(() => reader.text().includes('international lenders'));
    amendments = await list();
    const accepted = amendments.find((a) => a.id === seoul.amendment?.id);
    assert.equal(accepted?.status, 'accepted');
    assert.deepEqual(accepted?.sponsors.map((s) => s.delegationName), ['Barcelona']);
    assert.equal(amendments.find((a) => a.id === barcelona.amendment?.id)?.conflicting, false, 'the other one no longer conflicts with a proposed amendment');
    assert.equal((await call('chair', `/${seoul.amendment?.id}/accept`)).status, 409, 'decided once');

    // Stored and logged: a fresh join shows it, the update is attributed to the chair.
    const fresh = await openDocument(api.server, api.cookies.observer ?? '', api.documentId);
    assert.match(fresh.text(), /international lenders/);
    const author = withServerDatabase(api.server, (db) => (db.prepare('SELECT u.email FROM document_updates du JOIN users u ON u.id = du.user_id WHERE du.document_id = ? ORDER BY seq DESC LIMIT 1').get(api.documentId) as { email: string }).email);
    assert.equal(author, 'chair@demo.proxenia.test');
    fresh.close();
    reader.close();
  });

  test('insert and delete amendments change the structure; rejection and withdrawal change nothing', async () => {
    const reader = await openDocument(api.server, api.cookies.observer ?? '', api.documentId);
    const paragraphs = () => reader.doc.getXmlFragment('default').length;
    const before = paragraphs();
    const insertion = await propose('head.johannesburg', { pid: pidAt(reader.doc, 5), kind: 'insert', proposedText: 'Establish a Johannesburg heat-health early-warning pilot;', rationale: '' });
    assert.equal((await call('chair', `/${insertion.amendment?.id}/accept`)).status, 204);
    await eventually(() => paragraphs() === before + 1);
    assert.match(reader.text(), /hazards;\nEstablish a Johannesburg heat-health/);

    const deletion = await propose('delegate.seoul', { pid: pidAt(reader.doc, 6), kind: 'delete', proposedText: '', rationale: 'Redundant.' });
    assert.equal((await call('chair', `/${deletion.amendment?.id}/accept`)).status, 204);
    await eventually(() => paragraphs() === before);
    assert.doesNotMatch(reader.text(), /Establish a Johannesburg/);

    const textBefore = reader.text();
    const rejected = await propose('head.barcelona', { pid: pidAt(reader.doc, 1), kind: 'delete', proposedText: '', rationale: '' });
    assert.equal((await call('chair', `/${rejected.amendment?.id}/reject`)).status, 204);
    const withdrawn = await propose('head.barcelona', { pid: pidAt(reader.doc, 1), kind: 'replace', proposedText: 'We, the cities,', rationale: '' });
    assert.equal((await call('delegate.seoul', `/${withdrawn.amendment?.id}/withdraw`)).status, 403, 'only the proposing delegation withdraws');
    assert.equal((await call('head.barcelona', `/${withdrawn.amendment?.id}/withdraw`)).status, 204);
    assert.equal((await call('chair', `/${withdrawn.amendment?.id}/accept`)).status, 409);
    assert.equal(reader.text(), textBefore);
    reader.close();
  });

  test('[T29][T11] observers and the chair cannot propose; bad input is refused and nothing is stored', async () => {
    const reader = await openDocument(api.server, api.cookies.observer ?? '', api.documentId);
    const pid = pidAt(reader.doc, 2);
    reader.close();
    const count = () => withServerDatabase(api.server, (db) => (db.prepare('SELECT COUNT(*) AS n FROM amendments').get() as { n: number }).n);
    const before = count();
    assert.equal((await propose('observer', { pid, kind: 'replace', proposedText: 'x', rationale: '' })).status, 403);
    assert.equal((await propose('chair', { pid, kind: 'replace', proposedText: 'x', rationale: '' })).status, 403);
    assert.equal((await propose('delegate.seoul', { pid, kind: 'delete', proposedText: 'not empty', rationale: '' })).status, 400);
    assert.equal((await propose('delegate.seoul', { pid, kind: 'replace', proposedText: '', rationale: '' })).status, 400);
    assert.equal((await propose('delegate.seoul', { pid, kind: 'replace', proposedText: 'x', rationale: '', delegationId: 'someone else' })).status, 400);
    assert.equal((await propose('delegate.seoul', { pid: '00000000-0000-4000-8000-000000000000', kind: 'delete', proposedText: '', rationale: '' })).status, 400);
    assert.equal((await call('delegate.seoul', '/00000000-0000-4000-8000-000000000000/accept')).status, 403);
    assert.equal((await call('chair', '/00000000-0000-4000-8000-000000000000/explode')).status, 404);
    assert.equal(count(), before);
  });
});

describe('authorship by delegation', () => {
  let server: TRunningServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.stop();
  });

  test('[T27] each writer’s Yjs client id maps to their delegation, as the server recorded it; the base text is nobody’s', async () => {
    const documentId = demoDocumentId(server);
    const seoul = await demoCookie(server, 'delegate.seoul');
    const writer = await openDocument(server, seoul, documentId, { clientId: 4242 });
    (((writer.doc.getXmlFragment('default').get(1) as Y.XmlElement).get(0)) as Y.XmlText).insert(0, 'Seoul: ');
    await eventually(() => writer.unconfirmed() === 0);
    writer.close();
    const response = await fetch(`${server.url}/api/documents/${documentId}/authors`, { headers: { cookie: await demoCookie(server, 'observer') } });
    assert.equal(response.status, 200);
    const { authors } = (await response.json()) as { authors: Record<string, { delegation: string | null; color: string }> };
    assert.deepEqual(Object.keys(authors), ['4242']);
    assert.equal(authors['4242']?.delegation, 'Seoul');
    assert.match(authors['4242']?.color ?? '', /^#[0-9a-f]{6}$/);
    const outsider = await demoCookie(server, 'head.brazzaville');
    assert.equal((await fetch(`${server.url}/api/documents/${demoDocumentId(server, 'Twinning')}/authors`, { headers: { cookie: seoul } })).status, 404);
    assert.equal((await fetch(`${server.url}/api/documents/${documentId}/authors`, { headers: { cookie: outsider } })).status, 200);
  });
});
