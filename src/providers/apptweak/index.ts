// AppTweak: the Console Data API's integrated accounts (own and shared integrations) as groups, and the apps of
// each integration. Integrations whose last sync failed say what to do in AppTweak. No `vscode` import.
import { appTweakInfo } from './info';
import type { HttpClient } from '../../core/http';
import type { CapabilityServices } from '../services';
import type { AccountConfig, AppSummary, Capability, Connection, Item, NewAccount, Page, ProviderDefinition, ProviderHost, Tone } from '../types';
import { createHttpClient, redactingLogger, resolveBaseUrl, secretReader } from '../shared/providerKit';
import { API_ROOT_SUFFIX, APPTWEAK_PRODUCTION_URL, AppTweakApi, PROVIDER, type AppTweakAccount, type AppTweakProduct } from './api';

export const APPTWEAK_SECRET = 'apiKey';
/** Expanding several integrations in a row reuses the integration list this long. */
const ACCOUNTS_REUSE_MS = 60_000;

const STORES: Record<string, { label: string; platform: 'ios' | 'android' }> = {
  'itunes-connect': { label: 'App Store Connect', platform: 'ios' },
  'google-play-console': { label: 'Google Play Console', platform: 'android' },
  'google-play-reports': { label: 'Google Play Reports', platform: 'android' },
};

export function storeLabel(store: string): string {
  return STORES[store]?.label ?? store;
}

/** What an integration's `last_status` means for people, and what to do about it in AppTweak. */
export function describeStatus(status: string, store: string): { tone: Tone; icon: string; text: string } {
  const where = 'AppTweak → Integrations';
  switch (status) {
    case 'OK':
      return { tone: 'ok', icon: 'plug', text: 'Syncing normally (last status OK).' };
    case '2_FACTOR_AUTH':
      return {
        tone: 'warning',
        icon: 'key',
        text: `AppTweak needs a new two-factor code for this ${storeLabel(store)} login, so it has stopped syncing. Re-enter the two-factor code in ${where}.`,
      };
    case 'ERROR':
      return {
        tone: 'error',
        icon: 'error',
        text: `AppTweak's last sync of this integration failed. Reconnect it in ${where}; if it keeps failing, contact AppTweak support.`,
      };
    case 'INACTIVE':
      return {
        tone: 'warning',
        icon: 'debug-disconnect',
        text: `This integration is inactive: it no longer syncs and lists no apps. Reactivate it in ${where}, or remove it there.`,
      };
    case 'INVALID_CREDENTIALS':
      return {
        tone: 'error',
        icon: 'key',
        text: `${storeLabel(store)} rejected the credentials AppTweak uses for this integration. Update them in ${where}.`,
      };
    default:
      return { tone: 'info', icon: 'question', text: `AppTweak reports the status "${status}" for this integration. Check it in ${where}.` };
  }
}

export function integrationItem(a: AppTweakAccount): Item {
  const status = describeStatus(a.last_status, a.store);
  return {
    id: a.api_account_id,
    label: a.login,
    description: storeLabel(a.store),
    tooltip: `${a.login} — ${storeLabel(a.store)}\n${status.text}\nIntegration ID: ${a.api_account_id}`,
    icon: status.icon,
    tone: status.tone,
    tags: ['integration', `integration-${a.last_status.toLowerCase()}`],
    expandable: true,
    data: { api_account_id: a.api_account_id, store: a.store, last_status: a.last_status, login: a.login },
  };
}

export function appSummary(account: AppTweakAccount, storeAppId: string, p: AppTweakProduct): AppSummary {
  const platform = STORES[account.store]?.platform ?? (/^\d+$/.test(storeAppId) ? 'ios' : 'android');
  const parts = [
    p.developer ?? undefined,
    p.sku !== undefined && p.sku !== null ? `SKU ${p.sku}` : undefined,
    p.countries?.length ? p.countries.join(', ') : undefined,
    p.devices?.length ? p.devices.join(', ') : undefined,
  ].filter((x): x is string => !!x);
  return {
    // Unique within the account: the same app can belong to several integrations.
    id: `${account.api_account_id}/${storeAppId}`,
    name: p.name,
    ...(platform === 'ios' ? { storeId: storeAppId } : { bundleId: storeAppId }),
    platform,
    ...(p.icon ? { iconUrl: p.icon } : {}),
    description: parts.join(' · '),
    groupId: account.api_account_id,
    data: {
      storeAppId,
      api_account_id: account.api_account_id,
      store: account.store,
      developer: p.developer ?? null,
      sku: p.sku ?? null,
      countries: p.countries ?? [],
      devices: p.devices ?? [],
      permissions: p.permissions ?? [],
    },
  };
}

class AppTweakConnection implements Connection {
  readonly capabilities: ReadonlySet<Capability> = new Set<Capability>(['groups']);
  readonly services: CapabilityServices = {};
  private readonly http: HttpClient;
  private readonly apiKey: () => Promise<string>;
  private readonly client: () => Promise<AppTweakApi>;
  private api: Promise<AppTweakApi> | undefined;
  private readonly baseUrl: string;
  /** The last integration list, reused briefly when a group is expanded (it only needs the store of each). */
  private accounts: { at: number; list: AppTweakAccount[] } | undefined;

  constructor(
    readonly account: AccountConfig,
    host: ProviderHost,
  ) {
    const logger = redactingLogger(host.logger);
    this.http = createHttpClient(host, logger);
    this.baseUrl = resolveBaseUrl(account, APPTWEAK_PRODUCTION_URL, PROVIDER, API_ROOT_SUFFIX);
    this.apiKey = secretReader(host, account, APPTWEAK_SECRET, PROVIDER, 'AppTweak API token');
    this.client = () => {
      this.api ??= this.apiKey().then((apiKey) => new AppTweakApi({ baseUrl: this.baseUrl, http: this.http, logger, apiKey }));
      this.api.catch(() => (this.api = undefined));
      return this.api;
    };
  }

  /** Fresh integrations (verify, the group level of the tree); `maxAgeMs` allows a recent list. */
  private async integrations(signal: AbortSignal | undefined, maxAgeMs = 0): Promise<AppTweakAccount[]> {
    if (this.accounts && Date.now() - this.accounts.at < maxAgeMs) return this.accounts.list;
    const list = await (await this.client()).accounts(signal);
    this.accounts = { at: Date.now(), list };
    return list;
  }

  async verify(signal?: AbortSignal): Promise<void> {
    await this.integrations(signal);
  }

  async listGroups(opts: { signal?: AbortSignal }): Promise<Page<Item>> {
    const accounts = await this.integrations(opts.signal);
    return { items: accounts.map(integrationItem), total: accounts.length };
  }

  async listApps(opts: { groupId?: string; signal?: AbortSignal }): Promise<Page<AppSummary>> {
    const api = await this.client();
    const accounts = await this.integrations(opts.signal, ACCOUNTS_REUSE_MS);
    let chosen = accounts;
    if (opts.groupId !== undefined) {
      const one = accounts.find((a) => a.api_account_id === opts.groupId);
      // Not (or no longer) one of this key's integrations: ask anyway, so AppTweak's own 403 explains it.
      chosen = [one ?? { api_account_id: opts.groupId, login: opts.groupId, store: '', last_status: '' }];
    }
    const lists = await Promise.all(
      chosen.map(async (a) => Object.entries(await api.products(a.api_account_id, opts.signal)).map(([id, p]) => appSummary(a, id, p))),
    );
    const items = lists.flat();
    return { items, total: items.length };
  }

  sections(): [] {
    return [];
  }

  dispose(): void {
    void this.http.close();
  }
}

export function validateApiKey(value: string): string | undefined {
  const s = value.trim();
  if (!s) return 'Enter the API token.';
  if (/\s/.test(s)) return 'The API token has no spaces; copy only the token from AppTweak → API dashboard.';
  if (s.length < 16) return `An AppTweak API token is longer than ${s.length} characters; copy the whole token from AppTweak → API dashboard.`;
  if (!/^[\x21-\x7e]+$/.test(s)) return 'The API token contains characters an AppTweak token never has; copy it again.';
  return undefined;
}

export const appTweakProvider: ProviderDefinition = {
  ...appTweakInfo,
  defaultBaseUrl: APPTWEAK_PRODUCTION_URL,
  credentialFields: [
    {
      key: APPTWEAK_SECRET,
      label: 'API token',
      kind: 'password',
      secret: true,
      placeholder: 'AppTweak API token',
      prompt: 'Your personal API token from AppTweak → API dashboard (app.apptweak.com/apt-api)',
      validate: validateApiKey,
    },
  ],
  secretKeys: [APPTWEAK_SECRET],
  accountLabel: () => 'AppTweak',
  connect: (account, host) => new AppTweakConnection(account, host),
  environmentVariables: ['APPTWEAK_API_KEY'],
  fromEnvironment(env): NewAccount | undefined {
    const key = env.APPTWEAK_API_KEY?.trim();
    if (!key) return undefined;
    return { label: 'AppTweak', settings: {}, secrets: { [APPTWEAK_SECRET]: key } };
  },
  demoAccounts(credentials): NewAccount[] {
    const token = credentials.token;
    if (typeof token !== 'string' || !token) return [];
    return [{ label: 'Demo AppTweak', settings: {}, secrets: { [APPTWEAK_SECRET]: token } }];
  },
};
