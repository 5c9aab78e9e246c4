import { getSignedInUser } from './auth/current-user';
import type { TUser } from '../db/repositories/people';
import { AppError, toSafeError } from '../shared/errors';
import { log } from './log';

/**
 * Cookie-authenticated JSON routes that change state accept only same-origin requests: browsers
 * always send Origin on cross-site POSTs, so a foreign page cannot ride the user's cookies (CSRF).
 */
export function assertSameOrigin(request: Request): void {
  const origin = request.headers.get('origin');
  // The composed server sets x-forwarded-host/-proto itself (a trusted proxy's values, or the socket's).
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  const scheme = request.headers.get('x-forwarded-proto') ?? 'http';
  if (!origin || !host) throw new AppError('forbidden');
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    throw new AppError('forbidden');
  }
  if (parsed.host !== host || parsed.protocol !== `${scheme}:`) throw new AppError('forbidden');
}

/** A request's JSON body, which must be an object; anything else is `invalid_input`. */
export async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  const body: unknown = await request.json().catch(() => {
    throw new AppError('invalid_input');
  });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new AppError('invalid_input');
  return body as Record<string, unknown>;
}

/** Runs a route handler for a signed-in user; errors become `{ error: code }` with their status. */
export async function withSignedInUser(work: (user: TUser) => Promise<Response>): Promise<Response> {
  try {
    const user = await getSignedInUser();
    if (!user) throw new AppError('unauthenticated');
    return await work(user);
  } catch (error) {
    const safe = toSafeError(error);
    if (safe.code === 'internal') log.error('route.failed', { error });
    const status = error instanceof AppError ? error.status : 500;
    return Response.json({ error: safe.code, fields: safe.fields }, { status, headers: { 'cache-control': 'no-store' } });
  }
}
