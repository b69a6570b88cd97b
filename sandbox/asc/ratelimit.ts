// Apple's two limits per API key: the documented rolling hour (`X-Rate-Limit: user-hour-lim:3600;user-hour-rem:N;`)
// and the undocumented per-minute ceiling (about 300 requests) that answers 429 RATE_LIMIT_EXCEEDED. Both windows run
// on the sandbox's rate-limit clock, so a clock scale of 60 turns a minute into a second. Only admitted requests count.
export const HOUR_LIMIT = 3600;
export const MINUTE_LIMIT = 300;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

interface Window { hour: number[]; minuteStart: number }

export interface RateDecision { allowed: boolean; header: string; retryAfterS?: number }

export class RateLimiter {
  private windows = new Map<string, Window>();
  /** How many 429s have been served since the last reset. */
  rejected = 0;
  admitted = 0;

  constructor(private readonly now: () => number, private readonly limits = { hour: HOUR_LIMIT, minute: MINUTE_LIMIT }) {}

  /** Header for a request that is not charged to any key (e.g. one that failed authentication). */
  static header(remaining: number, limit = HOUR_LIMIT): string {
    return `user-hour-lim:${limit};user-hour-rem:${Math.max(0, remaining)};`;
  }

  take(key: string): RateDecision {
    const t = this.now();
    let w = this.windows.get(key);
    if (!w) { w = { hour: [], minuteStart: 0 }; this.windows.set(key, w); }
    // `hour` is sorted; drop what fell out of the rolling hour, then find the start of the rolling minute.
    let drop = 0;
    while (drop < w.hour.length && w.hour[drop]! <= t - HOUR_MS) drop++;
    if (drop > 0) { w.hour.splice(0, drop); w.minuteStart = Math.max(0, w.minuteStart - drop); }
    while (w.minuteStart < w.hour.length && w.hour[w.minuteStart]! <= t - MINUTE_MS) w.minuteStart++;
    const inMinute = w.hour.length - w.minuteStart;
    if (w.hour.length >= this.limits.hour || inMinute >= this.limits.minute) {
      this.rejected++;
      const until = w.hour.length >= this.limits.hour ? w.hour[0]! + HOUR_MS : w.hour[w.minuteStart]! + MINUTE_MS;
      return { allowed: false, header: RateLimiter.header(this.limits.hour - w.hour.length, this.limits.hour), retryAfterS: Math.max(1, Math.ceil((until - t) / 1000)) };
    }
    w.hour.push(t);
    this.admitted++;
    return { allowed: true, header: RateLimiter.header(this.limits.hour - w.hour.length, this.limits.hour) };
  }

  remaining(key: string): number {
    const w = this.windows.get(key);
    const t = this.now();
    return this.limits.hour - (w ? w.hour.filter((x) => x > t - HOUR_MS).length : 0);
  }

  reset(): void { this.windows.clear(); this.rejected = 0; this.admitted = 0; }
}
