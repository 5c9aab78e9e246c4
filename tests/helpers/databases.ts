/**
 * The databases every contract test runs against: SQLite always, PostgreSQL when
 * TEST_DATABASE_URL is set (CI sets it). Each opened database is fresh and migrated: SQLite in a
 * temporary file, PostgreSQL in a schema of its own that is dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Database } from '../../lib/db';
import { migrate } from '../../lib/db/migrations';
import { openPostgres } from '../../lib/db/postgres';
import { openSqlite } from '../../lib/db/sqlite';

export interface TTestDatabase {
  db: Database;
  /** The PostgreSQL URL of this database (with its schema), for starting a server on it. */
  url?: string;
  dispose(): Promise<void>;
}

export interface TTestBackend {
  name: 'sqlite' | 'postgres';
  open(): Promise<TTestDatabase>;
}

/** A PostgreSQL URL whose connections use `schema` by default. */
export function urlWithSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

/** Creates an empty schema in the test PostgreSQL and returns a URL pointing into it. */
export async function createPostgresSchema(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  return {
    url: urlWithSchema(baseUrl, schema),
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}

const sqliteBackend: TTestBackend = {
  name: 'sqlite',
  async open() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proxenia-sqlite-'));
    const db = openSqlite(path.join(dir, 'test.sqlite'));
    await migrate(db);
    return {
      db,
      async dispose() {
        await db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

function postgresBackend(baseUrl: string): TTestBackend {
  return {
    name: 'postgres',
    async open() {
      const schema = await createPostgresSchema(baseUrl);
      const db = openPostgres(schema.url);
      await migrate(db);
      return {
        db,
        url: schema.url,
        async dispose() {
          await db.close();
          await schema.drop();
        },
      };
    },
  };
}

/** SQLite, plus PostgreSQL when TEST_DATABASE_URL is set. */
export function testBackends(): TTestBackend[] {
  const url = process.env.TEST_DATABASE_URL;
  return url ? [sqliteBackend, postgresBackend(url)] : [sqliteBackend];
}
