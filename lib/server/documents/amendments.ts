import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Database, Queryable } from '../../db';
import {
  AMENDMENT_KINDS,
  decideAmendment,
  findAmendment,
  insertAmendment,
  insertSponsor,
  listAmendments,
  type TAmendment,
} from '../../db/repositories/amendments';
import { findLiveDocument, type TLiveDocument } from '../../db/repositories/documents';
import type { TUser } from '../../db/repositories/people';
import { findParagraph, paragraphText, type TParagraphChange } from '../../documents/paragraph-edit';
import type { TNegotiationAction } from '../../policy';
import { AppError } from '../../shared/errors';
import { ZId, zText } from '../../shared/schemas';
import { liveHub } from '../live-hub';
import { authorizeInNegotiation, type TNegotiationAccess } from '../negotiations/authorize-in-negotiation';
import { parseInput } from '../parse-input';
import { recordInOpenSessions, type TEventAuthor } from '../sessions/record-event';
import { refuseIfAdopted } from './frozen-text';
import { readStoredDocument } from './read-document';

const ZPropose = z
  .strictObject({
    documentId: ZId,
    pid: ZId,
    kind: z.enum(AMENDMENT_KINDS),
    proposedText: zText(5000),
    rationale: zText(5000),
  })
  .superRefine((value, ctx) => {
    if (value.kind !== 'delete' && value.proposedText === '') ctx.addIssue({ code: 'custom', path: ['proposedText'], message: 'required' });
    if (value.kind === 'delete' && value.proposedText !== '') ctx.addIssue({ code: 'custom', path: ['proposedText'], message: 'must_be_empty' });
    if (/[\n]/.test(value.proposedText)) ctx.addIssue({ code: 'custom', path: ['proposedText'], message: 'one_paragraph' });
  });

const ZAmendmentRef = z.strictObject({ documentId: ZId, amendmentId: ZId });

async function documentAccess(q: Queryable, user: TUser, documentId: string, action: TNegotiationAction): Promise<{ document: TLiveDocument; access: TNegotiationAccess }> {
  const document = await findLiveDocument(q, documentId);
  if (!document) throw new AppError('not_found');
  return { document, access: await authorizeInNegotiation(q, user, document.negotiationId, action) };
}

export interface TAmendmentView extends TAmendment {
  /** The paragraph's text now (the diff is shown against it), or null when it no longer exists. */
  currentText: string | null;
  /** Other proposed amendments touch the same paragraph. */
  conflicting: boolean;
}

/** The amendments of a document with their diffs' base and conflict flags, for anyone who may read it. */
export async function amendmentsOf(db: Database, user: TUser, documentId: unknown): Promise<TAmendmentView[]> {
  const id = ZId.safeParse(documentId);
  if (!id.success) throw new AppError('not_found');
  const { document } = await documentAccess(db, user, id.data, 'document.view');
  const [amendments, doc] = await Promise.all([listAmendments(db, document.id), readStoredDocument(db, document.id)]);
  const proposedPerParagraph = new Map<string, number>();
  for (const amendment of amendments) {
    if (amendment.status === 'proposed') proposedPerParagraph.set(amendment.pid, (proposedPerParagraph.get(amendment.pid) ?? 0) + 1);
  }
  const views = amendments.map((amendment) => {
    const paragraph = findParagraph(doc, amendment.pid);
    return {
      ...amendment,
      currentText: paragraph ? paragraphText(paragraph) : null,
      conflicting: amendment.status === 'proposed' && (proposedPerParagraph.get(amendment.pid) ?? 0) > 1,
    };
  });
  doc.destroy();
  return views;
}

/** A head or delegate proposes, on behalf of their delegation, to replace, insert after or delete a paragraph. */
export async function proposeAmendment(db: Database, user: TUser, input: unknown): Promise<TAmendment> {
  const fields = parseInput(ZPropose, input);
  const id = randomUUID();
  await db.transaction(async (tx) => {
    const { document, access } = await documentAccess(tx, user, fields.documentId, 'amendment.propose');
    const delegationId = access.membership?.delegationId;
    if (!delegationId) throw new AppError('forbidden');
    refuseIfAdopted(document);
    const doc = await readStoredDocument(tx, document.id);
    const paragraph = findParagraph(doc, fields.pid);
    const originalText = paragraph ? paragraphText(paragraph) : null;
    doc.destroy();
    if (originalText === null) throw new AppError('invalid_input', { pid: 'not_found' });
    const now = Date.now();
    await insertAmendment(tx, { id, documentId: document.id, pid: fields.pid, kind: fields.kind, originalText, proposedText: fields.proposedText, rationale: fields.rationale, delegationId, proposedBy: user.id, createdAt: now });
    await recordInOpenSessions(tx, document.negotiationId, { user, membership: access.membership }, 'amendment.proposed', { amendmentId: id, documentId: document.id, pid: fields.pid, kind: fields.kind }, now);
  });
  liveHub().amendmentsChanged(fields.documentId);
  const created = await findAmendment(db, fields.documentId, id);
  if (!created) throw new Error('proposed amendment vanished');
  return created;
}

/** Another member delegation joins a proposed amendment. */
export async function cosponsorAmendment(db: Database, user: TUser, input: unknown): Promise<void> {
  const fields = parseInput(ZAmendmentRef, input);
  await db.transaction(async (tx) => {
    const { document, access } = await documentAccess(tx, user, fields.documentId, 'amendment.propose');
    refuseIfAdopted(document);
    const amendment = await findAmendment(tx, document.id, fields.amendmentId);
    if (!amendment) throw new AppError('not_found');
    const delegationId = access.membership?.delegationId;
    if (!delegationId || delegationId === amendment.delegationId) throw new AppError('forbidden');
    if (amendment.status !== 'proposed') throw new AppError('invalid_transition');
    const now = Date.now();
    if (!(await insertSponsor(tx, amendment.id, delegationId, user.id, now))) throw new AppError('conflict');
    await recordInOpenSessions(tx, document.negotiationId, { user, membership: access.membership }, 'amendment.cosponsored', { amendmentId: amendment.id, delegationId }, now);
  });
  liveHub().amendmentsChanged(fields.documentId);
}

/** The proposing delegation withdraws its amendment while it is still proposed. */
export async function withdrawAmendment(db: Database, user: TUser, input: unknown): Promise<void> {
  const fields = parseInput(ZAmendmentRef, input);
  await db.transaction(async (tx) => {
    const { document, access } = await documentAccess(tx, user, fields.documentId, 'amendment.propose');
    refuseIfAdopted(document);
    const amendment = await findAmendment(tx, document.id, fields.amendmentId);
    if (!amendment) throw new AppError('not_found');
    if (access.membership?.delegationId !== amendment.delegationId) throw new AppError('forbidden');
    const now = Date.now();
    if (!(await decideAmendment(tx, amendment.id, 'withdrawn', user.id, now))) throw new AppError('invalid_transition');
    await recordInOpenSessions(tx, document.negotiationId, { user, membership: access.membership }, 'amendment.decided', { amendmentId: amendment.id, status: 'withdrawn', documentSeq: null }, now);
  });
  liveHub().amendmentsChanged(fields.documentId);
}

/** The chair or secretariat rejects a proposed amendment. */
export async function rejectAmendment(db: Database, user: TUser, input: unknown): Promise<void> {
  const fields = parseInput(ZAmendmentRef, input);
  await db.transaction(async (tx) => {
    const { document, access } = await documentAccess(tx, user, fields.documentId, 'amendment.decide');
    refuseIfAdopted(document);
    const amendment = await findAmendment(tx, document.id, fields.amendmentId);
    if (!amendment) throw new AppError('not_found');
    const now = Date.now();
    if (!(await decideAmendment(tx, amendment.id, 'rejected', user.id, now))) throw new AppError('invalid_transition');
    await recordInOpenSessions(tx, document.negotiationId, { user, membership: access.membership }, 'amendment.decided', { amendmentId: amendment.id, status: 'rejected', documentSeq: null }, now);
  });
  liveHub().amendmentsChanged(fields.documentId);
}

/**
 * Carries a proposed amendment into the live text: the server applies it as one change attributed
 * to `author`, in the same transaction that marks it accepted, logs it in the open sessions and
 * runs `alsoInTransaction`. Resolves with the update's seq, or null when the paragraph no longer
 * exists; an amendment decided meanwhile is `invalid_transition`, and one whose paragraph is agreed
 * `paragraph_agreed` (D16), and nothing changes. The chair's
 * acceptance below and an adopted decision (lib/server/sessions/decision-outcome.ts) both come
 * through here.
 */
export async function carryAmendmentIntoText(
  document: TLiveDocument,
  amendment: TAmendment,
  author: TEventAuthor & { user: { id: string } },
  alsoInTransaction?: (tx: Queryable, documentSeq: number) => Promise<void>,
): Promise<number | null> {
  const change: TParagraphChange =
    amendment.kind === 'delete'
      ? { kind: 'delete', pid: amendment.pid }
      : amendment.kind === 'replace'
        ? { kind: 'replace', pid: amendment.pid, text: amendment.proposedText }
        : { kind: 'insert', pid: amendment.pid, text: amendment.proposedText, newPid: randomUUID() };
  const seq = await liveHub().applyDocumentChange(
    document,
    change,
    { userId: author.user.id, delegationId: author.membership?.delegationId ?? null, role: author.membership?.role ?? null },
    async (tx, documentSeq) => {
      const now = Date.now();
      // Conditional: if someone decided it meanwhile, the whole change is rolled back.
      if (!(await decideAmendment(tx, amendment.id, 'accepted', author.user.id, now))) throw new AppError('invalid_transition');
      await recordInOpenSessions(tx, document.negotiationId, author, 'amendment.decided', { amendmentId: amendment.id, status: 'accepted', documentSeq }, now);
      await alsoInTransaction?.(tx, documentSeq);
    },
  );
  // D16: an agreed paragraph changes only once the chair reopens it.
  if (seq === 'paragraph_agreed') throw new AppError('paragraph_agreed');
  if (seq !== null) liveHub().amendmentsChanged(document.id);
  return seq;
}

/** The chair or secretariat accepts a proposed amendment into the text. */
export async function acceptAmendment(db: Database, user: TUser, input: unknown): Promise<number> {
  const fields = parseInput(ZAmendmentRef, input);
  const { document, access } = await documentAccess(db, user, fields.documentId, 'amendment.decide');
  const amendment = await findAmendment(db, document.id, fields.amendmentId);
  if (!amendment) throw new AppError('not_found');
  refuseIfAdopted(document);
  if (amendment.status !== 'proposed') throw new AppError('invalid_transition');
  const seq = await carryAmendmentIntoText(document, amendment, { user, membership: access.membership });
  if (seq === null) throw new AppError('invalid_input', { pid: 'not_found' });
  return seq;
}
