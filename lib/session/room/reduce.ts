/**
 * The one reducer of a session's room: (state, event) → state, pure and total. The live server folds
 * each event it appends; a replay folds the stored log; browsers fold the events they receive. All
 * three must agree, so nothing here reads a clock, a database or a random source — time comes from
 * `event.at`, ids from the payloads.
 */
import type { TSessionEventPayload, TSessionEventType } from '../events';
import { DECISION_HANDLERS, lapseOpenQuestion } from './decision-handlers';
import { CHAT_HANDLERS } from './reduce-chat';
import { closeSideRooms, MEDIA_HANDLERS, stopRecording } from './reduce-media';
import { POSITION_HANDLERS } from './reduce-positions';
import { insertRequest, moveRequest } from './speakers';
import { emptySessionRoom, type TRoomEvent, type TSessionRoomState, type TSpeech } from './state';
import { speechElapsedMs } from './timer';
import { sessionIsOver } from '../../shared/domain';

type TTypedEvent<Type extends TSessionEventType> = Omit<TRoomEvent, 'type' | 'payload'> & {
  type: Type;
  payload: TSessionEventPayload<Type>;
};
/** What one event type does to the room. */
export type THandler<Type extends TSessionEventType> = (state: TSessionRoomState, event: TTypedEvent<Type>) => TSessionRoomState;

/** The state unchanged: the event belongs to another part of the record (the text, comments…). */
const unchanged = <Type extends TSessionEventType>(): THandler<Type> => (state) => state;

/** Ends the speech on the floor at `at`, adding its time to its delegation's total. */
function finishSpeech(state: TSessionRoomState, at: number): TSessionRoomState {
  const speech = state.floor.speech;
  if (!speech) return state;
  const ms = speechElapsedMs(speech, at);
  const spoken =
    speech.delegationId === null
      ? state.floor.spoken
      : state.floor.spoken.some((entry) => entry.delegationId === speech.delegationId)
        ? state.floor.spoken.map((entry) => (entry.delegationId === speech.delegationId ? { ...entry, ms: entry.ms + ms } : entry))
        : [...state.floor.spoken, { delegationId: speech.delegationId, ms }];
  return { ...state, floor: { ...state.floor, speech: null, spoken } };
}

/** Applies `change` to the speech on the floor when the event names it; otherwise nothing. */
function onSpeech(state: TSessionRoomState, speechId: string, change: (speech: TSpeech) => TSpeech): TSessionRoomState {
  const speech = state.floor.speech;
  if (!speech || speech.speechId !== speechId) return state;
  return { ...state, floor: { ...state.floor, speech: change(speech) } };
}

function pauseSpeech(speech: TSpeech, at: number): TSpeech {
  return speech.runningSince === null ? speech : { ...speech, elapsedMs: speechElapsedMs(speech, at), runningSince: null };
}

function runSpeech(speech: TSpeech, at: number): TSpeech {
  return speech.runningSince !== null ? speech : { ...speech, startedAt: speech.startedAt ?? at, runningSince: at };
}

function withoutRequest(state: TSessionRoomState, requestId: string): TSessionRoomState {
  return { ...state, floor: { ...state.floor, queue: state.floor.queue.filter((request) => request.requestId !== requestId) } };
}

function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const moved = [...items];
  const [item] = moved.splice(from, 1);
  if (item !== undefined) moved.splice(Math.max(0, Math.min(to, moved.length)), 0, item);
  return moved;
}

/**
 * One handler per event type of the catalogue: the compiler fails when a type is added to
 * lib/session/events.ts without deciding what it does to the room (often: nothing).
 */
const HANDLERS: { [Type in TSessionEventType]: THandler<Type> } = {
  'session.scheduled': (state, { payload }) => ({ ...state, title: payload.title, scheduledStart: payload.scheduledStart }),
  'session.status_changed': (state, { payload, at }) => {
    let next: TSessionRoomState = { ...state, status: payload.to, statusSince: at };
    // S3: suspending stops the clock; closing (or cancelling, S85) ends the speech, lapses an open
    // question (S46), empties the room, and ends the recording and the side rooms with the media room (V17).
    if (payload.to === 'suspended' && next.floor.speech) next = { ...next, floor: { ...next.floor, speech: pauseSpeech(next.floor.speech, at) } };
    if (sessionIsOver(payload.to)) {
      next = lapseOpenQuestion(finishSpeech(next, at), at);
      next = { ...next, attendance: { ...next.attendance, present: [] } };
      next = closeSideRooms(stopRecording(next, at), at);
    }
    return next;
  },
  'membership.added': unchanged(),
  'membership.role_changed': (state, { payload }) => ({
    ...state,
    attendance: {
      ...state.attendance,
      present: state.attendance.present.map((person) =>
        person.userId === payload.userId ? { ...person, role: payload.to.role, delegationId: payload.to.delegationId } : person,
      ),
    },
  }),
  'document.updated': unchanged(),
  'document.mode_changed': unchanged(),
  'document.adopted': unchanged(),
  'document.signed': unchanged(),
  'paragraph.status_changed': unchanged(),
  'amendment.proposed': unchanged(),
  'amendment.cosponsored': unchanged(),
  'amendment.decided': unchanged(),
  'comment.added': unchanged(),
  'bracket.opened': unchanged(),
  'bracket.alternative_proposed': unchanged(),
  'bracket.resolved': unchanged(),
  'delegation.accredited': (state, { payload }) =>
    state.attendance.roster.some((entry) => entry.delegationId === payload.delegationId)
      ? state
      : { ...state, attendance: { ...state.attendance, roster: [...state.attendance.roster, { delegationId: payload.delegationId, status: payload.status }] } },
  'quorum.roster_recorded': (state, { payload }) => ({
    ...state,
    attendance: { ...state.attendance, quorumRule: payload.rule, roster: payload.delegations.map((entry) => ({ ...entry })), rosterRecorded: true },
  }),
  'quorum.rule_changed': (state, { payload }) => ({ ...state, attendance: { ...state.attendance, quorumRule: payload.to } }),
  'attendance.joined': (state, { payload, at }) => ({
    ...state,
    attendance: {
      ...state.attendance,
      present: [
        ...state.attendance.present.filter((person) => person.userId !== payload.userId),
        { userId: payload.userId, delegationId: payload.delegationId, role: payload.role, since: at },
      ],
    },
  }),
  'attendance.left': (state, { payload }) => ({
    ...state,
    attendance: { ...state.attendance, present: state.attendance.present.filter((person) => person.userId !== payload.userId) },
  }),
  'agenda.item_added': (state, { payload }) => {
    const items = [...state.agenda.items];
    items.splice(Math.min(payload.index, items.length), 0, {
      itemId: payload.itemId,
      title: payload.title,
      plannedMinutes: payload.plannedMinutes,
      ...(payload.documentId ? { documentId: payload.documentId } : {}),
      takenUpAt: null,
      doneAt: null,
    });
    return { ...state, agenda: { ...state.agenda, items } };
  },
  'agenda.item_edited': (state, { payload }) => ({
    ...state,
    agenda: {
      ...state.agenda,
      items: state.agenda.items.map((item) => (item.itemId === payload.itemId ? { ...item, title: payload.title, plannedMinutes: payload.plannedMinutes } : item)),
    },
  }),
  'agenda.item_removed': (state, { payload }) => ({
    ...state,
    agenda: {
      items: state.agenda.items.filter((item) => item.itemId !== payload.itemId),
      currentItemId: state.agenda.currentItemId === payload.itemId ? null : state.agenda.currentItemId,
    },
  }),
  'agenda.item_moved': (state, { payload }) => {
    const from = state.agenda.items.findIndex((item) => item.itemId === payload.itemId);
    return from < 0 ? state : { ...state, agenda: { ...state.agenda, items: moveItem(state.agenda.items, from, payload.toIndex) } };
  },
  'agenda.current_set': (state, { payload, at }) => {
    const previous = state.agenda.currentItemId;
    const items = state.agenda.items.map((item) => {
      if (item.itemId === payload.itemId) return { ...item, takenUpAt: item.takenUpAt ?? at, doneAt: null };
      if (item.itemId === previous) return { ...item, doneAt: at };
      return item;
    });
    const known = payload.itemId === null || items.some((item) => item.itemId === payload.itemId);
    return known ? { ...state, agenda: { items, currentItemId: payload.itemId } } : state;
  },
  'floor.requested': (state, { payload, at }) => ({
    ...state,
    floor: {
      ...state.floor,
      queue: insertRequest(state.floor.queue, { requestId: payload.requestId, kind: payload.kind, userId: payload.userId, delegationId: payload.delegationId, requestedAt: at }),
    },
  }),
  'floor.request_withdrawn': (state, { payload }) => withoutRequest(state, payload.requestId),
  'floor.request_removed': (state, { payload }) => withoutRequest(state, payload.requestId),
  'floor.request_moved': (state, { payload }) => ({ ...state, floor: { ...state.floor, queue: moveRequest(state.floor.queue, payload.requestId, payload.toIndex) } }),
  'floor.request_skipped': (state, { payload }) => ({
    ...state,
    floor: { ...state.floor, queue: moveRequest(state.floor.queue, payload.requestId, Number.MAX_SAFE_INTEGER) },
  }),
  'floor.granted': (state, { payload, at }) => {
    const cleared = finishSpeech(payload.requestId ? withoutRequest(state, payload.requestId) : state, at);
    const speech: TSpeech = {
      speechId: payload.speechId,
      requestId: payload.requestId,
      kind: payload.kind,
      userId: payload.userId,
      delegationId: payload.delegationId,
      grantedAt: at,
      limitSeconds: payload.limitSeconds,
      warningSeconds: payload.warningSeconds,
      startedAt: null,
      runningSince: null,
      elapsedMs: 0,
    };
    return { ...cleared, floor: { ...cleared.floor, speech, speechCount: cleared.floor.speechCount + 1 } };
  },
  'floor.speaker_designated': (state, { payload }) => onSpeech(state, payload.speechId, (speech) => ({ ...speech, userId: payload.userId })),
  'speech.started': (state, { payload, at }) => onSpeech(state, payload.speechId, (speech) => runSpeech(speech, at)),
  'speech.paused': (state, { payload, at }) => onSpeech(state, payload.speechId, (speech) => pauseSpeech(speech, at)),
  'speech.resumed': (state, { payload, at }) => onSpeech(state, payload.speechId, (speech) => runSpeech(speech, at)),
  'speech.ended': (state, { payload, at }) => (state.floor.speech?.speechId === payload.speechId ? finishSpeech(state, at) : state),
  'floor.settings_changed': (state, { payload }) => ({ ...state, floor: { ...state.floor, settings: payload.settings } }),
  ...DECISION_HANDLERS,
  ...CHAT_HANDLERS,
  ...POSITION_HANDLERS,
  'video.mode_changed': (state, { payload }) => ({ ...state, video: { ...state.video, mode: payload.to } }),
  'video.track_muted': unchanged(),
  // V10: removed from every media room of the session, so out of any side room too (V24).
  'video.participant_removed': (state, { payload }) =>
    state.video.removed.includes(payload.userId)
      ? state
      : {
          ...state,
          video: { ...state.video, removed: [...state.video.removed, payload.userId] },
          sideRooms: state.sideRooms.map((room) => (room.present.includes(payload.userId) ? { ...room, present: room.present.filter((userId) => userId !== payload.userId) } : room)),
        },
  'video.muted_all_but_floor': unchanged(),
  'video.participant_joined': unchanged(),
  'video.participant_left': unchanged(),
  'video.track_published': unchanged(),
  'video.track_unpublished': unchanged(),
  ...MEDIA_HANDLERS,
  // The minutes live beside the log (session_minutes); the room only records that they were published.
  'minutes.published': unchanged(),
};

function isCatalogued(type: string): type is TSessionEventType {
  return Object.hasOwn(HANDLERS, type);
}

/**
 * Folds one event into the room. Events at or below the state's seq were folded already and change
 * nothing (a browser may receive an event it also got in a snapshot); types this version does not
 * know only advance the seq.
 */
export function reduceSessionRoom(state: TSessionRoomState, event: TRoomEvent): TSessionRoomState {
  if (event.seq <= state.seq) return state;
  const next = isCatalogued(event.type) ? (HANDLERS[event.type] as THandler<TSessionEventType>)(state, event as TTypedEvent<TSessionEventType>) : state;
  return { ...next, seq: event.seq };
}

/** The room after every event of a log, in order: the replay. */
export function foldSessionRoom(sessionId: string, events: Iterable<TRoomEvent>, from: TSessionRoomState = emptySessionRoom(sessionId)): TSessionRoomState {
  let state = from;
  for (const event of events) state = reduceSessionRoom(state, event);
  return state;
}
