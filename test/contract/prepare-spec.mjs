// Writes the spec Prism loads: the committed subset (or any App Store Connect OpenAPI file given with --source) with
// its required bracketed query parameters (`filter[app]`, `filter[vendorNumber]`, …) made optional, because Prism
// 5.16 can never match them (provider-apis.md §7, stoplightio/prism#2017). Everything else is kept. The contract
// test checks those parameters itself against the unrelaxed source.
//   node test/contract/prepare-spec.mjs [--source <spec.json>] [--out <file>]
// Default: test/contract/spec/asc-openapi.subset.json → .vscode-test/contract/asc-openapi.prism.json (git-ignored).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PRISM_SPEC, REPO_ROOT, SUBSET_SPEC, prismSpec, readJson } from './spec-tools.mjs';

/** Prepares the Prism spec; returns where it was written and what was relaxed. */
export function prepareSpec({ source = SUBSET_SPEC, out = PRISM_SPEC } = {}) {
  const { spec, relaxed } = prismSpec(readJson(source));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(spec));
  return { source: resolve(source), out: resolve(out), relaxed, operations: Object.values(spec.paths).reduce((n, item) => n + Object.keys(item).filter((k) => k !== 'parameters').length, 0) };
}

function arg(name) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = prepareSpec({ source: arg('--source') ?? SUBSET_SPEC, out: arg('--out') ?? PRISM_SPEC });
  console.log(`prepare-spec: ${relative(REPO_ROOT, r.out)} from ${relative(REPO_ROOT, r.source)} (${r.operations} operations)`);
  console.log(`prepare-spec: made optional for Prism (${r.relaxed.length}): ${r.relaxed.join('; ') || 'none'}`);
}
