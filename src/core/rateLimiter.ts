/**
 * Client-side rate limiting: requests wait their turn (FIFO) instead of failing with 429. A limiter is a set of
 * sliding windows ("at most `limit` grants in any `windowMs`"); keep one per provider + credential, because
 * the providers count per key.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { systemClock, type Clock } from './clock';
import { CancelledError } from './errors';
import { nullLogger, type Logger } from './logger';

/** Async key/value persistence: globalState in the extension, FileBudgetStore in the CLI. Values are JSON. */
export interface BudgetStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

export interface WindowSpec {
  /** Shown in status, e.g. "minute", "day". Must be unique within a limiter. */
  name: string;
  limit: number;
  windowMs: number;
  /** Persist this window's grants so a reload or another process sees the same budget. */
  persist?: { store: BudgetStore; key: string };
}

export type BudgetCheck = { ok: true } | { ok: false; retryAt: Date; window: string };

/** What ApiClient needs from a limiter. */
export interface RequestLimiter {
  acquire(signal?: AbortSignal): Promise<void>;
  checkBudget?(): Promise<BudgetCheck>;
  observe?(headers: Record<string, string>): void;
}

export interface RateLimiterOptions {
  windows: WindowSpec[];
  clock?: Clock;
  provider?: string;
  logger?: Logger;
}

class SlidingWindow {
  /** Grant timestamps, ascending. */
  log: number[] = [];
  constructor(public spec: WindowSpec) {}

  prune(now: number): void {
    const cutoff = now - this.spec.windowMs;
    let i = 0;
    while (i < this.log.length && this.log[i]! <= cutoff) i++;
    if (i) this.log.splice(0, i);
  }

  /** Earliest time at which the (n+1)-th further grant fits in this window (n = grants queued ahead). */
  slotAt(now: number, n: number): number {
    this.prune(now);
    const idx = this.log.length + n - this.spec.limit;
    if (idx < 0) return now;
    const entry = this.log[idx];
    if (entry !== undefined) return entry + this.spec.windowMs;
    // Beyond what is logged: assume the queue ahead drains at the full rate.
    return now + this.spec.windowMs * Math.ceil((idx + 1) / Math.max(1, this.spec.limit));
  }

  add(t: number, count = 1): void {
    const last = this.log[this.log.length - 1];
    for (let i = 0; i < count; i++) this.log.push(t);
    if (last !== undefined && last > t) this.log.sort((a, b) => a - b);
  }
}

interface Waiter {
  resolve: () => void;
  reject: (e: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

export class RateLimiter implements RequestLimiter {
  protected readonly windows: SlidingWindow[];
  protected readonly clock: Clock;
  readonly provider: string;
  private readonly logger: Logger;
  private queue: Waiter[] = [];
  private pumping = false;
  private cancelTimer: (() => void) | undefined;

  constructor(opts: RateLimiterOptions) {
    this.windows = opts.windows.map((w) => new SlidingWindow({ ...w }));
    this.clock = opts.clock ?? systemClock;
    this.provider = opts.provider ?? 'AppDesk';
    this.logger = opts.logger ?? nullLogger;
  }

  /** Resolves when a slot is granted (the grant is counted). Rejects with CancelledError if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new CancelledError({ provider: this.provider }));
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          this.queue = this.queue.filter((w) => w !== waiter);
          reject(new CancelledError({ provider: this.provider }));
          void this.pump();
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.queue.push(waiter);
      void this.pump();
    });
  }

  /** Takes a slot only if one is free right now and nobody is waiting; never waits. */
  async tryAcquire(): Promise<BudgetCheck> {
    await this.load();
    const now = this.clock.now();
    if (this.queue.length === 0 && this.slotAt(now, 0).at <= now) {
      await this.grant(now);
      return { ok: true };
    }
    return this.check(now, this.queue.length);
  }

  /** Would a request issued now have to wait, and until when? Counts the queue ahead. Consumes nothing. */
  async checkBudget(): Promise<BudgetCheck> {
    await this.load();
    return this.check(this.clock.now(), this.queue.length);
  }

  /** Grants left right now in the tightest window (from the last known state of persisted windows). */
  remaining(): number {
    const now = this.clock.now();
    return Math.max(0, Math.min(...this.windows.map((w) => (w.prune(now), w.spec.limit - w.log.length))));
  }

  /** When the next request could go out (now if a slot is free). */
  nextSlotAt(): Date {
    return new Date(this.slotAt(this.clock.now(), this.queue.length).at);
  }

  /** Per-window state for a status bar tooltip. */
  status(): { name: string; limit: number; used: number; windowMs: number }[] {
    const now = this.clock.now();
    return this.windows.map((w) => (w.prune(now), { name: w.spec.name, limit: w.spec.limit, used: w.log.length, windowMs: w.spec.windowMs }));
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** Changes a window's limit (e.g. learnt from a response header) and re-evaluates the queue. */
  setLimit(window: string, limit: number): void {
    const w = this.windows.find((x) => x.spec.name === window);
    if (!w || !(limit > 0) || w.spec.limit === limit) return;
    w.spec.limit = limit;
    void this.pump();
  }

  /** Hook for providers that report usage in headers. */
  observe(_headers: Record<string, string>): void {}

  /** Counts `count` grants that happened elsewhere (another tool using the same key), at time now. */
  protected recordExternal(window: string, count: number): void {
    const w = this.windows.find((x) => x.spec.name === window);
    if (w && count > 0) w.add(this.clock.now(), count);
  }

  protected windowUsed(window: string): number {
    const w = this.windows.find((x) => x.spec.name === window);
    if (!w) return 0;
    w.prune(this.clock.now());
    return w.log.length;
  }

  private check(now: number, ahead: number): BudgetCheck {
    const { at, window } = this.slotAt(now, ahead);
    return at <= now ? { ok: true } : { ok: false, retryAt: new Date(at), window };
  }

  private slotAt(now: number, ahead: number): { at: number; window: string } {
    let best = { at: now, window: '' };
    for (const w of this.windows) {
      const at = w.slotAt(now, ahead);
      if (at > best.at) best = { at, window: w.spec.name };
    }
    return best;
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    try {
      while (this.queue.length) {
        await this.load();
        const now = this.clock.now();
        const { at } = this.slotAt(now, 0);
        if (at > now) {
          this.cancelTimer = this.clock.setTimer(() => {
            this.cancelTimer = undefined;
            void this.pump();
          }, at - now);
          return;
        }
        // Every waiter that fits now is granted at once and persisted in one write: a wave of parallel requests
        // goes out together instead of one store round trip (a file, or VS Code's globalState) after another.
        let fit = 1;
        while (fit < this.queue.length && this.slotAt(now, fit).at <= now) fit++;
        const granted = this.queue.splice(0, fit);
        for (const waiter of granted) waiter.signal?.removeEventListener('abort', waiter.onAbort);
        await this.grant(now, granted.length);
        for (const waiter of granted) waiter.resolve();
      }
    } finally {
      this.pumping = false;
    }
  }

  private async grant(now: number, count = 1): Promise<void> {
    for (const w of this.windows) w.add(now, count);
    await this.save();
  }

  /** Merges persisted grants into memory. A union, so another process's grants add to ours and none are lost. */
  private async load(): Promise<void> {
    for (const w of this.windows) {
      if (!w.spec.persist) continue;
      try {
        const stored = await w.spec.persist.store.get(w.spec.persist.key);
        if (!Array.isArray(stored)) continue;
        const mine = new Set(w.log);
        const theirs = stored.filter((t): t is number => typeof t === 'number' && Number.isFinite(t) && !mine.has(t));
        if (theirs.length) w.log = [...w.log, ...theirs].sort((a, b) => a - b);
      } catch (e) {
        // A broken store must not block requests; the budget is then only enforced in memory.
        this.logger.warn(`Could not read the ${this.provider} request budget`, e);
      }
    }
  }

  private async save(): Promise<void> {
    const now = this.clock.now();
    for (const w of this.windows) {
      if (!w.spec.persist) continue;
      w.prune(now);
      try {
        await w.spec.persist.store.set(w.spec.persist.key, w.log);
      } catch (e) {
        this.logger.warn(`Could not save the ${this.provider} request budget`, e);
      }
    }
  }
}

/**
 * Parses `X-Rate-Limit: user-hour-lim:3500;user-hour-rem:500;` defensively: pairs split on ";", key/value on the
 * first ":", junk and missing parts ignored. Never throws.
 */
export function parseAscRateLimit(header: string | undefined): { limit?: number; remaining?: number } {
  const out: { limit?: number; remaining?: number } = {};
  if (typeof header !== 'string') return out;
  for (const pair of header.split(';')) {
    const i = pair.indexOf(':');
    if (i < 0) continue;
    const key = pair.slice(0, i).trim().toLowerCase();
    const raw = pair.slice(i + 1).trim();
    if (!/^\d+$/.test(raw)) continue;
    const n = Number(raw);
    if (key === 'user-hour-lim') out.limit = n;
    else if (key === 'user-hour-rem') out.remaining = n;
  }
  return out;
}

/** App Store Connect: learns the hourly limit from `X-Rate-Limit`, and stays within 300 requests a minute. */
export class AppStoreConnectRateLimiter extends RateLimiter {
  constructor(opts: { clock?: Clock; logger?: Logger; hourlyLimit?: number; perMinute?: number } = {}) {
    super({
      provider: 'App Store Connect',
      clock: opts.clock,
      logger: opts.logger,
      windows: [
        // Undocumented; developers report 429s beyond ~300 in a clock minute. The window is a second longer than a
        // minute so that network jitter between our clock and Apple's never puts 301 requests in Apple's minute.
        { name: 'minute', limit: opts.perMinute ?? 300, windowMs: 61_000 },
        { name: 'hour', limit: opts.hourlyLimit ?? 3500, windowMs: 3_600_000 },
      ],
    });
  }

  override observe(headers: Record<string, string>): void {
    const { limit, remaining } = parseAscRateLimit(headers['x-rate-limit']);
    if (limit !== undefined) this.setLimit('hour', limit);
    const hourLimit = limit ?? this.status().find((w) => w.name === 'hour')?.limit;
    if (remaining === undefined || hourLimit === undefined) return;
    // Apple counts requests we did not make (other tools, an earlier session). Only ever tighten: our log
    // also holds requests still in flight that Apple has not counted yet.
    const missing = Math.min(hourLimit, hourLimit - remaining) - this.windowUsed('hour');
    if (missing > 0) this.recordExternal('hour', missing);
  }
}

export function createAppStoreConnectLimiter(opts: { clock?: Clock; logger?: Logger } = {}): AppStoreConnectRateLimiter {
  return new AppStoreConnectRateLimiter(opts);
}

/**
 * AppsFlyer: 20 a minute and 100 a day. The daily budget is persisted so reloads and CLI runs share it; it is a
 * rolling 24 h, which also never exceeds a calendar-day quota. Callers should `checkBudget()` first and fail
 * with a RateLimitError instead of queueing for hours.
 */
export function createAppsFlyerLimiter(opts: { store: BudgetStore; key: string; clock?: Clock; logger?: Logger }): RateLimiter {
  return new RateLimiter({
    provider: 'AppsFlyer',
    clock: opts.clock,
    logger: opts.logger,
    windows: [
      { name: 'minute', limit: 20, windowMs: 60_000 },
      { name: 'day', limit: 100, windowMs: 86_400_000, persist: { store: opts.store, key: `appdesk.budget.appsflyer.${opts.key}` } },
    ],
  });
}

/** AppTweak: 60 requests per 10 seconds. */
export function createAppTweakLimiter(opts: { clock?: Clock; logger?: Logger } = {}): RateLimiter {
  return new RateLimiter({ provider: 'AppTweak', clock: opts.clock, logger: opts.logger, windows: [{ name: '10s', limit: 60, windowMs: 10_000 }] });
}

/** Stable, non-reversible key for a credential, for limiter registries and budget store keys. */
export function credentialKey(provider: string, credential: string): string {
  return `${provider}:${createHash('sha256').update(credential).digest('hex').slice(0, 16)}`;
}

/** One limiter per key, created on first use. */
export class LimiterRegistry<L> {
  private readonly map = new Map<string, L>();
  get(key: string, create: () => L): L {
    let l = this.map.get(key);
    if (!l) this.map.set(key, (l = create()));
    return l;
  }
  delete(key: string): void {
    this.map.delete(key);
  }
}

/** Caps parallel work (e.g. parallel page fetches), FIFO. */
export class ConcurrencyLimiter {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  constructor(readonly max: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((r) => this.queue.push(r));
    else this.active++;
    try {
      return await fn();
    } finally {
      // Hand the slot straight to the next waiter, so `active` never dips and lets a newcomer jump the queue.
      const next = this.queue.shift();
      if (next) next();
      else this.active--;
    }
  }

  get running(): number {
    return this.active;
  }
  get waiting(): number {
    return this.queue.length;
  }
}

/** JSON file store for the CLI, shared by all CLI processes of the user. Writes are atomic (temp + rename). */
export class FileBudgetStore implements BudgetStore {
  private chain: Promise<unknown> = Promise.resolve();
  constructor(readonly file: string) {}

  async get(key: string): Promise<unknown> {
    return (await this.readAll())[key];
  }

  set(key: string, value: unknown): Promise<void> {
    const run = this.chain.then(async () => {
      // Re-read so keys written by another process survive.
      const all = await this.readAll();
      all[key] = value;
      await mkdir(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, JSON.stringify(all), { mode: 0o600 });
      await rename(tmp, this.file);
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async readAll(): Promise<Record<string, unknown>> {
    try {
      const v: unknown = JSON.parse(await readFile(this.file, 'utf8'));
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
    } catch {
      // Missing or corrupt: start empty rather than refuse to work.
      return {};
    }
  }
}

export class MemoryBudgetStore implements BudgetStore {
  readonly data = new Map<string, unknown>();
  async get(key: string): Promise<unknown> {
    return structuredClone(this.data.get(key));
  }
  async set(key: string, value: unknown): Promise<void> {
    this.data.set(key, structuredClone(value));
  }
}

/** Per-user config directory for the CLI: XDG on Linux, Application Support on macOS, APPDATA on Windows. */
export function defaultConfigDir(
  app = 'appdesk',
  env: Record<string, string | undefined> = process.env,
  platform: string = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), app);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', app);
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), app);
}
