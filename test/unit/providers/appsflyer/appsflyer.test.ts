// The AppsFlyer provider against the real sandbox: every page, each status of the vendor's table explained, a
// malformed token refused at entry, and the 20/min + 100/day budget persisted and never exceeded.
import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sandbox } from '../../../../sandbox/server';
import type { AppsFlyerEmulator } from '../../../../sandbox/appsflyer';
import { MemoryLogger } from '../../../../src/core/logger';
import { appsFlyerProvider, APPSFLYER_SECRET, validateToken } from '../../../../src/providers/appsflyer';
import { budgetKeys } from '../../../../src/providers/appsflyer/budget';
import type { AccountConfig, Connection, StateStore } from '../../../../src/providers/types';
import { cli, connectAccount, rejects, useSandbox } from '../support';

interface Creds { token: string; protectOnlyToken: string; revokedToken: string; baseUrl: string }

/** A StateStore over shared data: each call is a new store object, as after a reload or in a new process. */
function stateOver(data: Map<string, unknown>): StateStore {
  return {
    get: async <T>(k: string) => structuredClone(data.get(k)) as T | undefined,
    set: async <T>(k: string, v: T) => {
      data.set(k, structuredClone(v));
    },
  };
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
/** JWT-shaped, 700+ characters, but not a token AppsFlyer issued. */
const FORGED = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'nobody', iat: 1774000000, pad: 'x'.repeat(600) })}.${'s'.repeat(43)}`;

describe('AppsFlyer provider', () => {
  let sb: Sandbox;
  let creds: Creds;
  const emulator = () => sb.emulators.find((e) => e.prefix === '/appsflyer') as AppsFlyerEmulator;
  const appRequests = () => sb.requests().filter((r) => r.path.startsWith('/appsflyer/'));

  const { track } = useSandbox((s) => {
    sb = s;
    creds = sb.credentials().appsflyer as unknown as Creds;
  }, { options: { appsflyerApps: 2500 }, reset: false });

  function connect(opts: { token?: string; capability?: string; state?: StateStore; logger?: MemoryLogger } = {}): Connection {
    const account: AccountConfig = {
      id: 'af1', providerId: 'appsflyer', label: 'AppsFlyer', baseUrl: creds.baseUrl, settings: { capability: opts.capability ?? 'protect_360' },
    };
    return track(connectAccount(appsFlyerProvider, account, { [APPSFLYER_SECRET]: opts.token ?? creds.token }, { logger: opts.logger, state: opts.state ?? stateOver(new Map()) }).conn);
  }

  beforeEach(() => {
    sb.options.appsflyerApps = 2500;
    sb.reset();
  });

  it('lists every app of a capability across pages of 1,000 (offsets in parallel once the total is known)', async () => {
    const logger = new MemoryLogger();
    const conn = connect({ logger });
    const page = await conn.listApps({});
    const expected = emulator().seededApps().filter((a) => a.capabilities.includes('protect_360')).map((a) => a.id);
    assert.equal(expected.length, 1667);
    assert.deepEqual(page.items.map((a) => a.id).sort(), [...expected].sort());
    assert.equal(page.next, undefined);
    assert.deepEqual(appRequests().map((r) => new URL(r.path, sb.origin).searchParams.get('offset')).sort(), ['0', '1000']);
    assert.ok(appRequests().every((r) => /limit=1000/.test(r.path) && /capabilities=protect_360/.test(r.path)));
    const ios = page.items.find((a) => a.platform === 'ios')!;
    assert.match(ios.id, /^id\d+$/);
    assert.equal(ios.storeId, ios.id.slice(2));
    const android = page.items.find((a) => a.platform === 'android')!;
    assert.equal(android.bundleId, android.id);
    assert.ok(!logger.text().includes(creds.token), 'the token is never logged');

    // The list is reused for a few minutes instead of spending budget again.
    await conn.listApps({});
    assert.equal(appRequests().length, 2);
  });

  it('fetches 4 pages for 5,000 apps and the cost capability separately', async () => {
    sb.options.appsflyerApps = 5000;
    const protect = await connect().listApps({});
    assert.equal(protect.items.length, 3334);
    assert.equal(appRequests().length, 4);
    const cost = await connect({ capability: 'cost' }).listApps({});
    assert.equal(cost.items.length, emulator().seededApps().filter((a) => a.capabilities.includes('cost')).length);
  });

  it('follows links.next when the total is missing, and refuses a next link to another origin', async () => {
    const next = `${creds.baseUrl}/api/mng/apps?capabilities=protect_360&offset=1000&limit=1000`;
    const three = [{ id: 'com.a.one', type: 'app', attributes: { name: 'One', platform: 'android', currency: 'USD', time_zone: 'UTC' } }];
    sb.addFault({ prefix: '/appsflyer', kind: 'status', status: 200, body: { data: three, links: { next } } });
    const followed = await connect().listApps({});
    assert.equal(followed.items.length, 1 + 667);
    assert.equal(appRequests().length, 2);

    sb.reset();
    sb.addFault({ prefix: '/appsflyer', kind: 'status', status: 200, body: { data: three, links: { next: 'https://evil.example.com/api/mng/apps?offset=1000' } } });
    const e = await rejects(connect().listApps({}));
    assert.equal(e.kind, 'protocol');
    assert.match(e.message, /next-page link to another server \(evil\.example\.com\)/);
    assert.equal(appRequests().length, 1);
  });

  it('400 with an empty JSON body: illegal capability', async () => {
    const e = await rejects(connect({ capability: 'bogus' }).listApps({}));
    assert.equal(e.kind, 'validation');
    assert.equal(e.status, 400);
    assert.match(e.message, /^AppsFlyer does not accept the capability "bogus" \(400\)/);
    assert.match(e.hint, /protect_360.*cost/);
    assert.deepEqual(e.fieldErrors, { capability: ['"bogus" is not a legal capability'] });
  });

  it('401: malformed token, with the March 2026 revocation hint', async () => {
    const e = await rejects(connect({ token: FORGED }).listApps({}));
    assert.equal(e.kind, 'auth');
    assert.equal(e.status, 401);
    assert.match(e.message, /^AppsFlyer rejected the token as malformed \(401\): Unauthorized\./);
    assert.match(e.hint, /700\+ characters/);
    assert.match(e.hint, /before March 10, 2026, 19:00 UTC/);
    assert.match(e.hint, /Security Center/);
  });

  it('404: no apps with that capability (or network), and a revoked token said as such', async () => {
    const none = await rejects(connect({ token: creds.protectOnlyToken, capability: 'cost' }).listApps({}));
    assert.equal(none.kind, 'notFound');
    assert.equal(none.status, 404);
    assert.match(none.message, /^AppsFlyer found no apps with the Cost \(InCost\) capability for this token \(404\)/);
    assert.match(none.hint, /try the other capability/);
    assert.match(none.hint, /allowlisted/);
    assert.match(none.hint, /most recently issued token/);

    const revoked = await rejects(connect({ token: creds.revokedToken }).listApps({}));
    assert.equal(revoked.kind, 'auth');
    assert.match(revoked.message, /issued before March 10, 2026, 19:00 UTC and has been revoked/);
  });

  it('429: explained, and never retried (a retry would spend budget)', async () => {
    sb.addFault({ prefix: '/appsflyer', kind: 'status', status: 429, body: '"Too many requests"', headers: { 'content-type': 'application/json' }, times: 3 });
    const e = await rejects(connect().listApps({}));
    assert.equal(e.kind, 'rateLimit');
    assert.equal(e.status, 429);
    assert.match(e.message, /too many requests \(429\)/);
    assert.match(e.hint, /20 requests a minute and 100 a day/);
    assert.ok(e.retryAt);
    assert.equal(appRequests().length, 1);
  });

  it('an empty 200 means the token did not arrive in the Bearer header', async () => {
    sb.addFault({ prefix: '/appsflyer', kind: 'status', status: 200, body: { data: [], meta: { total_items: 0 }, links: { self: `${creds.baseUrl}/api/mng/apps` } } });
    const e = await rejects(connect().listApps({}));
    assert.equal(e.kind, 'auth');
    assert.match(e.message, /no data \(200\).*"Authorization: Bearer" header/);
    assert.match(e.hint, /proxy/);
  });

  it('refuses malformed tokens at entry (and from the environment) without sending anything', () => {
    const field = appsFlyerProvider.credentialFields.find((f) => f.key === APPSFLYER_SECRET)!;
    assert.equal(field.secret, true);
    assert.equal(field.kind, 'password');
    assert.equal(field.validate!(creds.token), undefined);
    assert.match(field.validate!('abc123') ?? '', /700\+ characters; this one has 6/);
    assert.match(field.validate!(`Bearer ${creds.token}`) ?? '', /without "Bearer "/);
    assert.match(field.validate!('a'.repeat(800)) ?? '', /should be a JWT/);
    assert.match(field.validate!(`${b64({ nope: 1 })}.${'a'.repeat(700)}.sig`) ?? '', /not a JWT header/);
    assert.match(validateToken(creds.revokedToken) ?? '', /issued on 2025-03-10.*revoked/);
    const capability = appsFlyerProvider.credentialFields.find((f) => f.key === 'capability')!;
    assert.equal(capability.kind, 'choice');
    assert.equal(capability.secret, false);
    assert.deepEqual(capability.choices?.map((c) => c.value), ['protect_360', 'cost']);
    assert.match(capability.validate!('everything') ?? '', /one of protect_360, cost/);

    assert.throws(() => appsFlyerProvider.fromEnvironment!({ APPSFLYER_TOKEN: 'short' }, () => '', {}), /not a usable API V2 token/);
    assert.throws(() => appsFlyerProvider.fromEnvironment!({ APPSFLYER_TOKEN: creds.token }, () => '', { capability: 'x' }), /capability/);
    assert.deepEqual(appsFlyerProvider.fromEnvironment!({ APPSFLYER_TOKEN: creds.token, APPSFLYER_CAPABILITY: 'cost' }, () => '', {})?.settings, { capability: 'cost' });
    assert.deepEqual(appsFlyerProvider.fromEnvironment!({ APPSFLYER_TOKEN: creds.token, APPSFLYER_CAPABILITY: 'cost' }, () => '', { capability: 'protect_360' })?.settings, { capability: 'protect_360' });
    assert.equal(appRequests().length, 0);
  });

  it('persists the daily budget: a second connection over the same StateStore continues the count', async () => {
    const data = new Map<string, unknown>();
    const first = connect({ state: stateOver(data) });
    const before = Date.now();
    await first.listApps({});
    first.dispose?.();
    const second = connect({ state: stateOver(data) });
    const b = await second.budget!();
    assert.equal(b?.label, 'AppsFlyer requests today');
    assert.equal(b?.limit, 100);
    assert.equal(b?.remaining, 98);
    assert.ok(b?.resetsAt && b.resetsAt.getTime() >= before + 86_400_000 && b.resetsAt.getTime() <= Date.now() + 86_400_000);
    await second.verify();
    assert.equal((await second.budget!())?.remaining, 97);
    assert.equal((data.get(budgetKeys(creds.token).day) as number[]).length, 3);
  });

  it('refuses a refresh that would exceed 100 a day, WITHOUT sending it, and says when it can run', async () => {
    const data = new Map<string, unknown>();
    const keys = budgetKeys(creds.token);
    const oldest = Date.now() - 3 * 3_600_000;
    data.set(keys.day, Array.from({ length: 98 }, (_, i) => oldest + i * 1000));
    // 98 used + 2 pages = 100: allowed.
    const c1 = connect({ state: stateOver(data) });
    assert.equal((await c1.listApps({})).items.length, 1667);
    assert.equal(appRequests().length, 2);
    assert.equal((await c1.budget!())?.remaining, 0);

    // A new connection (a reload): nothing is sent.
    const e = await rejects(connect({ state: stateOver(data) }).listApps({}));
    assert.equal(e.kind, 'rateLimit');
    assert.match(e.message, /daily request budget is used up.*needs 2 requests and 0 of 100 are left/);
    assert.match(e.hint, /has not sent the request/);
    assert.equal(e.retryAt?.getTime(), oldest + 1000 + 86_400_000);
    assert.equal(appRequests().length, 2);

    // One left but the last listing needed two pages: refused up front too.
    data.set(keys.day, Array.from({ length: 99 }, (_, i) => oldest + i * 1000));
    data.delete(keys.minute);
    const e2 = await rejects(connect({ state: stateOver(data) }).listApps({}));
    assert.match(e2.message, /needs 2 requests and 1 of 100 are left/);
    assert.equal(e2.retryAt?.getTime(), oldest + 86_400_000);
    assert.equal(appRequests().length, 2);
  });

  it('keeps to 20 a minute across connections: a full persisted minute makes the next request wait', async () => {
    const data = new Map<string, unknown>();
    const keys = budgetKeys(creds.token);
    const t = Date.now() - 59_000;
    data.set(keys.minute, Array.from({ length: 20 }, (_, i) => t + i));
    data.set(keys.day, Array.from({ length: 20 }, (_, i) => t + i));
    const started = Date.now();
    await connect({ state: stateOver(data) }).verify();
    assert.ok(Date.now() - started >= 900, `waited ${Date.now() - started} ms`);
    assert.equal(appRequests().length, 1);
  });

  it('defines demo accounts, labels and environment variables', () => {
    assert.equal(appsFlyerProvider.id, 'appsflyer');
    assert.equal(appsFlyerProvider.icon, 'pulse');
    assert.equal(appsFlyerProvider.defaultBaseUrl, 'https://hq1.appsflyer.com');
    assert.deepEqual(appsFlyerProvider.demoAccounts!(sb.credentials().appsflyer!), [
      { label: 'Demo AppsFlyer', settings: { capability: 'protect_360' }, secrets: { token: creds.token } },
    ]);
    assert.equal(appsFlyerProvider.accountLabel({ capability: 'cost' }), 'AppsFlyer (Cost (InCost))');
    assert.deepEqual(appsFlyerProvider.environmentVariables, ['APPSFLYER_TOKEN']);
  });

  it('CLI: apps [--capability] lists every app, budget shows what is left; the count survives between runs', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'appdesk-af-'));
    try {
      const env = { APPSFLYER_TOKEN: creds.token, XDG_STATE_HOME: stateDir };
      const apps = await cli(['--provider', 'appsflyer', '--base-url', creds.baseUrl, '--json', 'apps'], env);
      assert.equal(apps.code, 0, apps.err);
      assert.equal((JSON.parse(apps.out) as unknown[]).length, 1667);

      const cost = await cli(['--provider', 'appsflyer', '--base-url', creds.baseUrl, '--json', 'apps', '--capability', 'cost'], env);
      assert.equal(cost.code, 0, cost.err);
      assert.equal((JSON.parse(cost.out) as unknown[]).length, emulator().seededApps().filter((a) => a.capabilities.includes('cost')).length);

      const budget = await cli(['--provider', 'appsflyer', '--base-url', creds.baseUrl, '--json', 'budget'], env);
      assert.equal(budget.code, 0, budget.err);
      const b = JSON.parse(budget.out) as { remaining: number; limit: number; resetsAt: string };
      assert.equal(b.limit, 100);
      assert.equal(b.remaining, 96);
      assert.ok(!Number.isNaN(Date.parse(b.resetsAt)));
      const text = await cli(['--provider', 'appsflyer', '--base-url', creds.baseUrl, 'budget'], env);
      assert.match(text.out, /^96 of 100 AppsFlyer requests left/);
      assert.match(text.out, /ages out at \d{4}-\d\d-\d\d \d\d:\d\d/);

      const bad = await cli(['--provider', 'appsflyer', '--base-url', creds.baseUrl, 'apps', '--capability', 'everything'], env);
      assert.equal(bad.code, 1);
      assert.match(bad.err, /capability must be one of protect_360, cost/);
      const malformed = await cli(['--provider', 'appsflyer', '--base-url', creds.baseUrl, 'apps'], { ...env, APPSFLYER_TOKEN: 'not-a-token' });
      assert.equal(malformed.code, 1);
      assert.match(malformed.err, /700\+ characters/);
      assert.equal(appRequests().length, 4);
      assert.ok(![apps, cost, budget, bad, malformed].some((r) => r.err.includes(creds.token)));
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});

describe('peekTotal', () => {
  it('reads meta.total_items off the end of a raw page, and is not fooled by an app name', async () => {
    const { peekTotal } = await import('../../../../src/providers/appsflyer/api');
    const page = (name: string, total: number) =>
      Buffer.from(JSON.stringify({ data: [{ id: 'com.a', type: 'app', attributes: { name } }], meta: { total_items: total }, links: { self: 'https://hq1.appsflyer.com/api/mng/apps?offset=0' } }));
    assert.equal(peekTotal(page('One', 5000)), 5000);
    // A name that spells the same text is escaped in the raw JSON, so only the real meta matches.
    assert.equal(peekTotal(page('"meta":{"total_items":99999}', 12)), 12);
    assert.equal(peekTotal(Buffer.from(JSON.stringify({ meta: { total_items: 7 } }) + ' '.repeat(3000))), undefined, 'only the end is read');
    assert.equal(peekTotal(Buffer.from('{"data":[]}')), undefined);
  });
});
