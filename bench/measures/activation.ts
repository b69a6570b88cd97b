// activate() time in the real VS Code extension host: code-server 4.100.3 (VS Code 1.100.3) driven by Chromium,
// AppDesk loaded as the extension under development from the production build (--extension=<folder>, a staging
// copy built by bench/run.mjs with `esbuild.mjs --production`). Each start is a fresh code-server and a fresh
// window, hence a fresh extension-host process; bench/host/activateEntry.ts times `extension.activate()` in it.
// Interleaved with them, an empty extension (package.json + `require('vscode')` + an empty activate) gives the
// physical limit: what VS Code itself spends activating any extension on this machine at this moment.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser, startCodeServer, type CodeServer } from '../../test/harness/codeServer';
import { fmt, main, type MeasureResult } from '../lib/result';
import { flag, numberFlag, summarize } from '../lib/stats';

const STARTS = numberFlag('starts', 10);
const EXTENSION = resolve(flag('extension', resolve(__dirname, '..', '..', '..')));
const ENTRY = join(__dirname, 'activateEntry');

/** The workbench URL with `extensionPath` as the extension under development and `testsPath` as its test entry. */
function url(server: CodeServer, extensionPath: string, testsPath: string): string {
  const host = new URL(server.origin).host;
  const payload: [string, string][] = [
    ['extensionDevelopmentPath', `vscode-remote://${host}${extensionPath}`],
    ['extensionTestsPath', `vscode-remote://${host}${testsPath}`],
    ['skipWelcome', 'true'],
  ];
  return `${server.origin}/?folder=${encodeURIComponent(server.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

interface Start { ms: number; loadMs?: number; activateMs?: number; wallMs: number; cpuMs: number; fromMarks: boolean; wasActive: boolean }

const EMPTY_ID = 'appdesk-bench.empty';

/** The smallest extension VS Code will activate: the floor of any activation on this machine. */
function emptyExtension(dir: string): string {
  const ext = join(dir, 'empty-extension');
  mkdirSync(ext, { recursive: true });
  writeFileSync(join(ext, 'package.json'), JSON.stringify({ name: 'empty', publisher: 'appdesk-bench', version: '0.0.1', engines: { vscode: '^1.100.0' }, main: './extension.js' }));
  writeFileSync(join(ext, 'extension.js'), "const vscode = require('vscode');\nexports.activate = () => ({ vscode: typeof vscode });\nexports.deactivate = () => {};\n");
  return ext;
}

async function start(browser: Browser, i: number, dir: string, extensionPath: string, id: string): Promise<Start> {
  const out = join(dir, `activation-${i}.json`);
  const server = await startCodeServer({ env: { APPDESK_BENCH_ACTIVATION_OUT: out, APPDESK_BENCH_EXTENSION_ID: id } });
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  try {
    const exited = new Promise<number>((resolveExit, reject) => {
      const timer = setTimeout(() => reject(new Error('the window did not finish within 120 s')), 120_000);
      void page.exposeFunction('codeAutomationExit', (code: number) => { clearTimeout(timer); resolveExit(code); });
      void page.exposeFunction('codeAutomationLog', () => undefined);
    });
    await page.goto(url(server, extensionPath, ENTRY));
    await exited;
    const r = JSON.parse(readFileSync(out, 'utf8')) as Partial<Start> & { error?: string };
    if (r.error || typeof r.ms !== 'number') throw new Error(r.error ?? 'no figure written');
    return r as Start;
  } finally {
    await page.close().catch(() => undefined);
    await server.stop();
  }
}

main(async (): Promise<MeasureResult> => {
  const dir = mkdtempSync(join(tmpdir(), 'appdesk-bench-activation-'));
  const browser = await launchBrowser();
  try {
    const empty = emptyExtension(dir);
    const runs: Start[] = [];
    const floor: Start[] = [];
    for (let i = 0; i < STARTS; i++) {
      const r = await start(browser, i, dir, EXTENSION, 'appdesk.appdesk');
      runs.push(r);
      process.stderr.write(`  activation ${i + 1}/${STARTS}: ${r.ms.toFixed(1)} ms (load ${r.loadMs?.toFixed(1)}, activate ${r.activateMs?.toFixed(1)}, wall ${r.wallMs.toFixed(1)}, cpu ${r.cpuMs.toFixed(1)})\n`);
      if (i % 2 === 0) {
        const e = await start(browser, STARTS + i, dir, empty, EMPTY_ID);
        floor.push(e);
        process.stderr.write(`  empty extension: ${e.ms.toFixed(1)} ms\n`);
      }
    }
    const limit = summarize(floor.map((r) => r.ms));
    const ms = summarize(runs.map((r) => r.ms));
    const load = summarize(runs.map((r) => r.loadMs ?? NaN));
    const activate = summarize(runs.map((r) => r.activateMs ?? NaN));
    const wall = summarize(runs.map((r) => r.wallMs));
    const early = runs.filter((r) => r.wasActive).length;
    const marks = runs.every((r) => r.fromMarks);
    return {
      measure: 'activation',
      rows: [
        {
          id: 'activation',
          measure: '`activate()` time',
          how: marks
            ? `real extension host (code-server 4.100.3), production build, ${STARTS} fresh starts; VS Code's own figures: code loading ${fmt(load, 1, 'ms')} + activate() ${fmt(activate, 1, 'ms')}; extension.activate() wall time incl. VS Code's context set-up ${fmt(wall, 0, 'ms')}`
            : `real extension host (code-server 4.100.3), production build, ${STARTS} fresh starts; wall time of extension.activate() (VS Code's performance marks were not found)`,
          value: ms.median,
          unit: 'ms',
          result: fmt(ms, 1, 'ms'),
          budget: '≤ 20 ms',
          limit: `${fmt(limit, 1, 'ms')}: an empty extension in the same host`,
          pass: ms.median <= 20 && early === 0,
        },
      ],
      notes: early ? [`${early} of ${STARTS} windows had activated AppDesk before the measurement; those figures are not activation times.`] : [],
      details: { extension: EXTENSION, runs, load, activate, wall, emptyExtension: { runs: floor, ms: limit } },
    };
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
