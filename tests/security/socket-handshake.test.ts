/**
 * THREATS A: the socket handshake (PROTOCOL H1–H3, H5). Every refusal happens before a room is
 * joined and before anything but the refusal reaches the client.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { PROTOCOL_VERSION, SOCKET_PATH } from '../../lib/shared/protocol';
import { demoEmail, DEMO_PASSWORD, userIdOf } from '../helpers/demo-data';
import { Browserless } from '../helpers/http';
import { connectSocket, type TConnectOutcome } from '../helpers/live';
import { startServer, type TRunningServer } from '../helpers/server';

/**
 * An engine.io WebSocket handshake with chosen Host and Origin headers (fetch cannot set Host):
 * 'upgraded', or the reason the server gave for refusing the upgrade.
 */
function upgradeHandshake(server: TRunningServer, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.request({
      host: '127.0.0.1',
      port: server.port,
      path: `${SOCKET_PATH}/?EIO=4&transport=websocket`,
      agent: false,
      headers: { ...headers, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': randomBytes(16).toString('base64') },
    });
    request.once('upgrade', (_response, socket) => {
      socket.destroy();
      resolve('upgraded');
    });
    request.once('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(`${response.statusCode} ${body}`));
    });
    request.once('error', reject);
    request.end();
  });
}

function assertRefused(outcome: TConnectOutcome, message?: string): void {
  outcome.socket.close();
  assert.equal(outcome.kind, 'refused', 'the server welcomed a connection it must refuse');
  if (message !== undefined && outcome.kind === 'refused') assert.equal(outcome.message, message);
}

describe('socket handshake', () => {
  let server: TRunningServer;
  let cookie: string;
  let userId: string;

  before(async () => {
    // PUBLIC_URL gives the allowlist an entry whose sibling subdomains can be tried (T3).
    server = await startServer({ env: { PUBLIC_URL: 'http://proxenia.example.org' } });
    const client = new Browserless(server.url);
    assert.equal(await client.signIn(demoEmail('delegate.montreal'), DEMO_PASSWORD), true);
    cookie = client.cookieHeader();
    userId = userIdOf(server, demoEmail('delegate.montreal'));
  });
  after(async () => {
    await server.stop();
  });

  test('[T1] a socket without a session cookie gets connect_error "unauthenticated" and nothing else', async () => {
    assertRefused(await connectSocket(server.url), 'unauthenticated');
    assertRefused(await connectSocket(server.url, { origin: null }), 'unauthenticated');
  });

  test('[T1] a garbage session cookie is refused like a missing one', async () => {
    for (const value of ['garbage', 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2Q0JDLUhTNTEyIn0..x.y.z', '%E0%A4%A', '']) {
      assertRefused(await connectSocket(server.url, { cookie: `authjs.session-token=${value}` }), 'unauthenticated');
    }
    assert.match(server.output(), /"event":"socket.unauthenticated"/);
  });

  test('[T1] a valid session cookie is welcomed with its own user id (H5)', async () => {
    const outcome = await connectSocket(server.url, { cookie });
    outcome.socket.close();
    assert.equal(outcome.kind, 'welcome');
    if (outcome.kind !== 'welcome') return;
    assert.deepEqual(outcome.welcome, { userId, name: 'Delegate of Montréal', protocol: PROTOCOL_VERSION });
  });

  test('[T2] a cross-site Origin cannot open a socket even with the victim\'s cookie', async () => {
    for (const origin of ['https://evil.example', 'null', 'http://127.0.0.1', `http://127.0.0.1:${server.port + 1}`, 'not a url']) {
      assertRefused(await connectSocket(server.url, { cookie, origin }));
    }
    assert.match(server.output(), /"event":"socket.origin_refused","origin":"https:\/\/evil.example"/);
  });

  test('[T2] the refusal answers the upgrade request itself: no WebSocket, so no engine.io session, is created', async () => {
    // engine.io answers every refused upgrade with 400 and the reason (H1, H11).
    const refused = await upgradeHandshake(server, { host: `127.0.0.1:${server.port}`, origin: 'https://evil.example', cookie });
    assert.equal(refused, '400 origin not allowed');
    const allowed = await upgradeHandshake(server, { host: `127.0.0.1:${server.port}`, origin: `http://127.0.0.1:${server.port}` });
    assert.equal(allowed, 'upgraded', 'control: the server\'s own origin must be accepted');
  });

  test('[T3] a sibling origin (same site, other host) is refused although SameSite cookies would flow', async () => {
    for (const origin of [
      `http://evil.localhost:${server.port}`,
      `http://sub.127.0.0.1.nip.io:${server.port}`,
      `http://127.0.0.1.evil.example:${server.port}`,
    ]) {
      assertRefused(await connectSocket(server.url, { cookie, origin }));
    }
  });

  test('[T3] only the exact PUBLIC_URL origin is allowed, not its subdomains or parent', async () => {
    const host = { host: 'proxenia.example.org' };
    for (const origin of ['http://evil.proxenia.example.org', 'http://example.org', 'http://proxenia.example.org.evil.example', 'http://proxenia.example.org:8443', 'https://proxenia.example.org']) {
      assert.equal(await upgradeHandshake(server, { ...host, origin }), '400 origin not allowed', origin);
    }
    assert.equal(await upgradeHandshake(server, { ...host, origin: 'http://proxenia.example.org' }), 'upgraded', 'control: PUBLIC_URL is allowed');
  });

  test('[T13] a client of another protocol version gets connect_error "update_required"', async () => {
    for (const protocol of [PROTOCOL_VERSION + 1, 0, String(PROTOCOL_VERSION), null, { version: PROTOCOL_VERSION }]) {
      assertRefused(await connectSocket(server.url, { cookie, protocol }), 'update_required');
    }
  });

  test('[T13] a client that sends no version at all is refused the same way', async () => {
    assertRefused(await connectSocket(server.url, { cookie, protocol: undefined }), 'update_required');
  });
});
