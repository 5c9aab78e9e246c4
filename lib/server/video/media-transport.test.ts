import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenVerifier } from 'livekit-server-sdk';
import type { Database } from '../../db';
import { readEnv } from '../../env';
import { mediaGrantsFor, sideRoomGrantsFor, type TMediaMode, type TFloorHolder } from '../../policy/media';
import type { TRole } from '../../shared/domain';
import { MEDIA_TOKEN_TTL_SECONDS } from './livekit-transport';
import { sessionOfMediaRoom } from './media-room-name';
import { mediaTransportFor, type TMediaAdmission } from './media-transport';

const KEY = 'unit-key';
const SECRET = 'unit-secret-unit-secret-unit-secret';
const LIVEKIT = { LIVEKIT_URL: 'wss://media.example.org', LIVEKIT_API_KEY: KEY, LIVEKIT_API_SECRET: SECRET };
const SESSION = '5b0d6a4e-4a5e-4f43-9d3e-2b4a1c0d9e11';
const USER = '0f8e2d1c-3b4a-4c5d-8e9f-a0b1c2d3e4f5';
const MONTREAL = '7d3f9b2a-1c4e-4a6b-9d8c-0e1f2a3b4c5d';
const SEOUL = '2e4c6a8b-0d1f-4e3a-8b5c-7d9e1f2a3b4c';
// Transports only reach the database to follow a room's events, which these tests do not do.
const noDatabase = {} as Database;

function admission(role: TRole, mode: TMediaMode, floor: TFloorHolder | null, booth = false): TMediaAdmission {
  const delegationId = role === 'head' || role === 'delegate' || role === 'adviser' ? MONTREAL : null;
  return {
    sessionId: SESSION,
    sideRoomId: null,
    userId: USER,
    name: 'Valérie Plante',
    attributes: { role, delegation: delegationId ?? '', language: role === 'interpreter' ? 'fr' : 'floor' },
    grants: mediaGrantsFor({ userId: USER, role, delegationId }, mode, floor, booth),
    joinMuted: false,
  };
}

const ALL = ['camera', 'microphone', 'screen_share', 'screen_share_audio'];
const MONTREAL_HAS_THE_FLOOR: TFloorHolder = { userId: null, delegationId: MONTREAL };

/** Role, mode, floor → the sources the token must allow (V3–V6, V21: an interpreter's booth). */
const CASES: [TRole, TMediaMode, TFloorHolder | null, string[], boolean?][] = [
  ['chair', 'formal', null, ALL],
  ['secretariat', 'formal', null, ALL],
  ['head', 'formal', null, ['camera', 'screen_share', 'screen_share_audio']],
  ['head', 'formal', MONTREAL_HAS_THE_FLOOR, ALL],
  ['head', 'formal', { userId: null, delegationId: SEOUL }, ['camera', 'screen_share', 'screen_share_audio']],
  ['head', 'informal', null, ALL],
  ['delegate', 'formal', null, ['camera', 'screen_share', 'screen_share_audio']],
  ['delegate', 'formal', MONTREAL_HAS_THE_FLOOR, ALL],
  ['delegate', 'informal', null, ALL],
  ['adviser', 'formal', null, ['camera']],
  ['adviser', 'formal', MONTREAL_HAS_THE_FLOOR, ['camera', 'microphone']],
  ['adviser', 'informal', null, ['camera', 'microphone']],
  ['observer', 'formal', null, []],
  ['observer', 'informal', null, []],
  ['observer', 'formal', { userId: USER, delegationId: null }, ['microphone']],
  ['interpreter', 'formal', null, []],
  ['interpreter', 'formal', null, ['microphone'], true],
  ['interpreter', 'informal', null, ['microphone'], true],
];

test('[V1] LiveKit only when all three settings are set; the mesh otherwise', async () => {
  assert.equal((await mediaTransportFor(readEnv({}), noDatabase)).kind, 'mesh');
  assert.equal((await mediaTransportFor(readEnv(LIVEKIT), noDatabase)).kind, 'livekit');
  assert.equal((await mediaTransportFor(readEnv({}), noDatabase)).webhookReceiver, null);
});

test('[V2][V3][V4][V5][V6] a LiveKit token per role: identity, room, TTL, attributes and every grant field', async () => {
  const transport = await mediaTransportFor(readEnv(LIVEKIT), noDatabase);
  const verifier = new TokenVerifier(KEY, SECRET);
  for (const [role, mode, floor, sources, booth] of CASES) {
    const label = `${role} ${mode} ${floor ? 'with' : 'without'} the floor${booth ? ', in the booth' : ''}`;
    const ticket = await transport.admit(admission(role, mode, floor, booth));
    assert.equal(ticket.transport, 'livekit');
    if (ticket.transport !== 'livekit') continue;
    assert.equal(ticket.room, SESSION);
    const claims = await verifier.verify(ticket.token);
    assert.equal(claims.sub, USER, label);
    assert.equal(claims.name, 'Valérie Plante');
    assert.ok(claims.exp !== undefined && claims.nbf !== undefined && claims.exp - claims.nbf <= MEDIA_TOKEN_TTL_SECONDS, `${label}: short TTL`);
    assert.deepEqual(claims.attributes, admission(role, mode, floor, booth).attributes, label);
    assert.deepEqual(
      claims.video,
      { roomJoin: true, room: SESSION, canSubscribe: true, canPublish: sources.length > 0, canPublishSources: sources, canPublishData: false, canUpdateOwnMetadata: false },
      label,
    );
  }
});

test('[V12] the mesh hands out the same grants, marked advisory', async () => {
  const ticket = await (await mediaTransportFor(readEnv({}), noDatabase)).admit(admission('delegate', 'formal', null));
  assert.deepEqual(ticket, {
    transport: 'mesh',
    moderation: 'advisory',
    room: SESSION,
    maxPublishers: 6,
    grants: { canSubscribe: true, canPublish: true, canPublishSources: ['camera', 'screen_share', 'screen_share_audio'], canPublishData: false, canUpdateOwnMetadata: false },
    joinMuted: false,
  });
});

test('[V26] a side room’s token: its own room name, a microphone for everyone who ever has one, observers listening, every grant field', async () => {
  const transport = await mediaTransportFor(readEnv(LIVEKIT), noDatabase);
  const verifier = new TokenVerifier(KEY, SECRET);
  const sideRoomId = '3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a99';
  const expected: [TRole, string[]][] = [
    ['chair', ALL],
    ['head', ALL],
    ['delegate', ALL],
    ['adviser', ['camera', 'microphone']],
    ['observer', []],
    ['interpreter', ['microphone']],
  ];
  for (const [role, sources] of expected) {
    const delegationId = role === 'head' || role === 'delegate' || role === 'adviser' ? MONTREAL : null;
    const ticket = await transport.admit({ ...admission(role, 'formal', null), sideRoomId, grants: sideRoomGrantsFor({ userId: USER, role, delegationId }) });
    assert.ok(ticket.transport === 'livekit');
    assert.equal(ticket.room, `${SESSION}~${sideRoomId}`);
    const claims = await verifier.verify(ticket.token);
    assert.deepEqual(
      claims.video,
      { roomJoin: true, room: `${SESSION}~${sideRoomId}`, canSubscribe: true, canPublish: sources.length > 0, canPublishSources: sources, canPublishData: false, canUpdateOwnMetadata: false },
      role,
    );
  }
  assert.equal(sessionOfMediaRoom(`${SESSION}~${sideRoomId}`), SESSION);
  assert.equal(sessionOfMediaRoom(`${SESSION}~not-ours`), null);
  assert.equal(sessionOfMediaRoom(`${SESSION}~${sideRoomId}~${sideRoomId}`), null);
});
