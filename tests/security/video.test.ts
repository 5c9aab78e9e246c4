/**
 * THREATS cases for video with LiveKit (docs/PROTOCOL.md V2, V8, V13–V15): tokens only for the
 * caller, their session and a few minutes (T44), strict inputs that cannot name an identity, a room
 * or a grant (T29), webhook retries without effect (T31), and a role change that reaches the media
 * room at once (T39). LiveKit's API is the local stand-in of tests/helpers/fake-livekit.ts.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { TokenVerifier } from 'livekit-server-sdk';
import { openSqlite } from '../../lib/db/sqlite';
import { findMembership } from '../../lib/db/repositories/negotiations';
import { findUserByEmail } from '../../lib/db/repositories/people';
import { changeMemberRole } from '../../lib/server/negotiations/change-member-role';
import { demoEmail, demoNegotiations, userIdOf } from '../helpers/demo-data';
import { LIVEKIT_KEY, LIVEKIT_SECRET, requestMediaToken, signedWebhook, useLiveKitRoomSuite } from '../helpers/fake-livekit';
import { eventually } from '../helpers/http';
import { scheduleMetropolisSession, storedCounts } from '../helpers/session-room';

const ACCOUNTS = ['chair', 'head.montreal', 'delegate.montreal', 'head.seoul'] as const;

describe('video: bad input and threats', () => {
  const { suite, fake: running } = useLiveKitRoomSuite(ACCOUNTS);
  const tokenRequest = (account: (typeof ACCOUNTS)[number], sessionId: string, body: unknown) => requestMediaToken(suite.server, suite.cookies[account], sessionId, body);
  const webhook = (body: string, authorization: string) =>
    fetch(`${suite.server.url}/api/livekit/webhook`, { method: 'POST', headers: { 'content-type': 'application/webhook+json', authorization }, body });

  test('[T44][T29] a token is for the caller, their session’s room and ten minutes; a body naming an identity, a room, a role or a grant is refused', async () => {
    const sessionId = await scheduleMetropolisSession(suite.server, 'Video threats');
    const seoul = userIdOf(suite.server, demoEmail('head.seoul'));
    for (const forged of [{ identity: seoul }, { room: randomUUID() }, { role: 'chair' }, { canPublishSources: ['microphone'] }, { roomAdmin: true }, { language: 'xx' }]) {
      assert.equal((await tokenRequest('delegate.montreal', sessionId, forged)).status, 400, JSON.stringify(forged));
    }
    const response = await tokenRequest('delegate.montreal', sessionId, {});
    const { token } = (await response.json()) as { token: string };
    const claims = await new TokenVerifier(LIVEKIT_KEY, LIVEKIT_SECRET).verify(token);
    assert.equal(claims.sub, userIdOf(suite.server, demoEmail('delegate.montreal')));
    assert.equal(claims.video?.room, sessionId);
    assert.ok(claims.exp !== undefined && claims.nbf !== undefined && claims.exp - claims.nbf <= 600);
    assert.equal(claims.video?.roomAdmin, undefined);
    assert.equal(claims.video?.roomRecord, undefined);
    assert.equal(claims.video?.canUpdateOwnMetadata, false);
  });

  test('[T29] moderation inputs are strict: an extra field or a malformed track id stores nothing', async () => {
    const sessionId = await scheduleMetropolisSession(suite.server, 'Video strict inputs');
    const chair = await suite.join('chair', sessionId);
    const delegate = userIdOf(suite.server, demoEmail('delegate.montreal'));
    const before = storedCounts(suite.server, sessionId);
    for (const [type, input] of [
      ['video.mute_track', { userId: delegate, trackSid: 'TR_1', delegationId: randomUUID() }],
      ['video.mute_track', { userId: delegate, trackSid: '../../RemoveParticipant' }],
      ['video.remove_participant', { userId: 'not-a-user' }],
      ['video.set_mode', { mode: 'chaotic' }],
      ['video.mute_all_but_floor', { except: delegate }],
    ] as const) {
      const ack = await chair.socket.timeout(5_000).emitWithAck('session:command', { sessionId, clientMsgId: `t29-${randomUUID()}`, type, input });
      assert.deepEqual(ack, { ok: false, error: 'invalid_input' }, type);
    }
    assert.deepEqual(storedCounts(suite.server, sessionId), before);
  });

  test('[T31] a webhook delivered again is stored once; an oversized one is refused', async () => {
    const sessionId = await scheduleMetropolisSession(suite.server, 'Video webhook retries');
    const event = { id: `EV_${randomUUID().slice(0, 12)}`, event: 'participant_left', room: { name: sessionId }, participant: { sid: 'PA_1', identity: userIdOf(suite.server, demoEmail('head.seoul')) } };
    const signed = await signedWebhook(event);
    assert.equal((await webhook(signed.body, signed.authorization)).status, 200);
    const counts = storedCounts(suite.server, sessionId);
    const retries = await Promise.all([1, 2, 3].map(() => webhook(signed.body, signed.authorization)));
    assert.deepEqual(retries.map((response) => response.status), [200, 200, 200]);
    assert.deepEqual(storedCounts(suite.server, sessionId), counts);
    const huge = await signedWebhook({ ...event, id: 'EV_huge', participant: { sid: 'PA_1', identity: 'x'.repeat(100_000) } });
    assert.equal((await webhook(huge.body, huge.authorization)).status, 413);
    assert.deepEqual(storedCounts(suite.server, sessionId), counts);
  });

  test('[T39] a delegate made observer loses camera and microphone in the media room at the next event, and the next token is an observer’s', async () => {
    const sessionId = await scheduleMetropolisSession(suite.server, 'Video role change');
    const chair = await suite.join('chair', sessionId);
    assert.ok((await chair.connection.send('session.set_status', { status: 'live' })).ok);
    const delegate = userIdOf(suite.server, demoEmail('delegate.montreal'));
    const fake = running();
    fake.rooms.set(sessionId, [{ identity: delegate, sid: 'PA_d', permission: { canSubscribe: true, canPublish: true, canPublishSources: ['CAMERA', 'SCREEN_SHARE', 'SCREEN_SHARE_AUDIO'] }, tracks: [] }]);
    const negotiationId = demoNegotiations(suite.server).metropolis;
    const setRole = async (role: 'observer' | 'delegate') => {
      const db = openSqlite(suite.server.sqlitePath);
      try {
        const secretariat = await findUserByEmail(db, demoEmail('secretariat'));
        const membership = await findMembership(db, negotiationId, delegate);
        assert.ok(secretariat && membership);
        const delegationId = role === 'observer' ? null : (await findMembership(db, negotiationId, userIdOf(suite.server, demoEmail('head.montreal'))))?.delegationId ?? null;
        await changeMemberRole(db, secretariat, negotiationId, { membershipId: membership.id, role, delegationId });
      } finally {
        await db.close();
      }
    };
    await setRole('observer');
    try {
      // The role change was appended by another process; the room folds it with the next command.
      assert.ok((await chair.connection.send('agenda.add', { title: 'Any other business', plannedMinutes: null })).ok);
      await eventually(() => fake.callsTo('UpdateParticipant').some((call) => call.body.room === sessionId));
      const update = fake.callsTo('UpdateParticipant').find((call) => call.body.room === sessionId);
      assert.deepEqual(update?.body.permission, { canSubscribe: true });
      const { grants } = (await (await tokenRequest('delegate.montreal', sessionId, {})).json()) as { grants: { canPublish: boolean } };
      assert.equal(grants.canPublish, false);
    } finally {
      await setRole('delegate');
    }
  });
});
