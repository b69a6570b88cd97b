// Shared setup for the App Store Connect provider tests: the real sandbox, an account on its demo keys, in-memory
// secret and state stores, and a MemoryLogger that records everything (trace level). Built on ../support.ts.
import { afterEach, beforeEach } from 'node:test';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { MemoryLogger } from '../../../../src/core/logger';
import { AscConnection, ascProvider } from '../../../../src/providers/asc';
import type { AccountConfig, AppSummary } from '../../../../src/providers/types';
import type { AscEmulator } from '../../../../sandbox/asc';
import { startSandbox, type Sandbox } from '../../../../sandbox/server';
import type { SandboxOptions } from '../../../../sandbox/types';
import { connectAccount, useSandbox, type SandboxHookOptions } from '../support';

export const LUMEN = '1581234567';
export const TRAILHEAD = '1609876543';
export const POCKET = '1634567890';
export const TIDEPOOL = '1672345678';

/** test/unit/providers/asc/fixtures, from the source tree or the bundled test in out/. */
export function fixturesDir(): string {
  const candidates = [resolve(__dirname, 'fixtures'), resolve(__dirname, '../../../../../test/unit/providers/asc/fixtures'), resolve('test/unit/providers/asc/fixtures')];
  const dir = candidates.find((d) => existsSync(join(d, 'asc_key.p8')));
  if (!dir) throw new Error(`fixtures not found (tried ${candidates.join(', ')})`);
  return dir;
}

export function fixture(name: string): string {
  return readFileSync(join(fixturesDir(), name), 'utf8');
}

export interface AscCreds {
  baseUrl: string;
  keyId: string;
  issuerId: string;
  privateKey: string;
  individual: { keyId: string; privateKey: string };
  vendorNumber: string;
}

export interface Harness {
  sandbox: Sandbox;
  emulator: AscEmulator;
  creds: AscCreds;
  close(): Promise<void>;
}

function harnessOf(sandbox: Sandbox): Harness {
  const emulator = sandbox.emulators.find((e) => e.prefix === '/asc') as AscEmulator;
  const creds = sandbox.credentials().asc as unknown as AscCreds;
  return { sandbox, emulator, creds, close: () => sandbox.close() };
}

export async function startHarness(opts: Partial<SandboxOptions> = {}): Promise<Harness> {
  return harnessOf(await startSandbox(opts));
}

/**
 * The sandbox hooks of an App Store Connect suite (see useSandbox; `started` gets the harness). With
 * `connectEachTest`, a connection on the team key is made before each test (after the reset) and disposed after it.
 */
export function useHarness(started: (h: Harness) => void, opts: SandboxHookOptions & { connectEachTest?: (conn: AscConnection) => void } = {}): void {
  let h: Harness;
  useSandbox((sb) => {
    h = harnessOf(sb);
    started(h);
  }, opts);
  const each = opts.connectEachTest;
  if (!each) return;
  let conn: AscConnection | undefined;
  beforeEach(() => {
    conn = connect(h).conn;
    each(conn);
  });
  afterEach(() => conn?.dispose());
}

let counter = 0;

/** A connection on the sandbox's team key (or its individual key). */
export function connect(
  h: Harness,
  opts: { individual?: boolean; keyId?: string; issuerId?: string; privateKey?: string; logger?: MemoryLogger; baseUrl?: string } = {},
): { conn: AscConnection; logger: MemoryLogger; account: AccountConfig } {
  const id = `test-${++counter}`;
  const keyId = opts.keyId ?? (opts.individual ? h.creds.individual.keyId : h.creds.keyId);
  const privateKey = opts.privateKey ?? (opts.individual ? h.creds.individual.privateKey : h.creds.privateKey);
  const settings: Record<string, string> = { keyId, vendorNumber: h.creds.vendorNumber };
  const issuerId = opts.issuerId ?? (opts.individual ? '' : h.creds.issuerId);
  if (issuerId) settings.issuerId = issuerId;
  const account: AccountConfig = { id, providerId: 'asc', label: 'Test ASC', baseUrl: opts.baseUrl ?? h.creds.baseUrl, settings };
  return connectAccount<AscConnection>(ascProvider, account, { privateKey }, { logger: opts.logger });
}

export function app(id: string, name = id, primaryLocale = 'en-US'): AppSummary {
  return { id, name, data: { primaryLocale } };
}

/** Requests the sandbox saw for the ASC emulator since `from` (an index into the log). */
export function ascRequests(h: Harness, from = 0): { method: string; path: string; status: number }[] {
  return h.sandbox
    .requests()
    .slice(from)
    .filter((r) => r.path.startsWith('/asc/'))
    .map((r) => ({ method: r.method, path: r.path.slice(4), status: r.status }));
}

/** Records request bodies the ASC emulator receives (the sandbox log has no bodies). */
export function captureBodies(h: Harness): { bodies: { method: string; path: string; body: unknown }[]; stop(): void } {
  const original = h.emulator.handle;
  const bodies: { method: string; path: string; body: unknown }[] = [];
  h.emulator.handle = (req) => {
    if (req.body.length) {
      let body: unknown;
      try {
        body = JSON.parse(req.body.toString('utf8'));
      } catch {
        body = req.body.toString('utf8');
      }
      bodies.push({ method: req.method, path: req.path, body });
    }
    return original(req);
  };
  return {
    bodies,
    stop: () => {
      h.emulator.handle = original;
    },
  };
}

/** Holds each ASC request `delayMs` inside the emulator and records the highest number in flight at once. */
export function trackConcurrency(h: Harness, delayMs = 100): { maxInFlight(): number; stop(): void } {
  const original = h.emulator.handle;
  let inFlight = 0;
  let max = 0;
  h.emulator.handle = async (req) => {
    inFlight++;
    max = Math.max(max, inFlight);
    try {
      await new Promise((r) => setTimeout(r, delayMs));
      return await original(req);
    } finally {
      inFlight--;
    }
  };
  return {
    maxInFlight: () => max,
    stop: () => {
      h.emulator.handle = original;
    },
  };
}
