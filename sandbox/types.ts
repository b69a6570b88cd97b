// Shared shapes for the sandbox: one local HTTP server that emulates the five provider APIs.
// Each emulator owns a path prefix (`/asc`, `/itc`, `/apptweak`, `/appsflyer`, `/apptentive`) and
// verifies what the real service verifies, so a wrong client fails here as it would in production.
import type { IncomingHttpHeaders } from 'node:http';

export interface SandboxRequest {
  method: string;
  /** Full URL as received, including the emulator prefix. */
  url: URL;
  /** Path with the emulator prefix removed, e.g. `/v1/apps` for `/asc/v1/apps`. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Origin of the sandbox, e.g. `http://127.0.0.1:4321`, for building absolute links. */
  origin: string;
}

export interface SandboxResponse {
  status: number;
  headers?: Record<string, string | string[]>;
  /** Objects are sent as JSON (`application/json` unless a content-type header is given). */
  body?: string | Buffer | object;
}

export interface SandboxOptions {
  /** Time from a request's arrival to its answer, in milliseconds (benchmarks inject network latency); the emulator works within it. */
  latencyMs: number;
  /** Rate-limit clock speed-up: 60 means one real second counts as a minute. */
  clockScale: number;
  /** Data scale: how many apps each emulator seeds (bench uses thousands). */
  ascApps: number;
  appsflyerApps: number;
  /** Share of API requests (0–1) answered with a random 500/502/503 before reaching the emulator. */
  errorRate: number;
  /** Seed of the deterministic generator behind `errorRate`, so a failing run can be replayed. */
  seed: number;
  /** Hostile mode: every text field of every JSON answer carries markup, links, control characters and long names (sandbox/shared/hostile.ts). */
  hostile?: boolean;
}

export interface SandboxContext {
  options: SandboxOptions;
  /** Current time in ms on the (possibly scaled) rate-limit clock. */
  now(): number;
}

export interface ApiEmulator {
  /** Path prefix without trailing slash, e.g. `/asc`. */
  readonly prefix: string;
  handle(req: SandboxRequest): Promise<SandboxResponse> | SandboxResponse;
  /** Back to the seeded state (tests call this between cases). */
  reset(): void;
  /** Demo credentials a newcomer (or a test) can use against this emulator. */
  credentials(): Record<string, unknown>;
}

/** Test hooks: queued faults applied to the next matching requests. */
export interface Fault {
  /** Emulator prefix (`/asc`) or `*`. */
  prefix: string;
  /** Optional substring the path must contain. */
  pathIncludes?: string;
  kind: 'status' | 'reset' | 'delay' | 'malformed';
  status?: number;
  body?: string | object;
  headers?: Record<string, string>;
  delayMs?: number;
  /** How many requests it applies to (default 1). */
  times?: number;
}
