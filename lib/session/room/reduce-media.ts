/**
 * The reducer's part for recordings, interpretation booths and side rooms (V18–V25): pure, like
 * the rest of the reducer. Recordings keep their start and stop in server time so a replay can
 * align the recorded file with the log.
 */
import { holdsBooth, mediaGrantsFor, sideRoomGrantsFor, type TMediaGrants, type TMediaParticipant } from '../../policy/media';
import type { THandler } from './reduce';
import type { TSessionRoomState, TSideRoom } from './state';

type TMediaEventType =
  | 'video.recording_requested'
  | 'video.recording_started'
  | 'video.recording_failed'
  | 'video.recording_stopped'
  | 'video.egress_changed'
  | 'interpretation.booth_handed_over'
  | 'side_room.opened'
  | 'side_room.joined'
  | 'side_room.left'
  | 'side_room.closed';

/** The running recording ends at `at` (the chair stopped it, its egress ended, the session closed). */
export function stopRecording(state: TSessionRoomState, at: number): TSessionRoomState {
  const egressId = state.video.recording?.egressId ?? null;
  if (!state.video.recording) return state;
  const recordings = state.video.recordings.map((recording) => (recording.egressId === egressId && recording.stoppedAt === null ? { ...recording, stoppedAt: at } : recording));
  return { ...state, video: { ...state.video, recording: null, recordings } };
}

/** Every open side room closes at `at` (the chair closed one, or the session closed them all). */
export function closeSideRooms(state: TSessionRoomState, at: number, which: (room: TSideRoom) => boolean = () => true): TSessionRoomState {
  return { ...state, sideRooms: state.sideRooms.map((room) => (room.closedAt === null && which(room) ? { ...room, closedAt: at, present: [] } : room)) };
}

/** The open side room a person is in, if any: they are away from the plenary. */
export function sideRoomOf(state: TSessionRoomState, userId: string): TSideRoom | null {
  return state.sideRooms.find((room) => room.closedAt === null && room.present.includes(userId)) ?? null;
}

/**
 * What `participant` may publish now (V3–V6, V21, V26) in the media room they are in: the plenary's
 * grants for the room's mode, the speech on the floor and the booth of the channel they joined on
 * (`language`), or a side room's (`sideRoomId`). The server's tickets and LiveKit permissions and the
 * browsers' stages all ask here, so what a page says matches what the server grants.
 */
export function mediaGrantsNow(state: TSessionRoomState, participant: TMediaParticipant, language: string, sideRoomId: string | null = null): TMediaGrants {
  if (sideRoomId !== null) return sideRoomGrantsFor(participant);
  return mediaGrantsFor(participant, state.video.mode, state.floor.speech, holdsBooth(participant, language, state.video.booths));
}

export const MEDIA_HANDLERS: { [Type in TMediaEventType]: THandler<Type> } = {
  'video.recording_requested': (state, { at }) => ({ ...state, video: { ...state.video, recording: { status: 'starting', egressId: null, since: at } } }),
  'video.recording_started': (state, { payload, at }) => ({
    ...state,
    video: {
      ...state.video,
      recording: { status: 'on', egressId: payload.egressId, since: at },
      recordings: [...state.video.recordings, { egressId: payload.egressId, startedAt: at, stoppedAt: null }],
    },
  }),
  'video.recording_failed': (state) => (state.video.recording?.status === 'starting' ? { ...state, video: { ...state.video, recording: null } } : state),
  'video.recording_stopped': (state, { payload, at }) => (state.video.recording?.egressId === payload.egressId ? stopRecording(state, at) : state),
  // The media server may end an egress on its own (a failure, a full disk): the record says so too.
  'video.egress_changed': (state, { payload, at }) =>
    payload.change === 'ended' && state.video.recording?.egressId === payload.egressId ? stopRecording(state, at) : state,
  'interpretation.booth_handed_over': (state, { payload, at }) => ({
    ...state,
    video: {
      ...state.video,
      booths: [...state.video.booths.filter((booth) => booth.language !== payload.language), { language: payload.language, userId: payload.to, since: at }],
    },
  }),
  'side_room.opened': (state, { payload, at }) => ({
    ...state,
    sideRooms: [...state.sideRooms, { sideRoomId: payload.sideRoomId, title: payload.title, delegationIds: [...payload.delegationIds], userIds: [...payload.userIds], openedAt: at, closedAt: null, present: [] }],
  }),
  // One place at a time: joining a side room leaves any other.
  'side_room.joined': (state, { payload }) => ({
    ...state,
    sideRooms: state.sideRooms.map((room) => {
      const others = room.present.filter((userId) => userId !== payload.userId);
      return room.sideRoomId === payload.sideRoomId && room.closedAt === null ? { ...room, present: [...others, payload.userId] } : { ...room, present: others };
    }),
  }),
  'side_room.left': (state, { payload }) => ({
    ...state,
    sideRooms: state.sideRooms.map((room) => (room.sideRoomId === payload.sideRoomId ? { ...room, present: room.present.filter((userId) => userId !== payload.userId) } : room)),
  }),
  'side_room.closed': (state, { payload, at }) => closeSideRooms(state, at, (room) => room.sideRoomId === payload.sideRoomId),
};
