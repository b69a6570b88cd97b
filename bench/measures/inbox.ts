// Feedback inbox with 10,000 items.
//  1. Extension host heap: the real InboxPanel (bench/host/vscodeStub.ts stands in for the vscode API) loads
//     10,000 reviews and TestFlight submissions from in-memory accounts (bench/lib/inboxData.ts) page by page and
//     posts them as it does to a webview; the figure is heapUsed after a full GC minus heapUsed before opening
//     (what the open inbox keeps), with the peak during loading alongside. Run with --expose-gc.
//  2. Webview in Chromium: dist/webview/inbox.js in a plain page (stub acquireVsCodeApi) receives the 10,000
//     InboxItems that the panel posted, in one message; figures: message posted → first rows in the DOM and the
//     next frame, and the time to apply a filter (the webview's own filter pass, `body.dataset.filterMs`).
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { InboxPanel } from '../../src/panels/inboxPanel';
import type { InboxItem } from '../../src/protocol/inbox';
import { nullLogger } from '../../src/core/logger';
import { launchBrowser } from '../../test/harness/codeServer';
import { stub, Uri } from '../host/vscodeStub';
import { inboxAccounts } from '../lib/inboxData';
import { fmt, main, type MeasureResult, type TableRow } from '../lib/result';
import { flag, numberFlag, summarize, type Summary } from '../lib/stats';

const REPEATS = numberFlag('repeats', 7);
const ROOT = resolve(flag('extension', resolve(__dirname, '..', '..', '..')));
const MB = 1024 * 1024;

type Gc = () => void;
const gc = (globalThis as { gc?: Gc }).gc;

function fullGc(): void {
  if (!gc) throw new Error('run with node --expose-gc');
  for (let i = 0; i < 3; i++) gc();
}

/** Opens the inbox over `data`, answers its `ready`, and resolves when loading has finished. */
async function openInbox(data: ReturnType<typeof inboxAccounts>, onPost: (text: string) => void): Promise<() => void> {
  stub.onPost = onPost;
  let finished!: () => void;
  const done = new Promise<void>((r) => (finished = r));
  const outer = stub.onPost;
  stub.onPost = (text) => {
    outer(text);
    if (text.startsWith('{"type":"progress","loading":false')) finished();
  };
  const before = stub.panels.length;
  InboxPanel.show({ extensionUri: Uri.file(ROOT) as unknown as import('vscode').Uri, logger: nullLogger, accounts: () => data.accounts, connection: data.connection });
  const panel = stub.panels[before]!;
  panel.receive({ type: 'ready' });
  await done;
  stub.onPost = () => undefined;
  return () => panel.dispose();
}

async function hostHeap(): Promise<{ retained: Summary; peak: Summary; items: number }> {
  const retained: number[] = [];
  const peak: number[] = [];
  let items = 0;
  const data = inboxAccounts();
  for (let i = 0; i < REPEATS + 1; i++) {
    fullGc();
    const base = process.memoryUsage().heapUsed;
    let max = base;
    let count = 0;
    const close = await openInbox(data, (text) => {
      if (text.startsWith('{"type":"items"')) count += (JSON.parse(text) as { items: unknown[] }).items.length;
      max = Math.max(max, process.memoryUsage().heapUsed);
    });
    fullGc();
    const after = process.memoryUsage().heapUsed;
    close();
    await new Promise((r) => setTimeout(r, 20)); // the closed panel's data is released once its callers have returned
    items = count;
    if (i === 0) continue; // the first open also loads code paths once; not counted
    retained.push((after - base) / MB);
    peak.push((max - base) / MB);
  }
  return { retained: summarize(retained), peak: summarize(peak), items };
}

/** The `items` messages the panel posts for the same data (pages of 50), as the webview would receive them. */
async function postedMessages(): Promise<InboxItem[][]> {
  const pages: InboxItem[][] = [];
  const close = await openInbox(inboxAccounts(), (text) => {
    if (text.startsWith('{"type":"items"')) pages.push((JSON.parse(text) as { items: InboxItem[] }).items);
  });
  close();
  return pages;
}

function serve(webviewDir: string, mediaDir: string): Promise<Server> {
  const files: Record<string, [string, string]> = {
    '/inbox.js': [join(webviewDir, 'inbox.js'), 'text/javascript'],
    '/codicon.css': [join(webviewDir, 'codicon.css'), 'text/css'],
    '/codicon.ttf': [join(webviewDir, 'codicon.ttf'), 'font/ttf'],
    '/panel.css': [join(mediaDir, 'panel.css'), 'text/css'],
  };
  const html =
    '<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><link rel="stylesheet" href="/codicon.css" id="vscode-codicon-stylesheet">' +
    '<link rel="stylesheet" href="/panel.css"><title>Feedback Inbox</title></head><body><main id="app" aria-busy="true"><p class="muted">Loading…</p></main>' +
    '<script src="/inbox.js"></script></body></html>';
  const server = createServer((req, res) => {
    const f = files[req.url ?? ''];
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(html);
    } else if (f) {
      res.writeHead(200, { 'content-type': f[1] });
      res.end(readFileSync(f[0]));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

const STUB_API = `
  window.__posted = [];
  let state;
  window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => state, setState: (s) => { state = s; } });
`;

/**
 * In the page: posts the items, either all in one message or as the panel streams them (one message per page,
 * back to back); resolves with ms from the first post to the first rows in the DOM and to the frame after the list
 * holds every item (sorted, filtered and its visible window rendered).
 */
const RENDER = `async (mode) => {
  const win = document.querySelector('.vlist-window');
  const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  window.postMessage({ type: 'reset', sources: [{ source: 'review', label: 'App Store reviews' }, { source: 'testflight', label: 'TestFlight feedback' }, { source: 'inapp', label: 'In-app feedback' }] }, '*');
  await frame(); await frame();
  const pages = window.__pages;
  const n = pages.reduce((k, p) => k + p.length, 0);
  const all = mode === 'one' ? [pages.flat()] : pages;
  const rendered = new Promise((resolve) => {
    const mo = new MutationObserver(() => { if (win.children.length) { mo.disconnect(); resolve(performance.now()); } });
    mo.observe(win, { childList: true });
  });
  const complete = new Promise((resolve) => {
    const mo = new MutationObserver(() => { if (Number(document.body.dataset.total) === n) { mo.disconnect(); resolve(); } });
    mo.observe(document.body, { attributes: true, attributeFilter: ['data-total'] });
  });
  const t0 = performance.now();
  for (const items of all) window.postMessage({ type: 'items', items }, '*');
  const tDom = await rendered;
  await complete;
  win.getBoundingClientRect();
  await frame();
  return { first: tDom - t0, all: performance.now() - t0, total: Number(document.body.dataset.total) };
}`;

/** In the page: puts every filter back to its default (not timed), waits for the debounced search to settle. */
const RESET = `async () => {
  const q = (s) => document.querySelector(s);
  const s = q('input[type=search]'); s.value = ''; s.dispatchEvent(new Event('input'));
  for (const sel of ['select[aria-label=Rating]', 'select[aria-label=Type]']) { const e = q(sel); e.value = ''; e.dispatchEvent(new Event('change')); }
  for (const b of document.querySelectorAll('.toolbar input[type=checkbox]')) {
    const want = b.id === 'f-unanswered' || b.id === 'f-archived' ? false : true;
    if (b.checked !== want) { b.checked = want; b.dispatchEvent(new Event('change')); }
  }
  await new Promise((r) => setTimeout(r, 150));
}`;

/** In the page: applies one filter; resolves with the webview's filter-pass time and the time to the next frame. */
const FILTER = `async (op) => {
  const q = (s) => document.querySelector(s);
  const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  document.body.dataset.filterMs = '';
  const t0 = performance.now();
  if (op === 'search') { const s = q('input[type=search]'); s.value = 'crash sync'; s.dispatchEvent(new Event('input')); }
  if (op === 'rating') { const s = q('select[aria-label=Rating]'); s.value = 'low'; s.dispatchEvent(new Event('change')); }
  if (op === 'type') { const s = q('select[aria-label=Type]'); s.value = 'screenshot'; s.dispatchEvent(new Event('change')); }
  if (op === 'source') { const b = document.querySelector('.toolbar input[type=checkbox]'); b.checked = false; b.dispatchEvent(new Event('change')); }
  if (op === 'unanswered') { const b = q('#f-unanswered'); b.checked = true; b.dispatchEvent(new Event('change')); }
  while (!document.body.dataset.filterMs) await new Promise((r) => setTimeout(r, 2));
  const filterMs = Number(document.body.dataset.filterMs);
  await frame();
  return { filterMs, frame: performance.now() - t0, visible: Number(document.body.dataset.visible) };
}`;

const OPS = ['search', 'rating', 'type', 'source', 'unanswered'] as const;

interface ViewResult {
  one: { first: Summary; all: Summary };
  stream: { first: Summary; all: Summary };
  filters: Record<string, { filterMs: Summary; frame: Summary; visible: number }>;
  total: number;
  messages: number;
  script: string;
}

async function webview(pages: InboxItem[][]): Promise<ViewResult> {
  const staged = join(ROOT, 'dist', 'webview');
  const server = await serve(staged, join(ROOT, 'media'));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchBrowser();
  const times = { one: { first: [] as number[], all: [] as number[] }, stream: { first: [] as number[], all: [] as number[] } };
  const per: Record<string, { filterMs: number[]; frame: number[]; visible: number }> = {};
  let total = 0;
  try {
    for (let i = 0; i < REPEATS + 1; i++) {
      for (const mode of ['one', 'stream'] as const) {
        const page: Page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
        await page.addInitScript(STUB_API);
        await page.goto(origin);
        await page.waitForFunction('window.__posted.some((m) => m.type === "ready")');
        await page.evaluate((list) => { (globalThis as unknown as { __pages: unknown }).__pages = list; }, pages);
        const r = (await page.evaluate(`(${RENDER})(${JSON.stringify(mode)})`)) as { first: number; all: number; total: number };
        total = r.total;
        if (i > 0) {
          times[mode].first.push(r.first);
          times[mode].all.push(r.all);
        }
        if (mode === 'one') {
          for (const op of OPS) {
            await page.evaluate(`(${RESET})()`);
            const f = (await page.evaluate(`(${FILTER})(${JSON.stringify(op)})`)) as { filterMs: number; frame: number; visible: number };
            if (i === 0) continue; // warm-up: first compile of inbox.js, browser caches
            const e = (per[op] ??= { filterMs: [], frame: [], visible: f.visible });
            e.filterMs.push(f.filterMs);
            e.frame.push(f.frame);
          }
        }
        await page.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  const filters = Object.fromEntries(Object.entries(per).map(([k, v]) => [k, { filterMs: summarize(v.filterMs), frame: summarize(v.frame), visible: v.visible }]));
  const sum = (t: { first: number[]; all: number[] }) => ({ first: summarize(t.first), all: summarize(t.all) });
  return { one: sum(times.one), stream: sum(times.stream), filters, total, messages: pages.length, script: join(staged, 'inbox.js') };
}

main(async (): Promise<MeasureResult> => {
  const heap = await hostHeap();
  const pages = await postedMessages();
  const view = await webview(pages);
  const worst = Object.entries(view.filters).sort((a, b) => b[1].filterMs.median - a[1].filterMs.median)[0]!;
  const allFilter = summarize(Object.values(view.filters).flatMap((f) => f.filterMs.samples));
  const syncOps = ['rating', 'type', 'source', 'unanswered'].map((k) => view.filters[k]!.frame.median);
  const rows: TableRow[] = [
    {
      id: 'inbox.firstRender',
      measure: `feedback inbox, ${view.total.toLocaleString('en-US')} items: data → first render`,
      how:
        `Chromium, dist/webview/inbox.js; figure: all items in one message → the frame showing the sorted list; ` +
        `as the panel streams them (${view.messages} messages of ≤ 50): first rows ${fmt(view.stream.first, 0, 'ms')}, all ${fmt(view.stream.all, 0, 'ms')}`,
      value: view.one.all.median,
      unit: 'ms',
      result: fmt(view.one.all, 0, 'ms'),
      budget: '≤ 200 ms',
      limit: '',
      pass: view.one.all.median <= 200,
    },
    {
      id: 'inbox.filter',
      measure: `feedback inbox, ${view.total.toLocaleString('en-US')} items: apply a filter`,
      how: `the webview's filter pass over all items (body.dataset.filterMs; search excludes its 80 ms debounce), ${OPS.length} filters × ${REPEATS}: all ${fmt(allFilter, 1, 'ms')}; figure: the slowest filter ("${worst[0]}"); select/checkbox change → next frame ≤ ${Math.max(...syncOps).toFixed(0)} ms (median)`,
      value: worst[1].filterMs.median,
      unit: 'ms',
      result: fmt(worst[1].filterMs, 1, 'ms'),
      budget: '≤ 50 ms',
      limit: '',
      pass: worst[1].filterMs.median <= 50,
    },
    {
      id: 'inbox.heap',
      measure: `feedback inbox, ${heap.items.toLocaleString('en-US')} items: extension host heap growth`,
      how: `real InboxPanel in Node (vscode stubbed), heapUsed after full GC minus before; peak while loading ${fmt(heap.peak, 1, 'MB')}`,
      value: heap.retained.median,
      unit: 'MB',
      result: fmt(heap.retained, 1, 'MB'),
      budget: '≤ 30 MB',
      limit: '',
      pass: heap.retained.median <= 30,
    },
  ];
  return { measure: 'inbox', rows, notes: [], details: { heap, webview: view } };
});
