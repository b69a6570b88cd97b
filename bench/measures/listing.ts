// List all apps: 2,000 App Store Connect apps (200 a page; cursor pages are sequential by nature, so the
// physical limit is 10 round trips) and 5,000 AppsFlyer apps (1,000 a page; once the first page reports the total,
// the other offsets can all be fetched at once, so the limit is 2 round trips), with 50 ms of injected latency:
// the sandbox answers each request 50 ms after it arrived, its emulators working within that time, as a server's
// processing is part of the latency a client sees. Figure: elapsed time ÷ (minimum sequential round trips ×
// latency); 1.0 is the physical limit. Each run is a new connection (new sockets, a fresh AppsFlyer budget); the
// AppsFlyer account was checked when added (verify, on its own connection), so it knows how many apps it last saw.
import { performance } from 'node:perf_hooks';
import { connectAppsFlyer, connectAsc, listAll } from '../lib/accounts';
import { startRemoteSandbox } from '../lib/remoteSandbox';
import { HttpClient } from '../../src/core/http';
import { APPS_PATH, peekTotal } from '../../src/providers/appsflyer/api';
import { memoryStateStore } from '../../src/providers/shared/providerKit';
import { exchanges, mark, recordRequests, sequentialRoundTrips } from '../lib/requests';
import { fmt, main, type MeasureResult, type TableRow } from '../lib/result';
import { numberFlag, summarize } from '../lib/stats';

const LATENCY = numberFlag('latency', 50);
const REPEATS = numberFlag('repeats', 7);
const ASC_APPS = 2000;
const ASC_PAGE = 200;
// Two apps in three of the seeded AppsFlyer account carry `protect_360`: 7,500 seeded → 5,000 listed.
const AF_SEEDED = 7500;
const AF_LISTED = (AF_SEEDED * 2) / 3;
const AF_PAGE = 1000;

/** A full collection before each timed run, so one run's garbage is not collected inside the next (needs --expose-gc, which run.mjs passes). */
const settleHeap = (): void => (globalThis as { gc?: () => void }).gc?.();

interface Run { ms: number; ratio: number; requests: number; roundTrips: number; apps: number; serverMs: number }

main(async (): Promise<MeasureResult> => {
  recordRequests();
  const sandbox = await startRemoteSandbox({ latencyMs: LATENCY, ascApps: ASC_APPS, appsflyerApps: AF_SEEDED });
  try {
    const ascLimit = Math.ceil(ASC_APPS / ASC_PAGE);
    const asc: Run[] = [];
    const appsflyer: Run[] = [];
    let afApps = 0;

    const runAsc = async (): Promise<Run> => {
      const conn = connectAsc(sandbox.credentials);
      settleHeap();
      const m = mark();
      const t0 = performance.now();
      const apps = await listAll(conn);
      const ms = performance.now() - t0;
      conn.dispose();
      const ex = exchanges(m);
      // The emulators' work on these pages (it happens within each request's latency).
      const serverMs = (await sandbox.serverTimes()).reduce((a, t) => a + t.ms, 0);
      const limit = ascLimit * LATENCY;
      return { ms, ratio: ms / limit, requests: ex.length, roundTrips: sequentialRoundTrips(ex), apps, serverMs };
    };
    const runAf = async (): Promise<Run> => {
      // An account as the extension holds one: checked when it was added (one request, which remembers how many apps
      // there are), listed later over new sockets.
      const state = memoryStateStore();
      const added = connectAppsFlyer(sandbox.credentials, 'protect_360', state);
      await added.verify();
      added.dispose?.();
      // A benchmark repeats what AppsFlyer allows 100 times a day: each run starts from a fresh budget on both sides.
      await sandbox.resetAppsFlyer();
      const conn = connectAppsFlyer(sandbox.credentials, 'protect_360', state);
      settleHeap();
      const m = mark();
      const t0 = performance.now();
      const apps = await listAll(conn);
      const ms = performance.now() - t0;
      conn.dispose?.();
      const ex = exchanges(m);
      afApps = apps;
      const limit = (apps > AF_PAGE ? 2 : 1) * LATENCY;
      // The emulator's work on these pages (within each request's latency).
      const serverMs = (await sandbox.serverTimes()).reduce((a, t) => a + t.ms, 0);
      return { ms, ratio: ms / limit, requests: ex.length, roundTrips: sequentialRoundTrips(ex), apps, serverMs };
    };

    // The same five AppsFlyer requests (the first, then the other four at once) from a bare HTTP client: reading each
    // body and parsing nothing is what this machine and the sandbox cost before any client work; adding JSON.parse
    // of each body as it arrives (no checks, no mapping) is the least any client that reads the apps must spend.
    const floor: number[] = [];
    const parseFloor: number[] = [];
    const runFloor = async (parse: boolean): Promise<void> => {
      await sandbox.resetAppsFlyer();
      const c = sandbox.credentials.appsflyer as { baseUrl: string; token: string };
      const http = new HttpClient({ env: {} });
      const get = (offset: number) =>
        http.request({ url: `${c.baseUrl}${APPS_PATH}?capabilities=protect_360&limit=${AF_PAGE}&offset=${offset}`, headers: { authorization: `Bearer ${c.token}` } });
      const read = (body: Buffer): unknown => (parse ? JSON.parse(body.toString('utf8')) : undefined);
      settleHeap();
      const t0 = performance.now();
      const firstPage = get(0);
      // As the client does when it knows the last total: the other pages' connections open while the first is out.
      setImmediate(() => http.preconnect(`${c.baseUrl}${APPS_PATH}`, Math.ceil(AF_LISTED / AF_PAGE) - 1));
      const first = await firstPage;
      const total = peekTotal(first.body) ?? 0;
      const offsets: number[] = [];
      for (let o = AF_PAGE; o < total; o += AF_PAGE) offsets.push(o);
      // As the client does: the other offsets reach the wire before the first page is parsed.
      const rest = Promise.all(offsets.map((o) => get(o).then((r) => read(r.body))));
      await new Promise<void>((resolve) => setImmediate(resolve));
      read(first.body);
      await rest;
      (parse ? parseFloor : floor).push((performance.now() - t0) / ((total > AF_PAGE ? 2 : 1) * LATENCY));
      await http.close();
    };

    // One warm-up of each (JIT, first JWT signature), not counted; then interleaved runs so drift hits both alike.
    await runAsc();
    await runAf();
    await runFloor(false);
    await runFloor(true);
    floor.length = 0;
    parseFloor.length = 0;
    await sandbox.serverTimes();
    for (let i = 0; i < REPEATS; i++) {
      asc.push(await runAsc());
      appsflyer.push(await runAf());
      await runFloor(false);
      await runFloor(true);
    }
    const afLimit = afApps > AF_PAGE ? 2 : 1;
    const ascRatio = summarize(asc.map((r) => r.ratio));
    const afRatio = summarize(appsflyer.map((r) => r.ratio));
    const ascMs = summarize(asc.map((r) => r.ms));
    const afMs = summarize(appsflyer.map((r) => r.ms));
    const afFloor = summarize(floor);
    const afParseFloor = summarize(parseFloor);
    const share = (runs: Run[]) => `; the emulator's own work (inside the latency) ${fmt(summarize(runs.map((r) => r.serverMs)), 0, 'ms')} a listing`;
    const rows: TableRow[] = [
      {
        id: 'listing.asc',
        measure: `list all apps: App Store Connect, ${asc[0]!.apps.toLocaleString('en-US')} apps`,
        how: `${ASC_PAGE} a page, cursor pages in sequence; ${LATENCY} ms latency; ${asc[0]!.requests} requests, ${asc[0]!.roundTrips} sequential round trips; ${fmt(ascMs, 0, 'ms')}${share(asc)}`,
        value: ascRatio.median,
        unit: '× limit',
        result: fmt(ascRatio, 2),
        budget: '≤ 1.2',
        limit: `1.0 = ${ascLimit} round trips × ${LATENCY} ms = ${ascLimit * LATENCY} ms`,
        pass: ascRatio.median <= 1.2,
      },
      {
        id: 'listing.appsflyer',
        measure: `list all apps: AppsFlyer, ${afApps.toLocaleString('en-US')} apps`,
        how: `${AF_PAGE.toLocaleString('en-US')} a page, offset pages in parallel; ${LATENCY} ms latency; ${appsflyer[0]!.requests} requests, ${appsflyer[0]!.roundTrips} sequential round trips; ${fmt(afMs, 0, 'ms')}${share(appsflyer)}; the same requests from a bare client, bodies read but not parsed: ${fmt(afFloor, 2)} × limit, and with JSON.parse alone: ${fmt(afParseFloor, 2)} × limit`,
        value: afRatio.median,
        unit: '× limit',
        result: fmt(afRatio, 2),
        budget: '≤ 1.2',
        limit: `1.0 = ${afLimit} round trips × ${LATENCY} ms = ${afLimit * LATENCY} ms`,
        pass: afRatio.median <= 1.2,
      },
    ];
    return {
      measure: 'listing',
      rows,
      notes: [],
      details: { latencyMs: LATENCY, asc: { runs: asc, ratio: ascRatio, ms: ascMs }, appsflyer: { runs: appsflyer, ratio: afRatio, ms: afMs, transportFloor: afFloor, parseFloor: afParseFloor } },
    };
  } finally {
    await sandbox.close();
  }
});
