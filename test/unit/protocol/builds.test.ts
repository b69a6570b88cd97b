import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isEmail, isId, parseBuildsRequest, testInfoProblems, TEST_INFO_LIMITS } from '../../../src/protocol/builds';

describe('builds protocol', () => {
  it('accepts every well-formed request', () => {
    assert.deepEqual(parseBuildsRequest({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseBuildsRequest({ type: 'refresh' }), { type: 'refresh' });
    assert.deepEqual(parseBuildsRequest({ type: 'loadMore' }), { type: 'loadMore' });
    assert.deepEqual(parseBuildsRequest({ type: 'expire', buildId: 'b-1' }), { type: 'expire', buildId: 'b-1' });
    assert.deepEqual(parseBuildsRequest({ type: 'getTestInfo', buildId: '123' }), { type: 'getTestInfo', buildId: '123' });
    assert.deepEqual(parseBuildsRequest({ type: 'setExportCompliance', buildId: 'b', usesNonExemptEncryption: false }), { type: 'setExportCompliance', buildId: 'b', usesNonExemptEncryption: false });
    assert.deepEqual(
      parseBuildsRequest({ type: 'setTestInfo', buildId: 'b', info: { whatToTest: 'The new map', feedbackEmail: 'qa@example.com' } }),
      { type: 'setTestInfo', buildId: 'b', info: { whatToTest: 'The new map', feedbackEmail: 'qa@example.com' } },
    );
  });

  it('drops only what it was asked, never extra fields', () => {
    assert.deepEqual(parseBuildsRequest({ type: 'refresh', cursor: 'x', evil: true }), { type: 'refresh' });
    assert.deepEqual(parseBuildsRequest({ type: 'expire', buildId: 'b', app: { id: 'other' } }), { type: 'expire', buildId: 'b' });
  });

  it('rejects malformed, unknown and oversized messages', () => {
    for (const bad of [
      undefined, null, 'ready', 42, [], [{ type: 'ready' }],
      {}, { type: 'nope' }, { type: 'READY' }, { type: 'runCommand', command: 'workbench.action.terminal.new' },
      { type: 'expire' }, { type: 'expire', buildId: '' }, { type: 'expire', buildId: 7 }, { type: 'expire', buildId: 'x'.repeat(201) },
      { type: 'expire', buildId: 'has space' }, { type: 'expire', buildId: 'new\nline' }, { type: 'expire', buildId: 'é' },
      { type: 'setExportCompliance', buildId: 'b' }, { type: 'setExportCompliance', buildId: 'b', usesNonExemptEncryption: 'yes' },
      { type: 'setExportCompliance', buildId: 'b', usesNonExemptEncryption: 1 },
      { type: 'setTestInfo', buildId: 'b' }, { type: 'setTestInfo', buildId: 'b', info: [] }, { type: 'setTestInfo', buildId: 'b', info: 'x' },
      { type: 'setTestInfo', buildId: 'b', info: { whatToTest: 5 } },
      { type: 'setTestInfo', buildId: 'b', info: { unknownField: 'x' } },
      { type: 'setTestInfo', buildId: 'b', info: JSON.parse('{"__proto__": {"polluted": true}}') as unknown },
      { type: 'setTestInfo', buildId: 'b', info: { whatToTest: 'x'.repeat(TEST_INFO_LIMITS.whatToTest + 1) } },
      { type: 'setTestInfo', buildId: 'b', info: { feedbackEmail: 'a'.repeat(300) } },
    ]) {
      assert.equal(parseBuildsRequest(bad), undefined, JSON.stringify(bad)?.slice(0, 120));
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('checks ids and emails', () => {
    assert.ok(isId('6a4e1c0f-1c3e-4d4e-9b0e-2f4c5a6b7c8d'));
    assert.ok(isId('1234567890'));
    assert.ok(!isId(''));
    assert.ok(!isId('a b'));
    assert.ok(isEmail('ada@example.com'));
    assert.ok(isEmail('first.last+tag@sub.example.co.uk'));
    for (const bad of ['', 'ada', 'ada@', '@example.com', 'ada@example', 'a da@example.com', 'a@b@c.com', 'ada@example.com,bob@example.com', '<ada@example.com>', `${'a'.repeat(250)}@example.com`]) {
      assert.ok(!isEmail(bad), bad);
    }
  });

  it('reports test information problems per field', () => {
    assert.deepEqual(testInfoProblems({}), {});
    assert.deepEqual(testInfoProblems({ whatToTest: 'ok', feedbackEmail: '', marketingUrl: '' }), {});
    const p = testInfoProblems({ whatToTest: 'x'.repeat(4001), feedbackEmail: 'nope', marketingUrl: 'example.com', privacyPolicyUrl: 'https://example.com/privacy' });
    assert.deepEqual(Object.keys(p).sort(), ['feedbackEmail', 'marketingUrl', 'whatToTest']);
    // Limits count characters, not UTF-16 units.
    assert.deepEqual(testInfoProblems({ whatToTest: '😀'.repeat(4000) }), {});
  });
});
