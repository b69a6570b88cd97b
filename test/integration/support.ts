// Helpers for integration suites running inside the VS Code extension host against the sandbox.
import * as vscode from 'vscode';
import { MemoryLogger } from '../../src/core/logger';
import type { AppDeskApi } from '../../src/extension';
import type { PanelContext } from '../../src/panels/appPanel';
import type { PanelFocus } from '../../src/protocol/messages';
import { secretKey, type AccountConfig, type AppSummary, type Connection } from '../../src/providers/types';

export function sandboxOrigin(): string {
  const url = process.env.APPDESK_TEST_SANDBOX_URL;
  if (!url) throw new Error('APPDESK_TEST_SANDBOX_URL is not set: run through test/harness/run-integration');
  return url;
}

export async function sandboxCredentials(): Promise<Record<string, Record<string, unknown>>> {
  const res = await fetch(`${sandboxOrigin()}/_sandbox/credentials`);
  return (await res.json()) as Record<string, Record<string, unknown>>;
}

export async function resetSandbox(): Promise<void> {
  await fetch(`${sandboxOrigin()}/_sandbox/reset`, { method: 'POST' });
}

export async function sandboxRequests(): Promise<{ method: string; path: string; status: number }[]> {
  const res = await fetch(`${sandboxOrigin()}/_sandbox/requests`);
  return (await res.json()) as { method: string; path: string; status: number }[];
}

export async function clearSandboxRequests(): Promise<void> {
  await fetch(`${sandboxOrigin()}/_sandbox/requests`, { method: 'DELETE' });
}

export async function api(): Promise<AppDeskApi> {
  const ext = vscode.extensions.getExtension<AppDeskApi>('appdesk.appdesk');
  if (!ext) throw new Error('AppDesk is not loaded');
  return ext.activate();
}

/** Removes every account (and its secrets) without prompts. */
export async function removeAllAccounts(): Promise<void> {
  const { accounts } = await api();
  const { providers } = await import('../../src/providers/registry');
  for (const a of accounts.list()) await accounts.remove(a, providers.find((p) => p.id === a.providerId));
}

/** Adds an account through the real Add Account command, non-interactively. */
export async function addAccount(args: { providerId: string; settings?: Record<string, string>; secrets?: Record<string, string>; label?: string; baseUrl?: string }): Promise<AccountConfig> {
  const account = await vscode.commands.executeCommand<AccountConfig | undefined>('appdesk.addAccount', { baseUrl: `${sandboxOrigin()}/${args.providerId}`, ...args });
  if (!account) throw new Error(`adding a ${args.providerId} account returned nothing`);
  return account;
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

export function activeWebviewViewType(): string | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputWebview ? input.viewType : undefined;
}

/** Polls until `fn` returns a truthy value (UI effects settle asynchronously). */
export async function eventually<T>(fn: () => Promise<T> | T, what: string, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ---------- panels on a sandbox connection ----------

/** The sandbox's demo App Store Connect key (from `/_sandbox/credentials`). */
export interface AscCreds { baseUrl: string; keyId: string; issuerId: string; privateKey: string; vendorNumber: string }

export async function ascCreds(): Promise<AscCreds> {
  return (await sandboxCredentials()).asc as unknown as AscCreds;
}

/** Adds an App Store Connect account on the sandbox's demo key through the real Add Account command. */
export async function addSandboxAscAccount(): Promise<AccountConfig> {
  const creds = await ascCreds();
  return addAccount({ providerId: 'asc', baseUrl: `${sandboxOrigin()}/asc`, settings: { keyId: creds.keyId, issuerId: creds.issuerId }, secrets: { privateKey: creds.privateKey } });
}

/**
 * An account on the sandbox's demo credentials (App Store Connect key, or legacy iTunes Connect login) and a way to
 * connect it outside the extension (the test bundle's own provider code), secrets and state in memory.
 */
export async function sandboxAccount(id: string, providerId: 'asc' | 'itc' = 'asc'): Promise<{ account: AccountConfig; connect(): Connection }> {
  const all = await sandboxCredentials();
  let account: AccountConfig;
  let secret: [name: string, value: string];
  if (providerId === 'asc') {
    const creds = all.asc as unknown as AscCreds;
    account = { id, providerId, label: 'Sandbox App Store Connect', baseUrl: creds.baseUrl, settings: { keyId: creds.keyId, issuerId: creds.issuerId } };
    secret = ['privateKey', creds.privateKey];
  } else {
    const creds = all.itc as { baseUrl: string; appleId: string; password: string };
    account = { id, providerId, label: 'Sandbox iTunes Connect', baseUrl: creds.baseUrl, settings: { appleId: creds.appleId } };
    secret = ['password', creds.password];
  }
  // Loaded on first use, like the registry above: suites without panels do not evaluate the providers' code.
  const { memorySecretStore, memoryStateStore } = await import('../../src/providers/shared/providerKit');
  const provider = providerId === 'asc' ? (await import('../../src/providers/asc')).ascProvider : (await import('../../src/providers/itc')).itcProvider;
  const secrets = memorySecretStore({ [secretKey(id, secret[0])]: secret[1] });
  const state = memoryStateStore();
  return { account, connect: () => provider.connect(account, { logger: new MemoryLogger(), secrets, state }) };
}

/** The message of `type` among `M` (all of `M` where its `type` is a plain string). */
export type MessageOf<M extends { type: string }, T extends M['type']> = [Extract<M, { type: T }>] extends [never] ? M : Extract<M, { type: T }>;

/** A panel's extension side, driven by a test that plays its webview's part. */
export interface PanelRecorder<M extends { type: string }, P> {
  panel: P;
  /** Every message the panel posted, in order. */
  sent: M[];
  /** Messages the real webview sent (dropped unless `live`). */
  fromWebview: unknown[];
  /** Delivers a message as if the webview had sent it (validated like any other) and waits for its handling. */
  send(msg: unknown): Promise<void>;
  /** The first message of `type` (matching `pred`) posted at or after `from`. */
  waitFor<T extends M['type']>(type: T, pred?: (m: MessageOf<M, T>) => boolean, from?: number, timeoutMs?: number): Promise<MessageOf<M, T>>;
  dispose(): void;
}

/** A panel opened by openSandboxPanel, with the sandbox connection it got. */
export interface PanelDriver<M extends { type: string }, P> extends PanelRecorder<M, P> {
  connection: Connection;
}

/** A per-app panel class (BuildsPanel, ReviewsPanel, …). */
export interface PanelClass<P extends { panel: vscode.WebviewPanel }> {
  show(ctx: PanelContext, account: AccountConfig, app: AppSummary, panel?: vscode.WebviewPanel, focus?: PanelFocus): Promise<P | undefined>;
}

export interface OpenPanelOptions {
  /** Let the real webview's messages through. */
  live?: boolean;
  /** Start of the sandbox account's id (a number is added); ignored with `account`. */
  idPrefix?: string;
  /** The account the panel is for (e.g. one added through the real command); its connection is still the test's. */
  account?: AccountConfig;
  provider?: 'asc' | 'itc';
  /** Replaces the connection the panel gets (e.g. to page with a smaller limit). */
  wrap?: (conn: Connection) => Connection;
  /** waitFor's default timeout. */
  timeoutMs?: number;
  /** The field the panel is asked to focus (the metadata panel's `focus`). */
  focus?: PanelFocus;
}

const panelSeq = new Map<string, number>();
/** Panels opened by openSandboxPanel and not yet disposed (panelSuiteHooks disposes them after each test). */
const openPanels = new Set<{ panel: vscode.WebviewPanel }>();

/** `type(error message)` for a message carrying a panel error, else its type. */
function describeMessage(m: { type: string }): string {
  const error = (m as { error?: unknown }).error;
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? `${m.type}(${message})` : m.type;
}

/**
 * Opens a panel of the test bundle for `app` on a sandbox connection. Its real webview loads as usual, but unless
 * `live` its messages are dropped: the test plays the webview's part with `send`, so a webview that loads late
 * (code-server sometimes takes ~30 s to serve a new webview's script) cannot add requests in the middle of a test.
 */
export async function openSandboxPanel<M extends { type: string }, P extends { panel: vscode.WebviewPanel }>(panelClass: PanelClass<P>, app: AppSummary, opts: OpenPanelOptions = {}): Promise<PanelDriver<M, P>> {
  const prefix = opts.idPrefix ?? 'it-panel';
  const n = (panelSeq.get(prefix) ?? 0) + 1;
  panelSeq.set(prefix, n);
  const made = await sandboxAccount(opts.account?.id ?? `${prefix}-${n}`, opts.provider);
  const account = opts.account ?? made.account;
  const connection = opts.wrap ? opts.wrap(made.connect()) : made.connect();
  const ext = vscode.extensions.getExtension('appdesk.appdesk')!;
  const ctx: PanelContext = { extensionUri: ext.extensionUri, logger: new MemoryLogger(), account: () => account, connection: async () => connection };
  const panel = (await panelClass.show(ctx, account, app, undefined, opts.focus))!;
  openPanels.add(panel);
  const recorder = drivePanel<M, P>(panel, opts);
  return {
    ...recorder,
    connection,
    dispose: () => {
      openPanels.delete(panel);
      recorder.dispose();
    },
  };
}

/**
 * Records what `panel` posts and plays its webview's part: unless `live`, the real webview's own messages are
 * dropped (see openSandboxPanel). For panels opened by the test itself, e.g. on the extension's own connection.
 */
export function drivePanel<M extends { type: string }, P extends { panel: vscode.WebviewPanel }>(panel: P, opts: { live?: boolean; timeoutMs?: number } = {}): PanelRecorder<M, P> {
  const sent: M[] = [];
  const fromWebview: unknown[] = [];
  const inner = panel as unknown as { post(m: M): void; receive(m: unknown): Promise<void> };
  const post = inner.post.bind(panel);
  const receive = inner.receive.bind(panel);
  inner.post = (m) => { sent.push(m); post(m); };
  inner.receive = async (m) => { fromWebview.push(m); if (opts.live) await receive(m); };
  return {
    panel, sent, fromWebview,
    send: (msg) => receive(msg),
    waitFor: (type, pred, from = 0, timeoutMs = opts.timeoutMs ?? 10_000) => eventually(
      () => sent.slice(from).find((m) => m.type === type && (!pred || pred(m as never))) as never,
      `a "${type}" message`,
      timeoutMs,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; the panel posted: ${sent.slice(from).map(describeMessage).join(', ') || 'nothing'}`);
    }),
    dispose: () => panel.panel.dispose(),
  };
}

/**
 * Runs a panel's open command (e.g. `appdesk.openBuilds`) for `app` of an account added through the real Add
 * Account command, waits for its webview (`appdesk.<viewType>`) to be the active tab and returns the tab's label.
 */
export async function openThroughCommand(command: string, viewType: string, app: AppSummary): Promise<string | undefined> {
  await vscode.extensions.getExtension('appdesk.appdesk')!.activate();
  const account = await addSandboxAscAccount();
  await vscode.commands.executeCommand(command, { accountId: account.id, app });
  await eventually(() => activeWebviewViewType()?.endsWith(`appdesk.${viewType}`), `the ${viewType} webview to be the active tab`);
  return vscode.window.tabGroups.activeTabGroup.activeTab?.label;
}

/**
 * The hooks of a panel suite: a fresh sandbox before each test; after each, the panels it opened with
 * openSandboxPanel disposed and every editor closed; at the end, the accounts added through the real command removed.
 */
export function panelSuiteHooks(): void {
  beforeEach(resetSandbox);
  after(() => removeAllAccounts());
  afterEach(async () => {
    for (const panel of [...openPanels]) panel.panel.dispose();
    openPanels.clear();
    await closeAllEditors();
  });
}

type WindowFn = (...args: unknown[]) => Thenable<unknown>;
/** Replaces a `vscode.window` function until `restore()`; every call is recorded. */
export function stubWindow(name: 'showInformationMessage' | 'showWarningMessage' | 'showErrorMessage' | 'showQuickPick' | 'showInputBox' | 'showOpenDialog', fn: WindowFn): { calls: unknown[][]; restore(): void } {
  const w = vscode.window as unknown as Record<string, WindowFn>;
  const original = w[name]!;
  const calls: unknown[][] = [];
  w[name] = async (...args: unknown[]) => { calls.push(args); return fn(...args); };
  return { calls, restore: () => { w[name] = original; } };
}

/** Answers the next warnings (modal confirmations) with `answer` (undefined = the user dismissed it). */
export function answerWarnings(answer: string | undefined): { calls: unknown[][]; restore(): void } {
  return stubWindow('showWarningMessage', async () => answer);
}

/** The API requests under `prefix` since the `n`th request (not the test's own calls to `/_sandbox/*`). */
export async function apiRequestsSince(n: number, prefix = '/asc/'): Promise<{ method: string; path: string; status: number }[]> {
  return (await sandboxRequests()).slice(n).filter((r) => r.path.startsWith(prefix));
}

/** The same as `METHOD /path` (without the query). */
export async function apiCallsSince(n: number, prefix = '/asc/'): Promise<string[]> {
  return (await apiRequestsSince(n, prefix)).map((r) => `${r.method} ${r.path.split('?')[0]}`);
}

/**
 * Opens a probe tab, waits for it to show, then closes every editor and waits until no tab is left: later suites
 * expect a workbench whose tab model is prompt again after a suite that opened many panels.
 */
export async function settleWorkbench(): Promise<void> {
  const probe = vscode.window.createWebviewPanel('appdesk.settle', 'settle', vscode.ViewColumn.Active, {});
  await eventually(() => vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.label === 'settle')), 'the probe tab', 30_000);
  probe.dispose();
  await closeAllEditors();
  await eventually(() => vscode.window.tabGroups.all.every((g) => g.tabs.length === 0), 'no open tabs', 30_000);
}
