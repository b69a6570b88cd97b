// Shared helpers of the iTunes Connect provider tests: recordings on disk, a connection against the sandbox and
// the hooks of a suite on a signed-in connection. Built on ../support.ts.
import { afterEach, beforeEach } from 'node:test';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { MemoryLogger } from '../../../../src/core/logger';
import { itcProvider, type ItcConnection } from '../../../../src/providers/itc';
import type { memorySecretStore } from '../../../../src/providers/shared/providerKit';
import type { AccountConfig, AppSummary } from '../../../../src/providers/types';
import type { Sandbox } from '../../../../sandbox/server';
import type { ItcEmulator } from '../../../../sandbox/itc';
import { connectAccount, useSandbox, type Connected } from '../support';

const REL = join('test', 'unit', 'providers', 'itc', 'fixtures');

/** The copied recordings (works from the bundled `out/test/...` and from the source tree). */
export function fixturesDir(): string {
  for (let dir = resolve(__dirname); ; dir = dirname(dir)) {
    if (existsSync(join(dir, REL))) return join(dir, REL);
    if (dirname(dir) === dir) break;
  }
  const fromCwd = join(process.cwd(), REL);
  if (existsSync(fromCwd)) return fromCwd;
  throw new Error(`cannot find ${REL}`);
}

export function fixtureText(path: string): string {
  return readFileSync(join(fixturesDir(), path), 'utf8');
}

export function fixture(path: string): unknown {
  return JSON.parse(fixtureText(path)) as unknown;
}

export interface ItcCreds {
  baseUrl: string;
  appleId: string;
  password: string;
  twoFactorAppleId: string;
  twoFactorCode: string;
}

export function itcCreds(sb: Sandbox): ItcCreds {
  return sb.credentials().itc as unknown as ItcCreds;
}

export function itcEmulator(sb: Sandbox): ItcEmulator {
  return sb.emulators.find((e) => e.prefix === '/itc') as ItcEmulator;
}

export function connect(
  baseUrl: string,
  appleId: string,
  password: string,
  opts: { id?: string; secrets?: ReturnType<typeof memorySecretStore>; logger?: MemoryLogger; settings?: Record<string, string> } = {},
): Connected<ItcConnection> {
  const id = opts.id ?? 'itc-test';
  const account: AccountConfig = { id, providerId: 'itc', label: 'iTunes Connect', baseUrl, settings: { appleId, ...opts.settings } };
  return connectAccount<ItcConnection>(itcProvider, account, { password }, { logger: opts.logger, secrets: opts.secrets });
}

/**
 * The hooks of a suite on one signed-in connection (the sandbox's as in useSandbox; `started` gets it and its demo
 * credentials): before each test, after the reset, a new connection on the demo Apple ID signs in and the requests
 * are cleared (`connected` gets it); it is disposed after the test.
 */
export function useSignedIn(started: (sb: Sandbox, creds: ItcCreds) => void, connected: (c: ItcConnection) => void): void {
  let sb: Sandbox;
  let creds: ItcCreds;
  let c: ItcConnection | undefined;
  useSandbox((s) => {
    sb = s;
    creds = itcCreds(s);
    started(s, creds);
  });
  beforeEach(async () => {
    c = connect(creds.baseUrl, creds.appleId, creds.password).conn;
    connected(c);
    await c.verify();
    sb.clearRequests();
  });
  afterEach(() => c?.dispose());
}

export const app = (id: string): AppSummary => ({ id, name: id, storeId: id });

/** Sign-in POSTs the sandbox saw (the form action is under `/wo/`). */
export function loginPosts(sb: Sandbox): number {
  return sb.requests().filter((r) => r.method === 'POST' && r.path.includes('/WebObjects/iTunesConnect.woa/wo/')).length;
}
