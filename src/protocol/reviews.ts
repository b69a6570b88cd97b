// Messages of the reviews panel (shared by every provider with the `reviews` capability). Reviews are named by
// id; the extension replies to the Review it loaded itself.
import type { Review, ReviewFilter } from '../providers/services';
import { isRecord, isString, type PanelError } from './messages';
import { isId } from './builds';

/** Apple's limit for a developer response. */
export const REPLY_MAX_CHARS = 5970;
/** Hard cap of a reply message from the webview (beyond it the message is malformed, not just too long). */
const REPLY_HARD_CAP = 20_000;

export const SORTS = ['newest', 'oldest', 'highest', 'lowest'] as const;

export type ReviewsUpdate =
  | { type: 'init'; provider: string; appName: string; bundleId?: string }
  | { type: 'reviews'; items: Review[]; hasMore: boolean; append: boolean; filter: ReviewFilter; total?: number }
  | { type: 'reviewUpdated'; review: Review; notice: string }
  | { type: 'replyFailed'; reviewId: string; error: PanelError }
  | { type: 'deleteFailed'; reviewId: string; error: PanelError }
  | { type: 'error'; error: PanelError }
  | { type: 'busy'; busy: boolean; label?: string };

export type ReviewsRequest =
  | { type: 'ready'; filter?: ReviewFilter }
  | { type: 'refresh' }
  | { type: 'setFilter'; filter: ReviewFilter }
  | { type: 'loadMore' }
  | { type: 'reply'; reviewId: string; text: string }
  | { type: 'deleteResponse'; reviewId: string };

/** Validates a filter; undefined when any part is malformed. Absent keys mean "any". */
export function parseReviewFilter(raw: unknown): ReviewFilter | undefined {
  if (!isRecord(raw)) return undefined;
  const filter: ReviewFilter = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined || v === null) continue;
    switch (k) {
      case 'rating':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 5) return undefined;
        filter.rating = v;
        break;
      case 'territory':
        if (typeof v !== 'string' || !/^[A-Z]{2,3}$/.test(v)) return undefined;
        filter.territory = v;
        break;
      case 'answered':
        if (typeof v !== 'boolean') return undefined;
        filter.answered = v;
        break;
      case 'sort':
        if (!(SORTS as readonly unknown[]).includes(v)) return undefined;
        filter.sort = v as ReviewFilter['sort'];
        break;
      default:
        return undefined;
    }
  }
  return filter;
}

/** Validates a message from the reviews webview; anything malformed, oversized or unknown is dropped. */
export function parseReviewsRequest(raw: unknown): ReviewsRequest | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.type) {
    case 'ready': {
      // A restored filter that no longer validates (older state) is dropped, not the handshake.
      const filter = raw.filter === undefined ? undefined : parseReviewFilter(raw.filter);
      return filter ? { type: 'ready', filter } : { type: 'ready' };
    }
    case 'refresh': case 'loadMore':
      return { type: raw.type };
    case 'setFilter': {
      const filter = parseReviewFilter(raw.filter);
      return filter ? { type: 'setFilter', filter } : undefined;
    }
    case 'reply':
      return isId(raw.reviewId) && isString(raw.text, REPLY_HARD_CAP) ? { type: 'reply', reviewId: raw.reviewId, text: raw.text } : undefined;
    case 'deleteResponse':
      return isId(raw.reviewId) ? { type: 'deleteResponse', reviewId: raw.reviewId } : undefined;
    default:
      return undefined;
  }
}

/** Why a reply cannot be sent as typed, or undefined. */
export function replyProblem(text: string): string | undefined {
  if (!text.trim()) return 'Write a response first.';
  const n = [...text].length;
  if (n > REPLY_MAX_CHARS) return `The response is ${n} characters; the App Store allows at most ${REPLY_MAX_CHARS}.`;
  return undefined;
}

export function stars(rating: number): string {
  const r = Math.max(0, Math.min(5, Math.round(rating)));
  return '★'.repeat(r) + '☆'.repeat(5 - r);
}
