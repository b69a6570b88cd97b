import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProtocolError, isProviderError } from '../../../../src/core/errors';
import { ascProvider } from '../../../../src/providers/asc';
import { LUMEN, app, ascRequests, connect, useHarness, type Harness } from './helpers';

describe('asc connection', () => {
  let h: Harness;
  useHarness((started) => (h = started), { options: { ascApps: 230 }, reset: false });

  it('defines the provider as the brief says', () => {
    assert.equal(ascProvider.id, 'asc');
    assert.equal(ascProvider.label, 'App Store Connect');
    assert.equal(ascProvider.defaultBaseUrl, 'https://api.appstoreconnect.apple.com');
    assert.deepEqual([...ascProvider.capabilities], ['metadata', 'versions', 'builds', 'testers', 'reviews', 'feedback', 'release', 'reports']);
    assert.deepEqual([...ascProvider.secretKeys], ['privateKey']);
    const pk = ascProvider.credentialFields.find((f) => f.key === 'privateKey');
    assert.equal(pk?.kind, 'file');
    assert.equal(pk?.secret, true);
    assert.equal(ascProvider.credentialFields.find((f) => f.key === 'issuerId')?.optional, true);
  });

  it('verifies with GET /v1/apps?limit=1', async () => {
    const { conn } = connect(h);
    const from = h.sandbox.requests().length;
    await conn.verify();
    const reqs = ascRequests(h, from);
    assert.equal(reqs.length, 1);
    assert.match(reqs[0]!.path, /^\/v1\/apps\?limit=1/);
    conn.dispose();
  });

  it('verify fails with an AuthError naming App Store Connect for an unknown key', async () => {
    const { conn } = connect(h, { keyId: 'ZZZZZZZZZZ' });
    await assert.rejects(conn.verify(), (e: unknown) => {
      assert.ok(isProviderError(e));
      assert.equal(e.kind, 'auth');
      assert.equal(e.status, 401);
      assert.match(e.message, /App Store Connect/);
      assert.match(e.hint, /Users and Access → Integrations/);
      return true;
    });
    conn.dispose();
  });

  it('lists apps page by page following links.next (200 a page)', async () => {
    const { conn } = connect(h);
    const first = await conn.listApps({});
    assert.equal(first.items.length, 200);
    assert.ok(first.next, 'a next cursor');
    assert.equal(first.total, 230);
    const second = await conn.listApps({ cursor: first.next });
    assert.equal(second.items.length, 30);
    assert.equal(second.next, undefined);
    const ids = new Set([...first.items, ...second.items].map((a) => a.id));
    assert.equal(ids.size, 230);
    const lumen = [...first.items, ...second.items].find((a) => a.id === LUMEN)!;
    assert.equal(lumen.name, 'Lumen Notes');
    assert.equal(lumen.bundleId, 'com.lumenlabs.notes');
    assert.equal(lumen.data?.primaryLocale, 'en-US');
    conn.dispose();
  });

  it('refuses a next-page cursor on another origin before sending credentials', async () => {
    const { conn } = connect(h);
    const from = h.sandbox.requests().length;
    await assert.rejects(conn.listApps({ cursor: 'https://evil.example.com/asc/v1/apps?cursor=abc' }), ProtocolError);
    await assert.rejects(conn.listApps({ cursor: `${h.sandbox.origin}/other/v1/apps?cursor=abc` }), ProtocolError);
    assert.equal(ascRequests(h, from).length, 0);
    conn.dispose();
  });

  it('refuses a links.next that points to another server', async () => {
    const { conn } = connect(h);
    h.sandbox.addFault({
      prefix: '/asc',
      pathIncludes: '/v1/apps',
      kind: 'status',
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: { data: [], links: { self: 'x', next: 'https://attacker.example.net/v1/apps?cursor=1' }, meta: { paging: { total: 1, limit: 200 } } },
    });
    await assert.rejects(conn.listApps({}), (e: unknown) => e instanceof ProtocolError && /another server \(attacker\.example\.net\)/.test(e.message));
    conn.dispose();
  });

  it('shows versions, builds, TestFlight groups and testers, reviews and feedback as sections', async () => {
    const { conn } = connect(h);
    const a = app(LUMEN, 'Lumen Notes');
    const sections = conn.sections(a);
    assert.deepEqual(sections.map((s) => s.kind), ['versions', 'builds', 'testers', 'reviews', 'feedback']);
    const [versions, builds, testflight, reviews, feedback] = sections as [typeof sections[0], typeof sections[0], typeof sections[0], typeof sections[0], typeof sections[0]];

    const v = await versions.list(a, {});
    const v330 = v.items.find((i) => i.label === '3.3.0')!;
    assert.equal(v330.description, 'Prepare for Submission');
    assert.equal(v330.tone, 'info');
    assert.ok(v330.tags?.includes('version') && v330.tags.includes('editable'));
    const live = v.items.find((i) => i.label === '3.2.0')!;
    assert.equal(live.tone, 'ok');
    assert.ok(live.tags?.includes('live'));

    const b = await builds.list(a, {});
    assert.equal(b.items[0]!.label, '3.3.0 (413)');
    assert.ok(b.items.every((i) => i.tags?.includes('build')));
    assert.equal(b.items.find((i) => i.label === '3.3.0 (409)')?.tone, 'error');

    const groups = await testflight.list(a, {});
    const beta = groups.items.find((g) => g.label === 'Public Beta')!;
    assert.ok(beta.expandable);
    assert.ok(beta.tags?.includes('betaGroup'));
    assert.match(beta.description ?? '', /^3 testers · external · public link$/);
    const testers = await testflight.children!(a, beta, {});
    assert.equal(testers.items.length, 3);
    assert.ok(testers.items.every((t) => t.tags?.includes('tester')));

    const r = await reviews.list(a, {});
    assert.ok(r.items.length >= 8);
    assert.match(r.items[0]!.label, /^★★★★★ /);
    assert.ok(r.items.every((i) => i.tags?.includes('review')));
    assert.equal(r.items[0]!.description?.split(' · ')[0], 'USA');

    const f = await feedback.list(a, {});
    assert.equal(f.items.length, 4);
    assert.deepEqual(f.items.map((i) => i.tags?.[1]), ['screenshot', 'crash', 'screenshot', 'crash']);
    conn.dispose();
  });

  it('reports the hourly budget learnt from X-Rate-Limit', async () => {
    const { conn } = connect(h);
    await conn.verify();
    const budget = await conn.budget();
    assert.ok(budget);
    assert.equal(budget.limit, 3600);
    assert.ok(budget.remaining < 3600 && budget.remaining > 3000, String(budget.remaining));
    assert.match(budget.label, /App Store Connect/);
    conn.dispose();
  });
});
