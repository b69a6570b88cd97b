// iTunes Connect emulator: every endpoint of the seed (and fastlane's later spellings), happy paths and the
// errors that arrive inside HTTP 200.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ra, raJson, signIn, useSignedInItc } from './itcClient';

type Obj = Record<string, unknown>;
interface Field<T = unknown> { value: T; isEditable: boolean; isRequired: boolean; errorKeys: string[] | null; [k: string]: unknown }
interface Detail extends Obj { language: string; name: Field<string | null>; description: Field<string | null>; keywords: Field<string | null>; releaseNotes: Field<string | null>; supportUrl: Field<string | null>; sectionErrorKeys: string[] }
interface Version extends Obj {
  versionId: number; status: string; version: Field<string>; canRejectVersion: boolean; validationError: boolean;
  details: Field<Detail[]>; sectionErrorKeys: string[]; preReleaseBuildVersionString: Field<string | null>; preReleaseBuild: { buildVersion: string } | null;
}
interface VersionRef { version: string; state: string; stateKey: string; stateGroup: string; id: null }
interface Summary { adamId: string; name: string; bundleId: string; vendorId: string; versionSets: { platformString: string; inFlightVersion: VersionRef | null; deliverableVersion: VersionRef | null }[] }

const A = '898536088';
const B = '1013943394';
const C = '1006641907';

describe('iTunes Connect emulator: endpoints', () => {
  const env = useSignedInItc();

  const get = <T = Obj>(path: string) => raJson<T>(env.itc, env.jar, 'GET', path);
  const post = <T = Obj>(path: string, body: unknown) => raJson<T>(env.itc, env.jar, 'POST', path, body);
  const summaries = async () => (await get<{ summaries: Summary[] }>('apps/manageyourapps/summary')).data.summaries;
  const english = (v: Version) => v.details.value.find((d) => d.language === 'English')!;

  describe('app list', () => {
    it('lists the seeded apps in the recorded shape, at the seed URL and at /v2', async () => {
      const res = await get<Obj & { summaries: Summary[] }>('apps/manageyourapps/summary');
      assert.equal(res.statusCode, 'SUCCESS');
      assert.deepEqual(res.messages, { warn: null, error: null, info: null });
      for (const k of ['canCreateIOSApps', 'enabledPlatforms', 'canCreateAppBundles', 'summaries']) assert.ok(k in res.data, k);
      assert.deepEqual(res.data.summaries.map((s) => [s.adamId, s.name, s.bundleId]), [
        [A, 'App Name 1', 'net.sunapps.107'],
        [B, 'app name why not', 'net.sunapps.realtestda'],
        [C, 'App Name 3', 'net.sunapps.187'],
      ]);
      const a = res.data.summaries[0]!.versionSets[0]!;
      assert.equal(a.platformString, 'ios');
      assert.deepEqual([a.inFlightVersion?.version, a.inFlightVersion?.stateKey, a.inFlightVersion?.state], ['1.0', 'prepareForUpload', 'Prepare for Upload']);
      assert.deepEqual([a.deliverableVersion?.version, a.deliverableVersion?.stateKey, a.deliverableVersion?.stateGroup], ['0.9.13', 'readyForSale', 'readyForSale']);
      assert.equal(res.data.summaries[1]!.versionSets[0]!.inFlightVersion, null);
      assert.equal(res.data.summaries[2]!.versionSets[0]!.inFlightVersion?.stateKey, 'waitingForReview');
      const v2 = await get<{ summaries: Summary[] }>('apps/manageyourapps/summary/v2');
      assert.deepEqual(v2.data.summaries, res.data.summaries);
    });
  });

  describe('versions', () => {
    it('answers the edit version, and the live one with ?v=live', async () => {
      const edit = (await get<Version>(`apps/version/${A}`)).data;
      assert.equal(edit.versionId, 813314674);
      assert.equal(edit.version.value, '1.0');
      assert.equal(edit.status, 'prepareForUpload');
      assert.deepEqual(edit.sectionErrorKeys, []);
      assert.equal(english(edit).description.isEditable, true);
      assert.equal(english(edit).keywords.isEditable, true);
      assert.deepEqual(edit.preReleaseBuild, { buildVersion: '10' });
      const live = (await get<Version>(`apps/version/${A}?v=live`)).data;
      assert.equal(live.versionId, 812106519);
      assert.equal(live.status, 'readyForSale');
      assert.equal(english(live).keywords.isEditable, false);
      const byId = (await get<Version>(`apps/${A}/platforms/ios/versions/812106519`)).data;
      assert.deepEqual(byId, live);
    });

    it('with a single version, both requests answer that version (as Apple did)', async () => {
      const b = (await get<Version>(`apps/version/${B}`)).data;
      const bLive = (await get<Version>(`apps/version/${B}?v=live`)).data;
      assert.equal(b.versionId, 814624685);
      assert.equal(bLive.versionId, 814624685);
      const c = (await get<Version>(`apps/version/${C}?v=live`)).data;
      assert.equal(c.status, 'waitingForReview');
    });

    it('saves the posted version object and keeps the change', async () => {
      const v = (await get<Version>(`apps/version/${A}`)).data;
      english(v).description.value = 'A better description.';
      english(v).releaseNotes.value = 'Sync is twice as fast.';
      const res = await post<Version>(`apps/version/save/${A}`, v);
      assert.equal(res.statusCode, 'SUCCESS');
      assert.deepEqual(res.messages.info, ['Successful POST']);
      assert.deepEqual(res.data.sectionErrorKeys, []);
      const again = (await get<Version>(`apps/version/${A}`)).data;
      assert.equal(english(again).description.value, 'A better description.');
      assert.equal(english(again).releaseNotes.value, 'Sync is twice as fast.');
      // fastlane's path for the same save
      english(again).keywords.value = 'sync,fast';
      assert.equal((await post<Version>(`apps/${A}/platforms/ios/versions/813314674`, again)).statusCode, 'SUCCESS');
      assert.equal(english((await get<Version>(`apps/version/${A}`)).data).keywords.value, 'sync,fast');
    });

    it('read-only fields keep their value', async () => {
      const live = (await get<Version>(`apps/version/${A}?v=live`)).data;
      english(live).keywords.value = 'changed';
      english(live).description.value = 'Live description edit';
      const res = await post<Version>(`apps/${A}/platforms/ios/versions/812106519`, live);
      assert.equal(res.statusCode, 'SUCCESS');
      const after = (await get<Version>(`apps/version/${A}?v=live`)).data;
      assert.equal(english(after).keywords.value, 'Some random titles');
      assert.equal(english(after).description.value, 'Live description edit');
    });

    it('invalid metadata is an error inside a 200: statusCode ERROR, messages.error, sectionErrorKeys, errorKeys', async () => {
      const v = (await get<Version>(`apps/version/${A}`)).data;
      english(v).description.value = 'x'.repeat(4001);
      english(v).keywords.value = 'k'.repeat(101);
      english(v).supportUrl.value = '';
      const res = await ra(env.itc, env.jar, 'POST', `apps/version/save/${A}`, v);
      assert.equal(res.status, 200);
      const body = (await res.json()) as { data: Version; messages: { error: string[] }; statusCode: string };
      assert.equal(body.statusCode, 'ERROR');
      assert.deepEqual(body.data.sectionErrorKeys, ['There are errors on the page and for 1 of your localization.']);
      assert.equal(body.data.validationError, true);
      const en = english(body.data);
      assert.deepEqual(en.description.errorKeys, ['The description must be 4000 characters or fewer.']);
      assert.deepEqual(en.keywords.errorKeys, ['The keywords must be 100 characters or fewer.']);
      assert.deepEqual(en.supportUrl.errorKeys, ['You must provide a support URL.']);
      assert.equal(en.sectionErrorKeys.length, 3);
      assert.deepEqual(body.messages.error, [...en.description.errorKeys!, ...en.keywords.errorKeys!, ...en.supportUrl.errorKeys!]);
      // Nothing was saved.
      const again = (await get<Version>(`apps/version/${A}`)).data;
      assert.equal(english(again).description.value, 'Super Description here');
    });

    it('a missing required field and a malformed URL are flagged on the field', async () => {
      const v = (await get<Version>(`apps/version/${A}`)).data;
      english(v).name.value = null;
      v.details.value.find((d) => d.language === 'German')!.marketingUrl = { ...english(v).supportUrl, value: 'not a url' };
      const body = (await post<Version>(`apps/version/save/${A}`, v));
      assert.equal(body.statusCode, 'ERROR');
      assert.deepEqual(english(body.data).name.errorKeys, ['You must provide an app name.']);
      assert.deepEqual((body.data.details.value.find((d) => d.language === 'German')!.marketingUrl as Field).errorKeys, ['The marketing URL is not a valid URL.']);
      assert.deepEqual(body.data.sectionErrorKeys, ['There are errors on the page and for 2 of your localizations.']);
    });

    it('an app name used by another app comes back as the recorded "Successful POST" that did not save', async () => {
      const v = (await get<Version>(`apps/version/${A}`)).data;
      english(v).name.value = 'App Name 3';
      const body = await post<Version>(`apps/version/save/${A}`, v);
      assert.equal(body.statusCode, 'SUCCESS');
      assert.deepEqual(body.messages.info, ['Successful POST']);
      assert.deepEqual(english(body.data).name.errorKeys, ['The App Name you entered has already been used.']);
      assert.deepEqual(english(body.data).sectionErrorKeys, ['The App Name you entered has already been used.']);
      assert.equal(body.data.validationError, true);
      assert.equal(english((await get<Version>(`apps/version/${A}`)).data).name.value, 'App Name 1');
    });

    it('saving without changes answers "You haven\'t made any changes."', async () => {
      const v = (await get<Version>(`apps/version/${A}`)).data;
      const body = await post<Version>(`apps/version/save/${A}`, v);
      assert.deepEqual(body.data.sectionErrorKeys, ["You haven't made any changes."]);
    });

    it('a body that is not a version object is an operation error', async () => {
      const body = await post(`apps/version/save/${A}`, { description: 'x' });
      assert.equal(body.statusCode, 'ERROR');
      assert.deepEqual(body.messages.error, ['ITC.response.error.OPERATION_FAILED']);
      assert.equal(body.data, null);
    });

    it('creates a new version from the live one; a second one is an error inside a 200', async () => {
      const created = await post<Version>(`apps/version/create/${B}`, { version: '1.1' });
      assert.equal(created.statusCode, 'SUCCESS');
      assert.deepEqual(created.messages.info, ['Successful POST']);
      assert.equal(created.data.version.value, '1.1');
      assert.equal(created.data.status, 'prepareForUpload');
      assert.notEqual(created.data.versionId, 814624685);
      assert.equal(english(created.data).releaseNotes.value, null);
      assert.equal(english(created.data).releaseNotes.isEditable, true);
      const edit = (await get<Version>(`apps/version/${B}`)).data;
      assert.equal(edit.versionId, created.data.versionId);
      assert.equal((await get<Version>(`apps/version/${B}?v=live`)).data.versionId, 814624685);
      const b = (await summaries()).find((s) => s.adamId === B)!;
      assert.equal(b.versionSets[0]!.inFlightVersion?.version, '1.1');

      const dup = await post(`apps/version/create/${B}`, { version: '1.2' });
      assert.equal(dup.statusCode, 'ERROR');
      assert.deepEqual(dup.messages.error, ['You cannot create a new version of the App in the current state.']);
      const inFlight = await post(`apps/${A}/platforms/ios/versions/create`, { version: { value: '2.0' } });
      assert.equal(inFlight.statusCode, 'ERROR');
    });

    it('a version number that is not higher than the live one is flagged on the field', async () => {
      const res = await post<Version>(`apps/${B}/platforms/ios/versions/create/`, { version: { value: '0.9' } });
      assert.equal(res.statusCode, 'SUCCESS');
      assert.deepEqual(res.messages.info, ['Validation Error(s).']);
      assert.match(res.data.version.errorKeys?.[0] ?? '', /higher than the previous version number \(1\.0\)/);
      assert.equal(res.data.sectionErrorKeys.length, 1);
      assert.equal((await get<Version>(`apps/version/${B}`)).data.versionId, 814624685, 'nothing created');
    });
  });

  describe('new app', () => {
    interface NewAppForm extends Obj { adamId: string | null; sectionErrorKeys: string[]; bundleIds: Record<string, string>; versionString: Field; newApp: Obj & Record<'name' | 'bundleId' | 'bundleIdSuffix' | 'vendorId' | 'primaryLanguage', Field> }
    const fill = (form: NewAppForm, v: { name: string; bundleId: string; sku: string; language?: string; version?: string; suffix?: string }) => {
      // the way fastlane's create_application! fills the prefilled form
      form.versionString = { value: v.version ?? '1.0' } as Field;
      form.newApp.name = { value: v.name } as Field;
      form.newApp.bundleId.value = v.bundleId;
      form.newApp.primaryLanguage.value = v.language ?? 'English';
      form.newApp.vendorId = { value: v.sku } as Field;
      form.newApp.bundleIdSuffix.value = v.suffix ?? null;
      form.initialPlatform = 'ios';
      return form;
    };

    it('serves the form with the unused bundle ids, and creates the app', async () => {
      const form = (await get<NewAppForm>('apps/create/?appType=ios')).data;
      assert.ok('net.sunapps.100' in form.bundleIds);
      assert.ok(!('net.sunapps.107' in form.bundleIds), 'bundle ids in use are not offered');
      assert.deepEqual((await get<NewAppForm>('apps/create/v2/?platformString=ios')).data, form);
      const res = await post<NewAppForm>('apps/create/?appType=ios', fill(form, { name: 'Baconfy', bundleId: 'net.sunapps.100', sku: 'BACON1' }));
      assert.equal(res.statusCode, 'SUCCESS');
      assert.deepEqual(res.data.sectionErrorKeys, []);
      assert.match(res.data.adamId ?? '', /^\d+$/);
      const listed = (await summaries()).find((s) => s.adamId === res.data.adamId)!;
      assert.equal(listed.name, 'Baconfy');
      assert.equal(listed.bundleId, 'net.sunapps.100');
      assert.equal(listed.versionSets[0]!.inFlightVersion?.version, '1.0');
      const v = (await get<Version>(`apps/version/${res.data.adamId}`)).data;
      assert.equal(v.status, 'prepareForUpload');
      assert.equal(english(v).name.value, 'Baconfy');
      // wildcard bundle id with a suffix
      const form2 = (await get<NewAppForm>('apps/create/v2/?platformString=ios')).data;
      const wild = await post<NewAppForm>('apps/create/v2', fill(form2, { name: 'Wild One', bundleId: 'net.sunapps.*', suffix: 'wild', sku: 'WILD1' }));
      assert.equal(wild.statusCode, 'SUCCESS');
      assert.equal((await summaries()).find((s) => s.adamId === wild.data.adamId)?.bundleId, 'net.sunapps.wild');
    });

    it('a name already used or a bad language is flagged inside a 200 with statusCode SUCCESS (as recorded)', async () => {
      const form = (await get<NewAppForm>('apps/create/v2/?platformString=ios')).data;
      const res = await post<NewAppForm>('apps/create/v2', fill(form, { name: 'App Name 1', bundleId: 'net.sunapps.100', sku: 'X1', language: 'Such Primary' }));
      assert.equal(res.statusCode, 'SUCCESS');
      assert.deepEqual(res.messages.info, ['Validation Error(s).']);
      assert.equal(res.data.adamId, null);
      assert.deepEqual(res.data.newApp.name.errorKeys, ['The App Name you entered has already been used.']);
      assert.deepEqual(res.data.newApp.primaryLanguage.errorKeys, ['You must choose a primary language.']);
      assert.deepEqual(res.data.sectionErrorKeys, ['The App Name you entered has already been used.', 'You must choose a primary language.']);
      assert.equal((await summaries()).length, 3);
    });

    it('a bundle id already in use is an ERROR with messages.error', async () => {
      const form = (await get<NewAppForm>('apps/create/v2/?platformString=ios')).data;
      const res = await post<NewAppForm>('apps/create/v2', fill(form, { name: 'Another', bundleId: 'net.sunapps.*', suffix: '107', sku: 'X2' }));
      assert.equal(res.statusCode, 'ERROR');
      assert.deepEqual(res.messages.error, ['The Bundle ID you entered has already been used.']);
      assert.deepEqual(res.data.newApp.bundleId.errorKeys, ['The Bundle ID you entered has already been used.']);
      const form2 = (await get<NewAppForm>('apps/create/v2/?platformString=ios')).data;
      const missing = await post<NewAppForm>('apps/create/v2', fill(form2, { name: '', bundleId: 'com.unknown.app', sku: '' }));
      assert.deepEqual(missing.data.newApp.name.errorKeys, ['You must provide an app name.']);
      assert.deepEqual(missing.data.newApp.vendorId.errorKeys, ['You must provide a SKU.']);
      assert.equal(missing.data.newApp.bundleId.errorKeys?.length, 1);
    });
  });

  describe('builds and TestFlight', () => {
    interface Build extends Obj { buildVersion: string; trainVersion: string; platform: string; buildTestInformationTO: Obj }
    interface Train extends Obj { versionString: string; platform: string; builds: Build[]; externalTesting: Field<boolean> }
    interface Trains { trains: Train[]; processingBuilds: Obj[]; maxTestingApps: number; sectionErrorKeys: string[] }

    it('lists the build trains in the recorded shape', async () => {
      const res = await get<Trains>(`apps/${A}/trains/`);
      assert.deepEqual(res.data.trains.map((t) => [t.versionString, t.builds.map((b) => b.buildVersion)]), [['0.9.13', ['9']], ['1.0', ['10', '11']]]);
      assert.equal(res.data.trains[1]!.externalTesting.value, true);
      assert.deepEqual(res.data.processingBuilds.map((b) => b.buildVersion), ['12']);
      assert.equal(res.data.maxTestingApps, 10);
      for (const k of ['sectionErrorKeys', 'currentTestingApps', 'isBetaDataAvailable', 'dailySubmissionCount']) assert.ok(k in res.data, k);
      const b0 = res.data.trains[1]!.builds[0]!;
      for (const k of ['uploadDate', 'iconUrl', 'appName', 'internalTesting', 'externalTesting', 'buildTestInformationTO', 'betaState']) assert.ok(k in b0, k);
      const filtered = await get<Trains>(`apps/${A}/trains/?platform=ios&testingType=external`);
      assert.equal(filtered.data.trains.length, 2);
      assert.equal((await get<Trains>(`apps/${A}/trains/?platform=appletvos&testingType=internal`)).data.trains.length, 0);
    });

    it('answers build details at the seed path and at fastlane\'s', async () => {
      const d = await get<Obj>(`apps/${A}/trains/1.0/builds/10/details`);
      assert.deepEqual(d.messages.info, ['Success']);
      assert.equal(d.data.cfBundleVersion, '10');
      assert.equal(d.data.cfBundleShortVersion, '1.0');
      assert.equal(d.data.bundleId, 'net.sunapps.107');
      assert.equal(d.data.appName, 'App Name 1');
      assert.deepEqual((await get<Obj>(`apps/${A}/platforms/ios/trains/1.0/builds/10/details`)).data, d.data);
    });

    it('gets and sets the test information of a build', async () => {
      interface TestInfo extends Obj { details: (Obj & { whatsNew: Field<string | null>; feedbackEmail: Field<string | null>; description: Field<string | null> })[]; reviewEmail: Field<string | null>; sectionErrorKeys: string[] }
      const info = (await get<TestInfo>(`apps/${A}/trains/1.0/builds/10/testInformation`)).data;
      assert.equal(info.details[0]!.whatsNew.maxLength, 4000);
      info.details[0]!.whatsNew.value = 'Try the new sync.';
      info.details[0]!.feedbackEmail.value = 'beta@sunapps.net';
      const saved = await post<TestInfo>(`apps/${A}/trains/1.0/builds/10/testInformation`, info);
      assert.equal(saved.statusCode, 'SUCCESS');
      const again = (await get<TestInfo>(`apps/${A}/platforms/ios/trains/1.0/builds/10/testInformation`)).data;
      assert.equal(again.details[0]!.whatsNew.value, 'Try the new sync.');
      const trains = await get<Trains>(`apps/${A}/trains/`);
      assert.equal(((trains.data.trains[1]!.builds[0]!.buildTestInformationTO.details as TestInfo['details'])[0]!.whatsNew.value), 'Try the new sync.');

      again.details[0]!.whatsNew.value = 'abc';
      again.details[0]!.feedbackEmail.value = 'not-an-email';
      const bad = await post<TestInfo>(`apps/${A}/trains/1.0/builds/10/testInformation`, again);
      assert.equal(bad.statusCode, 'ERROR');
      assert.deepEqual(bad.data.details[0]!.whatsNew.errorKeys, ['What to Test must be at least 4 characters.']);
      assert.deepEqual(bad.data.details[0]!.feedbackEmail.errorKeys, ['Feedback Email is not a valid email address.']);
      assert.deepEqual(bad.data.sectionErrorKeys, ['There are errors on the page.']);
      assert.equal(bad.messages.error?.length, 2);
    });

    it('lists the testers of a build, and adds an external tester', async () => {
      interface Testers { testers: (Obj & { emailAddress: Field<string>; testerId: string | null })[]; sectionErrorKeys: string[] | null }
      const before = (await get<Testers>(`apps/${A}/trains/1.0/builds/10/testers`)).data.testers;
      assert.deepEqual(before.map((t) => t.emailAddress.value), ['private@krausefx.com', 'ich@felixkrause.at']);
      const add = await post<Testers>('users/pre/create', {
        testers: [{ emailAddress: { value: 'new.tester@example.com', errorKeys: [] }, firstName: { value: 'New' }, lastName: { value: 'Tester' }, testing: { value: true }, groups: [] }],
      });
      assert.equal(add.statusCode, 'SUCCESS');
      assert.equal(add.data.sectionErrorKeys, null, 'as recorded in create_tester.json');
      assert.equal(add.data.testers[0]!.emailAddress.value, 'new.tester@example.com');
      const after = (await get<Testers>(`apps/${A}/platforms/ios/trains/1.0/builds/10/testers`)).data.testers;
      assert.equal(after.length, 3);
      assert.match(after[2]!.testerId ?? '', /^[0-9a-f-]{36}$/);
      assert.equal((await get<Testers>('users/pre/ext')).data.testers.length, 3);

      const bad = await post<Testers>('users/pre/create', { testers: [{ emailAddress: { value: 'nope' }, firstName: { value: 'X' }, lastName: { value: 'Y' }, testing: { value: true }, groups: [] }] });
      assert.deepEqual(bad.data.testers[0]!.emailAddress.errorKeys, ['Enter a valid email address.']);
      assert.equal((await get<Testers>('users/pre/ext')).data.testers.length, 3);
    });
  });

  describe('review', () => {
    it('submits the edit version for review in two steps (start, complete)', async () => {
      const start = await ra(env.itc, env.jar, 'POST', `apps/${A}/details/submit/summary`, {});
      assert.equal(start.status, 200);
      const started = (await start.json()) as { data: Obj & { exportCompliance: Obj }; statusCode: string };
      assert.equal(started.statusCode, 'SUCCESS');
      for (const k of ['adIdInfo', 'contentRights', 'exportCompliance', 'previousPurchaseRestrictions']) assert.ok(k in started.data, k);
      const done = await post(`apps/${A}/versions/813314674/submit/complete`, started.data);
      assert.equal(done.statusCode, 'SUCCESS');
      assert.deepEqual(done.messages.info, ['Successful POST']);
      const v = (await get<Version>(`apps/version/${A}`)).data;
      assert.equal(v.status, 'waitingForReview');
      assert.equal(v.canRejectVersion, true);
      assert.equal(english(v).description.isEditable, false);
      assert.equal((await summaries())[0]!.versionSets[0]!.inFlightVersion?.state, 'Waiting For Review');
      const twice = await post(`apps/${A}/versions/813314674/submit/complete`, started.data);
      assert.equal(twice.statusCode, 'ERROR');
    });

    it('supports fastlane\'s GET …/versions/{id}/submit/summary and …/version/submit/complete', async () => {
      const started = await get(`apps/${A}/versions/813314674/submit/summary`);
      assert.equal(started.statusCode, 'SUCCESS');
      const done = await post(`apps/${A}/version/submit/complete`, started.data);
      assert.equal(done.statusCode, 'SUCCESS');
      assert.equal((await get<Version>(`apps/version/${A}`)).data.status, 'waitingForReview');
    });

    it('complete without start, or a version that is not ready, is refused inside a 200', async () => {
      const early = await post(`apps/${A}/versions/813314674/submit/complete`, { exportCompliance: {} });
      assert.equal(early.statusCode, 'ERROR');
      const created = await post<Version>(`apps/version/create/${B}`, { version: '2.0' });
      const start = await post<Version>(`apps/${B}/details/submit/summary`, {});
      assert.equal(start.statusCode, 'SUCCESS');
      assert.deepEqual(start.messages.info, ['Validation errors.']);
      assert.equal(start.data.validationError, true);
      assert.deepEqual(start.data.preReleaseBuildVersionString.errorKeys, ['You must choose a build.']);
      assert.match(english(start.data).releaseNotes.errorKeys?.[0] ?? '', /What's New/);
      assert.equal(start.data.sectionErrorKeys.length, 1);
      // choose build 1.0 (1)? it belongs to train 1.0, not 2.0: the train must match an uploaded build
      const v = created.data;
      v.preReleaseBuildVersionString.value = '1.0';
      v.preReleaseBuild = { buildVersion: '1' };
      english(v).releaseNotes.value = 'New things.';
      const saved = await post<Version>(`apps/version/save/${B}`, v);
      assert.equal(saved.statusCode, 'SUCCESS');
      assert.deepEqual((await get<Version>(`apps/version/${B}`)).data.preReleaseBuild, { buildVersion: '1' });
      assert.equal((await post(`apps/${B}/details/submit/summary`, {})).messages.info, null);
      const waiting = await get(`apps/${C}/versions/812758182/submit/summary`);
      assert.equal(waiting.statusCode, 'ERROR');
    });

    it('rejects a version waiting for review; rejecting again fails inside a 200', async () => {
      const res = await post<Version>(`apps/${C}/versions/812758182/reject`, {});
      assert.equal(res.statusCode, 'SUCCESS');
      assert.deepEqual(res.messages.info, ['Successful POST']);
      assert.equal(res.data.status, 'developerRejected');
      assert.equal(res.data.canRejectVersion, false);
      assert.equal((await summaries())[2]!.versionSets[0]!.inFlightVersion?.stateKey, 'developerRejected');
      const again = await post(`apps/${C}/versions/812758182/reject`, {});
      assert.equal(again.statusCode, 'ERROR');
      assert.deepEqual(again.messages.error, ['ITC.response.error.OPERATION_FAILED']);
      assert.equal((await ra(env.itc, env.jar, 'POST', `apps/${C}/versions/1/reject`, {})).status, 404);
    });

    it('serves the resolution center, HTML bodies included (one is hostile)', async () => {
      interface Threads { appNotes: { threads: { versionId: string; messages: { from: string; date: number; body: string }[] }[] }; replyConstraints: { maxLength: number } }
      const a = await post<Threads>(`apps/${A}/resolutionCenter?v=latest`, {});
      assert.equal(a.data.replyConstraints.maxLength, 4000);
      assert.equal(a.data.appNotes.threads[0]!.versionId, '812106519');
      assert.match(a.data.appNotes.threads[0]!.messages[0]!.body, /^<b>2\.16 Details<\/b>/);
      const c = await get<Threads>(`apps/${C}/resolutionCenter?v=latest`);
      const bodies = c.data.appNotes.threads[0]!.messages.map((m) => m.body);
      assert.ok(bodies.some((b) => b.includes('<script>')), 'a hostile <script> for sanitisation tests');
      assert.ok(bodies.some((b) => /onerror=/.test(b)));
      assert.deepEqual((await get<Threads>(`apps/${C}/platforms/ios/resolutionCenter?v=latest`)).data, c.data);
      assert.deepEqual((await get<Threads>(`apps/${B}/resolutionCenter?v=latest`)).data.appNotes.threads, []);
    });
  });

  it('serves the recorded CDN images locally, so the demo needs no network', async () => {
    const res = await get<{ summaries: (Summary & { iconUrl: string | null })[] }>('apps/manageyourapps/summary');
    const text = JSON.stringify(res);
    assert.doesNotMatch(text, /mzstatic\.com/);
    const icon = res.data.summaries[0]!.iconUrl!;
    assert.match(icon, new RegExp(`^${env.itc.base}/icons/[A-Za-z0-9_-]+\\.png$`));
    const png = await fetch(icon);
    assert.equal(png.status, 200);
    assert.equal(png.headers.get('content-type'), 'image/png');
    assert.deepEqual([...new Uint8Array(await png.arrayBuffer()).slice(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    assert.doesNotMatch(JSON.stringify(await get(`apps/${A}/trains/`)), /mzstatic\.com/);
  });

  it('answers the signed-in user', async () => {
    const res = await get<{ userName: string; contentProvider: string }>('user/detail');
    assert.equal(res.data.userName, env.itc.appleId);
  });

  it('reset() restores the seed', async () => {
    await post(`apps/version/create/${B}`, { version: '1.1' });
    await post(`apps/${C}/versions/812758182/reject`, {});
    env.sb.reset();
    env.jar = await signIn(env.itc);
    const s = await summaries();
    assert.equal(s[1]!.versionSets[0]!.inFlightVersion, null);
    assert.equal(s[2]!.versionSets[0]!.inFlightVersion?.stateKey, 'waitingForReview');
  });
});
