import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forwardedClientAddress } from './request-origin';

const PROXY = '10.0.0.2';

test('[H13] without a trusted proxy the socket peer is the client, whatever X-Forwarded-For says', () => {
  assert.equal(forwardedClientAddress(PROXY, '203.0.113.9', 0), PROXY);
});

test('[H13][T6] one trusted proxy: the entry it appended (the rightmost), never what the client wrote left of it', () => {
  assert.equal(forwardedClientAddress(PROXY, '198.51.100.7', 1), '198.51.100.7');
  assert.equal(forwardedClientAddress(PROXY, '1.2.3.4, 5.6.7.8, 198.51.100.7', 1), '198.51.100.7');
  assert.equal(forwardedClientAddress(PROXY, ['1.2.3.4', '198.51.100.7'], 1), '198.51.100.7', 'a repeated header is one list');
});

test('[H13] two trusted proxies: the entry the outer one appended', () => {
  assert.equal(forwardedClientAddress(PROXY, 'spoofed, 198.51.100.7, 10.0.0.1', 2), '198.51.100.7');
  assert.equal(forwardedClientAddress(PROXY, '198.51.100.7', 2), '198.51.100.7', 'a shorter chain ends at its leftmost entry');
});

test('[H13] no or empty header: the socket peer', () => {
  assert.equal(forwardedClientAddress(PROXY, undefined, 1), PROXY);
  assert.equal(forwardedClientAddress(PROXY, ' , ', 1), PROXY);
});
