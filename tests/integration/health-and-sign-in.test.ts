import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_PASSWORD } from '../../lib/server/demo-seed';
import { Browserless } from '../helpers/http';
import { startServer, type TRunningServer } from '../helpers/server';

describe('health and sign-in against the real server', () => {
  let server: TRunningServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.stop();
  });

  test('GET /api/health reports ok and the embedded database', async () => {
    const response = await fetch(`${server.url}/api/health`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok', db: 'sqlite' });
  });

  test('a demo account signs in through /api/auth and reaches its dashboard', async () => {
    const client = new Browserless(server.url);
    assert.equal(await client.signIn('delegate.seoul@demo.proxenia.test', DEMO_PASSWORD), true);
    const dashboard = await client.fetch('/dashboard');
    assert.equal(dashboard.status, 200);
    assert.match(await dashboard.text(), /Metropolis Annual Meeting/);
  });

  test('a wrong password issues no session', async () => {
    const client = new Browserless(server.url);
    assert.equal(await client.signIn('delegate.seoul@demo.proxenia.test', 'not the password'), false);
    const dashboard = await client.fetch('/dashboard');
    assert.equal(dashboard.status, 307);
    assert.match(dashboard.headers.get('location') ?? '', /\/signin/);
  });
});
