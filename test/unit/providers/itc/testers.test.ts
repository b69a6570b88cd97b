// The iTunes Connect testers service against the sandbox: adding an external tester in a chosen group puts the
// tester in that group (the create call carries the group as fastlane sends it, and the sandbox stores it), so the
// group's testers, the group's count and the tester's groups all show it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Sandbox } from '../../../../sandbox/server';
import { ValidationError } from '../../../../src/core/errors';
import type { ItcConnection } from '../../../../src/providers/itc';
import { rejects } from '../support';
import { app, useSignedIn } from './helpers';

const A = '898536088';
const BOARDING = 'b6f65dbd-c845-4d91-bc39-0b661d608970';
// On a seeded tester only, not in the account's `groups` map (as recorded in testers/get_external.json).
const APP_TESTERS_GROUP = 'e031d021-4f0f-4c1e-8d8a-c3341a267986';

describe('iTunes Connect provider: testers in groups', () => {
  let sb: Sandbox;
  let c: ItcConnection;

  useSignedIn((s) => {
    sb = s;
  }, (conn) => {
    c = conn;
  });

  const emailsIn = async (groupId: string) => (await c.services.testers.testers(app(A), { groupId })).items.map((t) => t.email);
  const countOf = async (groupId: string) => (await c.services.testers.groups(app(A))).find((g) => g.id === groupId)?.testerCount;

  it('add() with a group puts the new tester in that group', async () => {
    const testers = c.services.testers;
    assert.deepEqual(await emailsIn(BOARDING), [], 'Boarding starts empty');
    assert.equal(await countOf(BOARDING), 0);

    const added = await testers.add(app(A), { email: 'grouped@example.com', firstName: 'Group', lastName: 'Member', groupId: BOARDING });
    assert.equal(added.email, 'grouped@example.com');
    assert.deepEqual(added.groups, ['Boarding'], 'the create answer lists the group');
    assert.ok(sb.requests().some((r) => r.method === 'POST' && r.path.endsWith('/ra/users/pre/create') && r.status === 200));

    assert.deepEqual(await emailsIn(BOARDING), ['grouped@example.com']);
    assert.equal(await countOf(BOARDING), 1);
    const listed = (await testers.testers(app(A))).items.find((t) => t.email === 'grouped@example.com');
    assert.deepEqual(listed?.groups, ['Boarding']);
    const onBuild = (await testers.buildTesters(app(A), '1.0', '10')).find((t) => t.email === 'grouped@example.com');
    assert.deepEqual(onBuild?.groups, ['Boarding']);
  });

  it('a group known only from a tester\'s membership works too', async () => {
    assert.deepEqual(await emailsIn(APP_TESTERS_GROUP), ['private@krausefx.com']);
    await c.services.testers.add(app(A), { email: 'second@example.com', groupId: APP_TESTERS_GROUP });
    assert.deepEqual(await emailsIn(APP_TESTERS_GROUP), ['private@krausefx.com', 'second@example.com']);
    assert.equal(await countOf(APP_TESTERS_GROUP), 2);
  });

  it('without a group the tester is in none; an unknown group is refused before anything is created', async () => {
    const testers = c.services.testers;
    const plain = await testers.add(app(A), { email: 'plain@example.com' });
    assert.deepEqual(plain.groups, []);
    assert.equal(await countOf(BOARDING), 0);

    const err = await rejects(testers.add(app(A), { email: 'ghost@example.com', groupId: 'no-such-group' }));
    assert.ok(err instanceof ValidationError);
    assert.ok(!(await testers.testers(app(A))).items.some((t) => t.email === 'ghost@example.com'));
  });
});
