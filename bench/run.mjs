// `npm run bench`: AppDesk's performance figures, each next to its budget and, where there is one, its physical
// limit. Not part of `npm test`: performance is measured here, never asserted by timed tests.
//
//   1. bundles bench/**/*.ts into out/bench/bin/ (bench/build.mjs)
//   2. stages a copy of the project in a temporary folder and builds it there for production (esbuild.mjs
//      --production) and as a .vsix (scripts/package.mjs), so the shared dist/ of the working tree is untouched
//   3. runs each measure in its own Node process (bench/measures/*.ts) against the sandbox with injected latency
//   4. prints a markdown table on stdout (progress goes to stderr) and writes bench-results.json at the repo root
//
// Flags: --only=sizes,activation,listing,panel,inbox,bulk   --quick (fewer repetitions)   --keep-stage
// Exit code: 0 when every row is within budget, 1 otherwise, 2 when a measure could not run.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import { binDir, buildBench } from './build.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = process.argv.includes('--quick');
const keepStage = process.argv.includes('--keep-stage');
const all = ['sizes', 'activation', 'listing', 'panel', 'inbox', 'bulk'];
const only = arg('only') ? arg('only').split(',') : all;
const log = (line) => process.stderr.write(`bench: ${line}\n`);
const KiB = 1024;

/** Repetitions per measure (the full run takes about six minutes on two cores; --quick about two). */
const reps = quick
  ? { activation: ['--starts=3'], listing: ['--repeats=3'], panel: ['--repeats=3'], inbox: ['--repeats=2'], bulk: ['--repeats=1'] }
  : { activation: ['--starts=10'], listing: ['--repeats=7'], panel: ['--repeats=9'], inbox: ['--repeats=7'], bulk: ['--repeats=3'] };

function git(...args) {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

/** A copy of what the production build and the .vsix are made from, with node_modules linked, in a temp folder. */
function stage() {
  const dir = mkdtempSync(join(tmpdir(), 'appdesk-bench-stage-'));
  const parts = ['package.json', 'package-lock.json', 'esbuild.mjs', 'tsconfig.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'src', 'sandbox', 'webview', 'media', 'scripts'];
  for (const p of parts) if (existsSync(p)) cpSync(p, join(dir, p), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Production build and .vsix in the staging folder; figures for the size rows. */
function buildStage(dir) {
  const notes = [];
  log('production build (esbuild.mjs --production) in a staging copy');
  execFileSync(process.execPath, ['esbuild.mjs', '--production', '--no-tests'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  const extensionBytes = statSync(join(dir, 'dist', 'extension.js')).size;
  log('packaging the .vsix (scripts/package.mjs)');
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const vsix = join(dir, `${pkg.name}-${pkg.version}.vsix`);
  const r = spawnSync(process.execPath, ['scripts/package.mjs'], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(vsix)) {
    const why = `${r.stdout}\n${r.stderr}`.split('\n').find((l) => /ERROR/.test(l))?.replace(/^\s*ERROR\s*/, '').trim() ?? `exit ${r.status}`;
    throw new Error(`npm run package failed: ${why}`);
  }
  // vsce's prepublish script rebuilt dist/ for production; the staged extension is what the .vsix holds.
  const vsixBytes = statSync(vsix).size;
  const distJs = ['extension.js', 'deferred.js', 'vendor.js', 'sandbox.js'].map((f) => join(dir, 'dist', f)).filter(existsSync);
  const rows = [
    {
      id: 'size.extension',
      measure: 'bundle size: `dist/extension.js`',
      how: 'production build (esbuild, minified); what VS Code loads at activation (dist/deferred.js and dist/vendor.js load on first use)',
      value: extensionBytes / KiB,
      unit: 'KiB',
      result: `${(extensionBytes / KiB).toFixed(0)} KiB`,
      budget: '≤ 800 KB',
      limit: '',
      pass: extensionBytes <= 800 * KiB,
    },
    {
      id: 'size.vsix',
      measure: 'bundle size: packaged `.vsix`',
      how: `vsce package --no-dependencies; dist/*.js ${distJs.map((f) => `${f.split('/').pop()} ${(statSync(f).size / KiB).toFixed(0)} KiB`).join(', ')}`,
      value: vsixBytes / KiB,
      unit: 'KiB',
      result: `${(vsixBytes / KiB).toFixed(0)} KiB`,
      budget: '≤ 2 MB',
      limit: '',
      pass: vsixBytes <= 2048 * KiB,
    },
  ];
  return { measure: 'sizes', rows, notes, details: { extensionBytes, vsixBytes } };
}

/** Runs one measure in its own process; its JSON result lands in a temp file. */
function runMeasure(name, extra) {
  const out = join(tmpdir(), `appdesk-bench-${name}-${process.pid}.json`);
  rmSync(out, { force: true });
  log(`${name}…`);
  const t0 = Date.now();
  // The measure's own output (e.g. the code-server installer on a first run) goes to stderr: stdout is the table.
  const r = spawnSync(process.execPath, ['--expose-gc', join(binDir, `${name}.js`), `--out=${out}`, ...extra], { stdio: ['ignore', process.stderr, 'inherit'] });
  if (r.status !== 0 || !existsSync(out)) {
    log(`${name} failed (exit ${r.status})`);
    return { measure: name, failed: true, rows: [], notes: [`${name}: the measure did not complete (exit ${r.status}).`], details: {} };
  }
  const result = JSON.parse(readFileSync(out, 'utf8'));
  rmSync(out, { force: true });
  log(`${name} done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return result;
}

function table(results) {
  const esc = (s) => String(s).replace(/\|/g, '\\|');
  const lines = ['| measure | how | result | budget | physical limit | |', '|---|---|---|---|---|---|'];
  for (const r of results) for (const row of r.rows) {
    lines.push(`| ${esc(row.measure)} | ${esc(row.how)} | **${esc(row.result)}** | ${esc(row.budget)} | ${esc(row.limit || '—')} | ${row.pass ? '✅' : '❌'} |`);
  }
  return lines.join('\n');
}

async function main() {
  const started = new Date();
  const load0 = loadavg();
  log('bundling the benchmark (out/bench/bin)');
  await buildBench();
  const results = [];
  const needStage = only.some((m) => ['sizes', 'activation', 'inbox'].includes(m));
  const dir = needStage ? stage() : undefined;
  try {
    if (dir) {
      const sizes = buildStage(dir);
      if (only.includes('sizes')) results.push(sizes);
    }
    for (const name of ['activation', 'listing', 'panel', 'inbox', 'bulk']) {
      if (!only.includes(name)) continue;
      const extra = [...reps[name], ...(['activation', 'inbox'].includes(name) ? [`--extension=${dir}`] : [])];
      results.push(runMeasure(name, extra));
    }
  } finally {
    if (dir && !keepStage) rmSync(dir, { recursive: true, force: true });
    else if (dir) log(`staging folder kept: ${dir}`);
  }
  const load1 = loadavg();
  const rows = results.flatMap((r) => r.rows);
  const failed = results.filter((r) => r.failed).map((r) => r.measure);
  const misses = rows.filter((r) => !r.pass).map((r) => r.id);
  const env = {
    date: started.toISOString(),
    commit: git('rev-parse', '--short', 'HEAD'),
    dirty: git('status', '--porcelain', '--', 'src', 'webview', 'sandbox', 'esbuild.mjs', 'package.json') !== '',
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? '',
    loadAverage: { start: load0.map((x) => +x.toFixed(2)), end: load1.map((x) => +x.toFixed(2)) },
    quick,
  };
  const notes = results.flatMap((r) => r.notes ?? []);
  const md = [
    `## AppDesk benchmark — ${env.date.slice(0, 10)} (${env.commit}${env.dirty ? ', uncommitted changes' : ''})`,
    '',
    table(results),
    '',
    `Median (min–max, n) of repeated runs. Node ${env.node}, ${env.cpus} × ${env.cpuModel}, load average ${env.loadAverage.start[0]} → ${env.loadAverage.end[0]}${quick ? ', --quick' : ''}.`,
    ...notes.map((n) => `- ${n}`),
    failed.length ? `\n**Did not run:** ${failed.join(', ')}` : '',
    misses.length ? `\n**Over budget:** ${misses.join(', ')}` : rows.length ? '\nEvery row is within budget.' : '',
  ].join('\n');
  process.stdout.write(`${md}\n`);
  writeFileSync(join(root, 'bench-results.json'), `${JSON.stringify({ env, rows, notes, failed, misses, results }, null, 2)}\n`);
  log('wrote bench-results.json');
  process.exitCode = failed.length ? 2 : misses.length ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 2;
});
