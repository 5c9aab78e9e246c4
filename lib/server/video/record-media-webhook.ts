/**
 * V13–V16: what the media server reports through its webhooks becomes part of the session's record.
 * The signature is checked on the raw body before anything is parsed; each event is stored once
 * (its id is the log entry's message id), so LiveKit's retries change nothing.
 */
import { EgressStatus, TrackSource, WebhookReceiver, type WebhookEvent } from 'livekit-server-sdk';
import type { Database } from '../../db';
import { findSessionById } from '../../db/repositories/sessions';
import { SESSION_EVENT_PAYLOADS } from '../../session/events';
import { AppError } from '../../shared/errors';
import { liveHub } from '../live-hub';
import { log } from '../log';
import { proposeEvent, recordSessionEventOnce, type TProposedEvent } from '../sessions/record-event';
import { sessionOfMediaRoom } from './media-room-name';
import { sessionIsOver } from '../../shared/domain';

/** V13: webhook bodies are a few kilobytes; anything far larger is not LiveKit's. */
export const MAX_WEBHOOK_BYTES = 64 * 1024;

export type TWebhookOutcome = 'recorded' | 'duplicate' | 'ignored';

const sourceName = (source: TrackSource | undefined) => (source === undefined ? 'unknown' : (TrackSource[source] ?? 'unknown').toLowerCase());

/** The log entry a webhook event becomes, or null for the kinds the record does not keep (V14). */
function eventOf(webhook: WebhookEvent): TProposedEvent | null {
  const userId = webhook.participant?.identity ?? '';
  const participantSid = webhook.participant?.sid ?? '';
  switch (webhook.event) {
    case 'participant_joined':
      return proposeEvent('video.participant_joined', { userId, participantSid });
    case 'participant_left': {
      // Proto3 JSON names the enum and leaves out its default (no reason given).
      const reason = (webhook.participant?.toJson() as { disconnectReason?: string } | undefined)?.disconnectReason?.toLowerCase();
      return proposeEvent('video.participant_left', { userId, participantSid, ...(reason ? { reason } : {}) });
    }
    case 'track_published':
    case 'track_unpublished': {
      const track = { userId, trackSid: webhook.track?.sid ?? '', source: sourceName(webhook.track?.source) };
      return webhook.event === 'track_published' ? proposeEvent('video.track_published', track) : proposeEvent('video.track_unpublished', track);
    }
    case 'egress_started':
    case 'egress_updated':
    case 'egress_ended': {
      const egress = webhook.egressInfo;
      const change = webhook.event === 'egress_started' ? 'started' : webhook.event === 'egress_updated' ? 'updated' : 'ended';
      return proposeEvent('video.egress_changed', { change, egressId: egress?.egressId ?? '', status: EgressStatus[egress?.status ?? EgressStatus.EGRESS_STARTING] ?? 'unknown' });
    }
    default:
      return null;
  }
}

/**
 * Verifies a webhook (`unauthenticated` when the signature, the key or the body's hash is wrong) and
 * records it in the session its room belongs to.
 */
export async function recordMediaWebhook(db: Database, receiver: WebhookReceiver, rawBody: string, authorization: string | null): Promise<TWebhookOutcome> {
  let webhook: WebhookEvent;
  try {
    webhook = await receiver.receive(rawBody, authorization ?? undefined);
  } catch (error) {
    log.warn('video.webhook_refused', { reason: error instanceof Error ? error.message : 'invalid' });
    throw new AppError('unauthenticated');
  }
  const event = eventOf(webhook);
  const sessionId = sessionOfMediaRoom(webhook.room?.name ?? webhook.egressInfo?.roomName ?? '');
  // A signed event that does not fit the catalogue (no identity, an identity none of ours could be)
  // is acknowledged, not recorded: LiveKit would otherwise redeliver it forever.
  if (!event || !sessionId || !webhook.id || !SESSION_EVENT_PAYLOADS[event.type].safeParse(event.payload).success) return 'ignored';
  const { duplicate, recorded } = await db.transaction(async (tx) => {
    const session = await findSessionById(tx, sessionId);
    // A closed session's record is final (S3); a room name we never gave out is not ours.
    if (!session || sessionIsOver(session.status)) return { duplicate: false, recorded: false };
    // The log's clock is the server's (S13): a late redelivery is recorded when it arrives.
    const stored = await recordSessionEventOnce(tx, session.id, { user: null, membership: undefined }, event, Date.now(), `livekit:${webhook.id}`);
    return { duplicate: stored.duplicate, recorded: true };
  });
  if (!recorded) return 'ignored';
  if (duplicate) return 'duplicate';
  // T44: the same identity joined twice — a shared account or a stolen token; the operator is told.
  if (event.type === 'video.participant_left' && (event.payload as { reason?: string }).reason === 'duplicate_identity') {
    log.warn('video.duplicate_identity', { sessionId, userId: webhook.participant?.identity });
  }
  liveHub().sessionLogChanged(sessionId);
  return 'recorded';
}
