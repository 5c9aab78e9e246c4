/**
 * The session room over real sockets on the real server (docs/PROTOCOL.md S1–S23): what each
 * participant sees, in which order, who may do what, and that the record replays to the live room.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TCommandAck } from '../../lib/session/room/commands';
import { quorumOf } from '../../lib/session/room/quorum';
import { readTimer } from '../../lib/session/room/timer';
import { demoEmail, userIdOf } from '../helpers/demo-data';
import { eventually } from '../helpers/http';
import { accepted, replayRoom, storedCounts, useRoomSuite, type TRoomClient } from '../helpers/session-room';

const ACCOUNTS = ['chair', 'head.montreal', 'delegate.montreal', 'head.seoul', 'head.barcelona', 'observer', 'secretariat'] as const;

describe('session room', () => {
  const suite = useRoomSuite(ACCOUNTS);

  const room = suite.room;
  const queueOf = (client: TRoomClient) => client.view().state.floor.queue.map((request) => `${request.kind}:${client.view().directory.delegations.find((d) => d.delegationId === request.delegationId)?.name}`);

  test('[S1][S5][S10] chair, two heads and an observer: a point of order jumps the queue, a timed speech, the same room for everyone, and the record replays to it', async () => {
    const r = await room('chair', 'head.montreal', 'head.seoul', 'observer');
    const everyone = [r.chair, r['head.montreal'], r['head.seoul'], r.observer];
    await accepted(r.chair.connection.send('agenda.add', { title: 'Opening of the session', plannedMinutes: 5 }));
    await accepted(r.chair.connection.send('agenda.add', { title: 'First reading of the draft', plannedMinutes: 60 }));
    await accepted(r.chair.connection.send('session.set_status', { status: 'live' }));
    await accepted(r.chair.connection.send('agenda.next', {}));
    await accepted(r['head.montreal'].connection.send('floor.request', { kind: 'regular' }));
    await accepted(r['head.seoul'].connection.send('floor.request', { kind: 'regular' }));
    const order = await accepted(r['head.seoul'].connection.send('floor.request', { kind: 'point_of_order' }));
    const expected = ['point_of_order:Seoul', 'regular:Montréal', 'regular:Seoul'];
    for (const client of everyone) await eventually(() => JSON.stringify(queueOf(client)) === JSON.stringify(expected));

    const { speechId = '' } = await accepted(r.chair.connection.send('floor.grant', { requestId: order.requestId ?? '' }));
    for (const client of everyone) {
      // floor.granted and speech.started arrive as two events; wait for both.
      await eventually(() => client.view().state.floor.speech?.speechId === speechId && client.view().state.floor.speech?.runningSince !== null);
      const speech = client.view().state.floor.speech!;
      assert.equal(speech.kind, 'point_of_order');
      assert.equal(speech.limitSeconds, 60);
      assert.equal(readTimer(speech, client.connection.serverNow()).phase, 'running');
    }
    await accepted(r.chair.connection.send('speech.pause', { speechId }));
    await eventually(() => r.observer.view().state.floor.speech?.runningSince === null);
    const paused = r.observer.view().state.floor.speech!;
    assert.equal(readTimer(paused, paused.grantedAt + 3_600_000).phase, 'paused', 'a paused timer stands still');
    await accepted(r.chair.connection.send('speech.resume', { speechId }));
    await accepted(r.chair.connection.send('speech.end', { speechId }));
    for (const client of everyone) await eventually(() => client.view().state.floor.speech === null && client.view().state.floor.queue.length === 2);

    // A fresh join is the server's room now; every participant folded its way to the same state,
    // and the stored log replays to it.
    const fresh = await suite.join('chair', r.sessionId);
    const live = fresh.view().state;
    for (const client of everyone) await eventually(() => JSON.stringify(client.view().state) === JSON.stringify(live));
    assert.deepEqual(await replayRoom(suite.server, r.sessionId, live.seq), live);
    assert.equal(live.agenda.items[0]?.itemId, live.agenda.currentItemId);
  });

  test('[S6][T32] one waiting entry per delegation, head and delegate alike, until the chair allows more', async () => {
    const r = await room('chair', 'head.montreal', 'delegate.montreal');
    await accepted(r.chair.connection.send('session.set_status', { status: 'live' }));
    await accepted(r['head.montreal'].connection.send('floor.request', { kind: 'regular' }));
    assert.deepEqual(await r['delegate.montreal'].connection.send('floor.request', { kind: 'question' }), { ok: false, error: 'already_requested' });
    await accepted(r['delegate.montreal'].connection.send('floor.request', { kind: 'point_of_order' }));
    await accepted(r.chair.connection.send('floor.settings', { settings: { ...r.chair.view().state.floor.settings, maxEntriesPerDelegation: 2 } }));
    await accepted(r['delegate.montreal'].connection.send('floor.request', { kind: 'question' }));
    assert.deepEqual(await r['head.montreal'].connection.send('floor.request', { kind: 'regular' }), { ok: false, error: 'already_requested' });
    await eventually(() => r.chair.view().state.floor.queue.length === 3);
  });

  test('[S15][S2][S7][S8] chair-only actions are refused to a head, change nothing and reach nobody', async () => {
    const r = await room('chair', 'head.montreal', 'head.seoul');
    await accepted(r.chair.connection.send('session.set_status', { status: 'live' }));
    const { requestId = '' } = await accepted(r['head.seoul'].connection.send('floor.request', { kind: 'regular' }));
    await eventually(() => r['head.montreal'].view().state.floor.queue.length === 1);
    const before = { stored: storedCounts(suite.server, r.sessionId), seen: r['head.seoul'].events.length, state: r.chair.view().state };
    const head = r['head.montreal'].connection;
    const refusals: [string, Promise<TCommandAck>][] = [
      ['grant', head.send('floor.grant', { requestId })],
      ['give directly', head.send('floor.grant', { delegationId: r.chair.view().directory.delegations[0]?.delegationId ?? '' })],
      ['move', head.send('floor.move', { requestId, toIndex: 0 })],
      ['skip', head.send('floor.skip', { requestId })],
      ['remove', head.send('floor.remove', { requestId })],
      ['withdraw another delegation', head.send('floor.withdraw', { requestId })],
      ['settings', head.send('floor.settings', { settings: { ...r.chair.view().state.floor.settings, observersMayTakeFloor: true } })],
      ['agenda', head.send('agenda.add', { title: 'Any other business', plannedMinutes: null })],
      ['next item', head.send('agenda.next', {})],
      ['suspend', head.send('session.set_status', { status: 'suspended' })],
    ];
    for (const [what, ack] of refusals) assert.deepEqual(await ack, { ok: false, error: 'forbidden' }, what);
    // Something the chair does next is seen: had a refusal been broadcast, it would have come first.
    await accepted(r.chair.connection.send('agenda.add', { title: 'Marker', plannedMinutes: null }));
    await eventually(() => r['head.seoul'].events.length === before.seen + 1);
    assert.equal(r['head.seoul'].events.at(-1)?.type, 'agenda.item_added');
    assert.deepEqual(storedCounts(suite.server, r.sessionId), { events: before.stored.events + 1, commands: before.stored.commands + 1 });
    assert.deepEqual(r.chair.view().state.floor, before.state.floor);
  });

  test('[S6] an observer is refused the floor until the chair opens it to observers', async () => {
    const r = await room('chair', 'observer');
    await accepted(r.chair.connection.send('session.set_status', { status: 'live' }));
    const before = storedCounts(suite.server, r.sessionId);
    for (const kind of ['regular', 'point_of_order'] as const) {
      assert.deepEqual(await r.observer.connection.send('floor.request', { kind }), { ok: false, error: 'observers_not_allowed' });
    }
    assert.deepEqual(storedCounts(suite.server, r.sessionId), before);
    await accepted(r.chair.connection.send('floor.settings', { settings: { ...r.chair.view().state.floor.settings, observersMayTakeFloor: true } }));
    await eventually(() => r.observer.view().state.floor.settings.observersMayTakeFloor);
    await accepted(r.observer.connection.send('floor.request', { kind: 'regular' }));
    await eventually(() => r.chair.view().state.floor.queue[0]?.userId === userIdOf(suite.server, demoEmail('observer')));
  });

  test('[S20][T31] a command sent twice with one client message id is stored and broadcast once, both times acknowledged alike', async () => {
    const r = await room('chair', 'head.seoul');
    await accepted(r.chair.connection.send('session.set_status', { status: 'live' }));
    const clientMsgId = 'seoul-hand-0001';
    const before = storedCounts(suite.server, r.sessionId);
    const seen = r.chair.events.length;
    const [first, second] = await Promise.all([
      r['head.seoul'].connection.send('floor.request', { kind: 'regular' }, clientMsgId),
      r['head.seoul'].connection.send('floor.request', { kind: 'regular' }, clientMsgId),
    ]);
    const third = await r['head.seoul'].connection.send('floor.request', { kind: 'regular' }, clientMsgId);
    assert.ok(first.ok);
    assert.deepEqual(second, first);
    assert.deepEqual(third, first);
    assert.deepEqual(storedCounts(suite.server, r.sessionId), { events: before.events + 1, commands: before.commands + 1 });
    await accepted(r.chair.connection.send('agenda.add', { title: 'Marker', plannedMinutes: null }));
    await eventually(() => r.chair.events.length === seen + 2);
    assert.deepEqual(r.chair.events.slice(seen).map((event) => event.type), ['floor.requested', 'agenda.item_added']);
  });

  test('[S18][S16][S17] attendance counts a person once however many tabs; the last tab closing records the leave; quorum follows', async () => {
    const r = await room('chair');
    const tabs = [await suite.join('head.barcelona', r.sessionId), await suite.join('head.barcelona', r.sessionId)];
    const barcelona = userIdOf(suite.server, demoEmail('head.barcelona'));
    const presentIn = (client: TRoomClient) => client.view().state.attendance.present.filter((person) => person.userId === barcelona).length;
    await eventually(() => presentIn(r.chair) === 1);
    const joins = () => r.chair.events.filter((event) => event.type === 'attendance.joined' && (event.payload as { userId: string }).userId === barcelona).length;
    assert.equal(joins(), 1);
    assert.equal(quorumOf(r.chair.view().state).present, 1, 'Barcelona is present through its head');
    tabs[0]?.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(presentIn(r.chair), 1, 'one tab is still open');
    tabs[1]?.close();
    await eventually(() => presentIn(r.chair) === 0);
    assert.equal(quorumOf(r.chair.view().state).present, 0);
    assert.equal(r.chair.events.filter((event) => event.type === 'attendance.left').length, 1);
  });

  test('[S9][S4] next item walks the agenda; agenda may be prepared before the session opens, the floor may not', async () => {
    const r = await room('chair', 'head.seoul');
    for (const title of ['Roll call', 'Adoption of the agenda', 'Paragraph 3']) await accepted(r.chair.connection.send('agenda.add', { title, plannedMinutes: 10 }));
    assert.deepEqual(await r['head.seoul'].connection.send('floor.request', { kind: 'regular' }), { ok: false, error: 'not_live' });
    const titles = () => {
      const { items, currentItemId } = r['head.seoul'].view().state.agenda;
      return items.find((item) => item.itemId === currentItemId)?.title;
    };
    for (const expected of ['Roll call', 'Adoption of the agenda', 'Paragraph 3']) {
      await accepted(r.chair.connection.send('agenda.next', {}));
      await eventually(() => titles() === expected);
    }
    assert.deepEqual(await r.chair.connection.send('agenda.next', {}), { ok: false, error: 'no_next_item' });
  });
});
