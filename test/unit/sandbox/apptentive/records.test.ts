// The Apptentive emulator: auth, records (list, get, create, toggle archive), conditional GET, 404/405/422/500.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../../../sandbox/server';
import type { ApptentiveRecord } from '../../../../sandbox/apptentive';

interface AppCreds { id: string; name: string; token: string }
const HOSTILE = '<img src=x onerror=alert(1)>';

describe('Apptentive emulator: auth and records', () => {
  let sb: Sandbox;
  let apps: AppCreds[];
  let base: string;
  const auth = (i = 0) => ({ authorization: `OAuth ${apps[i]!.token}` });
  const list = async (i = 0) => (await (await fetch(`${base}/records`, { headers: auth(i) })).json()) as ApptentiveRecord[];

  before(async () => {
    sb = await startSandbox();
    apps = (sb.credentials().apptentive as unknown as { apps: AppCreds[] }).apps;
    base = sb.baseUrl('/apptentive');
  });
  after(async () => { await sb.close(); });
  beforeEach(() => { sb.reset(); });

  it('hands out two apps, each with its own token', () => {
    assert.equal(apps.length, 2);
    assert.notEqual(apps[0]!.token, apps[1]!.token);
    for (const a of apps) {
      assert.match(a.id, /^[0-9a-f]{24}$/);
      assert.ok(a.name);
      assert.ok(a.token.length >= 32);
    }
  });

  it('accepts the token as "Authorization: OAuth" or ?oauth_token=', async () => {
    assert.equal((await fetch(`${base}/records`, { headers: auth() })).status, 200);
    assert.equal((await fetch(`${base}/records`, { headers: { authorization: `oauth ${apps[0]!.token}` } })).status, 200);
    assert.equal((await fetch(`${base}/records?oauth_token=${apps[0]!.token}`)).status, 200);
    assert.equal((await fetch(`${base}/surveys/active?oauth_token=${apps[1]!.token}`)).status, 200);
  });

  it('answers 401 for a missing or wrong token, or another scheme', async () => {
    for (const headers of [{}, { authorization: 'OAuth nope' }, { authorization: `Bearer ${apps[0]!.token}` }, { authorization: apps[0]!.token }] as Record<string, string>[]) {
      const res = await fetch(`${base}/records`, { headers });
      assert.equal(res.status, 401);
      assert.match(((await res.json()) as { error: string }).error, /Unauthorized/);
    }
    assert.equal((await fetch(`${base}/records?oauth_token=wrong`)).status, 401);
  });

  it('scopes data to the token\'s app: another app\'s record is 404', async () => {
    const a = await list(0);
    const b = await list(1);
    assert.equal(a.length, 60);
    assert.ok(b.length > 0);
    assert.ok(!b.some((r) => a.some((x) => x.id === r.id)));
    assert.equal((await fetch(`${base}/records/${a[0]!.id}`, { headers: auth(1) })).status, 404);
  });

  it('lists records newest first with the documented fields', async () => {
    const res = await fetch(`${base}/records`, { headers: auth() });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    const records = (await res.json()) as ApptentiveRecord[];
    assert.ok(Array.isArray(records));
    const dates = records.map((r) => Date.parse(r.date));
    assert.deepEqual(dates, [...dates].sort((x, y) => y - x));
    for (const r of records) {
      assert.match(r.id, /^[0-9a-f]{24}$/);
      assert.equal(typeof r.summary, 'string');
      assert.equal(typeof r.archived, 'boolean');
      assert.match(r.date, /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
      for (const k of ['_id', 'model', 'os_name', 'os_version', 'uuid', 'carrier']) assert.ok(k in r.device, k);
      for (const k of ['_id', 'name', 'email', 'phone_number', 'zip']) assert.ok(k in r.user, k);
      assert.ok(r.feedback && typeof r.feedback.feedback === 'string');
      assert.ok('version' in r.app_version && 'build_number' in r.app_version);
      assert.equal(typeof r.data, 'object');
    }
    assert.ok(records.some((r) => r.archived) && records.some((r) => !r.archived));
    assert.ok(records.some((r) => Object.keys(r.data).length > 0), 'some records carry custom data');
    assert.ok(records.some((r) => r.user.name === null), 'some records are anonymous');
  });

  it('seeds hostile strings verbatim in a feedback text and a user name', async () => {
    const res = await fetch(`${base}/records`, { headers: auth() });
    const text = await res.text();
    assert.ok(text.includes(HOSTILE), 'the raw JSON carries the string unescaped');
    const records = JSON.parse(text) as ApptentiveRecord[];
    assert.ok(records.some((r) => r.feedback?.feedback.includes(HOSTILE)));
    assert.ok(records.some((r) => r.user.name === HOSTILE));
    assert.ok(records.some((r) => r.summary.includes(HOSTILE)));
  });

  it('gets one record; unknown ids are 404', async () => {
    const [first] = await list();
    const res = await fetch(`${base}/records/${first!.id}`, { headers: auth() });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), first);
    assert.equal((await fetch(`${base}/records/000000000000000000000000`, { headers: auth() })).status, 404);
    assert.equal((await fetch(`${base}/records/not-an-id`, { headers: auth() })).status, 404);
  });

  it('toggles the archived state with PUT /records/{id}/toggle_archive (204, no body)', async () => {
    const [first] = await list();
    const url = `${base}/records/${first!.id}/toggle_archive`;
    const res = await fetch(url, { method: 'PUT', headers: auth() });
    assert.equal(res.status, 204);
    assert.equal(await res.text(), '');
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    const after1 = (await (await fetch(`${base}/records/${first!.id}`, { headers: auth() })).json()) as ApptentiveRecord;
    assert.equal(after1.archived, !first!.archived);
    assert.equal((await fetch(url, { method: 'PUT', headers: auth() })).status, 204);
    const after2 = (await (await fetch(`${base}/records/${first!.id}`, { headers: auth() })).json()) as ApptentiveRecord;
    assert.equal(after2.archived, first!.archived);
    assert.equal((await fetch(`${base}/records/000000000000000000000000/toggle_archive`, { method: 'PUT', headers: auth() })).status, 404);
  });

  it('answers 405 with Allow for a wrong method, 404 for an unknown route', async () => {
    const [first] = await list();
    const del = await fetch(`${base}/records/${first!.id}`, { method: 'DELETE', headers: auth() });
    assert.equal(del.status, 405);
    assert.equal(del.headers.get('allow'), 'GET, HEAD');
    const get = await fetch(`${base}/records/${first!.id}/toggle_archive`, { headers: auth() });
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'PUT');
    assert.equal((await fetch(`${base}/records`, { method: 'PUT', headers: auth() })).status, 405);
    assert.equal((await fetch(`${base}/surveys`, { method: 'POST', headers: auth() })).status, 405);
    assert.equal((await fetch(`${base}/messages`, { headers: auth() })).status, 404);
  });

  it('answers 500 through the server\'s fault injection', async () => {
    sb.addFault({ prefix: '/apptentive', kind: 'status', status: 500, body: { error: 'Internal Server Error' } });
    assert.equal((await fetch(`${base}/records`, { headers: auth() })).status, 500);
    assert.equal((await fetch(`${base}/records`, { headers: auth() })).status, 200);
  });
});

describe('Apptentive emulator: conditional GET', () => {
  let sb: Sandbox;
  let token: string;
  let base: string;
  const auth = () => ({ authorization: `OAuth ${token}` });

  before(async () => {
    sb = await startSandbox();
    token = (sb.credentials().apptentive as unknown as { apps: AppCreds[] }).apps[0]!.token;
    base = sb.baseUrl('/apptentive');
  });
  after(async () => { await sb.close(); });
  beforeEach(() => { sb.reset(); });

  it('sends ETag (quoted MD5 of the body), Last-Modified and the wiki\'s Cache-Control', async () => {
    const res = await fetch(`${base}/records`, { headers: auth() });
    const etag = res.headers.get('etag');
    assert.match(etag ?? '', /^"[0-9a-f]{32}"$/);
    assert.equal(res.headers.get('cache-control'), 'max-age=0, private, must-revalidate');
    assert.ok(!Number.isNaN(Date.parse(res.headers.get('last-modified') ?? '')));
    const { createHash } = await import('node:crypto');
    assert.equal(etag, `"${createHash('md5').update(await res.text()).digest('hex')}"`);
  });

  it('answers 304 with no body when If-None-Match matches, 200 when it does not', async () => {
    const first = await fetch(`${base}/records`, { headers: auth() });
    const etag = first.headers.get('etag')!;
    await first.text();
    const again = await fetch(`${base}/records`, { headers: { ...auth(), 'if-none-match': etag } });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), '');
    assert.equal(again.headers.get('etag'), etag);
    assert.equal((await fetch(`${base}/records`, { headers: { ...auth(), 'if-none-match': `W/${etag}` } })).status, 304);
    assert.equal((await fetch(`${base}/records`, { headers: { ...auth(), 'if-none-match': `"other", ${etag}` } })).status, 304);
    const stale = await fetch(`${base}/records`, { headers: { ...auth(), 'if-none-match': '"0000"' } });
    assert.equal(stale.status, 200);
    assert.ok((await stale.text()).length > 0);
  });

  it('changes the ETag and Last-Modified when a record changes', async () => {
    const first = await fetch(`${base}/records`, { headers: auth() });
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    const [rec] = (await first.json()) as ApptentiveRecord[];
    const one = await fetch(`${base}/records/${rec!.id}`, { headers: auth() });
    const oneEtag = one.headers.get('etag')!;
    const oneLm = one.headers.get('last-modified')!;
    await one.text();

    assert.equal((await fetch(`${base}/records/${rec!.id}/toggle_archive`, { method: 'PUT', headers: auth() })).status, 204);

    const changed = await fetch(`${base}/records`, { headers: { ...auth(), 'if-none-match': etag } });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get('etag'), etag);
    assert.ok(Date.parse(changed.headers.get('last-modified')!) > Date.parse(lastModified));
    await changed.text();
    const byDate = await fetch(`${base}/records/${rec!.id}`, { headers: { ...auth(), 'if-modified-since': oneLm } });
    assert.equal(byDate.status, 200, 'If-Modified-Since sees the change even within the same second');
    assert.notEqual(byDate.headers.get('etag'), oneEtag);
    await byDate.text();
  });

  it('keeps Last-Modified strictly increasing across changes within one second', async () => {
    const [rec] = (await (await fetch(`${base}/records`, { headers: auth() })).json()) as ApptentiveRecord[];
    const stamps: number[] = [];
    for (let i = 0; i < 3; i++) {
      await fetch(`${base}/records/${rec!.id}/toggle_archive`, { method: 'PUT', headers: auth() });
      const res = await fetch(`${base}/records/${rec!.id}`, { headers: auth() });
      stamps.push(Date.parse(res.headers.get('last-modified')!));
      await res.text();
    }
    assert.ok(stamps[0]! < stamps[1]! && stamps[1]! < stamps[2]!, stamps.join(' < '));
  });

  it('honours If-Modified-Since against Last-Modified', async () => {
    const first = await fetch(`${base}/records`, { headers: auth() });
    const lm = first.headers.get('last-modified')!;
    await first.text();
    const same = await fetch(`${base}/records`, { headers: { ...auth(), 'if-modified-since': lm } });
    assert.equal(same.status, 304);
    assert.equal(await same.text(), '');
    const later = await fetch(`${base}/records`, { headers: { ...auth(), 'if-modified-since': new Date(Date.parse(lm) + 60_000).toUTCString() } });
    assert.equal(later.status, 304);
    const earlier = await fetch(`${base}/records`, { headers: { ...auth(), 'if-modified-since': new Date(Date.parse(lm) - 1000).toUTCString() } });
    assert.equal(earlier.status, 200);
    await earlier.text();
    // If-None-Match takes precedence over If-Modified-Since.
    const both = await fetch(`${base}/records`, { headers: { ...auth(), 'if-modified-since': lm, 'if-none-match': '"nope"' } });
    assert.equal(both.status, 200);
    await both.text();
  });

  it('answers conditional GETs of surveys and single resources too', async () => {
    for (const path of ['/surveys', '/surveys/active', '/surveys?active=1']) {
      const res = await fetch(`${base}${path}`, { headers: auth() });
      assert.equal(res.status, 200);
      const etag = res.headers.get('etag')!;
      await res.text();
      assert.equal((await fetch(`${base}${path}`, { headers: { ...auth(), 'if-none-match': etag } })).status, 304, path);
    }
    const { surveys } = (await (await fetch(`${base}/surveys`, { headers: auth() })).json()) as { surveys: { id: string }[] };
    const one = await fetch(`${base}/surveys/${surveys[0]!.id}`, { headers: auth() });
    assert.equal(one.headers.get('cache-control'), 'max-age=0, private, must-revalidate');
    const etag = one.headers.get('etag')!;
    await one.text();
    assert.equal((await fetch(`${base}/surveys/${surveys[0]!.id}`, { headers: { ...auth(), 'if-none-match': etag } })).status, 304);
  });
});

describe('Apptentive emulator: creating records', () => {
  let sb: Sandbox;
  let token: string;
  let base: string;
  const auth = () => ({ authorization: `OAuth ${token}` });
  const postJson = (body: unknown) => fetch(`${base}/records`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify(body) });

  before(async () => {
    sb = await startSandbox();
    token = (sb.credentials().apptentive as unknown as { apps: AppCreds[] }).apps[0]!.token;
    base = sb.baseUrl('/apptentive');
  });
  after(async () => { await sb.close(); });
  beforeEach(() => { sb.reset(); });

  it('creates a record from the wiki\'s JSON example: 201, Location, the record', async () => {
    const res = await postJson({
      data: { my_app_id: 123 }, feedback: { feedback: 'Great app!', type: 'praise' },
      user: { name: 'Sample User', email: 'sample@example.com' }, device: { os_name: 'iOS', os_version: '5.0.1' }, client: { language: 'curl' },
    });
    assert.equal(res.status, 201);
    const rec = (await res.json()) as ApptentiveRecord;
    assert.equal(res.headers.get('location'), `${base}/records/${rec.id}`);
    assert.match(res.headers.get('etag') ?? '', /^"[0-9a-f]{32}"$/);
    assert.equal(rec.summary, 'Great app! from Sample User');
    assert.equal(rec.feedback?.feedback, 'Great app!');
    assert.equal(rec.feedback?.type, 'praise');
    assert.equal(rec.device.os_name, 'iOS');
    assert.equal(rec.device.model, null);
    assert.equal(rec.user.email, 'sample@example.com');
    assert.equal(rec.client.language, 'curl');
    assert.deepEqual(rec.data, { my_app_id: 123 });
    assert.equal(rec.archived, false);
    const got = await fetch(res.headers.get('location')!, { headers: auth() });
    assert.deepEqual(await got.json(), rec);
    const all = (await (await fetch(`${base}/records`, { headers: auth() })).json()) as ApptentiveRecord[];
    assert.equal(all.length, 61);
    assert.equal(all[0]!.id, rec.id);
  });

  it('accepts a {"record": {...}} JSON wrapper and the client date format', async () => {
    const res = await postJson({ record: { feedback: { feedback: 'Wrapped' }, date: '03/23/2012 08:26PM-0700', app_version: { version: '1.2', supported_locales: ['en', 'es'] } } });
    assert.equal(res.status, 201);
    const rec = (await res.json()) as ApptentiveRecord;
    assert.equal(rec.date, 'Sat, 24 Mar 2012 03:26:00 GMT');
    assert.deepEqual(rec.app_version.supported_locales, ['en', 'es']);
    assert.equal(rec.summary, 'Wrapped. from Anonymous');
  });

  it('creates a record from form-encoded record[...] fields', async () => {
    const form = new URLSearchParams();
    form.append('record[feedback][feedback]', 'Sent from the SDK');
    form.append('record[feedback][type]', 'bug');
    form.append('record[user][name]', 'Form User');
    form.append('record[user][zip_code]', '94107');
    form.append('record[device][uuid]', 'ABC-123');
    form.append('record[app_version][supported_locales][]', 'en');
    form.append('record[app_version][supported_locales][]', 'fr');
    form.append('record[data][plan]', 'pro');
    const res = await fetch(`${base}/records`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    assert.equal(res.status, 201);
    const rec = (await res.json()) as ApptentiveRecord;
    assert.equal(rec.feedback?.type, 'bug');
    assert.equal(rec.user.zip, '94107');
    assert.equal(rec.device.uuid, 'ABC-123');
    assert.deepEqual(rec.app_version.supported_locales, ['en', 'fr']);
    assert.deepEqual(rec.data, { plan: 'pro' });
  });

  it('accepts oauth_token as a form parameter', async () => {
    const res = await fetch(`${base}/records`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `oauth_token=${token}&record[feedback][feedback]=hi`,
    });
    assert.equal(res.status, 201);
  });

  it('accepts a multipart upload with a screenshot, and base64 files in JSON', async () => {
    const fd = new FormData();
    fd.append('record[feedback][feedback]', 'See screenshot');
    fd.append('record[file][screenshot]', new Blob([new Uint8Array([1, 2, 3, 4, 5])], { type: 'image/png' }), 'shot.png');
    const res = await fetch(`${base}/records`, { method: 'POST', headers: auth(), body: fd });
    assert.equal(res.status, 201);
    const rec = (await res.json()) as ApptentiveRecord;
    assert.deepEqual(rec.files, [{ name: 'screenshot', content_type: 'image/png', size: 5 }]);

    const json = await postJson({ feedback: { feedback: 'log attached' }, file: { crash_log: Buffer.from('boom').toString('base64') } });
    assert.equal(json.status, 201);
    assert.deepEqual(((await json.json()) as ApptentiveRecord).files, [{ name: 'crash_log', content_type: null, size: 4 }]);
  });

  it('answers 422 with the errors and the invalid input echoed', async () => {
    const cases: [unknown, string][] = [
      [{}, 'base'],
      [{ feedback: { feedback: '   ' } }, 'feedback.feedback'],
      [{ feedback: { feedback: 42 } }, 'feedback.feedback'],
      [{ feedback: 'just a string' }, 'feedback'],
      [{ feedback: { feedback: 'ok' }, user: 'bob' }, 'user'],
      [{ feedback: { feedback: 'ok' }, device: { model: { nested: true } } }, 'device.model'],
      [{ feedback: { feedback: 'ok' }, app_version: { supported_locales: [1, 2] } }, 'app_version.supported_locales'],
      [{ feedback: { feedback: 'ok' }, file: { screenshot: '%%%not base64%%%' } }, 'file.screenshot'],
      [[1, 2, 3], 'record'],
    ];
    for (const [input, field] of cases) {
      const res = await postJson(input);
      assert.equal(res.status, 422, JSON.stringify(input));
      const body = (await res.json()) as { errors: Record<string, string[]>; record: unknown };
      assert.ok(body.errors[field], `${field} in ${JSON.stringify(body.errors)}`);
      assert.deepEqual(body.record, input);
    }
    const hostile = await postJson({ feedback: { feedback: 7 }, user: { name: HOSTILE } });
    assert.equal(hostile.status, 422);
    assert.ok((await hostile.text()).includes(HOSTILE), 'the echo is raw JSON; escaping is the client\'s job');
    const all = (await (await fetch(`${base}/records`, { headers: auth() })).json()) as ApptentiveRecord[];
    assert.equal(all.length, 60, 'nothing was stored');
  });

  it('answers 422 for a body that is not JSON, echoing it', async () => {
    const res = await fetch(`${base}/records`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: '{"feedback": ' });
    assert.equal(res.status, 422);
    const body = (await res.json()) as { errors: { base: string[] }; record: string };
    assert.match(body.errors.base[0]!, /invalid JSON/);
    assert.equal(body.record, '{"feedback": ');
    const xml = await fetch(`${base}/records`, { method: 'POST', headers: { ...auth(), 'content-type': 'text/xml' }, body: '<record/>' });
    assert.equal(xml.status, 422);
  });

  it('checks the token before the body', async () => {
    const res = await fetch(`${base}/records`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 401);
  });
});
