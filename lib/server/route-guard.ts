import { getSignedInUser } from './auth/current-user';
import type { TUser } from '../db/repositories/people';
import { AppError, toSafeError } from '../shared/errors';
import { log } from './log';
import { originVerdict } from './same-origin';

/**
 * 1 MB: the largest body a route accepts (the longest minutes, 200,000 characters, fit with room to
 * spare); a larger one is refused before it is read in full, let alone parsed (H15).
 */
export const MAX_JSON_BODY_BYTES = 1_000_000;

/**
 * Cookie-authenticated JSON routes that change state accept only same-origin requests: browsers
 * always send Origin on cross-site POSTs, so a foreign page cannot ride the user's cookies (CSRF).
 * The same rule as the server's for server actions (H14).
 */
export function assertSameOrigin(request: Request): void {
  // The composed server sets x-forwarded-host/-proto itself (a trusted proxy's values, or the socket's).
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host') ?? undefined;
  const scheme = request.headers.get('x-forwarded-proto') ?? 'http';
  if (originVerdict(request.headers.get('origin'), { scheme, host }) !== 'same') throw new AppError('forbidden');
}

/** A request's body as text, refused (`payload_too_large`) as soon as it passes `limit` bytes. */
export async function readCappedText(request: Request, limit: number): Promise<string> {
  if (Number(request.headers.get('content-length') ?? 0) > limit) throw new AppError('payload_too_large');
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new AppError('payload_too_large');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A request's JSON body, which must be an object; anything else is `invalid_input`, anything over 1 MB `payload_too_large`. */
export async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  const text = await readCappedText(request, MAX_JSON_BODY_BYTES);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError('invalid_input');
  }
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
