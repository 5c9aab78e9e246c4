/**
 * The session event log on every backend: contiguous seqs, a hash chain, idempotent client retries
 * ([T31]), one order under concurrency, and an append-only table whose tampering is detected ([T43]).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Database } from '../../lib/db';
import {
  appendSessionEvent,
  findSessionById,
  insertSession,
  listSessionEvents,
  type TNewSessionEvent,
  type TSessionEvent,
} from '../../lib/db/repositories/sessions';
import { GENESIS_HASH, hashEvent, verifyChain } from '../../lib/session/event-hash';
import { testBackends } from '../helpers/databases';
import { buildNegotiation, buildUser } from '../helpers/factories';
import { countRows, useDatabase } from './support';

/** A stored session with an empty log, and the user who writes to it. */
async function buildSession(db: Database): Promise<{ sessionId: string; userId: string }> {
  const user = await buildUser(db);
  const negotiation = await buildNegotiation(db, user);
  const sessionId = randomUUID();
  await insertSession(db, { id: sessionId, negotiationId: negotiation.id, title: 'Plenary', scheduledStart: Date.now() + 60_000, status: 'scheduled', createdAt: Date.now() });
  return { sessionId, userId: user.id };
}

function note(sessionId: string, userId: string | null, payload: unknown, clientMsgId?: string): TNewSessionEvent {
  return { sessionId, at: Date.now(), userId, delegationId: null, role: 'secretariat', type: 'test.note', payload, clientMsgId };
}

function append(db: Database, event: TNewSessionEvent): Promise<{ event: TSessionEvent; duplicate: boolean }> {
  return db.transaction((tx) => appendSessionEvent(tx, event));
}

/** A copy of stored events with one of them changed, as an attacker with file access would. */
function withChange(events: TSessionEvent[], seq: number, change: (event: TSessionEvent) => TSessionEvent): TSessionEvent[] {
  return events.map((event) => (event.seq === seq ? change(structuredClone(event)) : event));
}

for (const backend of testBackends()) {
  describe(`${backend.name}: session event log`, () => {
    const ctx = useDatabase(backend);

    test('[T43] appends get seq 1..n, each prev_hash links to the previous hash, and verifyChain() holds', async () => {
      const { sessionId, userId } = await buildSession(ctx.db);
      const returned: TSessionEvent[] = [];
      for (let index = 0; index < 5; index += 1) {
        const { event, duplicate } = await append(ctx.db, note(sessionId, userId, { index, text: `Point ${index} — «quoted» 中文` }));
        assert.equal(duplicate, false);
        returned.push(event);
      }
      const stored = await listSessionEvents(ctx.db, sessionId);
      assert.deepEqual(stored, returned, 'what append returns is what was stored');
      assert.deepEqual(stored.map((event) => event.seq), [1, 2, 3, 4, 5]);
      assert.equal(stored[0]?.prevHash, GENESIS_HASH);
      for (let index = 1; index < stored.length; index += 1) {
        assert.equal(stored[index]?.prevHash, stored[index - 1]?.hash, `seq ${index + 1} links to seq ${index}`);
      }
      assert.equal(new Set(stored.map((event) => event.hash)).size, 5);
      const check = verifyChain(stored);
      assert.deepEqual(check, { ok: true, count: 5, head: stored[4]?.hash });
      const session = await findSessionById(ctx.db, sessionId);
      assert.equal(session?.headSeq, 5);
      assert.equal(session?.headHash, stored[4]?.hash);
      assert.deepEqual((await listSessionEvents(ctx.db, sessionId, 3)).map((event) => event.seq), [4, 5]);
    });

    test('every field of an event survives storage: author, role, delegation, nested payload', async () => {
      const { sessionId, userId } = await buildSession(ctx.db);
      const payload = { nested: { list: [1, 'two', null, { three: true }] }, html: '<b>bold</b>', big: 2 ** 40 };
      const at = Date.UTC(2030, 5, 1, 13, 0, 0);
      const { event } = await append(ctx.db, { sessionId, at, userId, delegationId: 'delegation-1', role: 'head', type: 'test.note', payload, clientMsgId: 'client-1' });
      const [stored] = await listSessionEvents(ctx.db, sessionId);
      assert.deepEqual(stored, {
        sessionId,
        seq: 1,
        at,
        userId,
        delegationId: 'delegation-1',
        role: 'head',
        type: 'test.note',
        payload,
        clientMsgId: 'client-1',
        prevHash: GENESIS_HASH,
        hash: event.hash,
      });
    });

    test('[T31] a retried client message id returns the first event with duplicate:true and appends nothing', async () => {
      const { sessionId, userId } = await buildSession(ctx.db);
      const first = await append(ctx.db, note(sessionId, userId, { text: 'original' }, 'msg-1'));
      const retry = await append(ctx.db, note(sessionId, userId, { text: 'retried with other content' }, 'msg-1'));
      assert.equal(first.duplicate, false);
      assert.equal(retry.duplicate, true);
      assert.deepEqual(retry.event, first.event);
      assert.equal(await countRows(ctx.db, 'session_events', 'session_id = ?', [sessionId]), 1);
      assert.equal((await findSessionById(ctx.db, sessionId))?.headSeq, 1);
      // A different id is a new event; the same id in another session is independent.
      assert.equal((await append(ctx.db, note(sessionId, userId, { text: 'next' }, 'msg-2'))).event.seq, 2);
      const other = await buildSession(ctx.db);
      const elsewhere = await append(ctx.db, note(other.sessionId, other.userId, { text: 'elsewhere' }, 'msg-1'));
      assert.equal(elsewhere.duplicate, false);
      assert.equal(elsewhere.event.seq, 1);
    });

    test('[T31] the same client message id sent five times at once is stored once', async () => {
      const { sessionId, userId } = await buildSession(ctx.db);
      const outcomes = await Promise.all(
        Array.from({ length: 5 }, (_, index) => append(ctx.db, note(sessionId, userId, { attempt: index }, 'burst-1'))),
      );
      assert.equal(outcomes.filter((outcome) => !outcome.duplicate).length, 1);
      const original = outcomes.find((outcome) => !outcome.duplicate)?.event;
      for (const outcome of outcomes) assert.deepEqual(outcome.event, original);
      assert.equal(await countRows(ctx.db, 'session_events', 'session_id = ?', [sessionId]), 1);
    });

    test('[T43] twenty appends from parallel transactions get contiguous seqs and one valid chain', async () => {
      const { sessionId, userId } = await buildSession(ctx.db);
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, index) => append(ctx.db, note(sessionId, userId, { writer: index }))),
      );
      assert.deepEqual(
        outcomes.map((outcome) => outcome.event.seq).sort((a, b) => a - b),
        Array.from({ length: 20 }, (_, index) => index + 1),
      );
      const stored = await listSessionEvents(ctx.db, sessionId);
      assert.equal(stored.length, 20);
      assert.deepEqual(
        stored.map((event) => (event.payload as { writer: number }).writer).sort((a, b) => a - b),
        Array.from({ length: 20 }, (_, index) => index),
        'every writer landed exactly once',
      );
      const check = verifyChain(stored);
      assert.equal(check.ok, true);
      const session = await findSessionById(ctx.db, sessionId);
      assert.equal(session?.headSeq, 20);
      assert.equal(check.ok && check.head, session?.headHash);
    });

    test('[T43] the log is append-only: UPDATE and DELETE on session_events are refused and change nothing', async () => {
      const { sessionId, userId } = await buildSession(ctx.db);
      await append(ctx.db, note(sessionId, userId, { text: 'on the record' }));
      await append(ctx.db, note(sessionId, userId, { text: 'also on the record' }));
      const before = await listSessionEvents(ctx.db, sessionId);
      await assert.rejects(ctx.db.run('UPDATE session_events SET payload = ? WHERE session_id = ?', ['{"text":"rewritten"}', sessionId]), /append-only/);
      await assert.rejects(ctx.db.run('UPDATE session_events SET user_id = NULL WHERE session_id = ? AND seq = 2', [sessionId]), /append-only/);
      await assert.rejects(ctx.db.run('DELETE FROM session_events WHERE session_id = ? AND seq = 2', [sessionId]), /append-only/);
      await assert.rejects(
        ctx.db.transaction((tx) => tx.run('DELETE FROM session_events WHERE session_id = ?', [sessionId])),
        /append-only/,
      );
      assert.deepEqual(await listSessionEvents(ctx.db, sessionId), before);
    });

    test('[T43] the log cannot be emptied wholesale (TRUNCATE on PostgreSQL)', async (t) => {
      if (ctx.db.dialect !== 'postgres') return t.skip('SQLite has no TRUNCATE; DELETE is covered above');
      const { sessionId, userId } = await buildSession(ctx.db);
      await append(ctx.db, note(sessionId, userId, { text: 'kept' }));
      const before = await listSessionEvents(ctx.db, sessionId);
      await assert.rejects(ctx.db.run('TRUNCATE session_events'), /append-only/);
      assert.deepEqual(await listSessionEvents(ctx.db, sessionId), before);
    });

    test('[T43] verifyChain names the first bad seq when a payload was changed', async () => {
      const { sessionId, userId } = await buildSession(ctx.db);
      for (let index = 1; index <= 5; index += 1) await append(ctx.db, note(sessionId, userId, { text: `line ${index}` }));
      const events = await listSessionEvents(ctx.db, sessionId);
      assert.equal(verifyChain(events).ok, true);

      const changedPayload = withChange(events, 3, (event) => ({ ...event, payload: { text: 'line 3, rewritten' } }));
      assert.deepEqual(verifyChain(changedPayload), { ok: false, badSeq: 3, count: 2 });

      const changedAuthor = withChange(events, 2, (event) => ({ ...event, userId: randomUUID() }));
      assert.deepEqual(verifyChain(changedAuthor), { ok: false, badSeq: 2, count: 1 });

      const changedTime = withChange(events, 1, (event) => ({ ...event, at: event.at + 1 }));
      assert.deepEqual(verifyChain(changedTime), { ok: false, badSeq: 1, count: 0 });

      const dropped = events.filter((event) => event.seq !== 4);
      assert.deepEqual(verifyChain(dropped), { ok: false, badSeq: 4, count: 3 });

      const swapped = [events[0], events[2], events[1], events[3], events[4]].filter((event) => event !== undefined);
      assert.deepEqual(verifyChain(swapped), { ok: false, badSeq: 2, count: 1 });
    });

    test('[T43] re-hashing a forged event moves the break to the next link, and a forged last event no longer matches the stored head', async () => {
      const { sessionId, userId } = await buildSession(ctx.db);
      for (let index = 1; index <= 4; index += 1) await append(ctx.db, note(sessionId, userId, { text: `line ${index}` }));
      const events = await listSessionEvents(ctx.db, sessionId);
      const forge = (event: TSessionEvent): TSessionEvent => {
        const forged = { ...event, payload: { text: 'forged' } };
        return { ...forged, hash: hashEvent(forged.prevHash, forged) };
      };
      assert.deepEqual(verifyChain(withChange(events, 2, forge)), { ok: false, badSeq: 3, count: 2 });

      const forgedTail = verifyChain(withChange(events, 4, forge));
      assert.equal(forgedTail.ok, true, 'a re-hashed last event is self-consistent…');
      const session = await findSessionById(ctx.db, sessionId);
      assert.notEqual(forgedTail.ok && forgedTail.head, session?.headHash, '…but differs from the head the session row keeps');
    });

    test('appending to a session that does not exist throws and stores nothing', async () => {
      const before = await countRows(ctx.db, 'session_events');
      await assert.rejects(append(ctx.db, note(randomUUID(), null, { text: 'orphan' })), /no session/);
      assert.equal(await countRows(ctx.db, 'session_events'), before);
    });
  });
}
