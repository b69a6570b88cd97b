// `appdesk --provider asc <command>`: the App Store Connect commands of the headless CLI. Each returns data (printed
// with --json) and lines for the terminal. `accounts` and `apps` are generic (src/cli/index.ts).
import { ValidationError } from '../../core/errors';
import { UsageError } from '../../cli/usage';
import type { MetadataDocument, ReadinessCheck, TableReport } from '../services';
import type { AppSummary, CliArgs, CliCommand, CliResult, Connection } from '../types';
import { AscConnection } from './connection';
import { fullName, stars } from './format';
import { PROVIDER } from './keys';
import type { Frequency } from './reports';

function asc(conn: Connection): AscConnection {
  if (conn instanceof AscConnection) return conn;
  throw new ValidationError({ provider: PROVIDER, summary: 'This command needs an App Store Connect account' });
}

function arg(args: CliArgs, i: number, name: string, usage: string): string {
  const v = args.positional[i];
  if (!v) throw new UsageError(`missing ${name} (usage: appdesk --provider asc ${usage})`);
  return v;
}

function flag(args: CliArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

async function app(conn: Connection, id: string, signal: AbortSignal): Promise<AppSummary> {
  return asc(conn).getApp(id, signal);
}

async function collect<T>(page: (cursor?: string) => Promise<{ items: T[]; next?: string }>, max = 20): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < max; n++) {
    const p = await page(cursor);
    all.push(...p.items);
    if (!p.next) break;
    cursor = p.next;
  }
  return all;
}

const tsv = (...cells: (string | number | null | undefined)[]) => cells.map((c) => (c === null || c === undefined ? '' : String(c).replace(/[\t\n]/g, ' '))).join('\t');

function readinessText(checks: ReadinessCheck[]): string[] {
  return checks.map((c) => `${c.ok ? '✓' : '✗'} ${c.label}`);
}

function metadataText(doc: MetadataDocument): string[] {
  const lines = [`${doc.version.versionString} (${doc.version.stateLabel})${doc.version.editable ? '' : ' — read-only'}`];
  // Version-wide fields (the copyright), the same in every locale.
  for (const f of doc.versionFields ?? []) lines.push(`${f.label}: ${doc.versionValues?.[f.key] ?? '—'}`);
  for (const l of doc.locales) {
    lines.push('', `[${l.locale}]`);
    for (const f of doc.fields) {
      const v = l.values[f.key];
      lines.push(`${f.label}: ${v === null || v === undefined ? '—' : v.includes('\n') ? `\n  ${v.replace(/\n/g, '\n  ')}` : v}`);
    }
  }
  return lines;
}

function tableText(t: TableReport): string[] {
  const totals = t.numericColumns.map((c) => {
    const i = t.columns.indexOf(c);
    const sum = t.rows.reduce((s, r) => s + (Number(r[i]) || 0), 0);
    return `${c}: ${Math.round(sum * 100) / 100}`;
  });
  return [t.columns.join('\t'), ...t.rows.map((r) => r.join('\t')), '', `${t.rows.length} rows; totals — ${totals.join(', ')}`];
}

/** The latest report Apple has: yesterday, last week (ending Sunday), last month, last year (UTC). */
export function defaultReportDate(frequency: Frequency, now = Date.now()): string {
  const d = new Date(now);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  if (frequency === 'YEARLY') return String(d.getUTCFullYear() - 1);
  if (frequency === 'MONTHLY') return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
  if (frequency === 'WEEKLY') return day(now - (d.getUTCDay() || 7) * 86_400_000);
  return day(now - 86_400_000);
}

export const ascCliCommands: readonly CliCommand[] = [
  {
    name: 'versions',
    usage: 'versions <appId>',
    description: 'App Store versions of an app with their state and build.',
    async run(conn, args, signal): Promise<CliResult> {
      const a = await app(conn, arg(args, 0, 'the app ID', 'versions <appId>'), signal);
      const versions = await asc(conn).services.metadata.listVersions(a, { signal });
      return { data: versions, text: versions.map((v) => tsv(v.id, v.versionString, v.platform, v.stateLabel, v.buildLabel)) };
    },
  },
  {
    name: 'metadata',
    usage: 'metadata <appId> [--version <versionId>] [--locale <locale>]',
    description: 'Metadata of a version (default: the one being prepared, else the newest), per locale.',
    async run(conn, args, signal) {
      const c = asc(conn);
      const a = await app(conn, arg(args, 0, 'the app ID', 'metadata <appId>'), signal);
      let versionId = flag(args, 'version');
      if (!versionId) {
        const versions = await c.services.metadata.listVersions(a, { signal });
        const pick = versions.find((v) => v.editable) ?? versions[0];
        if (!pick) throw new ValidationError({ provider: PROVIDER, summary: `${a.name} has no App Store version yet` });
        versionId = pick.id;
      }
      const doc = await c.services.metadata.load(a, versionId, { signal });
      const locale = flag(args, 'locale');
      const shown = locale ? { ...doc, locales: doc.locales.filter((l) => l.locale === locale) } : doc;
      if (locale && !shown.locales.length) throw new ValidationError({ provider: PROVIDER, summary: `No ${locale} localization`, details: [`Locales: ${doc.locales.map((l) => l.locale).join(', ')}`] });
      return { data: shown, text: metadataText(shown) };
    },
  },
  {
    name: 'builds',
    usage: 'builds <appId>',
    description: 'The 50 newest builds with marketing version, processing state and upload date.',
    async run(conn, args, signal) {
      const a = await app(conn, arg(args, 0, 'the app ID', 'builds <appId>'), signal);
      const page = await asc(conn).services.builds.list(a, { signal });
      const text = page.items.map((b) => tsv(b.id, `${b.version} (${b.buildNumber})`, String(b.details?.state ?? b.processingState), b.uploadedDate));
      if (page.next) text.push(`(${page.total ?? 'more'} builds in all; showing the newest ${page.items.length})`);
      return { data: page.items, text };
    },
  },
  {
    name: 'testers',
    usage: 'testers <appId> [--group <groupId>]',
    description: 'TestFlight groups and the testers of the app (or of one group).',
    async run(conn, args, signal) {
      const t = asc(conn).services.testers;
      const a = await app(conn, arg(args, 0, 'the app ID', 'testers <appId>'), signal);
      const groupId = flag(args, 'group');
      const [groups, testers] = await Promise.all([t.groups(a, { signal }), collect((cursor) => t.testers(a, { cursor, groupId, signal }))]);
      const names = new Map(groups.map((g) => [g.id, g.name]));
      return {
        data: { groups, testers },
        text: [
          'Groups:',
          ...groups.map((g) => `  ${tsv(g.id, g.name, g.internal ? 'internal' : 'external', g.testerCount)}`),
          `Testers${groupId ? ` of ${names.get(groupId) ?? groupId}` : ''}:`,
          ...testers.map((x) => `  ${tsv(x.id, x.email, fullName(x.firstName, x.lastName), x.state, (x.groups ?? []).map((g) => names.get(g)).filter(Boolean).join(', '))}`),
        ],
      };
    },
  },
  {
    name: 'add-tester',
    usage: 'add-tester <appId> <email> [--group <groupId>] [--first-name <name>] [--last-name <name>]',
    description: 'Adds a tester to a TestFlight group (the app\'s only external group when --group is omitted).',
    async run(conn, args, signal) {
      const usage = 'add-tester <appId> <email> [--group <groupId>]';
      const a = await app(conn, arg(args, 0, 'the app ID', usage), signal);
      const email = arg(args, 1, 'the email address', usage);
      const tester = await asc(conn).services.testers.add(
        a,
        { email, groupId: flag(args, 'group'), firstName: flag(args, 'first-name'), lastName: flag(args, 'last-name') },
        signal,
      );
      return { data: tester, text: [`Added ${tester.email} (${tester.id}) to ${(tester.groups ?? []).join(', ')}`] };
    },
  },
  {
    name: 'remove-tester',
    usage: 'remove-tester <appId> <email> [--group <groupId>]',
    description: 'Removes a tester from one group, or from the app (all its groups) without --group.',
    async run(conn, args, signal) {
      const usage = 'remove-tester <appId> <email> [--group <groupId>]';
      const t = asc(conn).services.testers;
      const a = await app(conn, arg(args, 0, 'the app ID', usage), signal);
      const email = arg(args, 1, 'the email address', usage);
      const tester = await t.findByEmail(email, signal);
      if (!tester) throw new ValidationError({ provider: PROVIDER, summary: `No TestFlight tester with the email ${email}` });
      const groupId = flag(args, 'group');
      await t.remove(a, tester, groupId);
      return { data: { removed: tester, from: groupId ?? a.id }, text: [`Removed ${tester.email} from ${groupId ? `group ${groupId}` : a.name}`] };
    },
  },
  {
    name: 'reviews',
    usage: 'reviews <appId> [--rating <1-5>] [--territory <USA>] [--answered <yes|no>] [--sort <newest|oldest|highest|lowest>]',
    description: 'Customer reviews, newest first, with their responses.',
    async run(conn, args, signal) {
      const a = await app(conn, arg(args, 0, 'the app ID', 'reviews <appId>'), signal);
      const rating = flag(args, 'rating');
      const answered = flag(args, 'answered');
      const sort = flag(args, 'sort');
      if (rating && !/^[1-5]$/.test(rating)) throw new UsageError('--rating must be 1 to 5');
      if (sort && !['newest', 'oldest', 'highest', 'lowest'].includes(sort)) throw new UsageError('--sort must be newest, oldest, highest or lowest');
      const page = await asc(conn).services.reviews.list(
        a,
        {
          ...(rating && { rating: Number(rating) }),
          ...(flag(args, 'territory') && { territory: flag(args, 'territory') }),
          ...(answered && { answered: /^(y|yes|true|1)$/i.test(answered) }),
          ...(sort && { sort: sort as 'newest' }),
        },
        { signal },
      );
      return {
        data: page.items,
        text: page.items.flatMap((r) => [
          tsv(r.id, stars(r.rating), r.territory, r.author, r.createdDate.slice(0, 10), r.title),
          `  ${r.body.replace(/\n/g, '\n  ')}`,
          ...(r.response ? [`  ↳ ${r.response.state ?? ''}: ${r.response.body}`] : []),
        ]),
      };
    },
  },
  {
    name: 'reply',
    usage: 'reply <reviewId> <text> [--app <appId>]',
    description: 'Responds to a customer review (replaces an existing response).',
    async run(conn, args, signal) {
      const usage = 'reply <reviewId> <text>';
      const reviews = asc(conn).services.reviews;
      const review = await reviews.get(arg(args, 0, 'the review ID', usage), signal);
      const text = args.positional.slice(1).join(' ');
      if (!text.trim()) arg(args, 1, 'the response text', usage);
      const appId = flag(args, 'app');
      const a: AppSummary = appId ? await app(conn, appId, signal) : { id: '', name: 'the app' };
      const response = await reviews.reply(a, review, text);
      return { data: response, text: [`Response ${response?.id ?? ''} ${response?.state === 'PUBLISHED' ? 'published' : 'sent; Apple publishes it after a short review'}`] };
    },
  },
  {
    name: 'readiness',
    usage: 'readiness <appId> <versionId>',
    description: 'What a version still needs before it can be submitted for review.',
    async run(conn, args, signal) {
      const a = await app(conn, arg(args, 0, 'the app ID', 'readiness <appId> <versionId>'), signal);
      const checks = await asc(conn).services.release.readiness(a, arg(args, 1, 'the version ID', 'readiness <appId> <versionId>'));
      return { data: checks, text: readinessText(checks) };
    },
  },
  {
    name: 'submit',
    usage: 'submit <appId> <versionId> [--skip-checks]',
    description: 'Submits a version for App Review after checking its readiness.',
    async run(conn, args, signal) {
      const usage = 'submit <appId> <versionId>';
      const release = asc(conn).services.release;
      const a = await app(conn, arg(args, 0, 'the app ID', usage), signal);
      const versionId = arg(args, 1, 'the version ID', usage);
      let checks: ReadinessCheck[] = [];
      if (!args.flags['skip-checks']) {
        checks = await release.readiness(a, versionId);
        const failing = checks.filter((c) => !c.ok);
        if (failing.length) {
          throw new ValidationError({
            provider: PROVIDER,
            summary: `${a.name} is not ready for review`,
            details: failing.map((c) => c.label),
            hint: 'Fix these first (appdesk --provider asc readiness shows them), or pass --skip-checks to let App Review decide.',
          });
        }
      }
      const submission = await release.submit(a, versionId, signal);
      return { data: { submission, checks }, text: [...readinessText(checks), `Submitted: ${submission.id} (${submission.state})`] };
    },
  },
  {
    name: 'feedback',
    usage: 'feedback <appId>',
    description: 'TestFlight screenshot and crash feedback, newest first.',
    async run(conn, args, signal) {
      const a = await app(conn, arg(args, 0, 'the app ID', 'feedback <appId>'), signal);
      const page = await asc(conn).services.feedback.list(a, { signal });
      return { data: page.items, text: page.items.map((f) => tsv(f.id, f.type, f.createdDate.slice(0, 16), f.author ?? f.email, f.details?.build as string | undefined, f.text)) };
    },
  },
  {
    name: 'sales-report',
    usage: 'sales-report --vendor <number> [--date <YYYY-MM-DD>] [--frequency <DAILY|WEEKLY|MONTHLY|YEARLY>]',
    description: 'Summary sales report (Sales and Trends) as a table with totals; needs a team key.',
    async run(conn, args, signal) {
      const c = asc(conn);
      const frequency = (flag(args, 'frequency') ?? 'DAILY').toUpperCase() as Frequency;
      if (!['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'].includes(frequency)) throw new UsageError('--frequency must be DAILY, WEEKLY, MONTHLY or YEARLY');
      const vendorNumber = flag(args, 'vendor') ?? c.ctx.settings.vendorNumber;
      if (!vendorNumber) throw new UsageError('the vendor number is missing: pass --vendor <number> or set ASC_VENDOR_NUMBER (App Store Connect → Payments and Financial Reports shows it)');
      const report = await c.services.reports.salesReport({ vendorNumber, frequency, date: flag(args, 'date') ?? defaultReportDate(frequency) }, signal);
      return { data: report, text: tableText(report) };
    },
  },
];
