// Reports: the sales report for a date and frequency (gzip TSV from the provider) and performance metrics.
import * as vscode from 'vscode';
import type { AccountConfig, AppSummary, Connection } from '../providers/types';
import { parseReportsRequest, type ReportsRequest, type ReportsUpdate } from '../protocol/reports';
import { AppPanel, type PanelContext } from './appPanel';
import { VIEW_TYPES } from './viewTypes';

export class ReportsPanel extends AppPanel<ReportsRequest, ReportsUpdate> {
  static readonly viewType = VIEW_TYPES.reports;

  static async show(ctx: PanelContext, account: AccountConfig, app: AppSummary, panel?: vscode.WebviewPanel): Promise<ReportsPanel | undefined> {
    const key = AppPanel.key('reports', account.id, app.id);
    if (!panel && AppPanel.reveal(key)) return undefined;
    const conn = await ctx.connection(account);
    if (!conn.services.reports) throw new Error(`${account.label} offers no reports.`);
    const p = panel ?? AppPanel.createWebviewPanel(ctx, ReportsPanel.viewType, `Reports: ${app.name}`);
    return new ReportsPanel(p, ctx, account, conn, app, key);
  }

  private constructor(panel: vscode.WebviewPanel, ctx: PanelContext, account: AccountConfig, conn: Connection, app: AppSummary, key: string) {
    super(panel, ctx, account, conn, app, key);
    this.setHtml('reports', `Reports: ${app.name}`, { accountId: account.id, app });
  }

  protected parse(raw: unknown): ReportsRequest | undefined {
    return parseReportsRequest(raw);
  }

  protected async handle(msg: ReportsRequest): Promise<void> {
    const reports = this.conn.services.reports!;
    if (msg.type === 'ready') {
      this.post({
        type: 'init', appName: this.app.name, provider: this.conn.account.label, vendorNumber: this.account.settings.vendorNumber,
        canSales: !!reports.salesReport, canMetrics: !!reports.metrics,
      });
      return;
    }
    this.post({ type: 'busy', busy: true, label: msg.type === 'loadSales' ? 'Downloading the sales report…' : 'Loading metrics…' });
    try {
      if (msg.type === 'loadSales' && reports.salesReport) {
        const params = { vendorNumber: msg.vendorNumber, date: msg.date, frequency: msg.frequency };
        this.post({ type: 'sales', report: await reports.salesReport(params), params });
      } else if (msg.type === 'loadMetrics' && reports.metrics) {
        this.post({ type: 'metrics', summary: await reports.metrics(this.app) });
      }
    } finally {
      this.post({ type: 'busy', busy: false });
    }
  }
}
