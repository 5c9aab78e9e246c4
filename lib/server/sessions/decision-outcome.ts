/**
 * S41: an adopted paragraph, amendment or document reaches the text through the co-drafting use
 * cases themselves (paragraph status, amendment into the text, adoption). The decision is the
 * record and commits first; carrying it out follows, exactly once: the `decision_outcomes` row and
 * the `decision.outcome_applied` event are written in the very transaction that changes the text or
 * the status, so after a crash in between the server finds the outcome still pending and does it
 * then, and never twice. When the text can no longer take it (the amendment was decided by hand
 * meanwhile, the paragraph is gone), the decision stands and `decision.outcome_failed` says why.
 */
import type { Database, Queryable } from '../../db';
import { findAmendment } from '../../db/repositories/amendments';
import { findDecisionOutcome, insertDecisionOutcome } from '../../db/repositories/decisions';
import { findLiveDocument, type TLiveDocument } from '../../db/repositories/documents';
import type { TOutcomeFailure, TQuestion } from '../../session/room/decisions';
import { ZRole } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import { carryAmendmentIntoText } from '../documents/amendments';
import { writeDraftingMode } from '../documents/set-drafting-mode';
import { writeParagraphStatus } from '../documents/set-paragraph-status';
import { liveHub } from '../live-hub';
import { recordSessionEvent, type TEventAuthor } from './record-event';

const SERVER: TEventAuthor = { user: null, membership: undefined };

/** The outcome's row and event, in the transaction of the change they report. */
async function recordApplied(tx: Queryable, sessionId: string, decisionId: string, documentSeq: number | null): Promise<void> {
  const at = Date.now();
  await insertDecisionOutcome(tx, { decisionId, sessionId, status: 'applied', detail: null, at });
  await recordSessionEvent(tx, sessionId, SERVER, 'decision.outcome_applied', { decisionId, documentSeq }, at);
}

async function recordFailed(db: Database, sessionId: string, decisionId: string, reason: TOutcomeFailure): Promise<void> {
  await db.transaction(async (tx) => {
    if (await findDecisionOutcome(tx, decisionId)) return;
    const at = Date.now();
    await insertDecisionOutcome(tx, { decisionId, sessionId, status: 'failed', detail: reason, at });
    await recordSessionEvent(tx, sessionId, SERVER, 'decision.outcome_failed', { decisionId, reason }, at);
  });
}

/** The text changes in the name of whoever put the question, as their place then was recorded. */
function authorOf(question: TQuestion): TEventAuthor & { user: { id: string } } {
  const { userId, role, delegationId } = question.putBy;
  const parsedRole = ZRole.safeParse(role);
  if (userId === null || !parsedRole.success) throw new Error(`decision ${question.decisionId} has no author to act in the name of`);
  return { user: { id: userId }, membership: { role: parsedRole.data, delegationId } };
}

/** Carries out one subject; resolves with why it could not, or null once it is done. */
async function carryOut(db: Database, sessionId: string, question: TQuestion, document: TLiveDocument): Promise<TOutcomeFailure | null> {
  const { subject, decisionId } = question;
  const author = authorOf(question);
  switch (subject.kind) {
    case 'paragraph':
      try {
        await liveHub().changeParagraphStatus(document.id, subject.pid, 'agreed', () =>
          db.transaction(async (tx) => {
            await writeParagraphStatus(tx, document, subject.pid, 'agreed', author, Date.now());
            await recordApplied(tx, sessionId, decisionId, null);
          }),
        );
      } catch (error) {
        if (error instanceof AppError && error.code === 'not_found') return 'paragraph_missing';
        throw error;
      }
      liveHub().paragraphStatusChanged(document.id, subject.pid, 'agreed');
      return null;
    case 'amendment': {
      const amendment = await findAmendment(db, document.id, subject.amendmentId);
      if (!amendment || amendment.status !== 'proposed') return 'amendment_decided';
      try {
        const seq = await carryAmendmentIntoText(document, amendment, author, (tx, documentSeq) => recordApplied(tx, sessionId, decisionId, documentSeq));
        return seq === null ? 'paragraph_missing' : null;
      } catch (error) {
        if (error instanceof AppError && error.code === 'invalid_transition') return 'amendment_decided';
        // D16: the paragraph was agreed meanwhile; its text changes only once the chair reopens it.
        if (error instanceof AppError && error.code === 'paragraph_agreed') return 'paragraph_agreed';
        throw error;
      }
    }
    case 'document': {
      const changed = await db.transaction(async (tx) => {
        const adopted = await writeDraftingMode(tx, document, 'adopted', author, Date.now());
        if (adopted) await recordApplied(tx, sessionId, decisionId, null);
        return adopted;
      });
      if (!changed) return 'document_adopted';
      liveHub().documentModeChanged(document.id);
      return null;
    }
    case 'procedural':
      throw new Error('a procedural question changes no text');
  }
}

/**
 * Carries an adopted question's outcome into the text, once. Resolves when it is done, found done,
 * or recorded as impossible; rejects on a fault worth retrying (the database was unreachable).
 */
export async function carryOutDecision(db: Database, session: { id: string }, question: TQuestion): Promise<void> {
  if (question.subject.kind === 'procedural' || (await findDecisionOutcome(db, question.decisionId))) return;
  const document = await findLiveDocument(db, question.subject.documentId);
  const failure = !document ? 'document_missing' : document.draftingMode === 'adopted' ? 'document_adopted' : await carryOut(db, session.id, question, document);
  if (failure) await recordFailed(db, session.id, question.decisionId, failure);
}
