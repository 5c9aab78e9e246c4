import type { TNoteEntry, TPositionMapVisibility, TPositionTarget, TStance, TStanceEntry } from '../../session/room/positions';
import type { Queryable } from '../driver';

/** Who wrote a negotiation-wide record, when, and in which session's room. */
export interface TRecordAuthor {
  userId: string;
  at: number;
  sessionId: string;
}

interface TPositionRow {
  delegationId: string;
  documentId: string;
  targetKind: 'paragraph' | 'amendment';
  targetId: string;
  stance: TStance | null;
  note: string;
}

function targetOf(kind: 'paragraph' | 'amendment', id: string): TPositionTarget {
  return kind === 'paragraph' ? { kind, pid: id } : { kind, amendmentId: id };
}

function targetColumns(target: TPositionTarget): [string, string] {
  return target.kind === 'paragraph' ? ['paragraph', target.pid] : ['amendment', target.amendmentId];
}

/** Every delegation's stances and position notes in a negotiation, as stored. */
export async function listPositions(q: Queryable, negotiationId: string): Promise<{ stances: TStanceEntry[]; notes: TNoteEntry[] }> {
  const rows = await q.all<TPositionRow>(
    `SELECT delegation_id AS "delegationId", document_id AS "documentId", target_kind AS "targetKind", target_id AS "targetId", stance, note
     FROM delegation_positions WHERE negotiation_id = ? ORDER BY delegation_id, document_id, target_kind, target_id`,
    [negotiationId],
  );
  const stances: TStanceEntry[] = [];
  const notes: TNoteEntry[] = [];
  for (const row of rows) {
    const base = { delegationId: row.delegationId, documentId: row.documentId, target: targetOf(row.targetKind, row.targetId) };
    if (row.stance !== null) stances.push({ ...base, stance: row.stance });
    if (row.note !== '') notes.push({ ...base, text: row.note });
  }
  return { stances, notes };
}

/** Stores a delegation's stance (null: none) and note on a target, replacing what it said before. */
export async function upsertPosition(
  q: Queryable,
  negotiationId: string,
  entry: { delegationId: string; documentId: string; target: TPositionTarget; stance: TStance | null; note: string },
  author: TRecordAuthor,
): Promise<void> {
  const [kind, id] = targetColumns(entry.target);
  await q.run(
    `INSERT INTO delegation_positions (negotiation_id, delegation_id, document_id, target_kind, target_id, stance, note, updated_by, updated_at, session_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (delegation_id, document_id, target_kind, target_id)
     DO UPDATE SET stance = excluded.stance, note = excluded.note, updated_by = excluded.updated_by, updated_at = excluded.updated_at, session_id = excluded.session_id`,
    [negotiationId, entry.delegationId, entry.documentId, kind, id, entry.stance, entry.note, author.userId, author.at, author.sessionId],
  );
}

/** Every delegation's workspace notes in a negotiation, as stored. */
export async function listWorkspaceNotes(q: Queryable, negotiationId: string): Promise<TNoteEntry[]> {
  const rows = await q.all<{ delegationId: string; documentId: string; pid: string; text: string }>(
    `SELECT delegation_id AS "delegationId", document_id AS "documentId", pid, text
     FROM workspace_notes WHERE negotiation_id = ? AND text <> '' ORDER BY delegation_id, document_id, pid`,
    [negotiationId],
  );
  return rows.map((row) => ({ delegationId: row.delegationId, documentId: row.documentId, target: { kind: 'paragraph', pid: row.pid }, text: row.text }));
}

/** Stores a delegation's workspace note on a paragraph (empty: none). */
export async function upsertWorkspaceNote(
  q: Queryable,
  negotiationId: string,
  note: { delegationId: string; documentId: string; pid: string; text: string },
  author: TRecordAuthor,
): Promise<void> {
  await q.run(
    `INSERT INTO workspace_notes (negotiation_id, delegation_id, document_id, pid, text, updated_by, updated_at, session_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (delegation_id, document_id, pid)
     DO UPDATE SET text = excluded.text, updated_by = excluded.updated_by, updated_at = excluded.updated_at, session_id = excluded.session_id`,
    [negotiationId, note.delegationId, note.documentId, note.pid, note.text, author.userId, author.at, author.sessionId],
  );
}

/** Whom the chair shows the consensus map in this negotiation. */
export async function findPositionMapVisibility(q: Queryable, negotiationId: string): Promise<TPositionMapVisibility> {
  const row = await q.get<{ positionMap: TPositionMapVisibility }>('SELECT position_map AS "positionMap" FROM negotiations WHERE id = ?', [negotiationId]);
  return row?.positionMap ?? 'everyone';
}

export async function updatePositionMapVisibility(q: Queryable, negotiationId: string, visibility: TPositionMapVisibility): Promise<void> {
  await q.run('UPDATE negotiations SET position_map = ? WHERE id = ?', [visibility, negotiationId]);
}
