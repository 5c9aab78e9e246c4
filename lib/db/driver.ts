/**
 * The one storage interface that every repository is written against. Two drivers implement it
 * (SQLite for the embedded default, PostgreSQL for larger installations); SQL is written once with
 * `?` placeholders, in the subset both databases understand.
 */
/** Values we bind: text, numbers, NULL, and bytes (BLOB in SQLite, bytea in PostgreSQL). */
export type SqlValue = string | number | null | Uint8Array;

export type Dialect = 'sqlite' | 'postgres';

export interface Queryable {
  readonly dialect: Dialect;
  /** All rows of a query. */
  all<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** The first row of a query, if any. */
  get<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row | undefined>;
  /** Runs a statement and reports how many rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
  /** Runs a multi-statement script without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface TTransactionOptions<T> {
  /**
   * Called with the result once the transaction has committed, before it resolves. Where the two
   * differ (SQLite makes its WAL durable after the commit: a crash of the process can no longer
   * take it, a power cut still could), this comes first: a writer that keeps its transactions in
   * order may start the next one here instead of waiting for the disk.
   */
  onCommit?: (result: T) => void;
}

export interface Database extends Queryable {
  /** Runs `work` in one transaction: durably committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>, options?: TTransactionOptions<T>): Promise<T>;
  /** A short description for logs and /api/health, without credentials. */
  readonly description: string;
  close(): Promise<void>;
}

/** Raised by drivers when a UNIQUE constraint refuses a write, so callers can map it to a domain error. */
export class UniqueViolationError extends Error {
  constructor(cause: unknown) {
    super('unique constraint violated', { cause });
  }
}
