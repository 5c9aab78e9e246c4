/**
 * The session room's pipeline on every backend, without sockets: commands decided against the
 * whole log, appended in one transaction, applied to memory; retries idempotent ([T31]); refusals
 * that store nothing; and the replay of the stored log equal to the live room (S1).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Database } from '../../lib/db';
import type { TUser } from '../../lib/db/repositories/people';
import { listSessionEvents } from '../../lib/db/repositories/sessions';
import { changeSessionStatus } from '../../lib/server/negotiations/change-session-status';
import { createDocument } from '../../lib/server/negotiations/create-document';
import { setQuorumRule } from '../../lib/server/negotiations/set-quorum-rule';
import { quorumOf } from '../../lib/session/room/quorum';
import type { TCommandAck } from '../../lib/session/room/commands';
import { testBackends } from '../helpers/databases';
import { buildMembership, buildUser } from '../helpers/factories';
import { assertReplayEqualsLive, buildScene, openRoom, send } from './room-scene';
import { refusedWithNothingStored, tableCounts, useDatabase } from './support';

/** What an accepted command returned under `key` (fails the test when the command was refused). */
function resultOf(ack: TCommandAck, key: 'requestId' | 'speechId' | 'itemId'): string {
  assert.ok(ack.ok, `accepted: ${JSON.stringify(ack)}`);
  return ack.result?.[key] ?? '';
}

async function sessionCommandCount(db: Database): Promise<number> {
  return Number((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM session_commands'))?.n ?? 0);
}

for (const backend of testBackends()) {
  describe(`${backend.name}: session room pipeline`, () => {
    const ctx = useDatabase(backend);

    test('[S1][S2][S5] a session run through the room replays from its log to exactly the live state', async () => {
      const scene = await buildScene(ctx.db);
      const { room, published } = await openRoom(scene);
      const [athens, lisbon, rotterdam] = scene.heads as [TUser, TUser, TUser];
      await room.recordPresence(athens.id, 'joined');
      await room.recordPresence(scene.chair.id, 'joined');
      assert.deepEqual(await send(room, scene.chair, 'agenda.add', { title: 'Opening', plannedMinutes: 10 }), { ok: true, seq: 5, result: { itemId: room.state.agenda.items[0]?.itemId ?? '' } });
      await send(room, scene.chair, 'agenda.add', { title: 'Paragraph 3', plannedMinutes: 45 });
      assert.equal((await send(room, scene.chair, 'session.set_status', { status: 'live' })).ok, true);
      assert.equal((await send(room, scene.chair, 'agenda.next', {})).ok, true);
      const first = await send(room, lisbon, 'floor.request', { kind: 'regular' });
      await send(room, rotterdam, 'floor.request', { kind: 'question' });
      const order = await send(room, athens, 'floor.request', { kind: 'point_of_order' });
      assert.ok(first.ok && order.ok);
      assert.deepEqual(room.state.floor.queue.map((request) => request.userId), [athens.id, lisbon.id, rotterdam.id], 'the point of order jumps the queue');
      const granted = await send(room, scene.chair, 'floor.grant', { requestId: resultOf(order, 'requestId') });
      assert.ok(granted.ok);
      const speechId = resultOf(granted, 'speechId') ?? '';
      assert.equal(room.state.floor.speech?.userId, athens.id);
      assert.equal((await send(room, scene.chair, 'speech.pause', { speechId })).ok, true);
      assert.equal((await send(room, scene.chair, 'speech.resume', { speechId })).ok, true);
      await send(room, scene.chair, 'floor.grant', { requestId: resultOf(first, 'requestId') });
      assert.equal(room.state.floor.speechCount, 2, 'granting the next speaker ended the first speech');
      await room.recordPresence(athens.id, 'left');
      assert.equal((await send(room, scene.chair, 'session.set_status', { status: 'suspended' })).ok, true);
      await assertReplayEqualsLive(ctx.db, room);
      const stored = await listSessionEvents(ctx.db, scene.sessionId);
      assert.deepEqual(published.map((event) => event.seq), stored.slice(1).map((event) => event.seq), 'every appended event was published once, in order');
    });

    test('[S20][T31] a retry with the same client message id changes nothing and gets the same acknowledgement', async () => {
      const scene = await buildScene(ctx.db);
      const { room, published } = await openRoom(scene);
      await send(room, scene.chair, 'session.set_status', { status: 'live' });
      const head = scene.heads[0] as TUser;
      const id = 'retry-0001';
      const first = await send(room, head, 'floor.request', { kind: 'regular' }, id);
      const before = { events: (await listSessionEvents(ctx.db, scene.sessionId)).length, published: published.length, state: room.state };
      const again = await send(room, head, 'floor.request', { kind: 'regular' }, id);
      assert.deepEqual(again, first);
      assert.equal((await listSessionEvents(ctx.db, scene.sessionId)).length, before.events);
      assert.equal(published.length, before.published, 'nothing broadcast again');
      assert.equal(room.state, before.state);
      assert.deepEqual(await send(room, head, 'floor.request', { kind: 'question' }, id), { ok: false, error: 'client_msg_id_reused' }, 'the same id for another command is not a retry');
      const other = await send(room, scene.heads[1] as TUser, 'floor.request', { kind: 'regular' }, id);
      assert.equal(other.ok, true, 'ids are per sender: another person may use the same one');
      // A retry after a restart finds the acknowledgement in the database.
      const { room: reopened } = await openRoom(scene);
      assert.deepEqual(await send(reopened, head, 'floor.request', { kind: 'regular' }, id), first);
    });

    test('[S21][T32] refusals store nothing, publish nothing and leave the room as it was', async () => {
      const scene = await buildScene(ctx.db);
      const { room, published } = await openRoom(scene);
      const [athens, lisbon] = scene.heads as [TUser, TUser];
      const refusals: [TUser, string, unknown, string][] = [
        [athens, 'floor.request', { kind: 'regular' }, 'not_live'],
        [athens, 'session.set_status', { status: 'live' }, 'forbidden'],
      ];
      const check = async () => {
        for (const [user, type, input, error] of refusals) {
          const counts = { tables: await tableCounts(ctx.db), commands: await sessionCommandCount(ctx.db), published: published.length, state: room.state };
          assert.deepEqual(await send(room, user, type, input), { ok: false, error }, `${type} ${JSON.stringify(input)}`);
          assert.deepEqual({ tables: await tableCounts(ctx.db), commands: await sessionCommandCount(ctx.db), published: published.length, state: room.state }, counts);
        }
      };
      await check();
      await send(room, scene.chair, 'session.set_status', { status: 'live' });
      const request = await send(room, athens, 'floor.request', { kind: 'regular' });
      refusals.length = 0;
      refusals.push(
        [athens, 'floor.request', { kind: 'regular' }, 'already_requested'],
        [scene.delegate, 'floor.request', { kind: 'right_of_reply' }, 'already_requested'],
        [scene.observer, 'floor.request', { kind: 'point_of_order' }, 'observers_not_allowed'],
        [lisbon, 'floor.remove', { requestId: resultOf(request, 'requestId') }, 'forbidden'],
        [lisbon, 'floor.move', { requestId: resultOf(request, 'requestId'), toIndex: 0 }, 'forbidden'],
        [lisbon, 'floor.withdraw', { requestId: resultOf(request, 'requestId') }, 'forbidden'],
        [lisbon, 'floor.grant', { requestId: resultOf(request, 'requestId') }, 'forbidden'],
        [scene.chair, 'floor.request', { kind: 'regular' }, 'forbidden'],
        [scene.chair, 'floor.grant', { requestId: randomUUID() }, 'not_found'],
        [scene.chair, 'floor.grant', { delegationId: randomUUID() }, 'not_found'],
        [scene.chair, 'speech.pause', { speechId: randomUUID() }, 'not_found'],
        [scene.chair, 'agenda.next', {}, 'no_next_item'],
        [scene.chair, 'session.set_status', { status: 'scheduled' }, 'invalid_transition'],
        [scene.chair, 'floor.request_everything', {}, 'invalid_input'],
        [athens, 'floor.request', { kind: 'regular', delegationId: scene.delegationIds[1] }, 'invalid_input'],
        [athens, 'floor.request', { kind: 'filibuster' }, 'invalid_input'],
        [scene.chair, 'agenda.add', { title: '', plannedMinutes: null }, 'invalid_input'],
      );
      await check();
      // The delegate of the same delegation may take back the head's request (S7).
      assert.equal((await send(room, scene.delegate, 'floor.withdraw', { requestId: resultOf(request, 'requestId') })).ok, true);
    });

    test('[S8][S86] an agenda item may name one of the negotiation\'s documents, and only those', async () => {
      const scene = await buildScene(ctx.db);
      const other = await buildScene(ctx.db);
      const { room } = await openRoom(scene);
      const ours = await createDocument(ctx.db, scene.secretariat, scene.negotiationId, { title: 'Compact', kind: 'declaration', baseText: 'Compact\n1. Plant trees.' });
      const theirs = await createDocument(ctx.db, other.secretariat, other.negotiationId, { title: 'Theirs', kind: 'declaration', baseText: 'Theirs\n1. Elsewhere.' });
      const itemId = resultOf(await send(room, scene.chair, 'agenda.add', { title: 'First reading', plannedMinutes: 30, documentId: ours.id }), 'itemId');
      assert.equal(room.state.agenda.items.find((item) => item.itemId === itemId)?.documentId, ours.id);
      for (const documentId of [theirs.id, randomUUID()]) {
        const before = { tables: await tableCounts(ctx.db), state: room.state };
        assert.deepEqual(await send(room, scene.chair, 'agenda.add', { title: 'Elsewhere', plannedMinutes: null, documentId }), { ok: false, error: 'not_found' });
        assert.deepEqual({ tables: await tableCounts(ctx.db), state: room.state }, before);
      }
      await assertReplayEqualsLive(ctx.db, room);
    });

    test('[S85] cancelled from the room with a reason: then every command is session_cancelled and nothing reopens it', async () => {
      const scene = await buildScene(ctx.db);
      const { room } = await openRoom(scene);
      await room.recordPresence(scene.heads[0]?.id ?? '', 'joined');
      assert.equal((await send(room, scene.chair, 'session.set_status', { status: 'cancelled', reason: 'No quorum expected.' })).ok, true);
      assert.equal(room.state.status, 'cancelled');
      assert.deepEqual(room.state.attendance.present, [], 'a cancelled room is empty, like a closed one');
      assert.deepEqual((await listSessionEvents(ctx.db, scene.sessionId)).at(-1)?.payload, { from: 'scheduled', to: 'cancelled', reason: 'No quorum expected.' });
      assert.deepEqual(await send(room, scene.chair, 'agenda.add', { title: 'Opening', plannedMinutes: null }), { ok: false, error: 'session_cancelled' });
      assert.deepEqual(await send(room, scene.chair, 'session.set_status', { status: 'live' }), { ok: false, error: 'invalid_transition' });
      await room.recordPresence(scene.heads[1]?.id ?? '', 'joined');
      assert.deepEqual(room.state.attendance.present, [], 'nobody is recorded present in a cancelled session');
      await assertReplayEqualsLive(ctx.db, room);
    });

    test('[S6] one waiting entry per delegation unless the chair allows more; points of order beside it; observers once the chair admits them', async () => {
      const scene = await buildScene(ctx.db);
      const { room } = await openRoom(scene);
      await send(room, scene.chair, 'session.set_status', { status: 'live' });
      const athens = scene.heads[0] as TUser;
      assert.equal((await send(room, athens, 'floor.request', { kind: 'regular' })).ok, true);
      assert.equal((await send(room, athens, 'floor.request', { kind: 'point_of_order' })).ok, true, 'a point of order besides the regular entry');
      assert.deepEqual(await send(room, athens, 'floor.request', { kind: 'point_of_order' }), { ok: false, error: 'already_requested' });
      const settings = { ...room.state.floor.settings, maxEntriesPerDelegation: 2, observersMayTakeFloor: true };
      assert.equal((await send(room, scene.chair, 'floor.settings', { settings })).ok, true);
      assert.equal((await send(room, scene.delegate, 'floor.request', { kind: 'question' })).ok, true, 'a second entry once allowed');
      assert.deepEqual(await send(room, athens, 'floor.request', { kind: 'regular' }), { ok: false, error: 'already_requested' });
      assert.equal((await send(room, scene.observer, 'floor.request', { kind: 'regular' })).ok, true);
    });

    test('[S12] a group whose speaking-time budget is spent cannot ask for the floor; a grant is cut to what is left', async () => {
      const scene = await buildScene(ctx.db);
      const { room } = await openRoom(scene);
      await send(room, scene.chair, 'session.set_status', { status: 'live' });
      const [athens, lisbon] = scene.heads as [TUser, TUser];
      const budgets = [{ label: 'Southern Europe', delegationIds: scene.delegationIds.slice(0, 2), seconds: 30 }];
      await send(room, scene.chair, 'floor.settings', { settings: { ...room.state.floor.settings, budgets } });
      const granted = await send(room, scene.chair, 'floor.grant', { delegationId: scene.delegationIds[0] });
      assert.equal(room.state.floor.speech?.limitSeconds, 30, 'the regular limit (180 s) is cut to the budget');
      await send(room, scene.chair, 'speech.end', { speechId: resultOf(granted, 'speechId') });
      // Spend the rest of the budget by hand, as a long speech would.
      await ctx.db.transaction(async (tx) => {
        const { recordSessionEvents, proposeEvent } = await import('../../lib/server/sessions/record-event');
        const now = Date.now();
        const speechId = randomUUID();
        await recordSessionEvents(tx, scene.sessionId, { user: null, membership: undefined }, [
          proposeEvent('floor.granted', { speechId, requestId: null, kind: 'regular', userId: null, delegationId: scene.delegationIds[1] ?? '', limitSeconds: 30, warningSeconds: 5 }),
          proposeEvent('speech.started', { speechId }),
        ], now - 40_000);
        await recordSessionEvents(tx, scene.sessionId, { user: null, membership: undefined }, [proposeEvent('speech.ended', { speechId })], now);
      });
      assert.deepEqual(await send(room, lisbon, 'floor.request', { kind: 'regular' }), { ok: false, error: 'budget_exhausted' });
      assert.deepEqual(await send(room, athens, 'floor.request', { kind: 'regular' }), { ok: false, error: 'budget_exhausted' });
      assert.equal((await send(room, scene.heads[2] as TUser, 'floor.request', { kind: 'regular' })).ok, true, 'outside the group');
      assert.deepEqual(await send(room, scene.chair, 'floor.settings', { settings: { ...room.state.floor.settings, budgets: [{ ...budgets[0], delegationIds: [randomUUID()] }] } }), { ok: false, error: 'invalid_input' }, 'budgets name delegations of this negotiation');
      await assertReplayEqualsLive(ctx.db, room);
    });

    test('[S80][S81] a floor given directly names its speaker: the head by default, or whom the chair or that head designates', async () => {
      const scene = await buildScene(ctx.db);
      const { room } = await openRoom(scene);
      await send(room, scene.chair, 'session.set_status', { status: 'live' });
      const [athens, lisbon] = scene.heads as [TUser, TUser];
      const adviser = await buildUser(ctx.db, { name: 'Adviser of Athens' });
      await buildMembership(ctx.db, scene.negotiationId, adviser, 'adviser', scene.delegationIds[0]);
      const athensId = scene.delegationIds[0] ?? '';

      const granted = await send(room, scene.chair, 'floor.grant', { delegationId: athensId });
      const speechId = resultOf(granted, 'speechId');
      assert.deepEqual([room.state.floor.speech?.delegationId, room.state.floor.speech?.userId], [athensId, athens.id], 'the head of the delegation speaks by default');
      const refusals: [TUser, unknown, string][] = [
        [lisbon, { speechId, userId: lisbon.id }, 'forbidden'],
        [scene.delegate, { speechId, userId: scene.delegate.id }, 'forbidden'],
        [athens, { speechId, userId: lisbon.id }, 'not_found'],
        [athens, { speechId, userId: adviser.id }, 'not_found'],
        [athens, { speechId, userId: athens.id }, 'invalid_transition'],
        [athens, { speechId: randomUUID(), userId: scene.delegate.id }, 'not_found'],
      ];
      for (const [user, input, error] of refusals) assert.deepEqual(await send(room, user, 'floor.designate', input), { ok: false, error }, JSON.stringify(input));
      assert.equal((await send(room, athens, 'floor.designate', { speechId, userId: scene.delegate.id })).ok, true);
      assert.equal(room.state.floor.speech?.userId, scene.delegate.id, 'the head hands the floor to a colleague');
      assert.equal((await send(room, scene.chair, 'floor.designate', { speechId, userId: athens.id })).ok, true, 'the chair may name the speaker too');
      assert.equal(room.state.floor.speech?.userId, athens.id);

      // The chair may name the speaker when giving the floor; only someone who speaks for that delegation.
      assert.deepEqual(await send(room, scene.chair, 'floor.grant', { delegationId: athensId, userId: lisbon.id }), { ok: false, error: 'not_found' });
      assert.deepEqual(await send(room, scene.chair, 'floor.grant', { delegationId: athensId, userId: adviser.id }), { ok: false, error: 'not_found' });
      assert.equal((await send(room, scene.chair, 'floor.grant', { delegationId: athensId, userId: scene.delegate.id })).ok, true);
      assert.equal(room.state.floor.speech?.userId, scene.delegate.id);
      const events = await listSessionEvents(ctx.db, scene.sessionId);
      assert.ok(events.filter((event) => event.type === 'floor.granted').every((event) => typeof (event.payload as { userId: unknown }).userId === 'string'), 'every grant names a person');
      assert.equal(events.filter((event) => event.type === 'floor.speaker_designated').length, 2);
      await assertReplayEqualsLive(ctx.db, room);
    });

    test('[S22] what the negotiation page appends is folded before the next command is decided', async () => {
      const scene = await buildScene(ctx.db);
      const { room, published } = await openRoom(scene);
      await send(room, scene.chair, 'session.set_status', { status: 'live' });
      await changeSessionStatus(ctx.db, scene.chair, scene.negotiationId, { sessionId: scene.sessionId, status: 'closed' });
      assert.deepEqual(await send(room, scene.heads[0] as TUser, 'floor.request', { kind: 'regular' }), { ok: false, error: 'session_closed' });
      assert.equal(room.state.status, 'closed');
      assert.equal(published.at(-1)?.type, 'session.status_changed', 'the outside change was published');
      await assertReplayEqualsLive(ctx.db, room);
    });

    test('[S5][T32] concurrent requests: one order, one entry per delegation, contiguous seqs', async () => {
      const scene = await buildScene(ctx.db);
      const { room } = await openRoom(scene);
      await send(room, scene.chair, 'session.set_status', { status: 'live' });
      const [athens] = scene.heads as [TUser];
      const acks = await Promise.all([
        ...scene.heads.map((head) => send(room, head, 'floor.request', { kind: 'regular' })),
        send(room, athens, 'floor.request', { kind: 'regular' }),
        send(room, scene.delegate, 'floor.request', { kind: 'regular' }),
      ]);
      assert.equal(acks.filter((ack) => ack.ok).length, 3, 'one entry for each of the three delegations');
      assert.deepEqual(acks.filter((ack) => !ack.ok), [{ ok: false, error: 'already_requested' }, { ok: false, error: 'already_requested' }]);
      const seqs = (await listSessionEvents(ctx.db, scene.sessionId)).map((event) => event.seq);
      assert.deepEqual(seqs, seqs.map((_, index) => index + 1));
      await assertReplayEqualsLive(ctx.db, room);
    });

    test('[S18][S19] presence is recorded once per person; a reopened room records who a restart left behind', async () => {
      const scene = await buildScene(ctx.db);
      const { room } = await openRoom(scene);
      const athens = scene.heads[0] as TUser;
      await room.recordPresence(athens.id, 'joined');
      await room.recordPresence(athens.id, 'joined');
      assert.equal(room.state.attendance.present.length, 1);
      const { room: reopened } = await openRoom(scene);
      assert.deepEqual(reopened.state.attendance.present, []);
      const last = (await listSessionEvents(ctx.db, scene.sessionId)).at(-1);
      assert.deepEqual({ type: last?.type, userId: last?.userId, payload: last?.payload }, { type: 'attendance.left', userId: null, payload: { userId: athens.id, reason: 'server_restart' } });
      await reopened.recordPresence(athens.id, 'left');
      assert.equal((await listSessionEvents(ctx.db, scene.sessionId)).at(-1)?.seq, last?.seq, 'leaving when absent records nothing');
    });

    test('[S17] the secretariat sets the quorum rule: stored, logged in open sessions, applied by their rooms; others are refused', async () => {
      const scene = await buildScene(ctx.db);
      const { room } = await openRoom(scene);
      await send(room, scene.chair, 'session.set_status', { status: 'live' });
      for (const head of scene.heads.slice(0, 2)) await room.recordPresence(head.id, 'joined');
      assert.deepEqual(quorumOf(room.state), { rule: 'majority', members: 3, present: 2, required: 2, met: true });
      await refusedWithNothingStored(ctx.db, () => setQuorumRule(ctx.db, scene.chair, scene.negotiationId, { quorumRule: 'all' }), 'forbidden');
      await refusedWithNothingStored(ctx.db, () => setQuorumRule(ctx.db, scene.secretariat, scene.negotiationId, { quorumRule: 'most' }), 'invalid_input');
      const changed = await setQuorumRule(ctx.db, scene.secretariat, scene.negotiationId, { quorumRule: 'all' });
      assert.equal(changed.quorumRule, 'all');
      await room.catchUp();
      assert.deepEqual(quorumOf(room.state), { rule: 'all', members: 3, present: 2, required: 3, met: false });
      const last = (await listSessionEvents(ctx.db, scene.sessionId)).at(-1);
      assert.deepEqual({ type: last?.type, payload: last?.payload }, { type: 'quorum.rule_changed', payload: { from: 'majority', to: 'all' } });
    });
  });
}
