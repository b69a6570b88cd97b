// Customer reviews with their responses (one request, `include=response`), and replying: a review has at most one
// response, so editing one deletes the old response and posts the new text.
import { ValidationError, isProviderError } from '../../core/errors';
import type { Review, ReviewFilter, ReviewsService } from '../services';
import type { AppSummary, ListOptions, Page } from '../types';
import { resourceBody } from './client';
import { seg, type AscContext } from './context';
import { PROVIDER } from './keys';
import { CustomerReview, CustomerReviewResponse, collection, findIncluded, relId, single, singleOrNull, type AnyResource } from './schemas';

const ReviewList = collection(CustomerReview);
const ReviewDoc = single(CustomerReview);
const ResponseDoc = single(CustomerReviewResponse);
const MaybeResponseDoc = singleOrNull(CustomerReviewResponse);

/** Apple's limit on a developer response. */
export const MAX_RESPONSE_CHARS = 5970;

const SORT: Record<NonNullable<ReviewFilter['sort']>, string> = { newest: '-createdDate', oldest: 'createdDate', highest: '-rating', lowest: 'rating' };

function toResponse(r: CustomerReviewResponse): NonNullable<Review['response']> {
  const a = r.attributes ?? {};
  return { id: r.id, body: a.responseBody ?? '', ...(a.state && { state: a.state }), ...(a.lastModifiedDate && { lastModifiedDate: a.lastModifiedDate }) };
}

export function toReview(r: CustomerReview, included: readonly AnyResource[] = []): Review {
  const a = r.attributes ?? {};
  const response = findIncluded(included, 'customerReviewResponses', relId(r, 'response'), CustomerReviewResponse);
  return {
    id: r.id,
    rating: a.rating ?? 0,
    ...(a.title && { title: a.title }),
    body: a.body ?? '',
    ...(a.reviewerNickname && { author: a.reviewerNickname }),
    ...(a.territory && { territory: a.territory }),
    createdDate: a.createdDate ?? '',
    ...(response && { response: toResponse(response) }),
  };
}

export class AscReviewsService implements ReviewsService {
  constructor(private readonly ctx: AscContext) {}

  async list(app: AppSummary, filter: ReviewFilter = {}, opts: ListOptions & { limit?: number } = {}): Promise<Page<Review>> {
    const p = await this.ctx.client.page(`/v1/apps/${seg(app.id)}/customerReviews`, ReviewList, {
      query: {
        include: 'response',
        sort: SORT[filter.sort ?? 'newest'],
        'filter[rating]': filter.rating,
        'filter[territory]': filter.territory?.toUpperCase(),
        'exists[publishedResponse]': filter.answered,
        limit: opts.limit ?? 50,
      },
      cursor: opts.cursor,
      signal: opts.signal,
    });
    return { items: p.data.map((r) => toReview(r, p.included)), ...(p.next && { next: p.next }), ...(p.total !== undefined && { total: p.total }) };
  }

  async get(reviewId: string, signal?: AbortSignal): Promise<Review> {
    const doc = await this.ctx.client.get(`/v1/customerReviews/${seg(reviewId)}`, ReviewDoc, { query: { include: 'response' }, signal });
    return toReview(doc.data, doc.included ?? []);
  }

  async reply(_app: AppSummary, review: Review, text: string): Promise<Review['response']> {
    const body = text.trim();
    if (!body) throw new ValidationError({ provider: PROVIDER, summary: 'The response is empty', fieldErrors: { responseBody: ['Write a response.'] } });
    if ([...body].length > MAX_RESPONSE_CHARS) {
      throw new ValidationError({ provider: PROVIDER, summary: `A response can be at most ${MAX_RESPONSE_CHARS} characters`, fieldErrors: { responseBody: [`${[...body].length} characters; shorten it.`] } });
    }
    if (review.response?.id) await this.deleteResponseById(review.response.id);
    try {
      return await this.post(review.id, body);
    } catch (e) {
      // The review already had a response we did not know about: replace it.
      if (!review.response && isProviderError(e) && e.kind === 'validation') {
        const current = await this.currentResponse(review.id);
        if (current) {
          await this.deleteResponseById(current.id);
          return this.post(review.id, body);
        }
      }
      throw e;
    }
  }

  async deleteResponse(_app: AppSummary, review: Review): Promise<void> {
    const id = review.response?.id ?? (await this.currentResponse(review.id))?.id;
    if (id) await this.deleteResponseById(id);
  }

  private async post(reviewId: string, body: string): Promise<NonNullable<Review['response']>> {
    const doc = await this.ctx.client.post(
      '/v1/customerReviewResponses',
      resourceBody('customerReviewResponses', { responseBody: body }, { review: { type: 'customerReviews', id: reviewId } }),
      ResponseDoc,
    );
    return toResponse(doc.data);
  }

  private async currentResponse(reviewId: string): Promise<NonNullable<Review['response']> | undefined> {
    const doc = await this.ctx.client.get(`/v1/customerReviews/${seg(reviewId)}/response`, MaybeResponseDoc).catch((e: unknown) => {
      if (isProviderError(e) && e.kind === 'notFound') return { data: null };
      throw e;
    });
    return doc.data ? toResponse(doc.data) : undefined;
  }

  private async deleteResponseById(id: string): Promise<void> {
    await this.ctx.client.delete(`/v1/customerReviewResponses/${seg(id)}`).catch((e: unknown) => {
      // Already gone is what we wanted.
      if (!(isProviderError(e) && e.kind === 'notFound')) throw e;
    });
  }
}
