/**
 * The session-room bench's assembly, written into the server's SQLite file while the server is
 * stopped, through the same use cases the pages call (so the data is what a secretariat would
 * make): one negotiation, member delegations (cities) of a few people each — a head and delegates,
 * 50 of four by default — a chair, and one scheduled session.
 */
import { randomUUID } from 'node:crypto';
import { openSqlite } from '../../lib/db/sqlite';
import { insertMembership } from '../../lib/db/repositories/negotiations';
import { findUserById, insertUser } from '../../lib/db/repositories/people';
import { hashPassword } from '../../lib/server/auth/password';
import { accreditDelegation } from '../../lib/server/negotiations/accredit-delegation';
import { createNegotiation } from '../../lib/server/negotiations/create-negotiation';
import { scheduleSession } from '../../lib/server/negotiations/schedule-session';
import { BENCH_PASSWORD, type TBenchAccount } from '../codrafting/proxenia-setup';

const DOMAIN = 'session-bench.proxenia.test';

export interface TParticipant extends TBenchAccount {
  delegationId: string;
  isHead: boolean;
}

export interface TAssembly {
  negotiationId: string;
  sessionId: string;
  chair: TBenchAccount;
  participants: TParticipant[];
  delegationIds: string[];
}

export async function prepareAssembly(sqliteFile: string, delegations: number, perDelegation: number): Promise<TAssembly> {
  const db = openSqlite(sqliteFile);
  try {
    const passwordHash = await hashPassword(BENCH_PASSWORD);
    const now = Date.now();
    const addUser = async (email: string, name: string, accountRole: 'member' | 'organizer') => {
      const id = randomUUID();
      await insertUser(db, { id, email, name, passwordHash, accountRole, createdAt: now });
      const user = await findUserById(db, id);
      if (!user) throw new Error(`user ${email} not stored`);
      return user;
    };
    const organizer = await addUser(`secretariat@${DOMAIN}`, 'Bench secretariat', 'organizer');
    const negotiation = await createNegotiation(db, organizer, {
      title: 'Session bench assembly',
      format: 'multilateral',
      host: 'Bench network',
      languages: ['en'],
      description: `${delegations} cities, ${perDelegation} people each.`,
    });
    const chairAccount: TBenchAccount = { email: `chair@${DOMAIN}`, name: 'Bench chair', role: 'editor' };
    const chairUser = await addUser(chairAccount.email, chairAccount.name, 'member');
    await insertMembership(db, { id: randomUUID(), negotiationId: negotiation.id, userId: chairUser.id, delegationId: null, role: 'chair', createdAt: now });

    const participants: TParticipant[] = [];
    const delegationIds: string[] = [];
    for (let d = 0; d < delegations; d += 1) {
      const delegation = await accreditDelegation(db, organizer, negotiation.id, {
        status: 'member',
        actor: { source: 'new', name: `Bench City ${String(d + 1).padStart(2, '0')}`, kind: 'city', country: 'Benchland' },
      });
      delegationIds.push(delegation.id);
      for (let p = 0; p < perDelegation; p += 1) {
        const isHead = p === 0;
        const account: TParticipant = {
          email: `city${d + 1}.${isHead ? 'head' : `delegate${p}`}@${DOMAIN}`,
          name: `City ${d + 1} ${isHead ? 'head' : `delegate ${p}`}`,
          role: 'editor',
          delegationId: delegation.id,
          isHead,
        };
        const user = await addUser(account.email, account.name, 'member');
        await insertMembership(db, {
          id: randomUUID(),
          negotiationId: negotiation.id,
          userId: user.id,
          delegationId: delegation.id,
          role: isHead ? 'head' : 'delegate',
          createdAt: now,
        });
        participants.push(account);
      }
    }
    const session = await scheduleSession(db, organizer, negotiation.id, {
      title: 'Plenary',
      scheduledStart: new Date(now + 60_000).toISOString(),
    });
    return { negotiationId: negotiation.id, sessionId: session.id, chair: chairAccount, participants, delegationIds };
  } finally {
    await db.close();
  }
}
