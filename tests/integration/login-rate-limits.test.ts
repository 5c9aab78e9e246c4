/**
 * Sign-in failure limits (lib/server/rate-limit.ts; docs/PROTOCOL.md H13): 5 failures per account
 * from one client address and 30 per client address in 15 minutes, after which even the right
 * password gets no session from there. Each limit gets its own server so the budgets these tests
 * spend poison nothing else. That other addresses keep signing in is tests/security/login-limits.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { demoEmail, DEMO_PASSWORD } from '../helpers/demo-data';
import { Browserless, type TSignInAttempt } from '../helpers/http';
import { startServer, type TRunningServer } from '../helpers/server';

function attempt(server: TRunningServer, email: string, password: string, headers: Record<string, string> = {}): Promise<TSignInAttempt> {
  return new Browserless(server.url).attemptSignIn(email, password, headers);
}

function refusalCode(result: TSignInAttempt): string | null {
  return result.location ? new URL(result.location).searchParams.get('code') : null;
}

describe('sign-in rate limits', () => {
  let perAccount: TRunningServer;
  let perAddress: TRunningServer;

  before(async () => {
    [perAccount, perAddress] = await Promise.all([startServer(), startServer()]);
  });
  after(async () => {
    await Promise.all([perAccount.stop(), perAddress.stop()]);
  });

  test('after 5 wrong passwords for one account from one address, the 6th attempt from there gets no session even with the right password', async () => {
    const email = demoEmail('head.montreal');
    // Spellings of the same address count against the same account.
    for (const spelling of [email, email.toUpperCase(), ` ${email}`, 'Head.Montreal@Demo.Proxenia.Test', email]) {
      const result = await attempt(perAccount, spelling, 'wrong password');
      assert.equal(result.signedIn, false);
      assert.equal(refusalCode(result), 'credentials');
    }
    const sixth = await attempt(perAccount, email, DEMO_PASSWORD);
    assert.equal(sixth.signedIn, false, 'the right password after 5 failures must not sign in');
    assert.equal(refusalCode(sixth), 'rate_limited');
    assert.equal((await attempt(perAccount, email.toUpperCase(), DEMO_PASSWORD)).signedIn, false);
  });

  test('the per-account limit is per account: another account from the same address still signs in', async () => {
    const other = await attempt(perAccount, demoEmail('delegate.montreal'), DEMO_PASSWORD);
    assert.equal(other.signedIn, true);
  });

  test('30 failures from one address across many accounts block further sign-ins from it, spoofed headers or not', async () => {
    // No account reaches its own limit of 5: this is the per-address limit alone. Forwarding and
    // internal address headers are spoofed on every attempt; without TRUST_PROXY they are ignored.
    const emails = [
      ...['montreal', 'barcelona', 'seoul', 'saopaulo', 'johannesburg'].map((city) => demoEmail(`head.${city}`)),
      ...Array.from({ length: 5 }, (_, index) => `nobody-${index}@example.test`),
    ];
    for (let failure = 0; failure < 30; failure += 1) {
      const spoofed = { 'x-forwarded-for': `203.0.113.${failure}`, 'x-real-ip': `198.51.100.${failure}`, 'x-proxenia-client-address': `192.0.2.${failure}` };
      const result = await attempt(perAddress, emails[failure % emails.length] ?? '', `wrong ${failure}`, spoofed);
      assert.equal(refusalCode(result), 'credentials', `failure ${failure + 1} is an ordinary refusal`);
    }
    for (const local of ['secretariat', 'delegate.seoul', 'observer']) {
      const result = await attempt(perAddress, demoEmail(local), DEMO_PASSWORD, { 'x-forwarded-for': '203.0.113.200' });
      assert.equal(result.signedIn, false, `${local} must be refused from a blocked address`);
      assert.equal(refusalCode(result), 'rate_limited');
    }
  });
});
