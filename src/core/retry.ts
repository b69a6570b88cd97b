/**
 * Retries with exponential backoff and full jitter (delay = random(0, min(max, base·2^n))), so many clients
 * recovering from the same outage do not retry in lockstep. Only for requests that are safe to repeat.
 */
import { systemClock, type Clock } from './clock';
import { CancelledError, isProviderError } from './errors';

export interface RetryOptions {
  /** Total attempts including the first. Default 3. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A server-requested wait (Retry-After) longer than this is not waited out: the error is thrown. Default 60 s. */
  maxRetryAfterMs?: number;
  /** HTTP method of the request; decides whether it is safe to repeat. Default GET. */
  method?: string;
  /** Marks a non-idempotent method (e.g. a POST with a client-generated id) as safe to repeat. */
  idempotent?: boolean;
  signal?: AbortSignal;
  clock?: Clock;
  random?: () => number;
  /** Display name for CancelledError. */
  provider?: string;
  /** Default: ProviderError.retryable (transient, network, rate limit). */
  shouldRetry?: (error: unknown) => boolean;
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export function isSafeToRepeat(method = 'GET', idempotent?: boolean): boolean {
  return idempotent ?? IDEMPOTENT.has(method.toUpperCase());
}

/** `Retry-After: 120` or `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT` → absolute time; undefined if absent or junk. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): Date | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return new Date(now + Math.ceil(Number(v) * 1000));
  // HTTP dates have a month name; Date.parse would also accept junk like "-5".
  const t = /[a-z]{3}/i.test(v) ? Date.parse(v) : NaN;
  return Number.isNaN(t) ? undefined : new Date(Math.max(t, now));
}

/** Full-jitter delay for the given retry number (1 = first retry). */
export function backoffDelay(retry: number, baseDelayMs: number, maxDelayMs: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1)));
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const {
    maxAttempts = 5,
    baseDelayMs = 500,
    maxDelayMs = 20_000,
    maxRetryAfterMs = 60_000,
    clock = systemClock,
    random = Math.random,
    provider = 'AppDesk',
    signal,
  } = opts;
  const safe = isSafeToRepeat(opts.method, opts.idempotent);
  const shouldRetry = opts.shouldRetry ?? ((e: unknown) => isProviderError(e) && e.retryable);
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw new CancelledError({ provider });
    try {
      return await fn(attempt);
    } catch (e) {
      if (!safe || attempt >= maxAttempts || !shouldRetry(e) || signal?.aborted) throw e;
      let delayMs = backoffDelay(attempt, baseDelayMs, maxDelayMs, random);
      const retryAt = isProviderError(e) ? e.retryAt : undefined;
      if (retryAt) {
        // The server said when; waiting less would just earn another 429.
        delayMs = Math.max(0, retryAt.getTime() - clock.now());
        if (delayMs > maxRetryAfterMs) throw e;
      }
      opts.onRetry?.({ attempt, delayMs, error: e });
      await sleep(delayMs, clock, signal, provider);
    }
  }
}

/** Cancellable sleep on the given clock; rejects with CancelledError when `signal` aborts. */
export function sleep(ms: number, clock: Clock = systemClock, signal?: AbortSignal, provider = 'AppDesk'): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError({ provider }));
    const onAbort = () => {
      cancel();
      reject(new CancelledError({ provider }));
    };
    const cancel = clock.setTimer(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
