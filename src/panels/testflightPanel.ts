// The TestFlight panel: beta groups and their testers, add one tester or many (pasted CSV, per-row results,
// cancellable, through the provider's rate limiter), remove from a group or from the app, and the beta feedback
// (screenshots and crashes, crash logs opened read-only in an editor). Serves every provider with the `testers`
// capability through TestersService and FeedbackService only.
import * as vscode from 'vscode';
import type { AccountConfig, AppSummary, Connection } from '../providers/types';
import type { FeedbackEntry, FeedbackService, Tester, TesterGroup, TestersService } from '../providers/services';
import {
  newTesterProblems, parseTestFlightRequest, parseTesterCsv, runBulkAdd, testerName,
  type BulkRowResult, type TestFlightRequest, type TestFlightUpdate,
} from '../protocol/testflight';
import { AppPanel, toPanelError, type PanelContext } from './appPanel';
import { VIEW_TYPES } from './viewTypes';

/** Most pages read when collecting who is already in a group before a bulk add. */
const MAX_EXISTING_PAGES = 100;
/** How often per-row bulk results are flushed to the webview. */
const FLUSH_MS = 150;

export class TestFlightPanel extends AppPanel<TestFlightRequest, TestFlightUpdate> {
  static readonly viewType = VIEW_TYPES.testflight;
  private groups: TesterGroup[] = [];
  private groupId: string | null = null;
  /** Testers loaded so far, by id: removals act on these, never on data sent by the webview. */
  private readonly testers = new Map<string, Tester>();
  private testersNext: string | undefined;
  private testersGeneration = 0;
  private readonly feedback = new Map<string, FeedbackEntry>();
  private feedbackNext: string | undefined;
  private feedbackGeneration = 0;
  private bulk: { runId: number; controller: AbortController } | undefined;
  /** The current or last import, replayed to a webview that was recreated (hidden panel, reload) meanwhile. */
  private lastRun: { runId: number; total: number; groupId: string | null; results: BulkRowResult[]; done?: Extract<TestFlightUpdate, { type: 'bulkDone' }>; seen: boolean } | undefined;
  private runIds = 0;

  static async show(ctx: PanelContext, account: AccountConfig, app: AppSummary, panel?: vscode.WebviewPanel): Promise<TestFlightPanel | undefined> {
    const key = AppPanel.key('testflight', account.id, app.id);
    if (!panel && AppPanel.reveal(key)) return undefined;
    const conn = await ctx.connection(account);
    if (!conn.services.testers) throw new Error(`${account.label} does not offer TestFlight testers.`);
    const p = panel ?? AppPanel.createWebviewPanel(ctx, TestFlightPanel.viewType, `TestFlight: ${app.name}`);
    return new TestFlightPanel(p, ctx, account, conn, app, key);
  }

  private constructor(panel: vscode.WebviewPanel, ctx: PanelContext, account: AccountConfig, conn: Connection, app: AppSummary, key: string) {
    super(panel, ctx, account, conn, app, key);
    this.setHtml('testflight', `TestFlight: ${app.name}`, { accountId: account.id, app });
  }

  private get service(): TestersService {
    return this.conn.services.testers!;
  }

  private get feedbackService(): FeedbackService | undefined {
    return this.conn.services.feedback;
  }

  protected parse(raw: unknown): TestFlightRequest | undefined {
    return parseTestFlightRequest(raw);
  }

  protected async handle(msg: TestFlightRequest): Promise<void> {
    switch (msg.type) {
      case 'ready':
        this.post({
          type: 'init',
          provider: this.conn.account.label,
          appName: this.app.name,
          bundleId: this.app.bundleId,
          feedback: !!this.feedbackService,
          crashLogs: !!this.feedbackService?.crashLog,
        });
        this.groupId = msg.groupId ?? null; // the webview's restored choice, checked against the groups below
        this.replayRun();
        return this.loadGroups();
      case 'refresh': return this.loadGroups();
      case 'selectGroup':
        if (msg.groupId !== null && !this.groups.some((g) => g.id === msg.groupId)) return;
        this.groupId = msg.groupId;
        return this.loadTesters(false);
      case 'loadMoreTesters': return this.loadTesters(true);
      case 'addTester': return this.addTester(msg);
      case 'removeTester': return this.removeTester(msg.testerId, msg.groupId);
      case 'bulkAdd': return this.bulkAdd(msg.csv, msg.groupId);
      case 'cancelBulk': this.bulk?.controller.abort(); return;
      case 'loadFeedback': return this.loadFeedback(false);
      case 'loadMoreFeedback': return this.loadFeedback(true);
      case 'openCrashLog': return this.openCrashLog(msg.entryId);
    }
  }

  private async loadGroups(): Promise<void> {
    this.post({ type: 'busy', busy: true, label: 'Loading groups…' });
    try {
      this.groups = await this.service.groups(this.app);
      if (this.groupId !== null && !this.groups.some((g) => g.id === this.groupId)) this.groupId = null;
      this.post({ type: 'groups', groups: this.groups, selected: this.groupId });
    } finally {
      this.post({ type: 'busy', busy: false });
    }
    await this.loadTesters(false);
  }

  private async loadTesters(more: boolean): Promise<void> {
    if (more && !this.testersNext) return;
    const generation = more ? this.testersGeneration : ++this.testersGeneration;
    const groupId = this.groupId;
    this.post({ type: 'busy', busy: true, label: more ? 'Loading more testers…' : 'Loading testers…' });
    try {
      const page = await this.service.testers(this.app, { cursor: more ? this.testersNext : undefined, groupId: groupId ?? undefined });
      if (generation !== this.testersGeneration) return;
      if (!more) this.testers.clear();
      for (const t of page.items) this.testers.set(t.id, t);
      this.testersNext = page.next;
      this.post({ type: 'testers', groupId, items: page.items, hasMore: !!page.next, append: more, total: page.total });
    } finally {
      this.post({ type: 'busy', busy: false });
    }
  }

  private groupName(groupId: string | null): string {
    return groupId === null ? this.app.name : `"${this.groups.find((g) => g.id === groupId)?.name ?? groupId}"`;
  }

  private async addTester(msg: Extract<TestFlightRequest, { type: 'addTester' }>): Promise<void> {
    const problems = newTesterProblems(msg);
    if (Object.keys(problems).length) {
      this.post({ type: 'addFailed', error: { kind: 'validation', message: Object.values(problems).join(' '), fieldErrors: Object.fromEntries(Object.entries(problems).map(([k, v]) => [k, [v]])) } });
      return;
    }
    if (msg.groupId !== null && !this.groups.some((g) => g.id === msg.groupId)) return;
    const email = msg.email.trim();
    this.post({ type: 'busy', busy: true, label: `Adding ${email}…` });
    try {
      const tester = await this.service.add(this.app, {
        email,
        firstName: msg.firstName.trim() || undefined,
        lastName: msg.lastName.trim() || undefined,
        groupId: msg.groupId ?? undefined,
      });
      if (msg.groupId === this.groupId || this.groupId === null) this.testers.set(tester.id, tester);
      this.post({ type: 'testerAdded', tester, groupId: msg.groupId });
    } catch (err) {
      // The webview keeps the form as typed and shows this next to it.
      this.ctx.logger.error('TestFlight: adding a tester failed', err);
      this.post({ type: 'addFailed', error: toPanelError(err) });
    } finally {
      this.post({ type: 'busy', busy: false });
    }
  }

  private async removeTester(testerId: string, groupId: string | null): Promise<void> {
    const tester = this.testers.get(testerId);
    if (!tester) return;
    if (groupId !== null && !this.groups.some((g) => g.id === groupId)) return;
    const who = testerName(tester) ? `${testerName(tester)} <${tester.email}>` : tester.email;
    const fromApp = groupId === null;
    const choice = await vscode.window.showWarningMessage(
      fromApp ? `Remove ${who} from ${this.app.name}?` : `Remove ${who} from the group ${this.groupName(groupId)}?`,
      {
        modal: true,
        detail: fromApp
          ? 'The tester leaves every group of this app and loses access to its TestFlight builds.'
          : 'The tester keeps access through any other group of this app.',
      },
      'Remove',
    );
    if (choice !== 'Remove') return;
    this.post({ type: 'busy', busy: true, label: `Removing ${tester.email}…` });
    try {
      await this.service.remove(this.app, tester, groupId ?? undefined);
      if (fromApp || groupId === this.groupId) this.testers.delete(testerId);
      this.post({ type: 'testerRemoved', testerId, groupId });
    } catch (err) {
      this.ctx.logger.error('TestFlight: removing a tester failed', err);
      this.post({ type: 'removeFailed', testerId, error: toPanelError(err) });
    } finally {
      this.post({ type: 'busy', busy: false });
    }
  }

  /** Lower-cased emails already in the group (or the app), read page by page; best effort. */
  private async existingEmails(groupId: string | null, signal: AbortSignal): Promise<Set<string>> {
    const emails = new Set<string>();
    let cursor: string | undefined;
    for (let i = 0; i < MAX_EXISTING_PAGES && !signal.aborted; i++) {
      const page = await this.service.testers(this.app, { cursor, groupId: groupId ?? undefined, signal });
      for (const t of page.items) emails.add(t.email.toLowerCase());
      cursor = page.next;
      if (!cursor) break;
    }
    return emails;
  }

  private replayRun(): void {
    const r = this.lastRun;
    if (!r || (r.done && r.seen)) return;
    this.post({ type: 'bulkStarted', runId: r.runId, total: r.total, groupId: r.groupId });
    if (r.results.length) this.post({ type: 'bulkProgress', runId: r.runId, results: r.results });
    if (r.done) {
      this.post(r.done);
      r.seen = true;
    }
  }

  private async bulkAdd(csv: string, groupId: string | null): Promise<void> {
    if (this.bulk) {
      this.post({ type: 'error', error: { kind: 'busy', message: 'An import is already running in this panel; wait for it or cancel it first.' } });
      return;
    }
    if (groupId !== null && !this.groups.some((g) => g.id === groupId)) {
      this.post({ type: 'error', error: { kind: 'notFound', message: 'That group is no longer listed; refresh the panel and choose a group again.' } });
      return;
    }
    const parsed = parseTesterCsv(csv);
    const runId = ++this.runIds;
    const controller = new AbortController();
    this.bulk = { runId, controller };
    const record = { runId, total: parsed.rows.length, groupId, results: [] as BulkRowResult[], seen: false } as NonNullable<typeof this.lastRun>;
    this.lastRun = record;
    this.post({ type: 'bulkStarted', runId, total: parsed.rows.length, groupId });
    const finish = (done: Extract<TestFlightUpdate, { type: 'bulkDone' }>) => {
      record.done = done;
      record.seen = this.panel.visible;
      this.post(done);
    };
    const counts = { added: 0, exists: 0, invalid: 0, failed: 0, cancelled: 0 };
    if (parsed.error || parsed.rows.length === 0) {
      this.bulk = undefined;
      finish({ type: 'bulkDone', runId, cancelled: false, counts, error: { kind: 'validation', message: parsed.error ?? 'No testers found: paste one tester per line as email,first name,last name.' } });
      return;
    }
    let buffer: BulkRowResult[] = [];
    const flush = () => {
      if (buffer.length) this.post({ type: 'bulkProgress', runId, results: buffer });
      buffer = [];
    };
    const timer = setInterval(flush, FLUSH_MS);
    let error: unknown;
    let result = counts;
    try {
      let existing: Set<string> | undefined;
      if (parsed.rows.some((r) => !r.problem)) {
        this.post({ type: 'bulkPhase', runId, label: `Checking who is already in ${this.groupName(groupId)}…` });
        existing = await this.existingEmails(groupId, controller.signal).catch((err: unknown) => {
          // Not fatal: the API reports duplicates row by row.
          this.ctx.logger.warn('TestFlight: could not list existing testers before the import', err);
          return undefined;
        });
      }
      this.post({ type: 'bulkPhase', runId, label: `Adding testers to ${this.groupName(groupId)}…` });
      result = await runBulkAdd(this.service, {
        app: this.app,
        groupId,
        rows: parsed.rows,
        signal: controller.signal,
        existing,
        onResult: (r, tester) => {
          buffer.push(r);
          record.results.push(r);
          if (tester && (groupId === this.groupId || this.groupId === null)) this.testers.set(tester.id, tester);
        },
      });
    } catch (err) {
      error = err;
      this.ctx.logger.error('TestFlight: bulk add failed', err);
    } finally {
      clearInterval(timer);
      flush();
      this.bulk = undefined;
    }
    finish({ type: 'bulkDone', runId, cancelled: controller.signal.aborted, counts: result, error: error === undefined ? undefined : toPanelError(error) });
    this.ctx.logger.info(`TestFlight: imported testers into ${this.groupName(groupId)}: ${result.added} added, ${result.exists} already there, ${result.invalid} invalid, ${result.failed} failed, ${result.cancelled} cancelled`);
    if (result.added > 0 && groupId === this.groupId) {
      await this.loadTesters(false).catch((err: unknown) => this.postError(err, 'TestFlight: reloading testers'));
    }
    await this.loadGroupsQuietly();
  }

  /** Refreshes group counts after changes without disturbing the testers list. */
  private async loadGroupsQuietly(): Promise<void> {
    try {
      this.groups = await this.service.groups(this.app);
      this.post({ type: 'groups', groups: this.groups, selected: this.groupId });
    } catch (err) {
      this.ctx.logger.warn('TestFlight: refreshing groups failed', err);
    }
  }

  private async loadFeedback(more: boolean): Promise<void> {
    const service = this.feedbackService;
    if (!service || (more && !this.feedbackNext)) return;
    const generation = more ? this.feedbackGeneration : ++this.feedbackGeneration;
    this.post({ type: 'busy', busy: true, label: more ? 'Loading more feedback…' : 'Loading feedback…' });
    try {
      const page = await service.list(this.app, { cursor: more ? this.feedbackNext : undefined });
      if (generation !== this.feedbackGeneration) return;
      if (!more) this.feedback.clear();
      for (const f of page.items) this.feedback.set(f.id, f);
      this.feedbackNext = page.next;
      this.post({ type: 'feedback', items: page.items, hasMore: !!page.next, append: more });
    } catch (err) {
      this.ctx.logger.error('TestFlight: loading feedback failed', err);
      this.post({ type: 'feedbackFailed', error: toPanelError(err) });
    } finally {
      this.post({ type: 'busy', busy: false });
    }
  }

  private async openCrashLog(entryId: string): Promise<void> {
    const entry = this.feedback.get(entryId);
    const service = this.feedbackService;
    if (!entry || !service?.crashLog) return;
    this.post({ type: 'busy', busy: true, label: 'Loading the crash log…' });
    try {
      const content = await service.crashLog(this.app, entry);
      // An untitled, never-saved document: read-only in practice, and it never runs anything.
      const doc = await vscode.workspace.openTextDocument({ content, language: 'log' });
      await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    } catch (err) {
      this.ctx.logger.error('TestFlight: loading a crash log failed', err);
      this.post({ type: 'crashLogFailed', entryId, error: toPanelError(err) });
    } finally {
      this.post({ type: 'busy', busy: false });
    }
  }

  protected override dispose(): void {
    this.bulk?.controller.abort();
    super.dispose();
  }
}
