import * as assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { ConfigError } from '../../../../src/core/errors';
import { ascProvider, normalizePrivateKey, parseApiKeyJson, parsePrivateKey, validateIssuerId, validateKeyId, validatePrivateKey } from '../../../../src/providers/asc';
import { DEMO_ISSUER_ID, DEMO_TEAM_KEY, DEMO_VENDOR_NUMBER } from '../../../../sandbox/asc/keys';
import { fixture } from './helpers';

const field = (key: string) => ascProvider.credentialFields.find((f) => f.key === key)!;

describe('asc keys', () => {
  it('accepts a PKCS#8 .p8 key as Apple issues it', () => {
    assert.equal(validatePrivateKey(DEMO_TEAM_KEY.privateKey), undefined);
    assert.equal(field('privateKey').validate!(DEMO_TEAM_KEY.privateKey), undefined);
    const { key, pem } = parsePrivateKey(DEMO_TEAM_KEY.privateKey);
    assert.equal(key.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.match(pem, /^-----BEGIN PRIVATE KEY-----\n/);
  });

  it('accepts the SEC1 key of the fastlane fixtures and converts it to PKCS#8', () => {
    const sec1 = fixture('asc_key.p8');
    assert.match(sec1, /BEGIN EC PRIVATE KEY/);
    assert.equal(validatePrivateKey(sec1), undefined);
    const pem = normalizePrivateKey(sec1);
    assert.match(pem, /^-----BEGIN PRIVATE KEY-----/);
    // Same key material.
    const a = createPrivateKey(sec1).export({ format: 'jwk' });
    const b = createPrivateKey(pem).export({ format: 'jwk' });
    assert.deepEqual(a, b);
  });

  it('accepts CRLF line ends, a BOM, literal \\n escapes and a bare base64 body', () => {
    const k = DEMO_TEAM_KEY.privateKey;
    assert.equal(validatePrivateKey(`\uFEFF${k.replace(/\n/g, '\r\n')}`), undefined);
    assert.equal(validatePrivateKey(k.replace(/\n/g, '\\n')), undefined);
    const body = k.replace(/-----[A-Z ]+-----/g, '').replace(/\s/g, '');
    assert.equal(validatePrivateKey(body), undefined);
  });

  it('refuses a malformed key with a message naming App Store Connect and what to do', () => {
    for (const bad of ['', 'hello', '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----']) {
      const msg = validatePrivateKey(bad);
      assert.ok(msg, `refused: ${JSON.stringify(bad)}`);
      assert.match(msg, /App Store Connect/);
      assert.match(msg, /Users and Access → Integrations/);
    }
  });

  it('refuses RSA and P-384 keys, public keys and encrypted keys', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    assert.match(validatePrivateKey(rsa)!, /RSA key; App Store Connect API keys are EC P-256/);
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    assert.match(validatePrivateKey(p384)!, /curve secp384r1; App Store Connect API keys use P-256/);
    const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const pub = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    assert.match(validatePrivateKey(pub)!, /public key/);
    const enc = pair.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x' }).toString();
    assert.match(validatePrivateKey(enc)!, /encrypted/);
    assert.throws(() => parsePrivateKey(rsa), ConfigError);
  });

  it('checks the issuer ID (UUID or empty) and the key ID (10 uppercase alphanumerics)', () => {
    assert.equal(validateIssuerId(''), undefined);
    assert.equal(validateIssuerId('57246542-96fe-1a63-e053-0824d011072a'), undefined);
    assert.match(validateIssuerId('57246542')!, /UUID/);
    assert.equal(validateKeyId('2X9R4HXF34'), undefined);
    assert.match(validateKeyId('2x9r4hxf34')!, /uppercase, e\.g\. 2X9R4HXF34/);
    assert.match(validateKeyId('D485S484')!, /10 uppercase letters and digits/);
    assert.equal(field('keyId').validate!('DEMOKEY123'), undefined);
    assert.ok(field('issuerId').validate!('nope'));
  });

  it('reads fastlane API key JSON into settings and secrets', () => {
    const team = JSON.parse(fixture('asc_key.json')) as { key_id: string; issuer_id: string; key: string };
    // fastlane's dummy key ID is 8 characters: refused like any malformed key ID.
    assert.throws(() => parseApiKeyJson(fixture('asc_key.json')), (e: unknown) => e instanceof ConfigError && /key ID/.test(e.message));
    const acc = parseApiKeyJson(JSON.stringify({ ...team, key_id: 'D485S48412' }));
    assert.deepEqual(acc.settings, { keyId: 'D485S48412', issuerId: '061966a2-5f3c-4185-af13-70e66d2263f5' });
    assert.match(acc.secrets.privateKey!, /^-----BEGIN PRIVATE KEY-----/);
    assert.match(acc.label, /team key D485S48412/);

    const indiv = JSON.parse(fixture('asc_individual_key.json')) as Record<string, unknown>;
    const ind = parseApiKeyJson(JSON.stringify({ ...indiv, key_id: 'D485S48412' }));
    assert.deepEqual(ind.settings, { keyId: 'D485S48412' });
    assert.match(ind.label, /individual key/);

    const house = parseApiKeyJson(JSON.stringify({ ...team, key_id: 'D485S48412', in_house: true }));
    assert.equal(house.settings.inHouse, 'true');

    const b64 = parseApiKeyJson(JSON.stringify({ key_id: 'D485S48412', key: Buffer.from(team.key).toString('base64'), is_key_content_base64: true }));
    assert.match(b64.secrets.privateKey!, /BEGIN PRIVATE KEY/);

    assert.throws(() => parseApiKeyJson('{nope'), /not valid JSON/);
    assert.throws(() => parseApiKeyJson('{"key_id":"D485S48412"}'), /no "key"/);
    assert.throws(() => parseApiKeyJson(JSON.stringify({ key_id: 'D485S48412', key: 'junk' })), /App Store Connect/);
  });

  it('reads the CLI environment: key + issuer + path, individual keys, fastlane JSON, and says what is missing', () => {
    const files: Record<string, string> = { '/k.p8': DEMO_TEAM_KEY.privateKey, '/k.json': JSON.stringify({ key_id: 'DEMOKEY123', issuer_id: DEMO_ISSUER_ID, key: DEMO_TEAM_KEY.privateKey }) };
    const readFile = (p: string) => {
      const f = files[p];
      if (f === undefined) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
      return f;
    };
    const env = ascProvider.fromEnvironment!;
    assert.equal(env({}, readFile), undefined);
    const team = env({ ASC_KEY_ID: 'DEMOKEY123', ASC_ISSUER_ID: DEMO_ISSUER_ID, ASC_PRIVATE_KEY_PATH: '/k.p8', ASC_VENDOR_NUMBER: DEMO_VENDOR_NUMBER }, readFile)!;
    assert.deepEqual(team.settings, { keyId: 'DEMOKEY123', issuerId: DEMO_ISSUER_ID, vendorNumber: DEMO_VENDOR_NUMBER });
    assert.ok(team.secrets.privateKey);
    const individual = env({ ASC_KEY_ID: 'DEMOKEY123', ASC_PRIVATE_KEY_PATH: '/k.p8' }, readFile)!;
    assert.equal(individual.settings.issuerId, undefined);
    const json = env({ ASC_API_KEY_PATH: '/k.json' }, readFile)!;
    assert.equal(json.settings.keyId, 'DEMOKEY123');
    const inline = env({ ASC_KEY_ID: 'DEMOKEY123', ASC_PRIVATE_KEY: DEMO_TEAM_KEY.privateKey.replace(/\n/g, '\\n') }, readFile)!;
    assert.ok(inline.secrets.privateKey);
    assert.throws(() => env({ ASC_KEY_ID: 'DEMOKEY123' }, readFile), /ASC_PRIVATE_KEY_PATH/);
    assert.throws(() => env({ ASC_PRIVATE_KEY_PATH: '/k.p8' }, readFile), /ASC_KEY_ID/);
    assert.throws(() => env({ ASC_KEY_ID: 'DEMOKEY123', ASC_PRIVATE_KEY_PATH: '/missing.p8' }, readFile), /Could not read ASC_PRIVATE_KEY_PATH \(\/missing\.p8\): ENOENT/);
    assert.deepEqual([...ascProvider.environmentVariables!].slice(0, 3), ['ASC_KEY_ID', 'ASC_ISSUER_ID', 'ASC_PRIVATE_KEY_PATH']);
  });

  it('turns the sandbox credentials into one demo team-key account', () => {
    const accounts = ascProvider.demoAccounts!({
      baseUrl: 'http://127.0.0.1:1/asc',
      keyId: DEMO_TEAM_KEY.keyId,
      issuerId: DEMO_ISSUER_ID,
      privateKey: DEMO_TEAM_KEY.privateKey,
      individual: { keyId: 'DEMOINDIV1', privateKey: 'x' },
      vendorNumber: DEMO_VENDOR_NUMBER,
    });
    assert.equal(accounts.length, 1);
    assert.equal(accounts[0]!.label, 'Demo App Store Connect');
    assert.deepEqual(accounts[0]!.settings, { keyId: DEMO_TEAM_KEY.keyId, issuerId: DEMO_ISSUER_ID, vendorNumber: DEMO_VENDOR_NUMBER });
    assert.deepEqual(ascProvider.demoAccounts!({}), []);
    assert.equal(ascProvider.accountLabel({ keyId: 'DEMOKEY123', issuerId: DEMO_ISSUER_ID }), 'App Store Connect (team key DEMOKEY123)');
  });

  it('offers fastlane\'s API key JSON as an importer for Add Account', () => {
    const importer = ascProvider.importers?.[0];
    assert.ok(importer);
    assert.deepEqual(importer.filters, { 'API key JSON': ['json'] });
    const acc = importer.parse(JSON.stringify({ key_id: 'DEMOKEY123', issuer_id: DEMO_ISSUER_ID, key: DEMO_TEAM_KEY.privateKey }));
    assert.deepEqual(acc.settings, { keyId: 'DEMOKEY123', issuerId: DEMO_ISSUER_ID });
    assert.throws(() => importer.parse('[]'), /no "key_id"/);
  });
});
