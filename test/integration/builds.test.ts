// The builds panel inside a real VS Code, against the sandbox's App Store Connect. The webview's DOM is out of
// reach from the extension host, so these tests drive the panel's extension side with the messages its webview
// sends (and read the ones it posts back), and check the effects in the sandbox.
import * as assert from 'node:assert/strict';
import type { AppSummary, Connection } from '../../src/providers/types';
import type { BuildInfo, BuildsService } from '../../src/providers/services';
import { BuildsPanel } from '../../src/panels/buildsPanel';
import type { BuildsUpdate } from '../../src/protocol/builds';
import { answerWarnings, apiCallsSince, apiRequestsSince, openSandboxPanel, openThroughCommand, panelSuiteHooks, sandboxOrigin, sandboxRequests, type OpenPanelOptions, type PanelDriver } from './support';

const LUMEN: AppSummary = { id: '1581234567', name: 'Lumen Notes', bundleId: 'com.lumenlabs.notes' };
const POCKET: AppSummary = { id: '1634567890', name: 'Pocket Ledger', bundleId: 'com.pocketledger.budget' };
/** An app of the sandbox's legacy iTunes Connect (fastlane's recordings), whose builds carry beta test information. */
const ITC_APP: AppSummary = { id: '898536088', name: 'Legacy App', storeId: '898536088' };

type Msg = BuildsUpdate;
type Driver = PanelDriver<Msg, BuildsPanel>;

/** Opens the panel (Lumen Notes unless `app`) on a sandbox connection; the webview's part is the test's unless `live`. */
function openPanel(opts: OpenPanelOptions & { app?: AppSummary } = {}): Promise<Driver> {
  return openSandboxPanel<Msg, BuildsPanel>(BuildsPanel, opts.app ?? LUMEN, { idPrefix: 'it-builds', ...opts });
}

/** Opens the panel and plays the webview's `ready`; resolves with the first page of builds. */
async function openReady(opts: Parameters<typeof openPanel>[0] = {}): Promise<{ d: Driver; builds: BuildInfo[] }> {
  const d = await openPanel(opts);
  await d.send({ type: 'ready' });
  const page = await d.waitFor('builds');
  return { d, builds: page.items };
}

describe('builds panel', () => {
  panelSuiteHooks();

  it('opens through appdesk.openBuilds for an account and app', async function () {
    assert.equal(await openThroughCommand('appdesk.openBuilds', 'builds', LUMEN), 'Builds: Lumen Notes');
  });

  it('its webview loads, says ready, and gets the builds with their state, dates and audience', async function () {
    this.timeout(90_000);
    const d = await openPanel({ live: true });
    // Only the webview's script sends `ready`: these answers prove it ran under the panel's CSP.
    const init = await d.waitFor('init', undefined, 0, 60_000);
    assert.deepEqual(d.fromWebview[0], { type: 'ready' });
    assert.equal(init.appName, 'Lumen Notes');
    assert.deepEqual(init.can, { expire: true, exportCompliance: true, testInfo: false, editTestInfo: false });
    const page = await d.waitFor('builds', undefined, 0, 20_000);
    assert.equal(page.append, false);
    assert.deepEqual(page.items.map((b) => b.buildNumber), ['413', '412', '409', '405', '398'], 'newest first');
    const b412 = page.items.find((b) => b.buildNumber === '412')!;
    assert.equal(b412.version, '3.3.0');
    assert.equal(b412.processingState, 'VALID');
    assert.ok(b412.uploadedDate && b412.expirationDate && b412.audience);
    // Apple's values stay for commands and the CLI; the panel shows them as people read them.
    assert.equal(b412.stateLabel, 'Valid');
    assert.equal(b412.audienceLabel, 'App Store Eligible');
    assert.equal(page.items.find((b) => b.buildNumber === '398')!.expired, true);
    assert.equal(page.items.find((b) => b.buildNumber === '413')!.usesNonExemptEncryption, null);
  });

  it('expires a build only after the modal confirmation', async () => {
    const opened = await openReady();
    const d = opened.d;
    const b405 = opened.builds.find((b) => b.buildNumber === '405')!;
    const start = (await sandboxRequests()).length;
    const declined = answerWarnings(undefined);
    try {
      await d.send({ type: 'expire', buildId: b405.id });
    } finally {
      declined.restore();
    }
    assert.equal(declined.calls.length, 1);
    assert.match(String(declined.calls[0]![0]), /Expire build 3\.2\.0 \(405\) of Lumen Notes\?/);
    assert.equal((declined.calls[0]![1] as { modal?: boolean }).modal, true);
    assert.deepEqual(await apiCallsSince(start), [], 'nothing sent when the user declines');

    const from = d.sent.length;
    const accepted = answerWarnings('Expire Build');
    try {
      await d.send({ type: 'expire', buildId: b405.id });
    } finally {
      accepted.restore();
    }
    const updated = await d.waitFor('buildUpdated', undefined, from);
    assert.equal(updated.build.id, b405.id);
    assert.equal(updated.build.expired, true);
    assert.deepEqual(await apiCallsSince(start), [`PATCH /asc/v1/builds/${b405.id}`]);
    const again = await d.connection.services.builds!.list(LUMEN);
    assert.equal(again.items.find((b) => b.id === b405.id)!.expired, true, 'the sandbox has it expired');
  });

  it('answers the export compliance question', async () => {
    const opened = await openReady({ app: POCKET });
    const d = opened.d;
    const b141 = opened.builds.find((b) => b.buildNumber === '141')!;
    assert.equal(b141.usesNonExemptEncryption, null);
    const from = d.sent.length;
    const ok = answerWarnings('Declare');
    try {
      await d.send({ type: 'setExportCompliance', buildId: b141.id, usesNonExemptEncryption: false });
    } finally {
      ok.restore();
    }
    assert.match(String(ok.calls[0]![0]), /build 1\.4\.0 \(141\) does not use non-exempt encryption/);
    const updated = await d.waitFor('buildUpdated', undefined, from);
    assert.equal(updated.build.usesNonExemptEncryption, false);
    const again = await d.connection.services.builds!.list(POCKET);
    assert.equal(again.items.find((b) => b.id === b141.id)!.usesNonExemptEncryption, false, 'the sandbox has the answer');
  });

  it('reports the API\'s refusal (export compliance of a build still processing) on the build\'s row', async () => {
    const opened = await openReady();
    const d = opened.d;
    const b413 = opened.builds.find((b) => b.buildNumber === '413')!;
    const from = d.sent.length;
    const ok = answerWarnings('Declare');
    try {
      await d.send({ type: 'setExportCompliance', buildId: b413.id, usesNonExemptEncryption: true });
    } finally {
      ok.restore();
    }
    const failed = await d.waitFor('actionFailed', undefined, from);
    assert.equal(failed.buildId, b413.id);
    assert.equal(failed.action, 'exportCompliance');
    assert.match(failed.error.message, /Export compliance can be set once the build has finished processing/);
    assert.equal(failed.error.kind, 'validation');
  });

  it('shows a failed action on its row with the provider\'s message, and keeps the build as it was', async () => {
    const opened = await openReady();
    const d = opened.d;
    const b412 = opened.builds.find((b) => b.buildNumber === '412')!;
    await fetch(`${sandboxOrigin()}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prefix: '/asc', pathIncludes: `/v1/builds/${b412.id}`, kind: 'status', status: 409, body: { errors: [{ status: '409', code: 'STATE_ERROR', title: 'The build cannot be expired.', detail: 'This build is attached to a version in review.' }] } }),
    });
    const from = d.sent.length;
    const ok = answerWarnings('Expire Build');
    try {
      await d.send({ type: 'expire', buildId: b412.id });
    } finally {
      ok.restore();
    }
    const failed = await d.waitFor('actionFailed', undefined, from);
    assert.equal(failed.buildId, b412.id);
    assert.equal(failed.action, 'expire');
    assert.match(failed.error.message, /App Store Connect/);
    assert.match(failed.error.message, /attached to a version in review/);
    assert.ok(!d.sent.slice(from).some((m) => m.type === 'buildUpdated'));
  });

  it('pages with Load More, appending to the list', async () => {
    // Two builds a page, so the sandbox's five builds take three pages.
    const d = await openPanel({ wrap: (conn) => {
      const real = conn.services.builds!;
      const builds: BuildsService = { ...real, list: (app, opts) => (real.list as (a: AppSummary, o: object) => ReturnType<BuildsService['list']>)(app, { ...opts, limit: 2 }) };
      return Object.assign(Object.create(conn) as Connection, { services: { ...conn.services, builds } });
    } });
    await d.send({ type: 'ready' });
    const first = await d.waitFor('builds');
    assert.equal(first.items.length, 2);
    assert.equal(first.hasMore, true);
    let from = d.sent.length;
    await d.send({ type: 'loadMore' });
    const second = await d.waitFor('builds', undefined, from);
    assert.equal(second.append, true);
    from = d.sent.length;
    await d.send({ type: 'loadMore' });
    const third = await d.waitFor('builds', undefined, from);
    assert.equal(third.hasMore, false);
    const all: BuildInfo[] = [...first.items, ...second.items, ...third.items];
    assert.deepEqual(all.map((b) => b.buildNumber), ['413', '412', '409', '405', '398']);
    // Refresh starts over from the first page.
    from = d.sent.length;
    await d.send({ type: 'refresh' });
    const again = await d.waitFor('builds', undefined, from);
    assert.equal(again.append, false);
    assert.equal(again.items.length, 2);
  });

  it('reads and saves the beta test information where the provider offers it (legacy iTunes Connect)', async () => {
    const opened = await openReady({ provider: 'itc', app: ITC_APP });
    const d = opened.d;
    const init = d.sent.find((m) => m.type === 'init') as Extract<Msg, { type: 'init' }>;
    assert.deepEqual(init.can, { expire: false, exportCompliance: false, testInfo: true, editTestInfo: true }, 'offered from the service, not from the provider\'s name');
    const b10 = opened.builds.find((b) => b.id === '1.0/10')!;
    let from = d.sent.length;
    await d.send({ type: 'getTestInfo', buildId: b10.id });
    assert.deepEqual((await d.waitFor('testInfo', undefined, from)).info, {});

    // A bad email is refused before anything is sent, with the field named.
    const start = (await sandboxRequests()).length;
    from = d.sent.length;
    await d.send({ type: 'setTestInfo', buildId: b10.id, info: { whatToTest: 'Login', feedbackEmail: 'not-an-email' } });
    const refused = await d.waitFor('actionFailed', undefined, from);
    assert.deepEqual(Object.keys(refused.error.fieldErrors ?? {}), ['feedbackEmail']);
    assert.equal((await apiRequestsSince(start, '/itc/')).length, 0);

    from = d.sent.length;
    const info = { whatToTest: 'Please test the new login screen.', feedbackEmail: 'beta@sunapps.net' };
    await d.send({ type: 'setTestInfo', buildId: b10.id, info });
    assert.deepEqual((await d.waitFor('testInfoSaved', undefined, from)).info, info);
    assert.deepEqual(await d.connection.services.builds!.getTestInfo!(ITC_APP, b10), info, 'the sandbox has it');
  });

  it('ignores malformed or unknown messages without calling the API', async () => {
    const { d } = await openReady();
    const start = (await sandboxRequests()).length;
    const sentBefore = d.sent.length;
    const ok = answerWarnings('Expire Build');
    try {
      for (const bad of [
        { type: 'expire', buildId: 'not a build id' },
        { type: 'expire', buildId: 'unknown-build' },
        { type: 'setExportCompliance', buildId: 'x', usesNonExemptEncryption: 'no' },
        { type: 'runCommand', command: 'workbench.action.terminal.new' },
        { type: 'setTestInfo', buildId: 'x', info: { whatToTest: 'x'.repeat(5000) } },
        'expire', null,
      ]) await d.send(bad);
    } finally {
      ok.restore();
    }
    assert.equal(ok.calls.length, 0, 'no confirmation was even asked');
    assert.deepEqual(await apiCallsSince(start), []);
    assert.equal(d.sent.length, sentBefore);
  });
});
