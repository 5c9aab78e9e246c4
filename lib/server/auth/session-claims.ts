import type { Queryable } from '../../db';
import { findUserById, type TUser } from '../../db/repositories/people';
import { endSignIn, isSignInEnded } from '../../db/repositories/sign-ins';

/** The session cookie's name on HTTPS deployments (PUBLIC_URL https://…). */
export const SECURE_SESSION_COOKIE = '__Host-authjs.session-token';

/** How long a session token lives after its last refresh. */
export const SESSION_MAX_AGE_MS = 12 * 60 * 60 * 1000;

/** Our claims inside the Auth.js JWT; checked against the database on every use (THREATS T7, T15). */
export interface TProxeniaClaims {
  uid?: unknown;
  /** When this sign-in happened; sessions older than the user's `sessionsValidAfter` are refused. */
  authAt?: unknown;
  /** This sign-in's own id (H12): signing out ends it, and every copy of its token with it. */
  sid?: unknown;
}

/** A token that is still good: whose account it speaks for, and which sign-in it belongs to. */
export interface TSignedIn {
  user: TUser;
  signInId: string;
}

/**
 * The sign-in a token stands for, if it is still good: it must carry our claims, the account must
 * exist and be enabled, the sign-in must be newer than the user's last "sign out everywhere", and it
 * must not have been signed out. A token without a sign-in id cannot be ended on its own, so it is
 * refused too.
 */
export async function signInForClaims(q: Queryable, claims: TProxeniaClaims | null | undefined): Promise<TSignedIn | null> {
  if (!claims || typeof claims.uid !== 'string' || typeof claims.authAt !== 'number' || typeof claims.sid !== 'string') return null;
  const user = await findUserById(q, claims.uid);
  if (!user || user.disabledAt !== null || claims.authAt <= user.sessionsValidAfter) return null;
  if (await isSignInEnded(q, claims.sid)) return null;
  return { user, signInId: claims.sid };
}

/** Ends the sign-in a token stands for, whatever state its account is in; tokens without our claims end nothing. */
export async function endSignInOfClaims(q: Queryable, claims: TProxeniaClaims | null | undefined, at = Date.now()): Promise<string | null> {
  if (!claims || typeof claims.uid !== 'string' || typeof claims.sid !== 'string') return null;
  if (!(await findUserById(q, claims.uid))) return null;
  await endSignIn(q, claims.sid, claims.uid, at, SESSION_MAX_AGE_MS);
  return claims.sid;
}
