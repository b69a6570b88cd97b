// The AppTweak provider against the real sandbox: integrations as groups (every last_status with its tone and
// hint), apps per integration, typed errors, no key in the log, demo accounts, and the CLI.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Sandbox } from '../../../../sandbox/server';
import { MemoryLogger } from '../../../../src/core/logger';
import { appTweakProvider, APPTWEAK_SECRET, validateApiKey } from '../../../../src/providers/apptweak';
import type { Connection } from '../../../../src/providers/types';
import { cli, connectAccount, rejects, useSandbox } from '../support';

interface Creds { token: string; emptyToken: string; baseUrl: string }

function connect(baseUrl: string, key: string, logger = new MemoryLogger()): { conn: Connection; logger: MemoryLogger } {
  return connectAccount(appTweakProvider, { id: 'acc1', providerId: 'apptweak', label: 'AppTweak', baseUrl, settings: {} }, { [APPTWEAK_SECRET]: key }, { logger });
}

describe('AppTweak provider', () => {
  let sb: Sandbox;
  let creds: Creds;
  const { track } = useSandbox((started) => {
    sb = started;
    creds = sb.credentials().apptweak as unknown as Creds;
  });
  const conn = (key = creds.token, baseUrl = creds.baseUrl) => {
    const c = connect(baseUrl, key);
    track(c.conn);
    return c;
  };

  it('lists integrations (own and shared) as groups with a tone and a hint per last_status', async () => {
    const { conn: c } = conn();
    assert.ok(c.capabilities.has('groups'));
    const page = await c.listGroups!({});
    assert.equal(page.items.length, 8);
    assert.equal(page.next, undefined);
    const byStatus = (s: string) => page.items.filter((g) => g.data?.last_status === s);

    for (const g of byStatus('OK')) {
      assert.equal(g.tone, 'ok');
      assert.match(g.tooltip ?? '', /Syncing normally/);
    }
    const [twoFa] = byStatus('2_FACTOR_AUTH');
    assert.equal(twoFa?.tone, 'warning');
    assert.equal(twoFa?.label, 'legacy-admin@northwind-apps.com');
    assert.equal(twoFa?.description, 'App Store Connect');
    assert.match(twoFa?.tooltip ?? '', /Re-enter the two-factor code in AppTweak → Integrations/);
    const [error] = byStatus('ERROR');
    assert.equal(error?.tone, 'error');
    assert.equal(error?.description, 'Google Play Console');
    assert.match(error?.tooltip ?? '', /Reconnect it in AppTweak → Integrations/);
    const [inactive] = byStatus('INACTIVE');
    assert.equal(inactive?.tone, 'warning');
    assert.match(inactive?.tooltip ?? '', /inactive.*Reactivate it in AppTweak → Integrations/s);
    const [invalid] = byStatus('INVALID_CREDENTIALS');
    assert.equal(invalid?.tone, 'error');
    assert.equal(invalid?.description, 'Google Play Reports');
    assert.match(invalid?.tooltip ?? '', /Google Play Reports rejected the credentials.*Update them in AppTweak → Integrations/s);

    // The integration shared by a partner studio is listed like the others.
    const shared = page.items.find((g) => g.label === 'aso@blueharbor-studio.com');
    assert.deepEqual(shared?.data, {
      api_account_id: '5f8d1e36-2b9c-47a0-8e5f-c3a6d0b9e712', store: 'itunes-connect', last_status: 'OK', login: 'aso@blueharbor-studio.com',
    });
    assert.equal(shared?.id, '5f8d1e36-2b9c-47a0-8e5f-c3a6d0b9e712');
    assert.ok(page.items.every((g) => g.expandable && g.icon));
  });

  it('lists the apps of one integration with developer, SKU, countries, devices and permissions', async () => {
    const { conn: c } = conn();
    const ios = await c.listApps({ groupId: '762bba71-6613-4680-a0da-c4e8de90368b' });
    assert.deepEqual(ios.items.map((a) => a.name).sort(), ['Northwind Trails', 'Northwind Trails Pro', 'Summit Log — Hiking Journal']);
    const trails = ios.items.find((a) => a.storeId === '1459214871')!;
    assert.equal(trails.id, '762bba71-6613-4680-a0da-c4e8de90368b/1459214871');
    assert.equal(trails.groupId, '762bba71-6613-4680-a0da-c4e8de90368b');
    assert.equal(trails.platform, 'ios');
    assert.equal(trails.iconUrl, `${creds.baseUrl}/icons/1459214871.png`);
    assert.match(trails.description ?? '', /Northwind Apps Ltd · SKU 20190417 · US, GB, FR, DE, BE · iphone, ipad/);
    assert.deepEqual(trails.data?.permissions, ['VIEW REVIEWS', 'REPLY REVIEWS', 'VIEW ANALYTICS']);
    assert.deepEqual(trails.data?.devices, ['iphone', 'ipad']);
    assert.equal(trails.data?.sku, 20190417);

    const android = await c.listApps({ groupId: '8555cca4-2fbb-401e-893d-41fc9230cdc5' });
    assert.deepEqual(android.items.map((a) => a.bundleId).sort(), ['com.northwind.trails', 'com.northwind.trails.pro']);
    assert.ok(android.items.every((a) => a.platform === 'android' && a.storeId === undefined));

    // Strings from the API pass through untouched (escaping is the UI's job).
    const shared = await c.listApps({ groupId: '5f8d1e36-2b9c-47a0-8e5f-c3a6d0b9e712' });
    assert.ok(shared.items.some((a) => a.name === 'Tom & Jerry\'s "Best" <Puzzle> Club'));

    // An inactive integration lists no apps.
    assert.deepEqual((await c.listApps({ groupId: '0d6a2f84-7c1b-4e39-a5d2-96f3e8b1c7a0' })).items, []);
  });

  it('lists the apps of every integration without a group, with ids unique per account', async () => {
    const { conn: c } = conn();
    const all = await c.listApps({});
    assert.equal(all.items.length, 12);
    assert.equal(new Set(all.items.map((a) => a.id)).size, all.items.length);
    // com.northwind.trails belongs to two integrations.
    assert.equal(all.items.filter((a) => a.bundleId === 'com.northwind.trails').length, 2);
  });

  it('sends the key as x-apptweak-key and never logs it', async () => {
    const { conn: c, logger } = conn();
    await c.verify();
    await c.listApps({ groupId: '762bba71-6613-4680-a0da-c4e8de90368b' });
    assert.ok(logger.entries.length > 0, 'requests are logged');
    assert.ok(!logger.text().includes(creds.token), 'the key is redacted');
    // The integration list from verify is reused for the group's apps: accounts + products.
    assert.equal(sb.requests().filter((r) => r.path.startsWith('/apptweak/')).length, 2);
  });

  it('turns a bad key into an AuthError that says where to get one', async () => {
    const { conn: c } = conn('ATwrongwrongwrongwrongwrong1');
    const e = await rejects(c.verify());
    assert.equal(e.kind, 'auth');
    assert.equal(e.status, 401);
    assert.match(e.message, /^AppTweak did not accept the API token \(401\)/);
    assert.match(e.message, /Unknown API token/);
    assert.match(e.hint, /API dashboard/);
    assert.equal(e.endpoint, 'GET /apptweak/api/public/integrations/accounts');
  });

  it('explains an integration the key cannot read (403)', async () => {
    const { conn: c } = conn();
    const e = await rejects(c.listApps({ groupId: '00000000-0000-4000-8000-000000000000' }));
    assert.equal(e.kind, 'auth');
    assert.equal(e.status, 403);
    assert.match(e.message, /denied access to this integration/);
    assert.match(e.message, /not authorized to access integration/);
  });

  it('a key with no integrations lists none', async () => {
    const { conn: c } = conn(creds.emptyToken);
    assert.deepEqual((await c.listGroups!({})).items, []);
  });

  it('refuses a malformed response with a ProtocolError naming AppTweak and the endpoint', async () => {
    const { conn: c } = conn();
    sb.addFault({ prefix: '/apptweak', pathIncludes: '/accounts', kind: 'status', status: 200, body: { content: [{ login: 'x', api_account_id: 7 }] } });
    const e = await rejects(c.listGroups!({}));
    assert.equal(e.kind, 'protocol');
    assert.match(e.message, /^AppTweak returned an unexpected response for GET \/apptweak\/api\/public\/integrations\/accounts: content\[0\]\.api_account_id: expected string, got number/);
  });

  it('accepts the full API root or the emulator prefix as base URL; production by default', async () => {
    const { conn: full } = conn(creds.token, `${creds.baseUrl}/api/public/integrations/`);
    assert.equal((await full.listGroups!({})).items.length, 8);
    assert.equal(appTweakProvider.defaultBaseUrl, 'https://public-api.apptweak.com/api/public/integrations');
  });

  it('defines fields, validation, demo accounts and environment credentials', () => {
    assert.equal(appTweakProvider.id, 'apptweak');
    assert.equal(appTweakProvider.label, 'AppTweak');
    assert.deepEqual(appTweakProvider.secretKeys, [APPTWEAK_SECRET]);
    const field = appTweakProvider.credentialFields[0]!;
    assert.equal(field.kind, 'password');
    assert.equal(field.secret, true);
    assert.equal(validateApiKey(creds.token), undefined);
    assert.match(validateApiKey('short') ?? '', /longer/);
    assert.match(validateApiKey('abc def ghi jkl mno pqr') ?? '', /no spaces/);
    assert.deepEqual(appTweakProvider.demoAccounts!(sb.credentials().apptweak!), [{ label: 'Demo AppTweak', settings: {}, secrets: { apiKey: creds.token } }]);
    assert.equal(appTweakProvider.fromEnvironment!({}, () => '', {}), undefined);
    assert.deepEqual(appTweakProvider.fromEnvironment!({ APPTWEAK_API_KEY: ' k3y ' }, () => '', {})?.secrets, { apiKey: 'k3y' });
    assert.deepEqual(appTweakProvider.environmentVariables, ['APPTWEAK_API_KEY']);
  });

  it('CLI: accounts and apps [--account] with APPTWEAK_API_KEY, --base-url and --json', async () => {
    const env = { APPTWEAK_API_KEY: creds.token };
    const accounts = await cli(['--provider', 'apptweak', '--base-url', creds.baseUrl, '--json', 'accounts'], env);
    assert.equal(accounts.code, 0, accounts.err);
    assert.equal((JSON.parse(accounts.out) as unknown[]).length, 8);

    const apps = await cli(['--provider', 'apptweak', '--base-url', `${creds.baseUrl}/api/public/integrations`, '--json', 'apps'], env);
    assert.equal(apps.code, 0, apps.err);
    assert.equal((JSON.parse(apps.out) as unknown[]).length, 12);

    const one = await cli(['--provider', 'apptweak', '--base-url', creds.baseUrl, 'apps', '--account', '8555cca4-2fbb-401e-893d-41fc9230cdc5'], env);
    assert.equal(one.code, 0, one.err);
    assert.equal(one.out.split('\n').length, 2);
    assert.match(one.out, /com\.northwind\.trails\.pro/);
    assert.ok(!one.err.includes(creds.token));

    const bad = await cli(['--provider', 'apptweak', '--base-url', creds.baseUrl, 'accounts'], { APPTWEAK_API_KEY: 'ATwrongwrongwrongwrongwrong1' });
    assert.equal(bad.code, 1);
    assert.match(bad.err, /AppTweak did not accept the API token/);
  });
});
