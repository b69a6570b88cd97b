/**
 * One client per provider account: HttpClient + auth + rate limiting + conditional-GET cache + retry + typed
 * errors + optional response validation. Providers add only their auth, error mapping and endpoints.
 */
import { systemClock, type Clock } from './clock';
import { HttpCache } from './cache';
import {
  AuthError,
  NotFoundError,
  ProtocolError,
  RateLimitError,
  TransientError,
  ValidationError,
  describeEndpoint,
  formatRetryAt,
  type ErrorKind,
  type ProviderError,
  type ProviderErrorInit,
} from './errors';
import type { HttpClient, HttpResponse } from './http';
import { nullLogger, type Logger } from './logger';
import type { RequestLimiter } from './rateLimiter';
import { parseRetryAfter, withRetry, type RetryOptions } from './retry';
import { parse, type Schema } from './validate';

export type Query = Record<string, string | number | boolean | readonly (string | number)[] | null | undefined>;

export interface AuthRequest {
  method: string;
  url: URL;
  /** 1 for the first attempt; auth runs per attempt so an expired token is replaced on retry. */
  attempt: number;
}

/** Header name → value; undefined values are left out (e.g. no session cookie yet). */
export type AuthHeaders = Record<string, string | undefined>;

export interface ErrorContext {
  provider: string;
  method: string;
  url: string;
  /** "GET /v1/apps" */
  endpoint: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  text(): string;
  /** Parsed body, or undefined if it is not JSON. Never throws. */
  json(): unknown;
}

/** Hints by status code (e.g. 401) or by kind (e.g. "rateLimit"); status wins. */
export type ErrorHints = Partial<Record<ErrorKind | number, string>>;

export interface ApiClientOptions {
  /** Display name used in every message, e.g. "App Store Connect". */
  provider: string;
  /** e.g. "https://api.appstoreconnect.apple.com" or "https://public-api.apptweak.com/api/public/integrations". */
  baseUrl: string;
  http: HttpClient;
  /** Credential headers; called before every attempt. Requests carrying them never leave baseUrl's origin. */
  auth?: (req: AuthRequest) => Promise<AuthHeaders> | AuthHeaders;
  rateLimiter?: RequestLimiter;
  cache?: HttpCache;
  /** Identity of the credential (not the secret itself), so cached responses are never shared across accounts. */
  cacheKey?: string;
  retry?: Omit<RetryOptions, 'method' | 'idempotent' | 'signal' | 'provider'>;
  logger?: Logger;
  /**
   * Maps a response to a provider error. Called for every response, so it can also flag errors inside a 200
   * (legacy iTunes Connect); return undefined to fall back to the default mapping (non-2xx only).
   */
  errorMapper?: (ctx: ErrorContext) => ProviderError | undefined;
  /** Hints for the default mapping, e.g. { 401: 'Check the key ID and issuer ID…' }. */
  hints?: ErrorHints;
  /** Called with every response before it is mapped, e.g. to read rate-limit headers. */
  onResponse?: (res: HttpResponse) => void;
  defaultHeaders?: Record<string, string>;
  timeoutMs?: number;
  /** Queue for a rate-limit slot up to this long; beyond it fail at once with RateLimitError. Default 60 s. */
  maxQueueWaitMs?: number;
  clock?: Clock;
}

export interface ApiRequestOptions<T = unknown> {
  query?: Query;
  headers?: Record<string, string>;
  /** JSON request body. */
  json?: unknown;
  /** Form-encoded request body. */
  form?: Record<string, string> | URLSearchParams;
  /** Raw request body with its content type. */
  body?: string | Uint8Array;
  contentType?: string;
  /** Default "application/json". */
  accept?: string;
  /** Validates the parsed JSON. */
  schema?: Schema<T>;
  signal?: AbortSignal;
  /** Marks a POST/PATCH as safe to retry. */
  idempotent?: boolean;
  timeoutMs?: number;
  maxBytes?: number;
  /** false: bypass the cache; 'revalidate': ask the server even if the cached copy is fresh (a manual refresh). */
  cache?: boolean | 'revalidate';
  /** false: send no credentials (e.g. a pre-signed download URL on another host). */
  auth?: boolean;
  redirect?: 'follow' | 'manual';
  /** Non-2xx statuses that count as success (the legacy login's 302). */
  okStatus?: number[];
}

export interface ApiResponse extends HttpResponse {
  fromCache: boolean;
}

export class ApiClient {
  readonly provider: string;
  readonly baseUrl: URL;
  private readonly opts: ApiClientOptions;
  private readonly logger: Logger;
  private readonly clock: Clock;

  constructor(opts: ApiClientOptions) {
    this.opts = opts;
    this.provider = opts.provider;
    this.baseUrl = new URL(opts.baseUrl);
    this.logger = opts.logger ?? nullLogger;
    this.clock = opts.clock ?? systemClock;
  }

  get<T = unknown>(path: string, opts: ApiRequestOptions<T> = {}): Promise<T> {
    return this.requestJson('GET', path, opts);
  }
  post<T = unknown>(path: string, json?: unknown, opts: ApiRequestOptions<T> = {}): Promise<T> {
    return this.requestJson('POST', path, json === undefined ? opts : { ...opts, json });
  }
  patch<T = unknown>(path: string, json?: unknown, opts: ApiRequestOptions<T> = {}): Promise<T> {
    return this.requestJson('PATCH', path, json === undefined ? opts : { ...opts, json });
  }
  delete<T = unknown>(path: string, opts: ApiRequestOptions<T> = {}): Promise<T> {
    return this.requestJson('DELETE', path, opts);
  }
  /** Raw bytes, e.g. a sales report (`accept: 'application/a-gzip'`; the body stays gzipped). */
  async getBytes(path: string, opts: ApiRequestOptions = {}): Promise<Buffer> {
    return (await this.request('GET', path, opts)).body;
  }

  /** Parsed (and validated) JSON; undefined for an empty body (204). */
  async requestJson<T>(method: string, path: string, opts: ApiRequestOptions<T> = {}): Promise<T> {
    const res = await this.request(method, path, opts);
    if (res.body.length === 0 && !opts.schema) return undefined as T;
    const data = res.body.length === 0 ? undefined : res.json();
    return opts.schema ? parse(opts.schema, data, { provider: this.provider, endpoint: describeEndpoint(method, res.url) }) : (data as T);
  }

  /** The full response for any success status; everything else throws a ProviderError. */
  async request(method: string, path: string, opts: ApiRequestOptions = {}): Promise<ApiResponse> {
    method = method.toUpperCase();
    const url = this.resolve(path, opts.query);
    const endpoint = describeEndpoint(method, url);
    const withAuth = !!this.opts.auth && opts.auth !== false;
    if (withAuth && url.origin !== this.baseUrl.origin) {
      throw new ProtocolError({
        provider: this.provider,
        endpoint,
        summary: `Refused to send ${this.provider} credentials to ${url.host}`,
        hint: `Only ${this.baseUrl.host} receives them. Report this if it persists.`,
      });
    }
    const accept = opts.accept ?? 'application/json';
    const cache = method === 'GET' && opts.cache !== false ? this.opts.cache : undefined;
    const cacheKey = HttpCache.key(url.href, this.opts.cacheKey, accept);
    const cached = cache?.lookup(cacheKey);
    if (cached?.fresh && opts.cache !== 'revalidate') {
      this.logger.trace(`${this.provider}: ${endpoint} served from cache`);
      return cachedResponse(cached.entry, this.provider, endpoint);
    }
    const { body, contentType } = encodeBody(opts);

    const res = await withRetry(
      async (attempt) => {
        await this.waitForSlot(endpoint, opts.signal);
        const authHeaders = withAuth ? definedOnly(await this.opts.auth!({ method, url, attempt })) : {};
        const headers: Record<string, string> = {
          accept,
          ...(contentType && { 'content-type': contentType }),
          ...this.opts.defaultHeaders,
          ...(cached && HttpCache.conditionalHeaders(cached.entry)),
          ...opts.headers,
          ...authHeaders,
        };
        const r = await this.opts.http.request({
          url,
          method,
          headers,
          body,
          signal: opts.signal,
          timeoutMs: opts.timeoutMs ?? this.opts.timeoutMs,
          maxBytes: opts.maxBytes,
          redirect: opts.redirect,
          secretHeaders: Object.keys(authHeaders),
          provider: this.provider,
        });
        this.opts.rateLimiter?.observe?.(r.headers);
        this.opts.onResponse?.(r);
        const ok = (r.status >= 200 && r.status < 300) || opts.okStatus?.includes(r.status) || (r.status === 304 && !cached);
        const ctx = ok && !this.opts.errorMapper ? undefined : errorContext(this.provider, method, r, endpoint);
        const mapped = ctx && this.opts.errorMapper?.(ctx);
        if (mapped) throw mapped;
        if (r.status === 304 && cached) return r;
        if (!ok) throw defaultErrorFor(ctx!, this.opts.hints);
        return r;
      },
      {
        ...this.opts.retry,
        clock: this.opts.retry?.clock ?? this.clock,
        method,
        idempotent: opts.idempotent,
        signal: opts.signal,
        provider: this.provider,
        onRetry: (info) => {
          const { attempt, delayMs, error } = info;
          this.opts.retry?.onRetry?.(info);
          this.logger.debug(`${this.provider}: retrying ${endpoint} in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt + 1}) after: ${(error as Error).message}`);
        },
      },
    );

    if (res.status === 304 && cache && cached) {
      return cachedResponse(cache.revalidated(cacheKey, res.headers) ?? cached.entry, this.provider, endpoint);
    }
    if (cache && res.status === 200) cache.store(cacheKey, res);
    // A write may change what any cached GET of this account returns.
    if (method !== 'GET' && method !== 'HEAD') this.opts.cache?.clear(this.opts.cacheKey ?? '');
    return { ...res, fromCache: false };
  }

  /** Absolute URLs pass through (and are origin-checked by the caller); paths are joined to baseUrl's path. */
  resolve(path: string, query?: Query): URL {
    const url = /^https?:\/\//i.test(path) ? new URL(path) : new URL(`${this.baseUrl.href.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`);
    for (const [k, val] of Object.entries(query ?? {})) {
      if (val === undefined || val === null) continue;
      // JSON:API style (App Store Connect): arrays are comma-joined, filter[x]=A,B.
      url.searchParams.append(k, Array.isArray(val) ? val.join(',') : String(val));
    }
    return url;
  }

  private async waitForSlot(endpoint: string, signal: AbortSignal | undefined): Promise<void> {
    const limiter = this.opts.rateLimiter;
    if (!limiter) return;
    const budget = await limiter.checkBudget?.();
    if (budget && !budget.ok) {
      const waitMs = budget.retryAt.getTime() - this.clock.now();
      if (waitMs > (this.opts.maxQueueWaitMs ?? 60_000)) {
        // Fail before sending: the request would only earn a 429 and burn budget.
        throw new RateLimitError({
          provider: this.provider,
          endpoint,
          retryAt: budget.retryAt,
          summary: `${this.provider} request budget is used up (per ${budget.window})`,
          hint: `AppDesk has not sent the request. Try again ${formatRetryAt(budget.retryAt, this.clock.now())}.`,
        });
      }
      this.logger.info(`${this.provider}: waiting ${Math.ceil(waitMs / 1000)} s for a rate-limit slot (${endpoint})`);
    }
    await limiter.acquire(signal);
  }
}

function definedOnly(h: AuthHeaders): Record<string, string> {
  return Object.fromEntries(Object.entries(h).filter((e): e is [string, string] => e[1] !== undefined));
}

function encodeBody(opts: ApiRequestOptions): { body?: string | Uint8Array; contentType?: string } {
  if (opts.json !== undefined) return { body: JSON.stringify(opts.json), contentType: 'application/json' };
  if (opts.form !== undefined) return { body: new URLSearchParams(opts.form).toString(), contentType: 'application/x-www-form-urlencoded' };
  if (opts.body !== undefined) return { body: opts.body, contentType: opts.contentType };
  return {};
}

function cachedResponse(entry: { status: number; headers: Record<string, string>; body: Buffer; url: string }, provider: string, endpoint: string): ApiResponse {
  const body = entry.body;
  return {
    status: entry.status,
    headers: entry.headers,
    setCookie: [],
    body,
    url: entry.url,
    fromCache: true,
    text: () => body.toString('utf8'),
    json<T>(): T {
      try {
        return JSON.parse(body.toString('utf8')) as T;
      } catch {
        throw new ProtocolError({ provider, endpoint, details: ['cached response is not valid JSON'] });
      }
    },
  };
}

function errorContext(provider: string, method: string, r: HttpResponse, endpoint: string): ErrorContext {
  return {
    provider,
    method,
    url: r.url,
    endpoint,
    status: r.status,
    headers: r.headers,
    body: r.body,
    text: () => r.text(),
    // The response's own parse (memoized), so a 200 that the mapper inspects is not parsed twice.
    json() {
      try {
        return r.json();
      } catch {
        return undefined;
      }
    },
  };
}

/** The generic mapping, exported so provider mappers can handle a few cases and delegate the rest. */
export function defaultErrorFor(ctx: ErrorContext, hints: ErrorHints = {}, now: number = Date.now()): ProviderError {
  const { details, fieldErrors } = extractErrorDetails(ctx.json());
  if (!details.length && !ctx.headers['content-type']?.includes('json') && ctx.body.length && ctx.body.length < 300) {
    // Short plain-text bodies (App Store Connect's 406, a proxy's 502) are worth showing.
    const t = ctx.text().trim();
    if (t && !t.startsWith('<')) details.push(t);
  }
  const s = ctx.status;
  const hint = (kind: ErrorKind) => hints[s] ?? hints[kind];
  const init = (kind: ErrorKind): ProviderErrorInit => ({ provider: ctx.provider, status: s, endpoint: ctx.endpoint, details, fieldErrors, hint: hint(kind) });
  if (s === 401 || s === 403) return new AuthError(init('auth'));
  if (s === 404 || s === 410) return new NotFoundError(init('notFound'));
  if (s === 400 || s === 409 || s === 422) return new ValidationError(init('validation'));
  if (s === 429) return new RateLimitError({ ...init('rateLimit'), retryAt: parseRetryAfter(ctx.headers['retry-after'], now) });
  if (s >= 500) return new TransientError({ ...init('transient'), retryAt: parseRetryAfter(ctx.headers['retry-after'], now) });
  return new ProtocolError({ ...init('protocol'), summary: `${ctx.provider} answered ${ctx.endpoint} with an unexpected status (${s})` });
}

/**
 * Pulls the API's own words out of an error body: JSON:API `errors[]` (App Store Connect, with
 * `source.pointer` → field), bare JSON strings (AppsFlyer), `{error}` / `{message}` (Apptentive),
 * `{errors: {field: [...]}}`, and the legacy iTunes `messages.error[]`.
 */
export function extractErrorDetails(body: unknown): { details: string[]; fieldErrors: Record<string, string[]> } {
  const details: string[] = [];
  const fieldErrors: Record<string, string[]> = {};
  const addField = (field: string, msg: string) => (fieldErrors[field] ??= []).push(msg);
  const str = (x: unknown) => (typeof x === 'string' && x.trim() ? x.trim() : undefined);
  const visitJsonApi = (e: unknown) => {
    const err = e as { title?: unknown; detail?: unknown; source?: { pointer?: unknown; parameter?: unknown }; meta?: { associatedErrors?: unknown } } | null;
    const msg = str(err?.detail) ?? str(err?.title);
    if (!msg) return;
    details.push(msg);
    const pointer = str(err?.source?.pointer);
    const field = pointer ? pointer.split('/').filter(Boolean).pop() : str(err?.source?.parameter);
    if (field) addField(field, msg);
    const associated = err?.meta?.associatedErrors;
    if (associated && typeof associated === 'object') for (const list of Object.values(associated)) if (Array.isArray(list)) list.forEach(visitJsonApi);
  };
  if (typeof body === 'string') {
    if (body.trim()) details.push(body.trim());
  } else if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    if (Array.isArray(b.errors)) {
      for (const e of b.errors) {
        if (typeof e === 'string') details.push(e);
        else visitJsonApi(e);
      }
    } else if (b.errors && typeof b.errors === 'object') {
      for (const [field, msgs] of Object.entries(b.errors)) {
        for (const m of Array.isArray(msgs) ? msgs : [msgs]) {
          if (typeof m !== 'string') continue;
          details.push(`${field} ${m}`);
          addField(field, m);
        }
      }
    }
    const errorField = b.error as unknown;
    const error = str(errorField) ?? str((errorField as { message?: unknown } | null)?.message);
    if (error) details.push(error);
    const message = str(b.message);
    if (message && !details.length) details.push(message);
    const legacy = (b.messages as { error?: unknown } | undefined)?.error;
    if (Array.isArray(legacy)) for (const m of legacy) if (typeof m === 'string') details.push(m);
  }
  return { details, fieldErrors };
}
