/**
 * A session at one moment, as one person may see it (docs/PROTOCOL.md R1–R4): the room as the live
 * reducer had it (filtered per viewer exactly like the live room and the record), and each document
 * the session worked on as it stood then, with who wrote what and the status of each paragraph.
 */
import { z } from 'zod';
import type { Queryable } from '../../../db';
import type { TUser } from '../../../db/repositories/people';
import { documentsEditedInSession, seqAtTime, sessionLogSpan } from '../../../db/repositories/replay';
import type { TParagraphStatus } from '../../../db/repositories/documents';
import { documentPlainText } from '../../../documents/base-text';
import { documentBlocks, type TBlock } from '../../../documents/blocks';
import type { TReplayState } from '../../../session/replay/replay-state';
import type { TRoomDirectory } from '../../../session/room/view';
import type { TSessionRoomState } from '../../../session/room/state';
import { stateForViewer } from '../../../session/room/visibility';
import { parseInput } from '../../parse-input';
import { authorizeSessionRecord } from '../read-session-record';
import { loadRoomDirectory } from '../room/room-directory';
import { roomViewerOf, viewerScopeOf } from '../room/room-viewer';
import { documentAtReplay, replayStateAt } from './replay-engine';

/**
 * R2: `seq` (digits) or `t` (an ISO 8601 time with offset), not both; absent: the head. Values
 * beyond the log are clamped to it; anything else is `invalid_input` (400).
 */
const ZReplayQuery = z
  .strictObject({
    seq: z.string().regex(/^\d{1,15}$/, 'invalid_number').transform(Number).optional(),
    t: z.iso.datetime({ offset: true }).transform((value) => Date.parse(value)).optional(),
  })
  .refine((query) => query.seq === undefined || query.t === undefined, { message: 'seq_or_t', path: ['t'] });

export interface TReplayRun {
  text: string;
  bold: boolean;
  italic: boolean;
  /** The delegation that wrote the run, as the server recorded its Yjs client id (null: the base text, or nobody's). */
  delegationId: string | null;
}

export interface TReplayBlock extends Omit<TBlock, 'runs'> {
  status: TParagraphStatus;
  runs: TReplayRun[];
}

export interface TReplayDocument {
  id: string;
  title: string;
  /** Plain text: one line per heading or paragraph, joined by "\n". */
  text: string;
  blocks: TReplayBlock[];
}

export interface TSessionReplayView {
  sessionId: string;
  negotiationId: string;
  title: string;
  headSeq: number;
  seq: number;
  /** When the event at `seq` happened (ISO 8601), or the session's scheduled start before any event. */
  at: string;
  atMs: number;
  firstAt: number | null;
  lastAt: number | null;
  documents: TReplayDocument[];
  floor: TSessionRoomState['floor'];
  attendance: TSessionRoomState['attendance'];
  /** The whole room as this viewer may see it (agenda, decisions, chat up to then …). */
  room: TSessionRoomState;
  directory: TRoomDirectory;
}

interface TDocumentRow {
  id: string;
  title: string;
}

/** The documents a replay shows: those the session edited, or, when it edited none, the negotiation's as they were then. */
async function documentsOf(q: Queryable, sessionId: string, negotiationId: string, state: TReplayState, atMs: number): Promise<TReplayDocument[]> {
  const edited = await documentsEditedInSession(q, sessionId);
  const rows = edited.length
    ? await q.all<TDocumentRow & { seqBefore: number }>(
        `SELECT id, title, 0 AS "seqBefore" FROM documents WHERE id IN (${edited.map(() => '?').join(', ')}) ORDER BY created_at, id`,
        edited.map((document) => document.documentId),
      )
    : await q.all<TDocumentRow & { seqBefore: number }>(
        `SELECT d.id, d.title, COALESCE((SELECT MAX(u.seq) FROM document_updates u WHERE u.document_id = d.id AND u.at <= ?), 0) AS "seqBefore"
         FROM documents d WHERE d.negotiation_id = ? AND d.created_at <= ? ORDER BY d.created_at, d.id`,
        [atMs, negotiationId, atMs],
      );
  const seqBefore = new Map(edited.map((document) => [document.documentId, document.seqBefore]));
  return Promise.all(
    rows.map(async (row) => {
      const doc = await documentAtReplay(q, row.id, state, seqBefore.get(row.id) ?? Number(row.seqBefore));
      const [writers, stored] = await Promise.all([
        q.all<{ clientId: number; delegationId: string | null }>(
          `SELECT dc.client_id AS "clientId", m.delegation_id AS "delegationId"
           FROM document_clients dc LEFT JOIN memberships m ON m.user_id = dc.user_id AND m.negotiation_id = ?
           WHERE dc.document_id = ? AND dc.user_id IS NOT NULL`,
          [negotiationId, row.id],
        ),
        q.all<{ pid: string; status: TParagraphStatus; setAt: number }>('SELECT pid, status, set_at AS "setAt" FROM paragraph_statuses WHERE document_id = ?', [row.id]),
      ]);
      const delegationOf = new Map(writers.map((writer) => [Number(writer.clientId), writer.delegationId]));
      // The log's own changes first; a status set before this session and unchanged since still holds.
      const storedStatus = new Map(stored.filter((entry) => Number(entry.setAt) <= atMs).map((entry) => [entry.pid, entry.status]));
      const logged = state.paragraphStatuses[row.id] ?? {};
      const blocks = documentBlocks(doc, { authorship: true }).map(({ runs, ...block }): TReplayBlock => ({
        ...block,
        status: (block.pid && (logged[block.pid] ?? storedStatus.get(block.pid))) || 'pending',
        runs: runs.map(({ clientId, ...run }) => ({ ...run, delegationId: clientId === undefined ? null : (delegationOf.get(clientId) ?? null) })),
      }));
      const text = documentPlainText(doc);
      doc.destroy();
      return { id: row.id, title: row.title, text, blocks };
    }),
  );
}

/** Reads a session at `?seq=` or `?t=` for a member allowed to read records (`session.viewRecord`); 404 for anyone else. */
export async function readSessionReplay(q: Queryable, user: TUser, sessionId: unknown, query: unknown): Promise<TSessionReplayView> {
  const { session, access } = await authorizeSessionRecord(q, user, sessionId);
  const { seq: askedSeq, t } = parseInput(ZReplayQuery, query);
  const span = await sessionLogSpan(q, session.id);
  const wanted = askedSeq ?? (t === undefined ? span.headSeq : await seqAtTime(q, session.id, t));
  // A moment is an event: before the first one, the replay starts at the first.
  const seq = Math.min(Math.max(wanted, Math.min(1, span.headSeq)), span.headSeq);
  const state = await replayStateAt(q, session.id, seq);
  const atMs = state.at ?? session.scheduledStart;
  const room = stateForViewer(state.room, viewerScopeOf(roomViewerOf(user, access)));
  return {
    sessionId: session.id,
    negotiationId: session.negotiationId,
    title: session.title,
    headSeq: span.headSeq,
    seq,
    at: new Date(atMs).toISOString(),
    atMs,
    firstAt: span.firstAt,
    lastAt: span.lastAt,
    documents: await documentsOf(q, session.id, session.negotiationId, state, atMs),
    floor: room.floor,
    attendance: room.attendance,
    room,
    directory: await loadRoomDirectory(q, session.negotiationId),
  };
}
