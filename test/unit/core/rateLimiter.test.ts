import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ManualClock, flushMicrotasks } from '../../../src/core/clock';
import { CancelledError } from '../../../src/core/errors';
import {
  AppStoreConnectRateLimiter,
  ConcurrencyLimiter,
  FileBudgetStore,
  LimiterRegistry,
  MemoryBudgetStore,
  RateLimiter,
  createAppTweakLimiter,
  createAppsFlyerLimiter,
  credentialKey,
  defaultConfigDir,
  parseAscRateLimit,
} from '../../../src/core/rateLimiter';

/** Starts `n` acquires and records, in order, the clock time at which each was granted. */
function acquireMany(limiter: RateLimiter, clock: ManualClock, n: number, signal?: AbortSignal) {
  const granted: { i: number; at: number }[] = [];
  const promises = Array.from({ length: n }, (_, i) => limiter.acquire(signal).then(() => granted.push({ i, at: clock.now() })));
  return { granted, promises };
}

describe('RateLimiter', () => {
  it('queues FIFO and grants as the sliding window frees up', async () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter({ clock, windows: [{ name: 's', limit: 2, windowMs: 1000 }] });
    const { granted } = acquireMany(limiter, clock, 5);
    await flushMicrotasks();
    assert.deepEqual(granted, [{ i: 0, at: 0 }, { i: 1, at: 0 }]);
    assert.equal(limiter.remaining(), 0);
    assert.equal(limiter.waiting, 3);
    assert.equal(limiter.nextSlotAt().getTime(), 2000, 'three queued ahead: the next newcomer goes after them');
    await clock.advance(999);
    assert.equal(granted.length, 2);
    await clock.advance(1);
    assert.deepEqual(granted.slice(2), [{ i: 2, at: 1000 }, { i: 3, at: 1000 }]);
    await clock.advance(1000);
    assert.deepEqual(granted.map((g) => g.i), [0, 1, 2, 3, 4]);
    assert.equal(granted[4]?.at, 2000);
    await clock.advance(999);
    assert.equal(limiter.remaining(), 1);
    await clock.advance(1);
    assert.equal(limiter.remaining(), 2, 'a grant expires exactly windowMs later');
  });

  it('applies every window: the tightest one decides', async () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter({ clock, windows: [{ name: 'burst', limit: 3, windowMs: 1000 }, { name: 'slow', limit: 4, windowMs: 10_000 }] });
    const { granted } = acquireMany(limiter, clock, 5);
    await clock.advance(1000);
    assert.equal(granted.length, 4);
    const check = await limiter.checkBudget();
    assert.deepEqual(check, { ok: false, retryAt: new Date(10_000), window: 'slow' });
    await clock.advance(9000);
    assert.equal(granted.length, 5);
  });

  it('a cancelled waiter leaves the queue and the others move up', async () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter({ clock, provider: 'AppTweak', windows: [{ name: 's', limit: 1, windowMs: 1000 }] });
    await limiter.acquire();
    const ac = new AbortController();
    const cancelled = limiter.acquire(ac.signal);
    let laterDone = false;
    const later = limiter.acquire().then(() => (laterDone = true));
    ac.abort();
    await assert.rejects(cancelled, (e) => e instanceof CancelledError && e.provider === 'AppTweak');
    await clock.advance(1000);
    assert.equal(laterDone, true);
    await later;
    await assert.rejects(limiter.acquire(AbortSignal.abort()), CancelledError);
  });

  it('tryAcquire never waits and only consumes when it succeeds', async () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter({ clock, windows: [{ name: 's', limit: 1, windowMs: 1000 }] });
    assert.deepEqual(await limiter.tryAcquire(), { ok: true });
    assert.deepEqual(await limiter.tryAcquire(), { ok: false, retryAt: new Date(1000), window: 's' });
    assert.deepEqual(limiter.status(), [{ name: 's', limit: 1, used: 1, windowMs: 1000 }]);
    await clock.advance(1000);
    assert.deepEqual(await limiter.checkBudget(), { ok: true });
  });

  it('setLimit re-evaluates the queue', async () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter({ clock, windows: [{ name: 'h', limit: 1, windowMs: 60_000 }] });
    const { granted } = acquireMany(limiter, clock, 3);
    await flushMicrotasks();
    assert.equal(granted.length, 1);
    limiter.setLimit('h', 3);
    await flushMicrotasks();
    assert.equal(granted.length, 3);
  });
});

describe('App Store Connect limiter', () => {
  it('parses X-Rate-Limit defensively', () => {
    assert.deepEqual(parseAscRateLimit('user-hour-lim:3500;user-hour-rem:500;'), { limit: 3500, remaining: 500 });
    assert.deepEqual(parseAscRateLimit(' user-hour-rem : 12 ; user-hour-lim:3600'), { limit: 3600, remaining: 12 });
    assert.deepEqual(parseAscRateLimit('junk;foo:bar:baz;user-hour-lim:abc;user-hour-rem:7;;:;x:'), { remaining: 7 });
    assert.deepEqual(parseAscRateLimit('user-hour-lim:-1;user-hour-rem:1.5'), {});
    assert.deepEqual(parseAscRateLimit(''), {});
    assert.deepEqual(parseAscRateLimit(undefined), {});
    assert.deepEqual(parseAscRateLimit(42 as unknown as string), {});
  });

  it('stays under 300 requests a minute, with a one-second margin for jitter', async () => {
    const clock = new ManualClock(0);
    const limiter = new AppStoreConnectRateLimiter({ clock });
    const { granted } = acquireMany(limiter, clock, 301);
    await flushMicrotasks();
    assert.equal(granted.length, 300);
    await clock.advance(60_999);
    assert.equal(granted.length, 300);
    await clock.advance(1);
    assert.equal(granted.length, 301);
  });

  it('learns the hourly limit and usage from the header', async () => {
    const clock = new ManualClock(0);
    const limiter = new AppStoreConnectRateLimiter({ clock });
    await limiter.acquire();
    limiter.observe({ 'x-rate-limit': 'user-hour-lim:100;user-hour-rem:10;' });
    const hour = limiter.status().find((w) => w.name === 'hour');
    assert.deepEqual(hour, { name: 'hour', limit: 100, used: 90, windowMs: 3_600_000 });
    assert.equal(limiter.remaining(), 10);
    // Only ever tightens: a higher "remaining" does not forget our own requests.
    limiter.observe({ 'x-rate-limit': 'user-hour-lim:100;user-hour-rem:99;' });
    assert.equal(limiter.remaining(), 10);
    // Junk or a missing header changes nothing and never throws.
    limiter.observe({ 'x-rate-limit': 'garbage' });
    limiter.observe({});
    assert.equal(limiter.remaining(), 10);
    limiter.observe({ 'x-rate-limit': 'user-hour-lim:100;user-hour-rem:0;' });
    assert.deepEqual(await limiter.checkBudget(), { ok: false, retryAt: new Date(3_600_000), window: 'hour' });
  });
});

describe('AppsFlyer limiter', () => {
  it('keeps the daily budget across instances (reloads, CLI runs) and refuses without sending', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const store = new MemoryBudgetStore();
    const key = credentialKey('appsflyer', 'token-abc');
    const first = createAppsFlyerLimiter({ store, key, clock });
    for (let i = 0; i < 60; i++) {
      assert.deepEqual(await first.tryAcquire(), { ok: true }, `request ${i}`);
      await clock.advance(3_000); // 20 a minute
    }
    // A new process: same store, fresh memory.
    const second = createAppsFlyerLimiter({ store, key, clock });
    assert.equal((await second.checkBudget()).ok, true);
    assert.equal(second.status().find((w) => w.name === 'day')?.used, 60);
    for (let i = 0; i < 40; i++) {
      await second.acquire();
      await clock.advance(3_000);
    }
    const check = await second.checkBudget();
    assert.equal(check.ok, false);
    assert.ok(!check.ok && check.window === 'day');
    assert.equal(!check.ok && check.retryAt.getTime(), Date.UTC(2026, 0, 1) + 86_400_000, 'when the first request of the day expires');
    assert.deepEqual(await second.tryAcquire(), check, 'tryAcquire refuses too');
    const third = createAppsFlyerLimiter({ store, key, clock });
    assert.equal((await third.checkBudget()).ok, false);
    const stored = store.data.get(`appdesk.budget.appsflyer.${key}`);
    assert.ok(Array.isArray(stored) && stored.length === 100);
    assert.doesNotMatch(JSON.stringify([...store.data.keys()]), /token-abc/);
  });

  it('queues within the per-minute limit', async () => {
    const clock = new ManualClock(0);
    const limiter = createAppsFlyerLimiter({ store: new MemoryBudgetStore(), key: 'k', clock });
    const { granted } = acquireMany(limiter, clock, 21);
    await flushMicrotasks();
    assert.equal(granted.length, 20);
    assert.deepEqual(await limiter.checkBudget(), { ok: false, retryAt: new Date(60_000), window: 'minute' });
    await clock.advance(60_000);
    assert.equal(granted.length, 21);
  });

  it('grants a wave of waiters that fit at once, persisted in one write', async () => {
    const clock = new ManualClock(0);
    const inner = new MemoryBudgetStore();
    let writes = 0;
    const store = { get: (k: string) => inner.get(k), set: (k: string, v: unknown) => (writes++, inner.set(k, v)) };
    const limiter = createAppsFlyerLimiter({ store, key: 'k', clock });
    const { granted, promises } = acquireMany(limiter, clock, 5);
    await Promise.all(promises);
    assert.deepEqual(granted.map((g) => g.i), [0, 1, 2, 3, 4], 'FIFO');
    assert.equal(writes, 1, 'one write for the five grants');
    assert.equal((inner.data.get('appdesk.budget.appsflyer.k') as number[]).length, 5, 'every grant persisted');
  });

  it('a failing store does not block requests', async () => {
    const clock = new ManualClock(0);
    const broken = { get: () => Promise.reject(new Error('disk')), set: () => Promise.reject(new Error('disk')) };
    const limiter = createAppsFlyerLimiter({ store: broken, key: 'k', clock });
    await limiter.acquire();
    assert.equal(limiter.remaining(), 19);
  });
});

describe('other limiters and helpers', () => {
  it('AppTweak: 60 per 10 s', async () => {
    const clock = new ManualClock(0);
    const limiter = createAppTweakLimiter({ clock });
    const { granted } = acquireMany(limiter, clock, 61);
    await flushMicrotasks();
    assert.equal(granted.length, 60);
    await clock.advance(10_000);
    assert.equal(granted.length, 61);
  });

  it('LimiterRegistry returns one limiter per key', () => {
    const reg = new LimiterRegistry<RateLimiter>();
    const a = reg.get('x', () => createAppTweakLimiter());
    assert.equal(reg.get('x', () => createAppTweakLimiter()), a);
    assert.notEqual(reg.get('y', () => createAppTweakLimiter()), a);
    assert.match(credentialKey('asc', 'secret'), /^asc:[0-9a-f]{16}$/);
    assert.notEqual(credentialKey('asc', 'a'), credentialKey('asc', 'b'));
  });

  it('ConcurrencyLimiter caps parallel work', async () => {
    const gate = new ConcurrencyLimiter(2);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        gate.run(async () => {
          peak = Math.max(peak, ++active);
          await new Promise((r) => setTimeout(r, 5));
          order.push(n);
          active--;
        }),
      ),
    );
    assert.equal(peak, 2);
    assert.deepEqual(order.sort(), [1, 2, 3, 4, 5]);
    assert.equal(gate.running, 0);
    await assert.rejects(gate.run(async () => Promise.reject(new Error('x'))), /x/);
    assert.equal(gate.running, 0, 'a failure frees its slot');
  });

  it('FileBudgetStore persists across instances, tolerates corruption', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'appdesk-budget-'));
    try {
      const file = join(dir, 'nested', 'budget.json');
      const a = new FileBudgetStore(file);
      assert.equal(await a.get('k'), undefined);
      await Promise.all([a.set('k', [1, 2, 3]), a.set('j', { x: 1 })]);
      const b = new FileBudgetStore(file);
      assert.deepEqual(await b.get('k'), [1, 2, 3]);
      assert.deepEqual(await b.get('j'), { x: 1 });
      assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), { k: [1, 2, 3], j: { x: 1 } });
      await writeFile(file, '{not json');
      assert.equal(await b.get('k'), undefined);
      await b.set('k', [4]);
      assert.deepEqual(await a.get('k'), [4]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('defaultConfigDir per platform', () => {
    assert.equal(defaultConfigDir('appdesk', {}, 'linux', '/home/u'), '/home/u/.config/appdesk');
    assert.equal(defaultConfigDir('appdesk', { XDG_CONFIG_HOME: '/x' }, 'linux', '/home/u'), '/x/appdesk');
    assert.equal(defaultConfigDir('appdesk', {}, 'darwin', '/Users/u'), '/Users/u/Library/Application Support/appdesk');
    assert.match(defaultConfigDir('appdesk', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u'), /Roaming.appdesk$/);
  });
});
