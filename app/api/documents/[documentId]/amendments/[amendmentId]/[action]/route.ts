import { getDb } from '@/lib/db';
import { acceptAmendment, cosponsorAmendment, rejectAmendment, withdrawAmendment } from '@/lib/server/documents/amendments';
import { assertSameOrigin, withSignedInUser } from '@/lib/server/route-guard';
import { AppError } from '@/lib/shared/errors';

const ACTIONS = {
  cosponsor: cosponsorAmendment,
  withdraw: withdrawAmendment,
  reject: rejectAmendment,
  accept: acceptAmendment,
} as const;

/** POST …/amendments/<id>/cosponsor | withdraw | reject | accept (no body). */
export async function POST(request: Request, { params }: { params: Promise<{ documentId: string; amendmentId: string; action: string }> }) {
  return withSignedInUser(async (user) => {
    assertSameOrigin(request);
    const { documentId, amendmentId, action } = await params;
    if (!Object.hasOwn(ACTIONS, action)) throw new AppError('not_found');
    await ACTIONS[action as keyof typeof ACTIONS](await getDb(), user, { documentId, amendmentId });
    return new Response(null, { status: 204 });
  });
}
