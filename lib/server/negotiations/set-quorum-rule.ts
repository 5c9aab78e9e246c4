import type { Database } from '../../db';
import { updateQuorumRule, type TNegotiation } from '../../db/repositories/negotiations';
import type { TUser } from '../../db/repositories/people';
import { ZSetQuorumRule } from '../../shared/schemas';
import { liveHub } from '../live-hub';
import { parseInput } from '../parse-input';
import { recordInOpenSessions } from '../sessions/record-event';
import { authorizeInNegotiation } from './authorize-in-negotiation';

/** Sets how many member delegations make a quorum (S17); logged in open sessions, whose rooms apply it at once. */
export async function setQuorumRule(db: Database, user: TUser, negotiationId: unknown, input: unknown): Promise<TNegotiation> {
  const changed = await db.transaction(async (tx) => {
    const access = await authorizeInNegotiation(tx, user, negotiationId, 'negotiation.edit');
    const { quorumRule } = parseInput(ZSetQuorumRule, input);
    if (access.negotiation.quorumRule === quorumRule) return access.negotiation;
    await updateQuorumRule(tx, access.negotiation.id, quorumRule);
    await recordInOpenSessions(tx, access.negotiation.id, { user, membership: access.membership }, 'quorum.rule_changed', { from: access.negotiation.quorumRule, to: quorumRule }, Date.now());
    return { ...access.negotiation, quorumRule };
  });
  liveHub().negotiationSessionsChanged(changed.id);
  return changed;
}
