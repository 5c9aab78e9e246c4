/**
 * THREATS A: what a session cookie must be (T4, T7) and that no header or path trick stands in for
 * one (T6). Pages and sockets are both checked, since they decode the cookie in different code.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { encode } from 'next-auth/jwt';
import { demoEmail, demoNegotiations, DEMO_PASSWORD, userIdOf, withServerDatabase, type TDemoNegotiations } from '../helpers/demo-data';
import { Browserless, rawRequest, SESSION_COOKIE } from '../helpers/http';
import { connectSocket } from '../helpers/live';
import { startServer, type TRunningServer } from '../helpers/server';

describe('session tokens', () => {
  let server: TRunningServer;
  let secret: string;
  let ids: TDemoNegotiations;

  before(async () => {
    // As behind a TLS-terminating reverse proxy: X-Forwarded-Proto/-Host are believed (TRUST_PROXY).
    server = await startServer({ env: { TRUST_PROXY: 'true' } });
    secret = fs.readFileSync(path.join(server.dataDir, 'auth-secret'), 'utf8').trim();
    ids = demoNegotiations(server);
  });
  after(async () => {
    await server.stop();
  });

  /** A session JWT as Auth.js would issue it, with chosen claims, secret and salt. */
  function forge(token: Record<string, unknown>, options: { secret?: string; salt?: string } = {}): Promise<string> {
    return encode({ token, secret: options.secret ?? secret, salt: options.salt ?? SESSION_COOKIE });
  }

  /** Whether `cookie` (a whole Cookie header) gets the dashboard and a welcomed socket. */
  async function accepted(cookie: string): Promise<{ page: boolean; socket: boolean }> {
    const response = await fetch(`${server.url}/dashboard`, { headers: { cookie }, redirect: 'manual' });
    const body = await response.text();
    const page = response.status === 200 && /Metropolis Annual Meeting/.test(body);
    if (!page) {
      assert.equal(response.status, 307);
      assert.match(response.headers.get('location') ?? '', /^\/signin/);
    }
    const outcome = await connectSocket(server.url, { cookie });
    outcome.socket.close();
    if (outcome.kind === 'refused') assert.equal(outcome.message, 'unauthenticated');
    return { page, socket: outcome.kind === 'welcome' };
  }

  const REFUSED = { page: false, socket: false };
  const ACCEPTED = { page: true, socket: true };

  test('[T7] control: a token with our claims, sealed with the server secret, is accepted', async () => {
    const uid = userIdOf(server, demoEmail('delegate.seoul'));
    const token = await forge({ sub: uid, uid, authAt: Date.now(), sid: randomUUID() });
    assert.deepEqual(await accepted(`${SESSION_COOKIE}=${token}`), ACCEPTED);
  });

  test('[T7] a token with our claims sealed with another secret is refused by pages and sockets', async () => {
    const uid = userIdOf(server, demoEmail('delegate.seoul'));
    const token = await forge({ sub: uid, uid, authAt: Date.now(), sid: randomUUID() }, { secret: randomBytes(32).toString('base64url') });
    assert.deepEqual(await accepted(`${SESSION_COOKIE}=${token}`), REFUSED);
  });

  test('[T7][H12] a valid-secret token without our uid/authAt/sid claims is refused', async () => {
    const uid = userIdOf(server, demoEmail('delegate.seoul'));
    const claimsLikeAuthJsDefaults = { sub: uid, name: 'Delegate of Seoul', email: demoEmail('delegate.seoul') };
    assert.deepEqual(await accepted(`${SESSION_COOKIE}=${await forge(claimsLikeAuthJsDefaults)}`), REFUSED);
    assert.deepEqual(await accepted(`${SESSION_COOKIE}=${await forge({ ...claimsLikeAuthJsDefaults, uid })}`), REFUSED, 'uid without authAt');
    assert.deepEqual(await accepted(`${SESSION_COOKIE}=${await forge({ ...claimsLikeAuthJsDefaults, authAt: Date.now() })}`), REFUSED, 'authAt without uid');
    assert.deepEqual(await accepted(`${SESSION_COOKIE}=${await forge({ uid, authAt: String(Date.now()) })}`), REFUSED, 'authAt as a string');
    assert.deepEqual(await accepted(`${SESSION_COOKIE}=${await forge({ uid: [uid], authAt: Date.now() })}`), REFUSED, 'uid as an array');
    assert.deepEqual(await accepted(`${SESSION_COOKIE}=${await forge({ uid: 'no-such-user', authAt: Date.now(), sid: randomUUID() })}`), REFUSED, 'unknown uid');
    // A token that names no sign-in could not be ended by signing out (H12), so it is not accepted.
    assert.deepEqual(await accepted(`${SESSION_COOKIE}=${await forge({ sub: uid, uid, authAt: Date.now() })}`), REFUSED, 'no sid');
    assert.deepEqual(await accepted(`${SESSION_COOKIE}=${await forge({ sub: uid, uid, authAt: Date.now(), sid: 7 })}`), REFUSED, 'sid as a number');
  });

  test('[T7] another Auth.js-issued JWT (state / PKCE / callback cookie salt) cannot serve as the session', async () => {
    const uid = userIdOf(server, demoEmail('delegate.seoul'));
    for (const salt of ['authjs.pkce.code_verifier', 'authjs.state', 'authjs.nonce', 'authjs.callback-url', '']) {
      const token = await forge({ sub: uid, uid, authAt: Date.now(), sid: randomUUID() }, { salt });
      assert.deepEqual(await accepted(`${SESSION_COOKIE}=${token}`), REFUSED, `salt "${salt}"`);
    }
  });

  test('[T7] a token of a disabled account is refused although its claims are otherwise valid', async () => {
    const email = demoEmail('head.johannesburg');
    const client = new Browserless(server.url);
    assert.equal(await client.signIn(email, DEMO_PASSWORD), true);
    assert.deepEqual(await accepted(client.cookieHeader()), ACCEPTED, 'control: accepted before disabling');
    withServerDatabase(server, (db) => db.prepare('UPDATE users SET disabled_at = ? WHERE email = ?').run(Date.now(), email), true);
    assert.deepEqual(await accepted(client.cookieHeader()), REFUSED);
    assert.equal(await new Browserless(server.url).signIn(email, DEMO_PASSWORD), false, 'a disabled account cannot sign in again');
  });

  test('[T6] x-middleware-subrequest and other internal Next.js headers give no bypass to a signed-out request', async () => {
    const bypassHeaders: Record<string, string>[] = [
      { 'x-middleware-subrequest': 'middleware' },
      { 'x-middleware-subrequest': 'middleware:middleware:middleware:middleware:middleware' },
      { 'x-middleware-subrequest': 'src/middleware:src/middleware:src/middleware:src/middleware:src/middleware' },
      { 'x-middleware-subrequest': 'proxy:proxy:proxy:proxy:proxy' },
      { 'x-middleware-subrequest': 'pages/_middleware' },
      { 'X-Middleware-Subrequest': 'middleware', 'x-middleware-subrequest-id': 'x' },
      { 'x-invoke-path': '/dashboard', 'x-invoke-status': '200', 'x-invoke-output': '/dashboard' },
      { 'x-now-route-matches': '1', 'x-matched-path': '/dashboard' },
      { 'x-middleware-prefetch': '1', purpose: 'prefetch' },
    ];
    const pages = ['/dashboard', '/account', `/negotiations/${ids.metropolis}`, `/negotiations/${ids.metropolis}/members`];
    for (const headers of bypassHeaders) {
      for (const pathname of pages) {
        const response = await fetch(`${server.url}${pathname}`, { headers, redirect: 'manual' });
        const body = await response.text();
        const label = `${pathname} with ${JSON.stringify(headers)}`;
        assert.doesNotMatch(body, /Metropolis Annual Meeting|Delegate of|head\.[a-z]+@demo/, label);
        if ('x-middleware-prefetch' in headers) {
          // Next.js answers a middleware prefetch with an empty `{}` and renders nothing.
          assert.equal(body, '{}', label);
          continue;
        }
        assert.equal(response.status, 307, label);
        assert.match(response.headers.get('location') ?? '', /^\/signin\?/, label);
      }
      const route = await fetch(`${server.url}/api/account/sign-out-everywhere`, { method: 'POST', headers: { ...headers, origin: server.url } });
      const routeBody = await route.text();
      if ('x-middleware-prefetch' in headers) assert.equal(routeBody, '{}', 'a prefetch never reaches the handler');
      else assert.equal(route.status, 401, `route with ${JSON.stringify(headers)}`);
    }
  });

  test('[T6] the bypass header does not lift a role check either (delegate stays at 403)', async () => {
    const delegate = new Browserless(server.url);
    assert.equal(await delegate.signIn(demoEmail('delegate.barcelona'), DEMO_PASSWORD), true);
    for (const screen of ['members', 'delegations', 'sessions/new', 'documents/new']) {
      const response = await delegate.fetch(`/negotiations/${ids.metropolis}/${screen}`, {
        headers: { 'x-middleware-subrequest': 'middleware:middleware:middleware:middleware:middleware' },
      });
      await response.body?.cancel();
      assert.equal(response.status, 403, screen);
    }
    const other = await delegate.fetch(`/negotiations/${ids.twinning}`, { headers: { 'x-middleware-subrequest': 'middleware' } });
    await other.body?.cancel();
    assert.equal(other.status, 404);
  });

  test('[T6] crafted locale, case, suffix and RSC variants of a protected path serve nothing signed out', async () => {
    const variants: [string, Record<string, string>][] = [
      ['/en/dashboard', {}],
      ['/fr/dashboard', {}],
      [`/en/negotiations/${ids.metropolis}`, {}],
      ['/DASHBOARD', {}],
      ['/dashboard/', {}],
      ['/dashboard.rsc', {}],
      ['/dashboard.json', {}],
      ['/%64ashboard', {}],
      ['/dashboard;x', {}],
      ['/_next/data/build/dashboard.json', {}],
      ['/dashboard', { rsc: '1' }],
      ['/dashboard?_rsc=1', { rsc: '1', 'next-router-prefetch': '1' }],
      [`/negotiations/${ids.metropolis}`, { rsc: '1', 'next-router-state-tree': '%5B%22%22%5D' }],
      ['/dashboard', { 'next-action': 'x', 'content-type': 'text/plain' }],
    ];
    for (const [pathname, headers] of variants) {
      const response = await fetch(`${server.url}${pathname}`, { headers, redirect: 'manual' });
      const body = await response.text();
      const label = `${pathname} ${JSON.stringify(headers)}`;
      assert.ok([307, 308, 404, 400, 405].includes(response.status) || (response.status === 200 && !/Metropolis/.test(body)), `${label}: ${response.status}`);
      assert.doesNotMatch(body, /Metropolis Annual Meeting|Delegate of|head\.[a-z]+@demo/, label);
      assert.notEqual(response.status, 500, label);
    }
  });

  test('[T4] session cookies are HttpOnly and SameSite=Lax over HTTP, and __Secure-/Secure behind HTTPS', async () => {
    const plain = await fetch(`${server.url}/api/auth/csrf`);
    const csrf = (await plain.json()) as { csrfToken: string };
    const cookies = plain.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
    const response = await fetch(`${server.url}/api/auth/callback/credentials`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies },
      body: new URLSearchParams({ email: demoEmail('chair'), password: DEMO_PASSWORD, csrfToken: csrf.csrfToken }),
    });
    const session = response.headers.getSetCookie().find((line) => line.startsWith(`${SESSION_COOKIE}=`));
    assert.ok(session, 'a session cookie is set');
    assert.match(session, /; HttpOnly/i);
    assert.match(session, /; SameSite=Lax/i);
    assert.match(session, /; Path=\//i);

    const https = { 'x-forwarded-proto': 'https' };
    const secureCsrf = await fetch(`${server.url}/api/auth/csrf`, { headers: https });
    const secureToken = (await secureCsrf.json()) as { csrfToken: string };
    const secureCookies = secureCsrf.headers.getSetCookie();
    assert.ok(secureCookies.some((line) => /^__Host-authjs\.csrf-token=.*; Secure/i.test(line)), 'the CSRF cookie is __Host- and Secure');
    const secureResponse = await fetch(`${server.url}/api/auth/callback/credentials`, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...https, 'content-type': 'application/x-www-form-urlencoded', cookie: secureCookies.map((line) => line.split(';')[0]).join('; ') },
      body: new URLSearchParams({ email: demoEmail('chair'), password: DEMO_PASSWORD, csrfToken: secureToken.csrfToken }),
    });
    const secureSession = secureResponse.headers.getSetCookie().find((line) => line.startsWith(`__Secure-${SESSION_COOKIE}=`));
    assert.ok(secureSession, 'behind HTTPS the session cookie is __Secure-');
    assert.match(secureSession, /; Secure/i);
    assert.match(secureSession, /; HttpOnly/i);

    // The socket accepts the __Secure- cookie too (browsers send it with the wss:// upgrade).
    const outcome = await connectSocket(server.url, { cookie: secureSession.split(';')[0] });
    outcome.socket.close();
    assert.equal(outcome.kind, 'welcome');
  });

  /** Signs in through /api/auth with a chosen Host (and other) headers; returns the redirect. */
  async function signInWithHost(headers: Record<string, string>): Promise<{ location: string; setCookies: string[] }> {
    const csrf = await rawRequest(server.url, { path: '/api/auth/csrf', headers });
    const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
    const cookie = ([csrf.headers['set-cookie'] ?? []].flat() as string[]).map((line) => line.split(';')[0]).join('; ');
    const body = new URLSearchParams({ email: demoEmail('observer'), password: DEMO_PASSWORD, csrfToken, callbackUrl: '/negotiations' }).toString();
    const response = await rawRequest(server.url, {
      method: 'POST',
      path: '/api/auth/callback/credentials',
      headers: { ...headers, cookie, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) },
      body,
    });
    assert.equal(response.status, 302);
    return { location: String(response.headers.location), setCookies: [response.headers['set-cookie'] ?? []].flat() as string[] };
  }

  test('[T4] Auth.js redirects go to the origin the browser used, not Next.js\'s default localhost:3000', async () => {
    const direct = await signInWithHost({ host: `proxenia.test:${server.port}` });
    assert.equal(direct.location, `http://proxenia.test:${server.port}/negotiations`);
    assert.ok(direct.setCookies.some((line) => line.startsWith(`${SESSION_COOKIE}=`)));
    // Behind a TLS-terminating proxy: the https origin, and the __Secure- cookie that goes with it.
    const proxied = await signInWithHost({ host: `127.0.0.1:${server.port}`, 'x-forwarded-host': 'proxenia.example.org', 'x-forwarded-proto': 'https' });
    assert.equal(proxied.location, 'https://proxenia.example.org/negotiations');
    assert.ok(proxied.setCookies.some((line) => line.startsWith(`__Secure-${SESSION_COOKIE}=`)));
  });
});
