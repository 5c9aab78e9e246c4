import type { Queryable } from '../../db';
import { findUserById, type TUser } from '../../db/repositories/people';

/** The session cookie's name on HTTPS deployments (PUBLIC_URL https://…). */
export const SECURE_SESSION_COOKIE = '__Host-authjs.session-token';

/** Our claims inside the Auth.js JWT; checked against the database on every use (THREATS T7, T15). */
export interface TProxeniaClaims {
  uid?: unknown;
  /** When this sign-in happened; sessions older than the user's `sessionsValidAfter` are refused. */
  authAt?: unknown;
}

/**
 * The account a token speaks for, if the token is still good: it must carry our claims, the account
 * must exist and be enabled, and the sign-in must be newer than the user's last "sign out everywhere".
 */
export async function userForClaims(q: Queryable, claims: TProxeniaClaims | null | undefined): Promise<TUser | null> {
  if (!claims || typeof claims.uid !== 'string' || typeof claims.authAt !== 'number') return null;
  const user = await findUserById(q, claims.uid);
  if (!user || user.disabledAt !== null || claims.authAt <= user.sessionsValidAfter) return null;
  return user;
}
