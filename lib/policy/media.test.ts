import assert from 'node:assert/strict';
import { test } from 'node:test';
import { holdsFloor, joinsMuted } from './media';

const montrealDelegate = { userId: 'u-delegate', role: 'delegate', delegationId: 'd-montreal' } as const;

test('[V4] the floor is a delegation’s for its people, and an observer’s only when it is personally theirs', () => {
  assert.equal(holdsFloor(montrealDelegate, { userId: null, delegationId: 'd-montreal' }), true);
  assert.equal(holdsFloor(montrealDelegate, { userId: 'u-head', delegationId: 'd-montreal' }), true);
  assert.equal(holdsFloor(montrealDelegate, { userId: null, delegationId: 'd-seoul' }), false);
  assert.equal(holdsFloor(montrealDelegate, null), false);
  const observer = { userId: 'u-observer', role: 'observer', delegationId: 'd-unhabitat' } as const;
  assert.equal(holdsFloor(observer, { userId: null, delegationId: 'd-unhabitat' }), false);
  assert.equal(holdsFloor(observer, { userId: 'u-observer', delegationId: 'd-unhabitat' }), true);
});

test('[V5] in an informal room delegates and advisers join muted; nobody does in a formal one', () => {
  assert.equal(joinsMuted('delegate', 'informal'), true);
  assert.equal(joinsMuted('adviser', 'informal'), true);
  assert.equal(joinsMuted('head', 'informal'), false);
  assert.equal(joinsMuted('delegate', 'formal'), false);
});
