// Add, remove and reconnect accounts. Input is validated before anything is saved, and one test call
// confirms the credentials before the account appears.
import * as vscode from 'vscode';
import { secretKey, type AccountConfig, type AccountImporter, type CredentialField, type NewAccount, type ProviderDefinition } from '../providers/types';
import type { AccountStore } from '../host/accountStore';
import type { ConnectionManager } from '../host/connections';
import { describeError } from '../host/errors';

/** Non-interactive form of Add Account (automation and tests): everything given, nothing asked. */
export interface AddAccountArgs {
  providerId: string;
  settings?: Record<string, string>;
  secrets?: Record<string, string>;
  baseUrl?: string;
  label?: string;
}

export class AccountCommands {
  constructor(
    /** The full definitions: account commands are what loads the providers' code when no account has yet. */
    private readonly definitions: () => Promise<readonly ProviderDefinition[]>,
    private readonly accounts: AccountStore,
    private readonly connections: ConnectionManager,
  ) {}

  async add(args?: AddAccountArgs): Promise<AccountConfig | undefined> {
    const picked = args ? undefined : await this.pickProvider();
    const definition = args ? (await this.definitions()).find((p) => p.id === args.providerId) : picked?.definition;
    if (!definition) {
      if (args) throw new Error(`Unknown provider "${args.providerId}"`);
      return undefined;
    }
    const input = args ? { settings: args.settings ?? {}, secrets: args.secrets ?? {} } : picked?.importer ? await this.importFile(definition, picked.importer) : await this.ask(definition);
    if (!input) return undefined;
    for (const field of definition.credentialFields) {
      const value = (field.secret ? input.secrets : input.settings)[field.key];
      const problem = value === undefined || value === '' ? (field.optional ? undefined : `${field.label} is required.`) : field.validate?.(value);
      if (problem) {
        const message = `${definition.label}: ${problem}`;
        if (args) throw new Error(message);
        void vscode.window.showErrorMessage(message);
        return undefined;
      }
    }
    const account: AccountConfig = {
      id: newAccountId(),
      providerId: definition.id,
      label: args?.label ?? definition.accountLabel(input.settings),
      baseUrl: args ? args.baseUrl : besideDemoSandbox(definition.id),
      settings: input.settings,
    };
    return this.verifyAndSave(definition, account, input, !args);
  }

  /** Saves demo accounts for every provider the sandbox emulates. */
  async addDemoAccounts(credentials: Record<string, Record<string, unknown>>): Promise<number> {
    let added = 0;
    for (const definition of await this.definitions()) {
      const creds = credentials[definition.id];
      if (!creds || !definition.demoAccounts) continue;
      const existing = this.accounts.list().filter((a) => a.demo && a.providerId === definition.id);
      for (const a of existing) await this.accounts.remove(a, definition);
      for (const demo of definition.demoAccounts(creds)) {
        const account: AccountConfig = {
          id: newAccountId(), providerId: definition.id, label: demo.label, settings: { ...demo.settings, sandboxPrefix: `/${definition.id}` }, demo: true,
        };
        await this.accounts.save(account, demo.secrets);
        added++;
      }
    }
    this.connections.reset();
    return added;
  }

  async remove(account: AccountConfig | undefined): Promise<void> {
    if (!account) return;
    const definition = (await this.definitions()).find((p) => p.id === account.providerId);
    const choice = await vscode.window.showWarningMessage(
      `Remove ${account.label}? Its stored credentials are deleted from this machine.`, { modal: true }, 'Remove',
    );
    if (choice !== 'Remove') return;
    this.connections.reset(account.id);
    await this.accounts.remove(account, definition);
  }

  /** Asks again for the credentials of an account whose authentication failed, keeping its id. */
  async reconnect(account: AccountConfig | undefined): Promise<void> {
    if (!account) return;
    const definition = (await this.definitions()).find((p) => p.id === account.providerId);
    if (!definition) return;
    const input = await this.ask(definition, account.settings);
    if (!input) return;
    await this.verifyAndSave(definition, { ...account, settings: input.settings }, input, true);
  }

  private async verifyAndSave(definition: ProviderDefinition, account: AccountConfig, input: Omit<NewAccount, 'label'>, interactive: boolean): Promise<AccountConfig | undefined> {
    // Verify with a throwaway connection fed from memory, so nothing is stored until the call succeeds.
    const probeHost = { ...this.connections.host(), secrets: memorySecrets(account.id, input.secrets) };
    const probe = definition.connect(account, probeHost);
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Connecting to ${definition.label}…`, cancellable: true },
        async (_p, token) => {
          const ac = new AbortController();
          token.onCancellationRequested(() => ac.abort());
          await probe.verify(ac.signal);
        },
      );
    } catch (err) {
      this.connections.logger.warn(`Verifying a ${definition.label} account failed`, err);
      if (!interactive) throw err;
      void vscode.window.showErrorMessage(describeError(err));
      return undefined;
    } finally {
      probe.dispose?.();
    }
    this.connections.reset(account.id);
    await this.accounts.save(account, input.secrets);
    if (interactive) void vscode.window.showInformationMessage(`${definition.label}: ${account.label} connected.`);
    return account;
  }

  private async pickProvider(): Promise<{ definition: ProviderDefinition; importer?: AccountImporter } | undefined> {
    const items = (await this.definitions()).flatMap((p) => [
      { label: `$(${p.icon}) ${p.label}`, detail: p.description, definition: p, importer: undefined as AccountImporter | undefined },
      ...(p.importers ?? []).map((importer) => ({ label: `$(file-symlink-file) ${p.label}: ${importer.label}`, detail: importer.detail, definition: p, importer })),
    ]);
    return vscode.window.showQuickPick(items, { title: 'Add Account', placeHolder: 'Which service do you want to connect?', matchOnDetail: true });
  }

  private async importFile(definition: ProviderDefinition, importer: AccountImporter): Promise<Omit<NewAccount, 'label'> | undefined> {
    const uris = await vscode.window.showOpenDialog({ title: `${definition.label}: ${importer.label}`, filters: importer.filters, canSelectMany: false, openLabel: 'Import' });
    const uri = uris?.[0];
    if (!uri) return undefined;
    try {
      // The file's content is used; its path is not stored.
      const parsed = importer.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
      return { settings: parsed.settings, secrets: parsed.secrets };
    } catch (err) {
      void vscode.window.showErrorMessage(`${definition.label}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }

  private async ask(definition: ProviderDefinition, current: Record<string, string> = {}): Promise<Omit<NewAccount, 'label'> | undefined> {
    const settings: Record<string, string> = {};
    const secrets: Record<string, string> = {};
    const fields = definition.credentialFields;
    for (const [i, field] of fields.entries()) {
      const value = await askField(definition, field, current[field.key], `${i + 1}/${fields.length}`);
      if (value === undefined) return undefined;
      if (value === '' && field.optional) continue;
      (field.secret ? secrets : settings)[field.key] = value;
    }
    return { settings, secrets };
  }
}

async function askField(definition: ProviderDefinition, field: CredentialField, current: string | undefined, step: string): Promise<string | undefined> {
  const title = `Add ${definition.label} Account (${step})`;
  if (field.kind === 'choice') {
    const pick = await vscode.window.showQuickPick(
      (field.choices ?? []).map((c) => ({ label: c.label, description: c.description, value: c.value })),
      { title, placeHolder: field.prompt ?? field.label },
    );
    return pick?.value;
  }
  if (field.kind === 'file') {
    const uris = await vscode.window.showOpenDialog({ title: `${title}: ${field.prompt ?? field.label}`, canSelectMany: false, openLabel: 'Use This File' });
    const uri = uris?.[0];
    if (!uri) return undefined;
    // The file's content is the credential; its path is never stored.
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const problem = field.validate?.(text);
    if (problem) {
      void vscode.window.showErrorMessage(`${definition.label}: ${problem}`);
      return undefined;
    }
    return text;
  }
  return vscode.window.showInputBox({
    title,
    prompt: field.prompt ?? field.label,
    placeHolder: field.placeholder,
    value: field.secret ? undefined : current,
    password: field.kind === 'password',
    ignoreFocusOut: true,
    validateInput: (v) => (v === '' ? (field.optional ? undefined : `${field.label} is required`) : field.validate?.(v)),
  });
}

/**
 * While `npm run demo` runs the sandbox beside VS Code (`APPDESK_DEMO_SANDBOX_URL`, loopback only), an account added
 * by hand goes to the sandbox's emulation of its provider too, so the whole Add Account flow (e.g. with the demo
 * AuthKey .p8) can be tried without touching a real service. Otherwise undefined: the provider's production API.
 */
function besideDemoSandbox(providerId: string): string | undefined {
  const raw = process.env.APPDESK_DEMO_SANDBOX_URL;
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    return url.hostname === '127.0.0.1' || url.hostname === 'localhost' ? `${url.origin}/${providerId}` : undefined;
  } catch {
    return undefined;
  }
}

function memorySecrets(accountId: string, secrets: Record<string, string>) {
  const map = new Map(Object.entries(secrets).map(([k, v]) => [secretKey(accountId, k), v]));
  return {
    get: async (key: string) => map.get(key),
    store: async (key: string, value: string) => { map.set(key, value); },
    delete: async (key: string) => { map.delete(key); },
  };
}

/**
 * The Web Crypto global, not `node:crypto`: importing that module at the top costs 6 ms of every activation (this file
 * is in the activation bundle); the global loads it only when an account is added.
 */
function newAccountId(): string {
  return globalThis.crypto.randomUUID();
}
