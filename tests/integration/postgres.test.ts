/**
 * The same built server on PostgreSQL (DATABASE_URL), in a fresh schema of the test database. Runs
 * when TEST_DATABASE_URL is set (CI sets it); skipped with the reason otherwise.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { createPostgresSchema } from '../helpers/databases';
import { demoEmail, DEMO_PASSWORD } from '../helpers/demo-data';
import { Browserless } from '../helpers/http';
import { connectSocket } from '../helpers/live';
import { startServer, type TRunningServer } from '../helpers/server';

const baseUrl = process.env.TEST_DATABASE_URL;
const skip = baseUrl ? false : 'TEST_DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test)';

describe('the server on PostgreSQL', () => {
  let server: TRunningServer;
  let schema: Awaited<ReturnType<typeof createPostgresSchema>>;

  before(async () => {
    if (!baseUrl) return;
    schema = await createPostgresSchema(baseUrl ?? '');
    server = await startServer({ env: { DATABASE_URL: schema.url, SEED_DEMO: 'true' } });
  });
  after(async () => {
    if (!baseUrl) return;
    await server.stop();
    await schema.drop();
  });

  test('/api/health reports the postgres database', { skip }, async () => {
    const response = await fetch(`${server.url}/api/health`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok', db: 'postgres' });
  });

  test('a demo account signs in, sees its negotiations and opens a socket', { skip }, async () => {
    const client = new Browserless(server.url);
    assert.equal(await client.signIn(demoEmail('head.brazzaville'), DEMO_PASSWORD), true);
    const dashboard = await client.fetch('/dashboard');
    assert.equal(dashboard.status, 200);
    const html = await dashboard.text();
    assert.match(html, /Metropolis Annual Meeting/);
    assert.match(html, /twinning agreement/);
    const outcome = await connectSocket(server.url, { cookie: client.cookieHeader() });
    outcome.socket.close();
    assert.equal(outcome.kind, 'welcome');
  });

  test('the embedded SQLite file is not created when DATABASE_URL is set', { skip }, () => {
    assert.equal(fs.existsSync(server.sqlitePath), false);
  });
});
