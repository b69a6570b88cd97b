// The Apptentive emulator: surveys (list with filters, get with response counts, deactivate, responses).
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../../../sandbox/server';

interface AppCreds { id: string; name: string; token: string }
interface Question { id: string; value: string; type: string; required: boolean; answer_choices?: { id: string; value: string }[] }
interface Survey {
  id: string; name: string; description: string; active: boolean; date: string; tags: string[]; questions: Question[];
  success_message: string | false; required: boolean; multiple_responses: boolean; show_success_message: boolean;
  response_count?: number;
  responses?: { question: string; type: string; required: boolean; responses: { choice: string; count: number }[] }[];
}

describe('Apptentive emulator: surveys', () => {
  let sb: Sandbox;
  let token: string;
  let base: string;
  const auth = () => ({ authorization: `OAuth ${token}` });
  const surveys = async (query = '') => {
    const res = await fetch(`${base}/surveys${query}`, { headers: auth() });
    assert.equal(res.status, 200, query);
    return ((await res.json()) as { surveys: Survey[] }).surveys;
  };
  const survey = async (id: string) => (await (await fetch(`${base}/surveys/${id}`, { headers: auth() })).json()) as Survey;

  before(async () => {
    sb = await startSandbox();
    token = (sb.credentials().apptentive as unknown as { apps: AppCreds[] }).apps[0]!.token;
    base = sb.baseUrl('/apptentive');
  });
  after(async () => { await sb.close(); });
  beforeEach(() => { sb.reset(); });

  it('lists surveys as {"surveys": [...]} with the documented fields and the wiki\'s Cache-Control', async () => {
    const res = await fetch(`${base}/surveys`, { headers: auth() });
    assert.equal(res.headers.get('cache-control'), 'max-age=86400, private');
    const list = ((await res.json()) as { surveys: Survey[] }).surveys;
    assert.equal(list.length, 4);
    for (const s of list) {
      assert.match(s.id, /^[0-9a-f]{24}$/);
      for (const k of ['name', 'description', 'active', 'date', 'success_message', 'required', 'multiple_responses', 'questions']) assert.ok(k in s, k);
      assert.equal(s.response_count, undefined, 'the listing carries no responses');
      for (const q of s.questions) {
        assert.ok(['singleline', 'multichoice', 'multiselect'].includes(q.type));
        if (q.type !== 'singleline') assert.ok(q.answer_choices!.length > 0);
      }
    }
    assert.ok(list.some((s) => s.active) && list.some((s) => !s.active));
  });

  it('filters by tags (all must match; comma string or array), active, inactive and limit', async () => {
    assert.equal((await surveys('?tags=q2')).length, 2);
    assert.deepEqual((await surveys('?tags=planner,q2')).map((s) => s.name), ['Trip planner satisfaction']);
    assert.equal((await surveys('?tags[]=planner&tags[]=q2')).length, 1);
    assert.equal((await surveys('?tags=q2&tags=pricing')).length, 1);
    assert.equal((await surveys('?tags=nope')).length, 0);
    assert.ok((await surveys('?active=1')).every((s) => s.active));
    assert.equal((await surveys('?active=1')).length, 2);
    assert.ok((await surveys('?inactive=1')).every((s) => !s.active));
    assert.equal((await surveys('?inactive=1')).length, 2);
    assert.equal((await surveys('?active=0')).length, 4, 'other values are ignored');
    assert.equal((await surveys('?active=true')).length, 4, 'other values are ignored');
    assert.equal((await surveys('?limit=1')).length, 1);
    assert.equal((await surveys('?limit=3&inactive=1')).length, 2);
    assert.equal((await surveys('?tags=q2&active=1')).length, 1);
    const bad = await fetch(`${base}/surveys?limit=many`, { headers: auth() });
    assert.equal(bad.status, 422);
    assert.equal(((await bad.json()) as { limit: string }).limit, 'many');
  });

  it('lists active surveys as a bare array at /surveys/active', async () => {
    const res = await fetch(`${base}/surveys/active`, { headers: auth() });
    const list = (await res.json()) as Survey[];
    assert.ok(Array.isArray(list));
    assert.equal(list.length, 2);
    assert.ok(list.every((s) => s.active));
  });

  it('gets one survey with response_count and per-choice counts', async () => {
    const [first] = await surveys('?tags=planner');
    const s = await survey(first!.id);
    assert.equal(s.id, first!.id);
    assert.ok(s.response_count! > 0);
    assert.equal(s.responses!.length, s.questions.length);
    const single = s.questions.findIndex((q) => q.type === 'multichoice');
    const counts = s.responses![single]!;
    assert.equal(counts.question, s.questions[single]!.value);
    assert.deepEqual(counts.responses.map((r) => r.choice), s.questions[single]!.answer_choices!.map((c) => c.value));
    assert.equal(counts.responses.reduce((n, r) => n + r.count, 0), s.response_count, 'a required multichoice is answered once per response');
    const text = s.responses!.find((r) => r.type === 'singleline')!;
    assert.ok(text.responses.some((r) => r.choice === '<img src=x onerror=alert(1)>'), 'a hostile free-text answer');
    assert.equal((await fetch(`${base}/surveys/000000000000000000000000`, { headers: auth() })).status, 404);
  });

  it('records a survey response (POST /records) and counts it', async () => {
    const [first] = await surveys('?tags=planner');
    const before1 = await survey(first!.id);
    const [q1, q2, q3] = first!.questions;
    const res = await fetch(`${base}/records`, {
      method: 'POST', headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ record: { user: { name: 'Survey Taker' }, survey: { id: first!.id, completion_time: '2026-01-02T10:00:00Z', responses: {
        [q1!.id]: q1!.answer_choices![0]!.id, [q2!.id]: [q2!.answer_choices![1]!.id, q2!.answer_choices![2]!.id], [q3!.id]: 'Nice',
      } } } }),
    });
    assert.equal(res.status, 201);
    const rec = (await res.json()) as { feedback: unknown; survey: { id: string }; summary: string };
    assert.equal(rec.feedback, null);
    assert.equal(rec.survey.id, first!.id);
    assert.match(rec.summary, /Survey Taker/);
    const after1 = await survey(first!.id);
    assert.equal(after1.response_count, before1.response_count! + 1);
    assert.equal(after1.responses![0]!.responses[0]!.count, before1.responses![0]!.responses[0]!.count + 1);
    assert.equal(after1.responses![1]!.responses[1]!.count, before1.responses![1]!.responses[1]!.count + 1);
  });

  it('rejects invalid survey responses with 422', async () => {
    const [first] = await surveys('?tags=planner');
    const [q1, q2] = first!.questions;
    const post = (survey: unknown) => fetch(`${base}/records`, {
      method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ survey }),
    });
    const cases: unknown[] = [
      { id: 'nope', responses: {} },
      { id: first!.id, responses: {} }, // q1 is required
      { id: first!.id, responses: { [q1!.id]: 'not-a-choice' } },
      { id: first!.id, responses: { [q1!.id]: q1!.answer_choices![0]!.id, [q2!.id]: q2!.answer_choices!.map((c) => c.id) } }, // > max_selections
      { id: first!.id, responses: { [q1!.id]: q1!.answer_choices![0]!.id, bogus: 'x' } },
      { id: first!.id, responses: 'yes' },
    ];
    for (const c of cases) {
      const res = await post(c);
      assert.equal(res.status, 422, JSON.stringify(c));
      const body = (await res.json()) as { record: { survey: unknown } };
      assert.deepEqual(body.record.survey, c);
    }
  });

  it('deactivates a survey with PUT /surveys/{id}/deactivate or PUT /surveys/{id} (204)', async () => {
    const active = await surveys('?active=1');
    const res = await fetch(`${base}/surveys/${active[0]!.id}/deactivate`, { method: 'PUT', headers: auth() });
    assert.equal(res.status, 204);
    assert.equal(await res.text(), '');
    assert.equal((await survey(active[0]!.id)).active, false);
    assert.equal((await surveys('?active=1')).length, 1);
    assert.equal((await fetch(`${base}/surveys/${active[1]!.id}`, { method: 'PUT', headers: auth() })).status, 204);
    assert.equal((await surveys('?active=1')).length, 0);
    assert.equal((await surveys('?inactive=1')).length, 4);
    // Idempotent, and an inactive survey takes no more responses.
    assert.equal((await fetch(`${base}/surveys/${active[0]!.id}/deactivate`, { method: 'PUT', headers: auth() })).status, 204);
    const q1 = active[0]!.questions[0]!;
    const late = await fetch(`${base}/records`, {
      method: 'POST', headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ survey: { id: active[0]!.id, responses: { [q1.id]: q1.answer_choices![0]!.id } } }),
    });
    assert.equal(late.status, 422);
    assert.equal((await fetch(`${base}/surveys/000000000000000000000000/deactivate`, { method: 'PUT', headers: auth() })).status, 404);
    assert.equal((await fetch(`${base}/surveys/${active[0]!.id}/deactivate`, { method: 'POST', headers: auth() })).status, 405);
  });

  it('invalidates the survey listing\'s ETag when a survey is deactivated', async () => {
    const res = await fetch(`${base}/surveys`, { headers: auth() });
    const etag = res.headers.get('etag')!;
    const { surveys: list } = (await res.json()) as { surveys: Survey[] };
    await fetch(`${base}/surveys/${list.find((s) => s.active)!.id}/deactivate`, { method: 'PUT', headers: auth() });
    const again = await fetch(`${base}/surveys`, { headers: { ...auth(), 'if-none-match': etag } });
    assert.equal(again.status, 200);
    await again.text();
  });

  it('keeps surveys per app', async () => {
    const other = (sb.credentials().apptentive as unknown as { apps: AppCreds[] }).apps[1]!.token;
    const mine = await surveys();
    const res = await fetch(`${base}/surveys/${mine[0]!.id}`, { headers: { authorization: `OAuth ${other}` } });
    assert.equal(res.status, 404);
  });
});
