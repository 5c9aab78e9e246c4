/**
 * V2–V6: a signed-in member asks to join a session's media room; the server decides who they are
 * there (identity, attributes) and what they may publish (the policy's grants for the room's state
 * now) and hands back the transport's ticket — for LiveKit, a short-lived token — to the plenary's
 * media room or to a side room's (V26).
 */
import { z } from 'zod';
import type { Database } from '../../db';
import { findMembership, findNegotiationById } from '../../db/repositories/negotiations';
import type { TUser } from '../../db/repositories/people';
import { findSessionById, listSessionEvents } from '../../db/repositories/sessions';
import { explain } from '../../policy';
import { joinsMuted, mayEnterSideRoom, sideRoomGrantsFor } from '../../policy/media';
import { foldSessionRoom } from '../../session/room/reduce';
import { mediaGrantsNow } from '../../session/room/reduce-media';
import { AppError } from '../../shared/errors';
import { ZMediaChannel } from '../../shared/mesh';
import { ZId } from '../../shared/schemas';
import { actorFor } from '../negotiations/authorize-in-negotiation';
import { parseInput } from '../parse-input';
import type { TMediaAdmission, TMediaTicket, TMediaTransport } from './media-transport';
import { sessionIsOver } from '../../shared/domain';

/**
 * The only thing a browser chooses: a language channel — the one an interpreter publishes, or the
 * one a listener hears (`floor`: the speakers themselves).
 */
export const ZMediaJoin = z.strictObject({
  language: ZMediaChannel.default('floor'),
  /** V26: a side room of the session the caller is in (absent: the plenary). */
  sideRoomId: ZId.optional(),
});

/**
 * Who `user` is in session `sessionId`'s media room (untrusted id and body) and what they may
 * publish there now, or an AppError (404 outside its negotiation, 403, 409, 400). The LiveKit token and the mesh's
 * signalling (V27) both admit through here.
 */
export async function mediaAdmissionFor(db: Database, user: TUser, sessionId: unknown, body: unknown): Promise<TMediaAdmission> {
  const id = ZId.safeParse(sessionId);
  if (!id.success) throw new AppError('not_found');
  const { language, sideRoomId } = parseInput(ZMediaJoin, body);
  const session = await findSessionById(db, id.data);
  if (!session) throw new AppError('not_found');
  // V2: media is for the session's people only. Someone outside its negotiation is told the
  // session does not exist, as every other route does, so the answer is no existence oracle.
  const membership = await findMembership(db, session.negotiationId, user.id);
  if (!membership) throw new AppError('not_found');
  if (!explain(actorFor(user, membership), 'session.attend', { kind: 'negotiation', negotiationId: session.negotiationId }).allowed) {
    throw new AppError('forbidden');
  }
  if (sessionIsOver(session.status)) throw new AppError('invalid_transition');
  const state = foldSessionRoom(session.id, await listSessionEvents(db, session.id));
  if (state.video.removed.includes(user.id)) throw new AppError('forbidden');
  // V6: an interpreter publishes one of the negotiation's languages, never the floor itself.
  if (membership.role === 'interpreter' && !(await findNegotiationById(db, session.negotiationId))?.languages.some((spoken) => spoken === language)) {
    throw new AppError('invalid_input', { language: 'invalid_choice' });
  }
  const attributes = { role: membership.role, delegation: membership.delegationId ?? '', language };
  if (sideRoomId !== undefined) {
    // V26: a side room's media room is for the people in it now, and only while it is open.
    const sideRoom = state.sideRooms.find((room) => room.sideRoomId === sideRoomId);
    if (!sideRoom) throw new AppError('not_found');
    if (sideRoom.closedAt !== null) throw new AppError('invalid_transition');
    if (!sideRoom.present.includes(user.id) || !mayEnterSideRoom(membership, sideRoom)) throw new AppError('forbidden');
    return { sessionId: session.id, sideRoomId, userId: user.id, name: user.name, attributes, grants: sideRoomGrantsFor(membership), joinMuted: false };
  }
  return {
    sessionId: session.id,
    sideRoomId: null,
    userId: user.id,
    name: user.name,
    attributes,
    grants: mediaGrantsNow(state, membership, language),
    joinMuted: joinsMuted(membership.role, state.video.mode),
  };
}

/** The ticket for `user` in session `sessionId` (untrusted id), or an AppError (403, 404, 409, 400). */
export async function admitToMedia(db: Database, transport: TMediaTransport, user: TUser, sessionId: unknown, body: unknown): Promise<TMediaTicket> {
  return transport.admit(await mediaAdmissionFor(db, user, sessionId, body));
}
