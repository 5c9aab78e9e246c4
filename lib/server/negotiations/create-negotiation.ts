import { randomUUID } from 'node:crypto';
import type { Database } from '../../db';
import { insertMembership, insertNegotiation, type TNegotiation } from '../../db/repositories/negotiations';
import type { TUser } from '../../db/repositories/people';
import { can } from '../../policy';
import { DEFAULT_QUORUM_RULE } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import { ZCreateNegotiation } from '../../shared/schemas';
import { actorFor } from './authorize-in-negotiation';
import { parseInput } from '../parse-input';

/** Creates a negotiation; its creator becomes its secretariat. */
export async function createNegotiation(db: Database, user: TUser, input: unknown): Promise<TNegotiation> {
  if (!can(actorFor(user, undefined), 'negotiation.create', { kind: 'platform' })) {
    throw new AppError('forbidden');
  }
  const fields = parseInput(ZCreateNegotiation, input);
  const now = Date.now();
  const negotiation: TNegotiation = {
    id: randomUUID(),
    ...fields,
    languages: [...new Set(fields.languages)],
    quorumRule: DEFAULT_QUORUM_RULE,
    createdBy: user.id,
    createdAt: now,
  };
  await db.transaction(async (tx) => {
    await insertNegotiation(tx, negotiation);
    await insertMembership(tx, {
      id: randomUUID(),
      negotiationId: negotiation.id,
      userId: user.id,
      delegationId: null,
      role: 'secretariat',
      createdAt: now,
    });
  });
  return negotiation;
}
