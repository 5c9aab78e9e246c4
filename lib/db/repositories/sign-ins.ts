import type { Queryable } from '../driver';

/**
 * Records that a sign-in ended (H12), and forgets the ones ended more than `keepMs` ago: their
 * tokens have expired since. Ending one twice keeps the first time.
 */
export async function endSignIn(q: Queryable, signInId: string, userId: string, at: number, keepMs: number): Promise<void> {
  await q.run('DELETE FROM ended_sign_ins WHERE ended_at < ?', [at - keepMs]);
  await q.run('INSERT INTO ended_sign_ins (sign_in_id, user_id, ended_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [signInId, userId, at]);
}

/** Whether this sign-in was signed out. */
export async function isSignInEnded(q: Queryable, signInId: string): Promise<boolean> {
  return (await q.get('SELECT 1 FROM ended_sign_ins WHERE sign_in_id = ?', [signInId])) !== undefined;
}
