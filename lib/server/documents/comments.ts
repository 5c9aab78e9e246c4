import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Database } from '../../db';
import { findThreadRoot, insertComment, listVisibleComments, resolveThread, type TComment } from '../../db/repositories/comments';
import { findLiveDocument } from '../../db/repositories/documents';
import type { TUser } from '../../db/repositories/people';
import { AppError } from '../../shared/errors';
import { ZId, zText } from '../../shared/schemas';
import { liveHub } from '../live-hub';
import { authorizeInNegotiation } from '../negotiations/authorize-in-negotiation';
import { parseInput } from '../parse-input';
import { recordInOpenSessions } from '../sessions/record-event';
import { refuseIfAdopted } from './frozen-text';

/** A Yjs relative position as JSON; opaque to the server, resolved against the text by the browser. */
const ZAnchor = z.string().max(400).refine((value) => {
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}, 'invalid_value');

const ZAddComment = z.union([
  z.strictObject({
    documentId: ZId,
    anchorStart: ZAnchor,
    anchorEnd: ZAnchor,
    quote: zText(500),
    body: zText(5000).refine((value) => value.length > 0, 'required'),
    visibility: z.enum(['all', 'delegation']),
  }),
  z.strictObject({ documentId: ZId, replyTo: ZId, body: zText(5000).refine((value) => value.length > 0, 'required') }),
]);

const ZResolve = z.strictObject({ documentId: ZId, threadId: ZId });

async function access(db: Database, user: TUser, documentId: string) {
  const document = await findLiveDocument(db, documentId);
  if (!document) throw new AppError('not_found');
  return { document, ...(await authorizeInNegotiation(db, user, document.negotiationId, 'document.comment')) };
}

/** The comments this user may read. */
export async function commentsFor(db: Database, user: TUser, documentId: unknown): Promise<TComment[]> {
  const id = ZId.safeParse(documentId);
  if (!id.success) throw new AppError('not_found');
  const document = await findLiveDocument(db, id.data);
  if (!document) throw new AppError('not_found');
  const { membership } = await authorizeInNegotiation(db, user, document.negotiationId, 'document.view');
  return listVisibleComments(db, document.id, membership?.delegationId ?? null);
}

/** Starts a thread on a text range, or replies to one; a reply inherits the thread's visibility. */
export async function addComment(db: Database, user: TUser, input: unknown): Promise<string> {
  const fields = parseInput(ZAddComment, input);
  const id = randomUUID();
  const { document, membership } = await access(db, user, fields.documentId);
  refuseIfAdopted(document);
  const delegationId = membership?.delegationId ?? null;
  await db.transaction(async (tx) => {
    const now = Date.now();
    let visibility: 'all' | 'delegation';
    if ('replyTo' in fields) {
      const root = await findThreadRoot(tx, document.id, fields.replyTo);
      // Another delegation's internal thread is not even there for this user.
      if (!root || (root.visibility === 'delegation' && root.delegationId !== delegationId)) throw new AppError('not_found');
      visibility = root.visibility;
      await insertComment(tx, { id, documentId: document.id, threadId: root.id, anchorStart: null, anchorEnd: null, quote: '', body: fields.body, visibility, delegationId, authorId: user.id, createdAt: now });
    } else {
      if (fields.visibility === 'delegation' && !delegationId) throw new AppError('invalid_input', { visibility: 'no_delegation' });
      visibility = fields.visibility;
      await insertComment(tx, { id, documentId: document.id, threadId: id, anchorStart: fields.anchorStart, anchorEnd: fields.anchorEnd, quote: fields.quote, body: fields.body, visibility, delegationId, authorId: user.id, createdAt: now });
    }
    await recordInOpenSessions(tx, document.negotiationId, { user, membership }, 'comment.added', { commentId: id, documentId: document.id, visibility, delegationId, body: fields.body }, now);
  });
  liveHub().commentsChanged(document.id);
  return id;
}

/** Resolves a thread: its author, or the chair and secretariat. */
export async function resolveComment(db: Database, user: TUser, input: unknown): Promise<void> {
  const fields = parseInput(ZResolve, input);
  const { document, membership } = await access(db, user, fields.documentId);
  refuseIfAdopted(document);
  const root = await findThreadRoot(db, document.id, fields.threadId);
  if (!root || (root.visibility === 'delegation' && root.delegationId !== (membership?.delegationId ?? null))) throw new AppError('not_found');
  const runsTheRoom = membership?.role === 'chair' || membership?.role === 'secretariat';
  if (root.authorId !== user.id && !runsTheRoom) throw new AppError('forbidden');
  await resolveThread(db, root.id, user.id, Date.now());
  liveHub().commentsChanged(document.id);
}
