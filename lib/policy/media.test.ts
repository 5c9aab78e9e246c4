import assert from 'node:assert/strict';
import { test } from 'node:test';
import { holdsBooth, holdsFloor, joinsMuted, mayEnterSideRoom, mediaGrantsFor, sideRoomGrantsFor } from './media';

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

test('[V3][V4] in a formal room a head’s microphone follows the floor like its delegation’s; the chair and secretariat keep theirs; informal rooms and side rooms open it', () => {
  const montrealHead = { userId: 'u-head', role: 'head', delegationId: 'd-montreal' } as const;
  const microphone = (participant: Parameters<typeof mediaGrantsFor>[0], mode: 'formal' | 'informal', floor: Parameters<typeof mediaGrantsFor>[2]) =>
    mediaGrantsFor(participant, mode, floor).canPublishSources.includes('microphone');
  assert.deepEqual(mediaGrantsFor(montrealHead, 'formal', null).canPublishSources, ['camera', 'screen_share', 'screen_share_audio'], 'nobody has the floor');
  assert.equal(microphone(montrealHead, 'formal', { userId: null, delegationId: 'd-seoul' }), false, 'Seoul has the floor');
  assert.equal(microphone(montrealHead, 'formal', { userId: 'u-delegate', delegationId: 'd-montreal' }), true, 'Montréal has the floor through its delegate');
  assert.equal(microphone(montrealHead, 'formal', { userId: null, delegationId: 'd-montreal' }), true, 'Montréal has the floor');
  assert.equal(microphone(montrealHead, 'informal', null), true);
  assert.equal(sideRoomGrantsFor(montrealHead).canPublishSources.includes('microphone'), true);
  for (const role of ['chair', 'secretariat'] as const) assert.equal(microphone({ userId: `u-${role}`, role, delegationId: null }, 'formal', { userId: null, delegationId: 'd-seoul' }), true, role);
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
