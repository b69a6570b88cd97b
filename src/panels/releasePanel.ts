// The release panel: a readiness check before submitting (what is missing and where to fix it), submission
// through the provider's flow, cancel, phased release controls, manual release, and App Review's messages.
import * as vscode from 'vscode';
import type { AccountConfig, AppSummary, Connection } from '../providers/types';
import type { ReleaseService, SubmissionInfo, VersionInfo } from '../providers/services';
import { parseReleaseRequest, type ReleaseRequest, type ReleaseUpdate } from '../protocol/release';
import { AppPanel, type PanelContext } from './appPanel';
import { VIEW_TYPES } from './viewTypes';

export class ReleasePanel extends AppPanel<ReleaseRequest, ReleaseUpdate> {
  static readonly viewType = VIEW_TYPES.release;
  private versions: VersionInfo[] = [];
  private version: VersionInfo | undefined;
  private submission: SubmissionInfo | undefined;

  static async show(ctx: PanelContext, account: AccountConfig, app: AppSummary, panel?: vscode.WebviewPanel): Promise<ReleasePanel | undefined> {
    const key = AppPanel.key('release', account.id, app.id);
    if (!panel && AppPanel.reveal(key)) return undefined;
    const conn = await ctx.connection(account);
    if (!conn.services.release || !conn.services.metadata) throw new Error(`${account.label} cannot submit apps for review.`);
    const p = panel ?? AppPanel.createWebviewPanel(ctx, ReleasePanel.viewType, `Release: ${app.name}`);
    return new ReleasePanel(p, ctx, account, conn, app, key);
  }

  private constructor(panel: vscode.WebviewPanel, ctx: PanelContext, account: AccountConfig, conn: Connection, app: AppSummary, key: string) {
    super(panel, ctx, account, conn, app, key);
    this.setHtml('release', `Release: ${app.name}`, { accountId: account.id, app });
  }

  private get release(): ReleaseService {
    return this.conn.services.release!;
  }

  protected parse(raw: unknown): ReleaseRequest | undefined {
    return parseReleaseRequest(raw);
  }

  protected async handle(msg: ReleaseRequest): Promise<void> {
    switch (msg.type) {
      case 'ready': return this.init();
      case 'selectVersion': return this.load(msg.versionId);
      case 'submit': return this.submit(msg.versionId);
      case 'cancel': return this.cancel();
      case 'setPhased': return this.setPhased(msg.state);
      case 'releaseNow': return this.releaseNow(msg.versionId);
      case 'reject': return this.reject(msg.versionId);
      case 'fix':
        await vscode.commands.executeCommand(msg.target === 'metadata' ? 'appdesk.openMetadata' : 'appdesk.openBuilds', { accountId: this.account.id, app: this.app, focus: msg.focus });
        return;
      case 'loadResolutionCenter': {
        const rc = await this.release.resolutionCenter?.(this.app);
        this.post({ type: 'resolutionCenter', threads: rc?.threads ?? [] });
        return;
      }
    }
  }

  private async init(): Promise<void> {
    this.post({ type: 'busy', busy: true, label: 'Loading versions…' });
    try {
      this.versions = await this.conn.services.metadata!.listVersions(this.app);
      this.postVersions();
      const target = this.versions.find((v) => v.editable) ?? this.versions.find((v) => !v.live) ?? this.versions[0];
      if (target) await this.load(target.id);
    } finally {
      this.post({ type: 'busy', busy: false });
    }
  }

  private async load(versionId: string): Promise<void> {
    this.post({ type: 'busy', busy: true, label: 'Checking readiness…' });
    try {
      this.version = this.versions.find((v) => v.id === versionId);
      if (!this.version) return;
      // Independent requests run in parallel.
      const [readiness, submission, phased] = await Promise.all([
        this.release.readiness(this.app, versionId),
        this.release.currentSubmission?.(this.app),
        this.release.phasedRelease?.(this.app, versionId),
      ]);
      this.submission = submission;
      this.post({ type: 'state', version: this.version, readiness, submission, phased });
    } finally {
      this.post({ type: 'busy', busy: false });
    }
  }

  /** The version list with its states (the webview's version picker shows them). */
  private postVersions(): void {
    const r = this.release;
    this.post({
      type: 'init', provider: this.conn.account.label, appName: this.app.name, versions: this.versions,
      features: { cancel: !!r.cancelSubmission, phased: !!r.phasedRelease, release: !!r.releaseVersion, reject: !!r.rejectVersion, resolutionCenter: !!r.resolutionCenter },
    });
  }

  private async refreshVersions(versionId: string): Promise<void> {
    this.versions = await this.conn.services.metadata!.listVersions(this.app);
    // A submission, cancel or release changed a version's state: the picker must not keep the old one.
    this.postVersions();
    await this.load(versionId);
  }

  private async submit(versionId: string): Promise<void> {
    const v = this.versions.find((x) => x.id === versionId);
    const choice = await vscode.window.showWarningMessage(
      `Submit ${this.app.name} ${v?.versionString ?? ''} for App Review?`,
      { modal: true, detail: 'The version and its metadata become read-only until review ends or you cancel the submission.' },
      'Submit for Review',
    );
    if (choice !== 'Submit for Review') return;
    this.post({ type: 'busy', busy: true, label: 'Submitting…' });
    try {
      const s = await this.release.submit(this.app, versionId);
      this.post({ type: 'done', message: `Submitted for review (${s.state.replace(/_/g, ' ').toLowerCase()}).` });
      void vscode.window.showInformationMessage(`${this.app.name} ${v?.versionString ?? ''} submitted for review.`);
      await this.refreshVersions(versionId);
    } finally {
      this.post({ type: 'busy', busy: false });
    }
  }

  private async cancel(): Promise<void> {
    if (!this.submission || !this.release.cancelSubmission || !this.version) return;
    const choice = await vscode.window.showWarningMessage(`Cancel the review submission of ${this.app.name}?`, { modal: true }, 'Cancel Submission');
    if (choice !== 'Cancel Submission') return;
    await this.release.cancelSubmission(this.app, this.submission);
    this.post({ type: 'done', message: 'Submission canceled.' });
    await this.refreshVersions(this.version.id);
  }

  private async setPhased(state: 'ACTIVE' | 'PAUSED' | 'COMPLETE'): Promise<void> {
    if (!this.version || !this.release.phasedRelease || !this.release.setPhasedRelease) return;
    const current = await this.release.phasedRelease(this.app, this.version.id);
    if (!current) return;
    if (state === 'COMPLETE') {
      const c = await vscode.window.showWarningMessage('Release to all users now? This ends the phased release.', { modal: true }, 'Release to All');
      if (c !== 'Release to All') return;
    }
    await this.release.setPhasedRelease(this.app, current, state);
    this.post({ type: 'done', message: state === 'PAUSED' ? 'Phased release paused.' : state === 'ACTIVE' ? 'Phased release resumed.' : 'Released to all users.' });
    await this.load(this.version.id);
  }

  private async releaseNow(versionId: string): Promise<void> {
    if (!this.release.releaseVersion) return;
    const c = await vscode.window.showWarningMessage(`Release ${this.app.name} to the App Store now?`, { modal: true }, 'Release');
    if (c !== 'Release') return;
    await this.release.releaseVersion(this.app, versionId);
    this.post({ type: 'done', message: 'Release requested.' });
    await this.refreshVersions(versionId);
  }

  private async reject(versionId: string): Promise<void> {
    if (!this.release.rejectVersion) return;
    const c = await vscode.window.showWarningMessage(
      `Remove ${this.app.name} from review?`, { modal: true, detail: 'The version goes back to Developer Rejected; you can submit it again later.' }, 'Remove from Review',
    );
    if (c !== 'Remove from Review') return;
    await this.release.rejectVersion(this.app, versionId);
    this.post({ type: 'done', message: 'Version removed from review.' });
    await this.refreshVersions(versionId);
  }
}
