// Apptentive: one account is one app (the legacy REST API is scoped to an app by its token). Feedback records
// (list with an archived filter, details, create, archive / un-archive) and surveys (filters, response counts,
// deactivate), through conditional GETs. API strings pass through untouched; escaping is the UI's job.
import { apptentiveInfo } from './info';
import { HttpCache } from '../../core/cache';
import { ConfigError } from '../../core/errors';
import type { HttpClient } from '../../core/http';
import type { Logger } from '../../core/logger';
import type { CapabilityServices, FeedbackEntry, FeedbackService, Survey, SurveysService } from '../services';
import type {
  AccountConfig,
  AppSummary,
  Capability,
  Connection,
  Item,
  ListOptions,
  NewAccount,
  Page,
  ProviderDefinition,
  ProviderHost,
  Section,
} from '../types';
import { createHttpClient, pageOf, redactingLogger, resolveBaseUrl, secretReader } from '../shared/providerKit';
import { APPTENTIVE_PRODUCTION_URL, ApptentiveApi, PROVIDER, type ApptentiveRecordDoc, type ApptentiveSurveyDoc } from './api';
import { apptentiveCliCommands } from './cli';

export const APPTENTIVE_SECRET = 'token';
export const FEEDBACK_PAGE_SIZE = 50;

type Detail = string | number | boolean | null;

function toIso(date: string | null | undefined): string {
  if (!date) return '';
  const t = Date.parse(date);
  return Number.isNaN(t) ? date : new Date(t).toISOString();
}

/** `user.email`, `device.model`, `data.plan`, … — every non-empty value, keys as the API names them. */
function details(r: ApptentiveRecordDoc): Record<string, Detail> {
  const out: Record<string, Detail> = {};
  const put = (key: string, value: unknown) => {
    if (value === null || value === undefined || value === '') return;
    out[key] = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : JSON.stringify(value);
  };
  if (r.summary) put('summary', r.summary);
  put('feedback.source', r.feedback?.source);
  for (const [section, obj] of [['user', r.user], ['device', r.device], ['app_version', r.app_version], ['client', r.client]] as const) {
    for (const [k, val] of Object.entries((obj ?? {}) as Record<string, unknown>)) {
      if (k === '_id') continue;
      put(`${section}.${k}`, Array.isArray(val) ? (val.length ? val.join(', ') : undefined) : val);
    }
  }
  if (r.data && typeof r.data === 'object' && !Array.isArray(r.data)) for (const [k, val] of Object.entries(r.data)) put(`data.${k}`, val);
  if (r.survey) put('survey', r.survey.name ? `${r.survey.name} (${r.survey.id})` : r.survey.id);
  for (const f of r.files ?? []) put(`file.${f.name}`, [f.content_type, f.size !== null && f.size !== undefined ? `${f.size} bytes` : undefined].filter(Boolean).join(', ') || 'attached');
  return out;
}

export function feedbackEntry(r: ApptentiveRecordDoc): FeedbackEntry {
  const entry: FeedbackEntry = {
    id: r.id,
    type: r.feedback?.type || (r.survey ? 'survey' : 'feedback'),
    createdDate: toIso(r.date),
    text: r.feedback?.feedback ?? r.summary ?? '',
    archived: r.archived === true,
    hasCrashLog: (r.files ?? []).some((f) => f.name === 'crash_log'),
    details: details(r),
  };
  if (r.user?.name) entry.author = r.user.name;
  if (r.user?.email) entry.email = r.user.email;
  return entry;
}

export function survey(doc: ApptentiveSurveyDoc): Survey {
  const counts = doc.responses ?? [];
  const s: Survey = {
    id: doc.id,
    name: doc.name ?? doc.id,
    active: doc.active === true,
    tags: doc.tags ?? [],
  };
  if (doc.description) s.description = doc.description;
  if (typeof doc.response_count === 'number') s.responseCount = doc.response_count;
  if (doc.questions) {
    s.questions = doc.questions.map((q, i) => {
      // Response counts come per question (matched by its text, else by position) and per choice text.
      const r = counts.find((c) => c.question === q.value) ?? counts[i];
      const answers = r?.responses ?? [];
      const choices = q.answer_choices
        ? q.answer_choices.map((c) => ({ id: c.id, text: c.value ?? '', count: answers.find((a) => String(a.choice) === c.value)?.count ?? 0 }))
        : answers.map((a, j) => ({ id: `${q.id}#${j}`, text: String(a.choice ?? ''), count: a.count }));
      return { id: q.id, text: q.value ?? '', type: q.type ?? 'unknown', choices };
    });
  }
  return s;
}

const TYPE_ICONS: Record<string, string> = { bug: 'bug', praise: 'heart', suggestion: 'lightbulb', question: 'question', survey: 'checklist' };

export function feedbackItem(e: FeedbackEntry): Item {
  const first = e.text.split(/\r?\n/, 1)[0] ?? '';
  return {
    id: e.id,
    label: first || e.type,
    description: [e.type, e.author ?? 'Anonymous', e.createdDate.slice(0, 10), e.archived ? 'archived' : undefined].filter(Boolean).join(' · '),
    tooltip: [e.text, '', `${e.author ?? 'Anonymous'}${e.email ? ` <${e.email}>` : ''}`, e.createdDate].join('\n'),
    icon: TYPE_ICONS[e.type] ?? 'comment',
    tags: ['feedback', e.archived ? 'archived' : 'unarchived'],
    data: { id: e.id, archived: e.archived ?? false, type: e.type },
  };
}

export function surveyItem(s: Survey): Item {
  return {
    id: s.id,
    label: s.name,
    description: [s.active ? 'active' : 'inactive', s.tags?.length ? s.tags.join(', ') : undefined].filter(Boolean).join(' · '),
    ...(s.description ? { tooltip: s.description } : {}),
    icon: 'checklist',
    tone: s.active ? 'ok' : 'info',
    tags: ['survey', s.active ? 'survey-active' : 'survey-inactive'],
    data: { id: s.id, active: s.active },
  };
}

class ApptentiveConnection implements Connection {
  readonly capabilities: ReadonlySet<Capability> = new Set<Capability>(['feedback', 'surveys']);
  readonly services: CapabilityServices;
  private readonly http: HttpClient;
  private readonly logger: Logger;
  private readonly baseUrl: string;
  private readonly appName: string;
  private readonly token: () => Promise<string>;
  /** Per connection, so a reconnect (new token) never sees another token's responses. */
  private readonly cache = new HttpCache({ maxEntries: 200 });
  private api: Promise<ApptentiveApi> | undefined;

  constructor(
    readonly account: AccountConfig,
    host: ProviderHost,
  ) {
    this.logger = redactingLogger(host.logger);
    this.http = createHttpClient(host, this.logger);
    this.baseUrl = resolveBaseUrl(account, APPTENTIVE_PRODUCTION_URL, PROVIDER);
    this.appName = account.settings.appName?.trim() || account.label;
    this.token = secretReader(host, account, APPTENTIVE_SECRET, PROVIDER, `Apptentive API token of ${this.appName}`);
    this.services = { feedback: this.feedbackService(), surveys: this.surveysService() };
  }

  private client(): Promise<ApptentiveApi> {
    this.api ??= this.token().then(
      (token) => new ApptentiveApi({ baseUrl: this.baseUrl, http: this.http, logger: this.logger, token, appName: this.appName, cache: this.cache }),
    );
    this.api.catch(() => (this.api = undefined));
    return this.api;
  }

  async verify(signal?: AbortSignal): Promise<void> {
    await (await this.client()).verify(signal);
  }

  async listApps(): Promise<Page<AppSummary>> {
    const s = this.account.settings;
    const app: AppSummary = {
      id: s.appId?.trim() || 'app',
      name: this.appName,
      description: 'Apptentive app',
      data: { appName: this.appName },
    };
    if (s.bundleId?.trim()) app.bundleId = s.bundleId.trim();
    return { items: [app], total: 1 };
  }

  sections(): Section[] {
    const feedback = this.services.feedback!;
    const surveys = this.services.surveys!;
    return [
      {
        kind: 'feedback',
        label: 'Feedback',
        icon: 'comment-discussion',
        // The inbox: records not archived (archived ones via the panel's filter or `feedback --archived`).
        list: async (app, opts) => {
          const page = await feedback.list(app, { ...opts, archived: false });
          return { ...page, items: page.items.map(feedbackItem) };
        },
      },
      {
        kind: 'surveys',
        label: 'Surveys',
        icon: 'checklist',
        list: async (app, opts) => {
          const page = await surveys.list(app, {}, opts);
          return { ...page, items: page.items.map(surveyItem) };
        },
      },
    ];
  }

  private feedbackService(): FeedbackService {
    return {
      list: async (_app, opts: ListOptions & { archived?: boolean } = {}) => {
        const all = (await (await this.client()).records(opts.signal)).map(feedbackEntry);
        const chosen = opts.archived === undefined ? all : all.filter((e) => (e.archived ?? false) === opts.archived);
        return pageOf(chosen, opts.cursor, FEEDBACK_PAGE_SIZE);
      },
      get: async (_app, id) => feedbackEntry(await (await this.client()).record(id)),
      create: async (_app, entry) => feedbackEntry(await (await this.client()).createRecord(entry)),
      setArchived: async (_app, entry, archived) => {
        const api = await this.client();
        // The API only toggles: read the current state first, so archiving twice never un-archives.
        const current = await api.record(entry.id, undefined, true);
        if ((current.archived === true) === archived) return feedbackEntry(current);
        await api.toggleArchive(entry.id);
        return feedbackEntry(await api.record(entry.id, undefined, true));
      },
    };
  }

  private surveysService(): SurveysService {
    return {
      list: async (_app, filter = {}, opts = {}) => {
        const docs = await (await this.client()).surveys(filter, opts.signal);
        return { items: docs.map(survey), total: docs.length };
      },
      get: async (_app, id) => survey(await (await this.client()).survey(id)),
      deactivate: async (_app, s) => {
        const api = await this.client();
        await api.deactivateSurvey(s.id);
        return survey(await api.survey(s.id));
      },
    };
  }

  dispose(): void {
    void this.http.close();
  }
}

export function validateToken(value: string): string | undefined {
  const s = value.trim();
  if (!s) return 'Enter the API token.';
  if (/^oauth\s/i.test(s)) return 'Paste only the token, without "OAuth ".';
  if (/\s/.test(s)) return "The token has no spaces; copy it again from the app's settings page in Apptentive.";
  if (s.length < 16) return `An Apptentive API token is longer than ${s.length} characters; copy the whole token from the app's settings page.`;
  if (!/^[\x21-\x7e]+$/.test(s)) return 'The token contains characters an Apptentive token never has; copy it again.';
  return undefined;
}

function validateAppName(value: string): string | undefined {
  const s = value.trim();
  if (!s) return 'Enter the app name (it labels the account; the token decides which app it is).';
  if (s.length > 100) return 'Use at most 100 characters for the app name.';
  return undefined;
}

export const apptentiveProvider: ProviderDefinition = {
  ...apptentiveInfo,
  defaultBaseUrl: APPTENTIVE_PRODUCTION_URL,
  credentialFields: [
    { key: 'appName', label: 'App name', kind: 'text', secret: false, placeholder: 'e.g. Northwind Trails (iOS)', prompt: 'A name for the app this token belongs to', validate: validateAppName },
    {
      key: APPTENTIVE_SECRET,
      label: 'API token',
      kind: 'password',
      secret: true,
      prompt: "The app's API token from its settings page on apptentive.com (each app has its own)",
      validate: validateToken,
    },
    {
      key: 'bundleId',
      label: 'Bundle ID or package name',
      kind: 'text',
      secret: false,
      optional: true,
      placeholder: 'com.example.app (optional)',
      prompt: 'Optional: links this app to the same app in the other services',
    },
  ],
  secretKeys: [APPTENTIVE_SECRET],
  accountLabel: (settings) => `Apptentive — ${settings.appName?.trim() || 'app'}`,
  connect: (account, host) => new ApptentiveConnection(account, host),
  environmentVariables: ['APPTENTIVE_TOKEN'],
  cliCommands: apptentiveCliCommands,
  fromEnvironment(env): NewAccount | undefined {
    const token = env.APPTENTIVE_TOKEN?.trim();
    if (!token) return undefined;
    const problem = validateToken(token);
    if (problem) throw new ConfigError({ provider: PROVIDER, summary: 'APPTENTIVE_TOKEN is not a usable API token', details: [problem], hint: "Set APPTENTIVE_TOKEN to the app's API token." });
    const appName = env.APPTENTIVE_APP_NAME?.trim() || 'Apptentive app';
    return { label: `Apptentive — ${appName}`, settings: { appName }, secrets: { [APPTENTIVE_SECRET]: token } };
  },
  demoAccounts(credentials): NewAccount[] {
    const apps = Array.isArray(credentials.apps) ? (credentials.apps as unknown[]) : [];
    return apps.flatMap((a) => {
      const app = a as { id?: unknown; name?: unknown; token?: unknown };
      if (typeof app.token !== 'string' || typeof app.name !== 'string') return [];
      return [
        {
          label: `Demo Apptentive — ${app.name}`,
          settings: { appName: app.name, ...(typeof app.id === 'string' && { appId: app.id }) },
          secrets: { [APPTENTIVE_SECRET]: app.token },
        },
      ];
    });
  },
};
