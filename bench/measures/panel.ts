// Open an app panel: what the metadata, builds, TestFlight and reviews panels load for one app when they open,
// all started at once (as opening them together does), against the sandbox with 50 ms latency, on a connection
// already in use (token signed, sockets open: the tree listed the apps before). Counted on the client: requests,
// sequential round trips (the longest chain of requests each waiting for the one before), and the time until
// every piece of data is in.
import { performance } from 'node:perf_hooks';
import type { AppSummary } from '../../src/providers/types';
import { connectAsc } from '../lib/accounts';
import { startRemoteSandbox } from '../lib/remoteSandbox';
import { exchanges, mark, recordRequests, sequentialRoundTrips } from '../lib/requests';
import { fmt, main, type MeasureResult } from '../lib/result';
import { numberFlag, summarize } from '../lib/stats';

const LATENCY = numberFlag('latency', 50);
const REPEATS = numberFlag('repeats', 9);
/** The seeded app with the most data: 3 locales, 3 beta groups, builds, reviews with responses. */
const APP: AppSummary = { id: '1581234567', name: 'Lumen Notes', bundleId: 'com.lumenlabs.notes', data: { primaryLocale: 'en-US' } };

interface Run { ms: number; requests: number; roundTrips: number; paths: string[]; parts: Record<string, number> }

main(async (): Promise<MeasureResult> => {
  recordRequests();
  const sandbox = await startRemoteSandbox({ latencyMs: LATENCY });
  try {
    const conn = connectAsc(sandbox.credentials);
    const once = async (): Promise<Run> => {
      const s = conn.services;
      const m = mark();
      const t0 = performance.now();
      const parts: Record<string, number> = {};
      const done = (name: string) => <T>(v: T): T => {
        parts[name] = performance.now() - t0;
        return v;
      };
      await Promise.all([
        // Metadata panel: versions, then the editable (else newest) version's document.
        s.metadata.listVersions(APP).then(async (versions) => {
          const v = versions.find((x) => x.editable) ?? versions[0];
          if (!v) throw new Error('no version');
          return s.metadata.load(APP, v.id, { live: v.live });
        }).then(done('metadata')),
        // Builds panel: the first page, newest first.
        s.builds.list(APP).then(done('builds')),
        // TestFlight panel: groups, then the testers of the restored selection (all of the app's testers).
        s.testers.groups(APP).then(() => s.testers.testers(APP, {})).then(done('testers')),
        // Reviews panel: the first page, newest first, with responses.
        s.reviews.list(APP, { sort: 'newest' }).then(done('reviews')),
      ]);
      const ms = performance.now() - t0;
      const ex = exchanges(m);
      return { ms, requests: ex.length, roundTrips: sequentialRoundTrips(ex), paths: ex.map((e) => `${e.method} ${e.path.replace(/^\/asc/, '')}`), parts };
    };
    await once(); // warm-up: JIT, TCP connection, first JWT
    const runs: Run[] = [];
    for (let i = 0; i < REPEATS; i++) runs.push(await once());
    conn.dispose();
    const ms = summarize(runs.map((r) => r.ms));
    const trips = summarize(runs.map((r) => r.roundTrips));
    const requests = runs[0]!.requests;
    return {
      measure: 'panel',
      rows: [
        {
          id: 'panel.roundTrips',
          measure: 'open an app panel: sequential round trips',
          how: `metadata + builds + TestFlight + reviews of one app, started together; ${requests} requests`,
          value: trips.max,
          unit: 'round trips',
          result: `${trips.median} (max ${trips.max}, n=${trips.n}); ${requests} requests`,
          budget: '≤ 2',
          limit: '2 (versions → the chosen version\'s metadata)',
          pass: trips.max <= 2,
        },
        {
          id: 'panel.time',
          measure: 'open an app panel: time to all data',
          how: `${LATENCY} ms latency`,
          value: ms.median,
          unit: 'ms',
          result: fmt(ms, 0, 'ms'),
          budget: `— (≈ ${Math.max(2, trips.median)} × ${LATENCY} ms)`,
          limit: `${2 * LATENCY} ms (2 round trips × ${LATENCY} ms)`,
          pass: trips.max <= 2,
        },
      ],
      notes: [],
      details: { latencyMs: LATENCY, requests: runs[0]!.paths, runs: runs.map(({ paths: _p, ...r }) => r), ms, roundTrips: trips },
    };
  } finally {
    await sandbox.close();
  }
});
