// Commands that open per-app panels: from a tree node, from another panel ({accountId, app}), or from the
// palette (then the user picks an app among the accounts offering the capability).
import * as vscode from 'vscode';
import type { AccountConfig, AppSummary, Capability } from '../providers/types';
import type { AccountStore } from '../host/accountStore';
import type { ConnectionManager } from '../host/connections';
import type { Node } from '../tree/appsTree';
import { parseTarget, type PanelContext } from '../panels/appPanel';
import { isRecord, parseFocus, type PanelFocus } from '../protocol/messages';

export interface PanelKind {
  command: string;
  viewType: string;
  capability: Capability;
  title: string;
  open(ctx: PanelContext, account: AccountConfig, app: AppSummary, panel?: vscode.WebviewPanel, focus?: PanelFocus): Promise<unknown>;
}

export function registerPanelCommands(
  kinds: readonly PanelKind[],
  ctx: PanelContext,
  accounts: AccountStore,
  connections: ConnectionManager,
  run: <A extends unknown[]>(fn: (...args: A) => Promise<unknown>) => (...args: A) => Promise<unknown>,
): vscode.Disposable[] {
  const disposables: vscode.Disposable[] = [];
  for (const kind of kinds) {
    disposables.push(
      vscode.commands.registerCommand(kind.command, run(async (arg?: unknown) => {
        const target = await resolveTarget(arg, kind, accounts, connections);
        if (!target) return;
        // From another panel ({accountId, app, focus}): where to bring the user, e.g. the field a check found missing.
        await kind.open(ctx, target.account, target.app, undefined, isRecord(arg) ? parseFocus(arg.focus) : undefined);
      })),
      vscode.window.registerWebviewPanelSerializer(kind.viewType, {
        async deserializeWebviewPanel(panel, state: unknown) {
          const target = parseTarget(state);
          const account = target && accounts.get(target.accountId);
          if (!target || !account) {
            panel.dispose(); // its account is gone
            return;
          }
          await kind.open(ctx, account, target.app, panel).catch((err: unknown) => {
            ctx.logger.error(`Restoring ${kind.title} failed`, err);
            panel.dispose();
          });
        },
      }),
    );
  }
  return disposables;
}

async function resolveTarget(arg: unknown, kind: PanelKind, accounts: AccountStore, connections: ConnectionManager): Promise<{ account: AccountConfig; app: AppSummary } | undefined> {
  const node = arg as Node | undefined;
  if (node && isRecord(node) && 'app' in node && 'account' in node) return { account: node.account, app: node.app };
  if (isRecord(arg) && typeof arg.accountId === 'string' && isRecord(arg.app)) {
    const account = accounts.get(arg.accountId);
    if (account) return { account, app: arg.app as unknown as AppSummary };
  }
  // From the palette: choose among the apps of every account offering the capability.
  const candidates: { account: AccountConfig; app: AppSummary }[] = [];
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'AppDesk: loading apps…' }, async () => {
    await Promise.all(accounts.list().map(async (account) => {
      try {
        const conn = await connections.get(account);
        if (!conn.capabilities.has(kind.capability)) return;
        const page = await conn.listApps({});
        for (const app of page.items) candidates.push({ account, app });
      } catch (err) {
        connections.logger.warn(`Listing apps of ${account.label} failed`, err);
      }
    }));
  });
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(`No connected account offers ${kind.title.toLowerCase()}. Add an account first.`, 'Add Account…')
      .then((c) => c && vscode.commands.executeCommand('appdesk.addAccount'));
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    candidates.map((c) => ({ label: c.app.name, description: c.app.bundleId, detail: c.account.label, c })),
    { title: kind.title, placeHolder: 'Choose an app', matchOnDescription: true },
  );
  return pick?.c;
}
