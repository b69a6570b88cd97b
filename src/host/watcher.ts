// Polls the accounts whose providers can be watched (the APIs have no webhooks) on a setTimeout chain: a poll
// starts only after the previous one ended, slows down while the window is unfocused, and stops at 0. Changes
// between snapshots become notifications with an action that opens the thing that changed.
import * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import type { AccountConfig, WatchedState } from '../providers/types';
import type { ConnectionManager } from './connections';

const UNFOCUSED_FACTOR = 4;
const kindCommand: Record<WatchedState['kind'], string> = {
  build: 'appdesk.openBuilds', version: 'appdesk.openRelease', submission: 'appdesk.openRelease', review: 'appdesk.openReviews',
};

export interface WatchChange {
  account: AccountConfig;
  before: WatchedState | undefined;
  after: WatchedState;
}

export class Watcher implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private readonly snapshots = new Map<string, Map<string, WatchedState>>();
  private readonly status: vscode.StatusBarItem;
  private readonly changed = new vscode.EventEmitter<WatchChange[]>();
  readonly onDidDetectChanges = this.changed.event;
  private abort: AbortController | undefined;
  private disposed = false;

  constructor(
    private readonly connections: ConnectionManager,
    private readonly accounts: () => AccountConfig[],
    private readonly logger: Logger,
  ) {
    this.status = vscode.window.createStatusBarItem('appdesk.watcher', vscode.StatusBarAlignment.Left, 10);
    this.status.name = 'AppDesk Watcher';
    this.status.command = 'appdesk.pollNow';
  }

  private get intervalMs(): number {
    return vscode.workspace.getConfiguration('appdesk').get<number>('polling.intervalMinutes', 5) * 60_000;
  }

  /** (Re)starts the chain; the first poll happens after one interval, never at activation. */
  restart(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.intervalMs <= 0 || this.disposed) {
      this.status.hide();
      return;
    }
    this.schedule();
  }

  private schedule(): void {
    const factor = vscode.window.state.focused ? 1 : UNFOCUSED_FACTOR;
    this.timer = setTimeout(() => void this.pollNow().finally(() => { if (!this.disposed && this.intervalMs > 0) this.schedule(); }), this.intervalMs * factor);
  }

  /** One poll of every watchable account; returns the changes found (also announced). */
  async pollNow(): Promise<WatchChange[]> {
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    const changes: WatchChange[] = [];
    let watched = 0;
    const budgets: string[] = [];
    await Promise.all(this.accounts().map(async (account) => {
      try {
        const conn = await this.connections.get(account);
        if (!conn.watch) return;
        const states = await conn.watch(abort.signal);
        watched += new Set(states.map((s) => s.app.id)).size;
        const previous = this.snapshots.get(account.id);
        const next = new Map(states.map((s) => [s.key, s]));
        if (previous) {
          for (const s of states) {
            const before = previous.get(s.key);
            if (!before ? s.kind === 'review' || s.kind === 'build' : before.state !== s.state) changes.push({ account, before, after: s });
          }
        }
        this.snapshots.set(account.id, next);
        const budget = await conn.budget?.();
        if (budget) budgets.push(`${budget.label}: ${budget.remaining.toLocaleString()}/${budget.limit.toLocaleString()}`);
      } catch (err) {
        this.logger.warn(`Polling ${account.label} failed; will try again at the next interval`, err);
      }
    }));
    if (abort.signal.aborted || this.disposed) return changes;
    this.updateStatus(watched, budgets);
    for (const c of changes) this.announce(c);
    if (changes.length) this.changed.fire(changes);
    return changes;
  }

  private updateStatus(apps: number, budgets: string[]): void {
    if (apps === 0) { this.status.hide(); return; }
    const budget = budgets[0] ? ` · ${budgets[0].split(': ')[1]}` : '';
    this.status.text = `$(eye) ${apps} app${apps === 1 ? '' : 's'}${budget}`;
    this.status.tooltip = new vscode.MarkdownString(
      [`**AppDesk** is watching ${apps} app${apps === 1 ? '' : 's'} for new builds, review states and reviews every ${this.intervalMs / 60_000} min.`, ...budgets.map((b) => `- ${b}`), '', 'Click to check now.'].join('\n\n'),
    );
    this.status.show();
  }

  private announce(c: WatchChange): void {
    const s = c.after;
    const text = c.before
      ? `${s.app.name}: ${s.label} is now ${s.stateLabel.toLowerCase()} (was ${c.before.stateLabel.toLowerCase()}).`
      : `${s.app.name}: new ${s.kind} — ${s.label}.`;
    const show = s.tone === 'error' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(text, 'Open').then((choice) => {
      if (choice) void vscode.commands.executeCommand(kindCommand[s.kind], { accountId: c.account.id, app: s.app });
    });
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.abort?.abort();
    this.status.dispose();
    this.changed.dispose();
  }
}
