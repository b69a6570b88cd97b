// `node dist/sandbox.js [--port N] [--latency MS] [--clock-scale X]`: runs the sandbox until interrupted and
// prints its address and the demo credentials of each emulated API.
import { startSandbox } from './server';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

void (async () => {
  const sandbox = await startSandbox({
    port: Number(arg('--port') ?? 0),
    latencyMs: Number(arg('--latency') ?? 0),
    clockScale: Number(arg('--clock-scale') ?? 1),
  });
  console.log(`AppDesk sandbox listening on ${sandbox.origin}`);
  if (process.argv.includes('--json')) console.log(JSON.stringify(sandbox.credentials()));
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
})();
