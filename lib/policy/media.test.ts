import assert from 'node:assert/strict';
import { test } from 'node:test';
import { holdsBooth, holdsFloor, joinsMuted, mayEnterSideRoom } from './media';

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

test('[V21] an interpreter holds a booth only for the channel they joined on, and only while it is theirs', () => {
  const interpreter = { userId: 'u-interpreter', role: 'interpreter', delegationId: null } as const;
  const booths = [{ language: 'fr', userId: 'u-interpreter' }];
  assert.equal(holdsBooth(interpreter, 'fr', booths), true);
  assert.equal(holdsBooth(interpreter, 'en', booths), false);
  assert.equal(holdsBooth(interpreter, 'fr', [{ language: 'fr', userId: 'u-colleague' }]), false);
  // A booth recorded for someone who is no longer an interpreter opens no microphone.
  assert.equal(holdsBooth({ ...interpreter, role: 'delegate' }, 'fr', booths), false);
});

test('[V23] a side room is for its delegations’ heads, delegates and advisers, the chair and secretariat, and whoever was invited', () => {
  const room = { delegationIds: ['d-montreal'], userIds: ['u-invited'] };
  assert.equal(mayEnterSideRoom(montrealDelegate, room), true);
  assert.equal(mayEnterSideRoom({ userId: 'u-head', role: 'head', delegationId: 'd-seoul' }, room), false);
  assert.equal(mayEnterSideRoom({ userId: 'u-chair', role: 'chair', delegationId: null }, room), true);
  assert.equal(mayEnterSideRoom({ userId: 'u-observer', role: 'observer', delegationId: 'd-montreal' }, room), false);
  assert.equal(mayEnterSideRoom({ userId: 'u-invited', role: 'observer', delegationId: null }, room), true);
  assert.equal(mayEnterSideRoom({ userId: 'u-interpreter', role: 'interpreter', delegationId: null }, room), false);
});
