/**
 * Latency bookkeeping: a fixed-bucket histogram (0.05 ms steps below 100 ms, 1 ms to 1 s, 50 ms to
 * 60 s) and the matcher that pairs editors' edits with viewers' arrivals.
 */

const LOW = 2000; // [0, 100) ms by 0.05
const MID = 900; // [100, 1000) ms by 1
const HIGH = 1180; // [1000, 60000) ms by 50
const BUCKETS = LOW + MID + HIGH + 1; // + overflow (≥ 60 s, or never delivered)

function bucketOf(ms: number): number {
  if (ms < 100) return Math.max(0, Math.floor(ms / 0.05));
  if (ms < 1000) return LOW + Math.floor(ms - 100);
  if (ms < 60_000) return LOW + MID + Math.floor((ms - 1000) / 50);
  return BUCKETS - 1;
}

function bucketMid(index: number): number {
  if (index < LOW) return (index + 0.5) * 0.05;
  if (index < LOW + MID) return 100 + (index - LOW) + 0.5;
  if (index < BUCKETS - 1) return 1000 + (index - LOW - MID + 0.5) * 50;
  return Infinity;
}

export class Histogram {
  readonly counts = new Float64Array(BUCKETS);
  count = 0;
  sum = 0;
  max = 0;

  add(ms: number, times = 1): void {
    this.counts[bucketOf(ms)] = (this.counts[bucketOf(ms)] ?? 0) + times;
    this.count += times;
    if (Number.isFinite(ms)) {
      this.sum += ms * times;
      this.max = Math.max(this.max, ms);
    }
  }

  merge(other: Histogram): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i] = (this.counts[i] ?? 0) + (other.counts[i] ?? 0);
    this.count += other.count;
    this.sum += other.sum;
    this.max = Math.max(this.max, other.max);
  }

  /** The p-th percentile (0–100), as the middle of its bucket; Infinity if it falls among the undelivered. */
  percentile(p: number): number {
    if (!this.count) return NaN;
    const rank = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i] ?? 0;
      if (seen >= rank) return bucketMid(i);
    }
    return Infinity;
  }
}

/**
 * Pairs edits with arrivals. An editor reports [clientId, clockEnd, sentAt] for each edit that
 * inserted text; a viewer reports [viewer, clientId, from, to, arrivedAt] for each client range in a
 * remote update it applied. An edit reached a viewer with the first update whose range for that
 * client covers the edit's last clock (from < clockEnd ≤ to); edits made before the viewer was synced
 * are not counted. Samples are kept in one histogram per second of send time.
 */
export class LatencyMatcher {
  private readonly sends = new Map<number, { clocks: number[]; times: number[] }>();
  private readonly viewerSyncedAt = new Map<number, number>();
  private pending: Float64Array[] = [];
  /** Histograms by send second (Math.floor(sentAt / 1000)). */
  readonly bySecond = new Map<number, Histogram>();
  /** Send times of the timed edits, by send second. */
  private readonly sentBySecond = new Map<number, number[]>();
  private viewerSyncTimes: number[] = [];

  viewerJoined(viewer: number, syncedAt: number): void {
    this.viewerSyncedAt.set(viewer, syncedAt);
    this.viewerSyncTimes.push(syncedAt);
    this.viewerSyncTimes.sort((a, b) => a - b);
  }

  /** How many viewers were synced at `at` (viewers do not leave during a measurement; one that drops counts as missing). */
  private viewersAt(at: number): number {
    let lo = 0;
    let hi = this.viewerSyncTimes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.viewerSyncTimes[mid] ?? 0) <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  addSends(flat: Float64Array): void {
    for (let i = 0; i + 2 < flat.length; i += 3) {
      const client = flat[i] as number;
      const sentAt = flat[i + 2] as number;
      let entry = this.sends.get(client);
      if (!entry) this.sends.set(client, (entry = { clocks: [], times: [] }));
      entry.clocks.push(flat[i + 1] as number);
      entry.times.push(sentAt);
      const second = Math.floor(sentAt / 1000);
      const list = this.sentBySecond.get(second);
      if (list) list.push(sentAt);
      else this.sentBySecond.set(second, [sentAt]);
    }
  }

  addArrivals(flat: Float64Array): void {
    if (flat.length) this.pending.push(flat);
  }

  /** Matches the arrivals that happened up to `upTo` (all when omitted); later ones wait. */
  process(upTo = Infinity): void {
    const later: number[] = [];
    for (const flat of this.pending) {
      for (let i = 0; i + 4 < flat.length; i += 5) {
        const arrivedAt = flat[i + 4] as number;
        if (arrivedAt > upTo) {
          for (let k = 0; k < 5; k++) later.push(flat[i + k] as number);
          continue;
        }
        const syncedAt = this.viewerSyncedAt.get(flat[i] as number);
        const entry = this.sends.get(flat[i + 1] as number);
        if (syncedAt === undefined || !entry) continue;
        const from = flat[i + 2] as number;
        const to = flat[i + 3] as number;
        // First edit whose clockEnd > from.
        let lo = 0;
        let hi = entry.clocks.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if ((entry.clocks[mid] ?? 0) <= from) lo = mid + 1;
          else hi = mid;
        }
        for (let k = lo; k < entry.clocks.length && (entry.clocks[k] ?? Infinity) <= to; k++) {
          const sentAt = entry.times[k] as number;
          if (sentAt < syncedAt) continue;
          const second = Math.floor(sentAt / 1000);
          let histogram = this.bySecond.get(second);
          if (!histogram) this.bySecond.set(second, (histogram = new Histogram()));
          histogram.add(arrivedAt - sentAt);
        }
      }
    }
    this.pending = later.length ? [Float64Array.from(later)] : [];
  }

  /**
   * Latency of the edits sent in [from, to) (ms since epoch, whole seconds): delivered samples, plus
   * the deliveries still missing counted as never arriving (Infinity), so a stalled server cannot
   * look fast.
   */
  window(from: number, to: number): { histogram: Histogram; edits: number; expected: number; delivered: number } {
    const histogram = new Histogram();
    let edits = 0;
    let expected = 0;
    for (let second = Math.floor(from / 1000); second < Math.ceil(to / 1000); second++) {
      const h = this.bySecond.get(second);
      if (h) histogram.merge(h);
      for (const sentAt of this.sentBySecond.get(second) ?? []) {
        edits += 1;
        expected += this.viewersAt(sentAt);
      }
    }
    const delivered = histogram.count;
    if (expected > delivered) histogram.add(Infinity, expected - delivered);
    return { histogram, edits, expected, delivered };
  }
}
