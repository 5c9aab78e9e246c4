import type { Database } from '../../db';
import { findMembershipInNegotiation, updateMembershipRole, type TMembership } from '../../db/repositories/negotiations';
import type { TUser } from '../../db/repositories/people';
import { AppError } from '../../shared/errors';
import { ZChangeMemberRole } from '../../shared/schemas';
import { liveHub } from '../live-hub';
import { parseInput } from '../parse-input';
import { recordInOpenSessions } from '../sessions/record-event';
import { authorizeInNegotiation } from './authorize-in-negotiation';
import { checkRolePlacement } from './membership-rules';

/** Changes a member's role (and delegation); logged, and applied at once to their open connections. */
export async function changeMemberRole(
  db: Database,
  user: TUser,
  negotiationId: unknown,
  input: unknown,
): Promise<TMembership> {
  const updated = await db.transaction(async (tx) => {
    const access = await authorizeInNegotiation(tx, user, negotiationId, 'member.changeRole');
    const fields = parseInput(ZChangeMemberRole, input);
    const target = await findMembershipInNegotiation(tx, access.negotiation.id, fields.membershipId);
    if (!target) throw new AppError('not_found');
    const delegationId = await checkRolePlacement(tx, access.negotiation.id, fields.role, fields.delegationId);
    if (target.role === fields.role && target.delegationId === delegationId) return target;

    if (target.role === 'secretariat' && fields.role !== 'secretariat') {
      const row = await tx.get<{ n: number }>(
        `SELECT COUNT(*) AS n FROM memberships WHERE negotiation_id = ? AND role = 'secretariat'`,
        [access.negotiation.id],
      );
      // Someone must always be able to manage the negotiation.
      if (Number(row?.n ?? 0) <= 1) throw new AppError('last_secretariat', { role: 'last_secretariat' });
    }
    await updateMembershipRole(tx, target.id, fields.role, delegationId);
    await recordInOpenSessions(
      tx,
      access.negotiation.id,
      { user, membership: access.membership },
      'membership.role_changed',
      {
        membershipId: target.id,
        userId: target.userId,
        from: { role: target.role, delegationId: target.delegationId },
        to: { role: fields.role, delegationId },
      },
      Date.now(),
    );
    const after = await findMembershipInNegotiation(tx, access.negotiation.id, target.id);
    if (!after) throw new Error('changed membership vanished');
    return after;
  });
  liveHub().membershipChanged(updated.negotiationId, updated.userId);
  return updated;
}
