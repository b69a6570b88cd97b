// The focus hint a panel may be opened with (the release checklist's "Fix" → the missing field): webview messages
// and command arguments are untrusted, so only short identifier-like strings pass.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFocus } from '../../../src/protocol/messages';
import { parseReleaseRequest } from '../../../src/protocol/release';

describe('focus hints', () => {
  it('keeps a locale and a field name, drops anything else', () => {
    assert.deepEqual(parseFocus({ locale: 'de-DE', field: 'copyright' }), { locale: 'de-DE', field: 'copyright' });
    assert.deepEqual(parseFocus({ field: 'whatsNew', extra: 1 }), { field: 'whatsNew' });
    assert.equal(parseFocus({ field: '<img src=x onerror=alert(1)>' }), undefined);
    assert.equal(parseFocus({ field: 'x'.repeat(65) }), undefined);
    assert.equal(parseFocus({ locale: 42 }), undefined);
    assert.equal(parseFocus('copyright'), undefined);
    assert.equal(parseFocus(undefined), undefined);
  });

  it('a release "fix" message carries the field it is about, validated', () => {
    assert.deepEqual(parseReleaseRequest({ type: 'fix', target: 'metadata', field: 'copyright' }), { type: 'fix', target: 'metadata', focus: { field: 'copyright' } });
    assert.deepEqual(parseReleaseRequest({ type: 'fix', target: 'metadata', locale: 'ja', field: 'description' }), { type: 'fix', target: 'metadata', focus: { locale: 'ja', field: 'description' } });
    assert.deepEqual(parseReleaseRequest({ type: 'fix', target: 'builds', field: '../../etc' }), { type: 'fix', target: 'builds' });
    assert.equal(parseReleaseRequest({ type: 'fix', target: 'settings', field: 'copyright' }), undefined);
  });
});
