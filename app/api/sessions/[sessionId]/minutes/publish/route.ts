import { getDb } from '@/lib/db';
import { publishMinutes } from '@/lib/server/sessions/minutes';
import { assertSameOrigin, readJsonObject, withSignedInUser } from '@/lib/server/route-guard';

/** M4: publishes the minutes `{ markdown }` (secretariat, closed session, once, same origin). */
export async function POST(request: Request, { params }: { params: Promise<{ sessionId: string }> }) {
  return withSignedInUser(async (user) => {
    assertSameOrigin(request);
    const { sessionId } = await params;
    const published = await publishMinutes(await getDb(), user, sessionId, await readJsonObject(request));
    return Response.json(published, { headers: { 'cache-control': 'no-store' } });
  });
}
