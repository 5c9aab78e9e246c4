/**
 * Every page checks the session and the negotiation role on the server (STYLE: "authorization only
 * in the UI or in middleware" is an anti-pattern): signed out → sign-in page, not a member → 404,
 * a member whose role lacks the ability → 403, and a garbage id is a 404, never a 500.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { demoEmail, demoNegotiations, DEMO_PASSWORD, withServerDatabase, type TDemoNegotiations } from '../helpers/demo-data';
import { Browserless } from '../helpers/http';
import { startServer, type TRunningServer } from '../helpers/server';

/** Ids a URL can carry that are not negotiation ids, already percent-encoded for the path. */
const MALFORMED_IDS: Record<string, string> = {
  'dot-dot-slash': '..%2Fetc',
  'dot-dot-slash-passwd': '..%2F..%2F..%2Fetc%2Fpasswd',
  '10 KB': 'a'.repeat(10 * 1024),
  'only whitespace': '%20%20%09',
  'uuid with trailing space': `${randomUUID()}%20`,
  'right-to-left override': '%E2%80%AE',
  'fullwidth digits and zero-width joiner': '%EF%BC%91%E2%80%8D%EF%BC%92',
  'NUL byte': 'abc%00def',
  'SQL quote': "'%20OR%20'1'%3D'1",
  'upper-case uuid': randomUUID().toUpperCase(),
};

const SUB_SCREENS = ['members', 'delegations', 'sessions/new', 'documents/new'] as const;

describe('pages check the session and the role on the server', () => {
  let server: TRunningServer;
  let ids: TDemoNegotiations;
  let secretariat: Browserless;
  let delegateSeoul: Browserless;

  before(async () => {
    server = await startServer();
    ids = demoNegotiations(server);
    secretariat = new Browserless(server.url);
    delegateSeoul = new Browserless(server.url);
    assert.equal(await secretariat.signIn(demoEmail('secretariat'), DEMO_PASSWORD), true);
    assert.equal(await delegateSeoul.signIn(demoEmail('delegate.seoul'), DEMO_PASSWORD), true);
  });
  after(async () => {
    await server.stop();
  });

  const signedOutPaths = () => [
    '/dashboard',
    '/account',
    '/negotiations/new',
    `/negotiations/${ids.metropolis}`,
    ...SUB_SCREENS.map((screen) => `/negotiations/${ids.metropolis}/${screen}`),
  ];

  test('signed out, every protected page redirects to /signin with a same-site callbackUrl', async () => {
    const anonymous = new Browserless(server.url);
    for (const pathname of signedOutPaths()) {
      const response = await anonymous.fetch(pathname);
      const body = await response.text();
      assert.equal(response.status, 307, pathname);
      const location = new URL(response.headers.get('location') ?? '', server.url);
      assert.equal(location.pathname, '/signin', pathname);
      assert.equal(location.searchParams.get('callbackUrl'), pathname);
      assert.doesNotMatch(body, /Metropolis Annual Meeting/, `${pathname} leaked content`);
    }
  });

  test('signed out, a negotiation page of an unknown or malformed id also redirects to /signin (no 500)', async () => {
    const anonymous = new Browserless(server.url);
    for (const [label, id] of Object.entries({ unknown: randomUUID(), ...MALFORMED_IDS })) {
      const response = await anonymous.fetch(`/negotiations/${id}`);
      await response.body?.cancel();
      assert.equal(response.status, 307, label);
      assert.equal(new URL(response.headers.get('location') ?? '', server.url).pathname, '/signin', label);
    }
  });

  test('the secretariat gets 200 on the negotiation and on every management screen', async () => {
    for (const pathname of ['/dashboard', '/account', '/negotiations/new', `/negotiations/${ids.metropolis}`, `/negotiations/${ids.twinning}`]) {
      const response = await secretariat.fetch(pathname);
      await response.body?.cancel();
      assert.equal(response.status, 200, pathname);
    }
    for (const negotiationId of [ids.metropolis, ids.twinning]) {
      for (const screen of SUB_SCREENS) {
        const response = await secretariat.fetch(`/negotiations/${negotiationId}/${screen}`);
        await response.body?.cancel();
        assert.equal(response.status, 200, `${negotiationId}/${screen}`);
      }
    }
  });

  test('a delegate sees their negotiation but gets 403 on every management screen', async () => {
    const page = await delegateSeoul.fetch(`/negotiations/${ids.metropolis}`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Metropolis Annual Meeting/);
    for (const screen of SUB_SCREENS) {
      const response = await delegateSeoul.fetch(`/negotiations/${ids.metropolis}/${screen}`);
      const body = await response.text();
      assert.equal(response.status, 403, screen);
      // The refusal page names nothing from the screen it refused (no member e-mails, no forms).
      assert.doesNotMatch(body, /head\.montreal@demo/, screen);
    }
  });

  test('a delegate of Seoul gets 404 on the bilateral negotiation and its screens, like an unknown id', async () => {
    for (const pathname of [`/negotiations/${ids.twinning}`, ...SUB_SCREENS.map((screen) => `/negotiations/${ids.twinning}/${screen}`)]) {
      const response = await delegateSeoul.fetch(pathname);
      const body = await response.text();
      assert.equal(response.status, 404, pathname);
      assert.doesNotMatch(body, /twinning|Brazzaville/i, `${pathname} leaked the negotiation`);
    }
    const unknown = await delegateSeoul.fetch(`/negotiations/${randomUUID()}`);
    await unknown.body?.cancel();
    assert.equal(unknown.status, 404);
  });

  test('malformed negotiation ids give 404, never 500, on the page and its sub-screens', async () => {
    for (const [label, id] of Object.entries(MALFORMED_IDS)) {
      for (const suffix of ['', '/members', '/sessions/new']) {
        const response = await secretariat.fetch(`/negotiations/${id}${suffix}`);
        await response.body?.cancel();
        assert.equal(response.status, 404, `${label}${suffix}`);
      }
    }
    const health = await fetch(`${server.url}/api/health`);
    assert.equal(health.status, 200);
    assert.doesNotMatch(server.output(), /"event":"(http\.unhandled|route\.failed)"/);
  });

  test('a signed-out JSON route answers 401 with a stable code, not a redirect', async () => {
    const response = await fetch(`${server.url}/api/account/sign-out-everywhere`, { method: 'POST', headers: { origin: server.url } });
    assert.equal(response.status, 401);
    assert.deepEqual(await response.json(), { error: 'unauthenticated', fields: {} });
  });

  test('[S1] the session room: signed out → /signin, a member → 200, another negotiation’s session or a malformed id → 404', async () => {
    const sessionOf = (negotiationId: string) =>
      withServerDatabase(server, (db) => (db.prepare("SELECT id FROM negotiation_sessions WHERE negotiation_id = ? AND status <> 'closed'").get(negotiationId) as { id: string }).id);
    const room = `/negotiations/${ids.metropolis}/sessions/${sessionOf(ids.metropolis)}`;
    const anonymous = await new Browserless(server.url).fetch(room);
    await anonymous.body?.cancel();
    assert.equal(anonymous.status, 307);
    assert.equal(new URL(anonymous.headers.get('location') ?? '', server.url).searchParams.get('callbackUrl'), room);
    const member = await delegateSeoul.fetch(room);
    assert.equal(member.status, 200);
    assert.match(await member.text(), /Plenary — first reading of the draft declaration/);
    const twinningRoom = `/negotiations/${ids.twinning}/sessions/${sessionOf(ids.twinning)}`;
    for (const pathname of [
      twinningRoom,
      // A session of one negotiation under another's address.
      `/negotiations/${ids.metropolis}/sessions/${sessionOf(ids.twinning)}`,
      `/negotiations/${ids.metropolis}/sessions/${randomUUID()}`,
      ...Object.values(MALFORMED_IDS).map((id) => `/negotiations/${ids.metropolis}/sessions/${id}`),
    ]) {
      const response = await delegateSeoul.fetch(pathname);
      const body = await response.text();
      assert.equal(response.status, 404, pathname.slice(0, 120));
      assert.doesNotMatch(body, /Round 1 — areas of cooperation/, 'the other negotiation’s session is not named');
    }
  });
});
