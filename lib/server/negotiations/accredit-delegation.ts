import { randomUUID } from 'node:crypto';
import type { Database } from '../../db';
import { UniqueViolationError } from '../../db/driver';
import { findDelegationInNegotiation, insertDelegation, type TDelegation } from '../../db/repositories/negotiations';
import { findActorById, insertActor, type TUser } from '../../db/repositories/people';
import { AppError } from '../../shared/errors';
import { ZAccreditDelegation } from '../../shared/schemas';
import { parseInput } from '../parse-input';
import { liveHub } from '../live-hub';
import { recordInOpenSessions } from '../sessions/record-event';
import { authorizeInNegotiation } from './authorize-in-negotiation';

/** Accredits a delegation (an existing actor, or a new one) to a negotiation. */
export async function accreditDelegation(
  db: Database,
  user: TUser,
  negotiationId: unknown,
  input: unknown,
): Promise<TDelegation> {
  const accredited = await db.transaction(async (tx) => {
    const access = await authorizeInNegotiation(tx, user, negotiationId, 'delegation.accredit');
    const fields = parseInput(ZAccreditDelegation, input);
    const now = Date.now();
    let actorId: string;
    if (fields.actor.source === 'existing') {
      const actor = await findActorById(tx, fields.actor.actorId);
      if (!actor) throw new AppError('invalid_input', { 'actor.actorId': 'not_found' });
      actorId = actor.id;
    } else {
      actorId = randomUUID();
      const { name, kind, country } = fields.actor;
      await insertActor(tx, { id: actorId, name, kind, country, createdAt: now });
    }
    const delegationId = randomUUID();
    try {
      await insertDelegation(tx, {
        id: delegationId,
        negotiationId: access.negotiation.id,
        actorId,
        status: fields.status,
        accreditedAt: now,
      });
    } catch (error) {
      if (error instanceof UniqueViolationError) throw new AppError('conflict', { 'actor.actorId': 'already_accredited' });
      throw error;
    }
    await recordInOpenSessions(
      tx,
      access.negotiation.id,
      { user, membership: access.membership },
      'delegation.accredited',
      { delegationId, actorId, status: fields.status },
      now,
    );
    const delegation = await findDelegationInNegotiation(tx, access.negotiation.id, delegationId);
    if (!delegation) throw new Error('accredited delegation vanished');
    return delegation;
  });
  // Open session rooms count the new delegation for the quorum and show its name (S17, S22).
  liveHub().negotiationSessionsChanged(accredited.negotiationId);
  return accredited;
}
