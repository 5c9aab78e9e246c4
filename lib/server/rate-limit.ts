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

const registry = globalThis as typeof globalThis & {
  __proxeniaLoginLimits?: { perAccount: FailureLimiter; perAddress: FailureLimiter };
};

const FIFTEEN_MINUTES = 15 * 60_000;

/** Sign-in failure limits: 5 per account and 30 per client address, each per 15 minutes. */
export function loginLimits(): { perAccount: FailureLimiter; perAddress: FailureLimiter } {
  registry.__proxeniaLoginLimits ??= {
    perAccount: new FailureLimiter(5, FIFTEEN_MINUTES),
    perAddress: new FailureLimiter(30, FIFTEEN_MINUTES),
  };
  return registry.__proxeniaLoginLimits;
}
