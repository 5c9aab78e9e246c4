import { getDb } from '@/lib/db';
import { proposeAlternative } from '@/lib/server/documents/brackets';
import { assertSameOrigin, readJsonObject, withSignedInUser } from '@/lib/server/route-guard';

/** A delegation's alternative wording: `{ text }`. */
export async function POST(request: Request, { params }: { params: Promise<{ documentId: string; bracketId: string }> }) {
  return withSignedInUser(async (user) => {
    assertSameOrigin(request);
    const body = await readJsonObject(request);
    const { documentId, bracketId } = await params;
    return Response.json({ id: await proposeAlternative(await getDb(), user, { ...body, documentId, bracketId }) }, { status: 201 });
  });
}
