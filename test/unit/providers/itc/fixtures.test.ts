// Every fastlane recording of legacy iTunes Connect (./fixtures) through the provider's validators and mappers,
// error detection inside HTTP 200 (fastlane's handle_itc_response rules), and sign-in page handling.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse, type Schema } from '../../../../src/core/validate';
import { AuthError, ProtocolError, TransientError, ValidationError } from '../../../../src/core/errors';
import * as S from '../../../../src/providers/itc/schemas';
import { findItcErrors, itcErrorFor } from '../../../../src/providers/itc/errors';
import { classifyLoginResponse, findLoginAction, itcEndpoints, pageText } from '../../../../src/providers/itc/session';
import {
  appSummaryOf, buildsOf, FIELD_SPECS, metadataDocumentOf, testerOf, testInfoOf, versionInfoOf,
} from '../../../../src/providers/itc/mapping';
import { applyChanges } from '../../../../src/providers/itc/metadata';
import { languageOfLocale, localeOfLanguage } from '../../../../src/providers/itc/locales';
import { fixture, fixtureText, fixturesDir } from './helpers';

const ctx = { provider: 'iTunes Connect', endpoint: 'GET /test' };
const check = <T>(schema: Schema<T>, file: string): T => parse(schema, fixture(file), ctx);

/** What each recording is checked with. Every file in ./fixtures must be listed (see the first test). */
const SCHEMAS: Record<string, Schema<unknown>> = {
  'app_summary.json': S.AppsSummary,
  'app_version.json': S.AppVersionResponse,
  'create_version_success.json': S.AppVersionResponse,
  'update_app_version_success.json': S.AppVersionResponse,
  'reject_app_version_success.json': S.AppVersionResponse,
  'create_application_success.json': S.CreateAppForm,
  'build_trains.json': S.BuildTrains,
  'build_details.json': S.BuildDetails,
  'testers/get_external.json': S.Testers,
  'testers/create_tester.json': S.Testers,
  'app_submission/start_success.json': S.SubmissionSummary,
  'app_submission/complete_success.json': S.SubmissionSummary,
  'app_resolution_center.json': S.ResolutionCenter,
  'user_detail.json': S.UserDetail,
  'olympus_session.json': S.OlympusSession,
  'ratings.json': S.RatingsSummary,
  'review_by_storefront.json': S.Reviews,
};

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

describe('iTunes Connect recordings', () => {
  it('every recording is covered by a validator (or is the sign-in page)', () => {
    const files = allFiles(fixturesDir()).map((p) => relative(fixturesDir(), p).split('\\').join('/')).filter((f) => f !== 'README.md');
    const covered = new Set([...Object.keys(SCHEMAS), 'invalid_login.html']);
    assert.deepEqual(files.filter((f) => !covered.has(f)), []);
    assert.equal(files.length, covered.size);
  });

  for (const [file, schema] of Object.entries(SCHEMAS)) {
    it(`${file}: validates and carries no error`, () => {
      const body = check(schema, file);
      assert.equal(itcErrorFor(body), undefined, `unexpected error in ${file}: ${JSON.stringify(findItcErrors(body).errors)}`);
    });
  }

  it('app summary → apps (ids, bundle ids, platforms, versions; a bundle without a bundle id)', () => {
    const apps = check(S.AppsSummary, 'app_summary.json').data.summaries.map(appSummaryOf);
    assert.equal(apps.length, 8);
    assert.deepEqual(apps[0], {
      id: '898536088',
      name: 'App Name 1',
      bundleId: 'net.sunapps.107',
      storeId: '898536088',
      platform: 'ios',
      iconUrl: apps[0]!.iconUrl,
      description: '0.9.8 Ready for Sale, 1.0 Prepare for Upload',
      data: apps[0]!.data,
    });
    const bundle = apps.find((a) => a.id === '928444013')!;
    assert.equal(bundle.bundleId, undefined);
    assert.equal(bundle.description, 'Developer Removed from Sale');
  });

  it('app version → metadata document with panel keys (whatsNew, privacyPolicyUrl) and locale codes', () => {
    const v = check(S.AppVersionResponse, 'app_version.json').data;
    const info = versionInfoOf(v);
    assert.deepEqual(
      { id: info.id, versionString: info.versionString, state: info.state, stateLabel: info.stateLabel, live: info.live, buildId: info.buildId, buildLabel: info.buildLabel, editable: info.editable },
      { id: '812106519', versionString: '0.9.13', state: 'readyForSale', stateLabel: 'Ready for Sale', live: true, buildId: '0.9.13/9', buildLabel: '0.9.13 (9)', editable: true },
    );
    const doc = metadataDocumentOf('898536088', v);
    assert.deepEqual(doc.fields.map((f) => f.key), ['name', 'description', 'keywords', 'whatsNew', 'supportUrl', 'marketingUrl', 'privacyPolicyUrl']);
    assert.deepEqual(doc.locales.map((l) => l.locale), ['de-DE', 'en-US']);
    assert.deepEqual(doc.locales[0]!.values, {
      name: "yep, that's the name",
      description: 'My title',
      keywords: 'More random stuff',
      whatsNew: 'Wow, News',
      supportUrl: 'http://url.com',
      marketingUrl: 'https://sunapps.net',
      privacyPolicyUrl: 'http://privacy.sunapps.net',
    });
    assert.equal(doc.revision, metadataDocumentOf('898536088', structuredClone(v)).revision, 'revision is stable');
    assert.equal(FIELD_SPECS.find((f) => f.key === 'keywords')?.maxChars, 100);
  });

  it('create/update/reject answers are versions too', () => {
    for (const f of ['create_version_success.json', 'update_app_version_success.json', 'reject_app_version_success.json']) {
      const info = versionInfoOf(check(S.AppVersionResponse, f).data);
      assert.equal(info.state, 'prepareForUpload', f);
      assert.equal(info.live, false);
    }
  });

  it('build trains → builds per train, processing states, newest first', () => {
    const data = check(S.BuildTrains, 'build_trains.json').data;
    const byTrain = buildsOf(data.trains, data.processingBuilds ?? [], Date.UTC(2015, 9, 1));
    assert.deepEqual([...byTrain.keys()], ['1.1', '1.0']);
    const t11 = byTrain.get('1.1')!;
    assert.deepEqual(t11.map((b) => b.buildNumber), ['15', '14', '13', '12', '11', '10', '9']);
    assert.equal(t11.find((b) => b.buildNumber === '15')!.processingState, 'processing');
    assert.equal(t11.find((b) => b.buildNumber === '13')!.processingState, 'invalidBinary');
    assert.equal(t11.find((b) => b.buildNumber === '15')!.stateLabel, 'Processing');
    assert.equal(t11.find((b) => b.buildNumber === '13')!.stateLabel, 'Invalid Binary');
    assert.equal(t11.find((b) => b.buildNumber === '13')!.tone, 'error');
    const b10 = byTrain.get('1.0')![0]!;
    assert.equal(b10.id, '1.0/10');
    assert.equal(b10.uploadedDate, new Date(1443144470000).toISOString());
    assert.equal(b10.expired, false);
  });

  it('test information of a build (inside the train recording) → BuildTestInfo', () => {
    const raw = fixture('build_trains.json') as { data: { trains: { builds: { buildTestInformationTO: unknown }[] }[] } };
    const info = parse(S.TestInformation, raw.data.trains[0]!.builds[0]!.buildTestInformationTO, ctx);
    assert.deepEqual(testInfoOf(info), {});
    info.details[0]!.whatsNew!.value = 'Try the new login';
    info.details[0]!.feedbackEmail!.value = 'beta@example.com';
    assert.deepEqual(testInfoOf(info), { whatToTest: 'Try the new login', feedbackEmail: 'beta@example.com' });
  });

  it('testers → names, emails, groups', () => {
    const ext = check(S.Testers, 'testers/get_external.json').data;
    const testers = ext.testers.map(testerOf);
    assert.deepEqual(testers[0], {
      id: '1d167b89-13c5-4dd8-b988-7a6a0190faaa',
      email: 'private@krausefx.com',
      firstName: 'Detlef',
      lastName: 'Müller',
      state: 'installed 1 (0.9.14)',
      groups: ['App Testers Group'],
    });
    assert.equal(Object.keys(ext.groups ?? {}).length, 7);
    const created = check(S.Testers, 'testers/create_tester.json').data.testers.map(testerOf);
    assert.equal(created[0]!.id, 'customtesters@krausefx.com', 'no testerId yet: the email identifies the tester');
  });

  it('resolution center: HTML bodies kept as received', () => {
    const rc = check(S.ResolutionCenter, 'app_resolution_center.json').data;
    const m = rc.appNotes!.threads[0]!.messages[0]!;
    assert.match(m.body ?? '', /^<b>2\.16 Details<\/b><BR\/>/);
    assert.equal(m.date, 1435181415000);
  });

  it('build details, user detail, ratings, reviews, olympus session', () => {
    assert.equal(check(S.BuildDetails, 'build_details.json').data.cfBundleVersion, '4');
    assert.equal(check(S.UserDetail, 'user_detail.json').data.userName, 'foo@bar.com');
    assert.equal(check(S.RatingsSummary, 'ratings.json').data.ratingCount, 1457);
    const reviews = check(S.Reviews, 'review_by_storefront.json').data;
    assert.equal(reviews.reviews.length, reviews.reviewCount);
    assert.equal(check(S.OlympusSession, 'olympus_session.json').provider.name, 'TaquitosR Us');
  });

  it('a changed shape is a ProtocolError naming the endpoint and the JSON path', () => {
    const body = fixture('app_summary.json') as { data: { summaries: { adamId: unknown }[] } };
    body.data.summaries[2]!.adamId = { nested: true };
    assert.throws(() => parse(S.AppsSummary, body, ctx), (e: unknown) => e instanceof ProtocolError && /GET \/test/.test(e.message) && /data\.summaries\[2\]\.adamId/.test(e.message));
  });
});

describe('errors inside HTTP 200 (handle_itc_response rules)', () => {
  it('messages.error + statusCode ERROR (the recorded OPERATION_FAILED answer)', () => {
    const e = itcErrorFor({ data: null, messages: { warn: null, error: ['ITC.response.error.OPERATION_FAILED'], info: null }, statusCode: 'ERROR' }, 'GET /trains');
    assert.ok(e instanceof ValidationError);
    assert.deepEqual(e.details, ['ITC.response.error.OPERATION_FAILED']);
    assert.equal(e.endpoint, 'GET /trains');
  });

  it('field errorKeys inside a localization → fieldErrors keyed locale/field (errors recorded on a version)', () => {
    const v = fixture('app_version.json') as { data: { sectionErrorKeys: string[]; details: { value: Record<string, { errorKeys: string[] | null }>[] }; copyright: { errorKeys: string[] | null } } };
    v.data.sectionErrorKeys = ['There are errors on the page and for 2 of your localizations.'];
    v.data.details.value[0]!.name!.errorKeys = ['The App Name you entered has already been used.'];
    v.data.details.value[1]!.description!.errorKeys = ['You must provide a description.'];
    v.data.details.value[1]!.releaseNotes!.errorKeys = ["The What's New in This Version text must be 4000 characters or fewer."];
    v.data.details.value[0]!.privacyURL!.errorKeys = ['The privacy policy URL is not a valid URL.'];
    v.data.copyright.errorKeys = ['You must provide a copyright.'];
    const e = itcErrorFor(v, 'POST /save');
    assert.ok(e instanceof ValidationError);
    assert.deepEqual(e.fieldErrors, {
      copyright: ['You must provide a copyright.'],
      'de-DE/name': ['The App Name you entered has already been used.'],
      'de-DE/privacyPolicyUrl': ['The privacy policy URL is not a valid URL.'],
      'en-US/description': ['You must provide a description.'],
      'en-US/whatsNew': ["The What's New in This Version text must be 4000 characters or fewer."],
    });
    assert.equal(e.details?.at(-1), 'There are errors on the page and for 2 of your localizations.', 'section errors come after the specific ones');
    assert.match(e.message, /^iTunes Connect rejected the request: /);
  });

  it('data.sectionErrorKeys alone (the seed: create app answers 200 either way)', () => {
    const body = fixture('create_application_success.json') as { data: { sectionErrorKeys: string[]; newApp: { primaryLanguage: { errorKeys: string[] } } }; messages: { info: string[] } };
    body.data.sectionErrorKeys = ['You must choose a primary language.'];
    body.data.newApp.primaryLanguage.errorKeys = ['You must choose a primary language.'];
    body.messages.info = ['Validation Error(s).'];
    const f = findItcErrors(body);
    assert.deepEqual(f.errors, ['You must choose a primary language.']);
    assert.deepEqual(f.fieldErrors, { primaryLanguage: ['You must choose a primary language.'] });
    assert.deepEqual(f.info, ['Validation Error(s).']);
  });

  it('validationErrors and serviceErrors, also under data.versionInfo', () => {
    const f = findItcErrors({ data: { validationErrors: ['Bad value.'], versionInfo: { serviceErrors: [{ code: '-1', message: 'Service said no.' }] } }, statusCode: 'SUCCESS' });
    assert.deepEqual(f.errors, ['Bad value.', 'Service said no.']);
  });

  it('"You haven\'t made any changes." alone is success; "try again later" is temporary; "Forbidden" is a permission error', () => {
    assert.equal(itcErrorFor({ data: { sectionErrorKeys: ["You haven't made any changes."] }, messages: { info: ['Successful POST'] }, statusCode: 'SUCCESS' }), undefined);
    assert.ok(itcErrorFor({ data: null, messages: { error: ['Please try again later.'] }, statusCode: 'ERROR' }) instanceof TransientError);
    const forbidden = itcErrorFor({ data: null, messages: { error: [['Forbidden']] }, statusCode: 'ERROR' });
    assert.ok(forbidden instanceof AuthError);
    assert.equal(forbidden.status, 403);
  });

  it('statusCode ERROR without any message is still an error; info and warnings are not', () => {
    assert.ok(itcErrorFor({ data: {}, messages: { error: null }, statusCode: 'ERROR' }) instanceof ValidationError);
    assert.equal(itcErrorFor({ data: { sectionInfoKeys: ['Heads up.'], sectionWarningKeys: ['Careful.'] }, messages: { warn: ['w'], info: ['i'] }, statusCode: 'SUCCESS' }), undefined);
  });
});

describe('sign-in pages', () => {
  it('the recorded wrong-credentials page is recognised (its l10n script mentions an expired session)', () => {
    const html = fixtureText('invalid_login.html');
    assert.deepEqual(classifyLoginResponse(200, { 'content-type': 'text/html' }, html), { kind: 'wrongCredentials' });
    assert.doesNotMatch(pageText(html), /session has expired/);
  });

  it('302 = signed in; 409 hsa2 or a redirect to /auth = two-factor; other answers are described', () => {
    assert.deepEqual(classifyLoginResponse(302, { location: '/WebObjects/iTunesConnect.woa/wa' }, ''), { kind: 'signedIn' });
    assert.equal(classifyLoginResponse(409, { 'content-type': 'application/json' }, '{"authType":"hsa2"}').kind, 'twoFactor');
    assert.equal(classifyLoginResponse(302, { location: '/auth' }, '').kind, 'twoFactor');
    const odd = classifyLoginResponse(418, { 'content-type': 'application/json' }, '{"teapot":true}');
    assert.deepEqual(odd, { kind: 'unexpected', detail: 'HTTP 418, application/json: {"teapot":true}' });
    assert.equal(classifyLoginResponse(200, {}, '<form name="appleConnectForm" method="post"><input name="theAccountPW"></form>').kind, 'staleCookies');
  });

  it('finds the POST form among several forms, as the seed regex would', () => {
    const html = '<form method="get" action="/x/wa/setLocale"></form><form name="appleConnectForm" method="post" action="/itc/WebObjects/iTunesConnect.woa/wo/abc/7.0.1.13.3.13.3.2.1.1.3.1.1">';
    assert.equal(findLoginAction(html, 'http://127.0.0.1:9/itc'), 'http://127.0.0.1:9/itc/WebObjects/iTunesConnect.woa/wo/abc/7.0.1.13.3.13.3.2.1.1.3.1.1');
    assert.equal(findLoginAction('<p>nothing</p>', 'http://127.0.0.1:9/itc'), undefined);
  });

  it('URL map: production hosts from the seed; a base URL stands for both', () => {
    const prod = itcEndpoints({ settings: {} });
    assert.equal(prod.ra, 'https://appstoreconnect.apple.com/WebObjects/iTunesConnect.woa/ra');
    assert.equal(prod.landing, 'https://itunesconnect.apple.com');
    assert.equal(prod.fallbackLoginAction, 'https://itunesconnect.apple.com/WebObjects/iTunesConnect.woa/wo/0.0.1.13.3.13.3.2.1.1.3.1.1');
    assert.deepEqual([...prod.origins].sort(), ['https://appstoreconnect.apple.com', 'https://itunesconnect.apple.com']);
    const sb = itcEndpoints({ baseUrl: 'http://127.0.0.1:4321/itc/', settings: {} });
    assert.equal(sb.ra, 'http://127.0.0.1:4321/itc/WebObjects/iTunesConnect.woa/ra');
    assert.equal(sb.landing, 'http://127.0.0.1:4321/itc');
    assert.deepEqual([...sb.origins], ['http://127.0.0.1:4321']);
  });
});

describe('locales and save bodies', () => {
  it('maps iTunes Connect language names to locale codes and back', () => {
    assert.equal(localeOfLanguage('English_CA'), 'en-CA');
    assert.equal(localeOfLanguage('German', 'de-AT'), 'de-AT');
    assert.equal(languageOfLocale('de-DE'), 'German');
    assert.equal(languageOfLocale('en'), 'English');
    assert.equal(languageOfLocale('Klingon'), 'Klingon');
  });

  it('applyChanges keeps the whole fetched object and sets only the edited values', () => {
    const v = parse(S.AppVersionResponse, fixture('app_version.json'), ctx).data;
    const body = applyChanges(v, { locales: [{ locale: 'de-DE', values: { description: 'Neue Beschreibung' } }] })!;
    const before = structuredClone(v) as unknown as { details: { value: { description: { value: string } }[] } };
    before.details.value[0]!.description.value = 'Neue Beschreibung';
    assert.deepEqual(body, before);
    assert.equal(v.details.value[0]!.description!.value, 'My title', 'the fetched object is not modified');
    assert.equal(applyChanges(v, { locales: [{ locale: 'de-DE', values: { description: 'My title' } }] }), undefined, 'no change, no body');
  });

  it('applyChanges refuses read-only fields with fieldErrors instead of dropping the edit', () => {
    const v = parse(S.AppVersionResponse, fixture('app_version.json'), ctx).data;
    assert.throws(
      () => applyChanges(v, { locales: [{ locale: 'en-US', values: { keywords: 'new, words' } }] }),
      (e: unknown) => e instanceof ValidationError && JSON.stringify(e.fieldErrors) === JSON.stringify({ 'en-US/keywords': ['Keywords cannot be changed while the version is Ready for Sale.'] }),
    );
  });
});
