// Runs AppDesk inside a real VS Code: code-server 4.100.3 (VS Code 1.100.3) driven by Debian Chromium through
// playwright-core, as ../shared/reference/testing-in-real-vscode.md describes. Used by the integration runner
// (Mocha inside the extension host) and by the e2e tests (Playwright on the workbench).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** The repository root: the nearest folder above this bundle with AppDesk's package.json (bundles live at different depths). */
export const repoRoot = findRepoRoot(__dirname);

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = resolve(dir, '..')) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'appdesk') return dir;
    if (resolve(dir, '..') === dir) throw new Error(`AppDesk's package.json not found above ${from}`);
  }
}
const version = '4.100.3';
const cacheDir = process.env.APPDESK_CODE_SERVER_CACHE ?? join(repoRoot, '.vscode-test', `code-server-${version}`);
const entry = join(cacheDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/** Installs code-server into the ignored cache folder on first use; later runs reuse it. */
export function ensureCodeServer(): void {
  if (existsSync(join(cacheDir, '.installed'))) return;
  const r = spawnSync('bash', [join(repoRoot, 'test', 'harness', 'install-code-server.sh')], { stdio: 'inherit', env: process.env });
  if (r.status !== 0) throw new Error('installing code-server failed');
}

export interface CodeServer {
  origin: string;
  workspace: string;
  userDataDir: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Extra environment for the server and so for the extension host (e.g. the sandbox URL). */
  env?: Record<string, string>;
  /** User settings written before start. */
  settings?: Record<string, unknown>;
  /** Files to create in the workspace folder. */
  workspaceFiles?: Record<string, string>;
  /** Port to listen on (0 picks a free one). */
  port?: number;
}

export async function startCodeServer(opts: StartOptions = {}): Promise<CodeServer> {
  ensureCodeServer();
  const root = mkdtempSync(join(tmpdir(), 'appdesk-vscode-'));
  const userDataDir = join(root, 'data');
  const workspace = join(root, 'workspace');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(workspace, { recursive: true });
  for (const [name, text] of Object.entries(opts.workspaceFiles ?? {})) writeFileSync(join(workspace, name), text);
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      ...opts.settings,
    }),
  );
  const proc: ChildProcess = spawn(
    process.execPath,
    [
      entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${opts.port ?? 0}`, '--disable-telemetry', '--disable-update-check',
      '--disable-workspace-trust', '--disable-getting-started-override', '--user-data-dir', userDataDir,
      '--extensions-dir', join(root, 'exts'), workspace,
    ],
    { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const origin = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) { clearTimeout(timer); resolvePromise(m[1]!); }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`code-server exited (${code}):\n${output}`)); });
  });
  if (process.env.APPDESK_DEBUG_HARNESS) {
    proc.stdout?.on('data', (c: Buffer) => process.stderr.write(`[code-server] ${c}`));
    proc.stderr?.on('data', (c: Buffer) => process.stderr.write(`[code-server] ${c}`));
  }
  return {
    origin,
    workspace,
    userDataDir,
    stop: async () => {
      if (proc.exitCode === null) {
        const exited = new Promise<void>((r) => proc.once('exit', () => r()));
        proc.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.APPDESK_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
}

/** The workbench URL that loads AppDesk as the extension under development. */
export function workbenchUrl(server: CodeServer, testsPath?: string): string {
  const host = new URL(server.origin).host;
  const payload: [string, string][] = [
    ['extensionDevelopmentPath', `vscode-remote://${host}${repoRoot}`],
    ['skipWelcome', 'true'],
  ];
  if (testsPath) payload.push(['extensionTestsPath', `vscode-remote://${host}${testsPath}`]);
  return `${server.origin}/?folder=${encodeURIComponent(server.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

export interface WorkbenchOptions {
  /** Compiled Mocha entry without `.js`; omit to keep the window open for UI tests. */
  testsPath?: string;
  /** Called with the exit code when VS Code's extension host finishes a test run. */
  onExit?: (code: number) => void;
  /** Console lines of the test run (Mocha output arrives through this). */
  onLog?: (line: string) => void;
  viewport?: { width: number; height: number };
}

/** Opens the workbench with AppDesk loaded as the extension under development. */
export async function openWorkbench(browser: Browser, server: CodeServer, opts: WorkbenchOptions = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: opts.viewport ?? { width: 1400, height: 900 } });
  await page.exposeFunction('codeAutomationExit', (code: number) => opts.onExit?.(code));
  await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
    opts.onLog?.(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  });
  await page.goto(workbenchUrl(server, opts.testsPath));
  return page;
}
