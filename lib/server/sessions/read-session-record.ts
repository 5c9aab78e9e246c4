/**
 * A session's record as one person may read it (docs/PROTOCOL.md S79): the room at any seq of its
 * log, replayed with the room's one reducer, and the events up to there — both filtered by the
 * same visibility rules as the live room, so the record shows nobody what the room would not
 * (another delegation's channel or notes, a deleted message's text).
 */
import { z } from 'zod';
import type { Queryable } from '../../db';
import type { TUser } from '../../db/repositories/people';
import { findSessionById, listSessionEvents, type TSessionEvent, type TSessionRecord } from '../../db/repositories/sessions';
import { foldSessionRoom } from '../../session/room/reduce';
import type { TRoomEvent, TSessionRoomState } from '../../session/room/state';
import { audienceOf, reaches, stateForViewer } from '../../session/room/visibility';
import { AppError } from '../../shared/errors';
import { ZId } from '../../shared/schemas';
import { authorizeInNegotiation, type TNegotiationAccess } from '../negotiations/authorize-in-negotiation';
import { parseInput } from '../parse-input';
import { roomViewerOf, viewerScopeOf } from './room/room-viewer';

/** The log entry as a room's viewers get it: no hash fields, no client message id; a text kept beside the log, if any. */
export function toRoomEvent(event: TSessionEvent): TRoomEvent {
  const { seq, at, userId, delegationId, role, type, payload, content } = event;
  return content === undefined ? { seq, at, userId, delegationId, role, type, payload } : { seq, at, userId, delegationId, role, type, payload, content };
}

/** `until`: a whole seq (digits only), clamped to the log's head; absent: the head (T30). */
const ZRecordQuery = z.strictObject({ until: z.string().regex(/^\d{1,15}$/, 'invalid_number').transform(Number).optional() });

export interface TSessionRecordView {
  sessionId: string;
  negotiationId: string;
  headSeq: number;
  /** The seq the state is at (the requested one, clamped to the head). */
  seq: number;
  state: TSessionRoomState;
  events: TRoomEvent[];
}

/**
 * The session whose record `user` wants, if they may read records (`session.viewRecord`): unknown,
 * malformed and other negotiations' sessions are `not_found`, like a negotiation they are not in.
 */
export async function authorizeSessionRecord(q: Queryable, user: TUser, sessionId: unknown): Promise<{ session: TSessionRecord; access: TNegotiationAccess }> {
  const id = ZId.safeParse(sessionId);
  const session = id.success ? await findSessionById(q, id.data) : undefined;
  if (!session) throw new AppError('not_found');
  return { session, access: await authorizeInNegotiation(q, user, session.negotiationId, 'session.viewRecord') };
}

/** Reads a session's record up to `until` for a member allowed to read records (`session.viewRecord`). */
export async function readSessionRecord(q: Queryable, user: TUser, sessionId: unknown, query: unknown): Promise<TSessionRecordView> {
  const { session, access } = await authorizeSessionRecord(q, user, sessionId);
  const { until } = parseInput(ZRecordQuery, query);
  const scope = viewerScopeOf(roomViewerOf(user, access));
  const stored = await listSessionEvents(q, session.id);
  const headSeq = stored.at(-1)?.seq ?? 0;
  const seq = Math.min(until ?? headSeq, headSeq);
  const upTo = stored.filter((event) => event.seq <= seq);
  return {
    sessionId: session.id,
    negotiationId: session.negotiationId,
    headSeq,
    seq,
    state: stateForViewer(foldSessionRoom(session.id, upTo), scope),
    events: upTo.filter((event) => reaches(audienceOf(event), scope)).map(toRoomEvent),
  };
}
