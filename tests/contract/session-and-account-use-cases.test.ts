/**
 * Scheduling and running sessions, and ending an account's sessions, on every backend: each
 * lifecycle move is logged with its author, invalid moves change nothing, and old sign-ins stop
 * working ([T15]).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Database } from '../../lib/db';
import type { TNegotiation } from '../../lib/db/repositories/negotiations';
import { findUserById, type TUser } from '../../lib/db/repositories/people';
import { findSessionById, listSessionEvents } from '../../lib/db/repositories/sessions';
import { disableAccount, signOutEverywhere } from '../../lib/server/accounts/sign-out-everywhere';
import { endSignInOfClaims, SESSION_MAX_AGE_MS, signInForClaims } from '../../lib/server/auth/session-claims';
import { changeSessionStatus } from '../../lib/server/negotiations/change-session-status';
import { createNegotiation } from '../../lib/server/negotiations/create-negotiation';
import { PAST_START_GRACE_MS, scheduleSession } from '../../lib/server/negotiations/schedule-session';
import { verifyChain } from '../../lib/session/event-hash';
import type { TSessionStatus } from '../../lib/shared/domain';
import { testBackends } from '../helpers/databases';
import { buildDelegation, buildMembership, buildUser } from '../helpers/factories';
import { countRows, refusedWithNothingStored, useDatabase } from './support';

const START = '2031-09-15T13:00:00+02:00';

/** How many times a sign-in is recorded as ended. */
async function endedRows(db: Database, signInId: string): Promise<number> {
  return Number((await db.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM ended_sign_ins WHERE sign_in_id = ?', [signInId]))?.n ?? 0);
}

/** A negotiation with its secretariat, a chair and a delegate. */
async function buildTeam(db: Database): Promise<{ negotiation: TNegotiation; secretariat: TUser; chair: TUser; delegate: TUser; delegationId: string }> {
  const secretariat = await buildUser(db, { accountRole: 'organizer' });
  const negotiation = await createNegotiation(db, secretariat, { title: 'Heat Action Compact', format: 'multilateral', host: 'Athens', languages: ['en'], description: '' });
  const chair = await buildUser(db);
  await buildMembership(db, negotiation.id, chair, 'chair');
  const delegate = await buildUser(db);
  const { delegationId } = await buildDelegation(db, negotiation.id);
  await buildMembership(db, negotiation.id, delegate, 'delegate', delegationId);
  return { negotiation, secretariat, chair, delegate, delegationId };
}

for (const backend of testBackends()) {
  describe(`${backend.name}: scheduleSession`, () => {
    const ctx = useDatabase(backend);

    test('a new session opens its log with seq 1 session.scheduled, by the secretariat', async () => {
      const { negotiation, secretariat } = await buildTeam(ctx.db);
      const session = await scheduleSession(ctx.db, secretariat, negotiation.id, { title: 'Opening plenary', scheduledStart: START });
      const stored = await findSessionById(ctx.db, session.id);
      assert.deepEqual(stored, session);
      assert.equal(stored?.status, 'scheduled');
      assert.equal(stored?.scheduledStart, Date.parse(START));
      assert.equal(stored?.negotiationId, negotiation.id);
      const events = await listSessionEvents(ctx.db, session.id);
      assert.deepEqual(
        events.map(({ seq, type, userId, role, delegationId, payload }) => ({ seq, type, userId, role, delegationId, payload })),
        [{ seq: 1, type: 'session.scheduled', userId: secretariat.id, role: 'secretariat', delegationId: null, payload: { title: 'Opening plenary', scheduledStart: Date.parse(START) } }],
      );
      assert.deepEqual(verifyChain(events), { ok: true, count: 1, head: stored?.headHash });
      assert.equal(stored?.headSeq, 1);
    });

    test('a chair may schedule too, and is recorded as chair', async () => {
      const { negotiation, chair } = await buildTeam(ctx.db);
      const session = await scheduleSession(ctx.db, chair, negotiation.id, { title: 'Drafting group', scheduledStart: START });
      const [event] = await listSessionEvents(ctx.db, session.id);
      assert.deepEqual({ userId: event?.userId, role: event?.role }, { userId: chair.id, role: 'chair' });
    });

    test('[T11] a delegate may not schedule (forbidden); an outsider gets not_found; nothing stored', async () => {
      const { negotiation, delegate } = await buildTeam(ctx.db);
      const outsider = await buildUser(ctx.db, { accountRole: 'organizer' });
      await refusedWithNothingStored(ctx.db, () => scheduleSession(ctx.db, delegate, negotiation.id, { title: 'Rogue', scheduledStart: START }), 'forbidden');
      await refusedWithNothingStored(ctx.db, () => scheduleSession(ctx.db, outsider, negotiation.id, { title: 'Rogue', scheduledStart: START }), 'not_found');
    });

    test('[S88] a start that has passed is refused (in_the_past) and nothing stored; one within the last minutes is still now', async () => {
      const { negotiation, secretariat } = await buildTeam(ctx.db);
      const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
      for (const scheduledStart of [ago(PAST_START_GRACE_MS + 60_000), ago(86_400_000), '2001-01-01T10:00:00Z']) {
        await refusedWithNothingStored(ctx.db, () => scheduleSession(ctx.db, secretariat, negotiation.id, { title: 'Yesterday', scheduledStart }), 'invalid_input', { scheduledStart: 'in_the_past' });
      }
      assert.equal((await scheduleSession(ctx.db, secretariat, negotiation.id, { title: 'Right now', scheduledStart: ago(60_000) })).status, 'scheduled');
    });

    test('[T28][T29] bad dates, bidi titles and extra keys are invalid_input; an HTML title is stored verbatim', async () => {
      const { negotiation, secretariat } = await buildTeam(ctx.db);
      const inputs: [unknown, Record<string, string>][] = [
        [{ title: 'Plenary', scheduledStart: 'tomorrow' }, { scheduledStart: 'invalid_date' }],
        [{ title: 'Plenary', scheduledStart: '1999-12-31T10:00:00Z' }, { scheduledStart: 'invalid_date' }],
        [{ title: 'Plenary', scheduledStart: '2100-01-02T10:00:00Z' }, { scheduledStart: 'invalid_date' }],
        [{ title: 'Plenary', scheduledStart: Date.parse(START) }, {}],
        [{ title: 'Plenary\u202E', scheduledStart: START }, { title: 'invalid_characters' }],
        [{ title: 'P'.repeat(10_000), scheduledStart: START }, { title: 'too_long' }],
        [{ title: 'Plenary', scheduledStart: START, status: 'live' }, { form: 'unexpected_field' }],
        [{ title: 'Plenary', scheduledStart: START, id: randomUUID() }, { form: 'unexpected_field' }],
      ];
      for (const [input, fields] of inputs) {
        await refusedWithNothingStored(ctx.db, () => scheduleSession(ctx.db, secretariat, negotiation.id, input), 'invalid_input', fields);
      }
      const title = '<img src=x onerror=alert(1)>';
      const session = await scheduleSession(ctx.db, secretariat, negotiation.id, { title, scheduledStart: START });
      const row = await ctx.db.get<{ title: string }>('SELECT title FROM negotiation_sessions WHERE id = ?', [session.id]);
      assert.equal(row?.title, title);
      assert.deepEqual((await listSessionEvents(ctx.db, session.id))[0]?.payload, { title, scheduledStart: Date.parse(START) });
    });
  });

  describe(`${backend.name}: changeSessionStatus`, () => {
    const ctx = useDatabase(backend);

    test('scheduled → live → suspended → live → closed: each move is stored and logged with its author and role', async () => {
      const { negotiation, secretariat, chair, delegationId } = await buildTeam(ctx.db);
      const session = await scheduleSession(ctx.db, secretariat, negotiation.id, { title: 'Plenary', scheduledStart: START });
      const moves: [TUser, 'secretariat' | 'chair', TSessionStatus, TSessionStatus][] = [
        [chair, 'chair', 'scheduled', 'live'],
        [secretariat, 'secretariat', 'live', 'suspended'],
        [chair, 'chair', 'suspended', 'live'],
        [secretariat, 'secretariat', 'live', 'closed'],
      ];
      for (const [author, , , to] of moves) {
        const moved = await changeSessionStatus(ctx.db, author, negotiation.id, { sessionId: session.id, status: to });
        assert.equal(moved.status, to);
        assert.equal((await findSessionById(ctx.db, session.id))?.status, to);
      }
      const events = await listSessionEvents(ctx.db, session.id, 1);
      // Going live the first time records the quorum roster just before the change (S2, S17).
      const [roster, ...changes] = events;
      assert.deepEqual(
        { seq: roster?.seq, type: roster?.type, userId: roster?.userId, payload: roster?.payload },
        { seq: 2, type: 'quorum.roster_recorded', userId: chair.id, payload: { rule: 'majority', delegations: [{ delegationId, status: 'member' }] } },
      );
      assert.deepEqual(
        changes.map(({ seq, type, userId, role, payload }) => ({ seq, type, userId, role, payload })),
        moves.map(([author, role, from, to], index) => ({ seq: index + 3, type: 'session.status_changed', userId: author.id, role, payload: { from, to } })),
      );
      const check = verifyChain(await listSessionEvents(ctx.db, session.id));
      assert.equal(check.ok && check.count, 6);
      assert.equal((await findSessionById(ctx.db, session.id))?.headSeq, 6);
    });

    test('invalid transitions (closed → live, scheduled → suspended, live → live…) are invalid_transition and change nothing', async () => {
      const { negotiation, secretariat } = await buildTeam(ctx.db);
      const schedule = () => scheduleSession(ctx.db, secretariat, negotiation.id, { title: 'Plenary', scheduledStart: START });
      const move = (sessionId: string, status: TSessionStatus) => changeSessionStatus(ctx.db, secretariat, negotiation.id, { sessionId, status });

      const scheduled = await schedule();
      const live = await schedule();
      await move(live.id, 'live');
      const closed = await schedule();
      await move(closed.id, 'live');
      await move(closed.id, 'closed');

      const refused: [string, TSessionStatus, TSessionStatus][] = [
        [closed.id, 'closed', 'live'],
        [closed.id, 'closed', 'suspended'],
        [closed.id, 'closed', 'scheduled'],
        [closed.id, 'closed', 'closed'],
        [scheduled.id, 'scheduled', 'suspended'],
        [scheduled.id, 'scheduled', 'scheduled'],
        [live.id, 'live', 'live'],
        [live.id, 'live', 'scheduled'],
      ];
      for (const [sessionId, current, target] of refused) {
        await refusedWithNothingStored(ctx.db, () => move(sessionId, target), 'invalid_transition');
        assert.equal((await findSessionById(ctx.db, sessionId))?.status, current, `${current} → ${target} left the status alone`);
      }
    });

    test('[S85] a scheduled session is cancelled, with the reason in its log; nothing leaves cancelled, and a session that met cannot be cancelled', async () => {
      const { negotiation, secretariat, chair } = await buildTeam(ctx.db);
      const move = (sessionId: string, status: TSessionStatus, reason?: string) => changeSessionStatus(ctx.db, chair, negotiation.id, { sessionId, status, reason });
      const session = await scheduleSession(ctx.db, secretariat, negotiation.id, { title: 'Plenary', scheduledStart: START });
      const plain = await scheduleSession(ctx.db, secretariat, negotiation.id, { title: 'Working group', scheduledStart: START });

      assert.equal((await move(session.id, 'cancelled', '  The venue is unavailable.  ')).status, 'cancelled');
      assert.equal((await findSessionById(ctx.db, session.id))?.status, 'cancelled');
      await move(plain.id, 'cancelled', '   ');
      const last = async (sessionId: string) => (await listSessionEvents(ctx.db, sessionId)).at(-1);
      assert.deepEqual(
        { type: (await last(session.id))?.type, userId: (await last(session.id))?.userId, role: (await last(session.id))?.role, payload: (await last(session.id))?.payload },
        { type: 'session.status_changed', userId: chair.id, role: 'chair', payload: { from: 'scheduled', to: 'cancelled', reason: 'The venue is unavailable.' } },
      );
      // A blank reason is no reason; no roster either, since the session never met.
      assert.deepEqual((await listSessionEvents(ctx.db, plain.id)).map(({ type, payload }) => ({ type, payload })), [
        { type: 'session.scheduled', payload: { title: 'Working group', scheduledStart: Date.parse(START) } },
        { type: 'session.status_changed', payload: { from: 'scheduled', to: 'cancelled' } },
      ]);
      assert.equal(verifyChain(await listSessionEvents(ctx.db, session.id)).ok, true);

      for (const target of ['live', 'scheduled', 'suspended', 'closed', 'cancelled'] as const) {
        await refusedWithNothingStored(ctx.db, () => move(session.id, target), 'invalid_transition');
        assert.equal((await findSessionById(ctx.db, session.id))?.status, 'cancelled', `cancelled → ${target} left the status alone`);
      }
      const met = await scheduleSession(ctx.db, secretariat, negotiation.id, { title: 'Met', scheduledStart: START });
      await move(met.id, 'live');
      await refusedWithNothingStored(ctx.db, () => move(met.id, 'cancelled'), 'invalid_transition');
      await move(met.id, 'closed');
      await refusedWithNothingStored(ctx.db, () => move(met.id, 'cancelled'), 'invalid_transition');
      assert.equal((await findSessionById(ctx.db, met.id))?.status, 'closed');
    });

    test('[T11] a delegate may not run a session (forbidden); a session of another negotiation or an unknown one is not_found', async () => {
      const { negotiation, secretariat, delegate } = await buildTeam(ctx.db);
      const other = await buildTeam(ctx.db);
      const session = await scheduleSession(ctx.db, secretariat, negotiation.id, { title: 'Plenary', scheduledStart: START });
      const foreign = await scheduleSession(ctx.db, other.secretariat, other.negotiation.id, { title: 'Theirs', scheduledStart: START });
      await refusedWithNothingStored(ctx.db, () => changeSessionStatus(ctx.db, delegate, negotiation.id, { sessionId: session.id, status: 'live' }), 'forbidden');
      await refusedWithNothingStored(ctx.db, () => changeSessionStatus(ctx.db, secretariat, negotiation.id, { sessionId: foreign.id, status: 'live' }), 'not_found');
      await refusedWithNothingStored(ctx.db, () => changeSessionStatus(ctx.db, secretariat, negotiation.id, { sessionId: randomUUID(), status: 'live' }), 'not_found');
      assert.equal((await findSessionById(ctx.db, foreign.id))?.status, 'scheduled');
      assert.equal((await findSessionById(ctx.db, session.id))?.status, 'scheduled');
    });

    test('[T29] an unknown status, a malformed session id or an extra key are invalid_input', async () => {
      const { negotiation, secretariat } = await buildTeam(ctx.db);
      const session = await scheduleSession(ctx.db, secretariat, negotiation.id, { title: 'Plenary', scheduledStart: START });
      const inputs: [unknown, Record<string, string>][] = [
        [{ sessionId: session.id, status: 'adjourned' }, {}],
        [{ sessionId: '../x', status: 'live' }, { sessionId: 'invalid_id' }],
        [{ sessionId: session.id, status: 'live', from: 'closed' }, { form: 'unexpected_field' }],
        [{ sessionId: session.id, status: 'live', role: 'chair' }, { form: 'unexpected_field' }],
      ];
      for (const [input, fields] of inputs) {
        await refusedWithNothingStored(ctx.db, () => changeSessionStatus(ctx.db, secretariat, negotiation.id, input), 'invalid_input', fields);
      }
      assert.equal(await countRows(ctx.db, 'session_events', 'session_id = ?', [session.id]), 1);
    });
  });

  describe(`${backend.name}: ending an account's sessions`, () => {
    const ctx = useDatabase(backend);

    test('[T15] signOutEverywhere sets sessions_valid_after: older sign-ins are refused, newer ones accepted', async () => {
      const user = await buildUser(ctx.db);
      const bystander = await buildUser(ctx.db);
      const earlier = { uid: user.id, authAt: Date.now() - 1_000, sid: randomUUID() };
      assert.equal((await signInForClaims(ctx.db, earlier))?.user.id, user.id, 'the claim was good before');

      const before = Date.now();
      await signOutEverywhere(ctx.db, user.id);
      const after = await findUserById(ctx.db, user.id);
      assert.ok(after && after.sessionsValidAfter >= before && after.sessionsValidAfter <= Date.now());
      assert.equal(after.disabledAt, null, 'signing out does not disable');

      assert.equal(await signInForClaims(ctx.db, earlier), null);
      assert.equal(await signInForClaims(ctx.db, { ...earlier, authAt: after.sessionsValidAfter }), null, 'the cut-off itself is refused');
      assert.equal((await signInForClaims(ctx.db, { ...earlier, authAt: after.sessionsValidAfter + 1 }))?.user.id, user.id);
      assert.equal((await findUserById(ctx.db, bystander.id))?.sessionsValidAfter, 0, 'other accounts are untouched');
      assert.equal((await signInForClaims(ctx.db, { uid: bystander.id, authAt: earlier.authAt, sid: randomUUID() }))?.user.id, bystander.id);
    });

    test('[T15] disableAccount sets disabled_at and sessions_valid_after: no claim is accepted afterwards, however new', async () => {
      const user = await buildUser(ctx.db);
      const before = Date.now();
      await disableAccount(ctx.db, user.id);
      const after = await findUserById(ctx.db, user.id);
      assert.ok(after?.disabledAt && after.disabledAt >= before && after.disabledAt <= Date.now());
      assert.equal(after.sessionsValidAfter, after.disabledAt);
      assert.equal(await signInForClaims(ctx.db, { uid: user.id, authAt: before - 1, sid: randomUUID() }), null);
      assert.equal(await signInForClaims(ctx.db, { uid: user.id, authAt: Date.now() + 60_000, sid: randomUUID() }), null);
    });

    test('[T7][H12] claims without our uid, authAt and sid, with wrong types, or for an unknown account are refused', async () => {
      const user = await buildUser(ctx.db);
      const now = Date.now();
      const sid = randomUUID();
      const claims = [null, undefined, {}, { uid: user.id, sid }, { authAt: now, sid }, { uid: user.id, authAt: now }, { uid: 42, authAt: now, sid }, { uid: user.id, authAt: String(now), sid }, { uid: [user.id], authAt: now, sid }, { uid: user.id, authAt: now, sid: 42 }, { uid: randomUUID(), authAt: now, sid }];
      for (const claim of claims) assert.equal(await signInForClaims(ctx.db, claim), null, JSON.stringify(claim));
      assert.deepEqual(await signInForClaims(ctx.db, { uid: user.id, authAt: now, sid }), { user: await findUserById(ctx.db, user.id), signInId: sid });
    });

    test('[H12] ending one sign-in refuses every copy of its token and no other sign-in of the account', async () => {
      const user = await buildUser(ctx.db);
      const signedOut = { uid: user.id, authAt: Date.now(), sid: randomUUID() };
      const otherBrowser = { ...signedOut, sid: randomUUID() };
      assert.equal((await signInForClaims(ctx.db, signedOut))?.signInId, signedOut.sid, 'the claim was good before');

      assert.equal(await endSignInOfClaims(ctx.db, signedOut), signedOut.sid);
      assert.equal(await signInForClaims(ctx.db, signedOut), null);
      assert.equal((await signInForClaims(ctx.db, otherBrowser))?.user.id, user.id, 'the other browser stays signed in');
      assert.equal((await findUserById(ctx.db, user.id))?.sessionsValidAfter, 0, 'signing out one browser is not signing out everywhere');

      // Ending it again (a second sign-out request racing the first) changes nothing and fails nothing.
      assert.equal(await endSignInOfClaims(ctx.db, signedOut), signedOut.sid);
      assert.equal(await endedRows(ctx.db, signedOut.sid), 1);
      // Tokens that name no sign-in or no account end nothing.
      for (const claims of [null, {}, { uid: user.id }, { uid: randomUUID(), sid: randomUUID() }]) {
        assert.equal(await endSignInOfClaims(ctx.db, claims), null, JSON.stringify(claims));
      }
    });

    test('[H12] an ended sign-in is forgotten once no copy of its token can still be unexpired', async () => {
      const user = await buildUser(ctx.db);
      const longAgo = { uid: user.id, authAt: Date.now(), sid: randomUUID() };
      const now = Date.now();
      await endSignInOfClaims(ctx.db, longAgo, now - SESSION_MAX_AGE_MS - 1);
      assert.equal(await endedRows(ctx.db, longAgo.sid), 1);
      const recent = { ...longAgo, sid: randomUUID() };
      await endSignInOfClaims(ctx.db, recent, now);
      assert.equal(await endedRows(ctx.db, longAgo.sid), 0, 'older than the session lifetime: dropped');
      assert.equal(await signInForClaims(ctx.db, recent), null, 'the recent one is still refused');
    });
  });
}
