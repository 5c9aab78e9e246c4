import { getDb } from '@/lib/db';
import { resolveComment } from '@/lib/server/documents/comments';
import { assertSameOrigin, withSignedInUser } from '@/lib/server/route-guard';

/** Resolves a thread (its author, the chair or the secretariat). */
export async function POST(request: Request, { params }: { params: Promise<{ documentId: string; threadId: string }> }) {
  return withSignedInUser(async (user) => {
    assertSameOrigin(request);
    const { documentId, threadId } = await params;
    await resolveComment(await getDb(), user, { documentId, threadId });
    return new Response(null, { status: 204 });
  });
}
