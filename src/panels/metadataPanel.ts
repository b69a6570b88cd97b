// The metadata panel: versions with their state, per-locale fields with Apple's limits, a save that shows exactly
// what changes, writes only that, and refuses to overwrite a remote change. Serves every provider with the
// `metadata` capability.
import * as vscode from 'vscode';
import type { AccountConfig, AppSummary, Connection } from '../providers/types';
import type { MetadataChanges, MetadataDocument, MetadataService } from '../providers/services';
import { parseMetadataRequest, type MetadataRequest, type MetadataUpdate } from '../protocol/metadata';
import type { PanelFocus } from '../protocol/messages';
import { AppPanel, toPanelError, type PanelContext } from './appPanel';
import { VIEW_TYPES } from './viewTypes';

export class MetadataPanel extends AppPanel<MetadataRequest, MetadataUpdate> {
  static readonly viewType = VIEW_TYPES.metadata;
  private document: MetadataDocument | undefined;
  private versionId: string | undefined;

  static async show(ctx: PanelContext, account: AccountConfig, app: AppSummary, panel?: vscode.WebviewPanel, focus?: PanelFocus): Promise<MetadataPanel | undefined> {
    const key = AppPanel.key('metadata', account.id, app.id);
    if (!panel && AppPanel.reveal(key, focus)) return undefined;
    const conn = await ctx.connection(account);
    if (!conn.services.metadata) throw new Error(`${account.label} has no editable metadata.`);
    const p = panel ?? AppPanel.createWebviewPanel(ctx, MetadataPanel.viewType, `Metadata: ${app.name}`);
    const created = new MetadataPanel(p, ctx, account, conn, app, key);
    created.pendingFocus = focus;
    return created;
  }

  /** A field to focus once the document is shown (the panel was opened to fix it). */
  private pendingFocus: PanelFocus | undefined;

  protected override focusOn(focus: PanelFocus): void {
    if (this.document) this.post({ type: 'focus', ...focus });
    else this.pendingFocus = focus;
  }

  private constructor(panel: vscode.WebviewPanel, ctx: PanelContext, account: AccountConfig, conn: Connection, app: AppSummary, key: string) {
    super(panel, ctx, account, conn, app, key);
    this.setHtml('metadata', `Metadata: ${app.name}`, { accountId: account.id, app });
  }

  private get service(): MetadataService {
    return this.conn.services.metadata!;
  }

  protected parse(raw: unknown): MetadataRequest | undefined {
    return parseMetadataRequest(raw);
  }

  protected async handle(msg: MetadataRequest): Promise<void> {
    switch (msg.type) {
      case 'ready': return this.init();
      case 'selectVersion': return this.load(msg.versionId, msg.live);
      case 'reload': return this.versionId ? this.load(this.versionId) : this.init();
      case 'save': return this.save(msg.revision, msg.changes);
      case 'createVersion': return this.createVersion();
      case 'attachBuild': return this.attachBuild();
      case 'openRelease':
        await vscode.commands.executeCommand('appdesk.openRelease', { accountId: this.account.id, app: this.app });
        return;
    }
  }

  private async init(): Promise<void> {
    this.post({ type: 'busy', busy: true, label: 'Loading versions…' });
    try {
      const versions = await this.service.listVersions(this.app);
      this.post({
        type: 'init',
        provider: this.conn.account.label,
        appName: this.app.name,
        bundleId: this.app.bundleId,
        versions,
        canCreateVersion: !!this.service.createVersion,
        canAttachBuild: !!this.service.attachBuild && !!this.conn.services.builds,
        canSubmit: !!this.conn.services.release,
      });
      const editable = versions.find((v) => v.editable) ?? versions[0];
      if (editable) await this.load(editable.id, editable.live);
    } finally {
      this.post({ type: 'busy', busy: false });
    }
  }

  private async load(versionId: string, live?: boolean): Promise<void> {
    this.post({ type: 'busy', busy: true, label: 'Loading metadata…' });
    try {
      this.versionId = versionId;
      this.document = await this.service.load(this.app, versionId, { live });
      this.post({ type: 'document', document: this.document });
      if (this.pendingFocus) {
        this.post({ type: 'focus', ...this.pendingFocus });
        this.pendingFocus = undefined;
      }
    } finally {
      this.post({ type: 'busy', busy: false });
    }
  }

  private async save(revision: string, changes: MetadataChanges): Promise<void> {
    const base = this.document;
    if (!base || base.revision !== revision) {
      this.post({ type: 'saveFailed', error: { kind: 'conflict', message: 'The metadata was reloaded while you edited. Review your changes and save again.' } });
      return;
    }
    const known = new Set(base.fields.map((f) => f.key));
    const versionFields = base.versionFields ?? [];
    const locales = changes.locales.filter((l) => Object.keys(l.values).length > 0);
    if (locales.some((l) => Object.keys(l.values).some((k) => !known.has(k)))) return; // not a field of this document
    const version = changes.version ?? {};
    if (Object.keys(version).some((k) => !versionFields.some((f) => f.key === k))) return; // not a field of this version
    const count = locales.reduce((n, l) => n + Object.keys(l.values).length, 0) + Object.keys(version).length;
    if (count === 0) return;
    const summary = [
      ...(Object.keys(version).length ? [`All locales: ${Object.keys(version).map((k) => versionFields.find((f) => f.key === k)?.label ?? k).join(', ')}`] : []),
      ...locales.map((l) => `${l.locale}: ${Object.keys(l.values).map((k) => base.fields.find((f) => f.key === k)?.label ?? k).join(', ')}`),
    ];
    const choice = await vscode.window.showInformationMessage(
      `Save ${count} change${count === 1 ? '' : 's'} to ${this.app.name} ${base.version.versionString}?`,
      { modal: true, detail: summary.join('\n') },
      'Save',
    );
    if (choice !== 'Save') return;
    this.post({ type: 'busy', busy: true, label: 'Saving…' });
    try {
      const result = await this.service.save(this.app, base, { locales, ...(Object.keys(version).length ? { version } : {}) });
      if (result.status === 'conflict') {
        this.document = result.remote;
        this.post({ type: 'conflict', remote: result.remote, conflicts: result.conflicts });
      } else {
        this.document = result.document;
        this.post({ type: 'saved', document: result.document, changed: count });
        void vscode.window.showInformationMessage(`${this.app.name}: ${count} metadata change${count === 1 ? '' : 's'} saved.`);
      }
    } catch (err) {
      // The webview keeps the draft; it shows the error next to the fields it names.
      this.ctx.logger.error('Saving metadata failed', err);
      this.post({ type: 'saveFailed', error: toPanelError(err) });
    } finally {
      this.post({ type: 'busy', busy: false });
    }
  }

  private async createVersion(): Promise<void> {
    const current = this.document?.version.versionString;
    const versionString = await vscode.window.showInputBox({
      title: `New version of ${this.app.name}`,
      prompt: 'Version number (as shown on the App Store)',
      placeHolder: current ? `e.g. ${bump(current)}` : 'e.g. 1.0.1',
      validateInput: (v) => (/^\d+(\.\d+){0,2}$/.test(v) ? undefined : 'Use one to three numbers separated by dots, e.g. 2.4.1'),
    });
    if (!versionString) return;
    const created = await this.service.createVersion!(this.app, versionString, this.document?.version.platform);
    void vscode.window.showInformationMessage(`${this.app.name}: version ${created.versionString} created.`);
    await this.init();
  }

  private async attachBuild(): Promise<void> {
    const builds = this.conn.services.builds;
    const versionId = this.versionId;
    if (!builds || !versionId) return;
    const page = await builds.list(this.app);
    const pick = await vscode.window.showQuickPick(
      page.items.filter((b) => !b.expired).map((b) => ({ label: `${b.version} (${b.buildNumber})`, description: b.processingState, detail: b.uploadedDate, id: b.id })),
      { title: `Attach a build to ${this.app.name} ${this.document?.version.versionString ?? ''}`, placeHolder: 'Choose a build' },
    );
    if (!pick) return;
    await this.service.attachBuild!(this.app, versionId, pick.id);
    void vscode.window.showInformationMessage(`${this.app.name}: build ${pick.label} attached.`);
    await this.load(versionId);
  }
}

function bump(v: string): string {
  const parts = v.split('.').map(Number);
  parts[parts.length - 1] = (parts[parts.length - 1] ?? 0) + 1;
  return parts.join('.');
}
