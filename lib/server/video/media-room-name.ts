import { ZId } from '../../shared/schemas';

/**
 * The media room of a session is named by the session's id, so a room name a media server reports
 * (webhooks) leads back to exactly one session.
 */
export function mediaRoomName(sessionId: string): string {
  return sessionId;
}

/** The session a media room belongs to, or null for a name we did not give out. */
export function sessionOfMediaRoom(roomName: string): string | null {
  const parsed = ZId.safeParse(roomName);
  return parsed.success ? parsed.data : null;
}
