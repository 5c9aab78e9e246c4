import pg from 'pg';
import { UniqueViolationError, type Database, type Queryable, type SqlValue } from './driver';

const INT8_OID = 20;

/** Numbers we store in BIGINT (epoch milliseconds, sequence numbers) fit in a double. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Rewrites `?` placeholders to PostgreSQL's `$1, $2, …`; our SQL never has `?` inside literals. */
export function toPostgresPlaceholders(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

function translateError(error: unknown): never {
  if (error instanceof Error && (error as { code?: unknown }).code === '23505') {
    throw new UniqueViolationError(error);
  }
  throw error;
}

function statements(client: pg.Pool | pg.PoolClient): Queryable {
  const query = async (sql: string, params: readonly SqlValue[] = []) => {
    try {
      return await client.query(toPostgresPlaceholders(sql), params as SqlValue[]);
    } catch (error) {
      return translateError(error);
    }
  };
  return {
    dialect: 'postgres',
    all: async <Row>(sql: string, params?: readonly SqlValue[]) =>
      (await query(sql, params)).rows as Row[],
    get: async <Row>(sql: string, params?: readonly SqlValue[]) =>
      (await query(sql, params)).rows[0] as Row | undefined,
    run: async (sql: string, params?: readonly SqlValue[]) => ({
      changes: (await query(sql, params)).rowCount ?? 0,
    }),
    // No parameters: the simple query protocol runs a whole multi-statement script.
    exec: async (script: string) => void (await client.query(script)),
  };
}

/** Connects a pool to the PostgreSQL database at `url`. */
export function openPostgres(url: string): Database {
  const pool = new pg.Pool({ connectionString: url, max: 10, types });
  const safeUrl = new URL(url);
  safeUrl.password = '';
  safeUrl.username = '';

  return {
    ...statements(pool),
    description: `postgres (${safeUrl.host}${safeUrl.pathname})`,
    async transaction(work, options) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(statements(client));
        // PostgreSQL's commit is its durability (synchronous_commit), so the two moments coincide.
        await client.query('COMMIT');
        options?.onCommit?.(result);
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
