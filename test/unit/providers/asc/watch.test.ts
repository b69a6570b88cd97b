// The watcher's view of an account: snapshots whose states change when App Review (the sandbox) moves a version.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connect, TRAILHEAD, useHarness, type Harness } from './helpers';

describe('App Store Connect watch()', () => {
  let h: Harness;
  useHarness((started) => (h = started), { reset: false });

  it('reports versions, builds, reviews and submissions of each app with stable keys', async () => {
    const { conn } = connect(h);
    const states = await conn.watch();
    const kinds = new Set(states.map((s) => s.kind));
    for (const k of ['version', 'build', 'review', 'submission'] as const) assert.ok(kinds.has(k), `has ${k} states`);
    assert.equal(new Set(states.map((s) => s.key)).size, states.length, 'keys are unique');
    const again = await conn.watch();
    assert.deepEqual(again.map((s) => [s.key, s.state]), states.map((s) => [s.key, s.state]), 'nothing changed, same snapshot');
    conn.dispose();
  });

  it('shows the new state after App Review changes a version', async () => {
    const { conn } = connect(h);
    const before = await conn.watch();
    const pending = before.find((s) => s.kind === 'version' && s.app.id === TRAILHEAD && s.state === 'PENDING_DEVELOPER_RELEASE');
    assert.ok(pending, 'Trailhead has a version pending developer release');
    h.emulator.setVersionState(pending.key.slice('version:'.length), 'READY_FOR_SALE');
    const afterStates = await conn.watch();
    const same = afterStates.find((s) => s.key === pending.key);
    assert.ok(same);
    assert.notEqual(same.state, pending.state);
    conn.dispose();
  });
});
