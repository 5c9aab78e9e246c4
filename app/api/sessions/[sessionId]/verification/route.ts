import { getDb } from '@/lib/db';
import { authorizeSessionRecord } from '@/lib/server/sessions/read-session-record';
import { verifySessionLogForPage } from '@/lib/server/sessions/verify-session-log';
import { withSignedInUser } from '@/lib/server/route-guard';

type Context = { params: Promise<{ sessionId: string }> };

/** R6: whether the session's record verifies (R5), for whoever may read the record. */
export async function GET(_request: Request, { params }: Context) {
  return withSignedInUser(async (user) => {
    const db = await getDb();
    const { session } = await authorizeSessionRecord(db, user, (await params).sessionId);
    return Response.json(await verifySessionLogForPage(db, session), { headers: { 'cache-control': 'no-store' } });
  });
}
