import { getDb } from '@/lib/db';
import { readReplayTimeline } from '@/lib/server/sessions/replay/replay-timeline';
import { withSignedInUser } from '@/lib/server/route-guard';

type Context = { params: Promise<{ sessionId: string }> };

/** R7: the replay's markers and edit density, as the caller may see them. */
export async function GET(_request: Request, { params }: Context) {
  return withSignedInUser(async (user) => {
    const { sessionId } = await params;
    return Response.json(await readReplayTimeline(await getDb(), user, sessionId), { headers: { 'cache-control': 'no-store' } });
  });
}
