/** The scheme and host a request was addressed to, as the composed server determined them. */
export interface TOwnOrigin {
  scheme: string;
  host: string | undefined;
}

/**
 * How a request's Origin header relates to the server's own origin. Browsers send Origin on every
 * POST and WebSocket upgrade, so a state-changing request without one did not come from our pages.
 */
export type TOriginVerdict = 'same' | 'missing' | 'malformed' | 'foreign';

/**
 * The one origin rule of route handlers, server actions and sockets: the same scheme and host
 * exactly — a sibling subdomain, another port or the other scheme of the same host are foreign.
 */
export function originVerdict(origin: string | null | undefined, own: TOwnOrigin): TOriginVerdict {
  if (origin === null || origin === undefined || origin === '') return 'missing';
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return 'malformed';
  }
  return own.host !== undefined && parsed.host === own.host && parsed.protocol === `${own.scheme}:` ? 'same' : 'foreign';
}
