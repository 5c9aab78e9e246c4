import type { Queryable } from '../driver';

/** A session's stored minutes: a draft, or published (then frozen by the database). */
export interface TStoredMinutes {
  sessionId: string;
  markdown: string;
  updatedBy: string;
  updatedAt: number;
  publishedBy: string | null;
  publishedAt: number | null;
  publishedHash: string | null;
}

/** The stored minutes of a session, if any were saved. */
export async function findMinutes(q: Queryable, sessionId: string): Promise<TStoredMinutes | undefined> {
  const row = await q.get<TStoredMinutes>(
    `SELECT session_id AS "sessionId", markdown, updated_by AS "updatedBy", updated_at AS "updatedAt",
       published_by AS "publishedBy", published_at AS "publishedAt", published_hash AS "publishedHash"
     FROM session_minutes WHERE session_id = ?`,
    [sessionId],
  );
  return row && { ...row, updatedAt: Number(row.updatedAt), publishedAt: row.publishedAt === null ? null : Number(row.publishedAt) };
}

/**
 * Saves a draft (and, with `published`, publishes it) unless the minutes are published already:
 * returns false then, and changes nothing.
 */
export async function writeMinutes(
  q: Queryable,
  minutes: { sessionId: string; markdown: string; userId: string; at: number; publishedHash: string | null },
): Promise<boolean> {
  const published = minutes.publishedHash === null ? [null, null, null] : [minutes.userId, minutes.at, minutes.publishedHash];
  const result = await q.run(
    `INSERT INTO session_minutes (session_id, markdown, updated_by, updated_at, published_by, published_at, published_hash)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (session_id) DO UPDATE SET markdown = excluded.markdown, updated_by = excluded.updated_by,
       updated_at = excluded.updated_at, published_by = excluded.published_by, published_at = excluded.published_at,
       published_hash = excluded.published_hash
     WHERE session_minutes.published_at IS NULL`,
    [minutes.sessionId, minutes.markdown, minutes.userId, minutes.at, ...published],
  );
  return result.changes > 0;
}
