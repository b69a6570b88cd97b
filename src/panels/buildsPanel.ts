// The builds panel: every build of an app with version, number, processing state, dates and audience; expire a
// build, declare export compliance, and read or edit the beta test information where the provider offers it.
// Serves every provider with the `builds` capability through BuildsService only.
import * as vscode from 'vscode';
import type { AccountConfig, AppSummary, Connection } from '../providers/types';
import type { BuildInfo, BuildsService, BuildTestInfo } from '../providers/services';
import { parseBuildsRequest, testInfoProblems, type BuildsRequest, type BuildsUpdate } from '../protocol/builds';
import { AppPanel, toPanelError, type PanelContext } from './appPanel';
import { VIEW_TYPES } from './viewTypes';

export class BuildsPanel extends AppPanel<BuildsRequest, BuildsUpdate> {
  static readonly viewType = VIEW_TYPES.builds;
  /** Builds loaded so far, by id: actions use these, never data sent by the webview. */
  private readonly builds = new Map<string, BuildInfo>();
  private next: string | undefined;
  /** Bumped by each reload so a late page of an older list is dropped. */
  private generation = 0;
  private readonly pending = new Set<string>();

  static async show(ctx: PanelContext, account: AccountConfig, app: AppSummary, panel?: vscode.WebviewPanel): Promise<BuildsPanel | undefined> {
    const key = AppPanel.key('builds', account.id, app.id);
    if (!panel && AppPanel.reveal(key)) return undefined;
    const conn = await ctx.connection(account);
    if (!conn.services.builds) throw new Error(`${account.label} does not offer builds.`);
    const p = panel ?? AppPanel.createWebviewPanel(ctx, BuildsPanel.viewType, `Builds: ${app.name}`);
    return new BuildsPanel(p, ctx, account, conn, app, key);
  }

  private constructor(panel: vscode.WebviewPanel, ctx: PanelContext, account: AccountConfig, conn: Connection, app: AppSummary, key: string) {
    super(panel, ctx, account, conn, app, key);
    this.setHtml('builds', `Builds: ${app.name}`, { accountId: account.id, app });
  }

  private get service(): BuildsService {
    return this.conn.services.builds!;
  }

  protected parse(raw: unknown): BuildsRequest | undefined {
    return parseBuildsRequest(raw);
  }

  protected async handle(msg: BuildsRequest): Promise<void> {
    switch (msg.type) {
      case 'ready':
        this.post({
          type: 'init',
          provider: this.conn.account.label,
          appName: this.app.name,
          bundleId: this.app.bundleId,
          can: {
            expire: !!this.service.expire,
            exportCompliance: !!this.service.setExportCompliance,
            testInfo: !!this.service.getTestInfo,
            editTestInfo: !!this.service.getTestInfo && !!this.service.setTestInfo,
          },
        });
        return this.load(false);
      case 'refresh': return this.load(false);
      case 'loadMore': return this.load(true);
      case 'expire': return this.expire(msg.buildId);
      case 'setExportCompliance': return this.setCompliance(msg.buildId, msg.usesNonExemptEncryption);
      case 'getTestInfo': return this.getTestInfo(msg.buildId);
      case 'setTestInfo': return this.setTestInfo(msg.buildId, msg.info);
    }
  }

  private async load(more: boolean): Promise<void> {
    if (more && !this.next) return;
    const generation = more ? this.generation : ++this.generation;
    this.post({ type: 'busy', busy: true, label: more ? 'Loading more builds…' : 'Loading builds…' });
    try {
      const page = await this.service.list(this.app, { cursor: more ? this.next : undefined });
      if (generation !== this.generation) return;
      if (!more) this.builds.clear();
      for (const b of page.items) this.builds.set(b.id, b);
      this.next = page.next;
      this.post({ type: 'builds', items: page.items, hasMore: !!page.next, append: more });
    } finally {
      this.post({ type: 'busy', busy: false });
    }
  }

  /** Runs one action on one build at a time; its failure is shown on that build's row. */
  private async act(buildId: string, action: 'expire' | 'exportCompliance' | 'testInfo', fn: (build: BuildInfo) => Promise<void>, busyLabel: string): Promise<void> {
    const build = this.builds.get(buildId);
    if (!build) return;
    if (this.pending.has(buildId)) {
      this.post({ type: 'actionFailed', buildId, action, error: { kind: 'busy', message: `Another change to build ${label(build)} is still running; try again when it has finished.` } });
      return;
    }
    this.pending.add(buildId);
    this.post({ type: 'busy', busy: true, label: busyLabel });
    try {
      await fn(build);
    } catch (err) {
      this.ctx.logger.error(`Builds: ${action} of build ${build.version} (${build.buildNumber}) failed`, err);
      this.post({ type: 'actionFailed', buildId, action, error: toPanelError(err) });
    } finally {
      this.pending.delete(buildId);
      this.post({ type: 'busy', busy: false });
    }
  }

  private async expire(buildId: string): Promise<void> {
    const build = this.builds.get(buildId);
    if (!build || !this.service.expire || build.expired) return;
    const name = label(build);
    const choice = await vscode.window.showWarningMessage(
      `Expire build ${name} of ${this.app.name}?`,
      { modal: true, detail: 'Testers can no longer install or open it in TestFlight. This cannot be undone.' },
      'Expire Build',
    );
    if (choice !== 'Expire Build') return;
    await this.act(buildId, 'expire', async (b) => {
      await this.service.expire!(this.app, b.id);
      const updated: BuildInfo = { ...b, expired: true, expirationDate: new Date().toISOString(), tone: 'warning' };
      this.builds.set(b.id, updated);
      this.post({ type: 'buildUpdated', build: updated, notice: `Build ${name} expired.` });
    }, `Expiring build ${name}…`);
  }

  private async setCompliance(buildId: string, uses: boolean): Promise<void> {
    const build = this.builds.get(buildId);
    if (!build || !this.service.setExportCompliance) return;
    const name = label(build);
    const choice = await vscode.window.showWarningMessage(
      `Declare that build ${name} ${uses ? 'uses' : 'does not use'} non-exempt encryption?`,
      {
        modal: true,
        detail: uses
          ? 'You may need to provide export compliance documentation before the build can be tested externally or released.'
          : 'Choose this when the app uses no encryption, or only encryption exempt from export regulations (HTTPS, the OS\'s own).',
      },
      'Declare',
    );
    if (choice !== 'Declare') return;
    await this.act(buildId, 'exportCompliance', async (b) => {
      await this.service.setExportCompliance!(this.app, b.id, uses);
      const updated: BuildInfo = { ...b, usesNonExemptEncryption: uses };
      this.builds.set(b.id, updated);
      this.post({ type: 'buildUpdated', build: updated, notice: `Export compliance of build ${name} saved.` });
    }, `Saving export compliance of ${name}…`);
  }

  private async getTestInfo(buildId: string): Promise<void> {
    const build = this.builds.get(buildId);
    if (!build || !this.service.getTestInfo) return;
    // Read-only, so not serialized with the build's other actions; every request gets an answer.
    this.post({ type: 'busy', busy: true, label: `Loading test information of ${label(build)}…` });
    try {
      const info = await this.service.getTestInfo(this.app, build);
      this.post({ type: 'testInfo', buildId, info });
    } catch (err) {
      this.ctx.logger.error(`Builds: loading test information of ${label(build)} failed`, err);
      this.post({ type: 'actionFailed', buildId, action: 'testInfo', error: toPanelError(err) });
    } finally {
      this.post({ type: 'busy', busy: false });
    }
  }

  private async setTestInfo(buildId: string, info: BuildTestInfo): Promise<void> {
    if (!this.service.setTestInfo) return;
    const build = this.builds.get(buildId);
    if (!build) return;
    const problems = testInfoProblems(info);
    if (Object.keys(problems).length) {
      this.post({
        type: 'actionFailed', buildId, action: 'testInfo',
        error: { kind: 'validation', message: 'Some test information fields need attention.', fieldErrors: Object.fromEntries(Object.entries(problems).map(([k, v]) => [k, [v]])) },
      });
      return;
    }
    await this.act(buildId, 'testInfo', async (b) => {
      await this.service.setTestInfo!(this.app, b, info);
      this.post({ type: 'testInfoSaved', buildId, info });
      void vscode.window.showInformationMessage(`${this.app.name}: test information of build ${label(b)} saved.`);
    }, `Saving test information of ${label(build)}…`);
  }
}

function label(b: BuildInfo): string {
  return `${b.version} (${b.buildNumber})`;
}
