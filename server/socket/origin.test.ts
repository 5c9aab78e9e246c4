import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isOriginAllowed } from './index';

const OWN = { scheme: 'https', host: 'rooms.example.org' } as const;

test('[H1] no Origin header is allowed through to authentication', () => {
  assert.equal(isOriginAllowed(undefined, OWN, []), true);
});

test('[H1] the server’s own origin is allowed', () => {
  assert.equal(isOriginAllowed('https://rooms.example.org', OWN, []), true);
});

test('[H1][T2] a foreign origin is refused', () => {
  assert.equal(isOriginAllowed('https://evil.example', OWN, []), false);
});

test('[H1][T3] a sibling subdomain is refused', () => {
  assert.equal(isOriginAllowed('https://evil.example.org', OWN, []), false);
  assert.equal(isOriginAllowed('https://a.rooms.example.org', OWN, []), false);
});

test('[H1][T2] the own host over the other scheme is refused', () => {
  assert.equal(isOriginAllowed('http://rooms.example.org', OWN, []), false);
  assert.equal(isOriginAllowed('https://127.0.0.1:3000', { scheme: 'http', host: '127.0.0.1:3000' }, []), false);
});

test('[H1] listed origins are allowed by exact match only', () => {
  const allowed = ['https://app.example.org'];
  assert.equal(isOriginAllowed('https://app.example.org', OWN, allowed), true);
  assert.equal(isOriginAllowed('http://app.example.org', OWN, allowed), false);
  assert.equal(isOriginAllowed('https://app.example.org:8443', OWN, allowed), false);
});

test('[H1] malformed and opaque origins are refused', () => {
  for (const origin of ['null', 'not a url', 'file:///etc/passwd', 'javascript:alert(1)']) {
    assert.equal(isOriginAllowed(origin, OWN, []), false, origin);
  }
});
