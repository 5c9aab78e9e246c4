import type { Queryable } from '../../db';
import { listParagraphStatuses, type TLiveDocument } from '../../db/repositories/documents';
import { isProtectingStatus } from '../../documents/protected-paragraphs';
import { AppError } from '../../shared/errors';

/**
 * D17: nothing about an adopted text changes any more — its wording (the database refuses it), its
 * paragraph statuses, brackets, amendments and comment threads (`document_adopted`).
 */
export function refuseIfAdopted(document: Pick<TLiveDocument, 'draftingMode'>): void {
  if (document.draftingMode === 'adopted') throw new AppError('document_adopted');
}

/** D16: an agreed (or agreed ad referendum) paragraph takes no bracket until the chair reopens it (`paragraph_agreed`). */
export async function refuseIfAgreed(q: Queryable, documentId: string, pid: string): Promise<void> {
  const statuses = await listParagraphStatuses(q, documentId);
  if (isProtectingStatus(statuses[pid])) throw new AppError('paragraph_agreed');
}
