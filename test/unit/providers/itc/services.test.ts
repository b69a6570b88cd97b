// The iTunes Connect capability services and tree sections against the real sandbox: apps, versions, build
// trains, testers, metadata load/save (full body, conflicts, errors inside a 200 → fieldErrors), new versions and
// apps, test information, submission, developer reject and the resolution center.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Sandbox } from '../../../../sandbox/server';
import { ConfigError, ValidationError } from '../../../../src/core/errors';
import type { ItcConnection } from '../../../../src/providers/itc';
import type { MetadataDocument } from '../../../../src/providers/services';
import { rejects } from '../support';
import { app, connect, useSignedIn, type ItcCreds } from './helpers';

const A = '898536088'; // live 0.9.13 + edit 1.0 (build 1.0 (10))
const B = '1013943394'; // live 1.0 only
const C = '1006641907'; // 0.9.13 waiting for review

const valueOf = (doc: MetadataDocument, locale: string, key: string) => doc.locales.find((l) => l.locale === locale)?.values[key];
const raPaths = (sb: Sandbox, method: string) =>
  sb.requests().filter((r) => r.method === method && r.path.includes('/ra/')).map((r) => r.path.replace('/itc/WebObjects/iTunesConnect.woa/ra/', ''));

describe('iTunes Connect provider: services', () => {
  let sb: Sandbox;
  let creds: ItcCreds;
  let c: ItcConnection;

  useSignedIn((s, cr) => {
    sb = s;
    creds = cr;
  }, (conn) => {
    c = conn;
  });

  it('lists apps from the manage-your-apps summary', async () => {
    const page = await c.listApps({});
    assert.deepEqual(page.items.map((a) => [a.id, a.name, a.bundleId, a.storeId, a.platform]), [
      [A, 'App Name 1', 'net.sunapps.107', A, 'ios'],
      [B, 'app name why not', 'net.sunapps.realtestda', B, 'ios'],
      [C, 'App Name 3', 'net.sunapps.187', C, 'ios'],
    ]);
    assert.equal(page.items[0]!.description, '1.0 Prepare for Upload, 0.9.13 Ready for Sale');
    assert.deepEqual(raPaths(sb, 'GET'), ['apps/manageyourapps/summary']);
  });

  it('sections: Version (in flight and live), Builds (trains → builds), Testers', async () => {
    const summary = (await c.listApps({})).items[0]!;
    const [versions, builds, testers] = c.sections(summary);
    assert.deepEqual([versions!.label, builds!.label, testers!.label], ['Version', 'Builds', 'Testers']);

    const v = await versions!.list(summary, {});
    assert.deepEqual(v.items.map((i) => [i.label, i.description, i.data?.versionId]), [
      ['1.0', 'Prepare for Upload', '813314674'],
      ['0.9.13', 'Ready for Sale · live', '812106519'],
    ]);

    const trains = await builds!.list(summary, {});
    assert.deepEqual(trains.items.map((i) => [i.label, i.description, i.expandable]), [
      ['1.0', '3 builds · 1 not ready', true],
      ['0.9.13', '1 build', true],
    ]);
    const children = await builds!.children!(summary, trains.items[0]!, {});
    assert.deepEqual(children.items.map((i) => [i.label, i.data?.buildId]), [['1.0 (12)', '1.0/12'], ['1.0 (11)', '1.0/11'], ['1.0 (10)', '1.0/10']]);
    assert.match(children.items[0]!.description ?? '', /^processing/);

    const t = await testers!.list(summary, {});
    assert.deepEqual(t.items.map((i) => [i.label, i.description]), [['Detlef Müller', 'private@krausefx.com'], ['Felix Krause', 'ich@felixkrause.at']]);
  });

  it('metadata: load the edit and the live version (?v=live)', async () => {
    const versions = await c.services.metadata.listVersions(app(A));
    assert.deepEqual(versions.map((v) => [v.id, v.versionString, v.state, v.live, v.buildId]), [
      ['813314674', '1.0', 'prepareForUpload', false, '1.0/10'],
      ['812106519', '0.9.13', 'readyForSale', true, '0.9.13/9'],
    ]);
    sb.clearRequests();
    const live = await c.services.metadata.load(app(A), '812106519', { live: true });
    assert.deepEqual(sb.requests().map((r) => r.path.split('/ra/')[1]), ['apps/version/898536088?v=live']);
    assert.equal(live.version.live, true);
    assert.deepEqual(live.locales.map((l) => l.locale), ['en-US', 'de-DE']);
    assert.equal(valueOf(live, 'en-US', 'whatsNew'), 'Also News');
    const edit = await c.services.metadata.load(app(A), '813314674');
    assert.equal(valueOf(edit, 'en-US', 'whatsNew'), 'Bug fixes and performance improvements.');
    assert.equal(valueOf(edit, 'de-DE', 'privacyPolicyUrl'), 'http://privacy.sunapps.net');
  });

  it('metadata save: re-fetches, posts the full version with only the edits, and returns the saved document', async () => {
    const md = c.services.metadata;
    const base = await md.load(app(A), '813314674');
    sb.clearRequests();
    const result = await md.save(app(A), base, { locales: [{ locale: 'en-US', values: { description: 'A better description.', whatsNew: 'New: dark mode.' } }] });
    assert.equal(result.status, 'saved');
    assert.deepEqual(raPaths(sb, 'POST'), [`apps/version/save/${A}`], 'the seed save URL for the edit version');
    assert.equal(raPaths(sb, 'GET').length, 1, 'one re-fetch before the save');
    const doc = result.status === 'saved' ? result.document : base;
    assert.equal(valueOf(doc, 'en-US', 'description'), 'A better description.');
    assert.equal(valueOf(doc, 'en-US', 'whatsNew'), 'New: dark mode.');
    assert.notEqual(doc.revision, base.revision);

    const reloaded = await md.load(app(A), '813314674');
    assert.deepEqual(reloaded.locales, doc.locales);
    for (const key of ['name', 'keywords', 'supportUrl', 'marketingUrl', 'privacyPolicyUrl']) {
      assert.equal(valueOf(reloaded, 'en-US', key), valueOf(base, 'en-US', key), `${key} untouched`);
    }
    assert.deepEqual(reloaded.locales.find((l) => l.locale === 'de-DE'), base.locales.find((l) => l.locale === 'de-DE'));
    const full = await c.api.version(A, false);
    assert.equal(full!.copyright!.value, '2015 SunApps GmbH');
    assert.equal(full!.preReleaseBuild?.buildVersion, '10', 'the attached build survives the full-body save');
  });

  it('metadata save of the live version uses the per-version URL; read-only fields are refused before posting', async () => {
    const md = c.services.metadata;
    const live = await md.load(app(A), '812106519', { live: true });
    sb.clearRequests();
    const r = await md.save(app(A), live, { locales: [{ locale: 'de-DE', values: { description: 'Neue Beschreibung' } }] });
    assert.equal(r.status, 'saved');
    assert.deepEqual(raPaths(sb, 'POST'), [`apps/${A}/platforms/ios/versions/812106519`]);

    sb.clearRequests();
    const e = await rejects(md.save(app(A), r.status === 'saved' ? r.document : live, { locales: [{ locale: 'de-DE', values: { keywords: 'neu' } }] }));
    assert.ok(e instanceof ValidationError);
    assert.deepEqual(e.fieldErrors, { 'de-DE/keywords': ['Keywords cannot be changed while the version is Ready for Sale.'] });
    assert.deepEqual(raPaths(sb, 'POST'), []);
  });

  it('a failing save: errors inside HTTP 200 → ValidationError with Apple\'s words and fieldErrors keyed locale/field', async () => {
    const md = c.services.metadata;
    const base = await md.load(app(A), '813314674');
    const e = await rejects(md.save(app(A), base, {
      locales: [
        { locale: 'en-US', values: { description: '', supportUrl: 'not a url' } },
        { locale: 'de-DE', values: { keywords: 'x'.repeat(101) } },
      ],
    }));
    assert.ok(e instanceof ValidationError);
    assert.equal(e.kind, 'validation');
    assert.deepEqual(e.fieldErrors, {
      'en-US/description': ['You must provide a description.'],
      'en-US/supportUrl': ['The support URL is not a valid URL.'],
      'de-DE/keywords': ['The keywords must be 100 characters or fewer.'],
    });
    assert.ok(e.details?.includes('You must provide a description.'));
    assert.match(e.message, /^iTunes Connect rejected the request: You must provide a description/);
    assert.match(e.endpoint ?? '', /POST .*\/ra\/apps\/version\/save\/898536088$/);
    const after = await md.load(app(A), '813314674');
    assert.deepEqual(after.locales, base.locales, 'nothing was saved');
  });

  it('an app name used by another app: recorded "Successful POST" that did not save is still an error', async () => {
    const md = c.services.metadata;
    const base = await md.load(app(A), '813314674');
    const e = await rejects(md.save(app(A), base, { locales: [{ locale: 'en-US', values: { name: 'App Name 3' } }] }));
    assert.ok(e instanceof ValidationError);
    assert.deepEqual(e.fieldErrors, { 'en-US/name': ['The App Name you entered has already been used.'] });
  });

  it('conflicts: a remote change to a field the user edited returns both sides; other remote changes are kept', async () => {
    const md = c.services.metadata;
    const base = await md.load(app(A), '813314674');
    const other = connect(creds.baseUrl, creds.appleId, creds.password, { id: 'other' }).conn;
    try {
      const theirs = await other.services.metadata.load(app(A), '813314674');
      const r0 = await other.services.metadata.save(app(A), theirs, { locales: [{ locale: 'en-US', values: { keywords: 'remote,words' } }] });
      assert.equal(r0.status, 'saved');
    } finally {
      other.dispose();
    }
    sb.clearRequests();
    const conflict = await md.save(app(A), base, { locales: [{ locale: 'en-US', values: { keywords: 'my,words' } }] });
    assert.equal(conflict.status, 'conflict');
    if (conflict.status !== 'conflict') return;
    assert.deepEqual(conflict.conflicts, [{ locale: 'en-US', key: 'keywords', base: 'Some random titles', remote: 'remote,words', mine: 'my,words' }]);
    assert.equal(valueOf(conflict.remote, 'en-US', 'keywords'), 'remote,words');
    assert.deepEqual(raPaths(sb, 'POST'), [], 'nothing written on conflict');

    const ok = await md.save(app(A), base, { locales: [{ locale: 'en-US', values: { description: 'Mine.' } }] });
    assert.equal(ok.status, 'saved');
    if (ok.status !== 'saved') return;
    assert.equal(valueOf(ok.document, 'en-US', 'keywords'), 'remote,words', 'the remote change is not overwritten');
    assert.equal(valueOf(ok.document, 'en-US', 'description'), 'Mine.');
  });

  it('a new localization can be added through a save', async () => {
    const md = c.services.metadata;
    const base = await md.load(app(A), '813314674');
    const r = await md.save(app(A), base, {
      locales: [{ locale: 'fr-FR', values: { name: 'App Name 1', description: 'Une description.', keywords: 'app,un', whatsNew: 'Corrections.', supportUrl: 'https://sunapps.net/fr' } }],
    });
    assert.equal(r.status, 'saved');
    if (r.status !== 'saved') return;
    assert.deepEqual(r.document.locales.map((l) => l.locale), ['en-US', 'de-DE', 'fr-FR']);
    assert.equal(valueOf(r.document, 'fr-FR', 'description'), 'Une description.');
  });

  it('createVersion: a new version, or Apple\'s error from inside the 200', async () => {
    const md = c.services.metadata;
    const low = await rejects(md.createVersion(app(B), '0.5'));
    assert.ok(low instanceof ValidationError);
    assert.deepEqual(low.fieldErrors, { version: ['The version number must be higher than the previous version number (1.0).'] });
    const v = await md.createVersion(app(B), '1.1');
    assert.deepEqual([v.versionString, v.state, v.live], ['1.1', 'prepareForUpload', false]);
    const again = await rejects(md.createVersion(app(B), '1.2'));
    assert.ok(again instanceof ValidationError);
    assert.match(again.message, /You cannot create a new version of the App in the current state/);
    assert.deepEqual((await md.listVersions(app(B))).map((x) => x.versionString), ['1.1', '1.0']);
  });

  it('attachBuild selects another build of the version', async () => {
    await c.services.metadata.attachBuild(app(A), '813314674', '1.0/11');
    const [edit] = await c.services.metadata.listVersions(app(A));
    assert.equal(edit!.buildId, '1.0/11');
    const e = await rejects(c.services.metadata.attachBuild(app(A), '813314674', '1.0/12'));
    assert.ok(e instanceof ValidationError);
    assert.match(e.message, /The build you selected is not available/);
  });

  it('builds: list, details, test information round trip and its field errors', async () => {
    const builds = c.services.builds;
    const list = await builds.list(app(A));
    assert.deepEqual(list.items.map((b) => b.id), ['1.0/12', '1.0/11', '1.0/10', '0.9.13/9']);
    const b10 = list.items.find((b) => b.id === '1.0/10')!;
    assert.equal(b10.train, '1.0');
    const details = await builds.details(app(A), b10);
    assert.equal(details.bundleId, 'net.sunapps.107');
    assert.equal(details.cfBundleVersion, '10');

    assert.deepEqual(await builds.getTestInfo(app(A), b10), {});
    await builds.setTestInfo(app(A), b10, { whatToTest: 'Please test the login.', feedbackEmail: 'beta@sunapps.net' });
    assert.deepEqual(await builds.getTestInfo(app(A), b10), { whatToTest: 'Please test the login.', feedbackEmail: 'beta@sunapps.net' });

    const e = await rejects(builds.setTestInfo(app(A), b10, { feedbackEmail: 'not-an-email' }));
    assert.ok(e instanceof ValidationError);
    assert.deepEqual(e.fieldErrors, { 'en-US/feedbackEmail': ['Feedback Email is not a valid email address.'] });
  });

  it('testers: add an external tester (errors inside a 200 for a bad email), build testers, groups', async () => {
    const testers = c.services.testers;
    const added = await testers.add(app(A), { email: 'new.tester@example.com', firstName: 'New', lastName: 'Tester' });
    assert.deepEqual([added.email, added.firstName, added.lastName], ['new.tester@example.com', 'New', 'Tester']);
    const all = await testers.testers(app(A));
    assert.ok(all.items.some((t) => t.email === 'new.tester@example.com' && t.firstName === 'New'));
    const bad = await rejects(testers.add(app(A), { email: 'nope' }));
    assert.ok(bad instanceof ValidationError);
    assert.deepEqual(bad.fieldErrors, { emailAddress: ['Enter a valid email address.'] });
    const onBuild = await testers.buildTesters(app(A), '1.0', '10');
    assert.ok(onBuild.length >= 2);
    const groups = await testers.groups(app(A));
    assert.ok(groups.some((g) => g.name === 'App Testers Group' && g.testerCount === 1));
    assert.ok((await rejects(testers.remove())) instanceof ConfigError);
  });

  it('release: readiness, submit (start + complete), developer reject', async () => {
    const release = c.services.release;
    const checks = await release.readiness(app(A), '813314674');
    assert.ok(checks.length > 5);
    assert.deepEqual(checks.filter((x) => !x.ok), []);
    // Its Fix link lands on the field (the metadata panel's version-wide copyright).
    assert.deepEqual(checks.find((x) => x.label === 'Copyright')?.fix, { target: 'metadata', field: 'copyright' });

    sb.clearRequests();
    const sub = await release.submit(app(A), '813314674');
    assert.equal(sub.state, 'waitingForReview');
    assert.deepEqual(sb.requests().filter((r) => r.path.includes('/ra/')).map((r) => `${r.method} ${r.path.split('/ra/')[1]}`), [
      `GET apps/${A}/versions/813314674/submit/summary`,
      `POST apps/${A}/versions/813314674/submit/complete`,
    ]);
    const [v] = await c.services.metadata.listVersions(app(A));
    assert.equal(v!.state, 'waitingForReview');

    const twice = await rejects(release.submit(app(A), '813314674'));
    assert.ok(twice instanceof ValidationError);
    assert.match(twice.message, /cannot be submitted for review in its current state/);

    await release.rejectVersion!(app(A), '813314674');
    const [after] = await c.services.metadata.listVersions(app(A));
    assert.equal(after!.state, 'developerRejected');
  });

  it('readiness and submission report missing metadata', async () => {
    const md = c.services.metadata;
    const base = await md.load(app(A), '813314674');
    // Saving with an empty What's New works (it is only needed to submit an update).
    await md.save(app(A), base, { locales: [{ locale: 'de-DE', values: { whatsNew: '' } }] });
    const failing = (await c.services.release.readiness(app(A), '813314674')).filter((x) => !x.ok);
    assert.deepEqual(failing.map((x) => [x.label, x.fix]), [["What's New in This Version (de-DE)", { target: 'metadata', locale: 'de-DE', field: 'whatsNew' }]]);
    const e = await rejects(c.services.release.submit(app(A), '813314674'));
    assert.ok(e instanceof ValidationError);
    assert.ok(Object.keys(e.fieldErrors ?? {}).includes('de-DE/whatsNew'), JSON.stringify(e.fieldErrors));
  });

  it('resolution center: threads with Apple\'s HTML as received', async () => {
    const rc = await c.services.release.resolutionCenter!(app(C));
    assert.equal(rc.threads.length, 1);
    const [apple, dev] = rc.threads[0]!.messages;
    assert.equal(rc.threads[0]!.version, '0.9.13');
    assert.equal(apple!.from, 'Apple');
    assert.match(apple!.html, /<script>fetch\("https:\/\/evil\.example/, 'not sanitized here: the panel does that');
    assert.match(apple!.date, /^\d{4}-\d\d-\d\dT/);
    assert.equal(dev!.from, 'SunApps GmbH');
  });

  it('createApp: a new app from the prefilled form; Apple\'s field errors otherwise', async () => {
    const created = await c.createApp({ name: 'AppDesk Demo', bundleId: 'com.krausefx.app_name', sku: 'APPDESK1', version: '1.0', language: 'en-US' });
    assert.equal(created.name, 'AppDesk Demo');
    assert.match(created.id, /^\d+$/);
    const apps = await c.listApps({});
    assert.ok(apps.items.some((a) => a.id === created.id && a.bundleId === 'com.krausefx.app_name'));

    const dup = await rejects(c.createApp({ name: 'Another', bundleId: 'net.sunapps.947474', sku: 'APPDESK1', version: '1.0' }));
    assert.ok(dup instanceof ValidationError);
    assert.deepEqual(dup.fieldErrors, { vendorId: ['The SKU you entered has already been used.'] });
    const lang = await rejects(c.createApp({ name: 'Another', bundleId: 'net.sunapps.947474', sku: 'X2', version: '1.0', language: 'Klingon' }));
    assert.ok(lang instanceof ValidationError);
    assert.ok(lang.fieldErrors?.primaryLanguage);
  });
});
