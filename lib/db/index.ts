import path from 'node:path';
import type { TEnv } from '../env';
import type { Database } from './driver';
import { migrate } from './migrations';
import { openSqlite } from './sqlite';

export type { Database, Queryable } from './driver';

/**
 * Opens the configured database: PostgreSQL when DATABASE_URL is set, else SQLite under DATA_DIR.
 * PostgreSQL's driver is imported only then: the embedded default never holds it in memory.
 */
export async function openDatabase(config: Pick<TEnv, 'DATABASE_URL' | 'dataDir'>): Promise<Database> {
  if (!config.DATABASE_URL) return openSqlite(path.join(config.dataDir, 'proxenia.sqlite'));
  const { openPostgres } = await import('./postgres');
  return openPostgres(config.DATABASE_URL);
}

/** Opens and migrates a database. */
export async function openMigratedDatabase(config: Pick<TEnv, 'DATABASE_URL' | 'dataDir'>): Promise<Database> {
  const db = await openDatabase(config);
  await migrate(db);
  return db;
}

/**
 * The custom server and the Next.js bundle are separate module graphs in one process, so a plain
 * module-level singleton would open the database twice. The handle lives on globalThis instead.
 */
const registry = globalThis as typeof globalThis & { __proxeniaDb?: Promise<Database> };

/** Installs the process's database handle (called once by the server at start). */
export function installDatabase(db: Database): void {
  registry.__proxeniaDb = Promise.resolve(db);
}

/** The process's database; opened lazily from the environment if the server did not install one. */
export async function getDb(): Promise<Database> {
  if (!registry.__proxeniaDb) {
    const { env } = await import('../env');
    registry.__proxeniaDb = openMigratedDatabase(env());
  }
  return registry.__proxeniaDb;
}
