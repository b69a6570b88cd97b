// Activation wires the layers together and does no network and little work: connections, the demo sandbox and
// panels are created on first use.
import * as vscode from 'vscode';
import { catalog, deferred } from './providers/catalog';
import { AccountStore } from './host/accountStore';
import { ConnectionManager } from './host/connections';
import { DemoSandbox } from './host/demo';
import { createHostLogger } from './host/logging';
import { describeError } from './host/errors';
import { Watcher } from './host/watcher';
import { AppsTreeProvider, type Node } from './tree/appsTree';
import { appKey, type LinkDecisions } from './providers/linking';
import { AccountCommands, type AddAccountArgs } from './commands/accounts';
import type { InboxContext } from './panels/inboxPanel';
import type { PanelContext } from './panels/appPanel';
import { VIEW_TYPES } from './panels/viewTypes';
import { registerPanelCommands, type PanelKind } from './commands/panels';
import type { OverviewUpdate } from './protocol/messages';

export interface AppDeskApi {
  accounts: AccountStore;
  watcher: Watcher;
  tree: AppsTreeProvider;
  demo: DemoSandbox;
}

export function activate(context: vscode.ExtensionContext): AppDeskApi {
  const channel = vscode.window.createOutputChannel('AppDesk', { log: true });
  const logger = createHostLogger(channel);
  const accounts = new AccountStore(context);
  const demo = new DemoSandbox(context.extensionPath);
  const connections = new ConnectionManager(context, catalog, logger, (a) => demo.resolve(a));
  // Panels load their code when they first open.
  const panelKinds: PanelKind[] = [
    { command: 'appdesk.openMetadata', viewType: VIEW_TYPES.metadata, capability: 'metadata', title: 'Edit Metadata', open: async (c, a, app, p, f) => (await deferred()).MetadataPanel.show(c, a, app, p, f) },
    { command: 'appdesk.openBuilds', viewType: VIEW_TYPES.builds, capability: 'builds', title: 'Builds', open: async (c, a, app, p) => (await deferred()).BuildsPanel.show(c, a, app, p) },
    { command: 'appdesk.openTestFlight', viewType: VIEW_TYPES.testflight, capability: 'testers', title: 'TestFlight', open: async (c, a, app, p) => (await deferred()).TestFlightPanel.show(c, a, app, p) },
    { command: 'appdesk.openReviews', viewType: VIEW_TYPES.reviews, capability: 'reviews', title: 'Reviews', open: async (c, a, app, p) => (await deferred()).ReviewsPanel.show(c, a, app, p) },
    { command: 'appdesk.openReports', viewType: VIEW_TYPES.reports, capability: 'reports', title: 'Reports', open: async (c, a, app, p) => (await deferred()).ReportsPanel.show(c, a, app, p) },
    { command: 'appdesk.openFeedback', viewType: VIEW_TYPES.feedback, capability: 'feedback', title: 'Feedback', open: async (c, a, app, p) => (await deferred()).FeedbackPanel.show(c, a, app, p) },
    { command: 'appdesk.openSurveys', viewType: VIEW_TYPES.surveys, capability: 'surveys', title: 'Surveys', open: async (c, a, app, p) => (await deferred()).SurveysPanel.show(c, a, app, p) },
    { command: 'appdesk.openRelease', viewType: VIEW_TYPES.release, capability: 'release', title: 'Release', open: async (c, a, app, p) => (await deferred()).ReleasePanel.show(c, a, app, p) },
  ];
  const linkDecisions = (): LinkDecisions => context.globalState.get<LinkDecisions>('appdesk.links', { links: [], unlinks: [] });
  const tree = new AppsTreeProvider(
    connections, catalog, () => accounts.list(),
    { versions: 'appdesk.openMetadata', builds: 'appdesk.openBuilds', testers: 'appdesk.openTestFlight', reviews: 'appdesk.openReviews', feedback: 'appdesk.openFeedback', surveys: 'appdesk.openSurveys' },
    linkDecisions,
  );
  const view = vscode.window.createTreeView('appdesk.apps', { treeDataProvider: tree, showCollapseAll: true });
  const accountCommands = new AccountCommands(() => Promise.all(catalog.map((p) => p.load())), accounts, connections);
  const changed = new vscode.EventEmitter<void>();
  const watcher = new Watcher(connections, () => accounts.list(), logger);
  context.subscriptions.push(channel, accounts, demo, connections, tree, view, changed, watcher);

  const overview = (): OverviewUpdate => ({
    type: 'overview',
    providers: catalog.map((p) => ({
      id: p.id,
      label: p.label,
      description: p.description,
      capabilities: [...p.capabilities],
      accounts: accounts.list().filter((a) => a.providerId === p.id).map((a) => ({ label: a.label, demo: !!a.demo })),
    })),
  });

  /** Runs a command body, turning failures into one clear message instead of an unhandled rejection. */
  const guarded = <A extends unknown[]>(fn: (...args: A) => Promise<unknown> | unknown) => async (...args: A) => {
    try {
      return await fn(...args);
    } catch (err) {
      logger.error('Command failed', err);
      void vscode.window.showErrorMessage(describeError(err), 'Show Logs').then((c) => c && channel.show());
      return undefined;
    }
  };
  const accountOf = (node: Node | undefined) => (node && 'account' in node ? node.account : undefined);
  const panelContext: PanelContext = {
    extensionUri: context.extensionUri,
    logger,
    account: (id) => accounts.get(id),
    connection: (a) => connections.get(a),
  };
  context.subscriptions.push(...registerPanelCommands(panelKinds, panelContext, accounts, connections, guarded));
  const inboxContext: InboxContext = { extensionUri: context.extensionUri, logger, accounts: () => accounts.list(), connection: (a) => connections.get(a) };
  context.subscriptions.push(
    vscode.commands.registerCommand('appdesk.openInbox', guarded(async () => { (await deferred()).InboxPanel.show(inboxContext); })),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPES.inbox, {
      deserializeWebviewPanel: async (panel) => { (await deferred()).InboxPanel.show(inboxContext, panel); },
    }),
  );

  context.subscriptions.push(
    accounts.onDidChange(() => { tree.refresh(); changed.fire(); watcher.restart(); }),
    watcher.onDidDetectChanges(() => tree.refresh()),
    vscode.commands.registerCommand('appdesk.pollNow', guarded(() => watcher.pollNow())),
    vscode.commands.registerCommand('appdesk.addAccount', (args?: AddAccountArgs) =>
      args ? accountCommands.add(args) : guarded(() => accountCommands.add())()),
    vscode.commands.registerCommand('appdesk.refresh', () => { connections.reset(); tree.refresh(); }),
    vscode.commands.registerCommand('appdesk.refreshNode', (node?: Node) => tree.refresh(node)),
    vscode.commands.registerCommand('appdesk.loadMore', guarded((node: Node) => (node?.type === 'loadMore' ? tree.loadMore(node) : undefined))),
    vscode.commands.registerCommand('appdesk.removeAccount', guarded((node?: Node) => accountCommands.remove(accountOf(node)))),
    vscode.commands.registerCommand('appdesk.reconnect', guarded((node?: Node) => accountCommands.reconnect(accountOf(node)))),
    vscode.commands.registerCommand('appdesk.showLogs', () => channel.show()),
    vscode.commands.registerCommand('appdesk.linkApp', guarded(async (node?: Node) => {
      if (node?.type !== 'app') return;
      const mine = appKey({ accountId: node.account.id, app: node.app });
      const others = (await tree.allApps()).filter((r) => r.accountId !== node.account.id);
      const pick = await vscode.window.showQuickPick(
        others.map((r) => ({ label: r.app.name, description: r.app.bundleId ?? r.app.storeId, detail: r.accountLabel, key: appKey(r) })),
        { title: `Link ${node.app.name} to the same app in another provider`, matchOnDescription: true, matchOnDetail: true },
      );
      if (!pick) return;
      const d = linkDecisions();
      await context.globalState.update('appdesk.links', {
        links: [...d.links, [mine, pick.key]],
        unlinks: d.unlinks.filter(([a, b]) => !((a === mine && b === pick.key) || (a === pick.key && b === mine))),
      } satisfies LinkDecisions);
      tree.refresh();
    })),
    vscode.commands.registerCommand('appdesk.unlinkApp', guarded(async (node?: Node) => {
      if (node?.type !== 'app' || !node.linkedId) return;
      const mine = appKey({ accountId: node.account.id, app: node.app });
      const d = linkDecisions();
      // Unlink from every other member of its group (found again from the tree's current data).
      const members = (await tree.getChildren({ type: 'linkedRoot' })).flatMap((n) => (n.type === 'linked' && n.linked.id === node.linkedId ? n.linked.members : []));
      const pairs = members.map((m) => appKey(m)).filter((k) => k !== mine).map((k) => [mine, k] as [string, string]);
      await context.globalState.update('appdesk.links', {
        links: d.links.filter(([a, b]) => a !== mine && b !== mine),
        unlinks: [...d.unlinks, ...pairs],
      } satisfies LinkDecisions);
      tree.refresh();
    })),
    vscode.commands.registerCommand('appdesk.openOverview', guarded(async () => { (await deferred()).OverviewPanel.show(context.extensionUri, overview, changed.event); })),
    vscode.commands.registerCommand('appdesk.exploreDemo', guarded(async () => {
      const added = await vscode.window.withProgress(
        { location: { viewId: 'appdesk.apps' }, title: 'Starting the AppDesk sandbox…' },
        async () => accountCommands.addDemoAccounts((await demo.start()).credentials()),
      );
      tree.refresh();
      void vscode.window.showInformationMessage(`AppDesk demo: ${added} demo account${added === 1 ? '' : 's'} connected to a local sandbox. Nothing leaves this machine.`);
    })),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('http') || e.affectsConfiguration('appdesk.http')) { connections.reset(); tree.refresh(); }
      if (e.affectsConfiguration('appdesk.polling')) watcher.restart();
    }),
  );
  void accounts.updateContextKey();
  watcher.restart();
  if (process.env.APPDESK_DEMO_AUTOSTART === '1' && accounts.list().length === 0) {
    void vscode.commands.executeCommand('appdesk.exploreDemo');
  }
  return { accounts, watcher, tree, demo };
}

export function deactivate(): void {}
