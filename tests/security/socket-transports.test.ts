/**
 * THREATS T2, T3 / PROTOCOL H11: the socket endpoint serves WebSocket only. HTTP long-polling — and
 * its JSONP variant, which a <script> tag on a same-site page can drive with the victim's cookie and
 * no Origin header — is not served, so no engine.io session exists whose later requests would escape
 * the Origin check of the first. Every answer under /socket.io/ carries the security headers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import { PROTOCOL_VERSION, SOCKET_PATH } from '../../lib/shared/protocol';
import { socketParser } from '../../lib/shared/socket-parser';
import { demoEmail, DEMO_PASSWORD } from '../helpers/demo-data';
import { Browserless, rawRequest, type TRawResponse } from '../helpers/http';
import { connectSocket } from '../helpers/live';
import { startServer, type TRunningServer } from '../helpers/server';

/** How a real socket.io client limited to the given transports fared: welcomed, or refused with a reason. */
function pollingClientOutcome(server: TRunningServer, headers: Record<string, string>): Promise<string> {
  const socket = io(server.url, {
    path: SOCKET_PATH,
    parser: socketParser,
    transports: ['polling'],
    reconnection: false,
    forceNew: true,
    extraHeaders: headers,
    auth: { protocol: PROTOCOL_VERSION },
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('the polling client was neither welcomed nor refused in time'));
    }, 5_000);
    const settle = (outcome: string) => {
      clearTimeout(timer);
      socket.close();
      resolve(outcome);
    };
    socket.once('session:welcome', () => settle('welcome'));
    socket.once('connect_error', (error: Error) => settle(`refused: ${error.message}`));
  });
}

function assertSecurityHeaders(headers: TRawResponse['headers'], label: string): void {
  assert.equal(headers['x-content-type-options'], 'nosniff', `${label}: nosniff`);
  assert.match(String(headers['content-security-policy']), /default-src 'none'/, `${label}: CSP`);
  assert.match(String(headers['content-security-policy']), /frame-ancestors 'none'/, `${label}: CSP frame-ancestors`);
  assert.equal(headers['cache-control'], 'no-store', `${label}: no-store`);
}

describe('socket transports', () => {
  let server: TRunningServer;
  let cookie: string;
  let own: string;

  before(async () => {
    server = await startServer();
    own = server.url;
    const client = new Browserless(server.url);
    assert.equal(await client.signIn(demoEmail('delegate.montreal'), DEMO_PASSWORD), true);
    cookie = client.cookieHeader();
  });
  after(async () => {
    await server.stop();
  });

  test('[H11][T2] a real socket.io polling client with the victim\'s cookie gets no connection, without Origin, from a sibling or even from the own origin', async () => {
    const attempts: Record<string, string>[] = [{ cookie }, { cookie, origin: `http://evil.localhost:${server.port}` }, { cookie, origin: own }];
    for (const headers of attempts) {
      const outcome = await pollingClientOutcome(server, headers);
      assert.match(outcome, /^refused/, JSON.stringify({ ...headers, cookie: '…' }));
    }
    // Control: the same cookie over WebSocket from the own origin is welcomed.
    const outcome = await connectSocket(server.url, { cookie });
    outcome.socket.close();
    assert.equal(outcome.kind, 'welcome');
  });

  test('[H11][T2] the JSONP handshake a <script> tag would send (cookie, no Origin) opens no engine.io session', async () => {
    for (const query of ['EIO=4&transport=polling&j=0', 'EIO=3&transport=polling&j=0&b64=1', 'EIO=4&transport=polling']) {
      const response = await rawRequest(server.url, { path: `${SOCKET_PATH}/?${query}`, headers: { cookie } });
      assert.equal(response.status, 400, query);
      assert.doesNotMatch(response.body, /sid/, query);
      assert.doesNotMatch(response.body, /___eio/, `${query}: no script is served`);
    }
  });

  test('[H11][T2] the data POSTs of a JSONP or polling session, from a foreign or no Origin, are refused and reach no socket', async () => {
    // What the probe did: a JSONP handshake with the cookie and no Origin, then `d=` POSTs from
    // another origin. No such session may exist; nor may a WebSocket session's id be driven over polling.
    const handshake = await rawRequest(server.url, { path: `${SOCKET_PATH}/?EIO=4&transport=polling&j=0`, headers: { cookie } });
    // JSONP wraps the open packet in a script string, quotes escaped.
    const jsonpSid = /sid\\?":\\?"([\w-]+)/.exec(handshake.body)?.[1];
    const client = await connectSocket(server.url, { cookie });
    assert.equal(client.kind, 'welcome');
    const events: string[] = [];
    client.socket.onAny((event: string) => events.push(event));
    for (const sid of [jsonpSid, client.socket.io.engine.id].filter((id): id is string => Boolean(id))) {
      for (const headers of [{ origin: 'https://evil.example' }, {}] as Record<string, string>[]) {
        for (const [query, body] of [
          [`EIO=4&transport=polling&j=0&sid=${sid}`, `d=${encodeURIComponent('40')}`],
          [`EIO=4&transport=polling&sid=${sid}`, '40'],
        ] as const) {
          const response = await rawRequest(server.url, {
            method: 'POST',
            path: `${SOCKET_PATH}/?${query}`,
            headers: { ...headers, cookie, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) },
            body,
          });
          assert.equal(response.status, 400, `${query} ${JSON.stringify(headers)}: ${response.body}`);
          assert.notEqual(response.body, 'ok');
        }
      }
    }
    assert.equal(client.socket.connected, true, 'the WebSocket of the same user is untouched');
    assert.deepEqual(events, []);
    client.socket.close();
  });

  test('[H11] every answer under /socket.io/ carries nosniff, a closed CSP and no-store: refusals and the WebSocket upgrade too', async () => {
    const answers: [string, TRawResponse][] = [
      ['JSONP handshake', await rawRequest(server.url, { path: `${SOCKET_PATH}/?EIO=4&transport=polling&j=0`, headers: { cookie } })],
      ['foreign origin', await rawRequest(server.url, { path: `${SOCKET_PATH}/?EIO=4&transport=websocket`, headers: { origin: 'https://evil.example' } })],
      ['no transport', await rawRequest(server.url, { path: `${SOCKET_PATH}/` })],
    ];
    for (const [label, response] of answers) {
      assert.ok(response.status >= 400, `${label}: refused (${response.status})`);
      assertSecurityHeaders(response.headers, label);
    }
    const upgraded = await new Promise<TRawResponse['headers']>((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${server.port}${SOCKET_PATH}/?EIO=4&transport=websocket`, { headers: { origin: own, cookie } });
      socket.once('upgrade', (response) => resolve(response.headers));
      socket.once('open', () => socket.close());
      socket.once('error', reject);
    });
    assertSecurityHeaders(upgraded, 'WebSocket upgrade');
  });
});
