import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MemoryLogger, RedactingLogger } from '../../../../src/core/logger';
import { parse } from '../../../../src/core/validate';
import {
  App,
  AppStoreVersionReleaseRequest,
  BetaGroup,
  Build,
  PreReleaseVersion,
  ReviewSubmission,
  ReviewSubmissionItem,
  collection,
  relId,
  relTotal,
  single,
} from '../../../../src/providers/asc/schemas';
import { toBuildInfo } from '../../../../src/providers/asc/builds';
import { toGroup } from '../../../../src/providers/asc/testers';
import { cli as runCli } from '../support';
import { LUMEN, app, connect, fixture, fixturesDir, useHarness, type Harness } from './helpers';

const SCHEMAS: Record<string, Parameters<typeof parse>[0]> = {
  'testflight/app.json': single(App),
  'testflight/apps.json': collection(App),
  'testflight/beta_group.json': single(BetaGroup),
  'testflight/beta_groups.json': collection(BetaGroup),
  'testflight/build.json': single(Build),
  'testflight/builds.json': collection(Build),
  'testflight/pre_release_versions.json': collection(PreReleaseVersion),
  'tunes/app_store_version_release_request.json': single(AppStoreVersionReleaseRequest),
  'tunes/review_submission_created.json': single(ReviewSubmission),
  'tunes/review_submission_item_created.json': single(ReviewSubmissionItem),
  'tunes/review_submission_submitted.json': single(ReviewSubmission),
};

describe('asc recorded fixtures', () => {
  it('every recorded TestFlight and submission response passes the validators (nulls included)', () => {
    const files = ['testflight', 'tunes'].flatMap((d) => readdirSync(join(fixturesDir(), d)).filter((f) => f.endsWith('.json')).map((f) => `${d}/${f}`));
    assert.ok(files.length >= 11);
    for (const f of files) {
      const schema = SCHEMAS[f];
      assert.ok(schema, `a validator for ${f}`);
      parse(schema, JSON.parse(fixture(f)), { provider: 'App Store Connect', endpoint: f });
    }
  });

  it('reads the recorded values through the provider mappings', () => {
    const builds = parse(collection(Build), JSON.parse(fixture('testflight/builds.json')), { provider: 'x' });
    const b = toBuildInfo(builds.data[0]!);
    assert.equal(b.buildNumber, '225');
    assert.equal(b.processingState, 'VALID');
    assert.equal(b.usesNonExemptEncryption, false);
    const apps = parse(collection(App), JSON.parse(fixture('testflight/apps.json')), { provider: 'x' });
    assert.equal(relTotal(apps.data[0], 'appStoreVersions'), 1);
    assert.equal(apps.links?.next, null);
    const groups = parse(collection(BetaGroup), JSON.parse(fixture('testflight/beta_groups.json')), { provider: 'x' });
    assert.equal(toGroup(groups.data[0]!).name, 'App Store Connect Users');
    const sub = parse(single(ReviewSubmission), JSON.parse(fixture('tunes/review_submission_created.json')), { provider: 'x' });
    assert.equal(sub.data.attributes?.submittedDate, null);
    const rr = parse(single(AppStoreVersionReleaseRequest), JSON.parse(fixture('tunes/app_store_version_release_request.json')), { provider: 'x' });
    assert.ok(rr.data.id);
    assert.equal(relId(rr.data, 'appStoreVersion'), undefined);
  });
});

describe('asc CLI and secrets', () => {
  let h: Harness;
  let dir: string;
  useHarness((started) => (h = started), { reset: false });
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'appdesk-asc-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** The CLI with only `env`'s ASC_ variables (none from the machine) and its state under `dir`. */
  function cli(argv: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
    const machine = Object.keys(process.env).filter((k) => k.startsWith('ASC_')).map((k) => [k, undefined]);
    return runCli(argv, { ...Object.fromEntries(machine), ...env, XDG_STATE_HOME: dir });
  }

  function teamEnv(): Record<string, string> {
    const keyPath = join(dir, 'AuthKey_DEMOKEY123.p8');
    writeFileSync(keyPath, h.creds.privateKey);
    return { ASC_KEY_ID: h.creds.keyId, ASC_ISSUER_ID: h.creds.issuerId, ASC_PRIVATE_KEY_PATH: keyPath, ASC_VENDOR_NUMBER: h.creds.vendorNumber };
  }

  it('lists apps as JSON with credentials from the environment and exits 0', async () => {
    const r = await cli(['--provider', 'asc', '--base-url', h.creds.baseUrl, '--json', 'apps'], teamEnv());
    assert.equal(r.code, 0, r.err);
    const apps = JSON.parse(r.out) as { id: string; name: string }[];
    assert.deepEqual(apps.map((a) => a.name).sort(), ['Lumen Notes', 'Pocket Ledger', 'Tidepool Weather', 'Trailhead']);
    assert.equal(r.err, '');
  });

  it('runs the App Store Connect commands', async () => {
    const env = teamEnv();
    const base = ['--provider', 'asc', '--base-url', h.creds.baseUrl];
    const versions = await cli([...base, 'versions', LUMEN], env);
    assert.equal(versions.code, 0, versions.err);
    assert.match(versions.out, /3\.3\.0\tIOS\tPrepare for Submission/);

    const metadata = await cli([...base, '--json', 'metadata', LUMEN, '--locale', 'de-DE'], env);
    assert.equal(metadata.code, 0, metadata.err);
    assert.equal((JSON.parse(metadata.out) as { locales: { locale: string }[] }).locales[0]!.locale, 'de-DE');
    const metadataText = await cli([...base, 'metadata', LUMEN, '--locale', 'de-DE'], env);
    assert.match(metadataText.out, /^Copyright: \d{4} Lumen Labs$/m, 'the version-wide copyright, in the text output too');

    const builds = await cli([...base, 'builds', LUMEN], env);
    assert.match(builds.out, /3\.3\.0 \(412\)\tValid/);

    const { conn: direct } = connect(h);
    const publicBeta = (await direct.services.testers.groups(app(LUMEN))).find((g) => g.name === 'Public Beta')!.id;
    const newest = (await direct.services.metadata.listVersions(app(LUMEN)))[0]!.id;
    direct.dispose();
    const add = await cli([...base, '--json', 'add-tester', LUMEN, 'cli.tester@example.com', '--group', publicBeta, '--first-name', 'Cli'], env);
    assert.equal(add.code, 0, add.err);
    assert.equal((JSON.parse(add.out) as { email: string }).email, 'cli.tester@example.com');
    const testers = await cli([...base, 'testers', LUMEN], env);
    assert.match(testers.out, /cli\.tester@example\.com/);
    const remove = await cli([...base, 'remove-tester', LUMEN, 'cli.tester@example.com'], env);
    assert.equal(remove.code, 0, remove.err);
    assert.doesNotMatch((await cli([...base, 'testers', LUMEN], env)).out, /cli\.tester@example\.com/);

    const reviews = await cli([...base, '--json', 'reviews', LUMEN, '--rating', '4'], env);
    const list = JSON.parse(reviews.out) as { id: string; response?: unknown }[];
    assert.ok(list.length >= 2);
    const reply = await cli([...base, 'reply', list.find((r) => !r.response)!.id, 'Thanks', 'for', 'the', 'review!'], env);
    assert.equal(reply.code, 0, reply.err);
    assert.match(reply.out, /^Response .* sent/);

    const notReady = await cli([...base, 'submit', LUMEN, newest], env);
    assert.equal(notReady.code, 1);
    assert.match(notReady.err, /not ready for review: No build is attached/);

    const sales = await cli([...base, 'sales-report', '--frequency', 'MONTHLY', '--date', '2025-02'], env);
    assert.equal(sales.code, 0, sales.err);
    assert.match(sales.out, /^Provider\tProvider Country\tSKU/);
    assert.match(sales.out, /rows; totals — Units: \d+/);

    const usage = await cli([...base, 'versions'], env);
    assert.equal(usage.code, 2);
    assert.match(usage.err, /missing the app ID/);
    const badFlag = await cli([...base, 'reviews', LUMEN, '--rating', '9'], env);
    assert.equal(badFlag.code, 2);
  });

  it('says which variables to set when the credentials are missing', async () => {
    const r = await cli(['--provider', 'asc', 'apps'], {});
    assert.equal(r.code, 1);
    assert.match(r.err, /ASC_KEY_ID, ASC_ISSUER_ID, ASC_PRIVATE_KEY_PATH/);
  });

  it('never logs the private key or a token during a full session', async () => {
    const logger = new MemoryLogger();
    const { conn } = connect(h, { logger });
    // What the host does with errors it shows: log them through the redacting logger.
    const host = new RedactingLogger(logger);
    const a = app(LUMEN, 'Lumen Notes');
    const s = conn.services;
    await conn.verify();
    const apps = await conn.listApps({});
    for (const section of conn.sections(a)) {
      const p = await section.list(a, {});
      if (section.children && p.items[0]) await section.children(a, p.items[0], {});
    }
    const v = (await s.metadata.listVersions(a))[0]!;
    const doc = await s.metadata.load(a, v.id);
    await s.metadata.save(a, doc, { locales: [{ locale: 'en-US', values: { promotionalText: 'Logged?' } }] });
    await s.metadata.save(a, doc, { locales: [{ locale: 'en-US', values: { keywords: 'x'.repeat(101) } }] }).catch(() => undefined);
    await s.release.readiness(a, v.id);
    await s.release.submit(a, v.id).catch((e: unknown) => host.error('submit failed', e));
    await s.reviews.list(a, {});
    await s.reports.salesReport({ vendorNumber: h.creds.vendorNumber, date: '2025-02', frequency: 'MONTHLY' });
    // A 401 and a failing request with its error logged.
    h.sandbox.addFault({ prefix: '/asc', kind: 'status', status: 401, headers: { 'content-type': 'application/json' }, body: { errors: [{ status: '401', code: 'NOT_AUTHORIZED', title: 'no' }] } });
    await conn.listApps({});
    const token = await conn.tokens.get();
    // Anything that ever prints the token or the key text is redacted: both are registered secrets.
    host.debug(`token in a message: ${token}`, { header: `Bearer ${token}`, pem: h.creds.privateKey, raw: token });
    assert.ok(apps.items.length > 0);
    conn.dispose();

    const text = logger.text();
    assert.ok(logger.entries.length > 20, `only ${logger.entries.length} log entries`);
    assert.ok(text.includes('HTTP GET'), 'requests are logged');
    const keyBody = h.creds.privateKey.replace(/-----[A-Z ]+-----|\s/g, '');
    for (const secret of [token, token.split('.')[2]!, keyBody, keyBody.slice(0, 40), 'BEGIN PRIVATE KEY']) {
      assert.ok(!text.includes(secret), `secret leaked: ${secret.slice(0, 20)}…`);
    }
    assert.doesNotMatch(text, /eyJ[\w-]{10,}\.[\w-]{10,}\./);
  });
});
