/**
 * THREATS T4: with an HTTPS public address, plain HTTP only redirects there, sockets need HTTPS, and
 * the session cookie is `__Host-`. And forwarded headers are believed only from a trusted proxy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { demoEmail, DEMO_PASSWORD } from '../helpers/demo-data';
import { rawRequest } from '../helpers/http';
import { startServer, type TRunningServer } from '../helpers/server';

const PUBLIC = 'https://proxenia.example.org';

/** Signs in through /api/auth with the given headers on every request; returns the redirect and cookies. */
async function signIn(server: TRunningServer, headers: Record<string, string>) {
  const csrf = await rawRequest(server.url, { path: '/api/auth/csrf', headers });
  assert.equal(csrf.status, 200);
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const cookie = ([csrf.headers['set-cookie'] ?? []].flat() as string[]).map((line) => line.split(';')[0]).join('; ');
  const body = new URLSearchParams({ email: demoEmail('observer'), password: DEMO_PASSWORD, csrfToken, callbackUrl: '/dashboard' }).toString();
  const response = await rawRequest(server.url, {
    method: 'POST',
    path: '/api/auth/callback/credentials',
    headers: { ...headers, cookie, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) },
    body,
  });
  return { location: String(response.headers.location), setCookies: [response.headers['set-cookie'] ?? []].flat() as string[] };
}

describe('an HTTPS deployment behind a TLS-terminating proxy', () => {
  let server: TRunningServer;
  before(async () => {
    server = await startServer({ env: { PUBLIC_URL: PUBLIC, TRUST_PROXY: 'true' } });
  });
  after(async () => {
    await server.stop();
  });

  test('[T4] a plain HTTP request is redirected to the HTTPS public address, path kept', async () => {
    const response = await rawRequest(server.url, { path: '/dashboard?x=1', headers: { host: 'proxenia.example.org' } });
    assert.equal(response.status, 308);
    assert.equal(response.headers.location, `${PUBLIC}/dashboard?x=1`);
  });

  test('[T4] the health check still answers over HTTP for the load balancer', async () => {
    const response = await rawRequest(server.url, { path: '/api/health' });
    assert.equal(response.status, 200);
  });

  test('[T4] a socket over plain HTTP is refused before any session is created', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.1:${server.port}/socket.io/?EIO=4&transport=websocket`, { headers: { origin: PUBLIC, host: 'proxenia.example.org' } });
      socket.once('open', () => {
        socket.close();
        resolve('opened');
      });
      socket.once('unexpected-response', (_request, response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve(`${response.statusCode} ${body}`));
      });
      socket.once('error', (error) => resolve(error.message));
    });
    assert.equal(outcome, '400 https required');
  });

  test('[T4] over HTTPS the session cookie is __Host-, Secure, HttpOnly, whole-site, and HSTS is sent', async () => {
    const https = { host: 'proxenia.example.org', 'x-forwarded-proto': 'https' };
    const { location, setCookies } = await signIn(server, https);
    assert.equal(location, `${PUBLIC}/dashboard`);
    const session = setCookies.find((line) => line.startsWith('__Host-authjs.session-token='));
    assert.ok(session, `a __Host- session cookie in ${setCookies.join(' | ')}`);
    assert.match(session, /; Secure/i);
    assert.match(session, /; HttpOnly/i);
    assert.match(session, /; Path=\//i);
    assert.doesNotMatch(session, /; Domain=/i);
    const page = await rawRequest(server.url, { path: '/signin', headers: https });
    assert.match(String(page.headers['strict-transport-security']), /max-age=\d+/);
  });
});

describe('a direct deployment (no trusted proxy)', () => {
  let server: TRunningServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.stop();
  });

  test('[T4][T6] X-Forwarded-Host/-Proto sent by a client are ignored: redirects stay on the real host', async () => {
    const host = `proxenia.test:${server.port}`;
    const { location, setCookies } = await signIn(server, { host, 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' });
    assert.equal(location, `http://${host}/dashboard`);
    assert.ok(setCookies.some((line) => line.startsWith('authjs.session-token=')), 'the plain-HTTP cookie name, not a spoofed __Secure- one');
  });
});
