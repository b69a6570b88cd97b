/**
 * HTTP on undici with a per-request dispatcher, never undici's global one: inside the extension host that
 * would replace VS Code's own proxy-aware fetch for every other extension (see practices §4.6).
 */
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import type { Dispatcher } from 'undici';
import { vendor } from './vendor';
import { CancelledError, ConfigError, NetworkError, ProtocolError, describeEndpoint, isProviderError, type ProviderError } from './errors';
import { nullLogger, type Logger } from './logger';
import { redactHeaders } from './redact';
import { WarmConnector } from './warmSockets';

export interface ProxyConfig {
  /** e.g. VS Code's `http.proxy`. Empty → fall back to HTTPS_PROXY / HTTP_PROXY. */
  url?: string;
  /** VS Code's `http.proxyStrictSSL`. false disables certificate checks on proxied and direct connections. */
  strictSSL: boolean;
  /** Hosts that bypass the proxy. Undefined → NO_PROXY. */
  noProxy?: string[];
}

export interface HttpRequest {
  url: string | URL;
  method?: string;
  headers?: Record<string, string | undefined>;
  body?: string | Uint8Array;
  signal?: AbortSignal;
  /** Whole call including redirects and body. Default: the client's (30 s). */
  timeoutMs?: number;
  /** Cap on the (decoded) body. Default: the client's (20 MB). */
  maxBytes?: number;
  /** 'manual' returns 3xx to the caller (the legacy iTunes login treats 302 as success). */
  redirect?: 'follow' | 'manual';
  /** Extra header names stripped on a cross-origin redirect (Authorization and Cookie always are). */
  secretHeaders?: string[];
  /** Display name used in errors. Default: the host. */
  provider?: string;
}

export interface HttpResponse {
  status: number;
  /** Lower-cased names; repeated headers joined with ", " (use `setCookie` for cookies). */
  headers: Record<string, string>;
  setCookie: string[];
  /** Decoded per Content-Encoding only; `application/a-gzip` bodies stay gzipped. */
  body: Buffer;
  /** Final URL after redirects. */
  url: string;
  text(): string;
  /** Parses the body; throws ProtocolError if it is not JSON. */
  json<T = unknown>(): T;
}

export interface HttpClientOptions {
  logger?: Logger;
  proxy?: ProxyConfig;
  timeoutMs?: number;
  maxResponseBytes?: number;
  userAgent?: string;
  /** Environment for HTTPS_PROXY / NO_PROXY; injectable for tests. */
  env?: Record<string, string | undefined>;
}

const MAX_REDIRECTS = 5;
const ALWAYS_SECRET = ['authorization', 'cookie', 'proxy-authorization'];
const TLS_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_TLS|ERR_SSL|HOSTNAME_MISMATCH|ERR_CERT)/;
const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotli = promisify(zlib.brotliDecompress);

export class HttpClient {
  private readonly logger: Logger;
  private proxy: ProxyConfig | undefined;
  private readonly env: Record<string, string | undefined>;
  private readonly dispatchers = new Map<string, Dispatcher>();
  /** The direct dispatchers' connectors, which can open sockets ahead of requests (see preconnect). */
  private readonly warm = new Map<string, WarmConnector>();
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  private readonly userAgent: string;

  constructor(opts: HttpClientOptions = {}) {
    this.logger = opts.logger ?? nullLogger;
    this.proxy = opts.proxy;
    this.env = opts.env ?? process.env;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.maxResponseBytes = opts.maxResponseBytes ?? 20 * 1024 * 1024;
    this.userAgent = opts.userAgent ?? 'AppDesk';
  }

  /** Applies changed proxy settings; open connections are closed gracefully. */
  setProxy(proxy: ProxyConfig | undefined): void {
    this.proxy = proxy;
    void this.close();
  }

  /**
   * Opens `count` connections to `url`'s origin for requests the caller expects to make shortly (the other pages
   * of a listing, while its first page is on the wire), so they need not wait for handshakes then. Only for direct
   * connections: through a proxy each request's tunnel is the proxy's business. Sends nothing; never throws.
   */
  preconnect(url: string | URL, count: number): void {
    if (!(count > 0)) return;
    try {
      const target = new URL(url);
      if (target.protocol !== 'https:' && target.protocol !== 'http:') return;
      const { key, proxyUrl } = this.route(target);
      if (proxyUrl) return;
      this.dispatcherFor(target);
      this.warm.get(key)?.preconnect(target, count);
    } catch {
      // A bad URL or proxy setting fails the request that uses it, with its own message.
    }
  }

  async close(): Promise<void> {
    const all = [...this.dispatchers.values()];
    this.dispatchers.clear();
    for (const w of this.warm.values()) w.close();
    this.warm.clear();
    await Promise.allSettled(all.map((d) => d.close()));
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const provider = req.provider ?? safeHost(req.url);
    const timeoutMs = req.timeoutMs ?? this.timeoutMs;
    const maxBytes = req.maxBytes ?? this.maxResponseBytes;
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      throw new ConfigError({ provider, summary: `Invalid URL for ${provider}`, details: [String(req.url).split('?')[0] ?? ''] });
    }
    const originalOrigin = url.origin;
    const secret = new Set([...ALWAYS_SECRET, ...(req.secretHeaders ?? []).map((h) => h.toLowerCase())]);

    // One controller for the whole call: the caller's signal and our deadline both abort it.
    const ac = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ac.abort();
    }, timeoutMs);
    const onAbort = () => ac.abort();
    req.signal?.addEventListener('abort', onAbort, { once: true });

    let method = (req.method ?? 'GET').toUpperCase();
    let body = req.body;
    let headers = this.initialHeaders(req.headers);
    const started = performance.now();
    try {
      for (let hop = 0; ; hop++) {
        if (req.signal?.aborted) throw new CancelledError({ provider, endpoint: describeEndpoint(method, url) });
        const res = await this.send(url, method, headers, body, ac.signal, maxBytes, provider);
        const location = res.headers['location'];
        if (req.redirect === 'manual' || !isRedirect(res.status) || !location) {
          this.log(method, url, res.status, started, res.body.length, headers, res.headers);
          return res;
        }
        this.log(method, url, res.status, started, 0, headers, res.headers);
        if (hop >= MAX_REDIRECTS) {
          throw new ProtocolError({ provider, endpoint: describeEndpoint(method, req.url), details: [`more than ${MAX_REDIRECTS} redirects`] });
        }
        const next = new URL(location, url);
        // Never carry credentials to another origin (scheme, host or port).
        if (next.origin !== originalOrigin) headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !secret.has(k)));
        if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
          if (method !== 'HEAD') method = 'GET';
          body = undefined;
          headers = Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'content-type' && k !== 'content-length'));
        }
        url = next;
      }
    } catch (e) {
      throw this.mapError(e, { provider, endpoint: describeEndpoint(method, url), cancelled: !!req.signal?.aborted, timedOut, timeoutMs, url });
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    }
  }

  private initialHeaders(h: Record<string, string | undefined> | undefined): Record<string, string> {
    const out: Record<string, string> = { 'user-agent': this.userAgent, 'accept-encoding': 'gzip, deflate, br' };
    for (const [k, v] of Object.entries(h ?? {})) if (v !== undefined) out[k.toLowerCase()] = v;
    return out;
  }

  private async send(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: string | Uint8Array | undefined,
    signal: AbortSignal,
    maxBytes: number,
    provider: string,
  ): Promise<HttpResponse> {
    const endpoint = describeEndpoint(method, url);
    const res = await this.dispatcherFor(url).request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: method as Dispatcher.HttpMethod,
      headers,
      body: body ?? null,
      signal,
      // Our own deadline covers the whole call; undici's per-phase timeouts would only add confusing errors.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    const resHeaders: Record<string, string> = {};
    let setCookie: string[] = [];
    for (const [k, v] of Object.entries(res.headers)) {
      if (v === undefined) continue;
      const key = k.toLowerCase();
      if (key === 'set-cookie') setCookie = Array.isArray(v) ? v : [v];
      resHeaders[key] = Array.isArray(v) ? v.join(', ') : v;
    }
    const tooLarge = () => new ProtocolError({ provider, endpoint, status: res.statusCode, details: [`response larger than ${Math.round(maxBytes / 1024)} KB`] });
    if (Number(resHeaders['content-length']) > maxBytes) {
      discard(res.body);
      throw tooLarge();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) {
        discard(res.body);
        throw tooLarge();
      }
      chunks.push(chunk);
    }
    let data: Buffer = Buffer.concat(chunks);
    const encoding = resHeaders['content-encoding'];
    if (encoding && data.length) {
      data = await decode(data, encoding, maxBytes).catch((e: unknown) => {
        throw e instanceof RangeError
          ? tooLarge()
          : new ProtocolError({ provider, endpoint, status: res.statusCode, details: [`could not decode ${encoding} body: ${(e as Error).message}`] });
      });
      // The body is no longer what these described.
      delete resHeaders['content-encoding'];
      delete resHeaders['content-length'];
    }
    return makeResponse(res.statusCode, resHeaders, setCookie, data, url.href, provider, endpoint);
  }

  private route(url: URL): { key: string; proxyUrl?: string; strictSSL: boolean } {
    const { proxyUrl, strictSSL } = resolveProxy(url, this.proxy, this.env);
    return { key: proxyUrl ? `proxy|${proxyUrl}|${strictSSL}` : `direct|${url.origin}|${strictSSL}`, proxyUrl, strictSSL };
  }

  private dispatcherFor(url: URL): Dispatcher {
    const { key, proxyUrl, strictSSL } = this.route(url);
    let d = this.dispatchers.get(key);
    if (!d) {
      const tls = { rejectUnauthorized: strictSSL };
      const { Agent, ProxyAgent, buildConnector } = vendor();
      if (proxyUrl) {
        d = new ProxyAgent({ uri: proxyUrl, requestTls: tls, proxyTls: tls, keepAliveTimeout: 30_000 });
      } else {
        // undici's own connector (what `connect: tls` would build), behind one that can hand out warm sockets.
        const warm = new WarmConnector(buildConnector(tls));
        this.warm.set(key, warm);
        d = new Agent({ connect: warm.connect, keepAliveTimeout: 30_000 });
      }
      this.dispatchers.set(key, d);
    }
    return d;
  }

  private log(method: string, url: URL, status: number, started: number, bytes: number, reqHeaders: Record<string, string>, resHeaders: Record<string, string>): void {
    if (this.logger.enabled?.('debug') === false) return;
    const ms = Math.round(performance.now() - started);
    this.logger.debug(`HTTP ${method} ${url.href} → ${status} in ${ms} ms (${formatBytes(bytes)})`, {
      request: redactHeaders(reqHeaders),
      response: redactHeaders(resHeaders),
    });
  }

  private mapError(
    e: unknown,
    ctx: { provider: string; endpoint: string; cancelled: boolean; timedOut: boolean; timeoutMs: number; url: URL },
  ): ProviderError {
    const { provider, endpoint } = ctx;
    if (ctx.cancelled) return new CancelledError({ provider, endpoint });
    if (ctx.timedOut) {
      return new NetworkError({ provider, endpoint, summary: `${provider} did not respond within ${Math.round(ctx.timeoutMs / 1000)} s` });
    }
    if (isProviderError(e)) return e;
    const err = e as { code?: string; message?: string; cause?: { code?: string; message?: string } };
    const code = err.code ?? err.cause?.code ?? '';
    const details = [err.cause?.message ?? err.message ?? String(e)];
    if (code === 'ERR_INVALID_URL' || code === 'ERR_INVALID_ARG_TYPE') return new ConfigError({ provider, endpoint, details, cause: e });
    if (TLS_CODES.test(code)) {
      return new NetworkError({
        provider,
        endpoint,
        details: [code],
        retryable: false,
        summary: `Could not verify the TLS certificate of ${ctx.url.host}`,
        hint: 'If a proxy or firewall inspects TLS traffic, add its certificate to your system, or set http.proxyStrictSSL to false.',
        cause: e,
      });
    }
    if (/proxy/i.test(err.message ?? '')) {
      return new NetworkError({ provider, endpoint, details, summary: `Could not reach ${provider} through the proxy`, hint: 'Check the http.proxy setting and the proxy credentials.', cause: e });
    }
    return new NetworkError({ provider, endpoint, details: code ? [code] : details, cause: e });
  }
}

/** Drops a body we will not read; the listener keeps undici's abort error from becoming an uncaught 'error' event. */
function discard(body: NodeJS.ReadableStream & { destroy(): void }): void {
  body.on('error', () => undefined);
  body.destroy();
}

export function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** Decides whether `target` goes through a proxy. Explicit settings win over the environment. */
export function resolveProxy(
  target: URL,
  config: Partial<ProxyConfig> | undefined,
  env: Record<string, string | undefined> = process.env,
): { proxyUrl?: string; strictSSL: boolean } {
  const strictSSL = config?.strictSSL ?? true;
  const https = target.protocol === 'https:';
  const raw =
    config?.url?.trim() ||
    (https ? env.https_proxy || env.HTTPS_PROXY || env.http_proxy || env.HTTP_PROXY : env.http_proxy || env.HTTP_PROXY) ||
    '';
  if (!raw) return { strictSSL };
  const noProxy = config?.noProxy ?? (env.no_proxy ?? env.NO_PROXY ?? '').split(/[\s,]+/);
  if (bypassesProxy(target, noProxy)) return { strictSSL };
  const proxyUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  try {
    new URL(proxyUrl);
  } catch {
    throw new ConfigError({ provider: 'AppDesk', summary: 'The proxy setting is not a valid URL', hint: 'Check http.proxy or HTTPS_PROXY, e.g. http://proxy.example.com:8080.' });
  }
  return { proxyUrl, strictSSL };
}

/**
 * NO_PROXY matching as curl does it: "*", exact hosts, domain suffixes ("example.com" and ".example.com"
 * both match sub.example.com), optional ":port". Loopback always bypasses, so the local demo sandbox works
 * behind a corporate proxy.
 */
export function bypassesProxy(target: URL, noProxy: string[]): boolean {
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1' || /^127\./.test(host)) return true;
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  for (const entry of noProxy) {
    let e = entry.trim().toLowerCase();
    if (!e) continue;
    if (e === '*') return true;
    const m = /^(.*?)(?::(\d+))?$/.exec(e.replace(/^\[|\](?=:|$)/g, ''));
    if (m?.[2] && m[2] !== port) continue;
    e = (m?.[1] ?? e).replace(/^\*?\./, '');
    if (host === e || host.endsWith(`.${e}`)) return true;
  }
  return false;
}

async function decode(data: Buffer, contentEncoding: string, maxBytes: number): Promise<Buffer> {
  const opts = { maxOutputLength: maxBytes };
  // Encodings are listed in the order applied; undo them in reverse.
  for (const enc of contentEncoding.split(',').map((s) => s.trim().toLowerCase()).reverse()) {
    if (enc === 'gzip' || enc === 'x-gzip') data = await gunzip(data, opts);
    else if (enc === 'br') data = await brotli(data, opts);
    // "deflate" should be zlib-wrapped, but some servers send raw deflate.
    else if (enc === 'deflate') data = await inflate(data, opts).catch(() => inflateRaw(data, opts));
    else if (enc !== 'identity' && enc !== '') throw new Error(`unsupported content-encoding "${enc}"`);
  }
  return data;
}

function makeResponse(
  status: number,
  headers: Record<string, string>,
  setCookie: string[],
  body: Buffer,
  url: string,
  provider: string,
  endpoint: string,
): HttpResponse {
  let parsed: { value: unknown } | undefined;
  return {
    status,
    headers,
    setCookie,
    body,
    url,
    text: () => body.toString('utf8'),
    // Parsed once: an error mapper that looks at a 200's body and the caller that reads it share the value.
    json<T>(): T {
      if (!parsed) {
        try {
          parsed = { value: JSON.parse(body.toString('utf8')) };
        } catch {
          throw new ProtocolError({ provider, endpoint, status, details: [`response is not valid JSON (${headers['content-type'] ?? 'no content type'}, ${body.length} bytes)`] });
        }
      }
      return parsed.value as T;
    },
  };
}

export function formatBytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} kB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function safeHost(u: string | URL): string {
  try {
    return new URL(u).host;
  } catch {
    return String(u);
  }
}
