// Apptentive's CLI commands: feedback records and surveys of the app the token belongs to.
import { ConfigError } from '../../core/errors';
import type { FeedbackEntry, FeedbackService, Survey, SurveysService } from '../services';
import type { AppSummary, CliArgs, CliCommand, Connection } from '../types';
import { flagString, positional } from '../shared/providerKit';

const P = 'Apptentive';

async function context(conn: Connection): Promise<{ app: AppSummary; feedback: FeedbackService; surveys: SurveysService }> {
  const app = (await conn.listApps({})).items[0];
  const { feedback, surveys } = conn.services;
  if (!app || !feedback || !surveys) throw new ConfigError({ provider: P, summary: 'This account offers no feedback or surveys' });
  return { app, feedback, surveys };
}

function recordLines(e: FeedbackEntry): string[] {
  const lines = [
    `Record   ${e.id}`,
    `Type     ${e.type}`,
    `Date     ${e.createdDate}`,
    `From     ${e.author ?? 'Anonymous'}${e.email ? ` <${e.email}>` : ''}`,
    `Archived ${e.archived ? 'yes' : 'no'}`,
    '',
    ...e.text.split(/\r?\n/),
  ];
  const d = Object.entries(e.details ?? {});
  if (d.length) lines.push('', ...d.map(([k, v]) => `${k}: ${String(v)}`));
  return lines;
}

function surveyLines(s: Survey): string[] {
  const lines = [
    `Survey   ${s.id}`,
    `Name     ${s.name}`,
    `Status   ${s.active ? 'active' : 'inactive'}`,
  ];
  if (s.description) lines.push(`About    ${s.description}`);
  if (s.tags?.length) lines.push(`Tags     ${s.tags.join(', ')}`);
  if (s.responseCount !== undefined) lines.push(`Responses ${s.responseCount}`);
  for (const q of s.questions ?? []) {
    lines.push('', `${q.text} (${q.type})`);
    for (const c of q.choices) lines.push(`  ${String(c.count).padStart(5)}  ${c.text}`);
  }
  return lines;
}

const feedbackRow = (e: FeedbackEntry) => [e.id, e.createdDate, e.type, e.author ?? 'Anonymous', e.text.split(/\r?\n/, 1)[0] ?? ''].join('\t');

/** `archive --undo <id>` is parsed as `--undo=<id>`: accept the id in either place. */
function recordId(args: CliArgs, usage: string): string {
  const undo = args.flags.undo;
  if (typeof undo === 'string' && !args.positional[0]) return undo;
  return positional(args, 0, 'the record id', usage, P);
}

async function setArchived(conn: Connection, id: string, archived: boolean) {
  const { app, feedback } = await context(conn);
  const entry = await feedback.setArchived!(app, await feedback.get!(app, id), archived);
  return { data: entry, text: [`${entry.id} ${entry.archived ? 'archived' : 'un-archived'}.`] };
}

export const apptentiveCliCommands: readonly CliCommand[] = [
  {
    name: 'feedback',
    usage: 'feedback [--archived]',
    description: 'Feedback records of the app: the inbox, or the archived ones with --archived.',
    async run(conn, args, signal) {
      const { app, feedback } = await context(conn);
      const archived = args.flags.archived === true;
      const all: FeedbackEntry[] = [];
      let cursor: string | undefined;
      do {
        const page = await feedback.list(app, { cursor, signal, archived });
        all.push(...page.items);
        cursor = page.next;
      } while (cursor);
      return { data: all, text: all.map(feedbackRow) };
    },
  },
  {
    name: 'record',
    usage: 'record <id>',
    description: 'One record: feedback, user, device, app version and custom data.',
    async run(conn, args) {
      const id = positional(args, 0, 'the record id', 'apptentive record <id>', P);
      const { app, feedback } = await context(conn);
      const entry = await feedback.get!(app, id);
      return { data: entry, text: recordLines(entry) };
    },
  },
  {
    name: 'create-record',
    usage: 'create-record --text <t> [--type <type>] [--email <e>] [--name <n>]',
    description: 'Creates a feedback record (type e.g. bug, suggestion, praise, question).',
    async run(conn, args) {
      const text = flagString(args, 'text');
      if (text === undefined) {
        throw new ConfigError({ provider: P, summary: 'Missing --text', hint: 'Usage: appdesk --provider apptentive create-record --text <t> [--type <type>] [--email <e>] [--name <n>]' });
      }
      const { app, feedback } = await context(conn);
      const entry = await feedback.create!(app, {
        text,
        ...(flagString(args, 'type') && { type: flagString(args, 'type') }),
        ...(flagString(args, 'email') && { email: flagString(args, 'email') }),
        ...(flagString(args, 'name') && { name: flagString(args, 'name') }),
      });
      return { data: entry, text: [`Created record ${entry.id}.`] };
    },
  },
  {
    name: 'archive',
    usage: 'archive <id> [--undo]',
    description: 'Archives a record (--undo un-archives it).',
    run: (conn, args) => setArchived(conn, recordId(args, 'apptentive archive <id> [--undo]'), args.flags.undo === undefined),
  },
  {
    name: 'unarchive',
    usage: 'unarchive <id>',
    description: 'Moves an archived record back to the inbox.',
    run: (conn, args) => setArchived(conn, positional(args, 0, 'the record id', 'apptentive unarchive <id>', P), false),
  },
  {
    name: 'surveys',
    usage: 'surveys [--active|--inactive] [--tags a,b] [--limit n]',
    description: 'Surveys of the app, optionally only active or inactive ones, with all the tags, at most n.',
    async run(conn, args, signal) {
      if (args.flags.active === true && args.flags.inactive === true) {
        throw new ConfigError({ provider: P, summary: 'Use either --active or --inactive, not both' });
      }
      const rawLimit = args.flags.limit;
      let limit: number | undefined;
      if (rawLimit !== undefined) {
        if (typeof rawLimit !== 'string' || !/^\d+$/.test(rawLimit.trim())) throw new ConfigError({ provider: P, summary: '--limit needs a whole number', hint: 'e.g. --limit 10' });
        limit = Number(rawLimit);
      }
      const tags = flagString(args, 'tags')?.split(',').map((t) => t.trim()).filter(Boolean);
      const { app, surveys } = await context(conn);
      const page = await surveys.list(
        app,
        {
          ...(tags?.length && { tags }),
          ...(args.flags.active === true && { active: true }),
          ...(args.flags.inactive === true && { active: false }),
          ...(limit !== undefined && { limit }),
        },
        { signal },
      );
      return {
        data: page.items,
        text: page.items.map((s) => [s.id, s.active ? 'active' : 'inactive', s.name, (s.tags ?? []).join(',')].join('\t')),
      };
    },
  },
  {
    name: 'survey',
    usage: 'survey <id>',
    description: 'One survey with its questions and the response count of each choice.',
    async run(conn, args) {
      const id = positional(args, 0, 'the survey id', 'apptentive survey <id>', P);
      const { app, surveys } = await context(conn);
      const s = await surveys.get(app, id);
      return { data: s, text: surveyLines(s) };
    },
  },
  {
    name: 'deactivate-survey',
    usage: 'deactivate-survey <id>',
    description: 'Deactivates a survey (it stops accepting responses).',
    async run(conn, args) {
      const id = positional(args, 0, 'the survey id', 'apptentive deactivate-survey <id>', P);
      const { app, surveys } = await context(conn);
      const s = await surveys.deactivate(app, await surveys.get(app, id));
      return { data: s, text: [`Survey ${s.id} (${s.name}) is ${s.active ? 'still active' : 'inactive'}.`] };
    },
  },
];
