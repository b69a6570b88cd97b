// `npm run demo`: the sandbox of all five APIs plus a real VS Code (code-server) with AppDesk loaded and its demo
// accounts connected to that sandbox. Prints the URL to open; Ctrl-C stops everything.
import { startSandbox } from '../sandbox/server';
import { startCodeServer, workbenchUrl } from '../test/harness/codeServer';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

void (async () => {
  const sandbox = await startSandbox({ port: Number(arg('--sandbox-port') ?? 0) });
  const server = await startCodeServer({
    port: Number(arg('--port') ?? 8080),
    env: { APPDESK_DEMO_SANDBOX_URL: sandbox.origin, APPDESK_DEMO_AUTOSTART: '1' },
  });
  console.log(`\nAppDesk demo is running.\n\n  Sandbox:  ${sandbox.origin}\n  VS Code:  ${workbenchUrl(server)}\n`);
  console.log('Open the VS Code URL in a browser, then click the AppDesk icon in the activity bar. Ctrl-C stops the demo.');
  const stop = async () => {
    await server.stop();
    await sandbox.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
})().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
