/**
 * Records a real editing trace as a closed session of the demo negotiation (`npm run trace:import`),
 * for demos and the replay benchmark: a new document, one member delegation's head per agent,
 * each transaction a stored document update and a `document.updated` event at its time, attendance
 * and the session's opening and closing around them, checkpoints for the replay. The trace is
 * replayed and checked against its `endContent` before anything is written, and everything is
 * written in one transaction: a bad trace leaves nothing behind.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../../db';
import type { SqlValue } from '../../db/driver';
import { insertDocument } from '../../db/repositories/negotiations';
import { insertSessionCheckpoints, type TSessionCheckpoint } from '../../db/repositories/replay';
import { insertSession } from '../../db/repositories/sessions';
import { parseEditingTrace, replayEditingTrace, TraceError } from '../../documents/editing-trace';
import { GENESIS_HASH, hashEvent } from '../../session/event-hash';
import type { TSessionEventPayload, TSessionEventType } from '../../session/events';
import { checkpointOf, emptyReplayState, reduceReplay } from '../../session/replay/replay-state';
import { REPLAY_CHECKPOINT_EVERY } from '../sessions/replay/replay-engine';
import { seedDemo } from '../demo-seed';

/** Document updates between two document checkpoints of an imported trace (the live editor's is 2000). */
const TRACE_DOCUMENT_CHECKPOINT_EVERY = 1000;
/** Rows per INSERT: hundreds of thousands of rows would otherwise be as many round trips on PostgreSQL. */
const ROWS_PER_INSERT = 500;

export interface TTraceImport {
  sessionId: string;
  documentId: string;
  /** Events in the session's log. */
  events: number;
}

interface TAgentSeat {
  userId: string;
  delegationId: string;
}

interface TPendingEvent {
  at: number;
  userId: string | null;
  delegationId: string | null;
  role: string | null;
  type: TSessionEventType;
  payload: unknown;
}

async function insertRows(q: Queryable, table: string, columns: readonly string[], rows: readonly SqlValue[][]): Promise<void> {
  for (let from = 0; from < rows.length; from += ROWS_PER_INSERT) {
    const chunk = rows.slice(from, from + ROWS_PER_INSERT);
    const placeholders = chunk.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ');
    await q.run(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${placeholders}`, chunk.flat());
  }
}

/** The demo negotiation and, per agent, the head of a different member delegation (accreditation order). */
async function demoSeats(q: Queryable, agents: number): Promise<{ negotiationId: string; organizerId: string; seats: TAgentSeat[] }> {
  const negotiation = await q.get<{ id: string; createdBy: string }>(
    `SELECT id, created_by AS "createdBy" FROM negotiations WHERE format = 'multilateral' ORDER BY created_at, id LIMIT 1`,
  );
  if (!negotiation) throw new TraceError('the demo negotiation is missing from this database');
  const heads = await q.all<TAgentSeat>(
    `SELECT m.user_id AS "userId", d.id AS "delegationId" FROM delegations d JOIN memberships m ON m.delegation_id = d.id AND m.role = 'head'
     WHERE d.negotiation_id = ? AND d.status = 'member' ORDER BY d.accredited_at, d.id`,
    [negotiation.id],
  );
  if (heads.length < agents) throw new TraceError(`the trace has ${agents} agents but the demo negotiation only ${heads.length} member delegations`);
  return { negotiationId: negotiation.id, organizerId: negotiation.createdBy, seats: heads.slice(0, agents) };
}

/** Parses, replays and records a trace; throws `TraceError` (nothing written) when it is malformed or does not converge. */
export async function importEditingTrace(db: Database, json: unknown, options: { title?: string; now?: number } = {}): Promise<TTraceImport> {
  const parsed = parseEditingTrace(json);
  if (!parsed.success) throw new TraceError(`not an editing trace: ${parsed.error.issues[0]?.path.join('.') || 'root'}: ${parsed.error.issues[0]?.message ?? ''}`);
  const now = options.now ?? Date.now();
  const replay = replayEditingTrace(parsed.data, { startAt: now, checkpointEvery: TRACE_DOCUMENT_CHECKPOINT_EVERY });
  await seedDemo(db);

  return db.transaction(async (tx) => {
    const { negotiationId, organizerId, seats } = await demoSeats(tx, replay.agents);
    const sessionId = randomUUID();
    const documentId = randomUUID();
    const title = options.title?.trim() || 'Imported editing trace';
    const sessionTitle = `Editing trace “${title}”`;
    const startAt = replay.base.at;
    const endAt = replay.updates.at(-1)?.at ?? startAt;

    await insertDocument(tx, { id: documentId, negotiationId, title, kind: 'declaration', baseText: '', createdBy: organizerId, createdAt: startAt });
    await insertSession(tx, { id: sessionId, negotiationId, title: sessionTitle, scheduledStart: startAt, status: 'closed', createdAt: startAt });

    const seatOf = (agent: number) => seats[agent]!;
    const updates = [{ at: startAt, seat: null as TAgentSeat | null, bytes: replay.base.bytes }, ...replay.updates.map((update) => ({ at: update.at, seat: seatOf(update.agent), bytes: update.bytes }))];
    await insertRows(
      tx,
      'document_updates',
      ['document_id', 'seq', 'at', 'user_id', 'delegation_id', 'session_id', 'update_bytes'],
      updates.map((update, index) => [documentId, index + 1, update.at, update.seat?.userId ?? null, update.seat?.delegationId ?? null, sessionId, update.bytes]),
    );
    await tx.run('UPDATE documents SET update_head = ? WHERE id = ?', [updates.length, documentId]);
    await insertRows(
      tx,
      'document_clients',
      ['document_id', 'client_id', 'user_id', 'first_seen_at'],
      [[documentId, replay.base.clientId, null, startAt], ...replay.agentClientIds.map((clientId, agent) => [documentId, clientId, seatOf(agent).userId, startAt])],
    );
    await insertRows(
      tx,
      'document_checkpoints',
      ['document_id', 'seq', 'at', 'state_bytes'],
      replay.checkpoints.map((checkpoint) => [documentId, checkpoint.documentSeq, updates[checkpoint.documentSeq - 1]!.at, checkpoint.bytes]),
    );

    const byServer = { userId: null, delegationId: null, role: null };
    const bySeat = (seat: TAgentSeat) => ({ userId: seat.userId, delegationId: seat.delegationId, role: 'head' });
    const event = <Type extends TSessionEventType>(at: number, who: Omit<TPendingEvent, 'at' | 'type' | 'payload'>, type: Type, payload: TSessionEventPayload<Type>): TPendingEvent => ({ at, ...who, type, payload });
    const events: TPendingEvent[] = [
      event(startAt, byServer, 'session.scheduled', { title: sessionTitle, scheduledStart: startAt }),
      event(startAt, byServer, 'session.status_changed', { from: 'scheduled', to: 'live' }),
      ...seats.map((seat) => event(startAt, bySeat(seat), 'attendance.joined', { userId: seat.userId, delegationId: seat.delegationId, role: 'head' })),
      ...updates.map((update, index) =>
        event(update.at, update.seat ? bySeat(update.seat) : byServer, 'document.updated', {
          documentId,
          documentSeq: index + 1,
          updateHash: createHash('sha256').update(update.bytes).digest('hex'),
        }),
      ),
      ...seats.map((seat) => event(endAt, bySeat(seat), 'attendance.left', { userId: seat.userId, reason: 'disconnected' })),
      event(endAt, byServer, 'session.status_changed', { from: 'live', to: 'closed' }),
    ];

    // The chain exactly as appendSessionEvent builds it, computed here once for the whole log.
    let prevHash = GENESIS_HASH;
    let state = emptyReplayState(sessionId);
    const checkpoints: TSessionCheckpoint[] = [];
    const rows = events.map((pending, index) => {
      const fields = { sessionId, seq: index + 1, ...pending };
      const hash = hashEvent(prevHash, fields);
      const row: SqlValue[] = [sessionId, fields.seq, fields.at, fields.userId, fields.delegationId, fields.role, fields.type, JSON.stringify(fields.payload), null, prevHash, hash];
      prevHash = hash;
      state = reduceReplay(state, { seq: fields.seq, at: fields.at, userId: fields.userId, delegationId: fields.delegationId, role: fields.role, type: fields.type, payload: fields.payload });
      if (fields.seq % REPLAY_CHECKPOINT_EVERY === 0) checkpoints.push({ seq: fields.seq, at: fields.at, state: JSON.stringify(checkpointOf(state)) });
      return row;
    });
    await insertRows(tx, 'session_events', ['session_id', 'seq', 'at', 'user_id', 'delegation_id', 'role', 'type', 'payload', 'client_msg_id', 'prev_hash', 'hash'], rows);
    await tx.run('UPDATE negotiation_sessions SET head_seq = ?, head_hash = ? WHERE id = ?', [events.length, prevHash, sessionId]);
    await insertSessionCheckpoints(tx, sessionId, checkpoints);
    return { sessionId, documentId, events: events.length };
  });
}
