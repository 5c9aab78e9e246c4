/**
 * Reads (and, for a few attack set-ups, writes) the demo data of a running test server straight
 * from its SQLite file, so tests need not scrape ids out of HTML.
 */
import BetterSqlite3 from 'better-sqlite3';
import { DEMO_PASSWORD } from '../../lib/server/demo-seed';
import { Browserless } from './http';
import type { TRunningServer } from './server';

export { DEMO_PASSWORD };

/** The e-mail address of a demo account, e.g. `demoEmail('delegate.seoul')`. */
export function demoEmail(local: string): string {
  return `${local}@demo.proxenia.test`;
}

/** A fresh browser signed in as a demo account (throws if the sign-in is refused). */
export async function signedInDemo(server: TRunningServer, local: string): Promise<Browserless> {
  const client = new Browserless(server.url);
  if (!(await client.signIn(demoEmail(local), DEMO_PASSWORD))) throw new Error(`sign-in as ${local} was refused`);
  return client;
}

/** Runs `work` on the server's SQLite file; read-only unless `write` is set. */
export function withServerDatabase<T>(server: TRunningServer, work: (db: BetterSqlite3.Database) => T, write = false): T {
  const db = new BetterSqlite3(server.sqlitePath, { readonly: !write, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return work(db);
  } finally {
    db.close();
  }
}

export interface TDemoNegotiations {
  /** The multilateral Metropolis meeting (all seven cities, chair, observer). */
  metropolis: string;
  /** The bilateral twinning talks (Nizhny Novgorod and Brazzaville only). */
  twinning: string;
}

/** The ids of the two seeded negotiations. */
export function demoNegotiations(server: TRunningServer): TDemoNegotiations {
  return withServerDatabase(server, (db) => {
    const rows = db.prepare('SELECT id, format FROM negotiations').all() as { id: string; format: string }[];
    const metropolis = rows.find((row) => row.format === 'multilateral')?.id;
    const twinning = rows.find((row) => row.format === 'bilateral')?.id;
    if (!metropolis || !twinning) throw new Error('demo negotiations not seeded');
    return { metropolis, twinning };
  });
}

/** The id of the account with this e-mail address. */
export function userIdOf(server: TRunningServer, email: string): string {
  return withServerDatabase(server, (db) => {
    const row = db.prepare('SELECT id FROM users WHERE email = ?').get(email) as { id: string } | undefined;
    if (!row) throw new Error(`no account ${email}`);
    return row.id;
  });
}

/** How many accounts the server's database holds. */
export function accountCount(server: TRunningServer): number {
  return withServerDatabase(server, (db) => (db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n);
}
