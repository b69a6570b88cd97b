import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthError, ValidationError, TransientError, CancelledError } from '../../../src/core/errors';
import type { NewTester, Tester } from '../../../src/providers/services';
import type { AppSummary } from '../../../src/providers/types';
import {
  isAlreadyThere, isFatal, MAX_CSV_CHARS, MAX_CSV_ROWS, newTesterProblems, parseTestFlightRequest, parseTesterCsv, runBulkAdd, splitCsvLine,
  type BulkRowResult,
} from '../../../src/protocol/testflight';

const app: AppSummary = { id: 'app1', name: 'Lumen' };

describe('TestFlight protocol: messages', () => {
  it('accepts every well-formed request', () => {
    assert.deepEqual(parseTestFlightRequest({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseTestFlightRequest({ type: 'ready', groupId: 'g1' }), { type: 'ready', groupId: 'g1' });
    assert.deepEqual(parseTestFlightRequest({ type: 'ready', groupId: null }), { type: 'ready', groupId: null });
    // A restored group that does not validate is dropped, not the handshake.
    assert.deepEqual(parseTestFlightRequest({ type: 'ready', groupId: 5 }), { type: 'ready' });
    assert.deepEqual(parseTestFlightRequest({ type: 'ready', groupId: '' }), { type: 'ready' });
    for (const type of ['refresh', 'loadMoreTesters', 'cancelBulk', 'loadFeedback', 'loadMoreFeedback']) assert.deepEqual(parseTestFlightRequest({ type }), { type });
    assert.deepEqual(parseTestFlightRequest({ type: 'selectGroup', groupId: null }), { type: 'selectGroup', groupId: null });
    assert.deepEqual(
      parseTestFlightRequest({ type: 'addTester', email: 'a@b.co', firstName: 'A', lastName: '', groupId: 'g1' }),
      { type: 'addTester', email: 'a@b.co', firstName: 'A', lastName: '', groupId: 'g1' },
    );
    assert.deepEqual(parseTestFlightRequest({ type: 'removeTester', testerId: 't1', groupId: null }), { type: 'removeTester', testerId: 't1', groupId: null });
    assert.deepEqual(parseTestFlightRequest({ type: 'bulkAdd', csv: 'a@b.co', groupId: 'g1' }), { type: 'bulkAdd', csv: 'a@b.co', groupId: 'g1' });
    assert.deepEqual(parseTestFlightRequest({ type: 'openCrashLog', entryId: 'c1' }), { type: 'openCrashLog', entryId: 'c1' });
  });

  it('rejects malformed, unknown and oversized messages', () => {
    for (const bad of [
      undefined, null, 'ready', [], {}, { type: 'addTesters' },
      { type: 'selectGroup' }, { type: 'selectGroup', groupId: 'a b' }, { type: 'selectGroup', groupId: { id: 'g' } },
      { type: 'addTester', email: 'a@b.co', firstName: 'A', lastName: 'B' },
      { type: 'addTester', email: 'a@b.co', firstName: 'A', groupId: null },
      { type: 'addTester', email: 'x'.repeat(321), firstName: '', lastName: '', groupId: null },
      { type: 'addTester', email: 'a@b.co', firstName: 'x'.repeat(101), lastName: '', groupId: null },
      { type: 'addTester', email: ['a@b.co'], firstName: '', lastName: '', groupId: null },
      { type: 'removeTester', testerId: 't1' }, { type: 'removeTester', groupId: null }, { type: 'removeTester', testerId: '', groupId: null },
      { type: 'bulkAdd', csv: 'a@b.co' }, { type: 'bulkAdd', csv: 5, groupId: null }, { type: 'bulkAdd', csv: 'x'.repeat(MAX_CSV_CHARS + 1), groupId: null },
      { type: 'openCrashLog' }, { type: 'openCrashLog', entryId: '../../etc/passwd x' },
    ]) {
      assert.equal(parseTestFlightRequest(bad), undefined, JSON.stringify(bad)?.slice(0, 120));
    }
  });

  it('validates the single add form', () => {
    assert.deepEqual(newTesterProblems({ email: ' ada@example.com ', firstName: 'Ada', lastName: '' }), {});
    assert.deepEqual(Object.keys(newTesterProblems({ email: '', firstName: '', lastName: '' })), ['email']);
    assert.match(newTesterProblems({ email: 'ada@', firstName: '', lastName: '' }).email ?? '', /not a valid email/);
    assert.deepEqual(Object.keys(newTesterProblems({ email: 'a@b.co', firstName: 'x'.repeat(101), lastName: 'y'.repeat(101) })), ['firstName', 'lastName']);
  });
});

describe('TestFlight protocol: CSV', () => {
  it('splits commas, tabs and quoted cells', () => {
    assert.deepEqual(splitCsvLine('a@b.co, Ada , Lovelace'), ['a@b.co', 'Ada', 'Lovelace']);
    assert.deepEqual(splitCsvLine('a@b.co\tAda\tLovelace'), ['a@b.co', 'Ada', 'Lovelace']);
    assert.deepEqual(splitCsvLine('a@b.co;Ada;Lovelace'), ['a@b.co', 'Ada', 'Lovelace']);
    assert.deepEqual(splitCsvLine('"a@b.co","Doe, Jr.","say ""hi"""'), ['a@b.co', 'Doe, Jr.', 'say "hi"']);
    assert.deepEqual(splitCsvLine('a@b.co'), ['a@b.co']);
  });

  it('parses rows without a header, skipping blanks and comments, with line numbers', () => {
    const { rows, error } = parseTesterCsv('\uFEFFada@example.com,Ada,Lovelace\r\n\r\n# a comment\ngrace@example.com,Grace\nlinus@example.com\n');
    assert.equal(error, undefined);
    assert.deepEqual(rows, [
      { line: 1, email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
      { line: 4, email: 'grace@example.com', firstName: 'Grace', lastName: undefined },
      { line: 5, email: 'linus@example.com', firstName: undefined, lastName: undefined },
    ]);
  });

  it('uses an optional header, in any column order', () => {
    const { rows } = parseTesterCsv('Last Name,First Name,Email\nLovelace,Ada,ada@example.com');
    assert.deepEqual(rows, [{ line: 2, email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' }]);
    const plain = parseTesterCsv('email,first,last\nada@example.com,Ada,Lovelace');
    assert.deepEqual(plain.rows.map((r) => r.email), ['ada@example.com']);
  });

  it('flags invalid emails and duplicates without dropping the rows', () => {
    const { rows } = parseTesterCsv('ada@example.com\nnot-an-email,X\n,Nobody\nADA@example.com,Again');
    assert.equal(rows.length, 4);
    assert.equal(rows[0]!.problem, undefined);
    assert.equal(rows[1]!.problem?.status, 'invalid');
    assert.match(rows[1]!.problem!.message, /"not-an-email" is not a valid email/);
    assert.equal(rows[2]!.problem?.status, 'invalid');
    assert.match(rows[2]!.problem!.message, /No email/);
    assert.equal(rows[3]!.problem?.status, 'exists');
    assert.match(rows[3]!.problem!.message, /line 1/);
  });

  it('limits the size of an import', () => {
    const many = Array.from({ length: MAX_CSV_ROWS + 1 }, (_, i) => `t${i}@example.com`).join('\n');
    const r = parseTesterCsv(many);
    assert.match(r.error ?? '', /Too many rows/);
    assert.equal(r.rows.length, MAX_CSV_ROWS);
    assert.match(parseTesterCsv('x'.repeat(MAX_CSV_CHARS + 1)).error ?? '', /too long/);
    assert.deepEqual(parseTesterCsv('').rows, []);
  });
});

/** A fake TestersService.add that records calls and answers per email. */
function fakeService(answer: (t: NewTester) => Promise<Tester> | Tester, delayMs = 2) {
  const calls: NewTester[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  return {
    calls,
    get maxInFlight() { return maxInFlight; },
    async add(_app: AppSummary, t: NewTester, signal?: AbortSignal): Promise<Tester> {
      calls.push(t);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await new Promise((r) => setTimeout(r, delayMs));
        if (signal?.aborted) throw new CancelledError({ provider: 'Test' });
        return await answer(t);
      } finally {
        inFlight--;
      }
    },
  };
}

describe('TestFlight protocol: bulk runner', () => {
  it('reports one result per row: added, already there (known or from the API), invalid, API error', async () => {
    const svc = fakeService((t) => {
      if (t.email === 'dup@example.com') throw new ValidationError({ provider: 'App Store Connect', status: 409, details: ["A tester with the email 'dup@example.com' already exists in this group."] });
      if (t.email === 'boom@example.com') throw new TransientError({ provider: 'App Store Connect', status: 503 });
      return { id: `id-${t.email}`, email: t.email, firstName: t.firstName ?? null };
    });
    const { rows } = parseTesterCsv('ada@example.com,Ada\nknown@example.com\nbad\ndup@example.com\nboom@example.com\nada@example.com');
    const results: BulkRowResult[] = [];
    const added: Tester[] = [];
    const counts = await runBulkAdd(svc, {
      app, groupId: 'g1', rows, signal: new AbortController().signal, existing: new Set(['known@example.com']),
      onResult: (r, t) => { results.push(r); if (t) added.push(t); },
    });
    assert.deepEqual(counts, { added: 1, exists: 3, invalid: 1, failed: 1, cancelled: 0 });
    const byLine = new Map(results.map((r) => [r.line, r]));
    assert.equal(results.length, 6);
    assert.equal(byLine.get(1)!.status, 'added');
    assert.equal(byLine.get(2)!.status, 'exists');
    assert.equal(byLine.get(3)!.status, 'invalid');
    assert.equal(byLine.get(4)!.status, 'exists');
    assert.match(byLine.get(4)!.message ?? '', /already exists/);
    assert.equal(byLine.get(5)!.status, 'failed');
    assert.match(byLine.get(5)!.message ?? '', /App Store Connect is temporarily unavailable \(503\)/);
    assert.equal(byLine.get(6)!.status, 'exists', 'listed twice');
    // Only the rows that needed a request were sent, each with the group.
    assert.deepEqual(svc.calls.map((c) => c.email).sort(), ['ada@example.com', 'boom@example.com', 'dup@example.com']);
    assert.ok(svc.calls.every((c) => c.groupId === 'g1'));
    assert.deepEqual(svc.calls.find((c) => c.email === 'ada@example.com'), { email: 'ada@example.com', firstName: 'Ada', lastName: undefined, groupId: 'g1' });
    assert.deepEqual(added.map((t) => t.email), ['ada@example.com']);
  });

  it('keeps a small, bounded number of requests in flight', async () => {
    const svc = fakeService((t) => ({ id: t.email, email: t.email }), 5);
    const { rows } = parseTesterCsv(Array.from({ length: 20 }, (_, i) => `t${i}@example.com`).join('\n'));
    const counts = await runBulkAdd(svc, { app, groupId: null, rows, signal: new AbortController().signal, concurrency: 3, onResult: () => {} });
    assert.equal(counts.added, 20);
    assert.ok(svc.maxInFlight <= 3 && svc.maxInFlight >= 2, `max in flight ${svc.maxInFlight}`);
    assert.ok(svc.calls.every((c) => c.groupId === undefined));
  });

  it('stops sending when cancelled and reports the rest as not sent', async () => {
    const controller = new AbortController();
    let n = 0;
    const svc = fakeService((t) => {
      if (++n === 3) controller.abort();
      return { id: t.email, email: t.email };
    });
    const { rows } = parseTesterCsv(Array.from({ length: 30 }, (_, i) => `t${i}@example.com`).join('\n'));
    const results: BulkRowResult[] = [];
    const counts = await runBulkAdd(svc, { app, groupId: 'g', rows, signal: controller.signal, concurrency: 1, onResult: (r) => results.push(r) });
    assert.equal(results.length, 30, 'every row has a result');
    assert.equal(counts.added, 3);
    assert.equal(counts.cancelled, 27);
    assert.equal(svc.calls.length, 3, 'no request after the cancel');
    assert.match(results.find((r) => r.status === 'cancelled')!.message ?? '', /cancelled/);
  });

  it('stops after an error that every row would hit (credentials, group choice)', async () => {
    const auth = fakeService(() => { throw new AuthError({ provider: 'App Store Connect', status: 401 }); });
    const { rows } = parseTesterCsv('a@example.com\nb@example.com\nc@example.com');
    const results: BulkRowResult[] = [];
    const counts = await runBulkAdd(auth, { app, groupId: 'g', rows, signal: new AbortController().signal, concurrency: 1, onResult: (r) => results.push(r) });
    assert.equal(counts.failed, 3);
    assert.equal(auth.calls.length, 1);
    assert.match(results[2]!.message ?? '', /^Not sent: App Store Connect rejected the credentials/);

    const group = fakeService(() => { throw new ValidationError({ provider: 'App Store Connect', summary: 'Choose the TestFlight group', fieldErrors: { groupId: ['Choose a group.'] } }); });
    await runBulkAdd(group, { app, groupId: null, rows, signal: new AbortController().signal, concurrency: 1, onResult: () => {} });
    assert.equal(group.calls.length, 1);
  });

  it('recognises duplicate errors and fatal errors', () => {
    assert.ok(isAlreadyThere(new ValidationError({ provider: 'P', status: 409, details: ["A tester with the email 'x@y.z' already exists in this group."] })));
    assert.ok(isAlreadyThere(new ValidationError({ provider: 'P', fieldErrors: { email: ['Duplicate tester'] } })));
    assert.ok(!isAlreadyThere(new ValidationError({ provider: 'P', details: ['Invalid email'] })));
    assert.ok(!isAlreadyThere(new TransientError({ provider: 'P', details: ['already exists'] })), 'only validation errors');
    assert.ok(!isAlreadyThere('already exists'));
    assert.ok(isFatal(new AuthError({ provider: 'P', status: 403 })));
    assert.ok(isFatal(new ValidationError({ provider: 'P', fieldErrors: { groupId: ['Choose a group.'] } })));
    assert.ok(!isFatal(new ValidationError({ provider: 'P', fieldErrors: { email: ['Enter the email.'] } })));
    assert.ok(!isFatal(new TransientError({ provider: 'P' })));
  });
});
