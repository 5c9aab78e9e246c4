/**
 * The header through which the composed server tells Next.js the client's address. The server
 * overwrites it on every request, so a client cannot choose its own rate-limit bucket.
 */
export const CLIENT_ADDRESS_HEADER = 'x-proxenia-client-address';

/** The client address the server recorded on a request, or 'unknown'. */
export function clientAddressOf(headers: Headers): string {
  return headers.get(CLIENT_ADDRESS_HEADER) ?? 'unknown';
}
