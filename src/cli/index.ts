// `appdesk`: the headless CLI over the same provider services as the extension, for scripts and CI.
// Exit codes: 0 success; 1 API, network or credential error (one clear line on stderr); 2 usage error.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { isProviderError } from '../core/errors';
import { RedactingLogger, streamLogger } from '../core/logger';
import { registerSecret } from '../core/redact';
import { providerById, providers } from '../providers/registry';
import { secretKey, type AccountConfig, type CliArgs, type CliCommand, type CliResult, type Connection, type ProviderDefinition, type StateStore } from '../providers/types';

import { UsageError } from './usage';

const globalFlags = new Set(['provider', 'base-url', 'json', 'account', 'verbose', 'help']);

export function parseArgs(argv: string[]): CliArgs {
  const positional: string[] = [];
  const flags: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { positional.push(...argv.slice(i + 1)); break; }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) { flags[a.slice(2, eq)] = a.slice(eq + 1); continue; }
      const name = a.slice(2);
      const next = argv[i + 1];
      const boolean = ['json', 'verbose', 'help', 'live', 'archived', 'active', 'inactive', 'skip-checks', 'undo'].includes(name);
      if (!boolean && next !== undefined && !next.startsWith('--')) { flags[name] = next; i++; } else flags[name] = true;
    } else if (a === '-h') flags.help = true;
    else positional.push(a);
  }
  return { positional, flags };
}

const genericCommands: CliCommand[] = [
  {
    name: 'accounts',
    usage: 'accounts',
    description: 'The account the credentials belong to, or its integrations where the provider has several.',
    async run(conn) {
      if (conn.listGroups) {
        const items = await collect((cursor) => conn.listGroups!({ cursor }));
        return { data: items, text: items.map((g) => [g.id, g.label, g.description ?? ''].join('\t')) };
      }
      await conn.verify();
      return { data: [{ id: conn.account.id, label: conn.account.label }], text: [conn.account.label] };
    },
  },
  {
    name: 'apps',
    usage: 'apps [--account <id>]',
    description: 'Every app of the account (all pages).',
    async run(conn, args) {
      const groupId = typeof args.flags.account === 'string' ? args.flags.account : undefined;
      const apps = await collect((cursor) => conn.listApps({ cursor, groupId }));
      return { data: apps, text: apps.map((a) => [a.id, a.name, a.bundleId ?? '', a.platform ?? ''].join('\t')) };
    },
  },
];

async function collect<T>(page: (cursor?: string) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  do {
    const p = await page(cursor);
    all.push(...p.items);
    cursor = p.next;
  } while (cursor);
  return all;
}

function help(def?: ProviderDefinition): string {
  const lines = [
    'Usage: appdesk --provider <asc|itc|apptweak|appsflyer|apptentive> [--base-url <url>] [--json] <command> [args]',
    '',
    'Global options:',
    '  --provider <id>    which service (required)',
    '  --base-url <url>   API base URL (plain http only for loopback, e.g. the sandbox)',
    '  --json             machine-readable result on stdout',
    '  --account <id>     an account or integration, where the provider has several',
    '  --verbose          request log on stderr (secrets redacted)',
    '',
  ];
  for (const p of def ? [def] : providers) {
    lines.push(`${p.label} (--provider ${p.id}); credentials from ${(p.environmentVariables ?? []).join(', ') || '—'}:`);
    const accountFlags = (p.cliAccountFlags ?? []).map((f) => ` [--${f} <value>]`).join('');
    for (const c of [...genericCommands, ...(p.cliCommands ?? [])]) lines.push(`  ${(c.usage + (c.name === 'apps' ? accountFlags : '')).padEnd(44)} ${c.description}`);
    lines.push('');
  }
  return lines.join('\n');
}

function checkBaseUrl(raw: string): string {
  let url: URL;
  try { url = new URL(raw); } catch { throw new UsageError(`--base-url "${raw}" is not a URL`); }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new UsageError('--base-url must be https (plain http is accepted only for loopback addresses)');
  }
  return raw.replace(/\/$/, '');
}

/** Small JSON file for state that must survive between CLI runs (AppsFlyer's daily request budget). */
function fileStateStore(): StateStore {
  const file = join(process.env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'appdesk', 'cli-state.json');
  const read = (): Record<string, unknown> => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {});
  return {
    get: async <T>(key: string) => read()[key] as T | undefined,
    set: async <T>(key: string, value: T) => {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify({ ...read(), [key]: value }), { mode: 0o600 });
    },
  };
}

export async function main(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
    const providerFlag = args.flags.provider;
    if (args.flags.help || args.positional[0] === 'help') {
      out(help(typeof providerFlag === 'string' ? providerById(providerFlag) : undefined));
      return 0;
    }
    if (typeof providerFlag !== 'string') throw new UsageError('--provider is required');
    const def = providerById(providerFlag);
    if (!def) throw new UsageError(`unknown provider "${providerFlag}" (one of ${providers.map((p) => p.id).join(', ')})`);
    const [name, ...rest] = args.positional;
    if (!name) throw new UsageError('a command is required');
    const command = [...genericCommands, ...(def.cliCommands ?? [])].find((c) => c.name === name);
    if (!command) throw new UsageError(`unknown command "${name}" for ${def.label}; see --help`);
    const baseUrl = typeof args.flags['base-url'] === 'string' ? checkBaseUrl(args.flags['base-url']) : undefined;
    const accountFlags = new Set(def.cliAccountFlags ?? []);
    for (const f of Object.keys(args.flags)) {
      if (!globalFlags.has(f) && !accountFlags.has(f) && !command.usage.includes(`--${f}`)) throw new UsageError(`unknown option --${f} for ${name}`);
    }

    const fromEnv = def.fromEnvironment?.(process.env, (p) => readFileSync(p, 'utf8'), args.flags);
    if (!fromEnv) {
      err(`appdesk: ${def.label} credentials are missing: set ${(def.environmentVariables ?? []).join(', ')}.`);
      return 1;
    }
    const account: AccountConfig = { id: 'cli', providerId: def.id, label: fromEnv.label, baseUrl, settings: fromEnv.settings };
    const secrets = new Map(Object.entries(fromEnv.secrets).map(([k, v]) => [secretKey(account.id, k), v]));
    for (const secret of Object.values(fromEnv.secrets)) registerSecret(secret);
    const logger = new RedactingLogger(streamLogger(err, args.flags.verbose ? 'debug' : 'error'));
    const conn: Connection = def.connect(account, {
      logger,
      secrets: { get: async (k) => secrets.get(k), store: async (k, v) => { secrets.set(k, v); }, delete: async (k) => { secrets.delete(k); } },
      state: fileStateStore(),
      proxy: { url: process.env.HTTPS_PROXY ?? process.env.https_proxy, strictSSL: true },
    });
    const ac = new AbortController();
    const onSigint = () => ac.abort();
    process.once('SIGINT', onSigint);
    let result: CliResult;
    try {
      result = await command.run(conn, { positional: rest, flags: args.flags }, ac.signal);
    } finally {
      conn.dispose?.();
      process.removeListener('SIGINT', onSigint);
    }
    out(args.flags.json ? JSON.stringify(result.data, null, 2) : result.text.join('\n'));
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      err(`appdesk: ${e.message}\nRun "appdesk --help" for usage.`);
      return 2;
    }
    if (isProviderError(e)) {
      err(`appdesk: ${e.message}`);
      return 1;
    }
    err(`appdesk: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
