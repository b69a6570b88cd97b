// `npm run test:contract`: the App Store Connect provider against Apple's OpenAPI, validated by Prism.
//   1. prepares the spec Prism loads (prepare-spec.mjs: the committed subset, bracketed required params relaxed)
//   2. bundles test/contract/*.test.ts with esbuild into out/test/contract/
//   3. runs them with node:test (each suite starts Prism itself)
// Options:
//   --spec <file>   use another source spec, e.g. the full Apple file, instead of the committed subset
//   any other argument is passed to `node --test` (e.g. --test-name-pattern=reviews)
import * as esbuild from 'esbuild';
import { spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { prepareSpec } from './prepare-spec.mjs';
import { CONTRACT_DIR, PRISM_SPEC, REPO_ROOT, SUBSET_SPEC } from './spec-tools.mjs';

const started = Date.now();
const argv = process.argv.slice(2);
let source = SUBSET_SPEC;
const passThrough = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--spec') source = argv[++i];
  else passThrough.push(argv[i]);
}

const prepared = prepareSpec({ source, out: PRISM_SPEC });
console.log(`contract: Prism spec ${relative(REPO_ROOT, prepared.out)} from ${relative(REPO_ROOT, prepared.source)}; ${prepared.relaxed.length} bracketed required parameters made optional`);

const outdir = join(REPO_ROOT, 'out', 'test', 'contract');
rmSync(outdir, { recursive: true, force: true });
const entryPoints = readdirSync(CONTRACT_DIR)
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => join(CONTRACT_DIR, f));
await esbuild.build({
  entryPoints,
  outdir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
  // spec-tools.mjs falls back to the environment below when bundled (no import.meta in CommonJS).
  logOverride: { 'empty-import-meta': 'silent' },
  external: ['vscode', '@stoplight/*'],
});

const child = spawn(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=1', ...passThrough, outdir], {
  cwd: REPO_ROOT,
  stdio: 'inherit',
  env: {
    ...process.env,
    SCARF_ANALYTICS: 'false',
    APPDESK_REPO_ROOT: REPO_ROOT,
    ASC_CONTRACT_PRISM_SPEC: prepared.out,
    ASC_CONTRACT_SOURCE_SPEC: prepared.source,
  },
});
const code = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
console.log(`contract: ${code === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(code);
