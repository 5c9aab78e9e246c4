import { getDb } from '@/lib/db';
import { readSessionReplay } from '@/lib/server/sessions/replay/read-session-replay';
import { withSignedInUser } from '@/lib/server/route-guard';

type Context = { params: Promise<{ sessionId: string }> };

/** R2: the session at `?seq=<n>` or `?t=<ISO time>` (default: the head) as the caller may see it. */
export async function GET(request: Request, { params }: Context) {
  return withSignedInUser(async (user) => {
    const { sessionId } = await params;
    const query = Object.fromEntries(new URL(request.url).searchParams);
    return Response.json(await readSessionReplay(await getDb(), user, sessionId, query), { headers: { 'cache-control': 'no-store' } });
  });
}
