/**
 * The replay's timeline (docs/PROTOCOL.md R7): markers for the moments people look for — speeches
 * and floor changes, votes, amendments, joins and leaves, chat — among the events that reach the
 * viewer, and how much the text was edited over time (counted per bucket, since a session can hold
 * hundreds of thousands of edits).
 */
import type { Queryable } from '../../../db';
import type { TUser } from '../../../db/repositories/people';
import { sessionLogSpan } from '../../../db/repositories/replay';
import { audienceOf, reaches } from '../../../session/room/visibility';
import { authorizeSessionRecord } from '../read-session-record';
import { roomViewerOf, viewerScopeOf } from '../room/room-viewer';

export const MARKER_KINDS = ['status', 'speech', 'floor', 'vote', 'amendment', 'paragraph', 'attendance', 'chat', 'video'] as const;
export type TMarkerKind = (typeof MARKER_KINDS)[number];

/** Which marker an event type gets, by its family; types without one (document edits, notes…) get none. */
function markerKindOf(type: string): TMarkerKind | null {
  if (type === 'session.status_changed') return 'status';
  if (type === 'floor.granted' || type === 'floor.speaker_designated' || type.startsWith('speech.')) return 'speech';
  if (type.startsWith('floor.request')) return 'floor';
  if (type.startsWith('decision.')) return 'vote';
  if (type.startsWith('amendment.') || type.startsWith('bracket.')) return 'amendment';
  if (type === 'paragraph.status_changed' || type === 'document.adopted') return 'paragraph';
  if (type.startsWith('attendance.')) return 'attendance';
  if (type === 'chat.message_posted') return 'chat';
  if (type.startsWith('video.')) return 'video';
  return null;
}

export interface TReplayTimeline {
  headSeq: number;
  firstAt: number | null;
  lastAt: number | null;
  markers: { seq: number; at: number; kind: TMarkerKind; type: string }[];
  /** Document edits per time bucket (`at` = the bucket's start). */
  edits: { at: number; count: number }[];
  bucketMs: number;
}

const EDIT_BUCKETS = 120;

export async function readReplayTimeline(q: Queryable, user: TUser, sessionId: unknown): Promise<TReplayTimeline> {
  const { session, access } = await authorizeSessionRecord(q, user, sessionId);
  const scope = viewerScopeOf(roomViewerOf(user, access));
  const span = await sessionLogSpan(q, session.id);
  const rows = await q.all<{ seq: number; at: number; type: string; payload: string }>(
    `SELECT seq, at, type, payload FROM session_events WHERE session_id = ? AND type <> 'document.updated' ORDER BY seq`,
    [session.id],
  );
  const markers = rows.flatMap((row) => {
    const kind = markerKindOf(row.type);
    if (!kind || !reaches(audienceOf({ type: row.type, payload: JSON.parse(row.payload) as unknown }), scope)) return [];
    return [{ seq: Number(row.seq), at: Number(row.at), kind, type: row.type }];
  });
  const firstAt = span.firstAt ?? session.scheduledStart;
  const bucketMs = Math.max(1, Math.ceil(((span.lastAt ?? firstAt) - firstAt + 1) / EDIT_BUCKETS));
  const buckets = await q.all<{ bucket: number; count: number }>(
    `SELECT (at - ?) / ? AS bucket, COUNT(*) AS count FROM session_events WHERE session_id = ? AND type = 'document.updated' GROUP BY (at - ?) / ? ORDER BY bucket`,
    [firstAt, bucketMs, session.id, firstAt, bucketMs],
  );
  return {
    headSeq: span.headSeq,
    firstAt: span.firstAt,
    lastAt: span.lastAt,
    markers,
    edits: buckets.map((row) => ({ at: firstAt + Math.floor(Number(row.bucket)) * bucketMs, count: Number(row.count) })),
    bucketMs,
  };
}
