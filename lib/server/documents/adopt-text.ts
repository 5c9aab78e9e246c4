import { createHash } from 'node:crypto';
import type { Queryable } from '../../db';
import { markDocumentAdopted } from '../../db/repositories/adoption';
import type { TLiveDocument } from '../../db/repositories/documents';
import { documentPlainText } from '../../documents/base-text';
import { readStoredDocument } from './read-document';
import { seedBaseTextOnce } from './seed-base-text';

/** sha256 (hex) of a text's UTF-8 bytes. */
export function textHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Adopts a document inside the caller's transaction: the stored text (the acknowledged log) becomes
 * final, and its hash — sha256 of the canonical plain text, one line per paragraph or heading — is
 * recorded with the moment. A document nobody ever opened has no log yet: its base text is seeded
 * first, exactly as the live server would, so the hash covers the text delegations would have seen.
 * The document row is locked first (PostgreSQL) so no live flush lands between reading and hashing;
 * after this commits, the database refuses further updates (migration 003). Returns the hash, or
 * null when the document turned out to be adopted already.
 */
export async function adoptStoredText(tx: Queryable, document: TLiveDocument, at: number): Promise<string | null> {
  const row = await tx.get<{ draftingMode: string }>(
    `SELECT drafting_mode AS "draftingMode" FROM documents WHERE id = ?${tx.dialect === 'postgres' ? ' FOR UPDATE' : ''}`,
    [document.id],
  );
  // Someone adopted it while this request waited for the lock: theirs is the adoption.
  if (!row || row.draftingMode === 'adopted') return null;
  await seedBaseTextOnce(tx, document.id, document.baseText, at);
  const doc = await readStoredDocument(tx, document.id);
  const hash = textHash(documentPlainText(doc));
  doc.destroy();
  await markDocumentAdopted(tx, document.id, at, hash);
  return hash;
}
