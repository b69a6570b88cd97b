// `npm run test:electron`: the same Mocha suite under @vscode/test-electron (downloads desktop VS Code, so it
// needs internet; CI here uses code-server instead).
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { startSandbox } from '../../sandbox/server';
import { repoRoot } from './codeServer';

void (async () => {
  const sandbox = await startSandbox();
  process.env.APPDESK_TEST_SANDBOX_URL = sandbox.origin;
  try {
    await runTests({
      version: '1.100.3',
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: join(repoRoot, 'out', 'test', 'integration', 'index'),
      launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
      extensionTestsEnv: { APPDESK_TEST_SANDBOX_URL: sandbox.origin },
    });
    process.exitCode = 0;
  } catch (err) {
    console.error(err);
    process.exitCode = 1;
  } finally {
    await sandbox.close();
  }
})();
