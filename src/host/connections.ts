// One live Connection per account, created on first use (activation does no network).
import * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import type { AccountConfig, Connection, ProviderEntry, ProviderHost } from '../providers/types';
import { vscodeSecretStore, vscodeStateStore } from './accountStore';
import { ConfigError } from '../core/errors';

export class ConnectionManager implements vscode.Disposable {
  // Promises, so concurrent tree loads of one account share a single connection.
  private readonly connections = new Map<string, Promise<Connection>>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly providers: readonly ProviderEntry[],
    readonly logger: Logger,
    /** Rewrites an account before connecting (demo accounts get the running sandbox's URL). */
    private readonly resolve: (account: AccountConfig) => Promise<AccountConfig> = async (a) => a,
  ) {}

  host(): ProviderHost {
    const http = vscode.workspace.getConfiguration('http');
    const proxy = http.get<string>('proxy') || undefined;
    return {
      logger: this.logger,
      secrets: vscodeSecretStore(this.context.secrets),
      state: vscodeStateStore(this.context.globalState),
      proxy: { url: proxy, strictSSL: http.get<boolean>('proxyStrictSSL', true) },
      timeoutMs: vscode.workspace.getConfiguration('appdesk').get<number>('http.timeoutSeconds', 30) * 1000,
    };
  }

  get(account: AccountConfig): Promise<Connection> {
    let conn = this.connections.get(account.id);
    if (!conn) {
      const def = this.providers.find((p) => p.id === account.providerId);
      if (!def) {
        return Promise.reject(new ConfigError({
          provider: account.providerId,
          summary: `AppDesk does not know the provider "${account.providerId}" of ${account.label}`,
          hint: 'Remove the account and add it again.',
        }));
      }
      // The provider's code loads with its first connection.
      conn = Promise.all([this.resolve(account), def.load()]).then(([resolved, definition]) => definition.connect(resolved, this.host()));
      conn.catch(() => this.connections.delete(account.id));
      this.connections.set(account.id, conn);
    }
    return conn;
  }

  /** Forgets a connection (credentials changed, account removed, settings changed). */
  reset(accountId?: string): void {
    for (const [id, conn] of this.connections) {
      if (accountId === undefined || id === accountId) {
        conn.then((c) => c.dispose?.(), () => undefined);
        this.connections.delete(id);
      }
    }
  }

  dispose(): void {
    this.reset();
  }
}
