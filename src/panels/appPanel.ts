// Shared machinery of the per-app panels (metadata, builds, TestFlight, reviews, release, …): one panel per
// app and kind, revealed if open; strict-CSP HTML; untrusted messages validated before use; errors posted as
// data; state restored after a window reload through a serializer.
import * as vscode from 'vscode';
import { isProviderError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { AccountConfig, AppSummary, Connection } from '../providers/types';
import { isRecord, type PanelError, type PanelFocus } from '../protocol/messages';
import { webviewHtml } from './webviewHtml';

/** What a restored panel needs to find its app again (kept in the webview's state). */
export interface PanelTarget {
  accountId: string;
  app: AppSummary;
}

export interface PanelContext {
  extensionUri: vscode.Uri;
  logger: Logger;
  account(id: string): AccountConfig | undefined;
  connection(account: AccountConfig): Promise<Connection>;
}

export abstract class AppPanel<Req extends { type: string }, Upd extends { type: string }> {
  private static readonly open = new Map<string, AppPanel<{ type: string }, { type: string }>>();
  protected readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  protected constructor(
    readonly panel: vscode.WebviewPanel,
    protected readonly ctx: PanelContext,
    protected readonly account: AccountConfig,
    protected readonly conn: Connection,
    protected readonly app: AppSummary,
    private readonly key: string,
  ) {
    AppPanel.open.set(key, this as unknown as AppPanel<{ type: string }, { type: string }>);
    panel.iconPath = vscode.Uri.joinPath(ctx.extensionUri, 'media', 'appdesk.svg');
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  static key(kind: string, accountId: string, appId: string): string {
    return `${kind}:${accountId}:${appId}`;
  }

  static reveal(key: string, focus?: PanelFocus): boolean {
    const existing = AppPanel.open.get(key);
    if (!existing) return false;
    existing.panel.reveal();
    if (focus) existing.focusOn(focus);
    return true;
  }

  /** Brings part of the panel into view (a field to fix); panels with nothing to focus ignore it. */
  protected focusOn(_focus: PanelFocus): void {}

  static createWebviewPanel(ctx: PanelContext, viewType: string, title: string): vscode.WebviewPanel {
    return vscode.window.createWebviewPanel(viewType, title, vscode.ViewColumn.Active, webviewOptions(ctx.extensionUri));
  }

  protected setHtml(webviewEntry: string, title: string, target: PanelTarget): void {
    this.panel.title = title;
    // The target is embedded for the serializer; it holds ids and names only, never credentials.
    this.panel.webview.html = webviewHtml(this.panel.webview, this.ctx.extensionUri, webviewEntry, title).replace(
      '<main id="app"',
      `<main id="app" data-target="${escapeAttr(JSON.stringify(target))}"`,
    );
  }

  /** Validates an untrusted message; undefined means ignore it. */
  protected abstract parse(raw: unknown): Req | undefined;
  protected abstract handle(msg: Req): Promise<void>;

  protected post(msg: Upd | { type: 'error'; error: PanelError } | { type: 'busy'; busy: boolean; label?: string }): void {
    if (!this.disposed) void this.panel.webview.postMessage(msg);
  }

  protected postError(err: unknown, context: string): void {
    this.ctx.logger.error(`${context} failed`, err);
    this.post({ type: 'error', error: toPanelError(err) });
  }

  private async receive(raw: unknown): Promise<void> {
    const msg = this.parse(raw);
    if (!msg) {
      this.ctx.logger.warn(`Ignored an unexpected message from the ${this.panel.viewType} webview`, isRecord(raw) ? String(raw.type) : typeof raw);
      return;
    }
    try {
      await this.handle(msg);
    } catch (err) {
      this.postError(err, `${this.panel.viewType}: ${msg.type}`);
    }
  }

  protected dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    AppPanel.open.delete(this.key);
    for (const d of this.disposables) d.dispose();
  }
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export function toPanelError(err: unknown): PanelError {
  if (isProviderError(err)) {
    const j = err.toJSON();
    return { message: j.message, kind: j.kind, provider: j.provider, details: j.details, fieldErrors: j.fieldErrors, retryAt: j.retryAt };
  }
  return { message: err instanceof Error ? err.message : String(err), kind: 'unexpected' };
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Reads the panel target back from a restored webview's HTML state. */
export function parseTarget(state: unknown): PanelTarget | undefined {
  if (!isRecord(state) || !isRecord(state.target)) return undefined;
  const t = state.target;
  if (typeof t.accountId !== 'string' || !isRecord(t.app) || typeof t.app.id !== 'string' || typeof t.app.name !== 'string') return undefined;
  return t as unknown as PanelTarget;
}
