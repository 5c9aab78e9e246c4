import { z } from 'zod';
import type { Database, Queryable } from '../../db';
import { findLiveDocument, PARAGRAPH_STATUSES, upsertParagraphStatus, type TLiveDocument, type TParagraphStatus } from '../../db/repositories/documents';
import type { TUser } from '../../db/repositories/people';
import { AppError } from '../../shared/errors';
import { ZId } from '../../shared/schemas';
import { liveHub } from '../live-hub';
import { authorizeInNegotiation } from '../negotiations/authorize-in-negotiation';
import { parseInput } from '../parse-input';
import { recordInOpenSessions, type TEventAuthor } from '../sessions/record-event';
import { refuseIfAdopted } from './frozen-text';
import { readStoredDocument } from './read-document';
import { DOCUMENT_FIELD } from '../../documents/schema';
import * as Y from 'yjs';

const ZSetParagraphStatus = z.strictObject({ documentId: ZId, pid: ZId, status: z.enum(PARAGRAPH_STATUSES) });

/** Whether the stored document has a paragraph with this pid (statuses never name phantom paragraphs). */
function hasParagraph(doc: Y.Doc, pid: string): boolean {
  const search = (node: Y.XmlFragment | Y.XmlElement): boolean =>
    node.toArray().some((child) => child instanceof Y.XmlElement && (child.getAttribute('pid') === pid || search(child)));
  return search(doc.getXmlFragment(DOCUMENT_FIELD));
}

/**
 * Sets a paragraph's status inside the caller's transaction and logs a change in the open sessions;
 * the paragraph must exist in the stored text (`not_found`). The chair's request below and an
 * adopted decision (lib/server/sessions/decision-outcome.ts) both come through here.
 */
export async function writeParagraphStatus(
  tx: Queryable,
  document: Pick<TLiveDocument, 'id' | 'negotiationId'>,
  pid: string,
  status: TParagraphStatus,
  author: TEventAuthor & { user: { id: string } },
  at: number,
): Promise<void> {
  const doc = await readStoredDocument(tx, document.id);
  const exists = hasParagraph(doc, pid);
  doc.destroy();
  if (!exists) throw new AppError('not_found');
  const previous = await upsertParagraphStatus(tx, document.id, pid, status, author.user.id, at);
  if (previous !== status) {
    await recordInOpenSessions(tx, document.negotiationId, author, 'paragraph.status_changed', { documentId: document.id, pid, from: previous, to: status }, at);
  }
}

/**
 * Chair or secretariat sets a paragraph's status; logged and shown to everyone at once. Setting an
 * agreed paragraph back to pending or bracketed is how the chair reopens its text (D15). An adopted
 * text's statuses are frozen (D17).
 */
export async function setParagraphStatus(db: Database, user: TUser, input: unknown): Promise<TParagraphStatus> {
  const fields = parseInput(ZSetParagraphStatus, input);
  const found = await findLiveDocument(db, fields.documentId);
  if (!found) throw new AppError('not_found');
  // Refused before the live document is asked to wait for its pending edits.
  await authorizeInNegotiation(db, user, found.negotiationId, 'paragraph.setStatus');
  await liveHub().changeParagraphStatus(found.id, fields.pid, fields.status, () =>
    db.transaction(async (tx) => {
      const document = await findLiveDocument(tx, fields.documentId);
      if (!document) throw new AppError('not_found');
      const access = await authorizeInNegotiation(tx, user, document.negotiationId, 'paragraph.setStatus');
      refuseIfAdopted(document);
      await writeParagraphStatus(tx, document, fields.pid, fields.status, { user, membership: access.membership }, Date.now());
    }),
  );
  liveHub().paragraphStatusChanged(fields.documentId, fields.pid, fields.status);
  return fields.status;
}
