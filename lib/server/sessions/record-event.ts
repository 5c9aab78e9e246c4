import type { Queryable } from '../../db';
import type { TMembership } from '../../db/repositories/negotiations';
import type { TUser } from '../../db/repositories/people';
import { appendSessionEvent, type TSessionEvent } from '../../db/repositories/sessions';
import { SESSION_EVENT_PAYLOADS, type TSessionEventPayload, type TSessionEventType } from '../../session/events';

/** Who caused an event, as recorded: the authenticated user and their place at that moment. */
export interface TEventAuthor {
  user: Pick<TUser, 'id'>;
  membership: Pick<TMembership, 'role' | 'delegationId'> | undefined;
}

/** Appends one typed event to a session's log; the payload is checked against the catalogue. */
export async function recordSessionEvent<Type extends TSessionEventType>(
  tx: Queryable,
  sessionId: string,
  author: TEventAuthor,
  type: Type,
  payload: TSessionEventPayload<Type>,
  at: number,
): Promise<TSessionEvent> {
  const checked = SESSION_EVENT_PAYLOADS[type].parse(payload);
  const { event } = await appendSessionEvent(tx, {
    sessionId,
    at,
    userId: author.user.id,
    delegationId: author.membership?.delegationId ?? null,
    role: author.membership?.role ?? null,
    type,
    payload: checked,
  });
  return event;
}

/**
 * Records a negotiation-wide change in the log of every session not yet closed, so each session's
 * record shows who could do what while it ran.
 */
export async function recordInOpenSessions<Type extends TSessionEventType>(
  tx: Queryable,
  negotiationId: string,
  author: TEventAuthor,
  type: Type,
  payload: TSessionEventPayload<Type>,
  at: number,
): Promise<void> {
  const open = await tx.all<{ id: string }>(
    `SELECT id FROM negotiation_sessions WHERE negotiation_id = ? AND status <> 'closed' ORDER BY id`,
    [negotiationId],
  );
  for (const { id } of open) await recordSessionEvent(tx, id, author, type, payload, at);
}
