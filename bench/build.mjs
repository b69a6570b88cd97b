// Bundles the benchmark's TypeScript into out/bench/bin/ with esbuild, the way esbuild.mjs bundles the tests:
//   bench/measures/*.ts     one Node program per measure (`vscode` is a minimal stand-in: bench/host/vscodeStub.ts,
//                           used only by the inbox measure to run the real InboxPanel outside VS Code)
//   bench/host/activateEntry.ts  runs inside VS Code's extension host (`vscode` external: the real API)
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const binDir = join('out', 'bench', 'bin');

export async function buildBench() {
  const measures = readdirSync('bench/measures').filter((f) => f.endsWith('.ts')).map((f) => join('bench/measures', f));
  const node = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', legalComments: 'none', sourcemap: 'inline', outdir: binDir };
  await Promise.all([
    esbuild.build({ ...node, entryPoints: measures, external: ['playwright-core'], alias: { vscode: './bench/host/vscodeStub.ts' } }),
    esbuild.build({ ...node, entryPoints: ['bench/host/activateEntry.ts', 'bench/host/sandboxChild.ts'], external: ['vscode'] }),
  ]);
}

// `node bench/build.mjs` builds too (run.mjs imports buildBench and builds before measuring).
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await buildBench();
