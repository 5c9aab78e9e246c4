import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { UniqueViolationError, type Database, type Queryable, type SqlValue } from './driver';

/**
 * better-sqlite3 is synchronous and one connection serves the whole process, so an open
 * transaction would see (and be polluted by) statements issued from other async tasks between its
 * awaits. Every operation therefore runs behind one FIFO lock.
 */
class SerialLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

function translateError(error: unknown): never {
  if (error instanceof Error && 'code' in error) {
    const code = String((error as { code: unknown }).code);
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      throw new UniqueViolationError(error);
    }
  }
  throw error;
}

/** Prepared statements kept per SQL text; the hot paths (the document log) reuse a handful. */
const STATEMENT_CACHE_SIZE = 500;

function statements(connection: BetterSqlite3.Database): Omit<Queryable, 'dialect'> {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const prepare = (sql: string): BetterSqlite3.Statement => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = connection.prepare(sql);
      // Oldest first: a Map iterates in insertion order.
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value ?? '');
      cache.set(sql, statement);
    }
    return statement;
  };
  return {
    async all<Row>(sql: string, params: readonly SqlValue[] = []) {
      try {
        return prepare(sql).all(...params) as Row[];
      } catch (error) {
        return translateError(error);
      }
    },
    async get<Row>(sql: string, params: readonly SqlValue[] = []) {
      try {
        return prepare(sql).get(...params) as Row | undefined;
      } catch (error) {
        return translateError(error);
      }
    },
    async exec(script: string) {
      connection.exec(script);
    },
    async run(sql: string, params: readonly SqlValue[] = []) {
      try {
        return { changes: prepare(sql).run(...params).changes };
      } catch (error) {
        return translateError(error);
      }
    },
  };
}

/** Opens (creating if needed) the SQLite database file; `:memory:` gives a private in-memory one. */
export function openSqlite(file: string): Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const connection = new BetterSqlite3(file);
  connection.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before we acknowledge it (the log's durability promise).
  connection.pragma('synchronous = FULL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');

  const lock = new SerialLock();
  const direct = statements(connection);
  const inTransaction: Queryable = { dialect: 'sqlite', ...direct };

  return {
    dialect: 'sqlite',
    description: file === ':memory:' ? 'sqlite (memory)' : `sqlite (${file})`,
    all: (sql, params) => lock.run(() => direct.all(sql, params)),
    get: (sql, params) => lock.run(() => direct.get(sql, params)),
    run: (sql, params) => lock.run(() => direct.run(sql, params)),
    exec: (script) => lock.run(() => direct.exec(script)),
    transaction: (work) =>
      lock.run(async () => {
        connection.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(inTransaction);
          connection.exec('COMMIT');
          return result;
        } catch (error) {
          connection.exec('ROLLBACK');
          throw error;
        }
      }),
    close: () => lock.run(() => void connection.close()),
  };
}
