import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { z } from 'zod';
import type { Database } from '../../db';
import { insertAlternative, insertBracket, listBrackets, resolveBracketRow, type TBracket } from '../../db/repositories/brackets';
import { findLiveDocument } from '../../db/repositories/documents';
import type { TUser } from '../../db/repositories/people';
import { resolveTextRange, textInRange } from '../../documents/paragraph-edit';
import type { TNegotiationAction } from '../../policy';
import { AppError } from '../../shared/errors';
import { ZId, zText } from '../../shared/schemas';
import { liveHub } from '../live-hub';
import { authorizeInNegotiation } from '../negotiations/authorize-in-negotiation';
import { parseInput } from '../parse-input';
import { recordInOpenSessions } from '../sessions/record-event';
import { refuseIfAdopted, refuseIfAgreed } from './frozen-text';
import { readStoredDocument } from './read-document';

const ZAnchor = z.string().min(2).max(400);
const ZOpen = z.strictObject({ documentId: ZId, anchorStart: ZAnchor, anchorEnd: ZAnchor });
const ZAlternative = z.strictObject({ documentId: ZId, bracketId: ZId, text: zText(2000) });
const ZResolve = z.strictObject({ documentId: ZId, bracketId: ZId, choice: z.union([z.literal('original'), ZId]) });

async function access(db: Database, user: TUser, documentId: string, action: TNegotiationAction) {
  const document = await findLiveDocument(db, documentId);
  if (!document) throw new AppError('not_found');
  return { document, ...(await authorizeInNegotiation(db, user, document.negotiationId, action)) };
}

async function openBracketOf(db: Database, documentId: string, bracketId: string): Promise<TBracket> {
  const bracket = (await listBrackets(db, documentId)).find((candidate) => candidate.id === bracketId);
  if (!bracket) throw new AppError('not_found');
  if (bracket.resolvedAt !== null) throw new AppError('invalid_transition');
  return bracket;
}

/** The brackets of a document with their alternatives, for anyone who may read it. */
export async function bracketsOf(db: Database, user: TUser, documentId: unknown): Promise<TBracket[]> {
  const id = ZId.safeParse(documentId);
  if (!id.success) throw new AppError('not_found');
  const { document } = await access(db, user, id.data, 'document.view');
  return listBrackets(db, document.id);
}

/**
 * Puts a range of text in square brackets: disputed until the chair adopts a wording. The range and
 * its original wording are taken from the stored text, never from the client.
 */
export async function openBracket(db: Database, user: TUser, input: unknown): Promise<string> {
  const fields = parseInput(ZOpen, input);
  const { document, membership } = await access(db, user, fields.documentId, 'bracket.open');
  refuseIfAdopted(document);
  const doc = await readStoredDocument(db, document.id);
  const range = resolveTextRange(doc, fields.anchorStart, fields.anchorEnd);
  const paragraph = range?.text.parent;
  const pid = paragraph instanceof Y.XmlElement ? paragraph.getAttribute('pid') : undefined;
  const originalText = range ? textInRange(range) : '';
  doc.destroy();
  if (!range || typeof pid !== 'string' || originalText.trim() === '' || originalText.length > 2000) {
    throw new AppError('invalid_input', { anchorStart: 'invalid_range' });
  }
  await refuseIfAgreed(db, document.id, pid);
  const id = randomUUID();
  await db.transaction(async (tx) => {
    const now = Date.now();
    await insertBracket(tx, { id, documentId: document.id, pid, anchorStart: fields.anchorStart, anchorEnd: fields.anchorEnd, originalText, createdAt: now, openedBy: user.id });
    await recordInOpenSessions(tx, document.negotiationId, { user, membership }, 'bracket.opened', { bracketId: id, documentId: document.id, pid, originalText }, now);
  });
  liveHub().bracketsChanged(document.id);
  return id;
}

/** A member delegation puts forward its wording for a bracket (one per delegation). */
export async function proposeAlternative(db: Database, user: TUser, input: unknown): Promise<string> {
  const fields = parseInput(ZAlternative, input);
  if (fields.text === '') throw new AppError('invalid_input', { text: 'required' });
  const { document, membership } = await access(db, user, fields.documentId, 'amendment.propose');
  refuseIfAdopted(document);
  const delegationId = membership?.delegationId;
  if (!delegationId) throw new AppError('forbidden');
  const bracket = await openBracketOf(db, document.id, fields.bracketId);
  const id = randomUUID();
  await db.transaction(async (tx) => {
    const now = Date.now();
    if (!(await insertAlternative(tx, { id, bracketId: bracket.id, delegationId, text: fields.text, proposedBy: user.id, createdAt: now }))) {
      throw new AppError('conflict', { text: 'already_proposed' });
    }
    await recordInOpenSessions(tx, document.negotiationId, { user, membership }, 'bracket.alternative_proposed', { bracketId: bracket.id, alternativeId: id, delegationId, text: fields.text }, now);
  });
  liveHub().bracketsChanged(document.id);
  return id;
}

/**
 * The chair or secretariat lifts a bracket by adopting a wording: the original (text unchanged) or a
 * delegation's alternative, which the server writes into the bracketed range in the same
 * transaction that records the decision.
 */
export async function resolveBracket(db: Database, user: TUser, input: unknown): Promise<void> {
  const fields = parseInput(ZResolve, input);
  const { document, membership } = await access(db, user, fields.documentId, 'bracket.resolve');
  refuseIfAdopted(document);
  const bracket = await openBracketOf(db, document.id, fields.bracketId);
  const record = async (tx: Parameters<typeof resolveBracketRow>[0]) => {
    const now = Date.now();
    if (!(await resolveBracketRow(tx, bracket.id, fields.choice, user.id, now))) throw new AppError('invalid_transition');
    await recordInOpenSessions(tx, document.negotiationId, { user, membership }, 'bracket.resolved', { bracketId: bracket.id, choice: fields.choice }, now);
  };
  if (fields.choice === 'original') {
    await db.transaction(record);
  } else {
    const alternative = bracket.alternatives.find((candidate) => candidate.id === fields.choice);
    if (!alternative) throw new AppError('invalid_input', { choice: 'not_found' });
    const seq = await liveHub().applyDocumentChange(
      document,
      { kind: 'replaceRange', pid: bracket.pid, start: bracket.anchorStart, end: bracket.anchorEnd, text: alternative.text },
      { userId: user.id, delegationId: membership?.delegationId ?? null, role: membership?.role ?? null },
      async (tx) => record(tx),
    );
    if (seq === 'paragraph_agreed') throw new AppError('paragraph_agreed');
    if (seq === null) throw new AppError('invalid_input', { choice: 'range_gone' });
  }
  liveHub().bracketsChanged(document.id);
}
