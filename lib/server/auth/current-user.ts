import { redirect } from 'next/navigation';
import { getDb } from '../../db';
import { findUserById, type TUser } from '../../db/repositories/people';
import { auth } from './index';

/** The signed-in account, re-read from the database; null when signed out or disabled. */
export async function getSignedInUser(): Promise<TUser | null> {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) return null;
  const user = await findUserById(await getDb(), userId);
  return user && user.disabledAt === null ? user : null;
}

/** The signed-in account; otherwise redirects to the sign-in page and back to `returnTo`. */
export async function requireUser(returnTo: string): Promise<TUser> {
  const user = await getSignedInUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}
