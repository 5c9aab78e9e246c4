/**
 * The peer-to-peer mesh's signalling through the real server process and real socket.io clients
 * (docs/PROTOCOL.md V27–V38): who the server lets into a session's media room or a side room's,
 * what it relays and to whom, and what it refuses — while the connection that sent a bad message stays open.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, test } from 'node:test';
import type { Socket } from 'socket.io-client';
import { MAX_SDP_CHARS, type TMeshAck, type TMeshJoinAck, type TMeshPeer, type TMeshRoomRef } from '../../lib/shared/mesh';
import { demoEmail, userIdOf, withServerDatabase } from '../helpers/demo-data';
import { eventually } from '../helpers/http';
import { requestMediaToken } from '../helpers/fake-livekit';
import { connectSocket } from '../helpers/live';
import { accepted, scheduleMetropolisSession, useRoomSuite } from '../helpers/session-room';

const ACCOUNTS = [
  'chair',
  'secretariat',
  'head.montreal',
  'delegate.montreal',
  'head.seoul',
  'head.barcelona',
  'head.saopaulo',
  'head.johannesburg',
  'observer',
  'interpreter',
] as const;
type TAccount = (typeof ACCOUNTS)[number];

/** What a browser's offer looks like to the server: sections and their directions. */
function sdp(direction: 'sendrecv' | 'recvonly' | 'inactive', padding = 0): string {
  return [
    'v=0',
    'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    'c=IN IP4 0.0.0.0',
    `a=${direction}`,
    'm=video 9 UDP/TLS/RTP/SAVPF 96',
    'c=IN IP4 0.0.0.0',
    `a=${direction}`,
    ...(padding ? [`a=x-padding:${'x'.repeat(padding)}`] : []),
    '',
  ].join('\r\n');
}

interface TMeshClient {
  socket: Socket;
  /** Every mesh event this client received, by name, in order. */
  received: { event: string; payload: Record<string, unknown> }[];
  /** A session id is its plenary's media room. */
  join(room: string | TMeshRoomRef, publish: boolean, language?: string): Promise<TMeshJoinAck>;
  signal(payload: unknown): Promise<TMeshAck>;
  /** The joined peer this client is (fails the test when the last join was refused). */
  self(): TMeshPeer;
  of(event: string): Record<string, unknown>[];
}

describe('video over the peer-to-peer mesh', () => {
  const suite = useRoomSuite(ACCOUNTS);
  const open: Socket[] = [];
  after(() => {
    for (const socket of open.splice(0)) socket.close();
  });

  async function meshClient(account: TAccount): Promise<TMeshClient> {
    const outcome = await connectSocket(suite.server.url, { cookie: suite.cookies[account] });
    assert.equal(outcome.kind, 'welcome');
    const { socket } = outcome;
    open.push(socket);
    const received: TMeshClient['received'] = [];
    for (const event of ['mesh:signal', 'mesh:peer-joined', 'mesh:peer-left', 'mesh:moderation', 'mesh:closed', 'mesh:error']) {
      socket.on(event, (payload: Record<string, unknown>) => received.push({ event, payload }));
    }
    let joined: TMeshJoinAck | null = null;
    return {
      socket,
      received,
      async join(room, publish, language) {
        const ref = typeof room === 'string' ? { sessionId: room } : room;
        joined = (await socket.emitWithAck('mesh:join', { ...ref, publish, ...(language ? { language } : {}) })) as TMeshJoinAck;
        return joined;
      },
      signal: async (payload) => (await socket.emitWithAck('mesh:signal', payload)) as TMeshAck,
      self() {
        assert.ok(joined?.ok, `joined: ${JSON.stringify(joined)}`);
        return joined.self;
      },
      of: (event) => received.filter((entry) => entry.event === event).map((entry) => entry.payload),
    };
  }

  async function joined(account: TAccount, room: string | TMeshRoomRef, publish: boolean, language?: string): Promise<TMeshClient> {
    const client = await meshClient(account);
    const ack = await client.join(room, publish, language);
    assert.ok(ack.ok, `${account} joins: ${JSON.stringify(ack)}`);
    return client;
  }

  const newSession = () => scheduleMetropolisSession(suite.server, `Mesh test ${randomUUID().slice(0, 8)}`);

  test('[V27][V28][V31] offers, answers and candidates reach the named peer of the same room only, stamped with the sender', async () => {
    const [first, second] = [await newSession(), await newSession()];
    const chair = await joined('chair', first, true);
    const montreal = await joined('head.montreal', first, true);
    const seoul = await joined('head.seoul', second, true);
    // The server describes each peer from the database, never from the client.
    assert.deepEqual(
      { ...montreal.self(), peerId: undefined },
      { peerId: undefined, userId: userIdOf(suite.server, demoEmail('head.montreal')), name: 'Mayor of Montréal', role: 'head', delegationId: montreal.self().delegationId, language: 'floor', publisher: true },
    );
    await eventually(() => chair.of('mesh:peer-joined').length === 1);
    assert.deepEqual(chair.of('mesh:peer-joined')[0], { sessionId: first, peer: montreal.self() });
    assert.equal(seoul.of('mesh:peer-joined').length, 0);

    assert.deepEqual(await chair.signal({ sessionId: first, to: montreal.self().peerId, kind: 'offer', sdp: sdp('sendrecv') }), { ok: true });
    assert.deepEqual(await montreal.signal({ sessionId: first, to: chair.self().peerId, kind: 'answer', sdp: sdp('sendrecv') }), { ok: true });
    const candidate = { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 };
    assert.deepEqual(await chair.signal({ sessionId: first, to: montreal.self().peerId, kind: 'candidate', candidate }), { ok: true });
    await eventually(() => montreal.of('mesh:signal').length === 2 && chair.of('mesh:signal').length === 1);
    assert.deepEqual(montreal.of('mesh:signal'), [
      { sessionId: first, from: chair.self().peerId, kind: 'offer', sdp: sdp('sendrecv') },
      { sessionId: first, from: chair.self().peerId, kind: 'candidate', candidate },
    ]);
    assert.deepEqual(chair.of('mesh:signal'), [{ sessionId: first, from: montreal.self().peerId, kind: 'answer', sdp: sdp('sendrecv') }]);

    // A peer of another room, a made-up peer, oneself, or a room one has not joined: refused.
    assert.deepEqual(await chair.signal({ sessionId: first, to: seoul.self().peerId, kind: 'offer', sdp: sdp('sendrecv') }), { ok: false, error: 'no_such_peer' });
    assert.deepEqual(await chair.signal({ sessionId: first, to: randomUUID(), kind: 'offer', sdp: sdp('sendrecv') }), { ok: false, error: 'no_such_peer' });
    assert.deepEqual(await chair.signal({ sessionId: first, to: chair.self().peerId, kind: 'offer', sdp: sdp('sendrecv') }), { ok: false, error: 'no_such_peer' });
    assert.deepEqual(await chair.signal({ sessionId: second, to: seoul.self().peerId, kind: 'offer', sdp: sdp('sendrecv') }), { ok: false, error: 'not_joined' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(seoul.of('mesh:signal').length, 0);

    // Leaving tells the others; the departed peer can no longer be reached.
    montreal.socket.emit('mesh:leave', { sessionId: first });
    await eventually(() => chair.of('mesh:peer-left').length === 1);
    assert.deepEqual(chair.of('mesh:peer-left')[0], { sessionId: first, peerId: montreal.self().peerId });
    assert.deepEqual(await chair.signal({ sessionId: first, to: montreal.self().peerId, kind: 'offer', sdp: sdp('sendrecv') }), { ok: false, error: 'no_such_peer' });
  });

  test('[V27] someone who does not attend the session’s negotiation, or an unknown session, is not let in', async () => {
    const twinning = withServerDatabase(suite.server, (db) => (db.prepare("SELECT id FROM negotiation_sessions WHERE title LIKE 'Round 1%'").get() as { id: string }).id);
    const montreal = await meshClient('head.montreal');
    // A session of a negotiation one is not in does not exist for them, as an unknown one (V2).
    assert.deepEqual(await montreal.join(twinning, true), { ok: false, error: 'not_found' });
    assert.deepEqual(await montreal.join(twinning, false), { ok: false, error: 'not_found' });
    assert.deepEqual(await montreal.join(randomUUID(), false), { ok: false, error: 'not_found' });
    assert.deepEqual(await montreal.signal({ sessionId: twinning, to: randomUUID(), kind: 'offer', sdp: sdp('sendrecv') }), { ok: false, error: 'not_joined' });
    assert.ok(montreal.socket.connected);
  });

  test('[V29] an observer listens: asking to publish, offering, or answering with media is refused; a receive-only answer goes through', async () => {
    const sessionId = await newSession();
    const chair = await joined('chair', sessionId, true);
    const observer = await meshClient('observer');
    assert.deepEqual(await observer.join(sessionId, true), { ok: false, error: 'not_publisher' });
    assert.ok((await observer.join(sessionId, false)).ok);
    assert.equal(observer.self().publisher, false);
    const to = chair.self().peerId;
    assert.deepEqual(await observer.signal({ sessionId, to, kind: 'offer', sdp: sdp('recvonly') }), { ok: false, error: 'not_publisher' });
    assert.deepEqual(await observer.signal({ sessionId, to, kind: 'answer', sdp: sdp('sendrecv') }), { ok: false, error: 'sends_media' });
    assert.deepEqual(await observer.signal({ sessionId, to, kind: 'answer', sdp: sdp('sendrecv').replace('a=sendrecv\r\nm=video', 'a=recvonly\r\nm=video') }), { ok: false, error: 'sends_media' });
    assert.deepEqual(await observer.signal({ sessionId, to, kind: 'answer', sdp: sdp('recvonly') }), { ok: true });
    await eventually(() => chair.of('mesh:signal').length === 1);
    assert.equal(chair.of('mesh:signal')[0]?.kind, 'answer');
    assert.ok(observer.socket.connected);
  });

  test('[V30] six publishers at most: the seventh is refused, may listen, and takes a place once one is free', async () => {
    const sessionId = await newSession();
    const publishers: TMeshClient[] = [];
    for (const account of ['chair', 'secretariat', 'head.montreal', 'head.seoul', 'head.barcelona', 'head.saopaulo'] as const) publishers.push(await joined(account, sessionId, true));
    const seventh = await meshClient('head.johannesburg');
    assert.deepEqual(await seventh.join(sessionId, true), { ok: false, error: 'room_full' });
    const listening = await seventh.join(sessionId, false);
    assert.ok(listening.ok);
    assert.equal(listening.peers.length, 6);
    assert.deepEqual(await seventh.signal({ sessionId, to: publishers[0]?.self().peerId, kind: 'offer', sdp: sdp('sendrecv') }), { ok: false, error: 'not_publisher' });
    publishers[5]?.socket.disconnect();
    await eventually(() => (publishers[0]?.of('mesh:peer-left').length ?? 0) === 1);
    const publishing = await seventh.join(sessionId, true);
    assert.ok(publishing.ok && publishing.self.publisher);
    // Joining again replaced the listener's place: five others, no ghost of itself.
    assert.equal(publishing.peers.length, 5);
  });

  test('[V28][V32] malformed, oversized and excess messages are refused to the sender, whose connection stays open', async () => {
    const sessionId = await newSession();
    const chair = await joined('chair', sessionId, true);
    const seoul = await joined('head.seoul', sessionId, true);
    const to = seoul.self().peerId;
    const refusals: [string, unknown][] = [
      ['oversized SDP', { sessionId, to, kind: 'offer', sdp: sdp('sendrecv', MAX_SDP_CHARS) }],
      ['unknown kind', { sessionId, to, kind: 'renegotiate', sdp: sdp('sendrecv') }],
      ['a field the server sets', { sessionId, to, kind: 'offer', sdp: sdp('sendrecv'), from: randomUUID() }],
      ['not a uuid', { sessionId, to: 'seoul', kind: 'offer', sdp: sdp('sendrecv') }],
      ['oversized candidate', { sessionId, to, kind: 'candidate', candidate: { candidate: 'c'.repeat(5000), sdpMid: '0', sdpMLineIndex: 0 } }],
      ['not an object', 'offer'],
      ['nothing', null],
    ];
    for (const [what, payload] of refusals) assert.deepEqual(await chair.signal(payload), { ok: false, error: 'invalid_input' }, what);
    assert.deepEqual(await chair.join('not-a-session' as never, true), { ok: false, error: 'invalid_input' });
    // Without an acknowledgement callback the refusal arrives as `mesh:error`.
    chair.socket.emit('mesh:signal', { sessionId, to, kind: 'offer' });
    await eventually(() => chair.of('mesh:error').length === 1);
    assert.deepEqual(chair.of('mesh:error')[0], { error: 'invalid_input' });
    assert.ok(chair.socket.connected);
    assert.deepEqual(await chair.signal({ sessionId, to, kind: 'offer', sdp: sdp('sendrecv') }), { ok: true });
    await eventually(() => seoul.of('mesh:signal').length === 1);

    // V32: a flood is cut off at the budget, and the connection is kept.
    const candidate = { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 };
    const acks = await Promise.all(Array.from({ length: 220 }, () => chair.signal({ sessionId, to, kind: 'candidate', candidate })));
    assert.ok(acks.some((ack) => !ack.ok && ack.error === 'rate_limited'));
    assert.ok(acks.filter((ack) => ack.ok).length < 200);
    assert.ok(chair.socket.connected);

    // Joins read the session's log: ten in the window, then refused.
    const seoulJoins = [];
    for (let attempt = 0; attempt < 10; attempt += 1) seoulJoins.push(await seoul.join(sessionId, true));
    assert.deepEqual(
      seoulJoins.map((ack) => ack.ok),
      [...Array.from({ length: 9 }, () => true), false],
    );
    assert.deepEqual(seoulJoins.at(-1), { ok: false, error: 'rate_limited' });
    assert.ok(seoul.socket.connected);
  });

  test('[V33] an interpreter publishes the channel the server checked and stamps; nobody else can claim one', async () => {
    const sessionId = await newSession();
    const chair = await joined('chair', sessionId, true, 'fr');
    assert.equal(chair.self().language, 'floor');
    const interpreter = await meshClient('interpreter');
    // Metropolis speaks English, French and Spanish.
    assert.deepEqual(await interpreter.join(sessionId, true, 'zh'), { ok: false, error: 'invalid_input' });
    assert.deepEqual(await interpreter.join(sessionId, true, 'floor'), { ok: false, error: 'invalid_input' });
    const ack = await interpreter.join(sessionId, true, 'fr');
    assert.ok(ack.ok);
    assert.deepEqual({ role: ack.self.role, language: ack.self.language, publisher: ack.self.publisher }, { role: 'interpreter', language: 'fr', publisher: true });
    await eventually(() => chair.of('mesh:peer-joined').length === 1);
    assert.equal((chair.of('mesh:peer-joined')[0]?.peer as TMeshPeer).language, 'fr');
  });

  test('[V3][V4][V12] a head’s mesh grant has no microphone in a formal room until its delegation has the floor, and Seoul’s head none while Montréal holds it', async () => {
    const sessionId = await newSession();
    const room = await suite.join('chair', sessionId);
    await accepted(room.connection.send('session.set_status', { status: 'live' }));
    const montreal = await joined('head.montreal', sessionId, true);
    const seoul = await joined('head.seoul', sessionId, true);
    const sourcesOf = async (account: TAccount) => {
      const response = await requestMediaToken(suite.server, suite.cookies[account], sessionId);
      assert.equal(response.status, 200);
      const ticket = (await response.json()) as { transport: string; grants: { canPublishSources: string[] } };
      assert.equal(ticket.transport, 'mesh');
      return ticket.grants.canPublishSources;
    };
    const withoutMicrophone = ['camera', 'screen_share', 'screen_share_audio'];
    const withMicrophone = ['camera', 'microphone', 'screen_share', 'screen_share_audio'];
    assert.deepEqual([await sourcesOf('head.montreal'), await sourcesOf('head.seoul')], [withoutMicrophone, withoutMicrophone], 'nobody has the floor');
    assert.deepEqual(await sourcesOf('chair'), withMicrophone);

    await accepted(room.connection.send('floor.grant', { delegationId: montreal.self().delegationId ?? '' }));
    assert.deepEqual([await sourcesOf('head.montreal'), await sourcesOf('head.seoul')], [withMicrophone, withoutMicrophone], 'Montréal has the floor');
    // The chair's "mute all but the floor" asks Seoul's head, not Montréal's (V34).
    await accepted(room.connection.send('video.mute_all_but_floor', {}));
    await eventually(() => seoul.of('mesh:moderation').length === 1);
    assert.equal(montreal.of('mesh:moderation').length, 0);
    await accepted(room.connection.send('video.set_mode', { mode: 'informal' }));
    assert.deepEqual([await sourcesOf('head.montreal'), await sourcesOf('head.seoul')], [withMicrophone, withMicrophone], 'informal');
  });

  test('[V34][V35] the chair’s moderation reaches the browsers concerned; a removed participant is taken out and cannot come back', async () => {
    const sessionId = await newSession();
    const room = await suite.join('chair', sessionId);
    await accepted(room.connection.send('session.set_status', { status: 'live' }));
    const chair = await joined('chair', sessionId, true);
    const montreal = await joined('head.montreal', sessionId, true);
    const delegate = await joined('delegate.montreal', sessionId, true);
    const interpreter = await joined('interpreter', sessionId, true, 'es');

    await accepted(room.connection.send('video.mute_track', { userId: delegate.self().userId, trackSid: 'TR_mesh1' }));
    await eventually(() => delegate.of('mesh:moderation').length === 1);
    assert.deepEqual(delegate.of('mesh:moderation')[0], { sessionId, action: 'mute_microphone' });

    // Montréal has the floor: everyone else but the interpreter is asked to mute.
    await accepted(room.connection.send('floor.grant', { delegationId: montreal.self().delegationId ?? '' }));
    await accepted(room.connection.send('video.mute_all_but_floor', {}));
    await eventually(() => chair.of('mesh:moderation').length === 1);
    assert.equal(montreal.of('mesh:moderation').length, 0);
    assert.equal(delegate.of('mesh:moderation').length, 1);
    assert.equal(interpreter.of('mesh:moderation').length, 0);

    await accepted(room.connection.send('video.remove_participant', { userId: delegate.self().userId }));
    await eventually(() => delegate.of('mesh:closed').length === 1 && chair.of('mesh:peer-left').length === 1);
    assert.deepEqual(delegate.of('mesh:closed')[0], { sessionId, reason: 'removed' });
    assert.deepEqual(chair.of('mesh:peer-left')[0], { sessionId, peerId: delegate.self().peerId });
    assert.deepEqual(await delegate.join(sessionId, true), { ok: false, error: 'forbidden' });
    assert.deepEqual(await delegate.join(sessionId, false), { ok: false, error: 'forbidden' });

    await accepted(room.connection.send('session.set_status', { status: 'closed' }));
    await eventually(() => montreal.of('mesh:closed').length === 1);
    assert.deepEqual(montreal.of('mesh:closed')[0], { sessionId, reason: 'session_closed' });
    assert.deepEqual(await montreal.join(sessionId, false), { ok: false, error: 'forbidden' });
  });

  test('[V37][V38] a side room’s mesh relays among the people in it only; outsiders and those who left are refused; leaving, removal and closing end the places', async () => {
    const sessionId = await newSession();
    const room = await suite.join('chair', sessionId);
    await accepted(room.connection.send('session.set_status', { status: 'live' }));
    const delegationOf = (name: string) => room.view().directory.delegations.find((delegation) => delegation.name === name)?.delegationId ?? '';
    const { sideRoomId = '' } = await accepted(room.connection.send('side_room.open', { title: 'Bilateral', delegationIds: [delegationOf('Montréal'), delegationOf('Seoul')], userIds: [] }));
    const side = { sessionId, sideRoomId };
    const [montrealRoom, seoulRoom, delegateRoom] = [await suite.join('head.montreal', sessionId), await suite.join('head.seoul', sessionId), await suite.join('delegate.montreal', sessionId)];

    // Not in it yet (or not for them, or no such side room): no place, whatever the plenary's.
    const barcelona = await joined('head.barcelona', sessionId, true);
    const montreal = await meshClient('head.montreal');
    assert.deepEqual(await montreal.join(side, true), { ok: false, error: 'forbidden' });
    assert.deepEqual(await barcelona.join(side, true), { ok: false, error: 'forbidden' });
    assert.deepEqual(await montreal.join({ sessionId, sideRoomId: randomUUID() }, true), { ok: false, error: 'not_found' });
    assert.deepEqual(await montreal.join({ sessionId, sideRoomId: 'not-an-id' }, true), { ok: false, error: 'invalid_input' });
    // Barcelona's refused join left its plenary place as it was.
    assert.deepEqual(await barcelona.join(sessionId, true).then((ack) => ack.ok), true);

    await accepted(montrealRoom.connection.send('side_room.join', { sideRoomId }));
    await accepted(seoulRoom.connection.send('side_room.join', { sideRoomId }));
    await accepted(delegateRoom.connection.send('side_room.join', { sideRoomId }));
    assert.ok((await montreal.join(side, true)).ok);
    const seoul = await joined('head.seoul', side, true);
    const delegate = await joined('delegate.montreal', side, true);
    const chair = await joined('chair', sessionId, true);
    // The side room's members meet each other, named with the side room; the plenary's do not see them.
    await eventually(() => montreal.of('mesh:peer-joined').length === 2);
    assert.deepEqual(montreal.of('mesh:peer-joined')[0], { sessionId, sideRoomId, peer: seoul.self() });
    await eventually(() => barcelona.of('mesh:peer-joined').length === 1);
    assert.deepEqual(barcelona.of('mesh:peer-joined'), [{ sessionId, peer: chair.self() }], 'only the chair joined the plenary');

    assert.deepEqual(await montreal.signal({ ...side, to: seoul.self().peerId, kind: 'offer', sdp: sdp('sendrecv') }), { ok: true });
    await eventually(() => seoul.of('mesh:signal').length === 1);
    assert.deepEqual(seoul.of('mesh:signal')[0], { sessionId, sideRoomId, from: montreal.self().peerId, kind: 'offer', sdp: sdp('sendrecv') });
    // Across rooms, either way, and to a room one has no place in: nothing is relayed.
    assert.deepEqual(await montreal.signal({ ...side, to: chair.self().peerId, kind: 'offer', sdp: sdp('sendrecv') }), { ok: false, error: 'no_such_peer' });
    assert.deepEqual(await montreal.signal({ sessionId, to: chair.self().peerId, kind: 'offer', sdp: sdp('sendrecv') }), { ok: false, error: 'not_joined' });
    assert.deepEqual(await chair.signal({ sessionId, to: seoul.self().peerId, kind: 'offer', sdp: sdp('sendrecv') }), { ok: false, error: 'no_such_peer' });
    assert.deepEqual(await chair.signal({ ...side, to: seoul.self().peerId, kind: 'offer', sdp: sdp('sendrecv') }), { ok: false, error: 'not_joined' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(chair.of('mesh:signal').length, 0);
    assert.equal(seoul.of('mesh:signal').length, 1);

    // Back to the plenary: the place in the side room's mesh ends, and a new one is refused.
    await accepted(montrealRoom.connection.send('side_room.leave', { sideRoomId }));
    await eventually(() => montreal.of('mesh:closed').length === 1 && seoul.of('mesh:peer-left').length === 1);
    assert.deepEqual(montreal.of('mesh:closed')[0], { sessionId, sideRoomId, reason: 'left_side_room' });
    assert.deepEqual(seoul.of('mesh:peer-left')[0], { sessionId, sideRoomId, peerId: montreal.self().peerId });
    assert.deepEqual(await montreal.join(side, true), { ok: false, error: 'forbidden' });
    // The same connection joins the plenary's mesh again.
    assert.ok((await montreal.join(sessionId, true)).ok);
    const montrealInPlenary = montreal.self().peerId;

    // Removed from the video: out of the side room and its mesh.
    await accepted(room.connection.send('video.remove_participant', { userId: delegate.self().userId }));
    await eventually(() => delegate.of('mesh:closed').length === 1);
    assert.deepEqual(delegate.of('mesh:closed')[0], { sessionId, sideRoomId, reason: 'removed' });

    // Moving into the side room replaces the connection's plenary place (V37): one place per session.
    await accepted(montrealRoom.connection.send('side_room.join', { sideRoomId }));
    assert.ok((await montreal.join(side, true)).ok);
    await eventually(() => chair.of('mesh:peer-left').length === 1);
    assert.deepEqual(chair.of('mesh:peer-left')[0], { sessionId, peerId: montrealInPlenary });

    await accepted(room.connection.send('side_room.close', { sideRoomId }));
    await eventually(() => seoul.of('mesh:closed').length === 1 && montreal.of('mesh:closed').length === 2);
    assert.deepEqual(seoul.of('mesh:closed')[0], { sessionId, sideRoomId, reason: 'side_room_closed' });
    assert.deepEqual(await seoul.join(side, true), { ok: false, error: 'forbidden' });
    assert.deepEqual(chair.of('mesh:closed'), []);
  });

  test('[V30][V37] six publishers per side room’s mesh, counted apart from the plenary’s', async () => {
    const sessionId = await newSession();
    const room = await suite.join('chair', sessionId);
    await accepted(room.connection.send('session.set_status', { status: 'live' }));
    const everyone = room.view().directory.delegations.map((delegation) => delegation.delegationId);
    const { sideRoomId = '' } = await accepted(room.connection.send('side_room.open', { title: 'Informal consultations', delegationIds: everyone, userIds: [] }));
    const side = { sessionId, sideRoomId };
    const movers = ['chair', 'secretariat', 'head.montreal', 'delegate.montreal', 'head.seoul', 'head.barcelona', 'head.saopaulo'] as const;
    const clients: TMeshClient[] = [];
    for (const account of movers) {
      const inRoom = account === 'chair' ? room : await suite.join(account, sessionId);
      await accepted(inRoom.connection.send('side_room.join', { sideRoomId }));
      clients.push(await meshClient(account));
    }
    // Six plenary publishers take nothing from the side room's six.
    const plenary = await Promise.all(['head.johannesburg', 'interpreter'].map((account) => joined(account as TAccount, sessionId, true, account === 'interpreter' ? 'fr' : undefined)));
    assert.equal(plenary.length, 2);
    for (const client of clients.slice(0, 6)) assert.ok((await client.join(side, true)).ok);
    assert.deepEqual(await clients[6]?.join(side, true), { ok: false, error: 'room_full' });
    assert.ok((await clients[6]?.join(side, false))?.ok);
  });
});
