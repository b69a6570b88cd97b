// Small helpers the AppTweak, AppsFlyer and Apptentive providers share: the HTTP client of a connection, secret
// lookup (registered with the redactor before first use), base URLs, cursor paging over a fully fetched list,
// in-memory stores (verify probes, tests), and CLI argument helpers. No `vscode` import.
import { AuthError, ConfigError } from '../../core/errors';
import { HttpClient } from '../../core/http';
import { RedactingLogger, type Logger } from '../../core/logger';
import { registerSecret } from '../../core/redact';
import { secretKey, type AccountConfig, type CliArgs, type Page, type ProviderHost, type SecretStore, type StateStore } from '../types';

/** One HttpClient per connection (closed by `dispose`), honouring the host's proxy and timeout. */
export function createHttpClient(host: ProviderHost, logger: Logger): HttpClient {
  return new HttpClient({
    logger,
    proxy: host.proxy ? { url: host.proxy.url, strictSSL: host.proxy.strictSSL } : undefined,
    timeoutMs: host.timeoutMs,
  });
}

/** The host's logger behind a redactor: harmless when the host already redacts, essential when it does not. */
export function redactingLogger(logger: Logger): Logger {
  return logger instanceof RedactingLogger ? logger : new RedactingLogger(logger);
}

/**
 * Reads one secret of the account once, registers it with the redactor before anything can log it, and caches
 * the promise. A missing secret is an AuthError, so the tree offers "Reconnect".
 */
export function secretReader(host: ProviderHost, account: AccountConfig, name: string, provider: string, what: string): () => Promise<string> {
  let value: Promise<string> | undefined;
  return () => {
    value ??= host.secrets.get(secretKey(account.id, name)).then((v) => {
      const s = v?.trim();
      if (!s) {
        value = undefined;
        throw new AuthError({
          provider,
          summary: `No ${what} is stored for ${account.label}`,
          hint: `Reconnect the account and enter the ${what} again.`,
        });
      }
      registerSecret(s);
      return s;
    });
    return value;
  };
}

/**
 * The account's base URL (or the production default), without a trailing slash. When `suffix` is given and the
 * URL's path does not end with it, it is appended, so both `http://127.0.0.1:4321/apptweak` (a demo account) and
 * the full API root work.
 */
export function resolveBaseUrl(account: AccountConfig, defaultBaseUrl: string, provider: string, suffix?: string): string {
  const raw = (account.baseUrl?.trim() || defaultBaseUrl).replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError({ provider, summary: `The ${provider} base URL "${raw}" is not a URL`, hint: 'Check the account settings.' });
  }
  if (suffix && !url.pathname.replace(/\/+$/, '').endsWith(suffix)) return `${raw}${suffix}`;
  return raw;
}

/** Cursor paging over a list that is fetched whole (the API has no paging): the cursor is the offset. */
export function pageOf<T>(all: readonly T[], cursor: string | undefined, size: number): Page<T> {
  const start = cursor && /^\d+$/.test(cursor) ? Number(cursor) : 0;
  const items = all.slice(start, start + size);
  const next = start + size < all.length ? String(start + size) : undefined;
  return next === undefined ? { items, total: all.length } : { items, next, total: all.length };
}

/** Secrets in memory: a verify probe before anything is saved, the CLI, tests. */
export function memorySecretStore(initial: Record<string, string> = {}): SecretStore & { readonly data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    get: async (k) => data.get(k),
    store: async (k, v) => {
      data.set(k, v);
    },
    delete: async (k) => {
      data.delete(k);
    },
  };
}

/** Non-secret state in memory; values are deep-copied like a real store would serialise them. */
export function memoryStateStore(initial: Record<string, unknown> = {}): StateStore & { readonly data: Map<string, unknown> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    get: async <T>(k: string) => structuredClone(data.get(k)) as T | undefined,
    set: async <T>(k: string, v: T) => {
      data.set(k, structuredClone(v));
    },
  };
}

/** A string flag (`--tags a,b`), or undefined when absent or given without a value. */
export function flagString(args: CliArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' ? v : undefined;
}

/** A required positional argument; a ConfigError that shows the usage when it is missing. */
export function positional(args: CliArgs, index: number, what: string, usage: string, provider: string): string {
  const v = args.positional[index]?.trim();
  if (!v) throw new ConfigError({ provider, summary: `Missing ${what}`, hint: `Usage: appdesk --provider ${usage}` });
  return v;
}

