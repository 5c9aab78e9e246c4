import { getDb } from '@/lib/db';
import { setDraftingMode } from '@/lib/server/documents/set-drafting-mode';
import { assertSameOrigin, readJsonObject, withSignedInUser } from '@/lib/server/route-guard';

/** Sets a document's drafting mode: `{ "mode": "open_drafting" | "amendments_only" | "adopted" }`. */
export async function POST(request: Request, { params }: { params: Promise<{ documentId: string }> }) {
  return withSignedInUser(async (user) => {
    assertSameOrigin(request);
    const body = await readJsonObject(request);
    const { documentId } = await params;
    const mode = await setDraftingMode(await getDb(), user, { ...body, documentId });
    return Response.json({ mode });
  });
}
