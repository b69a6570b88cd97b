// Sales reports (gzipped TSV), power & performance metrics, and the per-minute rate limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { startAsc, sign, LUMEN } from './helpers';

const SALES = '/v1/salesReports?filter[vendorNumber]=85012345&filter[reportType]=SALES&filter[reportSubType]=SUMMARY&filter[frequency]=DAILY';
const GZ = { accept: 'application/a-gzip' };

test('sales report: gzipped TSV with the Summary Sales header; required filters; Accept; individual keys', async () => {
  const h = await startAsc();
  try {
    const res = await h.call(SALES, { headers: GZ });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/a-gzip');
    const tsv = gunzipSync(Buffer.from(await res.arrayBuffer())).toString('utf8');
    const lines = tsv.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
    assert.deepEqual(lines[0]!.slice(0, 8), ['Provider', 'Provider Country', 'SKU', 'Developer', 'Title', 'Version', 'Product Type Identifier', 'Units']);
    assert.equal(lines[0]!.length, 28);
    assert.ok(lines.length > 10);
    assert.ok(lines.slice(1).every((l) => l.length === 28));
    assert.ok(lines.some((l) => l[4] === 'Lumen Notes' && l[6] === '1F' && l[14] === LUMEN));
    // Same request, same report.
    const again = gunzipSync(Buffer.from(await (await h.call(SALES, { headers: GZ })).arrayBuffer())).toString('utf8');
    assert.equal(again, tsv);

    const monthly = await h.call(SALES.replace('DAILY', 'MONTHLY') + '&filter[reportDate]=2024-02', { headers: GZ });
    assert.equal(monthly.status, 200);
    const mLines = gunzipSync(Buffer.from(await monthly.arrayBuffer())).toString('utf8').split('\n');
    assert.match(mLines[1]!, /\t02\/01\/2024\t02\/29\/2024\t/);

    const missing = await h.json('/v1/salesReports?filter[vendorNumber]=85012345&filter[reportType]=SALES&filter[frequency]=DAILY', { headers: GZ });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.errors[0].code, 'PARAMETER_ERROR.REQUIRED');
    assert.deepEqual(missing.body.errors[0].source, { parameter: 'filter[reportSubType]' });
    const badDate = await h.json(SALES + '&filter[reportDate]=2024-02', { headers: GZ });
    assert.equal(badDate.status, 400);
    const future = await h.json(SALES + '&filter[reportDate]=2999-01-01', { headers: GZ });
    assert.equal(future.status, 404);

    const json = await h.call(SALES, { headers: { accept: 'application/json' } });
    assert.equal(json.status, 406);
    assert.match(json.headers.get('content-type') ?? '', /^text\/plain/);
    assert.doesNotThrow(() => assert.ok((json.headers.get('x-rate-limit') ?? '').startsWith('user-hour-lim')));

    const ind = h.creds.individual;
    const token = await sign(ind.privateKey, { sub: 'user', aud: 'appstoreconnect-v1' }, { kid: ind.keyId });
    const forbidden = await h.json(SALES, { auth: token, headers: GZ });
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.body.errors[0].code, 'FORBIDDEN_ERROR');
  } finally {
    await h.close();
  }
});

test('perfPowerMetrics: xcode-metrics JSON, not JSON:API', async () => {
  const h = await startAsc();
  try {
    const res = await h.call(`/v1/apps/${LUMEN}/perfPowerMetrics?filter[metricType]=LAUNCH,HANG`, { headers: { accept: 'application/vnd.apple.xcode-metrics+json' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/vnd.apple.xcode-metrics+json');
    const body = await res.json() as { data?: unknown; productData: { platform: string; metricCategories: { identifier: string; metrics: { datasets: { points: { version: string; value: number }[] }[] }[] }[] }[]; insights: { regressions: unknown[] } };
    assert.equal(body.data, undefined);
    assert.equal(body.productData[0]!.platform, 'IOS');
    assert.deepEqual(body.productData[0]!.metricCategories.map((c) => c.identifier), ['LAUNCH', 'HANG']);
    assert.ok(body.productData[0]!.metricCategories[0]!.metrics[0]!.datasets[0]!.points.length >= 2);
    assert.equal(body.insights.regressions.length, 1);
    assert.equal((await h.call(`/v1/apps/${LUMEN}/perfPowerMetrics?filter[metricType]=SPEED`)).status, 400);
  } finally {
    await h.close();
  }
});

test('more than 300 requests a minute per key → 429 RATE_LIMIT_EXCEEDED, counted; the window rolls on the sandbox clock', async () => {
  const h = await startAsc({ clockScale: 1 });
  try {
    const token = await h.token();
    let last: Response | undefined;
    for (let batch = 0; batch < 6; batch++) {
      const results = await Promise.all(Array.from({ length: 50 }, () => h.call('/v1/territories?limit=1', { auth: token })));
      assert.ok(results.every((r) => r.status === 200));
      await Promise.all(results.map((r) => r.arrayBuffer()));
      last = results[results.length - 1];
    }
    assert.ok(last);
    const limited = await h.json('/v1/territories?limit=1', { auth: token });
    assert.equal(limited.status, 429);
    const { id, ...rest } = limited.body.errors[0];
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(rest, {
      status: '429', code: 'RATE_LIMIT_EXCEEDED', title: 'The request rate limit has been reached.',
      detail: "We've received too many requests for this API. Please wait and try again or slow down your request rate.",
    });
    assert.equal(limited.res.headers.get('x-rate-limit'), 'user-hour-lim:3600;user-hour-rem:3300;');
    assert.equal((await h.json('/v1/territories?limit=1', { auth: token })).status, 429);
    assert.equal(h.asc.rateLimitedCount(), 2);
    assert.equal(h.asc.stats().rateLimited, 2);

    // Another key has its own budget.
    const ind = h.creds.individual;
    const other = await sign(ind.privateKey, { sub: 'user', aud: 'appstoreconnect-v1' }, { kid: ind.keyId });
    assert.equal((await h.call('/v1/territories?limit=1', { auth: other })).status, 200);

    // Speed the rate-limit clock up: the minute has passed, the hour has not.
    h.sandbox.options.clockScale = 1000;
    await new Promise((r) => setTimeout(r, 80));
    const again = await h.json('/v1/territories?limit=1', { auth: token });
    assert.equal(again.status, 200);
    assert.equal(again.res.headers.get('x-rate-limit'), 'user-hour-lim:3600;user-hour-rem:3299;');

    h.sandbox.reset();
    assert.equal(h.asc.rateLimitedCount(), 0);
  } finally {
    await h.close();
  }
});
