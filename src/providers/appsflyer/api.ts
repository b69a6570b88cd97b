// AppsFlyer "Get app list" API: GET {base}/api/mng/apps?capabilities=<protect_360|cost>&limit=<≤1000>&offset=<n>
// with `Authorization: Bearer <API V2 token>`. Bodies: {data:[{id,type,attributes:{name,platform,currency,time_zone}}],
// meta:{total_items}, links:{self,prev,next}}; errors are bare JSON strings (or `{}` for an illegal capability).
// Every status of the vendor's table gets its own explanation (see mapError).
import { ApiClient, type ErrorContext } from '../../core/apiClient';
import { AuthError, NotFoundError, ProtocolError, RateLimitError, TransientError, ValidationError, describeEndpoint, isProviderError, type ProviderError } from '../../core/errors';
import type { HttpClient } from '../../core/http';
import type { Logger } from '../../core/logger';
import { parseRetryAfter } from '../../core/retry';
import { parse, v, type Infer } from '../../core/validate';
import { formatLocal } from '../shared/format';
import type { AppsFlyerBudget } from './budget';

export const PROVIDER = 'AppsFlyer';
export const APPSFLYER_PRODUCTION_URL = 'https://hq1.appsflyer.com';
export const APPS_PATH = '/api/mng/apps';
export const PAGE_SIZE = 1000;

export const CAPABILITIES = {
  protect_360: { label: 'Protect360', description: 'Report permission: apps whose Protect360 raw-data reports you may read' },
  cost: { label: 'Cost (InCost)', description: 'Integration: apps enabled to send you cost data via the InCost API' },
} as const;
export type AppsFlyerCapability = keyof typeof CAPABILITIES;
export const isCapability = (c: string): c is AppsFlyerCapability => Object.hasOwn(CAPABILITIES, c);

/** All API V2 tokens issued before March 10, 2026, 19:00 UTC were revoked by AppsFlyer. */
export const REVOCATION_CUTOFF_S = Date.UTC(2026, 2, 10, 19, 0, 0) / 1000;
export const REVOCATION_HINT =
  'AppsFlyer revoked every API V2 token generated before March 10, 2026, 19:00 UTC: if yours is older, regenerate it in AppsFlyer → Security Center and reconnect the account.';

const App = v.object({
  id: v.string(),
  type: v.nullish(v.string()),
  attributes: v.nullish(
    v.object({
      name: v.nullish(v.string()),
      platform: v.nullish(v.string()),
      currency: v.nullish(v.string()),
      time_zone: v.nullish(v.string()),
      enable_retargetting: v.nullish(v.boolean()),
    }),
  ),
});
export type AppsFlyerApp = Infer<typeof App>;
export const AppsPage = v.object({
  data: v.array(App),
  meta: v.nullish(v.object({ total_items: v.nullish(v.number()) })),
  links: v.nullish(v.object({ self: v.nullish(v.string()), prev: v.nullish(v.string()), next: v.nullish(v.string()) })),
});
export type AppsPage = Infer<typeof AppsPage>;

/**
 * `meta.total_items` read off the end of a raw page: AppsFlyer writes data, then meta, then links. A quote inside
 * an app's name is escaped in the raw JSON, so no name can fake the match. Undefined when the layout differs.
 */
export function peekTotal(body: Buffer): number | undefined {
  const tail = body.subarray(Math.max(0, body.length - 2048)).toString('utf8');
  const m = /"meta"\s*:\s*\{\s*"total_items"\s*:\s*(\d+)\s*\}/.exec(tail);
  return m ? Number(m[1]) : undefined;
}

/** The `iat` claim of a JWT, or undefined. Never throws; never logs the token. */
export function tokenIssuedAt(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iat?: unknown };
    return typeof payload.iat === 'number' ? payload.iat : undefined;
  } catch {
    return undefined;
  }
}

export class AppsFlyerApi {
  readonly client: ApiClient;
  private readonly revoked: boolean;

  constructor(
    private readonly opts: { baseUrl: string; http: HttpClient; logger: Logger; token: string; capability: string; budget: AppsFlyerBudget },
  ) {
    const iat = tokenIssuedAt(opts.token);
    this.revoked = iat !== undefined && iat < REVOCATION_CUTOFF_S;
    this.client = new ApiClient({
      provider: PROVIDER,
      baseUrl: opts.baseUrl,
      http: opts.http,
      logger: opts.logger,
      rateLimiter: opts.budget.limiter,
      auth: () => ({ authorization: `Bearer ${opts.token}` }),
      errorMapper: (ctx) => this.mapError(ctx),
      // Every attempt costs budget (and goes through the limiter, so the budget is never exceeded): retry server
      // errors at most twice, and a 429 only when the server says it will pass within a minute.
      retry: {
        maxAttempts: 3,
        shouldRetry: (e) => isProviderError(e) && e.retryable && (e.kind !== 'rateLimit' || (!!e.retryAt && e.retryAt.getTime() - Date.now() <= 60_000)),
      },
    });
  }

  get capability(): string {
    return this.opts.capability;
  }

  /** Absolute URL of one page (limit/offset). */
  pageUrl(offset: number, limit = PAGE_SIZE): string {
    return this.client.resolve(APPS_PATH, { capabilities: this.opts.capability, limit, offset }).href;
  }

  /**
   * One page by absolute URL (a `links.next` or a `pageUrl`); the client refuses URLs on another origin.
   * `onTotal` hears `meta.total_items` as soon as the body is in, before the page is parsed and checked, so a
   * listing can request the other offsets while this page is still being read.
   */
  async page(url: string, signal?: AbortSignal, onTotal?: (total: number) => void): Promise<AppsPage> {
    if (!onTotal) return this.client.get(url, { schema: AppsPage, signal, cache: false });
    const res = await this.client.request('GET', url, { signal, cache: false });
    const total = peekTotal(res.body);
    if (total !== undefined) {
      onTotal(total);
      // Let the other offsets reach the wire before this page's parse holds the thread for a few milliseconds.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return parse(AppsPage, res.body.length ? res.json() : undefined, { provider: PROVIDER, endpoint: describeEndpoint('GET', res.url) });
  }

  private mapError(ctx: ErrorContext): ProviderError | undefined {
    const capability = this.opts.capability;
    const base = { provider: PROVIDER, status: ctx.status, endpoint: ctx.endpoint };
    // A 200 with apps in it is large; only a small one can be the "no data" answer (and is cheap to parse here).
    if (ctx.status === 200 && ctx.body.length > 4096) return undefined;
    const body = ctx.json();
    const words = typeof body === 'string' && body.trim() ? [body.trim()] : [];
    if (ctx.status === 200) {
      // The vendor's table: "200 OK — no data returns: make sure the authentication token is in the bearer header".
      // An offset past the end is legitimately empty; a first page never is (no apps would be a 404).
      const offset = Number(new URL(ctx.url).searchParams.get('offset') ?? 0);
      const empty = ctx.body.length === 0 || (isObject(body) && Array.isArray(body.data) && body.data.length === 0 && !(Number((body.meta as { total_items?: unknown } | undefined)?.total_items) > 0));
      if (empty && offset === 0) {
        return new AuthError({
          ...base,
          summary: 'AppsFlyer answered with no data (200), which means the token did not reach it in the "Authorization: Bearer" header',
          hint: 'AppDesk sends it there; a proxy or firewall that strips Authorization headers causes this. Check http.proxy or HTTPS_PROXY, or reconnect the account with the API V2 token.',
        });
      }
      return undefined;
    }
    if (ctx.status >= 200 && ctx.status < 300) return undefined;
    switch (ctx.status) {
      case 400:
        if (words.length === 0) {
          // Empty JSON: the vendor's "illegal capability specified".
          return new ValidationError({
            ...base,
            summary: `AppsFlyer does not accept the capability "${capability}" (400)`,
            hint: 'Choose protect_360 (Protect360 report permission) or cost (InCost API integration) for this account.',
            fieldErrors: { capability: [`"${capability}" is not a legal capability`] },
          });
        }
        return new ValidationError({ ...base, details: words, hint: 'AppsFlyer did not accept the request parameters. If this persists, report it with the log output.' });
      case 401:
        return new AuthError({
          ...base,
          summary: 'AppsFlyer rejected the token as malformed (401)',
          details: words,
          hint: `Copy the whole API V2 token (700+ characters) from AppsFlyer → Security Center and reconnect the account. ${REVOCATION_HINT}`,
        });
      case 404:
        if (this.revoked) {
          return new AuthError({
            ...base,
            summary: `AppsFlyer answered 404 because this token was issued before March 10, 2026, 19:00 UTC and has been revoked`,
            hint: 'Regenerate the API V2 token in AppsFlyer → Security Center and reconnect the account.',
          });
        }
        return new NotFoundError({
          ...base,
          summary: `AppsFlyer found no apps with the ${CAPABILITIES[capability as AppsFlyerCapability]?.label ?? capability} capability for this token (404)`,
          hint:
            `The capability is legal, but no advertiser has granted it to this account; try the other capability. ` +
            `If you expected apps: check network and firewall rules (AppsFlyer's IP addresses may need to be allowlisted) and use the most recently issued token.`,
        });
      case 429: {
        const nextUtcDay = new Date(Math.floor(Date.now() / 86_400_000 + 1) * 86_400_000);
        return new RateLimitError({
          ...base,
          summary: 'AppsFlyer refused the request: too many requests (429)',
          retryAt: parseRetryAfter(ctx.headers['retry-after']) ?? new Date(Date.now() + 60_000),
          // Retried only when the server itself says when (Retry-After); a bare 429 may mean the day is used up.
          retryable: ctx.headers['retry-after'] !== undefined,
          hint:
            `The token allows 20 requests a minute and 100 a day, counted across every tool that uses it. ` +
            `Try again in a minute; if it persists, the daily quota is used up until midnight UTC (${formatLocal(nextUtcDay)} local time).`,
        });
      }
      default:
        if (ctx.status >= 500) return new TransientError({ ...base, details: words, retryAt: parseRetryAfter(ctx.headers['retry-after']) });
        return new ProtocolError({ ...base, details: words, summary: `AppsFlyer answered ${ctx.endpoint} with an unexpected status (${ctx.status})` });
    }
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}
