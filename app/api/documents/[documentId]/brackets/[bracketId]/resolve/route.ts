import { getDb } from '@/lib/db';
import { resolveBracket } from '@/lib/server/documents/brackets';
import { assertSameOrigin, readJsonObject, withSignedInUser } from '@/lib/server/route-guard';

/** Lifts a bracket: `{ choice: 'original' | <alternative id> }` (chair, secretariat). */
export async function POST(request: Request, { params }: { params: Promise<{ documentId: string; bracketId: string }> }) {
  return withSignedInUser(async (user) => {
    assertSameOrigin(request);
    const body = await readJsonObject(request);
    const { documentId, bracketId } = await params;
    await resolveBracket(await getDb(), user, { ...body, documentId, bracketId });
    return new Response(null, { status: 204 });
  });
}
