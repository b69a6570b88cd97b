// The unified feedback inbox: every account's customer reviews and feedback in one virtualized list. Items are
// fetched page by page, all accounts and apps in parallel, and streamed to the webview as they arrive.
import * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import type { AccountConfig, AppSummary, Connection } from '../providers/types';
import type { FeedbackEntry, Review } from '../providers/services';
import { providerById } from '../providers/registry';
import { parseInboxRequest, type InboxItem, type InboxRequest, type InboxUpdate } from '../protocol/inbox';
import { toPanelError, webviewOptions } from './appPanel';
import { webviewHtml } from './webviewHtml';
import { VIEW_TYPES } from './viewTypes';

interface Origin {
  account: AccountConfig;
  conn: Connection;
  app: AppSummary;
  review?: Review;
  entry?: FeedbackEntry;
}

export interface InboxContext {
  extensionUri: vscode.Uri;
  logger: Logger;
  accounts(): AccountConfig[];
  connection(account: AccountConfig): Promise<Connection>;
}

const MAX_PAGES_PER_LIST = 100;

export class InboxPanel {
  static readonly viewType = VIEW_TYPES.inbox;
  private static current: InboxPanel | undefined;
  private readonly origins = new Map<string, Origin>();
  private readonly disposables: vscode.Disposable[] = [];
  private loading: AbortController | undefined;

  static show(ctx: InboxContext, panel?: vscode.WebviewPanel): InboxPanel {
    if (InboxPanel.current && !panel) {
      InboxPanel.current.panel.reveal();
      return InboxPanel.current;
    }
    const p = panel ?? vscode.window.createWebviewPanel(InboxPanel.viewType, 'Feedback Inbox', vscode.ViewColumn.Active, webviewOptions(ctx.extensionUri));
    InboxPanel.current = new InboxPanel(p, ctx);
    return InboxPanel.current;
  }

  private constructor(readonly panel: vscode.WebviewPanel, private readonly ctx: InboxContext) {
    panel.iconPath = vscode.Uri.joinPath(ctx.extensionUri, 'media', 'appdesk.svg');
    panel.webview.html = webviewHtml(panel.webview, ctx.extensionUri, 'inbox', 'Feedback Inbox');
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const msg = parseInboxRequest(raw);
        if (msg) void this.handle(msg).catch((err: unknown) => this.fail(err, 'key' in msg ? msg.key : undefined));
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private post(msg: InboxUpdate): void {
    void this.panel.webview.postMessage(msg);
  }

  private fail(err: unknown, key?: string): void {
    this.ctx.logger.error('Feedback inbox action failed', err);
    this.post({ type: 'error', error: toPanelError(err), key });
  }

  private async handle(msg: InboxRequest): Promise<void> {
    switch (msg.type) {
      case 'ready': case 'refresh': return this.load();
      case 'reply': return this.reply(msg.key, msg.text);
      case 'archive': return this.archive(msg.key, msg.archived);
      case 'crashLog': return this.crashLog(msg.key);
    }
  }

  /** Streams every source of every account; failures of one account do not stop the others. */
  private async load(): Promise<void> {
    this.loading?.abort();
    const abort = (this.loading = new AbortController());
    this.origins.clear();
    this.post({ type: 'reset', sources: [{ source: 'review', label: 'App Store reviews' }, { source: 'testflight', label: 'TestFlight feedback' }, { source: 'inapp', label: 'In-app feedback' }] });
    let loaded = 0;
    const failures: string[] = [];
    const progress = (loading: boolean) => this.post({ type: 'progress', loading, loaded, failures });
    progress(true);
    const emit = (items: InboxItem[]) => {
      if (abort.signal.aborted || items.length === 0) return;
      loaded += items.length;
      this.post({ type: 'items', items });
      progress(true);
    };
    await Promise.all(this.ctx.accounts().map(async (account) => {
      try {
        const conn = await this.ctx.connection(account);
        const { reviews, feedback } = conn.services;
        if (!reviews && !feedback) return;
        const apps = await collect((cursor) => conn.listApps({ cursor, signal: abort.signal }), abort.signal);
        await Promise.all(apps.map(async (app) => {
          const tasks: Promise<void>[] = [];
          if (reviews) {
            tasks.push(pages((cursor) => reviews.list(app, { sort: 'newest' }, { cursor, signal: abort.signal }), abort.signal, (page) =>
              emit(page.map((r) => this.fromReview(account, conn, app, r)))));
          }
          if (feedback) {
            tasks.push(pages((cursor) => feedback.list(app, { cursor, signal: abort.signal }), abort.signal, (page) =>
              emit(page.map((e) => this.fromFeedback(account, conn, app, e)))));
          }
          await Promise.all(tasks);
        }));
      } catch (err) {
        if (abort.signal.aborted) return;
        this.ctx.logger.warn(`Feedback inbox: loading ${account.label} failed`, err);
        failures.push(`${account.label}: ${toPanelError(err).message}`);
      }
    }));
    if (!abort.signal.aborted) progress(false);
  }

  private fromReview(account: AccountConfig, conn: Connection, app: AppSummary, r: Review): InboxItem {
    const key = `${account.id}/${app.id}/review/${r.id}`;
    this.origins.set(key, { account, conn, app, review: r });
    return {
      key, source: 'review', sourceLabel: 'App Store review', type: 'rating', rating: r.rating, date: r.createdDate, author: r.author, title: r.title,
      text: r.body, appName: app.name, accountLabel: account.label, territory: r.territory, answered: !!r.response, response: r.response?.body,
      canReply: true, canArchive: false,
    };
  }

  private fromFeedback(account: AccountConfig, conn: Connection, app: AppSummary, e: FeedbackEntry): InboxItem {
    const key = `${account.id}/${app.id}/feedback/${e.id}`;
    this.origins.set(key, { account, conn, app, entry: e });
    const testflight = e.type === 'screenshot' || e.type === 'crash';
    return {
      key, source: testflight ? 'testflight' : 'inapp', sourceLabel: testflight ? 'TestFlight' : providerById(account.providerId)?.label ?? account.label, type: e.type,
      date: e.createdDate, author: e.author ?? e.email, text: e.text, appName: app.name, accountLabel: account.label, archived: e.archived,
      canReply: false, canArchive: !!conn.services.feedback?.setArchived, hasCrashLog: e.hasCrashLog && !!conn.services.feedback?.crashLog,
    };
  }

  private origin(key: string): Origin {
    const o = this.origins.get(key);
    if (!o) throw new Error('That item is no longer loaded; refresh the inbox.');
    return o;
  }

  private async reply(key: string, text: string): Promise<void> {
    const o = this.origin(key);
    if (!o.review || !o.conn.services.reviews) return;
    const response = await o.conn.services.reviews.reply(o.app, o.review, text);
    const review = { ...o.review, response };
    this.post({ type: 'itemChanged', item: this.fromReview(o.account, o.conn, o.app, review) });
  }

  private async archive(key: string, archived: boolean): Promise<void> {
    const o = this.origin(key);
    const setArchived = o.conn.services.feedback?.setArchived;
    if (!o.entry || !setArchived) return;
    const entry = await setArchived(o.app, o.entry, archived);
    this.post({ type: 'itemChanged', item: this.fromFeedback(o.account, o.conn, o.app, entry) });
  }

  private async crashLog(key: string): Promise<void> {
    const o = this.origin(key);
    const crashLog = o.conn.services.feedback?.crashLog;
    if (!o.entry || !crashLog) return;
    const text = await crashLog(o.app, o.entry);
    const doc = await vscode.workspace.openTextDocument({ content: text, language: 'log' });
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }

  private dispose(): void {
    this.loading?.abort();
    InboxPanel.current = undefined;
    for (const d of this.disposables) d.dispose();
  }
}

async function collect<T>(page: (cursor?: string) => Promise<{ items: T[]; next?: string }>, signal: AbortSignal): Promise<T[]> {
  const all: T[] = [];
  await pages(page, signal, (items) => { all.push(...items); });
  return all;
}

/** Walks cursor pages (sequential by nature) and hands each page over as it arrives. */
async function pages<T>(page: (cursor?: string) => Promise<{ items: T[]; next?: string }>, signal: AbortSignal, onPage: (items: T[]) => void): Promise<void> {
  let cursor: string | undefined;
  for (let i = 0; i < MAX_PAGES_PER_LIST && !signal.aborted; i++) {
    const p = await page(cursor);
    onPage(p.items);
    cursor = p.next;
    if (!cursor) return;
  }
}
