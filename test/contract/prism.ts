// Prism as a validating mock of App Store Connect, behind a small recording proxy:
//
//   provider (real code) ──HTTP──▶ recording proxy ──▶ prism mock <spec> --errors
//
// The proxy keeps every exchange, adds its own check of query parameters (Prism cannot check bracketed names; see
// spec-tools.mjs#checkQuery) and decides whether the request was accepted. Prism's answer goes back to the provider,
// less `links.next` (Prism's generated `../dictionary` would send the provider paging into a path that does not
// exist); a test can reshape an answer after Prism has validated the request, to steer a flow down a branch.
// A rejected request is answered 400 with an Apple-style error carrying the violation, so the provider fails fast
// (no retry) and the test reports the violation itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { checkQuery, findOperation, type OpenApi } from './spec-tools.mjs';

export interface Exchange {
  method: string;
  /** Path and query as sent. */
  url: string;
  path: string;
  query: URLSearchParams;
  /** `GET /v1/apps/{}` when the request hit an operation of the spec. */
  operation?: string;
  requestHeaders: IncomingHttpHeaders;
  requestBody: string;
  /** What Prism answered. */
  status: number;
  contentType: string;
  /** Why the request is not valid (Prism's request violations, Prism errors, our query checks); empty when valid. */
  problems: string[];
  /** Prism complaining about the response it generated itself (its recursive error bodies): not the provider's fault. */
  prismNoise: string[];
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Reshapes Prism's answer to one exchange; return undefined to leave it alone. */
export type Override = (x: Exchange, reply: Reply) => Reply | undefined;

interface Violation {
  location?: string[];
  code?: string | number;
  message?: string;
}

const PRISM_ERROR = 'https://stoplight.io/prism/errors#';

/** The Prism CLI entry point from node_modules (a devDependency). */
export function prismBin(): string {
  const require = createRequire(__filename);
  let pkgFile: string;
  try {
    pkgFile = require.resolve('@stoplight/prism-cli/package.json');
  } catch {
    throw new Error('@stoplight/prism-cli is not installed: run `npm install` (it is a devDependency).');
  }
  const pkg = require(pkgFile) as { bin?: string | Record<string, string> };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.prism;
  if (!bin) throw new Error(`${pkgFile} declares no prism bin`);
  return join(dirname(pkgFile), bin);
}

async function freePort(): Promise<number> {
  const s = createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** Starts `prism mock <spec> --errors` on a free port; resolves once it listens. */
export async function startPrism(specFile: string, opts: { timeoutMs?: number } = {}): Promise<{ origin: string; child: ChildProcess; output: () => string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [prismBin(), 'mock', specFile, '--host', '127.0.0.1', '--port', String(port), '--errors'], {
    env: { ...process.env, SCARF_ANALYTICS: 'false', FORCE_COLOR: '0', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Never leave Prism behind, even when the test process ends abruptly.
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  child.once('exit', () => process.off('exit', kill));
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out = (out + d).slice(-200_000)));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out = (out + d).slice(-200_000)));
  const timeoutMs = opts.timeoutMs ?? 120_000;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Prism did not start within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const onData = () => {
      if (/Prism is listening on/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited (${code}) before listening:\n${out}`));
    });
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

function parseViolations(header: string | string[] | undefined): Violation[] {
  if (!header) return [];
  try {
    const v = JSON.parse(Array.isArray(header) ? header.join('') : header) as unknown;
    return Array.isArray(v) ? (v as Violation[]) : [];
  } catch {
    return [{ message: `unparsable sl-violations header: ${String(header).slice(0, 200)}` }];
  }
}

const describeViolation = (v: Violation) => `${(v.location ?? []).join('.')}: ${v.message ?? v.code ?? 'violation'}`;

/** Apple's error document, so the provider maps it like a real one. */
export function appleError(status: number, code: string, detail: string): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify({ errors: [{ status: String(status), code, title: 'Contract test', detail }] })),
  };
}

/** Classifies Prism's answer: request problems vs. Prism's complaints about its own generated response. */
function judge(status: number, headers: IncomingHttpHeaders, body: Buffer): { problems: string[]; noise: string[] } {
  const problems: string[] = [];
  const noise: string[] = [];
  for (const v of parseViolations(headers['sl-violations'])) {
    // Only violations located in the response are about Prism's own answer; the rest (request, security) count.
    if (v.location?.[0] === 'response') noise.push(describeViolation(v));
    else problems.push(`Prism: ${describeViolation(v)}`);
  }
  const type = String(headers['content-type'] ?? '');
  if (type.includes('application/problem+json')) {
    let doc: { type?: string; title?: string; detail?: string; status?: number } = {};
    try {
      doc = JSON.parse(body.toString('utf8')) as typeof doc;
    } catch {
      // not JSON: reported below by status
    }
    if (doc.type?.startsWith(PRISM_ERROR)) {
      const kind = doc.type.slice(PRISM_ERROR.length);
      // VIOLATIONS lists the request violations (already in sl-violations) and response violations (noise).
      if (kind !== 'VIOLATIONS') problems.push(`Prism ${status} ${kind}: ${doc.title ?? ''}${doc.detail ? ` (${doc.detail})` : ''}`);
      else if (!problems.length && !noise.length) problems.push(`Prism ${status} ${kind}: ${doc.detail ?? ''}`);
    }
  }
  return { problems, noise };
}

/** Removes every `links.next` (Prism's `../dictionary`) so the provider does not page into a path that is not there. */
function dropNext(doc: unknown): unknown {
  if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
    const links = (doc as { links?: Record<string, unknown> }).links;
    if (links && typeof links === 'object' && 'next' in links) delete links.next;
  }
  return doc;
}

export class RecordingProxy {
  readonly exchanges: Exchange[] = [];
  private readonly overrides: Override[] = [];
  private server: Server | undefined;
  origin = '';

  constructor(
    private readonly prismOrigin: string,
    /** The unrelaxed spec (operations and our query checks). */
    private readonly spec: OpenApi,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.handle(req.method ?? 'GET', req.url ?? '/', req.headers, Buffer.concat(chunks)).then(
          (reply) => {
            res.writeHead(reply.status, { ...reply.headers, 'content-length': String(reply.body.length) });
            res.end(reply.body);
          },
          (e: unknown) => {
            res.writeHead(502, { 'content-type': 'text/plain' });
            res.end(`contract proxy: ${(e as Error).stack ?? String(e)}`);
          },
        );
      });
    });
    this.server.keepAliveTimeout = 1000;
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((r) => this.server!.close(r));
  }

  /** Reshape answers while `fn` runs (after Prism has validated the requests). */
  async with<T>(override: Override, fn: () => Promise<T>): Promise<T> {
    this.overrides.push(override);
    try {
      return await fn();
    } finally {
      this.overrides.splice(this.overrides.indexOf(override), 1);
    }
  }

  private async handle(method: string, url: string, headers: IncomingHttpHeaders, body: Buffer): Promise<Reply> {
    const u = new URL(url, 'http://proxy');
    const found = findOperation(this.spec, method, u.pathname);
    const own: string[] = [];
    if (!found?.operation) own.push(`${method} ${u.pathname} is not an operation of the spec${found ? ` (${found.template} has no ${method})` : ''}`);
    else own.push(...checkQuery(found, u.searchParams).map((p) => `query ${p}`));

    const forward = { ...headers };
    delete forward.host;
    delete forward.connection;
    const answer = await new Promise<Reply>((resolve, reject) => {
      const r = httpRequest(`${this.prismOrigin}${url}`, { method, headers: forward }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const h: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h[k] = Array.isArray(v) ? v.join(', ') : v;
          resolve({ status: res.statusCode ?? 0, headers: h, body: Buffer.concat(chunks) });
        });
        res.on('error', reject);
      });
      r.on('error', reject);
      r.end(body);
    });
    const verdict = judge(answer.status, answer.headers as IncomingHttpHeaders, answer.body);
    const x: Exchange = {
      method,
      url,
      path: u.pathname,
      query: u.searchParams,
      ...(found?.operation && { operation: found.key }),
      requestHeaders: headers,
      requestBody: body.toString('utf8'),
      status: answer.status,
      contentType: answer.headers['content-type'] ?? '',
      problems: [...verdict.problems, ...own],
      prismNoise: verdict.noise,
    };
    this.exchanges.push(x);
    if (x.problems.length) return appleError(400, 'PARAMETER_ERROR.INVALID', `Contract violation: ${x.problems.join('; ')}`);

    let reply: Reply = answer;
    if (verdict.noise.length) {
      // Prism replaced an answer it generated itself (an error body failing its own schema); the request was valid.
      reply = answer.status >= 500 ? appleError(500, 'UNEXPECTED_ERROR', `Prism generated an invalid response: ${verdict.noise[0]}`) : answer;
    } else if (/json/.test(x.contentType) && answer.body.length) {
      reply = { ...answer, body: Buffer.from(JSON.stringify(dropNext(JSON.parse(answer.body.toString('utf8'))))) };
    }
    for (const o of [...this.overrides].reverse()) reply = o(x, reply) ?? reply;
    const headersOut = { ...reply.headers };
    delete headersOut['content-length'];
    delete headersOut['transfer-encoding'];
    delete headersOut['sl-violations'];
    return { ...reply, headers: headersOut };
  }
}

/** One line per exchange with a problem, for assertion messages. */
export function formatProblems(xs: readonly Exchange[]): string {
  return xs
    .filter((x) => x.problems.length)
    .map((x) => `${x.method} ${decodeURIComponent(x.url)}\n${x.problems.map((p) => `    - ${p}`).join('\n')}${x.requestBody ? `\n    body: ${x.requestBody.slice(0, 600)}` : ''}`)
    .join('\n');
}
