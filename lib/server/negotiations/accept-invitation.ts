import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../../db';
import {
  findInvitationByTokenHash,
  lockInvitationByTokenHash,
  markInvitationAccepted,
  type TInvitation,
} from '../../db/repositories/invitations';
import {
  findDelegationInNegotiation,
  findMembership,
  findNegotiationById,
  insertMembership,
} from '../../db/repositories/negotiations';
import { findUserByEmail, insertUser, type TUser } from '../../db/repositories/people';
import type { TRole } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import { ZAcceptInvitation, type TAcceptInvitation } from '../../shared/schemas';
import { hashPassword } from '../auth/password';
import { parseInput } from '../parse-input';
import { liveHub } from '../live-hub';
import { recordInOpenSessions } from '../sessions/record-event';
import { hashInvitationToken } from './invite-member';
import { checkRolePlacement } from './membership-rules';

export type TInvitationState = 'valid' | 'expired' | 'used';

export interface TInvitationSummary {
  state: TInvitationState;
  email: string;
  role: TRole;
  negotiationId: string;
  negotiationTitle: string;
  delegationName: string | null;
  /** Whether an account with the invited e-mail exists (then the invitee signs in instead). */
  hasAccount: boolean;
}

/** The invitation a token names; with `lock`, its row stays locked until the transaction ends. */
async function findLiveInvitation(q: Queryable, token: string, lock = false): Promise<TInvitation> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw new AppError('invitation_invalid');
  const tokenHash = hashInvitationToken(token);
  const invitation = await (lock ? lockInvitationByTokenHash(q, tokenHash) : findInvitationByTokenHash(q, tokenHash));
  if (!invitation) throw new AppError('invitation_invalid');
  return invitation;
}

function stateOf(invitation: TInvitation, now: number): TInvitationState {
  if (invitation.acceptedAt !== null) return 'used';
  return invitation.expiresAt <= now ? 'expired' : 'valid';
}

/** What an invitation link offers, for the page the invitee lands on. */
export async function describeInvitation(db: Database, token: string): Promise<TInvitationSummary> {
  const invitation = await findLiveInvitation(db, token);
  const negotiation = await findNegotiationById(db, invitation.negotiationId);
  if (!negotiation) throw new AppError('invitation_invalid');
  const delegation = invitation.delegationId
    ? await findDelegationInNegotiation(db, negotiation.id, invitation.delegationId)
    : undefined;
  return {
    state: stateOf(invitation, Date.now()),
    email: invitation.email,
    role: invitation.role,
    negotiationId: negotiation.id,
    negotiationTitle: negotiation.title,
    delegationName: delegation?.actorName ?? null,
    hasAccount: Boolean(await findUserByEmail(db, invitation.email)),
  };
}

/** The token comes from the link, not from a field the invitee could fix: a malformed one is an invalid invitation. */
function parseAcceptance(input: unknown): TAcceptInvitation {
  try {
    return parseInput(ZAcceptInvitation, input);
  } catch (error) {
    if (error instanceof AppError && 'token' in error.fields) throw new AppError('invitation_invalid');
    throw error;
  }
}

/**
 * Accepts an invitation once. A new invitee sets a name and password and gets an account; someone
 * who already has an account must be signed in as the invited address. Returns the member's user id.
 */
export async function acceptInvitation(
  db: Database,
  signedIn: TUser | null,
  input: unknown,
): Promise<{ userId: string; email: string; negotiationId: string; createdAccount: boolean }> {
  const fields = parseAcceptance(input);
  // Hash outside the transaction: it is deliberately slow and must not hold the write lock.
  const passwordHash = fields.password ? await hashPassword(fields.password) : null;

  const accepted = await db.transaction(async (tx) => {
    const invitation = await findLiveInvitation(tx, fields.token, true);
    const now = Date.now();
    const state = stateOf(invitation, now);
    if (state === 'used') throw new AppError('invitation_used');
    if (state === 'expired') throw new AppError('invitation_expired');

    const existing = await findUserByEmail(tx, invitation.email);
    let userId: string;
    if (existing) {
      if (!signedIn || signedIn.id !== existing.id) throw new AppError('invitation_wrong_account');
      userId = existing.id;
    } else {
      if (signedIn) throw new AppError('invitation_wrong_account');
      if (!fields.name || !passwordHash) {
        throw new AppError('invalid_input', {
          ...(fields.name ? {} : { name: 'required' }),
          ...(passwordHash ? {} : { password: 'required' }),
        });
      }
      userId = randomUUID();
      await insertUser(tx, {
        id: userId,
        email: invitation.email,
        name: fields.name,
        passwordHash,
        accountRole: 'member',
        createdAt: now,
      });
    }

    if (await findMembership(tx, invitation.negotiationId, userId)) throw new AppError('already_member');
    const delegationId = await checkRolePlacement(tx, invitation.negotiationId, invitation.role, invitation.delegationId);
    if (!(await markInvitationAccepted(tx, invitation.id, userId, now))) throw new AppError('invitation_used');

    const membership = { id: randomUUID(), negotiationId: invitation.negotiationId, userId, delegationId, role: invitation.role, createdAt: now };
    await insertMembership(tx, membership);
    await recordInOpenSessions(
      tx,
      invitation.negotiationId,
      { user: { id: userId }, membership },
      'membership.added',
      { membershipId: membership.id, userId, role: membership.role, delegationId },
      now,
    );
    return { userId, email: invitation.email, negotiationId: invitation.negotiationId, createdAccount: !existing };
  });
  // Open session rooms show the newcomer by name (S22).
  liveHub().negotiationSessionsChanged(accepted.negotiationId);
  return accepted;
}
