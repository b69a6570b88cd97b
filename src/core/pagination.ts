/**
 * Paging helpers. `links.next` comes from the server, so it is checked before any credential is sent to it:
 * a next URL on another origin is refused, never followed.
 */
import { CancelledError, ProtocolError } from './errors';

export interface FollowLinksOptions<P> {
  /** Base URL (or origin) of the API; every page URL must share its origin. */
  apiOrigin: string;
  provider: string;
  /** Default: `page.links.next`. Return null/undefined/'' when there is no further page. */
  getNext?: (page: P) => string | null | undefined;
  /** Safety stop against servers that page forever. Default 1000. */
  maxPages?: number;
  signal?: AbortSignal;
}

/** Yields each JSON:API page, following `links.next` (absolute or relative) until it is absent. */
export async function* followLinksNext<P>(
  firstUrl: string,
  fetchPage: (url: string, signal?: AbortSignal) => Promise<P>,
  opts: FollowLinksOptions<P>,
): AsyncGenerator<P, void, undefined> {
  const origin = new URL(opts.apiOrigin).origin;
  const getNext = opts.getNext ?? defaultNext;
  const maxPages = opts.maxPages ?? 1000;
  const seen = new Set<string>();
  let url = new URL(firstUrl, origin).href;
  for (let n = 0; ; n++) {
    if (opts.signal?.aborted) throw new CancelledError({ provider: opts.provider });
    if (n >= maxPages) throw new ProtocolError({ provider: opts.provider, details: [`stopped after ${maxPages} pages`] });
    seen.add(url);
    const page = await fetchPage(url, opts.signal);
    yield page;
    const next = getNext(page);
    if (!next) return;
    const resolved = new URL(next, url);
    if (resolved.origin !== origin) {
      throw new ProtocolError({
        provider: opts.provider,
        summary: `${opts.provider} sent a next-page link to another server (${resolved.host})`,
        hint: 'AppDesk did not follow it, so your credentials were not sent there. Report this if it persists.',
      });
    }
    if (seen.has(resolved.href)) throw new ProtocolError({ provider: opts.provider, details: ['the next-page link points to a page already read'] });
    url = resolved.href;
  }
}

function defaultNext(page: unknown): string | undefined {
  const next = (page as { links?: { next?: unknown } } | null)?.links?.next;
  return typeof next === 'string' ? next : undefined;
}

export interface LimitOffsetOptions<P> {
  /** Page size to request. */
  limit: number;
  fetchPage: (offset: number, limit: number, signal?: AbortSignal) => Promise<P>;
  /** Total item count if the page reports it (AppsFlyer `meta.total_items`); enables parallel fetching. */
  totalOf?: (page: P) => number | undefined;
  /** Items on a page; without a total, paging stops at the first short page. */
  countOf: (page: P) => number;
  /** Parallel page fetches once the total is known. Default 2. */
  concurrency?: number;
  maxPages?: number;
  signal?: AbortSignal;
  provider: string;
}

/**
 * Limit/offset paging. Fetches the first page; if it reports a total, fetches the remaining offsets in parallel
 * (bounded) and still yields pages in order. Otherwise pages sequentially until a short page.
 */
export async function* limitOffset<P>(opts: LimitOffsetOptions<P>): AsyncGenerator<P, void, undefined> {
  const { limit, provider, signal } = opts;
  const maxPages = opts.maxPages ?? 1000;
  if (!(limit > 0)) throw new ProtocolError({ provider, details: ['page size must be positive'] });
  const first = await opts.fetchPage(0, limit, signal);
  yield first;
  const total = opts.totalOf?.(first);
  if (total === undefined || !Number.isFinite(total)) {
    let page = first;
    for (let n = 1, offset = limit; opts.countOf(page) >= limit; n++, offset += limit) {
      if (n >= maxPages) throw new ProtocolError({ provider, details: [`stopped after ${maxPages} pages`] });
      if (signal?.aborted) throw new CancelledError({ provider });
      page = await opts.fetchPage(offset, limit, signal);
      yield page;
    }
    return;
  }
  const offsets: number[] = [];
  for (let o = limit; o < total && offsets.length < maxPages; o += limit) offsets.push(o);
  // Keep up to `concurrency` pages in flight ahead of the consumer; yield them in offset order.
  const ahead = Math.max(1, opts.concurrency ?? 2);
  const started: Promise<P>[] = [];
  for (let i = 0; i < offsets.length; i++) {
    for (let j = i; j < Math.min(offsets.length, i + ahead); j++) {
      if (started[j]) continue;
      if (signal?.aborted) throw new CancelledError({ provider });
      const p = opts.fetchPage(offsets[j]!, limit, signal);
      // A page the consumer never reaches (it stopped early) must not become an unhandled rejection.
      p.catch(() => undefined);
      started[j] = p;
    }
    yield await started[i]!;
  }
}

/** Collects every item of every page. */
export async function collect<P, T>(pages: AsyncIterable<P>, items: (page: P) => T[]): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...items(page));
  return out;
}
