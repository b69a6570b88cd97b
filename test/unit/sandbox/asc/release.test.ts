// Release flows on the App Store Connect emulator: metadata validation, versions, build attachment, review
// submission, manual release and phased release.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startAsc, LUMEN, TRAILHEAD, TIDEPOOL, POCKET_LEDGER, type AscHarness, type Loose } from './helpers';

let h: AscHarness;
before(async () => { h = await startAsc(); });
after(async () => { await h.close(); });
beforeEach(() => { h.sandbox.reset(); });

async function version(appId: string, versionString: string, platform = 'IOS'): Promise<Loose> {
  const { body } = await h.json(`/v1/apps/${appId}/appStoreVersions?filter[versionString]=${versionString}&filter[platform]=${platform}&include=appStoreVersionLocalizations,build,appStoreVersionPhasedRelease`);
  assert.equal(body.data.length, 1, `${appId} ${versionString}`);
  return { ...body.data[0], included: body.included ?? [] };
}
const locOf = (v: Loose, locale = 'en-US') => v.included.find((r: Loose) => r.type === 'appStoreVersionLocalizations' && r.attributes.locale === locale);
const patchLoc = (id: string, attributes: Record<string, unknown>) =>
  h.json(`/v1/appStoreVersionLocalizations/${id}`, { method: 'PATCH', json: { data: { type: 'appStoreVersionLocalizations', id, attributes } } });
async function buildId(appId: string, number: string): Promise<string> {
  const { body } = await h.json(`/v1/builds?filter[app]=${appId}&filter[version]=${number}`);
  return body.data[0].id;
}

test('PATCH with keywords over 100 bytes → 409 ENTITY_ERROR.ATTRIBUTE.INVALID with pointer', async () => {
  const loc = locOf(await version(LUMEN, '3.3.0'));
  const keywords = 'notes,'.repeat(17); // 102 bytes
  const { status, body } = await patchLoc(loc.id, { keywords });
  assert.equal(status, 409);
  assert.equal(body.errors[0].code, 'ENTITY_ERROR.ATTRIBUTE.INVALID');
  assert.deepEqual(body.errors[0].source, { pointer: '/data/attributes/keywords' });
  assert.match(body.errors[0].detail, /100/);
  // Keywords count bytes: 40 Japanese characters are 120 bytes.
  assert.equal((await patchLoc(loc.id, { keywords: 'ノート'.repeat(14) })).status, 409);
  assert.equal((await patchLoc(loc.id, { keywords: 'notes,'.repeat(16) })).status, 200);
});

test('other metadata limits and URL checks, several errors at once', async () => {
  const loc = locOf(await version(LUMEN, '3.3.0'));
  const { status, body } = await patchLoc(loc.id, { promotionalText: 'x'.repeat(171), description: 'd'.repeat(4001), whatsNew: 'w'.repeat(4001), supportUrl: 'not a url', marketingUrl: 'ftp://x.example.com' });
  assert.equal(status, 409);
  const pointers = body.errors.map((e: Loose) => e.source.pointer).sort();
  assert.deepEqual(pointers, ['/data/attributes/description', '/data/attributes/marketingUrl', '/data/attributes/promotionalText', '/data/attributes/supportUrl', '/data/attributes/whatsNew']);
  assert.ok(body.errors.every((e: Loose) => e.code === 'ENTITY_ERROR.ATTRIBUTE.INVALID'));
  assert.equal((await patchLoc(loc.id, { promotionalText: '🌟'.repeat(170) })).status, 200, 'limits count characters, not UTF-16 units');

  const info = (await h.json(`/v1/apps/${LUMEN}/appInfos?include=appInfoLocalizations`)).body;
  const editable = info.data.find((i: Loose) => i.attributes.state === 'PREPARE_FOR_SUBMISSION');
  const infoLoc = info.included.find((l: Loose) => editable.relationships.appInfoLocalizations.data.some((d: Loose) => d.id === l.id) && l.attributes.locale === 'en-US');
  const long = await h.json(`/v1/appInfoLocalizations/${infoLoc.id}`, { method: 'PATCH', json: { data: { type: 'appInfoLocalizations', id: infoLoc.id, attributes: { subtitle: 's'.repeat(31), privacyPolicyUrl: 'nope' } } } });
  assert.equal(long.status, 409);
  assert.deepEqual(long.body.errors.map((e: Loose) => e.source.pointer).sort(), ['/data/attributes/privacyPolicyUrl', '/data/attributes/subtitle']);
  const live = info.data.find((i: Loose) => i.attributes.state === 'READY_FOR_DISTRIBUTION');
  const liveLoc = info.included.find((l: Loose) => live.relationships.appInfoLocalizations.data.some((d: Loose) => d.id === l.id));
  const locked = await h.json(`/v1/appInfoLocalizations/${liveLoc.id}`, { method: 'PATCH', json: { data: { type: 'appInfoLocalizations', id: liveLoc.id, attributes: { subtitle: 'New' } } } });
  assert.equal(locked.status, 409);
});

test('a live version only accepts promotional text changes', async () => {
  const loc = locOf(await version(LUMEN, '3.2.0'));
  assert.equal((await patchLoc(loc.id, { promotionalText: 'Now with smart folders' })).status, 200);
  const { status, body } = await patchLoc(loc.id, { description: 'Rewritten' });
  assert.equal(status, 409);
  assert.equal(body.errors[0].code, 'ENTITY_ERROR.ATTRIBUTE.INVALID.INVALID_STATE');
});

test('creating versions: 201, duplicates and a second version in preparation → 409', async () => {
  const create = (appId: string, versionString: string, platform = 'IOS') => h.json('/v1/appStoreVersions', {
    method: 'POST',
    json: { data: { type: 'appStoreVersions', attributes: { versionString, platform }, relationships: { app: { data: { type: 'apps', id: appId } } } } },
  });
  const dup = await create(LUMEN, '3.4.0');
  assert.equal(dup.status, 409, 'Lumen already has 3.3.0 in preparation');
  const again = await create(TRAILHEAD, '2.8.0');
  assert.equal(again.status, 409);
  assert.equal(again.body.errors[0].code, 'ENTITY_ERROR.ATTRIBUTE.INVALID.DUPLICATE');
  assert.deepEqual(again.body.errors[0].source, { pointer: '/data/attributes/versionString' });
  const missing = await h.json('/v1/appStoreVersions', { method: 'POST', json: { data: { type: 'appStoreVersions', attributes: { versionString: '9.0' } } } });
  assert.equal(missing.status, 409);
  assert.deepEqual(missing.body.errors.map((e: Loose) => e.code).sort(), ['ENTITY_ERROR.ATTRIBUTE.REQUIRED', 'ENTITY_ERROR.RELATIONSHIP.REQUIRED']);
  const badPlatform = await create(TIDEPOOL, '6.0', 'ANDROID');
  assert.equal(badPlatform.status, 409);

  // Tidepool's iOS 5.0.1 was rejected and is still editable, so a new iOS version is refused; macOS is in review.
  assert.equal((await create(TIDEPOOL, '5.1.0')).status, 409);
  // Pocket Ledger 1.4.0 is waiting for review: no new version until it is out.
  assert.equal((await create(POCKET_LEDGER, '1.5.0')).status, 409);
  h.asc.setVersionState((await version(POCKET_LEDGER, '1.4.0')).id, 'READY_FOR_SALE');
  const ok = await create(POCKET_LEDGER, '1.5.0');
  assert.equal(ok.status, 201);
  assert.equal(ok.body.data.attributes.appStoreState, 'PREPARE_FOR_SUBMISSION');
  assert.equal(ok.body.data.attributes.earliestReleaseDate, null);
  assert.equal(ok.body.links.self, `${h.base}/v1/appStoreVersions`);
  const locs = await h.json(`/v1/appStoreVersions/${ok.body.data.id}/appStoreVersionLocalizations`);
  assert.equal(locs.body.data[0].attributes.whatsNew, null, 'copied metadata, What\'s New cleared');
  assert.ok(locs.body.data[0].attributes.description);
});

test('review submission flow: refused without a build, then WAITING_FOR_REVIEW', async () => {
  assert.equal((await h.json('/v1/reviewSubmissions')).status, 400, 'filter[app] is required');
  const v = await version(LUMEN, '3.3.0');
  assert.equal(v.relationships.build.data, null);

  const sub = await h.json('/v1/reviewSubmissions', { method: 'POST', json: { data: { type: 'reviewSubmissions', attributes: { platform: 'IOS' }, relationships: { app: { data: { type: 'apps', id: LUMEN } } } } } });
  assert.equal(sub.status, 201);
  assert.equal(sub.body.data.attributes.state, 'READY_FOR_REVIEW');
  assert.equal(sub.body.data.attributes.submittedDate, null);
  const subId = sub.body.data.id;
  assert.equal((await h.json('/v1/reviewSubmissions', { method: 'POST', json: { data: { type: 'reviewSubmissions', attributes: { platform: 'IOS' }, relationships: { app: { data: { type: 'apps', id: LUMEN } } } } } })).status, 409);

  const item = await h.json('/v1/reviewSubmissionItems', { method: 'POST', json: { data: { type: 'reviewSubmissionItems', relationships: { reviewSubmission: { data: { type: 'reviewSubmissions', id: subId } }, appStoreVersion: { data: { type: 'appStoreVersions', id: v.id } } } } } });
  assert.equal(item.status, 201);
  assert.equal(item.body.data.attributes.state, 'READY_FOR_REVIEW');
  const items = await h.json(`/v1/reviewSubmissions/${subId}/items`);
  assert.equal(items.body.data.length, 1);

  const submit = () => h.json(`/v1/reviewSubmissions/${subId}`, { method: 'PATCH', json: { data: { type: 'reviewSubmissions', id: subId, attributes: { submitted: true } } } });
  const refused = await submit();
  assert.equal(refused.status, 409);
  assert.equal(refused.body.errors[0].code, 'STATE_ERROR');
  const assoc = refused.body.errors[0].meta.associatedErrors;
  assert.ok(assoc[`/v1/appStoreVersions/${v.id}/relationships/build`], JSON.stringify(assoc));

  // A required localization field left empty is reported too.
  const de = locOf(v, 'de-DE');
  assert.equal((await patchLoc(de.id, { keywords: '' })).status, 200);

  // Attaching a build that is still processing, or belongs to another app, is refused.
  const attach = (id: string) => h.json(`/v1/appStoreVersions/${v.id}/relationships/build`, { method: 'PATCH', json: { data: { type: 'builds', id } } });
  assert.equal((await attach(await buildId(LUMEN, '413'))).status, 409);
  assert.equal((await attach(await buildId(TRAILHEAD, '2810'))).status, 409);
  const attached = await attach(await buildId(LUMEN, '412'));
  assert.equal(attached.status, 204);
  assert.equal((await h.json(`/v1/appStoreVersions/${v.id}/build`)).body.data.attributes.version, '412');

  const stillRefused = await submit();
  assert.equal(stillRefused.status, 409);
  const assoc2 = stillRefused.body.errors[0].meta.associatedErrors;
  assert.deepEqual(Object.keys(assoc2), [`/v1/appStoreVersionLocalizations/${de.id}`]);
  assert.equal(assoc2[`/v1/appStoreVersionLocalizations/${de.id}`][0].source.pointer, '/data/attributes/keywords');

  assert.equal((await patchLoc(de.id, { keywords: 'notizen,skizze' })).status, 200);
  const submitted = await submit();
  assert.equal(submitted.status, 200);
  assert.equal(submitted.body.data.attributes.state, 'WAITING_FOR_REVIEW');
  assert.ok(submitted.body.data.attributes.submittedDate);
  const after = await h.json(`/v1/appStoreVersions/${v.id}`);
  assert.equal(after.body.data.attributes.appStoreState, 'WAITING_FOR_REVIEW');
  assert.equal(after.body.data.attributes.appVersionState, 'WAITING_FOR_REVIEW');
  assert.equal((await submit()).status, 409, 'already submitted');
  const listed = await h.json(`/v1/reviewSubmissions?filter[app]=${LUMEN}&filter[state]=WAITING_FOR_REVIEW`);
  assert.deepEqual(listed.body.data.map((s: Loose) => s.id), [subId]);

  const cancel = await h.json(`/v1/reviewSubmissions/${subId}`, { method: 'PATCH', json: { data: { type: 'reviewSubmissions', id: subId, attributes: { canceled: true } } } });
  assert.equal(cancel.status, 200);
  assert.equal(cancel.body.data.attributes.state, 'CANCELING');
  assert.equal((await h.json(`/v1/appStoreVersions/${v.id}`)).body.data.attributes.appStoreState, 'DEVELOPER_REJECTED');
});

test('manual release: only PENDING_DEVELOPER_RELEASE, then live with the phased release started', async () => {
  const release = (id: string) => h.json('/v1/appStoreVersionReleaseRequests', { method: 'POST', json: { data: { type: 'appStoreVersionReleaseRequests', relationships: { appStoreVersion: { data: { type: 'appStoreVersions', id } } } } } });
  const live = await version(LUMEN, '3.2.0');
  const refused = await release(live.id);
  assert.equal(refused.status, 409);
  assert.equal(refused.body.errors[0].code, 'STATE_ERROR');

  const pending = await version(TRAILHEAD, '2.8.1');
  assert.equal(pending.attributes.appStoreState, 'PENDING_DEVELOPER_RELEASE');
  const phased = pending.included.find((r: Loose) => r.type === 'appStoreVersionPhasedReleases');
  assert.equal(phased.attributes.phasedReleaseState, 'INACTIVE');
  const ok = await release(pending.id);
  assert.equal(ok.status, 201);
  assert.equal(ok.body.data.type, 'appStoreVersionReleaseRequests');
  const now = await version(TRAILHEAD, '2.8.1');
  assert.equal(now.attributes.appStoreState, 'READY_FOR_SALE');
  assert.equal(now.attributes.appVersionState, 'READY_FOR_DISTRIBUTION');
  const started = now.included.find((r: Loose) => r.type === 'appStoreVersionPhasedReleases');
  assert.equal(started.attributes.phasedReleaseState, 'ACTIVE');
  assert.equal(started.attributes.currentDayNumber, 1);
  assert.equal((await version(TRAILHEAD, '2.8.0')).attributes.appStoreState, 'REPLACED_WITH_NEW_VERSION');
});

test('phased release: pause, resume, complete; create and delete while inactive', async () => {
  const live = await version(LUMEN, '3.2.0');
  const p = live.included.find((r: Loose) => r.type === 'appStoreVersionPhasedReleases');
  assert.equal(p.attributes.phasedReleaseState, 'ACTIVE');
  const set = (id: string, phasedReleaseState: string) => h.json(`/v1/appStoreVersionPhasedReleases/${id}`, { method: 'PATCH', json: { data: { type: 'appStoreVersionPhasedReleases', id, attributes: { phasedReleaseState } } } });
  assert.equal((await set(p.id, 'PAUSED')).body.data.attributes.phasedReleaseState, 'PAUSED');
  assert.equal((await set(p.id, 'ACTIVE')).body.data.attributes.phasedReleaseState, 'ACTIVE');
  assert.equal((await h.json(`/v1/appStoreVersionPhasedReleases/${p.id}`, { method: 'DELETE' })).status, 409);
  assert.equal((await set(p.id, 'COMPLETE')).body.data.attributes.phasedReleaseState, 'COMPLETE');
  assert.equal((await set(p.id, 'ACTIVE')).status, 409);
  assert.equal((await set(p.id, 'SOMETIMES')).status, 409);

  const next = await version(LUMEN, '3.3.0');
  assert.equal((await h.json(`/v1/appStoreVersions/${next.id}/appStoreVersionPhasedRelease`)).body.data, null);
  const create = () => h.json('/v1/appStoreVersionPhasedReleases', { method: 'POST', json: { data: { type: 'appStoreVersionPhasedReleases', attributes: { phasedReleaseState: 'INACTIVE' }, relationships: { appStoreVersion: { data: { type: 'appStoreVersions', id: next.id } } } } } });
  const created = await create();
  assert.equal(created.status, 201);
  assert.equal(created.body.data.attributes.startDate, null);
  assert.equal((await create()).status, 409);
  assert.equal((await h.json(`/v1/appStoreVersionPhasedReleases/${created.body.data.id}`, { method: 'DELETE' })).status, 204);
});

test('version PATCH: releaseType SCHEDULED needs earliestReleaseDate; locked once submitted', async () => {
  const v = await version(LUMEN, '3.3.0');
  const patch = (id: string, attributes: Record<string, unknown>) => h.json(`/v1/appStoreVersions/${id}`, { method: 'PATCH', json: { data: { type: 'appStoreVersions', id, attributes } } });
  assert.equal((await patch(v.id, { releaseType: 'SCHEDULED' })).status, 409);
  const ok = await patch(v.id, { releaseType: 'SCHEDULED', earliestReleaseDate: '2030-01-01T08:00:00-08:00', copyright: '2030 Lumen Labs' });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.data.attributes.releaseType, 'SCHEDULED');
  const locked = await patch((await version(POCKET_LEDGER, '1.4.0')).id, { copyright: 'x' });
  assert.equal(locked.status, 409);
});
