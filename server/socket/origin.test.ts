import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isOriginAllowed } from './index';

const HOST = 'rooms.example.org';

test('[H1] no Origin header is allowed through to authentication', () => {
  assert.equal(isOriginAllowed(undefined, HOST, []), true);
});

test('[H1] the server’s own origin is allowed', () => {
  assert.equal(isOriginAllowed('https://rooms.example.org', HOST, []), true);
});

test('[H1][T2] a foreign origin is refused', () => {
  assert.equal(isOriginAllowed('https://evil.example', HOST, []), false);
});

test('[H1][T3] a sibling subdomain is refused', () => {
  assert.equal(isOriginAllowed('https://evil.example.org', HOST, []), false);
  assert.equal(isOriginAllowed('https://a.rooms.example.org', HOST, []), false);
});

test('[H1] listed origins are allowed by exact match only', () => {
  const allowed = ['https://app.example.org'];
  assert.equal(isOriginAllowed('https://app.example.org', HOST, allowed), true);
  assert.equal(isOriginAllowed('http://app.example.org', HOST, allowed), false);
  assert.equal(isOriginAllowed('https://app.example.org:8443', HOST, allowed), false);
});

test('[H1] malformed and opaque origins are refused', () => {
  for (const origin of ['null', 'not a url', 'file:///etc/passwd', 'javascript:alert(1)']) {
    assert.equal(isOriginAllowed(origin, HOST, []), false, origin);
  }
});
