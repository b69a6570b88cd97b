// App Store Connect end to end inside a real VS Code, against the sandbox: the account is added through the
// interactive Add Account command from an AuthKey .p8 file; its apps appear in the Apps tree; the panels opened
// for it run on the extension's own connection (key from SecretStorage), and every change is checked again in the
// sandbox through a separate connection: metadata saved, a tester added and removed, a review answered, a version
// submitted and seen by the watcher, App Review's next move seen too; a sales report with totals.
// Panels' webview DOM is out of reach from the extension host: the test plays the webview's part (e2e does the UI).
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { MemoryLogger } from '../../src/core/logger';
import type { WatchChange } from '../../src/host/watcher';
import type { PanelContext } from '../../src/panels/appPanel';
import { MetadataPanel } from '../../src/panels/metadataPanel';
import { ReleasePanel } from '../../src/panels/releasePanel';
import { ReportsPanel } from '../../src/panels/reportsPanel';
import { ReviewsPanel } from '../../src/panels/reviewsPanel';
import { TestFlightPanel } from '../../src/panels/testflightPanel';
import type { AccountConfig, AppSummary, Connection } from '../../src/providers/types';
import type { Node } from '../../src/tree/appsTree';
import { activeWebviewViewType, api, apiCallsSince, ascCreds, closeAllEditors, drivePanel, eventually, removeAllAccounts, resetSandbox, sandboxAccount, sandboxOrigin, sandboxRequests, settleWorkbench, stubWindow, type PanelRecorder } from './support';

type Msg = { type: string } & Record<string, unknown>;

/** A connection of its own (not the extension's) to read back what the sandbox holds. */
async function sandboxView(): Promise<Connection> {
  return (await sandboxAccount(`it-asc-check-${Date.now()}`)).connect();
}

/** The extension's own connection of an account (the one its tree, panels and watcher use). */
async function extensionConnection(account: AccountConfig): Promise<Connection> {
  const tree = (await api()).tree as unknown as { connections: { get(a: AccountConfig): Promise<Connection> } };
  return tree.connections.get(account);
}

type Driver = PanelRecorder<Msg, { panel: vscode.WebviewPanel }>;

/** Wraps a panel of the test bundle: records what it posts; the real webview's messages are dropped. */
function drive(panel: { panel: vscode.WebviewPanel }): Driver {
  return drivePanel<Msg, { panel: vscode.WebviewPanel }>(panel, { timeoutMs: 15_000 });
}

async function childrenOf(node?: Node): Promise<Node[]> {
  return (await api()).tree.getChildren(node);
}

describe('App Store Connect in VS Code, from a key file to a submitted version', () => {
  let keyDir: string;
  let keyPath: string;
  let account: AccountConfig | undefined;
  let lumen: AppSummary | undefined;
  let d: Driver | undefined;
  const restores: (() => void)[] = [];

  const ctx = (): PanelContext => ({
    extensionUri: vscode.extensions.getExtension('appdesk.appdesk')!.extensionUri,
    logger: new MemoryLogger(),
    account: (id) => (id === account?.id ? account : undefined),
    connection: (a) => extensionConnection(a),
  });
  const need = <T>(x: T | undefined, what: string): T => {
    if (x === undefined) throw new Error(`${what} is missing: an earlier step of this flow failed`);
    return x;
  };

  before(async () => {
    await resetSandbox();
    await removeAllAccounts();
    const creds = await ascCreds();
    keyDir = mkdtempSync(join(tmpdir(), 'appdesk-asc-key-'));
    keyPath = join(keyDir, `AuthKey_${creds.keyId}.p8`);
    writeFileSync(keyPath, creds.privateKey);
  });
  after(async () => {
    rmSync(keyDir, { recursive: true, force: true });
    await removeAllAccounts();
    await settleWorkbench();
  });
  afterEach(async () => {
    for (const r of restores.splice(0)) r();
    d?.dispose();
    d = undefined;
    await closeAllEditors();
  });

  it('adds an account through the interactive Add Account: provider, issuer ID, key ID, then the .p8 file', async () => {
    const creds = await ascCreds();
    const steps: string[] = [];
    const pick = stubWindow('showQuickPick', async (items) => {
      const list = (await (items as Thenable<{ label: string; importer?: unknown }[]>));
      steps.push('provider');
      return list.find((i) => /App Store Connect$/.test(i.label) && !i.importer);
    });
    const input = stubWindow('showInputBox', async (opts) => {
      const o = opts as vscode.InputBoxOptions;
      const value = /Issuer ID/.test(o.prompt ?? '') ? creds.issuerId : /Key ID/.test(o.prompt ?? '') ? creds.keyId : undefined;
      steps.push(/Issuer ID/.test(o.prompt ?? '') ? 'issuer' : /Key ID/.test(o.prompt ?? '') ? 'key id' : `unexpected: ${o.prompt}`);
      // What the person types passes the box's own validation.
      assert.equal(await o.validateInput?.(value ?? ''), undefined, `${o.prompt} accepts ${value}`);
      return value;
    });
    const dialog = stubWindow('showOpenDialog', async (opts) => {
      steps.push('key file');
      assert.match(String((opts as vscode.OpenDialogOptions).title), /AuthKey_<key ID>\.p8/);
      return [vscode.Uri.file(keyPath)];
    });
    const info = stubWindow('showInformationMessage', async () => undefined);
    const errors = stubWindow('showErrorMessage', async () => undefined);
    restores.push(pick.restore, input.restore, dialog.restore, info.restore, errors.restore);
    // The sandbox runs beside VS Code as `npm run demo` runs it: accounts added by hand go to it.
    const previous = process.env.APPDESK_DEMO_SANDBOX_URL;
    process.env.APPDESK_DEMO_SANDBOX_URL = sandboxOrigin();
    const start = (await sandboxRequests()).length;
    try {
      account = await vscode.commands.executeCommand<AccountConfig | undefined>('appdesk.addAccount');
    } finally {
      if (previous === undefined) delete process.env.APPDESK_DEMO_SANDBOX_URL;
      else process.env.APPDESK_DEMO_SANDBOX_URL = previous;
    }
    assert.deepEqual(errors.calls, [], 'no error shown');
    assert.deepEqual(steps, ['provider', 'issuer', 'key id', 'key file']);
    assert.ok(account, 'Add Account returned the new account');
    assert.equal(account.providerId, 'asc');
    assert.equal(account.baseUrl, `${sandboxOrigin()}/asc`);
    assert.deepEqual(account.settings, { issuerId: creds.issuerId, keyId: creds.keyId });
    // The key went to SecretStorage: neither its text nor the file's path is in the account record.
    const saved = (await api()).accounts.get(account.id);
    assert.ok(saved, 'the account is stored');
    assert.ok(!JSON.stringify(saved).includes('PRIVATE KEY') && !JSON.stringify(saved).includes(keyPath));
    assert.ok(info.calls.some((c) => /App Store Connect: .* connected\./.test(String(c[0]))), JSON.stringify(info.calls));
    // One authenticated call verified the key before the account appeared.
    assert.deepEqual((await apiCallsSince(start, '/asc/v')).slice(0, 1), ['GET /asc/v1/apps']);
  });

  it('shows its apps in the Apps tree, with their sections', async () => {
    const acc = need(account, 'the account');
    await vscode.commands.executeCommand('appdesk.apps.focus');
    const providerNode = (await childrenOf()).find((n) => n.type === 'provider' && n.definition.id === 'asc');
    assert.ok(providerNode, 'an App Store Connect node');
    const accountNode = (await childrenOf(providerNode)).find((n) => n.type === 'account' && n.account.id === acc.id);
    assert.ok(accountNode, 'the account under its provider');
    const apps = (await childrenOf(accountNode)).filter((n): n is Extract<Node, { type: 'app' }> => n.type === 'app');
    assert.deepEqual(apps.map((a) => a.app.name), ['Lumen Notes', 'Pocket Ledger', 'Tidepool Weather', 'Trailhead']);
    const lumenNode = apps.find((a) => a.app.id === '1581234567')!;
    lumen = lumenNode.app;
    assert.equal(lumen.bundleId, 'com.lumenlabs.notes');
    const sections = (await childrenOf(lumenNode)).map((n) => (n.type === 'section' ? n.section.label : n.type));
    assert.deepEqual(sections, ['App Store Versions', 'Builds', 'TestFlight', 'Ratings and Reviews', 'TestFlight Feedback']);
    const versionsNode = (await childrenOf(lumenNode)).find((n) => n.type === 'section' && n.section.kind === 'versions')!;
    const versions = (await childrenOf(versionsNode)).map((n) => (n.type === 'item' ? `${n.item.label} ${n.item.description}` : n.type));
    assert.ok(versions.some((v) => /^3\.3\.0 Prepare for Submission/i.test(v)), versions.join(' | '));
  });

  it('opens the metadata panel from the tree; an edit saved there is what the sandbox holds', async () => {
    const acc = need(account, 'the account');
    const app = need(lumen, 'Lumen Notes from the tree');
    // The real command, as the tree's context menu runs it.
    await vscode.commands.executeCommand('appdesk.openMetadata', { type: 'app', account: acc, app });
    await eventually(() => /appdesk\.metadata$/.test(activeWebviewViewType() ?? ''), 'the metadata webview to be the active tab');
    assert.equal(vscode.window.tabGroups.activeTabGroup.activeTab?.label, 'Metadata: Lumen Notes');
    await closeAllEditors();

    // The same panel class on the extension's own connection, driven as its webview would.
    d = drive((await MetadataPanel.show(ctx(), acc, app))!);
    await d.send({ type: 'ready' });
    const init = await d.waitFor('init');
    assert.equal((init.versions as { versionString: string; editable: boolean }[]).find((v) => v.editable)?.versionString, '3.3.0');
    const doc = (await d.waitFor('document')).document as { revision: string; version: { id: string }; locales: { locale: string; values: Record<string, string | null> }[] };
    const keywords = 'notes,notebook,markdown,journal,sketch,handwriting,search,pdf,ideas';
    const confirm = stubWindow('showInformationMessage', async (_m, opts) => ((opts as { modal?: boolean })?.modal ? 'Save' : undefined));
    restores.push(confirm.restore);
    const from = d.sent.length;
    await d.send({ type: 'save', revision: doc.revision, changes: { locales: [{ locale: 'en-US', values: { keywords } }] } });
    const saved = await d.waitFor('saved', undefined, from);
    assert.equal(saved.changed, 1);
    assert.match(String(confirm.calls[0]![0]), /^Save 1 change to Lumen Notes 3\.3\.0\?$/);
    const check = await (await sandboxView()).services.metadata!.load(app, doc.version.id);
    assert.equal(check.locales.find((l) => l.locale === 'en-US')?.values.keywords, keywords);
    assert.equal(check.locales.find((l) => l.locale === 'de-DE')?.values.keywords, doc.locales.find((l) => l.locale === 'de-DE')?.values.keywords, 'other locales untouched');
  });

  it('adds a tester to a TestFlight group and removes them again; the sandbox and the tree follow', async () => {
    const acc = need(account, 'the account');
    const app = need(lumen, 'Lumen Notes from the tree');
    d = drive((await TestFlightPanel.show(ctx(), acc, app))!);
    await d.send({ type: 'ready' });
    const groups = (await d.waitFor('groups')).groups as { id: string; name: string }[];
    const partners = groups.find((g) => g.name === 'Design Partners')!;
    let from = d.sent.length;
    await d.send({ type: 'addTester', email: 'ada@example.org', firstName: 'Ada', lastName: 'Lovelace', groupId: partners.id });
    const added = (await d.waitFor('testerAdded', undefined, from)).tester as { id: string; email: string };
    assert.equal(added.email, 'ada@example.org');
    const view = await sandboxView();
    const inGroup = async () => (await view.services.testers!.testers(app, { groupId: partners.id })).items.map((t) => t.email);
    assert.ok((await inGroup()).includes('ada@example.org'), 'the sandbox lists her in Design Partners');

    // The tree (after a refresh) shows her under the group.
    const { tree } = await api();
    tree.refresh();
    const appNode: Node = { type: 'app', account: acc, app };
    const tfNode = (await childrenOf(appNode)).find((n) => n.type === 'section' && n.section.kind === 'testers')!;
    const groupNode = (await childrenOf(tfNode)).find((n) => n.type === 'item' && n.item.label === 'Design Partners')!;
    assert.ok((await childrenOf(groupNode)).some((n) => n.type === 'item' && /ada@example\.org/.test(`${n.item.label} ${n.item.description}`)));

    const confirm = stubWindow('showWarningMessage', async () => 'Remove');
    restores.push(confirm.restore);
    from = d.sent.length;
    await d.send({ type: 'removeTester', testerId: added.id, groupId: partners.id });
    await d.waitFor('testerRemoved', undefined, from);
    assert.match(String(confirm.calls[0]![0]), /Remove Ada Lovelace <ada@example\.org> from the group "Design Partners"\?/);
    assert.ok(!(await inGroup()).includes('ada@example.org'), 'the sandbox no longer lists her');
  });

  it('replies to a review; the sandbox holds the response', async () => {
    const acc = need(account, 'the account');
    const app = need(lumen, 'Lumen Notes from the tree');
    d = drive((await ReviewsPanel.show(ctx(), acc, app))!);
    await d.send({ type: 'ready' });
    const reviews = (await d.waitFor('reviews')).items as { id: string; author?: string; response?: unknown }[];
    const review = reviews.find((r) => r.author === 'Kritzelkönig')!;
    assert.equal(review.response, undefined);
    const text = 'Danke! Geräteübergreifende Tags kommen mit 3.3.';
    const from = d.sent.length;
    await d.send({ type: 'reply', reviewId: review.id, text });
    const updated = (await d.waitFor('reviewUpdated', undefined, from)).review as { response?: { body: string } };
    assert.equal(updated.response?.body, text);
    const check = (await (await sandboxView()).services.reviews!.list(app, {})).items.find((r) => r.id === review.id);
    assert.equal(check?.response?.body, text);
  });

  it('submits the version for review and the watcher reports it, then App Review\'s next move', async function () {
    this.timeout(90_000);
    const acc = need(account, 'the account');
    const app = need(lumen, 'Lumen Notes from the tree');
    const conn = await extensionConnection(acc);
    // The version needs a build first (the metadata panel's Attach Build…).
    const builds = await conn.services.builds!.list(app);
    const build412 = builds.items.find((b) => b.buildNumber === '412')!;
    const versions = await conn.services.metadata!.listVersions(app);
    const v330 = versions.find((v) => v.versionString === '3.3.0')!;
    await conn.services.metadata!.attachBuild!(app, v330.id, build412.id);

    const { watcher } = await api();
    const fired: WatchChange[][] = [];
    const sub = watcher.onDidDetectChanges((c) => fired.push(c));
    restores.push(() => sub.dispose());
    const announced = stubWindow('showInformationMessage', async () => undefined);
    restores.push(announced.restore);
    assert.equal(typeof conn.watch, 'function', 'App Store Connect connections have no watch() (src/providers/asc/connection.ts), so the watcher cannot see a submission or App Review\'s decisions');
    await watcher.pollNow(); // the baseline snapshot

    d = drive((await ReleasePanel.show(ctx(), acc, app))!);
    await d.send({ type: 'ready' });
    const state = await d.waitFor('state');
    const readiness = state.readiness as { ok: boolean; label: string }[];
    assert.ok(readiness.every((c) => c.ok), `ready: ${readiness.filter((c) => !c.ok).map((c) => c.label).join('; ')}`);
    const confirm = stubWindow('showWarningMessage', async () => 'Submit for Review');
    restores.push(confirm.restore);
    const from = d.sent.length;
    await d.send({ type: 'submit', versionId: v330.id });
    confirm.restore();
    assert.match(String((await d.waitFor('done', undefined, from)).message), /Submitted for review/);

    const mine = (changes: WatchChange[]) => changes.filter((c) => c.account.id === acc.id && c.after.kind === 'version' && c.after.app.id === app.id);
    const submitted = mine(await watcher.pollNow());
    assert.equal(submitted.length, 1, `one version change: ${JSON.stringify(submitted.map((c) => [c.before?.state, c.after.state]))}`);
    assert.equal(submitted[0]!.before?.state, 'PREPARE_FOR_SUBMISSION');
    assert.equal(submitted[0]!.after.state, 'WAITING_FOR_REVIEW');
    assert.match(submitted[0]!.after.label, /3\.3\.0/);
    assert.ok(fired.some((batch) => mine(batch).length > 0), 'onDidDetectChanges fired');
    assert.ok(announced.calls.some((c) => /Lumen Notes: .*3\.3\.0.* is now /.test(String(c[0]))), `announced: ${JSON.stringify(announced.calls.map((c) => c[0]))}`);

    // App Review picks it up.
    const res = await fetch(`${sandboxOrigin()}/asc/_sandbox/version-state`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ versionId: v330.id, appStoreState: 'IN_REVIEW' }) });
    assert.equal(res.status, 204);
    const inReview = mine(await watcher.pollNow());
    assert.deepEqual(inReview.map((c) => [c.before?.state, c.after.state]), [['WAITING_FOR_REVIEW', 'IN_REVIEW']]);
    assert.deepEqual(mine(await watcher.pollNow()), [], 'nothing new on the next poll');
  });

  it('downloads a sales report for the vendor number; the table has the numeric columns to total', async () => {
    const acc = need(account, 'the account');
    const app = need(lumen, 'Lumen Notes from the tree');
    const creds = await ascCreds();
    await vscode.commands.executeCommand('appdesk.openReports', { accountId: acc.id, app });
    await eventually(() => /appdesk\.reports$/.test(activeWebviewViewType() ?? ''), 'the reports webview to be the active tab');
    await closeAllEditors();
    d = drive((await ReportsPanel.show(ctx(), acc, app))!);
    await d.send({ type: 'ready' });
    const init = await d.waitFor('init');
    assert.deepEqual([init.canSales, init.canMetrics], [true, true]);
    const date = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    const from = d.sent.length;
    await d.send({ type: 'loadSales', vendorNumber: creds.vendorNumber, date, frequency: 'DAILY' });
    const sales = await d.waitFor('sales', undefined, from);
    const report = sales.report as { columns: string[]; rows: string[][]; numericColumns: string[] };
    assert.deepEqual(report.numericColumns, ['Units', 'Developer Proceeds', 'Customer Price']);
    assert.ok(report.rows.length > 0, 'rows');
    const units = report.columns.indexOf('Units');
    assert.ok(report.rows.every((r) => /^-?\d+$/.test(r[units] ?? '')), 'units are whole numbers');
    assert.ok(report.rows.some((r) => r[report.columns.indexOf('Title')] === 'Lumen Notes'));
    // A vendor number that is not this account's is refused with Apple's words.
    const bad = d.sent.length;
    await d.send({ type: 'loadSales', vendorNumber: '99999999', date, frequency: 'DAILY' });
    assert.match(String(((await d.waitFor('error', undefined, bad)).error as { message: string }).message), /99999999/);
  });
});
