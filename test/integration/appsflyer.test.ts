// AppsFlyer inside a real VS Code, against the sandbox's app-list API: the account and its apps in the tree, the
// request budget (100 a day, counted by AppDesk and persisted in globalState) shown on the account row, and
// respected: once the budget cannot cover a listing, the refresh fails with a message saying when it can run,
// and nothing reaches AppsFlyer.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { budgetKeys, DAY_MS } from '../../src/providers/appsflyer/budget';
import type { Node } from '../../src/tree/appsTree';
import { seedAppsFlyerApps } from '../../sandbox/appsflyer';
import { addAccount, api, clearSandboxRequests, eventually, removeAllAccounts, resetSandbox, sandboxCredentials, sandboxOrigin, sandboxRequests } from './support';

type AccountNode = Extract<Node, { type: 'account' }>;

async function demoToken(): Promise<string> {
  return (await sandboxCredentials()).appsflyer!.token as string;
}

async function accountNodes(): Promise<AccountNode[]> {
  const { tree } = await api();
  const provider = (await tree.getChildren()).find((n) => n.type === 'provider' && n.definition.id === 'appsflyer');
  assert.ok(provider, 'an AppsFlyer provider row');
  return (await tree.getChildren(provider)).filter((n): n is AccountNode => n.type === 'account');
}

function tooltipText(item: vscode.TreeItem): string {
  const t = item.tooltip;
  return typeof t === 'string' ? t : t?.value ?? '';
}

/** Where the extension persists the AppsFlyer budget: its globalState (reachable through the account store). */
async function extensionState(): Promise<vscode.Memento> {
  const { accounts } = await api();
  const context = (accounts as unknown as { context?: vscode.ExtensionContext }).context;
  assert.ok(context?.globalState, 'the account store holds the extension context');
  return context.globalState;
}

async function appsflyerRequests(): Promise<{ method: string; path: string; status: number }[]> {
  return (await sandboxRequests()).filter((r) => r.path.startsWith('/appsflyer/'));
}

/** `appdesk.refresh` (new connections, tree reloaded), then the account's children as the tree shows them. */
async function refreshAndList(account: AccountNode): Promise<Node[]> {
  await vscode.commands.executeCommand('appdesk.refresh');
  const { tree } = await api();
  return tree.getChildren(account);
}

async function setSandboxApps(n: number): Promise<void> {
  await fetch(`${sandboxOrigin()}/_sandbox/options`, { method: 'POST', body: JSON.stringify({ appsflyerApps: n }) });
}

describe('AppsFlyer', () => {
  let dayKey = '';
  let savedLog: unknown;

  before(async () => {
    await removeAllAccounts();
    await resetSandbox();
    dayKey = budgetKeys(await demoToken()).day;
    savedLog = (await extensionState()).get(dayKey);
  });
  after(async () => {
    await (await extensionState()).update(dayKey, savedLog);
    await setSandboxApps(6);
    await removeAllAccounts();
  });

  it('adds the account with one request and shows its Protect360 apps in the tree', async () => {
    await clearSandboxRequests();
    const account = await addAccount({ providerId: 'appsflyer', settings: { capability: 'protect_360' }, secrets: { token: await demoToken() } });
    assert.equal(account.label, 'AppsFlyer (Protect360)');
    assert.deepEqual((await appsflyerRequests()).map((r) => [r.method, new URL(`http://x${r.path}`).searchParams.get('limit'), r.status]), [['GET', '1', 200]], 'verifying costs one request of the budget');

    const { tree } = await api();
    const provider = (await tree.getChildren()).find((n) => n.type === 'provider' && n.definition.id === 'appsflyer')!;
    assert.equal(tree.getTreeItem(provider).label, 'AppsFlyer');
    assert.equal((tree.getTreeItem(provider).iconPath as vscode.ThemeIcon).id, 'pulse');
    const [node] = await accountNodes();
    assert.equal(tree.getTreeItem(node!).label, 'AppsFlyer (Protect360)');

    await clearSandboxRequests();
    const apps = await tree.getChildren(node!);
    const expected = seedAppsFlyerApps(6).filter((a) => a.capabilities.includes('protect_360')).map((a) => a.app);
    assert.ok(expected.length >= 3, 'the sandbox seeds several Protect360 apps');
    assert.deepEqual(apps.map((n) => n.type), expected.map(() => 'app'));
    assert.deepEqual(apps.map((n) => tree.getTreeItem(n).label), expected.map((a) => a.attributes.name));
    assert.deepEqual(
      apps.map((n) => tree.getTreeItem(n).description),
      expected.map((a) => (a.attributes.platform === 'ios' ? 'ios' : `${a.id} · android`)),
    );
    const first = tooltipText(tree.getTreeItem(apps[0]!));
    assert.ok(first.includes(expected[0]!.attributes.currency) && first.includes(expected[0]!.attributes.time_zone.replace(/_/g, '\\_')), `currency and time zone in the tooltip: ${first}`);
    const sent = await appsflyerRequests();
    assert.equal(sent.length, 1, 'the whole list in one request (limit 1000)');
    const q = new URL(`http://x${sent[0]!.path}`).searchParams;
    assert.deepEqual([q.get('capabilities'), q.get('limit'), q.get('offset')], ['protect_360', '1000', '0']);
  });

  it('shows the requests left today on the account row, and counts every request sent', async () => {
    const { tree } = await api();
    const [node] = await accountNodes();
    const budgetOf = async () => {
      const item = tree.getTreeItem(node!);
      const m = /^(\d+)\/100 requests left$/.exec(String(item.description ?? ''));
      return m ? { left: Number(m[1]), tooltip: tooltipText(item) } : undefined;
    };
    await tree.getChildren(node!);
    const initial = (await eventually(budgetOf, 'the budget on the AppsFlyer account row'))!;
    const used = ((await extensionState()).get<number[]>(dayKey) ?? []).length;
    assert.equal(initial.left, 100 - used, 'what the row shows is what AppDesk counted');
    assert.ok(initial.left <= 98, `the add (1) and the listing (1) were counted: ${initial.left} left`);
    assert.match(initial.tooltip, new RegExp(`AppsFlyer requests today: ${initial.left} of 100 left\\. The oldest counted request ages out at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\.`));

    await clearSandboxRequests();
    const apps = await refreshAndList(node!);
    assert.ok(apps.length > 0 && apps.every((n) => n.type === 'app'));
    assert.equal((await appsflyerRequests()).length, 1, 'a refresh lists again with one request');
    const later = (await eventually(async () => {
      const b = await budgetOf();
      return b && b.left === initial.left - 1 ? b : undefined;
    }, `the row to show ${initial.left - 1} left after the refresh`))!;
    assert.equal(later.left, initial.left - 1);
  });

  it('refuses a refresh the daily budget cannot cover, sending nothing, and says when it can run', async () => {
    const { tree } = await api();
    const state = await extensionState();
    const real = state.get<number[]>(dayKey) ?? [];
    const [node] = await accountNodes();
    // 100 requests in the last 24 hours (as if spent by earlier sessions or the CLI); the oldest an hour ago.
    const oldest = Date.now() - 3_600_000;
    await state.update(dayKey, Array.from({ length: 100 }, (_, i) => oldest + i * 1000));
    try {
      await clearSandboxRequests();
      const children = await refreshAndList(node!);
      assert.deepEqual(children.map((n) => n.type), ['error']);
      const item = tree.getTreeItem(children[0]!);
      assert.match(
        String(item.label),
        /^AppsFlyer's daily request budget is used up: listing the protect_360 apps needs 1 request and 0 of 100 are left for the last 24 hours\. AppDesk has not sent the request, so the quota is not exceeded\. It can run after (\d{4}-\d\d-\d\d )?\d\d:\d\d \(\d{4}-\d\d-\d\d \d\d:\d\d\)\.$/,
      );
      assert.equal((item.iconPath as vscode.ThemeIcon).id, 'error');
      assert.notEqual(item.command?.command, 'appdesk.reconnect', 'not presented as a credentials problem');

      // The row says so too, with the time the next request can go.
      const p = (n: number) => String(n).padStart(2, '0');
      const at = new Date(oldest + DAY_MS);
      const local = `${at.getFullYear()}-${p(at.getMonth() + 1)}-${p(at.getDate())} ${p(at.getHours())}:${p(at.getMinutes())}`;
      await eventually(() => tree.getTreeItem(node!).description === '0/100 requests left', 'the row to show 0/100 requests left');
      assert.match(tooltipText(tree.getTreeItem(node!)), new RegExp(`AppsFlyer requests today: 0 of 100 left\\. The next request can be sent at ${local}\\.`));

      // Adding another account with the same token is refused before its check request, too.
      await assert.rejects(
        addAccount({ providerId: 'appsflyer', settings: { capability: 'cost' }, secrets: { token: await demoToken() } }),
        /daily request budget is used up: checking the account needs 1 request and 0 of 100 are left/,
      );
      assert.deepEqual(await appsflyerRequests(), [], 'nothing was sent to AppsFlyer');
    } finally {
      await state.update(dayKey, real);
    }
    await clearSandboxRequests();
    const again = await refreshAndList(node!);
    assert.ok(again.length > 0 && again.every((n) => n.type === 'app'), 'with the budget back, the refresh lists the apps');
    assert.equal((await appsflyerRequests()).length, 1);
  });

  it('shows AppsFlyer\'s own 429 (the quota spent by other tools) with when to retry, sending it once', async () => {
    const { tree } = await api();
    const [node] = await accountNodes();
    // AppsFlyer counts every tool using the token; it answers a bare 429 (no Retry-After) once the day is used up.
    await fetch(`${sandboxOrigin()}/_sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ prefix: '/appsflyer', kind: 'status', status: 429, headers: { 'content-type': 'application/json' }, body: '"Too many requests"', times: 3 }),
    });
    try {
      await clearSandboxRequests();
      const children = await refreshAndList(node!);
      assert.deepEqual(children.map((n) => n.type), ['error']);
      assert.match(
        String(tree.getTreeItem(children[0]!).label),
        /^AppsFlyer refused the request: too many requests \(429\)\..*if it persists, the daily quota is used up until midnight UTC \(\d{4}-\d\d-\d\d \d\d:\d\d local time\)\.$/,
      );
      assert.equal((await appsflyerRequests()).length, 1, 'a bare 429 is not retried (each attempt would spend budget)');
    } finally {
      await resetSandbox(); // drops the faults left over
    }
  });

  it('refuses up front a listing whose pages do not all fit, instead of running out half-way', async () => {
    const { tree } = await api();
    const state = await extensionState();
    const [node] = await accountNodes();
    // 2,500 apps: 1,667 with Protect360, two pages of 1,000. One listing teaches AppDesk the total.
    await setSandboxApps(2500);
    await clearSandboxRequests();
    const apps = await refreshAndList(node!);
    const total = seedAppsFlyerApps(2500).filter((a) => a.capabilities.includes('protect_360')).length;
    assert.equal(apps.length, total, 'every page of apps, with no "Load more" (the budget is too small for that)');
    assert.deepEqual((await appsflyerRequests()).map((r) => new URL(`http://x${r.path}`).searchParams.get('offset')), ['0', '1000']);

    const real = state.get<number[]>(dayKey) ?? [];
    await state.update(dayKey, Array.from({ length: 99 }, (_, i) => Date.now() - 7_200_000 + i * 1000));
    try {
      await clearSandboxRequests();
      const children = await refreshAndList(node!);
      assert.deepEqual(children.map((n) => n.type), ['error']);
      assert.match(String(tree.getTreeItem(children[0]!).label), /listing the protect_360 apps needs 2 requests and 1 of 100 are left for the last 24 hours\. AppDesk has not sent the request/);
      assert.deepEqual(await appsflyerRequests(), [], 'not even the first page was sent');
      await eventually(() => tree.getTreeItem(node!).description === '1/100 requests left', 'the row to show 1/100 requests left');
    } finally {
      await state.update(dayKey, real);
      await setSandboxApps(6);
    }
  });
});
