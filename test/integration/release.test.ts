// The release panel inside a real VS Code, against the sandbox's App Store Connect: the readiness checklist,
// submission confirmed first (refused by App Store Connect without a build, accepted with one), cancel, manual
// release of an approved version, phased release controls, the Fix links, and the watcher reporting App Review's
// moves with an action that opens this panel. The test plays the webview's part (e2e does the UI).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { WatchChange } from '../../src/host/watcher';
import { ReleasePanel } from '../../src/panels/releasePanel';
import type { AccountConfig, AppSummary, Connection } from '../../src/providers/types';
import type { ReleaseUpdate } from '../../src/protocol/release';
import { addSandboxAscAccount, activeWebviewViewType, api, apiCallsSince, apiRequestsSince, eventually, openSandboxPanel, panelSuiteHooks, sandboxAccount, sandboxOrigin, sandboxRequests, settleWorkbench, stubWindow, type OpenPanelOptions, type PanelDriver } from './support';

const LUMEN: AppSummary = { id: '1581234567', name: 'Lumen Notes', bundleId: 'com.lumenlabs.notes', data: { primaryLocale: 'en-US' } };
const TRAILHEAD: AppSummary = { id: '1609876543', name: 'Trailhead', bundleId: 'com.trailheadapp.trails', data: { primaryLocale: 'en-US' } };
const POCKET: AppSummary = { id: '1634567890', name: 'Pocket Ledger', bundleId: 'com.pocketledger.budget', data: { primaryLocale: 'en-US' } };
type Msg = ReleaseUpdate;
type Driver = PanelDriver<Msg, ReleasePanel>;

/** A connection of the test's own to read back what the sandbox holds. */
async function check(): Promise<Connection> {
  return (await sandboxAccount(`it-release-check-${Date.now()}`)).connect();
}

/** Opens the panel on a sandbox connection; the webview's part is the test's unless `live`. */
function openPanel(app: AppSummary, opts: Pick<OpenPanelOptions, 'live' | 'account'> = {}): Promise<Driver> {
  return openSandboxPanel<Msg, ReleasePanel>(ReleasePanel, app, { idPrefix: 'it-release', timeoutMs: 15_000, ...opts });
}

async function openReady(app: AppSummary, opts: Parameters<typeof openPanel>[1] = {}): Promise<{ d: Driver; init: Extract<Msg, { type: 'init' }>; state: Extract<Msg, { type: 'state' }> }> {
  const d = await openPanel(app, opts);
  await d.send({ type: 'ready' });
  return { d, init: await d.waitFor('init'), state: await d.waitFor('state') };
}

async function writesSince(n: number): Promise<string[]> {
  return (await apiCallsSince(n, '/asc/v1')).filter((call) => !call.startsWith('GET '));
}

async function versionOf(app: AppSummary, versionString: string) {
  const v = (await (await check()).services.metadata!.listVersions(app)).find((x) => x.versionString === versionString && (x.platform ?? 'IOS') === 'IOS');
  if (!v) throw new Error(`${app.name} has no version ${versionString}`);
  return v;
}

async function appReview(versionId: string, appStoreState: string): Promise<void> {
  const res = await fetch(`${sandboxOrigin()}/asc/_sandbox/version-state`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ versionId, appStoreState }) });
  assert.equal(res.status, 204, `the sandbox plays App Review (${appStoreState})`);
}

describe('release panel', () => {
  const restores: (() => void)[] = [];
  // Before the panel hooks' afterEach: stubs are restored before the panels close.
  afterEach(() => {
    for (const r of restores.splice(0)) r();
  });
  panelSuiteHooks();
  after(settleWorkbench);

  it('its webview loads: the version in preparation with a readiness checklist that names what is missing and where to fix it', async function () {
    this.timeout(90_000);
    const d = await openPanel(LUMEN, { live: true });
    const init = await d.waitFor('init', undefined, 0, 60_000);
    assert.deepEqual(d.fromWebview[0], { type: 'ready' });
    assert.deepEqual(init.features, { cancel: true, phased: true, release: true, reject: false, resolutionCenter: false });
    const state = await d.waitFor('state', undefined, 0, 20_000);
    assert.equal(state.version.versionString, '3.3.0');
    const labels = state.readiness.map((c) => `${c.ok ? '✓' : '✗'} ${c.label}${c.fix ? ` → ${c.fix.target}` : ''}`);
    assert.equal(labels[0], '✓ Version 3.3.0 can be submitted (Prepare for Submission)');
    assert.match(labels[1]!, /^✓ Copyright: \d{4} Lumen Labs$/);
    assert.deepEqual(labels.slice(2), [
      '✓ en-US: name, description, keywords and support URL filled in',
      '✓ de-DE: name, description, keywords and support URL filled in',
      '✓ ja: name, description, keywords and support URL filled in',
      '✗ No build is attached to this version → builds',
    ]);
    assert.equal(state.submission, undefined, 'no submission in flight');
  });

  it('asks before submitting; without a build App Store Connect refuses, its words reach the panel and the version stays in preparation', async () => {
    const { d, state } = await openReady(LUMEN);
    const declined = stubWindow('showWarningMessage', async () => undefined);
    restores.push(declined.restore);
    const start = (await sandboxRequests()).length;
    await d.send({ type: 'submit', versionId: state.version.id });
    declined.restore();
    assert.equal(declined.calls[0]![0], 'Submit Lumen Notes 3.3.0 for App Review?');
    assert.deepEqual(await writesSince(start), [], 'declined: nothing sent');

    const accepted = stubWindow('showWarningMessage', async () => 'Submit for Review');
    restores.push(accepted.restore);
    const from = d.sent.length;
    await d.send({ type: 'submit', versionId: state.version.id });
    const error = await d.waitFor('error', undefined, from);
    assert.match(`${error.error.message} ${(error.error.details ?? []).join(' ')}`, /choose a build/i);
    assert.ok(!d.sent.slice(from).some((m) => m.type === 'done'));
    assert.equal((await versionOf(LUMEN, '3.3.0')).state, 'PREPARE_FOR_SUBMISSION');
  });

  it('with build 412 attached every check passes; submitting moves the version and the submission to Waiting for Review', async () => {
    const conn = await check();
    const build = (await conn.services.builds!.list(LUMEN)).items.find((b) => b.buildNumber === '412')!;
    const v = await versionOf(LUMEN, '3.3.0');
    await conn.services.metadata!.attachBuild!(LUMEN, v.id, build.id);
    const { d, state } = await openReady(LUMEN);
    assert.deepEqual(state.readiness.filter((c) => !c.ok), []);
    assert.deepEqual(state.readiness.slice(-3).map((c) => c.label), ['Build 3.3.0 (412) attached', 'The build is processed and valid', 'Export compliance answered']);
    const ok = stubWindow('showWarningMessage', async () => 'Submit for Review');
    const info = stubWindow('showInformationMessage', async () => undefined);
    restores.push(ok.restore, info.restore);
    const from = d.sent.length;
    await d.send({ type: 'submit', versionId: v.id });
    assert.equal((await d.waitFor('done', undefined, from)).message, 'Submitted for review (waiting for review).');
    const after = await d.waitFor('state', undefined, from);
    assert.equal(after.version.state, 'WAITING_FOR_REVIEW');
    // The version picker gets the new states too (it showed "Prepare for Submission" after submitting).
    const picker = await d.waitFor('init', undefined, from);
    assert.equal(picker.versions.find((x) => x.id === v.id)?.state, 'WAITING_FOR_REVIEW');
    assert.equal(after.version.editable, false);
    assert.equal(after.submission?.state, 'WAITING_FOR_REVIEW');
    assert.equal(after.submission?.versionId, v.id);
    assert.ok(info.calls.some((c) => c[0] === 'Lumen Notes 3.3.0 submitted for review.'));
    assert.equal((await versionOf(LUMEN, '3.3.0')).state, 'WAITING_FOR_REVIEW');
  });

  it('cancels a submission after a confirmation; the version goes back to Developer Rejected', async () => {
    const { d, state } = await openReady(POCKET);
    assert.equal(state.version.versionString, '1.4.0');
    assert.equal(state.submission?.state, 'WAITING_FOR_REVIEW');
    const ok = stubWindow('showWarningMessage', async () => 'Cancel Submission');
    restores.push(ok.restore);
    const from = d.sent.length;
    await d.send({ type: 'cancel' });
    assert.equal(ok.calls[0]![0], 'Cancel the review submission of Pocket Ledger?');
    assert.equal((await d.waitFor('done', undefined, from)).message, 'Submission canceled.');
    assert.equal((await versionOf(POCKET, '1.4.0')).state, 'DEVELOPER_REJECTED');
  });

  it('releases an approved version (Pending Developer Release) after a confirmation; its phased release starts', async () => {
    const { d, state } = await openReady(TRAILHEAD);
    assert.deepEqual([state.version.versionString, state.version.state, state.phased?.state], ['2.8.1', 'PENDING_DEVELOPER_RELEASE', 'INACTIVE']);
    const ok = stubWindow('showWarningMessage', async () => 'Release');
    restores.push(ok.restore);
    const from = d.sent.length;
    await d.send({ type: 'releaseNow', versionId: state.version.id });
    assert.equal(ok.calls[0]![0], 'Release Trailhead to the App Store now?');
    assert.equal((await d.waitFor('done', undefined, from)).message, 'Release requested.');
    const after = await d.waitFor('state', undefined, from);
    assert.equal(after.phased?.state, 'ACTIVE');
    assert.equal((await versionOf(TRAILHEAD, '2.8.1')).state, 'READY_FOR_DISTRIBUTION');
    assert.equal((await versionOf(TRAILHEAD, '2.8.0')).state, 'REPLACED_WITH_NEW_VERSION', 'the version it replaces');
  });

  it('pauses and resumes the phased release of the live version; releasing to all users asks first', async () => {
    const { d, init } = await openReady(LUMEN);
    const live = init.versions.find((v) => v.live)!;
    let from = d.sent.length;
    await d.send({ type: 'selectVersion', versionId: live.id });
    const shown = await d.waitFor('state', undefined, from);
    assert.deepEqual([shown.version.versionString, shown.phased?.state, shown.phased?.currentDayNumber], ['3.2.0', 'ACTIVE', 3]);
    from = d.sent.length;
    await d.send({ type: 'setPhased', state: 'PAUSED' });
    assert.equal((await d.waitFor('done', undefined, from)).message, 'Phased release paused.');
    assert.equal((await (await check()).services.release!.phasedRelease!(LUMEN, live.id))?.state, 'PAUSED');
    from = d.sent.length;
    await d.send({ type: 'setPhased', state: 'ACTIVE' });
    assert.equal((await d.waitFor('done', undefined, from)).message, 'Phased release resumed.');
    const declined = stubWindow('showWarningMessage', async () => undefined);
    restores.push(declined.restore);
    const start = (await sandboxRequests()).length;
    await d.send({ type: 'setPhased', state: 'COMPLETE' });
    assert.match(String(declined.calls[0]![0]), /^Release to all users now\?/);
    assert.deepEqual(await writesSince(start), []);
    assert.equal((await (await check()).services.release!.phasedRelease!(LUMEN, live.id))?.state, 'ACTIVE');
  });

  it('a Fix link opens the metadata panel of the same account and app', async () => {
    const account = await addSandboxAscAccount();
    const { d } = await openReady(LUMEN, { account });
    await d.send({ type: 'fix', target: 'metadata' });
    await eventually(() => /appdesk\.metadata$/.test(activeWebviewViewType() ?? ''), 'the metadata webview to be the active tab');
    assert.equal(vscode.window.tabGroups.activeTabGroup.activeTab?.label, 'Metadata: Lumen Notes');
  });

  it('the watcher reports App Review moving a version, each change announced with an Open action that opens this panel', async function () {
    this.timeout(60_000);
    const account = await addSandboxAscAccount();
    const { watcher } = await api();
    const conn = await ((await api()).tree as unknown as { connections: { get(a: AccountConfig): Promise<Connection> } }).connections.get(account);
    assert.equal(typeof conn.watch, 'function', 'App Store Connect connections have no watch() (src/providers/asc/connection.ts): the watcher polls nothing for them');
    const pocket = await versionOf(POCKET, '1.4.0');
    await watcher.pollNow(); // the baseline
    const mine = (changes: WatchChange[]) => changes.filter((c) => c.account.id === account.id && c.after.kind === 'version' && c.after.app.id === POCKET.id);

    const info = stubWindow('showInformationMessage', async () => undefined);
    restores.push(info.restore);
    await appReview(pocket.id, 'IN_REVIEW');
    const inReview = mine(await watcher.pollNow());
    assert.deepEqual(inReview.map((c) => [c.before?.state, c.after.state]), [['WAITING_FOR_REVIEW', 'IN_REVIEW']]);
    assert.ok(info.calls.some((c) => /^Pocket Ledger: .*1\.4\.0.* is now in review \(was waiting for review\)\.$/i.test(String(c[0]))), `announced: ${JSON.stringify(info.calls.map((c) => c[0]))}`);
    info.restore();

    // Approved; the person clicks Open on the notification.
    const open = stubWindow('showInformationMessage', async (...args) => (args.includes('Open') ? 'Open' : undefined));
    const openWarn = stubWindow('showWarningMessage', async (...args) => (args.includes('Open') ? 'Open' : undefined));
    restores.push(open.restore, openWarn.restore);
    await appReview(pocket.id, 'PENDING_DEVELOPER_RELEASE');
    const approved = mine(await watcher.pollNow());
    assert.deepEqual(approved.map((c) => [c.before?.state, c.after.state]), [['IN_REVIEW', 'PENDING_DEVELOPER_RELEASE']]);
    await eventually(() => vscode.window.tabGroups.activeTabGroup.activeTab?.label === 'Release: Pocket Ledger', 'the release panel of Pocket Ledger to open');
    assert.deepEqual(mine(await watcher.pollNow()), [], 'nothing new on the next poll');
  });

  it('ignores malformed or unknown messages without asking or calling the API', async () => {
    const { d } = await openReady(LUMEN);
    const ask = stubWindow('showWarningMessage', async () => 'Submit for Review');
    restores.push(ask.restore);
    const start = (await sandboxRequests()).length;
    const sentBefore = d.sent.length;
    for (const bad of [
      { type: 'submit' }, { type: 'submit', versionId: 42 }, { type: 'setPhased', state: 'DONE' }, { type: 'fix', target: 'settings' },
      { type: 'releaseNow', versionId: 'x'.repeat(300) }, { type: 'eval', code: '1' }, [], null, 'ready',
    ]) await d.send(bad);
    assert.equal(ask.calls.length, 0);
    assert.deepEqual(await apiRequestsSince(start, '/asc/v1'), []);
    assert.equal(d.sent.length, sentBefore);
  });
});
