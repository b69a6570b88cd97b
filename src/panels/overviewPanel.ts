// The Overview panel: a single instance, revealed if already open.
import * as vscode from 'vscode';
import { parseCommonRequest, type OverviewUpdate } from '../protocol/messages';
import { webviewHtml } from './webviewHtml';
import { VIEW_TYPES } from './viewTypes';

export class OverviewPanel {
  static readonly viewType = VIEW_TYPES.overview;
  private static current: OverviewPanel | undefined;

  static show(extensionUri: vscode.Uri, snapshot: () => OverviewUpdate, onChange: vscode.Event<void>): OverviewPanel {
    if (OverviewPanel.current) {
      OverviewPanel.current.panel.reveal();
      return OverviewPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(OverviewPanel.viewType, 'AppDesk Overview', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
    });
    OverviewPanel.current = new OverviewPanel(panel, extensionUri, snapshot, onChange);
    return OverviewPanel.current;
  }

  private readonly disposables: vscode.Disposable[] = [];

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly snapshot: () => OverviewUpdate,
    onChange: vscode.Event<void>,
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'appdesk.svg');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'overview', 'AppDesk Overview');
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const msg = parseCommonRequest(raw);
        if (!msg) return; // untrusted input: ignore anything unexpected
        if (msg.type === 'ready') void this.post();
        else void vscode.commands.executeCommand(msg.command);
      }),
      onChange(() => void this.post()),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private post(): Thenable<boolean> {
    return this.panel.webview.postMessage(this.snapshot());
  }

  private dispose(): void {
    OverviewPanel.current = undefined;
    for (const d of this.disposables) d.dispose();
  }
}
