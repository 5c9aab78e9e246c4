import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Database } from '../../db';
import { findMembership } from '../../db/repositories/negotiations';
import { insertInvitation, lockInvitationsOf, withdrawOpenInvitations, type TInvitation } from '../../db/repositories/invitations';
import { findUserByEmail, type TUser } from '../../db/repositories/people';
import { AppError } from '../../shared/errors';
import { ZInviteMember } from '../../shared/schemas';
import { parseInput } from '../parse-input';
import { authorizeInNegotiation } from './authorize-in-negotiation';
import { checkRolePlacement } from './membership-rules';

/** How long an invitation link stays valid. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60_000;

/** Only the hash of an invitation token is stored, so a database leak reveals no usable links. */
export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Creates a single-use, expiring invitation and returns its token (shown once, in the link). S89:
 * one open invitation per address and negotiation — inviting again replaces the earlier one (its
 * link stops working; `replaced` says so), as one re-invites when a link was lost or the role wrong.
 */
export async function inviteMember(
  db: Database,
  user: TUser,
  negotiationId: unknown,
  input: unknown,
): Promise<{ invitation: TInvitation; token: string; replaced: boolean }> {
  return db.transaction(async (tx) => {
    const access = await authorizeInNegotiation(tx, user, negotiationId, 'member.invite');
    await lockInvitationsOf(tx, access.negotiation.id);
    const fields = parseInput(ZInviteMember, input);
    const delegationId = await checkRolePlacement(tx, access.negotiation.id, fields.role, fields.delegationId);
    const existing = await findUserByEmail(tx, fields.email);
    if (existing && (await findMembership(tx, access.negotiation.id, existing.id))) {
      throw new AppError('already_member', { email: 'already_member' });
    }
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    const invitation: TInvitation = {
      id: randomUUID(),
      tokenHash: hashInvitationToken(token),
      negotiationId: access.negotiation.id,
      delegationId,
      role: fields.role,
      email: fields.email,
      invitedBy: user.id,
      expiresAt: now + INVITATION_TTL_MS,
      acceptedAt: null,
      acceptedBy: null,
      createdAt: now,
    };
    const replaced = (await withdrawOpenInvitations(tx, access.negotiation.id, fields.email, now)) > 0;
    await insertInvitation(tx, invitation);
    return { invitation, token, replaced };
  });
}
