import { getDb } from '@/lib/db';
import { assertSameOrigin, readJsonObject, withSignedInUser } from '@/lib/server/route-guard';
import { admitToMedia } from '@/lib/server/video/admit-to-media';
import { mediaTransport } from '@/lib/server/video/media-transport';

/**
 * V2: the signed-in user's ticket to a session's media room — a LiveKit token for them alone, with
 * the grants the policy gives their role now — or the mesh's grants. Body `{ language? }`. 404 for an
 * unknown session or one of a negotiation they are not in; 403 for one they may not attend or were
 * removed from; 409 once it is closed.
 */
export async function POST(request: Request, { params }: { params: Promise<{ sessionId: string }> }) {
  return withSignedInUser(async (user) => {
    assertSameOrigin(request);
    const { sessionId } = await params;
    const ticket = await admitToMedia(await getDb(), await mediaTransport(), user, sessionId, await readJsonObject(request));
    return Response.json(ticket, { headers: { 'cache-control': 'no-store' } });
  });
}
