import { decode } from 'next-auth/jwt';
import { SECURE_SESSION_COOKIE, type TProxeniaClaims } from '../../lib/server/auth/session-claims';

/** Auth.js names its session cookie by transport; chunked cookies get `.0`, `.1`, … suffixes. */
const SESSION_COOKIE_NAMES = [SECURE_SESSION_COOKIE, '__Secure-authjs.session-token', 'authjs.session-token'] as const;

function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index <= 0) continue;
    const name = part.slice(0, index).trim();
    const value = part.slice(index + 1).trim();
    try {
      cookies.set(name, decodeURIComponent(value));
    } catch {
      // A malformed escape is not a session cookie; ignore it.
    }
  }
  return cookies;
}

/** Decodes the Auth.js session cookie of a handshake, or null if there is none or it is invalid. */
export async function claimsFromCookieHeader(header: string | undefined, secret: string): Promise<TProxeniaClaims | null> {
  const cookies = parseCookies(header);
  for (const name of SESSION_COOKIE_NAMES) {
    let token = cookies.get(name);
    if (!token) {
      const chunks: string[] = [];
      for (let index = 0; cookies.has(`${name}.${index}`); index += 1) chunks.push(cookies.get(`${name}.${index}`) ?? '');
      token = chunks.join('') || undefined;
    }
    if (!token) continue;
    try {
      return (await decode({ token, secret, salt: name })) as TProxeniaClaims | null;
    } catch {
      return null;
    }
  }
  return null;
}
