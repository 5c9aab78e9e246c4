import { getDb } from '@/lib/db';
import { signDocument } from '@/lib/server/documents/sign-document';
import { assertSameOrigin, withSignedInUser } from '@/lib/server/route-guard';

/**
 * A head of a member delegation signs an adopted document for the delegation. No body: the signer,
 * the delegation and the text's hash all come from the server. 200 with the signature; 403 for other
 * roles and observer delegations; 409 `not_adopted` or `already_signed`.
 */
export async function POST(request: Request, { params }: { params: Promise<{ documentId: string }> }) {
  return withSignedInUser(async (user) => {
    assertSameOrigin(request);
    const { documentId } = await params;
    const signature = await signDocument(await getDb(), user, { documentId });
    return Response.json({ signature }, { headers: { 'cache-control': 'no-store' } });
  });
}
