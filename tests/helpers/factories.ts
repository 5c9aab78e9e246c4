/** Builders for test data, written straight through the repositories (like Outline's factories). */
import { randomUUID } from 'node:crypto';
import type { Database } from '../../lib/db';
import { insertDelegation, insertMembership, insertNegotiation, type TNegotiation } from '../../lib/db/repositories/negotiations';
import { findUserById, insertActor, insertUser, type TUser } from '../../lib/db/repositories/people';
import { hashPassword } from '../../lib/server/auth/password';
import { DEFAULT_QUORUM_RULE, type TActorKind, type TDelegationStatus, type TRole } from '../../lib/shared/domain';

export const TEST_PASSWORD = 'correct horse battery';
let cachedHash: Promise<string> | undefined;

/** A stored account (password TEST_PASSWORD). */
export async function buildUser(db: Database, overrides: Partial<Pick<TUser, 'email' | 'name' | 'accountRole'>> = {}): Promise<TUser> {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  const id = randomUUID();
  await insertUser(db, {
    id,
    email: overrides.email ?? `user-${id.slice(0, 8)}@example.test`,
    name: overrides.name ?? `User ${id.slice(0, 4)}`,
    passwordHash: await cachedHash,
    accountRole: overrides.accountRole ?? 'member',
    createdAt: Date.now(),
  });
  const user = await findUserById(db, id);
  if (!user) throw new Error('buildUser: not stored');
  return user;
}

/** A stored negotiation whose secretariat is `secretariat`. */
export async function buildNegotiation(db: Database, secretariat: TUser, title = 'Test negotiation'): Promise<TNegotiation> {
  const negotiation: TNegotiation = {
    id: randomUUID(),
    title,
    format: 'multilateral',
    host: 'Test host',
    languages: ['en'],
    description: '',
    quorumRule: DEFAULT_QUORUM_RULE,
    createdBy: secretariat.id,
    createdAt: Date.now(),
  };
  await insertNegotiation(db, negotiation);
  await insertMembership(db, { id: randomUUID(), negotiationId: negotiation.id, userId: secretariat.id, delegationId: null, role: 'secretariat', createdAt: Date.now() });
  return negotiation;
}

/** A stored actor and its delegation in a negotiation. */
export async function buildDelegation(
  db: Database,
  negotiationId: string,
  options: { name?: string; kind?: TActorKind; status?: TDelegationStatus } = {},
): Promise<{ delegationId: string; actorId: string }> {
  const actorId = randomUUID();
  await insertActor(db, { id: actorId, name: options.name ?? `City ${actorId.slice(0, 4)}`, kind: options.kind ?? 'city', country: 'Testland', createdAt: Date.now() });
  const delegationId = randomUUID();
  await insertDelegation(db, { id: delegationId, negotiationId, actorId, status: options.status ?? 'member', accreditedAt: Date.now() });
  return { delegationId, actorId };
}

/** A stored membership. */
export async function buildMembership(db: Database, negotiationId: string, user: TUser, role: TRole, delegationId: string | null = null): Promise<string> {
  const id = randomUUID();
  await insertMembership(db, { id, negotiationId, userId: user.id, delegationId, role, createdAt: Date.now() });
  return id;
}
