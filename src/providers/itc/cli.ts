// `appdesk --provider itc <command>`: the legacy iTunes Connect commands. Errors carried inside an HTTP 200 are
// thrown as ValidationError, so the CLI prints Apple's message and exits 1.
import { ConfigError } from '../../core/errors';
import type { AppSummary, CliArgs, CliCommand, CliResult, Connection } from '../types';
import { PROVIDER } from './errors';
import { isItcConnection, type ItcConnection } from './connection';

function itc(c: Connection): ItcConnection {
  if (!isItcConnection(c)) throw new ConfigError({ provider: PROVIDER, summary: 'This command needs an iTunes Connect account' });
  return c;
}

function need(args: CliArgs, index: number, name: string, usage: string): string {
  const v = args.positional[index];
  if (!v) throw new ConfigError({ provider: PROVIDER, summary: `Missing <${name}>`, hint: `Usage: appdesk --provider itc ${usage}` });
  return v;
}

function flag(args: CliArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' ? v : undefined;
}

function needFlag(args: CliArgs, name: string, usage: string): string {
  const v = flag(args, name);
  if (!v) throw new ConfigError({ provider: PROVIDER, summary: `Missing --${name}`, hint: `Usage: appdesk --provider itc ${usage}` });
  return v;
}

const app = (id: string): AppSummary => ({ id, name: id, storeId: id });

const usage = {
  metadata: 'metadata <appId> [--live]',
  builds: 'builds <appId>',
  testers: 'testers <appId> <train> <build>',
  addTester: 'add-tester <email> [--first-name <name>] [--last-name <name>] [--app <appId>]',
  createVersion: 'create-version <appId> <version>',
  createApp: 'create-app --name <name> --bundle-id <id> --sku <sku> --version <version> [--language <language>]',
  submit: 'submit <appId>',
  reject: 'reject <appId> <versionId>',
  resolution: 'resolution-center <appId>',
};

export const itcCliCommands: readonly CliCommand[] = [
  {
    name: 'metadata',
    usage: usage.metadata,
    description: 'Metadata of the version being edited (or the live one with --live), per localization.',
    async run(conn, args, signal): Promise<CliResult> {
      const appId = need(args, 0, 'appId', usage.metadata);
      const doc = await itc(conn).services.metadata.loadCurrent(app(appId), args.flags.live === true, signal);
      const text = [`${doc.version.versionString} — ${doc.version.stateLabel}${doc.version.live ? ' (live)' : ''} [version ${doc.version.id}]`];
      for (const l of doc.locales) {
        text.push('', `[${l.locale}]`);
        for (const f of doc.fields) text.push(`  ${f.label}: ${(l.values[f.key] ?? '').replace(/\s*\n\s*/g, ' ⏎ ')}`);
      }
      return { data: doc, text };
    },
  },
  {
    name: 'builds',
    usage: usage.builds,
    description: 'Build trains and their builds.',
    async run(conn, args, signal): Promise<CliResult> {
      const appId = need(args, 0, 'appId', usage.builds);
      const byTrain = await itc(conn).services.builds.byTrain(app(appId), signal);
      const data = [...byTrain].map(([train, builds]) => ({ train, builds }));
      const text = data.flatMap(({ train, builds }) => [
        `${train}`,
        ...builds.map((b) => `  ${b.buildNumber}\t${b.processingState}\t${b.uploadedDate ?? ''}${b.expired ? '\texpired' : ''}`),
      ]);
      return { data, text };
    },
  },
  {
    name: 'testers',
    usage: usage.testers,
    description: 'Testers who have access to one build (train = version, build = build number).',
    async run(conn, args, signal): Promise<CliResult> {
      const appId = need(args, 0, 'appId', usage.testers);
      const train = need(args, 1, 'train', usage.testers);
      const build = need(args, 2, 'build', usage.testers);
      const testers = await itc(conn).services.testers.buildTesters(app(appId), train, build, signal);
      return { data: testers, text: testers.map((t) => [t.email, [t.firstName, t.lastName].filter(Boolean).join(' '), t.state ?? ''].join('\t')) };
    },
  },
  {
    name: 'add-tester',
    usage: usage.addTester,
    description: 'Adds an external TestFlight tester to the account.',
    async run(conn, args, signal): Promise<CliResult> {
      const email = need(args, 0, 'email', usage.addTester);
      const t = await itc(conn).services.testers.add(
        app(flag(args, 'app') ?? ''),
        { email, ...(flag(args, 'first-name') && { firstName: flag(args, 'first-name') }), ...(flag(args, 'last-name') && { lastName: flag(args, 'last-name') }) },
        signal,
      );
      return { data: t, text: [`Added ${t.email}${t.firstName || t.lastName ? ` (${[t.firstName, t.lastName].filter(Boolean).join(' ')})` : ''}.`] };
    },
  },
  {
    name: 'create-version',
    usage: usage.createVersion,
    description: 'Creates a new version of an app.',
    async run(conn, args): Promise<CliResult> {
      const appId = need(args, 0, 'appId', usage.createVersion);
      const version = need(args, 1, 'version', usage.createVersion);
      const v = await itc(conn).services.metadata.createVersion(app(appId), version);
      return { data: v, text: [`Created version ${v.versionString} (${v.stateLabel}) [version ${v.id}].`] };
    },
  },
  {
    name: 'create-app',
    usage: usage.createApp,
    description: 'Creates a new app.',
    async run(conn, args, signal): Promise<CliResult> {
      const created = await itc(conn).createApp(
        {
          name: needFlag(args, 'name', usage.createApp),
          bundleId: needFlag(args, 'bundle-id', usage.createApp),
          sku: needFlag(args, 'sku', usage.createApp),
          version: needFlag(args, 'version', usage.createApp),
          ...(flag(args, 'language') && { language: flag(args, 'language') }),
        },
        signal,
      );
      return { data: created, text: [`Created ${created.name} (${created.bundleId}) with Apple ID ${created.id}.`] };
    },
  },
  {
    name: 'submit',
    usage: usage.submit,
    description: 'Submits the version being edited for review.',
    async run(conn, args, signal): Promise<CliResult> {
      const appId = need(args, 0, 'appId', usage.submit);
      const c = itc(conn);
      const versions = await c.services.metadata.listVersions(app(appId), { signal });
      const v = versions.find((x) => !x.live);
      if (!v) throw new ConfigError({ provider: PROVIDER, summary: `App ${appId} has no version to submit`, hint: `Create one first: appdesk --provider itc ${usage.createVersion}` });
      const submission = await c.services.release.submit(app(appId), v.id, signal);
      return { data: { ...submission, versionString: v.versionString }, text: [`Submitted ${v.versionString} [version ${v.id}] for review.`] };
    },
  },
  {
    name: 'reject',
    usage: usage.reject,
    description: 'Removes a version waiting for review from review (developer reject).',
    async run(conn, args): Promise<CliResult> {
      const appId = need(args, 0, 'appId', usage.reject);
      const versionId = need(args, 1, 'versionId', usage.reject);
      await itc(conn).services.release.rejectVersion(app(appId), versionId);
      return { data: { appId, versionId, state: 'developerRejected' }, text: [`Version ${versionId} was removed from review.`] };
    },
  },
  {
    name: 'resolution-center',
    usage: usage.resolution,
    description: "App Review's messages (HTML as Apple sent it).",
    async run(conn, args): Promise<CliResult> {
      const appId = need(args, 0, 'appId', usage.resolution);
      const rc = await itc(conn).services.release.resolutionCenter(app(appId));
      const text = rc.threads.flatMap((t) => [
        `Thread ${t.id}${t.version ? ` (version ${t.version})` : ''}`,
        ...t.messages.map((m) => `  ${m.date} ${m.from}: ${m.html}`),
      ]);
      return { data: rc, text: text.length ? text : ['No messages.'] };
    },
  },
];
