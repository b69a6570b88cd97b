// Legacy iTunes Connect inside a real VS Code, against the sandbox's emulation of its cookie-session JSON API:
// sign-in when the account is added (Apple's refusal of a wrong password), the Apps tree (apps → Version,
// Builds (trains → builds), Testers), the SHARED metadata panel saving an edit and, when Apple refuses it,
// handing Apple's field errors (keyed `<locale>/<field>`, as the webview looks them up) back without losing the
// edit, a tester added through the TestFlight panel, a review submission through the release panel, and an
// expired session that signs in again once, silently.
//
// The account goes through the real `appdesk.addAccount` command and every call uses the extension's own
// connection (the one the tree and the panels share). The webviews' DOM is out of reach from the extension host,
// so the panels' extension sides are driven with the messages their webviews send (test/e2e/itc.test.ts drives
// the real webview).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { MemoryLogger } from '../../src/core/logger';
import type { ConnectionManager } from '../../src/host/connections';
import type { PanelContext } from '../../src/panels/appPanel';
import { MetadataPanel } from '../../src/panels/metadataPanel';
import { ReleasePanel } from '../../src/panels/releasePanel';
import { TestFlightPanel } from '../../src/panels/testflightPanel';
import { isItcConnection, type ItcConnection } from '../../src/providers/itc';
import type { MetadataDocument } from '../../src/providers/services';
import type { AccountConfig } from '../../src/providers/types';
import type { MetadataUpdate } from '../../src/protocol/metadata';
import type { ReleaseUpdate } from '../../src/protocol/release';
import type { TestFlightUpdate } from '../../src/protocol/testflight';
import type { Node } from '../../src/tree/appsTree';
import { activeWebviewViewType, addAccount, api, closeAllEditors, drivePanel, eventually, removeAllAccounts, resetSandbox, sandboxAccount, sandboxCredentials, sandboxOrigin, sandboxRequests, type PanelRecorder } from './support';

interface ItcCreds { baseUrl: string; appleId: string; password: string; twoFactorAppleId: string }
type AppNode = Extract<Node, { type: 'app' }>;
type SectionNode = Extract<Node, { type: 'section' }>;

const APP_ID = '898536088'; // "App Name 1": live 0.9.13, edit version 1.0 (813314674)
const EDIT_VERSION = '813314674';
const RA = '/itc/WebObjects/iTunesConnect.woa/ra/';
const SIGN_IN = '/itc/WebObjects/iTunesConnect.woa/wo/';

async function creds(): Promise<ItcCreds> {
  return (await sandboxCredentials()).itc as unknown as ItcCreds;
}

/** Adds the demo Apple ID through the real Add Account command (which signs in before it saves anything). */
async function addItcAccount(password?: string): Promise<AccountConfig> {
  const c = await creds();
  return addAccount({ providerId: 'itc', baseUrl: c.baseUrl, settings: { appleId: c.appleId }, secrets: { password: password ?? c.password } });
}

/** The extension's own connection of an account: the one its tree and panels use. */
async function connectionOf(account: AccountConfig): Promise<ItcConnection> {
  const { tree } = await api();
  const connections = (tree as unknown as { connections: ConnectionManager }).connections;
  const conn = await connections.get(account);
  assert.ok(isItcConnection(conn), 'an iTunes Connect connection');
  return conn;
}

async function panelContext(): Promise<PanelContext> {
  const { accounts, tree } = await api();
  const connections = (tree as unknown as { connections: ConnectionManager }).connections;
  return { extensionUri: vscode.extensions.getExtension('appdesk.appdesk')!.extensionUri, logger: new MemoryLogger(), account: (id) => accounts.get(id), connection: (a) => connections.get(a) };
}

/** A second, independent client of the sandbox (own session, secrets in memory): what the server really holds. */
async function otherClient(): Promise<ItcConnection> {
  const conn = (await sandboxAccount(`it-itc-other-${Date.now()}`, 'itc')).connect();
  assert.ok(isItcConnection(conn));
  return conn;
}

async function serverDocument(): Promise<MetadataDocument> {
  const other = await otherClient();
  try {
    return await other.services.metadata.load({ id: APP_ID, name: 'App Name 1' }, EDIT_VERSION);
  } finally {
    other.dispose();
  }
}

const valueOf = (doc: MetadataDocument, locale: string, key: string) => doc.locales.find((l) => l.locale === locale)?.values[key];

/** iTunes Connect requests (not the test's calls to the sandbox's control endpoints) from `since` on. */
async function itcRequests(since = 0): Promise<{ method: string; path: string; status: number }[]> {
  return (await sandboxRequests()).slice(since).filter((r) => r.path === '/itc' || r.path.startsWith('/itc/') || r.path.startsWith('/itc?'));
}
const signIns = <T extends { method: string; path: string }>(log: T[]): T[] => log.filter((r) => r.method === 'POST' && r.path.startsWith(SIGN_IN));
const requestCount = async () => (await sandboxRequests()).length;

async function expireSessions(): Promise<void> {
  const res = await fetch(`${sandboxOrigin()}/itc/_sandbox/expire-sessions`, { method: 'POST' });
  assert.equal(res.status, 204);
}

// ---------- the tree ----------

async function accountNode(account: AccountConfig): Promise<Extract<Node, { type: 'account' }>> {
  const { tree } = await api();
  const provider = (await tree.getChildren()).find((n) => n.type === 'provider' && n.definition.id === 'itc');
  assert.ok(provider, 'an iTunes Connect (legacy) provider row');
  const node = (await tree.getChildren(provider)).find((n) => n.type === 'account' && n.account.id === account.id);
  assert.ok(node && node.type === 'account', 'the account row');
  return node;
}

async function appNode(account: AccountConfig, appId = APP_ID): Promise<AppNode> {
  const { tree } = await api();
  const apps = await tree.getChildren(await accountNode(account));
  const node = apps.find((n): n is AppNode => n.type === 'app' && n.app.id === appId);
  assert.ok(node, `app ${appId} in the tree; it shows: ${apps.map((n) => String(tree.getTreeItem(n).label)).join(', ')}`);
  return node;
}

async function sectionNode(account: AccountConfig, label: string): Promise<SectionNode> {
  const { tree } = await api();
  const node = (await tree.getChildren(await appNode(account))).find((n): n is SectionNode => n.type === 'section' && n.section.label === label);
  assert.ok(node, `the ${label} section`);
  return node;
}

async function rows(node: Node): Promise<{ label: string; description: string | undefined; node: Node }[]> {
  const { tree } = await api();
  return (await tree.getChildren(node)).map((n) => {
    const t = tree.getTreeItem(n);
    return { label: String(t.label), description: typeof t.description === 'string' ? t.description : undefined, node: n };
  });
}

// ---------- panels driven as their webview would ----------

type Driver<M extends { type: string }> = PanelRecorder<M, { panel: vscode.WebviewPanel }>;

/**
 * Records what a panel posts and plays its webview's part: the real webview's own messages are dropped, so a
 * webview that loads late cannot add requests in the middle of a test (see support.ts's openSandboxPanel).
 */
function drive<M extends { type: string }>(panel: { panel: vscode.WebviewPanel }): Driver<M> {
  return drivePanel<M, { panel: vscode.WebviewPanel }>(panel, { timeoutMs: 15_000 });
}

/** Answers the next modal `showInformationMessage` / `showWarningMessage` with `answer`, recording the calls. */
function answerModals(answer: string | undefined): { calls: { kind: string; args: unknown[] }[]; restore(): void } {
  const w = vscode.window as unknown as Record<'showInformationMessage' | 'showWarningMessage', (...a: unknown[]) => Thenable<unknown>>;
  const originals = { info: w.showInformationMessage, warn: w.showWarningMessage };
  const calls: { kind: string; args: unknown[] }[] = [];
  const fake = (kind: string, original: (...a: unknown[]) => Thenable<unknown>) => (...args: unknown[]) => {
    const modal = typeof args[1] === 'object' && args[1] !== null && (args[1] as { modal?: boolean }).modal === true;
    if (!modal) return original.apply(vscode.window, args); // toasts go through
    calls.push({ kind, args });
    return Promise.resolve(answer);
  };
  w.showInformationMessage = fake('info', originals.info);
  w.showWarningMessage = fake('warn', originals.warn);
  return { calls, restore: () => { w.showInformationMessage = originals.info; w.showWarningMessage = originals.warn; } };
}

/** Records every prompt the user would see (errors, input boxes, quick picks) without showing any. */
function watchPrompts(): { prompts: string[]; restore(): void } {
  const w = vscode.window as unknown as Record<string, (...a: unknown[]) => Thenable<unknown>>;
  const names = ['showErrorMessage', 'showInputBox', 'showQuickPick', 'showWarningMessage'] as const;
  const originals = Object.fromEntries(names.map((n) => [n, w[n]!]));
  const prompts: string[] = [];
  for (const n of names) w[n] = async (...args: unknown[]) => { prompts.push(`${n}: ${JSON.stringify(args[0])}`); return undefined; };
  return { prompts, restore: () => { for (const n of names) w[n] = originals[n]!; } };
}

// ---------- the suite ----------

describe('iTunes Connect (legacy)', () => {
  let account: AccountConfig;
  const cleanups: (() => unknown)[] = [];

  before(async () => {
    await removeAllAccounts();
    await resetSandbox();
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    await closeAllEditors();
  });
  after(removeAllAccounts);

  it('signs in when the account is added; a wrong password is refused in Apple\'s words and nothing is saved', async () => {
    const { accounts } = await api();
    const start = await requestCount();
    await assert.rejects(addItcAccount('not-the-password'), (err: Error) => {
      assert.match(err.message, /iTunes Connect rejected the Apple ID or password for demo@appdesk\.example/);
      return true;
    });
    assert.equal(accounts.list().filter((a) => a.providerId === 'itc').length, 0, 'no account saved after a refused sign-in');
    const refused = signIns(await itcRequests(start));
    assert.deepEqual(refused.map((r) => r.status), [200], 'one sign-in POST, answered with the sign-in page again');

    const before = await requestCount();
    account = await addItcAccount();
    assert.equal(account.providerId, 'itc');
    assert.equal(account.label, 'iTunes Connect (demo@appdesk.example)');
    assert.deepEqual(account.settings, { appleId: 'demo@appdesk.example' }, 'the password is not a setting');
    assert.ok(accounts.list().some((a) => a.id === account.id), 'the account is saved');
    // The form action is discovered on the landing page, the form posted, then the session checked with a real
    // call (the Apps view, when visible, loads the new account right after: only the first three are Add Account's).
    const log = (await itcRequests(before)).slice(0, 3).map((r) => `${r.method} ${r.path.startsWith(SIGN_IN) ? SIGN_IN + '…' : r.path.split('?')[0]} ${r.status}`);
    assert.deepEqual(log, ['GET /itc 200', `POST ${SIGN_IN}… 302`, `GET ${RA}user/detail 200`]);
  });

  describe('with the account', () => {
    // Added by the test above; on its own (APPDESK_GREP) a test adds it here.
    before(async () => {
      const { accounts } = await api();
      if (!account || !accounts.get(account.id)) account = await addItcAccount();
    });

    it('browses apps, versions, build trains with their builds, and testers in the Apps tree', async () => {
      const { tree } = await api();
      tree.refresh();
      const provider = (await tree.getChildren()).find((n) => n.type === 'provider' && n.definition.id === 'itc')!;
      assert.equal(tree.getTreeItem(provider).label, 'iTunes Connect (legacy)');
      assert.equal(tree.getTreeItem(await accountNode(account)).label, 'iTunes Connect (demo@appdesk.example)');

      const apps = await rows(await accountNode(account));
      assert.deepEqual(apps.map((a) => [a.label, a.description]), [
        ['App Name 1', 'net.sunapps.107 · ios'],
        ['app name why not', 'net.sunapps.realtestda · ios'],
        ['App Name 3', 'net.sunapps.187 · ios'],
      ]);
      const app = await appNode(account);
      assert.match(String(tree.getTreeItem(app).contextValue), /\bcap-metadata\b/, 'the app row offers Edit Metadata');
      assert.deepEqual((await rows(app)).map((s) => s.label), ['Version', 'Builds', 'Testers']);

      const versions = await rows(await sectionNode(account, 'Version'));
      assert.deepEqual(versions.map((v) => [v.label, v.description]), [['1.0', 'Prepare for Upload'], ['0.9.13', 'Ready for Sale · live']]);

      const buildsSection = await sectionNode(account, 'Builds');
      assert.equal(tree.getTreeItem(buildsSection).command?.command, 'appdesk.openBuilds', 'the Builds section opens the Builds panel');
      const trains = await rows(buildsSection);
      assert.deepEqual(trains.map((t) => [t.label, t.description]), [['1.0', '3 builds · 1 not ready'], ['0.9.13', '1 build']]);
      assert.equal(tree.getTreeItem(trains[0]!.node).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed, 'a train expands to its builds');
      const builds = await rows(trains[0]!.node);
      assert.deepEqual(builds.map((b) => b.label), ['1.0 (12)', '1.0 (11)', '1.0 (10)']);
      assert.match(builds[0]!.description ?? '', /^processing/, 'the upload still processing says so');
      assert.deepEqual((await rows(trains[1]!.node)).map((b) => b.label), ['0.9.13 (9)']);

      const testers = await rows(await sectionNode(account, 'Testers'));
      assert.deepEqual(testers.map((t) => [t.label, t.description]), [['Detlef Müller', 'private@krausefx.com'], ['Felix Krause', 'ich@felixkrause.at']]);
    });

    it('opens the shared metadata panel from the tree\'s Version section', async () => {
      const { tree } = await api();
      const item = tree.getTreeItem(await sectionNode(account, 'Version'));
      assert.equal(item.command?.command, 'appdesk.openMetadata');
      await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
      await eventually(() => /appdesk\.metadata$/.test(activeWebviewViewType() ?? ''), 'the metadata webview to be the active tab', 30_000);
      assert.equal(vscode.window.tabGroups.activeTabGroup.activeTab?.label, 'Metadata: App Name 1');
    });

    describe('metadata, through the shared panel', () => {
      let d: Driver<MetadataUpdate>;
      let doc: MetadataDocument;

      beforeEach(async () => {
        await resetSandbox();
        const app = (await appNode(account)).app;
        const panel = await MetadataPanel.show(await panelContext(), account, app);
        assert.ok(panel, 'a new metadata panel');
        d = drive<MetadataUpdate>(panel);
        cleanups.push(() => d.dispose());
        await d.send({ type: 'ready' });
        const init = await d.waitFor('init');
        assert.equal(init.provider, 'iTunes Connect (demo@appdesk.example)');
        assert.deepEqual(init.versions.map((v) => [v.versionString, v.state, v.editable, !!v.live]), [['1.0', 'prepareForUpload', true, false], ['0.9.13', 'readyForSale', true, true]]);
        doc = (await d.waitFor('document')).document;
      });

      it('loads the version being edited with every localization and Apple\'s limits', () => {
        assert.equal(doc.version.id, EDIT_VERSION);
        assert.equal(doc.version.buildLabel, '1.0 (10)');
        assert.deepEqual(doc.locales.map((l) => l.locale), ['en-US', 'de-DE']);
        assert.deepEqual(doc.fields.map((f) => [f.key, f.maxChars ?? null]), [
          ['name', 255], ['description', 4000], ['keywords', 100], ['whatsNew', 4000], ['supportUrl', null], ['marketingUrl', null], ['privacyPolicyUrl', null],
        ]);
        assert.equal(valueOf(doc, 'en-US', 'keywords'), 'Some random titles');
        assert.equal(valueOf(doc, 'de-DE', 'whatsNew'), 'Fehlerbehebungen');
      });

      it('saves an edit after the user confirms exactly what changes; the server holds it and nothing else changed', async () => {
        const modal = answerModals('Save');
        cleanups.push(() => modal.restore());
        const from = d.sent.length;
        const since = await requestCount();
        await d.send({ type: 'save', revision: doc.revision, changes: { locales: [{ locale: 'en-US', values: { keywords: 'notes,ledger,legacy', whatsNew: 'Saved from VS Code.' } }] } });
        const saved = await d.waitFor('saved', undefined, from);
        assert.equal(saved.changed, 2);
        assert.equal(modal.calls.length, 1, 'one confirmation');
        assert.equal(modal.calls[0]!.args[0], 'Save 2 changes to App Name 1 1.0?');
        assert.equal((modal.calls[0]!.args[1] as { detail: string }).detail, "en-US: Keywords, What's New in This Version");
        assert.equal(valueOf(saved.document, 'en-US', 'keywords'), 'notes,ledger,legacy');
        assert.notEqual(saved.document.revision, doc.revision);

        const writes = (await itcRequests(since)).filter((r) => r.method === 'POST' && r.path.startsWith(RA));
        assert.deepEqual(writes.map((r) => `${r.path} ${r.status}`), [`${RA}apps/version/save/${APP_ID} 200`], 'one save of the edit version');
        const server = await serverDocument();
        assert.equal(valueOf(server, 'en-US', 'keywords'), 'notes,ledger,legacy');
        assert.equal(valueOf(server, 'en-US', 'whatsNew'), 'Saved from VS Code.');
        assert.equal(valueOf(server, 'en-US', 'description'), 'Super Description here', 'an untouched field keeps its value');
        assert.deepEqual(server.locales.find((l) => l.locale === 'de-DE')?.values, doc.locales.find((l) => l.locale === 'de-DE')?.values, 'the other locale is untouched');
      });

      it('a refused save posts Apple\'s field errors keyed as the panel\'s fields, saves nothing, and the same draft saves once fixed', async () => {
        const modal = answerModals('Save');
        cleanups.push(() => modal.restore());
        const from = d.sent.length;
        // Values the webview lets through (no client-side limit is broken) that Apple refuses.
        const draft = [
          { locale: 'en-US', values: { keywords: 'kept,after,failure', supportUrl: 'support at sunapps dot net' } },
          { locale: 'de-DE', values: { privacyPolicyUrl: 'datenschutz' } },
        ];
        await d.send({ type: 'save', revision: doc.revision, changes: { locales: draft } });
        const failed = await d.waitFor('saveFailed', undefined, from);
        assert.equal(failed.error.kind, 'validation');
        assert.equal(failed.error.provider, 'iTunes Connect');
        assert.deepEqual(failed.error.fieldErrors, {
          'en-US/supportUrl': ['The support URL is not a valid URL.'],
          'de-DE/privacyPolicyUrl': ['The privacy policy URL is not a valid URL.'],
        });
        // The webview shows `fieldErrors['<locale>/<field key>']` under that field: every key names one it renders.
        for (const key of Object.keys(failed.error.fieldErrors ?? {})) {
          const [locale, field] = key.split('/');
          assert.ok(doc.locales.some((l) => l.locale === locale), `${key}: a locale of the document`);
          assert.ok(doc.fields.some((f) => f.key === field), `${key}: a field of the document`);
        }
        assert.ok(failed.error.details?.includes('The support URL is not a valid URL.'), 'Apple\'s words reach the error box too');
        assert.ok(!d.sent.slice(from).some((m) => m.type === 'document' || m.type === 'saved'), 'the base the draft was made on stays');

        const server = await serverDocument();
        assert.equal(server.revision, doc.revision, 'nothing was saved');

        // The user corrects the two URLs and saves the same draft again (same revision, the keywords edit kept).
        const again = d.sent.length;
        await d.send({ type: 'save', revision: doc.revision, changes: { locales: [
          { locale: 'en-US', values: { keywords: 'kept,after,failure', supportUrl: 'https://sunapps.net/support' } },
          { locale: 'de-DE', values: { privacyPolicyUrl: 'https://sunapps.net/datenschutz' } },
        ] } });
        const saved = await d.waitFor('saved', undefined, again);
        assert.equal(saved.changed, 3);
        const after = await serverDocument();
        assert.equal(valueOf(after, 'en-US', 'keywords'), 'kept,after,failure');
        assert.equal(valueOf(after, 'en-US', 'supportUrl'), 'https://sunapps.net/support');
        assert.equal(valueOf(after, 'de-DE', 'privacyPolicyUrl'), 'https://sunapps.net/datenschutz');
      });

      it('a field the version\'s state locks is refused before anything is sent, keyed to that field', async () => {
        const modal = answerModals('Save');
        cleanups.push(() => modal.restore());
        // The live version: its name and keywords are read-only (description and URLs stay editable).
        const live = d.sent.length;
        await d.send({ type: 'selectVersion', versionId: '812106519', live: true });
        const liveDoc = (await d.waitFor('document', (m) => m.document.version.id === '812106519', live)).document;
        const from = d.sent.length;
        const since = await requestCount();
        await d.send({ type: 'save', revision: liveDoc.revision, changes: { locales: [{ locale: 'en-US', values: { keywords: 'no,longer,editable' } }] } });
        const failed = await d.waitFor('saveFailed', undefined, from);
        assert.deepEqual(failed.error.fieldErrors, { 'en-US/keywords': ['Keywords cannot be changed while the version is Ready for Sale.'] });
        assert.deepEqual((await itcRequests(since)).filter((r) => r.method === 'POST').map((r) => r.path), [], 'nothing was posted');
      });
    });

    it('adds an external tester through the TestFlight panel (in the group the form offers); the tree\'s Testers section shows them', async () => {
      await resetSandbox();
      const { tree } = await api();
      const item = tree.getTreeItem(await sectionNode(account, 'Testers'));
      assert.equal(item.command?.command, 'appdesk.openTestFlight', 'the Testers section opens the TestFlight panel');
      const app = (await appNode(account)).app;
      const panel = await TestFlightPanel.show(await panelContext(), account, app);
      assert.ok(panel);
      const d = drive<TestFlightUpdate>(panel);
      cleanups.push(() => d.dispose());
      await d.send({ type: 'ready' });
      const groups = (await d.waitFor('groups')).groups;
      assert.deepEqual((await d.waitFor('testers')).items.map((t) => t.email), ['private@krausefx.com', 'ich@felixkrause.at']);
      // The webview's form offers the account's groups, the first one preselected.
      const group = groups.find((g) => g.name === 'MyGroup');
      assert.ok(group, `a MyGroup group among ${groups.map((g) => g.name).join(', ')}`);

      // What goes over the wire: the group as fastlane's create_tester! sends it.
      const session = (await connectionOf(account)).session;
      const request = session.request.bind(session);
      const bodies: unknown[] = [];
      session.request = ((method, path, opts) => {
        if (path === 'users/pre/create') bodies.push(opts.json);
        return request(method, path, opts);
      }) as typeof session.request;
      cleanups.push(() => { session.request = request; });

      const from = d.sent.length;
      const since = await requestCount();
      await d.send({ type: 'addTester', email: ' ada@example.com ', firstName: 'Ada', lastName: 'Lovelace', groupId: group.id });
      const added = await d.waitFor('testerAdded', undefined, from);
      assert.equal(added.tester.email, 'ada@example.com');
      assert.equal(added.tester.state, 'invited');
      assert.equal(added.groupId, group.id);
      assert.deepEqual((await itcRequests(since)).filter((r) => r.method === 'POST').map((r) => `${r.path} ${r.status}`), [`${RA}users/pre/create 200`]);
      assert.deepEqual((bodies[0] as { testers: { emailAddress: unknown; groups: unknown }[] }).testers.map((t) => [t.emailAddress, t.groups]), [
        [{ value: 'ada@example.com', errorKeys: [] }, [{ id: group.id, name: { value: 'MyGroup' } }]],
      ]);

      tree.refresh();
      const testers = await rows(await sectionNode(account, 'Testers'));
      assert.deepEqual(testers.map((t) => [t.label, t.description]), [
        ['Detlef Müller', 'private@krausefx.com'], ['Felix Krause', 'ich@felixkrause.at'], ['Ada Lovelace', 'ada@example.com'],
      ]);
    });

    it('submits the version for review through the release panel after a confirmation; the tree shows Waiting for Review', async () => {
      await resetSandbox();
      const app = (await appNode(account)).app;
      const panel = await ReleasePanel.show(await panelContext(), account, app);
      assert.ok(panel);
      const d = drive<ReleaseUpdate>(panel);
      cleanups.push(() => d.dispose());
      await d.send({ type: 'ready' });
      const init = await d.waitFor('init');
      assert.deepEqual(init.features, { cancel: false, phased: false, release: false, reject: true, resolutionCenter: true });
      const state = await d.waitFor('state');
      assert.equal(state.version.id, EDIT_VERSION);
      const failing = state.readiness.filter((c) => !c.ok).map((c) => c.label);
      assert.deepEqual(failing, [], 'the seeded edit version is ready');

      const modal = answerModals('Submit for Review');
      cleanups.push(() => modal.restore());
      const from = d.sent.length;
      const since = await requestCount();
      await d.send({ type: 'submit', versionId: EDIT_VERSION });
      const done = await d.waitFor('done', undefined, from);
      assert.match(done.message, /Submitted for review \(waitingforreview\)/);
      assert.deepEqual(modal.calls.map((c) => c.args[0]), ['Submit App Name 1 1.0 for App Review?']);
      const after = await d.waitFor('state', undefined, from);
      assert.equal(after.version.state, 'waitingForReview');
      assert.deepEqual((await itcRequests(since)).filter((r) => r.path.includes('/submit/')).map((r) => `${r.method} ${r.path} ${r.status}`), [
        `GET ${RA}apps/${APP_ID}/versions/${EDIT_VERSION}/submit/summary 200`,
        `POST ${RA}apps/${APP_ID}/versions/${EDIT_VERSION}/submit/complete 200`,
      ]);

      const { tree } = await api();
      tree.refresh();
      const versions = await rows(await sectionNode(account, 'Version'));
      assert.deepEqual(versions.map((v) => [v.label, v.description]), [['1.0', 'Waiting for Review'], ['0.9.13', 'Ready for Sale · live']]);
    });

    describe('an expired session', () => {
      let prompts: ReturnType<typeof watchPrompts>;
      beforeEach(async () => {
        await resetSandbox();
        await (await connectionOf(account)).listApps({}); // a live session (the reset ended the old one)
        prompts = watchPrompts();
        cleanups.push(() => prompts.restore());
      });

      it('signs in again exactly once, silently, when the tree loads many things at once', async () => {
        const since = await requestCount();
        await expireSessions();
        const { tree } = await api();
        tree.refresh();
        const apps = (await tree.getChildren(await accountNode(account))).filter((n): n is AppNode => n.type === 'app');
        assert.equal(apps.length, 3, 'the apps are listed');
        // Every section of every app, in parallel, on the same connection.
        const sections = (await Promise.all(apps.map((a) => tree.getChildren(a)))).flat();
        const children = await Promise.all(sections.map((s) => tree.getChildren(s)));
        const errors = children.flat().filter((n) => n.type === 'error');
        assert.deepEqual(errors.map((n) => String(tree.getTreeItem(n).label)), [], 'no error rows');
        const log = await itcRequests(since);
        assert.equal(signIns(log).length, 1, `one sign-in: ${log.map((r) => `${r.method} ${r.path.split('?')[0]} ${r.status}`).join('\n')}`);
        assert.equal(signIns(log)[0]!.status, 302);
        assert.ok(log.some((r) => r.status === 401), 'the expired session was answered with a 401');
        assert.deepEqual(prompts.prompts, [], 'no prompt, no error message');
      });

      it('a metadata save meets the expired session: one silent sign-in, the save goes through', async () => {
        const panel = await MetadataPanel.show(await panelContext(), account, (await appNode(account)).app);
        assert.ok(panel);
        const d = drive<MetadataUpdate>(panel);
        cleanups.push(() => d.dispose());
        await d.send({ type: 'ready' });
        const doc = (await d.waitFor('document')).document;
        const modal = answerModals('Save');
        cleanups.push(() => modal.restore());

        const since = await requestCount();
        await expireSessions();
        const from = d.sent.length;
        await d.send({ type: 'save', revision: doc.revision, changes: { locales: [{ locale: 'en-US', values: { description: 'Saved across a re-login.' } }] } });
        await d.waitFor('saved', undefined, from);
        const log = await itcRequests(since);
        assert.deepEqual(signIns(log).map((r) => r.status), [302], 'one sign-in');
        assert.deepEqual(log.filter((r) => r.method === 'POST' && r.path.startsWith(RA)).map((r) => r.status), [200], 'the save was sent once, after the sign-in');
        assert.equal(valueOf(await serverDocument(), 'en-US', 'description'), 'Saved across a re-login.');
        assert.deepEqual(prompts.prompts, []);
      });

      it('signs in only once even when the server refuses the new session too, and then says so', async () => {
        const conn = await connectionOf(account);
        const since = await requestCount();
        // The next two ra/ calls answer 401: the one that finds the session expired and the retry after signing in.
        await fetch(`${sandboxOrigin()}/_sandbox/faults`, { method: 'POST', body: JSON.stringify({ prefix: RA, kind: 'status', status: 401, times: 2 }) });
        await assert.rejects(conn.listApps({}), (err: Error & { kind?: string }) => {
          assert.equal(err.kind, 'auth');
          assert.match(err.message, /did not accept the session even right after signing in again/);
          return true;
        });
        const log = await itcRequests(since);
        assert.deepEqual(signIns(log).map((r) => r.status), [302], 'one sign-in, no loop');
        assert.deepEqual(log.filter((r) => r.path.startsWith(RA)).map((r) => r.status), [401, 401]);
        // The next call works on the session signed in above.
        assert.equal((await conn.listApps({})).items.length, 3);
      });
    });
  });
});
