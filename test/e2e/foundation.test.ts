// The extension seen as a person sees it: the AppDesk view, its welcome content, a palette command, a panel.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openWorkbench, repoRoot, startCodeServer, type CodeServer } from '../harness/codeServer';
import { activeWebview, openAppDeskView, runCommand, screenshot, waitForWorkbench } from '../harness/workbench';

describe('AppDesk in the VS Code window', () => {
  let server: CodeServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    server = await startCodeServer();
    browser = await launchBrowser();
    page = await openWorkbench(browser, server);
    await waitForWorkbench(page);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the AppDesk view with its welcome content', async () => {
    await openAppDeskView(page);
    const sidebar = page.locator('.sidebar');
    // The welcome view's buttons (the view title also has an Add Account action).
    await sidebar.locator('.welcome-view-content .monaco-button', { hasText: 'Add Account…' }).waitFor({ timeout: 30_000 });
    await sidebar.locator('.welcome-view-content .monaco-button', { hasText: 'Explore Demo Data' }).waitFor();
    assert.match(await sidebar.locator('.welcome-view-content').innerText(), /local sandbox of all five provider APIs/);
    await screenshot(page, 'foundation-welcome');
  });

  it('runs an AppDesk command from the palette and reads the panel it opens', async () => {
    await runCommand(page, 'AppDesk: Open Overview');
    const frame = activeWebview(page);
    await frame.getByRole('heading', { name: 'AppDesk' }).waitFor({ timeout: 30_000 });
    const text = await frame.locator('main').innerText();
    assert.match(text, /Providers/);
    await screenshot(page, 'foundation-overview');
  });
});

describe('the integration harness', () => {
  it('exits non-zero when a test fails', () => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'out', 'test', 'harness', 'run-integration.js')], {
      env: { ...process.env, APPDESK_SELFTEST_FAIL: '1', APPDESK_GREP: 'harness' },
      encoding: 'utf8',
      timeout: 300_000,
    });
    assert.notEqual(r.status, 0, `a failing suite must fail the run:\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /harness self-test: this test fails on purpose/);
  });
});
