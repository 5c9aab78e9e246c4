import { getDb } from '@/lib/db';
import { setDraftingMode } from '@/lib/server/documents/set-drafting-mode';
import { assertSameOrigin, withSignedInUser } from '@/lib/server/route-guard';
import { AppError } from '@/lib/shared/errors';

/** Sets a document's drafting mode: `{ "mode": "open_drafting" | "amendments_only" | "adopted" }`. */
export async function POST(request: Request, { params }: { params: Promise<{ documentId: string }> }) {
  return withSignedInUser(async (user) => {
    assertSameOrigin(request);
    const body: unknown = await request.json().catch(() => {
      throw new AppError('invalid_input');
    });
    const { documentId } = await params;
    const mode = await setDraftingMode(await getDb(), user, { ...(typeof body === 'object' && body !== null ? body : {}), documentId });
    return Response.json({ mode });
  });
}
