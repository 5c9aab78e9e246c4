/**
 * THREATS cases for the session room (docs/PROTOCOL.md S1, S6, S7, S15, S20, S21): rooms joined
 * only through the policy (T10, T11, T30), strict inputs (T29), idempotent retries (T31), a
 * speakers' list only the chair orders (T32), role changes applied to the next command (T39), and
 * connections that send garbage closed (T19).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TCommandAck } from '../../lib/session/room/commands';
import { demoEmail, demoNegotiations, userIdOf, withServerDatabase } from '../helpers/demo-data';
import { eventually } from '../helpers/http';
import { disconnection } from '../helpers/live';
import { openWelcomedRawSocket } from '../helpers/raw-socket';
import { scheduleMetropolisSession, storedCounts, useRoomSuite, type TRoomClient } from '../helpers/session-room';

const ACCOUNTS = ['chair', 'head.montreal', 'delegate.montreal', 'head.seoul', 'head.barcelona', 'head.johannesburg', 'head.saopaulo', 'head.nizhny', 'observer'] as const;
type TAccount = (typeof ACCOUNTS)[number];

describe('session room: bad input and threats', () => {
  const suite = useRoomSuite(ACCOUNTS);
  const { cookies } = suite;

  async function liveRoom(...accounts: TAccount[]): Promise<{ sessionId: string; clients: Record<string, TRoomClient> }> {
    const sessionId = await scheduleMetropolisSession(suite.server, `Threat test ${Math.random().toString(36).slice(2)}`);
    const clients: Record<string, TRoomClient> = {};
    for (const account of ['chair', ...accounts] as TAccount[]) {
      clients[account] = await suite.join(account, sessionId);
    }
    assert.ok((await clients.chair!.connection.send('session.set_status', { status: 'live' })).ok);
    return { sessionId, clients };
  }

  test('[T10][T11][T30] malformed, unknown and other negotiations’ sessions cannot be joined, and nothing is sent about them', async () => {
    const twinningSession = withServerDatabase(suite.server, (db) => (db.prepare('SELECT id FROM negotiation_sessions WHERE negotiation_id = ?').get(demoNegotiations(suite.server).twinning) as { id: string }).id);
    const { sessionId } = await liveRoom();
    const client = await suite.join('head.montreal', sessionId);
    const states: unknown[] = [];
    client.socket.on('session:state', (view: { sessionId: string }) => states.push(view.sessionId));
    const join = (id: unknown) => client.socket.timeout(5_000).emitWithAck('session:join', { sessionId: id }) as Promise<unknown>;
    for (const bad of ['../etc/passwd', ' ', 'x'.repeat(10_000), 'ｓｅｓｓｉｏｎ', '00000000-0000-4000-8000-000000000000', twinningSession, 42, null]) {
      assert.deepEqual(await join(bad), { ok: false, error: 'not_found' }, String(bad).slice(0, 40));
    }
    // Montréal is not in the twinning talks, whose head of Nizhny Novgorod is.
    const foreign = await suite.join('head.montreal', twinningSession);
    assert.equal(foreign.connection.status, 'refused');
    const member = await suite.join('head.nizhny', twinningSession);
    assert.equal(member.connection.status, 'joined');
    assert.deepEqual(states, []);
    const before = storedCounts(suite.server, twinningSession);
    const ack = (await client.socket.timeout(5_000).emitWithAck('session:command', { sessionId: twinningSession, clientMsgId: 'probe-0001', type: 'floor.request', input: { kind: 'regular' } })) as TCommandAck;
    assert.deepEqual(ack, { ok: false, error: 'not_joined' });
    assert.deepEqual(storedCounts(suite.server, twinningSession), before);
  });

  test('[T29] extra or server-owned fields and prototype keys make a command invalid; nothing is stored', async () => {
    const { sessionId, clients } = await liveRoom('head.montreal');
    const seoul = withServerDatabase(suite.server, (db) => (db.prepare("SELECT d.id FROM delegations d JOIN actors a ON a.id = d.actor_id WHERE a.name = 'Seoul' AND d.negotiation_id = ?").get(demoNegotiations(suite.server).metropolis) as { id: string }).id);
    const before = storedCounts(suite.server, sessionId);
    const socket = clients['head.montreal']!.socket;
    const send = (payload: unknown) => socket.timeout(5_000).emitWithAck('session:command', payload) as Promise<TCommandAck>;
    const envelope = (input: unknown, extra: Record<string, unknown> = {}) => ({ sessionId, clientMsgId: `t29-${Math.random().toString(36).slice(2)}`, type: 'floor.request', input, ...extra });
    for (const input of [
      { kind: 'regular', delegationId: seoul },
      { kind: 'regular', userId: userIdOf(suite.server, demoEmail('head.seoul')) },
      { kind: 'regular', role: 'chair' },
      { kind: 'regular', weight: 10 },
      'regular',
      [{ kind: 'regular' }],
    ]) {
      assert.deepEqual(await send(envelope(input)), { ok: false, error: 'invalid_input' }, JSON.stringify(input));
    }
    assert.deepEqual(await send(envelope({ kind: 'regular' }, { role: 'chair' })), { ok: false, error: 'invalid_input' }, 'extra envelope field');
    assert.deepEqual(await send({ ...envelope({ kind: 'regular' }), clientMsgId: 'a b' }), { ok: false, error: 'invalid_input' }, 'client message id format');
    // `__proto__` as JSON text, which socket.io's parser turns into an own key.
    const raw = await openWelcomedRawSocket(suite.server.url, cookies['head.montreal']);
    await raw.send(`420["session:join",${JSON.stringify({ sessionId })}]`);
    await raw.waitFor((frame) => frame.startsWith('430['));
    await raw.send(`421["session:command",{"sessionId":"${sessionId}","clientMsgId":"proto-0001","type":"floor.request","input":{"kind":"regular","__proto__":{"delegationId":"${seoul}"}}}]`);
    assert.equal(await raw.waitFor((frame) => frame.startsWith('431[')), '431[{"ok":false,"error":"invalid_input"}]');
    raw.ws.close();
    assert.deepEqual(storedCounts(suite.server, sessionId), before, 'a second connection of someone present records no attendance either');
    assert.deepEqual(clients.chair!.view().state.floor.queue, []);
  });

  test('[T30] indexes, limits and durations are validated: negative, fractional, textual and huge numbers are refused', async () => {
    const { sessionId, clients } = await liveRoom('head.montreal');
    const { chair } = clients;
    const request = await clients['head.montreal']!.connection.send('floor.request', { kind: 'regular' });
    assert.ok(request.ok);
    const requestId = request.result?.requestId ?? '';
    const before = storedCounts(suite.server, sessionId);
    const settings = chair!.view().state.floor.settings;
    const send = (type: string, input: unknown) => chair!.socket.timeout(5_000).emitWithAck('session:command', { sessionId, clientMsgId: `t30-${Math.random().toString(36).slice(2)}`, type, input }) as Promise<TCommandAck>;
    for (const toIndex of [-1, 1.5, '0', 1e9, Number.NaN]) assert.deepEqual(await send('floor.move', { requestId, toIndex }), { ok: false, error: 'invalid_input' }, `toIndex ${toIndex}`);
    for (const plannedMinutes of [0, -5, 2.5, 100_000, '10']) assert.deepEqual(await send('agenda.add', { title: 'x', plannedMinutes }), { ok: false, error: 'invalid_input' }, `minutes ${plannedMinutes}`);
    for (const change of [{ maxEntriesPerDelegation: 0 }, { warningSeconds: -1 }, { limitSeconds: { ...settings.limitSeconds, regular: 0 } }, { limitSeconds: { ...settings.limitSeconds, regular: 1e9 } }, { budgets: [{ label: 'x', delegationIds: [], seconds: 60 }] }]) {
      assert.deepEqual(await send('floor.settings', { settings: { ...settings, ...change } }), { ok: false, error: 'invalid_input' }, JSON.stringify(change));
    }
    assert.deepEqual(storedCounts(suite.server, sessionId), before);
  });

  test('[T31] a command retried after a reconnect, on a new connection, has no further effect', async () => {
    const { sessionId, clients } = await liveRoom('head.seoul');
    const first = await clients['head.seoul']!.connection.send('floor.request', { kind: 'regular' }, 'seoul-retry-after-reconnect');
    assert.ok(first.ok);
    clients['head.seoul']!.close();
    const again = await suite.join('head.seoul', sessionId);
    assert.deepEqual(await again.connection.send('floor.request', { kind: 'regular' }, 'seoul-retry-after-reconnect'), first);
    const requested = withServerDatabase(suite.server, (db) => (db.prepare("SELECT COUNT(*) AS n FROM session_events WHERE session_id = ? AND type = 'floor.requested'").get(sessionId) as { n: number }).n);
    assert.equal(requested, 1);
    await eventually(() => clients.chair!.view().state.floor.queue.length === 1);
  });

  test('[T32] a delegate cannot reorder, remove or withdraw others, enqueue twice or take the floor; the order is the server’s', async () => {
    const { sessionId, clients } = await liveRoom('delegate.montreal', 'head.seoul', 'head.barcelona', 'head.johannesburg', 'head.saopaulo');
    const seoul = await clients['head.seoul']!.connection.send('floor.request', { kind: 'regular' });
    assert.ok(seoul.ok);
    const requestId = seoul.result?.requestId ?? '';
    const delegate = clients['delegate.montreal']!.connection;
    assert.ok((await delegate.send('floor.request', { kind: 'regular' })).ok);
    const before = storedCounts(suite.server, sessionId);
    assert.deepEqual(await delegate.send('floor.move', { requestId, toIndex: 1 }), { ok: false, error: 'forbidden' });
    assert.deepEqual(await delegate.send('floor.remove', { requestId }), { ok: false, error: 'forbidden' });
    assert.deepEqual(await delegate.send('floor.skip', { requestId }), { ok: false, error: 'forbidden' });
    assert.deepEqual(await delegate.send('floor.withdraw', { requestId }), { ok: false, error: 'forbidden' });
    assert.deepEqual(await delegate.send('floor.request', { kind: 'regular' }), { ok: false, error: 'already_requested' });
    const mine = clients.chair!.view().state.floor.queue.find((entry) => entry.userId === userIdOf(suite.server, demoEmail('delegate.montreal')));
    assert.deepEqual(await delegate.send('floor.grant', { requestId: mine?.requestId ?? '' }), { ok: false, error: 'forbidden' });
    assert.deepEqual(await delegate.send('floor.grant', { delegationId: mine?.delegationId ?? '' }), { ok: false, error: 'forbidden' });
    assert.deepEqual(storedCounts(suite.server, sessionId), before);
    // Someone else's speech cannot be paused or ended by a delegate.
    const granted = await clients.chair!.connection.send('floor.grant', { requestId });
    assert.ok(granted.ok);
    assert.deepEqual(await delegate.send('speech.end', { speechId: granted.result?.speechId ?? '' }), { ok: false, error: 'forbidden' });
    assert.deepEqual(await delegate.send('speech.pause', { speechId: granted.result?.speechId ?? '' }), { ok: false, error: 'forbidden' });
    // Four heads at once: one order, decided by the server, the same for everyone and the record.
    const heads = ['head.barcelona', 'head.johannesburg', 'head.saopaulo'] as const;
    await Promise.all(heads.map((head) => clients[head]!.connection.send('floor.request', { kind: 'regular' })));
    const order = withServerDatabase(suite.server, (db) =>
      (db.prepare("SELECT payload FROM session_events WHERE session_id = ? AND type = 'floor.requested' ORDER BY seq").all(sessionId) as { payload: string }[]).map((row) => (JSON.parse(row.payload) as { requestId: string }).requestId),
    );
    const waiting = order.filter((id) => id !== requestId);
    for (const client of Object.values(clients)) await eventually(() => JSON.stringify(client.view().state.floor.queue.map((entry) => entry.requestId)) === JSON.stringify(waiting));
  });

  test('[T39][S15] a role taken away applies to the very next command, whatever the socket joined as', async () => {
    const { sessionId, clients } = await liveRoom('head.barcelona');
    const barcelona = userIdOf(suite.server, demoEmail('head.barcelona'));
    const setRole = (role: string) => withServerDatabase(suite.server, (db) => db.prepare('UPDATE memberships SET role = ? WHERE user_id = ? AND negotiation_id = ?').run(role, barcelona, demoNegotiations(suite.server).metropolis), true);
    setRole('adviser');
    try {
      const before = storedCounts(suite.server, sessionId);
      assert.deepEqual(await clients['head.barcelona']!.connection.send('floor.request', { kind: 'regular' }), { ok: false, error: 'forbidden' });
      assert.deepEqual(storedCounts(suite.server, sessionId), before);
    } finally {
      setRole('head');
    }
    assert.ok((await clients['head.barcelona']!.connection.send('floor.request', { kind: 'regular' })).ok);
  });

  test('[T19][S21] a flood of malformed commands closes the connection; commands beyond the rate are refused', async () => {
    const { sessionId, clients } = await liveRoom('head.seoul', 'observer');
    const socket = clients.observer!.socket;
    const closed = disconnection(socket);
    for (let index = 0; index < 25; index += 1) socket.emit('session:command', { sessionId, type: 42 }, () => undefined);
    assert.equal(await closed, 'io server disconnect');
    const seoul = clients['head.seoul']!.connection;
    const acks = await Promise.all(Array.from({ length: 45 }, () => seoul.send('agenda.next', {})));
    assert.ok(acks.some((ack) => !ack.ok && ack.error === 'rate_limited'), 'the 41st command in 5 s is refused');
    assert.ok(acks.every((ack) => !ack.ok && (ack.error === 'forbidden' || ack.error === 'rate_limited')));
  });
});
