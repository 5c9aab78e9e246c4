import type { Database } from '../../db';
import { appendDocumentUpdates, claimClientIds } from '../../db/repositories/documents';
import { baseTextToUpdate } from '../../documents/base-text';

/** The base text becomes the document's first update, once, on the server (never by a client, T33). */
export async function seedOnce(db: Database, documentId: string, baseText: string): Promise<void> {
  await db.transaction(async (tx) => {
    const head = await tx.get<{ updateHead: number }>(
      `SELECT update_head AS "updateHead" FROM documents WHERE id = ?${tx.dialect === 'postgres' ? ' FOR UPDATE' : ''}`,
      [documentId],
    );
    if (!head || Number(head.updateHead) > 0) return;
    const { update, clientId } = baseTextToUpdate(baseText);
    const now = Date.now();
    await claimClientIds(tx, documentId, null, [clientId], now);
    await appendDocumentUpdates(tx, documentId, [{ at: now, userId: null, delegationId: null, sessionId: null, bytes: update }]);
  });
}
