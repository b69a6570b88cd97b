// Playwright helpers for the VS Code workbench (e2e tests).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { repoRoot } from './codeServer';

export const screenshotDir = join(repoRoot, 'test-results', 'screenshots');

export async function waitForWorkbench(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  await page.locator('.activitybar').waitFor({ timeout: 60_000 });
}

export async function openAppDeskView(page: Page): Promise<void> {
  const item = page.locator('.activitybar [aria-label^="AppDesk"]').first();
  await item.waitFor({ timeout: 60_000 });
  const expanded = await item.getAttribute('aria-expanded').catch(() => null);
  const sidebarTitle = page.locator('.sidebar .composite.title h2', { hasText: /AppDesk/i });
  if (expanded !== 'true' && !(await sidebarTitle.isVisible().catch(() => false))) await item.click();
  await page.locator('.sidebar').getByText(/APPS/i).first().waitFor({ timeout: 30_000 });
}

export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ timeout: 15_000 });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ timeout: 15_000 });
  await row.click();
}

/** The content frame of the active webview panel. */
export function activeWebview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
