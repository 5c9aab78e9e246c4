import { randomUUID } from 'node:crypto';
import type { Database } from '../../db';
import type { TUser } from '../../db/repositories/people';
import { findSessionById, insertSession, type TSessionRecord } from '../../db/repositories/sessions';
import { AppError } from '../../shared/errors';
import { ZScheduleSession } from '../../shared/schemas';
import { parseInput } from '../parse-input';
import { recordSessionEvent } from '../sessions/record-event';
import { authorizeInNegotiation } from './authorize-in-negotiation';

/**
 * A start this long ago is still "now" (S88): the form picks whole minutes, and filling it in takes
 * a moment. Anything earlier is refused.
 */
export const PAST_START_GRACE_MS = 10 * 60_000;

/** Schedules a session; its log opens with a `session.scheduled` event. A start in the past is refused (S88). */
export async function scheduleSession(
  db: Database,
  user: TUser,
  negotiationId: unknown,
  input: unknown,
): Promise<TSessionRecord> {
  return db.transaction(async (tx) => {
    const access = await authorizeInNegotiation(tx, user, negotiationId, 'session.schedule');
    const fields = parseInput(ZScheduleSession, input);
    const now = Date.now();
    if (fields.scheduledStart < now - PAST_START_GRACE_MS) throw new AppError('invalid_input', { scheduledStart: 'in_the_past' });
    const id = randomUUID();
    await insertSession(tx, { id, negotiationId: access.negotiation.id, title: fields.title, scheduledStart: fields.scheduledStart, status: 'scheduled', createdAt: now });
    await recordSessionEvent(
      tx,
      id,
      { user, membership: access.membership },
      'session.scheduled',
      { title: fields.title, scheduledStart: fields.scheduledStart },
      now,
    );
    const session = await findSessionById(tx, id);
    if (!session) throw new Error('scheduled session vanished');
    return session;
  });
}
