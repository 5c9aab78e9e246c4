import type { Queryable } from '../../db';
import { findLiveDocument, type TDraftingMode, type TLiveDocument } from '../../db/repositories/documents';
import type { TMembership } from '../../db/repositories/negotiations';
import type { TUser } from '../../db/repositories/people';
import { can } from '../../policy';
import { AppError } from '../../shared/errors';
import { ZId } from '../../shared/schemas';
import { authorizeInNegotiation } from '../negotiations/authorize-in-negotiation';

export type TDocumentAccessLevel = 'edit' | 'read';

export interface TDocumentAccess {
  document: TLiveDocument;
  membership: TMembership | undefined;
  access: TDocumentAccessLevel;
  mode: TDraftingMode;
  /** Whether the user may change the drafting mode (chair, secretariat). */
  mayChangeMode: boolean;
  /** Whether the user may set paragraph statuses (chair, secretariat). */
  mayChangeStatus: boolean;
  /** Whether the user may propose amendments on behalf of their delegation. */
  mayProposeAmendments: boolean;
  /** Whether the user may accept or reject amendments (chair, secretariat). */
  mayDecideAmendments: boolean;
  /** Whether the user may comment on the text. */
  mayComment: boolean;
  /** Whether the user may bracket disputed text, and lift brackets. */
  mayOpenBrackets: boolean;
  mayResolveBrackets: boolean;
}

/**
 * What a user may do with a document: read it if they are in its negotiation; edit it only when
 * the policy lets their role edit and the drafting mode is open (amendments-only and adopted texts
 * are frozen for everyone). Unknown ids and other negotiations' documents are `not_found` (T10, T11).
 */
export async function documentAccessFor(q: Queryable, user: TUser, documentId: unknown): Promise<TDocumentAccess> {
  const id = ZId.safeParse(documentId);
  if (!id.success) throw new AppError('not_found');
  const document = await findLiveDocument(q, id.data);
  if (!document) throw new AppError('not_found');
  const { membership, actor } = await authorizeInNegotiation(q, user, document.negotiationId, 'document.view');
  const resource = { kind: 'negotiation', negotiationId: document.negotiationId } as const;
  const mayEdit = can(actor, 'document.edit', resource);
  return {
    document,
    membership,
    mode: document.draftingMode,
    mayChangeMode: can(actor, 'document.setMode', resource),
    mayChangeStatus: can(actor, 'paragraph.setStatus', resource),
    mayProposeAmendments: can(actor, 'amendment.propose', resource),
    mayDecideAmendments: can(actor, 'amendment.decide', resource),
    mayComment: can(actor, 'document.comment', resource),
    mayOpenBrackets: can(actor, 'bracket.open', resource),
    mayResolveBrackets: can(actor, 'bracket.resolve', resource),
    access: mayEdit && document.draftingMode === 'open_drafting' ? 'edit' : 'read',
  };
}
