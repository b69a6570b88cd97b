// The reviews panel: customer reviews with rating, territory and the developer response; filters and sort go to
// the service (so they apply to every page, not only the loaded one); reply, edit and delete a response.
// Serves every provider with the `reviews` capability through ReviewsService only.
import * as vscode from 'vscode';
import type { AccountConfig, AppSummary, Connection } from '../providers/types';
import type { Review, ReviewFilter, ReviewsService } from '../providers/services';
import { parseReviewsRequest, replyProblem, type ReviewsRequest, type ReviewsUpdate } from '../protocol/reviews';
import { AppPanel, toPanelError, type PanelContext } from './appPanel';
import { VIEW_TYPES } from './viewTypes';

export class ReviewsPanel extends AppPanel<ReviewsRequest, ReviewsUpdate> {
  static readonly viewType = VIEW_TYPES.reviews;
  /** Reviews loaded so far, by id: replies act on these, never on data sent by the webview. */
  private readonly reviews = new Map<string, Review>();
  private filter: ReviewFilter = { sort: 'newest' };
  private next: string | undefined;
  private generation = 0;
  private readonly pending = new Set<string>();

  static async show(ctx: PanelContext, account: AccountConfig, app: AppSummary, panel?: vscode.WebviewPanel): Promise<ReviewsPanel | undefined> {
    const key = AppPanel.key('reviews', account.id, app.id);
    if (!panel && AppPanel.reveal(key)) return undefined;
    const conn = await ctx.connection(account);
    if (!conn.services.reviews) throw new Error(`${account.label} does not offer customer reviews.`);
    const p = panel ?? AppPanel.createWebviewPanel(ctx, ReviewsPanel.viewType, `Reviews: ${app.name}`);
    return new ReviewsPanel(p, ctx, account, conn, app, key);
  }

  private constructor(panel: vscode.WebviewPanel, ctx: PanelContext, account: AccountConfig, conn: Connection, app: AppSummary, key: string) {
    super(panel, ctx, account, conn, app, key);
    this.setHtml('reviews', `Reviews: ${app.name}`, { accountId: account.id, app });
  }

  private get service(): ReviewsService {
    return this.conn.services.reviews!;
  }

  protected parse(raw: unknown): ReviewsRequest | undefined {
    return parseReviewsRequest(raw);
  }

  protected async handle(msg: ReviewsRequest): Promise<void> {
    switch (msg.type) {
      case 'ready':
        this.post({ type: 'init', provider: this.conn.account.label, appName: this.app.name, bundleId: this.app.bundleId });
        if (msg.filter) this.filter = msg.filter;
        return this.load(false);
      case 'refresh': return this.load(false);
      case 'setFilter':
        this.filter = msg.filter;
        return this.load(false);
      case 'loadMore': return this.load(true);
      case 'reply': return this.reply(msg.reviewId, msg.text);
      case 'deleteResponse': return this.deleteResponse(msg.reviewId);
    }
  }

  private async load(more: boolean): Promise<void> {
    if (more && !this.next) return;
    const generation = more ? this.generation : ++this.generation;
    const filter = this.filter;
    this.post({ type: 'busy', busy: true, label: more ? 'Loading more reviews…' : 'Loading reviews…' });
    try {
      const page = await this.service.list(this.app, filter, { cursor: more ? this.next : undefined });
      if (generation !== this.generation) return;
      if (!more) this.reviews.clear();
      for (const r of page.items) this.reviews.set(r.id, r);
      this.next = page.next;
      this.post({ type: 'reviews', items: page.items, hasMore: !!page.next, append: more, filter, total: page.total });
    } finally {
      this.post({ type: 'busy', busy: false });
    }
  }

  private async reply(reviewId: string, text: string): Promise<void> {
    const review = this.reviews.get(reviewId);
    if (!review || this.pending.has(reviewId)) {
      // Always answer, so the webview's editor never stays stuck on "Sending…".
      const message = review ? 'This response is already being sent.' : 'This review is no longer loaded; refresh the list and try again. Your text is kept.';
      this.post({ type: 'replyFailed', reviewId, error: { kind: review ? 'busy' : 'notFound', message } });
      return;
    }
    const problem = replyProblem(text);
    if (problem) {
      this.post({ type: 'replyFailed', reviewId, error: { kind: 'validation', message: problem } });
      return;
    }
    const editing = !!review.response;
    this.pending.add(reviewId);
    this.post({ type: 'busy', busy: true, label: editing ? 'Replacing the response…' : 'Sending the response…' });
    try {
      const response = await this.service.reply(this.app, review, text);
      const updated: Review = { ...review, response: response ?? { id: review.response?.id ?? '', body: text } };
      this.reviews.set(reviewId, updated);
      this.post({ type: 'reviewUpdated', review: updated, notice: editing ? 'Response replaced.' : 'Response sent. It appears on the App Store once published.' });
    } catch (err) {
      // The webview keeps the text as typed and shows this error under it.
      this.ctx.logger.error('Reviews: replying failed', err);
      this.post({ type: 'replyFailed', reviewId, error: toPanelError(err) });
    } finally {
      this.pending.delete(reviewId);
      this.post({ type: 'busy', busy: false });
    }
  }

  private async deleteResponse(reviewId: string): Promise<void> {
    const review = this.reviews.get(reviewId);
    if (!review?.response || this.pending.has(reviewId)) return;
    const who = review.author ? ` to ${review.author}` : '';
    const choice = await vscode.window.showWarningMessage(
      `Delete your response${who}?`,
      { modal: true, detail: `"${excerpt(review.response.body)}"\n\nThe response is removed from the App Store. The review stays.` },
      'Delete Response',
    );
    if (choice !== 'Delete Response') return;
    this.pending.add(reviewId);
    this.post({ type: 'busy', busy: true, label: 'Deleting the response…' });
    try {
      await this.service.deleteResponse(this.app, review);
      const updated: Review = { ...review, response: undefined };
      this.reviews.set(reviewId, updated);
      this.post({ type: 'reviewUpdated', review: updated, notice: 'Response deleted.' });
    } catch (err) {
      this.ctx.logger.error('Reviews: deleting a response failed', err);
      this.post({ type: 'deleteFailed', reviewId, error: toPanelError(err) });
    } finally {
      this.pending.delete(reviewId);
      this.post({ type: 'busy', busy: false });
    }
  }
}

function excerpt(s: string, n = 160): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n)}…` : one;
}
