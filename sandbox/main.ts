// The sandbox as a library (`startSandbox`, used by tests and the extension's demo) and as a command:
// `node dist/sandbox.js [--port N] [--latency MS] [--clock-scale X] [--error-rate 0.2] [--asc-apps N]
// [--appsflyer-apps N] [--credentials-out FILE]` runs it until
// interrupted and prints each emulated API's base URL.
import { writeFileSync } from 'node:fs';
import { startSandbox } from './server';

export { startSandbox };

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const sandbox = await startSandbox({
    port: Number(arg('--port') ?? 0),
    latencyMs: Number(arg('--latency') ?? 0),
    clockScale: Number(arg('--clock-scale') ?? 1),
    errorRate: Number(arg('--error-rate') ?? 0),
    ...(arg('--asc-apps') ? { ascApps: Number(arg('--asc-apps')) } : {}),
    ...(arg('--appsflyer-apps') ? { appsflyerApps: Number(arg('--appsflyer-apps')) } : {}),
  });
  console.log(`AppDesk sandbox listening on ${sandbox.origin}`);
  const creds = sandbox.credentials();
  for (const [name, c] of Object.entries(creds)) console.log(`  ${name.padEnd(11)} ${String(c.baseUrl)}`);
  const out = arg('--credentials-out');
  if (out) {
    writeFileSync(out, JSON.stringify(cliCredentials(creds, out), null, 2), { mode: 0o600 });
    console.log(`credentials written to ${out}`);
  }
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

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

if (require.main === module) void main();
