import { randomUUID } from 'node:crypto';
import type { Database } from '../../db';
import type { TUser } from '../../db/repositories/people';
import { findSessionById, insertSession, type TSessionRecord } from '../../db/repositories/sessions';
import { ZScheduleSession } from '../../shared/schemas';
import { parseInput } from '../parse-input';
import { recordSessionEvent } from '../sessions/record-event';
import { authorizeInNegotiation } from './authorize-in-negotiation';

/** Schedules a session; its log opens with a `session.scheduled` event. */
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
