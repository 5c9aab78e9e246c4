/**
 * Counts failures per key in a sliding window, in process memory. One node's memory is enough for
 * the embedded default; with several nodes each node limits on its own, which still bounds guessing.
 */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  private recent(key: string, now: number): number[] {
    const kept = (this.failures.get(key) ?? []).filter((at) => at > now - this.windowMs);
    if (kept.length) this.failures.set(key, kept);
    else this.failures.delete(key);
    return kept;
  }

  /** Whether `key` has reached its limit of failures within the window. */
  isBlocked(key: string, now = Date.now()): boolean {
    return this.recent(key, now).length >= this.limit;
  }

  /** Records one failure for `key`. */
  recordFailure(key: string, now = Date.now()): void {
    this.failures.set(key, [...this.recent(key, now), now]);
    if (this.failures.size > 100_000) this.sweep(now);
  }

  /** Forgets `key` (after a success). */
  reset(key: string): void {
    this.failures.delete(key);
  }

  private sweep(now: number): void {
    for (const key of [...this.failures.keys()]) this.recent(key, now);
  }
}

/** Sign-in failure limits: what one client address may try, in total and against one account. */
export interface TLoginLimits {
  /** Failures against one account from one client address (key: `accountAtAddress`). */
  perAccountAtAddress: FailureLimiter;
  /** Failures from one client address, whatever the account. */
  perAddress: FailureLimiter;
}

const registry = globalThis as typeof globalThis & { __proxeniaLoginLimits?: TLoginLimits };

const FIFTEEN_MINUTES = 15 * 60_000;

/**
 * The key of one account as tried from one address. Failures are not counted per account alone:
 * five wrong passwords from anywhere would then lock its owner out everywhere (a lockout anyone can
 * cause). Guessing one account from many addresses is still bounded by each address's own limit.
 */
export function accountAtAddress(normalizedEmail: string, address: string): string {
  return `${normalizedEmail} ${address}`;
}

/** Sign-in failure limits: 5 per account from one client address and 30 per client address, each per 15 minutes. */
export function loginLimits(): TLoginLimits {
  registry.__proxeniaLoginLimits ??= {
    perAccountAtAddress: new FailureLimiter(5, FIFTEEN_MINUTES),
    perAddress: new FailureLimiter(30, FIFTEEN_MINUTES),
  };
  return registry.__proxeniaLoginLimits;
}
