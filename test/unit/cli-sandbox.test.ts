// The CLI against the sandbox, for every provider: `apps --json` exits 0 with the apps, and still returns the same
// apps with latency, 20% 5xx and a burst of 429s injected.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cliCredentials } from '../../sandbox/credentials';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { cli } from './providers/support';

const providers = ['asc', 'itc', 'apptweak', 'appsflyer', 'apptentive'] as const;

describe('CLI against the sandbox', () => {
  let dir: string;
  let sandbox: Sandbox;
  let creds: Record<string, Record<string, string>>;
  const baseline = new Map<string, unknown>();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'appdesk-cli-'));
    sandbox = await startSandbox();
    creds = cliCredentials(sandbox.credentials(), join(dir, 'creds.json'));
  });
  after(async () => {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const id of providers) {
    it(`lists the apps of ${id} as JSON (exit 0)`, async () => {
      const { baseUrl, ...env } = creds[id]!;
      const r = await cli(['--provider', id, '--base-url', baseUrl!, '--json', 'apps'], { ...env, XDG_STATE_HOME: dir });
      assert.equal(r.code, 0, r.err);
      const apps = JSON.parse(r.out) as { id: string; name: string }[];
      assert.ok(apps.length > 0, 'at least one app');
      for (const a of apps) assert.ok(a.id && typeof a.name === 'string');
      baseline.set(id, apps.map((a) => [a.id, a.name]));
    });
  }

  it('gets the same listings with latency, 20% 5xx and a 429 burst injected', async () => {
    const faulty = await startSandbox({ latencyMs: 15, errorRate: 0.2, seed: 42 });
    try {
      const faultyCreds = cliCredentials(faulty.credentials(), join(dir, 'faulty.json'));
      for (const id of providers) {
        if (!baseline.has(id)) continue;
        faulty.addFault({ prefix: `/${id}`, kind: 'status', status: 429, headers: { 'retry-after': '1' }, body: '"Too many requests"', times: 2 });
        const { baseUrl, ...env } = faultyCreds[id]!;
        const state = mkdtempSync(join(dir, 'state-'));
        const r = await cli(['--provider', id, '--base-url', baseUrl!, '--json', 'apps'], { ...env, XDG_STATE_HOME: state });
        assert.equal(r.code, 0, `${id}: ${r.err}`);
        const apps = (JSON.parse(r.out) as { id: string; name: string }[]).map((a) => [a.id, a.name]);
        assert.deepEqual(apps, baseline.get(id), `${id} lists the same apps`);
      }
      const statuses = faulty.requests().map((q) => q.status);
      assert.ok(statuses.includes(429) && statuses.some((s) => s >= 500), 'faults were actually served');
    } finally {
      await faulty.close();
    }
  });
});
