import { getDb } from '@/lib/db';
import { amendmentsOf, proposeAmendment } from '@/lib/server/documents/amendments';
import { assertSameOrigin, readJsonObject, withSignedInUser } from '@/lib/server/route-guard';

type Context = { params: Promise<{ documentId: string }> };

/** The document's amendments, with conflict flags and the current paragraph text for the diff. */
export async function GET(_request: Request, { params }: Context) {
  return withSignedInUser(async (user) => {
    const { documentId } = await params;
    return Response.json({ amendments: await amendmentsOf(await getDb(), user, documentId) }, { headers: { 'cache-control': 'no-store' } });
  });
}

/** Proposes an amendment: `{ pid, kind: 'replace' | 'insert' | 'delete', proposedText, rationale }`. */
export async function POST(request: Request, { params }: Context) {
  return withSignedInUser(async (user) => {
    assertSameOrigin(request);
    const body = await readJsonObject(request);
    const { documentId } = await params;
    const amendment = await proposeAmendment(await getDb(), user, { ...body, documentId });
    return Response.json({ amendment }, { status: 201 });
  });
}
