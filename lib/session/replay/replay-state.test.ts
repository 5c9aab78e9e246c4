import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyReplayState, foldReplay, withCurrentRoomShape } from './replay-state';

test('[V23] a checkpoint stored before side rooms, recordings and booths existed folds on with them empty', () => {
  const current = emptyReplayState('session-1');
  const { sideRooms: _sideRooms, ...olderRoom } = current.room;
  const older = { ...current, room: { ...olderRoom, video: { mode: 'formal', removed: [] } } } as unknown as typeof current;
  const upgraded = withCurrentRoomShape(older);
  assert.deepEqual(upgraded, current);
  const opened = { seq: 1, at: 1, userId: null, delegationId: null, role: null, type: 'side_room.opened', payload: { sideRoomId: 's', title: 'T', delegationIds: ['d'], userIds: [] } };
  assert.equal(foldReplay(upgraded, [opened]).room.sideRooms.length, 1);
});
