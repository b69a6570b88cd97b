import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { main, parseArgs } from '../../src/cli/index';

function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  return main(argv, (s) => out.push(s), (s) => err.push(s)).then((code) => ({ code, out: out.join('\n'), err: err.join('\n') }));
}

describe('cli', () => {
  it('parses flags, values and positionals', () => {
    assert.deepEqual(parseArgs(['--provider', 'asc', 'apps', '--json', '--limit=5', 'x']), {
      positional: ['apps', 'x'],
      flags: { provider: 'asc', json: true, limit: '5' },
    });
  });

  it('exits 2 with a usage line when --provider is missing', async () => {
    const r = await run(['apps']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--provider is required/);
  });

  it('exits 2 for an unknown provider', async () => {
    const r = await run(['--provider', 'nope', 'apps']);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown provider "nope"/);
  });

  it('prints help and exits 0', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /Usage: appdesk --provider/);
  });
});
