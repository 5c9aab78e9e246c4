import { getDb } from '@/lib/db';
import { signOutEverywhere } from '@/lib/server/accounts/sign-out-everywhere';
import { assertSameOrigin, withSignedInUser } from '@/lib/server/route-guard';

/** Ends every session of the signed-in user and closes their open connections (THREATS T15). */
export async function POST(request: Request) {
  return withSignedInUser(async (user) => {
    assertSameOrigin(request);
    await signOutEverywhere(await getDb(), user.id);
    return new Response(null, { status: 204 });
  });
}
