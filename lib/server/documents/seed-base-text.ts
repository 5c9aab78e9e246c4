import type { Database, Queryable } from '../../db';
import { appendDocumentUpdates, claimClientIds } from '../../db/repositories/documents';
import { baseTextToUpdate } from '../../documents/base-text';

/**
 * The base text becomes the document's first update, once, on the server (never by a client, T33),
 * inside the caller's transaction: the document row is locked first (PostgreSQL; SQLite's write
 * lock holds the whole database), so two first readers cannot both seed it.
 */
export async function seedBaseTextOnce(tx: Queryable, documentId: string, baseText: string, at: number): Promise<void> {
  const head = await tx.get<{ updateHead: number }>(
    `SELECT update_head AS "updateHead" FROM documents WHERE id = ?${tx.dialect === 'postgres' ? ' FOR UPDATE' : ''}`,
    [documentId],
  );
  if (!head || Number(head.updateHead) > 0) return;
  const { update, clientId } = baseTextToUpdate(baseText);
  await claimClientIds(tx, documentId, null, [clientId], at);
  await appendDocumentUpdates(tx, documentId, [{ at, userId: null, delegationId: null, sessionId: null, bytes: update }]);
}

/** The same in a transaction of its own, now. */
export async function seedOnce(db: Database, documentId: string, baseText: string): Promise<void> {
  await db.transaction((tx) => seedBaseTextOnce(tx, documentId, baseText, Date.now()));
}
