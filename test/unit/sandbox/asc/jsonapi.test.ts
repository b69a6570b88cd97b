// Generic JSON:API behaviour of the App Store Connect emulator: paging, include, fields, filters, sort, errors.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startAsc, LUMEN, type AscHarness, type Loose } from './helpers';

let h: AscHarness;
before(async () => { h = await startAsc({ ascApps: 120 }); });
after(async () => { await h.close(); });
beforeEach(() => { h.sandbox.reset(); });

test('seeded demo apps come first, with Apple-shaped attributes and links', async () => {
  const { status, body } = await h.json('/v1/apps?limit=4');
  assert.equal(status, 200);
  assert.deepEqual(body.data.map((a: Loose) => a.attributes.name), ['Lumen Notes', 'Trailhead', 'Pocket Ledger', 'Tidepool Weather']);
  const lumen = body.data[0];
  assert.equal(lumen.type, 'apps');
  assert.equal(lumen.id, LUMEN);
  assert.equal(lumen.attributes.bundleId, 'com.lumenlabs.notes');
  assert.equal(lumen.attributes.subscriptionStatusUrl, null);
  assert.equal(lumen.links.self, `${h.base}/v1/apps/${LUMEN}`);
  assert.equal(lumen.relationships.builds.links.related, `${h.base}/v1/apps/${LUMEN}/builds`);
  assert.equal(lumen.relationships.builds.data, undefined, 'linkage only when included');
});

test('limit above 200 → 400 PARAMETER_ERROR.INVALID with source.parameter; limit 0 too', async () => {
  for (const limit of ['201', '0', 'abc']) {
    const { status, body } = await h.json(`/v1/apps?limit=${limit}`);
    assert.equal(status, 400);
    assert.equal(body.errors[0].code, 'PARAMETER_ERROR.INVALID');
    assert.deepEqual(body.errors[0].source, { parameter: 'limit' });
  }
  assert.equal((await h.json('/v1/apps?limit=200')).status, 200);
});

test('unknown parameter → 400 PARAMETER_ERROR.ILLEGAL; bad enum value → PARAMETER_ERROR.INVALID; bad fields → INVALID', async () => {
  const illegal = await h.json('/v1/apps?filter[color]=red');
  assert.equal(illegal.status, 400);
  assert.equal(illegal.body.errors[0].code, 'PARAMETER_ERROR.ILLEGAL');
  assert.deepEqual(illegal.body.errors[0].source, { parameter: 'filter[color]' });
  const badEnum = await h.json('/v1/builds?filter[processingState]=DONE');
  assert.equal(badEnum.body.errors[0].code, 'PARAMETER_ERROR.INVALID');
  const badSort = await h.json(`/v1/apps/${LUMEN}/customerReviews?sort=stars`);
  assert.equal(badSort.body.errors[0].code, 'PARAMETER_ERROR.INVALID');
  const badFields = await h.json('/v1/apps?fields[apps]=name,colour');
  assert.equal(badFields.body.errors[0].code, 'PARAMETER_ERROR.INVALID');
  const badInclude = await h.json('/v1/apps?include=everything');
  assert.equal(badInclude.body.errors[0].code, 'PARAMETER_ERROR.INVALID');
});

test('cursor pagination walks every page via absolute links.next', async () => {
  let url: string | undefined = `${h.base}/v1/apps?limit=50`;
  const ids: string[] = [];
  let pages = 0;
  while (url) {
    assert.ok(url.startsWith(`${h.base}/v1/apps?`), url);
    const { status, body }: { status: number; body: Loose } = await h.json(url.slice(h.base.length));
    assert.equal(status, 200);
    assert.deepEqual(body.meta.paging, { total: 120, limit: 50 });
    assert.equal(typeof body.links.self, 'string');
    ids.push(...body.data.map((a: Loose) => a.id));
    url = body.links.next;
    if (url) assert.match(url, /[?&]cursor=[^&]+/);
    pages++;
  }
  assert.equal(pages, 3);
  assert.equal(ids.length, 120);
  assert.equal(new Set(ids).size, 120);
  // Default page size is 50, and the next link keeps the other parameters.
  const first = await h.json('/v1/apps?fields[apps]=name');
  assert.equal(first.body.data.length, 50);
  assert.equal(first.body.meta.paging.limit, 50);
  const next = new URL(first.body.links.next);
  assert.equal(next.searchParams.get('fields[apps]'), 'name');
  assert.equal((await h.json('/v1/apps?cursor=garbage')).status, 400);
});

test('fields[type] trims attributes and relationships', async () => {
  const { body } = await h.json(`/v1/apps/${LUMEN}?fields[apps]=name,bundleId`);
  assert.deepEqual(body.data.attributes, { name: 'Lumen Notes', bundleId: 'com.lumenlabs.notes' });
  assert.equal(body.data.relationships, undefined);
});

test('include puts related resources in included and linkage in relationships.*.data', async () => {
  const { body } = await h.json(`/v1/builds?filter[app]=${LUMEN}&include=preReleaseVersion,buildBetaDetail&sort=-uploadedDate`);
  assert.equal(body.data.length, 5);
  const first = body.data[0];
  assert.equal(first.attributes.version, '413');
  assert.equal(first.attributes.processingState, 'PROCESSING');
  assert.equal(first.attributes.iconAssetToken, null);
  const pre = first.relationships.preReleaseVersion.data;
  assert.equal(pre.type, 'preReleaseVersions');
  const inc = body.included.find((r: Loose) => r.type === 'preReleaseVersions' && r.id === pre.id);
  assert.deepEqual(inc.attributes, { version: '3.3.0', platform: 'IOS' });
  const detail = body.included.find((r: Loose) => r.type === 'buildBetaDetails' && r.id === first.relationships.buildBetaDetail.data.id);
  assert.equal(detail.attributes.internalBuildState, 'PROCESSING');
  // included resources are unique
  const keys = body.included.map((r: Loose) => `${r.type}/${r.id}`);
  assert.equal(new Set(keys).size, keys.length);

  const app = await h.json(`/v1/apps/${LUMEN}?include=appStoreVersions&limit[appStoreVersions]=2`);
  assert.deepEqual(app.body.data.relationships.appStoreVersions.meta.paging, { total: 3, limit: 2 });
  assert.equal(app.body.included.length, 2);
  assert.deepEqual(app.body.included.map((v: Loose) => v.attributes.versionString), ['3.3.0', '3.2.0']);
});

test('filters on attributes, relationships, dotted paths; sort', async () => {
  const valid = await h.json(`/v1/builds?filter[app]=${LUMEN}&filter[processingState]=VALID&filter[expired]=false`);
  assert.deepEqual(valid.body.data.map((b: Loose) => b.attributes.version), ['412', '405']);
  const byTrain = await h.json(`/v1/builds?filter[app]=${LUMEN}&filter[preReleaseVersion.version]=3.3.0&sort=version`);
  assert.deepEqual(byTrain.body.data.map((b: Loose) => b.attributes.version), ['409', '412', '413']);
  const byBundle = await h.json('/v1/apps?filter[bundleId]=com.trailheadapp.trails');
  assert.equal(byBundle.body.data.length, 1);
  assert.equal(byBundle.body.data[0].attributes.name, 'Trailhead');
  const byName = await h.json('/v1/apps?filter[name]=Pocket Ledger');
  assert.equal(byName.body.data[0].attributes.bundleId, 'com.pocketledger.budget');
  const byId = await h.json(`/v1/apps?filter[id]=${LUMEN},1672345678&sort=-name`);
  assert.deepEqual(byId.body.data.map((a: Loose) => a.attributes.name), ['Tidepool Weather', 'Lumen Notes']);
  const byState = await h.json('/v1/apps?filter[appStoreVersions.appStoreState]=PENDING_DEVELOPER_RELEASE');
  assert.deepEqual(byState.body.data.map((a: Loose) => a.attributes.name), ['Trailhead']);
  const versions = await h.json(`/v1/apps/${LUMEN}/appStoreVersions?filter[appStoreState]=READY_FOR_SALE`);
  assert.equal(versions.body.data[0].attributes.versionString, '3.2.0');
  assert.equal(versions.body.data[0].attributes.appVersionState, 'READY_FOR_DISTRIBUTION');
  assert.equal(versions.body.data[0].attributes.earliestReleaseDate, null);
});

test('customer reviews: rating / territory filters, exists[publishedResponse], include=response, hostile text verbatim', async () => {
  const all = await h.json(`/v1/apps/${LUMEN}/customerReviews?sort=-createdDate`);
  assert.equal(all.body.meta.paging.total, 8);
  const territories = new Set(all.body.data.map((r: Loose) => r.attributes.territory));
  assert.ok(territories.size >= 5);
  const hostile = all.body.data.find((r: Loose) => r.attributes.title.includes('<img'));
  assert.equal(hostile.attributes.title, '<img src=x onerror=alert(1)>');
  assert.match(hostile.attributes.body, /<script>alert\("xss"\)<\/script>/);

  const low = await h.json(`/v1/apps/${LUMEN}/customerReviews?filter[rating]=1,2`);
  assert.ok(low.body.data.every((r: Loose) => r.attributes.rating <= 2));
  const deu = await h.json(`/v1/apps/${LUMEN}/customerReviews?filter[territory]=DEU`);
  assert.deepEqual(deu.body.data.map((r: Loose) => r.attributes.territory), ['DEU']);
  assert.equal((await h.json(`/v1/apps/${LUMEN}/customerReviews?filter[territory]=XXX`)).status, 400);

  const answered = await h.json(`/v1/apps/${LUMEN}/customerReviews?exists[publishedResponse]=true&include=response`);
  assert.equal(answered.body.data.length, 1);
  assert.equal(answered.body.included[0].type, 'customerReviewResponses');
  assert.equal(answered.body.included[0].attributes.state, 'PUBLISHED');
  const unanswered = await h.json(`/v1/apps/${LUMEN}/customerReviews?exists[publishedResponse]=false`);
  assert.equal(unanswered.body.data.length, 7);

  const byRating = await h.json(`/v1/apps/${LUMEN}/customerReviews?sort=rating`);
  const ratings = byRating.body.data.map((r: Loose) => r.attributes.rating);
  assert.deepEqual(ratings, [...ratings].sort((a, b) => a - b));
});

test('real-data nulls: tester names, public links, submittedDate', async () => {
  const testers = await h.json(`/v1/betaTesters?filter[apps]=${LUMEN}`);
  assert.ok(testers.body.data.some((t: Loose) => t.attributes.firstName === null && t.attributes.inviteType === 'PUBLIC_LINK'));
  const groups = await h.json(`/v1/apps/${LUMEN}/betaGroups`);
  assert.ok(groups.body.data.some((g: Loose) => g.attributes.publicLink === null));
  assert.ok(groups.body.data.some((g: Loose) => g.attributes.publicLink?.startsWith('https://testflight.apple.com/join/')));
});

test('errors: unknown path 404 PATH_ERROR, unknown id 404 NOT_FOUND, wrong method 405, unemulated 501', async () => {
  const path = await h.json('/v1/appz');
  assert.equal(path.status, 404);
  assert.equal(path.body.errors[0].code, 'PATH_ERROR');
  const missing = await h.json('/v1/apps/123');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.errors[0].code, 'NOT_FOUND');
  assert.match(missing.body.errors[0].detail, /apps.*123/);
  const nested = await h.json('/v1/apps/123/builds');
  assert.equal(nested.status, 404);
  const method = await h.json('/v1/apps', { method: 'POST', json: {} });
  assert.equal(method.status, 405);
  assert.equal(method.body.errors[0].code, 'METHOD_NOT_ALLOWED');
  assert.equal(method.res.headers.get('allow'), 'GET');
  const unemulated = await h.json('/v1/users');
  assert.equal(unemulated.status, 501);
  // `/v1/apps/{id}/betaTesters` does not exist in Apple's API: list testers with filter[apps] instead.
  assert.equal((await h.json(`/v1/apps/${LUMEN}/betaTesters`)).status, 404);
});

test('bodies: 415 without application/json, 409 on type or id mismatch, 409 on unknown attribute, 400 on bad JSON', async () => {
  const loc = (await h.json(`/v1/apps/${LUMEN}/appStoreVersions?filter[versionString]=3.3.0&include=appStoreVersionLocalizations`)).body.included[0];
  const url = `/v1/appStoreVersionLocalizations/${loc.id}`;
  const body = JSON.stringify({ data: { type: 'appStoreVersionLocalizations', id: loc.id, attributes: { promotionalText: 'hi' } } });
  assert.equal((await h.json(url, { method: 'PATCH', body, headers: { 'content-type': 'text/plain' } })).status, 415);
  assert.equal((await h.json(url, { method: 'PATCH', body })).status, 415);
  const wrongType = await h.json(url, { method: 'PATCH', json: { data: { type: 'apps', id: loc.id, attributes: {} } } });
  assert.equal(wrongType.status, 409);
  assert.equal(wrongType.body.errors[0].code, 'ENTITY_ERROR');
  assert.deepEqual(wrongType.body.errors[0].source, { pointer: '/data/type' });
  const wrongId = await h.json(url, { method: 'PATCH', json: { data: { type: 'appStoreVersionLocalizations', id: 'other', attributes: {} } } });
  assert.equal(wrongId.status, 409);
  assert.deepEqual(wrongId.body.errors[0].source, { pointer: '/data/id' });
  const unknown = await h.json(url, { method: 'PATCH', json: { data: { type: 'appStoreVersionLocalizations', id: loc.id, attributes: { locale: 'fr-FR' } } } });
  assert.equal(unknown.status, 409);
  assert.equal(unknown.body.errors[0].code, 'ENTITY_ERROR.ATTRIBUTE.UNKNOWN');
  const wrongValueType = await h.json(url, { method: 'PATCH', json: { data: { type: 'appStoreVersionLocalizations', id: loc.id, attributes: { whatsNew: 5 } } } });
  assert.equal(wrongValueType.body.errors[0].code, 'ENTITY_ERROR.ATTRIBUTE.TYPE');
  const bad = await h.json(url, { method: 'PATCH', body: '{"data":', headers: { 'content-type': 'application/json' } });
  assert.equal(bad.status, 400);
  const ok = await h.json(url, { method: 'PATCH', body, headers: { 'content-type': 'application/json; charset=utf-8' } });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.data.attributes.promotionalText, 'hi');
});

test('territories: 175 storefronts with currencies', async () => {
  const { body } = await h.json('/v1/territories?limit=200');
  assert.equal(body.meta.paging.total, 175);
  const usa = body.data.find((t: Loose) => t.id === 'USA');
  assert.deepEqual(usa.attributes, { currency: 'USD' });
  assert.equal(body.data.find((t: Loose) => t.id === 'DEU').attributes.currency, 'EUR');
});

test('reset() restores the seed', async () => {
  const loc = (await h.json(`/v1/apps/${LUMEN}/appStoreVersions?filter[versionString]=3.3.0&include=appStoreVersionLocalizations`)).body.included[0];
  await h.json(`/v1/appStoreVersionLocalizations/${loc.id}`, { method: 'PATCH', json: { data: { type: 'appStoreVersionLocalizations', id: loc.id, attributes: { keywords: 'changed' } } } });
  assert.equal((await h.json(`/v1/appStoreVersionLocalizations/${loc.id}`)).body.data.attributes.keywords, 'changed');
  h.sandbox.reset();
  assert.equal((await h.json(`/v1/appStoreVersionLocalizations/${loc.id}`)).body.data.attributes.keywords, loc.attributes.keywords);
});
