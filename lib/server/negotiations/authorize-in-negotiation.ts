import type { Queryable } from '../../db';
import type { TUser } from '../../db/repositories/people';
import {
  findMembership,
  findNegotiationById,
  type TMembership,
  type TNegotiation,
} from '../../db/repositories/negotiations';
import { explain, type TActor, type TNegotiationAction } from '../../policy';
import { AppError } from '../../shared/errors';
import { ZId } from '../../shared/schemas';

export interface TNegotiationAccess {
  negotiation: TNegotiation;
  membership: TMembership | undefined;
  actor: TActor;
}

/** Builds the policy actor for a user in one negotiation, from the database only. */
export function actorFor(user: Pick<TUser, 'id' | 'accountRole'>, membership: TMembership | undefined): TActor {
  return {
    userId: user.id,
    accountRole: user.accountRole,
    membership: membership
      ? {
          negotiationId: membership.negotiationId,
          role: membership.role,
          delegationId: membership.delegationId,
          delegationStatus: membership.delegationStatus,
        }
      : null,
  };
}

/**
 * Loads a negotiation and the user's place in it, and checks `action` with the policy. A
 * negotiation the user is not part of answers `not_found`, exactly like one that does not exist, so
 * ids cannot be probed; a member whose role lacks the permission gets `forbidden`.
 */
export async function authorizeInNegotiation(
  q: Queryable,
  user: TUser,
  negotiationId: unknown,
  action: TNegotiationAction,
): Promise<TNegotiationAccess> {
  const id = ZId.safeParse(negotiationId);
  if (!id.success) throw new AppError('not_found');
  const negotiation = await findNegotiationById(q, id.data);
  if (!negotiation) throw new AppError('not_found');
  const membership = await findMembership(q, negotiation.id, user.id);
  const actor = actorFor(user, membership);
  const decision = explain(actor, action, { kind: 'negotiation', negotiationId: negotiation.id });
  if (!decision.allowed) {
    throw new AppError(decision.reason === 'not_a_member' ? 'not_found' : 'forbidden');
  }
  return { negotiation, membership, actor };
}
