// The metadata panel inside a real VS Code, against the sandbox's App Store Connect: versions and per-locale
// fields with Apple's limits, a save confirmed in a modal that names what changes and writes only that, the remote
// changed in between (conflict, nothing written), limits refused before any request, the version's copyright
// (one value for every locale) saved and refused, attach a build, a live version read-only, New Version refused
// with Apple's words, Submit for Review opening the release panel, malformed messages. The test plays the
// webview's part (its DOM is out of reach from the extension host; e2e does the UI).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { MetadataPanel } from '../../src/panels/metadataPanel';
import type { MetadataDocument, VersionInfo } from '../../src/providers/services';
import type { AppSummary } from '../../src/providers/types';
import type { MetadataUpdate } from '../../src/protocol/metadata';
import { activeWebviewViewType, addSandboxAscAccount, apiRequestsSince, eventually, openSandboxPanel, panelSuiteHooks, sandboxAccount, sandboxRequests, settleWorkbench, stubWindow, type OpenPanelOptions, type PanelDriver } from './support';

const LUMEN: AppSummary = { id: '1581234567', name: 'Lumen Notes', bundleId: 'com.lumenlabs.notes', data: { primaryLocale: 'en-US' } };
type Msg = MetadataUpdate;
type Driver = PanelDriver<Msg, MetadataPanel>;

/** Opens the panel for Lumen Notes on a sandbox connection; the webview's part is the test's unless `live`. */
function openPanel(opts: OpenPanelOptions = {}): Promise<Driver> {
  return openSandboxPanel<Msg, MetadataPanel>(MetadataPanel, LUMEN, { idPrefix: 'it-metadata', timeoutMs: 15_000, ...opts });
}

async function openReady(opts: OpenPanelOptions = {}): Promise<{ d: Driver; versions: VersionInfo[]; doc: MetadataDocument }> {
  const d = await openPanel(opts);
  await d.send({ type: 'ready' });
  const versions = (await d.waitFor('init')).versions;
  const doc = (await d.waitFor('document')).document;
  return { d, versions, doc };
}

/** Answers the save confirmation (a modal information message) with `answer`; other messages get nothing. */
function answerSave(answer: 'Save' | undefined) {
  return stubWindow('showInformationMessage', async (_m, opts) => ((opts as { modal?: boolean } | undefined)?.modal ? answer : undefined));
}

async function writesSince(n: number): Promise<string[]> {
  return (await apiRequestsSince(n, '/asc/v1')).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path.split('?')[0]!.replace(/\/[^/]+$/, '/{id}')}`);
}

const valueOf = (doc: MetadataDocument, locale: string, key: string) => doc.locales.find((l) => l.locale === locale)?.values[key] ?? null;

describe('metadata panel', () => {
  let d: Driver | undefined;
  const restores: (() => void)[] = [];
  // Before the panel hooks' afterEach: stubs are restored before the panels close.
  afterEach(() => {
    for (const r of restores.splice(0)) r();
    d = undefined;
  });
  panelSuiteHooks();
  after(settleWorkbench);

  it('its webview loads: versions newest first, the one in preparation opened, fields with Apple\'s limits, primary locale first', async function () {
    this.timeout(90_000);
    d = await openPanel({ live: true });
    const init = await d.waitFor('init', undefined, 0, 60_000);
    assert.deepEqual(d.fromWebview[0], { type: 'ready' });
    assert.deepEqual([init.appName, init.bundleId, init.provider], ['Lumen Notes', 'com.lumenlabs.notes', 'Sandbox App Store Connect']);
    assert.deepEqual(init.versions.map((v) => [v.versionString, v.state, v.editable, !!v.live]), [
      ['3.3.0', 'PREPARE_FOR_SUBMISSION', true, false],
      ['3.2.0', 'READY_FOR_DISTRIBUTION', false, true],
      ['3.1.2', 'REPLACED_WITH_NEW_VERSION', false, false],
    ]);
    assert.deepEqual([init.canCreateVersion, init.canAttachBuild, init.canSubmit], [true, true, true]);
    const doc = (await d.waitFor('document', undefined, 0, 20_000)).document;
    assert.equal(doc.version.versionString, '3.3.0');
    assert.deepEqual(doc.locales.map((l) => l.locale), ['en-US', 'de-DE', 'ja']);
    const limits = Object.fromEntries(doc.fields.map((f) => [f.key, f.maxBytes ? `${f.maxBytes} bytes` : f.maxChars ? `${f.maxChars} chars` : f.kind ?? '']));
    assert.deepEqual(limits, { name: '30 chars', subtitle: '30 chars', privacyPolicyUrl: 'url', description: '4000 chars', keywords: '100 bytes', whatsNew: '4000 chars', promotionalText: '170 chars', supportUrl: 'url', marketingUrl: 'url' });
    assert.equal(valueOf(doc, 'de-DE', 'name'), 'Lumen Notizen');
    assert.equal(valueOf(doc, 'en-US', 'whatsNew'), 'Handwriting search, a faster sync engine and a new dark theme for the sketch canvas.');
    assert.equal(valueOf(doc, 'ja', 'whatsNew'), null);
    assert.deepEqual(doc.versionFields?.map((f) => [f.key, f.label, f.level, !!f.required]), [['copyright', 'Copyright', 'version', true]]);
    assert.match(String(doc.versionValues?.copyright), /^\d{4} Lumen Labs$/);
  });

  it('asks before saving, naming each locale and field; declining writes nothing, accepting writes exactly the changes', async () => {
    const opened = await openReady();
    d = opened.d;
    const { doc } = opened;
    const changes = { locales: [
      { locale: 'en-US', values: { subtitle: 'Notes that organise themselves', keywords: 'notes,handwriting,search,sketch,pdf,journal' } },
      { locale: 'de-DE', values: { whatsNew: 'Handschriftsuche, schnellere Synchronisierung und ein dunkles Zeichenbrett.' } },
    ] };
    const start = (await sandboxRequests()).length;
    const declined = answerSave(undefined);
    restores.push(declined.restore);
    await d.send({ type: 'save', revision: doc.revision, changes });
    declined.restore();
    assert.equal(declined.calls.length, 1);
    const [message, options] = declined.calls[0] as [string, { modal: boolean; detail: string }];
    assert.equal(message, 'Save 3 changes to Lumen Notes 3.3.0?');
    assert.equal(options.modal, true);
    assert.equal(options.detail, 'en-US: Subtitle, Keywords\nde-DE: What\'s New in This Version');
    assert.deepEqual(await writesSince(start), [], 'nothing written after declining');
    assert.ok(!d.sent.some((m) => m.type === 'saved' || m.type === 'saveFailed'));

    const accepted = answerSave('Save');
    restores.push(accepted.restore);
    const from = d.sent.length;
    const before = (await sandboxRequests()).length;
    await d.send({ type: 'save', revision: doc.revision, changes });
    const saved = await d.waitFor('saved', undefined, from);
    assert.equal(saved.changed, 3);
    assert.notEqual(saved.document.revision, doc.revision);
    assert.deepEqual((await writesSince(before)).sort(), [
      'PATCH /asc/v1/appInfoLocalizations/{id}',
      'PATCH /asc/v1/appStoreVersionLocalizations/{id}',
      'PATCH /asc/v1/appStoreVersionLocalizations/{id}',
    ]);
    assert.ok(accepted.calls.some((c) => c[0] === 'Lumen Notes: 3 metadata changes saved.'));
    const check = await (await sandboxAccount('it-metadata-check')).connect().services.metadata!.load(LUMEN, doc.version.id);
    assert.equal(valueOf(check, 'en-US', 'subtitle'), 'Notes that organise themselves');
    assert.equal(valueOf(check, 'en-US', 'keywords'), 'notes,handwriting,search,sketch,pdf,journal');
    assert.match(String(valueOf(check, 'de-DE', 'whatsNew')), /^Handschriftsuche/);
    // Untouched fields keep their values.
    assert.equal(valueOf(check, 'en-US', 'description'), valueOf(doc, 'en-US', 'description'));
    assert.equal(valueOf(check, 'de-DE', 'keywords'), valueOf(doc, 'de-DE', 'keywords'));
    assert.equal(valueOf(check, 'ja', 'name'), valueOf(doc, 'ja', 'name'));
    assert.equal(check.revision, saved.document.revision);
  });

  it('refuses a save made against an older revision without asking or calling the API', async () => {
    const opened = await openReady();
    d = opened.d;
    const ask = answerSave('Save');
    restores.push(ask.restore);
    const start = (await sandboxRequests()).length;
    const from = d.sent.length;
    await d.send({ type: 'save', revision: 'an-older-revision', changes: { locales: [{ locale: 'en-US', values: { keywords: 'x' } }] } });
    const failed = await d.waitFor('saveFailed', undefined, from);
    assert.equal(failed.error.kind, 'conflict');
    assert.equal(ask.calls.length, 0);
    assert.deepEqual(await writesSince(start), []);
  });

  it('when the metadata changed elsewhere since it loaded: a conflict with both sides, nothing written; saving again then works', async () => {
    const opened = await openReady();
    d = opened.d;
    const { doc } = opened;
    // Someone else edits the same field in App Store Connect meanwhile.
    const other = (await sandboxAccount('it-metadata-other')).connect().services.metadata!;
    const theirs = await other.save(LUMEN, await other.load(LUMEN, doc.version.id), { locales: [{ locale: 'en-US', values: { promotionalText: 'Theirs: Lumen Pro is 30% off this week.' } }] });
    assert.equal(theirs.status, 'saved');
    const ok = answerSave('Save');
    restores.push(ok.restore);
    const mine = 'Mine: handwriting search in every note.';
    let from = d.sent.length;
    const start = (await sandboxRequests()).length;
    await d.send({ type: 'save', revision: doc.revision, changes: { locales: [{ locale: 'en-US', values: { promotionalText: mine } }] } });
    const conflict = await d.waitFor('conflict', undefined, from);
    assert.deepEqual(conflict.conflicts, [{ locale: 'en-US', key: 'promotionalText', base: valueOf(doc, 'en-US', 'promotionalText'), remote: 'Theirs: Lumen Pro is 30% off this week.', mine }]);
    assert.equal(valueOf(conflict.remote, 'en-US', 'promotionalText'), 'Theirs: Lumen Pro is 30% off this week.');
    assert.deepEqual(await writesSince(start), [], 'nothing written on a conflict');
    // The person keeps theirs and saves against the remote they were shown.
    from = d.sent.length;
    await d.send({ type: 'save', revision: conflict.remote.revision, changes: { locales: [{ locale: 'en-US', values: { promotionalText: mine } }] } });
    await d.waitFor('saved', undefined, from);
    const check = await other.load(LUMEN, doc.version.id);
    assert.equal(valueOf(check, 'en-US', 'promotionalText'), mine);
  });

  it('refuses values over Apple\'s limits and malformed URLs before any request, naming locale and field', async () => {
    const opened = await openReady();
    d = opened.d;
    const ok = answerSave('Save');
    restores.push(ok.restore);
    const start = (await sandboxRequests()).length;
    const from = d.sent.length;
    // 41 characters, but 103 bytes: under 100 characters, over Apple's 100 bytes for keywords.
    const jaKeywords = 'ノート,メモ,日記,手書き,スキャン,アイデア,検索,同期,暗号化,ペン,クラウド';
    assert.ok(new TextEncoder().encode(jaKeywords).length > 100 && [...jaKeywords].length < 100);
    await d.send({ type: 'save', revision: opened.doc.revision, changes: { locales: [
      { locale: 'ja', values: { keywords: jaKeywords } },
      { locale: 'en-US', values: { supportUrl: 'lumenlabs.example.com/support', subtitle: 'A subtitle that is far longer than thirty characters' } },
    ] } });
    const failed = await d.waitFor('saveFailed', undefined, from);
    assert.equal(failed.error.kind, 'validation');
    assert.deepEqual(Object.keys(failed.error.fieldErrors ?? {}).sort(), ['en-US/subtitle', 'en-US/supportUrl', 'ja/keywords']);
    assert.match(failed.error.fieldErrors!['ja/keywords']![0]!, /at most 100 bytes \(now \d+;/);
    assert.match(failed.error.fieldErrors!['en-US/supportUrl']![0]!, /full http:\/\/ or https:\/\/ URL/);
    assert.deepEqual(await writesSince(start), [], 'nothing sent');
  });

  it('edits the copyright, one value for every locale: the modal names it, one PATCH of the version; the sandbox has it', async () => {
    const opened = await openReady();
    d = opened.d;
    const { doc } = opened;
    const ask = answerSave('Save');
    restores.push(ask.restore);
    const from = d.sent.length;
    const start = (await sandboxRequests()).length;
    await d.send({ type: 'save', revision: doc.revision, changes: { locales: [{ locale: 'de-DE', values: { keywords: 'notizen,journal' } }], version: { copyright: '2026 Lumen Labs GmbH' } } });
    const saved = await d.waitFor('saved', undefined, from);
    const [message, options] = ask.calls[0] as [string, { detail: string }];
    assert.equal(message, 'Save 2 changes to Lumen Notes 3.3.0?');
    assert.equal(options.detail, 'All locales: Copyright\nde-DE: Keywords');
    assert.equal(saved.changed, 2);
    assert.deepEqual(saved.document.versionValues, { copyright: '2026 Lumen Labs GmbH' });
    assert.deepEqual((await writesSince(start)).sort(), ['PATCH /asc/v1/appStoreVersionLocalizations/{id}', 'PATCH /asc/v1/appStoreVersions/{id}']);
    const check = await (await sandboxAccount('it-metadata-check')).connect().services.metadata!.load(LUMEN, doc.version.id);
    assert.deepEqual(check.versionValues, { copyright: '2026 Lumen Labs GmbH' });
    assert.equal(valueOf(check, 'de-DE', 'keywords'), 'notizen,journal');
    assert.equal(valueOf(check, 'en-US', 'keywords'), valueOf(doc, 'en-US', 'keywords'), 'untouched');
    assert.equal(check.revision, saved.document.revision);
  });

  it('a copyright App Store Connect refuses (the live version) comes back as saveFailed keyed `copyright`; nothing changes', async () => {
    const opened = await openReady();
    d = opened.d;
    const live = opened.versions.find((v) => v.live)!;
    let from = d.sent.length;
    await d.send({ type: 'selectVersion', versionId: live.id, live: true });
    const doc = (await d.waitFor('document', undefined, from)).document;
    const ask = answerSave('Save');
    restores.push(ask.restore);
    from = d.sent.length;
    await d.send({ type: 'save', revision: doc.revision, changes: { locales: [], version: { copyright: '2026 Someone Else' } } });
    const failed = await d.waitFor('saveFailed', undefined, from);
    assert.equal(failed.error.kind, 'validation');
    assert.deepEqual(Object.keys(failed.error.fieldErrors ?? {}), ['copyright']);
    assert.match(failed.error.fieldErrors!.copyright![0]!, /can not be edited/);
    const check = await (await sandboxAccount('it-metadata-check')).connect().services.metadata!.load(LUMEN, live.id, { live: true });
    assert.deepEqual(check.versionValues, doc.versionValues);
  });

  it('opened to fix a field (the release checklist\'s Fix link), it asks the webview to focus it once the document is shown', async () => {
    const opened = await openReady({ focus: { locale: 'de-DE', field: 'copyright' } });
    d = opened.d;
    const focus = await d.waitFor('focus');
    assert.deepEqual(focus, { type: 'focus', locale: 'de-DE', field: 'copyright' });
    assert.ok(d.sent.findIndex((m) => m.type === 'focus') > d.sent.findIndex((m) => m.type === 'document'), 'the focus follows the document');
  });

  it('attaches a build picked from the valid, unexpired builds; the version then shows it', async () => {
    const opened = await openReady();
    d = opened.d;
    const pick = stubWindow('showQuickPick', async (items) => (await (items as Thenable<{ label: string }[]>)).find((i) => i.label === '3.3.0 (412)'));
    const info = stubWindow('showInformationMessage', async () => undefined);
    restores.push(pick.restore, info.restore);
    const from = d.sent.length;
    await d.send({ type: 'attachBuild' });
    const offered = (await (pick.calls[0]![0] as Thenable<{ label: string }[]>)).map((i) => i.label);
    assert.ok(offered.includes('3.3.0 (412)') && !offered.includes('3.1.2 (398)'), `offered: ${offered.join(', ')} (398 has expired)`);
    const doc = await d.waitFor('document', (m) => !!m.document.version.buildId, from);
    assert.equal(doc.document.version.buildLabel, '3.3.0 (412)');
    assert.ok(info.calls.some((c) => c[0] === 'Lumen Notes: build 3.3.0 (412) attached.'));
    const versions = await (await sandboxAccount('it-metadata-check')).connect().services.metadata!.listVersions(LUMEN);
    assert.equal(versions.find((v) => v.versionString === '3.3.0')?.buildLabel, '3.3.0 (412)');
  });

  it('opens the live version read-only, with its own app information', async () => {
    const opened = await openReady();
    d = opened.d;
    const live = opened.versions.find((v) => v.live)!;
    const from = d.sent.length;
    await d.send({ type: 'selectVersion', versionId: live.id, live: true });
    const doc = (await d.waitFor('document', undefined, from)).document;
    assert.deepEqual([doc.version.versionString, doc.version.editable, doc.version.buildLabel], ['3.2.0', false, '3.2.0 (405)']);
    assert.match(String(valueOf(doc, 'en-US', 'whatsNew')), /^Smart folders now learn/);
  });

  it('New Version… is refused by App Store Connect while 3.3.0 is in preparation; its words reach the panel', async () => {
    const opened = await openReady();
    d = opened.d;
    const input = stubWindow('showInputBox', async (opts) => {
      const o = opts as vscode.InputBoxOptions;
      assert.equal(o.placeHolder, 'e.g. 3.3.1');
      assert.equal(await o.validateInput?.('3.4'), undefined);
      assert.match(String(await o.validateInput?.('v3.4')), /one to three numbers/);
      return '3.4.0';
    });
    restores.push(input.restore);
    const from = d.sent.length;
    await d.send({ type: 'createVersion' });
    const error = await d.waitFor('error', undefined, from);
    assert.match(error.error.message, /cannot create a new version/i);
    const versions = await (await sandboxAccount('it-metadata-check')).connect().services.metadata!.listVersions(LUMEN);
    assert.ok(!versions.some((v) => v.versionString === '3.4.0'));
  });

  it('Submit for Review… opens the release panel of the same account and app', async () => {
    const account = await addSandboxAscAccount();
    const opened = await openReady({ account });
    d = opened.d;
    await d.send({ type: 'openRelease' });
    await eventually(() => /appdesk\.release$/.test(activeWebviewViewType() ?? ''), 'the release webview to be the active tab');
    assert.equal(vscode.window.tabGroups.activeTabGroup.activeTab?.label, 'Release: Lumen Notes');
  });

  it('ignores malformed or unknown messages without asking or calling the API', async () => {
    const opened = await openReady();
    d = opened.d;
    const ask = answerSave('Save');
    restores.push(ask.restore);
    const start = (await sandboxRequests()).length;
    const sentBefore = d.sent.length;
    const rev = opened.doc.revision;
    for (const bad of [
      { type: 'save', revision: rev, changes: { locales: [{ locale: 'en-US', values: { copyright: 'x' } }] } }, // copyright is not per locale
      { type: 'save', revision: rev, changes: { locales: [], version: { description: 'x' } } }, // not a field of the version itself
      { type: 'save', revision: rev, changes: { locales: [], version: { 'bad key': 'x' } } },
      { type: 'save', revision: rev, changes: { locales: [], version: { copyright: 'x'.repeat(9_000) } } },
      { type: 'save', revision: rev, changes: { locales: [], version: { copyright: 42 } } },
      { type: 'save', revision: rev, changes: { locales: [], version: '2026 Lumen Labs' } },
      { type: 'save', revision: rev, changes: { locales: [{ locale: 'en-US', values: { 'bad key': 'x' } }] } },
      { type: 'save', revision: rev, changes: { locales: [{ locale: 'en-US', values: { description: 'x'.repeat(9_000) } }] } },
      { type: 'save', revision: rev, changes: { locales: 'en-US' } },
      { type: 'save', revision: rev, changes: { locales: [] } },
      { type: 'selectVersion' },
      { type: 'selectVersion', versionId: 'x'.repeat(300) },
      { type: 'eval', code: '1' }, [], null, 'ready',
    ]) await d.send(bad);
    assert.equal(ask.calls.length, 0);
    // The Apps tree may list apps in the background (accounts changed); nothing else may reach the API.
    const fromPanel = (await sandboxRequests()).slice(start).filter((r) => r.path.startsWith('/asc/v1') && !/^\/asc\/v1\/apps(\?|$)/.test(r.path));
    assert.deepEqual(fromPanel, []);
    assert.equal(d.sent.length, sentBefore);
  });
});
