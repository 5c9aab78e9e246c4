import type { Database } from '../../db';
import type { TUser } from '../../db/repositories/people';
import { findSessionInNegotiation, updateSessionStatus, type TSessionRecord } from '../../db/repositories/sessions';
import { sessionTransitionsFrom } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import { ZChangeSessionStatus } from '../../shared/schemas';
import { parseInput } from '../parse-input';
import { recordSessionEvent } from '../sessions/record-event';
import { authorizeInNegotiation } from './authorize-in-negotiation';

/** Moves a session along its lifecycle (open, suspend, resume, close); logged. */
export async function changeSessionStatus(
  db: Database,
  user: TUser,
  negotiationId: unknown,
  input: unknown,
): Promise<TSessionRecord> {
  return db.transaction(async (tx) => {
    const access = await authorizeInNegotiation(tx, user, negotiationId, 'session.control');
    const fields = parseInput(ZChangeSessionStatus, input);
    const session = await findSessionInNegotiation(tx, access.negotiation.id, fields.sessionId);
    if (!session) throw new AppError('not_found');
    if (!sessionTransitionsFrom(session.status).some(([to]) => to === fields.status)) {
      throw new AppError('invalid_transition');
    }
    await updateSessionStatus(tx, session.id, fields.status);
    await recordSessionEvent(
      tx,
      session.id,
      { user, membership: access.membership },
      'session.status_changed',
      { from: session.status, to: fields.status },
      Date.now(),
    );
    return { ...session, status: fields.status };
  });
}
