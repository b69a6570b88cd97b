// Connections of the real providers to the sandbox, as the CLI and the unit tests build them: an account on the
// sandbox's demo credentials, secrets and state in memory (a fresh StateStore per connection, so AppsFlyer's
// persisted daily budget starts empty each run).
import type { Clock } from '../../src/core/clock';
import { nullLogger } from '../../src/core/logger';
import { appsFlyerProvider } from '../../src/providers/appsflyer';
import { APPSFLYER_SECRET } from '../../src/providers/appsflyer';
import { AscConnection, ascProvider } from '../../src/providers/asc';
import { memorySecretStore, memoryStateStore } from '../../src/providers/shared/providerKit';
import { secretKey, type AccountConfig, type Connection, type ProviderHost, type StateStore } from '../../src/providers/types';

let counter = 0;

export interface AscCreds {
  baseUrl: string;
  keyId: string;
  issuerId: string;
  privateKey: string;
}

/** The sandbox's credentials, by emulator (`sandbox.credentials()`). */
export type SandboxCredentials = Record<string, Record<string, unknown>>;

/** `clock` goes to the provider as `host.clock`: the bulk measure's scaled API clock. */
export function connectAsc(credentials: SandboxCredentials, clock?: Clock): AscConnection {
  const c = credentials.asc as unknown as AscCreds;
  const id = `bench-asc-${++counter}`;
  const account: AccountConfig = { id, providerId: 'asc', label: 'Bench ASC', baseUrl: c.baseUrl, settings: { keyId: c.keyId, issuerId: c.issuerId } };
  const host: ProviderHost = { logger: nullLogger, secrets: memorySecretStore({ [secretKey(id, 'privateKey')]: c.privateKey }), state: memoryStateStore(), clock };
  return ascProvider.connect(account, host) as AscConnection;
}

/** `state` is the account's persisted state (its request budget, the app count it last saw); fresh by default. */
export function connectAppsFlyer(credentials: SandboxCredentials, capability = 'protect_360', state: StateStore = memoryStateStore()): Connection {
  const c = credentials.appsflyer as { baseUrl: string; token: string };
  const id = `bench-af-${++counter}`;
  const account: AccountConfig = { id, providerId: 'appsflyer', label: 'Bench AppsFlyer', baseUrl: c.baseUrl, settings: { capability } };
  return appsFlyerProvider.connect(account, {
    logger: nullLogger,
    secrets: memorySecretStore({ [secretKey(id, APPSFLYER_SECRET)]: c.token }),
    state,
  });
}

/** Every page of a listing, cursor after cursor, as the CLI's `apps` command and the tree's "load more" walk it. */
export async function listAll(conn: Connection): Promise<number> {
  let n = 0;
  let cursor: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const p = await conn.listApps({ cursor });
    n += p.items.length;
    cursor = p.next;
    if (!cursor) return n;
  }
  throw new Error('listing did not end after 1000 pages');
}
