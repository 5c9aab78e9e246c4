import type { Queryable } from '../../db';
import { findDelegationInNegotiation } from '../../db/repositories/negotiations';
import { roleNeedsDelegation, type TRole } from '../../shared/domain';
import { AppError } from '../../shared/errors';

/**
 * Checks that a role and a delegation fit together in a negotiation: delegation roles need a
 * delegation of this negotiation; secretariat, chair and interpreter serve the whole negotiation;
 * observers may sit with an observer delegation or on their own. Returns the delegation id to store.
 */
export async function checkRolePlacement(
  q: Queryable,
  negotiationId: string,
  role: TRole,
  delegationId: string | null,
): Promise<string | null> {
  if (role === 'secretariat' || role === 'chair' || role === 'interpreter') {
    if (delegationId) throw new AppError('invalid_input', { delegationId: 'role_without_delegation' });
    return null;
  }
  if (!delegationId) {
    if (roleNeedsDelegation(role)) throw new AppError('invalid_input', { delegationId: 'required' });
    return null;
  }
  const delegation = await findDelegationInNegotiation(q, negotiationId, delegationId);
  if (!delegation) throw new AppError('invalid_input', { delegationId: 'not_found' });
  return delegation.id;
}
