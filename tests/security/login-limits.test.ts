/**
 * THREATS T9 / PROTOCOL H13: sign-in limits bound guessing without handing anyone a lockout, and
 * behind a proxy the client address they count by is the one the proxy saw. Failures count per
 * account from one client address (5 per 15 minutes) and per address (30); a client address is the
 * X-Forwarded-For entry the outermost trusted proxy appended, never one the client wrote itself.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { demoEmail, DEMO_PASSWORD } from '../helpers/demo-data';
import { Browserless, type TSignInAttempt } from '../helpers/http';
import { startServer, type TRunningServer } from '../helpers/server';

function attempt(server: TRunningServer, email: string, password: string, forwardedFor: string): Promise<TSignInAttempt> {
  return new Browserless(server.url).attemptSignIn(email, password, { 'x-forwarded-for': forwardedFor });
}

function refusalCode(result: TSignInAttempt): string | null {
  return result.location ? new URL(result.location).searchParams.get('code') : null;
}

/** Ten accounts, half of them real, so no account reaches its own limit while an address spends its 30. */
const MANY_ACCOUNTS = [
  ...['montreal', 'barcelona', 'seoul', 'saopaulo', 'johannesburg'].map((city) => demoEmail(`delegate.${city}`)),
  ...Array.from({ length: 5 }, (_, index) => `nobody-${index}@example.test`),
];

/** Spends one client address's 30 failures across many accounts, with the X-Forwarded-For of each attempt. */
async function spendAddressBudget(server: TRunningServer, forwardedFor: (failure: number) => string): Promise<void> {
  for (let failure = 0; failure < 30; failure += 1) {
    const result = await attempt(server, MANY_ACCOUNTS[failure % MANY_ACCOUNTS.length] ?? '', `wrong ${failure}`, forwardedFor(failure));
    assert.equal(refusalCode(result), 'credentials', `failure ${failure + 1} is an ordinary refusal`);
  }
}

describe('sign-in limits behind one trusted proxy (TRUST_PROXY=true)', () => {
  let server: TRunningServer;
  before(async () => {
    server = await startServer({ env: { TRUST_PROXY: 'true' } });
  });
  after(async () => {
    await server.stop();
  });

  test('[T9][H13] five wrong passwords for the chair from one address, in any spelling, do not lock the chair out from another address', async () => {
    const chair = demoEmail('chair');
    const attacker = '203.0.113.66';
    for (const spelling of [chair, chair.toUpperCase(), ` ${chair} `, 'Chair@Demo.Proxenia.Test', chair]) {
      assert.equal(refusalCode(await attempt(server, spelling, 'wrong password', attacker)), 'credentials');
    }
    // The address that failed is refused for that account, in every spelling, even with the right password…
    for (const spelling of [chair, chair.toUpperCase()]) {
      const again = await attempt(server, spelling, DEMO_PASSWORD, attacker);
      assert.equal(again.signedIn, false);
      assert.equal(refusalCode(again), 'rate_limited');
    }
    // …but the chair, at their own address, signs in.
    const owner = await attempt(server, chair, DEMO_PASSWORD, '198.51.100.20');
    assert.equal(owner.signedIn, true, 'the chair must not be locked out by someone else\'s failures');
  });

  test('[H13][T6] a client that rotates its own X-Forwarded-For entries is still counted at the address the proxy appended', async () => {
    // The proxy appends the address it saw (198.51.100.99) to whatever the client sent.
    await spendAddressBudget(server, (failure) => `203.0.113.${failure}, 198.51.100.99`);
    for (const spoofed of ['192.0.2.1, 198.51.100.99', '198.51.100.99', '10.1.1.1, 10.2.2.2, 198.51.100.99']) {
      const result = await attempt(server, demoEmail('observer'), DEMO_PASSWORD, spoofed);
      assert.equal(refusalCode(result), 'rate_limited', `${spoofed}: the proxy saw the same client`);
    }
    // Another client behind the same proxy is not affected.
    assert.equal((await attempt(server, demoEmail('observer'), DEMO_PASSWORD, '198.51.100.99, 198.51.100.100')).signedIn, true);
  });
});

describe('sign-in limits behind two trusted proxies (TRUST_PROXY=2)', () => {
  let server: TRunningServer;
  before(async () => {
    server = await startServer({ env: { TRUST_PROXY: '2' } });
  });
  after(async () => {
    await server.stop();
  });

  test('[H13][T6] the client is the entry the outer proxy appended: left of it is the client\'s, right of it the inner proxy', async () => {
    const innerProxy = '10.0.0.1';
    await spendAddressBudget(server, (failure) => `203.0.113.${failure}, 198.51.100.7, ${innerProxy}`);
    assert.equal(refusalCode(await attempt(server, demoEmail('observer'), DEMO_PASSWORD, `192.0.2.200, 198.51.100.7, ${innerProxy}`)), 'rate_limited');
    assert.equal((await attempt(server, demoEmail('observer'), DEMO_PASSWORD, `198.51.100.7, 198.51.100.8, ${innerProxy}`)).signedIn, true, 'another client behind the same proxies');
  });
});
