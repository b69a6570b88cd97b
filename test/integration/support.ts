// Helpers for integration suites running inside the VS Code extension host against the sandbox.
import * as vscode from 'vscode';
import type { AppDeskApi } from '../../src/extension';
import type { AccountConfig } from '../../src/providers/types';

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
