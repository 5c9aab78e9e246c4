import type { IncomingMessage } from 'node:http';

/** How a request reached us: behind a trusted proxy its forwarded headers say; otherwise the socket does. */
export interface TRequestOrigin {
  scheme: 'http' | 'https';
  host: string | undefined;
  address: string;
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim() || undefined;
}

/** The scheme, host and client address of a request; forwarded headers count only with a trusted proxy. */
export function requestOrigin(request: IncomingMessage, trustProxy: boolean): TRequestOrigin {
  const encrypted = 'encrypted' in request.socket && Boolean(request.socket.encrypted);
  const forwardedProto = trustProxy ? firstValue(request.headers['x-forwarded-proto']) : undefined;
  return {
    scheme: forwardedProto === 'https' || (!forwardedProto && encrypted) ? 'https' : 'http',
    host: (trustProxy ? firstValue(request.headers['x-forwarded-host']) : undefined) ?? request.headers.host,
    address: (trustProxy ? firstValue(request.headers['x-forwarded-for']) : undefined) ?? request.socket.remoteAddress ?? 'unknown',
  };
}
