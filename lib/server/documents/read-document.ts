import * as Y from 'yjs';
import type { Queryable } from '../../db';
import { loadDocumentState } from '../../db/repositories/documents';

/** The stored (acknowledged) state of a document as a Y.Doc: latest checkpoint plus the log after it. */
export async function readStoredDocument(q: Queryable, documentId: string): Promise<Y.Doc> {
  const stored = await loadDocumentState(q, documentId);
  const doc = new Y.Doc();
  doc.transact(() => {
    if (stored.checkpoint) Y.applyUpdate(doc, stored.checkpoint.bytes);
    for (const update of stored.updates) Y.applyUpdate(doc, update.bytes);
  });
  return doc;
}
