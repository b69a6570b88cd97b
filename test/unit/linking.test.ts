import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appKey, linkApps, type AppRef } from '../../src/providers/linking';

const ref = (accountId: string, providerId: AppRef['providerId'], id: string, app: Partial<AppRef['app']> = {}): AppRef => ({
  accountId, accountLabel: accountId, providerId, app: { id, name: app.name ?? id, ...app },
});

describe('linking apps across providers', () => {
  const asc = ref('a1', 'asc', '1581234567', { name: 'Lumen Notes', bundleId: 'com.lumenlabs.notes' });
  const tweak = ref('t1', 'apptweak', 'x/1581234567', { name: 'Lumen Notes – Journal', storeId: '1581234567' });
  const flyer = ref('f1', 'appsflyer', 'com.lumenlabs.notes', { name: 'com.lumenlabs.notes', bundleId: 'COM.LumenLabs.Notes ' });
  const ascStore = { ...asc, app: { ...asc.app, storeId: '1581234567' } };
  const other = ref('f1', 'appsflyer', 'com.other.app', { bundleId: 'com.other.app' });

  it('links by bundle id (case and space insensitive) and by store id, naming the group after App Store Connect', () => {
    const groups = linkApps([ascStore, tweak, flyer, other]);
    assert.equal(groups.length, 1);
    assert.equal(groups[0]!.name, 'Lumen Notes');
    assert.deepEqual(groups[0]!.members.map(appKey).sort(), [appKey(ascStore), appKey(flyer), appKey(tweak)].sort());
    assert.ok(groups[0]!.reasons.some((r) => r.startsWith('same bundle ID')));
    assert.ok(groups[0]!.reasons.some((r) => r.startsWith('same store ID')));
  });

  it('does not link apps of one account, nor apps with nothing in common', () => {
    const twin = ref('a1', 'asc', '999', { bundleId: 'com.lumenlabs.notes' });
    assert.deepEqual(linkApps([asc, twin, other]), []);
  });

  it('honours manual links and unlinks', () => {
    assert.deepEqual(linkApps([asc, flyer], { links: [], unlinks: [[appKey(flyer), appKey(asc)]] }), []);
    const manual = linkApps([asc, other], { links: [[appKey(asc), appKey(other)]], unlinks: [] });
    assert.equal(manual.length, 1);
    assert.deepEqual(manual[0]!.reasons, ['linked by hand']);
  });
});
