/**
 * Domain use cases fed bad input, on every backend: creating negotiations, accrediting delegations
 * and inviting members. A refusal always means a stable error code and no row written anywhere.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Database } from '../../lib/db';
import { findInvitationByTokenHash, listOpenInvitations } from '../../lib/db/repositories/invitations';
import { findNegotiationById, listDelegations, listMemberships, type TNegotiation } from '../../lib/db/repositories/negotiations';
import { findActorById, type TUser } from '../../lib/db/repositories/people';
import { listSessionEvents } from '../../lib/db/repositories/sessions';
import { describeInvitation } from '../../lib/server/negotiations/accept-invitation';
import { accreditDelegation } from '../../lib/server/negotiations/accredit-delegation';
import { changeMemberRole } from '../../lib/server/negotiations/change-member-role';
import { changeSessionStatus } from '../../lib/server/negotiations/change-session-status';
import { createDocument } from '../../lib/server/negotiations/create-document';
import { createNegotiation } from '../../lib/server/negotiations/create-negotiation';
import { getNegotiationOverview } from '../../lib/server/negotiations/get-negotiation-overview';
import { hashInvitationToken, INVITATION_TTL_MS, inviteMember } from '../../lib/server/negotiations/invite-member';
import { scheduleSession } from '../../lib/server/negotiations/schedule-session';
import { testBackends } from '../helpers/databases';
import { buildDelegation, buildMembership, buildUser } from '../helpers/factories';
import { countRows, refusedWithNothingStored, useDatabase } from './support';

const XSS = '<script>alert(1)</script>';

function negotiationInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { title: 'Charter on Water', format: 'multilateral', host: 'City of Lyon', languages: ['en', 'fr'], description: 'Talks on shared water.', ...overrides };
}

/** A negotiation created through the use case, so its organizer is its secretariat. */
async function negotiationWithSecretariat(db: Database): Promise<{ secretariat: TUser; negotiation: TNegotiation }> {
  const secretariat = await buildUser(db, { accountRole: 'organizer' });
  const negotiation = await createNegotiation(db, secretariat, negotiationInput());
  return { secretariat, negotiation };
}

/** A member of a new delegation of the negotiation, with `role`. */
async function memberWithDelegation(db: Database, negotiationId: string, role: 'delegate' | 'head' = 'delegate') {
  const { delegationId, actorId } = await buildDelegation(db, negotiationId);
  const user = await buildUser(db);
  const membershipId = await buildMembership(db, negotiationId, user, role, delegationId);
  return { user, delegationId, actorId, membershipId };
}

/** Builds an object with an own `__proto__` key, as JSON.parse does for a request body. */
function withOwnKey(base: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const parsed = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
  Object.defineProperty(parsed, key, { value, enumerable: true, configurable: true, writable: true });
  return parsed;
}

for (const backend of testBackends()) {
  describe(`${backend.name}: createNegotiation`, () => {
    const ctx = useDatabase(backend);

    test("a 'member' account may not create a negotiation: forbidden, nothing stored", async () => {
      const member = await buildUser(ctx.db, { accountRole: 'member' });
      await refusedWithNothingStored(ctx.db, () => createNegotiation(ctx.db, member, negotiationInput()), 'forbidden');
    });

    test("an 'organizer' creates a negotiation and becomes its only member, as secretariat", async () => {
      const organizer = await buildUser(ctx.db, { accountRole: 'organizer' });
      const created = await createNegotiation(ctx.db, organizer, negotiationInput({ languages: ['en', 'fr', 'en'], title: '  Charter on Water  ' }));
      const stored = await findNegotiationById(ctx.db, created.id);
      assert.deepEqual(stored, created);
      assert.equal(stored?.title, 'Charter on Water', 'trimmed');
      assert.deepEqual(stored?.languages, ['en', 'fr'], 'deduplicated');
      assert.equal(stored?.createdBy, organizer.id);
      const members = await listMemberships(ctx.db, created.id);
      assert.deepEqual(
        members.map(({ userId, role, delegationId }) => ({ userId, role, delegationId })),
        [{ userId: organizer.id, role: 'secretariat', delegationId: null }],
      );
    });

    test('[T29] unknown keys (role, id, createdBy, __proto__, constructor) make the input invalid and store nothing', async () => {
      const organizer = await buildUser(ctx.db, { accountRole: 'organizer' });
      const inputs = [
        negotiationInput({ role: 'secretariat' }),
        negotiationInput({ id: randomUUID() }),
        negotiationInput({ createdBy: randomUUID() }),
        withOwnKey(negotiationInput(), '__proto__', { role: 'secretariat' }),
        withOwnKey(negotiationInput(), 'constructor', { prototype: { polluted: true } }),
      ];
      for (const input of inputs) {
        await refusedWithNothingStored(ctx.db, () => createNegotiation(ctx.db, organizer, input), 'invalid_input', { form: 'unexpected_field' });
      }
      assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched');
    });

    test('[T28] a 10 000-character title or a 5 001-character description is refused as too_long', async () => {
      const organizer = await buildUser(ctx.db, { accountRole: 'organizer' });
      await refusedWithNothingStored(ctx.db, () => createNegotiation(ctx.db, organizer, negotiationInput({ title: 'T'.repeat(10_000) })), 'invalid_input', { title: 'too_long' });
      await refusedWithNothingStored(ctx.db, () => createNegotiation(ctx.db, organizer, negotiationInput({ description: 'd'.repeat(5_001) })), 'invalid_input', { description: 'too_long' });
      // The limits are inclusive.
      const longest = await createNegotiation(ctx.db, organizer, negotiationInput({ title: 'T'.repeat(200) }));
      assert.equal((await findNegotiationById(ctx.db, longest.id))?.title.length, 200);
    });

    test('[T28] HTML in the title, host and description is stored verbatim, as text', async () => {
      const organizer = await buildUser(ctx.db, { accountRole: 'organizer' });
      const description = `<img src=x onerror="alert(1)"> & 'quotes' "double"\nsecond line`;
      const created = await createNegotiation(ctx.db, organizer, negotiationInput({ title: XSS, host: '<b>Host</b> & co', description }));
      const row = await ctx.db.get<{ title: string; host: string; description: string }>(
        'SELECT title, host, description FROM negotiations WHERE id = ?',
        [created.id],
      );
      assert.deepEqual(row, { title: XSS, host: '<b>Host</b> & co', description });
    });

    test('[T28] control and bidi-override characters in a title or description are refused', async () => {
      const organizer = await buildUser(ctx.db, { accountRole: 'organizer' });
      for (const title of ['Evil\u202Etxt.exe', 'Isolate\u2066x\u2069', 'Nul\u0000byte', 'Escape\u001B[31mred', 'Del\u007F', 'Two\nlines']) {
        await refusedWithNothingStored(ctx.db, () => createNegotiation(ctx.db, organizer, negotiationInput({ title })), 'invalid_input', { title: 'invalid_characters' });
      }
      await refusedWithNothingStored(ctx.db, () => createNegotiation(ctx.db, organizer, negotiationInput({ description: 'fine\u202Eenif' })), 'invalid_input', { description: 'invalid_characters' });
    });

    test('wrong shapes are refused: blank title, unknown format, no or unknown languages, non-object input', async () => {
      const organizer = await buildUser(ctx.db, { accountRole: 'organizer' });
      const inputs: unknown[] = [
        negotiationInput({ title: '   ' }),
        negotiationInput({ format: 'trilateral' }),
        negotiationInput({ languages: [] }),
        negotiationInput({ languages: ['en', 'klingon'] }),
        negotiationInput({ languages: 'en' }),
        negotiationInput({ title: 42 }),
        null,
        'title=x',
        [negotiationInput()],
      ];
      for (const input of inputs) {
        await refusedWithNothingStored(ctx.db, () => createNegotiation(ctx.db, organizer, input), 'invalid_input');
      }
    });
  });

  describe(`${backend.name}: accreditDelegation`, () => {
    const ctx = useDatabase(backend);

    test('[T28] a new actor is stored with its delegation; an HTML name is kept verbatim', async () => {
      const { secretariat, negotiation } = await negotiationWithSecretariat(ctx.db);
      const delegation = await accreditDelegation(ctx.db, secretariat, negotiation.id, {
        status: 'observer',
        actor: { source: 'new', name: XSS, kind: 'ngo', country: 'Kenya' },
      });
      assert.equal(delegation.negotiationId, negotiation.id);
      assert.equal(delegation.status, 'observer');
      assert.deepEqual(await findActorById(ctx.db, delegation.actorId), {
        id: delegation.actorId,
        name: XSS,
        kind: 'ngo',
        country: 'Kenya',
        createdAt: delegation.accreditedAt,
      });
      assert.deepEqual(await listDelegations(ctx.db, negotiation.id), [delegation]);
    });

    test('an existing actor (accredited elsewhere) is accredited without creating another actor', async () => {
      const { secretariat, negotiation } = await negotiationWithSecretariat(ctx.db);
      const other = await negotiationWithSecretariat(ctx.db);
      const { actorId } = await buildDelegation(ctx.db, other.negotiation.id, { name: 'Porto Alegre' });
      const actorsBefore = await countRows(ctx.db, 'actors');
      const delegation = await accreditDelegation(ctx.db, secretariat, negotiation.id, { status: 'member', actor: { source: 'existing', actorId } });
      assert.equal(delegation.actorId, actorId);
      assert.equal(delegation.actorName, 'Porto Alegre');
      assert.equal(await countRows(ctx.db, 'actors'), actorsBefore);
      assert.equal(await countRows(ctx.db, 'delegations', 'negotiation_id = ? AND actor_id = ?', [negotiation.id, actorId]), 1);
    });

    test('accrediting the same actor twice is a conflict and stores nothing', async () => {
      const { secretariat, negotiation } = await negotiationWithSecretariat(ctx.db);
      const first = await accreditDelegation(ctx.db, secretariat, negotiation.id, {
        status: 'member',
        actor: { source: 'new', name: 'Dakar', kind: 'city', country: 'Senegal' },
      });
      await refusedWithNothingStored(
        ctx.db,
        () => accreditDelegation(ctx.db, secretariat, negotiation.id, { status: 'observer', actor: { source: 'existing', actorId: first.actorId } }),
        'conflict',
        { 'actor.actorId': 'already_accredited' },
      );
      assert.deepEqual(await listDelegations(ctx.db, negotiation.id), [first]);
    });

    test('an existing-actor id that names no actor is invalid_input', async () => {
      const { secretariat, negotiation } = await negotiationWithSecretariat(ctx.db);
      await refusedWithNothingStored(
        ctx.db,
        () => accreditDelegation(ctx.db, secretariat, negotiation.id, { status: 'member', actor: { source: 'existing', actorId: randomUUID() } }),
        'invalid_input',
        { 'actor.actorId': 'not_found' },
      );
    });

    test('accrediting logs delegation.accredited in the open sessions of the negotiation', async () => {
      const { secretariat, negotiation } = await negotiationWithSecretariat(ctx.db);
      const session = await scheduleSession(ctx.db, secretariat, negotiation.id, { title: 'Plenary', scheduledStart: '2031-03-01T10:00:00Z' });
      const delegation = await accreditDelegation(ctx.db, secretariat, negotiation.id, {
        status: 'member',
        actor: { source: 'new', name: 'Quito', kind: 'city', country: 'Ecuador' },
      });
      const events = await listSessionEvents(ctx.db, session.id);
      assert.deepEqual(
        events.map(({ seq, type, userId, role, payload }) => ({ seq, type, userId, role, payload })),
        [
          { seq: 1, type: 'session.scheduled', userId: secretariat.id, role: 'secretariat', payload: { title: 'Plenary', scheduledStart: Date.parse('2031-03-01T10:00:00Z') } },
          { seq: 2, type: 'delegation.accredited', userId: secretariat.id, role: 'secretariat', payload: { delegationId: delegation.id, actorId: delegation.actorId, status: 'member' } },
        ],
      );
    });

    test('[T11] a delegate may not accredit (forbidden); a user outside the negotiation gets not_found', async () => {
      const { negotiation } = await negotiationWithSecretariat(ctx.db);
      const { user: delegate } = await memberWithDelegation(ctx.db, negotiation.id);
      const outsider = await buildUser(ctx.db, { accountRole: 'organizer' });
      const input = { status: 'member', actor: { source: 'new', name: 'Lima', kind: 'city', country: 'Peru' } };
      await refusedWithNothingStored(ctx.db, () => accreditDelegation(ctx.db, delegate, negotiation.id, input), 'forbidden');
      await refusedWithNothingStored(ctx.db, () => accreditDelegation(ctx.db, outsider, negotiation.id, input), 'not_found');
    });

    test('[T28][T29] a bidi-override name, an unknown kind or an extra key are invalid_input', async () => {
      const { secretariat, negotiation } = await negotiationWithSecretariat(ctx.db);
      const inputs: [unknown, Record<string, string>][] = [
        [{ status: 'member', actor: { source: 'new', name: 'Lima\u202E', kind: 'city', country: 'Peru' } }, { 'actor.name': 'invalid_characters' }],
        [{ status: 'member', actor: { source: 'new', name: 'L'.repeat(10_000), kind: 'city', country: 'Peru' } }, { 'actor.name': 'too_long' }],
        [{ status: 'member', actor: { source: 'new', name: 'Lima', kind: 'planet', country: 'Peru' } }, {}],
        [{ status: 'chair', actor: { source: 'new', name: 'Lima', kind: 'city', country: 'Peru' } }, {}],
        [{ status: 'member', negotiationId: randomUUID(), actor: { source: 'new', name: 'Lima', kind: 'city', country: 'Peru' } }, { form: 'unexpected_field' }],
        [{ status: 'member', actor: { source: 'new', name: 'Lima', kind: 'city', country: 'Peru', id: randomUUID() } }, {}],
        [withOwnKey({ status: 'member', actor: { source: 'new', name: 'Lima', kind: 'city', country: 'Peru' } }, '__proto__', { status: 'member' }), { form: 'unexpected_field' }],
      ];
      for (const [input, fields] of inputs) {
        await refusedWithNothingStored(ctx.db, () => accreditDelegation(ctx.db, secretariat, negotiation.id, input), 'invalid_input', fields);
      }
    });
  });

  describe(`${backend.name}: inviteMember`, () => {
    const ctx = useDatabase(backend);

    test("a secretariat's invitation stores only the token's hash, a lower-cased e-mail and a 7-day expiry", async () => {
      const { secretariat, negotiation } = await negotiationWithSecretariat(ctx.db);
      const { delegationId } = await buildDelegation(ctx.db, negotiation.id);
      const before = Date.now();
      const { invitation, token } = await inviteMember(ctx.db, secretariat, negotiation.id, { email: ' New.Head@Example.TEST ', role: 'head', delegationId });
      assert.match(token, /^[A-Za-z0-9_-]{43}$/);
      const stored = await findInvitationByTokenHash(ctx.db, hashInvitationToken(token));
      assert.deepEqual(stored, invitation);
      assert.equal(stored?.email, 'new.head@example.test');
      assert.equal(stored?.role, 'head');
      assert.equal(stored?.delegationId, delegationId);
      assert.equal(stored?.invitedBy, secretariat.id);
      assert.equal(stored?.acceptedAt, null);
      assert.ok(stored && stored.expiresAt >= before + INVITATION_TTL_MS && stored.expiresAt <= Date.now() + INVITATION_TTL_MS);
      assert.equal(await countRows(ctx.db, 'invitations', 'token_hash = ?', [token]), 0, 'the token itself is never stored');
    });

    test('[S89] inviting an address again replaces its open invitation: one link works, the earlier one has expired', async () => {
      const { secretariat, negotiation } = await negotiationWithSecretariat(ctx.db);
      const { negotiation: elsewhere, secretariat: otherSecretariat } = await negotiationWithSecretariat(ctx.db);
      const { delegationId } = await buildDelegation(ctx.db, negotiation.id);
      const invite = (email: string, role: 'observer' | 'head') => inviteMember(ctx.db, secretariat, negotiation.id, { email, role, delegationId: role === 'head' ? delegationId : null });
      const first = await invite('twice@example.test', 'observer');
      const other = await inviteMember(ctx.db, otherSecretariat, elsewhere.id, { email: 'twice@example.test', role: 'observer', delegationId: null });
      const second = await invite(' Twice@Example.TEST ', 'head');
      assert.deepEqual([first.replaced, other.replaced, second.replaced], [false, false, true]);
      const open = await listOpenInvitations(ctx.db, negotiation.id, Date.now());
      assert.deepEqual(open.map(({ id, role }) => ({ id, role })), [{ id: second.invitation.id, role: 'head' }]);
      assert.equal((await describeInvitation(ctx.db, first.token)).state, 'expired', 'the earlier link no longer works');
      assert.equal((await describeInvitation(ctx.db, second.token)).state, 'valid');
      assert.equal((await describeInvitation(ctx.db, other.token)).state, 'valid', "another negotiation's invitation is untouched");

      // Two invitations of one address at once still leave exactly one open.
      await Promise.all([invite('racing@example.test', 'observer'), invite('racing@example.test', 'observer')]);
      assert.equal((await listOpenInvitations(ctx.db, negotiation.id, Date.now())).filter((invitation) => invitation.email === 'racing@example.test').length, 1);
    });

    test('[T11] a delegate may not invite: forbidden, and no invitation row', async () => {
      const { negotiation } = await negotiationWithSecretariat(ctx.db);
      const { user: delegate, delegationId } = await memberWithDelegation(ctx.db, negotiation.id);
      await refusedWithNothingStored(ctx.db, () => inviteMember(ctx.db, delegate, negotiation.id, { email: 'friend@example.test', role: 'adviser', delegationId }), 'forbidden');
      assert.equal(await countRows(ctx.db, 'invitations', 'negotiation_id = ?', [negotiation.id]), 0);
    });

    test('[T11] the secretariat of another negotiation gets not_found, and no invitation row', async () => {
      const { negotiation } = await negotiationWithSecretariat(ctx.db);
      const { secretariat: otherSecretariat } = await negotiationWithSecretariat(ctx.db);
      await refusedWithNothingStored(ctx.db, () => inviteMember(ctx.db, otherSecretariat, negotiation.id, { email: 'mole@example.test', role: 'secretariat', delegationId: null }), 'not_found');
      assert.equal(await countRows(ctx.db, 'invitations', 'negotiation_id = ?', [negotiation.id]), 0);
    });

    test('[T11] a delegationId that belongs to another negotiation is invalid_input', async () => {
      const { secretariat, negotiation } = await negotiationWithSecretariat(ctx.db);
      const other = await negotiationWithSecretariat(ctx.db);
      const { delegationId: foreignDelegation } = await buildDelegation(ctx.db, other.negotiation.id);
      await refusedWithNothingStored(
        ctx.db,
        () => inviteMember(ctx.db, secretariat, negotiation.id, { email: 'x@example.test', role: 'head', delegationId: foreignDelegation }),
        'invalid_input',
        { delegationId: 'not_found' },
      );
    });

    test('role and delegation must fit: a head needs a delegation, a chair or interpreter must have none', async () => {
      const { secretariat, negotiation } = await negotiationWithSecretariat(ctx.db);
      const { delegationId } = await buildDelegation(ctx.db, negotiation.id);
      const cases: [Record<string, unknown>, string][] = [
        [{ email: 'h@example.test', role: 'head', delegationId: null }, 'required'],
        [{ email: 'd@example.test', role: 'delegate', delegationId: null }, 'required'],
        [{ email: 'c@example.test', role: 'chair', delegationId }, 'role_without_delegation'],
        [{ email: 'i@example.test', role: 'interpreter', delegationId }, 'role_without_delegation'],
        [{ email: 's@example.test', role: 'secretariat', delegationId }, 'role_without_delegation'],
      ];
      for (const [input, message] of cases) {
        await refusedWithNothingStored(ctx.db, () => inviteMember(ctx.db, secretariat, negotiation.id, input), 'invalid_input', { delegationId: message });
      }
    });

    test('[T29] unknown keys (invitedBy, expiresAt, negotiationId, __proto__) are invalid_input', async () => {
      const { secretariat, negotiation } = await negotiationWithSecretariat(ctx.db);
      const base = { email: 'guest@example.test', role: 'observer', delegationId: null };
      const inputs = [
        { ...base, invitedBy: randomUUID() },
        { ...base, expiresAt: Date.now() + 10 * INVITATION_TTL_MS },
        { ...base, negotiationId: randomUUID() },
        withOwnKey(base, '__proto__', { role: 'secretariat' }),
      ];
      for (const input of inputs) {
        await refusedWithNothingStored(ctx.db, () => inviteMember(ctx.db, secretariat, negotiation.id, input), 'invalid_input', { form: 'unexpected_field' });
      }
    });

    test('a bad e-mail, an unknown role or a malformed delegation id are invalid_input', async () => {
      const { secretariat, negotiation } = await negotiationWithSecretariat(ctx.db);
      const inputs: [unknown, Record<string, string>][] = [
        [{ email: 'not-an-email', role: 'observer', delegationId: null }, { email: 'invalid_email' }],
        [{ email: `${'a'.repeat(250)}@example.test`, role: 'observer', delegationId: null }, { email: 'too_long' }],
        [{ email: 'a@example.test', role: 'emperor', delegationId: null }, {}],
        [{ email: 'a@example.test', role: 'head', delegationId: '../x' }, { delegationId: 'invalid_id' }],
      ];
      for (const [input, fields] of inputs) {
        await refusedWithNothingStored(ctx.db, () => inviteMember(ctx.db, secretariat, negotiation.id, input), 'invalid_input', fields);
      }
    });

    test('inviting someone who is already a member is already_member', async () => {
      const { secretariat, negotiation } = await negotiationWithSecretariat(ctx.db);
      const { user: delegate } = await memberWithDelegation(ctx.db, negotiation.id);
      await refusedWithNothingStored(
        ctx.db,
        () => inviteMember(ctx.db, secretariat, negotiation.id, { email: delegate.email.toUpperCase(), role: 'observer', delegationId: null }),
        'already_member',
      );
    });
  });

  describe(`${backend.name}: negotiation ids from the outside`, () => {
    const ctx = useDatabase(backend);

    test('[T10] malformed, disguised and unknown negotiation ids answer not_found from every use case, and nothing is stored', async () => {
      const { secretariat, negotiation } = await negotiationWithSecretariat(ctx.db);
      const { delegationId, membershipId } = await memberWithDelegation(ctx.db, negotiation.id);
      const session = await scheduleSession(ctx.db, secretariat, negotiation.id, { title: 'Plenary', scheduledStart: '2031-01-01T10:00:00Z' });
      const id = negotiation.id;
      const badIds: unknown[] = [
        '../x',
        `../${id}`,
        'x'.repeat(10 * 1024),
        ' ',
        '\t\n',
        ` ${id} `,
        `${id}\n`,
        `${id}\u200B`,
        id.replace(/[0-9]/, (digit) => String.fromCharCode(0xff10 + Number(digit))),
        id.toUpperCase(),
        `${id}' OR '1'='1`,
        '__proto__',
        'constructor',
        '',
        randomUUID(),
        null,
        undefined,
        42,
        { id },
        [id],
      ];
      const useCases: [string, (negotiationId: unknown) => Promise<unknown>][] = [
        ['getNegotiationOverview', (negotiationId) => getNegotiationOverview(ctx.db, secretariat, negotiationId)],
        ['inviteMember', (negotiationId) => inviteMember(ctx.db, secretariat, negotiationId, { email: 'n@example.test', role: 'observer', delegationId: null })],
        ['accreditDelegation', (negotiationId) => accreditDelegation(ctx.db, secretariat, negotiationId, { status: 'member', actor: { source: 'new', name: 'Oslo', kind: 'city', country: 'Norway' } })],
        ['changeMemberRole', (negotiationId) => changeMemberRole(ctx.db, secretariat, negotiationId, { membershipId, role: 'head', delegationId })],
        ['scheduleSession', (negotiationId) => scheduleSession(ctx.db, secretariat, negotiationId, { title: 'Extra', scheduledStart: '2031-01-02T10:00:00Z' })],
        ['changeSessionStatus', (negotiationId) => changeSessionStatus(ctx.db, secretariat, negotiationId, { sessionId: session.id, status: 'live' })],
        ['createDocument', (negotiationId) => createDocument(ctx.db, secretariat, negotiationId, { title: 'Draft', kind: 'memorandum', baseText: 'Text' })],
      ];
      const membershipsBefore = await listMemberships(ctx.db, negotiation.id);
      for (const [name, run] of useCases) {
        for (const badId of badIds) {
          const label = `${name}(${JSON.stringify(badId)?.slice(0, 60)})`;
          await refusedWithNothingStored(ctx.db, () => run(badId), 'not_found').catch((error: unknown) => {
            assert.fail(`${label}: ${error instanceof Error ? error.message : String(error)}`);
          });
        }
      }
      assert.deepEqual(await listMemberships(ctx.db, negotiation.id), membershipsBefore, 'no role changed');
      assert.equal((await listSessionEvents(ctx.db, session.id)).length, 1, 'no session moved');
      // The real id still works, so the refusals above were about the ids.
      assert.equal((await getNegotiationOverview(ctx.db, secretariat, id)).negotiation.id, id);
    });
  });
}
