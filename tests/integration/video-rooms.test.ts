/**
 * Recording, interpretation booths and side rooms with LiveKit, through the real server process
 * (docs/PROTOCOL.md V18–V26). LiveKit's API is the local fake (tests/helpers/fake-livekit.ts), which
 * checks every Twirp request's path, body and Authorization JWT; commands go over real sockets.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { TokenVerifier } from 'livekit-server-sdk';
import { demoEmail, userIdOf, withServerDatabase } from '../helpers/demo-data';
import { LIVEKIT_KEY, LIVEKIT_SECRET, requestMediaToken, useLiveKitRoomSuite, type TFakeParticipant } from '../helpers/fake-livekit';
import { eventually } from '../helpers/http';
import { accepted, joinRoom, liveMetropolisSession, scheduleMetropolisSession, signedInMetropolisMembers, storedCounts, useRoomSuite, type TRoomClient } from '../helpers/session-room';

const ACCOUNTS = ['chair', 'head.montreal', 'delegate.montreal', 'head.seoul', 'head.barcelona', 'observer'] as const;
type TAccount = (typeof ACCOUNTS)[number];

describe('recording, booths and side rooms with LiveKit', () => {
  const { suite, fake: running } = useLiveKitRoomSuite(ACCOUNTS);
  const verifier = new TokenVerifier(LIVEKIT_KEY, LIVEKIT_SECRET);
  const idOf = (account: TAccount) => userIdOf(suite.server, demoEmail(account));
  /** Two interpreters of the Metropolis meeting (the demo has none), signed in. */
  const interpreters: { id: string; cookie: string }[] = [];

  before(async () => {
    interpreters.push(...(await signedInMetropolisMembers(suite.server, 'interpreter', ['Interprète Une', 'Interprète Deux'])));
  });

  const liveSession = () => liveMetropolisSession(suite, 'Rooms test');
  const delegationIdOf = (client: TRoomClient, name: string) => {
    const found = client.view().directory.delegations.find((delegation) => delegation.name === name);
    assert.ok(found, name);
    return found.delegationId;
  };
  const eventsOf = (sessionId: string, type: string) =>
    withServerDatabase(suite.server, (db) =>
      (db.prepare('SELECT payload FROM session_events WHERE session_id = ? AND type = ? ORDER BY seq').all(sessionId, type) as { payload: string }[]).map((row) => JSON.parse(row.payload) as Record<string, unknown>),
    );

  test('[V18][V19][V20] the chair records the room: a room-composite egress with the server’s roomRecord grant, its times in the log and in everyone’s room; others may not', async () => {
    const { sessionId, chair } = await liveSession();
    const head = await suite.join('head.montreal', sessionId);
    const before = storedCounts(suite.server, sessionId);
    const headEvents = head.events.length;
    assert.deepEqual(await head.connection.send('video.start_recording', {}), { ok: false, error: 'forbidden' });
    assert.deepEqual(await chair.connection.send('video.stop_recording', {}), { ok: false, error: 'invalid_transition' });
    assert.deepEqual(storedCounts(suite.server, sessionId), before);

    await accepted(chair.connection.send('video.start_recording', {}));
    await eventually(() => head.view().state.video.recording?.status === 'on');
    const start = running().callsTo('StartRoomCompositeEgress').filter((call) => call.body.roomName === sessionId);
    assert.equal(start.length, 1);
    assert.equal(start[0]?.path, '/twirp/livekit.Egress/StartRoomCompositeEgress');
    assert.equal(start[0]?.body.layout, 'speaker');
    assert.deepEqual(start[0]?.body.fileOutputs, [{ filepath: 'recordings/{room_name}-{time}.mp4' }]);
    // The egress call carries roomRecord and nothing else: not room administration.
    assert.deepEqual(start[0]?.claims.video, { roomRecord: true });
    const egressId = head.view().state.video.recording?.egressId;
    assert.match(egressId ?? '', /^EG_\d+$/);
    assert.deepEqual(eventsOf(sessionId, 'video.recording_started'), [{ egressId }]);
    assert.ok(head.events.length > headEvents, 'everyone is told the room is recorded');
    assert.deepEqual(await chair.connection.send('video.start_recording', {}), { ok: false, error: 'invalid_transition' });

    await accepted(chair.connection.send('video.stop_recording', {}));
    await eventually(() => running().callsTo('StopEgress').some((call) => call.body.egressId === egressId));
    const stop = running().callsTo('StopEgress').find((call) => call.body.egressId === egressId);
    assert.deepEqual([stop?.path, stop?.body, stop?.claims.video], ['/twirp/livekit.Egress/StopEgress', { egressId }, { roomRecord: true }]);
    await eventually(() => head.view().state.video.recording === null);
    const [recording] = head.view().state.video.recordings;
    assert.ok(recording && recording.egressId === egressId && recording.stoppedAt !== null && recording.stoppedAt >= recording.startedAt);
    assert.deepEqual(running().refused, []);
  });

  test('[V19] when LiveKit refuses the egress the log says so and nothing is recorded', async () => {
    const { sessionId, chair } = await liveSession();
    running().failing.add('StartRoomCompositeEgress');
    try {
      await accepted(chair.connection.send('video.start_recording', {}));
      await eventually(() => eventsOf(sessionId, 'video.recording_failed').length === 1);
      assert.deepEqual(eventsOf(sessionId, 'video.recording_failed'), [{ reason: 'refused' }]);
      await eventually(() => chair.view().state.video.recording === null);
      assert.deepEqual(chair.view().state.video.recordings, []);
    } finally {
      running().failing.delete('StartRoomCompositeEgress');
    }
  });

  test('[V6][V21][V22] one interpreter per language holds the microphone; the handover grants it to the next and revokes it from the previous with UpdateParticipant', async () => {
    const { sessionId, chair } = await liveSession();
    const [first, second] = interpreters;
    assert.ok(first && second);
    const tokenOf = async (cookie: string, language: string) => {
      const response = await requestMediaToken(suite.server, cookie, sessionId, { language });
      assert.equal(response.status, 200, await response.clone().text());
      return verifier.verify(((await response.json()) as { token: string }).token);
    };
    // Out of the booth: subscribe only, on the channel they asked for.
    const outside = await tokenOf(first.cookie, 'fr');
    assert.deepEqual(outside.video, { roomJoin: true, room: sessionId, canSubscribe: true, canPublish: false, canPublishSources: [], canPublishData: false, canUpdateOwnMetadata: false });
    assert.deepEqual(outside.attributes, { role: 'interpreter', delegation: '', language: 'fr' });
    assert.equal((await requestMediaToken(suite.server, first.cookie, sessionId, { language: 'zh' })).status, 400);

    const booth = (id: string): TFakeParticipant => ({ identity: id, sid: `PA_${id.slice(0, 6)}`, permission: { canSubscribe: true, canPublish: false, canPublishSources: [] }, tracks: [], attributes: { role: 'interpreter', delegation: '', language: 'fr' } });
    running().rooms.set(sessionId, [booth(first.id), booth(second.id)]);
    const firstRoom = suite.keep(await joinRoom(suite.server, first.cookie, sessionId));
    const secondRoom = suite.keep(await joinRoom(suite.server, second.cookie, sessionId));
    const head = await suite.join('head.montreal', sessionId);

    const before = storedCounts(suite.server, sessionId);
    assert.deepEqual(await head.connection.send('interpretation.hand_over', { language: 'fr', userId: idOf('head.montreal') }), { ok: false, error: 'forbidden' });
    assert.deepEqual(await secondRoom.connection.send('interpretation.hand_over', { language: 'fr', userId: first.id }), { ok: false, error: 'forbidden' });
    assert.deepEqual(await chair.connection.send('interpretation.hand_over', { language: 'fr', userId: idOf('head.montreal') }), { ok: false, error: 'not_found' });
    assert.deepEqual(await chair.connection.send('interpretation.hand_over', { language: 'zh', userId: first.id }), { ok: false, error: 'invalid_input' });
    assert.deepEqual(storedCounts(suite.server, sessionId), before);

    const updates = () => running().callsTo('UpdateParticipant').filter((call) => call.body.room === sessionId).map((call) => [call.body.identity, call.body.permission]);
    const MICROPHONE = { canSubscribe: true, canPublish: true, canPublishSources: ['MICROPHONE'] };
    // Proto3 JSON as the real SDK sends it: `false` and empty lists are left out, i.e. publish nothing.
    const NOTHING = { canSubscribe: true };
    // The first takes the empty booth.
    await accepted(firstRoom.connection.send('interpretation.hand_over', { language: 'fr', userId: first.id }));
    await eventually(() => updates().length === 1);
    assert.deepEqual(updates(), [[first.id, MICROPHONE]]);
    assert.deepEqual((await tokenOf(first.cookie, 'fr')).video?.canPublishSources, ['microphone']);
    assert.deepEqual((await tokenOf(first.cookie, 'es')).video?.canPublishSources, [], 'the booth is the French channel’s');

    // The first hands over: the second gets the microphone, the first loses it.
    await accepted(firstRoom.connection.send('interpretation.hand_over', { language: 'fr', userId: second.id }));
    await eventually(() => updates().length === 3);
    assert.deepEqual(new Map(updates().slice(1) as [string, unknown][]), new Map([[first.id, NOTHING], [second.id, MICROPHONE]]));
    assert.deepEqual(eventsOf(sessionId, 'interpretation.booth_handed_over'), [
      { language: 'fr', from: null, to: first.id },
      { language: 'fr', from: first.id, to: second.id },
    ]);
    // The one who handed over may not take it back; the chair may give it to anyone.
    assert.deepEqual(await firstRoom.connection.send('interpretation.hand_over', { language: 'fr', userId: first.id }), { ok: false, error: 'forbidden' });
    await accepted(chair.connection.send('interpretation.hand_over', { language: 'fr', userId: first.id }));
    await eventually(() => updates().length === 5);
    assert.deepEqual(secondRoom.view().state.video.booths.map((entry) => [entry.language, entry.userId]), [['fr', first.id]]);
    assert.deepEqual(running().refused, []);
  });

  test('[V23][V24][V25][V26] side rooms: the chair opens one for two delegations; its people move in and back; tokens only for those in it; closing empties it and deletes its media room', async () => {
    const { sessionId, chair } = await liveSession();
    const montreal = delegationIdOf(chair, 'Montréal');
    const seoul = delegationIdOf(chair, 'Seoul');
    const head = await suite.join('head.montreal', sessionId);
    const seoulHead = await suite.join('head.seoul', sessionId);
    const barcelona = await suite.join('head.barcelona', sessionId);
    const observer = await suite.join('observer', sessionId);
    const token = (account: TAccount, body: unknown) => requestMediaToken(suite.server, suite.cookies[account], sessionId, body);

    // Refusals store nothing and send nothing.
    const before = storedCounts(suite.server, sessionId);
    const seen = observer.events.length;
    assert.deepEqual(await head.connection.send('side_room.open', { title: 'Bilateral', delegationIds: [montreal, seoul], userIds: [] }), { ok: false, error: 'forbidden' });
    assert.deepEqual(await chair.connection.send('side_room.open', { title: 'Bilateral', delegationIds: [randomUUID()], userIds: [] }), { ok: false, error: 'not_found' });
    assert.deepEqual(await chair.connection.send('side_room.open', { title: 'Bilateral', delegationIds: [], userIds: [] }), { ok: false, error: 'invalid_input' });
    assert.deepEqual(await chair.connection.send('side_room.open', { title: 'Bilateral', delegationIds: [montreal, montreal], userIds: [] }), { ok: false, error: 'invalid_input' });
    assert.deepEqual(await head.connection.send('side_room.join', { sideRoomId: randomUUID() }), { ok: false, error: 'not_found' });
    assert.deepEqual(storedCounts(suite.server, sessionId), before);

    const { sideRoomId = '' } = await accepted(chair.connection.send('side_room.open', { title: 'Montréal–Seoul bilateral', delegationIds: [montreal, seoul], userIds: [] }));
    await eventually(() => observer.view().state.sideRooms.length === 1);
    const sideMediaRoom = `${sessionId}~${sideRoomId}`;

    const afterOpen = storedCounts(suite.server, sessionId);
    const observerSaw = observer.events.length;
    assert.deepEqual(await barcelona.connection.send('side_room.join', { sideRoomId }), { ok: false, error: 'forbidden' });
    assert.deepEqual(await observer.connection.send('side_room.join', { sideRoomId }), { ok: false, error: 'forbidden' });
    assert.deepEqual(await head.connection.send('side_room.leave', { sideRoomId }), { ok: false, error: 'not_in_side_room' });
    assert.deepEqual(await head.connection.send('side_room.close', { sideRoomId }), { ok: false, error: 'forbidden' });
    assert.deepEqual(storedCounts(suite.server, sessionId), afterOpen);
    assert.ok(observer.events.length === observerSaw && seen <= observerSaw);
    // Not in it yet, not for them, or a room that does not exist: no side-room token.
    assert.equal((await token('head.montreal', { sideRoomId })).status, 403);
    assert.equal((await token('head.barcelona', { sideRoomId })).status, 403);
    assert.equal((await token('observer', { sideRoomId })).status, 403);
    assert.equal((await token('head.montreal', { sideRoomId: randomUUID() })).status, 404);

    await accepted(head.connection.send('side_room.join', { sideRoomId }));
    await accepted(seoulHead.connection.send('side_room.join', { sideRoomId }));
    // The plenary sees who is away.
    await eventually(() => observer.view().state.sideRooms[0]?.present.length === 2);
    assert.deepEqual(observer.view().state.sideRooms[0]?.present, [idOf('head.montreal'), idOf('head.seoul')]);
    const response = await token('head.montreal', { sideRoomId });
    assert.equal(response.status, 200);
    const ticket = (await response.json()) as { room: string; token: string };
    assert.equal(ticket.room, sideMediaRoom);
    assert.deepEqual((await verifier.verify(ticket.token)).video, {
      roomJoin: true,
      room: sideMediaRoom,
      canSubscribe: true,
      canPublish: true,
      canPublishSources: ['camera', 'microphone', 'screen_share', 'screen_share_audio'],
      canPublishData: false,
      canUpdateOwnMetadata: false,
    });
    assert.equal((await token('delegate.montreal', { sideRoomId })).status, 403, 'for Montréal, but not in it');

    // Back to the plenary: out of the side room's media room too.
    await accepted(head.connection.send('side_room.leave', { sideRoomId }));
    await eventually(() => running().callsTo('RemoveParticipant').some((call) => call.body.room === sideMediaRoom));
    assert.equal(running().callsTo('RemoveParticipant').find((call) => call.body.room === sideMediaRoom)?.body.identity, idOf('head.montreal'));
    assert.equal((await token('head.montreal', { sideRoomId })).status, 403);

    // V10: whom the chair removes from the video leaves the side room and its media room, and enters no side room again.
    const delegate = await suite.join('delegate.montreal', sessionId);
    const delegateId = idOf('delegate.montreal');
    await accepted(delegate.connection.send('side_room.join', { sideRoomId }));
    await accepted(chair.connection.send('video.remove_participant', { userId: delegateId }));
    await eventually(() => observer.view().state.sideRooms[0]?.present.includes(delegateId) === false);
    await eventually(() => running().callsTo('RemoveParticipant').some((call) => call.body.room === sideMediaRoom && call.body.identity === delegateId));
    assert.deepEqual(await delegate.connection.send('side_room.join', { sideRoomId }), { ok: false, error: 'forbidden' });

    await accepted(chair.connection.send('side_room.close', { sideRoomId }));
    await eventually(() => running().callsTo('DeleteRoom').some((call) => call.body.room === sideMediaRoom));
    await eventually(() => observer.view().state.sideRooms[0]?.closedAt !== null);
    assert.deepEqual(observer.view().state.sideRooms[0]?.present, []);
    assert.equal((await token('head.seoul', { sideRoomId })).status, 409);
    assert.deepEqual(await seoulHead.connection.send('side_room.join', { sideRoomId }), { ok: false, error: 'invalid_transition' });
    for (const call of running().calls.filter((c) => c.body.room === sideMediaRoom)) {
      assert.deepEqual(call.claims.video, call.path.endsWith('/DeleteRoom') ? { roomCreate: true } : { roomAdmin: true, room: sideMediaRoom }, call.path);
    }
    assert.deepEqual(running().refused, []);
  });

});

describe('recording without LiveKit', () => {
  const suite = useRoomSuite(['chair'] as const);

  test('[V18] the mesh has nothing to record with: the command is refused, with its own reason, and stores nothing', async () => {
    const sessionId = await scheduleMetropolisSession(suite.server, `Mesh recording ${randomUUID().slice(0, 8)}`);
    const chair = await suite.join('chair', sessionId);
    await accepted(chair.connection.send('session.set_status', { status: 'live' }));
    assert.equal(chair.view().media.transport, 'mesh');
    const before = storedCounts(suite.server, sessionId);
    assert.deepEqual(await chair.connection.send('video.start_recording', {}), { ok: false, error: 'recording_unavailable' });
    assert.deepEqual(storedCounts(suite.server, sessionId), before);
  });
});
