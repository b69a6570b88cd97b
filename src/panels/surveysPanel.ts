// Surveys: list with filters, detail with response counts per answer as bar charts, deactivate with confirmation.
import * as vscode from 'vscode';
import type { AccountConfig, AppSummary, Connection } from '../providers/types';
import type { Survey, SurveysService } from '../providers/services';
import { parseSurveysRequest, type SurveysRequest, type SurveysUpdate } from '../protocol/feedback';
import { AppPanel, type PanelContext } from './appPanel';
import { VIEW_TYPES } from './viewTypes';

export class SurveysPanel extends AppPanel<SurveysRequest, SurveysUpdate> {
  static readonly viewType = VIEW_TYPES.surveys;
  private surveys = new Map<string, Survey>();

  static async show(ctx: PanelContext, account: AccountConfig, app: AppSummary, panel?: vscode.WebviewPanel): Promise<SurveysPanel | undefined> {
    const key = AppPanel.key('surveys', account.id, app.id);
    if (!panel && AppPanel.reveal(key)) return undefined;
    const conn = await ctx.connection(account);
    if (!conn.services.surveys) throw new Error(`${account.label} has no surveys.`);
    const p = panel ?? AppPanel.createWebviewPanel(ctx, SurveysPanel.viewType, `Surveys: ${app.name}`);
    return new SurveysPanel(p, ctx, account, conn, app, key);
  }

  private constructor(panel: vscode.WebviewPanel, ctx: PanelContext, account: AccountConfig, conn: Connection, app: AppSummary, key: string) {
    super(panel, ctx, account, conn, app, key);
    this.setHtml('surveys', `Surveys: ${app.name}`, { accountId: account.id, app });
  }

  private get service(): SurveysService {
    return this.conn.services.surveys!;
  }

  protected parse(raw: unknown): SurveysRequest | undefined {
    return parseSurveysRequest(raw);
  }

  protected async handle(msg: SurveysRequest): Promise<void> {
    switch (msg.type) {
      case 'ready':
        this.post({ type: 'init', appName: this.app.name, provider: this.conn.account.label });
        return this.list({});
      case 'list': return this.list({ tags: msg.tags, active: msg.active, limit: msg.limit });
      case 'open': {
        const survey = await this.service.get(this.app, msg.id);
        this.surveys.set(survey.id, survey);
        this.post({ type: 'survey', survey });
        return;
      }
      case 'deactivate': {
        const survey = this.surveys.get(msg.id);
        if (!survey) return;
        const choice = await vscode.window.showWarningMessage(
          `Deactivate the survey "${survey.name}"?`, { modal: true, detail: 'People will no longer be asked to answer it. Responses so far are kept.' }, 'Deactivate',
        );
        if (choice !== 'Deactivate') return;
        const updated = await this.service.deactivate(this.app, survey);
        this.surveys.set(updated.id, updated);
        this.post({ type: 'survey', survey: updated });
        void vscode.window.showInformationMessage(`Survey "${updated.name}" deactivated.`);
        return;
      }
    }
  }

  private async list(filter: { tags?: string[]; active?: boolean; limit?: number }): Promise<void> {
    this.post({ type: 'busy', busy: true, label: 'Loading surveys…' });
    try {
      const page = await this.service.list(this.app, filter);
      for (const s of page.items) this.surveys.set(s.id, s);
      this.post({ type: 'surveys', surveys: page.items });
    } finally {
      this.post({ type: 'busy', busy: false });
    }
  }
}
