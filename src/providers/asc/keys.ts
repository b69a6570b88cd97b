// App Store Connect API keys: local checks of the key ID, issuer ID and the .p8 private key, and fastlane's
// `{key_id, issuer_id, key, in_house}` JSON key file. Nothing here talks to the network.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { ConfigError } from '../../core/errors';
import type { NewAccount } from '../types';

export const PROVIDER = 'App Store Connect';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEY_ID = /^[A-Z0-9]{10}$/;
const WHERE = 'App Store Connect → Users and Access → Integrations';

/** Undefined when the issuer ID is fine (empty means an individual key). */
export function validateIssuerId(value: string): string | undefined {
  const v = value.trim();
  if (v === '' || UUID.test(v)) return undefined;
  return `The issuer ID is a UUID like 57246542-96fe-1a63-e053-0824d011072a, shown above the team keys in ${WHERE}. Leave it empty for an individual key.`;
}

export function validateKeyId(value: string): string | undefined {
  const v = value.trim();
  if (KEY_ID.test(v)) return undefined;
  if (KEY_ID.test(v.toUpperCase())) return `The key ID is written in uppercase, e.g. ${v.toUpperCase()}.`;
  return `The key ID is 10 uppercase letters and digits, e.g. 2X9R4HXF34 (the AuthKey_<key ID>.p8 file name and ${WHERE} show it).`;
}

export interface ParsedKey {
  /** PKCS#8 PEM (what Apple's .p8 contains), whatever form was given. */
  pem: string;
  key: KeyObject;
}

/**
 * Parses an App Store Connect private key: PKCS#8 (`BEGIN PRIVATE KEY`, Apple's .p8), SEC1 (`BEGIN EC PRIVATE KEY`,
 * fastlane's fixtures and `openssl ecparam` output) or a bare base64 body; `\n` escapes (from JSON or CI variables)
 * are accepted. Throws ConfigError naming what is wrong and what to do; the key must be EC P-256.
 */
export function parsePrivateKey(text: string): ParsedKey {
  const fail = (summary: string, hint = `Use the AuthKey_<key ID>.p8 file downloaded from ${WHERE}; if it is lost, revoke the key there and generate a new one.`) =>
    new ConfigError({ provider: PROVIDER, summary, hint });
  let t = text.replace(/^\uFEFF/, '').trim();
  if (!t) throw fail('The App Store Connect private key is empty');
  if (!t.includes('\n') && t.includes('\\n')) t = t.replace(/\\r/g, '').replace(/\\n/g, '\n').trim();
  t = t.replace(/\r\n?/g, '\n');
  if (/-----BEGIN (?:RSA )?PUBLIC KEY-----|-----BEGIN CERTIFICATE-----/.test(t)) {
    throw fail('This is a public key or certificate, not the App Store Connect private key');
  }
  if (t.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----')) {
    throw fail('This private key is encrypted with a passphrase; App Store Connect .p8 keys are not', `Decrypt it (openssl pkcs8 -in key.p8 -out AuthKey.p8) or use the original .p8 file from ${WHERE}.`);
  }
  if (!t.includes('-----BEGIN')) {
    const body = t.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw fail('This is not an App Store Connect private key (expected the text of a .p8 file, starting with -----BEGIN PRIVATE KEY-----)');
    t = `-----BEGIN PRIVATE KEY-----\n${body.replace(/(.{64})/g, '$1\n').trim()}\n-----END PRIVATE KEY-----`;
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: t, format: 'pem' });
  } catch {
    throw fail('This is not a readable App Store Connect private key (the PEM text is damaged or incomplete)');
  }
  if (key.asymmetricKeyType !== 'ec') {
    throw fail(`This is an ${String(key.asymmetricKeyType).toUpperCase()} key; App Store Connect API keys are EC P-256 (ES256) keys`);
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve !== 'prime256v1') {
    throw fail(`This EC key uses the curve ${curve ?? 'unknown'}; App Store Connect API keys use P-256 (ES256)`);
  }
  const pem = String(key.export({ type: 'pkcs8', format: 'pem' }));
  return { pem, key };
}

/** For CredentialField.validate: undefined when the key is usable, else a message saying what to do. */
export function validatePrivateKey(text: string): string | undefined {
  try {
    parsePrivateKey(text);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** The PKCS#8 PEM of any accepted form (SEC1 is converted); throws ConfigError when invalid. */
export function normalizePrivateKey(text: string): string {
  return parsePrivateKey(text).pem;
}

export interface AscSettings {
  keyId: string;
  /** Empty for an individual key. */
  issuerId: string;
  /** Enterprise (in-house) key: other audience and host. */
  inHouse: boolean;
  vendorNumber?: string;
}

export function readSettings(settings: Record<string, string>): AscSettings {
  return {
    keyId: (settings.keyId ?? '').trim(),
    issuerId: (settings.issuerId ?? '').trim(),
    inHouse: settings.inHouse === 'true',
    ...(settings.vendorNumber?.trim() && { vendorNumber: settings.vendorNumber.trim() }),
  };
}

export function accountLabel(settings: Record<string, string>): string {
  const s = readSettings(settings);
  return `App Store Connect (${s.issuerId ? 'team' : 'individual'} key ${s.keyId || '?'})`;
}

/** Builds a NewAccount from parts, validating each; throws ConfigError with every problem found. */
export function makeAccount(parts: { keyId: string; issuerId?: string; privateKey: string; inHouse?: boolean; vendorNumber?: string; label?: string }): NewAccount {
  const problems = [validateKeyId(parts.keyId), validateIssuerId(parts.issuerId ?? '')].filter((p): p is string => !!p);
  let pem = '';
  try {
    pem = normalizePrivateKey(parts.privateKey);
  } catch (e) {
    problems.push(e instanceof Error ? e.message : String(e));
  }
  if (problems.length) {
    throw new ConfigError({ provider: PROVIDER, summary: 'The App Store Connect API key is not usable', details: problems, hint: `Check the values against ${WHERE}.` });
  }
  const settings: Record<string, string> = { keyId: parts.keyId.trim() };
  if (parts.issuerId?.trim()) settings.issuerId = parts.issuerId.trim();
  if (parts.inHouse) settings.inHouse = 'true';
  if (parts.vendorNumber?.trim()) settings.vendorNumber = parts.vendorNumber.trim();
  return { label: parts.label ?? accountLabel(settings), settings, secrets: { privateKey: pem } };
}

/**
 * fastlane's API key JSON (`app_store_connect_api_key(key_filepath:)`, `ASC_API_KEY_PATH`):
 * `{"key_id": "…", "issuer_id": "…", "key": "-----BEGIN PRIVATE KEY-----\n…", "in_house": false}`.
 * `issuer_id` absent or empty means an individual key. `is_key_content_base64: true` means `key` is base64 of the PEM.
 */
export function parseApiKeyJson(text: string): NewAccount {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new ConfigError({ provider: PROVIDER, summary: 'The API key file is not valid JSON', hint: 'Choose fastlane\'s API key JSON file ({"key_id", "issuer_id", "key"}), or add the .p8 key file instead.' });
  }
  const o = (json && typeof json === 'object' && !Array.isArray(json) ? json : {}) as Record<string, unknown>;
  const str = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : typeof o[k] === 'number' ? String(o[k]) : undefined);
  const keyId = str('key_id');
  let key = str('key');
  if (!keyId || !key) {
    throw new ConfigError({
      provider: PROVIDER,
      summary: `The API key JSON has no ${!keyId ? '"key_id"' : '"key"'}`,
      hint: 'fastlane\'s key file holds "key_id", "issuer_id" (team keys) and "key" (the .p8 text).',
    });
  }
  if (o.is_key_content_base64 === true) key = Buffer.from(key, 'base64').toString('utf8');
  return makeAccount({ keyId, issuerId: str('issuer_id') ?? '', privateKey: key, inHouse: o.in_house === true || o.in_house === 'true' });
}
