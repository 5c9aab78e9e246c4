/**
 * The storage contract: what every driver of `Database` must do identically — migrations,
 * case-insensitive e-mail lookups, unique violations, rollback, and single-use invitations.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { UniqueViolationError } from '../../lib/db/driver';
import { migrate, migrations } from '../../lib/db/migrations';
import {
  findInvitationByTokenHash,
  insertInvitation,
  listOpenInvitations,
  markInvitationAccepted,
  type TInvitation,
} from '../../lib/db/repositories/invitations';
import { findUserByEmail, findUserById, insertActor, insertUser, type TUser } from '../../lib/db/repositories/people';
import type { Database } from '../../lib/db';
import { testBackends } from '../helpers/databases';
import { buildNegotiation, buildUser } from '../helpers/factories';
import { countRows, openUnmigrated, TABLES, useDatabase } from './support';

const allVersions = migrations.map((migration) => migration.version);

function newUser(email: string): Parameters<typeof insertUser>[1] {
  return { id: randomUUID(), email, name: 'Ada Lovelace', passwordHash: null, accountRole: 'member', createdAt: Date.now() };
}

async function storeInvitation(db: Database, inviter: TUser, overrides: Partial<TInvitation> = {}): Promise<TInvitation> {
  const negotiation = await buildNegotiation(db, inviter);
  const now = Date.now();
  const invitation: TInvitation = {
    id: randomUUID(),
    tokenHash: randomUUID(),
    negotiationId: negotiation.id,
    delegationId: null,
    role: 'observer',
    email: `invitee-${randomUUID().slice(0, 8)}@example.test`,
    invitedBy: inviter.id,
    expiresAt: now + 60_000,
    acceptedAt: null,
    acceptedBy: null,
    createdAt: now,
    ...overrides,
  };
  await insertInvitation(db, invitation);
  return invitation;
}

for (const backend of testBackends()) {
  describe(`${backend.name}: migrations`, () => {
    test('a fresh database applies every migration once; a second migrate() applies nothing', async () => {
      const raw = await openUnmigrated(backend);
      try {
        assert.deepEqual(await migrate(raw.db), allVersions);
        for (const table of TABLES) assert.equal(await countRows(raw.db, table), 0, `${table} exists and is empty`);
        assert.deepEqual(await migrate(raw.db), []);
        const recorded = await raw.db.all<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
        assert.deepEqual(
          recorded.map((row) => ({ version: Number(row.version), name: row.name })),
          migrations.map(({ version, name }) => ({ version, name })),
        );
      } finally {
        await raw.dispose();
      }
    });

    test('[S85] migration 11 admits cancelled sessions and keeps every session, its log, and the references to it', async () => {
      const raw = await openUnmigrated(backend);
      try {
        const eleventh = migrations.find((migration) => migration.version === 11);
        assert.ok(eleventh, 'migration 11 exists');
        // Every other migration first (the later ones touch other tables), so today's factories can write the rows.
        for (const other of migrations.filter((migration) => migration.version !== 11)) await raw.db.transaction((tx) => tx.exec(other.sql[raw.db.dialect]));
        const negotiation = await buildNegotiation(raw.db, await buildUser(raw.db));
        const sessionId = randomUUID();
        const setStatus = (status: string) => raw.db.run('UPDATE negotiation_sessions SET status = ? WHERE id = ?', [status, sessionId]);
        await raw.db.run(
          `INSERT INTO negotiation_sessions (id, negotiation_id, title, scheduled_start, status, head_seq, head_hash, created_at) VALUES (?, ?, 'Plenary', 5, 'scheduled', 1, 'head', 7)`,
          [sessionId, negotiation.id],
        );
        await raw.db.run(`INSERT INTO session_events (session_id, seq, at, type, payload, prev_hash, hash) VALUES (?, 1, 7, 'session.scheduled', '{}', 'genesis', 'head')`, [sessionId]);
        await assert.rejects(setStatus('cancelled'), 'before the migration, cancelled is refused');

        await raw.db.transaction((tx) => tx.exec(eleventh.sql[raw.db.dialect]));
        const row = await raw.db.get<Record<string, unknown>>(
          'SELECT id, negotiation_id AS "negotiationId", title, scheduled_start AS "scheduledStart", status, head_seq AS "headSeq", head_hash AS "headHash", created_at AS "createdAt" FROM negotiation_sessions',
        );
        assert.deepEqual({ ...row, scheduledStart: Number(row?.scheduledStart), headSeq: Number(row?.headSeq), createdAt: Number(row?.createdAt) }, {
          id: sessionId, negotiationId: negotiation.id, title: 'Plenary', scheduledStart: 5, status: 'scheduled', headSeq: 1, headHash: 'head', createdAt: 7,
        });
        assert.equal(await countRows(raw.db, 'session_events', 'session_id = ?', [sessionId]), 1);
        await setStatus('cancelled');
        await assert.rejects(setStatus('adjourned'), 'the check still refuses an unknown status');
        // The log still references the sessions table: an event of no session is refused.
        await assert.rejects(raw.db.run(`INSERT INTO session_events (session_id, seq, at, type, payload, prev_hash, hash) VALUES (?, 1, 7, 'session.scheduled', '{}', 'genesis', 'x')`, [randomUUID()]));
        await assert.rejects(raw.db.run('DELETE FROM negotiation_sessions WHERE id = ?', [sessionId]), 'a session with a log cannot be deleted');
      } finally {
        await raw.dispose();
      }
    });

    test('two migrate() calls racing on one empty database apply each migration exactly once', async () => {
      const raw = await openUnmigrated(backend);
      try {
        const [first, second] = await Promise.all([migrate(raw.db), migrate(raw.db)]);
        assert.deepEqual([...first, ...second].sort((a, b) => a - b), allVersions);
        const row = await raw.db.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM schema_migrations');
        assert.equal(Number(row?.n), allVersions.length);
      } finally {
        await raw.dispose();
      }
    });
  });

  describe(`${backend.name}: users, uniqueness and transactions`, () => {
    const ctx = useDatabase(backend);

    test('e-mail addresses are stored lower-cased and found case-insensitively', async () => {
      const user = newUser('  Ada.Lovelace@Example.TEST ');
      await insertUser(ctx.db, user);
      const stored = await ctx.db.get<{ email: string }>('SELECT email FROM users WHERE id = ?', [user.id]);
      assert.equal(stored?.email, 'ada.lovelace@example.test');
      for (const spelling of ['ada.lovelace@example.test', 'ADA.LOVELACE@EXAMPLE.TEST', ' Ada.Lovelace@example.Test ']) {
        assert.equal((await findUserByEmail(ctx.db, spelling))?.id, user.id, spelling);
      }
      const found = await findUserById(ctx.db, user.id);
      assert.deepEqual(found, {
        id: user.id,
        email: 'ada.lovelace@example.test',
        name: 'Ada Lovelace',
        passwordHash: null,
        accountRole: 'member',
        disabledAt: null,
        sessionsValidAfter: 0,
        locale: null,
        createdAt: user.createdAt,
      });
      assert.equal(await findUserByEmail(ctx.db, 'nobody@example.test'), undefined);
    });

    test('a second account with the same e-mail in another case raises UniqueViolationError and is not stored', async () => {
      await insertUser(ctx.db, newUser('grace@example.test'));
      const duplicate = newUser('GRACE@example.TEST');
      await assert.rejects(insertUser(ctx.db, duplicate), UniqueViolationError);
      assert.equal(await findUserById(ctx.db, duplicate.id), undefined);
      assert.equal(await countRows(ctx.db, 'users', 'email = ?', ['grace@example.test']), 1);
    });

    test('a duplicate primary key raises UniqueViolationError too', async () => {
      const user = newUser('pk@example.test');
      await insertUser(ctx.db, user);
      await assert.rejects(insertUser(ctx.db, { ...user, email: 'pk-other@example.test' }), UniqueViolationError);
      assert.equal(await countRows(ctx.db, 'users', 'id = ?', [user.id]), 1);
    });

    test('a transaction that throws is rolled back: none of its writes remain, and its error reaches the caller', async () => {
      const user = newUser('rollback@example.test');
      const actorId = randomUUID();
      const boom = new Error('boom');
      await assert.rejects(
        ctx.db.transaction(async (tx) => {
          await insertUser(tx, user);
          await insertActor(tx, { id: actorId, name: 'Rollback City', kind: 'city', country: 'Nowhere', createdAt: Date.now() });
          assert.equal((await findUserById(tx, user.id))?.id, user.id, 'visible inside its own transaction');
          throw boom;
        }),
        (error) => error === boom,
      );
      assert.equal(await findUserById(ctx.db, user.id), undefined);
      assert.equal(await countRows(ctx.db, 'actors', 'id = ?', [actorId]), 0);
    });

    test('a unique violation inside a transaction rolls back the earlier writes of that transaction', async () => {
      await insertUser(ctx.db, newUser('taken@example.test'));
      const first = newUser('fresh@example.test');
      await assert.rejects(
        ctx.db.transaction(async (tx) => {
          await insertUser(tx, first);
          await insertUser(tx, newUser('Taken@example.test'));
        }),
        UniqueViolationError,
      );
      assert.equal(await findUserById(ctx.db, first.id), undefined);
      // The database is usable afterwards (no transaction left open on the connection).
      const later = newUser('later@example.test');
      await ctx.db.transaction((tx) => insertUser(tx, later));
      assert.equal((await findUserById(ctx.db, later.id))?.email, 'later@example.test');
    });

    test('a transaction that resolves is committed and returns its value', async () => {
      const user = newUser('commit@example.test');
      const result = await ctx.db.transaction(async (tx) => {
        await insertUser(tx, user);
        return 'done';
      });
      assert.equal(result, 'done');
      assert.equal((await findUserById(ctx.db, user.id))?.email, 'commit@example.test');
    });
  });

  describe(`${backend.name}: invitations are single-use`, () => {
    const ctx = useDatabase(backend);

    test('markInvitationAccepted succeeds once; the second call returns false and keeps the first acceptance', async () => {
      const inviter = await buildUser(ctx.db);
      const [first, second] = [await buildUser(ctx.db), await buildUser(ctx.db)];
      const invitation = await storeInvitation(ctx.db, inviter);
      assert.equal(await markInvitationAccepted(ctx.db, invitation.id, first.id, 1_000), true);
      assert.equal(await markInvitationAccepted(ctx.db, invitation.id, second.id, 2_000), false);
      const stored = await findInvitationByTokenHash(ctx.db, invitation.tokenHash);
      assert.equal(stored?.acceptedBy, first.id);
      assert.equal(stored?.acceptedAt, 1_000);
    });

    test('two transactions racing to accept one invitation: exactly one wins and the row names the winner', async () => {
      const inviter = await buildUser(ctx.db);
      const racers = [await buildUser(ctx.db), await buildUser(ctx.db)];
      const invitation = await storeInvitation(ctx.db, inviter);
      const outcomes = await Promise.all(
        racers.map((racer, index) => ctx.db.transaction((tx) => markInvitationAccepted(tx, invitation.id, racer.id, 5_000 + index))),
      );
      assert.deepEqual([...outcomes].sort(), [false, true]);
      const winner = racers[outcomes.indexOf(true)];
      const stored = await findInvitationByTokenHash(ctx.db, invitation.tokenHash);
      assert.equal(stored?.acceptedBy, winner?.id);
      assert.equal(stored?.acceptedAt, 5_000 + outcomes.indexOf(true));
    });

    test('listOpenInvitations leaves out accepted and expired invitations', async () => {
      const inviter = await buildUser(ctx.db);
      const open = await storeInvitation(ctx.db, inviter);
      const expired = await storeInvitation(ctx.db, inviter, { negotiationId: open.negotiationId, expiresAt: Date.now() - 1 });
      const accepted = await storeInvitation(ctx.db, inviter, { negotiationId: open.negotiationId });
      assert.equal(await markInvitationAccepted(ctx.db, accepted.id, inviter.id, Date.now()), true);
      const listed = await listOpenInvitations(ctx.db, open.negotiationId, Date.now());
      assert.deepEqual(listed.map((invitation) => invitation.id), [open.id]);
      assert.equal((await findInvitationByTokenHash(ctx.db, expired.tokenHash))?.id, expired.id);
    });

    test('two invitations cannot share a token hash', async () => {
      const inviter = await buildUser(ctx.db);
      const invitation = await storeInvitation(ctx.db, inviter);
      await assert.rejects(
        storeInvitation(ctx.db, inviter, { negotiationId: invitation.negotiationId, tokenHash: invitation.tokenHash }),
        UniqueViolationError,
      );
      assert.equal(await countRows(ctx.db, 'invitations', 'token_hash = ?', [invitation.tokenHash]), 1);
    });
  });
}
