import type { Queryable } from '../../db';
import { findNegotiationById, listDelegations } from '../../db/repositories/negotiations';
import { sessionTransitionsFrom, type TSessionStatus } from '../../shared/domain';
import { proposeEvent, type TProposedEvent } from './record-event';

/** The quorum roster of a negotiation now: its rule and every accredited delegation. */
export async function rosterEvent(tx: Queryable, negotiationId: string): Promise<TProposedEvent> {
  const negotiation = await findNegotiationById(tx, negotiationId);
  if (!negotiation) throw new Error(`rosterEvent: no negotiation ${negotiationId}`);
  const delegations = await listDelegations(tx, negotiationId);
  return proposeEvent('quorum.roster_recorded', {
    rule: negotiation.quorumRule,
    delegations: delegations.map((delegation) => ({ delegationId: delegation.id, status: delegation.status })),
  });
}

/** Whether a session's log already holds a quorum roster. */
export async function hasRoster(tx: Queryable, sessionId: string): Promise<boolean> {
  return Boolean(await tx.get(`SELECT 1 AS found FROM session_events WHERE session_id = ? AND type = 'quorum.roster_recorded'`, [sessionId]));
}

/**
 * S2: the events that move a session from its status to `to`, or null when the lifecycle does not
 * allow the move. Going live for the first time records the quorum roster before the change, so
 * attendance counts against the delegations of that moment. Both the room's `session.set_status`
 * command and the negotiation page's buttons use this, so the record is the same either way.
 * S85: a cancellation keeps the chair's reason; no other move has one.
 */
export async function sessionTransitionEvents(
  tx: Queryable,
  session: { id: string; negotiationId: string; status: TSessionStatus },
  to: TSessionStatus,
  reason?: string,
): Promise<TProposedEvent[] | null> {
  if (!sessionTransitionsFrom(session.status).some(([next]) => next === to)) return null;
  const events: TProposedEvent[] = [];
  if (to === 'live' && !(await hasRoster(tx, session.id))) events.push(await rosterEvent(tx, session.negotiationId));
  const because = to === 'cancelled' && reason ? { reason } : {};
  events.push(proposeEvent('session.status_changed', { from: session.status, to, ...because }));
  return events;
}
