// The sandbox as a library (`startSandbox`, used by tests and the extension's demo) and as a command:
// `node dist/sandbox.js [--port N] [--latency MS] [--clock-scale X] [--error-rate 0.2] [--asc-apps N]
// [--appsflyer-apps N] [--hostile] [--credentials-out FILE]` runs it until
// interrupted and prints each emulated API's base URL. `--hostile` makes every text field hostile (markup, links,
// control characters, 10,000-character names) to look at how AppDesk shows them.
import { writeFileSync } from 'node:fs';
import { startSandbox } from './server';
import { cliCredentials } from './credentials';

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
    ...(process.argv.includes('--hostile') ? { hostile: true } : {}),
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

if (require.main === module) void main();
