// AppTweak inside a real VS Code, against the sandbox's Console Data API: the account added through the real
// Add Account command, its integrations (own and shared) as tree groups with a status badge each (icon, theme
// colour, what to do in AppTweak), the apps of each integration, and what AppDesk sent to get them.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Node } from '../../src/tree/appsTree';
import { addAccount, api, clearSandboxRequests, eventually, removeAllAccounts, resetSandbox, sandboxCredentials, sandboxOrigin, sandboxRequests } from './support';

type GroupNode = Extract<Node, { type: 'group' }>;

async function token(which: 'token' | 'emptyToken' = 'token'): Promise<string> {
  return (await sandboxCredentials()).apptweak![which] as string;
}

async function providerNode(id: string): Promise<Node> {
  const { tree } = await api();
  const roots = await tree.getChildren();
  const p = roots.find((n) => n.type === 'provider' && n.definition.id === id);
  assert.ok(p, `a ${id} provider row among ${roots.map((n) => n.type === 'provider' ? n.definition.id : n.type).join(', ')}`);
  return p;
}

async function accountNodes(providerId: string): Promise<Extract<Node, { type: 'account' }>[]> {
  const { tree } = await api();
  return (await tree.getChildren(await providerNode(providerId))).filter((n): n is Extract<Node, { type: 'account' }> => n.type === 'account');
}

function iconOf(item: vscode.TreeItem): { id: string; color?: string } {
  const icon = item.iconPath as vscode.ThemeIcon | undefined;
  assert.ok(icon && typeof icon.id === 'string', `"${String(item.label)}" has a codicon`);
  return { id: icon.id, ...(icon.color && { color: icon.color.id }) };
}

function tooltipText(item: vscode.TreeItem): string {
  const t = item.tooltip;
  return typeof t === 'string' ? t : t?.value ?? '';
}

/** The tree as it shows one account's integrations: label, description, badge and tooltip of each row. */
async function integrations(account: Node): Promise<{ node: GroupNode; label: string; description: string; icon: { id: string; color?: string }; tooltip: string; contextValue: string; collapsible: vscode.TreeItemCollapsibleState | undefined }[]> {
  const { tree } = await api();
  const children = await tree.getChildren(account);
  assert.ok(children.every((n) => n.type === 'group'), `only integrations under the account, got ${children.map((n) => n.type === 'error' ? `error: ${n.message}` : n.type).join(', ')}`);
  return (children as GroupNode[]).map((node) => {
    const item = tree.getTreeItem(node);
    return { node, label: String(item.label), description: String(item.description ?? ''), icon: iconOf(item), tooltip: tooltipText(item), contextValue: item.contextValue ?? '', collapsible: item.collapsibleState };
  });
}

const PASSED = 'testing.iconPassed';
const WARNING = 'problemsWarningIcon.foreground';
const ERROR = 'problemsErrorIcon.foreground';

describe('AppTweak', () => {
  before(async () => {
    await removeAllAccounts();
    await resetSandbox();
  });
  after(() => removeAllAccounts());

  it('refuses an API token AppTweak does not know, saving nothing, and adds the account with a valid one', async () => {
    const { accounts } = await api();
    await assert.rejects(
      addAccount({ providerId: 'apptweak', secrets: { apiKey: 'ATxxxxxxxxxxxxxxxxxxxxxxxxxx' } }),
      /AppTweak did not accept the API token \(401\).*API dashboard/,
    );
    assert.equal(accounts.list().filter((a) => a.providerId === 'apptweak').length, 0, 'nothing saved after the refusal');

    const account = await addAccount({ providerId: 'apptweak', secrets: { apiKey: await token() } });
    assert.equal(account.label, 'AppTweak');
    assert.deepEqual(accounts.list().filter((a) => a.providerId === 'apptweak').map((a) => a.id), [account.id]);
  });

  it('shows the provider and the account in the tree', async () => {
    const { tree } = await api();
    const provider = tree.getTreeItem(await providerNode('apptweak'));
    assert.equal(provider.label, 'AppTweak');
    assert.equal(iconOf(provider).id, 'graph');
    const accounts = await accountNodes('apptweak');
    assert.deepEqual(accounts.map((a) => tree.getTreeItem(a).label), ['AppTweak']);
    const item = tree.getTreeItem(accounts[0]!);
    assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    assert.match(item.contextValue ?? '', /\baccount\b/);
    assert.match(tooltipText(item), /\/apptweak/, 'the tooltip names the API the account talks to');
  });

  it('lists every integration, own and shared, with a status badge that says what to do in AppTweak', async () => {
    const [account] = await accountNodes('apptweak');
    const rows = await integrations(account!);
    assert.deepEqual(rows.map((r) => [r.label, r.description]), [
      ['release@northwind-apps.com', 'App Store Connect'],
      ['release@northwind-apps.com', 'Google Play Console'],
      ['reports@northwind-apps.com', 'Google Play Reports'],
      ['legacy-admin@northwind-apps.com', 'App Store Connect'],
      ['android@northwind-apps.com', 'Google Play Console'],
      ['old-team@northwind-apps.com', 'App Store Connect'],
      ['finance@northwind-apps.com', 'Google Play Reports'],
      // Shared with the demo user by a partner studio.
      ['aso@blueharbor-studio.com', 'App Store Connect'],
    ]);
    // The badge: a codicon in a theme colour per last_status.
    assert.deepEqual(rows.map((r) => r.icon), [
      { id: 'plug', color: PASSED },
      { id: 'plug', color: PASSED },
      { id: 'plug', color: PASSED },
      { id: 'key', color: WARNING }, // 2_FACTOR_AUTH
      { id: 'error', color: ERROR }, // ERROR
      { id: 'debug-disconnect', color: WARNING }, // INACTIVE
      { id: 'key', color: ERROR }, // INVALID_CREDENTIALS
      { id: 'plug', color: PASSED },
    ]);
    const byLogin = (login: string) => rows.find((r) => r.label === login)!;
    assert.match(byLogin('release@northwind-apps.com').tooltip, /Syncing normally \(last status OK\)/);
    assert.match(byLogin('legacy-admin@northwind-apps.com').tooltip, /needs a new two-factor code for this App Store Connect login.*Re-enter the two-factor code in AppTweak → Integrations/s);
    assert.match(byLogin('android@northwind-apps.com').tooltip, /last sync of this integration failed\. Reconnect it in AppTweak → Integrations/);
    assert.match(byLogin('old-team@northwind-apps.com').tooltip, /inactive: it no longer syncs and lists no apps\. Reactivate it in AppTweak → Integrations/);
    assert.match(byLogin('finance@northwind-apps.com').tooltip, /Google Play Reports rejected the credentials AppTweak uses for this integration\. Update them in AppTweak → Integrations/);
    assert.match(byLogin('aso@blueharbor-studio.com').tooltip, /Integration ID: 5f8d1e36-2b9c-47a0-8e5f-c3a6d0b9e712/);
    // Menus can tell the statuses apart.
    assert.match(byLogin('legacy-admin@northwind-apps.com').contextValue, /\bintegration-2_factor_auth\b/);
    assert.match(byLogin('finance@northwind-apps.com').contextValue, /\bintegration-invalid_credentials\b/);
    assert.ok(rows.every((r) => r.collapsible === vscode.TreeItemCollapsibleState.Collapsed), 'integrations expand to their apps');
  });

  it('expands integrations to their apps, reusing the integration list instead of asking again', async () => {
    const { tree } = await api();
    const [account] = await accountNodes('apptweak');
    tree.refresh(); // forget what earlier tests loaded
    await clearSandboxRequests();
    const rows = await integrations(account!);
    const apps = async (login: string, store: string) => {
      const row = rows.find((r) => r.label === login && r.description === store)!;
      const children = await tree.getChildren(row.node);
      return children.map((n) => {
        const item = tree.getTreeItem(n);
        return { type: n.type, label: String(item.label), description: String(item.description ?? ''), tooltip: tooltipText(item), context: item.contextValue ?? '' };
      });
    };

    const ios = await apps('release@northwind-apps.com', 'App Store Connect');
    assert.deepEqual(ios.map((a) => [a.type, a.label, a.description]), [
      ['app', 'Northwind Trails', 'ios'],
      ['app', 'Northwind Trails Pro', 'ios'],
      ['app', 'Summit Log — Hiking Journal', 'ios'],
    ]);
    assert.match(ios[0]!.tooltip, /Northwind Apps Ltd · SKU 20190417 · US, GB, FR, DE, BE · iphone, ipad/);
    assert.match(ios[0]!.context, /\bapp\b.*\bcap-groups\b/);

    const android = await apps('release@northwind-apps.com', 'Google Play Console');
    assert.deepEqual(android.map((a) => [a.label, a.description]), [
      ['Northwind Trails', 'com.northwind.trails · android'],
      ['Northwind Trails Pro', 'com.northwind.trails.pro · android'],
    ]);
    // An integration whose last sync needs a two-factor code still lists the apps of its last sync.
    assert.deepEqual((await apps('legacy-admin@northwind-apps.com', 'App Store Connect')).map((a) => a.label), ['Northwind Classic']);
    // An inactive one lists none, and the tree says so.
    assert.deepEqual((await apps('old-team@northwind-apps.com', 'App Store Connect')).map((a) => [a.type, a.label]), [['message', 'No apps']]);
    // A shared integration's names arrive as AppTweak wrote them (no HTML interpretation in the tree).
    assert.deepEqual((await apps('aso@blueharbor-studio.com', 'App Store Connect')).map((a) => a.label), ['Tom & Jerry\'s "Best" <Puzzle> Club', 'Harbor Tides']);

    const sent = (await sandboxRequests()).filter((r) => r.path.startsWith('/apptweak/'));
    assert.deepEqual(sent.map((r) => r.status), sent.map(() => 200), 'every request succeeded');
    assert.equal(sent.filter((r) => /\/accounts(\?|$)/.test(r.path)).length, 1, 'one integration listing for the groups and all five expansions');
    assert.deepEqual(
      sent.filter((r) => r.path.includes('/accounts/products')).map((r) => new URL(`http://x${r.path}`).searchParams.get('api_account_id')),
      ['762bba71-6613-4680-a0da-c4e8de90368b', '8555cca4-2fbb-401e-893d-41fc9230cdc5', '3b0f7c52-9d1e-4a8f-b6c4-2e7d5a9f1c08', '0d6a2f84-7c1b-4e39-a5d2-96f3e8b1c7a0', '5f8d1e36-2b9c-47a0-8e5f-c3a6d0b9e712'],
    );
  });

  it('shows a second account whose key has no integrations, with "No apps"', async () => {
    const { tree } = await api();
    await addAccount({ providerId: 'apptweak', label: 'AppTweak (teammate)', secrets: { apiKey: await token('emptyToken') } });
    const accounts = await eventually(async () => {
      const list = await accountNodes('apptweak');
      return list.length === 2 ? list : undefined;
    }, 'both AppTweak accounts in the tree') ?? [];
    assert.deepEqual(accounts.map((a) => tree.getTreeItem(a).label).sort(), ['AppTweak', 'AppTweak (teammate)']);
    const teammate = accounts.find((a) => a.account.label === 'AppTweak (teammate)')!;
    const children = await tree.getChildren(teammate);
    assert.deepEqual(children.map((n) => [n.type, String(tree.getTreeItem(n).label)]), [['message', 'No apps']]);
  });

  it('turns an AppTweak failure into an error row that says what happened', async () => {
    const { tree } = await api();
    const [account] = (await accountNodes('apptweak')).filter((a) => a.account.label === 'AppTweak');
    tree.refresh();
    await fetch(`${sandboxOrigin()}/_sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ prefix: '/apptweak', pathIncludes: '/accounts', kind: 'status', status: 401, body: { error: 'UnknownTokenError', message: 'Unknown API token.' } }),
    });
    const children = await tree.getChildren(account!);
    assert.equal(children.length, 1);
    const err = children[0]!;
    assert.equal(err.type, 'error');
    const item = tree.getTreeItem(err);
    assert.match(String(item.label), /AppTweak did not accept the API token \(401\): Unknown API token\. Copy your personal API token/);
    assert.equal(iconOf(item).id, 'key');
    assert.equal(item.command?.command, 'appdesk.reconnect', 'an auth failure offers Reconnect');
    // The next load works again.
    assert.equal((await integrations(account!)).length, 8);
  });
});
