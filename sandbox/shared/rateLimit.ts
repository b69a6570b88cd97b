// Rate limiters on the sandbox's (possibly scaled) rate-limit clock, `ctx.now()`.

/** At most `limit` hits per key in any window of `windowMs` (a rolling window: stricter than a fixed one). */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(readonly limit: number, readonly windowMs: number, private readonly now: () => number) {}

  /** Records a hit and returns true, or returns false (recording nothing) when the key is over its limit. */
  take(key: string): boolean {
    const list = this.prune(key);
    if (list.length >= this.limit) return false;
    list.push(this.now());
    return true;
  }

  /** Hits counted in the current window. */
  count(key: string): number {
    return this.prune(key).length;
  }

  /** Milliseconds until the oldest counted hit leaves the window (0 when under the limit). */
  retryAfterMs(key: string): number {
    const list = this.prune(key);
    if (list.length < this.limit) return 0;
    return Math.max(0, list[0]! + this.windowMs - this.now());
  }

  reset(key?: string): void {
    if (key === undefined) this.hits.clear();
    else this.hits.delete(key);
  }

  private prune(key: string): number[] {
    let list = this.hits.get(key);
    if (!list) { list = []; this.hits.set(key, list); }
    const cutoff = this.now() - this.windowMs;
    while (list.length && list[0]! <= cutoff) list.shift();
    return list;
  }
}

/** At most `limit` hits per key per calendar period (e.g. a UTC day: `periodMs` = 86 400 000). */
export class FixedWindowCounter {
  private readonly counts = new Map<string, { period: number; n: number }>();

  constructor(readonly limit: number, readonly periodMs: number, private readonly now: () => number) {}

  take(key: string): boolean {
    const c = this.current(key);
    if (c.n >= this.limit) return false;
    c.n++;
    return true;
  }

  count(key: string): number {
    return this.current(key).n;
  }

  /** Start of the next period on the rate-limit clock. */
  nextPeriodStart(): number {
    return (Math.floor(this.now() / this.periodMs) + 1) * this.periodMs;
  }

  reset(key?: string): void {
    if (key === undefined) this.counts.clear();
    else this.counts.delete(key);
  }

  private current(key: string): { period: number; n: number } {
    const period = Math.floor(this.now() / this.periodMs);
    let c = this.counts.get(key);
    if (!c || c.period !== period) { c = { period, n: 0 }; this.counts.set(key, c); }
    return c;
  }
}
