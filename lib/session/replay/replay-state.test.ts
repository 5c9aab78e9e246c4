import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { TSessionEventPayload, TSessionEventType } from '../events';
import { foldSessionRoom } from '../room/reduce';
import type { TRoomEvent } from '../room/state';
import { checkpointOf, emptyReplayState, foldReplay, reduceReplay, withChatTexts, withCurrentRoomShape } from './replay-state';

const SESSION = 'session-1';
const T0 = Date.UTC(2031, 4, 1, 9, 0, 0);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A small log touching the room, two documents, paragraph statuses and chat (texts beside the log). */
function sessionLog(): TRoomEvent[] {
  const events: TRoomEvent[] = [];
  const add = <Type extends TSessionEventType>(type: Type, payload: TSessionEventPayload<Type>, extra: Partial<TRoomEvent> = {}) => {
    events.push({ seq: events.length + 1, at: T0 + events.length * 1000, userId: 'chair', delegationId: null, role: 'chair', type, payload, ...extra });
  };
  const update = (documentId: string, documentSeq: number) => add('document.updated', { documentId, documentSeq, updateHash: sha256(`${documentId}:${documentSeq}`) });
  const chat = (messageId: string, text: string) =>
    add('chat.message_posted', { messageId, channel: { kind: 'plenary' }, textHash: sha256(text), mentions: [] }, { content: text, userId: 'head-1', delegationId: 'athens', role: 'head' });
  add('session.scheduled', { title: 'Plenary', scheduledStart: T0 });
  add('session.status_changed', { from: 'scheduled', to: 'live' });
  add('attendance.joined', { userId: 'head-1', delegationId: 'athens', role: 'head' });
  update('doc-a', 4);
  chat('m1', 'Good morning');
  update('doc-b', 1);
  add('paragraph.status_changed', { documentId: 'doc-a', pid: 'p1', from: 'pending', to: 'bracketed' });
  update('doc-a', 5);
  chat('m2', 'We support paragraph 1');
  add('paragraph.status_changed', { documentId: 'doc-a', pid: 'p1', from: 'bracketed', to: 'agreed' });
  add('paragraph.status_changed', { documentId: 'doc-b', pid: 'q7', from: 'pending', to: 'agreed_ad_ref' });
  add('attendance.left', { userId: 'head-1', reason: 'disconnected' });
  return events;
}

test('the replay fold is the live reducer plus each document’s latest update seq and its paragraph statuses', () => {
  const events = sessionLog();
  const state = foldReplay(emptyReplayState(SESSION), events);
  assert.deepEqual(state.room, foldSessionRoom(SESSION, events), 'the room is exactly what the live reducer folds');
  assert.deepEqual(state.documentSeqs, { 'doc-a': 5, 'doc-b': 1 });
  assert.deepEqual(state.paragraphStatuses, { 'doc-a': { p1: 'agreed' }, 'doc-b': { q7: 'agreed_ad_ref' } });
  assert.equal(state.at, events.at(-1)?.at);
  assert.equal(emptyReplayState(SESSION).at, null);
  const early = foldReplay(emptyReplayState(SESSION), events.slice(0, 7));
  assert.deepEqual(early.documentSeqs, { 'doc-a': 4, 'doc-b': 1 });
  assert.deepEqual(early.paragraphStatuses, { 'doc-a': { p1: 'bracketed' } });
});

test('a checkpoint at any seq plus the events after it folds to the same state as the whole log', () => {
  const events = sessionLog();
  const whole = foldReplay(emptyReplayState(SESSION), events);
  const texts = new Map(events.filter((event) => event.content !== undefined).map((event) => [event.seq, event.content!]));
  for (let cut = 0; cut <= events.length; cut += 1) {
    // What the engine stores (JSON, chat texts left out) and restores (texts put back from beside the log).
    const stored = JSON.stringify(checkpointOf(foldReplay(emptyReplayState(SESSION), events.slice(0, cut))));
    const restored = withChatTexts(JSON.parse(stored), texts);
    assert.deepEqual(foldReplay(restored, events.slice(cut)), whole, `checkpoint at seq ${cut}`);
  }
});

test('events at or before the state’s seq are ignored (a checkpoint never folds an event twice)', () => {
  const events = sessionLog();
  const state = foldReplay(emptyReplayState(SESSION), events.slice(0, 8));
  assert.equal(reduceReplay(state, events[3]!), state);
  assert.deepEqual(foldReplay(state, events), foldReplay(emptyReplayState(SESSION), events));
});

test('a checkpoint keeps no chat text; restoring puts back the texts still kept and leaves erased ones null', () => {
  const state = foldReplay(emptyReplayState(SESSION), sessionLog());
  assert.deepEqual(state.room.chat.messages.map((message) => message.text), ['Good morning', 'We support paragraph 1']);
  const checkpoint = checkpointOf(state);
  assert.deepEqual(checkpoint.room.chat.messages.map((message) => message.text), [null, null]);
  assert.doesNotMatch(JSON.stringify(checkpoint), /Good morning|support paragraph/);
  assert.deepEqual(state.room.chat.messages.map((message) => message.text), ['Good morning', 'We support paragraph 1'], 'the live state is not changed');
  const [first, second] = state.room.chat.messages;
  const restored = withChatTexts(checkpoint, new Map([[second!.seq, 'We support paragraph 1']]));
  assert.deepEqual(restored.room.chat.messages.map((message) => message.text), [null, 'We support paragraph 1'], `the text of seq ${first!.seq} was erased`);
  assert.deepEqual(withChatTexts(checkpoint, new Map([[first!.seq, 'Good morning'], [second!.seq, 'We support paragraph 1']])), state);
});

test('[V23] a checkpoint stored before side rooms, recordings and booths existed folds on with them empty', () => {
  const current = emptyReplayState('session-1');
  const { sideRooms: _sideRooms, ...olderRoom } = current.room;
  const older = { ...current, room: { ...olderRoom, video: { mode: 'formal', removed: [] } } } as unknown as typeof current;
  const upgraded = withCurrentRoomShape(older);
  assert.deepEqual(upgraded, current);
  const opened = { seq: 1, at: 1, userId: null, delegationId: null, role: null, type: 'side_room.opened', payload: { sideRoomId: 's', title: 'T', delegationIds: ['d'], userIds: [] } };
  assert.equal(foldReplay(upgraded, [opened]).room.sideRooms.length, 1);
});
