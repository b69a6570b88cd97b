// The extension ships as three bundles (esbuild.mjs): dist/extension.js (what activation loads), dist/deferred.js
// (providers and panels, on first use) and dist/vendor.js (undici, jose, tough-cookie, on first use). A module that
// both of the first two contain exists twice at run time, so it must hold no state the two sides share (the one
// exception, the redactor's secrets, lives on globalThis). Reads the source maps of the build `npm test` just made.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

/** Checked, stateless (constants, pure functions, classes recognized by shape): safe to have twice. */
const SAFE_IN_BOTH = new Set([
  'src/providers/asc/info.ts',
  'src/providers/itc/info.ts',
  'src/providers/apptweak/info.ts',
  'src/providers/appsflyer/info.ts',
  'src/providers/apptentive/info.ts',
  'src/providers/types.ts',
  'src/providers/shared/format.ts',
  'src/core/errors.ts', // ProviderError subclasses: isProviderError() falls back to their shape
  'src/core/logger.ts',
  'src/core/redact.ts', // its secret list is on globalThis (defaultRedactor)
  'src/panels/viewTypes.ts',
  'src/panels/appPanel.ts',
  'src/panels/webviewHtml.ts',
  'src/protocol/messages.ts',
]);

function sources(bundle: string): string[] {
  const map = `dist/${bundle}.js.map`;
  assert.ok(existsSync(map), `${map} is missing: run the development build (node esbuild.mjs) first`);
  return (JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }).sources.map((s) => s.replace(/^(\.\.\/)+/, ''));
}

describe('bundles', () => {
  const extension = sources('extension');
  const deferred = sources('deferred');

  it('activation loads none of the libraries, providers or panels', () => {
    const heavy = extension.filter((s) => /node_modules\/(undici|jose|tough-cookie|tldts)\//.test(s) || /^src\/providers\/(asc|itc|apptweak|appsflyer|apptentive)\/(?!info\.ts)/.test(s) || /^src\/panels\/(?!appPanel)\w+Panel\.ts$/.test(s));
    assert.deepEqual(heavy, []);
    assert.ok(extension.includes('src/providers/catalog.ts') && extension.includes('src/tree/appsTree.ts'));
  });

  it('the deferred bundle holds the providers and panels, and leaves the libraries to dist/vendor.js', () => {
    for (const m of ['src/providers/asc/connection.ts', 'src/providers/itc/session.ts', 'src/panels/metadataPanel.ts', 'src/panels/inboxPanel.ts']) assert.ok(deferred.includes(m), m);
    assert.deepEqual(deferred.filter((s) => /node_modules\/(undici|jose|tough-cookie|tldts)\//.test(s)), []);
  });

  it('modules in both bundles are ones checked to be safe twice', () => {
    const both = extension.filter((s) => deferred.includes(s) && !s.startsWith('node_modules/'));
    assert.deepEqual(both.filter((s) => !SAFE_IN_BOTH.has(s)), [], 'a module now in both bundles: make sure it holds no shared state, then list it here');
  });
});
