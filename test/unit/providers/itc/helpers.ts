// Shared helpers of the iTunes Connect provider tests: recordings on disk, a connection against the sandbox,
// and assertions on typed errors.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isProviderError, type ProviderError } from '../../../../src/core/errors';
import { MemoryLogger } from '../../../../src/core/logger';
import { itcProvider, type ItcConnection } from '../../../../src/providers/itc';
import { memorySecretStore, memoryStateStore } from '../../../../src/providers/shared/providerKit';
import { secretKey, type AccountConfig, type AppSummary } from '../../../../src/providers/types';
import type { Sandbox } from '../../../../sandbox/server';
import type { ItcEmulator } from '../../../../sandbox/itc';
import { main } from '../../../../src/cli/index';

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

export interface Connected {
  conn: ItcConnection;
  logger: MemoryLogger;
  secrets: ReturnType<typeof memorySecretStore>;
  account: AccountConfig;
}

export function connect(
  baseUrl: string,
  appleId: string,
  password: string,
  opts: { id?: string; secrets?: ReturnType<typeof memorySecretStore>; logger?: MemoryLogger; settings?: Record<string, string> } = {},
): Connected {
  const id = opts.id ?? 'itc-test';
  const account: AccountConfig = { id, providerId: 'itc', label: 'iTunes Connect', baseUrl, settings: { appleId, ...opts.settings } };
  const secrets = opts.secrets ?? memorySecretStore({ [secretKey(id, 'password')]: password });
  const logger = opts.logger ?? new MemoryLogger();
  const conn = itcProvider.connect(account, { logger, secrets, state: memoryStateStore() }) as ItcConnection;
  return { conn, logger, secrets, account };
}

export async function rejects(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (e) {
    assert.ok(isProviderError(e), `expected a ProviderError, got ${e instanceof Error ? e.stack : String(e)}`);
    return e;
  }
  assert.fail('expected a rejection');
}

export const app = (id: string): AppSummary => ({ id, name: id, storeId: id });

/** Sign-in POSTs the sandbox saw (the form action is under `/wo/`). */
export function loginPosts(sb: Sandbox): number {
  return sb.requests().filter((r) => r.method === 'POST' && r.path.includes('/WebObjects/iTunesConnect.woa/wo/')).length;
}

export async function cli(argv: string[], env: Record<string, string | undefined>): Promise<{ code: number; out: string; err: string }> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  const out: string[] = [];
  const err: string[] = [];
  try {
    const code = await main(argv, (s) => out.push(s), (s) => err.push(s));
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
}
