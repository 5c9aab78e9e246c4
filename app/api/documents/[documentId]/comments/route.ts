import { getDb } from '@/lib/db';
import { addComment, commentsFor } from '@/lib/server/documents/comments';
import { assertSameOrigin, readJsonObject, withSignedInUser } from '@/lib/server/route-guard';

type Context = { params: Promise<{ documentId: string }> };

/** The comments the caller may read (public ones and their own delegation's). */
export async function GET(_request: Request, { params }: Context) {
  return withSignedInUser(async (user) => {
    const { documentId } = await params;
    return Response.json({ comments: await commentsFor(await getDb(), user, documentId) }, { headers: { 'cache-control': 'no-store' } });
  });
}

/** A new thread `{ anchorStart, anchorEnd, quote, body, visibility }` or a reply `{ replyTo, body }`. */
export async function POST(request: Request, { params }: Context) {
  return withSignedInUser(async (user) => {
    assertSameOrigin(request);
    const body = await readJsonObject(request);
    const { documentId } = await params;
    const id = await addComment(await getDb(), user, { ...body, documentId });
    return Response.json({ id }, { status: 201 });
  });
}
