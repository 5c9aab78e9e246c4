import { z } from 'zod';
import type { Database } from '../../db';
import { findLiveDocument, PARAGRAPH_STATUSES, upsertParagraphStatus, type TParagraphStatus } from '../../db/repositories/documents';
import type { TUser } from '../../db/repositories/people';
import { AppError } from '../../shared/errors';
import { ZId } from '../../shared/schemas';
import { liveHub } from '../live-hub';
import { authorizeInNegotiation } from '../negotiations/authorize-in-negotiation';
import { parseInput } from '../parse-input';
import { recordInOpenSessions } from '../sessions/record-event';
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

/** Chair or secretariat sets a paragraph's status; logged and shown to everyone at once. */
export async function setParagraphStatus(db: Database, user: TUser, input: unknown): Promise<TParagraphStatus> {
  const fields = parseInput(ZSetParagraphStatus, input);
  await db.transaction(async (tx) => {
    const document = await findLiveDocument(tx, fields.documentId);
    if (!document) throw new AppError('not_found');
    const access = await authorizeInNegotiation(tx, user, document.negotiationId, 'paragraph.setStatus');
    const doc = await readStoredDocument(tx, document.id);
    const exists = hasParagraph(doc, fields.pid);
    doc.destroy();
    if (!exists) throw new AppError('not_found');
    const at = Date.now();
    const previous = await upsertParagraphStatus(tx, document.id, fields.pid, fields.status, user.id, at);
    if (previous !== fields.status) {
      await recordInOpenSessions(
        tx,
        document.negotiationId,
        { user, membership: access.membership },
        'paragraph.status_changed',
        { documentId: document.id, pid: fields.pid, from: previous, to: fields.status },
        at,
      );
    }
  });
  liveHub().paragraphStatusChanged(fields.documentId, fields.pid, fields.status);
  return fields.status;
}
