/**
 * Video against a real LiveKit server (docs/OPERATIONS.md, "Video with LiveKit"): the suite starts one
 * built from the Go module proxy (scripts/livekit-server.mjs), its webhooks posted to the suite's
 * Proxenia, unless `LIVEKIT_URL`, `LIVEKIT_API_KEY` and `LIVEKIT_API_SECRET` name another. Pages in
 * Debian Chromium, with a 440 Hz tone as their fake microphone, join with the tickets Proxenia
 * issued; what the SFU does is measured where it matters: the tone's energy at a listener, the
 * participants and permissions LiveKit's RoomService reports, the reasons pages are disconnected.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { RoomServiceClient, TrackSource, type ParticipantInfo } from 'livekit-server-sdk';
import { demoEmail, demoNegotiations, userIdOf, withServerDatabase } from '../helpers/demo-data';
import { requestMediaToken, signedWebhook } from '../helpers/fake-livekit';
import { eventually } from '../helpers/http';
import { HEARD, useMediaBrowser, useRealLiveKitRoomSuite, type TMediaPage } from '../helpers/real-livekit';
import { accepted, joinRoom, liveMetropolisSession, signedInMetropolisMembers, type TRoomClient } from '../helpers/session-room';

const ACCOUNTS = ['chair', 'head.montreal', 'delegate.montreal', 'head.seoul', 'head.barcelona', 'observer'] as const;
type TAccount = (typeof ACCOUNTS)[number];

/** What the SFU does reaches a listener within a few seconds; a joining browser's ICE on a busy machine takes a while. */
const SFU_MS = 20_000;

describe('video against a real LiveKit server', () => {
  const { suite, livekit } = useRealLiveKitRoomSuite(ACCOUNTS);
  const browser = useMediaBrowser();
  const idOf = (account: TAccount) => userIdOf(suite.server, demoEmail(account));
  let rooms: RoomServiceClient;
  /** An interpreter of the Metropolis meeting (the demo has none), signed in. */
  const interpreters: { id: string; cookie: string }[] = [];

  before(async () => {
    const { url, apiKey, apiSecret } = livekit();
    rooms = new RoomServiceClient(url, apiKey, apiSecret);
    interpreters.push(...(await signedInMetropolisMembers(suite.server, 'interpreter', ['Interprète Une', 'Interprète Deux'])));
  });

  const liveSession = () => liveMetropolisSession(suite, 'Real LiveKit');
  const delegationIdOf = (client: TRoomClient, name: string) => client.view().directory.delegations.find((delegation) => delegation.name === name)?.delegationId ?? '';
  const eventsOf = (sessionId: string, type: string) =>
    withServerDatabase(suite.server, (db) =>
      (db.prepare('SELECT payload FROM session_events WHERE session_id = ? AND type = ? ORDER BY seq').all(sessionId, type) as { payload: string }[]).map((row) => JSON.parse(row.payload) as Record<string, unknown>),
    );

  /** A ticket Proxenia issues (200 expected) to `cookie` for the session's media room or a side room's. */
  async function ticketFor(cookie: string, sessionId: string, body: Record<string, unknown> = {}) {
    const response = await requestMediaToken(suite.server, cookie, sessionId, body);
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()) as { url: string; token: string; room: string };
  }
  /** A page of `account` in the session's media room (or a side room's). */
  const joinAs = async (account: TAccount, sessionId: string, body: Record<string, unknown> = {}) => browser.join(await ticketFor(suite.cookies[account], sessionId, body));

  const participant = async (room: string, identity: string): Promise<ParticipantInfo | undefined> => (await rooms.listParticipants(room)).find((candidate) => candidate.identity === identity);
  const microphoneOf = async (room: string, identity: string) => (await participant(room, identity))?.tracks.find((track) => track.source === TrackSource.MICROPHONE);
  /** The microphone track LiveKit lists for `identity`, once there is one. */
  const publishedMicrophone = async (room: string, identity: string) => {
    const track = await eventually(() => microphoneOf(room, identity), { timeoutMs: SFU_MS });
    assert.ok(track);
    return track;
  };
  const mayUseMicrophone = async (room: string, identity: string) => (await participant(room, identity))?.permission?.canPublishSources.includes(TrackSource.MICROPHONE) ?? false;

  /** Publishes the page's microphone once LiveKit allows it (the permission reaches the browser a moment after Proxenia sent it). */
  const publishWhenAllowed = (page: TMediaPage) => eventually(async () => (await page.publishMicrophone()) === 'published', { timeoutMs: SFU_MS, intervalMs: 300 });
  const heard = (listener: TMediaPage, identity: string) => eventually(async () => (await listener.loudnessOf(identity, 500)) > HEARD, { timeoutMs: SFU_MS, intervalMs: 0 });
  const silenced = (listener: TMediaPage, identity: string) => eventually(async () => (await listener.loudnessOf(identity, 500)) < HEARD / 4, { timeoutMs: SFU_MS, intervalMs: 0 });
  /** Not heard now, nor over the next moments (a refusal is not a delay). */
  const staysSilent = async (listener: TMediaPage, identity: string) => assert.ok((await listener.loudnessOf(identity, 2_500)) < HEARD / 4, `${identity} is heard`);

  test('[V3] grants follow roles on the SFU: an observer’s browser that skips the client’s check is still refused by LiveKit, and nobody hears it', async () => {
    const { sessionId } = await liveSession();
    const listener = await joinAs('chair', sessionId);
    const observer = await joinAs('observer', sessionId);
    const observerId = idOf('observer');
    const seen = await participant(sessionId, observerId);
    assert.equal(seen?.permission?.canPublish, false);
    assert.deepEqual(seen?.permission?.canPublishSources, []);

    assert.match(await observer.publishMicrophone(), /insufficient permissions/);
    await observer.forcePublishMicrophone();
    await staysSilent(listener, observerId);
    assert.deepEqual((await participant(sessionId, observerId))?.tracks, [], 'LiveKit published nothing of theirs');
    // LiveKit answers the request NOT_ALLOWED (or never): the publication fails in the browser.
    const outcome = await eventually(async () => {
      const current = await observer.publishOutcome();
      return current === 'pending' ? null : current;
    }, { timeoutMs: SFU_MS, intervalMs: 250 });
    assert.notEqual(outcome, 'published');
    assert.deepEqual(await listener.subscribedTo(), []);
  });

  test('[V2][V3] the session page’s own Video panel joins the real LiveKit (its content security policy lets it connect) and the chair’s microphone is heard', async () => {
    const { sessionId } = await liveSession();
    const listener = await joinAs('observer', sessionId);
    const page = await browser.open(`${suite.server.url}/negotiations/${demoNegotiations(suite.server).metropolis}/sessions/${sessionId}`, suite.cookies.chair);
    try {
      await page.getByRole('button', { name: 'Join video' }).click();
      const chairId = idOf('chair');
      await eventually(() => participant(sessionId, chairId), { timeoutMs: SFU_MS });
      await heard(listener, chairId);
    } finally {
      await page.context().close();
    }
  });

  test('[V4][V8] formal mode: a delegation’s microphones, its head’s included, are open on the SFU only while it holds the floor — a tone not heard, heard, then silent again', async () => {
    const { sessionId, chair } = await liveSession();
    const listener = await joinAs('observer', sessionId);
    const delegate = await joinAs('delegate.montreal', sessionId);
    const head = await joinAs('head.montreal', sessionId);
    const seoul = await joinAs('head.seoul', sessionId);
    const [delegateId, headId, seoulId] = [idOf('delegate.montreal'), idOf('head.montreal'), idOf('head.seoul')];

    // Nobody has the floor: no microphone for any of them, in LiveKit's own permissions.
    for (const identity of [delegateId, headId, seoulId]) assert.equal(await mayUseMicrophone(sessionId, identity), false);
    assert.match(await delegate.publishMicrophone(), /insufficient permissions/);
    assert.match(await head.publishMicrophone(), /insufficient permissions/);
    await staysSilent(listener, delegateId);

    const { speechId = '' } = await accepted(chair.connection.send('floor.grant', { delegationId: delegationIdOf(chair, 'Montréal') }));
    await publishWhenAllowed(delegate);
    await publishWhenAllowed(head);
    await heard(listener, delegateId);
    await heard(listener, headId);
    assert.equal(await mayUseMicrophone(sessionId, seoulId), false, 'Seoul has no floor');
    assert.match(await seoul.publishMicrophone(), /insufficient permissions/);

    await accepted(chair.connection.send('speech.end', { speechId }));
    // LiveKit takes the permission and unpublishes their microphones: the listener hears nothing.
    await silenced(listener, delegateId);
    await silenced(listener, headId);
    assert.equal(await microphoneOf(sessionId, delegateId), undefined);
    assert.equal(await microphoneOf(sessionId, headId), undefined);

    // The floor passes to Seoul: its head is heard, Montréal's people stay silent.
    await accepted(chair.connection.send('floor.grant', { delegationId: delegationIdOf(chair, 'Seoul') }));
    await publishWhenAllowed(seoul);
    await heard(listener, seoulId);
    assert.match(await head.publishMicrophone(), /insufficient permissions/);
    await staysSilent(listener, headId);
  });

  test('[V9][V10][V11] the chair’s mute, mute-all-but-the-floor and removal act on the SFU; a removed participant’s old token gets them out again', async () => {
    const { sessionId, chair } = await liveSession();
    await accepted(chair.connection.send('video.set_mode', { mode: 'informal' }));
    const listener = await joinAs('chair', sessionId);
    const delegate = await joinAs('delegate.montreal', sessionId);
    const head = await joinAs('head.montreal', sessionId);
    const seoul = await joinAs('head.seoul', sessionId);
    const [delegateId, headId, seoulId] = [idOf('delegate.montreal'), idOf('head.montreal'), idOf('head.seoul')];
    for (const page of [delegate, head, seoul]) await publishWhenAllowed(page);
    for (const identity of [delegateId, headId, seoulId]) await heard(listener, identity);

    const track = await publishedMicrophone(sessionId, delegateId);
    await accepted(chair.connection.send('video.mute_track', { userId: delegateId, trackSid: track.sid }));
    await silenced(listener, delegateId);
    assert.equal((await microphoneOf(sessionId, delegateId))?.muted, true);
    await heard(listener, headId);

    // Seoul has the floor: Montréal's head is muted by the SFU, Seoul's still heard.
    await accepted(chair.connection.send('floor.grant', { delegationId: delegationIdOf(chair, 'Seoul') }));
    await accepted(chair.connection.send('video.mute_all_but_floor', {}));
    await silenced(listener, headId);
    assert.equal((await microphoneOf(sessionId, headId))?.muted, true);
    await heard(listener, seoulId);

    const oldTicket = await ticketFor(suite.cookies['delegate.montreal'], sessionId);
    await accepted(chair.connection.send('video.remove_participant', { userId: delegateId }));
    await eventually(async () => (await delegate.disconnectReason()) === 'PARTICIPANT_REMOVED', { timeoutMs: SFU_MS });
    assert.equal(await participant(sessionId, delegateId), undefined);
    assert.equal((await requestMediaToken(suite.server, suite.cookies['delegate.montreal'], sessionId)).status, 403);
    if (!livekit().webhooksReachUs) return;
    // LiveKit (1.13) ignores `revokeTokenTs`: a token issued before the removal gets in again, and
    // the server, told by the webhook, takes them out — while the browser connects, or just after.
    const joinedBefore = eventsOf(sessionId, 'video.participant_joined').length;
    const again = await browser.join(oldTicket).catch(() => null);
    await eventually(() => eventsOf(sessionId, 'video.participant_joined').length > joinedBefore, { timeoutMs: SFU_MS });
    await eventually(async () => (await participant(sessionId, delegateId)) === undefined, { timeoutMs: SFU_MS });
    if (again) assert.equal(await eventually(() => again.disconnectReason(), { timeoutMs: SFU_MS }), 'PARTICIPANT_REMOVED');
    await staysSilent(listener, delegateId);
    assert.equal(await participant(sessionId, delegateId), undefined, 'not back in');
  });

  test('[V23][V26] a side room is its own LiveKit room: its people hear each other, the plenary does not, and nobody outside gets in; leaving and closing act on it', async () => {
    const { sessionId, chair } = await liveSession();
    const montreal = delegationIdOf(chair, 'Montréal');
    const seoul = delegationIdOf(chair, 'Seoul');
    const { sideRoomId = '' } = await accepted(chair.connection.send('side_room.open', { title: 'Bilateral', delegationIds: [montreal, seoul], userIds: [] }));
    const sideRoom = `${sessionId}~${sideRoomId}`;
    for (const account of ['head.montreal', 'head.seoul'] as const) await accepted((await suite.join(account, sessionId)).connection.send('side_room.join', { sideRoomId }));

    const plenary = await joinAs('observer', sessionId);
    const head = await joinAs('head.montreal', sessionId, { sideRoomId });
    const seoulHead = await joinAs('head.seoul', sessionId, { sideRoomId });
    const [headId, seoulId] = [idOf('head.montreal'), idOf('head.seoul')];
    // A side room has no floor: both may speak there at once.
    await publishWhenAllowed(head);
    await publishWhenAllowed(seoulHead);
    await heard(seoulHead, headId);
    await heard(head, seoulId);
    await staysSilent(plenary, headId);
    assert.deepEqual((await rooms.listParticipants(sideRoom)).map((p) => p.identity).sort(), [headId, seoulId].sort());
    assert.equal(await participant(sessionId, headId), undefined, 'not in the plenary’s room');

    // Outside it: no ticket (403), and the tickets they have are for the plenary's room only.
    for (const account of ['head.barcelona', 'observer', 'delegate.montreal'] as const) {
      assert.equal((await requestMediaToken(suite.server, suite.cookies[account], sessionId, { sideRoomId })).status, 403, account);
    }
    assert.equal((await ticketFor(suite.cookies['head.barcelona'], sessionId)).room, sessionId);

    await accepted((await suite.join('head.montreal', sessionId)).connection.send('side_room.leave', { sideRoomId }));
    await eventually(async () => (await head.disconnectReason()) === 'PARTICIPANT_REMOVED', { timeoutMs: SFU_MS });
    await accepted(chair.connection.send('side_room.close', { sideRoomId }));
    await eventually(async () => (await seoulHead.disconnectReason()) === 'ROOM_DELETED', { timeoutMs: SFU_MS });
    assert.equal((await rooms.listRooms([sideRoom])).length, 0);
  });

  test('[V13][V14] LiveKit’s own webhooks reach the session’s record, signed and verified; a forged one is refused', { skip: livekit().webhooksReachUs ? false : 'the configured LiveKit posts its webhooks elsewhere' }, async () => {
    const { sessionId, chair } = await liveSession();
    await accepted(chair.connection.send('video.set_mode', { mode: 'informal' }));
    const delegateId = idOf('delegate.montreal');
    const delegate = await joinAs('delegate.montreal', sessionId);
    await publishWhenAllowed(delegate);
    const sid = (await eventually(() => participant(sessionId, delegateId)))?.sid;
    const track = await publishedMicrophone(sessionId, delegateId);

    await eventually(() => eventsOf(sessionId, 'video.participant_joined').some((event) => event.userId === delegateId && event.participantSid === sid), { timeoutMs: SFU_MS });
    await eventually(() => eventsOf(sessionId, 'video.track_published').some((event) => event.trackSid === track.sid && event.source === 'microphone'), { timeoutMs: SFU_MS });
    // The chair's room receives them as they are recorded.
    await eventually(() => chair.events.some((event) => event.type === 'video.track_published'));
    await delegate.page.close();
    await eventually(() => eventsOf(sessionId, 'video.participant_left').some((event) => event.participantSid === sid), { timeoutMs: SFU_MS });

    // A forged event (another secret) and an unsigned one store nothing.
    const before = eventsOf(sessionId, 'video.participant_joined').length;
    const forged = await signedWebhook({ id: `EV_${randomUUID().slice(0, 12)}`, event: 'participant_joined', room: { name: sessionId }, participant: { sid: 'PA_forged', identity: delegateId } }, livekit().apiKey, 'not-the-secret-not-the-secret-not-the-secret');
    const post = (headers: Record<string, string>) => fetch(`${suite.server.url}/api/livekit/webhook`, { method: 'POST', headers: { 'content-type': 'application/webhook+json', ...headers }, body: forged.body });
    assert.equal((await post({ authorization: forged.authorization })).status, 401);
    assert.equal((await post({})).status, 401);
    assert.equal(eventsOf(sessionId, 'video.participant_joined').length, before);
  });

  test('[V45] a second join with the same identity evicts the first on the SFU, and the record notes why the first left', { skip: livekit().webhooksReachUs ? false : 'the configured LiveKit posts its webhooks elsewhere' }, async () => {
    const { sessionId } = await liveSession();
    const delegateId = idOf('delegate.montreal');
    const first = await joinAs('delegate.montreal', sessionId);
    const firstSid = (await eventually(() => participant(sessionId, delegateId)))?.sid;
    const second = await joinAs('delegate.montreal', sessionId);
    await eventually(async () => (await first.disconnectReason()) === 'DUPLICATE_IDENTITY', { timeoutMs: SFU_MS });
    assert.equal(await second.disconnectReason(), null);
    assert.notEqual((await participant(sessionId, delegateId))?.sid, firstSid);
    await eventually(() => eventsOf(sessionId, 'video.participant_left').some((event) => event.participantSid === firstSid && event.reason === 'duplicate_identity'), { timeoutMs: SFU_MS });
  });

  test('[V18][V19] recording without an egress service: the real LiveKit refuses the request we send, and everyone’s room shows the request, then no recording', { skip: process.env.LIVEKIT_EGRESS === '1' ? 'this LiveKit has an egress service' : false }, async () => {
    const { sessionId, chair } = await liveSession();
    const head = await suite.join('head.montreal', sessionId);
    await joinAs('head.montreal', sessionId);
    await accepted(chair.connection.send('video.start_recording', {}));
    await eventually(() => head.events.some((event) => event.type === 'video.recording_requested'));
    // LiveKit parsed the request we sent: a room composite of the session's room, speaker layout, one file.
    const request = new RegExp(`"roomComposite": \\{"roomName": "${sessionId}", "layout": "speaker".*"filepath": "recordings/\\{room_name\\}-\\{time\\}\\.mp4"`);
    if (livekit().log() !== null) await eventually(() => request.test(livekit().log() ?? ''), { timeoutMs: SFU_MS });
    // With no egress service LiveKit holds the request for 10 s, then gives up (408); the SDK may give up first.
    await eventually(() => eventsOf(sessionId, 'video.recording_failed').length === 1, { timeoutMs: SFU_MS });
    assert.ok(['refused', 'unreachable'].includes(String(eventsOf(sessionId, 'video.recording_failed')[0]?.reason)));
    await eventually(() => head.view().state.video.recording === null && head.events.some((event) => event.type === 'video.recording_failed'));
    assert.deepEqual(head.view().state.video.recordings, []);
  });

  test('[V18][V19][V20] with an egress service (LIVEKIT_EGRESS=1), the chair records the room and stops it', { skip: process.env.LIVEKIT_EGRESS === '1' ? false : 'LIVEKIT_EGRESS=1 is not set: the LiveKit started here has no egress service (docs/OPERATIONS.md, "Recording")' }, async () => {
    const { sessionId, chair } = await liveSession();
    // A room composite needs a room with someone in it.
    await joinAs('chair', sessionId);
    await accepted(chair.connection.send('video.start_recording', {}));
    await eventually(() => chair.view().state.video.recording?.status === 'on', { timeoutMs: 30_000 });
    await accepted(chair.connection.send('video.stop_recording', {}));
    await eventually(() => chair.view().state.video.recordings.at(-1)?.stoppedAt !== null);
  });

  test('[V21][V22] interpretation: a listener on the French channel hears the booth over the floor; the handover moves the publishing right on the SFU', async () => {
    const { sessionId, chair } = await liveSession();
    const [first, second] = interpreters;
    assert.ok(first && second);
    for (const interpreter of interpreters) suite.keep(await joinRoom(suite.server, interpreter.cookie, sessionId));
    await accepted(chair.connection.send('interpretation.hand_over', { language: 'fr', userId: first.id }));
    const listener = await browser.join(await ticketFor(suite.cookies.observer, sessionId, { language: 'fr' }));
    const speaker = await joinAs('head.montreal', sessionId);
    const booth = await browser.join(await ticketFor(first.cookie, sessionId, { language: 'fr' }));
    const next = await browser.join(await ticketFor(second.cookie, sessionId, { language: 'fr' }));
    const headId = idOf('head.montreal');

    await accepted(chair.connection.send('floor.grant', { delegationId: delegationIdOf(chair, 'Montréal') }));
    await publishWhenAllowed(speaker);
    await publishWhenAllowed(booth);
    await heard(listener, first.id);
    await heard(listener, headId);
    assert.match(await next.publishMicrophone(), /insufficient permissions/);

    await accepted(chair.connection.send('interpretation.hand_over', { language: 'fr', userId: second.id }));
    await silenced(listener, first.id);
    await publishWhenAllowed(next);
    await heard(listener, second.id);
    assert.match(await booth.publishMicrophone(), /insufficient permissions/);
  });
});
