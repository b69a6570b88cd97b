// Shared setup of the provider unit suites: the real sandbox for a suite (started before it, reset before each test,
// closed after it with the connections it made), connections on in-memory secret and state stores, typed errors
// and the CLI run in-process.
import assert from 'node:assert/strict';
import { after, before, beforeEach } from 'node:test';
import { isProviderError, type ProviderError } from '../../../src/core/errors';
import { MemoryLogger } from '../../../src/core/logger';
import { main } from '../../../src/cli/index';
import { memorySecretStore, memoryStateStore } from '../../../src/providers/shared/providerKit';
import { secretKey, type AccountConfig, type Connection, type ProviderDefinition, type StateStore } from '../../../src/providers/types';
import { startSandbox, type Sandbox } from '../../../sandbox/server';
import type { SandboxOptions } from '../../../sandbox/types';

export interface SandboxHookOptions {
  /** Options of the sandbox (defaults otherwise). */
  options?: Partial<SandboxOptions>;
  /** Reset the sandbox before each test (default true). */
  reset?: boolean;
}

/**
 * The hooks of a suite on the real sandbox: it starts before the suite (`started` gets it), is reset before each
 * test unless `reset: false`, and is closed after the suite once the connections given to `track` are disposed.
 */
export function useSandbox(started: (sb: Sandbox) => void, opts: SandboxHookOptions = {}): { track<C extends Connection>(conn: C): C } {
  let sb: Sandbox | undefined;
  const open: Connection[] = [];
  before(async () => {
    sb = await startSandbox(opts.options);
    started(sb);
  });
  after(async () => {
    for (const c of open) c.dispose?.();
    await sb?.close();
  });
  if (opts.reset ?? true) beforeEach(() => sb!.reset());
  return {
    track: (conn) => {
      open.push(conn);
      return conn;
    },
  };
}

export interface Connected<C extends Connection> {
  conn: C;
  logger: MemoryLogger;
  secrets: ReturnType<typeof memorySecretStore>;
  account: AccountConfig;
}

/**
 * Connects `account` with `provider` on in-memory stores; `secrets` are by name (`{ privateKey: … }`), stored under
 * the account's keys, unless `opts.secrets` gives the store to use (e.g. one an earlier connection wrote to).
 */
export function connectAccount<C extends Connection = Connection>(
  provider: Pick<ProviderDefinition, 'connect'>,
  account: AccountConfig,
  secrets: Record<string, string>,
  opts: { logger?: MemoryLogger; state?: StateStore; secrets?: ReturnType<typeof memorySecretStore> } = {},
): Connected<C> {
  const logger = opts.logger ?? new MemoryLogger();
  const store = opts.secrets ?? memorySecretStore(Object.fromEntries(Object.entries(secrets).map(([name, value]) => [secretKey(account.id, name), value])));
  const conn = provider.connect(account, { logger, secrets: store, state: opts.state ?? memoryStateStore() }) as C;
  return { conn, logger, secrets: store, account };
}

/** The ProviderError `p` rejects with (fails if it resolves or rejects with anything else). */
export async function rejects(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (e) {
    assert.ok(isProviderError(e), `expected a ProviderError, got ${e instanceof Error ? e.stack : String(e)}`);
    return e;
  }
  assert.fail('expected a rejection');
}

/** Runs the CLI in-process with `env` set (undefined: unset) for the call; what it printed and its exit code. */
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
