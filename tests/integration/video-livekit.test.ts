/**
 * LiveKit as the media transport, through the real server process (docs/PROTOCOL.md V1–V16), for
 * what a real LiveKit cannot show (video-livekit-real.test.ts proves the SFU itself): LiveKit's API
 * is a local HTTP server (tests/helpers/fake-livekit.ts) that records each Twirp request's path,
 * body and Authorization JWT, so the exact calls (only where a permission differs, in order, with
 * the admin grant) are checked; tokens are decoded field by field; webhooks LiveKit would never send
 * (tampered, foreign rooms, misfits) are signed the way LiveKit signs them.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { TokenVerifier } from 'livekit-server-sdk';
import type { TCommandAck } from '../../lib/session/room/commands';
import { demoEmail, demoNegotiations, userIdOf, withServerDatabase } from '../helpers/demo-data';
import { LIVEKIT_KEY, LIVEKIT_SECRET, requestMediaToken, signedWebhook, useLiveKitRoomSuite, type TFakeParticipant } from '../helpers/fake-livekit';
import { eventually } from '../helpers/http';
import { liveMetropolisSession, scheduleMetropolisSession, storedCounts, type TRoomClient } from '../helpers/session-room';

const ACCOUNTS = ['chair', 'head.montreal', 'delegate.montreal', 'head.seoul', 'observer'] as const;
type TAccount = (typeof ACCOUNTS)[number];

const ALL_SOURCES = ['CAMERA', 'MICROPHONE', 'SCREEN_SHARE', 'SCREEN_SHARE_AUDIO'];
const NO_MICROPHONE = ['CAMERA', 'SCREEN_SHARE', 'SCREEN_SHARE_AUDIO'];

describe('video with LiveKit', () => {
  const { suite, fake: running } = useLiveKitRoomSuite(ACCOUNTS);
  const verifier = new TokenVerifier(LIVEKIT_KEY, LIVEKIT_SECRET);
  const idOf = (account: TAccount) => userIdOf(suite.server, demoEmail(account));

  const tokenResponse = (account: TAccount, sessionId: string, body: unknown = {}) => requestMediaToken(suite.server, suite.cookies[account], sessionId, body);
  async function tokenClaims(account: TAccount, sessionId: string) {
    const response = await tokenResponse(account, sessionId);
    assert.equal(response.status, 200, `${account}: ${await response.clone().text()}`);
    const ticket = (await response.json()) as { transport: string; token: string; url: string; room: string };
    assert.equal(ticket.transport, 'livekit');
    assert.equal(ticket.url, running().url);
    return verifier.verify(ticket.token);
  }
  const accepted = async (ack: Promise<TCommandAck>) => {
    const result = await ack;
    assert.ok(result.ok, JSON.stringify(result));
    return result.result ?? {};
  };
  const delegationIdOf = (client: TRoomClient, name: string) => {
    const found = client.view().directory.delegations.find((delegation) => delegation.name === name);
    assert.ok(found, name);
    return found.delegationId;
  };
  const participant = (account: TAccount, sources: string[], microphone?: { sid: string; muted: boolean }): TFakeParticipant => ({
    identity: idOf(account),
    sid: `PA_${account.replace('.', '')}`,
    permission: { canSubscribe: true, canPublish: sources.length > 0, canPublishSources: sources },
    tracks: microphone ? [{ sid: microphone.sid, source: 'MICROPHONE', muted: microphone.muted }] : [],
  });
  /** A live session with the chair in its room. */
  const liveSession = () => liveMetropolisSession(suite, 'Video test');
  const eventsOf = (sessionId: string, type: string) =>
    withServerDatabase(suite.server, (db) =>
      (db.prepare('SELECT payload FROM session_events WHERE session_id = ? AND type = ? ORDER BY seq').all(sessionId, type) as { payload: string }[]).map((row) => JSON.parse(row.payload) as Record<string, unknown>),
    );
  /** Every RoomService call the server made for this session's room. */
  const callsFor = (sessionId: string, method: string) => running().callsTo(method).filter((call) => call.body.room === sessionId);

  test('[V2][V3] tokens from the real endpoint: the caller’s identity, the session’s room, a short TTL, the role’s grants and nothing more', async () => {
    const sessionId = await scheduleMetropolisSession(suite.server, 'Video grants');
    const expected: [TAccount, string[]][] = [
      ['chair', ['camera', 'microphone', 'screen_share', 'screen_share_audio']],
      // Formal, nobody has the floor: a head's microphone is closed like its delegates' (V4).
      ['head.montreal', ['camera', 'screen_share', 'screen_share_audio']],
      ['delegate.montreal', ['camera', 'screen_share', 'screen_share_audio']],
      ['observer', []],
    ];
    for (const [account, sources] of expected) {
      const claims = await tokenClaims(account, sessionId);
      assert.equal(claims.sub, idOf(account));
      assert.ok(claims.exp !== undefined && claims.nbf !== undefined && claims.exp - claims.nbf <= 600);
      assert.deepEqual(
        claims.video,
        { roomJoin: true, room: sessionId, canSubscribe: true, canPublish: sources.length > 0, canPublishSources: sources, canPublishData: false, canUpdateOwnMetadata: false },
        account,
      );
      assert.equal(claims.attributes?.role, account === 'chair' ? 'chair' : account.split('.')[0]);
      assert.equal(claims.attributes?.language, 'floor');
    }
    const montreal = await tokenClaims('delegate.montreal', sessionId);
    assert.notEqual(montreal.attributes?.delegation, '');
  });

  test('[V4][V8] the floor opens a formal delegate’s microphone and closes it when the floor passes or the speech ends: exactly these UpdateParticipant calls', async () => {
    const { sessionId, chair } = await liveSession();
    const delegate = idOf('delegate.montreal');
    running().rooms.set(sessionId, [participant('delegate.montreal', NO_MICROPHONE), participant('chair', ALL_SOURCES), participant('observer', [])]);
    const montreal = delegationIdOf(chair, 'Montréal');
    const seoul = delegationIdOf(chair, 'Seoul');
    const updates = () => callsFor(sessionId, 'UpdateParticipant');
    const expectUpdates = async (sources: string[][]) => {
      await eventually(() => updates().length >= sources.length);
      assert.deepEqual(
        updates().map((call) => [call.body.identity, call.body.permission]),
        sources.map((list) => [delegate, { canSubscribe: true, canPublish: true, canPublishSources: list }]),
      );
    };

    const first = await accepted(chair.connection.send('floor.grant', { delegationId: montreal }));
    await expectUpdates([ALL_SOURCES]);
    // A token minted now carries the microphone too.
    assert.deepEqual((await tokenClaims('delegate.montreal', sessionId)).video?.canPublishSources, ['camera', 'microphone', 'screen_share', 'screen_share_audio']);
    await accepted(chair.connection.send('floor.grant', { delegationId: seoul }));
    await expectUpdates([ALL_SOURCES, NO_MICROPHONE]);
    const second = await accepted(chair.connection.send('floor.grant', { delegationId: montreal }));
    assert.notEqual(second.speechId, first.speechId);
    await expectUpdates([ALL_SOURCES, NO_MICROPHONE, ALL_SOURCES]);
    await accepted(chair.connection.send('speech.end', { speechId: second.speechId ?? '' }));
    await expectUpdates([ALL_SOURCES, NO_MICROPHONE, ALL_SOURCES, NO_MICROPHONE]);

    // Work for a room runs in order: once a later action reached LiveKit, no floor update is pending.
    // Five listings: three grants, the end of the speech, and this muting.
    await accepted(chair.connection.send('video.mute_all_but_floor', {}));
    await eventually(() => callsFor(sessionId, 'ListParticipants').length === 5);
    assert.equal(updates().length, 4);
    for (const call of running().calls.filter((c) => c.body.room === sessionId)) {
      assert.equal(call.claims.video?.roomAdmin, true);
      assert.equal(call.claims.video?.room, sessionId);
    }
    assert.deepEqual(running().refused, []);
  });

  test('[V3][V4][V8] heads follow the floor too: no microphone in a formal room but with their delegation’s floor; UpdateParticipant gives and takes it as the floor passes; informal opens it', async () => {
    const { sessionId, chair } = await liveSession();
    // Montréal's head joined with a token minted before (a microphone); the chair's never changes.
    running().rooms.set(sessionId, [participant('head.montreal', ALL_SOURCES), participant('head.seoul', NO_MICROPHONE), participant('delegate.montreal', NO_MICROPHONE), participant('chair', ALL_SOURCES)]);
    const accountOf = new Map(ACCOUNTS.map((account) => [idOf(account), account]));
    const updates = () => callsFor(sessionId, 'UpdateParticipant').map((call) => [accountOf.get(String(call.body.identity)), (call.body.permission as { canPublishSources: string[] }).canPublishSources]);
    const expectUpdates = async (expected: [TAccount, string[]][]) => {
      await eventually(() => updates().length >= expected.length);
      assert.deepEqual(updates(), expected);
    };
    assert.deepEqual((await tokenClaims('head.seoul', sessionId)).video?.canPublishSources, ['camera', 'screen_share', 'screen_share_audio'], 'nobody has the floor');

    await accepted(chair.connection.send('floor.grant', { delegationId: delegationIdOf(chair, 'Seoul') }));
    const seoulSpeaks: [TAccount, string[]][] = [
      ['head.montreal', NO_MICROPHONE],
      ['head.seoul', ALL_SOURCES],
    ];
    await expectUpdates(seoulSpeaks);
    assert.deepEqual((await tokenClaims('head.montreal', sessionId)).video?.canPublishSources, ['camera', 'screen_share', 'screen_share_audio'], 'Seoul has the floor');
    assert.deepEqual((await tokenClaims('head.seoul', sessionId)).video?.canPublishSources, ['camera', 'microphone', 'screen_share', 'screen_share_audio']);

    const montreal = await accepted(chair.connection.send('floor.grant', { delegationId: delegationIdOf(chair, 'Montréal') }));
    const montrealSpeaks: [TAccount, string[]][] = [
      ['head.montreal', ALL_SOURCES],
      ['head.seoul', NO_MICROPHONE],
      ['delegate.montreal', ALL_SOURCES],
    ];
    await expectUpdates([...seoulSpeaks, ...montrealSpeaks]);

    await accepted(chair.connection.send('speech.end', { speechId: montreal.speechId ?? '' }));
    const nobodySpeaks: [TAccount, string[]][] = [
      ['head.montreal', NO_MICROPHONE],
      ['delegate.montreal', NO_MICROPHONE],
    ];
    await expectUpdates([...seoulSpeaks, ...montrealSpeaks, ...nobodySpeaks]);

    await accepted(chair.connection.send('video.set_mode', { mode: 'informal' }));
    const informal: [TAccount, string[]][] = [
      ['head.montreal', ALL_SOURCES],
      ['head.seoul', ALL_SOURCES],
      ['delegate.montreal', ALL_SOURCES],
    ];
    await expectUpdates([...seoulSpeaks, ...montrealSpeaks, ...nobodySpeaks, ...informal]);
    // V5: a head speaks for the delegation and joins an informal room live; its delegates join muted.
    const ticket = (await (await tokenResponse('head.seoul', sessionId)).json()) as { joinMuted: boolean };
    assert.equal(ticket.joinMuted, false);
    assert.deepEqual(running().refused, []);
  });

  test('[V7][V5] an informal room gives delegates their microphone without the floor', async () => {
    const { sessionId, chair } = await liveSession();
    running().rooms.set(sessionId, [participant('delegate.montreal', NO_MICROPHONE)]);
    await accepted(chair.connection.send('video.set_mode', { mode: 'informal' }));
    await eventually(() => callsFor(sessionId, 'UpdateParticipant').length === 1);
    assert.deepEqual(callsFor(sessionId, 'UpdateParticipant')[0]?.body.permission, { canSubscribe: true, canPublish: true, canPublishSources: ALL_SOURCES });
    const response = await tokenResponse('delegate.montreal', sessionId);
    const ticket = (await response.json()) as { joinMuted: boolean; token: string };
    assert.equal(ticket.joinMuted, true);
    assert.deepEqual((await verifier.verify(ticket.token)).video?.canPublishSources, ['camera', 'microphone', 'screen_share', 'screen_share_audio']);
    assert.deepEqual(await chair.connection.send('video.set_mode', { mode: 'informal' }), { ok: false, error: 'invalid_transition' });
  });

  test('[V9][V10][V11] the chair mutes a track, mutes all but the floor and removes a participant, each logged first; others may not', async () => {
    const { sessionId, chair } = await liveSession();
    const head = await suite.join('head.montreal', sessionId);
    running().rooms.set(sessionId, [
      participant('delegate.montreal', ALL_SOURCES, { sid: 'TR_delegate', muted: false }),
      participant('head.montreal', ALL_SOURCES, { sid: 'TR_montreal', muted: false }),
      participant('head.seoul', ALL_SOURCES, { sid: 'TR_seoul', muted: false }),
    ]);
    const delegate = idOf('delegate.montreal');
    assert.deepEqual([chair.view().viewer.may.moderateVideo, head.view().viewer.may.moderateVideo], [true, false]);

    const before = storedCounts(suite.server, sessionId);
    assert.deepEqual(await head.connection.send('video.mute_track', { userId: delegate, trackSid: 'TR_delegate' }), { ok: false, error: 'forbidden' });
    assert.deepEqual(await head.connection.send('video.remove_participant', { userId: delegate }), { ok: false, error: 'forbidden' });
    assert.deepEqual(await chair.connection.send('video.mute_track', { userId: randomUUID(), trackSid: 'TR_delegate' }), { ok: false, error: 'not_found' });
    assert.deepEqual(storedCounts(suite.server, sessionId), before);

    await accepted(chair.connection.send('video.mute_track', { userId: delegate, trackSid: 'TR_delegate' }));
    assert.deepEqual(eventsOf(sessionId, 'video.track_muted'), [{ userId: delegate, trackSid: 'TR_delegate' }]);
    await eventually(() => callsFor(sessionId, 'MutePublishedTrack').length === 1);
    assert.deepEqual(callsFor(sessionId, 'MutePublishedTrack')[0]?.body, { room: sessionId, identity: delegate, trackSid: 'TR_delegate', muted: true });

    await accepted(chair.connection.send('floor.grant', { delegationId: delegationIdOf(chair, 'Seoul') }));
    await accepted(chair.connection.send('video.mute_all_but_floor', {}));
    await eventually(() => callsFor(sessionId, 'MutePublishedTrack').length === 2);
    // Montréal's head is muted; Seoul has the floor; the delegate's track was muted already.
    assert.deepEqual(callsFor(sessionId, 'MutePublishedTrack')[1]?.body, { room: sessionId, identity: idOf('head.montreal'), trackSid: 'TR_montreal', muted: true });
    assert.equal(eventsOf(sessionId, 'video.muted_all_but_floor').length, 1);

    await accepted(chair.connection.send('video.remove_participant', { userId: delegate }));
    await eventually(() => callsFor(sessionId, 'RemoveParticipant').length === 1);
    const removal = callsFor(sessionId, 'RemoveParticipant')[0]!;
    assert.equal(removal.body.identity, delegate);
    assert.ok(Number(removal.body.revokeTokenTs) > 0, 'tokens issued before the removal are revoked');
    assert.deepEqual(eventsOf(sessionId, 'video.participant_removed'), [{ userId: delegate }]);
    assert.equal((await tokenResponse('delegate.montreal', sessionId)).status, 403);
    assert.equal((await tokenResponse('head.montreal', sessionId)).status, 200);
    assert.deepEqual(await chair.connection.send('video.remove_participant', { userId: delegate }), { ok: false, error: 'invalid_transition' });
    assert.deepEqual(running().refused, []);
  });

  test('[V17] closing the session deletes its media room, and no ticket is issued after', async () => {
    const { sessionId, chair } = await liveSession();
    running().rooms.set(sessionId, [participant('head.montreal', ALL_SOURCES)]);
    await accepted(chair.connection.send('session.set_status', { status: 'closed' }));
    await eventually(() => callsFor(sessionId, 'DeleteRoom').length === 1);
    assert.equal(running().rooms.has(sessionId), false);
    assert.equal((await tokenResponse('head.montreal', sessionId)).status, 409);
    assert.equal(callsFor(sessionId, 'UpdateParticipant').length, 0);
  });

  test('[V13][V14][V15][V16][V45] a signed webhook is recorded once; a tampered body or a wrong key is refused with 401 and stores nothing', async () => {
    const { sessionId, chair } = await liveSession();
    const delegate = idOf('delegate.montreal');
    // The delegate's token predates a floor change: their participant still has the microphone.
    running().rooms.set(sessionId, [participant('delegate.montreal', ALL_SOURCES)]);
    const hook = (body: string, authorization?: string) =>
      fetch(`${suite.server.url}/api/livekit/webhook`, { method: 'POST', headers: { 'content-type': 'application/webhook+json', ...(authorization ? { authorization } : {}) }, body });
    const joined = { id: `EV_${randomUUID().slice(0, 12)}`, event: 'participant_joined', createdAt: '1764300000', room: { name: sessionId }, participant: { sid: 'PA_delegate', identity: delegate } };

    const signed = await signedWebhook(joined);
    const first = await hook(signed.body, signed.authorization);
    assert.equal(first.status, 200);
    assert.deepEqual(await first.json(), { outcome: 'recorded' });
    assert.deepEqual(eventsOf(sessionId, 'video.participant_joined'), [{ userId: delegate, participantSid: 'PA_delegate' }]);
    // V8: the arrival brings the participant's permission in line with the floor (nobody has it).
    await eventually(() => callsFor(sessionId, 'UpdateParticipant').length === 1);
    assert.deepEqual(callsFor(sessionId, 'UpdateParticipant')[0]?.body.permission, { canSubscribe: true, canPublish: true, canPublishSources: NO_MICROPHONE });
    await eventually(() => chair.events.some((event) => event.type === 'video.participant_joined'));

    const counts = storedCounts(suite.server, sessionId);
    const again = await hook(signed.body, signed.authorization);
    assert.deepEqual([again.status, await again.json()], [200, { outcome: 'duplicate' }]);
    const tampered = signed.body.replace(delegate, idOf('head.montreal'));
    assert.equal((await hook(tampered, signed.authorization)).status, 401);
    const otherEvent = { ...joined, id: `EV_${randomUUID().slice(0, 12)}` };
    const wrongSecret = await signedWebhook(otherEvent, LIVEKIT_KEY, 'another-secret-another-secret-another');
    assert.equal((await hook(wrongSecret.body, wrongSecret.authorization)).status, 401);
    const wrongKey = await signedWebhook(otherEvent, 'another-key', LIVEKIT_SECRET);
    assert.equal((await hook(wrongKey.body, wrongKey.authorization)).status, 401);
    assert.equal((await hook(JSON.stringify(otherEvent))).status, 401);
    assert.deepEqual(storedCounts(suite.server, sessionId), counts);

    const published = await signedWebhook({ id: `EV_${randomUUID().slice(0, 12)}`, event: 'track_published', room: { name: sessionId }, participant: { sid: 'PA_delegate', identity: delegate }, track: { sid: 'TR_cam', source: 'CAMERA' } });
    assert.equal((await hook(published.body, published.authorization)).status, 200);
    const egress = await signedWebhook({ id: `EV_${randomUUID().slice(0, 12)}`, event: 'egress_started', egressInfo: { egressId: 'EG_1', roomName: sessionId, status: 'EGRESS_ACTIVE' } });
    assert.equal((await hook(egress.body, egress.authorization)).status, 200);
    // V45: LiveKit says why the participant left (here: evicted by a second join with their identity).
    const left = await signedWebhook({ id: `EV_${randomUUID().slice(0, 12)}`, event: 'participant_left', room: { name: sessionId }, participant: { sid: 'PA_delegate', identity: delegate, disconnectReason: 'DUPLICATE_IDENTITY' } });
    assert.equal((await hook(left.body, left.authorization)).status, 200);
    assert.deepEqual(eventsOf(sessionId, 'video.track_published'), [{ userId: delegate, trackSid: 'TR_cam', source: 'camera' }]);
    assert.deepEqual(eventsOf(sessionId, 'video.egress_changed'), [{ change: 'started', egressId: 'EG_1', status: 'EGRESS_ACTIVE' }]);
    assert.deepEqual(eventsOf(sessionId, 'video.participant_left'), [{ userId: delegate, participantSid: 'PA_delegate', reason: 'duplicate_identity' }]);

    // V16: rooms that are not our sessions' are acknowledged and not recorded.
    const foreign = await signedWebhook({ ...joined, id: `EV_${randomUUID().slice(0, 12)}`, room: { name: 'someone-elses-room' } });
    const ignored = await hook(foreign.body, foreign.authorization);
    assert.deepEqual([ignored.status, await ignored.json()], [200, { outcome: 'ignored' }]);
    const misfit = await signedWebhook({ ...joined, id: `EV_${randomUUID().slice(0, 12)}`, participant: { sid: 'PA_x', identity: 'x'.repeat(200) } });
    const unfit = await hook(misfit.body, misfit.authorization);
    assert.deepEqual([unfit.status, await unfit.json()], [200, { outcome: 'ignored' }]);
    assert.equal(eventsOf(sessionId, 'video.participant_joined').length, 1);
  });

  test('[V2] bad token requests: another negotiation’s session 404 like an unknown one, unknown 404, malformed 404, signed out 401, foreign origin 403', async () => {
    const twinning = withServerDatabase(suite.server, (db) => (db.prepare('SELECT id FROM negotiation_sessions WHERE negotiation_id = ?').get(demoNegotiations(suite.server).twinning) as { id: string }).id);
    assert.equal((await tokenResponse('head.montreal', twinning)).status, 404);
    assert.equal((await tokenResponse('head.montreal', randomUUID())).status, 404);
    assert.equal((await tokenResponse('head.montreal', 'not-a-session')).status, 404);
    assert.equal((await requestMediaToken(suite.server, undefined, twinning)).status, 401);
    const sessionId = await scheduleMetropolisSession(suite.server, 'Video origin');
    assert.equal((await requestMediaToken(suite.server, suite.cookies['head.montreal'], sessionId, {}, 'https://evil.example')).status, 403);
  });
});
