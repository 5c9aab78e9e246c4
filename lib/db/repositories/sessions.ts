import { GENESIS_HASH, hashEvent } from '../../session/event-hash';
import type { TSessionStatus } from '../../shared/domain';
import type { Queryable } from '../driver';

export interface TSessionRecord {
  id: string;
  negotiationId: string;
  title: string;
  scheduledStart: number;
  status: TSessionStatus;
  headSeq: number;
  headHash: string;
  createdAt: number;
}

const SESSION_COLUMNS = `id, negotiation_id AS "negotiationId", title, scheduled_start AS "scheduledStart",
  status, head_seq AS "headSeq", head_hash AS "headHash", created_at AS "createdAt"`;

/** Stores a new session with an empty log. */
export async function insertSession(
  q: Queryable,
  session: Pick<TSessionRecord, 'id' | 'negotiationId' | 'title' | 'scheduledStart' | 'status' | 'createdAt'>,
): Promise<void> {
  await q.run(
    `INSERT INTO negotiation_sessions (id, negotiation_id, title, scheduled_start, status, head_seq, head_hash, created_at)
     VALUES (?, ?, ?, ?, ?, 0, ?, ?)`,
    [session.id, session.negotiationId, session.title, session.scheduledStart, session.status, GENESIS_HASH, session.createdAt],
  );
}

/** The sessions of a negotiation, in schedule order. */
export function listSessions(q: Queryable, negotiationId: string): Promise<TSessionRecord[]> {
  return q.all<TSessionRecord>(
    `SELECT ${SESSION_COLUMNS} FROM negotiation_sessions WHERE negotiation_id = ? ORDER BY scheduled_start, created_at`,
    [negotiationId],
  );
}

/** A session, only if it belongs to the given negotiation. */
export function findSessionInNegotiation(
  q: Queryable,
  negotiationId: string,
  sessionId: string,
): Promise<TSessionRecord | undefined> {
  return q.get<TSessionRecord>(
    `SELECT ${SESSION_COLUMNS} FROM negotiation_sessions WHERE negotiation_id = ? AND id = ?`,
    [negotiationId, sessionId],
  );
}

/** A session by id. */
export function findSessionById(q: Queryable, sessionId: string): Promise<TSessionRecord | undefined> {
  return q.get<TSessionRecord>(`SELECT ${SESSION_COLUMNS} FROM negotiation_sessions WHERE id = ?`, [sessionId]);
}

/** Sets a session's lifecycle status. */
export async function updateSessionStatus(q: Queryable, sessionId: string, status: TSessionStatus): Promise<void> {
  await q.run('UPDATE negotiation_sessions SET status = ? WHERE id = ?', [status, sessionId]);
}

export interface TSessionEvent {
  sessionId: string;
  seq: number;
  at: number;
  userId: string | null;
  delegationId: string | null;
  role: string | null;
  type: string;
  payload: unknown;
  clientMsgId: string | null;
  prevHash: string;
  hash: string;
  /** Text kept beside the log (a chat message's); absent when the event has none or it was erased. */
  content?: string;
}

export interface TNewSessionEvent {
  sessionId: string;
  at: number;
  userId: string | null;
  delegationId: string | null;
  role: string | null;
  type: string;
  payload: unknown;
  /** A client's message id: a retry with the same id returns the first event and appends nothing. */
  clientMsgId?: string | null;
  /** Text to keep beside the log under this event's seq; the payload should carry its hash. */
  content?: string;
}

interface EventRow extends Omit<TSessionEvent, 'payload' | 'content'> {
  payload: string;
  content: string | null;
}

/** The log joined with the texts kept beside it. */
const EVENTS_WITH_CONTENT = `session_events e LEFT JOIN session_event_contents c ON c.session_id = e.session_id AND c.seq = e.seq`;

const EVENT_COLUMNS = `e.session_id AS "sessionId", e.seq, e.at, e.user_id AS "userId", e.delegation_id AS "delegationId",
  e.role, e.type, e.payload, e.client_msg_id AS "clientMsgId", e.prev_hash AS "prevHash", e.hash, c.content`;

function toEvent({ content, ...row }: EventRow): TSessionEvent {
  const event: TSessionEvent = { ...row, payload: JSON.parse(row.payload) as unknown };
  return content === null ? event : { ...event, content };
}

/**
 * The seq of a session's last event, with the session's row locked until the transaction ends
 * (PostgreSQL; SQLite's BEGIN IMMEDIATE already holds the whole database): whoever reads the head
 * this way decides against a log nobody else can extend meanwhile.
 */
export async function lockSessionHead(tx: Queryable, sessionId: string): Promise<number | undefined> {
  const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
  const head = await tx.get<{ headSeq: number }>(`SELECT head_seq AS "headSeq" FROM negotiation_sessions WHERE id = ?${lock}`, [sessionId]);
  return head ? Number(head.headSeq) : undefined;
}

/**
 * Appends one event to a session's log and advances its head. Must run inside a transaction: the
 * head row is locked (PostgreSQL) or the whole database is (SQLite's BEGIN IMMEDIATE), so seq and
 * the hash chain have exactly one order even with several server nodes.
 */
export async function appendSessionEvent(
  tx: Queryable,
  event: TNewSessionEvent,
): Promise<{ event: TSessionEvent; duplicate: boolean }> {
  const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
  const head = await tx.get<{ headSeq: number; headHash: string }>(
    `SELECT head_seq AS "headSeq", head_hash AS "headHash" FROM negotiation_sessions WHERE id = ?${lock}`,
    [event.sessionId],
  );
  if (!head) throw new Error(`appendSessionEvent: no session ${event.sessionId}`);

  if (event.clientMsgId) {
    const existing = await tx.get<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ${EVENTS_WITH_CONTENT} WHERE e.session_id = ? AND e.client_msg_id = ?`,
      [event.sessionId, event.clientMsgId],
    );
    if (existing) return { event: toEvent(existing), duplicate: true };
  }

  const seq = Number(head.headSeq) + 1;
  const fields = {
    sessionId: event.sessionId,
    seq,
    at: event.at,
    userId: event.userId,
    delegationId: event.delegationId,
    role: event.role,
    type: event.type,
    payload: event.payload,
  };
  const hash = hashEvent(head.headHash, fields);
  const stored: TSessionEvent = { ...fields, clientMsgId: event.clientMsgId ?? null, prevHash: head.headHash, hash, ...(event.content === undefined ? {} : { content: event.content }) };
  await tx.run(
    `INSERT INTO session_events (session_id, seq, at, user_id, delegation_id, role, type, payload, client_msg_id, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      stored.sessionId,
      stored.seq,
      stored.at,
      stored.userId,
      stored.delegationId,
      stored.role,
      stored.type,
      JSON.stringify(stored.payload),
      stored.clientMsgId,
      stored.prevHash,
      stored.hash,
    ],
  );
  if (event.content !== undefined) {
    await tx.run('INSERT INTO session_event_contents (session_id, seq, content) VALUES (?, ?, ?)', [stored.sessionId, seq, event.content]);
  }
  await tx.run('UPDATE negotiation_sessions SET head_seq = ?, head_hash = ? WHERE id = ?', [seq, hash, event.sessionId]);
  return { event: stored, duplicate: false };
}

/**
 * Erases the text kept beside one event (a deleted chat message): it is gone for everyone, in the
 * room, the record and every replay; who erased it and when stay with the row, the hash in the log.
 */
export async function eraseEventContent(tx: Queryable, sessionId: string, seq: number, erasedBy: string, at: number): Promise<boolean> {
  const { changes } = await tx.run(
    'UPDATE session_event_contents SET content = NULL, erased_at = ?, erased_by = ? WHERE session_id = ? AND seq = ? AND content IS NOT NULL',
    [at, erasedBy, sessionId, seq],
  );
  return changes === 1;
}

/** A session's events with seq greater than `afterSeq` (and at most `untilSeq`), in order. */
export async function listSessionEvents(q: Queryable, sessionId: string, afterSeq = 0, untilSeq = Number.MAX_SAFE_INTEGER): Promise<TSessionEvent[]> {
  const rows = await q.all<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM ${EVENTS_WITH_CONTENT} WHERE e.session_id = ? AND e.seq > ? AND e.seq <= ? ORDER BY e.seq`,
    [sessionId, afterSeq, untilSeq],
  );
  return rows.map(toEvent);
}
