// AppsFlyer's request budget: 20 requests a minute and 100 a day per token, and the API sends no rate-limit
// headers, so AppDesk counts its own requests. Both windows are persisted in the host's StateStore (globalState
// in the extension, a file for the CLI), so a reload or a new CLI process continues the same count. The day is a
// rolling 24 h, which never exceeds AppsFlyer's calendar-day quota.
import { RateLimitError, formatRetryAt } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { RateLimiter, credentialKey } from '../../core/rateLimiter';
import type { Clock } from '../../core/clock';
import { systemClock } from '../../core/clock';
import type { BudgetInfo, StateStore } from '../types';
import { formatLocal } from '../shared/format';

export const PER_MINUTE = 20;
export const PER_DAY = 100;
export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** Store keys of one token's windows (the same day key core's `createAppsFlyerLimiter` uses). */
export function budgetKeys(token: string): { day: string; minute: string } {
  const day = `appdesk.budget.appsflyer.${credentialKey('appsflyer', token)}`;
  return { day, minute: `${day}.minute` };
}

export class AppsFlyerBudget {
  readonly limiter: RateLimiter;
  private readonly keys: { day: string; minute: string };

  constructor(
    token: string,
    private readonly state: StateStore,
    logger: Logger,
    private readonly clock: Clock = systemClock,
  ) {
    this.keys = budgetKeys(token);
    this.limiter = new RateLimiter({
      provider: 'AppsFlyer',
      clock,
      logger,
      windows: [
        // The minute window is persisted too: five quick CLI runs must not add up to a 429.
        { name: 'minute', limit: PER_MINUTE, windowMs: MINUTE_MS, persist: { store: state, key: this.keys.minute } },
        { name: 'day', limit: PER_DAY, windowMs: DAY_MS, persist: { store: state, key: this.keys.day } },
      ],
    });
  }

  /** Timestamps of the requests counted in the last 24 h, oldest first (as persisted after every grant). */
  async dayLog(): Promise<number[]> {
    const stored = await this.state.get<unknown>(this.keys.day);
    const cutoff = this.clock.now() - DAY_MS;
    return (Array.isArray(stored) ? stored : []).filter((t): t is number => typeof t === 'number' && Number.isFinite(t) && t > cutoff).sort((a, b) => a - b);
  }

  async info(): Promise<BudgetInfo> {
    // Merges what other processes or connections persisted.
    await this.limiter.checkBudget();
    const log = await this.dayLog();
    const remaining = Math.max(0, PER_DAY - log.length);
    const oldest = log[0];
    return { label: 'AppsFlyer requests today', remaining, limit: PER_DAY, ...(oldest !== undefined && { resetsAt: new Date(oldest + DAY_MS) }) };
  }

  /**
   * Throws a RateLimitError, without sending anything, when `needed` more requests do not fit in today's budget;
   * `retryAt` is when enough of the counted requests have aged out.
   */
  async ensure(needed: number, what: string, endpoint: string): Promise<void> {
    const log = await this.dayLog();
    const remaining = Math.max(0, PER_DAY - log.length);
    if (needed <= remaining) return;
    if (needed > PER_DAY) {
      throw new RateLimitError({
        provider: 'AppsFlyer',
        endpoint,
        summary: `${what} needs ${needed} requests, more than AppsFlyer's ${PER_DAY} a day`,
        hint: 'AppDesk has not sent any request. Choose a capability with fewer apps.',
      });
    }
    const freed = log[needed - remaining - 1];
    const retryAt = new Date((freed ?? this.clock.now()) + DAY_MS);
    throw new RateLimitError({
      provider: 'AppsFlyer',
      endpoint,
      retryAt,
      summary: `AppsFlyer's daily request budget is used up: ${what} needs ${needed} request${needed === 1 ? '' : 's'} and ${remaining} of ${PER_DAY} are left for the last 24 hours`,
      hint: `AppDesk has not sent the request, so the quota is not exceeded. It can run ${formatRetryAt(retryAt, this.clock.now())} (${formatLocal(retryAt)}).`,
    });
  }
}
