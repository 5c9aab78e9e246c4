/**
 * THREATS T14, T15 / PROTOCOL H6, H8: "sign out everywhere" ends every JWT session of the user at
 * once — open sockets are told and closed, reconnects run the auth middleware again and are refused,
 * and pages send the old cookie to the sign-in page. Each test uses its own demo account.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Socket } from 'socket.io-client';
import { signedInDemo } from '../helpers/demo-data';
import { Browserless } from '../helpers/http';
import { connectSocket, disconnection, welcomedSocket } from '../helpers/live';
import { startServer, type TRunningServer } from '../helpers/server';

const SIGN_OUT_EVERYWHERE = '/api/account/sign-out-everywhere';

describe('session revocation', () => {
  let server: TRunningServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.stop();
  });

  const signedIn = (local: string) => signedInDemo(server, local);
  const welcomed = (client: Browserless): Promise<Socket> => welcomedSocket(server.url, client.cookieHeader());
  const dashboardStatus = (client: Browserless) => client.status('/dashboard');

  test('[T15] sign out everywhere tells every open socket of the user and closes it within 1 s', async () => {
    const laptop = await signedIn('head.montreal');
    const phone = await signedIn('head.montreal');
    const bystander = await signedIn('delegate.montreal');
    const sockets = [await welcomed(laptop), await welcomed(laptop), await welcomed(phone)];
    const bystanderSocket = await welcomed(bystander);
    const bystanderEvents: string[] = [];
    bystanderSocket.onAny((event: string) => bystanderEvents.push(event));

    const ended = sockets.map((socket) => new Promise<unknown>((resolve) => socket.once('session:ended', resolve)));
    const closed = sockets.map((socket) => disconnection(socket));
    const started = Date.now();
    const response = await laptop.fetch(SIGN_OUT_EVERYWHERE, { method: 'POST', headers: { origin: server.url } });
    assert.equal(response.status, 204);

    const within = async <T>(promise: Promise<T>): Promise<T> => {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('not within 1 s')), 1_000 - (Date.now() - started));
      });
      try {
        return await Promise.race([promise, deadline]);
      } finally {
        clearTimeout(timer);
      }
    };
    assert.deepEqual(await within(Promise.all(ended)), sockets.map(() => ({ reason: 'signed_out' })));
    const reasons = await within(Promise.all(closed));
    assert.ok(reasons.every((reason) => reason === 'io server disconnect'), `disconnect reasons: ${reasons.join(', ')}`);

    // Another user's connection is untouched.
    assert.equal(bystanderSocket.connected, true);
    assert.deepEqual(bystanderEvents, []);
    bystanderSocket.close();
  });

  test('[T14] a reconnect with the old cookie runs the auth middleware again and is refused', async () => {
    const client = await signedIn('head.barcelona');
    const socket = await welcomed(client);
    const oldCookie = client.cookieHeader();
    const closed = disconnection(socket);
    assert.equal((await client.fetch(SIGN_OUT_EVERYWHERE, { method: 'POST', headers: { origin: server.url } })).status, 204);
    await closed;

    // The same socket object asked to reconnect, and a brand-new connection: both go through H2.
    const again = new Promise<string>((resolve) => socket.once('connect_error', (error) => resolve(error.message)));
    socket.connect();
    assert.equal(await again, 'unauthenticated');
    socket.close();
    const fresh = await connectSocket(server.url, { cookie: oldCookie });
    fresh.socket.close();
    assert.equal(fresh.kind, 'refused');
    if (fresh.kind === 'refused') assert.equal(fresh.message, 'unauthenticated');
  });

  test('[T15] after sign out everywhere, the old cookie gets the sign-in page, in every browser', async () => {
    const first = await signedIn('head.seoul');
    const second = await signedIn('head.seoul');
    assert.equal(await dashboardStatus(second), 200);
    assert.equal((await first.fetch(SIGN_OUT_EVERYWHERE, { method: 'POST', headers: { origin: server.url } })).status, 204);
    for (const client of [first, second]) {
      const response = await client.fetch('/account');
      await response.body?.cancel();
      assert.equal(response.status, 307);
      assert.match(response.headers.get('location') ?? '', /^\/signin/);
    }
    // A repeat of the request with the dead cookie is refused as signed out.
    assert.equal((await first.fetch(SIGN_OUT_EVERYWHERE, { method: 'POST', headers: { origin: server.url } })).status, 401);
    // Signing in again afterwards gives a working session.
    const later = await signedIn('head.seoul');
    assert.equal(await dashboardStatus(later), 200);
    const socket = await welcomed(later);
    socket.close();
  });

  test('[T15] sign out everywhere without Origin, or from a foreign or sibling origin, is refused (403) and ends nothing', async () => {
    const client = await signedIn('head.saopaulo');
    const socket = await welcomed(client);
    const events: string[] = [];
    socket.onAny((event: string) => events.push(event));
    const refusedHeaders: Record<string, string>[] = [{}, { origin: 'https://evil.example' }, { origin: `http://evil.localhost:${server.port}` }, { origin: 'null' }, { origin: `http://127.0.0.1:${server.port + 1}` }];
    for (const headers of refusedHeaders) {
      const response = await client.fetch(SIGN_OUT_EVERYWHERE, { method: 'POST', headers });
      assert.equal(response.status, 403, JSON.stringify(headers));
      assert.deepEqual(await response.json(), { error: 'forbidden', fields: {} });
    }
    assert.equal(await dashboardStatus(client), 200);
    // Prove the socket is still live with a round trip rather than a pause.
    const outcome = await connectSocket(server.url, { cookie: client.cookieHeader() });
    outcome.socket.close();
    assert.equal(outcome.kind, 'welcome');
    assert.equal(socket.connected, true);
    assert.deepEqual(events, []);
    socket.close();
  });

  test('[T15] the route accepts only POST', async () => {
    const client = await signedIn('head.johannesburg');
    const response = await client.fetch(SIGN_OUT_EVERYWHERE, { headers: { origin: server.url } });
    await response.body?.cancel();
    assert.equal(response.status, 405);
    assert.equal(await dashboardStatus(client), 200);
  });
});
