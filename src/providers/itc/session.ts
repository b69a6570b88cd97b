// The legacy iTunes Connect web session: the seed's login (discover the form on the landing page, POST the
// credentials, 302 = signed in), cookies in a tough-cookie jar persisted to the SecretStore, and `ra/…` JSON calls
// through core's ApiClient with one silent re-login when a session has expired.
//
// URL map. Production: API `https://appstoreconnect.apple.com/WebObjects/iTunesConnect.woa/ra/…` and the login
// landing page `https://itunesconnect.apple.com` (the seed's host). An account with a `baseUrl` (the sandbox:
// `<origin>/itc`, which stands for `https://itunesconnect.apple.com`) uses that base for both. Settings may
// override the landing page (`loginUrl`) and the fallback form action used when discovery fails (`loginActionUrl`).
//
// Cookies only ever go to the origins of the API base and of the login pages, redirects included: the ApiClient
// refuses credentials for any other origin, and the login flow follows redirects by hand.
import type { CookieJar } from 'tough-cookie';
import { vendor } from '../../core/vendor';
import { ApiClient, type ApiRequestOptions, type ErrorContext } from '../../core/apiClient';
import { AuthError, ConfigError, ProtocolError, RateLimitError, TransientError, describeEndpoint, isProviderError, type ProviderError } from '../../core/errors';
import { HttpClient, isRedirect, type HttpResponse } from '../../core/http';
import type { Logger } from '../../core/logger';
import { registerSecret } from '../../core/redact';
import { parseRetryAfter, withRetry } from '../../core/retry';
import type { Schema } from '../../core/validate';
import { redactingLogger } from '../shared/providerKit';
import { secretKey, type AccountConfig, type ProviderHost } from '../types';
import { PROVIDER, itcErrorFor, unexpected } from './errors';

export const PRODUCTION_BASE_URL = 'https://appstoreconnect.apple.com';
/** The seed's host: its landing page carries the sign-in form. */
export const PRODUCTION_LOGIN_URL = 'https://itunesconnect.apple.com';
export const WOA = '/WebObjects/iTunesConnect.woa';
/** The seed's example form action; used only when the landing page has no recognisable form. */
export const SEED_LOGIN_ACTION = `${WOA}/wo/0.0.1.13.3.13.3.2.1.1.3.1.1`;
export const SESSION_COOKIE = 'myacinfo';

export interface ItcEndpoints {
  /** e.g. https://appstoreconnect.apple.com or http://127.0.0.1:PORT/itc */
  base: string;
  /** base + /WebObjects/iTunesConnect.woa/ra */
  ra: string;
  /** The page whose POST form signs in. */
  landing: string;
  /** Form action used when discovery fails. */
  fallbackLoginAction: string;
  /** Origins that may receive the session cookies. */
  origins: ReadonlySet<string>;
}

const trim = (u: string) => u.replace(/\/+$/, '');

export function itcEndpoints(account: Pick<AccountConfig, 'baseUrl' | 'settings'>): ItcEndpoints {
  let base: string;
  let landing: string;
  let fallbackLoginAction: string;
  try {
    base = trim(new URL(account.baseUrl || PRODUCTION_BASE_URL).href);
    landing = trim(new URL(account.settings.loginUrl || (account.baseUrl ? base : PRODUCTION_LOGIN_URL)).href);
    fallbackLoginAction = new URL(account.settings.loginActionUrl || `${landing}${SEED_LOGIN_ACTION}`).href;
  } catch {
    throw new ConfigError({ provider: PROVIDER, summary: `The ${PROVIDER} URL of this account is not valid`, hint: 'Remove the account and add it again.' });
  }
  const origins = new Set([new URL(base).origin, new URL(landing).origin, new URL(fallbackLoginAction).origin]);
  return { base, ra: `${base}${WOA}/ra`, landing, fallbackLoginAction, origins };
}

/** Marks a 401 (or a redirect to the sign-in page) on an `ra/…` call: the session is gone, sign in again. */
export class SessionExpiredError extends AuthError {
  readonly sessionExpired = true;
}

function isSessionExpired(e: unknown): boolean {
  return e instanceof SessionExpiredError || (isProviderError(e) && (e as { sessionExpired?: unknown }).sessionExpired === true);
}

interface StoredCookies {
  v: 1;
  origin: string;
  jar: unknown;
}

const looksLikeSignInPage = (html: string) => /theAccountPW|appleConnectForm/i.test(html);

/** Visible text of an HTML page: scripts, styles and tags removed. */
export function pageText(html: string): string {
  return html
    .replace(/<script\b[\s\S]*?<\/script>/gi, ' ')
    .replace(/<style\b[\s\S]*?<\/style>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The sign-in form's action on a landing page: the POST form (or the first action under `/wo/`), resolved. */
export function findLoginAction(html: string, pageUrl: string): string | undefined {
  const forms = html.match(/<form\b[^>]*>/gi) ?? [];
  const actionOf = (tag: string) => /\baction\s*=\s*["']([^"']+)["']/i.exec(tag)?.[1];
  const pick =
    forms.find((t) => /\bmethod\s*=\s*["']?post/i.test(t) && /\/wo\//.test(actionOf(t) ?? '')) ??
    forms.find((t) => /\bmethod\s*=\s*["']?post/i.test(t) && actionOf(t)) ??
    forms.find((t) => /\/wo\//.test(actionOf(t) ?? ''));
  const action = pick ? actionOf(pick) : /action="([^"]*\/WebObjects\/iTunesConnect\.woa\/wo\/[^"]*)"/.exec(html)?.[1];
  if (!action) return undefined;
  try {
    return new URL(action.replace(/&amp;/g, '&'), pageUrl).href;
  } catch {
    return undefined;
  }
}

export type LoginOutcome =
  | { kind: 'signedIn' }
  | { kind: 'wrongCredentials' }
  | { kind: 'staleCookies' }
  | { kind: 'formExpired' }
  | { kind: 'twoFactor'; detail: string }
  | { kind: 'unexpected'; detail: string };

/** What the answer to the sign-in POST means (seed: 302 = signed in, 200 = not signed in). */
export function classifyLoginResponse(status: number, headers: Record<string, string>, body: string): LoginOutcome {
  const type = headers['content-type'] ?? '';
  const location = headers['location'] ?? '';
  let json: unknown;
  if (/json/i.test(type) || /^\s*\{/.test(body)) {
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
  }
  const authType = (json as { authType?: unknown } | undefined)?.authType;
  if (status === 409 || headers['x-apple-id-session-id'] || typeof authType === 'string' || (isRedirect(status) && /\/auth\b|idmsa|appleauth/i.test(location))) {
    return { kind: 'twoFactor', detail: `HTTP ${status}${typeof authType === 'string' ? `, authType "${authType}"` : ''}${location ? `, redirect to ${location.split('?')[0]}` : ''}` };
  }
  if (status === 302 || status === 303) return { kind: 'signedIn' };
  if (status === 200) {
    const text = pageText(body);
    if (/Apple ID or password (was|were) entered incorrectly|invalid="true"/i.test(text) || /invalid="true"/i.test(body)) return { kind: 'wrongCredentials' };
    if (/session has expired\.?\s*Please sign in again/i.test(text)) return { kind: 'formExpired' };
    if (looksLikeSignInPage(body)) return { kind: 'staleCookies' };
  }
  const snippet = (json !== undefined ? JSON.stringify(json) : pageText(body)).slice(0, 160);
  return { kind: 'unexpected', detail: `HTTP ${status}${type ? `, ${type.split(';')[0]}` : ''}${snippet ? `: ${snippet}` : ''}` };
}

export interface CallOptions<T> {
  schema: Schema<T>;
  query?: ApiRequestOptions['query'];
  json?: unknown;
  signal?: AbortSignal;
}

export class ItcSession {
  readonly endpoints: ItcEndpoints;
  readonly http: HttpClient;
  readonly api: ApiClient;
  private jar = newJar();
  private loaded: Promise<void> | undefined;
  private loginInFlight: Promise<void> | undefined;
  /** Incremented by every successful sign-in; a 401 seen under an older generation needs no new sign-in. */
  private generation = 0;
  private persisting: Promise<void> = Promise.resolve();
  private readonly logger: Logger;
  /** Sign-ins performed (tests, diagnostics). */
  logins = 0;

  constructor(
    private readonly account: AccountConfig,
    private readonly host: ProviderHost,
  ) {
    this.endpoints = itcEndpoints(account);
    this.logger = redactingLogger(host.logger);
    this.http = new HttpClient({
      logger: this.logger,
      proxy: host.proxy ? { url: host.proxy.url, strictSSL: host.proxy.strictSSL } : undefined,
      timeoutMs: host.timeoutMs,
      userAgent: 'AppDesk',
    });
    this.api = new ApiClient({
      provider: PROVIDER,
      baseUrl: this.endpoints.ra,
      http: this.http,
      logger: this.logger,
      timeoutMs: host.timeoutMs,
      retry: { maxAttempts: 4 },
      // fastlane sends it on every request; without it iTunes Connect answers 403.
      defaultHeaders: { 'x-csrf-itc': 'itc' },
      auth: ({ url }) => {
        const cookie = this.cookieHeader(url.href);
        return cookie ? { cookie } : {};
      },
      onResponse: (res) => this.keepCookies(res),
      errorMapper: (ctx) => this.mapError(ctx),
      hints: {
        403: 'Check that this Apple ID has a role (Admin or App Manager) that allows this action.',
        404: 'It may have been deleted, or this Apple ID may not have access to it. Refresh and try again.',
      },
    });
  }

  private get appleId(): string {
    return this.account.settings.appleId ?? '';
  }
  private get cookiesKey(): string {
    return secretKey(this.account.id, 'cookies');
  }

  dispose(): void {
    void this.http.close();
  }

  /** Resolves once every cookie write to the secret store has finished. */
  flush(): Promise<void> {
    return this.persisting;
  }

  // ------------------------------------------------------------------ cookies

  private allowed(url: string): boolean {
    try {
      return this.endpoints.origins.has(new URL(url).origin);
    } catch {
      return false;
    }
  }

  private cookieHeader(url: string): string | undefined {
    if (!this.allowed(url)) return undefined;
    return this.jar.getCookieStringSync(url) || undefined;
  }

  private storeCookies(lines: string[], url: string): boolean {
    if (!lines.length || !this.allowed(url)) return false;
    let stored = false;
    for (const line of lines) {
      try {
        const c = this.jar.setCookieSync(line, url, { ignoreError: true });
        if (c) {
          registerSecret(c.value);
          stored = true;
        }
      } catch {
        // A malformed Set-Cookie is ignored, as browsers do.
      }
    }
    return stored;
  }

  private keepCookies(res: HttpResponse): void {
    if (this.storeCookies(res.setCookie, res.url)) this.persist();
  }

  private hasSession(): boolean {
    return this.jar.getCookiesSync(`${this.endpoints.ra}/`).some((c) => c.key === SESSION_COOKIE);
  }

  private persist(): void {
    const data: StoredCookies = { v: 1, origin: new URL(this.endpoints.base).origin, jar: this.jar.serializeSync() };
    this.persisting = this.persisting
      .then(() => this.host.secrets.store(this.cookiesKey, JSON.stringify(data)))
      .catch((e: unknown) => this.logger.warn(`${PROVIDER}: could not save the session cookies: ${(e as Error).message}`));
  }

  /** Restores the cookies of an earlier session (once). */
  private load(): Promise<void> {
    this.loaded ??= (async () => {
      const raw = await this.host.secrets.get(this.cookiesKey).catch(() => undefined);
      if (!raw) return;
      try {
        const stored = JSON.parse(raw) as StoredCookies;
        if (stored.v !== 1 || stored.origin !== new URL(this.endpoints.base).origin) throw new Error('cookies of another server');
        const jar = vendor().CookieJar.deserializeSync(stored.jar as string, undefined);
        for (const c of jar.getCookiesSync(`${this.endpoints.ra}/`)) registerSecret(c.value);
        this.jar = jar;
      } catch {
        this.logger.debug(`${PROVIDER}: ignoring stored cookies that do not belong to ${this.endpoints.base}`);
        await this.host.secrets.delete(this.cookiesKey).catch(() => undefined);
      }
    })();
    return this.loaded;
  }

  // ------------------------------------------------------------------ sign-in

  /** Signs in (once, however many callers ask at the same time). */
  login(signal?: AbortSignal): Promise<void> {
    this.loginInFlight ??= this.doLogin(signal).finally(() => {
      this.loginInFlight = undefined;
    });
    return this.loginInFlight;
  }

  private async password(): Promise<string> {
    const pw = await this.host.secrets.get(secretKey(this.account.id, 'password'));
    if (!this.appleId || !pw) {
      throw new AuthError({ provider: PROVIDER, summary: `${PROVIDER} needs an Apple ID and password`, hint: 'Reconnect the account and enter them.' });
    }
    registerSecret(pw);
    return pw;
  }

  /** GET with redirects followed by hand: cookies only for allowed origins, Set-Cookie only from them. */
  private async getPage(url: string, signal?: AbortSignal): Promise<HttpResponse> {
    let current = url;
    for (let hop = 0; hop <= 5; hop++) {
      const cookie = this.cookieHeader(current);
      const res = await this.http.request({
        url: current,
        method: 'GET',
        headers: { accept: 'text/html,application/xhtml+xml', ...(cookie && { cookie }) },
        redirect: 'manual',
        signal,
        provider: PROVIDER,
      });
      this.storeCookies(res.setCookie, res.url);
      const location = res.headers['location'];
      if (!isRedirect(res.status) || !location) return res;
      current = new URL(location, current).href;
    }
    throw new ProtocolError({ provider: PROVIDER, endpoint: describeEndpoint('GET', url), details: ['too many redirects on the sign-in page'] });
  }

  private async discoverLoginAction(signal?: AbortSignal): Promise<{ action: string; discovered: boolean }> {
    const endpoint = describeEndpoint('GET', this.endpoints.landing);
    try {
      const res = await this.getPage(this.endpoints.landing, signal);
      const busy = busyError(res, endpoint);
      if (busy) throw busy;
      if (res.status === 200) {
        const action = findLoginAction(res.text(), res.url);
        if (action) return { action, discovered: true };
      }
      this.logger.warn(`${PROVIDER}: no sign-in form on ${endpoint} (HTTP ${res.status}); using the configured form action`);
    } catch (e) {
      if (isProviderError(e) && e.retryable) throw e;
      if (isProviderError(e) && e.kind === 'cancelled') throw e;
      this.logger.warn(`${PROVIDER}: could not read the sign-in page ${endpoint}: ${(e as Error).message}; using the configured form action`);
    }
    return { action: this.endpoints.fallbackLoginAction, discovered: false };
  }

  /** A sign-in that met a busy or unreachable server is repeated from the start (a new form, a new token). */
  private async doLogin(signal?: AbortSignal): Promise<void> {
    const password = await this.password();
    await withRetry(() => this.loginOnce(password, signal), {
      method: 'POST',
      idempotent: true,
      maxAttempts: 4,
      signal,
      provider: PROVIDER,
      onRetry: ({ attempt, delayMs, error }) =>
        this.logger.debug(`${PROVIDER}: signing in again in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt + 1}) after: ${(error as Error).message}`),
    });
  }

  private async loginOnce(password: string, signal?: AbortSignal): Promise<void> {
    // A new sign-in starts from a clean jar: a stale `myacinfo` makes iTunes Connect answer 200 (the seed's
    // "try deleting the cookies").
    this.jar = newJar();
    const { action, discovered } = await this.discoverLoginAction(signal);
    const endpoint = describeEndpoint('POST', action);
    const fallbackNote = discovered ? [] : [`the landing page ${this.endpoints.landing} had no sign-in form, so the configured sign-in URL was used`];
    if (!this.allowed(action)) {
      throw new ProtocolError({
        provider: PROVIDER,
        endpoint,
        summary: `Refused to send the ${PROVIDER} password to ${new URL(action).host}`,
        hint: `The sign-in form points away from ${new URL(this.endpoints.landing).host}. Report this if it persists.`,
      });
    }
    const cookie = this.cookieHeader(action);
    const res = await this.http.request({
      url: action,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html,application/json', ...(cookie && { cookie }) },
      body: new URLSearchParams({ theAccountName: this.appleId, theAccountPW: password, theAuxValue: '', '1.Continue.x': '0', '1.Continue.y': '0' }).toString(),
      redirect: 'manual',
      signal,
      provider: PROVIDER,
    });
    const busy = busyError(res, endpoint);
    if (busy) throw busy;
    const outcome = classifyLoginResponse(res.status, res.headers, res.text());
    switch (outcome.kind) {
      case 'signedIn':
        this.storeCookies(res.setCookie, res.url);
        if (!this.hasSession()) {
          throw new ProtocolError({ provider: PROVIDER, endpoint, status: res.status, details: [`the sign-in answered ${res.status} but set no session cookie (${SESSION_COOKIE})`] });
        }
        this.generation++;
        this.logins++;
        this.persist();
        await this.persisting;
        this.logger.info(`${PROVIDER}: signed in as ${this.appleId}`);
        return;
      case 'wrongCredentials':
        throw new AuthError({
          provider: PROVIDER,
          endpoint,
          summary: `${PROVIDER} rejected the Apple ID or password for ${this.appleId}`,
          details: ['Your Apple ID or password was entered incorrectly'],
          hint: 'Check the Apple ID and password, then reconnect the account.',
        });
      case 'staleCookies':
        throw new AuthError({
          provider: PROVIDER,
          endpoint,
          summary: `${PROVIDER} answered the sign-in for ${this.appleId} with its sign-in page again (200) without saying the credentials were wrong`,
          hint: 'If the Apple ID and password are correct, delete the stored cookies and try again: reconnect the account (AppDesk starts every sign-in without cookies).',
        });
      case 'formExpired':
        throw new AuthError({
          provider: PROVIDER,
          endpoint,
          summary: `${PROVIDER} did not accept the sign-in form (it answered "Your session has expired")`,
          details: fallbackNote,
          hint: 'The sign-in URL may have changed. Try again; if it keeps failing, the legacy sign-in is no longer available.',
        });
      case 'twoFactor':
        throw new AuthError({
          provider: PROVIDER,
          endpoint,
          status: res.status,
          summary: `${PROVIDER} asks for two-factor authentication for ${this.appleId}`,
          details: [outcome.detail],
          hint: 'AppDesk cannot answer a two-factor challenge on the legacy sign-in. Use an App Store Connect account with an API key, or an Apple ID without two-factor authentication.',
        });
      default:
        throw new ProtocolError({
          provider: PROVIDER,
          endpoint,
          status: res.status,
          summary: `${PROVIDER} answered the sign-in with something AppDesk does not recognise`,
          details: [outcome.detail, ...fallbackNote],
          hint: 'The legacy sign-in may have changed or gone offline. Check the account in a browser, or use an App Store Connect account instead.',
        });
    }
  }

  // ------------------------------------------------------------------ ra/… calls

  private mapError(ctx: ErrorContext) {
    const { status, endpoint } = ctx;
    if (status === 401) {
      const details = itcErrorFor(ctx.json(), endpoint)?.details;
      return new SessionExpiredError({ provider: PROVIDER, endpoint, status, details, summary: `${PROVIDER} ended the session`, hint: 'Reconnect the account.' });
    }
    if (isRedirect(status)) {
      // Apple sends requests without a valid session to the sign-in page.
      return new SessionExpiredError({ provider: PROVIDER, endpoint, status, summary: `${PROVIDER} redirected ${endpoint} to the sign-in page`, hint: 'Reconnect the account.' });
    }
    const body = ctx.json();
    const isEnvelope = !!body && typeof body === 'object' && ('statusCode' in body || 'messages' in body || 'data' in body);
    if (status >= 200 && status < 300) {
      if (body === undefined) {
        const text = ctx.text();
        if (looksLikeSignInPage(text)) return new SessionExpiredError({ provider: PROVIDER, endpoint, status, summary: `${PROVIDER} answered ${endpoint} with its sign-in page`, hint: 'Reconnect the account.' });
        if (ctx.body.length === 0) return undefined;
        return unexpected(endpoint, `answered with ${(ctx.headers['content-type'] ?? 'no content type').split(';')[0]} instead of JSON`, status);
      }
      return itcErrorFor(body, endpoint);
    }
    if ((status === 404 || status === 405 || status === 410) && !isEnvelope) {
      return unexpected(endpoint, `answered ${status}${ctx.headers['content-type']?.includes('html') ? ' (an HTML page)' : ''}`, status);
    }
    return undefined;
  }

  /** Ensures a session exists (restored cookies or a new sign-in). */
  async ensure(signal?: AbortSignal): Promise<void> {
    await this.load();
    if (this.loginInFlight) return this.loginInFlight;
    if (!this.hasSession()) await this.login(signal);
  }

  /** Runs an `ra/…` call; a 401 leads to exactly one silent sign-in and one retry. */
  async call<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.ensure(signal);
    const generation = this.generation;
    try {
      return await fn();
    } catch (e) {
      if (!isSessionExpired(e)) throw e;
      if (this.generation === generation) {
        this.logger.info(`${PROVIDER}: session expired; signing in again`);
        await this.login(signal);
      } else if (this.loginInFlight) {
        await this.loginInFlight;
      }
      try {
        return await fn();
      } catch (again) {
        if (!isSessionExpired(again)) throw again;
        const err = again as AuthError;
        throw new AuthError({
          provider: PROVIDER,
          endpoint: err.endpoint,
          status: err.status,
          details: err.details,
          summary: `${PROVIDER} did not accept the session even right after signing in again`,
          hint: 'Reconnect the account; if it keeps happening, this Apple ID may not have access to iTunes Connect.',
        });
      }
    }
  }

  /** `GET|POST ra/<path>` validated with `schema`; errors inside a 200 throw. */
  request<T>(method: 'GET' | 'POST', path: string, opts: CallOptions<T>): Promise<T> {
    return this.call(
      () =>
        this.api.requestJson<T>(method, path, {
          schema: opts.schema,
          query: opts.query,
          signal: opts.signal,
          redirect: 'manual',
          accept: 'application/json, text/plain, */*',
          cache: false,
          ...(opts.json !== undefined && { json: opts.json }),
        }),
      opts.signal,
    );
  }
}

/** 429 and 5xx on the sign-in pages: retryable errors (Retry-After honoured), so the sign-in is repeated. */
function busyError(res: HttpResponse, endpoint: string): ProviderError | undefined {
  const details = [`HTTP ${res.status}${res.text().length < 200 && res.text().trim() && !res.text().trim().startsWith('<') ? `: ${res.text().trim()}` : ''}`];
  if (res.status === 429) return new RateLimitError({ provider: PROVIDER, endpoint, status: 429, details, retryAt: parseRetryAfter(res.headers['retry-after']) });
  if (res.status >= 500) return new TransientError({ provider: PROVIDER, endpoint, status: res.status, details, retryAt: parseRetryAfter(res.headers['retry-after']) });
  return undefined;
}

function newJar(): CookieJar {
  return new (vendor().CookieJar)(undefined, { allowSpecialUseDomain: true, rejectPublicSuffixes: true });
}
