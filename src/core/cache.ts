/**
 * Private HTTP cache for conditional GETs. Polling is the only way to see App Store Connect changes, so a 304
 * (or no request at all while `max-age` holds) saves both time and rate-limit budget. Keys include the
 * credential, so two accounts never see each other's data.
 */
import { systemClock, type Clock } from './clock';

export interface CachedResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  url: string;
  storedAt: number;
  /** Served without a request until this time; `storedAt` means "always revalidate". */
  freshUntil: number;
  etag?: string;
  lastModified?: string;
}

export interface CacheControl {
  maxAge?: number;
  noStore: boolean;
  noCache: boolean;
}

export function parseCacheControl(value: string | undefined): CacheControl {
  const cc: CacheControl = { noStore: false, noCache: false };
  for (const part of (value ?? '').split(',')) {
    const [rawKey, rawVal] = part.split('=', 2) as [string, string | undefined];
    const key = rawKey.trim().toLowerCase();
    if (key === 'no-store') cc.noStore = true;
    else if (key === 'no-cache') cc.noCache = true;
    else if (key === 'max-age') {
      const n = Number(rawVal?.trim().replace(/^"|"$/g, ''));
      if (Number.isFinite(n) && n >= 0) cc.maxAge = n;
    }
  }
  return cc;
}

export class HttpCache {
  private readonly entries = new Map<string, CachedResponse>();
  private bytes = 0;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly clock: Clock;

  constructor(opts: { maxEntries?: number; maxBytes?: number; clock?: Clock } = {}) {
    this.maxEntries = opts.maxEntries ?? 500;
    this.maxBytes = opts.maxBytes ?? 50 * 1024 * 1024;
    this.clock = opts.clock ?? systemClock;
  }

  /** Cache key: credential identity, Accept (the same URL can return JSON or gzip) and URL. */
  static key(url: string, credential = '', accept = ''): string {
    return `${credential}\n${accept}\n${url}`;
  }

  /** The entry (marked most recently used) and whether it may be served without asking the server. */
  lookup(key: string): { entry: CachedResponse; fresh: boolean } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return { entry, fresh: this.clock.now() < entry.freshUntil };
  }

  /** If-None-Match / If-Modified-Since for revalidating `entry`. */
  static conditionalHeaders(entry: CachedResponse): Record<string, string> {
    const h: Record<string, string> = {};
    if (entry.etag) h['if-none-match'] = entry.etag;
    if (entry.lastModified) h['if-modified-since'] = entry.lastModified;
    return h;
  }

  /** Stores a 200 response to a GET if its headers allow and make it useful (a validator or max-age). */
  store(key: string, res: { status: number; headers: Record<string, string>; body: Buffer; url: string }): void {
    const cc = parseCacheControl(res.headers['cache-control']);
    const etag = res.headers['etag'];
    const lastModified = res.headers['last-modified'];
    if (res.status !== 200 || cc.noStore || (!etag && !lastModified && !cc.maxAge) || res.body.length > this.maxBytes) {
      this.delete(key);
      return;
    }
    const now = this.clock.now();
    this.delete(key);
    const entry: CachedResponse = {
      status: res.status,
      headers: res.headers,
      body: res.body,
      url: res.url,
      storedAt: now,
      freshUntil: freshUntil(now, cc, res.headers),
      ...(etag && { etag }),
      ...(lastModified && { lastModified }),
    };
    this.entries.set(key, entry);
    this.bytes += entry.body.length;
    this.evict();
  }

  /** After a 304: refreshes freshness and headers from the 304, returns the entry to serve. */
  revalidated(key: string, headers304: Record<string, string>): CachedResponse | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const now = this.clock.now();
    const headers = { ...entry.headers };
    // A 304 may update metadata but not the representation's length or encoding.
    for (const [k, v] of Object.entries(headers304)) if (k !== 'content-length' && k !== 'content-encoding') headers[k] = v;
    const cc = parseCacheControl(headers['cache-control']);
    const updated: CachedResponse = {
      ...entry,
      headers,
      storedAt: now,
      freshUntil: freshUntil(now, cc, headers),
      ...(headers['etag'] && { etag: headers['etag'] }),
      ...(headers['last-modified'] && { lastModified: headers['last-modified'] }),
    };
    this.entries.set(key, updated);
    return updated;
  }

  delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.bytes -= e.body.length;
    this.entries.delete(key);
  }

  /** Everything, or only one credential's entries (on sign-out). */
  clear(credential?: string): void {
    for (const key of [...this.entries.keys()]) if (credential === undefined || key.startsWith(`${credential}\n`)) this.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(): void {
    // Map iteration order is insertion order, and lookups re-insert: the first key is the least recently used.
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.delete(key);
    }
  }
}

function freshUntil(now: number, cc: CacheControl, headers: Record<string, string>): number {
  if (cc.noCache || !cc.maxAge) return now;
  const age = Number(headers['age']);
  return now + Math.max(0, cc.maxAge - (Number.isFinite(age) && age > 0 ? age : 0)) * 1000;
}
