// Authentication and rate limiting of the App Store Connect emulator, exercised over HTTP like a real client.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { startAsc, sign, type AscHarness, type SignOptions } from './helpers';

let h: AscHarness;
before(async () => { h = await startAsc(); });
after(async () => { await h.close(); });
beforeEach(() => { h.sandbox.reset(); });

const APPLE_401 = {
  status: '401',
  code: 'NOT_AUTHORIZED',
  title: 'Authentication credentials are missing or invalid.',
  detail: 'Provide a properly configured and signed bearer token, and make sure that it has not expired. Learn more about Generating Tokens for API Requests https://developer.apple.com/go/?id=api-generating-tokens',
};

async function expect401(auth: string | null, why: RegExp): Promise<void> {
  const { status, body, res } = await h.json('/v1/apps', { auth });
  assert.equal(status, 401);
  assert.equal(body.errors.length, 1);
  const { id, ...rest } = body.errors[0];
  assert.match(id, /^[0-9a-f-]{36}$/);
  assert.deepEqual(rest, APPLE_401);
  assert.match(res.headers.get('x-rate-limit') ?? '', /^user-hour-lim:3600;user-hour-rem:\d+;$/);
  assert.match(res.headers.get('x-sandbox-auth-error') ?? '', why);
}

const team = (opts: SignOptions = {}, claims: Record<string, unknown> = {}) =>
  sign(h.creds.privateKey, { iss: h.creds.issuerId, aud: 'appstoreconnect-v1', ...claims }, { kid: h.creds.keyId, ...opts });

test('a valid team-key token passes and every response carries x-rate-limit', async () => {
  const { status, body, res } = await h.json('/v1/apps', { auth: await team() });
  assert.equal(status, 200);
  assert.ok(body.data.length > 0);
  assert.equal(res.headers.get('x-rate-limit'), 'user-hour-lim:3600;user-hour-rem:3599;');
  const second = await h.json('/v1/apps', { auth: await team() });
  assert.equal(second.res.headers.get('x-rate-limit'), 'user-hour-lim:3600;user-hour-rem:3598;');
});

test('a valid individual-key token (sub "user", no iss) passes', async () => {
  const ind = h.creds.individual;
  const token = await sign(ind.privateKey, { sub: 'user', aud: 'appstoreconnect-v1' }, { kid: ind.keyId });
  const { status } = await h.json('/v1/apps', { auth: token });
  assert.equal(status, 200);
});

test('a token issued 60 s in the past (fastlane style) with 20 minutes lifetime passes', async () => {
  const { status } = await h.json('/v1/apps', { auth: await team({ iatOffset: -60, lifetime: 1200 }) });
  assert.equal(status, 200);
});

test('missing Authorization header → 401', async () => { await expect401(null, /missing/); });
test('non-JWT bearer → 401', async () => { await expect401('not-a-jwt', /compact/); });

test('wrong signature (another key under the demo kid) → 401', async () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  await expect401(await sign(pem, { iss: h.creds.issuerId, aud: 'appstoreconnect-v1' }, { kid: h.creds.keyId }), /signature/);
});

test('tampered payload → 401', async () => {
  const [hd, , sig] = (await team()).split('.');
  const payload = Buffer.from(JSON.stringify({ iss: h.creds.issuerId, aud: 'appstoreconnect-v1', admin: true, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url');
  await expect401(`${hd}.${payload}.${sig}`, /signature/);
});

test('DER-encoded ECDSA signature (the classic bug) → 401', async () => {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const input = `${enc({ alg: 'ES256', kid: h.creds.keyId, typ: 'JWT' })}.${enc({ iss: h.creds.issuerId, aud: 'appstoreconnect-v1', iat: now, exp: now + 600 })}`;
  const der = createSign('sha256').update(input).sign(h.creds.privateKey);
  await expect401(`${input}.${der.toString('base64url')}`, /64 bytes/);
});

test('wrong aud → 401', async () => { await expect401(await team({}, { aud: 'appstoreconnect-v2' }), /aud/); });
test('wrong iss for the team key → 401', async () => { await expect401(await team({}, { iss: '00000000-0000-0000-0000-000000000000' }), /iss/); });
test('team token without iss → 401', async () => { await expect401(await team({ omit: ['iss'] }), /iss/); });
test('lifetime over 20 minutes → 401', async () => { await expect401(await team({ lifetime: 1201 }), /lifetime/); });
test('iat in the future → 401', async () => { await expect401(await team({ iatOffset: 120 }), /future/); });
test('expired token → 401', async () => { await expect401(await team({ iatOffset: -1300, lifetime: 1200 }), /expired/); });
test('missing exp → 401', async () => { await expect401(await team({ omit: ['exp'] }), /exp/); });
test('unknown kid → 401', async () => { await expect401(await team({ kid: 'NOPE123456' }), /unknown key/); });
test('alg other than ES256 → 401', async () => {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  await expect401(`${enc({ alg: 'none', kid: h.creds.keyId })}.${enc({ iss: h.creds.issuerId, aud: 'appstoreconnect-v1', iat: now, exp: now + 60 })}.`, /alg/);
});

test('individual key with iss, or without sub "user" → 401', async () => {
  const ind = h.creds.individual;
  await expect401(await sign(ind.privateKey, { sub: 'user', iss: h.creds.issuerId, aud: 'appstoreconnect-v1' }, { kid: ind.keyId }), /iss/);
  await expect401(await sign(ind.privateKey, { aud: 'appstoreconnect-v1' }, { kid: ind.keyId }), /sub/);
});

test('scope: matching GET passes (limit/cursor/sort ignored), anything else → 401', async () => {
  const scoped = await team({}, { scope: ['GET /v1/apps?filter[bundleId]=com.lumenlabs.notes'] });
  assert.equal((await h.json('/v1/apps?filter[bundleId]=com.lumenlabs.notes&limit=5', { auth: scoped })).status, 200);
  await expect401(scoped, /scope/);
});

test('long-lived tokens are only accepted for GET-only scopes on metrics', async () => {
  const long = await team({ lifetime: 30 * 24 * 3600 }, { scope: ['GET /v1/apps/1581234567/perfPowerMetrics'] });
  const res = await h.call('/v1/apps/1581234567/perfPowerMetrics', { auth: long });
  assert.equal(res.status, 200);
  await expect401(await team({ lifetime: 30 * 24 * 3600 }, { scope: ['GET /v1/apps'] }), /lifetime/);
});

test('registerKey accepts an extra key, including fastlane\'s SEC1 .p8', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  h.asc.registerKey('TESTKEY001', publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'issuer-test');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const token = await sign(pem, { iss: 'issuer-test', aud: 'appstoreconnect-v1' }, { kid: 'TESTKEY001' });
  assert.equal((await h.json('/v1/apps', { auth: token })).status, 200);
  h.asc.unregisterKey('TESTKEY001');
  await expect401(token, /unknown key/);

  // Apple hands out PKCS#8, but fastlane's fixtures (and some tools) use SEC1 `BEGIN EC PRIVATE KEY`.
  const sec1 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
  h.asc.registerKey('SEC1KEY001', sec1.export({ type: 'sec1', format: 'pem' }).toString(), 'issuer-sec1');
  const t = await sign(sec1.export({ type: 'pkcs8', format: 'pem' }).toString(), { iss: 'issuer-sec1', aud: 'appstoreconnect-v1' }, { kid: 'SEC1KEY001' });
  assert.equal((await h.json('/v1/apps', { auth: t })).status, 200);
});
