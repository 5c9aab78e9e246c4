/**
 * Accepting invitations and changing roles, on every backend: single use, expiry, the right
 * account, role/delegation fit, the last secretariat, and what each change writes into the logs.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Database } from '../../lib/db';
import { findInvitationByTokenHash, insertInvitation } from '../../lib/db/repositories/invitations';
import { findMembership, findMembershipInNegotiation, listMemberships, type TNegotiation } from '../../lib/db/repositories/negotiations';
import { findUserByEmail, findUserById, type TUser } from '../../lib/db/repositories/people';
import { findSessionById, listSessionEvents, type TSessionRecord } from '../../lib/db/repositories/sessions';
import { verifyPassword } from '../../lib/server/auth/password';
import { acceptInvitation, describeInvitation } from '../../lib/server/negotiations/accept-invitation';
import { changeMemberRole } from '../../lib/server/negotiations/change-member-role';
import { changeSessionStatus } from '../../lib/server/negotiations/change-session-status';
import { createNegotiation } from '../../lib/server/negotiations/create-negotiation';
import { hashInvitationToken, inviteMember } from '../../lib/server/negotiations/invite-member';
import { scheduleSession } from '../../lib/server/negotiations/schedule-session';
import type { TRole } from '../../lib/shared/domain';
import { testBackends } from '../helpers/databases';
import { buildDelegation, buildMembership, buildUser, TEST_PASSWORD } from '../helpers/factories';
import { countRows, refusedWithNothingStored, rejectsWithCode, useDatabase } from './support';

const NEW_PASSWORD = 'a long enough password';

interface TScene {
  secretariat: TUser;
  negotiation: TNegotiation;
  delegationId: string;
  /** One session per state the log cares about. */
  scheduled: TSessionRecord;
  live: TSessionRecord;
  closed: TSessionRecord;
}

/** A negotiation with a member delegation and three sessions: scheduled, live and closed. */
async function buildScene(db: Database): Promise<TScene> {
  const secretariat = await buildUser(db, { accountRole: 'organizer' });
  const negotiation = await createNegotiation(db, secretariat, { title: 'Coastal Cities Pact', format: 'multilateral', host: 'Valparaíso', languages: ['es', 'en'], description: '' });
  const { delegationId } = await buildDelegation(db, negotiation.id, { status: 'member' });
  const schedule = (title: string) => scheduleSession(db, secretariat, negotiation.id, { title, scheduledStart: '2031-06-01T09:00:00Z' });
  const scheduled = await schedule('Scheduled session');
  const live = await schedule('Live session');
  await changeSessionStatus(db, secretariat, negotiation.id, { sessionId: live.id, status: 'live' });
  const closed = await schedule('Closed session');
  await changeSessionStatus(db, secretariat, negotiation.id, { sessionId: closed.id, status: 'live' });
  await changeSessionStatus(db, secretariat, negotiation.id, { sessionId: closed.id, status: 'closed' });
  // Re-read so each record's headSeq is where its log stands after the setup.
  const reread = async (session: TSessionRecord) => (await findSessionById(db, session.id)) ?? session;
  return { secretariat, negotiation, delegationId, scheduled: await reread(scheduled), live: await reread(live), closed: await reread(closed) };
}

/** The events of a session after its setup (seq > `afterSeq`), reduced to what the tests compare. */
async function eventsAfter(db: Database, sessionId: string, afterSeq: number) {
  return (await listSessionEvents(db, sessionId, afterSeq)).map(({ type, userId, role, delegationId, payload }) => ({ type, userId, role, delegationId, payload }));
}

/** Stores an invitation directly, for states the use cases never produce (already expired). */
async function storeInvitation(db: Database, scene: TScene, fields: { email: string; role: TRole; delegationId: string | null; expiresAt: number }): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await insertInvitation(db, {
    id: randomUUID(),
    tokenHash: hashInvitationToken(token),
    negotiationId: scene.negotiation.id,
    invitedBy: scene.secretariat.id,
    createdAt: Date.now() - 10_000,
    ...fields,
  });
  return token;
}

for (const backend of testBackends()) {
  describe(`${backend.name}: acceptInvitation`, () => {
    const ctx = useDatabase(backend);

    test('a new invitee gets an account with their name and password and the invited role, logged as membership.added in open sessions', async () => {
      const scene = await buildScene(ctx.db);
      const { token } = await inviteMember(ctx.db, scene.secretariat, scene.negotiation.id, { email: 'New.Head@Example.test', role: 'head', delegationId: scene.delegationId });
      const result = await acceptInvitation(ctx.db, null, { token, name: 'Camila Reyes', password: NEW_PASSWORD });
      assert.equal(result.createdAccount, true);
      assert.equal(result.email, 'new.head@example.test');
      assert.equal(result.negotiationId, scene.negotiation.id);

      const user = await findUserByEmail(ctx.db, 'new.head@example.test');
      assert.equal(user?.id, result.userId);
      assert.equal(user?.name, 'Camila Reyes');
      assert.equal(user?.accountRole, 'member', 'an invitation never makes an organizer');
      assert.equal(await verifyPassword(user?.passwordHash ?? null, NEW_PASSWORD), true);
      assert.notEqual(user?.passwordHash, NEW_PASSWORD);

      const membership = await findMembership(ctx.db, scene.negotiation.id, result.userId);
      assert.equal(membership?.role, 'head');
      assert.equal(membership?.delegationId, scene.delegationId);

      const invitation = await findInvitationByTokenHash(ctx.db, hashInvitationToken(token));
      assert.equal(invitation?.acceptedBy, result.userId);
      assert.ok(invitation?.acceptedAt);

      const added = { type: 'membership.added', userId: result.userId, role: 'head', delegationId: scene.delegationId, payload: { membershipId: membership?.id, userId: result.userId, role: 'head', delegationId: scene.delegationId } };
      assert.deepEqual(await eventsAfter(ctx.db, scene.scheduled.id, scene.scheduled.headSeq), [added]);
      assert.deepEqual(await eventsAfter(ctx.db, scene.live.id, scene.live.headSeq), [added]);
      assert.deepEqual(await eventsAfter(ctx.db, scene.closed.id, scene.closed.headSeq), [], 'nothing is written into a closed session');
    });

    test('an expired invitation is invitation_expired and stores nothing', async () => {
      const scene = await buildScene(ctx.db);
      const token = await storeInvitation(ctx.db, scene, { email: 'late@example.test', role: 'observer', delegationId: null, expiresAt: Date.now() - 1 });
      await refusedWithNothingStored(ctx.db, () => acceptInvitation(ctx.db, null, { token, name: 'Late Comer', password: NEW_PASSWORD }), 'invitation_expired');
      assert.equal((await findInvitationByTokenHash(ctx.db, hashInvitationToken(token)))?.acceptedAt, null);
      assert.equal(await findUserByEmail(ctx.db, 'late@example.test'), undefined);
      assert.equal((await describeInvitation(ctx.db, token)).state, 'expired');
    });

    test('a used invitation is invitation_used on reuse, for the same or another person', async () => {
      const scene = await buildScene(ctx.db);
      const { token } = await inviteMember(ctx.db, scene.secretariat, scene.negotiation.id, { email: 'once@example.test', role: 'observer', delegationId: null });
      const first = await acceptInvitation(ctx.db, null, { token, name: 'First', password: NEW_PASSWORD });
      const member = await findUserById(ctx.db, first.userId);
      assert.ok(member);
      await refusedWithNothingStored(ctx.db, () => acceptInvitation(ctx.db, member, { token }), 'invitation_used');
      await refusedWithNothingStored(ctx.db, () => acceptInvitation(ctx.db, null, { token, name: 'Second', password: NEW_PASSWORD }), 'invitation_used');
      assert.equal((await describeInvitation(ctx.db, token)).state, 'used');
    });

    test('two acceptances of one new-account invitation racing: one account and one membership, the other is invitation_used', async () => {
      const scene = await buildScene(ctx.db);
      const { token } = await inviteMember(ctx.db, scene.secretariat, scene.negotiation.id, { email: 'racer@example.test', role: 'observer', delegationId: null });
      const outcomes = await Promise.allSettled([
        acceptInvitation(ctx.db, null, { token, name: 'Racer One', password: NEW_PASSWORD }),
        acceptInvitation(ctx.db, null, { token, name: 'Racer Two', password: NEW_PASSWORD }),
      ]);
      assert.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 1);
      const refusal = outcomes.find((outcome) => outcome.status === 'rejected');
      await rejectsWithCode(Promise.reject(refusal?.reason), 'invitation_used');
      assert.equal(await countRows(ctx.db, 'users', 'email = ?', ['racer@example.test']), 1);
      assert.equal(await countRows(ctx.db, 'memberships', 'negotiation_id = ?', [scene.negotiation.id]), 2);
      assert.equal((await listSessionEvents(ctx.db, scene.scheduled.id)).length, 2, 'membership.added logged once');
    });

    test('two acceptances of one invitation by its signed-in account racing: one membership, the other is invitation_used', async () => {
      const scene = await buildScene(ctx.db);
      const invitee = await buildUser(ctx.db);
      const { token } = await inviteMember(ctx.db, scene.secretariat, scene.negotiation.id, { email: invitee.email, role: 'observer', delegationId: null });
      const outcomes = await Promise.allSettled([acceptInvitation(ctx.db, invitee, { token }), acceptInvitation(ctx.db, invitee, { token })]);
      assert.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 1);
      await rejectsWithCode(Promise.reject(outcomes.find((outcome) => outcome.status === 'rejected')?.reason), 'invitation_used');
      assert.equal(await countRows(ctx.db, 'memberships', 'user_id = ?', [invitee.id]), 1);
    });

    test('a malformed token is invitation_invalid; a well-formed unknown token too', async () => {
      const scene = await buildScene(ctx.db);
      await inviteMember(ctx.db, scene.secretariat, scene.negotiation.id, { email: 'someone@example.test', role: 'observer', delegationId: null });
      const tokens: unknown[] = ['', 'short', '../../etc/passwd', `${'A'.repeat(42)}!`, `${'A'.repeat(43)}=`, 'A'.repeat(10_000), 42, null, randomBytes(32).toString('base64url')];
      for (const token of tokens) {
        await refusedWithNothingStored(ctx.db, () => acceptInvitation(ctx.db, null, { token, name: 'Guesser', password: NEW_PASSWORD }), 'invitation_invalid');
      }
      await rejectsWithCode(describeInvitation(ctx.db, '../x'), 'invitation_invalid');
    });

    test('[T29] unknown keys (role, delegationId, __proto__) are invalid_input and store nothing', async () => {
      const scene = await buildScene(ctx.db);
      const { token } = await inviteMember(ctx.db, scene.secretariat, scene.negotiation.id, { email: 'greedy@example.test', role: 'observer', delegationId: null });
      const base = { token, name: 'Greedy', password: NEW_PASSWORD };
      const ownProto = JSON.parse(`{"token":"${token}","name":"Greedy","password":"${NEW_PASSWORD}","__proto__":{"role":"secretariat"}}`) as unknown;
      for (const input of [{ ...base, role: 'secretariat' }, { ...base, delegationId: scene.delegationId }, { ...base, accountRole: 'organizer' }, ownProto]) {
        await refusedWithNothingStored(ctx.db, () => acceptInvitation(ctx.db, null, input), 'invalid_input', { form: 'unexpected_field' });
      }
      assert.equal((await findInvitationByTokenHash(ctx.db, hashInvitationToken(token)))?.acceptedAt, null);
    });

    test('[T28] a new account needs a name and a password; an HTML name is stored verbatim, a bidi-override name refused', async () => {
      const scene = await buildScene(ctx.db);
      const { token } = await inviteMember(ctx.db, scene.secretariat, scene.negotiation.id, { email: 'named@example.test', role: 'observer', delegationId: null });
      await refusedWithNothingStored(ctx.db, () => acceptInvitation(ctx.db, null, { token }), 'invalid_input', { name: 'required', password: 'required' });
      await refusedWithNothingStored(ctx.db, () => acceptInvitation(ctx.db, null, { token, name: 'No Password' }), 'invalid_input', { password: 'required' });
      await refusedWithNothingStored(ctx.db, () => acceptInvitation(ctx.db, null, { token, name: 'Short', password: 'short' }), 'invalid_input', { password: 'password_too_short' });
      await refusedWithNothingStored(ctx.db, () => acceptInvitation(ctx.db, null, { token, name: 'Evil\u202Eeman', password: NEW_PASSWORD }), 'invalid_input', { name: 'invalid_characters' });
      await refusedWithNothingStored(ctx.db, () => acceptInvitation(ctx.db, null, { token, name: 'N'.repeat(10_000), password: NEW_PASSWORD }), 'invalid_input', { name: 'too_long' });
      const name = '<script>alert(1)</script>';
      const result = await acceptInvitation(ctx.db, null, { token, name, password: NEW_PASSWORD });
      const row = await ctx.db.get<{ name: string }>('SELECT name FROM users WHERE id = ?', [result.userId]);
      assert.equal(row?.name, name);
    });

    test('an invitation for an existing account must be accepted signed in as that account', async () => {
      const scene = await buildScene(ctx.db);
      const invitee = await buildUser(ctx.db, { email: 'existing@example.test', name: 'Existing Person' });
      const stranger = await buildUser(ctx.db);
      const { token } = await inviteMember(ctx.db, scene.secretariat, scene.negotiation.id, { email: 'EXISTING@example.test', role: 'head', delegationId: scene.delegationId });
      await refusedWithNothingStored(ctx.db, () => acceptInvitation(ctx.db, null, { token, name: 'Impostor', password: NEW_PASSWORD }), 'invitation_wrong_account');
      await refusedWithNothingStored(ctx.db, () => acceptInvitation(ctx.db, stranger, { token }), 'invitation_wrong_account');
      await refusedWithNothingStored(ctx.db, () => acceptInvitation(ctx.db, scene.secretariat, { token }), 'invitation_wrong_account');

      const result = await acceptInvitation(ctx.db, invitee, { token, name: 'Renamed?', password: NEW_PASSWORD });
      assert.deepEqual({ userId: result.userId, createdAccount: result.createdAccount }, { userId: invitee.id, createdAccount: false });
      const after = await findUserById(ctx.db, invitee.id);
      assert.equal(after?.name, 'Existing Person', 'accepting does not rename an existing account');
      assert.equal(after?.passwordHash, invitee.passwordHash, 'nor change its password');
      assert.equal(await verifyPassword(after?.passwordHash ?? null, TEST_PASSWORD), true);
      const membership = await findMembership(ctx.db, scene.negotiation.id, invitee.id);
      assert.deepEqual({ role: membership?.role, delegationId: membership?.delegationId }, { role: 'head', delegationId: scene.delegationId });
    });

    test('an invitation for a new address cannot be taken by someone already signed in', async () => {
      const scene = await buildScene(ctx.db);
      const signedIn = await buildUser(ctx.db);
      const { token } = await inviteMember(ctx.db, scene.secretariat, scene.negotiation.id, { email: 'fresh@example.test', role: 'observer', delegationId: null });
      await refusedWithNothingStored(ctx.db, () => acceptInvitation(ctx.db, signedIn, { token, name: 'Fresh', password: NEW_PASSWORD }), 'invitation_wrong_account');
    });
  });

  describe(`${backend.name}: changeMemberRole`, () => {
    const ctx = useDatabase(backend);

    test('a role change is stored and logged as membership.role_changed in every non-closed session, none in closed ones', async () => {
      const scene = await buildScene(ctx.db);
      const member = await buildUser(ctx.db);
      const membershipId = await buildMembership(ctx.db, scene.negotiation.id, member, 'delegate', scene.delegationId);
      const updated = await changeMemberRole(ctx.db, scene.secretariat, scene.negotiation.id, { membershipId, role: 'head', delegationId: scene.delegationId });
      assert.equal(updated.role, 'head');
      const stored = await findMembershipInNegotiation(ctx.db, scene.negotiation.id, membershipId);
      assert.deepEqual({ role: stored?.role, delegationId: stored?.delegationId }, { role: 'head', delegationId: scene.delegationId });

      const changed = {
        type: 'membership.role_changed',
        userId: scene.secretariat.id,
        role: 'secretariat',
        delegationId: null,
        payload: { membershipId, userId: member.id, from: { role: 'delegate', delegationId: scene.delegationId }, to: { role: 'head', delegationId: scene.delegationId } },
      };
      assert.deepEqual(await eventsAfter(ctx.db, scene.scheduled.id, scene.scheduled.headSeq), [changed]);
      assert.deepEqual(await eventsAfter(ctx.db, scene.live.id, scene.live.headSeq), [changed]);
      assert.deepEqual(await eventsAfter(ctx.db, scene.closed.id, scene.closed.headSeq), []);
    });

    test('moving a member out of a delegation (delegate → observer on their own) is stored and logged', async () => {
      const scene = await buildScene(ctx.db);
      const member = await buildUser(ctx.db);
      const membershipId = await buildMembership(ctx.db, scene.negotiation.id, member, 'delegate', scene.delegationId);
      await changeMemberRole(ctx.db, scene.secretariat, scene.negotiation.id, { membershipId, role: 'observer', delegationId: null });
      const stored = await findMembershipInNegotiation(ctx.db, scene.negotiation.id, membershipId);
      assert.deepEqual({ role: stored?.role, delegationId: stored?.delegationId }, { role: 'observer', delegationId: null });
      const [event] = await eventsAfter(ctx.db, scene.live.id, scene.live.headSeq);
      assert.deepEqual(event?.payload, { membershipId, userId: member.id, from: { role: 'delegate', delegationId: scene.delegationId }, to: { role: 'observer', delegationId: null } });
    });

    test('a change to the same role and delegation stores and logs nothing', async () => {
      const scene = await buildScene(ctx.db);
      const member = await buildUser(ctx.db);
      const membershipId = await buildMembership(ctx.db, scene.negotiation.id, member, 'delegate', scene.delegationId);
      const before = await countRows(ctx.db, 'session_events');
      await changeMemberRole(ctx.db, scene.secretariat, scene.negotiation.id, { membershipId, role: 'delegate', delegationId: scene.delegationId });
      assert.equal(await countRows(ctx.db, 'session_events'), before);
    });

    test('the last secretariat cannot be demoted (last_secretariat); with a second one, demotion works', async () => {
      const scene = await buildScene(ctx.db);
      const own = await findMembership(ctx.db, scene.negotiation.id, scene.secretariat.id);
      assert.ok(own);
      const eventsBefore = await countRows(ctx.db, 'session_events');
      await refusedWithNothingStored(ctx.db, () => changeMemberRole(ctx.db, scene.secretariat, scene.negotiation.id, { membershipId: own.id, role: 'chair', delegationId: null }), 'last_secretariat', { role: 'last_secretariat' });
      assert.equal((await findMembershipInNegotiation(ctx.db, scene.negotiation.id, own.id))?.role, 'secretariat');
      assert.equal(await countRows(ctx.db, 'session_events'), eventsBefore);

      const deputy = await buildUser(ctx.db);
      await buildMembership(ctx.db, scene.negotiation.id, deputy, 'secretariat');
      await changeMemberRole(ctx.db, scene.secretariat, scene.negotiation.id, { membershipId: own.id, role: 'chair', delegationId: null });
      const roles = new Map((await listMemberships(ctx.db, scene.negotiation.id)).map((m) => [m.userId, m.role] as const));
      assert.equal(roles.get(scene.secretariat.id), 'chair');
      assert.equal(roles.get(deputy.id), 'secretariat');
    });

    test('role and delegation must fit: head without a delegation, chair with one, a delegation of another negotiation', async () => {
      const scene = await buildScene(ctx.db);
      const other = await buildScene(ctx.db);
      const member = await buildUser(ctx.db);
      const membershipId = await buildMembership(ctx.db, scene.negotiation.id, member, 'observer');
      const cases: [Record<string, unknown>, string][] = [
        [{ membershipId, role: 'head', delegationId: null }, 'required'],
        [{ membershipId, role: 'adviser', delegationId: null }, 'required'],
        [{ membershipId, role: 'chair', delegationId: scene.delegationId }, 'role_without_delegation'],
        [{ membershipId, role: 'secretariat', delegationId: scene.delegationId }, 'role_without_delegation'],
        [{ membershipId, role: 'head', delegationId: other.delegationId }, 'not_found'],
      ];
      for (const [input, message] of cases) {
        await refusedWithNothingStored(ctx.db, () => changeMemberRole(ctx.db, scene.secretariat, scene.negotiation.id, input), 'invalid_input', { delegationId: message });
      }
      assert.equal((await findMembershipInNegotiation(ctx.db, scene.negotiation.id, membershipId))?.role, 'observer');
    });

    test('[T11] a membership of another negotiation is not_found; a delegate or a chair may not change roles (forbidden)', async () => {
      const scene = await buildScene(ctx.db);
      const other = await buildScene(ctx.db);
      const foreigner = await buildUser(ctx.db);
      const foreignMembership = await buildMembership(ctx.db, other.negotiation.id, foreigner, 'delegate', other.delegationId);
      await refusedWithNothingStored(ctx.db, () => changeMemberRole(ctx.db, scene.secretariat, scene.negotiation.id, { membershipId: foreignMembership, role: 'head', delegationId: scene.delegationId }), 'not_found');
      assert.equal((await findMembershipInNegotiation(ctx.db, other.negotiation.id, foreignMembership))?.role, 'delegate');

      const delegate = await buildUser(ctx.db);
      const delegateMembership = await buildMembership(ctx.db, scene.negotiation.id, delegate, 'delegate', scene.delegationId);
      const chair = await buildUser(ctx.db);
      await buildMembership(ctx.db, scene.negotiation.id, chair, 'chair');
      for (const actor of [delegate, chair]) {
        await refusedWithNothingStored(ctx.db, () => changeMemberRole(ctx.db, actor, scene.negotiation.id, { membershipId: delegateMembership, role: 'head', delegationId: scene.delegationId }), 'forbidden');
      }
      assert.equal((await findMembershipInNegotiation(ctx.db, scene.negotiation.id, delegateMembership))?.role, 'delegate');
    });

    test('[T29] unknown keys (userId, negotiationId, __proto__) and malformed ids are invalid_input', async () => {
      const scene = await buildScene(ctx.db);
      const member = await buildUser(ctx.db);
      const membershipId = await buildMembership(ctx.db, scene.negotiation.id, member, 'delegate', scene.delegationId);
      const base = { membershipId, role: 'head', delegationId: scene.delegationId };
      const ownProto = JSON.parse(`{"membershipId":"${membershipId}","role":"head","delegationId":"${scene.delegationId}","__proto__":{"role":"secretariat"}}`) as unknown;
      const inputs: [unknown, Record<string, string>][] = [
        [{ ...base, userId: scene.secretariat.id }, { form: 'unexpected_field' }],
        [{ ...base, negotiationId: randomUUID() }, { form: 'unexpected_field' }],
        [ownProto, { form: 'unexpected_field' }],
        [{ ...base, membershipId: '../x' }, { membershipId: 'invalid_id' }],
        [{ ...base, role: 'president' }, {}],
      ];
      for (const [input, fields] of inputs) {
        await refusedWithNothingStored(ctx.db, () => changeMemberRole(ctx.db, scene.secretariat, scene.negotiation.id, input), 'invalid_input', fields);
      }
      assert.equal((await findMembershipInNegotiation(ctx.db, scene.negotiation.id, membershipId))?.role, 'delegate');
    });
  });
}
