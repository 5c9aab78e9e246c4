import { getDb } from '@/lib/db';
import { setParagraphStatus } from '@/lib/server/documents/set-paragraph-status';
import { assertSameOrigin, readJsonObject, withSignedInUser } from '@/lib/server/route-guard';

/** Sets a paragraph's status: `{ "status": "pending" | "bracketed" | "agreed_ad_ref" | "agreed" }` (D11). */
export async function POST(request: Request, { params }: { params: Promise<{ documentId: string; pid: string }> }) {
  return withSignedInUser(async (user) => {
    assertSameOrigin(request);
    const body = await readJsonObject(request);
    const { documentId, pid } = await params;
    const status = await setParagraphStatus(await getDb(), user, { ...body, documentId, pid });
    return Response.json({ status });
  });
}
