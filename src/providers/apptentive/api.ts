// Apptentive legacy REST API (2013), scoped to one app by its token in `Authorization: OAuth <token>`:
//   GET  /records                      every record of the app (no paging on the server)
//   GET  /records/{id}                 one record
//   POST /records                      create → 201 with the record
//   PUT  /records/{id}/toggle_archive  flips `archived` → 204 (NOT idempotent: never retried)
//   GET  /surveys?tags=&active=1&inactive=1&limit=   → {surveys:[…]} (Cache-Control max-age=86400, private)
//   GET  /surveys/{id}                 one survey with response counts
//   PUT  /surveys/{id}/deactivate      → 204
// GETs are conditional (ETag/If-None-Match, Last-Modified/If-Modified-Since) through core's HttpCache; a 304 is
// served from the cache and Cache-Control max-age is honoured.
import { ApiClient, defaultErrorFor, extractErrorDetails, type ErrorContext } from '../../core/apiClient';
import { HttpCache } from '../../core/cache';
import { AuthError, NotFoundError, ProtocolError, TransientError, ValidationError, type ProviderError } from '../../core/errors';
import type { HttpClient } from '../../core/http';
import type { Logger } from '../../core/logger';
import { credentialKey } from '../../core/rateLimiter';
import { parseRetryAfter } from '../../core/retry';
import { v, type Infer } from '../../core/validate';

export const PROVIDER = 'Apptentive';
export const APPTENTIVE_PRODUCTION_URL = 'https://api.apptentive.com';

const str = () => v.nullish(v.string());
/** Device, user, app version and client sections: flat objects of scalars (null for unknown). */
const Section = v.nullish(v.record(v.unknown()));

const RecordDoc = v.object({
  id: v.string(),
  summary: str(),
  date: str(),
  archived: v.nullish(v.boolean()),
  feedback: v.nullish(v.object({ feedback: str(), type: str(), source: str() })),
  user: v.nullish(v.object({ name: str(), email: str() })),
  device: Section,
  app_version: Section,
  client: Section,
  data: v.nullish(v.unknown()),
  survey: v.nullish(v.object({ id: v.string(), name: str() })),
  files: v.nullish(v.array(v.object({ name: v.string(), content_type: str(), size: v.nullish(v.number()) }))),
});
export type ApptentiveRecordDoc = Infer<typeof RecordDoc>;
const Records = v.array(RecordDoc);

const Choice = v.object({ id: v.string(), value: str() });
const Question = v.object({ id: v.string(), value: str(), type: str(), answer_choices: v.nullish(v.array(Choice)) });
const ResponseCount = v.object({ choice: v.nullish(v.union(v.string(), v.number())), count: v.number() });
const SurveyDoc = v.object({
  id: v.string(),
  name: str(),
  description: str(),
  active: v.nullish(v.boolean()),
  date: str(),
  tags: v.nullish(v.array(v.string())),
  response_count: v.nullish(v.number()),
  questions: v.nullish(v.array(Question)),
  responses: v.nullish(v.array(v.object({ question: str(), type: str(), responses: v.nullish(v.array(ResponseCount)) }))),
});
export type ApptentiveSurveyDoc = Infer<typeof SurveyDoc>;
const SurveyList = v.object({ surveys: v.array(SurveyDoc) });

export interface NewRecord {
  text: string;
  type?: string;
  email?: string;
  name?: string;
}

export class ApptentiveApi {
  private readonly client: ApiClient;

  constructor(opts: { baseUrl: string; http: HttpClient; logger: Logger; token: string; appName: string; cache: HttpCache }) {
    this.client = new ApiClient({
      provider: PROVIDER,
      baseUrl: opts.baseUrl,
      http: opts.http,
      logger: opts.logger,
      cache: opts.cache,
      // The credential's identity, never the token: cached responses are never shared across apps.
      cacheKey: credentialKey('apptentive', opts.token),
      auth: () => ({ authorization: `OAuth ${opts.token}` }),
      errorMapper: (ctx) => mapError(ctx, opts.appName),
    });
  }

  records(signal?: AbortSignal, revalidate = false): Promise<ApptentiveRecordDoc[]> {
    return this.client.get('/records', { schema: Records, signal, ...(revalidate && { cache: 'revalidate' as const }) });
  }

  record(id: string, signal?: AbortSignal, revalidate = false): Promise<ApptentiveRecordDoc> {
    return this.client.get(`/records/${encodeURIComponent(id)}`, { schema: RecordDoc, signal, ...(revalidate && { cache: 'revalidate' as const }) });
  }

  createRecord(r: NewRecord, signal?: AbortSignal): Promise<ApptentiveRecordDoc> {
    const user: Record<string, string> = {};
    if (r.name) user.name = r.name;
    if (r.email) user.email = r.email;
    const body = {
      feedback: { feedback: r.text, ...(r.type && { type: r.type }) },
      ...(Object.keys(user).length && { user }),
      client: { language: 'TypeScript', author: 'AppDesk', platform: 'AppDesk' },
    };
    return this.client.post('/records', body, { schema: RecordDoc, signal });
  }

  async toggleArchive(id: string, signal?: AbortSignal): Promise<void> {
    // A toggle repeated by a retry would undo itself.
    await this.client.request('PUT', `/records/${encodeURIComponent(id)}/toggle_archive`, { signal, idempotent: false });
  }

  async surveys(filter: { tags?: string[]; active?: boolean; limit?: number }, signal?: AbortSignal): Promise<ApptentiveSurveyDoc[]> {
    const tags = filter.tags?.map((t) => t.trim()).filter(Boolean);
    const res = await this.client.get('/surveys', {
      query: {
        tags: tags?.length ? tags.join(',') : undefined,
        active: filter.active === true ? 1 : undefined,
        inactive: filter.active === false ? 1 : undefined,
        limit: filter.limit,
      },
      schema: SurveyList,
      signal,
    });
    return res.surveys;
  }

  survey(id: string, signal?: AbortSignal): Promise<ApptentiveSurveyDoc> {
    return this.client.get(`/surveys/${encodeURIComponent(id)}`, { schema: SurveyDoc, signal });
  }

  async deactivateSurvey(id: string, signal?: AbortSignal): Promise<void> {
    await this.client.request('PUT', `/surveys/${encodeURIComponent(id)}/deactivate`, { signal });
  }

  /** Cheap authenticated call: the server is asked even when a fresh copy is cached. */
  async verify(signal?: AbortSignal): Promise<void> {
    await this.client.get('/surveys', { query: { limit: 1 }, schema: SurveyList, signal, cache: 'revalidate' });
  }
}

/** "record 4f6c…" / "survey 4f5f…" / "the records of the app", from the endpoint path. */
function subject(ctx: ErrorContext): string {
  const path = new URL(ctx.url).pathname;
  const m = /\/(records|surveys)\/([^/]+)/.exec(path);
  if (m) return `${m[1] === 'records' ? 'record' : 'survey'} ${decodeURIComponent(m[2]!)}`;
  return /\/surveys/.test(path) ? 'the surveys of the app' : 'the records of the app';
}

function mapError(ctx: ErrorContext, appName: string): ProviderError | undefined {
  if ((ctx.status >= 200 && ctx.status < 300) || ctx.status === 304) return undefined;
  const { details, fieldErrors } = extractErrorDetails(ctx.json());
  const base = { provider: PROVIDER, status: ctx.status, endpoint: ctx.endpoint, details };
  switch (ctx.status) {
    case 401:
      return new AuthError({
        ...base,
        summary: `Apptentive did not accept the API token of ${appName} (401)`,
        hint: "Each app has its own token: copy it from the app's settings page on apptentive.com and reconnect the account.",
      });
    case 404:
      return new NotFoundError({
        ...base,
        summary: `Apptentive could not find ${subject(ctx)} (404)`,
        hint: `It may have been deleted, or belong to another app than ${appName} (tokens are per app). Refresh and try again.`,
      });
    case 405:
      return new ProtocolError({
        ...base,
        summary: `Apptentive does not support ${ctx.endpoint} (405 Method Not Allowed)`,
        hint: `${ctx.headers['allow'] ? `That resource only allows ${ctx.headers['allow']}. ` : ''}The API may have changed; check for an AppDesk update.`,
      });
    case 422:
      // "The response body will typically contain the specific error that occurred": those are the details.
      return new ValidationError({
        ...base,
        fieldErrors,
        summary: `Apptentive could not store ${ctx.method === 'POST' ? 'the record' : subject(ctx)} (422)`,
        hint: 'Correct the values Apptentive names and try again.',
      });
    case 500:
      return new TransientError({
        ...base,
        summary: 'Apptentive had a temporary internal error (500)',
        hint: 'Apptentive is notified of these errors; try again in a few minutes.',
        retryAt: parseRetryAfter(ctx.headers['retry-after']),
      });
    default:
      return defaultErrorFor(ctx, { 403: `Check that the token of ${appName} may do this.` });
  }
}
