// Apptentive legacy REST API emulator (the 2013 wiki "Apptentive API Documentation"), mounted at `/apptentive`.
// Real base: https://api.apptentive.com — here `${origin}/apptentive`.
//
// Every API is scoped to one app and authenticated by that app's token: `Authorization: OAuth <token>` or
// `?oauth_token=<token>` (401 otherwise). Resources:
//   GET  /records                     all records of the app, newest first (the wiki lists no parameters)
//   POST /records                     create (JSON, `{record:{…}}` JSON, form-encoded `record[…]`, or multipart) → 201 + Location
//   GET  /records/{id}                one record
//   PUT  /records/{id}/toggle_archive toggles `archived` → 204
//   GET  /surveys?tags=&active=1&inactive=1&limit=  → {surveys:[…]}
//   GET  /surveys/active              active surveys as a bare array (older SDK endpoint; the wiki's auth example)
//   GET  /surveys/{id}                one survey with response_count and per-question response counts
//   PUT  /surveys/{id}[/deactivate]   deactivates → 204 (the wiki gives both forms)
// Every GET answers with `ETag` (quoted MD5 of the body), `Last-Modified`, and the wiki's `Cache-Control`
// (`max-age=0, private, must-revalidate`; the survey listing `max-age=86400, private`), and `304 Not Modified`
// with no body when `If-None-Match` matches (or, without If-None-Match, when `If-Modified-Since` is not older
// than Last-Modified). 404 unknown route/id, 405 wrong method (with `Allow`), 422 invalid input (echoed).
import { randomBytes } from 'node:crypto';
import type { ApiEmulator, SandboxContext, SandboxRequest, SandboxResponse } from '../types';
import { assignNested, header, httpDate, isPlainObject, md5, parseMultipart, parseNestedForm } from '../shared/http';
import {
  DEVICE_KEYS, emptyDevice, nextId, seedApps, summarize,
  type ApptentiveFile, type ApptentiveRecord, type AppState, type SurveyQuestion, type SurveyState,
} from './seed';

export { HOSTILE as APPTENTIVE_HOSTILE_STRING } from './seed';
export type { ApptentiveRecord } from './seed';

export interface ApptentiveEmulator extends ApiEmulator {
  /** Seeded apps (id, name, token, record and survey counts), for tests. */
  apps(): { id: string; name: string; token: string; records: number; surveys: number }[];
}

const CC_REVALIDATE = 'max-age=0, private, must-revalidate';
const CC_SURVEY_LIST = 'max-age=86400, private';
const CC_NO_CACHE = 'no-cache';
const JSON_TYPE = 'application/json; charset=utf-8';

type Route =
  | { kind: 'records' }
  | { kind: 'record'; id: string }
  | { kind: 'toggle'; id: string }
  | { kind: 'surveys' }
  | { kind: 'surveysActive' }
  | { kind: 'survey'; id: string }
  | { kind: 'deactivate'; id: string };

const ALLOW: Record<Route['kind'], string[]> = {
  records: ['GET', 'HEAD', 'POST'],
  record: ['GET', 'HEAD'],
  toggle: ['PUT'],
  surveys: ['GET', 'HEAD'],
  surveysActive: ['GET', 'HEAD'],
  survey: ['GET', 'HEAD', 'PUT'],
  deactivate: ['PUT'],
};

function route(path: string): Route | undefined {
  const p = path.replace(/\/+$/, '').replace(/\.json$/, '');
  let m: RegExpExecArray | null;
  if (p === '/records') return { kind: 'records' };
  if ((m = /^\/records\/([^/]+)$/.exec(p))) return { kind: 'record', id: decodeURIComponent(m[1]!) };
  if ((m = /^\/records\/([^/]+)\/toggle_archive$/.exec(p))) return { kind: 'toggle', id: decodeURIComponent(m[1]!) };
  if (p === '/surveys') return { kind: 'surveys' };
  if (p === '/surveys/active') return { kind: 'surveysActive' };
  if ((m = /^\/surveys\/([^/]+)$/.exec(p))) return { kind: 'survey', id: decodeURIComponent(m[1]!) };
  if ((m = /^\/surveys\/([^/]+)\/deactivate$/.exec(p))) return { kind: 'deactivate', id: decodeURIComponent(m[1]!) };
  return undefined;
}

function requestId(): string {
  return randomBytes(16).toString('hex');
}

function jsonError(status: number, body: object, extra: Record<string, string> = {}): SandboxResponse {
  return { status, headers: { 'content-type': JSON_TYPE, 'cache-control': CC_NO_CACHE, 'x-request-id': requestId(), ...extra }, body: JSON.stringify(body) };
}

function etagMatches(ifNoneMatch: string, etag: string): boolean {
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => t.trim() === '*' || strip(t) === strip(etag));
}

/** A GET answer with ETag / Last-Modified / Cache-Control, or 304 when the client's copy is current. */
function conditional(req: SandboxRequest, body: unknown, lastModified: number, cacheControl: string): SandboxResponse {
  const text = JSON.stringify(body);
  const etag = `"${md5(text)}"`;
  const headers: Record<string, string> = {
    etag, 'cache-control': cacheControl, 'last-modified': httpDate(lastModified), 'x-request-id': requestId(),
  };
  const inm = header(req, 'if-none-match');
  if (inm !== undefined) {
    if (etagMatches(inm, etag)) return { status: 304, headers };
  } else {
    const ims = header(req, 'if-modified-since');
    const since = ims ? Date.parse(ims) : NaN;
    if (!Number.isNaN(since) && Math.floor(lastModified / 1000) * 1000 <= since) return { status: 304, headers };
  }
  return { status: 200, headers: { ...headers, 'content-type': JSON_TYPE }, body: text };
}

function surveyDoc(s: SurveyState, withResponses: boolean): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    id: s.id,
    questions: s.questions,
    date: s.date,
    success_message: s.success_message,
    name: s.name,
    description: s.description,
    required: s.required,
    multiple_responses: s.multiple_responses,
    show_success_message: s.show_success_message,
    active: s.active,
    tags: s.tags,
  };
  if (withResponses) {
    doc.response_count = s.submissions.length;
    doc.responses = s.questions.map((qn) => {
      let responses: { choice: string; count: number }[];
      if (qn.answer_choices) {
        responses = qn.answer_choices.map((c) => ({
          choice: c.value,
          count: s.submissions.filter((sub) => {
            const a = sub[qn.id];
            return Array.isArray(a) ? a.includes(c.id) : a === c.id;
          }).length,
        }));
      } else {
        const counts = new Map<string, number>();
        for (const sub of s.submissions) {
          const a = sub[qn.id];
          if (typeof a === 'string' && a.trim()) counts.set(a, (counts.get(a) ?? 0) + 1);
        }
        responses = [...counts].map(([choice, count]) => ({ choice, count }));
      }
      return { question: qn.value, type: qn.type, required: qn.required, responses };
    });
  }
  return doc;
}

// ---------------------------------------------------------------------------------------------- record input

type Errors = Record<string, string[]>;

function addError(errors: Errors, field: string, message: string): void {
  (errors[field] ??= []).push(message);
}

/** `%m/%d/%Y %I:%M%p%z`, e.g. `03/23/2012 08:26PM-0700`; undefined if the date is not in that format. */
function parseClientDate(s: string): number | undefined {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})\s?(AM|PM)\s?([+-])(\d{2}):?(\d{2})$/i.exec(s.trim());
  if (!m) return undefined;
  let hour = Number(m[4]) % 12;
  if (m[6]!.toUpperCase() === 'PM') hour += 12;
  const offset = (Number(m[8]) * 60 + Number(m[9])) * (m[7] === '-' ? -1 : 1);
  const t = Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]), hour, Number(m[5])) - offset * 60_000;
  return Number.isNaN(t) ? undefined : t;
}

function strOrNull(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v : String(v);
}

const SECTIONS = ['data', 'file', 'feedback', 'user', 'device', 'client', 'app_version', 'survey'] as const;
const USER_KEYS = ['name', 'email', 'phone_number', 'street', 'city', 'state', 'zip_code', 'zip', 'country', 'birthday'];
const CLIENT_KEYS = ['version', 'language', 'author', 'platform', 'os', 'distribution'];
const APP_VERSION_KEYS = ['version', 'build_number', 'primary_locale'];

interface Upload { content_type: string | null; size: number }

function validateScalarSection(errors: Errors, input: Record<string, unknown>, section: string, keys: readonly string[]): void {
  const sec = input[section];
  if (sec === undefined || sec === null) return;
  if (!isPlainObject(sec)) { addError(errors, section, 'must be an object'); return; }
  for (const k of keys) {
    const v = sec[k];
    if (v !== undefined && v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      addError(errors, `${section}.${k}`, 'must be a string');
    }
  }
}

function validateSurvey(errors: Errors, app: AppState, raw: unknown): SurveyState | undefined {
  if (!isPlainObject(raw)) { addError(errors, 'survey', 'must be an object'); return undefined; }
  const id = raw.id;
  const s = typeof id === 'string' ? app.surveys.find((x) => x.id === id) : undefined;
  if (!s) { addError(errors, 'survey.id', typeof id === 'string' ? `unknown survey ${id}` : "can't be blank"); return undefined; }
  if (!s.active) addError(errors, 'survey', 'is not active');
  const responses = raw.responses;
  if (!isPlainObject(responses)) { addError(errors, 'survey.responses', 'must be an object of question id → answer'); return s; }
  for (const qid of Object.keys(responses)) {
    if (!s.questions.some((qn) => qn.id === qid)) addError(errors, `survey.responses.${qid}`, 'is not a question of this survey');
  }
  for (const qn of s.questions) validateAnswer(errors, qn, responses[qn.id]);
  return s;
}

function validateAnswer(errors: Errors, qn: SurveyQuestion, a: unknown): void {
  const field = `survey.responses.${qn.id}`;
  const blank = a === undefined || a === null || a === '' || (Array.isArray(a) && a.length === 0);
  if (blank) { if (qn.required) addError(errors, field, "can't be blank (required question)"); return; }
  const choiceIds = new Set((qn.answer_choices ?? []).map((c) => c.id));
  if (qn.type === 'singleline') {
    if (typeof a !== 'string') addError(errors, field, 'must be a string');
  } else if (qn.type === 'multichoice') {
    const v = Array.isArray(a) && a.length === 1 ? a[0] : a;
    if (typeof v !== 'string' || !choiceIds.has(v)) addError(errors, field, 'must be the id of one answer choice');
  } else {
    const arr = Array.isArray(a) ? a : [a];
    if (!arr.every((x) => typeof x === 'string' && choiceIds.has(x))) addError(errors, field, 'must be answer choice ids');
    else {
      if (qn.min_selections !== undefined && arr.length < qn.min_selections) addError(errors, field, `needs at least ${qn.min_selections} selections`);
      if (qn.max_selections !== undefined && arr.length > qn.max_selections) addError(errors, field, `allows at most ${qn.max_selections} selections`);
    }
  }
}

// ------------------------------------------------------------------------------------------------- emulator

export function createApptentiveEmulator(_ctx: SandboxContext): ApptentiveEmulator {
  let apps = seedApps();

  /** A strictly increasing modification time (second precision), so If-Modified-Since never misses a change. */
  function touch(app: AppState): number {
    const t = Math.max(Math.floor(Date.now() / 1000) * 1000, app.lastTouch + 1000);
    app.lastTouch = t;
    return t;
  }

  function authenticate(req: SandboxRequest, form: Record<string, unknown> | undefined): AppState | undefined {
    const auth = header(req, 'authorization');
    let token: string | undefined;
    if (auth !== undefined) {
      const m = /^OAuth\s+(\S+)\s*$/i.exec(auth.trim());
      token = m?.[1];
    } else {
      token = req.url.searchParams.get('oauth_token') ?? (typeof form?.oauth_token === 'string' ? form.oauth_token : undefined);
    }
    return token ? apps.find((a) => a.token === token) : undefined;
  }

  function listLastModified(app: AppState): number {
    return Math.max(app.createdAt, ...app.records.map((r) => r.updatedAt));
  }

  function surveysLastModified(app: AppState): number {
    return Math.max(app.createdAt, ...app.surveys.map((s) => s.updatedAt));
  }

  function listSurveys(req: SandboxRequest, app: AppState): SandboxResponse {
    const q = req.url.searchParams;
    const tags = [...q.getAll('tags'), ...q.getAll('tags[]')].flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
    const limitRaw = q.get('limit');
    if (limitRaw !== null && !/^\d+$/.test(limitRaw.trim())) {
      return jsonError(422, { errors: { limit: ['must be a non-negative integer'] }, limit: limitRaw });
    }
    let list = [...app.surveys].sort((a, b) => b.date.localeCompare(a.date));
    if (tags.length) list = list.filter((s) => tags.every((t) => s.tags.includes(t)));
    if (q.get('active') === '1') list = list.filter((s) => s.active);
    if (q.get('inactive') === '1') list = list.filter((s) => !s.active);
    if (limitRaw !== null) list = list.slice(0, Number(limitRaw.trim()));
    return conditional(req, { surveys: list.map((s) => surveyDoc(s, false)) }, surveysLastModified(app), CC_SURVEY_LIST);
  }

  /** Parses the POST body into the record input; `{error}` when it cannot be read at all. */
  function readInput(req: SandboxRequest): { input: unknown; uploads: Map<string, Upload>; form?: Record<string, unknown> } | { error: string; raw: string } {
    const ct = (header(req, 'content-type') ?? '').toLowerCase();
    const raw = req.body.toString('utf8');
    const uploads = new Map<string, Upload>();
    if (ct.startsWith('application/x-www-form-urlencoded')) {
      const form = parseNestedForm(raw);
      return { input: form, uploads, form };
    }
    if (ct.startsWith('multipart/form-data')) {
      const parts = parseMultipart(req.body, header(req, 'content-type') ?? '');
      if (!parts) return { error: 'malformed multipart body', raw };
      const form: Record<string, unknown> = {};
      for (const part of parts) {
        if (part.filename !== undefined) {
          const fm = /(?:^|\[)file\]?\[([^\]]+)\]$/.exec(part.name);
          const name = fm?.[1] ?? part.name;
          uploads.set(name, { content_type: part.contentType ?? null, size: part.data.length });
          assignNested(form, part.name, `[file ${part.filename}]`);
        } else {
          assignNested(form, part.name, part.data.toString('utf8'));
        }
      }
      return { input: form, uploads, form };
    }
    if (ct === '' || ct.startsWith('application/json') || ct.includes('+json')) {
      if (!raw.trim()) return { error: 'request body is empty', raw };
      try {
        return { input: JSON.parse(raw) as unknown, uploads };
      } catch (e) {
        return { error: `invalid JSON: ${(e as Error).message}`, raw };
      }
    }
    return { error: `unsupported content type ${ct}: send application/json or application/x-www-form-urlencoded`, raw };
  }

  function createRecord(req: SandboxRequest, app: AppState, parsed: { input: unknown; uploads: Map<string, Upload> }): SandboxResponse {
    const wrapper = parsed.input;
    const input = isPlainObject(wrapper) && isPlainObject(wrapper.record) ? wrapper.record : wrapper;
    const errors: Errors = {};
    if (!isPlainObject(input)) {
      return jsonError(422, { errors: { record: ['must be a JSON object'] }, record: input ?? null });
    }
    for (const s of SECTIONS) {
      const v = input[s];
      if (v !== undefined && v !== null && !isPlainObject(v)) addError(errors, s, 'must be an object');
    }
    const fb = input.feedback;
    const hasFeedback = isPlainObject(fb) && fb.feedback !== undefined && fb.feedback !== null;
    if (isPlainObject(fb)) {
      if (fb.feedback === undefined || fb.feedback === null || (typeof fb.feedback === 'string' && !fb.feedback.trim())) addError(errors, 'feedback.feedback', "can't be blank");
      else if (typeof fb.feedback !== 'string') addError(errors, 'feedback.feedback', 'must be a string');
      if (fb.type !== undefined && fb.type !== null && typeof fb.type !== 'string') addError(errors, 'feedback.type', 'must be a string');
    }
    validateScalarSection(errors, input, 'user', USER_KEYS);
    validateScalarSection(errors, input, 'device', DEVICE_KEYS);
    validateScalarSection(errors, input, 'client', CLIENT_KEYS);
    validateScalarSection(errors, input, 'app_version', APP_VERSION_KEYS);
    const av = input.app_version;
    let locales: string[] = [];
    if (isPlainObject(av) && av.supported_locales !== undefined && av.supported_locales !== null) {
      const sl = av.supported_locales;
      if (typeof sl === 'string') locales = sl.split(',').map((x) => x.trim()).filter(Boolean);
      else if (Array.isArray(sl) && sl.every((x) => typeof x === 'string')) locales = sl as string[];
      else addError(errors, 'app_version.supported_locales', 'must be an array of strings');
    }
    if (input.date !== undefined && input.date !== null && typeof input.date !== 'string') addError(errors, 'date', 'must be a string');
    const files: ApptentiveFile[] = [];
    if (isPlainObject(input.file)) {
      for (const [name, v] of Object.entries(input.file)) {
        const upload = parsed.uploads.get(name);
        if (upload) files.push({ name, ...upload });
        else if (typeof v === 'string' && /^[A-Za-z0-9+/\r\n]*={0,2}\s*$/.test(v) && v.trim()) files.push({ name, content_type: null, size: Buffer.from(v, 'base64').length });
        else addError(errors, `file.${name}`, 'must be a base64-encoded file');
      }
    }
    let survey: SurveyState | undefined;
    if (input.survey !== undefined && input.survey !== null) survey = validateSurvey(errors, app, input.survey);
    if (!hasFeedback && input.survey == null) addError(errors, 'base', 'a record needs feedback (feedback.feedback) or a survey response (survey)');
    if (Object.keys(errors).length) return jsonError(422, { errors, record: input });

    const now = touch(app);
    const clientDate = typeof input.date === 'string' ? parseClientDate(input.date) : undefined;
    const at = clientDate ?? now;
    const sec = <T extends Record<string, unknown>>(v: unknown) => (isPlainObject(v) ? v : {}) as T;
    const u = sec<Record<string, unknown>>(input.user);
    const d = sec<Record<string, unknown>>(input.device);
    const c = sec<Record<string, unknown>>(input.client);
    const f = sec<Record<string, unknown>>(input.feedback);
    const a = sec<Record<string, unknown>>(input.app_version);
    const device = emptyDevice(nextId(now, 9));
    for (const k of DEVICE_KEYS) if (d[k] !== undefined) (device as unknown as Record<string, string | null>)[k] = strOrNull(d[k]);
    const name = strOrNull(u.name);
    const feedbackText = hasFeedback ? String(f.feedback) : null;
    let surveyPart: ApptentiveRecord['survey'];
    if (survey) {
      const raw = input.survey as Record<string, unknown>;
      const responses = raw.responses as Record<string, string | string[]>;
      const answers: Record<string, string | string[]> = {};
      for (const qn of survey.questions) {
        const v = responses[qn.id];
        if (v === undefined || v === null || v === '') continue;
        answers[qn.id] = qn.type === 'multichoice' && Array.isArray(v) ? v[0]! : v;
      }
      survey.submissions.push(answers);
      survey.updatedAt = now;
      surveyPart = { id: survey.id, name: survey.name, completion_time: strOrNull(raw.completion_time), responses: answers };
    }
    const doc: ApptentiveRecord = {
      id: nextId(now, 9),
      summary: summarize(feedbackText, name, survey?.name),
      device,
      user: {
        _id: nextId(now, 9), birthday: strOrNull(u.birthday), city: strOrNull(u.city), country: strOrNull(u.country), email: strOrNull(u.email), name,
        phone_number: strOrNull(u.phone_number), state: strOrNull(u.state), street: strOrNull(u.street), zip: strOrNull(u.zip_code ?? u.zip),
      },
      feedback: feedbackText === null ? null : { _id: nextId(now, 9), feedback: feedbackText, source: strOrNull(f.source), type: strOrNull(f.type) },
      date: httpDate(at),
      archived: false,
      app_version: {
        _id: nextId(now, 9), version: strOrNull(a.version), build_number: strOrNull(a.build_number), primary_locale: strOrNull(a.primary_locale), supported_locales: locales,
      },
      client: {
        _id: nextId(now, 9), version: strOrNull(c.version), language: strOrNull(c.language), author: strOrNull(c.author), platform: strOrNull(c.platform ?? c.os),
      },
      data: isPlainObject(input.data) ? input.data : {},
    };
    if (surveyPart) doc.survey = surveyPart;
    if (files.length) doc.files = files;
    app.records.unshift({ doc, updatedAt: now });
    const text = JSON.stringify(doc);
    return {
      status: 201,
      headers: {
        location: `${req.origin}/apptentive/records/${doc.id}`,
        'content-type': JSON_TYPE,
        etag: `"${md5(text)}"`,
        'cache-control': CC_REVALIDATE,
        'x-request-id': requestId(),
      },
      body: text,
    };
  }

  function handle(req: SandboxRequest): SandboxResponse {
    const r = route(req.path);
    if (!r) return jsonError(404, { error: `No route matches ${req.method} ${req.path}` });
    const method = req.method.toUpperCase();
    if (!ALLOW[r.kind].includes(method)) {
      return jsonError(405, { error: `Method ${method} not allowed on ${req.path}` }, { allow: ALLOW[r.kind].join(', ') });
    }

    let parsed: ReturnType<typeof readInput> | undefined;
    if (method === 'POST') parsed = readInput(req);
    const app = authenticate(req, parsed && 'form' in parsed ? parsed.form : undefined);
    if (!app) {
      return jsonError(401, { error: 'Unauthorized: send the app\'s API token as "Authorization: OAuth <token>" or ?oauth_token=<token>' }, { 'www-authenticate': 'OAuth realm="Apptentive"' });
    }

    switch (r.kind) {
      case 'records': {
        if (method === 'POST') {
          if (parsed && 'error' in parsed) return jsonError(422, { errors: { base: [parsed.error] }, record: parsed.raw });
          return createRecord(req, app, parsed!);
        }
        const list = [...app.records].sort((a, b) => Date.parse(b.doc.date) - Date.parse(a.doc.date)).map((x) => x.doc);
        return conditional(req, list, listLastModified(app), CC_REVALIDATE);
      }
      case 'record': {
        const rec = app.records.find((x) => x.doc.id === r.id);
        if (!rec) return jsonError(404, { error: `Record ${r.id} not found` });
        return conditional(req, rec.doc, rec.updatedAt, CC_REVALIDATE);
      }
      case 'toggle': {
        const rec = app.records.find((x) => x.doc.id === r.id);
        if (!rec) return jsonError(404, { error: `Record ${r.id} not found` });
        rec.doc.archived = !rec.doc.archived;
        rec.updatedAt = touch(app);
        return { status: 204, headers: { 'cache-control': CC_NO_CACHE, 'x-request-id': requestId() } };
      }
      case 'surveys':
        return listSurveys(req, app);
      case 'surveysActive': {
        const list = app.surveys.filter((s) => s.active).sort((a, b) => b.date.localeCompare(a.date)).map((s) => surveyDoc(s, false));
        return conditional(req, list, surveysLastModified(app), CC_SURVEY_LIST);
      }
      case 'survey':
      case 'deactivate': {
        const s = app.surveys.find((x) => x.id === r.id);
        if (!s) return jsonError(404, { error: `Survey ${r.id} not found` });
        if (method === 'PUT') {
          if (s.active) { s.active = false; s.updatedAt = touch(app); }
          return { status: 204, headers: { 'cache-control': CC_NO_CACHE, 'x-request-id': requestId() } };
        }
        return conditional(req, surveyDoc(s, true), s.updatedAt, CC_REVALIDATE);
      }
    }
  }

  return {
    prefix: '/apptentive',
    handle,
    reset: () => { apps = seedApps(); },
    credentials: () => ({
      apps: apps.map((a) => ({ id: a.id, name: a.name, token: a.token })),
      header: 'Authorization: OAuth <token>',
    }),
    apps: () => apps.map((a) => ({ id: a.id, name: a.name, token: a.token, records: a.records.length, surveys: a.surveys.length })),
  };
}
