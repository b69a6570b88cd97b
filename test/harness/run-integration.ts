// `npm run test:integration`: starts the sandbox and code-server, loads AppDesk in a real VS Code extension host
// with the Mocha suite in test/integration, and exits with the suite's result.
// APPDESK_GREP filters tests; APPDESK_SELFTEST_FAIL=1 adds a failing test (proves the harness reports failure).
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox } from '../../sandbox/server';
import { launchBrowser, openWorkbench, repoRoot, startCodeServer } from './codeServer';

const timeoutMs = Number(process.env.APPDESK_TEST_TIMEOUT_MS ?? 10 * 60_000);

async function main(): Promise<number> {
  const resultsDir = join(repoRoot, 'test-results');
  mkdirSync(resultsDir, { recursive: true });
  const resultFile = join(resultsDir, 'integration.json');
  rmSync(resultFile, { force: true });
  const sandbox = await startSandbox();
  const server = await startCodeServer({
    // Suites poll on demand (watcher.pollNow()); background polling would only add noise to request logs.
    settings: { 'appdesk.polling.intervalMinutes': 0 },
    env: {
      APPDESK_TEST_SANDBOX_URL: sandbox.origin,
      APPDESK_TEST_RESULTS: resultFile,
      APPDESK_GREP: process.env.APPDESK_GREP ?? '',
      APPDESK_SELFTEST_FAIL: process.env.APPDESK_SELFTEST_FAIL ?? '',
    },
  });
  const browser = await launchBrowser();
  try {
    const code = await new Promise<number>((resolve) => {
      const timer = setTimeout(() => { console.error(`integration run timed out after ${timeoutMs} ms`); resolve(1); }, timeoutMs);
      void openWorkbench(browser, server, {
        testsPath: join(repoRoot, 'out', 'test', 'integration', 'index'),
        onExit: (c) => { clearTimeout(timer); resolve(c); },
        onLog: (line) => { if (process.env.APPDESK_DEBUG_HARNESS) console.log(`[workbench] ${line}`); },
      }).catch((e: unknown) => { clearTimeout(timer); console.error(e); resolve(1); });
    });
    // The suite writes its own report (the extension host's console is not reliably forwarded).
    if (existsSync(resultFile)) {
      const r = JSON.parse(readFileSync(resultFile, 'utf8')) as { lines: string[]; passes: number; failures: number };
      console.log(r.lines.join('\n'));
      console.log(`\nintegration: ${r.passes} passing, ${r.failures} failing (exit ${code})`);
      if (r.failures > 0 && code === 0) return 1;
    } else {
      console.error('integration: the suite wrote no report; did the extension host start?');
      return code === 0 ? 1 : code;
    }
    return code;
  } finally {
    await browser.close();
    await server.stop();
    await sandbox.close();
  }
}

main().then((code) => process.exit(code), (err: unknown) => { console.error(err); process.exit(1); });
