import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseReviewFilter, parseReviewsRequest, replyProblem, REPLY_MAX_CHARS, stars } from '../../../src/protocol/reviews';

describe('reviews protocol', () => {
  it('accepts every well-formed request', () => {
    assert.deepEqual(parseReviewsRequest({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseReviewsRequest({ type: 'ready', filter: { rating: 1, sort: 'oldest' } }), { type: 'ready', filter: { rating: 1, sort: 'oldest' } });
    assert.deepEqual(parseReviewsRequest({ type: 'refresh' }), { type: 'refresh' });
    assert.deepEqual(parseReviewsRequest({ type: 'loadMore' }), { type: 'loadMore' });
    assert.deepEqual(parseReviewsRequest({ type: 'setFilter', filter: {} }), { type: 'setFilter', filter: {} });
    assert.deepEqual(
      parseReviewsRequest({ type: 'setFilter', filter: { rating: 5, territory: 'USA', answered: false, sort: 'lowest' } }),
      { type: 'setFilter', filter: { rating: 5, territory: 'USA', answered: false, sort: 'lowest' } },
    );
    assert.deepEqual(parseReviewsRequest({ type: 'reply', reviewId: 'r1', text: 'Thanks!' }), { type: 'reply', reviewId: 'r1', text: 'Thanks!' });
    assert.deepEqual(parseReviewsRequest({ type: 'deleteResponse', reviewId: 'r1' }), { type: 'deleteResponse', reviewId: 'r1' });
  });

  it('keeps the handshake when a restored filter no longer validates', () => {
    assert.deepEqual(parseReviewsRequest({ type: 'ready', filter: 'x' }), { type: 'ready' });
    assert.deepEqual(parseReviewsRequest({ type: 'ready', filter: { rating: 9 } }), { type: 'ready' });
  });

  it('treats null or undefined filter values as "any"', () => {
    assert.deepEqual(parseReviewFilter({ rating: null, territory: undefined, sort: 'newest' }), { sort: 'newest' });
  });

  it('rejects malformed, unknown and oversized messages', () => {
    for (const bad of [
      undefined, null, 'reply', [], {}, { type: 'delete' }, { type: 'reply' },
      { type: 'setFilter' }, { type: 'setFilter', filter: [] },
      { type: 'setFilter', filter: { rating: 0 } }, { type: 'setFilter', filter: { rating: 6 } }, { type: 'setFilter', filter: { rating: 2.5 } }, { type: 'setFilter', filter: { rating: '5' } },
      { type: 'setFilter', filter: { territory: 'usa' } }, { type: 'setFilter', filter: { territory: 'US A' } }, { type: 'setFilter', filter: { territory: 'USAA' } },
      { type: 'setFilter', filter: { answered: 'yes' } }, { type: 'setFilter', filter: { sort: 'random' } },
      { type: 'setFilter', filter: { sort: 'newest', limit: 1000 } },
      { type: 'reply', reviewId: 'r1' }, { type: 'reply', reviewId: 'r1', text: 3 }, { type: 'reply', text: 'x' }, { type: 'reply', reviewId: '', text: 'x' },
      { type: 'reply', reviewId: 'r1', text: 'x'.repeat(20_001) },
      { type: 'deleteResponse' }, { type: 'deleteResponse', reviewId: { id: 'r1' } },
    ]) {
      assert.equal(parseReviewsRequest(bad), undefined, JSON.stringify(bad)?.slice(0, 120));
    }
  });

  it('explains replies that cannot be sent', () => {
    assert.equal(replyProblem('Thanks for the feedback!'), undefined);
    assert.match(replyProblem('   \n ') ?? '', /Write a response/);
    assert.equal(replyProblem('x'.repeat(REPLY_MAX_CHARS)), undefined);
    assert.match(replyProblem('x'.repeat(REPLY_MAX_CHARS + 1)) ?? '', /5971 characters.*5970/);
    assert.equal(replyProblem('😀'.repeat(REPLY_MAX_CHARS)), undefined, 'counts characters, not UTF-16 units');
  });

  it('draws star ratings', () => {
    assert.equal(stars(4), '★★★★☆');
    assert.equal(stars(0), '☆☆☆☆☆');
    assert.equal(stars(9), '★★★★★');
  });
});
