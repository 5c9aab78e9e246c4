import { getDb } from '@/lib/db';
import { setParagraphStatus } from '@/lib/server/documents/set-paragraph-status';
import { assertSameOrigin, withSignedInUser } from '@/lib/server/route-guard';
import { AppError } from '@/lib/shared/errors';

/** Sets a paragraph's status: `{ "status": "pending" | "bracketed" | "agreed_ad_ref" | "agreed" }` (D11). */
export async function POST(request: Request, { params }: { params: Promise<{ documentId: string; pid: string }> }) {
  return withSignedInUser(async (user) => {
    assertSameOrigin(request);
    const body: unknown = await request.json().catch(() => {
      throw new AppError('invalid_input');
    });
    const { documentId, pid } = await params;
    const status = await setParagraphStatus(await getDb(), user, { ...(typeof body === 'object' && body !== null ? body : {}), documentId, pid });
    return Response.json({ status });
  });
}
