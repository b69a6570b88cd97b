import { writeFileSync } from 'node:fs';

type Creds = Record<string, Record<string, unknown>>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * The sandbox credentials in the CLI's environment-variable names, keyed by provider, each with its baseUrl.
 * The ASC private key goes to a file beside `out` (the CLI reads keys from files, as with a real .p8).
 */
export function cliCredentials(creds: Creds, out: string): Record<string, Record<string, string>> {
  const result: Record<string, Record<string, string>> = {};
  const asc = creds.asc;
  if (asc) {
    const keyPath = `${out.replace(/\.json$/, '')}.asc-key.p8`;
    writeFileSync(keyPath, str(asc.privateKey), { mode: 0o600 });
    result.asc = { baseUrl: str(asc.baseUrl), ASC_KEY_ID: str(asc.keyId), ASC_ISSUER_ID: str(asc.issuerId), ASC_PRIVATE_KEY_PATH: keyPath };
  }
  if (creds.itc) result.itc = { baseUrl: str(creds.itc.baseUrl), ITC_USERNAME: str(creds.itc.appleId), ITC_PASSWORD: str(creds.itc.password) };
  if (creds.apptweak) result.apptweak = { baseUrl: str(creds.apptweak.baseUrl), APPTWEAK_API_KEY: str(creds.apptweak.token) };
  if (creds.appsflyer) result.appsflyer = { baseUrl: str(creds.appsflyer.baseUrl), APPSFLYER_TOKEN: str(creds.appsflyer.token) };
  const firstApp = Array.isArray(creds.apptentive?.apps) ? (creds.apptentive.apps as Record<string, unknown>[])[0] : undefined;
  if (creds.apptentive && firstApp) result.apptentive = { baseUrl: str(creds.apptentive.baseUrl), APPTENTIVE_TOKEN: str(firstApp.token) };
  return result;
}

