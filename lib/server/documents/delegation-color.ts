import type { Queryable } from '../../db';
import { delegationColor } from '../../shared/colors';

/** The colour of a delegation in its negotiation (accreditation order), or the neutral colour for none. */
export async function colorOfDelegation(q: Queryable, negotiationId: string, delegationId: string | null): Promise<string> {
  if (!delegationId) return delegationColor(null);
  const ids = await q.all<{ id: string }>('SELECT id FROM delegations WHERE negotiation_id = ? ORDER BY accredited_at, id', [negotiationId]);
  return delegationColor(ids.findIndex((row) => row.id === delegationId));
}
