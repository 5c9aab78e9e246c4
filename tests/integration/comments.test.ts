import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useDemoDocumentApi } from '../helpers/documents';
import { withServerDatabase } from '../helpers/demo-data';

interface TCommentView {
  id: string;
  threadId: string;
  body: string;
  visibility: string;
  delegationName: string | null;
  resolvedAt: number | null;
}

const ANCHOR = JSON.stringify({ type: { client: 1, clock: 0 }, tname: null, item: { client: 1, clock: 5 }, assoc: 0 });

describe('comments', () => {
  const api = useDemoDocumentApi('comments', ['delegate.seoul', 'head.seoul', 'head.barcelona', 'observer', 'chair']);
  const post = (account: string, path: string, body?: unknown) => api.request(account, path, { method: 'POST', body });
  const list = async (account: string) =>
    ((await (await fetch(`${api.server.url}/api/documents/${api.documentId}/comments`, { headers: { cookie: api.cookies[account] ?? '' } })).json()) as { comments: TCommentView[] }).comments;
  const thread = (body: string, visibility: 'all' | 'delegation') => ({ anchorStart: ANCHOR, anchorEnd: ANCHOR, quote: 'climate finance', body, visibility });

  test('a public thread is seen by everyone, replies join it, and its author resolves it', async () => {
    const created = await post('head.barcelona', '', thread('Can we name the development banks here?', 'all'));
    assert.equal(created.status, 201);
    const { id } = (await created.json()) as { id: string };
    assert.equal((await post('observer', '', { replyTo: id, body: 'UN-Habitat supports naming them.' })).status, 201);
    for (const account of ['delegate.seoul', 'observer', 'chair']) {
      const visible = (await list(account)).filter((comment) => comment.threadId === id);
      assert.deepEqual(visible.map((comment) => comment.body), ['Can we name the development banks here?', 'UN-Habitat supports naming them.'], account);
    }
    assert.equal((await post('delegate.seoul', `/${id}/resolve`)).status, 403, 'not the author, not the chair');
    assert.equal((await post('head.barcelona', `/${id}/resolve`)).status, 204);
    assert.notEqual((await list('observer')).find((comment) => comment.id === id)?.resolvedAt, null);
  });

  test('[T11] a delegation-internal thread reaches only that delegation, also through replies and resolution', async () => {
    const created = await post('delegate.seoul', '', thread('Our capital will not accept this wording.', 'delegation'));
    const { id } = (await created.json()) as { id: string };
    assert.ok((await list('head.seoul')).some((comment) => comment.id === id), 'the same delegation sees it');
    for (const account of ['head.barcelona', 'observer', 'chair']) {
      assert.ok(!(await list(account)).some((comment) => comment.id === id || comment.body.includes('capital')), `${account} must not see it`);
      assert.equal((await post(account, '', { replyTo: id, body: 'peek' })).status, 404);
      assert.equal((await post(account, `/${id}/resolve`)).status, 404);
    }
    assert.equal((await post('head.seoul', '', { replyTo: id, body: 'Agreed, hold the line.' })).status, 201);
    const reply = (await list('head.seoul')).find((comment) => comment.body === 'Agreed, hold the line.');
    assert.equal(reply?.visibility, 'delegation', 'a reply inherits the thread’s visibility');
  });

  test('[T28][T29] markup is stored as text; bad input and foreign fields are refused; nothing is stored', async () => {
    const count = () => withServerDatabase(api.server, (db) => (db.prepare('SELECT COUNT(*) AS n FROM comments').get() as { n: number }).n);
    const before = count();
    assert.equal((await post('observer', '', thread('', 'all'))).status, 400, 'empty body');
    assert.equal((await post('chair', '', thread('internal note', 'delegation'))).status, 400, 'no delegation to keep it to');
    assert.equal((await post('observer', '', { ...thread('x', 'all'), authorId: 'someone' })).status, 400);
    assert.equal((await post('observer', '', { ...thread('x', 'all'), anchorStart: 'not json' })).status, 400);
    assert.equal((await post('observer', '', { replyTo: '00000000-0000-4000-8000-000000000000', body: 'x' })).status, 404);
    assert.equal(count(), before);
    const created = await post('observer', '', thread('<img src=x onerror=alert(1)>', 'all'));
    const { id } = (await created.json()) as { id: string };
    assert.equal((await list('chair')).find((comment) => comment.id === id)?.body, '<img src=x onerror=alert(1)>');
  });
});
