import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TSessionEventPayload, TSessionEventType } from '../events';
import { budgetRemainingMs } from './budgets';
import { delegationsPresent, quorumOf, requiredForQuorum } from './quorum';
import { foldSessionRoom, reduceSessionRoom } from './reduce';
import { DEFAULT_FLOOR_SETTINGS } from './settings';
import { emptySessionRoom, type TRoomEvent, type TSessionRoomState } from './state';
import { readTimer } from './timer';

const SESSION = 'session-1';
const T0 = Date.UTC(2030, 0, 1, 9, 0, 0);

/** A log under construction: typed events with consecutive seqs at given offsets from T0. */
function logOf() {
  const events: TRoomEvent[] = [];
  return {
    events,
    add<Type extends TSessionEventType>(type: Type, payload: TSessionEventPayload<Type>, seconds = 0): TRoomEvent {
      const event: TRoomEvent = { seq: events.length + 1, at: T0 + seconds * 1000, userId: null, delegationId: null, role: null, type, payload };
      events.push(event);
      return event;
    },
    fold: () => foldSessionRoom(SESSION, events),
  };
}

/** A session scheduled and opened, with three member delegations and one observer delegation. */
function liveSession() {
  const log = logOf();
  log.add('session.scheduled', { title: 'Plenary', scheduledStart: T0 });
  log.add('quorum.roster_recorded', {
    rule: 'majority',
    delegations: [
      { delegationId: 'montreal', status: 'member' },
      { delegationId: 'seoul', status: 'member' },
      { delegationId: 'barcelona', status: 'member' },
      { delegationId: 'un-habitat', status: 'observer' },
    ],
  });
  log.add('session.status_changed', { from: 'scheduled', to: 'live' });
  return log;
}

/** Freezes a value deeply, so a reducer that mutates its input throws in strict mode. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

const queueOf = (state: TSessionRoomState) => state.floor.queue.map((request) => `${request.kind}:${request.delegationId ?? request.userId}`);

describe('session room reducer', () => {
  test('[S2] lifecycle: title, schedule and status with the time of the change', () => {
    const state = liveSession().fold();
    assert.equal(state.title, 'Plenary');
    assert.equal(state.status, 'live');
    assert.equal(state.statusSince, T0);
    assert.equal(state.seq, 3);
  });

  test('[S5] points of order go first, ranked among themselves by request time; the rest keep their order', () => {
    const log = liveSession();
    log.add('floor.requested', { requestId: 'r1', kind: 'regular', userId: 'u-montreal', delegationId: 'montreal' }, 1);
    log.add('floor.requested', { requestId: 'r2', kind: 'question', userId: 'u-seoul', delegationId: 'seoul' }, 2);
    log.add('floor.requested', { requestId: 'r3', kind: 'point_of_order', userId: 'u-barcelona', delegationId: 'barcelona' }, 3);
    log.add('floor.requested', { requestId: 'r4', kind: 'point_of_order', userId: 'u-seoul', delegationId: 'seoul' }, 4);
    log.add('floor.requested', { requestId: 'r5', kind: 'right_of_reply', userId: 'u-barcelona', delegationId: 'barcelona' }, 5);
    assert.deepEqual(queueOf(log.fold()), [
      'point_of_order:barcelona',
      'point_of_order:seoul',
      'regular:montreal',
      'question:seoul',
      'right_of_reply:barcelona',
    ]);
  });

  test('[S7] the chair moves a request within its class, skips it to the end of its class, removes it; the requester withdraws', () => {
    const log = liveSession();
    log.add('floor.requested', { requestId: 'po', kind: 'point_of_order', userId: 'u-seoul', delegationId: 'seoul' });
    for (const [id, delegation] of [['a', 'montreal'], ['b', 'seoul'], ['c', 'barcelona']] as const) {
      log.add('floor.requested', { requestId: id, kind: 'regular', userId: `u-${delegation}`, delegationId: delegation });
    }
    log.add('floor.request_moved', { requestId: 'c', toIndex: 0 });
    assert.deepEqual(log.fold().floor.queue.map((r) => r.requestId), ['po', 'c', 'a', 'b'], 'moved to the top of the regular class, below the point of order');
    log.add('floor.request_skipped', { requestId: 'c' });
    assert.deepEqual(log.fold().floor.queue.map((r) => r.requestId), ['po', 'a', 'b', 'c']);
    log.add('floor.request_moved', { requestId: 'a', toIndex: 99 });
    assert.deepEqual(log.fold().floor.queue.map((r) => r.requestId), ['po', 'b', 'c', 'a'], 'an index past the end is clamped');
    log.add('floor.request_removed', { requestId: 'b' });
    log.add('floor.request_withdrawn', { requestId: 'po' });
    assert.deepEqual(log.fold().floor.queue.map((r) => r.requestId), ['c', 'a']);
  });

  test('[S10][S13] a granted speech is timed from the server times of its events: pause, resume, warning, overrun, end', () => {
    const log = liveSession();
    log.add('floor.requested', { requestId: 'r1', kind: 'regular', userId: 'u-montreal', delegationId: 'montreal' }, 0);
    log.add('floor.granted', { speechId: 's1', requestId: 'r1', kind: 'regular', userId: 'u-montreal', delegationId: 'montreal', limitSeconds: 60, warningSeconds: 15 }, 10);
    let state = log.fold();
    assert.equal(state.floor.queue.length, 0, 'the request left the list');
    assert.equal(readTimer(state.floor.speech!, T0 + 20_000).phase, 'ready');
    log.add('speech.started', { speechId: 's1' }, 10);
    log.add('speech.paused', { speechId: 's1' }, 30);
    assert.deepEqual(readTimer(log.fold().floor.speech!, T0 + 40_000), { elapsedMs: 20_000, remainingMs: 40_000, phase: 'paused', level: 'normal' });
    log.add('speech.resumed', { speechId: 's1' }, 50);
    state = log.fold();
    const speech = state.floor.speech!;
    assert.deepEqual(readTimer(speech, T0 + 75_000), { elapsedMs: 45_000, remainingMs: 15_000, phase: 'running', level: 'warning' });
    assert.equal(readTimer(speech, T0 + 91_000).level, 'overrun');
    log.add('speech.ended', { speechId: 's1' }, 100);
    state = log.fold();
    assert.equal(state.floor.speech, null);
    assert.deepEqual(state.floor.spoken, [{ delegationId: 'montreal', ms: 70_000 }]);
    assert.equal(state.floor.speechCount, 1);
  });

  test('[S10] events naming another speech than the one on the floor change nothing', () => {
    const log = liveSession();
    log.add('floor.granted', { speechId: 's1', requestId: null, kind: 'regular', userId: null, delegationId: 'seoul', limitSeconds: 60, warningSeconds: 10 }, 1);
    log.add('speech.started', { speechId: 's1' }, 1);
    const before = log.fold();
    log.add('speech.paused', { speechId: 'other' }, 5);
    log.add('speech.ended', { speechId: 'other' }, 6);
    assert.deepEqual({ ...log.fold(), seq: before.seq }, before);
  });

  test('[S3] suspending stops the clock; closing ends the speech, counts its time and empties the room', () => {
    const log = liveSession();
    log.add('attendance.joined', { userId: 'u-seoul', delegationId: 'seoul', role: 'head' }, 0);
    log.add('floor.granted', { speechId: 's1', requestId: null, kind: 'regular', userId: null, delegationId: 'seoul', limitSeconds: 120, warningSeconds: 10 }, 0);
    log.add('speech.started', { speechId: 's1' }, 0);
    log.add('session.status_changed', { from: 'live', to: 'suspended' }, 30);
    let state = log.fold();
    assert.equal(readTimer(state.floor.speech!, T0 + 500_000).elapsedMs, 30_000, 'no time passes while suspended');
    log.add('session.status_changed', { from: 'suspended', to: 'closed' }, 600);
    state = log.fold();
    assert.equal(state.floor.speech, null);
    assert.deepEqual(state.floor.spoken, [{ delegationId: 'seoul', ms: 30_000 }]);
    assert.deepEqual(state.attendance.present, []);
  });

  test('[S8][S9] agenda: items added, edited, moved, removed; the current item and when items were taken up and left', () => {
    const log = liveSession();
    log.add('agenda.item_added', { itemId: 'i1', title: 'Opening', plannedMinutes: 10, index: 0 });
    log.add('agenda.item_added', { itemId: 'i2', title: 'Paragraph 3', plannedMinutes: 45, index: 1 });
    log.add('agenda.item_added', { itemId: 'i0', title: 'Roll call', plannedMinutes: null, index: 0 });
    log.add('agenda.item_edited', { itemId: 'i2', title: 'Paragraph 3 (finance)', plannedMinutes: 60 });
    log.add('agenda.item_moved', { itemId: 'i0', toIndex: 2 });
    log.add('agenda.current_set', { itemId: 'i1' }, 60);
    log.add('agenda.current_set', { itemId: 'i2' }, 600);
    let state = log.fold();
    assert.deepEqual(state.agenda.items.map((item) => item.itemId), ['i1', 'i2', 'i0']);
    assert.equal(state.agenda.currentItemId, 'i2');
    assert.deepEqual(state.agenda.items[0], { itemId: 'i1', title: 'Opening', plannedMinutes: 10, takenUpAt: T0 + 60_000, doneAt: T0 + 600_000 });
    assert.deepEqual(state.agenda.items[1], { itemId: 'i2', title: 'Paragraph 3 (finance)', plannedMinutes: 60, takenUpAt: T0 + 600_000, doneAt: null });
    log.add('agenda.item_removed', { itemId: 'i2' });
    state = log.fold();
    assert.equal(state.agenda.currentItemId, null, 'removing the current item leaves none current');
    log.add('agenda.current_set', { itemId: 'never-added' });
    assert.equal(log.fold().agenda.currentItemId, null, 'an unknown item is not made current');
  });

  test('[S16][S17] attendance counts people once; a delegation is present through its head or delegate (an observer delegation also through its observers); quorum by rule', () => {
    const log = liveSession();
    log.add('attendance.joined', { userId: 'u-montreal', delegationId: 'montreal', role: 'head' });
    log.add('attendance.joined', { userId: 'u-montreal', delegationId: 'montreal', role: 'head' });
    log.add('attendance.joined', { userId: 'adv-seoul', delegationId: 'seoul', role: 'adviser' });
    log.add('attendance.joined', { userId: 'obs', delegationId: 'un-habitat', role: 'observer' });
    log.add('attendance.joined', { userId: 'obs-seoul', delegationId: 'seoul', role: 'observer' });
    let state = log.fold();
    assert.equal(state.attendance.present.length, 4, 'a second join of the same person is one presence');
    assert.deepEqual([...delegationsPresent(state)].sort(), ['montreal', 'un-habitat'], 'advisers and observers do not make a member delegation present');
    assert.deepEqual(quorumOf(state), { rule: 'majority', members: 3, present: 1, required: 2, met: false });
    log.add('attendance.joined', { userId: 'u-seoul', delegationId: 'seoul', role: 'delegate' });
    assert.deepEqual(quorumOf(log.fold()), { rule: 'majority', members: 3, present: 2, required: 2, met: true });
    log.add('quorum.rule_changed', { from: 'majority', to: 'all' });
    assert.equal(quorumOf(log.fold()).met, false);
    log.add('attendance.left', { userId: 'u-seoul', reason: 'disconnected' });
    log.add('delegation.accredited', { delegationId: 'johannesburg', actorId: 'a', status: 'member' });
    state = log.fold();
    assert.deepEqual(quorumOf(state), { rule: 'all', members: 4, present: 1, required: 4, met: false });
    log.add('membership.role_changed', { membershipId: 'm', userId: 'u-montreal', from: { role: 'head', delegationId: 'montreal' }, to: { role: 'observer', delegationId: null } });
    assert.deepEqual(log.fold().attendance.present.find((person) => person.userId === 'u-montreal'), { userId: 'u-montreal', delegationId: null, role: 'observer', since: T0 });
  });

  test('[S17] quorum thresholds', () => {
    assert.deepEqual([0, 1, 2, 3, 7, 10].map((n) => requiredForQuorum('majority', n)), [1, 1, 2, 2, 4, 6]);
    assert.deepEqual([0, 1, 2, 3, 7, 10].map((n) => requiredForQuorum('two_thirds', n)), [0, 1, 2, 2, 5, 7]);
    assert.equal(requiredForQuorum('all', 7), 7);
    assert.equal(requiredForQuorum('none', 7), 0);
  });

  test('[S12] a group budget counts finished speeches and the running one of its delegations', () => {
    const log = liveSession();
    const settings = { ...DEFAULT_FLOOR_SETTINGS, budgets: [{ label: 'Asia', delegationIds: ['seoul'], seconds: 100 }] };
    log.add('floor.settings_changed', { settings });
    log.add('floor.granted', { speechId: 's1', requestId: null, kind: 'regular', userId: null, delegationId: 'seoul', limitSeconds: 60, warningSeconds: 10 }, 0);
    log.add('speech.started', { speechId: 's1' }, 0);
    log.add('speech.ended', { speechId: 's1' }, 40);
    log.add('floor.granted', { speechId: 's2', requestId: null, kind: 'regular', userId: null, delegationId: 'seoul', limitSeconds: 60, warningSeconds: 10 }, 50);
    log.add('speech.started', { speechId: 's2' }, 50);
    const state = log.fold();
    const [budget] = state.floor.settings.budgets;
    assert.equal(budgetRemainingMs(state, budget!, T0 + 70_000), 40_000);
  });

  test('[S1] the reducer is pure: it never changes the state it is given', () => {
    const log = liveSession();
    log.add('floor.requested', { requestId: 'r1', kind: 'regular', userId: 'u', delegationId: 'seoul' });
    log.add('agenda.item_added', { itemId: 'i1', title: 'Opening', plannedMinutes: null, index: 0 });
    log.add('attendance.joined', { userId: 'u', delegationId: 'seoul', role: 'head' });
    const base = deepFreeze(log.fold());
    const more = logOf();
    more.events.push(...log.events);
    more.add('floor.granted', { speechId: 's', requestId: 'r1', kind: 'regular', userId: 'u', delegationId: 'seoul', limitSeconds: 9, warningSeconds: 1 });
    more.add('speech.started', { speechId: 's' });
    more.add('session.status_changed', { from: 'live', to: 'closed' }, 5);
    more.add('agenda.item_moved', { itemId: 'i1', toIndex: 0 });
    assert.doesNotThrow(() => foldSessionRoom(SESSION, more.events.slice(log.events.length), base));
  });

  test('[S1] folding a log in pieces equals folding it whole; replayed and unknown events only move the seq', () => {
    const log = liveSession();
    log.add('floor.requested', { requestId: 'r1', kind: 'regular', userId: 'u', delegationId: 'seoul' });
    log.add('agenda.item_added', { itemId: 'i1', title: 'Opening', plannedMinutes: null, index: 0 });
    const whole = log.fold();
    const halfway = foldSessionRoom(SESSION, log.events.slice(0, 2));
    assert.deepEqual(foldSessionRoom(SESSION, log.events.slice(2), halfway), whole);
    assert.equal(reduceSessionRoom(whole, log.events[3]!), whole, 'an event at or below the seq is ignored');
    const unknown = reduceSessionRoom(whole, { seq: whole.seq + 1, at: T0, userId: null, delegationId: null, role: null, type: 'test.note', payload: {} });
    assert.deepEqual(unknown, { ...whole, seq: whole.seq + 1 });
    assert.deepEqual(foldSessionRoom(SESSION, []), emptySessionRoom(SESSION));
  });
});

test('[V7][V10] the media room: formal until the chair switches; removals are kept once; webhook reports change nothing', () => {
  const log = liveSession();
  assert.deepEqual(log.fold().video, { mode: 'formal', removed: [], recording: null, recordings: [], booths: [] });
  log.add('video.mode_changed', { from: 'formal', to: 'informal' });
  log.add('video.participant_removed', { userId: 'u-delegate' });
  log.add('video.participant_removed', { userId: 'u-delegate' });
  const before = log.fold();
  log.add('video.participant_joined', { userId: 'u-head', participantSid: 'PA_1' });
  log.add('video.track_muted', { userId: 'u-head', trackSid: 'TR_1' });
  assert.deepEqual(before.video, { mode: 'informal', removed: ['u-delegate'], recording: null, recordings: [], booths: [] });
  assert.deepEqual({ ...log.fold(), seq: before.seq }, before);
});

test('[V18][V19][V20] a recording runs from the media server’s answer to its stop, an ended egress or the close; each keeps its times for the replay', () => {
  const log = liveSession();
  const requested = log.add('video.recording_requested', {}, 11);
  assert.deepEqual(log.fold().video.recording, { status: 'starting', egressId: null, since: requested.at });
  log.add('video.recording_failed', { reason: 'refused' }, 12);
  assert.equal(log.fold().video.recording, null);
  log.add('video.recording_requested', {}, 13);
  const started = log.add('video.recording_started', { egressId: 'EG_1' }, 14);
  assert.deepEqual(log.fold().video.recording, { status: 'on', egressId: 'EG_1', since: started.at });
  // Another egress's end, or a stop naming another egress, changes nothing.
  log.add('video.egress_changed', { change: 'ended', egressId: 'EG_other', status: 'EGRESS_COMPLETE' }, 15);
  log.add('video.recording_stopped', { egressId: 'EG_other' }, 16);
  assert.equal(log.fold().video.recording?.egressId, 'EG_1');
  const stopped = log.add('video.recording_stopped', { egressId: 'EG_1' }, 17);
  log.add('video.recording_requested', {}, 18);
  const again = log.add('video.recording_started', { egressId: 'EG_2' }, 19);
  const ended = log.add('video.egress_changed', { change: 'ended', egressId: 'EG_2', status: 'EGRESS_FAILED' }, 20);
  log.add('video.recording_requested', {}, 21);
  const third = log.add('video.recording_started', { egressId: 'EG_3' }, 22);
  const closed = log.add('session.status_changed', { from: 'live', to: 'closed' }, 23);
  const video = log.fold().video;
  assert.equal(video.recording, null);
  assert.deepEqual(video.recordings, [
    { egressId: 'EG_1', startedAt: started.at, stoppedAt: stopped.at },
    { egressId: 'EG_2', startedAt: again.at, stoppedAt: ended.at },
    { egressId: 'EG_3', startedAt: third.at, stoppedAt: closed.at },
  ]);
});

test('[V21][V23][V24][V25] booths pass from one interpreter to the next; side rooms hold one place per person and empty when closed', () => {
  const log = liveSession();
  log.add('interpretation.booth_handed_over', { language: 'fr', from: null, to: 'u-int-1' }, 24);
  const handover = log.add('interpretation.booth_handed_over', { language: 'fr', from: 'u-int-1', to: 'u-int-2' }, 25);
  log.add('interpretation.booth_handed_over', { language: 'es', from: null, to: 'u-int-3' }, 26);
  assert.deepEqual(
    log.fold().video.booths.find((booth) => booth.language === 'fr'),
    { language: 'fr', userId: 'u-int-2', since: handover.at },
  );
  assert.equal(log.fold().video.booths.length, 2);

  const opened = log.add('side_room.opened', { sideRoomId: 'sr-1', title: 'Bilateral', delegationIds: ['d-1', 'd-2'], userIds: [] }, 27);
  log.add('side_room.opened', { sideRoomId: 'sr-2', title: 'Informals', delegationIds: ['d-3'], userIds: ['u-obs'] }, 28);
  log.add('side_room.joined', { sideRoomId: 'sr-1', userId: 'u-a' }, 29);
  log.add('side_room.joined', { sideRoomId: 'sr-1', userId: 'u-b' }, 30);
  log.add('side_room.joined', { sideRoomId: 'sr-2', userId: 'u-a' }, 31);
  let rooms = log.fold().sideRooms;
  assert.deepEqual(rooms.map((room) => room.present), [['u-b'], ['u-a']]);
  assert.equal(rooms[0]?.openedAt, opened.at);
  log.add('side_room.left', { sideRoomId: 'sr-1', userId: 'u-b' }, 32);
  const closed = log.add('side_room.closed', { sideRoomId: 'sr-2' }, 33);
  rooms = log.fold().sideRooms;
  assert.deepEqual(rooms.map((room) => [room.present, room.closedAt]), [[[], null], [[], closed.at]]);
  const sessionClosed = log.add('session.status_changed', { from: 'live', to: 'closed' }, 34);
  assert.deepEqual(log.fold().sideRooms.map((room) => room.closedAt), [sessionClosed.at, closed.at]);
});
