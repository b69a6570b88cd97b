import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('harness', () => {
  it('runs inside a real VS Code extension host', () => {
    assert.ok(vscode.version.startsWith('1.'), `vscode.version = ${vscode.version}`);
    assert.equal(typeof vscode.window.createTreeView, 'function');
  });

  it('activates AppDesk and registers its commands', async () => {
    const ext = vscode.extensions.getExtension('appdesk.appdesk');
    assert.ok(ext, 'AppDesk is loaded as the extension under development');
    await ext.activate();
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['appdesk.addAccount', 'appdesk.refresh', 'appdesk.exploreDemo', 'appdesk.openOverview', 'appdesk.showLogs']) {
      assert.ok(commands.includes(c), `${c} is registered`);
    }
  });

  // Proves the runner reports a failure: only enabled by the e2e self-test of the harness.
  if (process.env.APPDESK_SELFTEST_FAIL === '1') {
    it('harness self-test: this test fails on purpose', () => {
      assert.fail('deliberate failure to prove a failing suite makes the run exit non-zero');
    });
  }
});
