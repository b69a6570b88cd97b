import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../../src/core/clock';
import { AuthError, CancelledError, NetworkError, RateLimitError, TransientError, ValidationError } from '../../../src/core/errors';
import { backoffDelay, isSafeToRepeat, parseRetryAfter, sleep, withRetry } from '../../../src/core/retry';

const transient = () => new TransientError({ provider: 'P', status: 503 });

/** Runs withRetry on a ManualClock, advancing time until it settles; returns the outcome and the delays used. */
async function run<T>(fn: (attempt: number) => Promise<T>, opts: Parameters<typeof withRetry>[1] = {}) {
  const clock = new ManualClock(1_000_000);
  const delays: number[] = [];
  let outcome: { value?: T; error?: unknown } | undefined;
  withRetry(fn, { clock, random: () => 1, ...opts, onRetry: (i) => delays.push(i.delayMs) }).then(
    (value) => (outcome = { value }),
    (error: unknown) => (outcome = { error }),
  );
  for (let i = 0; i < 50 && !outcome; i++) await clock.advance(60_000);
  assert.ok(outcome, 'settled');
  return { ...outcome, delays };
}

describe('withRetry', () => {
  it('retries transient failures with exponential backoff, then succeeds', async () => {
    const r = await run(async (attempt) => {
      if (attempt < 3) throw transient();
      return `ok on ${attempt}`;
    }, { baseDelayMs: 100, maxAttempts: 3 });
    assert.equal(r.value, 'ok on 3');
    assert.deepEqual(r.delays, [100, 200]);
  });

  it('throws the last error after maxAttempts', async () => {
    let calls = 0;
    const r = await run(async () => {
      calls++;
      throw new NetworkError({ provider: 'P' });
    }, { maxAttempts: 4 });
    assert.equal(calls, 4);
    assert.ok(r.error instanceof NetworkError);
  });

  it('never retries auth, validation or plain errors', async () => {
    for (const err of [new AuthError({ provider: 'P' }), new ValidationError({ provider: 'P' }), new Error('bug'), new NetworkError({ provider: 'P', retryable: false })]) {
      let calls = 0;
      const r = await run(async () => {
        calls++;
        throw err;
      });
      assert.equal(calls, 1);
      assert.equal(r.error, err);
    }
  });

  it('only repeats requests that are safe to repeat (5 attempts by default, as fastlane does)', async () => {
    for (const [method, idempotent, expected] of [
      ['POST', undefined, 1],
      ['PATCH', undefined, 1],
      ['POST', true, 5],
      ['PUT', undefined, 5],
      ['DELETE', undefined, 5],
      ['HEAD', undefined, 5],
      ['GET', false, 1],
    ] as const) {
      let calls = 0;
      await run(async () => {
        calls++;
        throw transient();
      }, { method, idempotent });
      assert.equal(calls, expected, `${method} idempotent=${idempotent}`);
    }
    assert.equal(isSafeToRepeat('options'), true);
  });

  it('waits exactly as long as Retry-After says', async () => {
    let calls = 0;
    const r = await run(async () => {
      if (++calls === 1) throw new RateLimitError({ provider: 'P', status: 429, retryAt: new Date(1_000_000 + 7_000) });
      return 'done';
    });
    assert.equal(r.value, 'done');
    assert.deepEqual(r.delays, [7_000]);
  });

  it('surfaces a server wait longer than maxRetryAfterMs instead of sleeping', async () => {
    let calls = 0;
    const err = new RateLimitError({ provider: 'P', status: 429, retryAt: new Date(1_000_000 + 3_600_000) });
    const r = await run(async () => {
      calls++;
      throw err;
    }, { maxRetryAfterMs: 60_000 });
    assert.equal(calls, 1);
    assert.equal(r.error, err);
  });

  it('is cancelled by the signal while waiting', async () => {
    const clock = new ManualClock(0);
    const ac = new AbortController();
    let calls = 0;
    const p = withRetry(async () => {
      calls++;
      throw transient();
    }, { clock, signal: ac.signal, baseDelayMs: 10_000, random: () => 1, provider: 'AppTweak' });
    await clock.advance(1);
    ac.abort();
    await assert.rejects(p, (e) => e instanceof CancelledError && e.provider === 'AppTweak');
    assert.equal(calls, 1);
    await assert.rejects(withRetry(async () => 1, { signal: AbortSignal.abort() }), CancelledError);
  });

  it('backoffDelay is full jitter under an exponential cap', () => {
    assert.equal(backoffDelay(1, 500, 20_000, () => 0), 0);
    assert.equal(backoffDelay(1, 500, 20_000, () => 0.999999), 499);
    assert.equal(backoffDelay(3, 500, 20_000, () => 0.5), 1000);
    assert.equal(backoffDelay(10, 500, 20_000, () => 0.5), 10_000);
  });

  it('sleep resolves on the clock', async () => {
    const clock = new ManualClock(0);
    let done = false;
    void sleep(1000, clock).then(() => (done = true));
    await clock.advance(999);
    assert.equal(done, false);
    await clock.advance(1);
    assert.equal(done, true);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 1, 0, 0, 0);
  it('accepts seconds and HTTP dates, ignores junk', () => {
    assert.equal(parseRetryAfter('120', now)?.getTime(), now + 120_000);
    assert.equal(parseRetryAfter(' 0 ', now)?.getTime(), now);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:05:00 GMT', now)?.getTime(), now + 300_000);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)?.getTime(), now, 'a past date means now');
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter('-5', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
    assert.equal(parseRetryAfter('', now), undefined);
  });
});
