import { z } from 'zod';
import type { Database } from '../../db';
import { findAdoption, insertSignature } from '../../db/repositories/adoption';
import { findLiveDocument } from '../../db/repositories/documents';
import type { TUser } from '../../db/repositories/people';
import { AppError } from '../../shared/errors';
import { ZId } from '../../shared/schemas';
import { authorizeInNegotiation } from '../negotiations/authorize-in-negotiation';
import { parseInput } from '../parse-input';
import { recordInOpenSessions } from '../sessions/record-event';

const ZSignDocument = z.strictObject({ documentId: ZId });

export interface TSignResult {
  documentId: string;
  delegationId: string;
  textHash: string;
  signedAt: number;
}

/**
 * A head of a member delegation signs an adopted document on behalf of the delegation: once per
 * delegation, over the hash of the adopted text. Unknown or foreign documents are `not_found`, other
 * roles and observer delegations `forbidden`, a text not yet adopted `not_adopted`, and a second
 * signature for the same delegation `already_signed`. Recorded in every open session's log.
 */
export async function signDocument(db: Database, user: TUser, input: unknown): Promise<TSignResult> {
  const fields = parseInput(ZSignDocument, input);
  return db.transaction(async (tx) => {
    const document = await findLiveDocument(tx, fields.documentId);
    if (!document) throw new AppError('not_found');
    const { membership } = await authorizeInNegotiation(tx, user, document.negotiationId, 'document.sign');
    // The policy only lets heads of member delegations through, so there is a delegation.
    const delegationId = membership?.delegationId;
    if (!delegationId) throw new AppError('forbidden');
    const adoption = await findAdoption(tx, document.id);
    if (document.draftingMode !== 'adopted' || !adoption?.adoptedTextHash) throw new AppError('not_adopted');
    const signedAt = Date.now();
    const signature = { documentId: document.id, delegationId, textHash: adoption.adoptedTextHash, signedAt };
    if (!(await insertSignature(tx, { ...signature, userId: user.id }))) throw new AppError('already_signed');
    await recordInOpenSessions(
      tx,
      document.negotiationId,
      { user, membership },
      'document.signed',
      { documentId: document.id, delegationId, textHash: adoption.adoptedTextHash },
      signedAt,
    );
    return signature;
  });
}
