import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isProviderError } from '../../../../src/core/errors';
import type { AscConnection } from '../../../../src/providers/asc';
import { fieldOfPointer, hasCode, parseAppleErrors } from '../../../../src/providers/asc/client';
import { parseTsv, reportDateFor } from '../../../../src/providers/asc/reports';
import { LUMEN, app, ascRequests, connect, useHarness, type Harness } from './helpers';

const lumen = app(LUMEN, 'Lumen Notes');
const json = { 'content-type': 'application/json' };

describe('asc errors and reports', () => {
  let h: Harness;
  let conn: AscConnection;
  useHarness((started) => (h = started), { connectEachTest: (c) => (conn = c) });

  it('parses Apple\'s error envelope: codes, details, pointers and associated errors', () => {
    const body = {
      errors: [
        {
          status: '409',
          code: 'STATE_ERROR',
          title: 'The request cannot be fulfilled because of the state of another resource.',
          detail: 'Submit for review errors found.',
          meta: { associatedErrors: { '/v1/appScreenshots/': [{ code: 'STATE_ERROR.SCREENSHOT_REQUIRED.APP_WATCH_SERIES_4', status: '409', title: 'Screenshots required' }] } },
        },
        { status: '409', code: 'ENTITY_ERROR.ATTRIBUTE.REQUIRED', title: 'missing', detail: 'You must provide a value for usesNonExemptEncryption', source: { pointer: '/data/attributes/usesNonExemptEncryption' } },
        { status: '400', code: 'PARAMETER_ERROR.INVALID', title: 'bad', detail: "'9' is not valid", source: { parameter: 'filter[rating]' } },
      ],
    };
    const { codes, details, fieldErrors } = parseAppleErrors(body);
    assert.ok(hasCode(codes, 'STATE_ERROR'));
    assert.ok(hasCode(codes, 'ENTITY_ERROR'));
    assert.ok(!hasCode(codes, 'ENTITY'));
    assert.deepEqual(details, ['Submit for review errors found.', 'Screenshots required', 'You must provide a value for usesNonExemptEncryption', "'9' is not valid"]);
    assert.deepEqual(fieldErrors, { usesNonExemptEncryption: ['You must provide a value for usesNonExemptEncryption'], 'filter[rating]': ["'9' is not valid"] });
    assert.equal(fieldOfPointer('/data/attributes/keywords'), 'keywords');
    assert.equal(fieldOfPointer('/data/relationships/build/data'), 'build');
  });

  it('403 missing agreements → AuthError telling the Account Holder to accept them', async () => {
    h.sandbox.addFault({
      prefix: '/asc',
      kind: 'status',
      status: 403,
      headers: json,
      body: { errors: [{ status: '403', code: 'FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED', title: 'A required agreement is missing or has expired.', detail: 'This request requires an in-effect agreement that has not been signed or has expired.' }] },
    });
    await assert.rejects(conn.listApps({}), (e: unknown) => {
      assert.ok(isProviderError(e));
      assert.equal(e.kind, 'auth');
      assert.match(e.message, /agreements/);
      assert.match(e.hint, /Account Holder must review and accept/);
      assert.deepEqual(e.details, ['This request requires an in-effect agreement that has not been signed or has expired.']);
      return true;
    });
  });

  it('429 → RateLimitError with a retry time; a GET waits and retries, a POST is sent again once', async () => {
    const rate = { errors: [{ status: '429', code: 'RATE_LIMIT_EXCEEDED', title: 'The request rate limit has been reached.' }] };
    h.sandbox.addFault({ prefix: '/asc', kind: 'status', status: 429, headers: { ...json, 'retry-after': '1' }, body: rate });
    const from = h.sandbox.requests().length;
    const apps = await conn.listApps({});
    assert.ok(apps.items.length > 0);
    assert.deepEqual(ascRequests(h, from).map((r) => r.status), [429, 200]);

    const page = await conn.services.reviews.list(lumen, { answered: false });
    const review = page.items.find((r) => !r.response)!;
    h.sandbox.addFault({ prefix: '/asc', pathIncludes: 'customerReviewResponses', kind: 'status', status: 429, headers: { ...json, 'retry-after': '1' }, body: rate });
    const from2 = h.sandbox.requests().length;
    const res = await conn.services.reviews.reply(lumen, review, 'Thanks!');
    assert.ok(res?.id);
    assert.deepEqual(ascRequests(h, from2).map((r) => `${r.method} ${r.status}`), ['POST 429', 'POST 201']);

    h.sandbox.addFault({ prefix: '/asc', kind: 'status', status: 429, times: 5, headers: { ...json, 'retry-after': '3600' }, body: rate });
    await assert.rejects(conn.listApps({}), (e: unknown) => isProviderError(e) && e.kind === 'rateLimit' && e.retryAt instanceof Date && e.retryAt.getTime() > Date.now() + 3_000_000);
  });

  it('retries a GET after a 5xx but never a POST', async () => {
    h.sandbox.addFault({ prefix: '/asc', kind: 'status', status: 502, headers: { 'content-type': 'text/plain' }, body: 'Could not process this request' });
    const from = h.sandbox.requests().length;
    await conn.listApps({});
    assert.deepEqual(ascRequests(h, from).map((r) => r.status), [502, 200]);

    const page = await conn.services.reviews.list(lumen, { answered: false });
    const review = page.items.find((r) => !r.response)!;
    h.sandbox.addFault({ prefix: '/asc', pathIncludes: 'customerReviewResponses', kind: 'status', status: 500, headers: { 'content-type': 'text/plain' }, body: 'Could not process this request' });
    const from2 = h.sandbox.requests().length;
    await assert.rejects(conn.services.reviews.reply(lumen, review, 'Thanks!'), (e: unknown) => isProviderError(e) && e.kind === 'transient' && /Could not process this request/.test(e.message));
    assert.equal(ascRequests(h, from2).length, 1);
  });

  it('406 in plain text → a ProtocolError quoting Apple\'s words', async () => {
    h.sandbox.addFault({ prefix: '/asc', kind: 'status', status: 406, headers: { 'content-type': 'text/plain' }, body: 'The requested response type is not acceptable.' });
    await assert.rejects(conn.listApps({}), (e: unknown) => isProviderError(e) && e.kind === 'protocol' && /requested format \(406\): The requested response type is not acceptable/.test(e.message));
  });

  it('a malformed body is a ProtocolError, not a crash', async () => {
    h.sandbox.addFault({ prefix: '/asc', kind: 'malformed' });
    await assert.rejects(conn.listApps({}), (e: unknown) => isProviderError(e) && e.kind === 'protocol');
    h.sandbox.addFault({ prefix: '/asc', kind: 'status', status: 200, headers: json, body: { data: [{ type: 'apps', id: 1 }] } });
    await assert.rejects(conn.listApps({}), (e: unknown) => isProviderError(e) && e.kind === 'protocol' && /data\[0\]\.id: expected string/.test(e.message));
  });

  it('downloads a gzipped sales report and parses it into a table with numeric columns', async () => {
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const from = h.sandbox.requests().length;
    const report = await conn.services.reports.salesReport({ vendorNumber: h.creds.vendorNumber, date: yesterday, frequency: 'DAILY' });
    const path = ascRequests(h, from)[0]!.path;
    assert.match(path, /filter%5BreportType%5D=SALES/);
    assert.match(path, /filter%5BreportSubType%5D=SUMMARY/);
    assert.match(path, /filter%5Bfrequency%5D=DAILY/);
    assert.equal(report.columns[0], 'Provider');
    assert.deepEqual(report.numericColumns, ['Units', 'Developer Proceeds', 'Customer Price']);
    assert.ok(report.rows.length > 10);
    assert.ok(report.rows.every((r) => r.length === report.columns.length));
    const units = report.columns.indexOf('Units');
    assert.ok(report.rows.every((r) => /^\d+$/.test(r[units]!)));
    assert.ok(report.rows.some((r) => r.includes('Lumen Notes')));

    const monthly = await conn.services.reports.salesReport({ vendorNumber: h.creds.vendorNumber, date: '2025-03-15', frequency: 'MONTHLY' });
    assert.ok(monthly.rows.length > 0);
    await assert.rejects(conn.services.reports.salesReport({ vendorNumber: 'abc', date: yesterday, frequency: 'DAILY' }), (e: unknown) => isProviderError(e) && e.kind === 'validation' && !!e.fieldErrors?.vendorNumber);
    await assert.rejects(
      conn.services.reports.salesReport({ vendorNumber: h.creds.vendorNumber, date: new Date().toISOString().slice(0, 10), frequency: 'DAILY' }),
      (e: unknown) => isProviderError(e) && e.kind === 'notFound' && /no sales report/.test(e.message),
    );
  });

  it('refuses sales reports for individual keys with a hint about team keys', async () => {
    const { conn: individual } = connect(h, { individual: true });
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await assert.rejects(individual.services.reports.salesReport({ vendorNumber: h.creds.vendorNumber, date: yesterday, frequency: 'DAILY' }), (e: unknown) => isProviderError(e) && e.kind === 'auth' && /team key/.test(e.hint));
    individual.dispose();
  });

  it('parses report dates and TSV edge cases', () => {
    assert.equal(reportDateFor('DAILY', '2025-03-15'), '2025-03-15');
    assert.equal(reportDateFor('MONTHLY', '2025-03-15'), '2025-03');
    assert.equal(reportDateFor('YEARLY', '2025-03'), '2025');
    assert.throws(() => reportDateFor('DAILY', '2025-03'), /YYYY-MM-DD/);
    assert.throws(() => reportDateFor('DAILY', 'March'), /not a valid date/);
    const t = parseTsv('\uFEFFA\tUnits\r\nx\t3\r\ny\n\n');
    assert.deepEqual(t, { columns: ['A', 'Units'], rows: [['x', '3'], ['y', '']], numericColumns: ['Units'] });
  });

  it('summarizes power and performance metrics (xcode-metrics JSON)', async () => {
    const m = await conn.services.reports.metrics(lumen);
    const launch = m.categories.find((c) => c.id === 'LAUNCH')!;
    assert.equal(launch.label, 'Launch');
    const lt = launch.metrics.find((x) => x.id === 'launchTime')!;
    assert.equal(lt.unit, 'ms');
    assert.equal(lt.label, 'Launch time');
    assert.equal(lt.latest?.version, '3.2.0');
    assert.ok(typeof lt.latest?.value === 'number' && lt.latest.value > 0);
    assert.ok(m.categories.length >= 5);
  });
});
