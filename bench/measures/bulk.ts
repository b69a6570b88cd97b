// Bulk add 500 testers to a TestFlight group, the way the TestFlight panel's CSV import does it (parseTesterCsv,
// the existing-members pre-check, runBulkAdd with the panel's concurrency), against App Store Connect's cap of
// 300 requests a minute. The sandbox scales its rate-limit clock (`clockScale`) and the client's limiter runs on
// the same scaled clock, so a minute of API time passes in 60/scale real seconds.
//
// Throughput is measured where Apple counts: from the sandbox's request log, each span of 300 consecutive
// requests should take one minute when the client uses the cap fully (shorter would earn 429s, longer leaves
// capacity unused). Figure: one minute ÷ the mean span, i.e. the share of the cap used; a stall (a 429 and its
// wait) lengthens every span across it, so it shows.
import { performance } from 'node:perf_hooks';
import { BULK_CONCURRENCY, parseTesterCsv, runBulkAdd, type BulkCounts } from '../../src/protocol/testflight';
import type { AppSummary } from '../../src/providers/types';
import { connectAsc } from '../lib/accounts';
import { startRemoteSandbox } from '../lib/remoteSandbox';
import { fmt, main, type MeasureResult } from '../lib/result';
import { scaledClock } from '../lib/scaledClock';
import { numberFlag, summarize } from '../lib/stats';

const LATENCY = numberFlag('latency', 50);
const SCALE = numberFlag('clock-scale', 6);
const REPEATS = numberFlag('repeats', 3);
const TESTERS = numberFlag('testers', 500);
const CAP = 300;
const MINUTE = 60_000;
const APP: AppSummary = { id: '1581234567', name: 'Lumen Notes', bundleId: 'com.lumenlabs.notes', data: { primaryLocale: 'en-US' } };

interface Run {
  realMs: number;
  apiMinutes: number;
  requests: number;
  rateLimited: number;
  counts: BulkCounts;
  /** Why rows were not added, with how many. */
  problems: Record<string, number>;
  /** Share of the cap used: one minute ÷ the mean duration of the spans of 300 consecutive requests. */
  capShare: number;
  /** Shortest 300-request span, in API-clock seconds (below 60 the server must answer 429). */
  minSpanS: number;
  testersPerMinute: number;
  requestsPerMinute: number;
}


async function once(run: number): Promise<Run> {
  // A fresh sandbox per run: its hourly window (3,600) would otherwise carry the previous runs' requests.
  const sandbox = await startRemoteSandbox({ latencyMs: LATENCY, clockScale: SCALE });
  try {
    // The API clock, scaled as the sandbox's rate-limit clock is: the provider's limiter and waits run on it.
    const clock = scaledClock(SCALE, sandbox.startedAt);
    const conn = connectAsc(sandbox.credentials, clock);
    // Every wait of the client must run on the one clock, or a limiter slot "60 s away" on the API clock is compared
    // with the real clock and refused: the provider takes it from host.clock (connectAsc); checked here.
    const client = conn.client as unknown as { clock: unknown; api: { clock: unknown } };
    if (client.clock !== clock || client.api.clock !== clock) throw new Error('the App Store Connect client does not run on host.clock');
    const service = conn.services.testers;
    const group = (await service.groups(APP)).find((g) => !g.internal && !('publicLink' in g));
    if (!group) throw new Error('no external group');
    const csv = ['email,first name,last name', ...Array.from({ length: TESTERS }, (_, i) => `bench${run}.${i}@example.com,Bench,Tester ${i}`)].join('\n');
    const parsed = parseTesterCsv(csv);
    if (parsed.error || parsed.rows.length !== TESTERS) throw new Error(parsed.error ?? 'csv rows');

    await sandbox.clearRequests();
    const before = await sandbox.ascStats();
    const t0 = performance.now();
    // What the panel does first: the group's current members (reported as "already there" without a request).
    const existing = new Set<string>();
    let cursor: string | undefined;
    do {
      const p = await service.testers(APP, { groupId: group.id, cursor });
      for (const t of p.items) existing.add(t.email.toLowerCase());
      cursor = p.next;
    } while (cursor);
    const problems = new Map<string, number>();
    const counts = await runBulkAdd(service, {
      app: APP,
      groupId: group.id,
      rows: parsed.rows,
      signal: new AbortController().signal,
      existing,
      onResult: (r) => {
        if (r.status !== 'added' && r.message) problems.set(r.message, (problems.get(r.message) ?? 0) + 1);
      },
    });
    const realMs = performance.now() - t0;
    const after = await sandbox.ascStats();
    const asc = (await sandbox.requests()).filter((r) => r.path.startsWith('/asc/'));
    // Apple's window counts admitted requests only; a 429 is logged but not counted.
    const log = asc.filter((r) => r.status !== 429).map((r) => r.at).sort((a, b) => a - b);
    conn.dispose();

    const spans: number[] = [];
    for (let i = 0; i + CAP < log.length; i++) spans.push((log[i + CAP]! - log[i]!) * SCALE);
    const span = summarize(spans);
    const apiMinutes = (realMs * SCALE) / MINUTE;
    return {
      realMs,
      apiMinutes,
      requests: asc.length,
      rateLimited: after.rateLimited - before.rateLimited,
      counts,
      problems: Object.fromEntries(problems),
      capShare: spans.length ? MINUTE / (spans.reduce((a, b) => a + b, 0) / spans.length) : NaN,
      minSpanS: spans.length ? span.min / 1000 : NaN,
      testersPerMinute: counts.added / apiMinutes,
      requestsPerMinute: asc.length / apiMinutes,
    };
  } finally {
    await sandbox.close();
  }
}

main(async (): Promise<MeasureResult> => {
  const runs: Run[] = [];
  for (let i = 0; i < REPEATS; i++) runs.push(await once(i));
  const share = summarize(runs.map((r) => r.capShare * 100));
  const limited = runs.reduce((n, r) => n + r.rateLimited, 0);
  const tpm = summarize(runs.map((r) => r.testersPerMinute));
  const added = runs.map((r) => r.counts.added);
  const first = runs[0]!;
  const how =
    `CSV import into one group (${BULK_CONCURRENCY} in flight), ${first.requests} requests a run ` +
    `(${(first.requests / TESTERS).toFixed(2)} per tester); ${LATENCY} ms latency; API clock ×${SCALE} ` +
    `(a run: ${fmt(summarize(runs.map((r) => r.apiMinutes)), 2)} API minutes, ${fmt(summarize(runs.map((r) => r.realMs / 1000)), 1)} s real); ` +
    `${fmt(tpm, 0)} testers/min`;
  return {
    measure: 'bulk',
    rows: [
      {
        id: 'bulk.throughput',
        measure: `bulk add ${TESTERS} testers: throughput`,
        how,
        value: share.median,
        unit: '% of cap',
        result: `${fmt(share, 1)} % of 300/min`,
        budget: '≥ 90 % of cap',
        limit: '100 % (300 requests a minute)',
        pass: share.median >= 90 && added.every((a) => a === TESTERS),
      },
      {
        id: 'bulk.added',
        measure: `bulk add ${TESTERS} testers: rows added`,
        how: added.every((a) => a === TESTERS) ? 'every row of every run' : `not added: ${[...new Set(runs.flatMap((r) => Object.keys(r.problems)))].slice(0, 2).join(' / ')}`,
        value: Math.min(...added),
        unit: 'rows',
        result: `${Math.min(...added)} of ${TESTERS} (worst run)`,
        budget: `${TESTERS} of ${TESTERS}`,
        limit: '',
        pass: added.every((a) => a === TESTERS),
      },
      {
        id: 'bulk.429',
        measure: `bulk add ${TESTERS} testers: 429 responses`,
        how: `sandbox's count of RATE_LIMIT_EXCEEDED answers over ${runs.length} runs; shortest span of 300 admitted requests ${Math.min(...runs.map((r) => r.minSpanS)).toFixed(1)} s (API clock)`,
        value: limited,
        unit: '× 429',
        result: `${limited}`,
        budget: '0',
        limit: '0',
        pass: limited === 0,
      },
    ],
    notes: [],
    details: { latencyMs: LATENCY, clockScale: SCALE, testers: TESTERS, runs },
  };
});
