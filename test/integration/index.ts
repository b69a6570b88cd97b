// Mocha entry run inside the VS Code extension host (code-server in CI, @vscode/test-electron on a desktop).
// Writes a plain report to APPDESK_TEST_RESULTS because the extension host's console may not reach the runner.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  const grep = process.env.APPDESK_GREP;
  if (grep) mocha.grep(grep);
  const dir = __dirname;
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(join(dir, f));
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const out = process.env.APPDESK_TEST_RESULTS;
      if (out) writeFileSync(out, JSON.stringify({ lines, passes: runner.stats?.passes ?? 0, failures }));
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => lines.push(`  ✔ ${t.fullTitle()}`));
    runner.on('fail', (t, err: Error) => lines.push(`  ✘ ${t.fullTitle()}\n      ${String(err.stack ?? err).split('\n').slice(0, 6).join('\n      ')}`));
    runner.on('pending', (t) => lines.push(`  - ${t.fullTitle()} (pending)`));
  });
}
