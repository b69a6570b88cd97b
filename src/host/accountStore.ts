// Accounts: the non-secret part in globalState, every secret in SecretStorage under the account's id.
import * as vscode from 'vscode';
import { secretKey, type AccountConfig, type ProviderDefinition, type SecretStore, type StateStore } from '../providers/types';

const ACCOUNTS_KEY = 'appdesk.accounts';

export class AccountStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly context: vscode.ExtensionContext) {}

  list(): AccountConfig[] {
    return this.context.globalState.get<AccountConfig[]>(ACCOUNTS_KEY, []);
  }

  get(id: string): AccountConfig | undefined {
    return this.list().find((a) => a.id === id);
  }

  /** Adds or replaces an account; secrets are written first so a half-saved account never appears. */
  async save(account: AccountConfig, secrets: Record<string, string>): Promise<void> {
    for (const [name, value] of Object.entries(secrets)) {
      await this.context.secrets.store(secretKey(account.id, name), value);
    }
    const others = this.list().filter((a) => a.id !== account.id);
    await this.context.globalState.update(ACCOUNTS_KEY, [...others, account]);
    await this.updateContextKey();
    this.changed.fire();
  }

  async remove(account: AccountConfig, definition: ProviderDefinition | undefined): Promise<void> {
    for (const name of definition?.secretKeys ?? []) await this.context.secrets.delete(secretKey(account.id, name));
    await this.context.globalState.update(ACCOUNTS_KEY, this.list().filter((a) => a.id !== account.id));
    await this.updateContextKey();
    this.changed.fire();
  }

  async updateContextKey(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'appdesk.hasAccounts', this.list().length > 0);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** SecretStorage seen through the provider-facing interface. */
export function vscodeSecretStore(secrets: vscode.SecretStorage): SecretStore {
  return {
    get: async (key) => secrets.get(key),
    store: async (key, value) => secrets.store(key, value),
    delete: async (key) => secrets.delete(key),
  };
}

/** globalState seen through the provider-facing interface (persisted request budgets). */
export function vscodeStateStore(memento: vscode.Memento): StateStore {
  return {
    get: async <T>(key: string) => memento.get<T>(key),
    set: async <T>(key: string, value: T) => memento.update(key, value),
  };
}
