/**
 * Shared pieces of the contract suite: one migrated database per `describe` and backend, row counts
 * for "nothing was stored" checks, and an assertion for the domain's stable error codes.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import type { Database, Queryable } from '../../lib/db';
import { openPostgres } from '../../lib/db/postgres';
import { openSqlite } from '../../lib/db/sqlite';
import { AppError, type TErrorCode } from '../../lib/shared/errors';
import { createPostgresSchema, type TTestBackend, type TTestDatabase } from '../helpers/databases';

/** Every table the first migration creates. */
export const TABLES = [
  'users',
  'actors',
  'negotiations',
  'delegations',
  'memberships',
  'invitations',
  'negotiation_sessions',
  'documents',
  'session_events',
] as const;

export type TTable = (typeof TABLES)[number];

/**
 * Opens a fresh migrated database before the enclosing `describe` runs and disposes it after.
 * Tests inside share it, so each builds its own users and negotiations.
 */
export function useDatabase(backend: TTestBackend): { readonly db: Database } {
  let opened: TTestDatabase | undefined;
  before(async () => {
    opened = await backend.open();
  });
  after(async () => {
    await opened?.dispose();
  });
  return {
    get db(): Database {
      if (!opened) throw new Error('database not open yet');
      return opened.db;
    },
  };
}

/** A fresh database of the backend's kind on which no migration has run yet. */
export async function openUnmigrated(backend: TTestBackend): Promise<TTestDatabase> {
  if (backend.name === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proxenia-contract-'));
    const db = openSqlite(path.join(dir, 'raw.sqlite'));
    return {
      db,
      async dispose() {
        await db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const baseUrl = process.env.TEST_DATABASE_URL;
  if (!baseUrl) throw new Error('openUnmigrated(postgres) needs TEST_DATABASE_URL');
  const schema = await createPostgresSchema(baseUrl);
  const db = openPostgres(schema.url);
  return {
    db,
    url: schema.url,
    async dispose() {
      await db.close();
      await schema.drop();
    },
  };
}

/** How many rows a table holds (optionally filtered by a `WHERE` clause with `?` parameters). */
export async function countRows(q: Queryable, table: TTable, where = '', params: (string | number | null)[] = []): Promise<number> {
  const row = await q.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table}${where ? ` WHERE ${where}` : ''}`, params);
  return Number(row?.n ?? 0);
}

/** The row count of every table: compare before and after a refused call to prove nothing was stored. */
export async function tableCounts(q: Queryable): Promise<Record<TTable, number>> {
  const entries = await Promise.all(TABLES.map(async (table) => [table, await countRows(q, table)] as const));
  return Object.fromEntries(entries) as Record<TTable, number>;
}

/** Awaits `promise`, which must fail with an AppError of `code` (and, if given, these field messages). */
export async function rejectsWithCode(
  promise: Promise<unknown>,
  code: TErrorCode,
  fields?: Record<string, string>,
): Promise<AppError> {
  let outcome: unknown;
  try {
    await promise;
  } catch (error) {
    outcome = error;
  }
  if (!(outcome instanceof AppError)) {
    assert.fail(`expected AppError(${code}), got ${outcome === undefined ? 'success' : String(outcome)}`);
  }
  assert.equal(outcome.code, code, `error code (fields: ${JSON.stringify(outcome.fields)})`);
  if (fields) {
    for (const [key, message] of Object.entries(fields)) {
      assert.equal(outcome.fields[key], message, `field message for ${key} in ${JSON.stringify(outcome.fields)}`);
    }
  }
  return outcome;
}

/** Runs `work` (expected to be refused with `code`) and checks that no table gained or lost a row. */
export async function refusedWithNothingStored(
  db: Database,
  work: () => Promise<unknown>,
  code: TErrorCode,
  fields?: Record<string, string>,
): Promise<AppError> {
  const before = await tableCounts(db);
  const error = await rejectsWithCode(work(), code, fields);
  assert.deepEqual(await tableCounts(db), before, `nothing stored after ${code}`);
  return error;
}
