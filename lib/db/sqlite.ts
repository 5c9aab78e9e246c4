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

/**
 * Makes committed WAL frames durable with fsync run on libuv's thread pool, so the event loop keeps
 * serving sockets while the disk works (a commit's fsync took 0.3 ms on average here, and several
 * ms at the tail — time during which every other connection waited when SQLite did it itself).
 * A caller waits for a sync that began after its commit; everyone who commits while one is running
 * shares the next one (group commit).
 */
class WalSync {
  private handle: Promise<fs.promises.FileHandle> | null = null;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  constructor(private readonly walFile: string) {}

  afterCommit(): Promise<void> {
    if (!this.running) return this.start();
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.start();
      });
    return this.queued;
  }

  private start(): Promise<void> {
    const run = this.syncOnce().finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
    return run;
  }

  private async syncOnce(): Promise<void> {
    // SQLite keeps the -wal file (same inode) while the connection is open; fsync of any descriptor
    // flushes the file. Its directory entry is made durable once, when we first open it.
    this.handle ??= fs.promises.open(this.walFile, 'r').then(async (handle) => {
      const directory = await fs.promises.open(path.dirname(this.walFile), 'r');
      await directory.sync().finally(() => directory.close());
      return handle;
    });
    try {
      // fdatasync, as SQLite itself would: the frames and the file size, not the access times.
      await (await this.handle).datasync();
    } catch (error) {
      this.handle = null;
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.running?.catch(() => undefined);
    await (await this.handle?.catch(() => null))?.close();
  }
}

/** Opens (creating if needed) the SQLite database file; `:memory:` gives a private in-memory one. */
export function openSqlite(file: string): Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const connection = new BetterSqlite3(file);
  connection.pragma('journal_mode = WAL');
  // A commit is on disk before we acknowledge it (the log's durability promise): SQLite writes the
  // WAL (NORMAL: it fsyncs only around checkpoints) and WalSync fsyncs it before any write resolves.
  connection.pragma('synchronous = NORMAL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');

  const lock = new SerialLock();
  const direct = statements(connection);
  const inTransaction: Queryable = { dialect: 'sqlite', ...direct };
  const wal = file === ':memory:' ? null : new WalSync(`${file}-wal`);
  /** The sync that covers the latest commit, while it runs: until it ends, what was written is not to be read. */
  let unsynced: Promise<void> | null = null;
  /**
   * A write resolves once durable. The sync starts (or is joined) inside the lock, right after the
   * commit, and the lock is free meanwhile: the next write commits and joins the next sync (group
   * commit); only a read waits (below), so nobody sees data that a crash could still take.
   */
  const write = async <T>(work: () => Promise<T>, onCommit?: (result: T) => void): Promise<T> => {
    let sync: Promise<void> | null = null;
    const result = await lock.run(async () => {
      const value = await work();
      if (wal) {
        const started = wal.afterCommit();
        sync = unsynced = started;
        const ended = () => {
          if (unsynced === started) unsynced = null;
        };
        started.then(ended, ended);
      }
      return value;
    });
    onCommit?.(result);
    await sync;
    return result;
  };
  const read = async <T>(query: () => Promise<T>): Promise<T> => {
    // Most of the waiting happens outside the lock, so writers keep committing meanwhile...
    await unsynced?.catch(() => undefined);
    return lock.run(async () => {
      // ...and inside it no write can commit, and the sync of the latest commit covers every earlier one.
      await unsynced?.catch(() => undefined);
      return query();
    });
  };

  return {
    dialect: 'sqlite',
    description: file === ':memory:' ? 'sqlite (memory)' : `sqlite (${file})`,
    all: (sql, params) => read(() => direct.all(sql, params)),
    get: (sql, params) => read(() => direct.get(sql, params)),
    run: (sql, params) => write(() => direct.run(sql, params)),
    exec: (script) => write(() => direct.exec(script)),
    transaction: (work, options) =>
      write(async () => {
        connection.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(inTransaction);
          connection.exec('COMMIT');
          return result;
        } catch (error) {
          connection.exec('ROLLBACK');
          throw error;
        }
      }, options?.onCommit),
    close: () =>
      lock.run(async () => {
        await wal?.close();
        connection.close();
      }),
  };
}
