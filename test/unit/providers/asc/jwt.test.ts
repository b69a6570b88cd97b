import * as assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { describe, it } from 'node:test';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { ManualClock } from '../../../../src/core/clock';
import { TokenSource } from '../../../../src/providers/asc/jwt';
import { parsePrivateKey } from '../../../../src/providers/asc/keys';
import { DEMO_ISSUER_ID, DEMO_TEAM_KEY } from '../../../../sandbox/asc/keys';
import { LUMEN, app, ascRequests, connect, fixture, useHarness, type Harness } from './helpers';

describe('asc JWT', () => {
  let h: Harness;
  useHarness((started) => (h = started), { reset: false });

  it('signs ES256 team tokens: kid + typ header, iss, aud, iat one minute back, exp within 20 minutes', async () => {
    const { conn } = connect(h);
    const token = await conn.tokens.get();
    const header = decodeProtectedHeader(token);
    assert.deepEqual(header, { alg: 'ES256', kid: 'DEMOKEY123', typ: 'JWT' });
    const claims = decodeJwt(token);
    assert.equal(claims.iss, DEMO_ISSUER_ID);
    assert.equal(claims.sub, undefined);
    assert.equal(claims.aud, 'appstoreconnect-v1');
    const now = Date.now() / 1000;
    assert.ok(Math.abs(claims.iat! - (now - 60)) < 5, `iat ${claims.iat} vs now ${now}`);
    assert.ok(claims.exp! - claims.iat! <= 1200);
    assert.ok(claims.exp! > now + 10 * 60);
    // A real signature over the key (64-byte r||s, as JWS requires).
    const pub = createPublicKey(DEMO_TEAM_KEY.privateKey);
    await jwtVerify(token, pub, { audience: 'appstoreconnect-v1', issuer: DEMO_ISSUER_ID });
    assert.equal(Buffer.from(token.split('.')[2]!, 'base64url').length, 64);
    conn.dispose();
  });

  it('signs individual-key tokens with sub "user" and no iss, which the sandbox accepts', async () => {
    const { conn } = connect(h, { individual: true });
    const claims = decodeJwt(await conn.tokens.get());
    assert.equal(claims.sub, 'user');
    assert.equal(claims.iss, undefined);
    assert.equal(claims.aud, 'appstoreconnect-v1');
    await conn.verify();
    const apps = await conn.listApps({});
    assert.ok(apps.items.some((a) => a.id === LUMEN));
    conn.dispose();
  });

  it('reuses a token until a minute before it expires, then signs a new one', async () => {
    const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
    const { key } = parsePrivateKey(DEMO_TEAM_KEY.privateKey);
    const src = new TokenSource({ keyId: 'DEMOKEY123', issuerId: DEMO_ISSUER_ID, loadKey: async () => key, clock });
    const [a, b] = await Promise.all([src.get(), src.get()]);
    assert.equal(a, b);
    assert.equal(src.signed, 1);
    await clock.advance(16 * 60_000);
    assert.equal(await src.get(), a);
    await clock.advance(60_000); // 17 min: exp (18 min after now at signing) is within the last minute
    const c = await src.get();
    assert.notEqual(c, a);
    assert.equal(src.signed, 2);
    src.invalidate();
    await src.get();
    assert.equal(src.signed, 3);
  });

  it('signs with the SEC1 key of the fastlane fixtures once the sandbox trusts it', async () => {
    h.emulator.registerKey('FASTLANE01', fixture('asc_key.p8'), '061966a2-5f3c-4185-af13-70e66d2263f5');
    const { conn } = connect(h, { keyId: 'FASTLANE01', issuerId: '061966a2-5f3c-4185-af13-70e66d2263f5', privateKey: fixture('asc_key.p8') });
    await conn.verify();
    conn.dispose();
    h.emulator.unregisterKey('FASTLANE01');
  });

  it('drops the token after a 401 and retries once with a fresh one', async () => {
    const { conn } = connect(h);
    await conn.verify();
    const signed = conn.tokens.signed;
    h.sandbox.addFault({ prefix: '/asc', kind: 'status', status: 401, headers: { 'content-type': 'application/json' }, body: { errors: [{ status: '401', code: 'NOT_AUTHORIZED', title: 'Authentication credentials are missing or invalid.' }] } });
    const from = h.sandbox.requests().length;
    const versions = await conn.services.metadata.listVersions(app(LUMEN));
    assert.ok(versions.length >= 3);
    assert.equal(conn.tokens.signed, signed + 1);
    assert.deepEqual(ascRequests(h, from).map((r) => r.status), [401, 200]);
    conn.dispose();
  });

  it('gives up after the second 401 with the key hint', async () => {
    const { conn } = connect(h);
    h.sandbox.addFault({ prefix: '/asc', kind: 'status', status: 401, times: 2, headers: { 'content-type': 'application/json' }, body: { errors: [{ status: '401', code: 'NOT_AUTHORIZED', title: 'Authentication credentials are missing or invalid.', detail: 'Provide a properly configured and signed bearer token.' }] } });
    await assert.rejects(conn.verify(), (e: Error & { kind?: string; details?: string[] }) => {
      assert.equal(e.kind, 'auth');
      assert.deepEqual(e.details, ['Provide a properly configured and signed bearer token.']);
      assert.match(e.message, /Check the key ID and issuer ID, or generate a new key in App Store Connect → Users and Access → Integrations/);
      return true;
    });
    conn.dispose();
  });

  it('fails with an AuthError asking to reconnect when the stored key is missing', async () => {
    const { conn } = connect(h);
    // Replace the secret store's content by connecting with an empty key.
    const { conn: broken } = connect(h, { privateKey: '' });
    await assert.rejects(broken.verify(), (e: Error & { kind?: string }) => e.kind === 'auth' && /private key .* missing/.test(e.message) && /Reconnect/.test(e.message));
    const { conn: junk } = connect(h, { privateKey: 'not a key' });
    await assert.rejects(junk.verify(), (e: Error & { kind?: string }) => e.kind === 'auth' && /not usable/.test(e.message));
    conn.dispose();
    broken.dispose();
    junk.dispose();
  });
});
