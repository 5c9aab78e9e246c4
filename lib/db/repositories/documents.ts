import type { Queryable } from '../driver';

export const DRAFTING_MODES = ['open_drafting', 'amendments_only', 'adopted'] as const;
export type TDraftingMode = (typeof DRAFTING_MODES)[number];

export interface TLiveDocument {
  id: string;
  negotiationId: string;
  title: string;
  kind: string;
  baseText: string;
  draftingMode: TDraftingMode;
  updateHead: number;
}

/** A document with what the live editor needs. */
export function findLiveDocument(q: Queryable, documentId: string): Promise<TLiveDocument | undefined> {
  return q.get<TLiveDocument>(
    `SELECT id, negotiation_id AS "negotiationId", title, kind, base_text AS "baseText",
       drafting_mode AS "draftingMode", update_head AS "updateHead"
     FROM documents WHERE id = ?`,
    [documentId],
  );
}

export interface TNewDocumentUpdate {
  at: number;
  userId: string | null;
  delegationId: string | null;
  sessionId: string | null;
  bytes: Uint8Array;
}

/**
 * Appends updates to a document's log in order and returns their seqs. Runs inside a transaction:
 * the document row is locked (PostgreSQL) or the database is (SQLite), so seqs have one order.
 */
export async function appendDocumentUpdates(tx: Queryable, documentId: string, updates: readonly TNewDocumentUpdate[]): Promise<number[]> {
  const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
  const head = await tx.get<{ updateHead: number }>(`SELECT update_head AS "updateHead" FROM documents WHERE id = ?${lock}`, [documentId]);
  if (!head) throw new Error(`appendDocumentUpdates: no document ${documentId}`);
  const seqs: number[] = [];
  let seq = Number(head.updateHead);
  for (const update of updates) {
    seq += 1;
    await tx.run(
      `INSERT INTO document_updates (document_id, seq, at, user_id, delegation_id, session_id, update_bytes)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [documentId, seq, update.at, update.userId, update.delegationId, update.sessionId, update.bytes],
    );
    seqs.push(seq);
  }
  await tx.run('UPDATE documents SET update_head = ? WHERE id = ?', [seq, documentId]);
  return seqs;
}

export interface TStoredDocumentState {
  /** The latest checkpoint, with its state vector when it was stored with one (checkpoints since migration 009). */
  checkpoint: { seq: number; bytes: Uint8Array; stateVector: Uint8Array | null } | null;
  /** Updates after the checkpoint, in order. */
  updates: { seq: number; bytes: Uint8Array }[];
  head: number;
}

/** The latest checkpoint and the updates after it: everything needed to rebuild the document. */
export function loadDocumentState(q: Queryable, documentId: string): Promise<TStoredDocumentState> {
  return loadDocumentStateAt(q, documentId, Number.MAX_SAFE_INTEGER);
}

/** What rebuilds a document as it was at `seq`: the latest checkpoint at or before it and the updates up to it. */
export async function loadDocumentStateAt(q: Queryable, documentId: string, seq: number): Promise<TStoredDocumentState> {
  const checkpoint = await q.get<{ seq: number; bytes: Uint8Array; stateVector: Uint8Array | null }>(
    `SELECT seq, state_bytes AS bytes, state_vector AS "stateVector" FROM document_checkpoints WHERE document_id = ? AND seq <= ? ORDER BY seq DESC LIMIT 1`,
    [documentId, seq],
  );
  const after = checkpoint ? Number(checkpoint.seq) : 0;
  const updates = await q.all<{ seq: number; bytes: Uint8Array }>(
    `SELECT seq, update_bytes AS bytes FROM document_updates WHERE document_id = ? AND seq > ? AND seq <= ? ORDER BY seq`,
    [documentId, after, seq],
  );
  return {
    checkpoint: checkpoint
      ? {
          seq: Number(checkpoint.seq),
          bytes: new Uint8Array(checkpoint.bytes),
          stateVector: checkpoint.stateVector ? new Uint8Array(checkpoint.stateVector) : null,
        }
      : null,
    updates: updates.map((row) => ({ seq: Number(row.seq), bytes: new Uint8Array(row.bytes) })),
    head: updates.length ? Number(updates[updates.length - 1]?.seq) : after,
  };
}

/** Stores the whole state of a document as of `seq`, and its state vector. */
export async function insertDocumentCheckpoint(q: Queryable, documentId: string, seq: number, bytes: Uint8Array, stateVector: Uint8Array, at: number): Promise<void> {
  await q.run(
    `INSERT INTO document_checkpoints (document_id, seq, at, state_bytes, state_vector) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    [documentId, seq, at, bytes, stateVector],
  );
}

/**
 * Records that `userId` (null: the server) writes under these Yjs client ids, and returns the ids
 * already recorded for someone else — the update must then be refused (T27).
 */
export async function claimClientIds(tx: Queryable, documentId: string, userId: string | null, clientIds: readonly number[], at: number): Promise<number[]> {
  const foreign: number[] = [];
  for (const clientId of clientIds) {
    const owner = await tx.get<{ userId: string | null }>(
      'SELECT user_id AS "userId" FROM document_clients WHERE document_id = ? AND client_id = ?',
      [documentId, clientId],
    );
    if (!owner) {
      await tx.run('INSERT INTO document_clients (document_id, client_id, user_id, first_seen_at) VALUES (?, ?, ?, ?)', [documentId, clientId, userId, at]);
    } else if (owner.userId !== userId) {
      foreign.push(clientId);
    }
  }
  return foreign;
}

/** Sets a document's drafting mode. */
export async function updateDraftingMode(q: Queryable, documentId: string, mode: TDraftingMode): Promise<void> {
  await q.run('UPDATE documents SET drafting_mode = ? WHERE id = ?', [mode, documentId]);
}

export const PARAGRAPH_STATUSES = ['pending', 'bracketed', 'agreed_ad_ref', 'agreed'] as const;
export type TParagraphStatus = (typeof PARAGRAPH_STATUSES)[number];

/** The status of every paragraph that has one (others are pending). */
export async function listParagraphStatuses(q: Queryable, documentId: string): Promise<Record<string, TParagraphStatus>> {
  const rows = await q.all<{ pid: string; status: TParagraphStatus }>('SELECT pid, status FROM paragraph_statuses WHERE document_id = ?', [documentId]);
  return Object.fromEntries(rows.map((row) => [row.pid, row.status]));
}

/** Sets a paragraph's status; returns the previous one. */
export async function upsertParagraphStatus(q: Queryable, documentId: string, pid: string, status: TParagraphStatus, userId: string, at: number): Promise<TParagraphStatus> {
  const previous = await q.get<{ status: TParagraphStatus }>('SELECT status FROM paragraph_statuses WHERE document_id = ? AND pid = ?', [documentId, pid]);
  await q.run(
    `INSERT INTO paragraph_statuses (document_id, pid, status, set_by, set_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (document_id, pid) DO UPDATE SET status = excluded.status, set_by = excluded.set_by, set_at = excluded.set_at`,
    [documentId, pid, status, userId, at],
  );
  return previous?.status ?? 'pending';
}
