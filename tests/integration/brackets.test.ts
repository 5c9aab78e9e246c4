import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as Y from 'yjs';
import { anchorsAround, openDocument, useDemoDocumentApi } from '../helpers/documents';
import { withServerDatabase } from '../helpers/demo-data';
import { eventually } from '../helpers/http';

interface TBracketView {
  id: string;
  pid: string;
  originalText: string;
  resolvedAt: number | null;
  chosenAlternative: string | null;
  alternatives: { id: string; delegationName: string; text: string }[];
}

describe('brackets', () => {
  const api = useDemoDocumentApi('brackets', ['delegate.seoul', 'head.barcelona', 'observer', 'chair', 'head.johannesburg']);
  const post = (account: string, path: string, body: unknown) => api.request(account, path, { method: 'POST', body });
  const list = async () =>
    ((await (await fetch(`${api.server.url}/api/documents/${api.documentId}/brackets`, { headers: { cookie: api.cookies.observer ?? '' } })).json()) as { brackets: TBracketView[] }).brackets;

  test('a delegation brackets disputed words, others put forward alternatives, the chair adopts one into the text', async () => {
    const reader = await openDocument(api.server, api.cookies['head.johannesburg'] ?? '', api.documentId);
    // Someone types before the bracket: anchors must follow the text, not offsets.
    const opened = await post('delegate.seoul', '', anchorsAround(reader.doc, 5, 'by the next Annual Meeting'));
    assert.equal(opened.status, 201);
    const { id } = (await opened.json()) as { id: string };
    ((reader.doc.getXmlFragment('default').get(5) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Resolve to ');
    await eventually(() => reader.unconfirmed() === 0);

    assert.equal((await post('head.barcelona', `/${id}/alternatives`, { text: 'by 2030' })).status, 201);
    assert.equal((await post('head.barcelona', `/${id}/alternatives`, { text: 'by 2035' })).status, 409, 'one alternative per delegation');
    assert.equal((await post('head.johannesburg', `/${id}/alternatives`, { text: 'within two years' })).status, 201);
    assert.equal((await post('observer', `/${id}/alternatives`, { text: 'never' })).status, 403);

    const bracket = (await list()).find((candidate) => candidate.id === id);
    assert.equal(bracket?.originalText, 'by the next Annual Meeting', 'the original wording comes from the stored text');
    assert.deepEqual(bracket?.alternatives.map((alternative) => `${alternative.delegationName}: ${alternative.text}`), ['Barcelona: by 2030', 'Johannesburg: within two years']);

    assert.equal((await post('delegate.seoul', `/${id}/resolve`, { choice: bracket?.alternatives[0]?.id })).status, 403, 'only the chair or secretariat');
    assert.equal((await post('chair', `/${id}/resolve`, { choice: bracket?.alternatives[0]?.id })).status, 204);
    await eventually(() => reader.text().includes('Resolve to Commit to adopt, by 2030, a city climate risk assessment'));
    const resolved = (await list()).find((candidate) => candidate.id === id);
    assert.notEqual(resolved?.resolvedAt, null);
    assert.equal(resolved?.chosenAlternative, bracket?.alternatives[0]?.id);
    assert.equal((await post('chair', `/${id}/resolve`, { choice: 'original' })).status, 409, 'lifted once');
    const logged = withServerDatabase(api.server, (db) => (db.prepare("SELECT COUNT(*) AS n FROM document_updates du JOIN users u ON u.id = du.user_id WHERE du.document_id = ? AND u.email = 'chair@demo.proxenia.test'").get(api.documentId) as { n: number }).n);
    assert.equal(logged, 1, 'the chair’s adoption is one stored update');
    reader.close();
  });

  test('adopting the original wording leaves the text as it is; bad ranges and roles are refused', async () => {
    const reader = await openDocument(api.server, api.cookies.observer ?? '', api.documentId);
    const before = reader.text();
    const opened = await post('head.barcelona', '', anchorsAround(reader.doc, 8, 'early-warning data'));
    const { id } = (await opened.json()) as { id: string };
    assert.equal((await post('chair', `/${id}/resolve`, { choice: 'original' })).status, 204);
    assert.equal(reader.text(), before);

    const count = () => withServerDatabase(api.server, (db) => (db.prepare('SELECT COUNT(*) AS n FROM brackets').get() as { n: number }).n);
    const brackets = count();
    assert.equal((await post('observer', '', anchorsAround(reader.doc, 8, 'heat-action plans'))).status, 403);
    assert.equal((await post('delegate.seoul', '', { anchorStart: '{}', anchorEnd: '{}' })).status, 400);
    assert.equal((await post('delegate.seoul', '', { anchorStart: 'not json', anchorEnd: 'x' })).status, 400);
    const reversed = anchorsAround(reader.doc, 8, 'heat-action plans');
    assert.equal((await post('delegate.seoul', '', { anchorStart: reversed.anchorEnd, anchorEnd: reversed.anchorStart })).status, 400);
    assert.equal((await post('delegate.seoul', '', { ...reversed, originalText: 'forged' })).status, 400, 'the api.server takes the wording from the text');
    assert.equal(count(), brackets);
    reader.close();
  });
});
