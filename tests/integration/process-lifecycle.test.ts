/**
 * The composed process (server/index.ts): configuration errors stop the start naming the variable,
 * the generated AUTH_SECRET and the data survive a restart without re-seeding, and SIGTERM is a
 * clean exit.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { accountCount, demoEmail, demoNegotiations, DEMO_PASSWORD, withServerDatabase } from '../helpers/demo-data';
import { Browserless } from '../helpers/http';
import { connectSocket } from '../helpers/live';
import { makeDataDir, runServerToExit, startServer } from '../helpers/server';

describe('process lifecycle', () => {
  test('AUTH_SECRET is generated into DATA_DIR on first start and reused after a restart: sessions survive, data is kept, nothing is re-seeded', async () => {
    const dataDir = makeDataDir();
    const secretFile = path.join(dataDir, 'auth-secret');
    const first = await startServer({ dataDir });
    let cookie: string;
    let ids: ReturnType<typeof demoNegotiations>;
    let accounts: number;
    let secret: string;
    try {
      assert.ok(fs.existsSync(secretFile), 'the secret is written on first start');
      secret = fs.readFileSync(secretFile, 'utf8').trim();
      assert.ok(secret.length >= 32, 'the generated secret is long enough for AUTH_SECRET');
      assert.equal(fs.statSync(secretFile).mode & 0o077, 0, 'the secret file is readable by its owner only');

      const client = new Browserless(first.url);
      assert.equal(await client.signIn(demoEmail('secretariat'), DEMO_PASSWORD), true);
      cookie = client.cookieHeader();
      ids = demoNegotiations(first);
      accounts = accountCount(first);
      assert.equal(accounts, 18, 'the demo seeds eighteen accounts');
      // Something a user did: it must still be there after the restart.
      withServerDatabase(first, (db) => db.prepare('UPDATE negotiations SET title = ? WHERE id = ?').run('Renamed before the restart', ids.metropolis), true);
    } finally {
      assert.deepEqual(await first.stop(), { code: 0, signal: null });
    }

    const second = await startServer({ dataDir });
    try {
      assert.equal(fs.readFileSync(secretFile, 'utf8').trim(), secret, 'the secret is reused, not regenerated');
      assert.equal(accountCount(second), accounts, 'no accounts were added by a second seed');
      assert.deepEqual(demoNegotiations(second), ids, 'the negotiations are the same records');
      assert.doesNotMatch(second.output(), /"event":"demo.seeded"/);

      const response = await fetch(`${second.url}/dashboard`, { headers: { cookie }, redirect: 'manual' });
      assert.equal(response.status, 200, 'a cookie from the first run still signs in');
      assert.match(await response.text(), /Renamed before the restart/);
      const outcome = await connectSocket(second.url, { cookie });
      outcome.socket.close();
      assert.equal(outcome.kind, 'welcome', 'and still opens a socket');
    } finally {
      await second.stop();
    }
  });

  test('an AUTH_SECRET from the environment is used and nothing is written to DATA_DIR', async () => {
    const dataDir = makeDataDir();
    const server = await startServer({ dataDir, env: { AUTH_SECRET: 'x'.repeat(40) } });
    try {
      assert.equal(fs.existsSync(path.join(dataDir, 'auth-secret')), false);
      assert.equal(await new Browserless(server.url).signIn(demoEmail('chair'), DEMO_PASSWORD), true);
    } finally {
      await server.stop();
    }
  });

  test('SIGTERM stops the server cleanly with exit code 0', async () => {
    const server = await startServer();
    // An open socket must not hold the shutdown up.
    const client = new Browserless(server.url);
    assert.equal(await client.signIn(demoEmail('observer'), DEMO_PASSWORD), true);
    const outcome = await connectSocket(server.url, { cookie: client.cookieHeader() });
    assert.equal(outcome.kind, 'welcome');
    const exit = await server.stop();
    outcome.socket.close();
    assert.deepEqual(exit, { code: 0, signal: null });
    assert.match(server.output(), /"event":"server.stopped"/);
  });

  const invalid: [string, Record<string, string>][] = [
    ['PORT', { PORT: 'abc' }],
    ['PORT', { PORT: '70000' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['AUTH_SECRET', { AUTH_SECRET: 'too-short' }],
    ['SEED_DEMO', { SEED_DEMO: 'yes' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'not a url' }],
    ['ALLOWED_ORIGINS', { ALLOWED_ORIGINS: 'https://ok.example, nope' }],
    ['OIDC_ISSUER', { OIDC_ISSUER: 'https://id.example' }],
  ];
  for (const [variable, env] of invalid) {
    test(`an invalid ${variable} (${JSON.stringify(env)}) stops the start with a non-zero exit naming it`, async () => {
      const run = await runServerToExit(env);
      assert.notEqual(run.code, 0);
      assert.match(run.stderr, new RegExp(`\\b${variable}\\b`), run.stderr);
      assert.doesNotMatch(run.stdout, /server.listening/);
    });
  }

  test('a start that fails after configuration (DATA_DIR is a file) exits non-zero, not 0', async () => {
    const file = path.join(makeDataDir(), 'not-a-directory');
    fs.writeFileSync(file, '');
    const run = await runServerToExit({ DATA_DIR: file });
    assert.notEqual(run.code, 0, `exit ${run.code}: ${run.stderr}`);
    assert.match(run.stderr, /server.start_failed/);
  });
});
