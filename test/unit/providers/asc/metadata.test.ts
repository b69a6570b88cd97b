import * as assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { ValidationError } from '../../../../src/core/errors';
import type { AscConnection } from '../../../../src/providers/asc';
import type { MetadataDocument } from '../../../../src/providers/services';
import { LUMEN, TRAILHEAD, app, ascRequests, captureBodies, connect, startHarness, trackConcurrency, type Harness } from './helpers';

const lumen = app(LUMEN, 'Lumen Notes');
const values = (doc: MetadataDocument, locale: string) => doc.locales.find((l) => l.locale === locale)!.values;

describe('asc metadata', () => {
  let h: Harness;
  let conn: AscConnection;
  let versionId: string;

  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  async function fresh(): Promise<void> {
    h.sandbox.reset();
    conn?.dispose();
    conn = connect(h).conn;
    const versions = await conn.services.metadata.listVersions(lumen);
    versionId = versions.find((v) => v.versionString === '3.3.0')!.id;
  }
  afterEach(() => conn?.dispose());

  it('lists versions newest first with state, tone, editability and platform', async () => {
    await fresh();
    const versions = await conn.services.metadata.listVersions(lumen);
    assert.deepEqual(versions.map((v) => v.versionString), ['3.3.0', '3.2.0', '3.1.2']);
    assert.equal(versions[0]!.editable, true);
    assert.equal(versions[0]!.stateLabel, 'Prepare for Submission');
    assert.equal(versions[1]!.live, true);
    assert.equal(versions[1]!.buildLabel, '3.2.0 (405)');
    assert.equal(versions[1]!.tone, 'ok');
    // Apple's value goes back to the API (a new version for the same platform); people read "iOS".
    assert.equal(versions[0]!.platform, 'IOS');
    assert.equal(versions[0]!.platformLabel, 'iOS');
  });

  it('loads a version merged per locale in one round trip (two parallel requests)', async () => {
    await fresh();
    await conn.verify(); // token signed beforehand, so only the load is timed
    const from = h.sandbox.requests().length;
    const tracker = trackConcurrency(h, 150);
    const doc = await conn.services.metadata.load(lumen, versionId).finally(() => tracker.stop());
    const reqs = ascRequests(h, from);
    assert.equal(reqs.length, 2, JSON.stringify(reqs));
    assert.equal(tracker.maxInFlight(), 2, 'both requests were in flight at once');
    assert.ok(reqs.some((r) => r.path.startsWith(`/v1/appStoreVersions/${versionId}?include=appStoreVersionLocalizations%2Cbuild`)));
    assert.ok(reqs.some((r) => r.path.startsWith(`/v1/apps/${LUMEN}/appInfos?include=appInfoLocalizations`)));

    assert.deepEqual(doc.locales.map((l) => l.locale), ['en-US', 'de-DE', 'ja']);
    const en = values(doc, 'en-US');
    assert.equal(en.name, 'Lumen Notes');
    assert.equal(en.subtitle, 'Notes that find themselves');
    assert.equal(en.privacyPolicyUrl, 'https://lumenlabs.example.com/privacy');
    assert.match(en.description!, /^Lumen Notes is the fastest way/);
    assert.equal(en.keywords, 'notes,notebook,markdown,journal,sketch,scan,pdf,todo,ideas,writing,sync');
    assert.match(en.whatsNew!, /Handwriting search/);
    assert.equal(values(doc, 'ja').whatsNew, null);
    assert.equal(doc.version.versionString, '3.3.0');
    assert.equal(doc.version.editable, true);
    assert.match(doc.revision, /^[0-9a-f]{24}$/);
    const keywords = doc.fields.find((f) => f.key === 'keywords')!;
    assert.deepEqual({ level: keywords.level, maxBytes: keywords.maxBytes }, { level: 'version', maxBytes: 100 });
    assert.deepEqual(
      doc.fields.map((f) => [f.key, f.level, f.maxChars ?? f.maxBytes ?? f.kind]),
      [
        ['name', 'app', 30],
        ['subtitle', 'app', 30],
        ['privacyPolicyUrl', 'app', 'url'],
        ['description', 'version', 4000],
        ['keywords', 'version', 100],
        ['whatsNew', 'version', 4000],
        ['promotionalText', 'version', 170],
        ['supportUrl', 'version', 'url'],
        ['marketingUrl', 'version', 'url'],
      ],
    );
  });

  it('saves only the changed fields, per localization and level, and returns the new document', async () => {
    await fresh();
    const base = await conn.services.metadata.load(lumen, versionId);
    const cap = captureBodies(h);
    const tracker = trackConcurrency(h, 50);
    const from = h.sandbox.requests().length;
    const result = await conn.services.metadata.save(lumen, base, {
      locales: [
        { locale: 'en-US', values: { keywords: 'notes,journal,sketch', description: values(base, 'en-US').description! } },
        { locale: 'de-DE', values: { subtitle: 'Notizen mit Köpfchen' } },
      ],
    });
    tracker.stop();
    cap.stop();
    assert.equal(tracker.maxInFlight(), 2, 'the re-read and the writes each go out in parallel');
    assert.equal(result.status, 'saved');
    const writes = ascRequests(h, from).filter((r) => r.method !== 'GET');
    assert.deepEqual(writes.map((w) => `${w.method} ${w.path.split('/').slice(0, 3).join('/')}`).sort(), ['PATCH /v1/appInfoLocalizations', 'PATCH /v1/appStoreVersionLocalizations']);
    const patchVersion = cap.bodies.find((b) => b.path.startsWith('/v1/appStoreVersionLocalizations/'))!.body as { data: { attributes: object } };
    assert.deepEqual(patchVersion.data.attributes, { keywords: 'notes,journal,sketch' });
    const patchInfo = cap.bodies.find((b) => b.path.startsWith('/v1/appInfoLocalizations/'))!.body as { data: { attributes: object } };
    assert.deepEqual(patchInfo.data.attributes, { subtitle: 'Notizen mit Köpfchen' });
    // Re-read first (one round trip), then the writes in parallel: 2 GETs + 2 PATCHes.
    assert.equal(ascRequests(h, from).length, 4);

    if (result.status !== 'saved') return;
    assert.equal(values(result.document, 'en-US').keywords, 'notes,journal,sketch');
    assert.equal(values(result.document, 'de-DE').subtitle, 'Notizen mit Köpfchen');
    assert.notEqual(result.document.revision, base.revision);
    const reloaded = await conn.services.metadata.load(lumen, versionId);
    assert.equal(reloaded.revision, result.document.revision);
    assert.deepEqual(reloaded.locales, result.document.locales);
  });

  it('writes nothing when the values equal what was loaded', async () => {
    await fresh();
    const base = await conn.services.metadata.load(lumen, versionId);
    const from = h.sandbox.requests().length;
    const r = await conn.services.metadata.save(lumen, base, { locales: [{ locale: 'en-US', values: { name: 'Lumen Notes' } }] });
    assert.equal(r.status, 'saved');
    assert.equal(ascRequests(h, from).filter((x) => x.method !== 'GET').length, 0);
  });

  it('detects a remote change between load and save and writes nothing', async () => {
    await fresh();
    const base = await conn.services.metadata.load(lumen, versionId);
    // Someone edits the same field in App Store Connect meanwhile.
    const other = connect(h).conn;
    const theirs = await other.services.metadata.load(lumen, versionId);
    const saved = await other.services.metadata.save(lumen, theirs, { locales: [{ locale: 'en-US', values: { keywords: 'theirs,keywords' } }] });
    assert.equal(saved.status, 'saved');
    other.dispose();

    const from = h.sandbox.requests().length;
    const r = await conn.services.metadata.save(lumen, base, { locales: [{ locale: 'en-US', values: { keywords: 'mine,keywords' } }] });
    assert.equal(r.status, 'conflict');
    assert.equal(ascRequests(h, from).filter((x) => x.method !== 'GET').length, 0);
    if (r.status !== 'conflict') return;
    assert.deepEqual(r.conflicts, [{ locale: 'en-US', key: 'keywords', base: values(base, 'en-US').keywords, remote: 'theirs,keywords', mine: 'mine,keywords' }]);
    assert.equal(values(r.remote, 'en-US').keywords, 'theirs,keywords');
    assert.equal(h.emulator.store.all('appStoreVersionLocalizations').filter((l) => l.attributes.keywords === 'mine,keywords').length, 0);
  });

  it('reports a conflict for a remote change elsewhere too (changed through the sandbox store)', async () => {
    await fresh();
    const base = await conn.services.metadata.load(lumen, versionId);
    const loc = h.emulator.store.all('appStoreVersionLocalizations').find((l) => l.rels.appStoreVersion === versionId && l.attributes.locale === 'ja')!;
    loc.attributes.promotionalText = 'セール中';
    const r = await conn.services.metadata.save(lumen, base, { locales: [{ locale: 'en-US', values: { subtitle: 'Mine' } }] });
    assert.equal(r.status, 'conflict');
    if (r.status !== 'conflict') return;
    assert.deepEqual(r.conflicts, []);
    assert.equal(values(r.remote, 'ja').promotionalText, 'セール中');
    // Saving again on top of the remote document goes through.
    const again = await conn.services.metadata.save(lumen, r.remote, { locales: [{ locale: 'en-US', values: { subtitle: 'Mine' } }] });
    assert.equal(again.status, 'saved');
  });

  it('refuses keywords over 100 bytes with fieldErrors keyed locale/field, before sending anything', async () => {
    await fresh();
    const base = await conn.services.metadata.load(lumen, versionId);
    const from = h.sandbox.requests().length;
    // 40 characters but 120 bytes: Apple counts keyword bytes.
    const long = 'ノート,メモ,日記,手書き,スキャン,ノート,メモ,日記,手書き,スキャン,ノート';
    await assert.rejects(
      conn.services.metadata.save(lumen, base, { locales: [{ locale: 'ja', values: { keywords: long, promotionalText: 'x'.repeat(171) } }] }),
      (e: unknown) => {
        assert.ok(e instanceof ValidationError);
        assert.deepEqual(Object.keys(e.fieldErrors ?? {}).sort(), ['ja/keywords', 'ja/promotionalText']);
        assert.match(e.fieldErrors!['ja/keywords']![0]!, /at most 100 bytes/);
        assert.match(e.message, /App Store Connect/);
        return true;
      },
    );
    assert.equal(ascRequests(h, from).length, 0);
  });

  it('maps Apple\'s own validation errors to fieldErrors keyed locale/field', async () => {
    await fresh();
    const base = await conn.services.metadata.load(lumen, versionId);
    await assert.rejects(
      conn.services.metadata.save(lumen, base, { locales: [{ locale: 'de-DE', values: { name: 'L', keywords: 'notizen' } }] }),
      (e: unknown) => {
        assert.ok(e instanceof ValidationError);
        assert.deepEqual(Object.keys(e.fieldErrors ?? {}), ['de-DE/name']);
        assert.match(e.fieldErrors!['de-DE/name']![0]!, /too short/);
        assert.match(e.hint, /other changes were saved/);
        return true;
      },
    );
  });

  it('creates a localization that does not exist yet on both levels', async () => {
    await fresh();
    const base = await conn.services.metadata.load(lumen, versionId);
    const cap = captureBodies(h);
    const r = await conn.services.metadata.save(lumen, base, {
      locales: [{ locale: 'fr-FR', values: { name: 'Lumen Notes', subtitle: 'Des notes qui se retrouvent', description: 'Prenez des notes.', keywords: 'notes,carnet', supportUrl: 'https://lumenlabs.example.com/fr' } }],
    });
    cap.stop();
    assert.equal(r.status, 'saved');
    const posts = cap.bodies.filter((b) => b.method === 'POST');
    assert.deepEqual(posts.map((p) => p.path).sort(), ['/v1/appInfoLocalizations', '/v1/appStoreVersionLocalizations']);
    const v = posts.find((p) => p.path === '/v1/appStoreVersionLocalizations')!.body as { data: { attributes: Record<string, unknown>; relationships: Record<string, unknown> } };
    assert.deepEqual(v.data.attributes, { locale: 'fr-FR', description: 'Prenez des notes.', keywords: 'notes,carnet', supportUrl: 'https://lumenlabs.example.com/fr' });
    assert.deepEqual(v.data.relationships, { appStoreVersion: { data: { type: 'appStoreVersions', id: versionId } } });
    if (r.status === 'saved') assert.equal(values(r.document, 'fr-FR').subtitle, 'Des notes qui se retrouvent');
  });

  it('a new localization without a name is refused before writing', async () => {
    await fresh();
    const base = await conn.services.metadata.load(lumen, versionId);
    await assert.rejects(conn.services.metadata.save(lumen, base, { locales: [{ locale: 'it', values: { subtitle: 'Note' } }] }), (e: unknown) => e instanceof ValidationError && !!e.fieldErrors?.['it/name']);
  });

  it('creates a version and attaches a build', async () => {
    await fresh();
    const mac = await conn.services.metadata.createVersion(lumen, '3.3.0', 'MAC_OS');
    assert.equal(mac.versionString, '3.3.0');
    assert.equal(mac.platform, 'MAC_OS');
    assert.equal(mac.editable, true);
    const builds = await conn.services.builds.list(lumen);
    const b412 = builds.items.find((b) => b.buildNumber === '412')!;
    await conn.services.metadata.attachBuild(lumen, versionId, b412.id);
    const doc = await conn.services.metadata.load(lumen, versionId);
    assert.equal(doc.version.buildId, b412.id);
    assert.equal(doc.version.buildLabel, '3.3.0 (412)');
    const b409 = builds.items.find((b) => b.buildNumber === '409')!;
    await assert.rejects(conn.services.metadata.attachBuild(lumen, versionId, b409.id), (e: unknown) => e instanceof ValidationError && /INVALID and can not be attached/.test(e.message));
  });

  it('loads the version\'s copyright as a field of the version itself, once for all locales', async () => {
    await fresh();
    const doc = await conn.services.metadata.load(lumen, versionId);
    assert.deepEqual(doc.versionFields, [{ key: 'copyright', label: 'Copyright', level: 'version', required: true }]);
    const stored = h.emulator.store.get('appStoreVersions', versionId)!.attributes.copyright;
    assert.match(String(stored), /^\d{4} Lumen Labs$/);
    assert.deepEqual(doc.versionValues, { copyright: stored });
    assert.ok(!doc.fields.some((f) => f.key === 'copyright'), 'not a per-locale field');
    assert.ok(doc.locales.every((l) => !('copyright' in l.values)));
  });

  it('saves the copyright with one PATCH of the appStoreVersion, beside the localization writes; the sandbox has it', async () => {
    await fresh();
    // A build attached first: the PATCH answer carries no relationship data, the document must keep the build.
    const b412 = (await conn.services.builds.list(lumen)).items.find((b) => b.buildNumber === '412')!;
    await conn.services.metadata.attachBuild(lumen, versionId, b412.id);
    const base = await conn.services.metadata.load(lumen, versionId);
    const cap = captureBodies(h);
    const from = h.sandbox.requests().length;
    const result = await conn.services.metadata.save(lumen, base, {
      locales: [{ locale: 'en-US', values: { keywords: 'notes,journal' } }],
      version: { copyright: '2026 Lumen Labs GmbH' },
    });
    cap.stop();
    assert.equal(result.status, 'saved');
    const writes = ascRequests(h, from).filter((r) => r.method !== 'GET');
    assert.deepEqual(writes.map((w) => `${w.method} ${w.path.split('/').slice(0, 3).join('/')}`).sort(), ['PATCH /v1/appStoreVersionLocalizations', 'PATCH /v1/appStoreVersions']);
    const patch = cap.bodies.find((b) => b.path === `/v1/appStoreVersions/${versionId}`)!.body;
    assert.deepEqual(patch, { data: { type: 'appStoreVersions', id: versionId, attributes: { copyright: '2026 Lumen Labs GmbH' } } });
    assert.equal(h.emulator.store.get('appStoreVersions', versionId)!.attributes.copyright, '2026 Lumen Labs GmbH');
    if (result.status !== 'saved') return;
    assert.deepEqual(result.document.versionValues, { copyright: '2026 Lumen Labs GmbH' });
    assert.equal(values(result.document, 'en-US').keywords, 'notes,journal');
    assert.equal(result.document.version.buildLabel, '3.3.0 (412)');
    assert.notEqual(result.document.revision, base.revision);
    const reloaded = await conn.services.metadata.load(lumen, versionId);
    assert.equal(reloaded.revision, result.document.revision, 'the saved document is what a reload shows');
  });

  it('an unchanged copyright writes nothing; an emptied one is cleared with null', async () => {
    await fresh();
    const base = await conn.services.metadata.load(lumen, versionId);
    let from = h.sandbox.requests().length;
    const same = await conn.services.metadata.save(lumen, base, { locales: [], version: { copyright: base.versionValues!.copyright! } });
    assert.equal(same.status, 'saved');
    assert.equal(ascRequests(h, from).filter((r) => r.method !== 'GET').length, 0);

    const cap = captureBodies(h);
    from = h.sandbox.requests().length;
    const cleared = await conn.services.metadata.save(lumen, base, { locales: [], version: { copyright: '' } });
    cap.stop();
    assert.equal(cleared.status, 'saved');
    assert.deepEqual((cap.bodies.find((b) => b.method === 'PATCH')!.body as { data: { attributes: object } }).data.attributes, { copyright: null });
    assert.equal(h.emulator.store.get('appStoreVersions', versionId)!.attributes.copyright, null);
    if (cleared.status === 'saved') assert.deepEqual(cleared.document.versionValues, { copyright: null });
  });

  it('a copyright changed remotely since the load is a conflict (locale \'\'), nothing written', async () => {
    await fresh();
    const base = await conn.services.metadata.load(lumen, versionId);
    h.emulator.store.get('appStoreVersions', versionId)!.attributes.copyright = '2026 Theirs Inc.';
    const from = h.sandbox.requests().length;
    const r = await conn.services.metadata.save(lumen, base, { locales: [], version: { copyright: '2026 Mine Ltd.' } });
    assert.equal(r.status, 'conflict');
    assert.equal(ascRequests(h, from).filter((x) => x.method !== 'GET').length, 0);
    if (r.status !== 'conflict') return;
    assert.deepEqual(r.conflicts, [{ locale: '', key: 'copyright', base: base.versionValues!.copyright, remote: '2026 Theirs Inc.', mine: '2026 Mine Ltd.' }]);
    assert.deepEqual(r.remote.versionValues, { copyright: '2026 Theirs Inc.' });
  });

  it('copyright is not a per-locale field; Apple\'s refusal of a locked version\'s copyright is keyed by the field alone', async () => {
    await fresh();
    const base = await conn.services.metadata.load(lumen, versionId);
    const from = h.sandbox.requests().length;
    await assert.rejects(conn.services.metadata.save(lumen, base, { locales: [{ locale: 'en-US', values: { copyright: 'x' } }] }), (e: unknown) => {
      assert.ok(e instanceof ValidationError);
      assert.deepEqual(Object.keys(e.fieldErrors ?? {}), ['en-US/copyright']);
      return true;
    });
    assert.equal(ascRequests(h, from).length, 0, 'refused before sending');

    const live = (await conn.services.metadata.listVersions(lumen)).find((v) => v.live)!;
    const liveDoc = await conn.services.metadata.load(lumen, live.id, { live: true });
    await assert.rejects(conn.services.metadata.save(lumen, liveDoc, { locales: [], version: { copyright: '2026 Lumen Labs Inc.' } }), (e: unknown) => {
      assert.ok(e instanceof ValidationError);
      assert.deepEqual(Object.keys(e.fieldErrors ?? {}), ['copyright']);
      assert.match(e.fieldErrors!.copyright![0]!, /can not be edited/);
      assert.match(e.hint, /Nothing was saved/);
      return true;
    });
  });

  it('loads the live app info for a live version', async () => {
    await fresh();
    const trail = app(TRAILHEAD, 'Trailhead');
    const versions = await conn.services.metadata.listVersions(trail);
    const live = versions.find((v) => v.live)!;
    const doc = await conn.services.metadata.load(trail, live.id);
    assert.equal(values(doc, 'en-US').name, 'Trailhead');
    assert.equal(doc.version.editable, false);
  });
});
