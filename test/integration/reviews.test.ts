// The reviews panel inside a real VS Code, against the sandbox's App Store Connect: filters applied by the
// service, reply / edit / delete a response (delete confirmed), failures reported with the provider's words,
// paging. The test plays the webview's part (its DOM is out of reach from the extension host).
import * as assert from 'node:assert/strict';
import type { AppSummary, Connection } from '../../src/providers/types';
import type { Review, ReviewsService } from '../../src/providers/services';
import { ReviewsPanel } from '../../src/panels/reviewsPanel';
import { REPLY_MAX_CHARS, type ReviewsUpdate } from '../../src/protocol/reviews';
import { answerWarnings, apiRequestsSince, openSandboxPanel, openThroughCommand, panelSuiteHooks, sandboxOrigin, sandboxRequests, type OpenPanelOptions, type PanelDriver } from './support';

const LUMEN: AppSummary = { id: '1581234567', name: 'Lumen Notes', bundleId: 'com.lumenlabs.notes' };

type Msg = ReviewsUpdate;
type Driver = PanelDriver<Msg, ReviewsPanel>;

/** Opens the panel for Lumen Notes on a sandbox connection; the webview's part is the test's unless `live`. */
function openPanel(opts: OpenPanelOptions = {}): Promise<Driver> {
  return openSandboxPanel<Msg, ReviewsPanel>(ReviewsPanel, LUMEN, { idPrefix: 'it-reviews', ...opts });
}

async function openReady(opts: Parameters<typeof openPanel>[0] = {}): Promise<{ d: Driver; reviews: Review[] }> {
  const d = await openPanel(opts);
  await d.send({ type: 'ready' });
  return { d, reviews: (await d.waitFor('reviews')).items };
}

describe('reviews panel', () => {
  panelSuiteHooks();

  it('opens through appdesk.openReviews for an account and app', async function () {
    assert.equal(await openThroughCommand('appdesk.openReviews', 'reviews', LUMEN), 'Reviews: Lumen Notes');
  });

  it('its webview loads and gets the reviews, newest first, with rating, territory, author and response', async function () {
    this.timeout(90_000);
    const d = await openPanel({ live: true });
    await d.waitFor('init', undefined, 0, 60_000);
    assert.equal((d.fromWebview[0] as { type: string }).type, 'ready');
    const page = await d.waitFor('reviews', undefined, 0, 20_000);
    assert.equal(page.items.length, 8);
    assert.deepEqual(page.filter, { sort: 'newest' });
    const first = page.items[0]!;
    assert.deepEqual([first.rating, first.title, first.territory, first.author], [5, 'Finally a notes app that keeps up', 'USA', 'inkandpaper']);
    const answered = page.items.find((r) => r.author === 'mtgnotes_ben')!;
    assert.match(answered.response?.body ?? '', /^Hi Ben, sorry about that!/);
  });

  it('applies rating, territory, answered and sort filters through the service', async () => {
    const opened = await openReady();
    const d = opened.d;
    const start = (await sandboxRequests()).length;
    let from = d.sent.length;
    await d.send({ type: 'setFilter', filter: { rating: 5, sort: 'oldest' } });
    let page = await d.waitFor('reviews', undefined, from);
    assert.deepEqual(page.items.map((r) => r.rating), [5, 5, 5]);
    assert.deepEqual(page.items.map((r) => r.author), ['Camille_L', 'さくら', 'inkandpaper'], 'oldest first');
    const query = new URL(`http://x${(await apiRequestsSince(start))[0]!.path}`).searchParams;
    assert.equal(query.get('filter[rating]'), '5');
    assert.equal(query.get('sort'), 'createdDate');

    from = d.sent.length;
    await d.send({ type: 'setFilter', filter: { territory: 'USA' } });
    page = await d.waitFor('reviews', undefined, from);
    assert.ok(page.items.length === 2 && page.items.every((r) => r.territory === 'USA'));

    from = d.sent.length;
    await d.send({ type: 'setFilter', filter: { answered: true } });
    page = await d.waitFor('reviews', undefined, from);
    assert.ok(page.items.length > 0 && page.items.every((r) => r.response), 'answered only');

    from = d.sent.length;
    await d.send({ type: 'setFilter', filter: { answered: false, sort: 'lowest' } });
    page = await d.waitFor('reviews', undefined, from);
    // The App Store's notion of "answered": a published response (one pending publication does not count).
    assert.ok(page.items.length > 0 && page.items.every((r) => r.response?.state !== 'PUBLISHED'));
    assert.deepEqual(page.items.map((r) => r.rating), [...page.items.map((r) => r.rating)].sort((a, b) => a - b));

    from = d.sent.length;
    await d.send({ type: 'setFilter', filter: { territory: 'NZL' } });
    page = await d.waitFor('reviews', undefined, from);
    assert.deepEqual(page.items, [], 'an empty result is a list, not an error');
  });

  it('replies, then replaces the reply; the sandbox has the new text', async () => {
    const opened = await openReady();
    const d = opened.d;
    const review = opened.reviews.find((r) => r.author === 'inkandpaper')!;
    assert.equal(review.response, undefined);
    let from = d.sent.length;
    await d.send({ type: 'reply', reviewId: review.id, text: 'Thank you! Handwriting search gets even faster in 3.3.' });
    let updated = await d.waitFor('reviewUpdated', undefined, from);
    assert.equal(updated.review.response?.body, 'Thank you! Handwriting search gets even faster in 3.3.');
    let remote = (await d.connection.services.reviews!.list(LUMEN, {})).items.find((r) => r.id === review.id)!;
    assert.equal(remote.response?.body, 'Thank you! Handwriting search gets even faster in 3.3.');

    from = d.sent.length;
    await d.send({ type: 'reply', reviewId: review.id, text: 'Thanks a lot, and welcome aboard!' });
    updated = await d.waitFor('reviewUpdated', undefined, from);
    assert.equal(updated.notice, 'Response replaced.');
    remote = (await d.connection.services.reviews!.list(LUMEN, {})).items.find((r) => r.id === review.id)!;
    assert.equal(remote.response?.body, 'Thanks a lot, and welcome aboard!');
  });

  it('deletes a response only after the confirmation', async () => {
    const opened = await openReady();
    const d = opened.d;
    const review = opened.reviews.find((r) => r.author === 'mtgnotes_ben')!;
    const start = (await sandboxRequests()).length;
    const declined = answerWarnings(undefined);
    try {
      await d.send({ type: 'deleteResponse', reviewId: review.id });
    } finally {
      declined.restore();
    }
    assert.match(String(declined.calls[0]![0]), /Delete your response to mtgnotes_ben\?/);
    assert.equal((declined.calls[0]![1] as { modal?: boolean }).modal, true);
    assert.deepEqual(await apiRequestsSince(start), []);

    const from = d.sent.length;
    const ok = answerWarnings('Delete Response');
    try {
      await d.send({ type: 'deleteResponse', reviewId: review.id });
    } finally {
      ok.restore();
    }
    const updated = await d.waitFor('reviewUpdated', undefined, from);
    assert.equal(updated.review.response, undefined);
    const remote = (await d.connection.services.reviews!.list(LUMEN, {})).items.find((r) => r.id === review.id)!;
    assert.equal(remote.response, undefined);
  });

  it('a failed reply comes back with the provider\'s message (the webview keeps the text)', async () => {
    const opened = await openReady();
    const d = opened.d;
    const review = opened.reviews.find((r) => r.author === 'Camille_L')!;
    await fetch(`${sandboxOrigin()}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prefix: '/asc', pathIncludes: '/v1/customerReviewResponses', kind: 'status', status: 409, body: { errors: [{ status: '409', code: 'STATE_ERROR', title: 'The response cannot be saved.', detail: 'Responses are paused for this app while its listing is reviewed.' }] } }),
    });
    let from = d.sent.length;
    await d.send({ type: 'reply', reviewId: review.id, text: 'Merci Camille !' });
    const failed = await d.waitFor('replyFailed', undefined, from);
    assert.equal(failed.reviewId, review.id);
    assert.match(failed.error.message, /App Store Connect/);
    assert.match(failed.error.message, /Responses are paused/);
    // Too long: refused before any request, with the limit named.
    const start = (await sandboxRequests()).length;
    from = d.sent.length;
    await d.send({ type: 'reply', reviewId: review.id, text: 'x'.repeat(REPLY_MAX_CHARS + 1) });
    const tooLong = await d.waitFor('replyFailed', undefined, from);
    assert.match(tooLong.error.message, /at most 5970/);
    assert.deepEqual(await apiRequestsSince(start), []);
  });

  it('pages with Load More under the current filter', async () => {
    const { d } = await openReady({
      wrap: (conn) => {
        const real = conn.services.reviews!;
        const reviews: ReviewsService = { ...real, list: (app, filter, opts) => (real.list as (a: AppSummary, f: object, o: object) => ReturnType<ReviewsService['list']>)(app, filter, { ...opts, limit: 3 }) };
        return Object.assign(Object.create(conn) as Connection, { services: { ...conn.services, reviews } });
      },
    });
    const first = d.sent.find((m) => m.type === 'reviews') as Extract<Msg, { type: 'reviews' }>;
    assert.equal(first.items.length, 3);
    assert.equal(first.hasMore, true);
    const seen = [...first.items];
    for (let i = 0; i < 5; i++) {
      const from = d.sent.length;
      await d.send({ type: 'loadMore' });
      const page: Extract<Msg, { type: 'reviews' }> = await d.waitFor('reviews', undefined, from);
      assert.equal(page.append, true);
      seen.push(...page.items);
      if (!page.hasMore) break;
    }
    assert.equal(seen.length, 8);
    assert.equal(new Set(seen.map((r) => r.id)).size, 8);
    // A new filter starts from its first page.
    const from = d.sent.length;
    await d.send({ type: 'setFilter', filter: { rating: 5 } });
    const filtered = await d.waitFor('reviews', undefined, from);
    assert.equal(filtered.append, false);
    assert.ok(filtered.items.every((r) => r.rating === 5));
  });

  it('ignores malformed or unknown messages without calling the API', async () => {
    const { d } = await openReady();
    const start = (await sandboxRequests()).length;
    const sentBefore = d.sent.length;
    const ok = answerWarnings('Delete Response');
    try {
      for (const bad of [
        { type: 'reply', reviewId: 'r1' },
        { type: 'deleteResponse', reviewId: 'not loaded' },
        { type: 'setFilter', filter: { rating: 7 } },
        { type: 'setFilter', filter: { territory: 'united states' } },
        { type: 'setFilter', filter: { sort: 'newest', extra: 1 } },
        { type: 'reply', reviewId: 'x', text: 'x'.repeat(25_000) },
        { type: 'openExternal', url: 'https://example.com' }, 42,
      ]) await d.send(bad);
    } finally {
      ok.restore();
    }
    assert.equal(ok.calls.length, 0);
    assert.deepEqual(await apiRequestsSince(start), []);
    assert.equal(d.sent.length, sentBefore);
  });
});
