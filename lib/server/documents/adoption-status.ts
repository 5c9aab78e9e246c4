import type { Queryable } from '../../db';
import { findAdoption, listMemberDelegations, listSignatures, type TSignature, type TSigningDelegation } from '../../db/repositories/adoption';
import type { TDocumentAccess } from './document-access';
import { actorFor } from '../negotiations/authorize-in-negotiation';
import type { TUser } from '../../db/repositories/people';
import { can } from '../../policy';

export interface TAdoptionStatus {
  adoptedAt: number;
  textHash: string;
  signatures: TSignature[];
  /** Member delegations that have not signed yet. */
  unsigned: TSigningDelegation[];
  /** The viewer's delegation, when the viewer may sign for it and it has not signed yet. */
  maySignFor: { id: string; name: string } | null;
}

/**
 * Who has signed an adopted document and who has not, for a viewer already allowed to see it
 * (`access` comes from documentAccessFor). Null while the document is not adopted.
 */
export async function adoptionStatusFor(q: Queryable, user: TUser, access: TDocumentAccess): Promise<TAdoptionStatus | null> {
  const { document, membership } = access;
  if (document.draftingMode !== 'adopted') return null;
  const adoption = await findAdoption(q, document.id);
  if (!adoption?.adoptedAt || !adoption.adoptedTextHash) return null;
  const [signatures, members] = await Promise.all([listSignatures(q, document.id), listMemberDelegations(q, document.negotiationId)]);
  const signed = new Set(signatures.map((signature) => signature.delegationId));
  const unsigned = members.filter((delegation) => !signed.has(delegation.id));
  const mayActorSign = can(actorFor(user, membership), 'document.sign', { kind: 'negotiation', negotiationId: document.negotiationId });
  const own = membership?.delegationId ? unsigned.find((delegation) => delegation.id === membership.delegationId) : undefined;
  return {
    adoptedAt: adoption.adoptedAt,
    textHash: adoption.adoptedTextHash,
    signatures,
    unsigned,
    maySignFor: mayActorSign && own ? { id: own.id, name: own.name } : null,
  };
}
