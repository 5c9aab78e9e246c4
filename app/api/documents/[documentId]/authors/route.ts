import { getDb } from '@/lib/db';
import { authorsOf } from '@/lib/server/documents/document-authors';
import { withSignedInUser } from '@/lib/server/route-guard';

/** Yjs client id → the delegation that wrote under it, with its colour. */
export async function GET(_request: Request, { params }: { params: Promise<{ documentId: string }> }) {
  return withSignedInUser(async (user) => {
    const { documentId } = await params;
    return Response.json({ authors: await authorsOf(await getDb(), user, documentId) }, { headers: { 'cache-control': 'no-store' } });
  });
}
