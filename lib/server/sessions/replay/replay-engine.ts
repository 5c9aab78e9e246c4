/**
 * The replay engine (docs/ARCHITECTURE.md, The record): the state of a session at any seq is the
 * nearest checkpoint plus the events after it, folded by the live room's own reducer; each document
 * is its nearest document checkpoint plus its updates up to the update the log had reached. Both
 * kinds of checkpoint are derived from the stored logs, so a jump folds at most
 * `REPLAY_CHECKPOINT_EVERY` events and applies at most a document checkpoint interval of updates.
 */
import type * as Y from 'yjs';
import type { Queryable } from '../../../db';
import {
  eventContents,
  findSessionCheckpoint,
  insertSessionCheckpoints,
  listReplayEvents,
  sessionCheckpointSeqs,
  type TSessionCheckpoint,
} from '../../../db/repositories/replay';
import { checkpointOf, emptyReplayState, reduceReplay, withChatTexts, withCurrentRoomShape, type TReplayState } from '../../../session/replay/replay-state';
import { log } from '../../log';
import { readStoredDocument } from '../../documents/read-document';

/** Events between two replay checkpoints: a jump folds at most this many. */
export const REPLAY_CHECKPOINT_EVERY = 1000;

async function restore(q: Queryable, sessionId: string, checkpoint: TSessionCheckpoint): Promise<TReplayState> {
  const state = withCurrentRoomShape(JSON.parse(checkpoint.state) as TReplayState);
  const texts = await eventContents(q, sessionId, state.room.chat.messages.map((message) => message.seq));
  return withChatTexts(state, texts);
}

/** Events read per query while folding: a rebuild from nothing never holds a whole long log in memory. */
const FOLD_PAGE = 20_000;

/**
 * Folds the log's events after `from` up to `seq`, a page at a time, and stores the checkpoints the
 * fold passes (derived data: failing to store one costs only time, so it is logged, not thrown).
 */
async function foldFrom(q: Queryable, sessionId: string, from: TReplayState, seq: number): Promise<TReplayState> {
  let state = from;
  // Only the checkpoints still missing are encoded and stored (a fold past the nearest one finds none).
  const stored = seq - state.room.seq > REPLAY_CHECKPOINT_EVERY ? await sessionCheckpointSeqs(q, sessionId, state.room.seq, seq) : new Set<number>();
  const passed: TSessionCheckpoint[] = [];
  for (let after = state.room.seq; after < seq; after += FOLD_PAGE) {
    for (const event of await listReplayEvents(q, sessionId, after, Math.min(after + FOLD_PAGE, seq))) {
      state = reduceReplay(state, event);
      if (event.seq % REPLAY_CHECKPOINT_EVERY === 0 && !stored.has(event.seq)) passed.push({ seq: event.seq, at: event.at, state: JSON.stringify(checkpointOf(state)) });
    }
  }
  if (passed.length) {
    await insertSessionCheckpoints(q, sessionId, passed).catch((error: unknown) => log.warn('replay_checkpoint_failed', { sessionId, error: String(error) }));
  }
  return state;
}

/**
 * The replay's state once the log's events up to `seq` are folded (`seq` must not pass the head):
 * the nearest checkpoint, then the events after it.
 */
export async function replayStateAt(q: Queryable, sessionId: string, seq: number): Promise<TReplayState> {
  const checkpoint = await findSessionCheckpoint(q, sessionId, seq);
  return foldFrom(q, sessionId, checkpoint ? await restore(q, sessionId, checkpoint) : emptyReplayState(sessionId), seq);
}

/** Rebuilds a session's replay from nothing (every event folded, every checkpoint stored again): after checkpoints were dropped, or to check them. */
export function rebuildReplay(q: Queryable, sessionId: string, headSeq: number): Promise<TReplayState> {
  return foldFrom(q, sessionId, emptyReplayState(sessionId), headSeq);
}

/** A document as the session had it at the replay's moment. */
export function documentAtReplay(q: Queryable, documentId: string, state: TReplayState, seqBeforeSession: number): Promise<Y.Doc> {
  return readStoredDocument(q, documentId, state.documentSeqs[documentId] ?? seqBeforeSession);
}
