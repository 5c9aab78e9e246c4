/**
 * How a session's audio and video travel (docs/PROTOCOL.md V1–V17). One interface, two transports:
 * LiveKit when `LIVEKIT_URL`, `LIVEKIT_API_KEY` and `LIVEKIT_API_SECRET` are set, where the server
 * enforces every grant; otherwise the browsers' peer-to-peer mesh (the embedded default), where the
 * same grants are advisory. Both modules graphs (the Next.js routes and the socket server) build
 * their transport from the same validated configuration.
 */
import type { WebhookReceiver } from 'livekit-server-sdk';
import type { Database } from '../../db';
import type { TEnv } from '../../env';
import type { TMediaGrants } from '../../policy/media';
import type { TRole } from '../../shared/domain';
import type { TSessionRoomState } from '../../session/room/state';
import type { TSessionEvent } from '../../db/repositories/sessions';
import { mediaRoomName } from './media-room-name';

/** What the server decided a participant may do in a session's media room. */
export interface TMediaAdmission {
  sessionId: string;
  /** V26: the side room whose media room this is for; null for the plenary's. */
  sideRoomId: string | null;
  /** Our opaque user id: the participant's identity, never chosen by the browser. */
  userId: string;
  name: string;
  /** Set by the server from the membership: role, delegation id ('' without one), language channel. */
  attributes: { role: TRole; delegation: string; language: string };
  grants: TMediaGrants;
  /** V5: informal rooms let delegates speak, but their browsers join muted. */
  joinMuted: boolean;
}

/** What the browser receives to join: the transport, and how to use it. */
export type TMediaTicket =
  | { transport: 'livekit'; moderation: 'enforced'; url: string; room: string; token: string; expiresAt: number; grants: TMediaGrants; joinMuted: boolean }
  | { transport: 'mesh'; moderation: 'advisory'; room: string; maxPublishers: number; grants: TMediaGrants; joinMuted: boolean };

export interface TMediaTransport {
  readonly kind: 'livekit' | 'mesh';
  /** Checks the media server's signed webhooks (V13); null when no media server reports to us. */
  readonly webhookReceiver: WebhookReceiver | null;
  /** The ticket the browser joins with (a LiveKit token, or the mesh's grants). */
  admit(admission: TMediaAdmission): Promise<TMediaTicket>;
  /**
   * Events a session's room has just committed and applied, with the state they produced: the
   * transport makes the media room follow the floor and the chair's moderation (V8–V11).
   */
  roomEventsApplied(session: { id: string; negotiationId: string }, events: readonly TSessionEvent[], state: TSessionRoomState): void;
}

/** V12: publishers a browser mesh carries before it stops being usable (every publisher sends to every peer). */
export const MESH_MAX_PUBLISHERS = 6;

/** The mesh: grants travel to the browsers, which apply them; nothing on the server enforces them. */
class MeshTransport implements TMediaTransport {
  readonly kind = 'mesh';
  readonly webhookReceiver = null;

  admit(admission: TMediaAdmission): Promise<TMediaTicket> {
    return Promise.resolve({
      transport: 'mesh',
      moderation: 'advisory',
      room: mediaRoomName(admission.sessionId, admission.sideRoomId),
      maxPublishers: MESH_MAX_PUBLISHERS,
      grants: admission.grants,
      joinMuted: admission.joinMuted,
    });
  }

  roomEventsApplied(): void {
    // Mesh browsers fold the same session events and apply the floor and moderation themselves.
  }
}

/**
 * The transport this configuration selects (V1). The LiveKit SDK is imported only when LiveKit is
 * configured: a mesh server never holds it in memory.
 */
export async function mediaTransportFor(config: TEnv, db: Database): Promise<TMediaTransport> {
  const { LIVEKIT_URL: url, LIVEKIT_API_KEY: apiKey, LIVEKIT_API_SECRET: apiSecret } = config;
  // lib/env.ts guarantees the three come together.
  if (!(url && apiKey && apiSecret)) return new MeshTransport();
  const bucket = config.RECORDING_S3_BUCKET;
  const recording = {
    filepath: config.RECORDING_FILEPATH,
    // lib/env.ts guarantees a bucket comes with its credentials.
    s3: bucket
      ? { bucket, region: config.RECORDING_S3_REGION ?? '', endpoint: config.RECORDING_S3_ENDPOINT ?? '', accessKey: config.RECORDING_S3_ACCESS_KEY ?? '', secret: config.RECORDING_S3_SECRET ?? '' }
      : null,
  };
  const { LiveKitTransport } = await import('./livekit-transport');
  return new LiveKitTransport({ url, apiKey, apiSecret, recording }, db);
}

const registry = globalThis as typeof globalThis & { __proxeniaMediaTransport?: TMediaTransport };

/** Installs the process's transport (the server, at start), so both module graphs share one. */
export function installMediaTransport(transport: TMediaTransport): void {
  registry.__proxeniaMediaTransport = transport;
}

/** The process's transport; built from the configuration when no server installed one (scripts). */
export async function mediaTransport(): Promise<TMediaTransport> {
  if (!registry.__proxeniaMediaTransport) {
    const [{ env }, { getDb }] = await Promise.all([import('../../env'), import('../../db')]);
    registry.__proxeniaMediaTransport = await mediaTransportFor(env(), await getDb());
  }
  return registry.__proxeniaMediaTransport;
}
