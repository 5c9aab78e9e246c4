/**
 * The room's group commit on every backend (docs/PROTOCOL.md S90): commands that arrive together
 * are decided one after another in one transaction — a burst of ballots is one commit, not one per
 * ballot — and still each is stored exactly once (S20, T34), acknowledged with its own seq, and a
 * refused or failing command in the batch leaves the others as if it had been sent alone.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Database } from '../../lib/db';
import { insertDecisionVoter } from '../../lib/db/repositories/decisions';
import type { TUser } from '../../lib/db/repositories/people';
import { listSessionEvents, type TSessionEvent } from '../../lib/db/repositories/sessions';
import type { TCommandAck } from '../../lib/session/room/commands';
import { LiveSessionRoom } from '../../server/sessions/live-session-room';
import { testBackends } from '../helpers/databases';
import { buildDelegation, buildMembership, buildUser } from '../helpers/factories';
import { assertReplayEqualsLive, buildScene, send, type TScene } from './room-scene';
import { useDatabase } from './support';

/** The database, counting the transactions begun through it. */
function countingTransactions(db: Database): { db: Database; count: () => number } {
  let transactions = 0;
  return {
    db: {
      ...db,
      transaction: (work, options) => {
        transactions += 1;
        return db.transaction(work, options);
      },
    },
    count: () => transactions,
  };
}

/** The scene with nine more member delegations (twelve heads in all), every head and the chair present, the session live, a roll-call question open. */
async function openBallot(scene: TScene, db: Database) {
  const heads = [...scene.heads];
  const delegationIds = [...scene.delegationIds];
  for (let index = 0; index < 9; index += 1) {
    const { delegationId } = await buildDelegation(scene.db, scene.negotiationId, { name: `City ${index + 4}` });
    const head = await buildUser(scene.db, { name: `Head of city ${index + 4}` });
    await buildMembership(scene.db, scene.negotiationId, head, 'head', delegationId);
    heads.push(head);
    delegationIds.push(delegationId);
  }
  const published: TSessionEvent[] = [];
  const room = await LiveSessionRoom.open(db, { id: scene.sessionId, negotiationId: scene.negotiationId }, (events) => published.push(...events));
  for (const user of [scene.chair, ...heads]) await room.recordPresence(user.id, 'joined');
  assert.ok((await send(room, scene.chair, 'session.set_status', { status: 'live' })).ok);
  const put = await send(room, scene.chair, 'decision.put', { subject: { kind: 'procedural', text: 'Adjourn' }, method: 'majority', ballot: 'roll_call' });
  assert.ok(put.ok);
  return { room, published, heads, delegationIds, decisionId: put.result?.decisionId ?? '' };
}

async function countRows(db: Database, sql: string, params: string[]): Promise<number> {
  return Number((await db.get<{ n: number | string }>(sql, params))?.n ?? 0);
}

for (const backend of testBackends()) {
  describe(`${backend.name}: the room's group commit`, () => {
    const ctx = useDatabase(backend);

    test('[S90][S20][T34] a burst of ballots from twelve delegations, three retried in the burst: one transaction, each ballot stored once, every sender acknowledged once durable', async () => {
      const scene = await buildScene(ctx.db);
      const counting = countingTransactions(ctx.db);
      const { room, published, heads, delegationIds, decisionId } = await openBallot(scene, counting.db);
      const before = { transactions: counting.count(), published: published.length };
      const ids = heads.map(() => randomUUID());
      const ballots = heads.map((head, index) => send(room, head, 'decision.vote', { decisionId, choice: index % 2 ? 'yes' : 'no' }, ids[index]));
      // A client that saw no acknowledgement sends the same ballot again, while the first is in the same batch.
      const retries = [0, 5, 11].map((index) => send(room, heads[index] as TUser, 'decision.vote', { decisionId, choice: 'abstain' }, ids[index]));
      const acks = await Promise.all(ballots);
      const retried = await Promise.all(retries);

      assert.equal(counting.count() - before.transactions, 1, 'the whole burst was decided and committed in one transaction');
      for (const ack of acks) assert.ok(ack.ok, JSON.stringify(ack));
      const seqs = acks.map((ack) => (ack.ok ? ack.seq : 0));
      assert.deepEqual(seqs, seqs.map((_, index) => (seqs[0] ?? 0) + index), 'one event each, in arrival order, contiguous seqs');
      assert.deepEqual(retried, [acks[0], acks[5], acks[11]], 'a retry in the batch gets the first acknowledgement');
      const ballotRows = await countRows(ctx.db, `SELECT COUNT(*) AS n FROM session_events WHERE session_id = ? AND type = 'decision.ballot_cast'`, [scene.sessionId]);
      assert.equal(ballotRows, 12, 'one ballot event per delegation');
      assert.equal(await countRows(ctx.db, 'SELECT COUNT(*) AS n FROM decision_voters WHERE decision_id = ?', [decisionId]), 12);
      assert.equal(await countRows(ctx.db, `SELECT COUNT(*) AS n FROM session_commands WHERE session_id = ? AND command_type = 'decision.vote'`, [scene.sessionId]), 12);
      assert.deepEqual(room.state.decisions.questions[0]?.voted.slice().sort(), delegationIds.slice().sort());
      assert.deepEqual(published.slice(before.published).map((event) => event.seq), seqs, 'published once each, in order');
      await assertReplayEqualsLive(ctx.db, room);
    });

    test('[S90][S21] in one batch, a refused command and a failing one change nothing, and the others are stored and acknowledged as if sent alone', async () => {
      const scene = await buildScene(ctx.db);
      const counting = countingTransactions(ctx.db);
      const { room, published, heads, delegationIds, decisionId } = await openBallot(scene, counting.db);
      // Delegation 4 already holds a voter row the log does not know (as if written by hand): its
      // ballot is accepted by the room and then refused by the database, in the middle of the batch.
      await insertDecisionVoter(ctx.db, { sessionId: scene.sessionId, decisionId, delegationId: delegationIds[4] ?? '' });
      const before = { transactions: counting.count(), published: published.length, seq: room.state.seq };
      const burst = await Promise.all([
        send(room, heads[0] as TUser, 'decision.vote', { decisionId, choice: 'yes' }),
        send(room, scene.delegate, 'decision.vote', { decisionId, choice: 'no' }),
        send(room, heads[4] as TUser, 'decision.vote', { decisionId, choice: 'no' }),
        send(room, heads[1] as TUser, 'decision.vote', { decisionId, choice: 'no' }),
        send(room, scene.observer, 'decision.vote', { decisionId, choice: 'yes' }),
        send(room, heads[2] as TUser, 'decision.vote', { decisionId, choice: 'abstain' }),
      ]);
      assert.equal(counting.count() - before.transactions, 1, 'one transaction for the batch');
      const [athens, delegate, failing, lisbon, observer, rotterdam] = burst as [TCommandAck, TCommandAck, TCommandAck, TCommandAck, TCommandAck, TCommandAck];
      assert.deepEqual(delegate, { ok: false, error: 'not_designated' });
      assert.deepEqual(observer, { ok: false, error: 'forbidden' });
      assert.deepEqual(failing, { ok: false, error: 'internal' }, 'the command whose write failed is refused alone');
      assert.deepEqual(
        [athens, lisbon, rotterdam].map((ack) => ack.ok && ack.seq),
        [before.seq + 1, before.seq + 2, before.seq + 3],
        'the others are stored in arrival order, with nothing between them',
      );
      const stored = await listSessionEvents(ctx.db, scene.sessionId, before.seq);
      assert.deepEqual(
        stored.map((event) => [event.type, event.delegationId]),
        [0, 1, 2].map((index) => ['decision.ballot_cast', delegationIds[index]]),
      );
      assert.equal(await countRows(ctx.db, 'SELECT COUNT(*) AS n FROM session_commands WHERE session_id = ? AND user_id = ?', [scene.sessionId, (heads[4] as TUser).id]), 0, 'the failed command left no acknowledgement to replay');
      assert.deepEqual(published.slice(before.published).map((event) => event.seq), stored.map((event) => event.seq));
      assert.deepEqual(room.state.decisions.questions[0]?.voted.slice().sort(), delegationIds.slice(0, 3).sort());
      await assertReplayEqualsLive(ctx.db, room);
    });
  });
}
