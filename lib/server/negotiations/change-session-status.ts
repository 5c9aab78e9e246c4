import type { Database } from '../../db';
import type { TUser } from '../../db/repositories/people';
import { findSessionInNegotiation, updateSessionStatus, type TSessionRecord } from '../../db/repositories/sessions';
import { AppError } from '../../shared/errors';
import { ZChangeSessionStatus } from '../../shared/schemas';
import { liveHub } from '../live-hub';
import { parseInput } from '../parse-input';
import { recordSessionEvents } from '../sessions/record-event';
import { sessionTransitionEvents } from '../sessions/session-transition';
import { authorizeInNegotiation } from './authorize-in-negotiation';

/** Moves a session along its lifecycle (open, cancel, suspend, resume, close); logged, and shown at once in its room. */
export async function changeSessionStatus(
  db: Database,
  user: TUser,
  negotiationId: unknown,
  input: unknown,
): Promise<TSessionRecord> {
  const changed = await db.transaction(async (tx) => {
    const access = await authorizeInNegotiation(tx, user, negotiationId, 'session.control');
    const fields = parseInput(ZChangeSessionStatus, input);
    const session = await findSessionInNegotiation(tx, access.negotiation.id, fields.sessionId);
    if (!session) throw new AppError('not_found');
    const events = await sessionTransitionEvents(tx, session, fields.status, fields.reason);
    if (!events) throw new AppError('invalid_transition');
    await recordSessionEvents(tx, session.id, { user, membership: access.membership }, events, Date.now());
    await updateSessionStatus(tx, session.id, fields.status);
    return { ...session, status: fields.status };
  });
  liveHub().sessionLogChanged(changed.id);
  return changed;
}
