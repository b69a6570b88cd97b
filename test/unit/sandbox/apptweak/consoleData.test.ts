// The AppTweak Console Data (Integrations) emulator, over HTTP against the real sandbox server.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../../../sandbox/server';
import type { AppTweakAccount, AppTweakEmulator, AppTweakProduct } from '../../../../sandbox/apptweak';

interface Creds { token: string; emptyToken: string; baseUrl: string }
interface Accounts { content: AppTweakAccount[]; metadata: { request: { path: string; params: Record<string, string> }; performed_at: string } }
interface Products {
  content: Record<string, AppTweakProduct>;
  metadata: { request: { path: string; params: Record<string, string>; performed_at: string }; content: Record<string, never> };
}
interface ErrorBody { error: string; message: string }

const API = '/api/public/integrations';
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function call(sb: Sandbox, path: string, headers: Record<string, string> = {}, method = 'GET') {
  const res = await fetch(`${sb.baseUrl('/apptweak')}${path}`, { method, headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as unknown };
}

describe('AppTweak Console Data emulator', () => {
  let sb: Sandbox;
  let creds: Creds;
  const key = () => ({ 'x-apptweak-key': creds.token });

  before(async () => {
    sb = await startSandbox();
    creds = sb.credentials().apptweak as unknown as Creds;
  });
  after(async () => { await sb.close(); });
  beforeEach(() => { sb.reset(); });

  it('rejects a missing or wrong key with 401 UnknownTokenError', async () => {
    for (const headers of [{}, { 'x-apptweak-key': 'nope' }, { authorization: `Bearer ${creds.token}` }] as Record<string, string>[]) {
      const r = await call(sb, `${API}/accounts`, headers);
      assert.equal(r.status, 401);
      const body = r.json() as ErrorBody;
      assert.equal(body.error, 'UnknownTokenError');
      assert.match(body.message, /x-apptweak-key/);
    }
  });

  it('accepts the key header in any case (X-Apptweak-Key, x-apptweak-key)', async () => {
    assert.equal((await call(sb, `${API}/accounts`, { 'X-Apptweak-Key': creds.token })).status, 200);
    assert.equal((await call(sb, `${API}/accounts`, { 'X-APPTWEAK-KEY': creds.token })).status, 200);
  });

  it('lists integrated accounts with every store and status, including shared integrations', async () => {
    const r = await call(sb, `${API}/accounts`, key());
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /application\/json/);
    const body = r.json() as Accounts;
    assert.deepEqual(body.metadata.request, { path: '/takeout/integrations', params: {} });
    assert.ok(!Number.isNaN(Date.parse(body.metadata.performed_at)));
    for (const a of body.content) {
      assert.deepEqual(Object.keys(a).sort(), ['api_account_id', 'last_status', 'login', 'store']);
      assert.match(a.api_account_id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
    const statuses = new Set(body.content.map((a) => a.last_status));
    for (const s of ['OK', '2_FACTOR_AUTH', 'ERROR', 'INACTIVE', 'INVALID_CREDENTIALS']) assert.ok(statuses.has(s as AppTweakAccount['last_status']), s);
    const stores = new Set(body.content.filter((a) => a.last_status === 'OK').map((a) => a.store));
    assert.deepEqual([...stores].sort(), ['google-play-console', 'google-play-reports', 'itunes-connect']);
    const logins = new Set(body.content.map((a) => a.login.split('@')[1]));
    assert.ok(logins.size >= 2, 'a shared integration comes from another user');
  });

  it('lists no integrations for a valid key without any', async () => {
    const r = await call(sb, `${API}/accounts`, { 'x-apptweak-key': creds.emptyToken });
    assert.equal(r.status, 200);
    assert.deepEqual((r.json() as Accounts).content, []);
  });

  it('lists the apps of an iOS integration keyed by store id, in the seed\'s shape', async () => {
    const accounts = (await call(sb, `${API}/accounts`, key())).json() as Accounts;
    const ios = accounts.content.find((a) => a.store === 'itunes-connect' && a.last_status === 'OK')!;
    const r = await call(sb, `${API}/accounts/products?api_account_id=${ios.api_account_id}`, key());
    assert.equal(r.status, 200);
    const body = r.json() as Products;
    const ids = Object.keys(body.content);
    assert.ok(ids.length >= 2);
    for (const id of ids) {
      assert.match(id, /^\d+$/);
      const app = body.content[id]!;
      assert.deepEqual(Object.keys(app), ['name', 'icon', 'developer', 'sku', 'in_apps', 'countries', 'devices', 'permissions']);
      assert.equal(typeof app.sku, 'number');
      assert.deepEqual(app.in_apps, {});
      assert.ok(app.countries.every((c) => /^[A-Z]{2}$/.test(c)));
      assert.ok(app.devices!.every((d) => ['iphone', 'ipad', 'desktop'].includes(d)));
      assert.ok(app.permissions!.length > 0);
      assert.ok(app.icon.startsWith(`${sb.origin}/apptweak/`));
    }
    assert.deepEqual(body.metadata.request.params, { id: ios.api_account_id, format: 'json' });
    assert.equal(body.metadata.request.path, `/accounts/${ios.api_account_id}/products.json`);
    assert.match(body.metadata.request.performed_at, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
    assert.deepEqual(body.metadata.content, {});

    const icon = await fetch(body.content[ids[0]!]!.icon);
    assert.equal(icon.status, 200);
    assert.equal(icon.headers.get('content-type'), 'image/png');
    assert.deepEqual([...new Uint8Array(await icon.arrayBuffer()).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  });

  it('lists Google Play apps by package name without the iOS-only fields', async () => {
    const accounts = (await call(sb, `${API}/accounts`, key())).json() as Accounts;
    const gp = accounts.content.find((a) => a.store === 'google-play-console' && a.last_status === 'OK')!;
    const body = (await call(sb, `${API}/accounts/products?api_account_id=${gp.api_account_id}`, key())).json() as Products;
    for (const [id, app] of Object.entries(body.content)) {
      assert.match(id, /^[a-z]+(\.[a-z0-9]+)+$/);
      assert.deepEqual(Object.keys(app), ['name', 'icon', 'in_apps', 'countries']);
    }
  });

  it('lists no apps for an INACTIVE integration, and the last-synced apps for other failing ones', async () => {
    const accounts = (await call(sb, `${API}/accounts`, key())).json() as Accounts;
    const products = async (status: string) => {
      const a = accounts.content.find((x) => x.last_status === status)!;
      return ((await call(sb, `${API}/accounts/products?api_account_id=${a.api_account_id}`, key())).json() as Products).content;
    };
    assert.deepEqual(await products('INACTIVE'), {});
    assert.ok(Object.keys(await products('2_FACTOR_AUTH')).length > 0);
  });

  it('includes a hostile app name, verbatim, to exercise escaping', async () => {
    const accounts = (await call(sb, `${API}/accounts`, key())).json() as Accounts;
    const names: string[] = [];
    for (const a of accounts.content) {
      const body = (await call(sb, `${API}/accounts/products?api_account_id=${a.api_account_id}`, key())).json() as Products;
      names.push(...Object.values(body.content).map((p) => p.name));
    }
    assert.ok(names.some((n) => n.includes('<') && n.includes('&') && n.includes('"')));
  });

  it('answers 400 without api_account_id and 403 for an integration the key does not own', async () => {
    const missing = await call(sb, `${API}/accounts/products`, key());
    assert.equal(missing.status, 400);
    assert.equal((missing.json() as ErrorBody).error, 'MissingParameterError');
    const unknown = await call(sb, `${API}/accounts/products?api_account_id=00000000-0000-4000-8000-000000000000`, key());
    assert.equal(unknown.status, 403);
    assert.equal((unknown.json() as ErrorBody).error, 'UserNotAuthForRessourceError');
    const accounts = (await call(sb, `${API}/accounts`, key())).json() as Accounts;
    const notMine = await call(sb, `${API}/accounts/products?api_account_id=${accounts.content[0]!.api_account_id}`, { 'x-apptweak-key': creds.emptyToken });
    assert.equal(notMine.status, 403);
  });

  it('answers 404 for unknown paths and other methods', async () => {
    assert.equal((await call(sb, `${API}/nothing`, key())).status, 404);
    assert.equal((await call(sb, `${API}/accounts`, key(), 'POST')).status, 404);
  });
});

describe('AppTweak rate limit (60 requests / 10 s per key)', () => {
  it('answers 429 past 60 requests in 10 seconds, and again once the window has passed', async () => {
    // 1 real second = 10 scaled seconds.
    const sb = await startSandbox({ clockScale: 10 });
    try {
      const { token, emptyToken } = sb.credentials().apptweak as unknown as Creds;
      const em = sb.emulators.find((e) => e.prefix === '/apptweak') as AppTweakEmulator;
      for (let i = 0; i < 60; i++) assert.equal((await call(sb, `${API}/accounts`, { 'x-apptweak-key': token })).status, 200, `request ${i + 1}`);
      const r = await call(sb, `${API}/accounts`, { 'x-apptweak-key': token });
      assert.equal(r.status, 429);
      assert.equal((r.json() as ErrorBody).error, 'TooManyRequestsError');
      assert.equal(em.rateLimit.count(token), 60);
      assert.equal((await call(sb, `${API}/accounts`, { 'x-apptweak-key': emptyToken })).status, 200, 'limits are per key');
      await sleep(1100);
      assert.equal((await call(sb, `${API}/accounts`, { 'x-apptweak-key': token })).status, 200);
    } finally {
      await sb.close();
    }
  });
});
