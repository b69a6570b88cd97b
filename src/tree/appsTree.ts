// The "Apps" tree: provider → account → (integration) → app → section → items. Children load lazily through
// the provider interface; long lists page with "Load more…"; failures become error nodes with an action.
import * as vscode from 'vscode';
import type { AccountConfig, AppSummary, Item, Page, ProviderDefinition, Section, SectionKind } from '../providers/types';
import type { ConnectionManager } from '../host/connections';
import { describeError, isAuthFailure } from '../host/errors';

export type Node =
  | { type: 'provider'; definition: ProviderDefinition }
  | { type: 'account'; account: AccountConfig }
  | { type: 'group'; account: AccountConfig; group: Item }
  | { type: 'app'; account: AccountConfig; app: AppSummary }
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

  constructor(
    private readonly connections: ConnectionManager,
    private readonly providers: readonly ProviderDefinition[],
    private readonly listAccounts: () => AccountConfig[],
    /** The command that opens the panel of each section kind (clicking a section or one of its items). */
    private readonly sectionCommands: Partial<Record<SectionKind, string>> = {},
  ) {}

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
      case 'account': {
        const t = new vscode.TreeItem(node.account.label, vscode.TreeItemCollapsibleState.Expanded);
        t.id = `account:${node.account.id}`;
        t.iconPath = new vscode.ThemeIcon(node.account.demo ? 'beaker' : 'account');
        t.description = node.account.demo ? 'demo · local sandbox' : undefined;
        t.tooltip = new vscode.MarkdownString(`**${escapeMd(node.account.label)}**\n\n${node.account.baseUrl ? `API: \`${node.account.baseUrl}\`` : ''}`);
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
        const t = new vscode.TreeItem(node.app.name, vscode.TreeItemCollapsibleState.Collapsed);
        t.id = `app:${node.account.id}:${node.app.id}`;
        t.description = [node.app.bundleId, node.app.platform].filter(Boolean).join(' · ');
        t.tooltip = new vscode.MarkdownString(
          [`**${escapeMd(node.app.name)}**`, node.app.bundleId && `Bundle ID: \`${escapeMd(node.app.bundleId)}\``, node.app.platform && `Platform: ${escapeMd(node.app.platform)}`, node.app.description && escapeMd(node.app.description)]
            .filter(Boolean).join('\n\n'),
        );
        t.iconPath = new vscode.ThemeIcon('device-mobile');
        // Capability tokens let menus offer exactly what this provider can do (`viewItem =~ /cap-metadata/`).
        const caps = this.providers.find((p) => p.id === node.account.providerId)?.capabilities ?? [];
        t.contextValue = ['app', 'refreshable', ...caps.map((c) => `cap-${c}`)].join(' ');
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
    const key = keyOf(node);
    let paged = this.pages.get(key);
    if (!paged) {
      const account = accountOf(node);
      try {
        paged = await this.load(node, undefined);
      } catch (err) {
        this.connections.logger.error(`Loading ${describeNode(node)} failed`, err);
        return [{ type: 'error', account, parent: node, message: describeError(err), auth: isAuthFailure(err) }];
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

  private roots(): Node[] {
    const accounts = this.listAccounts();
    return this.providers.filter((d) => accounts.some((a) => a.providerId === d.id)).map((definition) => ({ type: 'provider', definition }));
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
    case 'account': return `a/${node.account.id}`;
    case 'group': return `a/${node.account.id}/g/${node.group.id}`;
    case 'app': return `a/${node.account.id}/app/${node.app.id}`;
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

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&');
}
