// The unified feedback inbox inside a real VS Code, against the sandbox: App Store reviews and TestFlight feedback
// (App Store Connect) and in-app feedback (Apptentive) in one stream; accounts without feedback (AppTweak,
// AppsFlyer) are skipped without a request; one failing account is reported and does not stop the others;
// archiving an in-app record from the inbox reaches Apptentive.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { MemoryLogger } from '../../src/core/logger';
import { providerById } from '../../src/providers/registry';
import { secretKey, type AccountConfig, type Connection } from '../../src/providers/types';
import { InboxPanel, type InboxContext } from '../../src/panels/inboxPanel';
import type { InboxItem, InboxUpdate } from '../../src/protocol/inbox';
import { activeWebviewViewType, addAccount, clearSandboxRequests, closeAllEditors, eventually, removeAllAccounts, resetSandbox, sandboxCredentials, sandboxOrigin, sandboxRequests } from './support';

interface Added { account: AccountConfig; secrets: Record<string, string> }
interface RecordDoc { id: string; archived: boolean }

/** A connection of its own to an account, from the provider definition and the account's known secrets. */
function connect({ account, secrets }: Added): Connection {
  const store = new Map(Object.entries(secrets).map(([k, v]) => [secretKey(account.id, k), v]));
  const state = new Map<string, unknown>();
  return providerById(account.providerId)!.connect(account, {
    logger: new MemoryLogger(),
    secrets: { get: async (k) => store.get(k), store: async (k, v) => void store.set(k, v), delete: async (k) => void store.delete(k) },
    state: { get: async <T>(k: string) => state.get(k) as T | undefined, set: async <T>(k: string, v: T) => void state.set(k, v) },
  });
}

async function apptentiveRecords(token: string): Promise<RecordDoc[]> {
  const res = await fetch(`${sandboxOrigin()}/apptentive/records`, { headers: { authorization: `OAuth ${token}` } });
  return (await res.json()) as RecordDoc[];
}

interface Driver {
  sent: InboxUpdate[];
  items(): Map<string, InboxItem>;
  send(msg: unknown): Promise<void>;
  waitFor<T extends InboxUpdate['type']>(type: T, pred?: (m: Extract<InboxUpdate, { type: T }>) => boolean, from?: number, timeoutMs?: number): Promise<Extract<InboxUpdate, { type: T }>>;
  dispose(): void;
}

/** Opens an inbox of its own over `accounts`; the real webview's messages are dropped, the test sends them. */
function openInbox(accounts: Added[]): Driver {
  const ext = vscode.extensions.getExtension('appdesk.appdesk')!;
  const conns = new Map<string, Connection>();
  const ctx: InboxContext = {
    extensionUri: ext.extensionUri,
    logger: new MemoryLogger(),
    accounts: () => accounts.map((a) => a.account),
    connection: async (account) => {
      const added = accounts.find((a) => a.account.id === account.id)!;
      if (!conns.has(account.id)) conns.set(account.id, connect(added));
      return conns.get(account.id)!;
    },
  };
  const panel = InboxPanel.show(ctx);
  const sent: InboxUpdate[] = [];
  const inner = panel as unknown as { post(m: InboxUpdate): void; handle(m: unknown): Promise<void> };
  const post = inner.post.bind(panel);
  const handle = inner.handle.bind(panel);
  inner.post = (m) => { sent.push(m); post(m); };
  inner.handle = async () => undefined;
  return {
    sent,
    items: () => {
      const map = new Map<string, InboxItem>();
      for (const m of sent) {
        if (m.type === 'reset') map.clear();
        if (m.type === 'items') for (const i of m.items) map.set(i.key, i);
        if (m.type === 'itemChanged') map.set(m.item.key, m.item);
      }
      return map;
    },
    send: (msg) => handle(msg),
    waitFor: (type, pred, from = 0, timeoutMs = 30_000) => eventually(
      () => sent.slice(from).find((m) => m.type === type && (!pred || pred(m as never))) as never,
      `a "${type}" message`,
      timeoutMs,
    ),
    dispose: () => {
      panel.panel.dispose();
      for (const c of conns.values()) c.dispose?.();
    },
  };
}

describe('feedback inbox', () => {
  const accounts: Added[] = [];
  let iosToken = '';

  before(async function () {
    this.timeout(120_000);
    await removeAllAccounts();
    await resetSandbox();
    const creds = await sandboxCredentials();
    const asc = creds.asc as { keyId: string; issuerId: string; privateKey: string };
    const add = async (providerId: string, settings: Record<string, string>, secrets: Record<string, string>) => {
      accounts.push({ account: await addAccount({ providerId, settings, secrets }), secrets });
    };
    await add('asc', { keyId: asc.keyId, issuerId: asc.issuerId }, { privateKey: asc.privateKey });
    for (const app of creds.apptentive!.apps as { id: string; name: string; token: string }[]) {
      await add('apptentive', { appName: app.name, appId: app.id }, { token: app.token });
      if (app.name.includes('iOS')) iosToken = app.token;
    }
    await add('apptweak', {}, { apiKey: creds.apptweak!.token as string });
    await add('appsflyer', { capability: 'protect_360' }, { token: creds.appsflyer!.token as string });
  });
  afterEach(closeAllEditors);
  after(() => removeAllAccounts());

  it('opens from the view\'s title action and loads every source of the accounts that have feedback', async function () {
    this.timeout(90_000);
    await clearSandboxRequests();
    await vscode.commands.executeCommand('appdesk.openInbox');
    await eventually(() => /appdesk\.inbox$/.test(activeWebviewViewType() ?? ''), 'the inbox webview to be the active tab');
    assert.equal(vscode.window.tabGroups.activeTabGroup.activeTab?.label, 'Feedback Inbox');
    // Its webview's "ready" makes the extension's inbox read reviews, TestFlight feedback and Apptentive records.
    await eventually(async () => {
      const p = (await sandboxRequests()).map((r) => r.path);
      const has = (re: RegExp) => p.some((x) => re.test(x));
      return has(/^\/asc\/v1\/apps\/[^/]+\/customerReviews/) && has(/^\/asc\/v1\/apps\/[^/]+\/betaFeedbackScreenshotSubmissions/) && has(/^\/asc\/v1\/apps\/[^/]+\/betaFeedbackCrashSubmissions/) && has(/^\/apptentive\/records/) ? p : undefined;
    }, 'requests for all three sources', 60_000);
  });

  it('streams App Store reviews, TestFlight feedback and in-app feedback together, each labelled with its source', async function () {
    this.timeout(90_000);
    const d = openInbox(accounts);
    try {
      await clearSandboxRequests();
      await d.send({ type: 'ready' });
      const reset = await d.waitFor('reset');
      assert.deepEqual(reset.sources, [
        { source: 'review', label: 'App Store reviews' },
        { source: 'testflight', label: 'TestFlight feedback' },
        { source: 'inapp', label: 'In-app feedback' },
      ]);
      const done = await d.waitFor('progress', (m) => !m.loading, 0, 60_000);
      assert.deepEqual(done.failures, []);
      const items = [...d.items().values()];
      assert.equal(done.loaded, items.length);
      const bySource = (s: string) => items.filter((i) => i.source === s);
      const reviews = bySource('review');
      const testflight = bySource('testflight');
      const inapp = bySource('inapp');
      assert.ok(reviews.length > 0 && testflight.length > 0 && inapp.length > 0, `all three sources: ${reviews.length} reviews, ${testflight.length} TestFlight, ${inapp.length} in-app`);
      assert.ok(d.sent.filter((m) => m.type === 'items').length > 1, 'streamed in several batches as sources arrive');

      // App Store reviews: rating, replyable; Lumen Notes has eight.
      assert.ok(reviews.every((r) => r.sourceLabel === 'App Store review' && r.type === 'rating' && r.rating! >= 1 && r.rating! <= 5 && r.canReply && !r.canArchive));
      assert.equal(reviews.filter((r) => r.appName === 'Lumen Notes').length, 8);
      // TestFlight: screenshots and crashes, crashes with their log.
      assert.ok(testflight.every((t) => t.sourceLabel === 'TestFlight' && (t.type === 'screenshot' || t.type === 'crash') && !t.canReply));
      assert.ok(testflight.some((t) => t.type === 'crash' && t.hasCrashLog), 'a crash with its log');
      // In-app: every Apptentive record of both apps (archived ones too, flagged, for the Archived filter).
      const records = [...(await apptentiveRecords(iosToken))];
      const iosItems = inapp.filter((i) => i.appName === 'Northwind Trails (iOS)');
      assert.equal(iosItems.length, records.length);
      assert.equal(iosItems.filter((i) => i.archived).length, records.filter((r) => r.archived).length);
      assert.ok(inapp.some((i) => i.appName === 'Northwind Trails (Android)'));
      assert.ok(inapp.every((i) => i.sourceLabel === 'Apptentive' && i.canArchive && !i.canReply));
      // Keys are unique across accounts, apps and sources.
      assert.equal(new Set(items.map((i) => i.key)).size, items.length);
      // AppTweak and AppsFlyer offer no feedback: the inbox does not even list their apps (AppsFlyer's budget is kept).
      const other = (await sandboxRequests()).filter((r) => /^\/(appsflyer|apptweak)\//.test(r.path));
      assert.deepEqual(other, [], 'no request to providers without feedback');
    } finally {
      d.dispose();
    }
  });

  it('reports an account that fails and still shows the others', async function () {
    this.timeout(90_000);
    const broken: Added = {
      account: { id: 'it-inbox-broken', providerId: 'apptentive', label: 'Apptentive — Revoked App', baseUrl: `${sandboxOrigin()}/apptentive`, settings: { appName: 'Revoked App' } },
      secrets: { token: 'e'.repeat(64) },
    };
    const d = openInbox([...accounts, broken]);
    try {
      await d.send({ type: 'ready' });
      const done = await d.waitFor('progress', (m) => !m.loading, 0, 60_000);
      assert.equal(done.failures.length, 1);
      assert.match(done.failures[0]!, /^Apptentive — Revoked App: Apptentive did not accept the API token of Revoked App \(401\)/);
      const sources = new Set([...d.items().values()].map((i) => i.source));
      assert.deepEqual([...sources].sort(), ['inapp', 'review', 'testflight']);
    } finally {
      d.dispose();
    }
  });

  it('archives and unarchives an in-app record from the inbox', async function () {
    this.timeout(90_000);
    const d = openInbox(accounts);
    try {
      await d.send({ type: 'ready' });
      await d.waitFor('progress', (m) => !m.loading, 0, 60_000);
      const target = [...d.items().values()].find((i) => i.source === 'inapp' && i.appName === 'Northwind Trails (iOS)' && !i.archived)!;
      const id = target.key.split('/').at(-1)!;
      await clearSandboxRequests();
      let from = d.sent.length;
      await d.send({ type: 'archive', key: target.key, archived: true });
      let changed = await d.waitFor('itemChanged', (m) => m.item.key === target.key, from);
      assert.equal(changed.item.archived, true);
      assert.equal((await apptentiveRecords(iosToken)).find((r) => r.id === id)?.archived, true);

      from = d.sent.length;
      await d.send({ type: 'archive', key: target.key, archived: false });
      changed = await d.waitFor('itemChanged', (m) => m.item.key === target.key, from);
      assert.equal(changed.item.archived, false);
      assert.equal((await apptentiveRecords(iosToken)).find((r) => r.id === id)?.archived, false);
      assert.deepEqual((await sandboxRequests()).filter((r) => r.method === 'PUT').map((r) => r.path), [`/apptentive/records/${id}/toggle_archive`, `/apptentive/records/${id}/toggle_archive`]);

      // A key the inbox does not know (stale webview) gets an error for that item, nothing is sent.
      from = d.sent.length;
      await clearSandboxRequests();
      await d.send({ type: 'archive', key: `${target.key}-gone`, archived: true }).catch(() => undefined);
      assert.deepEqual((await sandboxRequests()).filter((r) => r.method === 'PUT'), []);
    } finally {
      d.dispose();
    }
  });
});
