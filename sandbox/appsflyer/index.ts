// AppsFlyer "Get app list" API (ad networks) emulator, mounted at `/appsflyer`.
// Real: GET https://hq1.appsflyer.com/api/mng/apps — here GET `${origin}/appsflyer/api/mng/apps`.
//
// Follows the seed's status table:
//   200  data, paged by limit (default and max 1000) / offset, with meta.total_items and links.self/prev/next
//   200  EMPTY (no data) when the token is not in a Bearer Authorization header ("make sure the token is in the bearer header")
//   400  `{}` (empty JSON) for an illegal or missing capability; `"Bad request"` for a bad limit/offset
//   401  `"Unauthorized"` for a malformed token (not a 700+ character JWT) or an unknown one
//   404  `"Not found"` when no app has the (legal) capability, or for a superseded (revoked) token
//   429  `"Too many requests"` past 20 requests/minute (rolling) or 100 requests/UTC day per token, on ctx.now()
// Error bodies are bare JSON strings, as AppsFlyer sends them. No rate-limit headers (AppsFlyer sends none).
import { createHmac } from 'node:crypto';
import type { ApiEmulator, SandboxContext, SandboxRequest, SandboxResponse } from '../types';
import { base64url, header, pick, seededRandom } from '../shared/http';
import { FixedWindowCounter, SlidingWindowLimiter } from '../shared/rateLimit';

export type AppsFlyerCapability = 'protect_360' | 'cost';

export interface AppsFlyerApp {
  id: string;
  type: 'app';
  attributes: { name: string; platform: 'android' | 'ios'; currency: string; time_zone: string; enable_retargetting?: boolean };
}

export interface AppsFlyerUsage {
  /** Requests counted in the rolling minute. */
  minute: number;
  /** Requests counted in the current UTC day (of the rate-limit clock). */
  day: number;
}

export interface AppsFlyerEmulator extends ApiEmulator {
  readonly limits: {
    readonly perMinute: number;
    readonly perDay: number;
    /** Counters of one token (the demo token by default). */
    usage(token?: string): AppsFlyerUsage;
    /** Clears the daily counter (of one token, or all). */
    resetDaily(token?: string): void;
    /** Clears the rolling-minute window (of one token, or all). */
    resetMinute(token?: string): void;
  };
  /** Capabilities of each seeded app of the demo account, for tests. */
  seededApps(): readonly { id: string; capabilities: readonly AppsFlyerCapability[] }[];
}

const PER_MINUTE = 20;
const PER_DAY = 100;
const MAX_LIMIT = 1000;
const DAY_MS = 86_400_000;
const CAPABILITIES: readonly AppsFlyerCapability[] = ['protect_360', 'cost'];

/** A realistic API V2 token: a signed JWT of 700+ characters (the seed: "token must have 700+ characters"). */
function makeToken(claims: Record<string, unknown>, secret: string): string {
  const head = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'af-api-v2-2026-03' }));
  const permissions = [
    'app-list', 'protect360-raw-data', 'protect360-aggregate', 'cost-incost-api', 'aggregate-data', 'raw-data-reports',
    'pull-api', 'master-api', 'audiences', 'cohort-api', 'skan-aggregated', 'fraud-post-attribution', 'validation-rules',
  ];
  const body = base64url(JSON.stringify({ ...claims, token_type: 'API_V2', aud: 'hq1.appsflyer.com', iss: 'https://hq1.appsflyer.com', permissions }));
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

export const APPSFLYER_DEMO_TOKEN = makeToken({
  sub: 'b7e3c1d2-9f40-4a6e-8d15-2c7f0e9a4b31', account_id: '5f2a9c7e1d8b4e6f0a3c9d21', account_type: 'ad_network',
  partner_id: 'northwindads_int', user: 'api-admin@northwind-ads.com', iat: 1773792000, jti: '9c1f4e2a-7b3d-4e8f-a6c0-5d2b8e1f3a74',
}, 'sandbox-demo');

/** Another ad network whose advertisers granted only Protect360 permission: `capabilities=cost` → 404. */
export const APPSFLYER_PROTECT_ONLY_TOKEN = makeToken({
  sub: 'e2a4b6c8-1d3f-4a5b-9c7e-0f2d4b6a8c13', account_id: '6a1b3c5d7e9f0a2b4c6d8e10', account_type: 'ad_network',
  partner_id: 'blueharborads_int', user: 'ops@blueharbor-ads.com', iat: 1773878400, jti: '0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d',
}, 'sandbox-protect-only');

/** The demo account's previous token, issued before March 10, 2026 and revoked: 404 ("use the most recently-issued token"). */
export const APPSFLYER_REVOKED_TOKEN = makeToken({
  sub: 'b7e3c1d2-9f40-4a6e-8d15-2c7f0e9a4b31', account_id: '5f2a9c7e1d8b4e6f0a3c9d21', account_type: 'ad_network',
  partner_id: 'northwindads_int', user: 'api-admin@northwind-ads.com', iat: 1741600000, jti: '3e5d7c9b-1a2f-4e6d-8c0b-9a7f5e3d1c2b',
}, 'sandbox-revoked');

interface SeededApp { app: AppsFlyerApp; capabilities: AppsFlyerCapability[] }

const WORDS_A = ['Pixel', 'Turbo', 'Happy', 'Merge', 'Idle', 'Royal', 'Tiny', 'Cosmic', 'Lucky', 'Ninja', 'Solitaire', 'Word', 'Candy', 'Zen', 'Farm', 'Block'];
const WORDS_B = ['Quest', 'Racer', 'Garden', 'Match', 'Tycoon', 'Kingdom', 'Puzzle', 'Heroes', 'Slots', 'Run', 'Story', 'Chef', 'Fit', 'Wallet', 'Radio', 'Maps'];
const VENDORS = ['gamelab', 'northwind', 'blueharbor', 'fizzbuzz', 'pinecone', 'orbit', 'acme', 'sunrise'];
const CURRENCIES = ['USD', 'USD', 'USD', 'EUR', 'GBP', 'JPY', 'BRL', 'INR', 'KRW'];
const ZONES = ['UTC', 'UTC', 'America/New_York', 'America/Los_Angeles', 'Europe/Berlin', 'Europe/London', 'Asia/Tokyo', 'America/Sao_Paulo', 'Asia/Kolkata', 'Asia/Seoul'];

/** `n` apps: i % 3 == 0 in both capabilities, 1 only protect_360, 2 only cost. Deterministic. */
export function seedAppsFlyerApps(n: number): SeededApp[] {
  const rnd = seededRandom(0xaf5eed);
  const out: SeededApp[] = [];
  for (let i = 0; i < n; i++) {
    const ios = i % 2 === 1;
    const title = `${pick(rnd, WORDS_A)} ${pick(rnd, WORDS_B)}${i >= 16 ? ` ${Math.floor(i / 16) + 1}` : ''}`;
    const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '');
    const id = ios ? `id${1_400_000_000 + i * 7919}` : `com.${pick(rnd, VENDORS)}.${slug}${i >= 16 ? `.a${i}` : ''}`;
    // Like the official example, some apps carry no name of their own (the app id is the name) and most
    // carry no enable_retargetting attribute.
    const name = i % 5 === 4 ? id : title;
    const attributes: AppsFlyerApp['attributes'] = { name, platform: ios ? 'ios' : 'android', currency: pick(rnd, CURRENCIES), time_zone: pick(rnd, ZONES) };
    if (i % 4 === 1) attributes.enable_retargetting = true;
    else if (i % 4 === 3) attributes.enable_retargetting = false;
    const capabilities: AppsFlyerCapability[] = i % 3 === 0 ? ['protect_360', 'cost'] : i % 3 === 1 ? ['protect_360'] : ['cost'];
    out.push({ app: { id, type: 'app', attributes }, capabilities });
  }
  return out;
}

const PROTECT_ONLY_APPS: SeededApp[] = [
  { app: { id: 'com.blueharbor.tides', type: 'app', attributes: { name: 'Harbor Tides', platform: 'android', currency: 'EUR', time_zone: 'Europe/Amsterdam' } }, capabilities: ['protect_360'] },
  { app: { id: 'id1590042288', type: 'app', attributes: { name: 'Harbor Tides', platform: 'ios', currency: 'EUR', time_zone: 'Europe/Amsterdam', enable_retargetting: true } }, capabilities: ['protect_360'] },
];

const serialized = new WeakMap<SeededApp, string>();
function appJson(a: SeededApp): string {
  let json = serialized.get(a);
  if (json === undefined) serialized.set(a, (json = JSON.stringify(a.app)));
  return json;
}

const str = (status: number, message: string): SandboxResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(message) });
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export function createAppsFlyerEmulator(ctx: SandboxContext): AppsFlyerEmulator {
  let demoApps = seedAppsFlyerApps(ctx.options.appsflyerApps);
  let seededFor = ctx.options.appsflyerApps;
  const minute = new SlidingWindowLimiter(PER_MINUTE, 60_000, () => ctx.now());
  const daily = new FixedWindowCounter(PER_DAY, DAY_MS, () => ctx.now());

  function appsOf(token: string): SeededApp[] | undefined {
    if (token === APPSFLYER_DEMO_TOKEN) {
      // `/_sandbox/options` may change the data scale after start: reseed lazily.
      if (seededFor !== ctx.options.appsflyerApps) { demoApps = seedAppsFlyerApps(ctx.options.appsflyerApps); seededFor = ctx.options.appsflyerApps; }
      return demoApps;
    }
    if (token === APPSFLYER_PROTECT_ONLY_TOKEN) return PROTECT_ONLY_APPS;
    return undefined;
  }

  function link(req: SandboxRequest, capability: string, offset: number, limit: number): string {
    return `${req.origin}/appsflyer/api/mng/apps?capabilities=${encodeURIComponent(capability)}&offset=${offset}&limit=${limit}`;
  }

  function intParam(raw: string | null, def: number): number | undefined {
    if (raw === null) return def;
    if (!/^\d+$/.test(raw.trim())) return undefined;
    return Number(raw.trim());
  }

  function handle(req: SandboxRequest): SandboxResponse {
    if (req.path.replace(/\/+$/, '') !== '/api/mng/apps' || req.method !== 'GET') return str(404, 'Not found');
    const q = req.url.searchParams;

    const auth = header(req, 'authorization') ?? '';
    const bearer = /^Bearer\s+(.*)$/i.exec(auth.trim());
    const token = bearer?.[1]?.trim() ?? '';
    if (!token) {
      // The seed's "200 OK — Symptom: No data returns. Make sure the authentication token is in the bearer header."
      const self = link(req, q.get('capabilities') ?? '', Number(q.get('offset') ?? 0) || 0, Number(q.get('limit') ?? MAX_LIMIT) || MAX_LIMIT);
      return { status: 200, body: { data: [], meta: { total_items: 0 }, links: { self } } };
    }
    if (token.length < 700 || !JWT_SHAPE.test(token)) return str(401, 'Unauthorized');
    if (token === APPSFLYER_REVOKED_TOKEN) return str(404, 'Not found');
    const apps = appsOf(token);
    if (!apps) return str(401, 'Unauthorized');

    if (minute.count(token) >= PER_MINUTE || daily.count(token) >= PER_DAY) return str(429, 'Too many requests');
    minute.take(token);
    daily.take(token);

    const capability = q.get('capabilities') ?? '';
    if (!CAPABILITIES.includes(capability as AppsFlyerCapability)) return { status: 400, body: {} };
    const limit = intParam(q.get('limit'), MAX_LIMIT);
    const offset = intParam(q.get('offset'), 0);
    if (limit === undefined || limit < 1 || limit > MAX_LIMIT || offset === undefined) return str(400, 'Bad request');

    const matching = apps.filter((a) => a.capabilities.includes(capability as AppsFlyerCapability));
    if (matching.length === 0) return str(404, 'Not found');
    const links: Record<string, string> = {};
    if (offset > 0) links.prev = link(req, capability, Math.max(0, offset - limit), limit);
    links.self = link(req, capability, offset, limit);
    if (offset + limit < matching.length) links.next = link(req, capability, offset + limit, limit);
    // Seeded apps never change, so each is serialized once: a page of 1,000 is joined, not re-stringified, and the
    // emulator's own work stays small beside the client's (the benchmark lists 5,000 apps in parallel pages).
    const data = matching.slice(offset, offset + limit).map(appJson).join(',');
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: `{"data":[${data}],"meta":${JSON.stringify({ total_items: matching.length })},"links":${JSON.stringify(links)}}`,
    };
  }

  return {
    prefix: '/appsflyer',
    handle,
    reset: () => {
      demoApps = seedAppsFlyerApps(ctx.options.appsflyerApps);
      seededFor = ctx.options.appsflyerApps;
      minute.reset();
      daily.reset();
    },
    credentials: () => ({
      token: APPSFLYER_DEMO_TOKEN,
      protectOnlyToken: APPSFLYER_PROTECT_ONLY_TOKEN,
      revokedToken: APPSFLYER_REVOKED_TOKEN,
    }),
    limits: {
      perMinute: PER_MINUTE,
      perDay: PER_DAY,
      usage: (token = APPSFLYER_DEMO_TOKEN) => ({ minute: minute.count(token), day: daily.count(token) }),
      resetDaily: (token) => daily.reset(token),
      resetMinute: (token) => minute.reset(token),
    },
    seededApps: () => (appsOf(APPSFLYER_DEMO_TOKEN) ?? []).map((a) => ({ id: a.app.id, capabilities: a.capabilities })),
  };
}
