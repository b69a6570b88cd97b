// The Apptentive provider against the real sandbox: feedback records (list, archived filter, details, create,
// archive / un-archive), surveys (filters, response counts, deactivate), conditional GETs (304 from the cache,
// Cache-Control max-age), each error status explained, no token in the log, and the CLI commands.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Sandbox } from '../../../../sandbox/server';
import { APPTENTIVE_HOSTILE_STRING, type ApptentiveEmulator } from '../../../../sandbox/apptentive';
import { MemoryLogger } from '../../../../src/core/logger';
import { apptentiveProvider, APPTENTIVE_SECRET, FEEDBACK_PAGE_SIZE } from '../../../../src/providers/apptentive';
import type { FeedbackEntry, FeedbackService, SurveysService } from '../../../../src/providers/services';
import type { AccountConfig, AppSummary, Connection } from '../../../../src/providers/types';
import { cli, connectAccount, rejects, useSandbox } from '../support';

interface AppCreds { id: string; name: string; token: string }

async function allFeedback(svc: FeedbackService, app: AppSummary, archived?: boolean): Promise<{ entries: FeedbackEntry[]; pages: number }> {
  const entries: FeedbackEntry[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await svc.list(app, { cursor, archived });
    entries.push(...page.items);
    cursor = page.next;
    pages++;
  } while (cursor);
  return { entries, pages };
}

describe('Apptentive provider', () => {
  let sb: Sandbox;
  let baseUrl: string;
  let ios: AppCreds;
  const { track } = useSandbox((started) => {
    sb = started;
    baseUrl = sb.credentials().apptentive!.baseUrl as string;
    ios = (sb.credentials().apptentive!.apps as AppCreds[])[0]!;
  });
  const requests = (path: string, method = 'GET') => sb.requests().filter((r) => r.method === method && r.path.startsWith(`/apptentive${path}`));

  function connect(opts: { token?: string; logger?: MemoryLogger } = {}) {
    const account: AccountConfig = { id: 'at1', providerId: 'apptentive', label: 'Apptentive — iOS', baseUrl, settings: { appName: ios.name, appId: ios.id } };
    return track(connectAccount(apptentiveProvider, account, { [APPTENTIVE_SECRET]: opts.token ?? ios.token }, { logger: opts.logger }).conn);
  }

  async function services(opts: { token?: string; logger?: MemoryLogger } = {}): Promise<{ conn: Connection; app: AppSummary; feedback: FeedbackService; surveys: SurveysService }> {
    const conn = connect(opts);
    const app = (await conn.listApps({})).items[0]!;
    return { conn, app, feedback: conn.services.feedback!, surveys: conn.services.surveys! };
  }

  it('is one app per account, with feedback and surveys sections', async () => {
    const conn = connect();
    assert.deepEqual([...conn.capabilities].sort(), ['feedback', 'surveys']);
    const apps = await conn.listApps({});
    assert.equal(apps.items.length, 1);
    assert.equal(apps.items[0]!.name, 'Northwind Trails (iOS)');
    assert.equal(apps.items[0]!.id, ios.id);
    assert.deepEqual(conn.sections(apps.items[0]!).map((s) => [s.kind, s.label]), [['feedback', 'Feedback'], ['surveys', 'Surveys']]);
    await conn.verify();
  });

  it('lists feedback records in pages, with the archived filter', async () => {
    const { app, feedback } = await services();
    const counts = (sb.emulators.find((e) => e.prefix === '/apptentive') as ApptentiveEmulator).apps()[0]!;
    const everything = await allFeedback(feedback, app);
    assert.equal(everything.entries.length, counts.records);
    assert.equal(everything.pages, Math.ceil(counts.records / FEEDBACK_PAGE_SIZE));
    const archived = await allFeedback(feedback, app, true);
    const inbox = await allFeedback(feedback, app, false);
    assert.equal(archived.entries.length, 20);
    assert.equal(inbox.entries.length, 40);
    assert.ok(archived.entries.every((e) => e.archived) && inbox.entries.every((e) => !e.archived));
    // One download served every page: the later ones were revalidated (304).
    const lists = everything.pages + archived.pages + inbox.pages;
    assert.deepEqual(requests('/records').map((r) => r.status), [200, ...Array<number>(lists - 1).fill(304)]);

    const first = everything.entries[0]!;
    assert.ok(!Number.isNaN(Date.parse(first.createdDate)));
    assert.ok(['bug', 'praise', 'suggestion', 'question'].includes(first.type));
    // Hostile strings pass through untouched.
    assert.ok(everything.entries.some((e) => e.text.includes(APPTENTIVE_HOSTILE_STRING)));
    assert.ok(everything.entries.some((e) => e.author === APPTENTIVE_HOSTILE_STRING));

    const section = await connect().sections(app)[0]!.list(app, {});
    assert.equal(section.total, 40);
    assert.ok(section.items.every((i) => i.tags?.includes('unarchived')));
  });

  it('gets one record with user, device, app version and custom data as details', async () => {
    const { app, feedback } = await services();
    const { entries } = await allFeedback(feedback, app);
    const withData = entries.find((e) => e.details?.['data.plan'] !== undefined)!;
    const record = await feedback.get!(app, withData.id);
    assert.equal(record.id, withData.id);
    assert.equal(record.text, withData.text);
    const d = record.details!;
    assert.match(String(d['user.email'] ?? ''), /@example\.com$/);
    assert.equal(d['device.os_name'], 'iOS');
    assert.ok(d['device.model']);
    assert.match(String(d['app_version.version']), /^3\.\d\.\d$/);
    assert.equal(d['client.platform'], 'iOS');
    assert.ok(['pro', 'free'].includes(String(d['data.plan'])));
    assert.ok(!('device._id' in d) && !('device.board' in d), 'ids and nulls are left out');
  });

  it('creates a record from a form, and explains a 422 with the API\'s own words', async () => {
    const { app, feedback } = await services();
    const created = await feedback.create!(app, { text: 'Created <b>by</b> AppDesk', type: 'suggestion', email: 'qa@example.com', name: 'QA Bot' });
    assert.equal(created.text, 'Created <b>by</b> AppDesk');
    assert.equal(created.type, 'suggestion');
    assert.equal(created.email, 'qa@example.com');
    assert.equal(created.author, 'QA Bot');
    assert.equal(created.archived, false);
    const { entries } = await allFeedback(feedback, app, false);
    assert.equal(entries[0]!.id, created.id);

    const e = await rejects(feedback.create!(app, { text: '   ' }));
    assert.equal(e.kind, 'validation');
    assert.equal(e.status, 422);
    assert.match(e.message, /^Apptentive could not store the record \(422\): feedback\.feedback can't be blank\./);
    assert.deepEqual(e.details, ["feedback.feedback can't be blank"]);
    assert.deepEqual(e.fieldErrors, { 'feedback.feedback': ["can't be blank"] });
  });

  it('archives and un-archives a record; archiving twice never toggles back', async () => {
    const { app, feedback } = await services();
    const inbox = (await feedback.list(app, { archived: false })).items[0]!;
    const archived = await feedback.setArchived!(app, inbox, true);
    assert.equal(archived.archived, true);
    const again = await feedback.setArchived!(app, inbox, true);
    assert.equal(again.archived, true);
    assert.equal(requests('/records/', 'PUT').length, 1);
    const back = await feedback.setArchived!(app, archived, false);
    assert.equal(back.archived, false);
    assert.equal(requests('/records/', 'PUT').length, 2);
    assert.equal((await feedback.get!(app, inbox.id)).archived, false);
  });

  it('never retries the toggle (a repeated toggle would undo itself)', async () => {
    const { app, feedback } = await services();
    const inbox = (await feedback.list(app, { archived: false })).items[0]!;
    sb.addFault({ prefix: '/apptentive', pathIncludes: '/toggle_archive', kind: 'status', status: 500, body: { error: 'boom' }, times: 3 });
    const e = await rejects(feedback.setArchived!(app, inbox, true));
    assert.equal(e.kind, 'transient');
    assert.match(e.message, /^Apptentive had a temporary internal error \(500\): boom\./);
    assert.equal(requests('/records/', 'PUT').length, 1, JSON.stringify(sb.requests()));
  });

  it('lists surveys with tags, active, inactive and limit filters', async () => {
    const { app, surveys } = await services();
    const names = async (f: Parameters<SurveysService['list']>[1]) => (await surveys.list(app, f)).items.map((s) => s.name).sort();
    assert.equal((await names({})).length, 4);
    assert.deepEqual(await names({ active: true }), ['Offline maps feedback', 'Trip planner satisfaction']);
    assert.deepEqual(await names({ active: false }), ['Ice Cream Survey', 'Pro pricing']);
    assert.deepEqual(await names({ tags: ['q2'] }), ['Pro pricing', 'Trip planner satisfaction']);
    assert.deepEqual(await names({ tags: ['planner', 'q2'] }), ['Trip planner satisfaction']);
    assert.deepEqual(await names({ tags: ['q2'], active: false }), ['Pro pricing']);
    assert.equal((await names({ limit: 1 })).length, 1);
    const q = requests('/surveys').map((r) => r.path);
    assert.ok(q.includes('/apptentive/surveys?tags=planner%2Cq2'));
    assert.ok(q.includes('/apptentive/surveys?tags=q2&inactive=1'));
  });

  it('gets a survey with its questions and the response count of each choice, and deactivates it', async () => {
    const { app, surveys } = await services();
    const planner = (await surveys.list(app, { tags: ['planner'] })).items[0]!;
    const s = await surveys.get(app, planner.id);
    assert.equal(s.responseCount, 27);
    assert.equal(s.active, true);
    assert.deepEqual(s.tags, ['planner', 'q2']);
    const [q1, q2, q3] = s.questions!;
    assert.equal(q1!.text, 'How easy was it to plan your last trip?');
    assert.equal(q1!.type, 'multichoice');
    assert.deepEqual(q1!.choices.map((c) => c.text), ['Very easy', 'Easy', 'Neutral', 'Hard', 'Very hard']);
    assert.equal(q1!.choices.reduce((n, c) => n + c.count, 0), 27);
    assert.equal(q2!.type, 'multiselect');
    assert.ok(q2!.choices.reduce((n, c) => n + c.count, 0) >= 27);
    assert.equal(q3!.type, 'singleline');
    assert.ok(q3!.choices.some((c) => c.text === APPTENTIVE_HOSTILE_STRING && c.count > 0));

    const off = await surveys.deactivate(app, s);
    assert.equal(off.active, false);
    assert.equal(requests('/surveys/', 'PUT').length, 1);
    assert.deepEqual((await surveys.list(app, { active: true })).items.map((x) => x.name), ['Offline maps feedback']);
  });

  it('revalidates with If-None-Match (304 served from the cache) and honours Cache-Control max-age', async () => {
    const { app, feedback, surveys } = await services();
    const a = await feedback.get!(app, (await feedback.list(app, {})).items[3]!.id);
    const b = await feedback.get!(app, a.id);
    assert.deepEqual(b, a);
    assert.deepEqual(requests('/records/').map((r) => r.status), [200, 304]);

    // The survey list says `max-age=86400, private`: the second listing asks nobody.
    await surveys.list(app, {});
    await surveys.list(app, {});
    assert.equal(requests('/surveys').length, 1);
  });

  it('explains 401, 404, 405 and 500, and refuses a malformed body with a ProtocolError', async () => {
    const bad = await services({ token: 'f'.repeat(64) });
    const auth = await rejects(bad.feedback.list(bad.app, {}));
    assert.equal(auth.kind, 'auth');
    assert.match(auth.message, /^Apptentive did not accept the API token of Northwind Trails \(iOS\) \(401\)/);
    assert.match(auth.hint, /settings page/);

    const { app, feedback, surveys } = await services();
    const missing = await rejects(feedback.get!(app, 'nope'));
    assert.equal(missing.kind, 'notFound');
    assert.match(missing.message, /^Apptentive could not find record nope \(404\): Record nope not found\./);
    const noSurvey = await rejects(surveys.get(app, 'gone'));
    assert.match(noSurvey.message, /could not find survey gone \(404\)/);

    sb.addFault({ prefix: '/apptentive', pathIncludes: '/records/x', kind: 'status', status: 405, body: { error: 'Method GET not allowed' }, headers: { allow: 'PUT' } });
    const method = await rejects(feedback.get!(app, 'x'));
    assert.equal(method.kind, 'protocol');
    assert.match(method.message, /does not support GET \/apptentive\/records\/x \(405 Method Not Allowed\): Method GET not allowed\./);
    assert.match(method.hint, /only allows PUT/);

    sb.addFault({ prefix: '/apptentive', pathIncludes: '/surveys', kind: 'status', status: 500, body: { error: 'internal' }, times: 5 }); // the client's default 5 attempts
    const server = await rejects(surveys.get(app, 'any'));
    assert.equal(server.kind, 'transient');
    assert.match(server.hint, /try again in a few minutes/);

    sb.addFault({ prefix: '/apptentive', pathIncludes: '/records', kind: 'status', status: 200, body: [{ id: 5 }] });
    const proto = await rejects(connect().services.feedback!.list(app, {}));
    assert.equal(proto.kind, 'protocol');
    assert.match(proto.message, /^Apptentive returned an unexpected response for GET \/apptentive\/records: \[0\]\.id: expected string, got number/);
  });

  it('sends the token only as "Authorization: OAuth" and never logs it', async () => {
    const logger = new MemoryLogger();
    const { app, feedback } = await services({ logger });
    await feedback.list(app, {});
    await feedback.create!(app, { text: `token ${ios.token} pasted by a user` });
    assert.ok(logger.entries.length >= 2);
    assert.ok(!logger.text().includes(ios.token));
    assert.ok(sb.requests().every((r) => !r.path.includes('oauth_token')));
  });

  it('defines fields, demo accounts (one per app) and environment credentials', () => {
    assert.deepEqual(apptentiveProvider.credentialFields.map((f) => [f.key, f.kind, f.secret]), [
      ['appName', 'text', false], ['token', 'password', true], ['bundleId', 'text', false],
    ]);
    const token = apptentiveProvider.credentialFields[1]!;
    assert.equal(token.validate!(ios.token), undefined);
    assert.match(token.validate!(`OAuth ${ios.token}`) ?? '', /without "OAuth "/);
    assert.match(token.validate!('abc') ?? '', /longer/);
    assert.deepEqual(apptentiveProvider.secretKeys, ['token']);
    assert.equal(apptentiveProvider.accountLabel({ appName: 'X' }), 'Apptentive — X');
    const demos = apptentiveProvider.demoAccounts!(sb.credentials().apptentive!);
    assert.deepEqual(demos.map((d) => d.label), ['Demo Apptentive — Northwind Trails (iOS)', 'Demo Apptentive — Northwind Trails (Android)']);
    assert.deepEqual(demos[0]!.secrets, { token: ios.token });
    assert.deepEqual(apptentiveProvider.environmentVariables, ['APPTENTIVE_TOKEN']);
    assert.equal(apptentiveProvider.fromEnvironment!({}, () => '', {}), undefined);
  });

  it('CLI: apps, feedback, record, create-record, archive/unarchive, surveys, survey, deactivate-survey', async () => {
    const env = { APPTENTIVE_TOKEN: ios.token, APPTENTIVE_APP_NAME: ios.name };
    const run = (...args: string[]) => cli(['--provider', 'apptentive', '--base-url', baseUrl, ...args], env);
    const json = async <T>(...args: string[]): Promise<T> => {
      const r = await run('--json', ...args);
      assert.equal(r.code, 0, r.err);
      return JSON.parse(r.out) as T;
    };

    const apps = await json<AppSummary[]>('apps');
    assert.deepEqual(apps.map((a) => a.name), [ios.name]);
    assert.equal((await json<FeedbackEntry[]>('feedback')).length, 40);
    assert.equal((await json<FeedbackEntry[]>('feedback', '--archived')).length, 20);

    const created = await json<FeedbackEntry>('create-record', '--text', 'From the CLI', '--type', 'bug', '--email', 'cli@example.com');
    assert.equal(created.type, 'bug');
    const shown = await run('record', created.id);
    assert.equal(shown.code, 0, shown.err);
    assert.match(shown.out, /From the CLI/);
    assert.match(shown.out, /user\.email: cli@example\.com/);

    assert.equal((await json<FeedbackEntry>('archive', created.id)).archived, true);
    assert.equal((await json<FeedbackEntry>('archive', created.id, '--undo')).archived, false);
    assert.equal((await json<FeedbackEntry>('archive', '--undo', created.id)).archived, false);
    assert.equal((await json<FeedbackEntry>('archive', created.id)).archived, true);
    assert.equal((await json<FeedbackEntry>('unarchive', created.id)).archived, false);

    const active = await json<{ id: string; name: string }[]>('surveys', '--active', '--tags', 'planner,q2');
    assert.deepEqual(active.map((s) => s.name), ['Trip planner satisfaction']);
    assert.equal((await json<unknown[]>('surveys', '--inactive', '--limit', '1')).length, 1);
    const text = await run('survey', active[0]!.id);
    assert.match(text.out, /Responses 27/);
    assert.match(text.out, /How easy was it to plan your last trip\? \(multichoice\)/);
    const off = await run('deactivate-survey', active[0]!.id);
    assert.equal(off.code, 0, off.err);
    assert.match(off.out, /is inactive/);
    assert.equal((await json<unknown[]>('surveys', '--active')).length, 1);

    const missing = await run('record');
    assert.equal(missing.code, 1);
    assert.match(missing.err, /Missing the record id.*Usage: appdesk --provider apptentive record <id>/);
    const unknown = await run('record', 'nope');
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /could not find record nope/);
    assert.ok(![shown, text, off, missing, unknown].some((r) => r.err.includes(ios.token) || r.out.includes(ios.token)));
  });
});
