/**
 * Bench accounts for Proxenia, written straight into the server's SQLite file while the server is
 * stopped (it created the schema and the demo seed on an earlier start): editors are delegates of the
 * Metropolis negotiation's member delegations (they may edit, D1), viewers are observers (read-only,
 * D4). One argon2 hash, computed once, serves every account. The bench documents are added to the
 * Metropolis negotiation, one per scenario.
 */
import { randomUUID } from 'node:crypto';
import { openSqlite } from '../../lib/db/sqlite';
import { insertDocument, insertMembership } from '../../lib/db/repositories/negotiations';
import { insertUser } from '../../lib/db/repositories/people';
import { hashPassword } from '../../lib/server/auth/password';
import { Browserless } from '../../tests/helpers/http';

export const BENCH_PASSWORD = 'proxenia-bench-password';
const BENCH_DOMAIN = 'bench.proxenia.test';

export interface TBenchAccount {
  email: string;
  name: string;
  role: 'editor' | 'viewer';
}

export interface TProxeniaFixture {
  negotiationId: string;
  documents: Record<string, string>;
  editors: TBenchAccount[];
  viewers: TBenchAccount[];
}

const BENCH_TEXT = `Bench declaration
We, the member cities, gathered to test the drafting room,
1. Agree that this text is only a starting point.`;

/** Adds `editors` + `viewers` accounts and one document per name in `documentNames`. */
export async function prepareProxeniaDatabase(
  sqliteFile: string,
  counts: { editors: number; viewers: number },
  documentNames: readonly string[],
): Promise<TProxeniaFixture> {
  const db = openSqlite(sqliteFile);
  try {
    const negotiation = await db.get<{ id: string; createdBy: string }>(
      `SELECT id, created_by AS "createdBy" FROM negotiations WHERE title LIKE 'Metropolis%' ORDER BY created_at LIMIT 1`,
    );
    if (!negotiation) throw new Error('the demo seed (Metropolis negotiation) is missing: start the server with SEED_DEMO=true first');
    const memberDelegations = await db.all<{ id: string }>(
      `SELECT id FROM delegations WHERE negotiation_id = ? AND status = 'member' ORDER BY id`,
      [negotiation.id],
    );
    const observerDelegation = await db.get<{ id: string }>(
      `SELECT id FROM delegations WHERE negotiation_id = ? AND status = 'observer' ORDER BY id LIMIT 1`,
      [negotiation.id],
    );
    if (!memberDelegations.length) throw new Error('the Metropolis negotiation has no member delegation');
    const passwordHash = await hashPassword(BENCH_PASSWORD);
    const now = Date.now();
    const editors: TBenchAccount[] = [];
    const viewers: TBenchAccount[] = [];
    const documents: Record<string, string> = {};
    await db.transaction(async (tx) => {
      const add = async (role: 'editor' | 'viewer', index: number) => {
        const userId = randomUUID();
        const account: TBenchAccount = {
          email: `${role}.${index}@${BENCH_DOMAIN}`,
          name: `Bench ${role} ${index}`,
          role,
        };
        await insertUser(tx, { id: userId, email: account.email, name: account.name, passwordHash, accountRole: 'member', createdAt: now });
        await insertMembership(tx, {
          id: randomUUID(),
          negotiationId: negotiation.id,
          userId,
          delegationId: role === 'editor' ? (memberDelegations[index % memberDelegations.length]?.id ?? null) : (observerDelegation?.id ?? null),
          role: role === 'editor' ? 'delegate' : 'observer',
          createdAt: now,
        });
        (role === 'editor' ? editors : viewers).push(account);
      };
      for (let i = 0; i < counts.editors; i++) await add('editor', i);
      for (let i = 0; i < counts.viewers; i++) await add('viewer', i);
      for (const name of documentNames) {
        const id = randomUUID();
        await insertDocument(tx, {
          id,
          negotiationId: negotiation.id,
          title: `Bench document ${name}`,
          kind: 'declaration',
          baseText: BENCH_TEXT,
          createdBy: negotiation.createdBy,
          createdAt: now,
        });
        documents[name] = id;
      }
    });
    return { negotiationId: negotiation.id, documents, editors, viewers };
  } finally {
    await db.close();
  }
}

/**
 * Signs every account in through Auth.js (/api/auth/csrf, /api/auth/callback/credentials) and
 * returns the Cookie header each client sends. Tokens stay valid across restarts of the server on the
 * same data directory (its secret is kept there), so this runs once.
 */
export async function signInAll(baseUrl: string, accounts: readonly TBenchAccount[], concurrency = 4): Promise<Map<string, string>> {
  const cookies = new Map<string, string>();
  let next = 0;
  const worker = async () => {
    while (next < accounts.length) {
      const account = accounts[next++];
      if (!account) break;
      const client = new Browserless(baseUrl);
      if (!(await client.signIn(account.email, BENCH_PASSWORD))) throw new Error(`sign-in failed for ${account.email}`);
      cookies.set(account.email, client.cookieHeader());
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return cookies;
}

/** A loopback source address per simulated person (127.1.0.0/16 and up): H4 limits handshakes per address. */
export function loopbackAddress(index: number): string {
  return `127.${1 + (index >> 16)}.${(index >> 8) & 255}.${index & 255}`;
}
