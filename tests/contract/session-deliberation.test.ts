/**
 * Chat, positions and the delegation workspace on every backend, through the room's pipeline
 * without sockets (docs/PROTOCOL.md S50–S79): texts kept beside the log and erased by a deletion,
 * positions and notes stored for the negotiation and carried into the next session, replay equal
 * to the live room, retries idempotent ([T31]) and refusals that store nothing.
 */
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Database } from '../../lib/db';
import type { TUser } from '../../lib/db/repositories/people';
import { listSessionEvents } from '../../lib/db/repositories/sessions';
import { documentParagraphs } from '../../lib/server/documents/document-paragraphs';
import { changeSessionStatus } from '../../lib/server/negotiations/change-session-status';
import { createDocument } from '../../lib/server/negotiations/create-document';
import { scheduleSession } from '../../lib/server/negotiations/schedule-session';
import { readSessionRecord } from '../../lib/server/sessions/read-session-record';
import { LiveSessionRoom } from '../../server/sessions/live-session-room';
import { testBackends } from '../helpers/databases';
import { buildMembership, buildUser } from '../helpers/factories';
import { accepted } from '../helpers/session-room';
import { assertReplayEqualsLive, buildScene, openRoom, send, type TScene } from './room-scene';
import { tableCounts, useDatabase } from './support';

interface TDeliberationScene extends TScene {
  /** Heads of Athens, Lisbon and Rotterdam. */
  heads: [TUser, TUser, TUser];
  adviser: TUser;
  documentId: string;
  pids: string[];
}

const BASE_TEXT = 'Urban Heat Compact\nRecalling the New Urban Agenda,\n1. Cities shall plant shade trees.\n2. Cities shall open cooling centres.';

/** The room scene, with an adviser of Athens and a document with three paragraphs. */
async function buildDeliberationScene(db: Database): Promise<TDeliberationScene> {
  const scene = await buildScene(db);
  const adviser = await buildUser(db, { name: 'Adviser of Athens' });
  await buildMembership(db, scene.negotiationId, adviser, 'adviser', scene.delegationIds[0]);
  const document = await createDocument(db, scene.secretariat, scene.negotiationId, { title: 'Compact', kind: 'declaration', baseText: BASE_TEXT });
  const pids = (await documentParagraphs(db, scene.secretariat, document.id)).map((paragraph) => paragraph.pid);
  return { ...scene, heads: scene.heads as TDeliberationScene['heads'], adviser, documentId: document.id, pids };
}

async function newSession(scene: TScene, title: string): Promise<string> {
  return (await scheduleSession(scene.db, scene.secretariat, scene.negotiationId, { title, scheduledStart: '2031-05-01T09:00:00Z' })).id;
}

async function roomOf(scene: TScene, sessionId: string): Promise<LiveSessionRoom> {
  return (await openRoom({ ...scene, sessionId })).room;
}

async function rowsOf(db: Database): Promise<Record<string, number>> {
  const count = async (table: string) => Number((await db.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table}`))?.n ?? 0);
  return {
    ...(await tableCounts(db)),
    session_commands: await count('session_commands'),
    session_event_contents: await count('session_event_contents'),
    delegation_positions: await count('delegation_positions'),
    workspace_notes: await count('workspace_notes'),
  };
}

for (const backend of testBackends()) {
  describe(`${backend.name}: chat, positions and the workspace`, () => {
    const ctx = useDatabase(backend);

    test('[S54][S58] a message’s text is kept beside the log under its hash; the chair’s deletion erases it for good, the chain still verifies and the replay equals the live room', async () => {
      const scene = await buildDeliberationScene(ctx.db);
      const sessionId = await newSession(scene, 'Chat');
      const room = await roomOf(scene, sessionId);
      const [athens, lisbon] = scene.heads;
      const { messageId = '' } = await accepted(send(room, athens, 'chat.post_plenary', { text: '  Thanks @lisbon — <b>see OP 2</b>\r\n' }));
      await accepted(send(room, lisbon, 'chat.post_delegation', { text: 'internal: we accept' }));
      const posted = (await listSessionEvents(ctx.db, sessionId)).find((event) => event.type === 'chat.message_posted');
      const text = 'Thanks @lisbon — <b>see OP 2</b>';
      assert.equal(posted?.content, text, 'stored as plain text, trimmed, markup and all');
      assert.deepEqual(posted?.payload, { messageId, channel: { kind: 'plenary' }, textHash: createHash('sha256').update(text).digest('hex'), mentions: [scene.delegationIds[1]] });
      assert.equal(JSON.stringify(posted?.payload).includes('OP 2'), false, 'the log itself holds no text');
      await accepted(send(room, scene.chair, 'chat.delete', { messageId }));
      const stored = await listSessionEvents(ctx.db, sessionId);
      assert.equal(stored.find((event) => event.seq === posted?.seq)?.content, undefined, 'the text is gone from storage');
      const erased = await ctx.db.get<{ content: string | null; erasedBy: string }>('SELECT content, erased_by AS "erasedBy" FROM session_event_contents WHERE session_id = ? AND seq = ?', [sessionId, posted?.seq ?? 0]);
      assert.deepEqual(erased, { content: null, erasedBy: scene.chair.id });
      const message = room.state.chat.messages.find((candidate) => candidate.messageId === messageId);
      assert.deepEqual({ text: message?.text, by: message?.deleted?.by }, { text: null, by: scene.chair.id });
      await assertReplayEqualsLive(ctx.db, room);
      // The record, read even at a moment before the deletion, has no text either.
      const record = await readSessionRecord(ctx.db, scene.chair, sessionId, { until: String(posted?.seq) });
      assert.equal(record.state.chat.messages[0]?.text, null);
      assert.equal(record.events.find((event) => event.type === 'chat.message_posted')?.content, undefined);
    });

    test('[S58][T43] a kept text can only be erased: rewriting or deleting it is refused by the database', async () => {
      const scene = await buildDeliberationScene(ctx.db);
      const sessionId = await newSession(scene, 'Integrity');
      const room = await roomOf(scene, sessionId);
      await accepted(send(room, scene.heads[0], 'chat.post_plenary', { text: 'On the record' }));
      const seq = (await listSessionEvents(ctx.db, sessionId)).at(-1)?.seq ?? 0;
      await assert.rejects(ctx.db.run('UPDATE session_event_contents SET content = ? WHERE session_id = ? AND seq = ?', ['Off the record', sessionId, seq]), /can only be erased/);
      await assert.rejects(ctx.db.run('UPDATE session_event_contents SET content = NULL WHERE session_id = ? AND seq = ?', [sessionId, seq]), /can only be erased/, 'an erasure names who and when');
      await assert.rejects(ctx.db.run('DELETE FROM session_event_contents WHERE session_id = ?', [sessionId]), /cannot be deleted/);
      assert.equal((await listSessionEvents(ctx.db, sessionId)).at(-1)?.content, 'On the record');
    });

    test('[S68] positions, their notes and workspace notes are the negotiation’s: the next session starts from them, each change in the log where it was made', async () => {
      const scene = await buildDeliberationScene(ctx.db);
      const [athens, lisbon] = scene.heads;
      const [pp1, op1] = scene.pids as [string, string];
      const first = await newSession(scene, 'First reading');
      const room = await roomOf(scene, first);
      const paragraph = (pid: string) => ({ kind: 'paragraph', pid }) as const;
      await accepted(send(room, athens, 'position.record', { documentId: scene.documentId, target: paragraph(op1), stance: 'object', note: 'Capital: no binding targets' }));
      await accepted(send(room, lisbon, 'position.record', { documentId: scene.documentId, target: paragraph(op1), stance: 'support', note: '' }));
      await accepted(send(room, scene.adviser, 'workspace.write', { documentId: scene.documentId, pid: pp1, text: 'Suggest “where feasible”' }));
      await accepted(send(room, scene.chair, 'positions.set_visibility', { visibility: 'managers' }));
      await assertReplayEqualsLive(ctx.db, room);
      for (const status of ['live', 'closed'] as const) await changeSessionStatus(ctx.db, scene.chair, scene.negotiationId, { sessionId: first, status });

      const second = await newSession(scene, 'Second reading');
      const next = await roomOf(scene, second);
      // The order may differ (a room brings them in delegation by delegation); the entries may not.
      const same = <T>(a: T[], b: T[], what: string) => assert.deepEqual(a.map((entry) => JSON.stringify(entry)).sort(), b.map((entry) => JSON.stringify(entry)).sort(), what);
      same(next.state.positions.stances, room.state.positions.stances, 'the stances carried over');
      same(next.state.positions.notes, room.state.positions.notes, 'and the position notes');
      same(next.state.workspace.notes, room.state.workspace.notes, 'and the workspace notes');
      assert.equal(next.state.positions.visibility, 'managers', 'and the chair’s setting for the map');
      const types = (await listSessionEvents(ctx.db, second)).map((event) => event.type);
      for (const type of ['positions.visibility_changed', 'positions.synced', 'position_notes.synced', 'workspace.notes_synced']) assert.ok(types.includes(type), type);
      await assertReplayEqualsLive(ctx.db, next);
      // A change in the second session reaches a third room open at the same time once it syncs.
      const third = await roomOf(scene, await newSession(scene, 'Informal'));
      await accepted(send(next, athens, 'position.record', { documentId: scene.documentId, target: paragraph(op1), stance: 'can_accept', note: '' }));
      await third.syncNegotiationRecords();
      assert.deepEqual(third.state.positions.stances.map((entry) => entry.stance).sort(), ['can_accept', 'support']);
      assert.deepEqual(third.state.positions.notes, [], 'Athens cleared its note');
      await assertReplayEqualsLive(ctx.db, third);
      const before = (await listSessionEvents(ctx.db, third.session.id)).length;
      await third.syncNegotiationRecords();
      assert.equal((await listSessionEvents(ctx.db, third.session.id)).length, before, 'a room that is current records nothing');
    });

    test('[S59][S60][S72][S73] a consultation requested and accepted by heads; messages only while open; a workspace shared with the partner and unshared when it closes', async () => {
      const scene = await buildDeliberationScene(ctx.db);
      const [athens, lisbon, rotterdam] = scene.heads;
      const sessionId = await newSession(scene, 'Consultations');
      const room = await roomOf(scene, sessionId);
      const { consultationId = '' } = await accepted(send(room, athens, 'consultation.request', { delegationId: scene.delegationIds[1] }));
      assert.deepEqual(await send(room, lisbon, 'consultation.request', { delegationId: scene.delegationIds[0] }), { ok: false, error: 'consultation_exists' });
      assert.deepEqual(await send(room, athens, 'chat.post_consultation', { consultationId, text: 'hello' }), { ok: false, error: 'no_consultation' }, 'not before it is accepted');
      assert.deepEqual(await send(room, athens, 'consultation.accept', { consultationId }), { ok: false, error: 'forbidden' }, 'the requester cannot accept its own request');
      assert.deepEqual(await send(room, rotterdam, 'consultation.accept', { consultationId }), { ok: false, error: 'not_found' }, 'another delegation’s consultation does not exist for it');
      await accepted(send(room, lisbon, 'consultation.accept', { consultationId }));
      await accepted(send(room, scene.adviser, 'chat.post_consultation', { consultationId, text: 'Athens adviser here' }));
      await accepted(send(room, athens, 'workspace.write', { documentId: scene.documentId, pid: scene.pids[0] ?? '', text: 'before sharing' }));
      assert.deepEqual(await send(room, athens, 'workspace.share', { delegationId: scene.delegationIds[2] }), { ok: false, error: 'no_consultation' });
      await accepted(send(room, athens, 'workspace.share', { delegationId: scene.delegationIds[1] }));
      await accepted(send(room, athens, 'workspace.write', { documentId: scene.documentId, pid: scene.pids[0] ?? '', text: 'while shared' }));
      const shared = (await listSessionEvents(ctx.db, sessionId)).at(-1);
      assert.deepEqual(shared?.payload, { delegationId: scene.delegationIds[0], documentId: scene.documentId, pid: scene.pids[0], text: 'while shared', sharedWith: scene.delegationIds[1] });
      await accepted(send(room, lisbon, 'consultation.close', { consultationId }));
      assert.deepEqual(room.state.workspace.shares, [], 'closing the consultation ends the sharing');
      assert.deepEqual((await listSessionEvents(ctx.db, sessionId)).slice(-2).map((event) => event.type), ['workspace.unshared', 'consultation.closed']);
      assert.deepEqual(await send(room, lisbon, 'chat.post_consultation', { consultationId, text: 'late' }), { ok: false, error: 'no_consultation' });
      await accepted(send(room, lisbon, 'consultation.request', { delegationId: scene.delegationIds[0] }));
      await assertReplayEqualsLive(ctx.db, room);
    });

    test('[S53][S56][S21][T31] refusals store nothing; a retried message is stored once', async () => {
      const scene = await buildDeliberationScene(ctx.db);
      const [athens, lisbon] = scene.heads;
      const sessionId = await newSession(scene, 'Refusals');
      const room = await roomOf(scene, sessionId);
      await accepted(send(room, scene.chair, 'chat.mute', { userId: lisbon.id }));
      const refusals: [TUser, string, unknown, string][] = [
        [lisbon, 'chat.post_plenary', { text: 'let me speak' }, 'muted'],
        [scene.observer, 'chat.post_plenary', { text: 'observing' }, 'observers_read_only'],
        [scene.observer, 'chat.post_delegation', { text: 'no delegation' }, 'forbidden'],
        [scene.adviser, 'chat.post_plenary', { text: 'advisers are heard through their delegation' }, 'forbidden'],
        [athens, 'chat.delete', { messageId: randomUUID() }, 'forbidden'],
        [athens, 'chat.mute', { userId: lisbon.id }, 'forbidden'],
        [athens, 'chat.post_plenary', { text: '   ' }, 'invalid_input'],
        [athens, 'chat.post_plenary', { text: 'x'.repeat(2_001) }, 'invalid_input'],
        [athens, 'chat.post_delegation', { text: 'ours', delegationId: scene.delegationIds[1] }, 'invalid_input'],
        [athens, 'position.record', { documentId: scene.documentId, target: { kind: 'paragraph', pid: randomUUID() }, stance: 'support', note: '' }, 'not_found'],
        [athens, 'position.record', { documentId: scene.documentId, target: { kind: 'paragraph', pid: scene.pids[1] }, stance: 'support', note: '', delegationId: scene.delegationIds[1] }, 'invalid_input'],
        [scene.adviser, 'position.record', { documentId: scene.documentId, target: { kind: 'paragraph', pid: scene.pids[1] }, stance: 'support', note: '' }, 'forbidden'],
        [scene.chair, 'position.record', { documentId: scene.documentId, target: { kind: 'paragraph', pid: scene.pids[1] }, stance: 'support', note: '' }, 'forbidden'],
        [scene.adviser, 'consultation.request', { delegationId: scene.delegationIds[1] }, 'forbidden'],
        [athens, 'consultation.request', { delegationId: scene.delegationIds[0] }, 'invalid_input'],
        [athens, 'consultation.request', { delegationId: randomUUID() }, 'not_found'],
        [athens, 'workspace.unshare', {}, 'invalid_transition'],
        [scene.chair, 'chat.mute', { userId: lisbon.id }, 'invalid_transition'],
      ];
      for (const [user, type, input, error] of refusals) {
        const before = { rows: await rowsOf(ctx.db), state: room.state };
        assert.deepEqual(await send(room, user, type, input), { ok: false, error }, `${type} ${JSON.stringify(input).slice(0, 80)}`);
        assert.deepEqual({ rows: await rowsOf(ctx.db), state: room.state }, before, `nothing stored after ${type}`);
      }
      const first = await send(room, athens, 'chat.post_plenary', { text: 'Once only' }, 'athens-msg-0001');
      assert.ok(first.ok);
      assert.deepEqual(await send(room, athens, 'chat.post_plenary', { text: 'Once only' }, 'athens-msg-0001'), first);
      assert.equal(room.state.chat.messages.filter((message) => message.text === 'Once only').length, 1);
      for (let index = 0; index < 4; index += 1) await accepted(send(room, athens, 'chat.post_plenary', { text: `burst ${index}` }));
      assert.deepEqual(await send(room, athens, 'chat.post_plenary', { text: 'one too many' }), { ok: false, error: 'rate_limited' }, 'five messages in ten seconds');
      await assertReplayEqualsLive(ctx.db, room);
    });
  });
}
