/**
 * A local stand-in for LiveKit's server API, for what the real server (tests/helpers/real-livekit.ts)
 * cannot show: the exact calls made, and error answers such as an egress refused. The real
 * `livekit-server-sdk` in the server under test talks to it over HTTP: every Twirp request is
 * recorded with its path, JSON body and the claims of its Authorization JWT, which is verified with
 * the API secret like LiveKit does. Participants and their permissions are kept as a
 * real room would: UpdateParticipant replaces the permission, MutePublishedTrack mutes, and
 * RemoveParticipant takes the participant out, DeleteRoom the room; the Egress service starts and
 * stops room-composite egresses (ids EG_1, EG_2…).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import { after, before } from 'node:test';
import { AccessToken, TokenVerifier, type ClaimGrants } from 'livekit-server-sdk';
import type { TRunningServer } from './server';
import { useRoomSuite, type TRoomSuite } from './session-room';

export const LIVEKIT_KEY = 'proxenia-test-key';
export const LIVEKIT_SECRET = 'proxenia-test-secret-that-is-long-enough';

export interface TTwirpCall {
  /** e.g. `/twirp/livekit.RoomService/UpdateParticipant`, `/twirp/livekit.Egress/StopEgress` */
  path: string;
  body: Record<string, unknown>;
  claims: ClaimGrants;
}

/** A participant as LiveKit's JSON shows it (enum values by name). */
export interface TFakeParticipant {
  identity: string;
  sid: string;
  permission: { canSubscribe: boolean; canPublish: boolean; canPublishData?: boolean; canPublishSources: string[] };
  tracks: { sid: string; source: string; muted: boolean }[];
  /** Set by the server in the token (role, delegation, language). */
  attributes?: Record<string, string>;
}

export interface TFakeLiveKit {
  url: string;
  calls: TTwirpCall[];
  /** Requests the fake refused (bad path, bad or missing JWT): a correct server makes none. */
  refused: string[];
  /** Participants per room name. */
  rooms: Map<string, TFakeParticipant[]>;
  /** Methods the fake answers with a server error, as a LiveKit without an egress worker would. */
  failing: Set<string>;
  /** Calls of one method, whichever service it belongs to. */
  callsTo(method: string): TTwirpCall[];
  close(): Promise<void>;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

/** Starts the fake on a free port. */
export async function startFakeLiveKit(): Promise<TFakeLiveKit> {
  const verifier = new TokenVerifier(LIVEKIT_KEY, LIVEKIT_SECRET);
  const calls: TTwirpCall[] = [];
  const refused: string[] = [];
  const rooms = new Map<string, TFakeParticipant[]>();
  const failing = new Set<string>();
  let egresses = 0;

  const answer = (method: string, body: Record<string, unknown>): unknown => {
    const room = rooms.get(String(body.room)) ?? [];
    const participant = room.find((p) => p.identity === body.identity);
    switch (method) {
      case 'ListParticipants':
        return { participants: room };
      case 'UpdateParticipant': {
        if (!participant) return null;
        const permission = body.permission as TFakeParticipant['permission'];
        participant.permission = { ...permission, canPublishSources: permission.canPublishSources ?? [] };
        return participant;
      }
      case 'MutePublishedTrack': {
        const track = participant?.tracks.find((t) => t.sid === body.trackSid);
        if (!track) return null;
        track.muted = body.muted === true;
        return { track };
      }
      case 'DeleteRoom':
        rooms.delete(String(body.room));
        return {};
      case 'RemoveParticipant':
        if (!participant) return null;
        rooms.set(String(body.room), room.filter((p) => p !== participant));
        return {};
      case 'StartRoomCompositeEgress':
        egresses += 1;
        return { egressId: `EG_${egresses}`, roomName: body.roomName, status: 'EGRESS_STARTING' };
      case 'StopEgress':
        return { egressId: body.egressId, status: 'EGRESS_ENDING' };
      default:
        return null;
    }
  };

  const server = http.createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    request.on('end', () => {
      void (async () => {
        const path = request.url ?? '';
        const match = /^\/twirp\/livekit\.(?:RoomService|Egress)\/([A-Za-z]+)$/.exec(path);
        const auth = request.headers.authorization ?? '';
        let claims: ClaimGrants;
        try {
          if (!match || request.method !== 'POST' || !auth.startsWith('Bearer ')) throw new Error('not a Twirp call');
          claims = await verifier.verify(auth.slice('Bearer '.length));
        } catch (error) {
          refused.push(`${request.method} ${path}: ${String(error)}`);
          response.writeHead(401, JSON_HEADERS).end(JSON.stringify({ code: 'unauthenticated', msg: 'refused by the fake' }));
          return;
        }
        const body = JSON.parse(raw || '{}') as Record<string, unknown>;
        calls.push({ path, body, claims });
        if (failing.has(match[1] ?? '')) {
          response.writeHead(503, JSON_HEADERS).end(JSON.stringify({ code: 'unavailable', msg: 'no egress worker' }));
          return;
        }
        const result = answer(match[1] ?? '', body);
        if (result === null) response.writeHead(404, JSON_HEADERS).end(JSON.stringify({ code: 'not_found', msg: 'participant not found' }));
        else response.writeHead(200, JSON_HEADERS).end(JSON.stringify(result));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    refused,
    rooms,
    failing,
    callsTo: (method) => calls.filter((call) => call.path.endsWith(`/${method}`)),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A webhook as LiveKit sends it: the JSON body and `Authorization` = a JWT whose sha256 claim is the body's hash. */
export async function signedWebhook(event: Record<string, unknown>, key = LIVEKIT_KEY, secret = LIVEKIT_SECRET): Promise<{ body: string; authorization: string }> {
  const body = JSON.stringify(event);
  const token = new AccessToken(key, secret);
  token.sha256 = createHash('sha256').update(body).digest('base64');
  return { body, authorization: await token.toJwt() };
}

/** The environment that points the server under test at the fake. */
export function liveKitEnv(fake: TFakeLiveKit): Record<string, string> {
  return { LIVEKIT_URL: fake.url, LIVEKIT_API_KEY: LIVEKIT_KEY, LIVEKIT_API_SECRET: LIVEKIT_SECRET };
}

/** A room suite whose server uses a fake LiveKit started before it and stopped after it. */
export function useLiveKitRoomSuite<Account extends string>(accounts: readonly Account[]): { suite: TRoomSuite<Account>; fake: () => TFakeLiveKit } {
  const started = new Map<'fake', TFakeLiveKit>();
  const current = () => {
    const fake = started.get('fake');
    if (!fake) throw new Error('the fake LiveKit is not running yet');
    return fake;
  };
  before(async () => {
    started.set('fake', await startFakeLiveKit());
  });
  after(async () => {
    await started.get('fake')?.close();
  });
  return { suite: useRoomSuite(accounts, () => liveKitEnv(current())), fake: current };
}

/** POST /api/sessions/<id>/media-token as a browser of `origin` (the server's own by default). */
export function requestMediaToken(server: TRunningServer, cookie: string | undefined, sessionId: string, body: unknown = {}, origin = server.url): Promise<Response> {
  return fetch(`${server.url}/api/sessions/${sessionId}/media-token`, {
    method: 'POST',
    headers: { ...(cookie ? { cookie } : {}), origin, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
