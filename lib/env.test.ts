import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { InvalidEnvironmentError, readEnv } from './env';

test('defaults give the embedded configuration', () => {
  const config = readEnv({});
  assert.equal(config.PORT, 3000);
  assert.equal(config.DATABASE_URL, undefined);
  assert.equal(config.dataDir, path.resolve('./data'));
  assert.equal(config.SEED_DEMO, 'auto');
});

test('a wrong value stops with a message naming the variable', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ PORT: 'abc' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
    [{ AUTH_SECRET: 'short' }, /AUTH_SECRET/],
    [{ ALLOWED_ORIGINS: 'not a url' }, /ALLOWED_ORIGINS/],
    [{ OIDC_ISSUER: 'https://id.example.org' }, /OIDC_ISSUER/],
    [{ LIVEKIT_URL: 'ftp://media.example.org' }, /LIVEKIT_URL/],
    [{ LIVEKIT_URL: 'wss://media.example.org', LIVEKIT_API_KEY: 'key' }, /LIVEKIT_API_SECRET/],
    [{ LIVEKIT_API_KEY: 'key', LIVEKIT_API_SECRET: 'secret' }, /LIVEKIT_URL/],
    [{ TRUST_PROXY: 'yes' }, /TRUST_PROXY/],
    [{ TRUST_PROXY: '-1' }, /TRUST_PROXY/],
  ];
  for (const [source, name] of cases) {
    assert.throws(() => readEnv(source), (error: unknown) => error instanceof InvalidEnvironmentError && name.test(error.message));
  }
});

test('blank optional values count as unset', () => {
  assert.equal(readEnv({ DATABASE_URL: '', AUTH_SECRET: ' ' }).DATABASE_URL, undefined);
});

test('allowed origins are a comma-separated list', () => {
  assert.deepEqual(readEnv({ ALLOWED_ORIGINS: 'https://a.example.org, https://b.example.org' }).ALLOWED_ORIGINS, ['https://a.example.org', 'https://b.example.org']);
});

test('[V36] the mesh’s ICE servers: none by default, a JSON array of stun/turn servers, anything else stops the start', () => {
  assert.deepEqual(readEnv({}).MESH_ICE_SERVERS, []);
  const servers = [{ urls: 'stun:stun.example.org:3478' }, { urls: ['turn:turn.example.org:3478', 'turns:turn.example.org:5349'], username: 'u', credential: 'p' }];
  assert.deepEqual(readEnv({ MESH_ICE_SERVERS: JSON.stringify(servers) }).MESH_ICE_SERVERS, servers);
  for (const value of ['stun:stun.example.org', '[{"urls":"https://example.org"}]', '{"urls":"stun:a"}', '[{"urls":"stun:a","extra":1}]']) {
    assert.throws(() => readEnv({ MESH_ICE_SERVERS: value }), (error: unknown) => error instanceof InvalidEnvironmentError && /MESH_ICE_SERVERS/.test(error.message), value);
  }
});

test('[H13] TRUST_PROXY is the number of trusted proxies: false 0, true 1, or a count', () => {
  assert.equal(readEnv({}).TRUST_PROXY, 0);
  assert.equal(readEnv({ TRUST_PROXY: 'false' }).TRUST_PROXY, 0);
  assert.equal(readEnv({ TRUST_PROXY: 'true' }).TRUST_PROXY, 1);
  assert.equal(readEnv({ TRUST_PROXY: '2' }).TRUST_PROXY, 2);
});
