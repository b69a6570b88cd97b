// Apptentive inside a real VS Code, against the sandbox's legacy REST API: one account per app (added through the
// real Add Account command), each app's Feedback and Surveys sections in the tree, the Feedback panel creating
// and archiving records and the Surveys panel deactivating a survey (with confirmation), checked in the sandbox
// and in the tree. The test plays the webview's part of the panels (their DOM is out of reach from here).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { MemoryLogger } from '../../src/core/logger';
import { apptentiveProvider } from '../../src/providers/apptentive';
import type { FeedbackEntry, Survey } from '../../src/providers/services';
import { secretKey, type AccountConfig, type AppSummary, type Connection } from '../../src/providers/types';
import type { PanelContext } from '../../src/panels/appPanel';
import { FeedbackPanel } from '../../src/panels/feedbackPanel';
import { SurveysPanel } from '../../src/panels/surveysPanel';
import type { FeedbackUpdate, SurveysUpdate } from '../../src/protocol/feedback';
import type { Node } from '../../src/tree/appsTree';
import { activeWebviewViewType, addAccount, api, clearSandboxRequests, closeAllEditors, eventually, removeAllAccounts, resetSandbox, sandboxCredentials, sandboxOrigin, sandboxRequests } from './support';

interface SandboxApp { id: string; name: string; token: string }
interface RecordDoc { id: string; archived: boolean; summary?: string; feedback?: { feedback: string; type: string | null } | null; user?: { name: string | null; email: string | null } }
interface SurveyDoc { id: string; name: string; active: boolean }
type Msg = { type: string };

async function sandboxApps(): Promise<SandboxApp[]> {
  return (await sandboxCredentials()).apptentive!.apps as SandboxApp[];
}

async function apptentiveGet<T>(token: string, path: string): Promise<T> {
  const res = await fetch(`${sandboxOrigin()}/apptentive${path}`, { headers: { authorization: `OAuth ${token}` } });
  assert.equal(res.status, 200, `GET ${path}`);
  return (await res.json()) as T;
}

function tooltipText(item: vscode.TreeItem): string {
  const t = item.tooltip;
  return typeof t === 'string' ? t : t?.value ?? '';
}

/** A connection of its own to the same account and sandbox, built from the provider definition. */
function connect(account: AccountConfig, token: string): Connection {
  const secrets = new Map([[secretKey(account.id, 'token'), token]]);
  const state = new Map<string, unknown>();
  return apptentiveProvider.connect(account, {
    logger: new MemoryLogger(),
    secrets: { get: async (k) => secrets.get(k), store: async (k, v) => void secrets.set(k, v), delete: async (k) => void secrets.delete(k) },
    state: { get: async <T>(k: string) => state.get(k) as T | undefined, set: async <T>(k: string, v: T) => void state.set(k, v) },
  });
}

interface Driver<M extends Msg> {
  sent: M[];
  send(msg: unknown): Promise<void>;
  waitFor<T extends M['type']>(type: T, pred?: (m: Extract<M, { type: T }>) => boolean, from?: number): Promise<Extract<M, { type: T }>>;
  dispose(): void;
}

/** Records what the panel posts and lets the test send the webview's messages (the real webview's are dropped). */
function drive<M extends Msg>(panel: { panel: vscode.WebviewPanel }): Driver<M> {
  const sent: M[] = [];
  const inner = panel as unknown as { post(m: M): void; receive(m: unknown): Promise<void> };
  const post = inner.post.bind(panel);
  const receive = inner.receive.bind(panel);
  inner.post = (m) => { sent.push(m); post(m); };
  inner.receive = async () => undefined;
  return {
    sent,
    send: (msg) => receive(msg),
    waitFor: (type, pred, from = 0) => eventually(
      () => sent.slice(from).find((m) => m.type === type && (!pred || pred(m as never))) as never,
      `a "${type}" message (posted: ${sent.slice(from).map((m) => m.type).join(', ') || 'nothing'})`,
    ),
    dispose: () => panel.panel.dispose(),
  };
}

function stubDialogs(warningAnswer: string | undefined): { warnings: unknown[][]; infos: unknown[][]; restore(): void } {
  const w = vscode.window as unknown as Record<'showWarningMessage' | 'showInformationMessage', (...a: unknown[]) => Thenable<unknown>>;
  const original = { warning: w.showWarningMessage, info: w.showInformationMessage };
  const warnings: unknown[][] = [];
  const infos: unknown[][] = [];
  w.showWarningMessage = async (...args: unknown[]) => { warnings.push(args); return warningAnswer; };
  w.showInformationMessage = async (...args: unknown[]) => { infos.push(args); return undefined; };
  return { warnings, infos, restore: () => { w.showWarningMessage = original.warning; w.showInformationMessage = original.info; } };
}

async function apptentiveRequests(): Promise<{ method: string; path: string; status: number }[]> {
  return (await sandboxRequests()).filter((r) => r.path.startsWith('/apptentive/'));
}

describe('Apptentive', () => {
  const added = new Map<string, { account: AccountConfig; token: string }>();
  let ios: { account: AccountConfig; token: string; app: AppSummary };

  before(async () => {
    await removeAllAccounts();
    await resetSandbox();
  });
  afterEach(closeAllEditors);
  after(() => removeAllAccounts());

  async function tree() {
    return (await api()).tree;
  }

  async function appNode(accountLabel: string): Promise<Extract<Node, { type: 'app' }>> {
    const t = await tree();
    const provider = (await t.getChildren()).find((n) => n.type === 'provider' && n.definition.id === 'apptentive')!;
    const account = (await t.getChildren(provider)).find((n) => n.type === 'account' && n.account.label === accountLabel)!;
    const [app] = await t.getChildren(account);
    assert.equal(app?.type, 'app', `the app of ${accountLabel}`);
    return app as Extract<Node, { type: 'app' }>;
  }

  async function section(accountLabel: string, kind: 'feedback' | 'surveys'): Promise<Extract<Node, { type: 'section' }>> {
    const t = await tree();
    const s = (await t.getChildren(await appNode(accountLabel))).find((n) => n.type === 'section' && n.section.kind === kind);
    assert.ok(s, `a ${kind} section`);
    return s as Extract<Node, { type: 'section' }>;
  }

  async function rows(node: Node, refresh = true): Promise<{ node: Node; label: string; description: string; tooltip: string; icon?: string; color?: string; context: string }[]> {
    const t = await tree();
    if (refresh) t.refresh(node);
    return (await t.getChildren(node)).map((n) => {
      const item = t.getTreeItem(n);
      const icon = item.iconPath as vscode.ThemeIcon | undefined;
      return { node: n, label: String(item.label), description: String(item.description ?? ''), tooltip: tooltipText(item), icon: icon?.id, color: icon?.color?.id, context: item.contextValue ?? '' };
    });
  }

  it('adds one account per app with that app\'s token; a token of no app is refused', async () => {
    await assert.rejects(
      addAccount({ providerId: 'apptentive', settings: { appName: 'Nobody' }, secrets: { token: 'f'.repeat(64) } }),
      /Apptentive did not accept the API token of Nobody \(401\)/,
    );
    for (const app of await sandboxApps()) {
      const account = await addAccount({ providerId: 'apptentive', settings: { appName: app.name, appId: app.id }, secrets: { token: app.token } });
      assert.equal(account.label, `Apptentive — ${app.name}`);
      added.set(app.name, { account, token: app.token });
    }
    const { accounts } = await api();
    assert.equal(accounts.list().filter((a) => a.providerId === 'apptentive').length, 2);
  });

  it('shows each account with its app, and the app\'s Feedback and Surveys sections that open their panels', async () => {
    const t = await tree();
    const provider = (await t.getChildren()).find((n) => n.type === 'provider' && n.definition.id === 'apptentive')!;
    assert.equal(t.getTreeItem(provider).label, 'Apptentive');
    const accounts = await t.getChildren(provider);
    assert.deepEqual(accounts.map((a) => t.getTreeItem(a).label).sort(), ['Apptentive — Northwind Trails (Android)', 'Apptentive — Northwind Trails (iOS)']);
    for (const app of await sandboxApps()) {
      const node = await appNode(`Apptentive — ${app.name}`);
      assert.equal(node.app.name, app.name);
      assert.equal(node.app.id, app.id);
      const item = t.getTreeItem(node);
      assert.equal(item.label, app.name);
      assert.match(item.contextValue ?? '', /\bcap-feedback\b.*\bcap-surveys\b/);
      const sections = await rows(node);
      assert.deepEqual(sections.map((s) => [s.label, s.icon]), [['Feedback', 'comment-discussion'], ['Surveys', 'checklist']]);
      assert.deepEqual(sections.map((s) => t.getTreeItem(s.node).command?.command), ['appdesk.openFeedback', 'appdesk.openSurveys']);
    }
    const a = added.get('Northwind Trails (iOS)')!;
    ios = { ...a, app: (await appNode(a.account.label)).app };
  });

  it('lists the records that are not archived under Feedback, newest first, as Apptentive wrote them', async () => {
    const docs = await apptentiveGet<RecordDoc[]>(ios.token, '/records');
    const open = docs.filter((d) => !d.archived);
    assert.ok(open.length > 10 && docs.length > open.length, `the seed has archived and open records (${open.length} of ${docs.length} open)`);
    const list = await rows(await section(ios.account.label, 'feedback'));
    const records = list.filter((r) => r.node.type === 'item');
    assert.deepEqual(records.map((r) => r.label), open.slice(0, 50).map((d) => (d.feedback?.feedback ?? d.summary ?? '').split(/\r?\n/, 1)[0]));
    assert.equal(list.some((r) => r.node.type === 'loadMore'), open.length > 50, '"Load more…" only past a page of 50');
    assert.ok(records.every((r) => r.context.includes('unarchived')));
    const hostile = records.find((r) => r.label.includes('<img src=x onerror=alert(1)>'));
    assert.ok(hostile, 'a record whose text is HTML shows the text itself');
    const first = open[0]!;
    assert.match(records[0]!.description, new RegExp(`^${first.feedback?.type ?? 'feedback'} · `));
  });

  // A webview's first load in this harness can take tens of seconds (see reviews.test.ts).
  it('opens the Feedback panel through its command, and its webview loads the records from Apptentive', async function () {
    this.timeout(150_000);
    await clearSandboxRequests();
    await vscode.commands.executeCommand('appdesk.openFeedback', { accountId: ios.account.id, app: ios.app });
    await eventually(() => /appdesk\.feedback$/.test(activeWebviewViewType() ?? ''), 'the feedback webview to be the active tab');
    assert.equal(vscode.window.tabGroups.activeTabGroup.activeTab?.label, 'Feedback: Northwind Trails (iOS)');
    // The webview's "ready" makes the panel list the records.
    await eventually(async () => (await apptentiveRequests()).some((r) => r.method === 'GET' && r.path === '/apptentive/records'), 'the panel to load the records', 120_000);
  });

  it('opens the Surveys panel through its command, and its webview loads the surveys from Apptentive', async function () {
    this.timeout(150_000);
    await clearSandboxRequests();
    await vscode.commands.executeCommand('appdesk.openSurveys', { accountId: ios.account.id, app: ios.app });
    await eventually(() => /appdesk\.surveys$/.test(activeWebviewViewType() ?? ''), 'the surveys webview to be the active tab');
    assert.equal(vscode.window.tabGroups.activeTabGroup.activeTab?.label, 'Surveys: Northwind Trails (iOS)');
    await eventually(async () => (await apptentiveRequests()).some((r) => r.method === 'GET' && r.path.startsWith('/apptentive/surveys')), 'the panel to load the surveys', 120_000)
      .catch(async (err: Error) => { throw new Error(`${err.message}; sent: ${JSON.stringify(await apptentiveRequests())}`); });
  });

  it('creates a record from the Feedback panel, then archives it: Apptentive stores both, the tree follows', async () => {
    const ext = vscode.extensions.getExtension('appdesk.appdesk')!;
    const conn = connect(ios.account, ios.token);
    const ctx: PanelContext = { extensionUri: ext.extensionUri, logger: new MemoryLogger(), account: () => ios.account, connection: async () => conn };
    const d = drive<FeedbackUpdate>((await FeedbackPanel.show(ctx, ios.account, ios.app))!);
    try {
      await d.send({ type: 'ready' });
      const init = await d.waitFor('init');
      assert.deepEqual([init.appName, init.canCreate, init.canArchive], ['Northwind Trails (iOS)', true, true]);
      await d.waitFor('entries');

      await clearSandboxRequests();
      const text = `Offline map of the Dolomites stops at 80 % — ${Date.now()}\nSecond line with details.`;
      let from = d.sent.length;
      await d.send({ type: 'create', text, kind: 'bug', email: 'ines@example.com', name: 'Inès Ortega' });
      const created: FeedbackEntry = (await d.waitFor('created', undefined, from)).entry;
      assert.deepEqual([created.text, created.type, created.author, created.email, created.archived], [text, 'bug', 'Inès Ortega', 'ines@example.com', false]);
      assert.deepEqual((await apptentiveRequests()).map((r) => [r.method, r.path, r.status]), [['POST', '/apptentive/records', 201]]);
      const stored = await apptentiveGet<RecordDoc>(ios.token, `/records/${created.id}`);
      assert.deepEqual([stored.feedback?.feedback, stored.feedback?.type, stored.user?.email, stored.user?.name, stored.archived], [text, 'bug', 'ines@example.com', 'Inès Ortega', false]);

      // The tree's Feedback section shows it first (its own connection revalidates the list).
      const feedback = await section(ios.account.label, 'feedback');
      let list = await rows(feedback);
      assert.equal(list[0]!.label, text.split('\n')[0]);
      assert.match(list[0]!.description, /^bug · Inès Ortega · \d{4}-\d\d-\d\d$/);
      assert.equal(list[0]!.icon, 'bug');

      await clearSandboxRequests();
      from = d.sent.length;
      await d.send({ type: 'archive', id: created.id, archived: true });
      const archived = (await d.waitFor('entry', (m) => m.entry.id === created.id, from)).entry;
      assert.equal(archived.archived, true);
      assert.equal((await apptentiveGet<RecordDoc>(ios.token, `/records/${created.id}`)).archived, true);
      // Archiving again leaves it archived (the API only toggles, so the panel reads the state first).
      from = d.sent.length;
      await d.send({ type: 'archive', id: created.id, archived: true });
      assert.equal((await d.waitFor('entry', (m) => m.entry.id === created.id, from)).entry.archived, true);
      assert.equal((await apptentiveGet<RecordDoc>(ios.token, `/records/${created.id}`)).archived, true);
      assert.equal((await apptentiveRequests()).filter((r) => r.method === 'PUT').length, 1, 'one toggle for two archive requests');

      list = await rows(feedback);
      assert.ok(!list.some((r) => r.label === text.split('\n')[0]), 'archived records leave the Feedback section');
      from = d.sent.length;
      await d.send({ type: 'list', archived: true });
      const archivedList = await d.waitFor('entries', (m) => m.archived, from);
      assert.ok(archivedList.entries.some((e) => e.id === created.id), 'the panel\'s archived filter shows it');
    } finally {
      d.dispose();
      conn.dispose?.();
    }
  });

  it('keeps the form when Apptentive refuses a record, and shows its reasons', async () => {
    const ext = vscode.extensions.getExtension('appdesk.appdesk')!;
    const conn = connect(ios.account, ios.token);
    const ctx: PanelContext = { extensionUri: ext.extensionUri, logger: new MemoryLogger(), account: () => ios.account, connection: async () => conn };
    const d = drive<FeedbackUpdate>((await FeedbackPanel.show(ctx, ios.account, ios.app))!);
    try {
      await d.send({ type: 'ready' });
      await d.waitFor('entries');
      await fetch(`${sandboxOrigin()}/_sandbox/faults`, {
        method: 'POST',
        body: JSON.stringify({ prefix: '/apptentive', pathIncludes: '/records', kind: 'status', status: 422, headers: { 'content-type': 'application/json' }, body: { errors: { 'user.email': ['is not an email address'] } } }),
      });
      const from = d.sent.length;
      await d.send({ type: 'create', text: 'Fine text', email: 'a@b.co' });
      const err = await d.waitFor('error', undefined, from);
      assert.equal(err.context, 'create', 'the error belongs beside the form');
      assert.match(err.error.message, /Apptentive could not store the record \(422\)/);
      assert.deepEqual(err.error.fieldErrors, { 'user.email': ['is not an email address'] });
      assert.ok(!d.sent.slice(from).some((m) => m.type === 'created'));
    } finally {
      d.dispose();
      conn.dispose?.();
    }
  });

  it('deactivates a survey from the Surveys panel after confirmation; cancelling sends nothing', async () => {
    const ext = vscode.extensions.getExtension('appdesk.appdesk')!;
    const conn = connect(ios.account, ios.token);
    const ctx: PanelContext = { extensionUri: ext.extensionUri, logger: new MemoryLogger(), account: () => ios.account, connection: async () => conn };
    const d = drive<SurveysUpdate>((await SurveysPanel.show(ctx, ios.account, ios.app))!);
    let dialogs = stubDialogs(undefined);
    try {
      // The tree before: two active, two inactive surveys.
      const surveysSection = await section(ios.account.label, 'surveys');
      const before = await rows(surveysSection);
      assert.deepEqual(before.map((r) => [r.label, r.description.split(' · ')[0], r.color]), [
        ['Trip planner satisfaction', 'active', 'testing.iconPassed'],
        ['Offline maps feedback', 'active', 'testing.iconPassed'],
        ['Ice Cream Survey', 'inactive', undefined],
        ['Pro pricing', 'inactive', undefined],
      ]);

      await d.send({ type: 'ready' });
      const list: Survey[] = (await d.waitFor('surveys')).surveys;
      const trip = list.find((s) => s.name === 'Trip planner satisfaction')!;
      assert.equal(trip.active, true);
      let from = d.sent.length;
      await d.send({ type: 'open', id: trip.id });
      const detail = (await d.waitFor('survey', (m) => m.survey.id === trip.id, from)).survey;
      assert.equal(detail.responseCount, 27);
      assert.deepEqual(detail.questions?.map((q) => q.type), ['multichoice', 'multiselect', 'singleline']);
      assert.equal(detail.questions![0]!.choices.reduce((n, c) => n + c.count, 0), 27, 'every response answered the required question');

      // Cancelled: nothing sent, still active.
      await clearSandboxRequests();
      await d.send({ type: 'deactivate', id: trip.id });
      assert.equal(dialogs.warnings.length, 1);
      assert.match(String(dialogs.warnings[0]![0]), /Deactivate the survey "Trip planner satisfaction"\?/);
      assert.deepEqual((dialogs.warnings[0]![1] as { modal?: boolean }).modal, true);
      assert.deepEqual((await apptentiveRequests()).filter((r) => r.method !== 'GET'), []);
      assert.equal((await apptentiveGet<SurveyDoc>(ios.token, `/surveys/${trip.id}`)).active, true);

      // Confirmed: deactivated in Apptentive, the panel shows it inactive.
      dialogs.restore();
      dialogs = stubDialogs('Deactivate');
      from = d.sent.length;
      await d.send({ type: 'deactivate', id: trip.id });
      const updated = (await d.waitFor('survey', (m) => m.survey.id === trip.id, from)).survey;
      assert.equal(updated.active, false);
      assert.deepEqual((await apptentiveRequests()).filter((r) => r.method === 'PUT').map((r) => [r.path, r.status]), [[`/apptentive/surveys/${trip.id}/deactivate`, 204]]);
      assert.equal((await apptentiveGet<SurveyDoc>(ios.token, `/surveys/${trip.id}`)).active, false);
      assert.match(String(dialogs.infos[0]?.[0]), /Survey "Trip planner satisfaction" deactivated\./);

      // The panel's own list (same connection) is current, not served from the day-long cached copy.
      from = d.sent.length;
      await d.send({ type: 'list' });
      assert.equal((await d.waitFor('surveys', undefined, from)).surveys.find((s) => s.id === trip.id)?.active, false);

      // The tree after a Refresh (the view's refresh action): inactive, with the inactive menu token.
      await vscode.commands.executeCommand('appdesk.refresh');
      const after = await rows(await section(ios.account.label, 'surveys'));
      const row = after.find((r) => r.label === 'Trip planner satisfaction')!;
      assert.match(row.description, /^inactive/);
      assert.match(row.context, /\bsurvey-inactive\b/);
      assert.equal(row.color, undefined);
    } finally {
      dialogs.restore();
      d.dispose();
      conn.dispose?.();
    }
  });
});
