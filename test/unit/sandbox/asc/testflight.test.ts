// TestFlight and review-response flows on the App Store Connect emulator.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startAsc, LUMEN, TRAILHEAD, type AscHarness, type Loose } from './helpers';

let h: AscHarness;
before(async () => { h = await startAsc(); });
after(async () => { await h.close(); });
beforeEach(() => { h.sandbox.reset(); });

async function group(appId: string, name: string): Promise<Loose> {
  const { body } = await h.json(`/v1/betaGroups?filter[app]=${appId}&filter[name]=${encodeURIComponent(name)}`);
  assert.equal(body.data.length, 1, name);
  return body.data[0];
}
const addTester = (email: string, groupIds: string[], extra: Record<string, unknown> = {}) => h.json('/v1/betaTesters', {
  method: 'POST',
  json: { data: { type: 'betaTesters', attributes: { email, firstName: 'Ada', lastName: null, ...extra }, relationships: { betaGroups: { data: groupIds.map((id) => ({ type: 'betaGroups', id })) } } } },
});

test('invite a tester to an external group, 409 on the same group again, 204 on delete', async () => {
  const partners = await group(LUMEN, 'Design Partners');
  const created = await addTester('ada@example.org', [partners.id]);
  assert.equal(created.status, 201);
  assert.equal(created.body.data.type, 'betaTesters');
  assert.equal(created.body.data.attributes.state, 'INVITED');
  assert.equal(created.body.data.attributes.lastName, null);
  const id = created.body.data.id;

  const dup = await addTester('ADA@example.org', [partners.id]);
  assert.equal(dup.status, 409);
  assert.match(dup.body.errors[0].code, /^ENTITY_ERROR/);

  const inGroup = await h.json(`/v1/betaGroups/${partners.id}/betaTesters`);
  assert.ok(inGroup.body.data.some((t: Loose) => t.id === id));
  const byEmail = await h.json('/v1/betaTesters?filter[email]=ada@example.org&include=betaGroups,apps');
  assert.equal(byEmail.body.data[0].id, id);
  assert.deepEqual(byEmail.body.data[0].relationships.apps.data, [{ type: 'apps', id: LUMEN }]);

  // Adding the same email to another group reuses the tester.
  const beta = await group(LUMEN, 'Public Beta');
  const second = await addTester('ada@example.org', [beta.id]);
  assert.equal(second.status, 201);
  assert.equal(second.body.data.id, id);

  assert.equal((await h.call(`/v1/betaTesters/${id}`, { method: 'DELETE' })).status, 204);
  assert.equal((await h.json(`/v1/betaTesters/${id}`)).status, 404);
});

test('tester creation needs a group or build, a valid email, and no internal group', async () => {
  const none = await h.json('/v1/betaTesters', { method: 'POST', json: { data: { type: 'betaTesters', attributes: { email: 'x@example.org' } } } });
  assert.equal(none.status, 409);
  const partners = await group(LUMEN, 'Design Partners');
  const bad = await addTester('not-an-email', [partners.id]);
  assert.equal(bad.status, 409);
  assert.deepEqual(bad.body.errors[0].source, { pointer: '/data/attributes/email' });
  const internal = await addTester('y@example.org', [(await group(LUMEN, 'Internal QA')).id]);
  assert.equal(internal.status, 409);
  const ghost = await addTester('z@example.org', ['no-such-group']);
  assert.equal(ghost.status, 409);
  assert.equal(ghost.body.errors[0].code, 'ENTITY_ERROR.RELATIONSHIP.INVALID');
});

test('group membership linkage: POST / DELETE relationships/betaTesters → 204', async () => {
  const partners = await group(LUMEN, 'Design Partners');
  const beta = await group(LUMEN, 'Public Beta');
  const testers = (await h.json(`/v1/betaGroups/${beta.id}/betaTesters`)).body.data;
  const ids = testers.map((t: Loose) => ({ type: 'betaTesters', id: t.id }));
  assert.equal((await h.call(`/v1/betaGroups/${partners.id}/relationships/betaTesters`, { method: 'POST', json: { data: ids } })).status, 204);
  const linkage = await h.json(`/v1/betaGroups/${partners.id}/relationships/betaTesters?limit=200`);
  for (const t of ids) assert.ok(linkage.body.data.some((d: Loose) => d.id === t.id));
  assert.equal((await h.call(`/v1/betaGroups/${partners.id}/relationships/betaTesters`, { method: 'DELETE', json: { data: ids } })).status, 204);
  const after = await h.json(`/v1/betaTesters?filter[betaGroups]=${partners.id}`);
  for (const t of ids) assert.ok(!after.body.data.some((d: Loose) => d.id === t.id));
  const wrongType = await h.json(`/v1/betaGroups/${partners.id}/relationships/betaTesters`, { method: 'POST', json: { data: [{ type: 'apps', id: LUMEN }] } });
  assert.equal(wrongType.status, 409);
  assert.equal((await h.call(`/v1/betaGroups/${partners.id}/relationships/betaTesters`, { method: 'POST', body: '{"data":[]}' })).status, 415);
});

test('removing a tester from an app also removes them from its groups', async () => {
  const { body } = await h.json(`/v1/betaTesters?filter[apps]=${LUMEN}&filter[email]=jonas.berg@lumenlabs.example.com`);
  const jonas = body.data[0];
  assert.equal((await h.call(`/v1/betaTesters/${jonas.id}/relationships/apps`, { method: 'DELETE', json: { data: [{ type: 'apps', id: LUMEN }] } })).status, 204);
  assert.equal((await h.json(`/v1/betaTesters?filter[apps]=${LUMEN}&filter[email]=jonas.berg@lumenlabs.example.com`)).body.data.length, 0);
  const groups = await h.json(`/v1/betaTesters/${jonas.id}/betaGroups`);
  assert.equal(groups.body.data.length, 0);
});

test('beta groups: create (409 on duplicate name), public link, builds linkage, delete', async () => {
  const create = (name: string, attrs: Record<string, unknown> = {}) => h.json('/v1/betaGroups', { method: 'POST', json: { data: { type: 'betaGroups', attributes: { name, ...attrs }, relationships: { app: { data: { type: 'apps', id: TRAILHEAD } } } } } });
  const g = await create('Ski Patrol', { publicLinkEnabled: true });
  assert.equal(g.status, 201);
  assert.match(g.body.data.attributes.publicLink, /^https:\/\/testflight\.apple\.com\/join\//);
  assert.equal((await create('ski patrol')).status, 409);
  const builds = (await h.json(`/v1/builds?filter[app]=${TRAILHEAD}&filter[expired]=false`)).body.data;
  assert.equal((await h.call(`/v1/betaGroups/${g.body.data.id}/relationships/builds`, { method: 'POST', json: { data: builds.map((b: Loose) => ({ type: 'builds', id: b.id })) } })).status, 204);
  assert.equal((await h.json(`/v1/betaGroups/${g.body.data.id}/builds`)).body.data.length, builds.length);
  const lumenBuild = (await h.json(`/v1/builds?filter[app]=${LUMEN}&filter[processingState]=VALID`)).body.data[0];
  assert.equal((await h.json(`/v1/betaGroups/${g.body.data.id}/relationships/builds`, { method: 'POST', json: { data: [{ type: 'builds', id: lumenBuild.id }] } })).status, 409);
  assert.equal((await h.call(`/v1/betaGroups/${g.body.data.id}`, { method: 'DELETE' })).status, 204);
});

test('builds: PATCH export compliance and expiry', async () => {
  const { body } = await h.json('/v1/builds?filter[app]=1634567890&filter[version]=141&include=buildBetaDetail');
  const build = body.data[0];
  assert.equal(build.attributes.usesNonExemptEncryption, null);
  assert.equal(body.included[0].attributes.internalBuildState, 'MISSING_EXPORT_COMPLIANCE');
  const patch = (attributes: Record<string, unknown>) => h.json(`/v1/builds/${build.id}`, { method: 'PATCH', json: { data: { type: 'builds', id: build.id, attributes } } });
  const ok = await patch({ usesNonExemptEncryption: false });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.data.attributes.usesNonExemptEncryption, false);
  assert.equal((await h.json(`/v1/builds/${build.id}/buildBetaDetail`)).body.data.attributes.internalBuildState, 'IN_BETA_TESTING');
  assert.equal((await patch({ usesNonExemptEncryption: true })).status, 409);
  assert.equal((await patch({ expired: true })).body.data.attributes.expired, true);
  assert.equal((await patch({ expired: false })).status, 409);
  assert.equal((await patch({ version: '999' })).status, 409);
});

test('feedback: screenshots and crashes with crash log; DELETE → 204', async () => {
  const shots = await h.json(`/v1/apps/${LUMEN}/betaFeedbackScreenshotSubmissions?include=tester,build`);
  assert.equal(shots.status, 200);
  assert.ok(shots.body.data.length >= 2);
  assert.ok(shots.body.data[0].attributes.screenshots[0].url.startsWith('https://'));
  assert.ok(shots.body.data.some((s: Loose) => s.attributes.comment === null));
  const crashes = await h.json(`/v1/apps/${LUMEN}/betaFeedbackCrashSubmissions`);
  const crash = crashes.body.data[0];
  const log = await h.json(`/v1/betaFeedbackCrashSubmissions/${crash.id}/crashLog`);
  assert.equal(log.body.data.type, 'betaCrashLogs');
  assert.match(log.body.data.attributes.logText, /Exception Type:/);
  assert.equal((await h.call(`/v1/betaFeedbackCrashSubmissions/${crash.id}`, { method: 'DELETE' })).status, 204);
  assert.equal((await h.json(`/v1/betaFeedbackCrashSubmissions/${crash.id}`)).status, 404);
});

test('customer review responses: create 201 (replaces), read via review, delete 204', async () => {
  const reviews = (await h.json(`/v1/apps/${LUMEN}/customerReviews?exists[publishedResponse]=false&filter[territory]=USA`)).body.data;
  const review = reviews[0];
  const respond = (responseBody: string) => h.json('/v1/customerReviewResponses', { method: 'POST', json: { data: { type: 'customerReviewResponses', attributes: { responseBody }, relationships: { review: { data: { type: 'customerReviews', id: review.id } } } } } });
  const first = await respond('Thanks for writing in!');
  assert.equal(first.status, 201);
  assert.equal(first.body.data.attributes.state, 'PENDING_PUBLISH');
  const second = await respond('Thanks again: fixed in 3.3.');
  assert.equal(second.status, 201);
  const via = await h.json(`/v1/customerReviews/${review.id}/response`);
  assert.equal(via.body.data.id, second.body.data.id);
  assert.equal(via.body.data.attributes.responseBody, 'Thanks again: fixed in 3.3.');
  assert.equal((await h.json(`/v1/customerReviewResponses/${first.body.data.id}`)).status, 404);
  assert.equal((await respond('   ')).status, 409);
  assert.equal((await h.call(`/v1/customerReviewResponses/${second.body.data.id}`, { method: 'DELETE' })).status, 204);
  assert.equal((await h.json(`/v1/customerReviews/${review.id}/response`)).body.data, null);
});
