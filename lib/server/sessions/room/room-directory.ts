import type { Queryable } from '../../../db';
import { listDelegations, listMemberships } from '../../../db/repositories/negotiations';
import type { TRoomDirectory } from '../../../session/room/view';

/** The names a room shows for the ids in its state: delegations and people (names only, no e-mail). */
export async function loadRoomDirectory(q: Queryable, negotiationId: string): Promise<TRoomDirectory> {
  const [delegations, memberships] = await Promise.all([listDelegations(q, negotiationId), listMemberships(q, negotiationId)]);
  return {
    delegations: delegations.map((delegation) => ({
      delegationId: delegation.id,
      name: delegation.actorName,
      kind: delegation.actorKind,
      status: delegation.status,
    })),
    people: memberships.map((membership) => ({ userId: membership.userId, name: membership.userName, delegationId: membership.delegationId, role: membership.role })),
  };
}
