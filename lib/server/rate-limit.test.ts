import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accountAtAddress, FailureLimiter } from './rate-limit';

test('a key is blocked after the limit of failures within the window', () => {
  const limiter = new FailureLimiter(3, 1000);
  for (let i = 0; i < 3; i += 1) {
    assert.equal(limiter.isBlocked('a', 100), false);
    limiter.recordFailure('a', 100 + i);
  }
  assert.equal(limiter.isBlocked('a', 200), true);
  assert.equal(limiter.isBlocked('b', 200), false);
});

test('failures older than the window no longer count', () => {
  const limiter = new FailureLimiter(2, 1000);
  limiter.recordFailure('a', 0);
  limiter.recordFailure('a', 10);
  assert.equal(limiter.isBlocked('a', 500), true);
  assert.equal(limiter.isBlocked('a', 1011), false);
});

test('a reset forgets the key', () => {
  const limiter = new FailureLimiter(1, 1000);
  limiter.recordFailure('a', 0);
  limiter.reset('a');
  assert.equal(limiter.isBlocked('a', 1), false);
});

test('[T9] sign-in failures count per account at one address: another address, or another account, has its own budget', () => {
  const limiter = new FailureLimiter(2, 1000);
  limiter.recordFailure(accountAtAddress('chair@example.org', '203.0.113.7'), 0);
  limiter.recordFailure(accountAtAddress('chair@example.org', '203.0.113.7'), 1);
  assert.equal(limiter.isBlocked(accountAtAddress('chair@example.org', '203.0.113.7'), 2), true);
  assert.equal(limiter.isBlocked(accountAtAddress('chair@example.org', '198.51.100.1'), 2), false);
  assert.equal(limiter.isBlocked(accountAtAddress('delegate@example.org', '203.0.113.7'), 2), false);
});
