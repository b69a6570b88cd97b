// The demo: a local sandbox of all five APIs started inside the extension host on demand, and demo accounts
// that point at it. Nothing here runs at activation.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AccountConfig } from '../providers/types';

interface SandboxHandle {
  origin: string;
  credentials(): Record<string, Record<string, unknown>>;
  close(): Promise<void>;
}

type StartSandbox = (opts: { port?: number }) => Promise<SandboxHandle>;

export class DemoSandbox implements vscode.Disposable {
  private running: Promise<SandboxHandle> | undefined;

  constructor(private readonly extensionPath: string) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Starts the sandbox once; later calls share it. */
  start(): Promise<SandboxHandle> {
    const external = process.env.APPDESK_DEMO_SANDBOX_URL;
    if (!this.running && external) {
      // `npm run demo` runs the sandbox beside VS Code and tells the extension host where (loopback only).
      this.running = connectExternal(external).catch((err: unknown) => {
        this.running = undefined;
        throw err;
      });
    }
    if (!this.running) {
      // Loaded from its own bundle at first use so it costs nothing at activation and stays out of extension.js.
      const modulePath = path.join(this.extensionPath, 'dist', 'sandbox.js');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { startSandbox } = require(modulePath) as { startSandbox: StartSandbox };
      const port = vscode.workspace.getConfiguration('appdesk').get<number>('demo.port', 0);
      this.running = startSandbox({ port }).catch((err: unknown) => {
        this.running = undefined;
        throw err;
      });
    }
    return this.running;
  }

  /** A demo account with its base URL pointed at the running sandbox (its port changes between sessions). */
  async resolve(account: AccountConfig): Promise<AccountConfig> {
    if (!account.demo) return account;
    const sandbox = await this.start();
    const prefix = account.settings.sandboxPrefix ?? `/${account.providerId}`;
    return { ...account, baseUrl: sandbox.origin + prefix };
  }

  dispose(): void {
    void this.running?.then((s) => s.close());
    this.running = undefined;
  }
}

async function connectExternal(origin: string): Promise<SandboxHandle> {
  const url = new URL(origin);
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') throw new Error(`The demo sandbox must be on this machine, not ${url.host}`);
  const res = await fetch(new URL('/_sandbox/credentials', url));
  if (!res.ok) throw new Error(`The demo sandbox at ${origin} answered ${res.status}`);
  const creds = (await res.json()) as Record<string, Record<string, unknown>>;
  return { origin: url.origin, credentials: () => creds, close: async () => {} };
}
