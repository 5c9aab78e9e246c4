/**
 * PROTOCOL H14, H15, V2: server actions follow the route handlers' origin rule (an Origin of the
 * same scheme and host is required); a malformed Origin is a 400 and arguments that are not a form a
 * form error, never a 500; bodies are capped before they are parsed; and a session of another negotiation does not exist for the media-token
 * route, as for every other route (no existence oracle, THREATS T11).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { demoNegotiations, signedInDemo, withServerDatabase } from '../helpers/demo-data';
import { startServer, type TRunningServer } from '../helpers/server';
import { postAction } from '../helpers/server-actions';

describe('request guards', () => {
  let server: TRunningServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.stop();
  });

  const signedIn = (local: string) => signedInDemo(server, local);

  test('[H14][T15] a server action without Origin, from the other scheme of the same host, a sibling or a foreign origin is refused (403) and does nothing', async () => {
    const client = await signedIn('head.montreal');
    const cookie = client.cookieHeader();
    const ownHost = new URL(server.url).host;
    for (const origin of [null, `https://${ownHost}`, `http://evil.localhost:${server.port}`, `http://127.0.0.1:${server.port + 1}`, 'https://evil.example']) {
      const response = await postAction(server.url, '/account', 'signOutEverywhereAction', { headers: { cookie, origin } });
      assert.equal(response.status, 403, String(origin));
      assert.deepEqual(await response.json(), { error: 'forbidden' });
      assert.equal(await client.status('/dashboard'), 200, `${origin}: still signed in`);
    }
    // Control: from the own origin the same request signs out everywhere.
    const response = await postAction(server.url, '/account', 'signOutEverywhereAction', { headers: { cookie } });
    await response.body?.cancel();
    assert.ok(response.status < 400, `the action ran (${response.status})`);
    assert.equal(await client.status('/dashboard'), 307);
  });

  test('[H15] an Origin that is not a URL answers 400 before any action runs', async () => {
    for (const origin of ['not a url', 'null', 'http://']) {
      const response = await postAction(server.url, '/signin', 'signInAction', { headers: { origin } });
      assert.equal(response.status, 400, origin);
      assert.deepEqual(await response.json(), { error: 'invalid_input' });
    }
  });

  test('[H15] action arguments that are not the form the action takes get the form error invalid_input, not a crash', async () => {
    const notAForm = new FormData();
    notAForm.append('0', JSON.stringify(['$undefined', 'x']));
    // As text (how React sends arguments without a form) and as a form whose arguments are something else.
    for (const [label, request] of [
      ['no arguments', { headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: '[]' }],
      ['nulls', { headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: '[null,null]' }],
      ['a string for the form', { body: notAForm }],
    ] as const) {
      const response = await postAction(server.url, '/signin', 'signInAction', request);
      const text = await response.text();
      assert.equal(response.status, 200, label);
      assert.match(text, /"code":"invalid_input"/, label);
    }
    assert.doesNotMatch(server.output(), /"event":"(action\.failed|http\.unhandled)"/);
  });

  test('[V2][T11] the media-token route answers a session of another negotiation exactly as an unknown one (404)', async () => {
    const client = await signedIn('head.montreal');
    const twinning = withServerDatabase(server, (db) => (db.prepare('SELECT id FROM negotiation_sessions WHERE negotiation_id = ?').get(demoNegotiations(server).twinning) as { id: string }).id);
    const answers = [];
    for (const sessionId of [twinning, randomUUID()]) {
      const response = await client.fetch(`/api/sessions/${sessionId}/media-token`, { method: 'POST', headers: { origin: server.url, 'content-type': 'application/json' }, body: '{}' });
      answers.push({ status: response.status, body: await response.json() });
    }
    assert.deepEqual(answers[0], { status: 404, body: { error: 'not_found', fields: {} } });
    assert.deepEqual(answers[0], answers[1]);
  });
  test('[H15] a route handler refuses a 5 MB JSON body with 413 before parsing it, with or without Content-Length', async () => {
    const client = await signedIn('delegate.montreal');
    const huge = JSON.stringify({ language: 'x'.repeat(5_000_000) });
    const target = `/api/sessions/${randomUUID()}/media-token`;
    const sized = await client.fetch(target, { method: 'POST', headers: { origin: server.url, 'content-type': 'application/json' }, body: huge });
    assert.equal(sized.status, 413);
    assert.deepEqual(await sized.json(), { error: 'payload_too_large', fields: {} });
    const bytes = new TextEncoder().encode(huge);
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 65_536) controller.enqueue(bytes.subarray(at, at + 65_536));
        controller.close();
      },
    });
    const streamed = await client.fetch(target, { method: 'POST', headers: { origin: server.url, 'content-type': 'application/json' }, body: chunked, duplex: 'half' } as RequestInit);
    assert.equal(streamed.status, 413);
    // Control: a body of ordinary size is read and judged on its content.
    const small = await client.fetch(target, { method: 'POST', headers: { origin: server.url, 'content-type': 'application/json' }, body: '{}' });
    await small.body?.cancel();
    assert.equal(small.status, 404);
  });

});
