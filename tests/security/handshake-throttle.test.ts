/**
 * THREATS T9 / PROTOCOL H4: a reconnect storm from one address is refused before any authentication
 * work. Own server: the storm uses up this address's handshake budget for a minute.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { demoEmail, DEMO_PASSWORD } from '../helpers/demo-data';
import { Browserless } from '../helpers/http';
import { connectSocket } from '../helpers/live';
import { startServer, type TRunningServer } from '../helpers/server';

/** PROTOCOL H4: handshakes per client address per minute. */
const HANDSHAKES_PER_MINUTE = 120;

describe('handshake throttle', () => {
  let server: TRunningServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.stop();
  });

  test('[T9] after 120 handshakes in a minute, even a valid session is refused with "rate_limited"', async () => {
    const client = new Browserless(server.url);
    assert.equal(await client.signIn(demoEmail('delegate.barcelona'), DEMO_PASSWORD), true);
    const cookie = client.cookieHeader();

    const first = await connectSocket(server.url, { cookie });
    first.socket.close();
    assert.equal(first.kind, 'welcome', 'control: the first handshake is welcomed');

    // The storm: connect and drop, in batches, until the budget is spent.
    const messages: string[] = [];
    for (let sent = 1; sent < HANDSHAKES_PER_MINUTE; sent += 20) {
      const batch = Math.min(20, HANDSHAKES_PER_MINUTE - sent);
      const outcomes = await Promise.all(Array.from({ length: batch }, () => connectSocket(server.url)));
      for (const outcome of outcomes) {
        outcome.socket.close();
        if (outcome.kind === 'refused') messages.push(outcome.message);
      }
    }
    assert.equal(messages.length, HANDSHAKES_PER_MINUTE - 1);
    assert.ok(messages.every((message) => message === 'unauthenticated'), 'within the budget, refusals are about the session');

    const throttled = await connectSocket(server.url, { cookie });
    throttled.socket.close();
    assert.equal(throttled.kind, 'refused');
    if (throttled.kind === 'refused') assert.equal(throttled.message, 'rate_limited');

    // The throttle guards sockets only; pages and the health check keep working for this address.
    const health = await fetch(`${server.url}/api/health`);
    assert.equal(health.status, 200);
    const dashboard = await client.fetch('/dashboard');
    await dashboard.body?.cancel();
    assert.equal(dashboard.status, 200);
  });
});
