/**
 * The record on every backend (issue 6): real editing traces (josephg/editing-traces, CC BY 4.0, by
 * Joseph Gentle) imported as sessions replay to their `endContent`; a jump through a checkpoint
 * equals folding the log from nothing; a session run through the live room replays to exactly the
 * live state; verifySessionLog finds every kind of tampering at its seq; a bad trace leaves nothing.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import * as Y from 'yjs';
import type { Database } from '../../lib/db';
import type { TUser } from '../../lib/db/repositories/people';
import { findSessionById, listSessionEvents } from '../../lib/db/repositories/sessions';
import { documentPlainText } from '../../lib/documents/base-text';
import { TraceError } from '../../lib/documents/editing-trace';
import { toRoomEvent } from '../../lib/server/sessions/read-session-record';
import { documentAtReplay, replayStateAt } from '../../lib/server/sessions/replay/replay-engine';
import { verifySessionLog, verifySessionLogForPage } from '../../lib/server/sessions/verify-session-log';
import { importEditingTrace } from '../../lib/server/traces/import-trace';
import { hashEvent } from '../../lib/session/event-hash';
import { emptyReplayState, foldReplay, type TReplayState } from '../../lib/session/replay/replay-state';
import { testBackends, type TTestBackend } from '../helpers/databases';
import { buildScene, openRoom, send } from './room-scene';
import { useDatabase } from './support';
import { TRACES_DIR } from '../helpers/editing-traces';

const TRACES = fs.readdirSync(TRACES_DIR).filter((name) => name.endsWith('.json.gz')).sort();
/**
 * The two long sequential traces run on SQLite only, to keep `npm test` short. Measured on the
 * shared 2-core machine (import + replays of each test): automerge-paper (≈260k transactions) 28 s
 * on SQLite; seph-blog1 14 s on SQLite, 44 s on PostgreSQL; the concurrent ones 3 s each on
 * SQLite, 12 and 18 s on PostgreSQL. The import's PostgreSQL path is the same code either way.
 */
const SQLITE_ONLY = new Set(['automerge-paper.json.gz', 'seph-blog1.json.gz']);

function readTrace(name: string): { endContent: string } & Record<string, unknown> {
  return JSON.parse(gunzipSync(fs.readFileSync(path.join(TRACES_DIR, name))).toString('utf8'));
}

/** A small sequential trace: the base, six transactions (document seqs 2..7). */
const SMALL_TRACE = {
  startContent: 'Article 1.',
  endContent: 'Article 1. Cities shall cooperate.',
  txns: [
    { patches: [[10, 0, ' Cities']] },
    { patches: [[17, 0, ' shall']] },
    { patches: [[23, 0, ' co']] },
    { patches: [[26, 0, 'operate']] },
    { patches: [[33, 0, '!']] },
    { patches: [[33, 1, '.']] },
  ],
};

/** A document's text at the replay state, through the engine (document checkpoints + updates). */
async function textAt(db: Database, documentId: string, state: TReplayState): Promise<string> {
  const doc = await documentAtReplay(db, documentId, state, 0);
  const text = documentPlainText(doc);
  doc.destroy();
  return text;
}

/** The naive way: every event folded from nothing, every document update applied from the first. */
async function fromScratch(db: Database, sessionId: string, documentId: string, seq: number): Promise<{ state: TReplayState; text: string }> {
  const state = foldReplay(emptyReplayState(sessionId), (await listSessionEvents(db, sessionId, 0, seq)).map(toRoomEvent));
  const rows = await db.all<{ bytes: Uint8Array }>('SELECT update_bytes AS bytes FROM document_updates WHERE document_id = ? AND seq <= ? ORDER BY seq', [documentId, state.documentSeqs[documentId] ?? 0]);
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const row of rows) Y.applyUpdate(doc, row.bytes);
  });
  const text = documentPlainText(doc);
  doc.destroy();
  return { state, text };
}

async function rowCounts(db: Database): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['negotiation_sessions', 'documents', 'document_updates', 'document_checkpoints', 'session_events', 'session_checkpoints']) {
    counts[table] = Number((await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))?.n ?? 0);
  }
  return counts;
}

/** Lifts the append-only triggers of the log and the document updates, as someone with write access to the database could. */
async function dropAppendOnlyTriggers(db: Database, backend: TTestBackend): Promise<void> {
  if (backend.name === 'sqlite') {
    for (const trigger of ['session_events_no_update', 'session_events_no_delete', 'document_updates_no_update', 'document_updates_no_delete', 'session_event_contents_erase_only']) {
      await db.run(`DROP TRIGGER IF EXISTS ${trigger}`);
    }
  } else {
    await db.run('DROP TRIGGER IF EXISTS session_events_no_change ON session_events');
    await db.run('DROP TRIGGER IF EXISTS document_updates_no_change ON document_updates');
    await db.run('DROP TRIGGER IF EXISTS session_event_contents_erase_only ON session_event_contents');
  }
}

for (const backend of testBackends()) {
  describe(`${backend.name}: the record — trace import and replay`, () => {
    const ctx = useDatabase(backend);

    for (const name of TRACES) {
      if (backend.name !== 'sqlite' && SQLITE_ONLY.has(name)) continue;
      test(`[R8][R4] ${name} imports as a session that replays to the trace's endContent at its last seq, and through a checkpoint as from scratch`, async () => {
        const trace = readTrace(name);
        const imported = await importEditingTrace(ctx.db, trace, { title: name });
        const head = await replayStateAt(ctx.db, imported.sessionId, imported.events);
        assert.equal(head.room.seq, imported.events);
        assert.equal(head.room.status, 'closed');
        assert.equal(await textAt(ctx.db, imported.documentId, head), trace.endContent);

        // A middle seq (not on a checkpoint): through the engine's checkpoints, and folded from nothing.
        const middle = Math.floor(imported.events / 2) + 7;
        const jumped = await replayStateAt(ctx.db, imported.sessionId, middle);
        const naive = await fromScratch(ctx.db, imported.sessionId, imported.documentId, middle);
        assert.deepEqual(jumped, naive.state);
        assert.equal(await textAt(ctx.db, imported.documentId, jumped), naive.text);
        assert.ok(naive.text.length > 0 && naive.text !== trace.endContent, 'the middle is a moment of its own');
      });
    }

    test('[R8][R4] a small imported trace: every seq replays to the text after that many transactions', async () => {
      const imported = await importEditingTrace(ctx.db, SMALL_TRACE, { title: 'small' });
      // 1 scheduled, 2 live, 3 joined, 4 the base (document seq 1), 5..10 the transactions, 11 left, 12 closed.
      assert.equal(imported.events, 12);
      const expected = ['Article 1.', 'Article 1. Cities', 'Article 1. Cities shall', 'Article 1. Cities shall co', 'Article 1. Cities shall cooperate', 'Article 1. Cities shall cooperate!', SMALL_TRACE.endContent];
      for (let seq = 4; seq <= 10; seq += 1) {
        assert.equal(await textAt(ctx.db, imported.documentId, await replayStateAt(ctx.db, imported.sessionId, seq)), expected[seq - 4], `seq ${seq}`);
      }
      assert.deepEqual(await verifySessionLog(ctx.db, imported.sessionId), { ok: true, sessionId: imported.sessionId, count: 12, head: (await listSessionEvents(ctx.db, imported.sessionId)).at(-1)?.hash });
    });

    test('[R8] a malformed, truncated or non-converging trace is refused with a TraceError and leaves nothing behind', async () => {
      await importEditingTrace(ctx.db, SMALL_TRACE); // the demo is seeded: what follows must add nothing at all
      const before = await rowCounts(ctx.db);
      const { endContent: _dropped, ...withoutEnd } = SMALL_TRACE;
      const cut = { ...SMALL_TRACE, txns: SMALL_TRACE.txns.slice(0, 3) };
      const bad = [
        withoutEnd,
        { ...SMALL_TRACE, txns: [] },
        { ...SMALL_TRACE, txns: [{ patches: [[99, 0, 'x']] }] },
        cut,
        { kind: 'concurrent', numAgents: 9, endContent: 'x', txns: [{ parents: [], agent: 8, patches: [[0, 0, 'x']] }] },
        'not a trace',
      ];
      for (const json of bad) {
        await assert.rejects(importEditingTrace(ctx.db, json), TraceError, JSON.stringify(json).slice(0, 80));
      }
      assert.deepEqual(await rowCounts(ctx.db), before);
    });

    test('[R8] a failure while writing (after the document and its updates were inserted) rolls the whole import back', async () => {
      await importEditingTrace(ctx.db, SMALL_TRACE);
      const before = await rowCounts(ctx.db);
      if (backend.name === 'sqlite') {
        await ctx.db.run(`CREATE TRIGGER import_fails BEFORE INSERT ON session_events BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
      } else {
        await ctx.db.run(`CREATE FUNCTION import_fails() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END; $$`);
        await ctx.db.run('CREATE TRIGGER import_fails BEFORE INSERT ON session_events FOR EACH ROW EXECUTE FUNCTION import_fails()');
      }
      try {
        await assert.rejects(importEditingTrace(ctx.db, SMALL_TRACE), /disk full/);
      } finally {
        await ctx.db.run(backend.name === 'sqlite' ? 'DROP TRIGGER import_fails' : 'DROP TRIGGER import_fails ON session_events');
      }
      assert.deepEqual(await rowCounts(ctx.db), before);
    });
  });

  describe(`${backend.name}: the record — replay equals the live room`, () => {
    const ctx = useDatabase(backend);

    test('[S1] a session run through the live room replays to its exact state at the head, and at every earlier seq to the log folded up to it', async () => {
      const scene = await buildScene(ctx.db);
      const { room } = await openRoom(scene);
      const [athens, lisbon] = scene.heads as [TUser, TUser];
      await room.recordPresence(scene.chair.id, 'joined');
      await room.recordPresence(athens.id, 'joined');
      await room.recordPresence(lisbon.id, 'joined');
      assert.ok((await send(room, scene.chair, 'agenda.add', { title: 'Opening', plannedMinutes: 10 })).ok);
      assert.ok((await send(room, scene.chair, 'session.set_status', { status: 'live' })).ok);
      assert.ok((await send(room, scene.chair, 'agenda.next', {})).ok);
      const request = await send(room, lisbon, 'floor.request', { kind: 'regular' });
      assert.ok(request.ok);
      assert.ok((await send(room, athens, 'chat.post_plenary', { text: 'Good morning, colleagues' })).ok);
      assert.ok((await send(room, athens, 'chat.post_delegation', { text: 'Athens only: hold firm on §3' })).ok);
      assert.ok((await send(room, scene.chair, 'floor.grant', { requestId: request.result?.requestId ?? '' })).ok);
      assert.ok((await send(room, lisbon, 'chat.post_plenary', { text: 'Thank you, Chair' })).ok);
      await room.recordPresence(athens.id, 'left');

      const stored = await listSessionEvents(ctx.db, scene.sessionId);
      const head = stored.length;
      const replayed = await replayStateAt(ctx.db, scene.sessionId, head);
      assert.deepEqual(replayed.room, room.state, 'replay at the head is the live room, chat texts included');
      assert.equal(replayed.room.chat.messages.length, 3);
      for (let seq = 1; seq < head; seq += 1) {
        const expected = foldReplay(emptyReplayState(scene.sessionId), stored.filter((event) => event.seq <= seq).map(toRoomEvent));
        assert.deepEqual(await replayStateAt(ctx.db, scene.sessionId, seq), expected, `seq ${seq}`);
      }
      assert.deepEqual(await verifySessionLog(ctx.db, scene.sessionId), { ok: true, sessionId: scene.sessionId, count: head, head: stored.at(-1)?.hash });
    });
  });

  describe(`${backend.name}: the record — verifySessionLog finds tampering`, () => {
    const ctx = useDatabase(backend);
    let triggersDropped = false;

    /** A fresh imported session of 12 events (document updates at seqs 4..10), with the append-only triggers lifted. */
    async function importedSession(): Promise<{ sessionId: string; documentId: string }> {
      if (!triggersDropped) {
        await dropAppendOnlyTriggers(ctx.db, backend);
        triggersDropped = true;
      }
      const { sessionId, documentId } = await importEditingTrace(ctx.db, SMALL_TRACE);
      assert.equal((await verifySessionLog(ctx.db, sessionId)).ok, true);
      return { sessionId, documentId };
    }

    const cases: { name: string; tamper: (db: Database, sessionId: string, documentId: string) => Promise<unknown>; badSeq: number; reason: string }[] = [
      {
        name: 'a changed row',
        tamper: (db, sessionId) => db.run(`UPDATE session_events SET at = at + 1 WHERE session_id = ? AND seq = 6`, [sessionId]),
        badSeq: 6,
        reason: 'chain',
      },
      {
        name: 'a changed row given a fresh hash of its own',
        tamper: async (db, sessionId) => {
          const [event] = await listSessionEvents(db, sessionId, 4, 5);
          const at = event!.at + 60_000;
          await db.run('UPDATE session_events SET at = ?, hash = ? WHERE session_id = ? AND seq = 5', [at, hashEvent(event!.prevHash, { ...event!, at }), sessionId]);
        },
        badSeq: 6,
        reason: 'chain',
      },
      { name: 'a removed middle row', tamper: (db, sessionId) => db.run('DELETE FROM session_events WHERE session_id = ? AND seq = 7', [sessionId]), badSeq: 7, reason: 'chain' },
      {
        name: "two rows' seqs swapped",
        tamper: async (db, sessionId) => {
          await db.run('UPDATE session_events SET seq = -1 WHERE session_id = ? AND seq = 8', [sessionId]);
          await db.run('UPDATE session_events SET seq = 8 WHERE session_id = ? AND seq = 9', [sessionId]);
          await db.run('UPDATE session_events SET seq = 9 WHERE session_id = ? AND seq = -1', [sessionId]);
        },
        badSeq: 8,
        reason: 'chain',
      },
      { name: 'a removed last row', tamper: (db, sessionId) => db.run('DELETE FROM session_events WHERE session_id = ? AND seq = 12', [sessionId]), badSeq: 12, reason: 'truncated' },
      {
        name: 'the last three rows removed',
        tamper: (db, sessionId) => db.run('DELETE FROM session_events WHERE session_id = ? AND seq >= 10', [sessionId]),
        badSeq: 10,
        reason: 'truncated',
      },
      {
        name: 'a changed document update',
        // Document seq 3 is the second transaction, recorded at seq 6.
        tamper: (db, _sessionId, documentId) => db.run('UPDATE document_updates SET update_bytes = ? WHERE document_id = ? AND seq = 3', [new Uint8Array([0, 0]), documentId]),
        badSeq: 6,
        reason: 'document_update',
      },
      {
        name: 'a removed document update',
        tamper: (db, _sessionId, documentId) => db.run('DELETE FROM document_updates WHERE document_id = ? AND seq = 5', [documentId]),
        badSeq: 8,
        reason: 'document_update',
      },
    ];

    for (const { name, tamper, badSeq, reason } of cases) {
      test(`[R1][R5] ${name}: not verified, first bad seq ${badSeq} (${reason})`, async () => {
        const { sessionId, documentId } = await importedSession();
        await tamper(ctx.db, sessionId, documentId);
        assert.deepEqual(await verifySessionLog(ctx.db, sessionId), { ok: false, sessionId, badSeq, reason });
      });
    }

    test('[R5] a changed chat text kept beside the log: not verified at its seq (chat_text); an erased one still verifies', async () => {
      const scene = await buildScene(ctx.db);
      const { room } = await openRoom(scene);
      const head = scene.heads[0] as TUser;
      await room.recordPresence(head.id, 'joined');
      assert.ok((await send(room, scene.chair, 'session.set_status', { status: 'live' })).ok);
      const first = await send(room, head, 'chat.post_plenary', { text: 'First point' });
      const second = await send(room, head, 'chat.post_plenary', { text: 'Second point' });
      assert.ok(first.ok && second.ok);
      assert.equal((await verifySessionLog(ctx.db, scene.sessionId)).ok, true);
      // The chair's deletion erases a text on purpose: its hash stays in the log, the record still holds.
      const messageId = room.state.chat.messages.find((message) => message.seq === first.seq)?.messageId ?? '';
      assert.ok((await send(room, scene.chair, 'chat.delete', { messageId })).ok);
      assert.equal((await verifySessionLog(ctx.db, scene.sessionId)).ok, true);
      if (!triggersDropped) {
        await dropAppendOnlyTriggers(ctx.db, backend);
        triggersDropped = true;
      }
      await ctx.db.run('UPDATE session_event_contents SET content = ? WHERE session_id = ? AND seq = ?', ['Second point, amended', scene.sessionId, second.seq]);
      assert.deepEqual(await verifySessionLog(ctx.db, scene.sessionId), { ok: false, sessionId: scene.sessionId, badSeq: second.seq, reason: 'chat_text' });
    });

    test('[R6] the pages\' check stands for a minute while the head is unchanged, and is made again once the minute has passed', async () => {
      const { sessionId } = await importedSession();
      const session = (await findSessionById(ctx.db, sessionId))!;
      const now = Date.now();
      assert.equal((await verifySessionLogForPage(ctx.db, session, now)).ok, true);
      await ctx.db.run(`UPDATE session_events SET at = at + 1 WHERE session_id = ? AND seq = 6`, [sessionId]);
      assert.equal((await verifySessionLogForPage(ctx.db, session, now + 59_000)).ok, true, 'within the minute, the same head: the earlier check stands');
      assert.deepEqual(await verifySessionLogForPage(ctx.db, session, now + 61_000), { ok: false, sessionId, badSeq: 6, reason: 'chain' });
    });

    test('[R6][S87] within the minute, a head that moved on is checked from the last verified one: the new events only, a bad one found', async () => {
      if (!triggersDropped) {
        await dropAppendOnlyTriggers(ctx.db, backend);
        triggersDropped = true;
      }
      const scene = await buildScene(ctx.db);
      const { room } = await openRoom(scene);
      const head = async () => (await findSessionById(ctx.db, scene.sessionId))!;
      const addItem = async (title: string) => assert.equal((await send(room, scene.chair, 'agenda.add', { title, plannedMinutes: null })).ok, true);
      await addItem('Opening');
      const now = Date.now();
      const first = await verifySessionLogForPage(ctx.db, await head(), now);
      assert.ok(first.ok);
      // An event already verified is altered: the whole walk a minute on finds it, not the extension.
      await ctx.db.run('UPDATE session_events SET at = at + 1 WHERE session_id = ? AND seq = 1', [scene.sessionId]);
      await addItem('Adoption');
      const grown = await head();
      assert.deepEqual(await verifySessionLogForPage(ctx.db, grown, now + 1_000), { ok: true, sessionId: scene.sessionId, count: first.count + 1, head: grown.headHash });
      await addItem('Closing');
      const tampered = await head();
      await ctx.db.run('UPDATE session_events SET at = at + 1 WHERE session_id = ? AND seq = ?', [scene.sessionId, tampered.headSeq]);
      assert.deepEqual(await verifySessionLogForPage(ctx.db, tampered, now + 2_000), { ok: false, sessionId: scene.sessionId, badSeq: Number(tampered.headSeq), reason: 'chain' });
      assert.deepEqual(await verifySessionLogForPage(ctx.db, tampered, now + 61_000), { ok: false, sessionId: scene.sessionId, badSeq: 1, reason: 'chain' });
    });

    test('[R5] an unknown session is not_found', async () => {
      await assert.rejects(verifySessionLog(ctx.db, '00000000-0000-4000-8000-000000000000'), (error: Error & { code?: string }) => error.code === 'not_found');
    });
  });
}
