import { getDb } from '@/lib/db';
import { documentParagraphs } from '@/lib/server/documents/document-paragraphs';
import { withSignedInUser } from '@/lib/server/route-guard';

type Context = { params: Promise<{ documentId: string }> };

/** The document's paragraphs (id, kind, number, text), for positions and notes in the session room. */
export async function GET(_request: Request, { params }: Context) {
  return withSignedInUser(async (user) => {
    const { documentId } = await params;
    return Response.json({ paragraphs: await documentParagraphs(await getDb(), user, documentId) }, { headers: { 'cache-control': 'no-store' } });
  });
}
