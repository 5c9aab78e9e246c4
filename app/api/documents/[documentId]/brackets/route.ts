import { getDb } from '@/lib/db';
import { bracketsOf, openBracket } from '@/lib/server/documents/brackets';
import { assertSameOrigin, readJsonObject, withSignedInUser } from '@/lib/server/route-guard';

type Context = { params: Promise<{ documentId: string }> };

/** The document's brackets with their alternatives. */
export async function GET(_request: Request, { params }: Context) {
  return withSignedInUser(async (user) => {
    const { documentId } = await params;
    return Response.json({ brackets: await bracketsOf(await getDb(), user, documentId) }, { headers: { 'cache-control': 'no-store' } });
  });
}

/** Brackets a range: `{ anchorStart, anchorEnd }` (Yjs relative positions as JSON). */
export async function POST(request: Request, { params }: Context) {
  return withSignedInUser(async (user) => {
    assertSameOrigin(request);
    const body = await readJsonObject(request);
    const { documentId } = await params;
    return Response.json({ id: await openBracket(await getDb(), user, { ...body, documentId }) }, { status: 201 });
  });
}
