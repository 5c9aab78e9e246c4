/** A minimal cookie-keeping HTTP client for talking to the server like a browser. */
import http from 'node:http';

/** Auth.js's session cookie over plain HTTP (the `__Secure-` variant over HTTPS), possibly chunked. */
export const SESSION_COOKIE = 'authjs.session-token';
const SESSION_COOKIE_PATTERN = /authjs\.session-token(\.\d+)?$/;

export interface TSignInAttempt {
  /** Whether this attempt set a session cookie. */
  signedIn: boolean;
  /** Where Auth.js redirected (carries `error=…&code=…` on a refusal). */
  location: string | null;
  status: number;
}

export class Browserless {
  private readonly cookies = new Map<string, string>();
  /** Names of the cookies the last response set. */
  private lastSetCookies: string[] = [];

  constructor(readonly baseUrl: string) {}

  /** The Cookie header this client would send. */
  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Sets (or, with null, removes) a cookie by hand, e.g. to plant a forged session token. */
  setCookie(name: string, value: string | null): void {
    if (value === null) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }

  /** The current value of a cookie. */
  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  private remember(response: Response): string[] {
    const set: string[] = [];
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const index = pair?.indexOf('=') ?? -1;
      if (!pair || index <= 0) continue;
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((a) => /max-age=0/i.test(a) || /expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else {
        this.cookies.set(name, value);
        set.push(name);
      }
    }
    return set;
  }

  /** A request with this client's cookies; redirects are not followed so tests can see them. */
  async fetch(pathname: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', this.cookieHeader());
    const response = await fetch(new URL(pathname, this.baseUrl), { ...init, headers, redirect: 'manual' });
    this.lastSetCookies = this.remember(response);
    return response;
  }

  /** The status a GET of `pathname` gets (redirects not followed), body discarded. */
  async status(pathname: string): Promise<number> {
    const response = await this.fetch(pathname);
    await response.body?.cancel();
    return response.status;
  }

  /** One sign-in through Auth.js's credentials route, with optional extra request headers. */
  async attemptSignIn(email: string, password: string, extraHeaders: Record<string, string> = {}): Promise<TSignInAttempt> {
    const csrf = await this.fetch('/api/auth/csrf', { headers: extraHeaders });
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const response = await this.fetch('/api/auth/callback/credentials', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...extraHeaders },
      body: new URLSearchParams({ email, password, csrfToken, callbackUrl: `${this.baseUrl}/dashboard` }),
    });
    await response.body?.cancel();
    return {
      signedIn: this.lastSetCookies.some((name) => SESSION_COOKIE_PATTERN.test(name)),
      location: response.headers.get('location'),
      status: response.status,
    };
  }

  /** Signs in through Auth.js's standard credentials route. Returns true when a session was issued. */
  async signIn(email: string, password: string): Promise<boolean> {
    return (await this.attemptSignIn(email, password)).signedIn;
  }
}

/** Polls `check` until it returns a truthy value (no fixed sleeps in tests). */
export async function eventually<T>(check: () => Promise<T> | T, { timeoutMs = 10_000, intervalMs = 50 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw lastError instanceof Error ? lastError : new Error('condition not met in time');
}

export interface TRawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One HTTP/1.1 request through node:http, for what fetch refuses to send: a chosen Host header,
 * duplicate or odd headers. Resolves with the whole response.
 */
export function rawRequest(
  baseUrl: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<TRawResponse> {
  const target = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: target.hostname, port: target.port, method: options.method ?? 'GET', path: options.path, headers: options.headers, agent: false },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}
