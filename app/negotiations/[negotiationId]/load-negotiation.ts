import { forbidden, notFound } from 'next/navigation';
import { cache } from 'react';
import { getDb } from '@/lib/db';
import type { TNegotiationAction } from '@/lib/policy';
import { requireUser } from '@/lib/server/auth/current-user';
import { getNegotiationOverview } from '@/lib/server/negotiations/get-negotiation-overview';
import { AppError } from '@/lib/shared/errors';

const loadOverview = cache(async (negotiationId: string, returnTo: string) => {
  const user = await requireUser(returnTo);
  try {
    return { user, overview: await getNegotiationOverview(await getDb(), user, negotiationId) };
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') notFound();
    throw error;
  }
});

/**
 * Loads a negotiation for a page, checked on the server: signed out → sign-in page; not a member
 * (or no such negotiation) → 404; a member whose role lacks `required` → 403.
 */
export async function loadNegotiation(negotiationId: string, returnTo: string, required?: TNegotiationAction) {
  const loaded = await loadOverview(negotiationId, returnTo);
  if (required && !loaded.overview.abilities[required]) forbidden();
  return loaded;
}
