// Builds every target with esbuild; type-checking is separate (`npm run typecheck`).
//   dist/extension.js   extension host (node, cjs, `vscode` external)
//   dist/deferred.js    providers and panels: loaded by the extension on first use (src/deferred.ts)
//   dist/vendor.js      undici, jose, tough-cookie: loaded by the extension on first use (src/core/vendor.ts)
//   dist/cli.js         headless CLI (node, cjs)
//   dist/sandbox.js     local emulation of the five provider APIs (node, cjs)
//   dist/webview/*.js   one browser bundle per panel (webview/<panel>/main.ts)
//   out/test/**         unit, integration and e2e tests, bundled (dev only)
// Flags: --production (minify, no source maps), --watch, --no-tests.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, statSync, mkdirSync, copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const withTests = !process.argv.includes('--no-tests');

function files(dir, pred) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p, pred));
    else if (pred(p)) out.push(p);
  }
  return out;
}

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

// Two files the extension loads on first use, so activation parses neither:
//   src/core/vendor.ts's require('./vendorBundle')  → dist/vendor.js    (undici, jose, tough-cookie)
//   src/providers/catalog.ts's import('../deferred') → dist/deferred.js  (the providers' code and the panels)
// Each is its own bundle. The few small modules both sides use are in both; the one with process-wide state (the
// redactor's secrets) keeps it on globalThis, and errors crossing the line are recognized by shape (isProviderError).
// Elsewhere (CLI, sandbox, tests) everything is inline.
const lazyFiles = {
  name: 'lazy-files',
  setup(build) {
    build.onResolve({ filter: /^\.\/vendorBundle$/ }, (args) =>
      args.importer.endsWith(join('src', 'core', 'vendor.ts')) ? { path: './vendor.js', external: true } : undefined);
    build.onResolve({ filter: /^\.\.\/deferred$/ }, (args) =>
      args.importer.endsWith(join('src', 'providers', 'catalog.ts')) ? { path: './deferred.js', external: true } : undefined);
  },
};
const configs = [
  { ...node, entryPoints: { extension: 'src/extension.ts', deferred: 'src/deferred.ts' }, outdir: 'dist', external: ['vscode'], plugins: [lazyFiles] },
  { ...node, entryPoints: { vendor: 'src/core/vendorBundle.ts' }, outdir: 'dist' },
];
if (existsSync('src/cli/bin.ts')) {
  configs.push({ ...node, entryPoints: { cli: 'src/cli/bin.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } });
}
if (existsSync('sandbox/main.ts')) {
  configs.push({ ...node, entryPoints: { sandbox: 'sandbox/main.ts' }, outdir: 'dist' });
}
const panels = existsSync('webview')
  ? readdirSync('webview').filter((d) => existsSync(join('webview', d, 'main.ts')))
  : [];
if (panels.length) {
  configs.push({
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: production ? false : 'linked',
    minify: production,
    logLevel: 'warning',
    legalComments: 'none',
    entryPoints: Object.fromEntries(panels.map((p) => [p, join('webview', p, 'main.ts')])),
    outdir: 'dist/webview',
    loader: { '.css': 'text' },
  });
}
if (withTests) {
  const testEntries = [
    ...files('test/unit', (p) => p.endsWith('.test.ts')),
    ...files('test/e2e', (p) => p.endsWith('.test.ts')),
    ...files('test/harness', (p) => p.endsWith('.ts')),
    ...['scripts/demo.ts'].filter(existsSync),
    ...['test/integration/index.ts'].filter(existsSync),
    ...files('test/integration', (p) => p.endsWith('.test.ts')),
  ];
  configs.push({
    ...node,
    sourcemap: 'inline',
    minify: false,
    entryPoints: testEntries,
    outbase: '.',
    outdir: 'out',
    external: ['vscode', 'mocha', 'playwright-core'],
  });
}

// A production build starts clean so no development source map ships.
if (production) rmSync('dist', { recursive: true, force: true });

// Codicons font + css ship with the extension for webviews.
mkdirSync('dist/webview', { recursive: true });
for (const f of ['codicon.css', 'codicon.ttf']) {
  const src = join('node_modules/@vscode/codicons/dist', f);
  if (existsSync(src)) copyFileSync(src, join('dist/webview', f));
}

if (watch) {
  for (const c of configs) (await esbuild.context(c)).watch();
  console.log('esbuild: watching');
} else {
  await Promise.all(configs.map((c) => esbuild.build(c)));
}
