// The TestFlight panel inside a real VS Code, against the sandbox's App Store Connect: groups and testers, add,
// bulk import from CSV (per-row results, cancel), removal with confirmation, beta feedback and crash logs. The
// test plays the webview's part (its DOM is out of reach from the extension host) and checks the sandbox.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AppSummary, Connection } from '../../src/providers/types';
import { TestFlightPanel } from '../../src/panels/testflightPanel';
import type { BulkRowResult, TestFlightUpdate } from '../../src/protocol/testflight';
import { answerWarnings, apiCallsSince, eventually, openSandboxPanel, openThroughCommand, panelSuiteHooks, sandboxOrigin, sandboxRequests, type OpenPanelOptions, type PanelDriver } from './support';

const LUMEN: AppSummary = { id: '1581234567', name: 'Lumen Notes', bundleId: 'com.lumenlabs.notes' };

type Msg = TestFlightUpdate;
type Driver = PanelDriver<Msg, TestFlightPanel>;

/** Opens the panel for Lumen Notes on a sandbox connection; the webview's part is the test's unless `live`. */
function openPanel(opts: OpenPanelOptions = {}): Promise<Driver> {
  return openSandboxPanel<Msg, TestFlightPanel>(TestFlightPanel, LUMEN, { idPrefix: 'it-testflight', ...opts });
}

async function openReady(): Promise<{ d: Driver; groups: Extract<Msg, { type: 'groups' }>['groups'] }> {
  const d = await openPanel();
  await d.send({ type: 'ready' });
  const groups = await d.waitFor('groups');
  await d.waitFor('testers');
  return { d, groups: groups.groups };
}

async function groupEmails(conn: Connection, groupId: string): Promise<string[]> {
  const emails: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await conn.services.testers!.testers(LUMEN, { groupId, cursor });
    emails.push(...page.items.map((t) => t.email));
    cursor = page.next;
  } while (cursor);
  return emails.sort();
}

describe('TestFlight panel', () => {
  panelSuiteHooks();

  it('opens through appdesk.openTestFlight for an account and app', async function () {
    assert.equal(await openThroughCommand('appdesk.openTestFlight', 'testflight', LUMEN), 'TestFlight: Lumen Notes');
  });

  it('its webview loads and gets the groups and the testers of its restored group', async function () {
    this.timeout(90_000);
    const d = await openPanel({ live: true });
    const init = await d.waitFor('init', undefined, 0, 60_000);
    assert.deepEqual(init, { type: 'init', provider: 'Sandbox App Store Connect', appName: 'Lumen Notes', bundleId: 'com.lumenlabs.notes', feedback: true, crashLogs: true });
    assert.deepEqual(d.fromWebview[0], { type: 'ready', groupId: null });
    const groups = await d.waitFor('groups', undefined, 0, 20_000);
    assert.deepEqual(groups.groups.map((g) => [g.name, g.internal, g.testerCount]), [['Internal QA', true, 2], ['Design Partners', false, 3], ['Public Beta', false, 3]]);
    const testers = await d.waitFor('testers', undefined, 0, 20_000);
    assert.equal(testers.groupId, null);
    assert.equal(testers.items.length, 6);
    const maya = testers.items.find((t) => t.email === 'maya.okafor@lumenlabs.example.com')!;
    assert.deepEqual([maya.firstName, maya.lastName, maya.state], ['Maya', 'Okafor', 'INSTALLED']);
  });

  it('restores the chosen group, and lists a group\'s testers when one is selected', async () => {
    const first = await openReady();
    const partners = first.groups.find((g) => g.name === 'Design Partners')!;
    first.d.dispose();
    let d = await openPanel();
    await d.send({ type: 'ready', groupId: partners.id });
    const groups = await d.waitFor('groups');
    assert.equal(groups.selected, partners.id);
    const testers = await d.waitFor('testers');
    assert.equal(testers.groupId, partners.id);
    assert.deepEqual(testers.items.map((t) => t.email).sort(), ['jonas.berg@lumenlabs.example.com', 'lucia.fernandez@example.com', 'priya@studio-raman.example.com']);
    const from = d.sent.length;
    await d.send({ type: 'selectGroup', groupId: null });
    assert.equal((await d.waitFor('testers', undefined, from)).items.length, 6);
    // A group that does not exist (any more) falls back to every tester.
    d.dispose();
    d = await openPanel();
    await d.send({ type: 'ready', groupId: 'gone-group' });
    assert.equal((await d.waitFor('groups')).selected, null);
  });

  it('adds a tester to a group; the sandbox lists it there', async () => {
    const opened = await openReady();
    const d = opened.d;
    const beta = opened.groups.find((g) => g.name === 'Public Beta')!;
    const from = d.sent.length;
    await d.send({ type: 'addTester', email: ' grace@example.org ', firstName: 'Grace', lastName: 'Hopper', groupId: beta.id });
    const added = await d.waitFor('testerAdded', undefined, from);
    assert.equal(added.tester.email, 'grace@example.org');
    assert.equal(added.groupId, beta.id);
    assert.ok((await groupEmails(d.connection, beta.id)).includes('grace@example.org'));
  });

  it('refuses an invalid email without calling the API, and reports the API\'s own refusal', async () => {
    const opened = await openReady();
    const d = opened.d;
    const start = (await sandboxRequests()).length;
    let from = d.sent.length;
    await d.send({ type: 'addTester', email: 'grace@', firstName: '', lastName: '', groupId: null });
    const invalid = await d.waitFor('addFailed', undefined, from);
    assert.equal(invalid.error.kind, 'validation');
    assert.match(invalid.error.fieldErrors?.email?.[0] ?? '', /not a valid email/);
    assert.deepEqual(await apiCallsSince(start), []);
    // Internal groups take App Store Connect users only: the API says so, and the panel passes its words on.
    const internal = opened.groups.find((g) => g.internal)!;
    from = d.sent.length;
    await d.send({ type: 'addTester', email: 'outsider@example.org', firstName: '', lastName: '', groupId: internal.id });
    const refused = await d.waitFor('addFailed', undefined, from);
    assert.match(refused.error.message, /App Store Connect/);
    assert.match(refused.error.message, /internal group/);
  });

  it('imports pasted CSV with a result per row, and only the new testers reach the sandbox', async () => {
    const opened = await openReady();
    const d = opened.d;
    const partners = opened.groups.find((g) => g.name === 'Design Partners')!;
    const csv = [
      'Email,First Name,Last Name',
      'ada@example.org,Ada,Lovelace',
      'priya@studio-raman.example.com,Priya,Raman', // already in the group
      'not-an-email,Bad,Row',
      '"linus@example.org","Torvalds, Linus",',
      'ADA@example.org,Ada,Again', // listed twice
      '',
      'maya.okafor@lumenlabs.example.com,Maya,Okafor', // a tester of the app, not yet in this group
    ].join('\n');
    const from = d.sent.length;
    await d.send({ type: 'bulkAdd', csv, groupId: partners.id });
    const started = await d.waitFor('bulkStarted', undefined, from);
    assert.equal(started.total, 6);
    const done = await d.waitFor('bulkDone', undefined, from, 30_000);
    assert.equal(done.cancelled, false);
    assert.deepEqual(done.counts, { added: 3, exists: 2, invalid: 1, failed: 0, cancelled: 0 });
    const results = d.sent.slice(from).flatMap((m) => (m.type === 'bulkProgress' ? m.results : [])) as BulkRowResult[];
    const byLine = Object.fromEntries(results.map((r) => [r.line, r.status]));
    assert.deepEqual(byLine, { 2: 'added', 3: 'exists', 4: 'invalid', 5: 'added', 6: 'exists', 8: 'added' });
    const emails = await groupEmails(d.connection, partners.id);
    assert.deepEqual(emails, ['ada@example.org', 'jonas.berg@lumenlabs.example.com', 'linus@example.org', 'lucia.fernandez@example.com', 'maya.okafor@lumenlabs.example.com', 'priya@studio-raman.example.com']);
    const linus = (await d.connection.services.testers!.testers(LUMEN, { groupId: partners.id })).items.find((t) => t.email === 'linus@example.org')!;
    assert.equal(linus.firstName, 'Torvalds, Linus');
  });

  it('stops an import when cancelled; every row is accounted for and nothing is sent afterwards', async function () {
    this.timeout(60_000);
    const opened = await openReady();
    const d = opened.d;
    const beta = opened.groups.find((g) => g.name === 'Public Beta')!;
    // Slow the API down so the cancel lands mid-import.
    await fetch(`${sandboxOrigin()}/_sandbox/options`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs: 150 }) });
    try {
      const csv = Array.from({ length: 40 }, (_, i) => `bulk${i}@example.org,Bulk,${i}`).join('\n');
      const from = d.sent.length;
      const run = d.send({ type: 'bulkAdd', csv, groupId: beta.id }); // awaited after the cancel is sent
      await d.waitFor('bulkProgress', (m) => m.results.some((r) => r.status === 'added'), from, 30_000);
      await d.send({ type: 'cancelBulk' });
      await run;
      const done = await d.waitFor('bulkDone', undefined, from);
      assert.equal(done.cancelled, true);
      const c = done.counts;
      assert.equal(c.added + c.exists + c.invalid + c.failed + c.cancelled, 40);
      assert.ok(c.cancelled > 0 && c.added > 0, JSON.stringify(c));
      const results = d.sent.slice(from).flatMap((m) => (m.type === 'bulkProgress' ? m.results : [])) as BulkRowResult[];
      assert.equal(results.length, 40);
      const settle = (await sandboxRequests()).length;
      await new Promise((r) => setTimeout(r, 500));
      assert.deepEqual(await apiCallsSince(settle), [], 'no request after the import ended');
      const inGroup = (await groupEmails(d.connection, beta.id)).filter((e) => e.startsWith('bulk'));
      // Rows in flight when cancelled may or may not have been applied; never more than the few in flight.
      assert.ok(inGroup.length >= c.added && inGroup.length <= c.added + 3, `${inGroup.length} in the group, ${c.added} reported added`);
    } finally {
      await fetch(`${sandboxOrigin()}/_sandbox/options`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs: 0 }) });
    }
  });

  it('removes a tester from a group, then from the app, each after a confirmation', async () => {
    const opened = await openReady();
    const d = opened.d;
    const partners = opened.groups.find((g) => g.name === 'Design Partners')!;
    let from = d.sent.length;
    await d.send({ type: 'selectGroup', groupId: partners.id });
    const lucia = (await d.waitFor('testers', undefined, from)).items.find((t) => t.email === 'lucia.fernandez@example.com')!;
    const start = (await sandboxRequests()).length;
    const declined = answerWarnings(undefined);
    try {
      await d.send({ type: 'removeTester', testerId: lucia.id, groupId: partners.id });
    } finally {
      declined.restore();
    }
    assert.match(String(declined.calls[0]![0]), /Remove Lucía Fernández <lucia\.fernandez@example\.com> from the group "Design Partners"\?/);
    assert.deepEqual(await apiCallsSince(start), []);

    from = d.sent.length;
    const ok = answerWarnings('Remove');
    try {
      await d.send({ type: 'removeTester', testerId: lucia.id, groupId: partners.id });
    } finally {
      ok.restore();
    }
    assert.deepEqual(await d.waitFor('testerRemoved', undefined, from), { type: 'testerRemoved', testerId: lucia.id, groupId: partners.id });
    assert.ok(!(await groupEmails(d.connection, partners.id)).includes('lucia.fernandez@example.com'));
    const all = await d.connection.services.testers!.testers(LUMEN);
    assert.ok(all.items.some((t) => t.email === 'lucia.fernandez@example.com'), 'still a tester of the app (Public Beta)');

    // From the app: she leaves every group.
    from = d.sent.length;
    await d.send({ type: 'selectGroup', groupId: null });
    await d.waitFor('testers', undefined, from);
    from = d.sent.length;
    const again = answerWarnings('Remove');
    try {
      await d.send({ type: 'removeTester', testerId: lucia.id, groupId: null });
    } finally {
      again.restore();
    }
    assert.match(String(again.calls[0]![0]), /from Lumen Notes\?/);
    await d.waitFor('testerRemoved', (m) => m.groupId === null, from);
    const after = await d.connection.services.testers!.testers(LUMEN);
    assert.ok(!after.items.some((t) => t.email === 'lucia.fernandez@example.com'));
  });

  it('lists beta feedback with https screenshots, and opens a crash log read-only in an editor', async () => {
    const opened = await openReady();
    const d = opened.d;
    let from = d.sent.length;
    await d.send({ type: 'loadFeedback' });
    const feedback = await d.waitFor('feedback', undefined, from);
    assert.equal(feedback.items.length, 4);
    assert.deepEqual(feedback.items.map((f) => f.type), ['screenshot', 'crash', 'screenshot', 'crash'], 'newest first');
    const shot = feedback.items[0]!;
    assert.equal(shot.text, 'The new dark canvas makes the lasso tool invisible.');
    assert.equal(shot.details?.device, 'iPhone16,2');
    assert.ok(shot.screenshots?.length && shot.screenshots.every((s) => s.url.startsWith('https://')));
    const crash = feedback.items.find((f) => f.type === 'crash')!;
    from = d.sent.length;
    await d.send({ type: 'openCrashLog', entryId: crash.id });
    const editor = (await eventually(() => vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'log'), 'the crash log editor'))!;
    assert.equal(editor.document.isUntitled, true);
    assert.ok(editor.document.getText().length > 100, 'the crash log text');
    assert.ok(!d.sent.slice(from).some((m) => m.type === 'crashLogFailed'));
  });

  it('ignores malformed or unknown messages without calling the API', async () => {
    const opened = await openReady();
    const d = opened.d;
    const start = (await sandboxRequests()).length;
    const sentBefore = d.sent.length;
    const ok = answerWarnings('Remove');
    try {
      for (const bad of [
        { type: 'removeTester', testerId: 'unknown', groupId: null },
        { type: 'removeTester', testerId: 'x y', groupId: null },
        { type: 'addTester', email: 'a@b.co' },
        { type: 'bulkAdd', csv: 'x'.repeat(600_000), groupId: null },
        { type: 'openCrashLog', entryId: 'unknown' },
        { type: 'selectGroup', groupId: 'unknown-group' },
        { type: 'eval', code: '1' }, [], 'ready',
      ]) await d.send(bad);
    } finally {
      ok.restore();
    }
    assert.equal(ok.calls.length, 0);
    assert.deepEqual(await apiCallsSince(start), []);
    assert.equal(d.sent.length, sentBefore);
  });
});
