// Legacy iTunes Connect as a person uses it in the VS Code window, against the sandbox: Add Account… (Apple ID,
// password; a wrong password is refused), the Apps tree down to an app's builds and the Builds panel, Edit
// Metadata from the palette, a save Apple refuses (its error under the field, the typed text kept), the fix saved,
// the version's copyright (one for all locales) refused when emptied and then saved, an expired session that
// signs in again without the user noticing, a tester added in the TestFlight panel, and the submission for review.
// Screenshots go to test-results/screenshots/itc-*.png.
//
// The sandbox runs in this process; `APPDESK_DEMO_SANDBOX_URL` makes accounts added by hand use it (loopback only).
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { MemoryLogger } from '../../src/core/logger';
import { itcProvider, isItcConnection } from '../../src/providers/itc';
import type { MetadataDocument } from '../../src/providers/services';
import { secretKey, type AccountConfig } from '../../src/providers/types';
import { launchBrowser, openWorkbench, startCodeServer, type CodeServer } from '../harness/codeServer';
import { activeWebview, openAppDeskView, runCommand, screenshot, waitForWorkbench } from '../harness/workbench';

const APPLE_ID = 'demo@appdesk.example';
const SIGN_IN = '/itc/WebObjects/iTunesConnect.woa/wo/';
const RA = '/itc/WebObjects/iTunesConnect.woa/ra/';

/** A row of the Apps tree whose label is exactly `label`. */
function treeRow(page: Page, label: string): Locator {
  return page.locator('.sidebar .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();
}

/** Expands a tree row with its twistie (clicking a section's label opens its panel instead). */
async function expand(row: Locator): Promise<void> {
  await row.waitFor({ timeout: 30_000 });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
  await assertEventually(async () => (await row.getAttribute('aria-expanded')) === 'true', 'the row to expand');
}

async function assertEventually(fn: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await fn().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Answers the quick input that is open now (an input box of Add Account). */
async function answerInput(page: Page, value: string, expectTitle: RegExp): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: expectTitle }).waitFor({ timeout: 15_000 });
  const input = widget.locator('input.input');
  await input.fill(value);
  await input.press('Enter');
}

async function addAccountThroughUi(page: Page, password: string): Promise<void> {
  await runCommand(page, 'AppDesk: Add Account…');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'iTunes Connect (legacy)' }).first();
  await row.waitFor({ timeout: 15_000 });
  await row.click();
  await answerInput(page, APPLE_ID, /Add iTunes Connect \(legacy\) Account \(1\/2\)/);
  await answerInput(page, password, /Add iTunes Connect \(legacy\) Account \(2\/2\)/);
}

/** Clicks a button of the modal dialog VS Code shows (code-server renders it in the workbench). */
async function confirmDialog(page: Page, message: RegExp, button: string): Promise<string> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 15_000 });
  const text = await dialog.innerText();
  assert.match(text, message);
  await dialog.locator('.dialog-buttons .monaco-button', { hasText: new RegExp(`^${button}$`) }).click();
  await dialog.waitFor({ state: 'detached', timeout: 15_000 });
  return text;
}

/** What the sandbox holds for the version being edited, read by an independent client (its own session). */
async function serverDocument(sandbox: Sandbox): Promise<MetadataDocument> {
  const creds = sandbox.credentials().itc as { baseUrl: string; appleId: string; password: string };
  const account: AccountConfig = { id: 'e2e-check', providerId: 'itc', label: 'check', baseUrl: creds.baseUrl, settings: { appleId: creds.appleId } };
  const memory = new Map([[secretKey(account.id, 'password'), creds.password]]);
  const conn = itcProvider.connect(account, {
    logger: new MemoryLogger(),
    secrets: { get: async (k) => memory.get(k), store: async (k, v) => void memory.set(k, v), delete: async (k) => void memory.delete(k) },
    state: { get: async () => undefined, set: async () => undefined },
  });
  assert.ok(isItcConnection(conn));
  try {
    return await conn.services.metadata.load({ id: '898536088', name: 'App Name 1' }, '813314674');
  } finally {
    conn.dispose();
  }
}

const valueOf = (doc: MetadataDocument, locale: string, key: string) => doc.locales.find((l) => l.locale === locale)?.values[key];
const signIns = (sandbox: Sandbox, since: number) => sandbox.requests().slice(since).filter((r) => r.method === 'POST' && r.path.startsWith(SIGN_IN));

/** Runs a test body; when it fails, a screenshot of the window at that moment goes beside the others. */
function shotOnFailure(page: () => Page, name: string, fn: () => Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await fn();
    } catch (err) {
      await screenshot(page(), `itc-FAILED-${name}`).catch(() => undefined);
      throw err;
    }
  };
}

describe('iTunes Connect (legacy) in the VS Code window', () => {
  let sandbox: Sandbox;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let frame: FrameLocator;

  before(async () => {
    sandbox = await startSandbox();
    server = await startCodeServer({
      env: { APPDESK_DEMO_SANDBOX_URL: sandbox.origin },
      settings: { 'workbench.editor.enablePreview': false, 'appdesk.polling.intervalMinutes': 0 },
    });
    browser = await launchBrowser();
    page = await openWorkbench(browser, server);
    await waitForWorkbench(page);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await sandbox?.close();
  });

  it('refuses a wrong password with Apple\'s words, then signs in with Add Account… (Apple ID, password)', shotOnFailure(() => page, 'add-account', async () => {
    await openAppDeskView(page);
    await addAccountThroughUi(page, 'not-the-password');
    const toast = page.locator('.notification-toast', { hasText: 'rejected the Apple ID or password' });
    await toast.waitFor({ timeout: 30_000 });
    assert.match(await toast.innerText(), /iTunes Connect rejected the Apple ID or password for demo@appdesk\.example/);
    assert.equal(await treeRow(page, `iTunes Connect (${APPLE_ID})`).count(), 0, 'no account was added');
    await toast.locator('.codicon-notifications-clear').click().catch(() => undefined);

    const since = sandbox.requests().length;
    const creds = sandbox.credentials().itc as { password: string };
    await addAccountThroughUi(page, creds.password);
    await treeRow(page, `iTunes Connect (${APPLE_ID})`).waitFor({ timeout: 30_000 });
    assert.ok(signIns(sandbox, since).some((r) => r.status === 302), 'signed in on the sandbox');
  }));

  it('shows the apps and, below an app, its versions and build trains with their builds', shotOnFailure(() => page, 'tree', async () => {
    await treeRow(page, 'iTunes Connect (legacy)').waitFor({ timeout: 30_000 });
    for (const name of ['App Name 1', 'app name why not', 'App Name 3']) await treeRow(page, name).waitFor({ timeout: 30_000 });
    await expand(treeRow(page, 'App Name 1'));
    await expand(treeRow(page, 'Builds'));
    await expand(treeRow(page, '1.0'));
    for (const b of ['1.0 (12)', '1.0 (11)', '1.0 (10)']) await treeRow(page, b).waitFor({ timeout: 30_000 });
    await expand(treeRow(page, 'Testers'));
    await treeRow(page, 'Felix Krause').waitFor({ timeout: 30_000 });
    const sidebar = await page.locator('.sidebar').innerText();
    assert.match(sidebar, /net\.sunapps\.107/);
    assert.match(sidebar, /3 builds · 1 not ready/);
    await screenshot(page, 'itc-tree');
  }));

  it('opens the Builds panel from the tree\'s Builds section', shotOnFailure(() => page, 'builds-panel', async () => {
    await treeRow(page, 'Builds').click();
    await page.locator('.tabs-container .tab.active', { hasText: 'Builds: App Name 1' }).waitFor({ timeout: 30_000 });
    const builds = activeWebview(page);
    await builds.locator('tr[data-build="1.0/10"]').waitFor({ timeout: 60_000 });
    const text = await builds.locator('table.builds').innerText();
    for (const id of ['1.0/12', '1.0/11', '1.0/10', '0.9.13/9']) assert.equal(await builds.locator(`tr[data-build="${id}"]`).count(), 1, `build ${id}`);
    assert.match(text, /\bProcessing\b/); // the state as people read it, not the API's "processing"
    await screenshot(page, 'itc-builds-panel');
  }));

  it('a save Apple refuses shows its error under the field and keeps the typed text; the fix saves', shotOnFailure(() => page, 'metadata', async () => {
    await runCommand(page, 'AppDesk: Edit Metadata');
    const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'App Name 1' }).first();
    await pick.waitFor({ timeout: 30_000 });
    await pick.click();
    frame = activeWebview(page);
    const keywords = frame.locator('#f-keywords');
    const support = frame.locator('#f-supportUrl');
    await keywords.waitFor({ timeout: 60_000 });
    assert.equal(await keywords.inputValue(), 'Some random titles');
    assert.match(await frame.locator('.header').innerText(), /App Name 1[\s\S]*net\.sunapps\.107 · iTunes Connect \(demo@appdesk\.example\)/);

    // All within the panel's own limits (keywords ≤ 100 characters, no URL check in the webview); Apple refuses the
    // two URLs, one of them in the locale that is not on screen when the answer arrives.
    const tab = (locale: string) => frame.locator('.locales button', { hasText: locale });
    const privacy = frame.locator('#f-privacyPolicyUrl');
    await keywords.fill('notes,ledger,legacy');
    await support.fill('support at sunapps dot net');
    await tab('de-DE').click();
    await privacy.waitFor();
    assert.equal(await privacy.inputValue(), 'http://privacy.sunapps.net');
    await privacy.fill('datenschutz');
    assert.match(await frame.locator('#save-info').innerText(), /3 unsaved changes/);
    await frame.locator('#save').click();
    const asked = await confirmDialog(page, /Save 3 changes to App Name 1 1\.0\?/, 'Save');
    assert.match(asked, /en-US: Keywords, Support URL\s+de-DE: Privacy Policy URL/);

    // On screen (de-DE): Apple's error under Privacy Policy URL, the typed text kept; the en-US tab is marked.
    const privacyError = frame.locator('.field[data-field="privacyPolicyUrl"] .field-error');
    await privacyError.waitFor({ timeout: 30_000 });
    assert.equal((await privacyError.innerText()).trim(), 'The privacy policy URL is not a valid URL.');
    assert.equal(await privacy.inputValue(), 'datenschutz', 'the typed URL is still there');
    assert.match((await tab('en-US').getAttribute('class')) ?? '', /\binvalid\b/, 'the other locale\'s tab says it has a refused field');
    assert.match(await frame.locator('.error-box').innerText(), /iTunes Connect rejected the request/);

    await tab('en-US').click();
    const error = frame.locator('.field[data-field="supportUrl"] .field-error');
    await error.waitFor({ timeout: 30_000 });
    assert.equal((await error.innerText()).trim(), 'The support URL is not a valid URL.');
    assert.match((await frame.locator('.field[data-field="supportUrl"]').getAttribute('class')) ?? '', /\binvalid\b/);
    assert.equal(await frame.locator('.field-error').count(), 1, 'only the field Apple named shows an error');
    assert.equal(await support.inputValue(), 'support at sunapps dot net', 'the typed URL is still there');
    assert.equal(await keywords.inputValue(), 'notes,ledger,legacy', 'the other edit is still there');
    assert.match((await tab('de-DE').getAttribute('class')) ?? '', /\binvalid\b/);
    assert.match(await frame.locator('#save-info').innerText(), /3 unsaved changes/);
    await error.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await screenshot(page, 'itc-metadata-field-error');
    assert.equal(valueOf(await serverDocument(sandbox), 'en-US', 'keywords'), 'Some random titles', 'nothing was saved');

    await support.fill('https://sunapps.net/support');
    await tab('de-DE').click();
    await privacy.fill('https://sunapps.net/datenschutz');
    await frame.locator('#save').click();
    await confirmDialog(page, /Save 3 changes to App Name 1 1\.0\?/, 'Save');
    await frame.locator('.notice', { hasText: '3 changes saved.' }).waitFor({ timeout: 30_000 });
    assert.equal(await frame.locator('.field-error').count(), 0, 'the field errors are gone');
    assert.equal(await frame.locator('.error-box').count(), 0);
    assert.equal(await frame.locator('.locales button.invalid').count(), 0);
    assert.match(await frame.locator('#save-info').innerText(), /No unsaved changes/);
    assert.equal(await privacy.inputValue(), 'https://sunapps.net/datenschutz');
    await tab('en-US').click();
    assert.equal(await support.inputValue(), 'https://sunapps.net/support');
    await screenshot(page, 'itc-metadata-saved');
    const saved = await serverDocument(sandbox);
    assert.equal(valueOf(saved, 'en-US', 'keywords'), 'notes,ledger,legacy');
    assert.equal(valueOf(saved, 'en-US', 'supportUrl'), 'https://sunapps.net/support');
    assert.equal(valueOf(saved, 'de-DE', 'privacyPolicyUrl'), 'https://sunapps.net/datenschutz');
  }));

  it('the copyright, one for all locales: Apple refuses it emptied, under the field, the draft kept; the fix saves', shotOnFailure(() => page, 'metadata-copyright', async () => {
    const copyright = frame.locator('#f-copyright');
    await copyright.waitFor({ timeout: 30_000 });
    assert.equal(await copyright.inputValue(), '2015 SunApps GmbH');
    await copyright.fill('');
    await frame.locator('#save').click();
    const asked = await confirmDialog(page, /Save 1 change to App Name 1 1\.0\?/, 'Save');
    assert.match(asked, /All locales: Copyright/);
    const error = frame.locator('.field[data-field="copyright"] .field-error');
    await error.waitFor({ timeout: 30_000 });
    assert.equal((await error.innerText()).trim(), 'You must provide a copyright.');
    assert.equal(await copyright.inputValue(), '', 'the emptied field stays empty (the draft is kept)');
    assert.equal(await frame.locator('.locales button.invalid').count(), 0, 'no locale is blamed for the version\'s field');
    assert.match(await frame.locator('#save-info').innerText(), /1 unsaved change/);
    await error.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await screenshot(page, 'itc-metadata-copyright-error');
    assert.deepEqual((await serverDocument(sandbox)).versionValues, { copyright: '2015 SunApps GmbH' }, 'nothing was saved');

    await copyright.fill('2026 SunApps GmbH');
    await frame.locator('#save').click();
    await confirmDialog(page, /Save 1 change to App Name 1 1\.0\?/, 'Save');
    await frame.locator('.notice', { hasText: '1 change saved.' }).waitFor({ timeout: 30_000 });
    assert.equal(await frame.locator('.field-error').count(), 0);
    assert.equal(await copyright.inputValue(), '2026 SunApps GmbH');
    assert.deepEqual((await serverDocument(sandbox)).versionValues, { copyright: '2026 SunApps GmbH' });
  }));

  it('an expired session signs in again once, without a prompt, when the panel reloads', shotOnFailure(() => page, 'expired-session', async () => {
    const res = await fetch(`${sandbox.origin}/itc/_sandbox/expire-sessions`, { method: 'POST' });
    assert.equal(res.status, 204);
    const since = sandbox.requests().length;
    await frame.getByRole('button', { name: 'Reload' }).click();
    await assertEventually(async () => sandbox.requests().slice(since).some((r) => r.path.startsWith(`${RA}apps/version/`) && r.status === 200), 'the version to load again');
    await assertEventually(async () => (await frame.locator('#f-supportUrl').inputValue()) === 'https://sunapps.net/support', 'the saved value after the reload');
    assert.deepEqual(signIns(sandbox, since).map((r) => r.status), [302], 'one sign-in');
    assert.equal(await frame.locator('.error-box').count(), 0, 'no error in the panel');
    assert.equal(await page.locator('.notification-toast .codicon-error, .notification-toast .codicon-warning').count(), 0, 'no error or warning notification');
    assert.equal(await page.locator('.quick-input-widget:visible').count(), 0, 'no input asked');
  }));

  it('adds a tester in the TestFlight panel opened from the tree\'s Testers section', shotOnFailure(() => page, 'tester', async () => {
    await treeRow(page, 'Testers').click();
    await page.locator('.tabs-container .tab.active', { hasText: 'TestFlight: App Name 1' }).waitFor({ timeout: 30_000 });
    const tf = activeWebview(page);
    await tf.getByText('ich@felixkrause.at').first().waitFor({ timeout: 60_000 });
    await tf.locator('#toggle-add').click();
    await tf.locator('#add-email').fill('ada@example.com');
    await tf.locator('#add-firstName').fill('Ada');
    await tf.locator('#add-lastName').fill('Lovelace');
    await tf.locator('#add-submit').click();
    await tf.locator('.notice', { hasText: 'Ada Lovelace added' }).waitFor({ timeout: 30_000 });
    await tf.getByText('ada@example.com').first().waitFor();
    await screenshot(page, 'itc-testflight-tester-added');
    assert.ok(sandbox.requests().some((r) => r.method === 'POST' && r.path === `${RA}users/pre/create` && r.status === 200), 'the tester was created on the sandbox');
  }));

  it('submits the version for review from the release panel after the confirmation', shotOnFailure(() => page, 'submit', async () => {
    // The app picker can lose focus to a webview finishing its load on a busy machine and close; ask again then.
    for (let attempt = 1; ; attempt++) {
      await runCommand(page, 'AppDesk: Submit for Review / Release…');
      const pick = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'App Name 1' }).first();
      try {
        await pick.waitFor({ state: 'visible', timeout: 30_000 });
        await pick.click({ timeout: 10_000 });
        await page.locator('.tabs-container .tab.active', { hasText: 'Release: App Name 1' }).waitFor({ timeout: 30_000 });
        break;
      } catch (err) {
        if (attempt >= 3) throw err;
        await page.keyboard.press('Escape');
      }
    }
    const rel = activeWebview(page);
    const submit = rel.getByRole('button', { name: 'Submit for Review…' });
    await submit.waitFor({ timeout: 60_000 });
    assert.equal(await rel.locator('.checklist li.missing').count(), 0, 'nothing missing');
    assert.ok(await rel.locator('.checklist li.ok').count() > 5, 'the readiness checks are listed');
    await submit.click();
    await confirmDialog(page, /Submit App Name 1 1\.0 for App Review\?/, 'Submit for Review');
    await rel.locator('.notice', { hasText: 'Submitted for review' }).waitFor({ timeout: 30_000 });
    await rel.locator('.tag', { hasText: 'Waiting for Review' }).first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'itc-release-submitted');
    assert.ok(sandbox.requests().some((r) => r.method === 'POST' && r.path.endsWith('/submit/complete') && r.status === 200), 'submitted on the sandbox');
  }));
});
