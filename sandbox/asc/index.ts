// App Store Connect API emulator (prefix `/asc`, so a client's base URL is `http://127.0.0.1:PORT/asc`).
// Each request goes through what Apple's front door does, in Apple's order: bearer-token verification (401), the
// per-key rate limits (429, `x-rate-limit` on every response), path and method (404 / 405), query parameters
// against the OpenAPI table (400), content type and body (415 / 409), then the operation itself.
import type { ApiEmulator, SandboxContext, SandboxRequest, SandboxResponse } from '../types';
import { ApiError, fail, item } from './errors';
import { parseQuery, type DocContext } from './jsonapi';
import { KeyRing, verifyBearer } from './jwt';
import { DEMO_INDIVIDUAL_KEY, DEMO_ISSUER_ID, DEMO_TEAM_KEY, DEMO_VENDOR_NUMBER } from './keys';
import { RateLimiter } from './ratelimit';
import { ROUTES, releaseVersion, setVersionState, type Call } from './routes';
import { DEMO_APPS, seed } from './seed';
import { ALL_PATHS, OPS, PATH_METHODS } from './spec.generated';
import { Store } from './store';

export { DEMO_APPS } from './seed';
export { DEMO_INDIVIDUAL_KEY, DEMO_ISSUER_ID, DEMO_TEAM_KEY, DEMO_VENDOR_NUMBER } from './keys';

export interface AscCredentials {
  keyId: string;
  issuerId: string;
  /** PKCS#8 PEM, as in an Apple `.p8` file. */
  privateKey: string;
  individual: { keyId: string; privateKey: string };
  vendorNumber: string;
}

export interface AscStats {
  /** Requests that passed authentication and the rate limits. */
  admitted: number;
  /** 429 RATE_LIMIT_EXCEEDED responses served. */
  rateLimited: number;
  /** 401 responses served. */
  unauthorized: number;
}

export interface AscEmulator extends ApiEmulator {
  credentials(): AscCredentials & Record<string, unknown>;
  /** Trust another ES256 key: a public key, or a private key (PKCS#8 or SEC1 PEM). `issuerId` null = individual key. */
  registerKey(kid: string, pem: string, issuerId: string | null): void;
  unregisterKey(kid: string): void;
  stats(): AscStats;
  /** Number of 429s served since the last reset (for the benchmark). */
  rateLimitedCount(): number;
  /**
   * Moves a version through App Review from outside (what Apple's reviewers do): e.g. `IN_REVIEW`,
   * `PENDING_DEVELOPER_RELEASE`, `REJECTED`, or `READY_FOR_SALE` (releases it, replacing the live version).
   */
  setVersionState(versionId: string, appStoreState: string): void;
  readonly store: Store;
}

const NOT_AUTHORIZED = {
  status: '401',
  code: 'NOT_AUTHORIZED',
  title: 'Authentication credentials are missing or invalid.',
  detail: 'Provide a properly configured and signed bearer token, and make sure that it has not expired. Learn more about Generating Tokens for API Requests https://developer.apple.com/go/?id=api-generating-tokens',
};

interface CompiledPath { template: string; re: RegExp; emulated: boolean }

function compile(template: string, emulated: boolean): CompiledPath {
  const re = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '([^/]+)')}$`);
  return { template, re, emulated };
}

export function createAscEmulator(ctx: SandboxContext): AscEmulator {
  const store = new Store();
  const keys = new KeyRing();
  keys.register(DEMO_TEAM_KEY.keyId, DEMO_TEAM_KEY.privateKey, DEMO_ISSUER_ID);
  keys.register(DEMO_INDIVIDUAL_KEY.keyId, DEMO_INDIVIDUAL_KEY.privateKey, null);
  const limiter = new RateLimiter(() => ctx.now());
  let unauthorized = 0;

  // Emulated templates first; the rest of Apple's paths only to tell "not emulated" (501) from "no such path" (404).
  const emulated = Object.keys(PATH_METHODS).map((t) => compile(t, true));
  const known = ALL_PATHS.filter((p) => !(p in PATH_METHODS)).map((t) => compile(t, false));
  const paths = [...emulated, ...known];

  function reset(): void {
    seed(store, { apps: ctx.options.ascApps, now: Date.now() });
    limiter.reset();
    unauthorized = 0;
  }
  reset();

  function dispatch(req: SandboxRequest): SandboxResponse {
    const method = req.method.toUpperCase();
    // Test control (not Apple's API, no token): `POST /asc/_sandbox/version-state {versionId, appStoreState}` plays
    // App Review from outside the process that runs the sandbox, as `setVersionState` does in it.
    if (req.path === '/_sandbox/version-state') return versionStateControl(method, req.body);
    const auth = verifyBearer(req.headers.authorization, keys, Date.now(), { method, path: req.path, query: req.url.searchParams });
    if (!auth.ok) {
      unauthorized++;
      const remaining = auth.kid && keys.get(auth.kid) ? limiter.remaining(auth.kid) : 3600;
      return {
        status: 401,
        headers: { 'x-rate-limit': RateLimiter.header(remaining), 'x-sandbox-auth-error': auth.reason },
        body: { errors: [{ id: crypto.randomUUID(), ...NOT_AUTHORIZED }] },
      };
    }
    const rate = limiter.take(auth.key.kid);
    const headers = { 'x-rate-limit': rate.header };
    if (!rate.allowed) {
      return {
        status: 429,
        headers,
        body: { errors: [{ id: crypto.randomUUID(), status: '429', code: 'RATE_LIMIT_EXCEEDED', title: 'The request rate limit has been reached.', detail: "We've received too many requests for this API. Please wait and try again or slow down your request rate." }] },
      };
    }
    try {
      const res = route(req, method, auth.individual);
      return { ...res, headers: { ...headers, ...(res.headers ?? {}) } };
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const res = err.response();
      return { ...res, headers: { ...headers, ...(res.headers ?? {}) } };
    }
  }

  function route(req: SandboxRequest, method: string, individual: boolean): SandboxResponse {
    let match: RegExpExecArray | null = null;
    const path = paths.find((p) => (match = p.re.exec(req.path)) !== null);
    if (!path || !match) throw fail(404, 'PATH_ERROR', `The URL path '${req.path}' does not match any resource of the App Store Connect API.`);
    if (!path.emulated) throw fail(501, 'NOT_IMPLEMENTED', `${req.path} is part of the App Store Connect API but the AppDesk sandbox does not emulate it.`);
    const opKey = `${method} ${path.template}`;
    const handler = ROUTES[opKey];
    const op = OPS[opKey];
    if (!handler || !op) {
      const allowed = PATH_METHODS[path.template] ?? [];
      if (allowed.includes(method)) throw fail(501, 'NOT_IMPLEMENTED', `${opKey} is part of the App Store Connect API but the AppDesk sandbox does not emulate it.`);
      const res = fail(405, 'METHOD_NOT_ALLOWED', `The resource path does not support ${method}. Allowed methods: ${allowed.join(', ')}`).response();
      return { ...res, headers: { allow: allowed.join(', ') } };
    }
    const raw = (match as RegExpExecArray)[1];
    let id = raw ?? '';
    try { id = decodeURIComponent(id); } catch { /* keep the raw segment: it matches no resource */ }
    const q = parseQuery(req.url.searchParams, op);

    let body: unknown;
    if (op.b || req.body.length) {
      const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/json') {
        throw fail(415, 'UNSUPPORTED_MEDIA_TYPE', `The request body must be sent with Content-Type: application/json${type ? `, not ${type}` : ''}.`);
      }
      if (!op.b) throw fail(400, 'ENTITY_INVALID', 'This request does not take a body.');
      try {
        body = JSON.parse(req.body.toString('utf8'));
      } catch {
        throw new ApiError(400, [item(400, 'ENTITY_INVALID', 'The request body is not valid JSON.')]);
      }
    }
    const doc: DocContext = { store, base: `${req.origin}/asc`, url: req.url, q };
    const call: Call = { req, id, op, q, body, store, doc, individual, now: Date.now() };
    // Reads never change relationships; writes may, so inverse indexes are rebuilt after any write.
    if (method !== 'GET') store.touch();
    return handler(call);
  }

  function setState(versionId: string, appStoreState: string): void {
    const v = store.get('appStoreVersions', versionId);
    if (!v) throw new Error(`no appStoreVersion ${versionId}`);
    if (appStoreState === 'READY_FOR_SALE') releaseVersion(store, v, Date.now());
    else setVersionState(v, appStoreState);
    store.touch();
  }

  function versionStateControl(method: string, body: Buffer): SandboxResponse {
    if (method !== 'POST') return { status: 405, headers: { allow: 'POST' }, body: { error: 'POST {versionId, appStoreState}' } };
    let parsed: { versionId?: unknown; appStoreState?: unknown };
    try {
      parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
    } catch {
      return { status: 400, body: { error: 'the body is not JSON' } };
    }
    const { versionId, appStoreState } = parsed ?? {};
    if (typeof versionId !== 'string' || typeof appStoreState !== 'string' || !/^[A-Z_]{3,40}$/.test(appStoreState)) {
      return { status: 400, body: { error: 'expected {versionId: string, appStoreState: e.g. "IN_REVIEW"}' } };
    }
    if (!store.get('appStoreVersions', versionId)) return { status: 404, body: { error: `no appStoreVersion ${versionId}` } };
    setState(versionId, appStoreState);
    return { status: 204 };
  }

  return {
    prefix: '/asc',
    handle: dispatch,
    reset,
    store,
    credentials: () => ({
      keyId: DEMO_TEAM_KEY.keyId,
      issuerId: DEMO_ISSUER_ID,
      privateKey: DEMO_TEAM_KEY.privateKey,
      individual: { keyId: DEMO_INDIVIDUAL_KEY.keyId, privateKey: DEMO_INDIVIDUAL_KEY.privateKey },
      vendorNumber: DEMO_VENDOR_NUMBER,
      apps: DEMO_APPS.slice(0, ctx.options.ascApps),
    }),
    registerKey: (kid, pem, issuerId) => { keys.register(kid, pem, issuerId); },
    unregisterKey: (kid) => keys.unregister(kid),
    stats: () => ({ admitted: limiter.admitted, rateLimited: limiter.rejected, unauthorized }),
    rateLimitedCount: () => limiter.rejected,
    setVersionState: setState,
  };
}
