import type { Database } from '../../db';
import { listAmendments } from '../../db/repositories/amendments';
import { findLiveDocument } from '../../db/repositories/documents';
import { listDocuments, listMemberships } from '../../db/repositories/negotiations';
import type { TUser } from '../../db/repositories/people';
import { can } from '../../policy';
import { paragraphLabels } from '../../documents/paragraph-labels';
import { storedTextBlocks } from '../documents/document-paragraphs';
import { authorizeInNegotiation } from '../negotiations/authorize-in-negotiation';

/** A document that may still be put to decision, with what in it may be. */
export interface TSubjectDocument {
  documentId: string;
  title: string;
  /** Paragraphs of the stored text, in order, with their label (PP 1, OP 1, ¶ 1) and first words. */
  paragraphs: { pid: string; label: string; excerpt: string }[];
  /** Amendments still proposed. */
  amendments: { amendmentId: string; delegationName: string; kind: 'replace' | 'insert' | 'delete'; excerpt: string }[];
}

/** What the room's decisions panel offers beyond the room's state, for this viewer only. */
export interface TDecisionOptions {
  /** Chair and secretariat (`decision.manage`): what a question may be about. */
  subjects: TSubjectDocument[] | null;
  /** A head (`decision.designate`): the delegates of their delegation, to designate one as voter. */
  delegates: { userId: string; name: string }[] | null;
}

const EXCERPT = 90;
const excerpt = (text: string) => (text.length > EXCERPT ? `${text.slice(0, EXCERPT - 1)}…` : text);

async function subjectDocument(db: Database, documentId: string): Promise<TSubjectDocument | null> {
  const document = await findLiveDocument(db, documentId);
  if (!document || document.draftingMode === 'adopted') return null;
  const blocks = await storedTextBlocks(db, document);
  const labels = paragraphLabels(blocks);
  const paragraphs = blocks.flatMap((block) => {
    const label = block.pid === null ? undefined : labels.get(block.pid);
    return block.pid === null || label === undefined ? [] : [{ pid: block.pid, label, excerpt: excerpt(block.runs.map((run) => run.text).join('')) }];
  });
  const amendments = (await listAmendments(db, document.id))
    .filter((amendment) => amendment.status === 'proposed')
    .map((amendment) => ({
      amendmentId: amendment.id,
      delegationName: amendment.delegationName,
      kind: amendment.kind,
      excerpt: excerpt(amendment.kind === 'delete' ? amendment.originalText : amendment.proposedText),
    }));
  return { documentId: document.id, title: document.title, paragraphs, amendments };
}

/**
 * The choices the decisions panel shows this viewer (S31, S36), checked by the policy like the
 * commands they lead to; the room refuses anything stale when the command arrives.
 */
export async function loadDecisionOptions(db: Database, user: TUser, negotiationId: string): Promise<TDecisionOptions> {
  const access = await authorizeInNegotiation(db, user, negotiationId, 'session.attend');
  const resource = { kind: 'negotiation', negotiationId: access.negotiation.id } as const;
  let subjects: TSubjectDocument[] | null = null;
  if (can(access.actor, 'decision.manage', resource)) {
    const documents = await Promise.all((await listDocuments(db, access.negotiation.id)).map((document) => subjectDocument(db, document.id)));
    subjects = documents.filter((document): document is TSubjectDocument => document !== null);
  }
  const delegationId = access.membership?.delegationId;
  let delegates: TDecisionOptions['delegates'] = null;
  if (delegationId && can(access.actor, 'decision.designate', resource)) {
    delegates = (await listMemberships(db, access.negotiation.id))
      .filter((membership) => membership.role === 'delegate' && membership.delegationId === delegationId)
      .map((membership) => ({ userId: membership.userId, name: membership.userName }));
  }
  return { subjects, delegates };
}
