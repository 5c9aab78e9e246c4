import { getDb } from '@/lib/db';
import { readSessionRecord } from '@/lib/server/sessions/read-session-record';
import { withSignedInUser } from '@/lib/server/route-guard';

type Context = { params: Promise<{ sessionId: string }> };

/** S79: the session's record as the caller may read it, at `?until=<seq>` (default: the head). */
export async function GET(request: Request, { params }: Context) {
  return withSignedInUser(async (user) => {
    const { sessionId } = await params;
    const query = Object.fromEntries(new URL(request.url).searchParams);
    return Response.json(await readSessionRecord(await getDb(), user, sessionId, query), { headers: { 'cache-control': 'no-store' } });
  });
}
