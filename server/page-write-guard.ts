import type { IncomingMessage } from 'node:http';
import { originVerdict } from '../lib/server/same-origin';
import type { TErrorCode } from '../lib/shared/errors';
import type { TRequestOrigin } from './request-origin';

/** Why a request that writes through a page (a server action) is refused before Next.js sees it. */
export interface TPageWriteRefusal {
  status: 400 | 403;
  code: Extract<TErrorCode, 'invalid_input' | 'forbidden'>;
  reason: 'origin_missing' | 'origin_malformed' | 'origin_foreign';
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * H14: a request that is not a read and is addressed to a page is a server action (every page
 * write in this app is one). Server actions follow the route handlers' origin rule — the same
 * scheme and host, and an Origin header is required: browsers send it on every POST. Next.js's own
 * check lets a request without Origin through and compares hosts only, and one that is not a URL
 * crashed it (a 500; here a 400, H15). Routes under /api/ check their origin themselves, and
 * Auth.js's with its CSRF token.
 */
export function pageWriteRefusal(request: IncomingMessage, own: Pick<TRequestOrigin, 'scheme' | 'host'>): TPageWriteRefusal | null {
  if (READS.has(request.method ?? 'GET') || (request.url ?? '/').startsWith('/api/')) return null;
  const verdict = originVerdict(request.headers.origin, own);
  if (verdict === 'malformed') return { status: 400, code: 'invalid_input', reason: 'origin_malformed' };
  if (verdict === 'missing') return { status: 403, code: 'forbidden', reason: 'origin_missing' };
  if (verdict === 'foreign') return { status: 403, code: 'forbidden', reason: 'origin_foreign' };
  return null;
}
