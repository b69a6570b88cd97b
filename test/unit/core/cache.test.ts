import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpCache, parseCacheControl } from '../../../src/core/cache';
import { ManualClock } from '../../../src/core/clock';

const res = (headers: Record<string, string>, body = '{"a":1}', status = 200) => ({ status, headers, body: Buffer.from(body), url: 'https://x/y' });

describe('HttpCache', () => {
  it('parseCacheControl', () => {
    assert.deepEqual(parseCacheControl('private, max-age=60'), { noStore: false, noCache: false, maxAge: 60 });
    assert.deepEqual(parseCacheControl('No-Store'), { noStore: true, noCache: false });
    assert.deepEqual(parseCacheControl('no-cache, max-age="5"'), { noStore: false, noCache: true, maxAge: 5 });
    assert.deepEqual(parseCacheControl('max-age=abc'), { noStore: false, noCache: false });
    assert.deepEqual(parseCacheControl(undefined), { noStore: false, noCache: false });
  });

  it('stores validators and sends them back; serves while max-age holds', async () => {
    const clock = new ManualClock(0);
    const cache = new HttpCache({ clock });
    const key = HttpCache.key('https://x/y', 'acct1', 'application/json');
    cache.store(key, res({ etag: '"v1"', 'last-modified': 'Wed, 21 Oct 2015 07:28:00 GMT', 'cache-control': 'max-age=30' }));
    const hit = cache.lookup(key);
    assert.equal(hit?.fresh, true);
    assert.equal(hit?.entry.body.toString(), '{"a":1}');
    assert.deepEqual(HttpCache.conditionalHeaders(hit!.entry), { 'if-none-match': '"v1"', 'if-modified-since': 'Wed, 21 Oct 2015 07:28:00 GMT' });
    await clock.advance(30_000);
    assert.equal(cache.lookup(key)?.fresh, false);
  });

  it('subtracts Age, and treats no-cache as always revalidate', () => {
    const clock = new ManualClock(0);
    const cache = new HttpCache({ clock });
    cache.store('a', res({ 'cache-control': 'max-age=60', age: '60' }));
    assert.equal(cache.lookup('a')?.fresh, false);
    cache.store('b', res({ 'cache-control': 'no-cache, max-age=60', etag: 'W/"1"' }));
    assert.equal(cache.lookup('b')?.fresh, false);
    assert.equal(cache.lookup('b')?.entry.etag, 'W/"1"');
  });

  it('does not store no-store, non-200 or unvalidatable responses', () => {
    const cache = new HttpCache();
    cache.store('a', res({ etag: '"1"', 'cache-control': 'no-store' }));
    cache.store('b', res({ etag: '"1"' }, '', 201));
    cache.store('c', res({ 'content-type': 'application/json' }));
    assert.equal(cache.size, 0);
    cache.store('d', res({ etag: '"1"' }));
    cache.store('d', res({ etag: '"2"', 'cache-control': 'no-store' }));
    assert.equal(cache.lookup('d'), undefined, 'no-store evicts an earlier copy');
  });

  it('revalidated() refreshes freshness and metadata after a 304', async () => {
    const clock = new ManualClock(0);
    const cache = new HttpCache({ clock });
    cache.store('k', res({ etag: '"1"', 'content-length': '7', 'cache-control': 'max-age=10' }));
    await clock.advance(20_000);
    assert.equal(cache.lookup('k')?.fresh, false);
    const e = cache.revalidated('k', { etag: '"2"', 'cache-control': 'max-age=10', 'content-length': '0' });
    assert.equal(e?.etag, '"2"');
    assert.equal(e?.headers['content-length'], '7');
    assert.equal(e?.body.toString(), '{"a":1}');
    assert.equal(cache.lookup('k')?.fresh, true);
    assert.equal(cache.revalidated('missing', {}), undefined);
  });

  it('evicts least recently used entries by count and by bytes', () => {
    const cache = new HttpCache({ maxEntries: 2, maxBytes: 20 });
    cache.store('a', res({ etag: '1' }, 'aaaa'));
    cache.store('b', res({ etag: '1' }, 'bbbb'));
    cache.lookup('a');
    cache.store('c', res({ etag: '1' }, 'cccc'));
    assert.ok(cache.lookup('a') && cache.lookup('c'));
    assert.equal(cache.lookup('b'), undefined);
    cache.store('d', res({ etag: '1' }, 'd'.repeat(18)));
    assert.equal(cache.size, 1);
    cache.store('e', res({ etag: '1' }, 'e'.repeat(21)));
    assert.equal(cache.lookup('e'), undefined, 'larger than the whole cache');
  });

  it('keys include the credential; clear(credential) forgets one account', () => {
    const cache = new HttpCache();
    const k1 = HttpCache.key('https://x/y', 'acct1');
    const k2 = HttpCache.key('https://x/y', 'acct2');
    assert.notEqual(k1, k2);
    cache.store(k1, res({ etag: '1' }));
    cache.store(k2, res({ etag: '1' }));
    cache.clear('acct1');
    assert.equal(cache.lookup(k1), undefined);
    assert.ok(cache.lookup(k2));
    cache.clear();
    assert.equal(cache.size, 0);
  });
});
