// Hostile mode: text fields of every emulator's JSON answers carry hostile strings; identifiers and URLs do not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from '../../../../sandbox/server';
import { HOSTILE_TAIL, LONG_TAIL, hostileJson, hostileResponse } from '../../../../sandbox/shared/hostile';

test('text keys get the tail, names the 10,000-character one; ids, urls and enums stay', () => {
  const out = hostileJson({
    data: [{ id: '1', type: 'apps', attributes: { name: 'Lumen', bundleId: 'com.x', body: 'hi', state: 'READY', keywords: ['a'] } }],
    links: { self: 'https://x/v1/apps' },
  }) as { data: Array<{ id: string; attributes: Record<string, unknown> }>; links: { self: string } };
  const a = out.data[0]!.attributes;
  assert.equal(a.name, 'Lumen' + LONG_TAIL);
  assert.equal((a.name as string).length, 'Lumen'.length + 10_000);
  assert.equal(a.body, 'hi' + HOSTILE_TAIL);
  assert.deepEqual(a.keywords, ['a' + HOSTILE_TAIL]);
  assert.equal(a.bundleId, 'com.x');
  assert.equal(a.state, 'READY');
  assert.equal(out.data[0]!.id, '1');
  assert.equal(out.links.self, 'https://x/v1/apps');
});

test("the legacy API's { value } wrappers are text of the key that holds them, and empty strings stay empty", () => {
  const out = hostileJson({ name: { value: 'Notes', errorKeys: [] }, description: { value: '' }, other: { value: 'v' } }) as Record<string, { value: string }>;
  assert.equal(out.name!.value, 'Notes' + LONG_TAIL);
  assert.equal(out.description!.value, '');
  assert.equal(out.other!.value, 'v');
});

test('the tail holds each kind of hostile input the suites check for', () => {
  for (const part of ['<script>', 'onerror=', 'command:', 'javascript:', '](', '\u202E', '\u2066', '\x1b]52', '\x07', '\r', '\x00', '\u009b']) {
    assert.ok(HOSTILE_TAIL.includes(part), part);
  }
});

test('string JSON bodies are transformed; malformed JSON (a fault) and non-JSON bodies are not', () => {
  const json = hostileResponse({ status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"title":"t"}' });
  assert.equal(JSON.parse(json.body as string).title, 't' + LONG_TAIL);
  const broken = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"data": [trunc' };
  assert.equal(hostileResponse(broken), broken);
  const tsv = { status: 200, headers: { 'content-type': 'text/tab-separated-values' }, body: 'name\tx' };
  assert.equal(hostileResponse(tsv), tsv);
});

test('a hostile sandbox serves hostile text from every emulator, and can be switched off', async () => {
  const sandbox = await startSandbox({ hostile: true });
  try {
    const creds = sandbox.credentials() as Record<string, { baseUrl: string; token: string }>;
    const appsflyer = creds.appsflyer!;
    const res = await fetch(`${appsflyer.baseUrl}/api/mng/apps?capabilities=protect_360&limit=5`, { headers: { authorization: `Bearer ${appsflyer.token}` } });
    const text = await res.text();
    assert.equal(res.status, 200, text.slice(0, 300));
    assert.ok(text.includes('<script>window.__pwned=1</script>'), 'AppsFlyer app names are hostile');
    sandbox.options.hostile = false;
    const plain = await (await fetch(`${appsflyer.baseUrl}/api/mng/apps?capabilities=protect_360&limit=5`, { headers: { authorization: `Bearer ${appsflyer.token}` } })).text();
    assert.ok(!plain.includes('<script>'), 'off again');
  } finally {
    await sandbox.close();
  }
});
