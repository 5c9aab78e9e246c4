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

/** Every entry of a (possibly repeated) comma-separated header, in order, blanks dropped. */
function entries(value: string | string[] | undefined): string[] {
  return [value ?? []]
    .flat()
    .flatMap((line) => line.split(','))
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/**
 * The client's address behind `trustedProxies` proxies (H13). Each proxy appends the address it
 * received the request from to X-Forwarded-For, so reading from the right, the socket's peer is the
 * nearest proxy and the entry appended by the outermost trusted proxy is the client. Entries left
 * of it are whatever the client wrote and are never believed. A chain shorter than the trusted
 * proxies ends at its leftmost entry.
 */
export function forwardedClientAddress(socketAddress: string, forwardedFor: string | string[] | undefined, trustedProxies: number): string {
  const hops = entries(forwardedFor);
  if (trustedProxies === 0 || hops.length === 0) return socketAddress;
  return hops[Math.max(0, hops.length - trustedProxies)] ?? socketAddress;
}

/**
 * The scheme, host and client address of a request; forwarded headers count only behind trusted
 * proxies (`trustedProxies` > 0, TRUST_PROXY).
 */
export function requestOrigin(request: IncomingMessage, trustedProxies: number): TRequestOrigin {
  const trustProxy = trustedProxies > 0;
  const encrypted = 'encrypted' in request.socket && Boolean(request.socket.encrypted);
  const forwardedProto = trustProxy ? firstValue(request.headers['x-forwarded-proto']) : undefined;
  const socketAddress = request.socket.remoteAddress ?? 'unknown';
  return {
    scheme: forwardedProto === 'https' || (!forwardedProto && encrypted) ? 'https' : 'http',
    host: (trustProxy ? firstValue(request.headers['x-forwarded-host']) : undefined) ?? request.headers.host,
    address: forwardedClientAddress(socketAddress, request.headers['x-forwarded-for'], trustedProxies),
  };
}
