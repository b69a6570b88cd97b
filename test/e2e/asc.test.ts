// App Store Connect as a person uses it in the VS Code window, against the sandbox: Add Account from the AuthKey .p8
// in the workspace (the real quick inputs and file dialog), the apps in the tree, the metadata editor (live
// counters, over-limit, the modal Save confirmation, the change stored in the sandbox, the version's copyright
// shown once for all locales), the release readiness checklist and a submission, the watcher's notification of App
// Review's next move, the sales report with totals, and the TestFlight and reviews panels. Screenshots of each go to test-results/screenshots/asc-*.png.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import type { AscEmulator } from '../../sandbox/asc';
import { MemoryLogger } from '../../src/core/logger';
import { ascProvider } from '../../src/providers/asc';
import { secretKey, type AccountConfig, type AppSummary, type Connection } from '../../src/providers/types';
import { launchBrowser, openWorkbench, startCodeServer, type CodeServer } from '../harness/codeServer';
import { activeWebview, openAppDeskView, runCommand, screenshot, waitForWorkbench } from '../harness/workbench';

const LUMEN: AppSummary = { id: '1581234567', name: 'Lumen Notes', bundleId: 'com.lumenlabs.notes', data: { primaryLocale: 'en-US' } };

interface AscCreds { baseUrl: string; keyId: string; issuerId: string; privateKey: string; vendorNumber: string }

describe('App Store Connect in the VS Code window', () => {
  let sandbox: Sandbox;
  let creds: AscCreds;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;

  /** A connection of the test's own, to read what the sandbox holds through its HTTP API. */
  function sandboxView(): Connection {
    const account: AccountConfig = { id: 'e2e-check', providerId: 'asc', label: 'check', baseUrl: creds.baseUrl, settings: { keyId: creds.keyId, issuerId: creds.issuerId } };
    return ascProvider.connect(account, {
      logger: new MemoryLogger(),
      secrets: { get: async (k) => (k === secretKey('e2e-check', 'privateKey') ? creds.privateKey : undefined), store: async () => undefined, delete: async () => undefined },
      state: { get: async () => undefined, set: async () => undefined },
    });
  }

  const quickInput = () => page.locator('.quick-input-widget');
  const quickInputBox = () => page.locator('.quick-input-widget input.input');
  const treeRow = (label: string | RegExp): Locator => page.locator('.sidebar .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: label }) }).first();

  /** Opens an app's context menu in the Apps tree and runs one of its entries. */
  async function fromTree(app: string, entry: string): Promise<void> {
    // Nothing left open over the workbench (a quick input, a menu) from an earlier step.
    if (await quickInput().isVisible()) await page.keyboard.press('Escape');
    try {
      const menu = page.locator('.context-view .monaco-menu');
      const item = menu.locator('.action-item', { hasText: entry }).first();
      // On a busy machine the menu can miss the right-click or a click while it settles: try again.
      for (let attempt = 0; ; attempt++) {
        if (!(await item.isVisible())) {
          await treeRow(app).click({ button: 'right' });
          if (!(await item.waitFor({ timeout: 5_000 }).then(() => true, () => false))) {
            if (attempt < 2) continue;
            throw new Error(`the context menu of ${app} offers no "${entry}"`);
          }
        }
        await item.click({ timeout: 5_000 }).catch(() => undefined);
        if (await menu.waitFor({ state: 'detached', timeout: 3_000 }).then(() => true, () => false)) break;
        if (attempt >= 2) throw new Error(`"${entry}" in the context menu of ${app} did not run`);
      }
    } catch (err) {
      await screenshot(page, `asc-failed-${entry.replace(/\W+/g, '-')}`);
      throw err;
    }
  }

  /** The webview of the active editor tab, once it rendered its heading. */
  async function panel(title: string, heading: string): Promise<FrameLocator> {
    try {
      await page.locator('.tabs-container .tab.active', { hasText: title }).waitFor({ timeout: 30_000 });
      const frame = activeWebview(page);
      await frame.getByRole('heading', { name: heading }).first().waitFor({ timeout: 30_000 });
      return frame;
    } catch (err) {
      await screenshot(page, `asc-failed-${title.replace(/\W+/g, '-')}`);
      throw err;
    }
  }

  async function notification(text: string | RegExp): Promise<Locator> {
    const toast = page.locator('.notification-toast', { hasText: text }).first();
    await toast.waitFor({ timeout: 30_000 });
    return toast;
  }

  async function closeNotifications(): Promise<void> {
    await runCommand(page, 'Notifications: Clear All Notifications').catch(() => undefined);
    if (await quickInput().isVisible()) await page.keyboard.press('Escape');
  }

  before(async () => {
    sandbox = await startSandbox();
    creds = sandbox.credentials().asc as unknown as AscCreds;
    server = await startCodeServer({
      // The sandbox runs beside VS Code as `npm run demo` runs it: accounts added by hand go to it.
      env: { APPDESK_DEMO_SANDBOX_URL: sandbox.origin },
      settings: { 'workbench.editor.enablePreview': false, 'appdesk.polling.intervalMinutes': 0, 'remote.autoForwardPorts': false },
      workspaceFiles: { [`AuthKey_${creds.keyId}.p8`]: creds.privateKey },
    });
    browser = await launchBrowser();
    page = await openWorkbench(browser, server, { viewport: { width: 1500, height: 950 } });
    await waitForWorkbench(page);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await sandbox?.close();
  });

  it('adds an App Store Connect account from the .p8 key file and shows its apps', async () => {
    await openAppDeskView(page);
    await page.locator('.sidebar .welcome-view-content .monaco-button', { hasText: 'Add Account…' }).click({ timeout: 30_000 });
    // Which service: the plain App Store Connect form (not one of the file importers).
    const provider = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: /^\s*App Store Connect\s*$/ }) });
    await provider.click({ timeout: 15_000 });
    await quickInput().locator('.quick-input-title', { hasText: '(1/3)' }).waitFor({ timeout: 15_000 });
    assert.match(await quickInput().innerText(), /Issuer ID/);
    await quickInputBox().fill(creds.issuerId);
    await quickInputBox().press('Enter');
    await quickInput().locator('.quick-input-title', { hasText: '(2/3)' }).waitFor({ timeout: 15_000 });
    await quickInputBox().fill(creds.keyId);
    await quickInputBox().press('Enter');
    // The private key: VS Code's file dialog (in the browser, its simple dialog, a quick input taking a path).
    await quickInput().locator('.quick-input-title', { hasText: /AuthKey/ }).waitFor({ timeout: 15_000 });
    await screenshot(page, 'asc-add-account-file-dialog');
    await quickInputBox().fill(join(server.workspace, `AuthKey_${creds.keyId}.p8`));
    await page.waitForTimeout(300);
    await quickInputBox().press('Enter');
    await notification(/App Store Connect: .* connected\./);
    for (const name of ['Lumen Notes', 'Pocket Ledger', 'Tidepool Weather', 'Trailhead']) await treeRow(name).waitFor({ timeout: 30_000 });
    const sidebar = await page.locator('.sidebar').innerText();
    assert.match(sidebar, /App Store Connect/);
    assert.match(sidebar, /com\.lumenlabs\.notes/);
    await screenshot(page, 'asc-tree');
    await closeNotifications();
  });

  it('edits keywords in the metadata panel with a live counter, refuses over-limit text, saves after the modal; the sandbox has it', async () => {
    await fromTree('Lumen Notes', 'Edit Metadata');
    const frame = await panel('Metadata: Lumen Notes', 'Lumen Notes');
    const keywords = frame.locator('[data-field="keywords"] input');
    const counter = frame.locator('[data-field="keywords"] .count');
    await keywords.waitFor({ timeout: 30_000 });
    const original = await keywords.inputValue();
    assert.equal(original, 'notes,notebook,markdown,journal,sketch,scan,pdf,todo,ideas,writing,sync');
    assert.equal(await counter.innerText(), `${original.length} / 100 bytes`);
    assert.equal(await frame.locator('#save-info').innerText(), 'No unsaved changes');
    await screenshot(page, 'asc-metadata');

    // Over Apple's 100-byte limit: the counter turns red and Save refuses before asking the extension.
    const tooLong = `${original},handwriting,search,dark,canvas,lasso,pencil,stylus`;
    const bytes = Buffer.byteLength(tooLong);
    assert.ok(bytes > 100);
    await keywords.fill(tooLong);
    assert.equal(await counter.innerText(), `${bytes} / 100 bytes`);
    assert.match((await counter.getAttribute('class')) ?? '', /\bover\b/);
    await frame.locator('#save').click();
    await frame.locator('.error-box', { hasText: 'over Apple\'s limits' }).waitFor();
    assert.match(await frame.locator('.error-box').innerText(), new RegExp(`en-US Keywords: ${bytes}/100 bytes`));
    await screenshot(page, 'asc-metadata-over-limit');

    // Within the limit: one unsaved change, the field marked changed.
    const next = 'notes,notebook,markdown,journal,sketch,handwriting,search,pdf,ideas,sync';
    await keywords.fill(next);
    assert.equal(await counter.innerText(), `${next.length} / 100 bytes`);
    assert.doesNotMatch((await counter.getAttribute('class')) ?? '', /\bover\b/);
    assert.equal(await frame.locator('#save-info').innerText(), '1 unsaved change');
    await screenshot(page, 'asc-metadata-edited');

    await frame.locator('#save').click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    assert.match(await dialog.innerText(), /Save 1 change to Lumen Notes 3\.3\.0\?/);
    assert.match(await dialog.innerText(), /en-US: Keywords/);
    await screenshot(page, 'asc-metadata-confirm');
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: /^Save$/ }).click();
    await frame.locator('.notice', { hasText: '1 change saved.' }).waitFor({ timeout: 30_000 });
    assert.equal(await frame.locator('#save-info').innerText(), 'No unsaved changes');
    await screenshot(page, 'asc-metadata-saved');

    const versions = await sandboxView().services.metadata!.listVersions(LUMEN);
    const doc = await sandboxView().services.metadata!.load(LUMEN, versions.find((v) => v.versionString === '3.3.0')!.id);
    assert.equal(doc.locales.find((l) => l.locale === 'en-US')?.values.keywords, next);
  });

  it('edits the copyright once for every locale (the same in each tab), saves it after the modal; the sandbox has it', async () => {
    const frame = activeWebview(page);
    const field = frame.locator('[data-field="copyright"]');
    const copyright = field.locator('input');
    await copyright.waitFor({ timeout: 30_000 });
    assert.match(await copyright.inputValue(), /^\d{4} Lumen Labs$/);
    assert.match(await field.locator('label').innerText(), /^Copyright \*\s*· all locales/);
    await copyright.fill('2026 Lumen Labs GmbH');
    assert.equal(await frame.locator('#save-info').innerText(), '1 unsaved change');
    // One value of the version: another locale's tab shows the same draft, and no locale counts as changed.
    await frame.locator('.locales button', { hasText: 'de-DE' }).click();
    assert.equal(await frame.locator('[data-field="copyright"] input').inputValue(), '2026 Lumen Labs GmbH');
    assert.match((await frame.locator('[data-field="copyright"]').getAttribute('class')) ?? '', /\bchanged\b/);
    assert.equal(await frame.locator('.locales button.dirty').count(), 0);
    await frame.locator('[data-field="copyright"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'asc-metadata-copyright');

    await frame.locator('#save').click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    assert.match(await dialog.innerText(), /Save 1 change to Lumen Notes 3\.3\.0\?/);
    assert.match(await dialog.innerText(), /All locales: Copyright/);
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: /^Save$/ }).click();
    await frame.locator('.notice', { hasText: '1 change saved.' }).waitFor({ timeout: 30_000 });
    assert.equal(await frame.locator('[data-field="copyright"] input').inputValue(), '2026 Lumen Labs GmbH');
    await screenshot(page, 'asc-metadata-copyright-saved');
    const versions = await sandboxView().services.metadata!.listVersions(LUMEN);
    const doc = await sandboxView().services.metadata!.load(LUMEN, versions.find((v) => v.versionString === '3.3.0')!.id);
    assert.deepEqual(doc.versionValues, { copyright: '2026 Lumen Labs GmbH' });
    await frame.locator('.locales button', { hasText: 'en-US' }).click();
  });

  it('discards a draft after asking', async () => {
    const frame = activeWebview(page);
    const promo = frame.locator('[data-field="promotionalText"] textarea');
    const original = await promo.inputValue();
    await promo.fill('A draft that will be thrown away.');
    assert.equal(await frame.locator('#save-info').innerText(), '1 unsaved change');
    await frame.locator('vscode-button', { hasText: 'Discard Changes' }).click();
    const confirm = frame.locator('.discard-confirm');
    await confirm.waitFor({ timeout: 10_000 });
    await screenshot(page, 'asc-metadata-discard');
    await confirm.locator('vscode-button', { hasText: 'Discard' }).click();
    await frame.locator('#save-info', { hasText: 'No unsaved changes' }).waitFor({ timeout: 10_000 });
    assert.equal(await frame.locator('[data-field="promotionalText"] textarea').inputValue(), original);
  });

  it('a missing copyright in the release checklist: its Fix link opens the metadata panel with that field focused', async () => {
    // Someone empties the copyright on App Store Connect; the checklist then names it.
    const svc = sandboxView().services.metadata!;
    const version = (await svc.listVersions(LUMEN)).find((v) => v.versionString === '3.3.0')!;
    const saved = await svc.save(LUMEN, await svc.load(LUMEN, version.id), { locales: [], version: { copyright: '' } });
    assert.equal(saved.status, 'saved');
    await runCommand(page, 'View: Close All Editors');
    await fromTree('Lumen Notes', 'Submit for Review / Release…');
    const release = await panel('Release: Lumen Notes', 'Lumen Notes');
    const missing = release.locator('li.missing', { hasText: 'no copyright' });
    await missing.waitFor({ timeout: 30_000 });
    await missing.getByText('Fix in Metadata').click();

    const meta = await panel('Metadata: Lumen Notes', 'Lumen Notes');
    const input = meta.locator('#f-copyright');
    await meta.locator('#f-copyright:focus').waitFor({ timeout: 30_000 });
    assert.equal(await input.inputValue(), '');
    await screenshot(page, 'asc-release-fix-copyright');
    await input.fill('2026 Lumen Labs GmbH');
    await meta.locator('#save').click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: /^Save$/ }).click();
    await meta.locator('.notice', { hasText: '1 change saved.' }).waitFor({ timeout: 30_000 });
    assert.equal((await svc.load(LUMEN, version.id)).versionValues?.copyright, '2026 Lumen Labs GmbH');
    // The next test starts from a fresh release panel and the metadata panel in front.
    await runCommand(page, 'View: Close All Editors');
    await fromTree('Lumen Notes', 'Edit Metadata');
    await panel('Metadata: Lumen Notes', 'Lumen Notes');
  });

  it('shows the release readiness checklist, attaches a build, submits after the modal', async () => {
    // Attach build 412 from the metadata panel (a quick pick of the builds).
    const meta = activeWebview(page);
    await meta.locator('vscode-button', { hasText: 'Attach Build…' }).click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: '3.3.0 (412)' }).click({ timeout: 15_000 });
    await notification('build 3.3.0 (412) attached');
    await closeNotifications();

    await fromTree('Lumen Notes', 'Submit for Review / Release…');
    const frame = await panel('Release: Lumen Notes', 'Lumen Notes');
    const checklist = frame.getByRole('list', { name: 'Readiness' });
    await checklist.locator('li', { hasText: 'Build 3.3.0 (412) attached' }).waitFor({ timeout: 30_000 });
    const items = await checklist.locator('li').allInnerTexts();
    assert.equal(items.length, 8, items.join('\n'));
    assert.equal(await checklist.locator('li.missing').count(), 0, items.join('\n'));
    assert.match(items.join('\n'), /en-US: name, description, keywords and support URL filled in/);
    await screenshot(page, 'asc-release-readiness');

    await frame.locator('vscode-button', { hasText: 'Submit for Review…' }).click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    assert.match(await dialog.innerText(), /Submit Lumen Notes 3\.3\.0 for App Review\?/);
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: 'Submit for Review' }).click();
    await frame.locator('.notice', { hasText: 'Submitted for review' }).waitFor({ timeout: 30_000 });
    await frame.locator('.card', { hasText: 'Review submission' }).waitFor();
    await frame.getByRole('combobox', { name: 'Version' }).locator('option:checked', { hasText: /3\.3\.0 \(iOS\) — Waiting for Review/ }).waitFor({ state: 'attached' });
    await screenshot(page, 'asc-release-submitted');
    const v = (await sandboxView().services.metadata!.listVersions(LUMEN)).find((x) => x.versionString === '3.3.0')!;
    assert.equal(v.state, 'WAITING_FOR_REVIEW');
    await closeNotifications();
  });

  it('loads a sales report with the demo vendor number: a table with totals', async () => {
    await fromTree('Lumen Notes', 'Open Reports');
    const frame = await panel('Reports: Lumen Notes', 'Lumen Notes');
    await frame.getByRole('textbox', { name: 'Vendor number' }).fill(creds.vendorNumber);
    await frame.locator('vscode-button', { hasText: 'Get Sales Report' }).click();
    const table = frame.getByRole('table', { name: 'Sales report' });
    await table.waitFor({ timeout: 30_000 });
    const total = table.locator('tfoot tr.totals');
    assert.match(await total.innerText(), /Total \(\d+ rows\)/);
    // Units add up; money columns are per unit and per currency, so their totals are Σ units × amount by currency.
    const header = (await table.locator('thead th').allInnerTexts()).map((h) => h.trim());
    const col = (name: string) => header.indexOf(name) + 1;
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    const cell = (row: string[], name: string) => row[col(name) - 1] ?? '';
    const units = rows.reduce((s, r) => s + Number(cell(r, 'Units')), 0);
    assert.equal(await total.locator(`td:nth-child(${col('Units')})`).innerText(), String(units));
    const proceeds = new Map<string, number>();
    for (const r of rows) proceeds.set(cell(r, 'Currency of Proceeds'), (proceeds.get(cell(r, 'Currency of Proceeds')) ?? 0) + Number(cell(r, 'Units')) * Number(cell(r, 'Developer Proceeds')));
    const shown = (await total.locator(`td:nth-child(${col('Developer Proceeds')}) div`).allInnerTexts()).sort();
    const expected = [...proceeds].filter(([, v]) => Math.abs(v) >= 0.005).map(([c, v]) => `${v.toFixed(2)} ${c}`).sort();
    assert.ok(expected.length > 1, 'the demo report has proceeds in several currencies');
    assert.deepEqual(shown, expected);
    // The same totals in the line above the table (the report is wider than the editor).
    const summary = await frame.getByLabel('Totals').innerText();
    assert.match(summary, new RegExp(`^${rows.length} rows · Units: ${units} · Developer Proceeds: `));
    await screenshot(page, 'asc-reports');
  });

  it('shows the TestFlight panel; adds a tester to a group and removes them after the modal', async () => {
    await fromTree('Lumen Notes', 'Open TestFlight');
    const frame = await panel('TestFlight: Lumen Notes', 'TestFlight: Lumen Notes');
    await frame.getByText('maya.okafor@lumenlabs.example.com').first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'asc-testflight');
    await frame.locator('vscode-button', { hasText: 'Add Tester…' }).click();
    const form = frame.getByRole('form', { name: 'Add a tester' });
    await form.locator('#add-email').fill('ada@example.org');
    await form.locator('#add-firstName').fill('Ada');
    await form.locator('#add-lastName').fill('Lovelace');
    await form.locator('#add-group').selectOption({ label: 'Design Partners' });
    await screenshot(page, 'asc-testflight-add');
    await form.locator('#add-submit').click();
    const row = frame.locator('.tester-row', { hasText: 'ada@example.org' });
    await row.waitFor({ timeout: 30_000 });
    await frame.locator('.notice', { hasText: 'Ada Lovelace added to "Design Partners".' }).waitFor();
    await screenshot(page, 'asc-testflight-added');
    const groups = await sandboxView().services.testers!.groups(LUMEN);
    const partners = groups.find((g) => g.name === 'Design Partners')!;
    const inGroup = async () => (await sandboxView().services.testers!.testers(LUMEN, { groupId: partners.id })).items.map((t) => t.email);
    assert.ok((await inGroup()).includes('ada@example.org'));

    await frame.getByRole('navigation', { name: 'Beta groups' }).getByText('Design Partners').click();
    await frame.locator('.tester-row', { hasText: 'ada@example.org' }).getByRole('button', { name: 'Remove ada@example.org from this group' }).click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    assert.match(await dialog.innerText(), /Remove Ada Lovelace <ada@example\.org> from the group "Design Partners"\?/);
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: /^Remove$/ }).click();
    await frame.locator('.tester-row', { hasText: 'ada@example.org' }).waitFor({ state: 'detached', timeout: 30_000 });
    assert.ok(!(await inGroup()).includes('ada@example.org'));
  });

  it('shows the reviews panel; replies to a review', async () => {
    await fromTree('Lumen Notes', 'Open Reviews');
    const frame = await panel('Reviews: Lumen Notes', 'Reviews: Lumen Notes');
    await frame.getByText('Finally a notes app that keeps up').first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'asc-reviews');
    const card = frame.locator('article.review', { hasText: 'Sehr gut, aber' });
    await card.locator('vscode-button', { hasText: 'Reply' }).click();
    const text = 'Danke! Geräteübergreifende Tags kommen mit Version 3.3.';
    await card.getByRole('textbox', { name: 'Your response' }).fill(text);
    await screenshot(page, 'asc-reviews-reply');
    await card.locator('vscode-button', { hasText: 'Send Response' }).click();
    await card.getByText(text).waitFor({ timeout: 30_000 });
    await card.getByText('Your response').first().waitFor();
    const reviews = await sandboxView().services.reviews!.list(LUMEN, {});
    assert.equal(reviews.items.find((r) => r.title === 'Sehr gut, aber…')?.response?.body, text);
    await screenshot(page, 'asc-reviews-replied');
  });

  it('the watcher notifies when App Review moves the submitted version', async () => {
    await runCommand(page, 'AppDesk: Check for Changes Now'); // the baseline
    await page.waitForTimeout(2_000);
    const asc = sandbox.emulators.find((e) => e.prefix === '/asc') as AscEmulator;
    const v = (await sandboxView().services.metadata!.listVersions(LUMEN)).find((x) => x.versionString === '3.3.0')!;
    asc.setVersionState(v.id, 'IN_REVIEW');
    await runCommand(page, 'AppDesk: Check for Changes Now');
    const toast = await notification(/Lumen Notes: .*3\.3\.0.* is now in review/i);
    await screenshot(page, 'asc-watcher-notification');
    await toast.locator('.monaco-button', { hasText: 'Open' }).click();
    await panel('Release: Lumen Notes', 'Lumen Notes');
  });
});
