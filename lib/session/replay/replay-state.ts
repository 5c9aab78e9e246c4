/**
 * What a replay knows at one seq of a session's log: the room exactly as the live reducer built it,
 * and, for each document, which of its stored updates the session had reached and the paragraph
 * statuses the log had set. Pure like the reducer, so a checkpoint plus the events after it gives
 * the same state as folding the whole log (the replay test proves it).
 */
import type { TParagraphStatus } from '../../db/repositories/documents';
import type { TSessionEventPayload } from '../events';
import { emptySessionRoom, type TRoomEvent, type TSessionRoomState } from '../room/state';
import { reduceSessionRoom } from '../room/reduce';

export interface TReplayState {
  room: TSessionRoomState;
  /** Per document: the seq of its latest update the log recorded up to here. */
  documentSeqs: Record<string, number>;
  /** Per document and paragraph: the status the log last set up to here. */
  paragraphStatuses: Record<string, Record<string, TParagraphStatus>>;
  /** When the last folded event happened (null before the first). */
  at: number | null;
}

export function emptyReplayState(sessionId: string): TReplayState {
  return { room: emptySessionRoom(sessionId), documentSeqs: {}, paragraphStatuses: {}, at: null };
}

/** Folds one stored event into the replay: the room's reducer, then the document marks. */
export function reduceReplay(state: TReplayState, event: TRoomEvent): TReplayState {
  if (event.seq <= state.room.seq) return state;
  const next: TReplayState = { ...state, room: reduceSessionRoom(state.room, event), at: event.at };
  if (event.type === 'document.updated') {
    const { documentId, documentSeq } = event.payload as TSessionEventPayload<'document.updated'>;
    next.documentSeqs = state.documentSeqs[documentId] === documentSeq ? state.documentSeqs : { ...state.documentSeqs, [documentId]: documentSeq };
  } else if (event.type === 'paragraph.status_changed') {
    const { documentId, pid, to } = event.payload as TSessionEventPayload<'paragraph.status_changed'>;
    next.paragraphStatuses = { ...state.paragraphStatuses, [documentId]: { ...state.paragraphStatuses[documentId], [pid]: to } };
  }
  return next;
}

export function foldReplay(from: TReplayState, events: Iterable<TRoomEvent>): TReplayState {
  let state = from;
  for (const event of events) state = reduceReplay(state, event);
  return state;
}

/**
 * The state as a checkpoint keeps it: chat texts left out, since they live beside the log where
 * the chair's deletion erases them; `withChatTexts` puts back what is still there when loading.
 */
export function checkpointOf(state: TReplayState): TReplayState {
  return { ...state, room: { ...state.room, chat: { ...state.room.chat, messages: state.room.chat.messages.map((message) => ({ ...message, text: null })) } } };
}

/** A checkpoint's state with the chat texts still kept beside the log (by the seq that carried each). */
export function withChatTexts(state: TReplayState, textsBySeq: ReadonlyMap<number, string>): TReplayState {
  const messages = state.room.chat.messages.map((message) => ({ ...message, text: textsBySeq.get(message.seq) ?? null }));
  return { ...state, room: { ...state.room, chat: { ...state.room.chat, messages } } };
}

/**
 * A checkpoint stored before this version gave the room more parts (side rooms, recordings, booths,
 * V18–V26) lacks them; the events that fill them did not exist then, so they start as a new room's.
 */
export function withCurrentRoomShape(state: TReplayState): TReplayState {
  const empty = emptySessionRoom(state.room.sessionId);
  return { ...state, room: { ...empty, ...state.room, video: { ...empty.video, ...state.room.video } } };
}
