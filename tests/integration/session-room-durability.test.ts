/**
 * The session room across a crash (docs/PROTOCOL.md S19, S20; THREATS durability drill 4): every
 * acknowledged command is in the log after kill -9, the restarted room replays to what was
 * acknowledged, says that the people the crash left behind are gone, and a retry is still answered
 * with its first acknowledgement.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { demoCookie } from '../helpers/documents';
import { demoEmail, userIdOf, withServerDatabase } from '../helpers/demo-data';
import { startServer, type TRunningServer } from '../helpers/server';
import { joinRoom, replayRoom, scheduleMetropolisSession } from '../helpers/session-room';

describe('session room durability', () => {
  let server: TRunningServer | undefined;
  after(async () => {
    await server?.stop();
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
});
