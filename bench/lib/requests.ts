// Client-side record of every HTTP exchange (start and end on one monotonic clock), taken by wrapping
// HttpClient.request, the single door all five providers go through. From it: the request count and the number
// of sequential round trips actually taken (the depth of the longest chain of requests in which each one started
// only after the previous one had answered).
import { performance } from 'node:perf_hooks';
import { HttpClient, type HttpRequest, type HttpResponse } from '../../src/core/http';

export interface Exchange {
  method: string;
  path: string;
  start: number;
  end: number;
  status: number;
}

const log: Exchange[] = [];
let installed = false;

export function recordRequests(): void {
  if (installed) return;
  installed = true;
  const original = HttpClient.prototype.request;
  HttpClient.prototype.request = async function (this: HttpClient, req: HttpRequest): Promise<HttpResponse> {
    const start = performance.now();
    const u = new URL(req.url);
    const entry: Exchange = { method: (req.method ?? 'GET').toUpperCase(), path: u.pathname + u.search, start, end: NaN, status: 0 };
    log.push(entry);
    try {
      const res = await original.call(this, req);
      entry.status = res.status;
      return res;
    } finally {
      entry.end = performance.now();
    }
  };
}

/** Exchanges recorded since `mark` (an index from `mark()`). */
export function exchanges(mark = 0): Exchange[] {
  return log.slice(mark);
}

export function mark(): number {
  return log.length;
}

/**
 * Sequential round trips: the longest chain r1 → r2 → … where each request started after the previous one ended.
 * Requests that overlap in time are parallel and add no depth.
 */
export function sequentialRoundTrips(list: readonly Exchange[]): number {
  const sorted = [...list].sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  let best = 0;
  sorted.forEach((r, i) => {
    let d = 1;
    for (let j = 0; j < i; j++) if (sorted[j]!.end <= r.start) d = Math.max(d, depth[j]! + 1);
    depth[i] = d;
    best = Math.max(best, d);
  });
  return best;
}
