// The one place that wires App Store Connect onto the core: ApiClient with the JWT, the per-key rate limiter that
// learns `X-Rate-Limit`, retry, Apple's error envelope → typed errors, and `links.next` paging restricted to the
// configured origin. Everything else in this folder calls `AscClient`, so swapping the glue touches this file only.
import { ApiClient, type ApiRequestOptions, type ErrorContext, type Query } from '../../core/apiClient';
import { systemClock, type Clock } from '../../core/clock';
import {
  AuthError,
  NotFoundError,
  ProtocolError,
  RateLimitError,
  TransientError,
  ValidationError,
  type ProviderError,
  type ProviderErrorInit,
} from '../../core/errors';
import { HttpClient } from '../../core/http';
import type { Logger } from '../../core/logger';
import { AppStoreConnectRateLimiter, LimiterRegistry, credentialKey, parseAscRateLimit } from '../../core/rateLimiter';
import { parseRetryAfter, sleep } from '../../core/retry';
import type { Schema } from '../../core/validate';
import { PROVIDER } from './keys';
import type { TokenSource } from './jwt';
import type { AnyResource } from './schemas';

export const HINT_401 = 'Check the key ID and issuer ID, or generate a new key in App Store Connect → Users and Access → Integrations.';
export const HINT_AGREEMENTS =
  'The Account Holder must review and accept the latest agreements in App Store Connect → Business (or on developer.apple.com → Account), then try again.';

/** One limiter per API key and host, shared by every connection of that key in this process (Apple counts per key). */
const limiters = new LimiterRegistry<AppStoreConnectRateLimiter>();

export function limiterFor(baseUrl: string, issuerId: string, keyId: string, logger: Logger, clock?: Clock): AppStoreConnectRateLimiter {
  const key = credentialKey('asc', `${new URL(baseUrl).origin}|${issuerId}|${keyId}`);
  return limiters.get(key, () => new AppStoreConnectRateLimiter({ logger, clock }));
}

export interface AscClientOptions {
  baseUrl: string;
  tokens: TokenSource;
  limiter: AppStoreConnectRateLimiter;
  logger: Logger;
  proxy?: { url?: string; strictSSL: boolean };
  timeoutMs?: number;
  clock?: Clock;
}

export interface RateLimitSnapshot {
  limit: number;
  remaining: number;
  at: number;
}

export interface JsonApiPage<T> {
  data: T[];
  included: AnyResource[];
  next?: string;
  total?: number;
}

type Doc<T> = { data: T[]; included?: AnyResource[] | null; links?: { next?: string | null } | null; meta?: { paging?: { total?: number | null } | null } | null };

export class AscClient {
  readonly api: ApiClient;
  readonly http: HttpClient;
  readonly baseUrl: URL;
  /** The last `X-Rate-Limit` Apple sent. */
  lastRateLimit: RateLimitSnapshot | undefined;
  private readonly clock: Clock;

  constructor(private readonly opts: AscClientOptions) {
    this.clock = opts.clock ?? systemClock;
    this.baseUrl = new URL(opts.baseUrl);
    this.http = new HttpClient({ logger: opts.logger, proxy: opts.proxy, timeoutMs: opts.timeoutMs, userAgent: 'AppDesk (App Store Connect)' });
    this.api = new ApiClient({
      provider: PROVIDER,
      baseUrl: opts.baseUrl,
      http: this.http,
      auth: async () => ({ authorization: `Bearer ${await opts.tokens.get()}` }),
      rateLimiter: opts.limiter,
      logger: opts.logger,
      timeoutMs: opts.timeoutMs,
      clock: this.clock,
      errorMapper: (ctx) => mapAscError(ctx, this.clock.now()),
      onResponse: (res) => {
        const { limit, remaining } = parseAscRateLimit(res.headers['x-rate-limit']);
        if (limit !== undefined && remaining !== undefined) this.lastRateLimit = { limit, remaining, at: this.clock.now() };
      },
    });
  }

  get limiter(): AppStoreConnectRateLimiter {
    return this.opts.limiter;
  }

  get<T>(path: string, schema: Schema<T>, opts: ApiRequestOptions<T> = {}): Promise<T> {
    return this.run('GET', () => this.api.get(path, { ...opts, schema }), opts.signal);
  }

  /** POST with a JSON:API body; `schema` validates the 201 document (omit for 204). */
  post<T = unknown>(path: string, body: unknown, schema?: Schema<T>, opts: ApiRequestOptions<T> = {}): Promise<T> {
    return this.run('POST', () => this.api.post(path, body, { ...opts, schema }), opts.signal);
  }

  patch<T = unknown>(path: string, body: unknown, schema?: Schema<T>, opts: ApiRequestOptions<T> = {}): Promise<T> {
    return this.run('PATCH', () => this.api.patch(path, body, { ...opts, schema }), opts.signal);
  }

  /** DELETE, with an optional linkage body (`DELETE …/relationships/…`). */
  async delete(path: string, body?: unknown, opts: ApiRequestOptions = {}): Promise<void> {
    await this.run('DELETE', () => this.api.request('DELETE', path, body === undefined ? opts : { ...opts, json: body }), opts.signal);
  }

  getBytes(path: string, opts: ApiRequestOptions = {}): Promise<Buffer> {
    return this.run('GET', () => this.api.getBytes(path, opts), opts.signal);
  }

  /**
   * One page of a collection. `cursor` is a `links.next` URL from an earlier page (absolute or relative); it must
   * stay on the configured API origin and path, else it is refused before any credential is sent.
   */
  async page<T>(path: string, schema: Schema<Doc<T>>, opts: { query?: Query; cursor?: string; signal?: AbortSignal } = {}): Promise<JsonApiPage<T>> {
    const target = opts.cursor ? this.checkNext(opts.cursor) : path;
    const doc = await this.get(target, schema, { query: opts.cursor ? undefined : opts.query, signal: opts.signal });
    const next = doc.links?.next ? this.checkNext(doc.links.next) : undefined;
    return {
      data: doc.data,
      included: doc.included ?? [],
      ...(next && { next }),
      ...(typeof doc.meta?.paging?.total === 'number' && { total: doc.meta.paging.total }),
    };
  }

  /** Every page of a collection (bounded). */
  async all<T>(path: string, schema: Schema<Doc<T>>, opts: { query?: Query; signal?: AbortSignal; maxPages?: number } = {}): Promise<{ data: T[]; included: AnyResource[] }> {
    const data: T[] = [];
    const included: AnyResource[] = [];
    let cursor: string | undefined;
    const seen = new Set<string>();
    for (let n = 0; n < (opts.maxPages ?? 50); n++) {
      const p = await this.page(path, schema, { query: opts.query, cursor, signal: opts.signal });
      data.push(...p.data);
      included.push(...p.included);
      if (!p.next || seen.has(p.next)) return { data, included };
      seen.add(p.next);
      cursor = p.next;
    }
    throw new ProtocolError({ provider: PROVIDER, details: [`stopped after ${opts.maxPages ?? 50} pages of ${path}`] });
  }

  /** A next-page URL, resolved and checked: same origin and under the base path, else ProtocolError. */
  checkNext(next: string): string {
    let url: URL;
    try {
      url = new URL(next, this.baseUrl);
    } catch {
      throw new ProtocolError({ provider: PROVIDER, summary: 'App Store Connect sent a next-page link that is not a URL' });
    }
    const basePath = this.baseUrl.pathname.replace(/\/+$/, '');
    if (url.origin !== this.baseUrl.origin || (basePath && !url.pathname.startsWith(`${basePath}/`))) {
      throw new ProtocolError({
        provider: PROVIDER,
        summary: `App Store Connect sent a next-page link to another server (${url.host})`,
        hint: 'AppDesk did not follow it, so your credentials were not sent there. Report this if it persists.',
      });
    }
    return url.href;
  }

  /**
   * Runs one request with App Store Connect's recovery rules on top of core's retry: a 401 drops the token and
   * tries once more with a fresh one (tokens can be rejected early after a clock jump or a key change); a write that
   * met a 429 was not processed by Apple, so it is sent once more after the wait Apple asked for (≤ 60 s).
   */
  private async run<T>(method: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    let reauthorized = false;
    let rateRetried = false;
    for (;;) {
      try {
        return await fn();
      } catch (e) {
        if (e instanceof AuthError && e.status === 401 && !reauthorized) {
          reauthorized = true;
          this.opts.tokens.invalidate();
          this.opts.logger.debug('App Store Connect: 401, retrying once with a new token');
          continue;
        }
        if (e instanceof RateLimitError && method !== 'GET' && !rateRetried) {
          const wait = e.retryAt ? e.retryAt.getTime() - this.clock.now() : 1000;
          if (wait <= 60_000) {
            rateRetried = true;
            this.opts.logger.info(`App Store Connect: rate limited, sending the ${method} again in ${Math.ceil(Math.max(0, wait) / 1000)} s`);
            await sleep(Math.max(0, wait), this.clock, signal, PROVIDER);
            continue;
          }
        }
        throw e;
      }
    }
  }

  dispose(): void {
    void this.http.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Errors

interface AppleError {
  status?: unknown;
  code?: unknown;
  title?: unknown;
  detail?: unknown;
  source?: { pointer?: unknown; parameter?: unknown } | null;
  meta?: { associatedErrors?: unknown } | null;
}

/** Field name from a JSON pointer: `/data/attributes/keywords` → `keywords`, `/data/relationships/build` → `build`. */
export function fieldOfPointer(pointer: string): string | undefined {
  const parts = pointer.split('/').filter(Boolean);
  const i = parts.findIndex((p) => p === 'attributes' || p === 'relationships');
  if (i >= 0 && parts[i + 1]) return parts[i + 1];
  return parts[parts.length - 1];
}

/** Apple's words (detail, else title), codes, and field errors from `source` — including `meta.associatedErrors`. */
export function parseAppleErrors(body: unknown): { codes: string[]; details: string[]; fieldErrors: Record<string, string[]> } {
  const codes: string[] = [];
  const details: string[] = [];
  const fieldErrors: Record<string, string[]> = {};
  const text = (x: unknown) => (typeof x === 'string' && x.trim() ? x.trim() : undefined);
  const visit = (e: AppleError, depth: number) => {
    if (!e || typeof e !== 'object' || depth > 3) return;
    const code = text(e.code);
    if (code) codes.push(code);
    const msg = text(e.detail) ?? text(e.title);
    if (msg && !details.includes(msg)) details.push(msg);
    const pointer = text(e.source?.pointer);
    const field = pointer ? fieldOfPointer(pointer) : text(e.source?.parameter);
    if (field && msg) (fieldErrors[field] ??= []).push(msg);
    const assoc = e.meta?.associatedErrors;
    if (assoc && typeof assoc === 'object') {
      for (const list of Object.values(assoc as Record<string, unknown>)) if (Array.isArray(list)) for (const x of list) visit(x as AppleError, depth + 1);
    }
  };
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (Array.isArray(errors)) for (const e of errors) visit(e as AppleError, 0);
  return { codes, details, fieldErrors };
}

/** Prefix match on Apple's hierarchical codes ("Examine the error code using prefix matching"). */
export function hasCode(codes: readonly string[], prefix: string): boolean {
  return codes.some((c) => c === prefix || c.startsWith(`${prefix}.`));
}

export function mapAscError(ctx: ErrorContext, now: number = Date.now()): ProviderError | undefined {
  const s = ctx.status;
  if (s < 400) return undefined;
  const body = ctx.headers['content-type']?.includes('json') || ctx.text().trimStart().startsWith('{') ? ctx.json() : undefined;
  const { codes, details, fieldErrors } = parseAppleErrors(body);
  if (!details.length && ctx.body.length && ctx.body.length < 500) {
    // 406 and gateway errors answer in plain text ("Could not process this request").
    const t = ctx.text().trim();
    if (t && !t.startsWith('<') && !t.startsWith('{')) details.push(t);
  }
  const base: ProviderErrorInit = { provider: PROVIDER, status: s, endpoint: ctx.endpoint, details, fieldErrors };
  const sales = /\/v1\/(salesReports|financeReports)$/.test(ctx.endpoint);

  if (s === 401 || hasCode(codes, 'NOT_AUTHORIZED')) {
    return new AuthError({ ...base, summary: 'App Store Connect rejected the API key (401)', hint: HINT_401 });
  }
  if (s === 403) {
    if (hasCode(codes, 'FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED')) {
      return new AuthError({ ...base, summary: 'App Store Connect is blocked until the latest agreements are accepted (403)', hint: HINT_AGREEMENTS });
    }
    return new AuthError({
      ...base,
      hint: sales
        ? 'Sales reports need a team key with the Admin, Finance or Sales role; individual keys cannot read Sales and Trends.'
        : 'The role of this API key does not allow this action. Use a key with the App Manager or Admin role (Users and Access → Integrations).',
    });
  }
  if (s === 404 || s === 410) {
    if (sales) return new NotFoundError({ ...base, summary: 'App Store Connect has no sales report for these filters', hint: 'Reports for a day are available the next day; check the vendor number, date and frequency.' });
    return new NotFoundError(base);
  }
  if (s === 406 || s === 415) {
    return new ProtocolError({ ...base, summary: `App Store Connect cannot answer ${ctx.endpoint} in the requested format (${s})` });
  }
  if (s === 429 || hasCode(codes, 'RATE_LIMIT_EXCEEDED')) {
    const hour = parseAscRateLimit(ctx.headers['x-rate-limit']);
    const retryAt =
      parseRetryAfter(ctx.headers['retry-after'], now) ??
      // Hourly budget used up: the rolling hour frees slots gradually; per-minute burst: a minute is enough.
      new Date(now + (hour.remaining === 0 ? 10 * 60_000 : 60_000));
    return new RateLimitError({ ...base, retryAt });
  }
  if (s === 400 || s === 409 || s === 422 || hasCode(codes, 'ENTITY_ERROR') || hasCode(codes, 'PARAMETER_ERROR') || hasCode(codes, 'STATE_ERROR')) {
    return new ValidationError(base);
  }
  if (s >= 500) return new TransientError({ ...base, retryAt: parseRetryAfter(ctx.headers['retry-after'], now) });
  return undefined;
}

/** JSON:API request document. */
export function resourceBody(
  type: string,
  attributes?: Record<string, unknown>,
  relationships?: Record<string, { type: string; id: string } | { type: string; id: string }[] | null>,
  id?: string,
): { data: Record<string, unknown> } {
  const data: Record<string, unknown> = { type };
  if (id) data.id = id;
  if (attributes && Object.keys(attributes).length) data.attributes = attributes;
  if (relationships) data.relationships = Object.fromEntries(Object.entries(relationships).map(([k, d]) => [k, { data: d }]));
  return { data };
}

export function linkage(type: string, ids: string[]): { data: { type: string; id: string }[] } {
  return { data: ids.map((id) => ({ type, id })) };
}
