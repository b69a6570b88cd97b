// AppTweak Console Data ("Integrations") API: integrated accounts and their apps.
//   GET {base}/accounts                                   → { content: [{login, api_account_id, store, last_status}], metadata }
//   GET {base}/accounts/products?api_account_id=<id>      → { content: { "<store app id>": {name, icon, developer, sku, …} }, metadata }
// Auth: `x-apptweak-key: <API token>`. Limit: 60 requests per 10 s per key (client-side limiter, shared per key).
import { ApiClient, type ErrorContext } from '../../core/apiClient';
import { AuthError, NotFoundError, ProtocolError, RateLimitError, TransientError, ValidationError, type ProviderError } from '../../core/errors';
import type { HttpClient } from '../../core/http';
import type { Logger } from '../../core/logger';
import { createAppTweakLimiter, credentialKey, LimiterRegistry, type RateLimiter } from '../../core/rateLimiter';
import { parseRetryAfter } from '../../core/retry';
import { SchemaMismatch, v, type Infer, type Schema } from '../../core/validate';

export const PROVIDER = 'AppTweak';
export const APPTWEAK_PRODUCTION_URL = 'https://public-api.apptweak.com/api/public/integrations';
export const API_ROOT_SUFFIX = '/api/public/integrations';

const Account = v.object({
  login: v.string(),
  api_account_id: v.string(),
  store: v.string(),
  last_status: v.string(),
});
export type AppTweakAccount = Infer<typeof Account>;
const AccountsResponse = v.object({ content: v.array(Account) });

const Product = v.object({
  name: v.string(),
  icon: v.nullish(v.string()),
  developer: v.nullish(v.string()),
  sku: v.nullish(v.union(v.number(), v.string())),
  in_apps: v.nullish(v.unknown()),
  countries: v.nullish(v.array(v.string())),
  devices: v.nullish(v.array(v.string())),
  permissions: v.nullish(v.array(v.string())),
});
export type AppTweakProduct = Infer<typeof Product>;

/** Some JSON encoders write an empty map as `[]`; accept that (and only that) as "no apps". */
const emptyArray: Schema<never[]> = {
  expected: 'empty array',
  check(x) {
    if (Array.isArray(x) && x.length === 0) return x as never[];
    throw new SchemaMismatch([], 'expected a map of store app id → app');
  },
};
const ProductsResponse = v.object({ content: v.union(v.record(Product), emptyArray) });

/** One limiter per key in this process: two connections with the same key share the 60 / 10 s budget. */
const limiters = new LimiterRegistry<RateLimiter>();

export class AppTweakApi {
  private readonly client: ApiClient;

  constructor(opts: { baseUrl: string; http: HttpClient; logger: Logger; apiKey: string }) {
    const limiter = limiters.get(credentialKey('apptweak', opts.apiKey), () => createAppTweakLimiter({ logger: opts.logger }));
    this.client = new ApiClient({
      provider: PROVIDER,
      baseUrl: opts.baseUrl,
      http: opts.http,
      logger: opts.logger,
      rateLimiter: limiter,
      auth: () => ({ 'x-apptweak-key': opts.apiKey }),
      errorMapper: mapError,
    });
  }

  async accounts(signal?: AbortSignal): Promise<AppTweakAccount[]> {
    return (await this.client.get('/accounts', { schema: AccountsResponse, signal })).content;
  }

  /** Apps of one integration, keyed by store app id. */
  async products(apiAccountId: string, signal?: AbortSignal): Promise<Record<string, AppTweakProduct>> {
    const res = await this.client.get('/accounts/products', { query: { api_account_id: apiAccountId }, schema: ProductsResponse, signal });
    return Array.isArray(res.content) ? {} : res.content;
  }
}

/** AppTweak's error bodies are `{error: "UnknownTokenError", message: "…", metadata}`; the message is what people need. */
function mapError(ctx: ErrorContext): ProviderError | undefined {
  if (ctx.status >= 200 && ctx.status < 300) return undefined;
  const body = ctx.json() as { error?: unknown; message?: unknown } | undefined;
  const message = typeof body?.message === 'string' && body.message.trim() ? body.message.trim() : undefined;
  const code = typeof body?.error === 'string' ? body.error : undefined;
  const details = message ? [message] : code ? [code] : [];
  const base = { provider: PROVIDER, status: ctx.status, endpoint: ctx.endpoint, details };
  switch (ctx.status) {
    case 401:
      return new AuthError({
        ...base,
        summary: `AppTweak did not accept the API token (401)`,
        hint: 'Copy your personal API token from AppTweak → API dashboard (app.apptweak.com/apt-api) and reconnect the account.',
      });
    case 403:
      return new AuthError({
        ...base,
        summary: `AppTweak denied access to this integration (403)`,
        hint: 'Use an integration listed under this account (it may have been removed or unshared in AppTweak → Integrations), then refresh.',
      });
    case 400:
      return new ValidationError({ ...base, hint: 'AppDesk sent a request AppTweak does not accept. Refresh the integrations and try again.' });
    case 404:
      return new NotFoundError({ ...base, hint: 'Check the base URL of the account; the Console Data API lives under /api/public/integrations.' });
    case 429:
      return new RateLimitError({
        ...base,
        // The key allows 60 requests per 10 s; other tools using the same key count too.
        retryAt: parseRetryAfter(ctx.headers['retry-after']) ?? new Date(Date.now() + 10_000),
        hint: 'AppTweak allows 60 requests per 10 seconds per API token, including other tools using it. Try again in a few seconds.',
      });
    default:
      if (ctx.status >= 500) return new TransientError({ ...base, retryAt: parseRetryAfter(ctx.headers['retry-after']) });
      return new ProtocolError({ ...base, summary: `AppTweak answered ${ctx.endpoint} with an unexpected status (${ctx.status})` });
  }
}
