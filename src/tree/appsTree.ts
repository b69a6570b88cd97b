// The "Apps" tree: provider → account → (integration) → app → section → items. Children load lazily through
// the provider interface; long lists page with "Load more…"; failures become error nodes with an action.
import * as vscode from 'vscode';
import type { AccountConfig, AppSummary, BudgetInfo, Item, Page, ProviderInfo, Section, SectionKind } from '../providers/types';
import { formatLocal } from '../providers/shared/format';
import type { ConnectionManager } from '../host/connections';
import { linkApps, type AppRef, type LinkDecisions, type LinkedApp } from '../providers/linking';
import { describeError, isAuthFailure } from '../host/errors';

export type Node =
  | { type: 'provider'; definition: ProviderInfo }
  | { type: 'linkedRoot' }
  | { type: 'linked'; linked: LinkedApp }
  | { type: 'account'; account: AccountConfig }
  | { type: 'group'; account: AccountConfig; group: Item }
  | { type: 'app'; account: AccountConfig; app: AppSummary; linkedId?: string }
  | { type: 'section'; account: AccountConfig; app: AppSummary; section: Section }
  | { type: 'item'; account: AccountConfig; app: AppSummary; section: Section; item: Item }
  | { type: 'loadMore'; parent: Node | undefined; key: string }
  | { type: 'error'; account: AccountConfig; parent: Node | undefined; message: string; auth: boolean }
  | { type: 'message'; label: string; icon?: string };

interface Paged {
  nodes: Node[];
  next?: string;
}

export class AppsTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Loaded pages per parent, so "Load more…" appends instead of reloading. */
  private readonly pages = new Map<string, Paged>();
  /** Request budgets (AppsFlyer's 100 a day, …) of accounts whose provider has one, shown on the account row. */
  private readonly budgets = new Map<string, BudgetInfo>();

  constructor(
    private readonly connections: ConnectionManager,
    private readonly providers: readonly ProviderInfo[],
    private readonly listAccounts: () => AccountConfig[],
    /** The command that opens the panel of each section kind (clicking a section or one of its items). */
    private readonly sectionCommands: Partial<Record<SectionKind, string>> = {},
    /** Manual link/unlink decisions for the same app across providers. */
    private readonly linkDecisions: () => LinkDecisions = () => ({ links: [], unlinks: [] }),
  ) {}

  /** Every app of every account (first pages), for linking; failures of one account do not stop the others. */
  async allApps(): Promise<AppRef[]> {
    const refs: AppRef[] = [];
    await Promise.all(this.listAccounts().map(async (account) => {
      try {
        const conn = await this.connections.get(account);
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await conn.listApps({ cursor });
          for (const app of page.items) refs.push({ accountId: account.id, accountLabel: account.label, providerId: account.providerId, app });
          cursor = page.next;
        } while (cursor && ++pages < 10);
      } catch (err) {
        this.connections.logger.warn(`Linking: listing apps of ${account.label} failed`, err);
      }
    }));
    return refs;
  }

  refresh(node?: Node): void {
    if (node) {
      for (const key of [...this.pages.keys()]) if (key.startsWith(keyOf(node))) this.pages.delete(key);
    } else {
      this.pages.clear();
    }
    this.changed.fire(node && node.type !== 'error' && node.type !== 'loadMore' ? node : undefined);
  }

  async loadMore(node: Node & { type: 'loadMore' }): Promise<void> {
    const paged = this.pages.get(node.key);
    if (!paged?.next || !node.parent) return;
    const more = await this.load(node.parent, paged.next);
    this.pages.set(node.key, { nodes: [...paged.nodes, ...more.nodes], next: more.next });
    this.changed.fire(node.parent);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.type) {
      case 'provider': {
        const t = new vscode.TreeItem(node.definition.label, vscode.TreeItemCollapsibleState.Expanded);
        t.id = `provider:${node.definition.id}`;
        t.iconPath = new vscode.ThemeIcon(node.definition.icon);
        t.tooltip = node.definition.description;
        t.contextValue = 'provider';
        return t;
      }
      case 'linkedRoot': {
        const t = new vscode.TreeItem('Apps Across Providers', vscode.TreeItemCollapsibleState.Collapsed);
        t.id = 'linkedRoot';
        t.iconPath = new vscode.ThemeIcon('link');
        t.tooltip = 'The same app in several providers, linked by bundle ID or store ID, or by hand.';
        t.contextValue = 'linkedRoot refreshable';
        return t;
      }
      case 'linked': {
        const t = new vscode.TreeItem(node.linked.name, vscode.TreeItemCollapsibleState.Collapsed);
        t.id = `linked:${node.linked.id}`;
        t.iconPath = new vscode.ThemeIcon('link');
        const providerLabels = [...new Set(node.linked.members.map((m) => this.providers.find((p) => p.id === m.providerId)?.label ?? m.providerId))];
        t.description = providerLabels.join(' · ');
        t.tooltip = new vscode.MarkdownString(`**${escapeMd(node.linked.name)}**\n\nLinked: ${node.linked.reasons.map(escapeMd).join('; ')}`);
        t.contextValue = 'linked';
        return t;
      }
      case 'account': {
        const t = new vscode.TreeItem(node.account.label, vscode.TreeItemCollapsibleState.Expanded);
        t.id = `account:${node.account.id}`;
        t.iconPath = new vscode.ThemeIcon(node.account.demo ? 'beaker' : 'account');
        const budget = this.budgets.get(node.account.id);
        t.description = [node.account.demo ? 'demo · local sandbox' : undefined, budget && `${budget.remaining}/${budget.limit} requests left`].filter(Boolean).join(' · ') || undefined;
        t.tooltip = new vscode.MarkdownString(`**${escapeMd(node.account.label)}**\n\n${node.account.baseUrl ? `API: \`${node.account.baseUrl}\`` : ''}${budget ? `\n\n${budgetText(budget)}` : ''}`);
        t.contextValue = 'account refreshable';
        return t;
      }
      case 'group': {
        const t = itemToTreeItem(node.group, vscode.TreeItemCollapsibleState.Collapsed);
        t.id = `group:${node.account.id}:${node.group.id}`;
        t.contextValue = ['group', 'refreshable', ...(node.group.tags ?? [])].join(' ');
        return t;
      }
      case 'app': {
        const providerLabel = this.providers.find((p) => p.id === node.account.providerId)?.label;
        const caps = this.providers.find((p) => p.id === node.account.providerId)?.capabilities ?? [];
        // Apps of providers without per-app sections (AppTweak, AppsFlyer) are leaves, not empty folders.
        const hasSections = caps.some((c) => ['versions', 'builds', 'testers', 'reviews', 'feedback', 'surveys'].includes(c));
        const t = new vscode.TreeItem(node.linkedId ? `${providerLabel}: ${node.app.name}` : node.app.name, hasSections ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        t.id = `app:${node.linkedId ?? ''}:${node.account.id}:${node.app.id}`;
        t.description = node.linkedId ? node.account.label : [node.app.bundleId, node.app.platform].filter(Boolean).join(' · ');
        t.tooltip = new vscode.MarkdownString(
          [`**${escapeMd(node.app.name)}**`, node.app.bundleId && `Bundle ID: \`${escapeMd(node.app.bundleId)}\``, node.app.platform && `Platform: ${escapeMd(node.app.platform)}`, node.app.description && escapeMd(node.app.description)]
            .filter(Boolean).join('\n\n'),
        );
        t.iconPath = new vscode.ThemeIcon('device-mobile');
        // Capability tokens let menus offer exactly what this provider can do (`viewItem =~ /cap-metadata/`).
        t.contextValue = ['app', 'refreshable', node.linkedId ? 'linkedMember' : '', ...caps.map((c) => `cap-${c}`)].filter(Boolean).join(' ');
        return t;
      }
      case 'section': {
        const t = new vscode.TreeItem(node.section.label, vscode.TreeItemCollapsibleState.Collapsed);
        t.id = `section:${node.account.id}:${node.app.id}:${node.section.kind}`;
        t.iconPath = new vscode.ThemeIcon(node.section.icon);
        t.contextValue = `section section-${node.section.kind} refreshable`;
        const open = this.sectionCommands[node.section.kind];
        if (open) t.command = { command: open, title: `Open ${node.section.label}`, arguments: [node] };
        return t;
      }
      case 'item': {
        const t = itemToTreeItem(node.item, node.item.expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        t.id = `item:${node.account.id}:${node.app.id}:${node.section.kind}:${node.item.id}`;
        t.contextValue = ['item', `item-${node.section.kind}`, ...(node.item.tags ?? [])].join(' ');
        const open = this.sectionCommands[node.section.kind];
        if (open && !node.item.expandable) t.command = { command: open, title: 'Open', arguments: [node] };
        return t;
      }
      case 'loadMore': {
        const t = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
        t.iconPath = new vscode.ThemeIcon('ellipsis');
        t.command = { command: 'appdesk.loadMore', title: 'Load more', arguments: [node] };
        t.contextValue = 'loadMore';
        return t;
      }
      case 'error': {
        const t = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
        t.iconPath = new vscode.ThemeIcon(node.auth ? 'key' : 'error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
        t.tooltip = node.message;
        t.contextValue = node.auth ? 'error authError' : 'error';
        t.command = node.auth
          ? { command: 'appdesk.reconnect', title: 'Reconnect', arguments: [node] }
          : { command: 'appdesk.showLogs', title: 'Show Logs' };
        return t;
      }
      case 'message': {
        const t = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        if (node.icon) t.iconPath = new vscode.ThemeIcon(node.icon);
        t.contextValue = 'message';
        return t;
      }
    }
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) return this.roots();
    if (node.type === 'provider') {
      return this.listAccounts().filter((a) => a.providerId === node.definition.id).map((account) => ({ type: 'account', account }));
    }
    if (node.type === 'loadMore' || node.type === 'error' || node.type === 'message') return [];
    if (node.type === 'linked') {
      return node.linked.members.map((m) => {
        const account = this.listAccounts().find((a) => a.id === m.accountId)!;
        return { type: 'app', account, app: m.app, linkedId: node.linked.id } as Node;
      }).filter((n) => n.type === 'app' && n.account);
    }
    if (node.type === 'linkedRoot') {
      try {
        const linked = linkApps(await this.allApps(), this.linkDecisions());
        return linked.length ? linked.map((l) => ({ type: 'linked', linked: l })) : [{ type: 'message', label: 'No app is known to more than one provider yet', icon: 'info' }];
      } catch (err) {
        this.connections.logger.error('Linking apps failed', err);
        return [{ type: 'message', label: describeError(err), icon: 'error' }];
      }
    }
    const key = keyOf(node);
    let paged = this.pages.get(key);
    if (!paged) {
      const account = accountOf(node);
      try {
        paged = await this.load(node, undefined);
      } catch (err) {
        this.connections.logger.error(`Loading ${describeNode(node)} failed`, err);
        return [{ type: 'error', account, parent: node, message: describeError(err), auth: isAuthFailure(err) }];
      } finally {
        if (node.type === 'account') void this.showBudget(node);
      }
      this.pages.set(key, paged);
    }
    const nodes = [...paged.nodes];
    if (paged.next) nodes.push({ type: 'loadMore', parent: node, key });
    if (nodes.length === 0) nodes.push({ type: 'message', label: emptyLabel(node), icon: 'info' });
    return nodes;
  }

  getParent(): undefined {
    return undefined;
  }

  /** Reads the account's request budget (when its provider has one) and redraws its row when it changed. */
  private async showBudget(node: Node & { type: 'account' }): Promise<void> {
    try {
      const budget = await (await this.connections.get(node.account)).budget?.();
      const before = this.budgets.get(node.account.id);
      if (!budget || (before && budgetText(before) === budgetText(budget))) return;
      this.budgets.set(node.account.id, budget);
      this.changed.fire(node);
    } catch (err) {
      this.connections.logger.warn(`Reading the request budget of ${node.account.label} failed`, err);
    }
  }

  private roots(): Node[] {
    const accounts = this.listAccounts();
    const roots: Node[] = this.providers.filter((d) => accounts.some((a) => a.providerId === d.id)).map((definition) => ({ type: 'provider', definition }));
    // Linking needs at least two accounts; it loads their app lists only when expanded.
    if (accounts.length >= 2) roots.push({ type: 'linkedRoot' });
    return roots;
  }

  private async load(node: Node, cursor: string | undefined): Promise<Paged> {
    switch (node.type) {
      case 'account': {
        const conn = await this.connections.get(node.account);
        if (conn.capabilities.has('groups') && conn.listGroups) {
          const page = await conn.listGroups({ cursor });
          return { nodes: page.items.map((group) => ({ type: 'group', account: node.account, group })), next: page.next };
        }
        const page = await conn.listApps({ cursor });
        return mapPage(page, (app) => ({ type: 'app', account: node.account, app }));
      }
      case 'group': {
        const conn = await this.connections.get(node.account);
        const page = await conn.listApps({ cursor, groupId: node.group.id });
        return mapPage(page, (app) => ({ type: 'app', account: node.account, app }));
      }
      case 'app': {
        const conn = await this.connections.get(node.account);
        return { nodes: conn.sections(node.app).map((section) => ({ type: 'section', account: node.account, app: node.app, section })) };
      }
      case 'section': {
        const page = await node.section.list(node.app, { cursor });
        return mapPage(page, (item) => ({ type: 'item', account: node.account, app: node.app, section: node.section, item }));
      }
      case 'item': {
        if (!node.section.children) return { nodes: [] };
        const page = await node.section.children(node.app, node.item, { cursor });
        return mapPage(page, (item) => ({ type: 'item', account: node.account, app: node.app, section: node.section, item }));
      }
      default:
        return { nodes: [] };
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function mapPage<T>(page: Page<T>, f: (t: T) => Node): Paged {
  return { nodes: page.items.map(f), next: page.next };
}

function itemToTreeItem(item: Item, state: vscode.TreeItemCollapsibleState): vscode.TreeItem {
  const t = new vscode.TreeItem(item.label, state);
  t.description = item.description;
  if (item.tooltip) t.tooltip = item.tooltip;
  const color = item.tone === 'error' ? 'problemsErrorIcon.foreground' : item.tone === 'warning' ? 'problemsWarningIcon.foreground' : item.tone === 'ok' ? 'testing.iconPassed' : undefined;
  if (item.icon) t.iconPath = new vscode.ThemeIcon(item.icon, color ? new vscode.ThemeColor(color) : undefined);
  return t;
}

export function keyOf(node: Node): string {
  switch (node.type) {
    case 'provider': return `p/${node.definition.id}`;
    case 'linkedRoot': return 'linked';
    case 'linked': return `linked/${node.linked.id}`;
    case 'account': return `a/${node.account.id}`;
    case 'group': return `a/${node.account.id}/g/${node.group.id}`;
    case 'app': return `a/${node.account.id}/app/${node.app.id}${node.linkedId ? `/l/${node.linkedId}` : ''}`;
    case 'section': return `a/${node.account.id}/app/${node.app.id}/s/${node.section.kind}`;
    case 'item': return `a/${node.account.id}/app/${node.app.id}/s/${node.section.kind}/i/${node.item.id}`;
    case 'loadMore': return `${node.key}/more`;
    case 'error': return `err/${node.account.id}`;
    case 'message': return `msg/${node.label}`;
  }
}

function accountOf(node: Node & { account: AccountConfig }): AccountConfig {
  return node.account;
}

function describeNode(node: Node): string {
  switch (node.type) {
    case 'account': return `apps of ${node.account.label}`;
    case 'group': return `apps of ${node.group.label}`;
    case 'app': return node.app.name;
    case 'section': return `${node.section.label} of ${node.app.name}`;
    case 'item': return node.item.label;
    default: return node.type;
  }
}

function emptyLabel(node: Node): string {
  switch (node.type) {
    case 'account': case 'group': return 'No apps';
    case 'section': return `No ${node.section.label.toLowerCase()}`;
    default: return 'Nothing here';
  }
}

function budgetText(b: BudgetInfo): string {
  const when = b.resetsAt && (b.remaining === 0 ? `The next request can be sent at ${formatLocal(b.resetsAt)}.` : `The oldest counted request ages out at ${formatLocal(b.resetsAt)}.`);
  return [`${escapeMd(b.label)}: ${b.remaining} of ${b.limit} left.`, when].filter(Boolean).join(' ');
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&');
}
