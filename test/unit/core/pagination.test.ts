import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CancelledError, ProtocolError } from '../../../src/core/errors';
import { collect, followLinksNext, limitOffset } from '../../../src/core/pagination';

type Page = { data: number[]; links: { next?: string | null } };

describe('followLinksNext', () => {
  const api = 'https://api.appstoreconnect.apple.com';
  const pages: Record<string, Page> = {
    [`${api}/v1/apps?limit=2`]: { data: [1, 2], links: { next: `${api}/v1/apps?cursor=A&limit=2` } },
    [`${api}/v1/apps?cursor=A&limit=2`]: { data: [3, 4], links: { next: '/v1/apps?cursor=B&limit=2' } },
    [`${api}/v1/apps?cursor=B&limit=2`]: { data: [5], links: { next: null } },
  };
  const fetchPage = async (url: string) => {
    const p = pages[url];
    if (!p) throw new Error(`unexpected ${url}`);
    return p;
  };

  it('follows absolute and relative next links until there is none', async () => {
    const seen: number[][] = [];
    for await (const page of followLinksNext('/v1/apps?limit=2', fetchPage, { apiOrigin: `${api}/`, provider: 'App Store Connect' })) seen.push(page.data);
    assert.deepEqual(seen, [[1, 2], [3, 4], [5]]);
    const all = await collect(followLinksNext(`${api}/v1/apps?limit=2`, fetchPage, { apiOrigin: api, provider: 'x' }), (p) => p.data);
    assert.deepEqual(all, [1, 2, 3, 4, 5]);
  });

  it('refuses a next link on another origin without fetching it', async () => {
    const requested: string[] = [];
    for (const evil of ['https://evil.example/v1/apps?cursor=x', 'http://api.appstoreconnect.apple.com/v1/apps', 'https://api.appstoreconnect.apple.com:8443/v1', '//evil.example/x']) {
      requested.length = 0;
      const it = followLinksNext(`${api}/v1/apps`, async (url) => (requested.push(url), { data: [], links: { next: evil } }), { apiOrigin: api, provider: 'App Store Connect' });
      await assert.rejects(collect(it, (p) => p.data), (e) => {
        assert.ok(e instanceof ProtocolError);
        assert.match(e.message, /^App Store Connect sent a next-page link to another server/);
        assert.match(e.message, /credentials were not sent there/);
        return true;
      }, evil);
      assert.deepEqual(requested, [`${api}/v1/apps`], evil);
    }
  });

  it('stops on a loop or too many pages, and on cancellation', async () => {
    const loop = followLinksNext(`${api}/a`, async () => ({ data: [1], links: { next: '/a' } }), { apiOrigin: api, provider: 'p' });
    await assert.rejects(collect(loop, (p) => p.data), /already read/);
    let n = 0;
    const endless = followLinksNext(`${api}/0`, async () => ({ data: [], links: { next: `/${++n}` } }), { apiOrigin: api, provider: 'p', maxPages: 5 });
    await assert.rejects(collect(endless, (p) => p.data), /stopped after 5 pages/);
    const cancelled = followLinksNext(`${api}/0`, fetchPage, { apiOrigin: api, provider: 'p', signal: AbortSignal.abort() });
    await assert.rejects(collect(cancelled, (p) => p.data), CancelledError);
  });

  it('supports a custom getNext (e.g. Apptentive ends_with/has_more)', async () => {
    const got = await collect(
      followLinksNext('https://data.apptentive.com/raw/v2/apps/1/messages', async (url) => ({ items: [url.slice(-1)], has_more: !url.includes('starts_after'), ends_with: 'z' }), {
        apiOrigin: 'https://data.apptentive.com',
        provider: 'Apptentive',
        getNext: (p) => (p.has_more ? `?starts_after=${p.ends_with}` : undefined),
      }),
      (p) => p.items,
    );
    assert.deepEqual(got, ['s', 'z']);
  });
});

describe('limitOffset', () => {
  const items = Array.from({ length: 2450 }, (_, i) => i);
  const fetchFactory = (withTotal: boolean) => {
    const state = { active: 0, peak: 0, offsets: [] as number[] };
    const fetchPage = async (offset: number, limit: number) => {
      state.offsets.push(offset);
      state.peak = Math.max(state.peak, ++state.active);
      await new Promise((r) => setTimeout(r, offset === 1000 ? 15 : 2)); // out-of-order completion
      state.active--;
      return { data: items.slice(offset, offset + limit), meta: withTotal ? { total_items: items.length } : {} };
    };
    return { state, fetchPage };
  };

  it('fetches remaining pages in parallel once the total is known, yielding in order', async () => {
    const { state, fetchPage } = fetchFactory(true);
    const pages = limitOffset({ limit: 500, fetchPage, provider: 'AppsFlyer', totalOf: (p) => p.meta.total_items, countOf: (p) => p.data.length, concurrency: 3 });
    const all = await collect(pages, (p) => p.data);
    assert.deepEqual(all, items);
    assert.deepEqual(state.offsets.sort((a, b) => a - b), [0, 500, 1000, 1500, 2000]);
    assert.equal(state.peak, 3);
  });

  it('without a total, pages sequentially until a short page', async () => {
    const { state, fetchPage } = fetchFactory(false);
    const all = await collect(limitOffset({ limit: 1000, fetchPage, provider: 'AppsFlyer', countOf: (p) => p.data.length }), (p) => p.data);
    assert.equal(all.length, 2450);
    assert.equal(state.peak, 1);
    assert.deepEqual(state.offsets, [0, 1000, 2000]);
  });

  it('a consumer that stops early leaves no unhandled rejection', async () => {
    const fetchPage = async (offset: number) => {
      if (offset > 0) throw new Error('page failed');
      return { n: 10 };
    };
    for await (const p of limitOffset({ limit: 1, fetchPage, provider: 'p', totalOf: (x) => x.n, countOf: () => 1, concurrency: 4 })) {
      assert.deepEqual(p, { n: 10 });
      break;
    }
    await new Promise((r) => setTimeout(r, 10));
  });
});
