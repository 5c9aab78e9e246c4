/**
 * THREATS T28 (markup in stored text is shown as text, under a nonce-based CSP) and T29 (extra or
 * prototype keys in what clients send never set server-owned fields).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../lib/db';
import { openSqlite } from '../../lib/db/sqlite';
import { PROTOCOL_VERSION } from '../../lib/shared/protocol';
import { demoEmail, DEMO_PASSWORD, userIdOf, withServerDatabase } from '../helpers/demo-data';
import { buildDelegation, buildMembership, buildNegotiation, buildUser, TEST_PASSWORD } from '../helpers/factories';
import { Browserless } from '../helpers/http';
import { connectSocket } from '../helpers/live';
import { openRawSocket } from '../helpers/raw-socket';
import { startServer, type TRunningServer } from '../helpers/server';

const MARKUP = `<script>alert("xss")</script><img src=x onerror=alert(1)>"'&`;
/** What must never appear verbatim in a page: the markup's executable parts. */
const EXECUTABLE = [/<script>alert\("xss"\)/, /<img src=x onerror/i];

describe('untrusted input', () => {
  let server: TRunningServer;
  let db: Database;

  before(async () => {
    server = await startServer();
    // A second connection to the server's SQLite file, for planting hostile records (WAL allows it).
    db = openSqlite(server.sqlitePath);
  });
  after(async () => {
    await db.close();
    await server.stop();
  });

  test('[T28] markup in names and titles is rendered escaped on the dashboard, the negotiation and its screens', async () => {
    const user = await buildUser(db, { name: `Mallory ${MARKUP}`, email: 'mallory@example.test' });
    const negotiation = await buildNegotiation(db, user, `Talks ${MARKUP}`);
    const { delegationId } = await buildDelegation(db, negotiation.id, { name: `City ${MARKUP}` });
    const delegate = await buildUser(db, { name: `Delegate ${MARKUP}`, email: 'delegate-x@example.test' });
    await buildMembership(db, negotiation.id, delegate, 'delegate', delegationId);

    const client = new Browserless(server.url);
    assert.equal(await client.signIn(user.email, TEST_PASSWORD), true);
    for (const pathname of ['/dashboard', `/negotiations/${negotiation.id}`, `/negotiations/${negotiation.id}/members`, '/account']) {
      const response = await client.fetch(pathname);
      const html = await response.text();
      assert.equal(response.status, 200, pathname);
      for (const pattern of EXECUTABLE) assert.doesNotMatch(html, pattern, `${pathname} contains live markup`);
      assert.match(html, /&lt;script&gt;alert\(&quot;xss&quot;\)&lt;\/script&gt;/, `${pathname} shows the text escaped`);
    }
  });

  test('[T28] pages carry a nonce-based Content-Security-Policy whose scripts need the nonce', async () => {
    const client = new Browserless(server.url);
    assert.equal(await client.signIn(demoEmail('secretariat'), DEMO_PASSWORD), true);
    const first = await client.fetch('/dashboard');
    const html = await first.text();
    const policy = first.headers.get('content-security-policy');
    assert.ok(policy, 'a Content-Security-Policy header is sent');
    const directives = new Map(policy.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values] as const;
    }));
    const scriptSrc = directives.get('script-src') ?? directives.get('default-src') ?? [];
    const nonce = scriptSrc.find((value) => value.startsWith("'nonce-"))?.slice(7, -1);
    assert.ok(nonce, `script-src has a nonce: ${policy}`);
    assert.ok(!scriptSrc.includes("'unsafe-inline'"), 'script-src must not allow inline scripts');
    assert.ok(!scriptSrc.includes("'unsafe-eval'"), 'script-src must not allow eval in production');
    assert.deepEqual(directives.get('object-src'), ["'none'"]);
    assert.deepEqual(directives.get('frame-ancestors'), ["'none'"]);
    assert.ok(directives.has('base-uri'), 'base-uri is restricted');

    // Every script the page itself carries is allowed by the nonce; injected ones would not be.
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
    assert.ok(scripts.length > 0);
    for (const tag of scripts) assert.match(tag, new RegExp(`nonce="${nonce.replace(/[+/=]/g, '\\$&')}"`), tag);

    // A nonce is good for one response only.
    const second = await client.fetch('/dashboard');
    await second.body?.cancel();
    assert.notEqual(second.headers.get('content-security-policy'), policy);
  });

  test('[T29] extra fields in the sign-in form (uid, role, __proto__) do not change whom the session is for', async () => {
    const victimId = userIdOf(server, demoEmail('secretariat'));
    const csrfClient = new Browserless(server.url);
    const csrf = await csrfClient.fetch('/api/auth/csrf');
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const body = new URLSearchParams({
      email: demoEmail('delegate.nizhny'),
      password: DEMO_PASSWORD,
      csrfToken,
      uid: victimId,
      id: victimId,
      sub: victimId,
      authAt: String(Date.now() + 86_400_000),
      role: 'secretariat',
      accountRole: 'organizer',
      '__proto__[uid]': victimId,
      'constructor[prototype][uid]': victimId,
    });
    const response = await csrfClient.fetch('/api/auth/callback/credentials', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    await response.body?.cancel();
    const outcome = await connectSocket(server.url, { cookie: csrfClient.cookieHeader() });
    outcome.socket.close();
    assert.equal(outcome.kind, 'welcome');
    if (outcome.kind === 'welcome') assert.equal(outcome.welcome.userId, userIdOf(server, demoEmail('delegate.nizhny')));
    const role = withServerDatabase(server, (sqlite) => sqlite.prepare('SELECT account_role FROM users WHERE email = ?').get(demoEmail('delegate.nizhny')));
    assert.deepEqual(role, { account_role: 'member' });
    const create = await csrfClient.fetch('/negotiations/new');
    await create.body?.cancel();
    assert.equal(create.status, 403, 'still not an organizer');
  });

  test('[T29] identity fields in the socket handshake are ignored; the server takes them from the session', async () => {
    const client = new Browserless(server.url);
    assert.equal(await client.signIn(demoEmail('delegate.brazzaville'), DEMO_PASSWORD), true);
    const raw = await openRawSocket(server.url, { cookie: client.cookieHeader() });
    const forged = { protocol: PROTOCOL_VERSION, userId: userIdOf(server, demoEmail('secretariat')), name: 'Forged', role: 'secretariat', rooms: ['user:x'] };
    await raw.send(`40${JSON.stringify(forged)}`);
    const welcome = await raw.waitFor((frame) => frame.startsWith('42["session:welcome"'));
    raw.ws.terminate();
    const [, payload] = JSON.parse(welcome.slice(2)) as [string, { userId: string; name: string }];
    assert.equal(payload.userId, userIdOf(server, demoEmail('delegate.brazzaville')));
    assert.equal(payload.name, 'Delegate of Brazzaville');
  });

  test('[T29] a __proto__ key in the handshake cannot supply the protocol version', async () => {
    const client = new Browserless(server.url);
    assert.equal(await client.signIn(demoEmail('head.nizhny'), DEMO_PASSWORD), true);
    const raw = await openRawSocket(server.url, { cookie: client.cookieHeader() });
    await raw.send(`40{"__proto__":{"protocol":${PROTOCOL_VERSION}},"constructor":{"prototype":{"protocol":${PROTOCOL_VERSION}}}}`);
    const refusal = await raw.waitFor((frame) => frame.startsWith('44'));
    raw.ws.terminate();
    assert.equal(refusal, '44{"message":"update_required"}');
  });

  test('[T29] sign out everywhere ignores a userId in the body: only the caller\'s own sessions end', async () => {
    const caller = new Browserless(server.url);
    const target = new Browserless(server.url);
    assert.equal(await caller.signIn(demoEmail('delegate.saopaulo'), DEMO_PASSWORD), true);
    assert.equal(await target.signIn(demoEmail('delegate.johannesburg'), DEMO_PASSWORD), true);
    const targetId = userIdOf(server, demoEmail('delegate.johannesburg'));
    const response = await caller.fetch('/api/account/sign-out-everywhere', {
      method: 'POST',
      headers: { origin: server.url, 'content-type': 'application/json' },
      body: `{"userId":"${targetId}","uid":"${targetId}","__proto__":{"userId":"${targetId}"}}`,
    });
    assert.equal(response.status, 204);
    const targetPage = await target.fetch('/dashboard');
    await targetPage.body?.cancel();
    assert.equal(targetPage.status, 200, 'the other account is untouched');
    const callerPage = await caller.fetch('/dashboard');
    await callerPage.body?.cancel();
    assert.equal(callerPage.status, 307, 'the caller is signed out');
  });
});
