import { ZId } from '../../shared/schemas';

/** Between a session's id and a side room's id in a side room's media room name. */
const SIDE_ROOM_SEPARATOR = '~';

/**
 * The media room of a session is named by the session's id, and a side room's (V23) by the
 * session's and the side room's ids, so a room name a media server reports (webhooks) leads back
 * to exactly one session.
 */
export function mediaRoomName(sessionId: string, sideRoomId: string | null = null): string {
  return sideRoomId === null ? sessionId : `${sessionId}${SIDE_ROOM_SEPARATOR}${sideRoomId}`;
}

/** The session a media room belongs to (its plenary or one of its side rooms), or null for a name we did not give out. */
export function sessionOfMediaRoom(roomName: string): string | null {
  const [sessionId, sideRoomId, ...rest] = roomName.split(SIDE_ROOM_SEPARATOR);
  if (rest.length > 0 || (sideRoomId !== undefined && !ZId.safeParse(sideRoomId).success)) return null;
  const parsed = ZId.safeParse(sessionId);
  return parsed.success ? parsed.data : null;
}
