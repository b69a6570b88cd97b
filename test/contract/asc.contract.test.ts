// Contract test: every request the App Store Connect provider sends, made by its real code, is validated by Prism
// against Apple's OpenAPI specification (test/contract/README.md). Prism's answers are schema-generated, so the
// assertions are about the REQUESTS: none may be rejected, and every operation the provider's source uses must
// have been sent at least once. Run with `node test/contract/run.mjs` (it prepares the spec and bundles this file).
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { MemoryLogger } from '../../src/core/logger';
import { AscConnection, ascProvider } from '../../src/providers/asc';
import type { Review, Tester } from '../../src/providers/services';
import { secretKey, type AccountConfig, type AppSummary, type Connection, type SecretStore, type StateStore } from '../../src/providers/types';
import { RecordingProxy, appleError, formatProblems, startPrism, type Exchange, type Override, type Reply } from './prism';
import { PRISM_SPEC, SUBSET_SPEC, findOperation, providerOperations, readJson, type OpenApi } from './spec-tools.mjs';

/** The spec Prism serves (bracketed required parameters relaxed) and the unrelaxed one our own checks use. */
const prismSpecFile = process.env.ASC_CONTRACT_PRISM_SPEC ?? PRISM_SPEC;
const sourceSpecFile = process.env.ASC_CONTRACT_SOURCE_SPEC ?? SUBSET_SPEC;

const APP: AppSummary = { id: '1581234567', name: 'Lumen', bundleId: 'com.example.lumen', storeId: '1581234567', data: { primaryLocale: 'en-US' } };
const VERSION_ID = 'c1a2b3c4-0000-4000-8000-000000000001';
const BUILD_ID = 'b1a2b3c4-0000-4000-8000-000000000002';
const GROUP_ID = 'g1a2b3c4-0000-4000-8000-000000000003';
const REVIEW_ID = 'r1a2b3c4-0000-4000-8000-000000000004';

let prism: Awaited<ReturnType<typeof startPrism>>;
let proxy: RecordingProxy;
let conn: AscConnection;
let logger: MemoryLogger;

function memorySecrets(initial: Record<string, string>): SecretStore {
  const map = new Map(Object.entries(initial));
  return { get: async (k) => map.get(k), store: async (k, v) => void map.set(k, v), delete: async (k) => void map.delete(k) };
}

function memoryState(): StateStore {
  const map = new Map<string, unknown>();
  return { get: async <T>(k: string) => map.get(k) as T | undefined, set: async <T>(k: string, v: T) => void map.set(k, v) };
}

/** A connection on a freshly generated P-256 key: the JWT is really signed; Prism checks only that a bearer is sent. */
function connectTo(baseUrl: string): AscConnection {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = String(privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const account: AccountConfig = {
    id: 'contract',
    providerId: 'asc',
    label: 'Contract (Prism)',
    baseUrl,
    settings: { keyId: 'CONTRACT01', issuerId: '57246542-96fe-1a63-e053-0824d011072a', vendorNumber: '85012345' },
  };
  logger = new MemoryLogger();
  return ascProvider.connect(account, { logger, secrets: memorySecrets({ [secretKey(account.id, 'privateKey')]: pem }), state: memoryState(), timeoutMs: 30_000 }) as AscConnection;
}

/**
 * Runs a flow of the provider; fails with Prism's (or our) violation text if any request it sent was rejected,
 * else with the flow's own error. Returns the exchanges it caused.
 */
async function exercise(fn: () => Promise<unknown>): Promise<Exchange[]> {
  const from = proxy.exchanges.length;
  let error: unknown;
  try {
    await fn();
  } catch (e) {
    error = e;
  }
  const xs = proxy.exchanges.slice(from);
  const bad = formatProblems(xs);
  if (bad) assert.fail(`Prism rejected requests of the App Store Connect provider:\n${bad}`);
  if (error) throw error;
  assert.ok(xs.length > 0, 'the flow sent no request');
  return xs;
}

// ---------- steering Prism's generated answers ----------

type Doc = { data?: unknown; included?: unknown[]; [k: string]: unknown };
type Res = { type?: string; id?: string; attributes?: Record<string, unknown>; relationships?: Record<string, { data?: unknown; meta?: { paging?: { total?: number } } } | undefined> };

function asJson(reply: Reply): Doc | undefined {
  if (!/json/.test(reply.headers['content-type'] ?? '') || !reply.body.length) return undefined;
  return JSON.parse(reply.body.toString('utf8')) as Doc;
}

const resources = (doc: Doc): Res[] => [...(Array.isArray(doc.data) ? doc.data : doc.data ? [doc.data] : []), ...(doc.included ?? [])] as Res[];

/** Edits the JSON answer of the exchanges `when` selects. */
function edit(when: (x: Exchange) => boolean, change: (doc: Doc, x: Exchange) => Doc | void): Override {
  return (x, reply) => {
    if (!when(x) || reply.status >= 300) return undefined;
    const doc = asJson(reply);
    if (!doc) return undefined;
    const out = change(doc, x) ?? doc;
    return { ...reply, body: Buffer.from(JSON.stringify(out)) };
  };
}

/** Replaces the answer of the exchanges `when` selects (the request was still validated by Prism). */
function answer(when: (x: Exchange) => boolean, reply: Reply): Override {
  return (x) => (when(x) ? reply : undefined);
}

const is = (method: string, path: RegExp) => (x: Exchange) => x.method === method && path.test(x.path);

/** Localizations named `en-US` (Prism says "string"), so a save PATCHes en-US and POSTs new locales. */
const locales = edit(
  (x) => x.method === 'GET',
  (doc) => {
    for (const r of resources(doc)) if (r.type === 'appStoreVersionLocalizations' || r.type === 'appInfoLocalizations') r.attributes = { ...r.attributes, locale: 'en-US' };
  },
);

/** Relationship totals above what was included, so the provider reads the localization collections too. */
const moreLocalizations = edit(
  (x) => x.method === 'GET' && (/^\/v1\/appStoreVersions\/[^/]+$/.test(x.path) || /^\/v1\/apps\/[^/]+\/appInfos$/.test(x.path)),
  (doc) => {
    for (const r of resources(doc)) {
      for (const rel of ['appStoreVersionLocalizations', 'appInfoLocalizations']) {
        const link = r.relationships?.[rel];
        if (link) link.meta = { paging: { total: 99 } };
      }
    }
  },
);

const emptyList = (when: (x: Exchange) => boolean) => edit(when, (doc) => ({ ...doc, data: [], included: [] }));

async function steer<T>(overrides: Override[], fn: () => Promise<T>): Promise<T> {
  const [first, ...rest] = overrides;
  if (!first) return fn();
  return proxy.with(first, () => steer(rest, fn));
}

// ---------- the suite ----------

describe('App Store Connect provider against Apple\'s OpenAPI (Prism)', { timeout: 300_000 }, () => {
  before(async () => {
    const spec = readJson<OpenApi>(sourceSpecFile);
    prism = await startPrism(prismSpecFile);
    proxy = new RecordingProxy(prism.origin, spec);
    await proxy.start();
    conn = connectTo(proxy.origin);
  });

  after(async () => {
    // ASC_CONTRACT_LOG=<file>: every exchange as JSON lines, for reading what the provider sent.
    if (process.env.ASC_CONTRACT_LOG && proxy) {
      const lines = proxy.exchanges.map((x) =>
        JSON.stringify({ method: x.method, url: decodeURIComponent(x.url), operation: x.operation, status: x.status, accept: x.requestHeaders.accept, body: x.requestBody || undefined, problems: x.problems, prismNoise: x.prismNoise.length || undefined }),
      );
      writeFileSync(process.env.ASC_CONTRACT_LOG, `${lines.join('\n')}\n`);
    }
    conn?.dispose();
    await proxy?.stop();
    await prism?.stop();
  });

  test('the spec covers every operation in the provider\'s source', () => {
    const spec = readJson<OpenApi>(sourceSpecFile);
    const missing = providerOperations().filter((o) => !findOperation(spec, o.method, o.path.replace(/\{\}/g, 'x'))?.operation);
    assert.deepEqual(
      missing.map((o) => `${o.key} (${o.sources.join(', ')})`),
      [],
      `not in ${sourceSpecFile}: if Apple's full spec has them, regenerate the subset (node test/contract/build-subset.mjs <full spec>); if not, the provider calls an endpoint that does not exist`,
    );
  });

  test('the harness rejects what Apple would reject (negative controls)', async () => {
    // A separate proxy, so these deliberate violations stay out of the provider's record.
    const control = new RecordingProxy(prism.origin, readJson<OpenApi>(sourceSpecFile));
    await control.start();
    const auth = { authorization: 'Bearer x.y.z' };
    const json = { ...auth, 'content-type': 'application/json' };
    const cases: { what: string; path: string; init?: RequestInit; expect: RegExp }[] = [
      { what: 'no bearer token', path: '/v1/apps', init: {}, expect: /401|security/i },
      { what: 'limit above the maximum', path: '/v1/apps?limit=500', expect: /limit/ },
      { what: 'an undeclared query parameter', path: '/v1/apps?bogus=1', expect: /bogus: not a parameter/ },
      { what: 'a bracketed value outside its enum', path: '/v1/builds?filter[processingState]=BOGUS', expect: /filter\[processingState\]: "BOGUS"/ },
      { what: 'a bracketed limit above its maximum', path: '/v1/betaGroups?limit[betaTesters]=500', expect: /limit\[betaTesters\]: 500 > maximum 50/ },
      { what: 'a required bracketed parameter left out', path: '/v1/reviewSubmissions?limit=5', expect: /filter\[app\]: required/ },
      { what: 'an unknown path', path: '/v1/nothingHere', expect: /not an operation|NO_PATH_MATCHED/ },
      { what: 'a method the operation does not have', path: '/v1/apps', init: { method: 'DELETE', headers: auth }, expect: /has no DELETE|NO_METHOD_MATCHED/ },
      { what: 'an Accept the operation cannot answer', path: '/v1/apps/1/perfPowerMetrics', init: { headers: { ...auth, accept: 'application/json' } }, expect: /NOT_ACCEPTABLE/ },
      {
        what: 'a body of the wrong resource type',
        path: '/v1/appStoreVersionLocalizations/x',
        init: { method: 'PATCH', headers: json, body: JSON.stringify({ data: { type: 'apps', id: 'x', attributes: { whatsNew: 5 } } }) },
        expect: /request\.body/,
      },
      {
        what: 'a create without its required relationship',
        path: '/v1/customerReviewResponses',
        init: { method: 'POST', headers: json, body: JSON.stringify({ data: { type: 'customerReviewResponses', attributes: { responseBody: 'x' } } }) },
        expect: /relationships/,
      },
    ];
    try {
      for (const c of cases) {
        const res = await fetch(`${control.origin}${c.path}`, c.init ?? { headers: auth });
        await res.arrayBuffer();
        const x = control.exchanges[control.exchanges.length - 1]!;
        assert.ok(x.problems.length > 0, `${c.what}: accepted, but should have been rejected (${c.path})`);
        assert.match(x.problems.join('; '), c.expect, `${c.what}: ${x.problems.join('; ')}`);
        assert.equal(res.status, 400, `${c.what}: the provider sees a 400`);
      }
      // And a valid request passes.
      await (await fetch(`${control.origin}/v1/apps?limit=1&fields[apps]=name`, { headers: auth })).arrayBuffer();
      assert.deepEqual(control.exchanges[control.exchanges.length - 1]!.problems, []);
    } finally {
      await control.stop();
    }
  });

  test('account: verify, list apps, one app', async () => {
    await exercise(async () => {
      await conn.verify();
      const page = await conn.listApps({});
      assert.ok(Array.isArray(page.items));
      await conn.getApp(APP.id);
      assert.ok(conn.tokens, 'a JWT was signed');
    });
    // Every request carried a real ES256 JWT.
    const auth = proxy.exchanges.map((x) => String(x.requestHeaders.authorization ?? ''));
    assert.ok(auth.every((a) => /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/.test(a)), 'every request has a bearer JWT');
  });

  test('tree sections: versions, builds, TestFlight groups and testers, reviews, feedback', async () => {
    await exercise(async () => {
      for (const section of conn.sections(APP)) {
        const page = await section.list(APP, {});
        const parent = page.items[0];
        if (section.children && parent) await section.children(APP, { ...parent, id: GROUP_ID }, {});
      }
    });
  });

  test('metadata: versions, load (with the localization collections), readiness', async () => {
    await exercise(async () => {
      const versions = await conn.services.metadata.listVersions(APP);
      assert.ok(versions.length > 0);
      await steer([locales, moreLocalizations], async () => {
        const doc = await conn.services.metadata.load(APP, VERSION_ID);
        assert.deepEqual(doc.locales.map((l) => l.locale), ['en-US']);
        await conn.services.metadata.load(APP, VERSION_ID, { live: true });
        await conn.services.release.readiness(APP, VERSION_ID);
      });
    });
    const seen = new Set(proxy.exchanges.map((x) => x.operation));
    assert.ok(seen.has('GET /v1/appStoreVersions/{}/appStoreVersionLocalizations') && seen.has('GET /v1/appInfos/{}/appInfoLocalizations'), 'localization collections were read');
  });

  test('metadata: save edits (PATCH en-US) and new locales (POST de-DE), version- and app-level, the version\'s copyright', async () => {
    const xs = await exercise(() =>
      steer([locales, moreLocalizations], async () => {
        const base = await conn.services.metadata.load(APP, VERSION_ID);
        const result = await conn.services.metadata.save(APP, base, {
          locales: [
            { locale: 'en-US', values: { whatsNew: 'Bug fixes and a faster start.', promotionalText: 'Now with widgets', marketingUrl: '', name: 'Lumen Camera', subtitle: 'Light, measured' } },
            {
              locale: 'de-DE',
              values: {
                name: 'Lumen Kamera',
                subtitle: 'Licht, gemessen',
                privacyPolicyUrl: 'https://example.com/de/privacy',
                description: 'Eine Kamera-App.',
                keywords: 'kamera,licht,foto',
                supportUrl: 'https://example.com/de/support',
                marketingUrl: 'https://example.com/de',
                whatsNew: 'Fehlerbehebungen.',
                promotionalText: 'Jetzt mit Widgets',
              },
            },
          ],
          version: { copyright: '2026 Lumen Labs' },
        });
        assert.equal(result.status, 'saved');
      }),
    );
    const writes = xs.filter((x) => x.method !== 'GET').map((x) => x.operation);
    assert.deepEqual(writes.sort(), [
      'PATCH /v1/appInfoLocalizations/{}',
      'PATCH /v1/appStoreVersionLocalizations/{}',
      'PATCH /v1/appStoreVersions/{}',
      'POST /v1/appInfoLocalizations',
      'POST /v1/appStoreVersionLocalizations',
    ]);
  });

  test('versions: create a version, attach a build', async () => {
    await exercise(async () => {
      await conn.services.metadata.createVersion(APP, '2.1.0', 'IOS');
      await conn.services.metadata.createVersion(APP, '2.1.0', 'MAC_OS');
      await conn.services.metadata.attachBuild(APP, VERSION_ID, BUILD_ID);
    });
  });

  test('builds: list, one build, expire, export compliance', async () => {
    await exercise(async () => {
      await conn.services.builds.list(APP);
      await conn.services.builds.list(APP, { limit: 200 });
      await conn.services.builds.get(BUILD_ID);
      await conn.services.builds.expire(APP, BUILD_ID);
      await conn.services.builds.setExportCompliance(APP, BUILD_ID, false);
      await conn.services.builds.setExportCompliance(APP, BUILD_ID, true);
    });
  });

  test('TestFlight: groups, testers, find, add (existing and new), remove from a group and from the app', async () => {
    const t = conn.services.testers;
    await exercise(async () => {
      await t.groups(APP);
      await t.testers(APP);
      await t.testers(APP, { groupId: GROUP_ID });
      const found = await t.findByEmail('ada@example.com');
      assert.ok(found);
      // Existing tester (Prism's generated one) not in the group: linked.
      await t.add(APP, { email: 'ada@example.com', groupId: GROUP_ID });
      // Unknown email: created inside the group.
      await steer([emptyList(is('GET', /^\/v1\/betaTesters$/))], () => t.add(APP, { email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper', groupId: GROUP_ID }));
      // Without a group: the app's only external group.
      await steer(
        [edit(is('GET', /^\/v1\/betaGroups$/), (doc) => {
          for (const r of resources(doc)) if (r.type === 'betaGroups') r.attributes = { ...r.attributes, isInternalGroup: false };
        })],
        () => t.add(APP, { email: 'ada@example.com' }),
      );
      const tester: Tester = { id: 'tester-1', email: 'ada@example.com', firstName: null, lastName: null };
      await t.remove(APP, tester, GROUP_ID);
      await t.remove(APP, tester);
    });
    const ops = new Set(proxy.exchanges.map((x) => x.operation));
    for (const op of ['POST /v1/betaTesters', 'POST /v1/betaGroups/{}/relationships/betaTesters', 'DELETE /v1/betaGroups/{}/relationships/betaTesters', 'DELETE /v1/apps/{}/relationships/betaTesters']) {
      assert.ok(ops.has(op), `${op} was sent`);
    }
  });

  test('reviews: list with every filter and sort, one review, reply, replace a reply, delete a reply', async () => {
    const r = conn.services.reviews;
    await exercise(async () => {
      for (const sort of ['newest', 'oldest', 'highest', 'lowest'] as const) await r.list(APP, { sort });
      await r.list(APP, { rating: 1, territory: 'USA', answered: false, sort: 'lowest' }, { limit: 200 });
      await r.list(APP, { rating: 5, territory: 'deu', answered: true });
      const review = await r.get(REVIEW_ID);
      const bare: Review = { ...review, id: REVIEW_ID };
      delete bare.response;
      await r.reply(APP, bare, 'Thanks for the feedback! Fixed in 2.1.');
      // Replacing: the old response is deleted first.
      await r.reply(APP, { ...bare, response: { id: 'resp-1', body: 'old' } }, 'Updated answer.');
      // A response the list did not show: Apple refuses the POST, the provider reads and replaces it.
      await steer([answer(is('POST', /^\/v1\/customerReviewResponses$/), appleError(409, 'ENTITY_ERROR', 'A response already exists'))], async () => {
        await assert.rejects(r.reply(APP, bare, 'Once more.'));
      });
      await r.deleteResponse(APP, { ...bare, response: { id: 'resp-1', body: 'old' } });
      await r.deleteResponse(APP, bare);
      // No response at all (404 on …/response): nothing to delete.
      await steer([answer(is('GET', /\/response$/), appleError(404, 'NOT_FOUND', 'no response'))], () => r.deleteResponse(APP, bare));
    });
  });

  test('feedback: screenshot and crash submissions, a crash log', async () => {
    await exercise(async () => {
      const page = await conn.services.feedback.list(APP);
      const crash = page.items.find((f) => f.type === 'crash');
      assert.ok(crash, 'a crash submission');
      await conn.services.feedback.crashLog(APP, crash);
      await conn.services.feedback.list(APP, { limit: 100 });
    });
  });

  test('release: submit (new and existing draft), current submission, cancel', async () => {
    const rel = conn.services.release;
    const noVersionLink = edit(is('GET', /^\/v1\/reviewSubmissions$/), (doc) => {
      for (const r of resources(doc)) if (r.type === 'reviewSubmissions' && r.relationships) delete r.relationships.appStoreVersionForReview;
    });
    await exercise(async () => {
      // No draft: create one, add the version, submit.
      await steer([emptyList(is('GET', /^\/v1\/reviewSubmissions$/))], () => rel.submit(APP, VERSION_ID));
      // Prism's draft: reuse it, add the version, submit.
      await rel.submit(APP, VERSION_ID);
      // The version is already an item (Apple refuses the second item): the provider checks the items and carries on.
      const itemIsVersion = edit(is('GET', /^\/v1\/reviewSubmissions\/[^/]+\/items$/), (doc) => {
        for (const r of resources(doc)) if (r.type === 'reviewSubmissionItems') r.relationships = { ...r.relationships, appStoreVersion: { data: { type: 'appStoreVersions', id: VERSION_ID } } };
      });
      await steer([answer(is('POST', /^\/v1\/reviewSubmissionItems$/), appleError(409, 'ENTITY_ERROR.RELATIONSHIP.INVALID', 'already added')), itemIsVersion], () => rel.submit(APP, VERSION_ID));
      const current = await steer([noVersionLink], () => rel.currentSubmission!(APP));
      assert.ok(current);
      await rel.cancelSubmission!(APP, current);
    });
    const ops = new Set(proxy.exchanges.map((x) => x.operation));
    for (const op of ['POST /v1/reviewSubmissions', 'POST /v1/reviewSubmissionItems', 'PATCH /v1/reviewSubmissions/{}', 'GET /v1/reviewSubmissions/{}/items']) assert.ok(ops.has(op), `${op} was sent`);
  });

  test('release: phased release (read, start, pause, resume, complete), manual release', async () => {
    const rel = conn.services.release;
    await exercise(async () => {
      const phased = await rel.phasedRelease!(APP, VERSION_ID);
      assert.ok(phased);
      for (const state of ['PAUSED', 'ACTIVE', 'COMPLETE'] as const) await rel.setPhasedRelease!(APP, phased, state);
      await rel.enablePhasedRelease!(APP, VERSION_ID);
      await rel.releaseVersion!(APP, VERSION_ID);
    });
  });

  test('reports: sales report for each frequency (gzip), power and performance metrics', async () => {
    const reports = conn.services.reports;
    const tsv = 'Provider\tProvider Country\tSKU\tDeveloper\tTitle\tVersion\tProduct Type Identifier\tUnits\tDeveloper Proceeds\nAPPLE\tUS\tLUMEN1\tExample\tLumen\t2.0\t1F\t12\t8.40\n';
    await exercise(async () => {
      for (const [frequency, date] of [['DAILY', '2026-11-20'], ['WEEKLY', '2026-11-16'], ['MONTHLY', '2026-10'], ['YEARLY', '2025']] as const) {
        await reports.salesReport({ vendorNumber: '85012345', frequency, date });
      }
      // Prism cannot produce gzip for application/a-gzip ("string"); serve a real report once to run the whole path.
      const gz: Reply = { status: 200, headers: { 'content-type': 'application/a-gzip' }, body: gzipSync(tsv) };
      const report = await steer([answer(is('GET', /^\/v1\/salesReports$/), gz)], () => reports.salesReport({ vendorNumber: '85012345', frequency: 'DAILY', date: '2026-11-20' }));
      assert.equal(report.rows.length, 1);
      await reports.metrics(APP);
    });
    const sales = proxy.exchanges.filter((x) => x.operation === 'GET /v1/salesReports');
    assert.ok(sales.every((x) => x.requestHeaders.accept === 'application/a-gzip'), 'sales reports ask for application/a-gzip');
    const metrics = proxy.exchanges.filter((x) => x.operation === 'GET /v1/apps/{}/perfPowerMetrics');
    assert.ok(metrics.every((x) => x.requestHeaders.accept === 'application/vnd.apple.xcode-metrics+json'));
  });

  test('CLI commands of the provider', async () => {
    const commands = ascProvider.cliCommands ?? [];
    const args: Record<string, { positional: string[]; flags: Record<string, string | boolean> }> = {
      versions: { positional: [APP.id], flags: {} },
      metadata: { positional: [APP.id], flags: {} },
      builds: { positional: [APP.id], flags: {} },
      testers: { positional: [APP.id], flags: {} },
      'add-tester': { positional: [APP.id, 'ada@example.com'], flags: { group: GROUP_ID } },
      'remove-tester': { positional: [APP.id, 'ada@example.com'], flags: { group: GROUP_ID } },
      reviews: { positional: [APP.id], flags: { rating: '3', territory: 'GBR', answered: 'no', sort: 'oldest' } },
      reply: { positional: [REVIEW_ID, 'Thanks!'], flags: { app: APP.id } },
      readiness: { positional: [APP.id, VERSION_ID], flags: {} },
      submit: { positional: [APP.id, VERSION_ID], flags: { 'skip-checks': true } },
      feedback: { positional: [APP.id], flags: {} },
      'sales-report': { positional: [], flags: { frequency: 'MONTHLY', date: '2026-10' } },
    };
    const ac = new AbortController();
    await exercise(async () => {
      for (const c of commands) {
        // A command added later without arguments here still runs (with the app ID), so its requests are checked.
        const a = args[c.name] ?? { positional: [APP.id], flags: {} };
        await steer([locales], () => c.run(conn as Connection, a, ac.signal));
      }
    });
  });

  test('watcher and request budget (when the provider has them)', async () => {
    const from = proxy.exchanges.length;
    const bad = () => formatProblems(proxy.exchanges.slice(from));
    // Through the Connection interface: `watch` is optional there, and the provider may add it later.
    const c: Connection = conn;
    await c.watch?.().catch((e: unknown) => assert.fail(bad() || String(e)));
    await c.budget?.();
    assert.equal(bad(), '');
  });

  test('no request was rejected, and every operation the provider uses was sent', () => {
    const rejected = formatProblems(proxy.exchanges);
    assert.equal(rejected, '', `Prism rejected requests:\n${rejected}`);
    const sent = new Set(proxy.exchanges.map((x) => x.operation).filter(Boolean));
    const expected = providerOperations();
    const missing = expected.filter((o) => !sent.has(o.key));
    assert.deepEqual(
      missing.map((o) => `${o.key} (${o.sources.join(', ')})`),
      [],
      'operations in src/providers/asc that the contract suite never sent: drive them from a test above',
    );
    const unknown = [...sent].filter((k) => !expected.some((o) => o.key === k));
    // Requests built in a way the static scan does not see are still validated; list them so the scan can learn.
    if (unknown.length) console.log(`contract: operations sent but not found by the source scan: ${unknown.join(', ')}`);
    const noise = proxy.exchanges.filter((x) => x.prismNoise.length);
    console.log(
      `contract: ${proxy.exchanges.length} requests, ${sent.size} operations (${expected.length} in the provider's source), all accepted by Prism` +
        (noise.length ? `; Prism flagged its own generated response ${noise.length}×` : ''),
    );
  });
});
