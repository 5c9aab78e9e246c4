import type { Queryable } from '../driver';

export interface TComment {
  id: string;
  documentId: string;
  threadId: string;
  anchorStart: string | null;
  anchorEnd: string | null;
  quote: string;
  body: string;
  visibility: 'all' | 'delegation';
  delegationId: string | null;
  delegationName: string | null;
  authorId: string;
  authorName: string;
  createdAt: number;
  resolvedAt: number | null;
}

/** Stores a comment (a thread's first comment has thread_id = its own id). */
export async function insertComment(
  q: Queryable,
  comment: Pick<TComment, 'id' | 'documentId' | 'threadId' | 'anchorStart' | 'anchorEnd' | 'quote' | 'body' | 'visibility' | 'delegationId' | 'authorId' | 'createdAt'>,
): Promise<void> {
  await q.run(
    `INSERT INTO comments (id, document_id, thread_id, anchor_start, anchor_end, quote, body, visibility, delegation_id, author_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [comment.id, comment.documentId, comment.threadId, comment.anchorStart, comment.anchorEnd, comment.quote, comment.body, comment.visibility, comment.delegationId, comment.authorId, comment.createdAt],
  );
}

/**
 * The comments a reader may see: everyone's public ones and their own delegation's internal ones
 * (filtered here, in SQL, so a delegation's notes never leave the server for anyone else).
 */
export async function listVisibleComments(q: Queryable, documentId: string, readerDelegationId: string | null): Promise<TComment[]> {
  const rows = await q.all<TComment>(
    `SELECT c.id, c.document_id AS "documentId", c.thread_id AS "threadId", c.anchor_start AS "anchorStart", c.anchor_end AS "anchorEnd",
       c.quote, c.body, c.visibility, c.delegation_id AS "delegationId", a.name AS "delegationName", c.author_id AS "authorId",
       u.name AS "authorName", c.created_at AS "createdAt", c.resolved_at AS "resolvedAt"
     FROM comments c JOIN users u ON u.id = c.author_id
     LEFT JOIN delegations d ON d.id = c.delegation_id LEFT JOIN actors a ON a.id = d.actor_id
     WHERE c.document_id = ? AND (c.visibility = 'all' OR c.delegation_id = ?)
     ORDER BY c.created_at, c.id`,
    [documentId, readerDelegationId],
  );
  return rows.map((row) => ({ ...row, createdAt: Number(row.createdAt), resolvedAt: row.resolvedAt === null ? null : Number(row.resolvedAt) }));
}

/** A thread's first comment, if the thread exists in the document. */
export function findThreadRoot(q: Queryable, documentId: string, threadId: string): Promise<Pick<TComment, 'id' | 'visibility' | 'delegationId' | 'authorId' | 'resolvedAt'> | undefined> {
  return q.get(
    `SELECT id, visibility, delegation_id AS "delegationId", author_id AS "authorId", resolved_at AS "resolvedAt"
     FROM comments WHERE document_id = ? AND id = ? AND thread_id = id`,
    [documentId, threadId],
  );
}

/** Marks a thread resolved. */
export async function resolveThread(q: Queryable, threadId: string, userId: string, at: number): Promise<void> {
  await q.run('UPDATE comments SET resolved_at = ?, resolved_by = ? WHERE id = ? AND resolved_at IS NULL', [at, userId, threadId]);
}
