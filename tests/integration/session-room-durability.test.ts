/**
 * The session room across a crash (docs/PROTOCOL.md S19, S20, S90; THREATS durability drill 4):
 * every acknowledged command — a burst of ballots committed together too — is in the log after
 * kill -9, the restarted room replays to what was acknowledged, says that the people the crash left
 * behind are gone, and a retry is still answered with its first acknowledgement.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { demoCookie } from '../helpers/documents';
import { demoEmail, userIdOf, withServerDatabase } from '../helpers/demo-data';
import { startServer, type TRunningServer } from '../helpers/server';
import { joinRoom, replayRoom, scheduleMetropolisSession, type TRoomClient } from '../helpers/session-room';

/** The Metropolis negotiation's seven member cities. */
const CITIES = ['montreal', 'barcelona', 'seoul', 'saopaulo', 'johannesburg', 'nizhny', 'brazzaville'] as const;

describe('session room durability', () => {
  // Each drill restarts its server: the one running at the end of a test is stopped after it, or the
  // file's process would wait on it forever.
  let server: TRunningServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  test('[S19][S20][T31] kill -9 after acknowledgements: nothing acknowledged is lost, the restarted room settles attendance, a retry gets the same acknowledgement', async () => {
    server = await startServer();
    const sessionId = await scheduleMetropolisSession(server, 'Crash drill');
    const chair = await joinRoom(server, await demoCookie(server, 'chair'), sessionId);
    const seoul = await joinRoom(server, await demoCookie(server, 'head.seoul'), sessionId);
    assert.ok((await chair.connection.send('session.set_status', { status: 'live' })).ok);
    assert.ok((await chair.connection.send('agenda.add', { title: 'Opening', plannedMinutes: 5 })).ok);
    const request = await seoul.connection.send('floor.request', { kind: 'regular' }, 'seoul-before-the-crash');
    assert.ok(request.ok);
    const granted = await chair.connection.send('floor.grant', { requestId: request.result?.requestId ?? '' });
    assert.ok(granted.ok);
    const acknowledged = seoul.view().state;
    await server.kill();
    chair.close();
    seoul.close();

    const stored = await replayRoom(server, sessionId, Number.MAX_SAFE_INTEGER);
    assert.ok(stored.seq >= granted.seq, 'the last acknowledged event is stored');
    assert.equal(stored.floor.speech?.speechId, granted.result?.speechId);
    assert.deepEqual(stored.agenda, acknowledged.agenda);

    server = await startServer({ dataDir: server.dataDir });
    const again = await joinRoom(server, await demoCookie(server, 'head.seoul'), sessionId);
    const state = again.view().state;
    const seoulId = userIdOf(server, demoEmail('head.seoul'));
    assert.deepEqual(state.attendance.present.map((person) => person.userId), [seoulId], 'only who came back is present');
    const reasons = withServerDatabase(server, (db) =>
      (db.prepare("SELECT payload FROM session_events WHERE session_id = ? AND type = 'attendance.left'").all(sessionId) as { payload: string }[]).map((row) => JSON.parse(row.payload) as { reason: string }),
    );
    assert.deepEqual(reasons.map((entry) => entry.reason).sort(), ['server_restart', 'server_restart']);
    assert.equal(state.floor.speech?.speechId, granted.result?.speechId, 'the speech on the floor survived');
    assert.deepEqual(await again.connection.send('floor.request', { kind: 'regular' }, 'seoul-before-the-crash'), request);
    assert.deepEqual(await replayRoom(server, sessionId, state.seq), state);
    again.close();
  });

  test('[S90][S20][T34] kill -9 right after a burst of ballots is acknowledged: every acknowledged ballot is in the log once, and a retry after the restart gets its first acknowledgement', async () => {
    server = await startServer();
    const sessionId = await scheduleMetropolisSession(server, 'Ballot crash drill');
    const chair = await joinRoom(server, await demoCookie(server, 'chair'), sessionId);
    const heads = await Promise.all(CITIES.map(async (city) => joinRoom(server as TRunningServer, await demoCookie(server as TRunningServer, `head.${city}`), sessionId)));
    assert.ok((await chair.connection.send('session.set_status', { status: 'live' })).ok);
    const put = await chair.connection.send('decision.put', { subject: { kind: 'procedural', text: 'Adjourn' }, method: 'majority', ballot: 'roll_call' });
    assert.ok(put.ok);
    const decisionId = put.result?.decisionId ?? '';
    // Every head at once, Montreal twice with one id (a retry racing the first send).
    const burst = heads.map((head, index) => head.connection.send('decision.vote', { decisionId, choice: index % 2 ? 'no' : 'yes' }, `ballot-${CITIES[index]}`));
    burst.push((heads[0] as TRoomClient).connection.send('decision.vote', { decisionId, choice: 'yes' }, `ballot-${CITIES[0]}`));
    const acks = await Promise.all(burst);
    await server.kill();
    for (const client of [chair, ...heads]) client.close();

    for (const ack of acks) assert.ok(ack.ok, JSON.stringify(ack));
    assert.deepEqual(acks.at(-1), acks[0], 'the retry got the first acknowledgement');
    const stored = withServerDatabase(server, (db) =>
      db.prepare("SELECT seq, delegation_id AS delegationId FROM session_events WHERE session_id = ? AND type = 'decision.ballot_cast'").all(sessionId),
    ) as { seq: number; delegationId: string }[];
    assert.deepEqual(
      stored.map((row) => row.seq).sort((a, b) => a - b),
      acks.slice(0, CITIES.length).map((ack) => (ack.ok ? ack.seq : 0)).sort((a, b) => a - b),
      'each acknowledged ballot is stored, once, at the seq its acknowledgement named',
    );
    assert.equal(new Set(stored.map((row) => row.delegationId)).size, CITIES.length);

    server = await startServer({ dataDir: server.dataDir });
    const montreal = await joinRoom(server, await demoCookie(server, 'head.montreal'), sessionId);
    assert.deepEqual(await montreal.connection.send('decision.vote', { decisionId, choice: 'no' }, `ballot-${CITIES[0]}`), acks[0]);
    assert.equal(montreal.view().state.decisions.questions[0]?.voted.length, CITIES.length);
    montreal.close();
  });
});
