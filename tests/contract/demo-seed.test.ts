/**
 * The demo seed on every backend: it runs once ([T33]: seed once, never on every start), and gives
 * the two negotiations and eighteen accounts that the README and the start banner promise.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Database } from '../../lib/db';
import { listDelegations, listDocuments, listMemberships, type TNegotiation, findNegotiationById } from '../../lib/db/repositories/negotiations';
import { countUsers, findUserByEmail } from '../../lib/db/repositories/people';
import { listSessionEvents, listSessions } from '../../lib/db/repositories/sessions';
import { verifyPassword } from '../../lib/server/auth/password';
import { DEMO_PASSWORD, demoAccounts, seedDemo } from '../../lib/server/demo-seed';
import { RECORDED_SESSION_TITLE, STATEMENT_TITLE } from '../../lib/server/demo-record';
import { findAdoption, listSignatures } from '../../lib/db/repositories/adoption';
import { verifyChain } from '../../lib/session/event-hash';
import { testBackends } from '../helpers/databases';
import { buildUser } from '../helpers/factories';
import { tableCounts, useDatabase, type TTable } from './support';

const METROPOLIS_CITIES = ['Barcelona', 'Brazzaville', 'Johannesburg', 'Montréal', 'Nizhny Novgorod', 'Seoul', 'São Paulo'];

async function negotiationTitled(db: Database, prefix: string): Promise<TNegotiation> {
  const rows = await db.all<{ id: string }>('SELECT id FROM negotiations WHERE title LIKE ?', [`${prefix}%`]);
  assert.equal(rows.length, 1, `one negotiation titled ${prefix}…`);
  const negotiation = await findNegotiationById(db, rows[0]?.id ?? '');
  assert.ok(negotiation);
  return negotiation;
}

/** Checks a negotiation's single upcoming session and its one-event log. */
async function assertOneScheduledSession(db: Database, negotiation: TNegotiation, secretariatId: string | undefined): Promise<void> {
  const sessions = (await listSessions(db, negotiation.id)).filter((candidate) => candidate.status !== 'closed');
  assert.equal(sessions.length, 1);
  const [session] = sessions;
  assert.equal(session?.status, 'scheduled');
  assert.ok(session && session.scheduledStart > Date.now(), 'the demo session is upcoming');
  const events = await listSessionEvents(db, session.id);
  assert.deepEqual(
    events.map(({ seq, type, userId, role }) => ({ seq, type, userId, role })),
    [{ seq: 1, type: 'session.scheduled', userId: secretariatId, role: 'secretariat' }],
  );
  assert.deepEqual(verifyChain(events), { ok: true, count: 1, head: session.headHash });
}

for (const backend of testBackends()) {
  describe(`${backend.name}: demo seed`, () => {
    const ctx = useDatabase(backend);
    let firstRun: boolean | undefined;
    let countsAfterSeed: Record<TTable, number> | undefined;

    before(async () => {
      firstRun = await seedDemo(ctx.db);
      countsAfterSeed = await tableCounts(ctx.db);
    });

    test('[T33] seeds an empty database once; a second call returns false and changes nothing', async () => {
      assert.equal(firstRun, true);
      assert.ok(countsAfterSeed && countsAfterSeed.users > 0);
      assert.equal(await seedDemo(ctx.db), false);
      assert.deepEqual(await tableCounts(ctx.db), countsAfterSeed);
    });

    test('Metropolis: 7 member city delegations, 3 observer delegations, a declaration and a scheduled session', async () => {
      const metropolis = await negotiationTitled(ctx.db, 'Metropolis Annual Meeting');
      assert.equal(metropolis.format, 'multilateral');
      const delegations = await listDelegations(ctx.db, metropolis.id);
      const members = delegations.filter((delegation) => delegation.status === 'member');
      const observers = delegations.filter((delegation) => delegation.status === 'observer');
      assert.deepEqual(members.map((delegation) => delegation.actorName).sort(), [...METROPOLIS_CITIES].sort());
      assert.ok(members.every((delegation) => delegation.actorKind === 'city'));
      assert.equal(observers.length, 3);
      assert.deepEqual(observers.map((delegation) => delegation.actorKind).sort(), ['international_organization', 'national_government', 'ngo']);

      const memberships = await listMemberships(ctx.db, metropolis.id);
      for (const delegation of members) {
        const roles = memberships.filter((m) => m.delegationId === delegation.id).map((m) => m.role).sort();
        assert.deepEqual(roles, ['delegate', 'head'], `${delegation.actorName} has a head and a delegate`);
      }
      const secretariat = await findUserByEmail(ctx.db, 'secretariat@demo.proxenia.test');
      const roleOf = (email: string) => memberships.find((m) => m.userEmail === email);
      assert.equal(roleOf('secretariat@demo.proxenia.test')?.role, 'secretariat');
      assert.equal(roleOf('chair@demo.proxenia.test')?.role, 'chair');
      const observer = roleOf('observer@demo.proxenia.test');
      assert.equal(observer?.role, 'observer');
      assert.equal(delegations.find((d) => d.id === observer?.delegationId)?.actorName, 'UN-Habitat');
      // The mesh's interpretation needs a booth (PROTOCOL.md V33): an interpreter without a delegation.
      assert.deepEqual({ role: roleOf('interpreter@demo.proxenia.test')?.role, delegationId: roleOf('interpreter@demo.proxenia.test')?.delegationId }, { role: 'interpreter', delegationId: null });

      const documents = await listDocuments(ctx.db, metropolis.id);
      assert.deepEqual(documents.map((document) => document.title).sort(), ['Draft Declaration on Urban Climate Resilience', STATEMENT_TITLE]);
      assert.match(documents.find((document) => document.title.startsWith('Draft'))?.baseText ?? '', /Urban Climate Resilience/);
      await assertOneScheduledSession(ctx.db, metropolis, secretariat?.id);
    });

    test('Metropolis: an earlier plenary, closed, whose intact log records attendance, speeches, amendments, decisions and an adoption', async () => {
      const metropolis = await negotiationTitled(ctx.db, 'Metropolis Annual Meeting');
      const closed = (await listSessions(ctx.db, metropolis.id)).filter((session) => session.status === 'closed');
      assert.deepEqual(closed.map((session) => session.title), [RECORDED_SESSION_TITLE]);
      const session = closed[0];
      assert.ok(session && session.scheduledStart < Date.now());
      const events = await listSessionEvents(ctx.db, session.id);
      assert.deepEqual(verifyChain(events), { ok: true, count: events.length, head: session.headHash });
      const types = new Set(events.map((event) => event.type));
      for (const type of ['attendance.joined', 'attendance.left', 'agenda.item_added', 'floor.granted', 'speech.ended', 'floor.request_withdrawn', 'amendment.decided', 'paragraph.status_changed', 'decision.closed', 'document.adopted', 'document.signed']) {
        assert.ok(types.has(type), `the log holds ${type}`);
      }
      assert.equal(events.at(-1)?.type, 'session.status_changed');
      const statement = (await listDocuments(ctx.db, metropolis.id)).find((document) => document.title === STATEMENT_TITLE);
      assert.ok(statement);
      assert.equal((await findAdoption(ctx.db, statement.id))?.adoptedTextHash, (events.find((event) => event.type === 'document.adopted')?.payload as { textHash: string }).textHash);
      assert.equal((await listSignatures(ctx.db, statement.id)).length, 3);
    });

    test('the bilateral negotiation: Nizhny Novgorod and Brazzaville, an agreement and a scheduled session', async () => {
      const twinning = await negotiationTitled(ctx.db, 'Nizhny Novgorod — Brazzaville');
      assert.equal(twinning.format, 'bilateral');
      const delegations = await listDelegations(ctx.db, twinning.id);
      assert.deepEqual(
        delegations.map(({ actorName, status }) => ({ actorName, status })),
        [
          { actorName: 'Brazzaville', status: 'member' },
          { actorName: 'Nizhny Novgorod', status: 'member' },
        ],
      );
      const documents = await listDocuments(ctx.db, twinning.id);
      assert.deepEqual(documents.map((document) => document.kind), ['agreement']);
      const secretariat = await findUserByEmail(ctx.db, 'secretariat@demo.proxenia.test');
      await assertOneScheduledSession(ctx.db, twinning, secretariat?.id);
    });

    test('every demo account exists and verifies with DEMO_PASSWORD; only the secretariat may create negotiations', async () => {
      const accounts = demoAccounts();
      assert.equal(accounts.length, 18);
      assert.equal(await countUsers(ctx.db), accounts.length);
      const users = await Promise.all(accounts.map((account) => findUserByEmail(ctx.db, account.email)));
      const verified = await Promise.all(users.map((user) => verifyPassword(user?.passwordHash ?? null, DEMO_PASSWORD)));
      accounts.forEach((account, index) => {
        assert.ok(users[index], `${account.email} exists`);
        assert.equal(verified[index], true, `${account.email} verifies with DEMO_PASSWORD`);
        assert.equal(users[index]?.accountRole, account.email.startsWith('secretariat@') ? 'organizer' : 'member', account.email);
        assert.equal(users[index]?.disabledAt, null);
      });
      assert.equal(await verifyPassword(users[0]?.passwordHash ?? null, `${DEMO_PASSWORD}x`), false);
    });
  });

  describe(`${backend.name}: demo seed on a used database`, () => {
    const ctx = useDatabase(backend);

    test('[T33] a database that already has an account is left alone', async () => {
      await buildUser(ctx.db, { accountRole: 'organizer' });
      const before = await tableCounts(ctx.db);
      assert.equal(await seedDemo(ctx.db), false);
      assert.deepEqual(await tableCounts(ctx.db), before);
      assert.equal(await findUserByEmail(ctx.db, 'secretariat@demo.proxenia.test'), undefined);
    });
  });

  describe(`${backend.name}: demo seed started by two nodes at once`, () => {
    const ctx = useDatabase(backend);

    test('[T33] two concurrent seeds give one demo, and exactly one of them reports seeding', async () => {
      const results = await Promise.all([seedDemo(ctx.db), seedDemo(ctx.db)]);
      assert.deepEqual(results.filter(Boolean).length, 1);
      assert.equal(await countUsers(ctx.db), demoAccounts().length);
    });
  });
}
