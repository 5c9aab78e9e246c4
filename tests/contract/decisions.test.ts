/**
 * Decisions on every backend (docs/PROTOCOL.md S30–S49): ballots and objections through the room's
 * pipeline, what the database keeps of them (one voter row per delegation, secret choices without
 * voter, nothing secret in the log or the stored commands), the replay equal to the live room, the
 * server's close at a deadline after a restart, and an adopted outcome carried into the text once.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Database } from '../../lib/db';
import { UniqueViolationError } from '../../lib/db/driver';
import { insertDecisionVoter } from '../../lib/db/repositories/decisions';
import { appendDocumentUpdates, claimClientIds, findLiveDocument, listParagraphStatuses } from '../../lib/db/repositories/documents';
import type { TUser } from '../../lib/db/repositories/people';
import { listSessionEvents } from '../../lib/db/repositories/sessions';
import { documentBlocks } from '../../lib/documents/blocks';
import { applyParagraphChange } from '../../lib/documents/paragraph-edit';
import { readStoredDocument } from '../../lib/server/documents/read-document';
import { seedOnce } from '../../lib/server/documents/seed-base-text';
import { createDocument } from '../../lib/server/negotiations/create-document';
import { carryOutDecision } from '../../lib/server/sessions/decision-outcome';
import { closeAtDeadline } from '../../lib/server/sessions/room/decision-commands';
import type { TCommandAck } from '../../lib/session/room/commands';
import { canonicalJson } from '../../lib/shared/canonical-json';
import type { LiveSessionRoom } from '../../server/sessions/live-session-room';
import { testBackends } from '../helpers/databases';
import { buildDelegation, buildMembership, buildUser } from '../helpers/factories';
import { assertReplayEqualsLive, buildScene, openRoom, send, type TScene } from './room-scene';
import { useDatabase } from './support';

const DECISION_TABLES = ['decision_voters', 'secret_ballots', 'decision_outcomes', 'session_events', 'session_commands'] as const;

async function decisionCounts(db: Database): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of DECISION_TABLES) counts[table] = Number((await db.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table}`))?.n ?? 0);
  return counts;
}

function decisionIdOf(ack: TCommandAck): string {
  assert.ok(ack.ok, `accepted: ${JSON.stringify(ack)}`);
  return ack.result?.decisionId ?? '';
}

/** The scene's session live, with the three heads and the chair in the room (a quorum). */
async function liveRoom(scene: TScene): Promise<LiveSessionRoom> {
  const { room } = await openRoom(scene);
  for (const user of [scene.chair, ...scene.heads]) await room.recordPresence(user.id, 'joined');
  assert.ok((await send(room, scene.chair, 'session.set_status', { status: 'live' })).ok);
  return room;
}

const PROCEDURAL = { kind: 'procedural', text: 'Extend the session by one hour' } as const;

for (const backend of testBackends()) {
  describe(`${backend.name}: decisions`, () => {
    const ctx = useDatabase(backend);

    test('[S33][S38] a roll-call by simple majority: choices public, the entitled frozen at the close, replay equal to live', async () => {
      const scene = await buildScene(ctx.db);
      const room = await liveRoom(scene);
      const [athens, lisbon, rotterdam] = scene.heads as [TUser, TUser, TUser];
      const decisionId = decisionIdOf(await send(room, scene.chair, 'decision.put', { subject: PROCEDURAL, method: 'majority', ballot: 'roll_call' }));
      assert.ok((await send(room, athens, 'decision.vote', { decisionId, choice: 'yes' })).ok);
      assert.ok((await send(room, lisbon, 'decision.vote', { decisionId, choice: 'no' })).ok);
      assert.ok((await send(room, rotterdam, 'decision.vote', { decisionId, choice: 'abstain' })).ok);
      const closed = await send(room, scene.chair, 'decision.close', { decisionId });
      assert.ok(closed.ok && closed.result?.outcome === 'not_adopted', 'one yes, one no: a tie is not a majority');
      const question = room.state.decisions.questions[0]!;
      assert.deepEqual(question.result?.tally, { yes: 1, no: 1, abstain: 1 });
      assert.deepEqual(question.result?.entitled, [...scene.delegationIds].sort());
      assert.deepEqual(
        question.choices.map((entry) => entry.choice),
        ['yes', 'no', 'abstain'],
      );
      assert.deepEqual(await send(room, scene.chair, 'decision.close', { decisionId }), { ok: false, error: 'decision_closed' }, 'closing twice');
      await assertReplayEqualsLive(ctx.db, room);
    });

    test('[S39][T38] a secret ballot: the choices only in secret_ballots, without voter; the log and the stored commands say who voted, never how', async () => {
      const scene = await buildScene(ctx.db);
      const room = await liveRoom(scene);
      const [athens, lisbon, rotterdam] = scene.heads as [TUser, TUser, TUser];
      const decisionId = decisionIdOf(await send(room, scene.chair, 'decision.put', { subject: PROCEDURAL, method: 'two_thirds', ballot: 'secret' }));
      assert.ok((await send(room, athens, 'decision.vote', { decisionId, choice: 'yes' })).ok);
      assert.ok((await send(room, lisbon, 'decision.vote', { decisionId, choice: 'yes' })).ok);
      assert.ok((await send(room, rotterdam, 'decision.vote', { decisionId, choice: 'no' })).ok);
      const open = room.state.decisions.questions[0];
      assert.deepEqual(open?.choices, [], 'no choice in the room while it is open');
      assert.equal(open?.result, null);

      const ballots = await ctx.db.all<Record<string, unknown>>('SELECT * FROM secret_ballots WHERE decision_id = ? ORDER BY ballot_id', [decisionId]);
      assert.deepEqual(Object.keys(ballots[0] ?? {}).sort(), ['ballot_id', 'choice', 'decision_id'], 'a ballot row names no voter, delegation or time');
      assert.deepEqual(ballots.map((row) => row.choice).sort(), ['no', 'yes', 'yes']);
      const cast = (await listSessionEvents(ctx.db, scene.sessionId)).filter((event) => event.type === 'decision.ballot_cast');
      assert.equal(cast.length, 3);
      for (const event of cast) assert.equal((event.payload as { choice: unknown }).choice, null, 'the log records "voted", not the choice');
      // The retry hash of a ballot covers the question, not the choice: hashing the three choices
      // would otherwise reveal each ballot stored beside its sender.
      const hashes = await ctx.db.all<{ hash: string }>(`SELECT command_hash AS hash FROM session_commands WHERE session_id = ? AND command_type = 'decision.vote'`, [scene.sessionId]);
      const expected = createHash('sha256').update(canonicalJson({ type: 'decision.vote', input: { decisionId } })).digest('hex');
      assert.deepEqual(
        hashes.map((row) => row.hash),
        [expected, expected, expected],
      );

      const closed = await send(room, scene.chair, 'decision.close', { decisionId });
      assert.ok(closed.ok && closed.result?.outcome === 'adopted', 'two of three is two thirds');
      assert.deepEqual(room.state.decisions.questions[0]?.result?.tally, { yes: 2, no: 1, abstain: 0 }, 'the tally is revealed at the close');
      await assertReplayEqualsLive(ctx.db, room);
    });

    test('[S35][S36][S37][T34][T36][T37] one act per delegation; only heads and designated delegates of member delegations; refusals store nothing', async () => {
      const scene = await buildScene(ctx.db);
      const { delegationId: observerDelegation } = await buildDelegation(ctx.db, scene.negotiationId, { name: 'UN-Habitat', status: 'observer' });
      const observerHead = await buildUser(ctx.db, { name: 'Head of UN-Habitat' });
      await buildMembership(ctx.db, scene.negotiationId, observerHead, 'head', observerDelegation);
      const room = await liveRoom(scene);
      const [athens, lisbon] = scene.heads as [TUser, TUser];
      const decisionId = decisionIdOf(await send(room, scene.chair, 'decision.put', { subject: PROCEDURAL, method: 'majority', ballot: 'secret' }));
      assert.ok((await send(room, athens, 'decision.vote', { decisionId, choice: 'no' })).ok);
      const consensusCheck = { decisionId, reason: 'no' };
      const refusals: [TUser, string, unknown, string][] = [
        [athens, 'decision.vote', { decisionId, choice: 'yes' }, 'already_voted'],
        [scene.delegate, 'decision.vote', { decisionId, choice: 'yes' }, 'not_designated'],
        [observerHead, 'decision.vote', { decisionId, choice: 'yes' }, 'not_entitled'],
        [scene.observer, 'decision.vote', { decisionId, choice: 'yes' }, 'forbidden'],
        [scene.chair, 'decision.vote', { decisionId, choice: 'yes' }, 'forbidden'],
        [lisbon, 'decision.vote', { decisionId, choice: 'yes', delegationId: scene.delegationIds[2] }, 'invalid_input'],
        [lisbon, 'decision.object', consensusCheck, 'wrong_method'],
        [lisbon, 'decision.close', { decisionId }, 'forbidden'],
        [scene.chair, 'decision.put', { subject: PROCEDURAL, method: 'majority', ballot: 'roll_call' }, 'question_open'],
        [scene.delegate, 'decision.designate', { userId: scene.delegate.id }, 'forbidden'],
        [lisbon, 'decision.designate', { userId: scene.delegate.id }, 'not_found'],
      ];
      for (const [user, type, input, error] of refusals) {
        const before = { counts: await decisionCounts(ctx.db), state: room.state };
        assert.deepEqual(await send(room, user, type, input), { ok: false, error }, `${type} ${JSON.stringify(input)}`);
        assert.deepEqual({ counts: await decisionCounts(ctx.db), state: room.state }, before, `${type}: nothing stored, the room unchanged`);
      }
      // The head designates the delegate; the delegation has voted already, so still one ballot.
      assert.ok((await send(room, athens, 'decision.designate', { userId: scene.delegate.id })).ok);
      assert.deepEqual(await send(room, scene.delegate, 'decision.vote', { decisionId, choice: 'yes' }), { ok: false, error: 'already_voted' });
      // The database itself refuses a second row for the delegation.
      await assert.rejects(insertDecisionVoter(ctx.db, { sessionId: scene.sessionId, decisionId, delegationId: scene.delegationIds[0]! }), UniqueViolationError);
      await assertReplayEqualsLive(ctx.db, room);
    });

    test('[S31] no question without a quorum, and none while the session is not live', async () => {
      const scene = await buildScene(ctx.db);
      const { room } = await openRoom(scene);
      const put = { subject: PROCEDURAL, method: 'consensus', silenceSeconds: 60 };
      assert.deepEqual(await send(room, scene.chair, 'decision.put', put), { ok: false, error: 'not_live' });
      assert.ok((await send(room, scene.chair, 'session.set_status', { status: 'live' })).ok);
      await room.recordPresence((scene.heads[0] as TUser).id, 'joined');
      assert.deepEqual(await send(room, scene.chair, 'decision.put', put), { ok: false, error: 'no_quorum' }, 'one of three member delegations present');
      await room.recordPresence((scene.heads[1] as TUser).id, 'joined');
      assert.ok((await send(room, scene.chair, 'decision.put', put)).ok);
    });

    test('[S40] consensus: an objection needs a reason and closes the question; silence until the deadline adopts, closed by the server after a restart', async () => {
      const scene = await buildScene(ctx.db);
      const room = await liveRoom(scene);
      const [athens, lisbon] = scene.heads as [TUser, TUser];
      const broken = decisionIdOf(await send(room, scene.chair, 'decision.put', { subject: PROCEDURAL, method: 'consensus', silenceSeconds: 600 }));
      assert.deepEqual(await send(room, athens, 'decision.object', { decisionId: broken, reason: '   ' }), { ok: false, error: 'reason_required' });
      assert.deepEqual(await send(room, athens, 'decision.vote', { decisionId: broken, choice: 'no' }), { ok: false, error: 'wrong_method' });
      assert.deepEqual(await send(room, scene.chair, 'decision.close', { decisionId: broken }), { ok: false, error: 'deadline_not_reached' });
      assert.ok((await send(room, athens, 'decision.object', { decisionId: broken, reason: 'Our council has not seen it.' })).ok);
      const question = room.state.decisions.questions[0]!;
      assert.equal(question.result?.outcome, 'not_adopted');
      assert.equal(question.result?.closedBy, 'objection');
      assert.equal(question.objection?.reason, 'Our council has not seen it.');
      assert.deepEqual(await send(room, lisbon, 'decision.object', { decisionId: broken, reason: 'Too late?' }), { ok: false, error: 'decision_closed' });

      const silent = decisionIdOf(await send(room, scene.chair, 'decision.put', { subject: PROCEDURAL, method: 'consensus', silenceSeconds: 1 }));
      assert.equal(await room.decideAsServer((context) => closeAtDeadline(context, silent)), false, 'not before the deadline');
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      assert.deepEqual(await send(room, lisbon, 'decision.object', { decisionId: silent, reason: 'After the deadline' }), { ok: false, error: 'decision_closed' }, 'an objection after the deadline is outside the window');
      // The server restarts: a new room from the log closes it.
      const { room: restarted } = await openRoom(scene);
      assert.equal(await restarted.decideAsServer((context) => closeAtDeadline(context, silent)), true);
      assert.equal(await restarted.decideAsServer((context) => closeAtDeadline(context, silent)), false, 'closing again does nothing');
      const closed = restarted.state.decisions.questions[1]!;
      assert.equal(closed.result?.outcome, 'adopted');
      assert.equal(closed.result?.closedBy, 'deadline');
      assert.equal(closed.application, null, 'a procedural question changes no text');
      await assertReplayEqualsLive(ctx.db, restarted);
    });

    test('[S32][S41] an adopted paragraph is marked agreed exactly once, also when two attempts race; a missing paragraph is recorded, not retried', async () => {
      const scene = await buildScene(ctx.db);
      const document = await createDocument(ctx.db, scene.secretariat, scene.negotiationId, { title: 'Compact', kind: 'declaration', baseText: 'Urban Heat Compact\n1. Plant trees on every street.\n2. Open cooling centres.' });
      // The base text as the live server seeds it on first opening.
      await seedOnce(ctx.db, document.id, 'Urban Heat Compact\n1. Plant trees on every street.\n2. Open cooling centres.');
      const doc = await readStoredDocument(ctx.db, document.id);
      const pid = documentBlocks(doc)[1]?.pid ?? '';
      doc.destroy();

      const room = await liveRoom(scene);
      const decisionId = decisionIdOf(await send(room, scene.chair, 'decision.put', { subject: { kind: 'paragraph', documentId: document.id, pid }, method: 'majority', ballot: 'roll_call' }));
      assert.equal(room.state.decisions.questions[0]?.subject.kind === 'paragraph' && room.state.decisions.questions[0].subject.excerpt, 'Plant trees on every street.');
      for (const head of scene.heads) assert.ok((await send(room, head, 'decision.vote', { decisionId, choice: 'yes' })).ok);
      assert.ok((await send(room, scene.chair, 'decision.close', { decisionId })).ok);
      const question = room.state.decisions.questions[0]!;
      assert.deepEqual(question.application, { status: 'pending' });

      const attempts = await Promise.allSettled([carryOutDecision(ctx.db, room.session, question), carryOutDecision(ctx.db, room.session, question)]);
      assert.ok(attempts.some((attempt) => attempt.status === 'fulfilled'));
      await carryOutDecision(ctx.db, room.session, question);
      await room.catchUp();
      assert.deepEqual(room.state.decisions.questions[0]?.application, { status: 'applied', documentSeq: null });
      assert.equal((await listParagraphStatuses(ctx.db, document.id))[pid], 'agreed');
      const events = await listSessionEvents(ctx.db, scene.sessionId);
      assert.equal(events.filter((event) => event.type === 'decision.outcome_applied').length, 1);
      assert.equal(events.filter((event) => event.type === 'paragraph.status_changed').length, 1);
      assert.equal((await decisionCounts(ctx.db)).decision_outcomes, 1);

      const gone = decisionIdOf(
        await send(room, scene.chair, 'decision.put', { subject: { kind: 'paragraph', documentId: document.id, pid }, method: 'consensus', silenceSeconds: 1 }),
      );
      // Meanwhile someone deletes the paragraph from the text.
      const editor = await readStoredDocument(ctx.db, document.id);
      const deletion: Uint8Array[] = [];
      editor.on('update', (bytes: Uint8Array) => deletion.push(bytes));
      assert.ok(applyParagraphChange(editor, { kind: 'delete', pid }));
      await claimClientIds(ctx.db, document.id, scene.chair.id, [editor.clientID], Date.now());
      await appendDocumentUpdates(ctx.db, document.id, deletion.map((bytes) => ({ at: Date.now(), userId: scene.chair.id, delegationId: null, sessionId: null, bytes })));
      editor.destroy();
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      assert.ok(await room.decideAsServer((context) => closeAtDeadline(context, gone)));
      await carryOutDecision(ctx.db, room.session, room.state.decisions.questions[1]!);
      await room.catchUp();
      assert.deepEqual(room.state.decisions.questions[1]?.application, { status: 'failed', reason: 'paragraph_missing' });
      await assertReplayEqualsLive(ctx.db, room);
    });

    test('[S32][S41] adopting the whole document by decision goes through the adoption path: the text hashed and frozen', async () => {
      const scene = await buildScene(ctx.db);
      const document = await createDocument(ctx.db, scene.secretariat, scene.negotiationId, { title: 'Resolution', kind: 'declaration', baseText: 'Resolution\n1. Meet again.' });
      const room = await liveRoom(scene);
      const decisionId = decisionIdOf(await send(room, scene.chair, 'decision.put', { subject: { kind: 'document', documentId: document.id }, method: 'two_thirds', ballot: 'roll_call' }));
      for (const head of scene.heads) assert.ok((await send(room, head, 'decision.vote', { decisionId, choice: 'yes' })).ok);
      assert.ok((await send(room, scene.chair, 'decision.close', { decisionId })).ok);
      await carryOutDecision(ctx.db, room.session, room.state.decisions.questions[0]!);
      await room.catchUp();
      assert.deepEqual(room.state.decisions.questions[0]?.application, { status: 'applied', documentSeq: null });
      assert.equal((await findLiveDocument(ctx.db, document.id))?.draftingMode, 'adopted');
      const types = (await listSessionEvents(ctx.db, scene.sessionId)).map((event) => event.type);
      assert.ok(types.includes('document.adopted'));
      assert.deepEqual(await send(room, scene.chair, 'decision.put', { subject: { kind: 'document', documentId: document.id }, method: 'majority', ballot: 'roll_call' }), { ok: false, error: 'subject_unavailable' });
    });

    test('[S42] the chair withdraws a question: closed without a result, a secret tally never revealed', async () => {
      const scene = await buildScene(ctx.db);
      const room = await liveRoom(scene);
      const decisionId = decisionIdOf(await send(room, scene.chair, 'decision.put', { subject: PROCEDURAL, method: 'majority', ballot: 'secret' }));
      assert.ok((await send(room, scene.heads[0] as TUser, 'decision.vote', { decisionId, choice: 'yes' })).ok);
      assert.deepEqual(await send(room, scene.heads[1] as TUser, 'decision.withdraw', { decisionId }), { ok: false, error: 'forbidden' });
      assert.ok((await send(room, scene.chair, 'decision.withdraw', { decisionId })).ok);
      const result = room.state.decisions.questions[0]?.result;
      assert.equal(result?.outcome, 'withdrawn');
      assert.equal(result?.tally, null);
      assert.deepEqual(await send(room, scene.heads[1] as TUser, 'decision.vote', { decisionId, choice: 'no' }), { ok: false, error: 'decision_closed' });
      assert.ok((await send(room, scene.chair, 'decision.put', { subject: PROCEDURAL, method: 'majority', ballot: 'roll_call' })).ok, 'the room may take the next question');
    });

    test('[T43] decision rows are append-only', async () => {
      const scene = await buildScene(ctx.db);
      const room = await liveRoom(scene);
      const decisionId = decisionIdOf(await send(room, scene.chair, 'decision.put', { subject: PROCEDURAL, method: 'majority', ballot: 'secret' }));
      assert.ok((await send(room, scene.heads[0] as TUser, 'decision.vote', { decisionId, choice: 'yes' })).ok);
      for (const table of ['secret_ballots', 'decision_voters']) {
        await assert.rejects(ctx.db.run(`UPDATE ${table} SET decision_id = decision_id WHERE decision_id = ?`, [decisionId]), /append-only/);
        await assert.rejects(ctx.db.run(`DELETE FROM ${table} WHERE decision_id = ?`, [decisionId]), /append-only/);
      }
    });
  });
}
