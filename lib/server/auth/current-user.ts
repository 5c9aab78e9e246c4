import { redirect } from 'next/navigation';
import { cache } from 'react';
import { getDb } from '../../db';
import { findUserById, type TUser } from '../../db/repositories/people';
import { auth } from './index';

/**
 * The signed-in account, re-read from the database; null when signed out or disabled. Read once per
 * server render: the page's use case and the request's locale (i18n/request.ts) both need it, and
 * each read verifies the token and queries the account. Outside a render (route handlers, server
 * actions) React's cache does not hold, so every call reads afresh.
 */
export const getSignedInUser = cache(async (): Promise<TUser | null> => {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) return null;
  const user = await findUserById(await getDb(), userId);
  return user && user.disabledAt === null ? user : null;
});

/** The signed-in account; otherwise redirects to the sign-in page and back to `returnTo`. */
export async function requireUser(returnTo: string): Promise<TUser> {
  const user = await getSignedInUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}
