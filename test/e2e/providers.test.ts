// AppTweak, AppsFlyer, Apptentive and the unified inbox as a person sees them in the real VS Code window, on the
// demo data (Explore Demo Data starts the sandbox inside the extension host): the accounts and apps in the tree,
// AppTweak's status badges, AppsFlyer's request budget on its account row, the Feedback panel creating and
// archiving a record, the Surveys panel deactivating a survey, and the inbox with all three sources. Each panel
// is photographed to test-results/screenshots/providers-*.png.
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, openWorkbench, startCodeServer, type CodeServer } from '../harness/codeServer';
import { activeWebview, openAppDeskView, screenshot, waitForWorkbench } from '../harness/workbench';

const tree = (page: Page): Locator => page.locator('.sidebar .monaco-list[role="tree"]').first();

/** A tree row by the text of its label (aria-labels of rows with a plain tooltip are the tooltip). */
function row(page: Page, label: string | RegExp, level?: number): Locator {
  const name = typeof label === 'string' ? new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : label;
  const rows = tree(page).locator(level ? `.monaco-list-row[aria-level="${level}"]` : '.monaco-list-row');
  return rows.filter({ has: page.locator('.label-name', { hasText: name }) }).first();
}

async function waitUntil(fn: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await fn().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Expands or collapses a row with its twistie (clicking the row itself would run its command). */
async function setExpanded(page: Page, r: Locator, want: boolean): Promise<void> {
  await r.waitFor({ timeout: 30_000 });
  if ((await r.getAttribute('aria-expanded')) !== String(want)) await r.locator('.monaco-tl-twistie').click();
  await waitUntil(async () => (await r.getAttribute('aria-expanded')) === String(want), `a row ${want ? 'expanded' : 'collapsed'}`);
}

/** What a row shows: label, description and its icon (codicon and colour). */
async function rowView(r: Locator): Promise<{ label: string; description: string; icon: string; color: string }> {
  await r.waitFor({ timeout: 30_000 });
  return r.evaluate((el) => {
    const icon = el.querySelector('.custom-view-tree-node-item-icon') as unknown as { classList: Iterable<string>; style: { color: string } } | null;
    return {
      label: el.querySelector('.label-name')?.textContent ?? '',
      description: el.querySelector('.label-description')?.textContent ?? '',
      icon: [...(icon?.classList ?? [])].find((c) => c.startsWith('codicon-')) ?? '',
      color: icon?.style.color ?? '',
    };
  });
}

/** A theme colour as the workbench resolves it (`rgb(…)`), e.g. `testing.iconPassed`. */
async function themeColor(page: Page, id: string): Promise<string> {
  const v = `--vscode-${id.replace(/\./g, '-')}`;
  return page.evaluate(`(() => { const el = document.createElement('span'); el.style.color = 'var(${v})'; document.querySelector('.monaco-workbench').append(el); const c = getComputedStyle(el).color; el.remove(); return c; })()`) as Promise<string>;
}

/** Widens the side bar so rows show their descriptions in full. */
async function widenSidebar(page: Page, by: number): Promise<void> {
  const box = (await page.locator('.part.sidebar').boundingBox())!;
  const x = box.x + box.width;
  const y = box.y + box.height / 2;
  await page.mouse.move(x - 1, y);
  await page.mouse.down();
  await page.mouse.move(x + by / 2, y, { steps: 5 });
  await page.mouse.move(x + by, y, { steps: 5 });
  await page.mouse.up();
}

describe('AppTweak, AppsFlyer, Apptentive and the inbox in the VS Code window', () => {
  let server: CodeServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    server = await startCodeServer();
    browser = await launchBrowser();
    page = await openWorkbench(browser, server, { viewport: { width: 1600, height: 1000 } });
    await waitForWorkbench(page);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('connects the demo accounts of every provider and shows them in the tree', async () => {
    await openAppDeskView(page);
    await page.locator('.sidebar .welcome-view-content .monaco-button', { hasText: 'Explore Demo Data' }).click();
    await row(page, 'Demo AppTweak', 2).waitFor({ timeout: 60_000 });
    await widenSidebar(page, 260);
    for (const provider of ['AppTweak', 'AppsFlyer', 'Apptentive']) await row(page, provider, 1).waitFor();
    for (const account of ['Demo AppTweak', 'Demo AppsFlyer', 'Demo Apptentive — Northwind Trails (iOS)', 'Demo Apptentive — Northwind Trails (Android)']) {
      assert.match((await rowView(row(page, account, 2))).description, /^demo · local sandbox/, account);
    }
    // The apps: AppsFlyer's under its account, Apptentive's one per account.
    await row(page, 'Tiny Kingdom', 3).waitFor();
    await row(page, 'Northwind Trails (iOS)', 3).waitFor();
    await row(page, 'Northwind Trails (Android)', 3).waitFor();
  });

  it('shows AppTweak integrations with their status badges and their apps', async () => {
    const integration = (login: string, store: string) => tree(page).locator('.monaco-list-row[aria-level="3"]').filter({
      has: page.locator('.label-name', { hasText: new RegExp(`^${login.replace(/[.@]/g, '\\$&')}$`) }),
    }).filter({ has: page.locator('.label-description', { hasText: new RegExp(`^${store}$`) }) }).first();
    const badge = async (login: string, store: string) => {
      const v = await rowView(integration(login, store));
      return `${v.icon} ${v.color}`;
    };
    const passed = await themeColor(page, 'testing.iconPassed');
    const warning = await themeColor(page, 'problemsWarningIcon.foreground');
    const error = await themeColor(page, 'problemsErrorIcon.foreground');
    assert.ok(new Set([passed, warning, error]).size === 3 && passed.startsWith('rgb'), `three distinct theme colours: ${passed}, ${warning}, ${error}`);
    assert.equal(await badge('release@northwind-apps.com', 'App Store Connect'), `codicon-plug ${passed}`);
    assert.equal(await badge('release@northwind-apps.com', 'Google Play Console'), `codicon-plug ${passed}`);
    assert.equal(await badge('legacy-admin@northwind-apps.com', 'App Store Connect'), `codicon-key ${warning}`);
    assert.equal(await badge('android@northwind-apps.com', 'Google Play Console'), `codicon-error ${error}`);
    assert.equal(await badge('old-team@northwind-apps.com', 'App Store Connect'), `codicon-debug-disconnect ${warning}`);
    assert.equal(await badge('finance@northwind-apps.com', 'Google Play Reports'), `codicon-key ${error}`);
    assert.equal(await badge('aso@blueharbor-studio.com', 'App Store Connect'), `codicon-plug ${passed}`);

    // Hovering a badge explains it.
    await integration('legacy-admin@northwind-apps.com', 'App Store Connect').hover();
    const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: /two-factor code/ }).first();
    await hover.waitFor({ timeout: 15_000 });
    assert.match(await hover.innerText(), /Re-enter the two-factor code in AppTweak → Integrations/);

    await setExpanded(page, integration('release@northwind-apps.com', 'App Store Connect'), true);
    await row(page, 'Summit Log — Hiking Journal', 4).waitFor();
    await setExpanded(page, integration('aso@blueharbor-studio.com', 'App Store Connect'), true);
    await row(page, 'Tom & Jerry\'s "Best" <Puzzle> Club', 4).waitFor();
    await setExpanded(page, integration('old-team@northwind-apps.com', 'App Store Connect'), true);
    await row(page, 'No apps', 4).waitFor();
    await page.mouse.move(900, 500);
    await screenshot(page, 'providers-tree-apptweak');
  });

  it('shows AppsFlyer\'s request budget on its account row', async () => {
    const account = row(page, 'Demo AppsFlyer', 2);
    const v = await rowView(account);
    const m = /^demo · local sandbox · (\d+)\/100 requests left$/.exec(v.description);
    assert.ok(m, `the budget in the row's description: "${v.description}"`);
    assert.ok(Number(m[1]) < 100 && Number(m[1]) >= 90, 'the listing was counted');
    await account.hover();
    const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: /AppsFlyer requests today/ }).first();
    await hover.waitFor({ timeout: 15_000 });
    assert.match(await hover.innerText(), new RegExp(`AppsFlyer requests today: ${m[1]} of 100 left\\. The oldest counted request ages out at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\.`));
    await screenshot(page, 'providers-tree-appsflyer-budget');
    await page.mouse.move(900, 500);
  });

  it('creates a feedback record in the Feedback panel and archives it', async () => {
    const app = row(page, 'Northwind Trails (iOS)', 3);
    await setExpanded(page, app, true);
    await row(page, 'Feedback', 4).click();
    const frame = activeWebview(page);
    await frame.getByRole('heading', { name: 'Northwind Trails (iOS)' }).waitFor({ timeout: 30_000 });
    const list = frame.getByRole('list', { name: 'Feedback' });
    await list.locator('li.entry').first().waitFor({ timeout: 30_000 });
    assert.ok((await list.locator('li.entry').count()) > 10, 'the records are listed');
    assert.match(await frame.locator('.sub').innerText(), /^Feedback · Demo Apptentive — Northwind Trails \(iOS\)$/);
    // A record whose text is HTML is shown as text.
    await list.locator('li.entry', { hasText: '<img src=x onerror=alert(1)>' }).first().waitFor();
    await list.locator('li.entry').first().click();
    await frame.locator('.card table').first().waitFor();
    await screenshot(page, 'providers-feedback');

    const text = `Route export to GPX loses the last waypoint (${Date.now()})`;
    await frame.locator('#new-text').fill(text);
    await frame.locator('#new-kind').selectOption('bug');
    await frame.locator('#new-email').fill('ines@example.com');
    await frame.locator('#new-name').fill('Inès Ortega');
    await frame.locator('vscode-button', { hasText: 'Create Record' }).click();
    await frame.getByRole('status').filter({ hasText: 'Feedback record created.' }).waitFor({ timeout: 30_000 });
    const created = list.locator('li.entry').first();
    assert.match(await created.innerText(), new RegExp(`^bug[\\s\\S]*${text.replace(/[()]/g, '\\$&')}[\\s\\S]*Inès Ortega`));
    assert.equal(await frame.locator('#new-text').inputValue(), '', 'the form is cleared after a create');
    const detail = frame.locator('.card', { hasText: text }).first();
    await detail.waitFor();
    await frame.getByRole('status').scrollIntoViewIfNeeded();
    await screenshot(page, 'providers-feedback-created');

    await detail.locator('vscode-button', { hasText: /\bArchive\b/ }).click();
    await waitUntil(async () => (await list.locator('li.entry', { hasText: text }).count()) === 0, 'the archived record to leave the list');
    await frame.locator('#archived').check();
    const archived = list.locator('li.entry', { hasText: text }).first();
    await archived.waitFor({ timeout: 30_000 });
    assert.match(await archived.innerText(), /· archived/);
    await screenshot(page, 'providers-feedback-archived');
  });

  it('shows a survey\'s responses in the Surveys panel and deactivates it after confirmation', async () => {
    await row(page, 'Surveys', 4).click();
    const frame = activeWebview(page);
    await frame.locator('.sub', { hasText: /^Surveys · / }).waitFor({ timeout: 30_000 });
    const list = frame.getByRole('list', { name: 'Surveys' });
    const trip = list.locator('li.entry', { hasText: 'Trip planner satisfaction' });
    await trip.waitFor({ timeout: 30_000 });
    assert.deepEqual(
      await list.locator('li.entry strong').allInnerTexts(),
      ['Trip planner satisfaction', 'Offline maps feedback', 'Ice Cream Survey', 'Pro pricing'],
    );
    await trip.click();
    const card = frame.locator('.card', { hasText: 'How easy was it to plan your last trip?' });
    await card.waitFor({ timeout: 30_000 });
    assert.match(await card.innerText(), /27 responses/);
    assert.equal(await card.locator('.bar-row').count(), 5 + 5 + 4, 'one bar per answer of each question');
    await screenshot(page, 'providers-surveys');

    await card.locator('vscode-button', { hasText: 'Deactivate Survey…' }).click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    assert.match(await dialog.innerText(), /Deactivate the survey "Trip planner satisfaction"\?/);
    await screenshot(page, 'providers-surveys-confirm');
    await dialog.locator('.monaco-button', { hasText: /^Deactivate$/ }).click();
    await waitUntil(async () => /^inactive$/.test(await trip.locator('.tag').first().innerText()), 'the survey to show inactive');
    assert.equal(await card.locator('vscode-button', { hasText: 'Deactivate Survey…' }).count(), 0, 'no Deactivate on an inactive survey');

    // The tree's Surveys section, refreshed, agrees.
    const section = row(page, 'Surveys', 4);
    await setExpanded(page, section, true);
    const survey = row(page, 'Trip planner satisfaction', 5);
    await waitUntil(async () => /^inactive/.test((await rowView(survey)).description), 'the tree to show the survey inactive');
    await screenshot(page, 'providers-surveys-deactivated');
  });

  it('shows reviews, TestFlight feedback and in-app feedback together in the inbox', async () => {
    await page.locator('.sidebar .actions-container [aria-label="Open Feedback Inbox"]').first().click();
    const frame = activeWebview(page);
    await frame.getByRole('heading', { name: 'Feedback Inbox' }).waitFor({ timeout: 30_000 });
    const status = frame.locator('.header [aria-live="polite"]');
    await waitUntil(async () => /^\d[\d,]* of \d[\d,]* items$/.test(await status.innerText()), 'the inbox to finish loading', 60_000);
    const [shown, total] = (await status.innerText()).match(/[\d,]+/g)!.map((n) => Number(n.replace(/,/g, '')));
    assert.ok(shown! > 0 && total! >= shown!, await status.innerText());
    const sources = frame.getByRole('group', { name: 'Sources' });
    assert.deepEqual((await sources.locator('label').allInnerTexts()).map((l) => l.trim()), ['App Store reviews', 'TestFlight feedback', 'In-app feedback']);
    await screenshot(page, 'providers-inbox');

    // Each source alone: rows of that source only.
    const only = async (label: string, cls: string) => {
      for (const box of await sources.locator('label').all()) {
        const mine = (await box.innerText()).trim() === label;
        const input = box.locator('input');
        if ((await input.isChecked()) !== mine) await input.click();
      }
      await waitUntil(async () => (await frame.locator('.vrow').count()) > 0 && (await frame.locator(`.vrow .src:not(.${cls})`).count()) === 0, `only ${label} rows`);
      return (await status.innerText()).match(/[\d,]+/)![0];
    };
    const reviews = await only('App Store reviews', 'src-review');
    const testflight = await only('TestFlight feedback', 'src-testflight');
    const inapp = await only('In-app feedback', 'src-inapp');
    for (const n of [reviews, testflight, inapp]) assert.ok(Number(n.replace(/,/g, '')) > 0);
    await frame.locator('.vrow').first().click();
    await frame.locator('.inbox-detail vscode-button', { hasText: /\b(Archive|Unarchive)\b/ }).waitFor();
    await screenshot(page, 'providers-inbox-inapp');
    for (const box of await sources.locator('input').all()) if (!(await box.isChecked())) await box.click();
  });

});
