// Per-app feedback: in-app feedback records (list, detail, create, archive) or TestFlight submissions, whichever
// the provider offers through FeedbackService.
import * as vscode from 'vscode';
import type { AccountConfig, AppSummary, Connection } from '../providers/types';
import type { FeedbackEntry, FeedbackService } from '../providers/services';
import { parseFeedbackRequest, type FeedbackRequest, type FeedbackUpdate } from '../protocol/feedback';
import { AppPanel, toPanelError, type PanelContext } from './appPanel';
import { VIEW_TYPES } from './viewTypes';

export class FeedbackPanel extends AppPanel<FeedbackRequest, FeedbackUpdate> {
  static readonly viewType = VIEW_TYPES.feedback;
  private entries = new Map<string, FeedbackEntry>();
  private next: string | undefined;
  private archived = false;

  static async show(ctx: PanelContext, account: AccountConfig, app: AppSummary, panel?: vscode.WebviewPanel): Promise<FeedbackPanel | undefined> {
    const key = AppPanel.key('feedback', account.id, app.id);
    if (!panel && AppPanel.reveal(key)) return undefined;
    const conn = await ctx.connection(account);
    if (!conn.services.feedback) throw new Error(`${account.label} has no feedback.`);
    const p = panel ?? AppPanel.createWebviewPanel(ctx, FeedbackPanel.viewType, `Feedback: ${app.name}`);
    return new FeedbackPanel(p, ctx, account, conn, app, key);
  }

  private constructor(panel: vscode.WebviewPanel, ctx: PanelContext, account: AccountConfig, conn: Connection, app: AppSummary, key: string) {
    super(panel, ctx, account, conn, app, key);
    this.setHtml('feedback', `Feedback: ${app.name}`, { accountId: account.id, app });
  }

  private get service(): FeedbackService {
    return this.conn.services.feedback!;
  }

  protected parse(raw: unknown): FeedbackRequest | undefined {
    return parseFeedbackRequest(raw);
  }

  protected async handle(msg: FeedbackRequest): Promise<void> {
    switch (msg.type) {
      case 'ready':
        this.post({ type: 'init', appName: this.app.name, provider: this.conn.account.label, canCreate: !!this.service.create, canArchive: !!this.service.setArchived, canCrashLog: !!this.service.crashLog });
        return this.list(false, false);
      case 'list': return this.list(msg.archived, false);
      case 'more': return this.list(this.archived, true);
      case 'open': {
        const known = this.entries.get(msg.id);
        const entry = this.service.get ? await this.service.get(this.app, msg.id) : known;
        if (entry) this.post({ type: 'entry', entry });
        return;
      }
      case 'archive': {
        const entry = this.entries.get(msg.id);
        if (!entry || !this.service.setArchived) return;
        const updated = await this.service.setArchived(this.app, entry, msg.archived);
        this.entries.set(updated.id, updated);
        this.post({ type: 'entry', entry: updated });
        return;
      }
      case 'crashLog': {
        const entry = this.entries.get(msg.id);
        if (!entry || !this.service.crashLog) return;
        const text = await this.service.crashLog(this.app, entry);
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: text, language: 'log' }), { preview: true, viewColumn: vscode.ViewColumn.Beside });
        return;
      }
      case 'create': {
        if (!this.service.create) return;
        try {
          const entry = await this.service.create(this.app, { text: msg.text, type: msg.kind, email: msg.email, name: msg.name });
          this.entries.set(entry.id, entry);
          this.post({ type: 'created', entry });
        } catch (err) {
          // The form keeps what was typed; the error appears beside it.
          this.ctx.logger.error('Creating feedback failed', err);
          this.post({ type: 'error', error: toPanelError(err), context: 'create' });
        }
        return;
      }
    }
  }

  private async list(archived: boolean, more: boolean): Promise<void> {
    if (more && !this.next) return;
    this.post({ type: 'busy', busy: true, label: 'Loading feedback…' });
    try {
      if (!more) this.entries.clear();
      this.archived = archived;
      const page = await this.service.list(this.app, { archived, cursor: more ? this.next : undefined });
      this.next = page.next;
      for (const e of page.items) this.entries.set(e.id, e);
      this.post({ type: 'entries', entries: page.items, append: more, hasMore: !!page.next, archived });
    } finally {
      this.post({ type: 'busy', busy: false });
    }
  }
}
