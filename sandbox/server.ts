// The sandbox server: routes each request to the emulator that owns its path prefix, applies injected
// latency and faults, and exposes a small control API under `/_sandbox` for tests and the demo.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiEmulator, Fault, SandboxContext, SandboxOptions, SandboxRequest, SandboxResponse } from './types';
import { createEmulators } from './emulators';
import { hostileResponse } from './shared/hostile';

export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
  at: number;
}

export interface Sandbox {
  readonly origin: string;
  readonly port: number;
  readonly options: SandboxOptions;
  readonly emulators: readonly ApiEmulator[];
  /** Base URL of one emulator, e.g. `baseUrl('/asc')` → `http://127.0.0.1:PORT/asc`. */
  baseUrl(prefix: string): string;
  credentials(): Record<string, Record<string, unknown>>;
  reset(): void;
  addFault(f: Fault): void;
  requests(): readonly RequestLogEntry[];
  clearRequests(): void;
  close(): Promise<void>;
}

export const defaultOptions: SandboxOptions = { latencyMs: 0, clockScale: 1, ascApps: 4, appsflyerApps: 6, errorRate: 0, seed: 1 };

/** Small deterministic PRNG (mulberry32) for fault injection. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function startSandbox(opts: Partial<SandboxOptions> & { port?: number; host?: string } = {}): Promise<Sandbox> {
  const options: SandboxOptions = { ...defaultOptions, ...opts };
  // The rate-limit clock runs at `clockScale`; a new scale applies from the moment it is set (not retroactively),
  // so speeding the clock up mid-test moves time forward only from then on.
  let anchorReal = Date.now();
  let anchorScaled = anchorReal;
  let scale = options.clockScale;
  const now = () => anchorScaled + (Date.now() - anchorReal) * scale;
  Object.defineProperty(options, 'clockScale', {
    enumerable: true,
    get: () => scale,
    set: (v: number) => {
      anchorScaled = now();
      anchorReal = Date.now();
      scale = v;
    },
  });
  const ctx: SandboxContext = { options, now };
  let origin = '';
  const emulators = createEmulators(ctx);
  let faults: Fault[] = [];
  let log: RequestLogEntry[] = [];
  const random = prng(options.seed);

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', origin);
        const method = req.method ?? 'GET';
        // Injected latency is the time from a request's arrival to its answer, as a client sees it: the emulator's
        // own work happens within it (like a server's, which handles concurrent requests in parallel) rather than
        // after it, so one emulator thread does not serialize a client's parallel requests beyond the latency.
        const answerAt = performance.now() + (url.pathname.startsWith('/_sandbox/') ? 0 : options.latencyMs);
        const untilAnswer = async () => {
          const left = answerAt - performance.now();
          if (left > 0) await sleep(left);
        };
        let result: SandboxResponse;
        try {
          if (url.pathname.startsWith('/_sandbox/')) {
            result = control(method, url, Buffer.concat(chunks));
          } else {
            const em = emulators.find((e) => url.pathname === e.prefix || url.pathname.startsWith(e.prefix + '/'));
            const fault = takeFault(url.pathname);
            if (fault?.kind === 'reset') {
              await untilAnswer();
              log.push({ method, path: url.pathname + url.search, status: 0, at: Date.now() });
              req.socket.destroy();
              return;
            }
            if (fault?.kind === 'delay') await sleep(fault.delayMs ?? 1000);
            if (fault?.kind === 'status') {
              result = { status: fault.status ?? 500, headers: fault.headers, body: fault.body ?? '' };
            } else if (!fault && options.errorRate > 0 && random() < options.errorRate) {
              const status = [500, 502, 503][Math.floor(random() * 3)]!;
              result = { status, headers: { 'content-type': 'text/plain' }, body: status === 503 ? 'Service Unavailable' : 'Could not process this request' };
            } else if (fault?.kind === 'malformed') {
              result = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"data": [truncated' };
            } else if (!em) {
              result = { status: 404, body: { error: `No emulated API at ${url.pathname}` } };
            } else {
              const sreq: SandboxRequest = {
                method, url, path: url.pathname.slice(em.prefix.length) || '/', headers: req.headers, body: Buffer.concat(chunks), origin,
              };
              result = await em.handle(sreq);
              if (options.hostile) result = hostileResponse(result);
            }
          }
        } catch (err) {
          result = { status: 500, body: { error: 'sandbox internal error', detail: String(err) } };
        }
        await untilAnswer();
        log.push({ method, path: url.pathname + url.search, status: result.status, at: Date.now() });
        send(res, result);
      })();
    });
  });

  function takeFault(path: string): Fault | undefined {
    const i = faults.findIndex((f) => (f.prefix === '*' || path.startsWith(f.prefix)) && (!f.pathIncludes || path.includes(f.pathIncludes)));
    if (i < 0) return undefined;
    const f = faults[i]!;
    const times = (f.times ?? 1) - 1;
    if (times <= 0) faults.splice(i, 1);
    else faults[i] = { ...f, times };
    return f;
  }

  function control(method: string, url: URL, body: Buffer): SandboxResponse {
    const what = url.pathname.slice('/_sandbox/'.length);
    if (what === 'credentials' && method === 'GET') return { status: 200, body: sandbox.credentials() };
    if (what === 'reset' && method === 'POST') { sandbox.reset(); return { status: 204 }; }
    if (what === 'faults' && method === 'POST') { sandbox.addFault(JSON.parse(body.toString('utf8')) as Fault); return { status: 204 }; }
    if (what === 'requests' && method === 'GET') return { status: 200, body: log };
    if (what === 'requests' && method === 'DELETE') { log = []; return { status: 204 }; }
    if (what === 'options' && method === 'POST') { Object.assign(options, JSON.parse(body.toString('utf8'))); return { status: 200, body: options }; }
    return { status: 404, body: { error: `unknown control endpoint ${what}` } };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${opts.host ?? '127.0.0.1'}:${port}`;

  const sandbox: Sandbox = {
    origin,
    port,
    options,
    emulators,
    baseUrl: (prefix) => origin + prefix,
    credentials: () => Object.fromEntries(emulators.map((e) => [e.prefix.slice(1), { baseUrl: origin + e.prefix, ...e.credentials() }])),
    reset: () => { faults = []; log = []; for (const e of emulators) e.reset(); },
    addFault: (f) => { faults.push(f); },
    requests: () => log,
    clearRequests: () => { log = []; },
    close: () => new Promise<void>((resolve) => {
      // Stop accepting first, then drop every connection, including keep-alive sockets of requests that were
      // still in flight (injected latency) when close began.
      server.close(() => { clearInterval(sweep); resolve(); });
      server.closeAllConnections();
      const sweep = setInterval(() => server.closeAllConnections(), 50);
    }),
  };
  return sandbox;
}

function send(res: import('node:http').ServerResponse, r: SandboxResponse): void {
  const headers: Record<string, string | string[]> = { ...(r.headers ?? {}) };
  let payload: Buffer | string = '';
  if (r.body === undefined) payload = '';
  else if (Buffer.isBuffer(r.body) || typeof r.body === 'string') payload = r.body;
  else {
    payload = JSON.stringify(r.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  }
  res.writeHead(r.status, headers);
  res.end(payload);
}
