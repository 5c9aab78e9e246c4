import type { TRoomEvent } from '../../session/room/state';
import type { Queryable } from '../driver';

/** A stored replay checkpoint: the replay's state (JSON) after folding the log up to `seq`. */
export interface TSessionCheckpoint {
  seq: number;
  at: number;
  state: string;
}

/** The latest checkpoint at or before `seq`, if any. */
export async function findSessionCheckpoint(q: Queryable, sessionId: string, seq: number): Promise<TSessionCheckpoint | undefined> {
  const row = await q.get<TSessionCheckpoint>('SELECT seq, at, state FROM session_checkpoints WHERE session_id = ? AND seq <= ? ORDER BY seq DESC LIMIT 1', [sessionId, seq]);
  return row && { ...row, seq: Number(row.seq), at: Number(row.at) };
}

/** Stores checkpoints; one already stored at a seq is kept (they are derived from the same log). One statement per 50: each write is a commit. */
export async function insertSessionCheckpoints(q: Queryable, sessionId: string, checkpoints: readonly TSessionCheckpoint[]): Promise<void> {
  for (let from = 0; from < checkpoints.length; from += 50) {
    const chunk = checkpoints.slice(from, from + 50);
    await q.run(
      `INSERT INTO session_checkpoints (session_id, seq, at, state) VALUES ${chunk.map(() => '(?, ?, ?, ?)').join(', ')} ON CONFLICT DO NOTHING`,
      chunk.flatMap((checkpoint) => [sessionId, checkpoint.seq, checkpoint.at, checkpoint.state]),
    );
  }
}

/** The seqs at which a session has checkpoints, in (`afterSeq`, `untilSeq`]. */
export async function sessionCheckpointSeqs(q: Queryable, sessionId: string, afterSeq: number, untilSeq: number): Promise<Set<number>> {
  const rows = await q.all<{ seq: number }>('SELECT seq FROM session_checkpoints WHERE session_id = ? AND seq > ? AND seq <= ?', [sessionId, afterSeq, untilSeq]);
  return new Set(rows.map((row) => Number(row.seq)));
}

/** How many checkpoints a session has and their total size in bytes (the benchmark reports it). */
export async function sessionCheckpointStorage(q: Queryable, sessionId: string): Promise<{ count: number; bytes: number }> {
  const row = await q.get<{ count: number; bytes: number | null }>('SELECT COUNT(*) AS count, SUM(LENGTH(state)) AS bytes FROM session_checkpoints WHERE session_id = ?', [sessionId]);
  return { count: Number(row?.count ?? 0), bytes: Number(row?.bytes ?? 0) };
}

/** The seq of the latest event that happened at or before `at` (0 when none did). */
export async function seqAtTime(q: Queryable, sessionId: string, at: number): Promise<number> {
  const row = await q.get<{ seq: number }>('SELECT seq FROM session_events WHERE session_id = ? AND at <= ? ORDER BY at DESC, seq DESC LIMIT 1', [sessionId, at]);
  return row ? Number(row.seq) : 0;
}

/** The time span of a session's log. */
export async function sessionLogSpan(q: Queryable, sessionId: string): Promise<{ headSeq: number; firstAt: number | null; lastAt: number | null }> {
  // One subquery per aggregate: each is a single index probe, where the three aggregates in one
  // SELECT made SQLite walk all of the session's events (≈150 ms for 260k events, on every replay).
  const row = await q.get<{ headSeq: number | null; firstAt: number | null; lastAt: number | null }>(
    `SELECT (SELECT MAX(seq) FROM session_events WHERE session_id = ?) AS "headSeq",
            (SELECT MIN(at) FROM session_events WHERE session_id = ?) AS "firstAt",
            (SELECT MAX(at) FROM session_events WHERE session_id = ?) AS "lastAt"`,
    [sessionId, sessionId, sessionId],
  );
  const number = (value: number | null | undefined) => (value === null || value === undefined ? null : Number(value));
  return { headSeq: number(row?.headSeq) ?? 0, firstAt: number(row?.firstAt), lastAt: number(row?.lastAt) };
}

/** The texts still kept beside the log for these seqs (erased ones are absent). */
export async function eventContents(q: Queryable, sessionId: string, seqs: readonly number[]): Promise<Map<number, string>> {
  const texts = new Map<number, string>();
  if (seqs.length === 0) return texts;
  const rows = await q.all<{ seq: number; content: string }>(
    `SELECT seq, content FROM session_event_contents WHERE session_id = ? AND content IS NOT NULL AND seq IN (${seqs.map(() => '?').join(', ')})`,
    [sessionId, ...seqs],
  );
  for (const row of rows) texts.set(Number(row.seq), row.content);
  return texts;
}

/** The documents a session edited, with the seq each had just before the session's first edit to it. */
export async function documentsEditedInSession(q: Queryable, sessionId: string): Promise<{ documentId: string; seqBefore: number }[]> {
  // One index probe per document (skip scan by hand): a session may hold hundreds of thousands of updates.
  const documents: { documentId: string; seqBefore: number }[] = [];
  let after = '';
  for (;;) {
    const row = await q.get<{ documentId: string; firstSeq: number }>(
      `SELECT document_id AS "documentId", seq AS "firstSeq" FROM document_updates
       WHERE session_id = ? AND document_id > ? ORDER BY session_id, document_id, seq LIMIT 1`,
      [sessionId, after],
    );
    if (!row) return documents;
    documents.push({ documentId: row.documentId, seqBefore: Number(row.firstSeq) - 1 });
    after = row.documentId;
  }
}

/**
 * A session's events as a replay folds them, seq in (`afterSeq`, `untilSeq`]: only what the reducer
 * reads (no hashes, no message ids), with the chat texts still kept beside the log. Reading less
 * per row is most of what a long rebuild costs.
 */
export async function listReplayEvents(q: Queryable, sessionId: string, afterSeq: number, untilSeq: number): Promise<TRoomEvent[]> {
  // Two plain range reads instead of a join: only chat messages have a text beside the log.
  const [rows, texts] = await Promise.all([
    q.all<{ seq: number; at: number; userId: string | null; delegationId: string | null; role: string | null; type: string; payload: string }>(
      `SELECT seq, at, user_id AS "userId", delegation_id AS "delegationId", role, type, payload
       FROM session_events WHERE session_id = ? AND seq > ? AND seq <= ? ORDER BY seq`,
      [sessionId, afterSeq, untilSeq],
    ),
    q.all<{ seq: number; content: string }>('SELECT seq, content FROM session_event_contents WHERE session_id = ? AND seq > ? AND seq <= ? AND content IS NOT NULL', [sessionId, afterSeq, untilSeq]),
  ]);
  const textBySeq = new Map(texts.map((row) => [Number(row.seq), row.content]));
  return rows.map((row) => {
    const seq = Number(row.seq);
    const event: TRoomEvent = { seq, at: Number(row.at), userId: row.userId, delegationId: row.delegationId, role: row.role, type: row.type, payload: JSON.parse(row.payload) as unknown };
    const content = textBySeq.get(seq);
    if (content !== undefined) event.content = content;
    return event;
  });
}
