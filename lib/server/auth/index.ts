import NextAuth, { CredentialsSignin, type NextAuthConfig } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { NextRequest } from 'next/server';
import type { Provider } from 'next-auth/providers';
import { randomUUID } from 'node:crypto';
import { getDb } from '../../db';
import { findUserByEmail, insertUser } from '../../db/repositories/people';
import { env } from '../../env';
import { ZEmail, ZSignIn } from '../../shared/schemas';
import { clientAddressOf } from '../client-address';
import { liveHub } from '../live-hub';
import { log } from '../log';
import { accountAtAddress, loginLimits } from '../rate-limit';
import { verifyPassword } from './password';
import { endSignInOfClaims, SECURE_SESSION_COOKIE, SESSION_MAX_AGE_MS, signInForClaims, type TProxeniaClaims } from './session-claims';

declare module 'next-auth' {
  interface Session {
    user: { id: string; name: string; email: string };
  }
}

class RateLimitedSignIn extends CredentialsSignin {
  override code = 'rate_limited';
}

/** Checks e-mail and password with per-(account, address) and per-address failure limits. */
async function authorizeCredentials(raw: Partial<Record<string, unknown>>, request: Request) {
  // ZEmail trims and lower-cases, so every spelling of an address counts against the same key.
  const parsed = ZSignIn.safeParse({ email: raw.email, password: raw.password });
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const address = clientAddressOf(request.headers);
  const attempt = accountAtAddress(email, address);
  const { perAccountAtAddress, perAddress } = loginLimits();
  if (perAccountAtAddress.isBlocked(attempt) || perAddress.isBlocked(address)) throw new RateLimitedSignIn();

  const user = await findUserByEmail(await getDb(), email);
  const passwordMatches = await verifyPassword(user?.passwordHash ?? null, password);
  if (!user || !passwordMatches || user.disabledAt !== null) {
    perAccountAtAddress.recordFailure(attempt);
    perAddress.recordFailure(address);
    return null;
  }
  perAccountAtAddress.reset(attempt);
  return { id: user.id, email: user.email, name: user.name };
}

/** Finds or creates the account for a person signing in through the configured OIDC provider. */
async function accountForOidcProfile(email: unknown, name: unknown): Promise<string | null> {
  const parsedEmail = ZEmail.safeParse(email);
  if (!parsedEmail.success) return null;
  const db = await getDb();
  const existing = await findUserByEmail(db, parsedEmail.data);
  if (existing) return existing.disabledAt === null ? existing.id : null;
  const id = randomUUID();
  await insertUser(db, {
    id,
    email: parsedEmail.data,
    name: typeof name === 'string' && name.trim() ? name.trim().slice(0, 120) : parsedEmail.data,
    passwordHash: null,
    accountRole: 'member',
    createdAt: Date.now(),
  });
  return id;
}

function providers(): Provider[] {
  const config = env();
  const list: Provider[] = [
    Credentials({
      credentials: { email: { type: 'email' }, password: { type: 'password' } },
      authorize: authorizeCredentials,
    }),
  ];
  if (config.OIDC_ISSUER && config.OIDC_CLIENT_ID && config.OIDC_CLIENT_SECRET) {
    list.push({
      id: 'oidc',
      name: config.OIDC_NAME,
      type: 'oidc',
      issuer: config.OIDC_ISSUER,
      clientId: config.OIDC_CLIENT_ID,
      clientSecret: config.OIDC_CLIENT_SECRET,
    });
  }
  return list;
}

/** Whether single sign-on is configured (the sign-in page then offers it). */
export function oidcProviderName(): string | null {
  const config = env();
  return config.OIDC_ISSUER ? config.OIDC_NAME : null;
}

const authConfig = (): NextAuthConfig => ({
  secret: env().AUTH_SECRET ?? process.env.AUTH_SECRET,
  // The composed server is the only thing in front of Next.js, and it sets the host itself.
  trustHost: true,
  session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_MS / 1000 },
  // THREATS T4: on an HTTPS deployment the session cookie is `__Host-` (Secure, whole site, no
  // Domain), so a sibling subdomain can neither read nor plant it.
  ...(env().PUBLIC_URL?.startsWith('https:')
    ? { cookies: { sessionToken: { name: SECURE_SESSION_COOKIE, options: { httpOnly: true, sameSite: 'lax', path: '/', secure: true } } } }
    : {}),
  pages: { signIn: '/signin', error: '/signin' },
  providers: providers(),
  events: {
    // H12: both `POST /api/auth/signout` and the sign-out server action end here. Clearing the
    // cookie is not enough — a copy of the token would stay valid until it expires — so the sign-in
    // itself ends on the server, and the sockets opened with it close.
    async signOut(message) {
      const token = 'token' in message ? message.token : null;
      try {
        const signInId = await endSignInOfClaims(await getDb(), token as TProxeniaClaims | null);
        if (signInId) liveHub().disconnectSignIn(signInId);
      } catch (error) {
        log.error('auth.sign_out_failed', { error });
        throw error;
      }
    },
  },
  callbacks: {
    async jwt({ token, user, account, profile }) {
      if (user && account) {
        const uid =
          account.provider === 'credentials'
            ? user.id
            : await accountForOidcProfile(profile?.email, profile?.name);
        if (!uid) return null;
        const claims: TProxeniaClaims = { uid, authAt: Date.now(), sid: randomUUID() };
        return { ...token, sub: uid, ...claims };
      }
      // Every later use re-reads the account and the sign-in: disabled users, signed-out sign-ins
      // and signed-out-everywhere sessions end.
      const signedIn = await signInForClaims(await getDb(), token as TProxeniaClaims);
      if (!signedIn) return null;
      return { ...token, name: signedIn.user.name, email: signedIn.user.email };
    },
    session({ session, token }) {
      const { uid } = token as TProxeniaClaims;
      return {
        ...session,
        user: { ...session.user, id: typeof uid === 'string' ? uid : '', name: token.name ?? '', email: token.email ?? '' },
      };
    },
  },
});

const nextAuth = NextAuth(authConfig);

export const { auth, signIn, signOut } = nextAuth;

/**
 * Next.js hands route handlers a URL built from its own default host (http://localhost:3000), not
 * the one the browser used, and Auth.js derives redirects, cookie names and the OIDC redirect_uri
 * from it: sign-ins through /api/auth were sent to localhost and OIDC callbacks failed on any other
 * host. Rebuild the URL from the forwarded host and protocol, as Auth.js does for server actions.
 */
function atRequestedOrigin(handler: (request: NextRequest) => Promise<Response>) {
  return (request: NextRequest): Promise<Response> => {
    const first = (name: string) => request.headers.get(name)?.split(',')[0]?.trim();
    const host = first('x-forwarded-host') ?? first('host');
    const protocol = first('x-forwarded-proto') === 'https' ? 'https' : 'http';
    let url: URL;
    try {
      url = new URL(`${request.nextUrl.pathname}${request.nextUrl.search}`, `${protocol}://${host}`);
    } catch {
      return handler(request);
    }
    return handler(new NextRequest(url, request));
  };
}

export const handlers = { GET: atRequestedOrigin(nextAuth.handlers.GET), POST: atRequestedOrigin(nextAuth.handlers.POST) };
