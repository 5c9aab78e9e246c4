import type { Database } from '../../db';
import { invalidateUserSessions, setUserDisabled } from '../../db/repositories/people';
import { liveHub } from '../live-hub';

/** Ends every session of a user, in every browser, and closes their open connections. */
export async function signOutEverywhere(db: Database, userId: string): Promise<void> {
  await invalidateUserSessions(db, userId, Date.now());
  liveHub().disconnectUser(userId, 'signed_out');
}

/** Disables an account: its sessions end at once and it can no longer sign in. */
export async function disableAccount(db: Database, userId: string): Promise<void> {
  const now = Date.now();
  await db.transaction(async (tx) => {
    await setUserDisabled(tx, userId, now);
    await invalidateUserSessions(tx, userId, now);
  });
  liveHub().disconnectUser(userId, 'account_disabled');
}
