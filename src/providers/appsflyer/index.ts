// AppsFlyer: the apps an ad-network account may read for one capability (Protect360 reports or InCost cost data),
// all pages of them, within 20 requests a minute and 100 a day that are NEVER exceeded: the count is persisted
// across reloads and CLI runs, and a listing that would not fit is refused before anything is sent.
import { appsFlyerInfo } from './info';
import { ConfigError, describeEndpoint } from '../../core/errors';
import type { HttpClient } from '../../core/http';
import type { Logger } from '../../core/logger';
import { ConcurrencyLimiter } from '../../core/rateLimiter';
import { followLinksNext } from '../../core/pagination';
import type { CapabilityServices } from '../services';
import type {
  AccountConfig,
  AppSummary,
  BudgetInfo,
  Capability,
  CliCommand,
  Connection,
  NewAccount,
  Page,
  ProviderDefinition,
  ProviderHost,
  StateStore,
} from '../types';
import { createHttpClient, redactingLogger, resolveBaseUrl, secretReader } from '../shared/providerKit';
import { formatLocal } from '../shared/format';
import {
  APPSFLYER_PRODUCTION_URL,
  AppsFlyerApi,
  CAPABILITIES,
  PAGE_SIZE,
  PROVIDER,
  REVOCATION_CUTOFF_S,
  isCapability,
  tokenIssuedAt,
  type AppsFlyerApp,
  type AppsPage,
} from './api';
import { AppsFlyerBudget, PER_DAY, budgetKeys } from './budget';

export const APPSFLYER_SECRET = 'token';
export const DEFAULT_CAPABILITY = 'protect_360';
/** How long a fetched app list is reused before another listing spends budget again. */
const LIST_TTL_MS = 5 * 60_000;
/**
 * Offset pages fetched at once once `meta.total_items` is known: every page of up to 10,000 apps in one round
 * trip. AppsFlyer documents no concurrency limit, only 20 requests a minute, which the rate limiter keeps.
 */
const PARALLEL_PAGES = 10;

const STORE_ID = /^id\d+$/;

/** One app of the list (called 5,000 times for a large account: plain property writes, no spreads). */
export function appSummary(app: AppsFlyerApp, capability: string): AppSummary {
  const a = app.attributes ?? {};
  const platform = a.platform ? a.platform.toLowerCase() : undefined;
  const storeApp = STORE_ID.test(app.id);
  const out: AppSummary = { id: app.id, name: a.name || app.id };
  if (platform === 'ios' || storeApp) {
    if (storeApp) out.storeId = app.id.slice(2);
  } else {
    out.bundleId = app.id;
  }
  if (platform) out.platform = platform;
  const label = platform === 'ios' ? 'iOS' : platform === 'android' ? 'Android' : platform;
  let description = label ?? '';
  if (a.currency) description = description ? `${description} · ${a.currency}` : a.currency;
  if (a.time_zone) description = description ? `${description} · ${a.time_zone}` : a.time_zone;
  out.description = description;
  out.data = {
    appId: app.id,
    capability,
    platform: a.platform ?? null,
    currency: a.currency ?? null,
    time_zone: a.time_zone ?? null,
    enable_retargetting: a.enable_retargetting ?? null,
  };
  return out;
}

class AppsFlyerConnection implements Connection {
  readonly capabilities: ReadonlySet<Capability> = new Set<Capability>();
  readonly services: CapabilityServices = {};
  private readonly http: HttpClient;
  private readonly logger: Logger;
  private readonly baseUrl: string;
  private readonly capability: string;
  private readonly token: () => Promise<string>;
  private ready: Promise<{ api: AppsFlyerApi; budget: AppsFlyerBudget; totalKey: string }> | undefined;
  private memo: { at: number; apps: AppSummary[] } | undefined;
  private inflight: Promise<AppSummary[]> | undefined;

  constructor(
    readonly account: AccountConfig,
    private readonly host: ProviderHost,
  ) {
    this.logger = redactingLogger(host.logger);
    this.http = createHttpClient(host, this.logger);
    this.baseUrl = resolveBaseUrl(account, APPSFLYER_PRODUCTION_URL, PROVIDER);
    this.capability = account.settings.capability?.trim() || DEFAULT_CAPABILITY;
    this.token = secretReader(host, account, APPSFLYER_SECRET, PROVIDER, 'AppsFlyer API V2 token');
  }

  private setup(): Promise<{ api: AppsFlyerApi; budget: AppsFlyerBudget; totalKey: string }> {
    this.ready ??= this.token().then((token) => {
      const budget = new AppsFlyerBudget(token, this.host.state, this.logger);
      const api = new AppsFlyerApi({ baseUrl: this.baseUrl, http: this.http, logger: this.logger, token, capability: this.capability, budget });
      return { api, budget, totalKey: `${budgetKeys(token).day}.total.${this.capability}` };
    });
    this.ready.catch(() => (this.ready = undefined));
    return this.ready;
  }

  /** One request (limit=1): proves the token and the capability, and remembers how many apps there are. */
  async verify(signal?: AbortSignal): Promise<void> {
    const { api, budget, totalKey } = await this.setup();
    const url = api.pageUrl(0, 1);
    await budget.ensure(1, 'checking the account', describeEndpoint('GET', url));
    const page = await api.page(url, signal);
    await this.rememberTotal(this.host.state, totalKey, page);
  }

  /** Every app (all pages) in one Page: AppsFlyer's budget is too small to spend on "load more". */
  async listApps(opts: { cursor?: string; signal?: AbortSignal }): Promise<Page<AppSummary>> {
    const apps = await this.allApps(opts.signal);
    return { items: apps, total: apps.length };
  }

  private async allApps(signal?: AbortSignal): Promise<AppSummary[]> {
    if (this.memo && Date.now() - this.memo.at < LIST_TTL_MS) return this.memo.apps;
    // Concurrent callers (tree + status bar) share one listing instead of spending budget twice.
    this.inflight ??= this.fetchAll(signal).finally(() => (this.inflight = undefined));
    const apps = await this.inflight;
    this.memo = { at: Date.now(), apps };
    return apps;
  }

  private async fetchAll(signal?: AbortSignal): Promise<AppSummary[]> {
    const { api, budget, totalKey } = await this.setup();
    const state = this.host.state;
    const firstUrl = api.pageUrl(0);
    const endpoint = describeEndpoint('GET', firstUrl);
    const what = `listing the ${this.capability} apps`;
    // Refuse up front when the pages the last listing needed no longer fit in today's budget.
    const known = await state.get<number>(totalKey);
    await budget.ensure(typeof known === 'number' && known > 0 ? Math.ceil(known / PAGE_SIZE) : 1, what, endpoint);

    // Pages become summaries as they arrive, while the others are still on the wire. Once the first page's body
    // is in, its total starts the other offsets at once (the limiter keeps 20 a minute), before that page is parsed.
    const summarize = (p: AppsPage) => p.data.map((a) => appSummary(a, this.capability));
    let wave: { total: number; lists: Promise<AppSummary[][]> } | undefined;
    const startWave = (total: number) => {
      if (wave || total <= PAGE_SIZE) return;
      const offsets: number[] = [];
      for (let o = PAGE_SIZE; o < total; o += PAGE_SIZE) offsets.push(o);
      const gate = new ConcurrencyLimiter(PARALLEL_PAGES);
      const lists = budget.ensure(offsets.length, what, endpoint).then(() =>
        Promise.all(offsets.map((o) => gate.run(() => api.page(api.pageUrl(o), signal).then(summarize)))));
      lists.catch(() => undefined); // awaited below; a failure before then must not be unhandled
      wave = { total, lists };
    };
    const pages = followLinksNext<AppsPage>(firstUrl, (url, s) => api.page(url, s, url === firstUrl ? startWave : undefined), { apiOrigin: this.baseUrl, provider: PROVIDER, signal });
    const firstPage = pages.next();
    // The other offsets go out together once the first page names the total. If the last listing's total still
    // holds, their connections open while that page is on the wire (a socket costs no request of the budget);
    // after a turn of the event loop, so the first request is not kept waiting for these dials.
    if (typeof known === 'number' && known > PAGE_SIZE) {
      const warm = Math.min(PARALLEL_PAGES, Math.ceil(known / PAGE_SIZE) - 1);
      setImmediate(() => this.http.preconnect(firstUrl, warm));
    }
    const first = (await firstPage).value;
    if (!first) return [];
    // Saved while the other pages load: the next listing checks its budget against it.
    const remembered = this.rememberTotal(state, totalKey, first);
    const total = first.meta?.total_items ?? undefined;
    if (!wave && total !== undefined && first.data.length === PAGE_SIZE) startWave(total);
    const lists: AppSummary[][] = [summarize(first)];

    if (wave && wave.total === total) {
      await pages.return();
      lists.push(...(await wave.lists));
    } else {
      // No total (or not the one the page turned out to hold): follow links.next (origin-checked by followLinksNext
      // and by the client).
      if (wave) await wave.lists.catch(() => undefined);
      for await (const page of pages) {
        if (page.data.length === 0) break;
        lists.push(summarize(page));
      }
    }
    await remembered;
    // In offset order: an app listed twice (the list changed between requests) keeps its first place, last data.
    const byId = new Map<string, AppSummary>();
    for (const list of lists) for (const app of list) byId.set(app.id, app);
    return [...byId.values()];
  }

  private async rememberTotal(state: StateStore, key: string, page: AppsPage): Promise<number | undefined> {
    const total = page.meta?.total_items ?? undefined;
    if (typeof total === 'number' && total >= 0) await state.set(key, total).catch(() => undefined);
    return total;
  }

  sections(): [] {
    return [];
  }

  async budget(): Promise<BudgetInfo | undefined> {
    return (await this.setup()).budget.info();
  }

  dispose(): void {
    void this.http.close();
  }
}

export function validateToken(value: string): string | undefined {
  const s = value.trim();
  if (!s) return 'Enter the API V2 token.';
  if (/^bearer\s/i.test(s)) return 'Paste only the token, without "Bearer ".';
  if (/\s/.test(s)) return 'The token contains spaces or line breaks; copy it again from AppsFlyer → Security Center.';
  if (s.length < 700) {
    return `An AppsFlyer API V2 token has 700+ characters; this one has ${s.length}. Copy the whole token from AppsFlyer → Security Center (it may be the V1 dev key).`;
  }
  const parts = s.split('.');
  if (parts.length !== 3 || !parts.slice(0, 2).every((p) => /^[A-Za-z0-9_-]+$/.test(p)) || !/^[A-Za-z0-9_-]*$/.test(parts[2]!)) {
    return 'This is not an API V2 token: it should be a JWT, three base64url parts separated by dots.';
  }
  try {
    const head = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as { alg?: unknown };
    if (typeof head?.alg !== 'string') throw new Error('no alg');
  } catch {
    return 'This is not an API V2 token: its first part is not a JWT header.';
  }
  const iat = tokenIssuedAt(s);
  if (iat !== undefined && iat < REVOCATION_CUTOFF_S) {
    return `This token was issued on ${new Date(iat * 1000).toISOString().slice(0, 10)}; AppsFlyer revoked every API V2 token generated before March 10, 2026, 19:00 UTC. Regenerate it in AppsFlyer → Security Center.`;
  }
  return undefined;
}

export function validateCapability(value: string): string | undefined {
  return isCapability(value.trim()) ? undefined : `The capability must be one of ${Object.keys(CAPABILITIES).join(', ')}, not "${value}".`;
}

const budgetCommand: CliCommand = {
  name: 'budget',
  usage: 'budget',
  description: `Requests left of AppsFlyer's ${PER_DAY} a day (AppDesk's persisted count) and when they free up.`,
  async run(conn) {
    const b = await conn.budget?.();
    if (!b) return { data: null, text: ['No request budget for this provider.'] };
    const text = [`${b.remaining} of ${b.limit} AppsFlyer requests left for the last 24 hours (rolling; 20 a minute).`];
    if (b.resetsAt) {
      text.push(
        b.remaining === 0
          ? `The next request can be sent at ${formatLocal(b.resetsAt)}.`
          : `The oldest counted request ages out at ${formatLocal(b.resetsAt)}.`,
      );
    } else text.push('No requests counted in the last 24 hours.');
    return { data: { label: b.label, remaining: b.remaining, limit: b.limit, resetsAt: b.resetsAt?.toISOString() ?? null }, text };
  },
};

export const appsFlyerProvider: ProviderDefinition = {
  ...appsFlyerInfo,
  defaultBaseUrl: APPSFLYER_PRODUCTION_URL,
  credentialFields: [
    {
      key: APPSFLYER_SECRET,
      label: 'API V2 token',
      kind: 'password',
      secret: true,
      placeholder: 'eyJ… (700+ characters)',
      prompt: 'The API V2 token from AppsFlyer → Security Center (admins only)',
      validate: validateToken,
    },
    {
      key: 'capability',
      label: 'Capability',
      kind: 'choice',
      secret: false,
      prompt: 'Which apps to list',
      choices: Object.entries(CAPABILITIES).map(([value, c]) => ({ value, label: c.label, description: c.description })),
      validate: validateCapability,
    },
  ],
  secretKeys: [APPSFLYER_SECRET],
  accountLabel: (settings) => {
    const c = settings.capability;
    return `AppsFlyer (${c && isCapability(c) ? CAPABILITIES[c].label : 'Protect360'})`;
  },
  connect: (account, host) => new AppsFlyerConnection(account, host),
  environmentVariables: ['APPSFLYER_TOKEN'],
  cliAccountFlags: ['capability'],
  cliCommands: [budgetCommand],
  fromEnvironment(env, _readFile, flags = {}): NewAccount | undefined {
    const token = env.APPSFLYER_TOKEN?.trim();
    if (!token) return undefined;
    const flag = flags.capability;
    const capability = (typeof flag === 'string' ? flag : env.APPSFLYER_CAPABILITY)?.trim() || DEFAULT_CAPABILITY;
    const badCapability = validateCapability(capability);
    if (badCapability) throw new ConfigError({ provider: PROVIDER, summary: 'AppsFlyer capability is not valid', details: [badCapability], hint: 'Use --capability protect_360 or --capability cost.' });
    // Refuse a malformed token before it costs a request of the daily budget.
    const badToken = validateToken(token);
    if (badToken) throw new ConfigError({ provider: PROVIDER, summary: 'APPSFLYER_TOKEN is not a usable API V2 token', details: [badToken], hint: 'Set APPSFLYER_TOKEN to the API V2 token from AppsFlyer → Security Center.' });
    return { label: `AppsFlyer (${CAPABILITIES[capability as keyof typeof CAPABILITIES].label})`, settings: { capability }, secrets: { [APPSFLYER_SECRET]: token } };
  },
  demoAccounts(credentials): NewAccount[] {
    const token = credentials.token;
    if (typeof token !== 'string' || !token) return [];
    return [{ label: 'Demo AppsFlyer', settings: { capability: DEFAULT_CAPABILITY }, secrets: { [APPSFLYER_SECRET]: token } }];
  },
};
