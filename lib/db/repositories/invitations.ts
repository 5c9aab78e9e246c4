import type { TRole } from '../../shared/domain';
import type { Queryable } from '../driver';

export interface TInvitation {
  id: string;
  tokenHash: string;
  negotiationId: string;
  delegationId: string | null;
  role: TRole;
  email: string;
  invitedBy: string;
  expiresAt: number;
  acceptedAt: number | null;
  acceptedBy: string | null;
  createdAt: number;
}

const INVITATION_COLUMNS = `id, token_hash AS "tokenHash", negotiation_id AS "negotiationId",
  delegation_id AS "delegationId", role, email, invited_by AS "invitedBy", expires_at AS "expiresAt",
  accepted_at AS "acceptedAt", accepted_by AS "acceptedBy", created_at AS "createdAt"`;

/** Stores an invitation; only the hash of its token is kept. */
export async function insertInvitation(
  q: Queryable,
  invitation: Omit<TInvitation, 'acceptedAt' | 'acceptedBy'>,
): Promise<void> {
  await q.run(
    `INSERT INTO invitations (id, token_hash, negotiation_id, delegation_id, role, email, invited_by, expires_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      invitation.id,
      invitation.tokenHash,
      invitation.negotiationId,
      invitation.delegationId,
      invitation.role,
      invitation.email,
      invitation.invitedBy,
      invitation.expiresAt,
      invitation.createdAt,
    ],
  );
}

/** The invitation whose token hashes to `tokenHash`, if any. */
export function findInvitationByTokenHash(q: Queryable, tokenHash: string): Promise<TInvitation | undefined> {
  return q.get<TInvitation>(`SELECT ${INVITATION_COLUMNS} FROM invitations WHERE token_hash = ?`, [tokenHash]);
}

/**
 * The invitation whose token hashes to `tokenHash`, locked until the transaction ends (PostgreSQL;
 * SQLite's BEGIN IMMEDIATE already serializes writers). Two acceptances of one link then run one
 * after the other, so the second sees the first's outcome instead of racing it to create the account.
 */
export function lockInvitationByTokenHash(tx: Queryable, tokenHash: string): Promise<TInvitation | undefined> {
  const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
  return tx.get<TInvitation>(`SELECT ${INVITATION_COLUMNS} FROM invitations WHERE token_hash = ?${lock}`, [tokenHash]);
}

/**
 * Marks an invitation used. Returns false when it was already used: the conditional update is what
 * makes a token single-use even when two requests race.
 */
export async function markInvitationAccepted(
  q: Queryable,
  invitationId: string,
  userId: string,
  at: number,
): Promise<boolean> {
  const { changes } = await q.run(
    'UPDATE invitations SET accepted_at = ?, accepted_by = ? WHERE id = ? AND accepted_at IS NULL',
    [at, userId, invitationId],
  );
  return changes === 1;
}

/** Invitations of a negotiation not yet accepted and not expired at `now`. */
export function listOpenInvitations(q: Queryable, negotiationId: string, now: number): Promise<TInvitation[]> {
  return q.all<TInvitation>(
    `SELECT ${INVITATION_COLUMNS} FROM invitations
     WHERE negotiation_id = ? AND accepted_at IS NULL AND expires_at > ? ORDER BY created_at DESC`,
    [negotiationId, now],
  );
}

/**
 * Holds the negotiation's row until the transaction ends (PostgreSQL; SQLite's BEGIN IMMEDIATE
 * already serializes writers), so two invitations of one address cannot both find none open (S89).
 */
export async function lockInvitationsOf(tx: Queryable, negotiationId: string): Promise<void> {
  if (tx.dialect === 'postgres') await tx.get('SELECT id FROM negotiations WHERE id = ? FOR UPDATE', [negotiationId]);
}

/** Ends the open invitations of one address to a negotiation (they expire at `now`); returns how many there were. */
export async function withdrawOpenInvitations(tx: Queryable, negotiationId: string, email: string, now: number): Promise<number> {
  const { changes } = await tx.run(
    'UPDATE invitations SET expires_at = ? WHERE negotiation_id = ? AND email = ? AND accepted_at IS NULL AND expires_at > ?',
    [now, negotiationId, email, now],
  );
  return changes;
}
