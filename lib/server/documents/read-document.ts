import * as Y from 'yjs';
import type { Queryable } from '../../db';
import { loadDocumentStateAt, type TStoredDocumentState } from '../../db/repositories/documents';

/** A Y.Doc holding a stored state: the checkpoint, then the updates after it, in one transaction. */
export function docFromStoredState(stored: TStoredDocumentState): Y.Doc {
  const doc = new Y.Doc({ gc: true });
  doc.transact(() => {
    if (stored.checkpoint) Y.applyUpdate(doc, stored.checkpoint.bytes);
    for (const update of stored.updates) Y.applyUpdate(doc, update.bytes);
  });
  return doc;
}

/**
 * The stored (acknowledged) state of a document as a Y.Doc — at its head, or as it was once its
 * update `atSeq` was stored (replay): latest checkpoint up to there plus the log after it.
 */
export async function readStoredDocument(q: Queryable, documentId: string, atSeq = Number.MAX_SAFE_INTEGER): Promise<Y.Doc> {
  return docFromStoredState(await loadDocumentStateAt(q, documentId, atSeq));
}
