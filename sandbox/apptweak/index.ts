// AppTweak Console Data ("Integrations") API emulator, mounted at `/apptweak`.
// Real base: https://public-api.apptweak.com/api/public/integrations — here `${origin}/apptweak/api/public/integrations`.
//
//   GET /api/public/integrations/accounts                          integrated accounts (own + shared)
//   GET /api/public/integrations/accounts/products?api_account_id=  apps of one integration, keyed by store app id
//   GET /icons/<id>.png                                             seeded app icons (stand-in for the image CDN; no key)
//
// Verifies what AppTweak verifies: the `x-apptweak-key` header (401 UnknownTokenError), the api_account_id
// (400 when missing, 403 UserNotAuthForRessourceError when not one of the key's integrations, as AppTweak's
// "HTTP errors" page describes) and the rate limit, 60 requests per 10 s per key (429).
import type { ApiEmulator, SandboxContext, SandboxRequest, SandboxResponse } from '../types';
import { header } from '../shared/http';
import { iconPng } from '../shared/png';
import { SlidingWindowLimiter } from '../shared/rateLimit';

export type AppTweakStore = 'itunes-connect' | 'google-play-console' | 'google-play-reports';
export type AppTweakStatus = 'OK' | '2_FACTOR_AUTH' | 'ERROR' | 'INACTIVE' | 'INVALID_CREDENTIALS';

export interface AppTweakAccount {
  login: string;
  api_account_id: string;
  store: AppTweakStore;
  last_status: AppTweakStatus;
}

export interface AppTweakProduct {
  name: string;
  icon: string;
  developer?: string;
  sku?: number;
  in_apps: Record<string, unknown>;
  countries: string[];
  devices?: string[];
  permissions?: string[];
}

export interface AppTweakEmulator extends ApiEmulator {
  /** Requests counted in the current 10-second window of a key, and a way to clear the windows. */
  readonly rateLimit: {
    readonly limit: number;
    readonly windowMs: number;
    count(key: string): number;
    reset(): void;
  };
}

/** The demo key (a user who created integrations and also has integrations shared with them). */
export const APPTWEAK_DEMO_KEY = 'ATk9vQ2mWx7Lr4Tz8Nc3Fh6Pb1Yd';
/** A valid key of a teammate with no integrations: `/accounts` answers an empty list. */
export const APPTWEAK_EMPTY_KEY = 'ATe5Gs0Jk3Hq8Vm2Xw6Ra9Cu4Ln7';

const BASE = '/api/public/integrations';
const RATE_LIMIT = 60;
const RATE_WINDOW_MS = 10_000;

interface SeedApp {
  id: string;
  name: string;
  developer?: string;
  sku?: number;
  countries: string[];
  devices?: string[];
  permissions?: string[];
  hue: number;
}

interface SeedAccount extends AppTweakAccount {
  owner: string;
  apps: SeedApp[];
}

const IOS_PERMS_FULL = ['VIEW REVIEWS', 'REPLY REVIEWS', 'VIEW ANALYTICS'];

function seedAccounts(): SeedAccount[] {
  const ios = (id: string, name: string, developer: string, sku: number, hue: number, extra: Partial<SeedApp> = {}): SeedApp => ({
    id, name, developer, sku, countries: ['US', 'GB', 'FR', 'DE', 'BE'], devices: ['iphone', 'ipad'], permissions: IOS_PERMS_FULL, hue, ...extra,
  });
  const android = (id: string, name: string, hue: number, countries = ['US', 'GB', 'FR', 'DE', 'IN', 'BR']): SeedApp => ({ id, name, countries, hue });
  const me = APPTWEAK_DEMO_KEY;
  return [
    {
      owner: me, login: 'release@northwind-apps.com', api_account_id: '762bba71-6613-4680-a0da-c4e8de90368b', store: 'itunes-connect', last_status: 'OK',
      apps: [
        ios('1459214871', 'Northwind Trails', 'Northwind Apps Ltd', 20190417, 140),
        ios('1502368841', 'Northwind Trails Pro', 'Northwind Apps Ltd', 20200211, 200, { devices: ['iphone', 'ipad', 'desktop'] }),
        ios('1611870032', 'Summit Log — Hiking Journal', 'Northwind Apps Ltd', 20220301, 30, { countries: ['US'], devices: ['iphone'], permissions: ['VIEW REVIEWS', 'VIEW ANALYTICS'] }),
      ],
    },
    {
      owner: me, login: 'release@northwind-apps.com', api_account_id: '8555cca4-2fbb-401e-893d-41fc9230cdc5', store: 'google-play-console', last_status: 'OK',
      apps: [
        android('com.northwind.trails', 'Northwind Trails', 140),
        android('com.northwind.trails.pro', 'Northwind Trails Pro', 200),
      ],
    },
    {
      owner: me, login: 'reports@northwind-apps.com', api_account_id: 'f7ffec2c-868c-4a5a-8b89-fde63351e9a5', store: 'google-play-reports', last_status: 'OK',
      apps: [
        android('com.northwind.trails', 'Northwind Trails', 140),
        android('com.northwind.summitlog', 'Summit Log', 30, ['US', 'CA']),
      ],
    },
    {
      owner: me, login: 'legacy-admin@northwind-apps.com', api_account_id: '3b0f7c52-9d1e-4a8f-b6c4-2e7d5a9f1c08', store: 'itunes-connect', last_status: '2_FACTOR_AUTH',
      apps: [ios('1288431907', 'Northwind Classic', 'Northwind Apps Ltd', 20171009, 260)],
    },
    {
      owner: me, login: 'android@northwind-apps.com', api_account_id: 'c41e9a07-5b3d-4f62-8e1a-7d90b2c6f435', store: 'google-play-console', last_status: 'ERROR',
      apps: [android('com.northwind.classic', 'Northwind Classic', 260)],
    },
    {
      owner: me, login: 'old-team@northwind-apps.com', api_account_id: '0d6a2f84-7c1b-4e39-a5d2-96f3e8b1c7a0', store: 'itunes-connect', last_status: 'INACTIVE',
      apps: [],
    },
    {
      owner: me, login: 'finance@northwind-apps.com', api_account_id: '9e2c5b71-4a08-4d6f-b3e9-1f7a8c2d5e64', store: 'google-play-reports', last_status: 'INVALID_CREDENTIALS',
      apps: [android('com.northwind.classic', 'Northwind Classic', 260)],
    },
    // Shared with the demo user by another AppTweak user (a partner studio): a different login, same listing.
    {
      owner: 'aso@blueharbor-studio.com', login: 'aso@blueharbor-studio.com', api_account_id: '5f8d1e36-2b9c-47a0-8e5f-c3a6d0b9e712', store: 'itunes-connect', last_status: 'OK',
      apps: [
        ios('1534779120', 'Tom & Jerry\'s "Best" <Puzzle> Club', 'Blue Harbor Studio BV', 20200915, 320, { countries: ['US', 'NL', 'BE'] }),
        ios('1590042288', 'Harbor Tides', 'Blue Harbor Studio BV', 20210720, 185, { devices: ['iphone'] }),
      ],
    },
  ];
}

function performedAtIso(): string {
  return new Date().toISOString();
}

/** `2021-07-22 12:09:46 UTC`, the format of the seed's products example. */
function performedAtUtc(): string {
  return new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

function error(status: number, code: string, message: string, req: SandboxRequest): SandboxResponse {
  return {
    status,
    body: {
      error: code,
      message,
      metadata: { request: { path: req.path, params: Object.fromEntries(req.url.searchParams) }, performed_at: performedAtIso() },
    },
  };
}

export function createAppTweakEmulator(ctx: SandboxContext): AppTweakEmulator {
  let accounts = seedAccounts();
  const limiter = new SlidingWindowLimiter(RATE_LIMIT, RATE_WINDOW_MS, () => ctx.now());
  const validKeys = new Set([APPTWEAK_DEMO_KEY, APPTWEAK_EMPTY_KEY]);

  /** Integrations a key can read: its own, plus those shared with it. */
  function visible(key: string): SeedAccount[] {
    if (key !== APPTWEAK_DEMO_KEY) return [];
    return accounts;
  }

  function icon(req: SandboxRequest, id: string): string {
    return `${req.origin}/apptweak/icons/${encodeURIComponent(id)}.png`;
  }

  function product(req: SandboxRequest, acc: SeedAccount, app: SeedApp): AppTweakProduct {
    if (acc.store === 'itunes-connect') {
      return {
        name: app.name, icon: icon(req, app.id), developer: app.developer, sku: app.sku, in_apps: {},
        countries: app.countries, devices: app.devices, permissions: app.permissions,
      };
    }
    return { name: app.name, icon: icon(req, app.id), in_apps: {}, countries: app.countries };
  }

  function handle(req: SandboxRequest): SandboxResponse {
    const iconMatch = /^\/icons\/([^/]+)\.png$/.exec(req.path);
    if (iconMatch && req.method === 'GET') {
      const id = decodeURIComponent(iconMatch[1]!);
      const app = accounts.flatMap((a) => a.apps).find((a) => a.id === id);
      if (!app) return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not Found' };
      return { status: 200, headers: { 'content-type': 'image/png', 'cache-control': 'public, max-age=86400' }, body: iconPng(app.hue) };
    }

    const route = req.path.replace(/\/+$/, '');
    if (route !== `${BASE}/accounts` && route !== `${BASE}/accounts/products`) {
      return error(404, 'NotFoundError', `No route matches ${req.method} ${req.path}`, req);
    }
    if (req.method !== 'GET') return error(404, 'NotFoundError', `No route matches ${req.method} ${req.path}`, req);

    const key = header(req, 'x-apptweak-key')?.trim();
    if (!key || !validKeys.has(key)) {
      return error(401, 'UnknownTokenError', 'Unknown API token: send your personal API token (API dashboard in AppTweak) in the x-apptweak-key header.', req);
    }
    if (!limiter.take(key)) {
      return error(429, 'TooManyRequestsError', `Rate limit exceeded: ${RATE_LIMIT} requests per ${RATE_WINDOW_MS / 1000} seconds.`, req);
    }

    if (route === `${BASE}/accounts`) {
      return {
        status: 200,
        body: {
          content: visible(key).map((a) => ({ login: a.login, api_account_id: a.api_account_id, store: a.store, last_status: a.last_status })),
          metadata: { request: { path: '/takeout/integrations', params: {} }, performed_at: performedAtIso() },
        },
      };
    }

    const id = req.url.searchParams.get('api_account_id')?.trim();
    if (!id) return error(400, 'MissingParameterError', 'Missing required query parameter: api_account_id (see the Integrated Accounts endpoint).', req);
    const acc = visible(key).find((a) => a.api_account_id === id);
    if (!acc) {
      return error(403, 'UserNotAuthForRessourceError', `You are not authorized to access integration ${id}: use an api_account_id returned by the Integrated Accounts endpoint.`, req);
    }
    const content: Record<string, AppTweakProduct> = {};
    // An INACTIVE integration no longer syncs and lists no apps; the others list the apps of their last sync.
    if (acc.last_status !== 'INACTIVE') for (const app of acc.apps) content[app.id] = product(req, acc, app);
    return {
      status: 200,
      body: {
        content,
        metadata: {
          request: { path: `/accounts/${acc.api_account_id}/products.json`, params: { id: acc.api_account_id, format: 'json' }, performed_at: performedAtUtc() },
          content: {},
        },
      },
    };
  }

  return {
    prefix: '/apptweak',
    handle,
    reset: () => { accounts = seedAccounts(); limiter.reset(); },
    credentials: () => ({ token: APPTWEAK_DEMO_KEY, header: 'x-apptweak-key', emptyToken: APPTWEAK_EMPTY_KEY }),
    rateLimit: {
      limit: RATE_LIMIT,
      windowMs: RATE_WINDOW_MS,
      count: (key) => limiter.count(key),
      reset: () => limiter.reset(),
    },
  };
}
