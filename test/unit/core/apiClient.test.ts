import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import { ApiClient, defaultErrorFor, extractErrorDetails, type ApiClientOptions, type ErrorContext } from '../../../src/core/apiClient';
import { HttpCache } from '../../../src/core/cache';
import { ManualClock } from '../../../src/core/clock';
import {
  AuthError,
  CancelledError,
  NotFoundError,
  ProtocolError,
  RateLimitError,
  TransientError,
  ValidationError,
} from '../../../src/core/errors';
import { HttpClient } from '../../../src/core/http';
import { MemoryLogger } from '../../../src/core/logger';
import { followLinksNext, collect } from '../../../src/core/pagination';
import { AppStoreConnectRateLimiter, MemoryBudgetStore, createAppsFlyerLimiter } from '../../../src/core/rateLimiter';
import { v } from '../../../src/core/validate';
import { sendJson, startServer, type TestServer } from './helpers';

describe('ApiClient', () => {
  let server: TestServer;
  let other: TestServer;
  const http = new HttpClient({ env: {} });
  const counters = new Map<string, number>();
  const hit = (k: string) => {
    const n = (counters.get(k) ?? 0) + 1;
    counters.set(k, n);
    return n;
  };

  before(async () => {
    other = await startServer((_req, res) => sendJson(res, 200, { elsewhere: true }));
    server = await startServer((req, res, body) => {
      const u = new URL(req.url ?? '/', 'http://x');
      const p = u.pathname;
      if (p === '/v1/apps') {
        return sendJson(res, 200, { data: [{ id: '1', type: 'apps', attributes: { name: 'One' } }], links: { self: req.url }, query: Object.fromEntries(u.searchParams) }, { 'x-rate-limit': 'user-hour-lim:1000;user-hour-rem:900;' });
      }
      if (p === '/v1/bad-shape') return sendJson(res, 200, { data: [{ id: 1 }] });
      if (p === '/v1/flaky') return hit(p) < 3 ? sendJson(res, 503, 'Service Unavailable') : sendJson(res, 200, { ok: true });
      if (p === '/v1/always-503') return sendJson(res, 503, { errors: [{ status: '503', code: 'X', title: 'Down' }] });
      if (p === '/v1/429') return hit(p) === 1 ? sendJson(res, 429, 'Too many requests', { 'retry-after': '0' }) : sendJson(res, 200, { after429: true });
      if (p === '/v1/429-long') return sendJson(res, 429, { errors: [{ status: '429', code: 'RATE_LIMIT_EXCEEDED', title: 'The request rate limit has been reached.' }] }, { 'retry-after': '3600' });
      if (p === '/v1/401') return sendJson(res, 401, { errors: [{ status: '401', code: 'NOT_AUTHORIZED', title: 'Authentication credentials are missing or invalid.', detail: 'Provide a properly configured and signed bearer token.' }] });
      if (p === '/v1/403') return sendJson(res, 403, 'Unauthorized');
      if (p === '/v1/404') return sendJson(res, 404, { error: 'not found' });
      if (p === '/v1/406') {
        res.writeHead(406, { 'content-type': 'text/plain' });
        return res.end('Not Acceptable: use application/a-gzip');
      }
      if (p === '/v1/409') {
        return sendJson(res, 409, {
          errors: [
            {
              status: '409',
              code: 'STATE_ERROR',
              title: 'The request cannot be fulfilled.',
              detail: 'Submit for review errors found.',
              meta: { associatedErrors: { '/v1/appScreenshots/': [{ code: 'STATE_ERROR.SCREENSHOT_REQUIRED', title: 'Screenshots are required.' }] } },
            },
            { status: '409', code: 'ENTITY_ERROR.ATTRIBUTE.REQUIRED', title: 'A required attribute is missing.', detail: 'You must provide a value for usesNonExemptEncryption.', source: { pointer: '/data/attributes/usesNonExemptEncryption' } },
          ],
        });
      }
      if (p === '/v1/html') {
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<html>login</html>');
      }
      if (p === '/v1/etag') {
        hit(p);
        if (req.headers['if-none-match'] === '"v1"') {
          res.writeHead(304, { etag: '"v1"' });
          return res.end();
        }
        return sendJson(res, 200, { version: 1 }, { etag: '"v1"' });
      }
      if (p === '/v1/maxage') {
        hit(p);
        return sendJson(res, 200, { n: counters.get(p) }, { 'cache-control': 'max-age=60' });
      }
      if (p === '/v1/echo') return sendJson(res, 200, { method: req.method, body, contentType: req.headers['content-type'] ?? null, auth: req.headers.authorization ?? null, accept: req.headers.accept });
      if (p === '/v1/post-503') {
        hit(p);
        return sendJson(res, 503, 'busy');
      }
      if (p === '/v1/empty') {
        res.writeHead(204);
        return res.end();
      }
      if (p === '/v1/salesReports') {
        res.writeHead(200, { 'content-type': 'application/a-gzip' });
        return res.end(zlib.gzipSync('Provider\tSKU\n'));
      }
      if (p === '/v1/to-other') {
        res.writeHead(302, { location: other.url('/stolen') });
        return res.end();
      }
      if (p === '/login') {
        res.writeHead(302, { location: '/home', 'set-cookie': 'myacinfo=abc' });
        return res.end();
      }
      if (p === '/v1/envelope-error') return sendJson(res, 200, { statusCode: 'ERROR', messages: { error: ['The app name you entered is already being used.'] } });
      if (p === '/v1/pages') {
        const page = Number(u.searchParams.get('page') ?? '1');
        return sendJson(res, 200, { data: [page], links: { next: page < 3 ? `/v1/pages?page=${page + 1}` : null } });
      }
      if (p === '/v1/slow') {
        setTimeout(() => sendJson(res, 200, {}), 1000).unref();
        return;
      }
      return sendJson(res, 404, 'Not found');
    });
  });
  after(async () => {
    await http.close();
    await server.close();
    await other.close();
  });
  beforeEach(() => counters.clear());

  const make = (over: Partial<ApiClientOptions> = {}) => {
    const authCalls: number[] = [];
    const client = new ApiClient({
      provider: 'App Store Connect',
      baseUrl: server.origin,
      http,
      auth: ({ attempt }) => {
        authCalls.push(attempt);
        return { authorization: `Bearer token-${attempt}` };
      },
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
      ...over,
    });
    return { client, authCalls };
  };

  it('GETs JSON with auth, accept and JSON:API-style query encoding', async () => {
    const { client } = make();
    const res = await client.get<{ query: Record<string, string> }>('/v1/apps', {
      query: { 'filter[platform]': ['IOS', 'MAC_OS'], limit: 200, 'exists[x]': false, skipped: undefined, alsoSkipped: null },
    });
    assert.deepEqual(res.query, { 'filter[platform]': 'IOS,MAC_OS', limit: '200', 'exists[x]': 'false' });
    const sent = server.requests.at(-1)!;
    assert.equal(sent.headers.authorization, 'Bearer token-1');
    assert.equal(sent.headers.accept, 'application/json');
    assert.match(sent.url, /filter%5Bplatform%5D=IOS%2CMAC_OS/);
  });

  it('joins paths under a base path', () => {
    const c = new ApiClient({ provider: 'AppTweak', baseUrl: 'https://public-api.apptweak.com/api/public/integrations/', http });
    assert.equal(c.resolve('/accounts', { api_account_id: 'a' }).href, 'https://public-api.apptweak.com/api/public/integrations/accounts?api_account_id=a');
    assert.equal(c.resolve('accounts/products').href, 'https://public-api.apptweak.com/api/public/integrations/accounts/products');
    assert.equal(c.resolve('https://public-api.apptweak.com/x?y=1').href, 'https://public-api.apptweak.com/x?y=1');
  });

  it('validates with a schema and reports the JSON path', async () => {
    const { client } = make();
    const Apps = v.object({ data: v.array(v.object({ id: v.string(), attributes: v.object({ name: v.nullish(v.string()) }) })) });
    const ok = await client.get('/v1/apps', { schema: Apps });
    assert.equal(ok.data[0]?.attributes.name, 'One');
    await assert.rejects(client.get('/v1/bad-shape', { schema: Apps }), (e) => {
      assert.ok(e instanceof ProtocolError);
      assert.equal(e.message.split('. ')[0], 'App Store Connect returned an unexpected response for GET /v1/bad-shape: data[0].id: expected string, got number 1');
      return true;
    });
  });

  it('retries transient failures, calling auth again for each attempt', async () => {
    const { client, authCalls } = make();
    assert.deepEqual(await client.get('/v1/flaky'), { ok: true });
    assert.deepEqual(authCalls, [1, 2, 3]);
    const { client: c2 } = make();
    await assert.rejects(c2.get('/v1/always-503'), (e) => e instanceof TransientError && e.status === 503 && /temporarily unavailable \(503\): Down\./.test(e.message));
  });

  it('honours Retry-After on 429, and surfaces a long wait as RateLimitError', async () => {
    const { client } = make();
    assert.deepEqual(await client.get('/v1/429'), { after429: true });
    const t0 = Date.now();
    await assert.rejects(client.get('/v1/429-long'), (e) => {
      assert.ok(e instanceof RateLimitError);
      assert.ok(e.retryAt && Math.abs(e.retryAt.getTime() - (t0 + 3_600_000)) < 5000);
      assert.match(e.message, /^App Store Connect rate limit reached \(429\): The request rate limit has been reached\. Try again in 60 min\.$/);
      return true;
    });
  });

  it('does not retry a POST unless marked idempotent', async () => {
    const { client } = make();
    await assert.rejects(client.post('/v1/post-503', { a: 1 }), TransientError);
    assert.equal(counters.get('/v1/post-503'), 1);
    await assert.rejects(client.post('/v1/post-503', { a: 1 }, { idempotent: true }), TransientError);
    assert.equal(counters.get('/v1/post-503'), 6); // 1 + the default 5 attempts
  });

  it('maps statuses to typed errors with the API\'s words and provider hints', async () => {
    const { client } = make({ hints: { 401: 'Check the key ID and issuer ID, or generate a new key in Users and Access → Integrations.' } });
    await assert.rejects(client.get('/v1/401'), (e) => {
      assert.ok(e instanceof AuthError);
      assert.equal(e.message, 'App Store Connect rejected the credentials (401): Provide a properly configured and signed bearer token. Check the key ID and issuer ID, or generate a new key in Users and Access → Integrations.');
      assert.equal(e.endpoint, 'GET /v1/401');
      return true;
    });
    await assert.rejects(client.get('/v1/403'), (e) => e instanceof AuthError && e.status === 403 && e.details?.[0] === 'Unauthorized');
    await assert.rejects(client.get('/v1/404'), (e) => e instanceof NotFoundError && /could not find GET \/v1\/404 \(404\): not found\./.test(e.message));
    await assert.rejects(client.get('/v1/406'), (e) => e instanceof ProtocolError && /unexpected status \(406\): Not Acceptable: use application\/a-gzip/.test(e.message));
    await assert.rejects(client.get('/v1/409'), (e) => {
      assert.ok(e instanceof ValidationError);
      assert.deepEqual(e.details, ['Submit for review errors found.', 'Screenshots are required.', 'You must provide a value for usesNonExemptEncryption.']);
      assert.deepEqual(e.fieldErrors, { usesNonExemptEncryption: ['You must provide a value for usesNonExemptEncryption.'] });
      return true;
    });
    await assert.rejects(client.get('/v1/html'), (e) => e instanceof ProtocolError && /not valid JSON \(text\/html/.test(e.message));
  });

  it('uses the provider errorMapper first, also for errors inside a 200', async () => {
    const seen: ErrorContext[] = [];
    const { client } = make({
      provider: 'iTunes Connect',
      errorMapper: (ctx) => {
        seen.push(ctx);
        const body = ctx.json() as { statusCode?: string } | undefined;
        if (body?.statusCode === 'ERROR') return new ValidationError({ provider: ctx.provider, status: ctx.status, endpoint: ctx.endpoint, ...extractErrorDetails(body) });
        return undefined;
      },
    });
    await assert.rejects(client.get('/v1/envelope-error'), (e) => e instanceof ValidationError && /iTunes Connect rejected the request \(200\): The app name you entered is already being used\./.test(e.message));
    await assert.rejects(client.get('/v1/404'), NotFoundError, 'falls back to the default mapping');
    assert.ok(seen.length >= 2);
  });

  it('feeds every response to onResponse and the limiter (X-Rate-Limit)', async () => {
    const clock = new ManualClock(Date.now());
    const limiter = new AppStoreConnectRateLimiter({ clock });
    const seen: number[] = [];
    const { client } = make({ rateLimiter: limiter, onResponse: (r) => seen.push(r.status) });
    await client.get('/v1/apps');
    assert.deepEqual(seen, [200]);
    assert.deepEqual(limiter.status().find((w) => w.name === 'hour'), { name: 'hour', limit: 1000, used: 100, windowMs: 3_600_000 });
  });

  it('fails before sending when the daily budget is used up', async () => {
    const clock = new ManualClock(Date.now());
    const store = new MemoryBudgetStore();
    const limiter = createAppsFlyerLimiter({ store, key: 'k', clock });
    await store.set('appdesk.budget.appsflyer.k', Array.from({ length: 100 }, (_, i) => clock.now() - 3_600_000 + i));
    const { client } = make({ provider: 'AppsFlyer', rateLimiter: limiter, clock });
    const n = server.requests.length;
    await assert.rejects(client.get('/v1/apps'), (e) => {
      assert.ok(e instanceof RateLimitError);
      assert.equal(e.retryAt?.getTime(), clock.now() - 3_600_000 + 86_400_000);
      assert.match(e.message, /^AppsFlyer request budget is used up \(per day\)\. AppDesk has not sent the request\. Try again after /);
      return true;
    });
    assert.equal(server.requests.length, n, 'nothing sent');
  });

  it('refuses to send credentials to another origin; allows it with auth: false', async () => {
    const { client, authCalls } = make();
    await assert.rejects(client.get(other.url('/x')), (e) => e instanceof ProtocolError && /Refused to send App Store Connect credentials to 127\.0\.0\.1:\d+/.test(e.message));
    assert.equal(other.requests.length, 0);
    assert.deepEqual(await client.get(other.url('/x'), { auth: false }), { elsewhere: true });
    assert.equal(other.requests.at(-1)?.headers.authorization, undefined);
    assert.deepEqual(authCalls, []);
  });

  it('strips auth headers (even custom ones) on a cross-origin redirect', async () => {
    const { client } = make({ provider: 'AppTweak', auth: () => ({ 'x-apptweak-key': 'secret-key', cookie: undefined }) });
    assert.deepEqual(await client.get('/v1/to-other'), { elsewhere: true });
    assert.equal(other.requests.at(-1)?.headers['x-apptweak-key'], undefined);
    assert.equal(server.requests.at(-1)?.headers['x-apptweak-key'], 'secret-key');
  });

  it('revalidates with ETag and serves the cached body on 304', async () => {
    const cache = new HttpCache();
    const { client } = make({ cache, cacheKey: 'acct-1' });
    const first = await client.request('GET', '/v1/etag');
    assert.equal(first.fromCache, false);
    const second = await client.request('GET', '/v1/etag');
    assert.equal(second.fromCache, true);
    assert.equal(second.status, 200);
    assert.deepEqual(second.json(), { version: 1 });
    assert.deepEqual(await client.get('/v1/etag'), { version: 1 });
    assert.equal(server.requests.at(-1)?.headers['if-none-match'], '"v1"');
    assert.equal(counters.get('/v1/etag'), 3);
    // Another account does not share the entry.
    const { client: otherAccount } = make({ cache, cacheKey: 'acct-2' });
    await otherAccount.get('/v1/etag');
    assert.equal(server.requests.at(-1)?.headers['if-none-match'], undefined);
  });

  it('serves from cache without a request while max-age holds; revalidate/false bypass it', async () => {
    const clock = new ManualClock(Date.now());
    const cache = new HttpCache({ clock });
    const { client } = make({ cache, cacheKey: 'a' });
    assert.deepEqual(await client.get('/v1/maxage'), { n: 1 });
    assert.deepEqual(await client.get('/v1/maxage'), { n: 1 });
    assert.equal(counters.get('/v1/maxage'), 1);
    assert.deepEqual(await client.get('/v1/maxage', { cache: 'revalidate' }), { n: 2 });
    assert.deepEqual(await client.get('/v1/maxage', { cache: false }), { n: 3 });
    await clock.advance(61_000);
    assert.deepEqual(await client.get('/v1/maxage'), { n: 4 });
  });

  it('sends JSON, form and raw bodies; 204 gives undefined', async () => {
    const { client } = make();
    assert.deepEqual(await client.post('/v1/echo', { data: { type: 'betaTesters' } }), {
      method: 'POST',
      body: '{"data":{"type":"betaTesters"}}',
      contentType: 'application/json',
      auth: 'Bearer token-1',
      accept: 'application/json',
    });
    const form = await client.request('POST', '/v1/echo', { form: { 'record[feedback][feedback]': 'hi & bye' } });
    assert.equal((form.json() as { body: string }).body, 'record%5Bfeedback%5D%5Bfeedback%5D=hi+%26+bye');
    const patched = await client.patch<{ method: string; body: string; contentType: string }>('/v1/echo', undefined, { body: 'raw', contentType: 'text/plain' });
    assert.deepEqual([patched.method, patched.body, patched.contentType], ['PATCH', 'raw', 'text/plain']);
    assert.equal(await client.delete('/v1/empty'), undefined);
  });

  it('returns raw bytes for gzip reports', async () => {
    const { client } = make();
    const bytes = await client.getBytes('/v1/salesReports', { accept: 'application/a-gzip', query: { 'filter[frequency]': 'DAILY' } });
    assert.equal(zlib.gunzipSync(bytes).toString(), 'Provider\tSKU\n');
    assert.equal(server.requests.at(-1)?.headers.accept, 'application/a-gzip');
  });

  it('returns a manual redirect as success when asked (legacy login)', async () => {
    const { client } = make({ provider: 'iTunes Connect' });
    const res = await client.request('POST', '/login', { json: { accountName: 'a', password: 'p' }, redirect: 'manual', okStatus: [302] });
    assert.equal(res.status, 302);
    assert.deepEqual(res.setCookie, ['myacinfo=abc']);
    await assert.rejects(client.request('POST', '/login', { redirect: 'manual' }), ProtocolError);
  });

  it('is cancellable', async () => {
    const { client } = make();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    await assert.rejects(client.get('/v1/slow', { signal: ac.signal }), CancelledError);
  });

  it('pages through links.next with followLinksNext', async () => {
    const { client } = make();
    const pages = followLinksNext('/v1/pages', (url, signal) => client.get<{ data: number[]; links: { next: string | null } }>(url, { signal }), { apiOrigin: client.baseUrl.href, provider: client.provider });
    assert.deepEqual(await collect(pages, (p) => p.data), [1, 2, 3]);
  });

  it('logs retries through the logger', async () => {
    const logger = new MemoryLogger();
    const { client } = make({ logger });
    await client.get('/v1/flaky');
    assert.equal(logger.entries.filter((e) => /retrying GET \/v1\/flaky/.test(String(e.msg))).length, 2);
  });
});

describe('defaultErrorFor / extractErrorDetails', () => {
  const ctx = (status: number, body: unknown, headers: Record<string, string> = {}): ErrorContext => {
    const buf = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    return {
      provider: 'P',
      method: 'GET',
      url: 'https://x/y',
      endpoint: 'GET /y',
      status,
      headers: { 'content-type': 'application/json', ...headers },
      body: buf,
      text: () => buf.toString(),
      json: () => {
        try {
          return JSON.parse(buf.toString()) as unknown;
        } catch {
          return undefined;
        }
      },
    };
  };

  it('classifies statuses', () => {
    assert.ok(defaultErrorFor(ctx(400, '"Bad request"')) instanceof ValidationError);
    assert.ok(defaultErrorFor(ctx(422, { errors: { email: ['is invalid'] } })) instanceof ValidationError);
    assert.ok(defaultErrorFor(ctx(410, {})) instanceof NotFoundError);
    assert.ok(defaultErrorFor(ctx(502, 'Could not process this request')) instanceof TransientError);
    const rl = defaultErrorFor(ctx(429, '"Too many requests"', { 'retry-after': '30' }), {}, 1_000);
    assert.ok(rl instanceof RateLimitError);
    assert.equal(rl.retryAt?.getTime(), 31_000);
    const t = defaultErrorFor(ctx(503, '', { 'retry-after': '5' }), {}, 0);
    assert.equal(t.retryAt?.getTime(), 5000);
    assert.equal(defaultErrorFor(ctx(401, {}), { auth: 'Reconnect.' }).hint, 'Reconnect.');
    assert.equal(defaultErrorFor(ctx(401, {}), { auth: 'Reconnect.', 401: 'New token.' }).hint, 'New token.');
  });

  it('extracts details from each provider\'s error shape', () => {
    assert.deepEqual(extractErrorDetails('Unauthorized'), { details: ['Unauthorized'], fieldErrors: {} });
    assert.deepEqual(extractErrorDetails({ error: 'not authorized' }), { details: ['not authorized'], fieldErrors: {} });
    assert.deepEqual(extractErrorDetails({ error: { message: 'bad key' } }), { details: ['bad key'], fieldErrors: {} });
    assert.deepEqual(extractErrorDetails({ message: 'Invalid token' }), { details: ['Invalid token'], fieldErrors: {} });
    assert.deepEqual(extractErrorDetails({ errors: { email: ['is invalid', 'is taken'] } }), {
      details: ['email is invalid', 'email is taken'],
      fieldErrors: { email: ['is invalid', 'is taken'] },
    });
    assert.deepEqual(extractErrorDetails({ errors: [{ title: 'T', source: { parameter: 'filter[app]' } }] }), { details: ['T'], fieldErrors: { 'filter[app]': ['T'] } });
    assert.deepEqual(extractErrorDetails(null), { details: [], fieldErrors: {} });
    assert.deepEqual(extractErrorDetails([1, 2]), { details: [], fieldErrors: {} });
  });
});
