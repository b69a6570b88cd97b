import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../../../src/core/errors';
import type { AscConnection } from '../../../../src/providers/asc';
import { LUMEN, POCKET, app, ascRequests, captureBodies, useHarness, type Harness } from './helpers';

const lumen = app(LUMEN, 'Lumen Notes');

describe('asc TestFlight, builds and feedback', () => {
  let h: Harness;
  let conn: AscConnection;
  useHarness((started) => (h = started), { connectEachTest: (c) => (conn = c) });

  it('lists groups with tester counts in one request', async () => {
    const from = h.sandbox.requests().length;
    const groups = await conn.services.testers.groups(lumen);
    assert.equal(ascRequests(h, from).length, 1);
    assert.deepEqual(
      groups.map((g) => [g.name, g.internal, g.testerCount]),
      [
        ['Internal QA', true, 2],
        ['Design Partners', false, 3],
        ['Public Beta', false, 3],
      ],
    );
  });

  it('lists the app\'s testers with their groups, and a group\'s testers', async () => {
    const all = await conn.services.testers.testers(lumen);
    assert.equal(all.items.length, 6);
    const maya = all.items.find((t) => t.email === 'maya.okafor@lumenlabs.example.com')!;
    assert.equal(maya.firstName, 'Maya');
    assert.equal(maya.groups?.length, 1);
    const relay = all.items.find((t) => t.email.startsWith('tf-7f3a9c'))!;
    assert.equal(relay.firstName, null);
    const groups = await conn.services.testers.groups(lumen);
    const partners = groups.find((g) => g.name === 'Design Partners')!;
    const inGroup = await conn.services.testers.testers(lumen, { groupId: partners.id });
    assert.deepEqual(inGroup.items.map((t) => t.email).sort(), ['jonas.berg@lumenlabs.example.com', 'lucia.fernandez@example.com', 'priya@studio-raman.example.com']);
  });

  it('adds a new tester to a group in one POST with the group relationship', async () => {
    const groups = await conn.services.testers.groups(lumen);
    const beta = groups.find((g) => g.name === 'Public Beta')!;
    const cap = captureBodies(h);
    const t = await conn.services.testers.add(lumen, { email: 'new.tester@example.org', firstName: 'New', lastName: 'Tester', groupId: beta.id });
    cap.stop();
    assert.equal(t.email, 'new.tester@example.org');
    assert.deepEqual(t.groups, [beta.id]);
    assert.deepEqual(cap.bodies.map((b) => `${b.method} ${b.path}`), ['POST /v1/betaTesters']);
    assert.deepEqual((cap.bodies[0]!.body as { data: unknown }).data, {
      type: 'betaTesters',
      attributes: { email: 'new.tester@example.org', firstName: 'New', lastName: 'Tester' },
      relationships: { betaGroups: { data: [{ type: 'betaGroups', id: beta.id }] } },
    });
    const inGroup = await conn.services.testers.testers(lumen, { groupId: beta.id });
    assert.ok(inGroup.items.some((x) => x.email === 'new.tester@example.org'));
  });

  it('adds an existing tester to another group through the relationship endpoint', async () => {
    const groups = await conn.services.testers.groups(lumen);
    const beta = groups.find((g) => g.name === 'Public Beta')!;
    const from = h.sandbox.requests().length;
    const t = await conn.services.testers.add(lumen, { email: 'Priya@Studio-Raman.example.com', groupId: beta.id });
    const writes = ascRequests(h, from).filter((r) => r.method !== 'GET');
    assert.deepEqual(writes.map((w) => `${w.method} ${w.path}`), [`POST /v1/betaGroups/${beta.id}/relationships/betaTesters`]);
    assert.ok(t.groups?.includes(beta.id));
    assert.equal(t.groups?.length, 2);
    // Adding again changes nothing.
    const again = ascRequests(h).length;
    await conn.services.testers.add(lumen, { email: 'priya@studio-raman.example.com', groupId: beta.id });
    assert.equal(ascRequests(h, again).filter((r) => r.method !== 'GET').length, 0);
  });

  it('without a group: uses the only external group, or asks which one', async () => {
    const pocket = app(POCKET, 'Pocket Ledger');
    const t = await conn.services.testers.add(pocket, { email: 'solo@example.com' });
    assert.equal(t.groups?.length, 1);
    await assert.rejects(conn.services.testers.add(lumen, { email: 'who@example.com' }), (e: unknown) => e instanceof ValidationError && /2 external groups/.test(e.message) && !!e.fieldErrors?.groupId);
    await assert.rejects(conn.services.testers.add(lumen, { email: 'not-an-email', groupId: 'x' }), (e: unknown) => e instanceof ValidationError && !!e.fieldErrors?.email);
  });

  it('removes a tester from one group, then from the app', async () => {
    const groups = await conn.services.testers.groups(lumen);
    const partners = groups.find((g) => g.name === 'Design Partners')!;
    const lucia = (await conn.services.testers.findByEmail('lucia.fernandez@example.com'))!;
    assert.equal(lucia.groups?.length, 2);
    await conn.services.testers.remove(lumen, lucia, partners.id);
    assert.equal((await conn.services.testers.findByEmail('lucia.fernandez@example.com'))!.groups?.length, 1);
    const from = h.sandbox.requests().length;
    await conn.services.testers.remove(lumen, lucia);
    assert.deepEqual(ascRequests(h, from).map((r) => `${r.method} ${r.path}`), [`DELETE /v1/apps/${LUMEN}/relationships/betaTesters`]);
    const all = await conn.services.testers.testers(lumen);
    assert.ok(!all.items.some((t) => t.email === 'lucia.fernandez@example.com'));
  });

  it('lists builds newest first with the marketing version from the included pre-release version', async () => {
    const from = h.sandbox.requests().length;
    const page = await conn.services.builds.list(lumen);
    const reqs = ascRequests(h, from);
    assert.equal(reqs.length, 1);
    assert.match(reqs[0]!.path, /^\/v1\/builds\?filter%5Bapp%5D=1581234567&sort=-uploadedDate&include=preReleaseVersion/);
    assert.deepEqual(page.items.map((b) => `${b.version} (${b.buildNumber}) ${b.processingState}`), [
      '3.3.0 (413) PROCESSING',
      '3.3.0 (412) VALID',
      '3.3.0 (409) INVALID',
      '3.2.0 (405) VALID',
      '3.1.2 (398) VALID',
    ]);
    assert.deepEqual(page.items.map((b) => b.stateLabel), ['Processing', 'Valid', 'Invalid', 'Valid', 'Valid']);
    assert.equal(page.items[0]!.usesNonExemptEncryption, null);
    assert.equal(page.items[4]!.expired, true);
    assert.equal(page.items[4]!.tone, undefined);
    assert.equal(page.items[1]!.tone, 'ok');
  });

  it('sets export compliance and expires a build', async () => {
    const pocket = app(POCKET, 'Pocket Ledger');
    const b141 = (await conn.services.builds.list(pocket)).items.find((b) => b.buildNumber === '141')!;
    assert.equal(b141.usesNonExemptEncryption, null);
    await conn.services.builds.setExportCompliance(pocket, b141.id, false);
    await conn.services.builds.expire(pocket, b141.id);
    const after = await conn.services.builds.get(b141.id);
    assert.equal(after.usesNonExemptEncryption, false);
    assert.equal(after.expired, true);
  });

  it('merges screenshot and crash feedback newest first and reads a crash log', async () => {
    const page = await conn.services.feedback.list(lumen);
    assert.deepEqual(page.items.map((f) => f.type), ['screenshot', 'crash', 'screenshot', 'crash']);
    const dates = page.items.map((f) => Date.parse(f.createdDate));
    assert.deepEqual(dates, [...dates].sort((a, b) => b - a));
    const shot = page.items[0]!;
    assert.equal(shot.author, 'Maya Okafor');
    assert.equal(shot.details?.build, '412');
    assert.match(shot.screenshots?.[0]?.url ?? '', /^https:\/\//);
    const crash = page.items.find((f) => f.type === 'crash')!;
    assert.equal(crash.hasCrashLog, true);
    const log = await conn.services.feedback.crashLog!(lumen, crash);
    assert.match(log, /Exception Type:\s+EXC_BREAKPOINT/);
    assert.equal(page.next, undefined);
  });

  it('pages feedback with a cursor that carries both collections', async () => {
    const first = await conn.services.feedback.list(lumen, { limit: 1 });
    assert.equal(first.items.length, 2);
    assert.ok(first.next);
    const second = await conn.services.feedback.list(lumen, { cursor: first.next, limit: 1 });
    assert.equal(second.items.length, 2);
    const ids = new Set([...first.items, ...second.items].map((f) => f.id));
    assert.equal(ids.size, 4);
  });
});
