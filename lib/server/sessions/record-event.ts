import type { Queryable } from '../../db';
import type { TMembership } from '../../db/repositories/negotiations';
import type { TUser } from '../../db/repositories/people';
import { appendSessionEvent, type TSessionEvent } from '../../db/repositories/sessions';
import { SESSION_EVENT_PAYLOADS, type TSessionEventPayload, type TSessionEventType } from '../../session/events';

/** Who caused an event, as recorded: the authenticated user and their place at that moment. */
export interface TEventAuthor {
  /** Null for what the server records on its own (a roster, a presence ended by a restart). */
  user: Pick<TUser, 'id'> | null;
  membership: Pick<TMembership, 'role' | 'delegationId'> | undefined;
}

/** An event a use case wants in the log, before it has a seq; `content` is text kept beside the log. */
export type TProposedEvent = { [Type in TSessionEventType]: { type: Type; payload: TSessionEventPayload<Type>; content?: string } }[TSessionEventType];

/** A typed proposed event (keeps the payload checked against its type at compile time). */
export function proposeEvent<Type extends TSessionEventType>(type: Type, payload: TSessionEventPayload<Type>, content?: string): TProposedEvent {
  return (content === undefined ? { type, payload } : { type, payload, content }) as TProposedEvent;
}

/** Appends one typed event to a session's log; the payload is checked against the catalogue. */
export async function recordSessionEvent<Type extends TSessionEventType>(
  tx: Queryable,
  sessionId: string,
  author: TEventAuthor,
  type: Type,
  payload: TSessionEventPayload<Type>,
  at: number,
  content?: string,
): Promise<TSessionEvent> {
  return (await recordSessionEventOnce(tx, sessionId, author, proposeEvent(type, payload, content), at, null)).event;
}

/**
 * Appends one proposed event unless the log already holds one under `clientMsgId` (a retried
 * message, a webhook delivered twice): then it returns that first event with `duplicate: true`.
 */
export async function recordSessionEventOnce(
  tx: Queryable,
  sessionId: string,
  author: TEventAuthor,
  event: TProposedEvent,
  at: number,
  clientMsgId: string | null,
): Promise<{ event: TSessionEvent; duplicate: boolean }> {
  const checked: unknown = SESSION_EVENT_PAYLOADS[event.type].parse(event.payload);
  return appendSessionEvent(tx, {
    sessionId,
    at,
    userId: author.user?.id ?? null,
    delegationId: author.membership?.delegationId ?? null,
    role: author.membership?.role ?? null,
    type: event.type,
    payload: checked,
    content: event.content,
    clientMsgId,
  });
}

/** Appends proposed events in order, all at server time `at`. */
export async function recordSessionEvents(
  tx: Queryable,
  sessionId: string,
  author: TEventAuthor,
  events: readonly TProposedEvent[],
  at: number,
): Promise<TSessionEvent[]> {
  const stored: TSessionEvent[] = [];
  for (const event of events) stored.push(await recordSessionEvent(tx, sessionId, author, event.type, event.payload, at, event.content));
  return stored;
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
    `SELECT id FROM negotiation_sessions WHERE negotiation_id = ? AND status NOT IN ('closed', 'cancelled') ORDER BY id`,
    [negotiationId],
  );
  for (const { id } of open) await recordSessionEvent(tx, id, author, type, payload, at);
}
