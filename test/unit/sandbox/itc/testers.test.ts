// iTunes Connect emulator: external testers and their groups over HTTP. `POST ra/users/pre/create` takes each
// tester's `groups` as fastlane's create_tester! sends them ({id, name: {value}} for an existing group, id null for a
// new one); the tester is stored in those groups and `ra/users/pre/ext` (and a build's testers) list the membership.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import createTesterFx from '../../../../sandbox/itc/fixtures/testers/create_tester.json';
import { raJson, signIn, useSignedInItc, type ItcEnvelope } from './itcClient';

interface Field<T = unknown> { value: T; isEditable: boolean; isRequired: boolean; errorKeys: string[] | null; [k: string]: unknown }
interface Group { id: string | null; name: Field<string | null>; testerCount: null; testers: null; isDeleted: null }
interface Tester { emailAddress: Field<string | null>; firstName: Field<string>; lastName: Field<string>; testerId: string | null; groups: Group[]; [k: string]: unknown }
interface Testers { testers: Tester[]; groups?: Record<string, string>; sectionErrorKeys: string[] | null }

const A = '898536088';
const OPERATION_FAILED = 'ITC.response.error.OPERATION_FAILED';
// Groups of the seed (testers/get_external.json): two in the `groups` map, one only on Detlef Müller's tester.
const BOARDING123 = 'c4739ccc-672f-46d4-9dad-23df8c60a35f';
const BOARDING = 'b6f65dbd-c845-4d91-bc39-0b661d608970';
const APP_TESTERS_GROUP = 'e031d021-4f0f-4c1e-8d8a-c3341a267986';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** One tester as the client sends it (the seed's body), with `groups` as given. */
const newTester = (email: string, groups: unknown, names: [string, string] = ['FirstName', 'LastName']) => ({
  testers: [{
    emailAddress: { value: email, errorKeys: [] }, firstName: { value: names[0] }, lastName: { value: names[1] }, testing: { value: true }, groups,
  }],
});
const ref = (id: string | null, name: string) => ({ id, name: { value: name } });

describe('iTunes Connect emulator: testers and groups', () => {
  const env = useSignedInItc();

  const get = <T = Testers>(path: string) => raJson<T>(env.itc, env.jar, 'GET', path);
  const create = (body: unknown) => raJson<Testers>(env.itc, env.jar, 'POST', 'users/pre/create', body);
  const external = async () => (await get('users/pre/ext')).data;
  const find = (data: Testers, email: string) => data.testers.find((t) => t.emailAddress.value === email);
  const groupIds = (t: Tester | undefined) => (t?.groups ?? []).map((g) => g.id);

  it('fastlane\'s recorded request (two existing groups, one new) answers the recording, with the new group\'s id', async () => {
    // The body fastlane's spec stubs for testers/create_tester.json (spaceship/spec/tunes/testers_spec.rb).
    const answer = await create(newTester('customtesters@krausefx.com', [ref(BOARDING123, 'boarding123'), ref(BOARDING, 'Boarding'), ref(null, 'custom-new-group')]));
    const recorded = structuredClone(createTesterFx) as unknown as ItcEnvelope<Testers>;
    const newId = answer.data.testers[0]!.groups[2]!.id;
    assert.match(newId ?? '', UUID, 'the new group gets an id, as recorded');
    recorded.data.testers[0]!.groups[2]!.id = newId; // Apple's id for it was 555f48c8-…
    assert.deepEqual(answer, recorded);
  });

  it('stores the membership: the account\'s testers, the groups map and a build\'s testers show it', async () => {
    const before = await external();
    const answer = await create(newTester('grouped@example.com', [ref(BOARDING, 'Boarding'), ref(APP_TESTERS_GROUP, 'App Testers Group'), ref(null, 'Beta Crew')]));
    assert.equal(answer.statusCode, 'SUCCESS');
    const newId = answer.data.testers[0]!.groups[2]!.id!;
    assert.match(newId, UUID);

    const ext = await external();
    assert.equal(ext.testers.length, before.testers.length + 1);
    const stored = find(ext, 'grouped@example.com');
    assert.match(stored?.testerId ?? '', UUID);
    assert.deepEqual(groupIds(stored), [BOARDING, APP_TESTERS_GROUP, newId]);
    assert.deepEqual(stored!.groups.map((g) => g.name.value), ['Boarding', 'App Testers Group', 'Beta Crew']);
    // Listed in the shape of get_external.json's groups (the name field carries maxLength 25, minLength 1).
    const recordedListed = before.testers[0]!.groups[0]!;
    for (const g of stored!.groups) {
      assert.deepEqual(Object.keys(g).sort(), Object.keys(recordedListed).sort());
      assert.deepEqual({ ...g.name, value: null }, { ...recordedListed.name, value: null });
    }
    assert.deepEqual(ext.groups, { ...before.groups, [newId]: 'Beta Crew' }, 'the new group joins the map; the others are unchanged');
    // The testers already there keep their groups.
    assert.deepEqual(groupIds(find(ext, 'private@krausefx.com')), [APP_TESTERS_GROUP]);
    assert.deepEqual(groupIds(find(ext, 'ich@felixkrause.at')), []);

    const onBuild = (await get(`apps/${A}/trains/1.0/builds/10/testers`)).data;
    assert.deepEqual(groupIds(find(onBuild, 'grouped@example.com')), [BOARDING, APP_TESTERS_GROUP, newId]);

    // A second tester naming the new group by its id is in the same group.
    await create(newTester('second@example.com', [ref(newId, 'Beta Crew')]));
    const members = (await external()).testers.filter((t) => groupIds(t).includes(newId)).map((t) => t.emailAddress.value);
    assert.deepEqual(members, ['grouped@example.com', 'second@example.com']);
  });

  it('an existing group is found by its id (the name sent along does not rename it), and a new group\'s name that exists is that group', async () => {
    const answer = await create(newTester('byid@example.com', [ref(BOARDING, 'Renamed?'), ref(null, 'MyGroup'), ref(BOARDING, 'Boarding')]));
    assert.deepEqual(answer.data.testers[0]!.groups.map((g) => [g.id, g.name.value]), [
      [BOARDING, 'Boarding'],
      ['8dfd9f94-3983-46d5-a298-c866b2369a33', 'MyGroup'],
    ], 'the same group twice is listed once');
    const ext = await external();
    assert.deepEqual(groupIds(find(ext, 'byid@example.com')), [BOARDING, '8dfd9f94-3983-46d5-a298-c866b2369a33']);
    assert.equal(ext.groups?.[BOARDING], 'Boarding');
    assert.equal(Object.values(ext.groups ?? {}).filter((n) => n === 'MyGroup').length, 1);
  });

  it('without groups (the seed\'s `groups: []`, or no `groups` at all) the tester is in none', async () => {
    await create(newTester('none@example.com', []));
    const { groups: _omitted, ...noGroups } = newTester('absent@example.com', []).testers[0]!;
    await create({ testers: [noGroups] });
    const ext = await external();
    assert.deepEqual(groupIds(find(ext, 'none@example.com')), []);
    assert.deepEqual(groupIds(find(ext, 'absent@example.com')), []);
  });

  it('creating a tester who exists adds the groups named to theirs, without a second tester', async () => {
    await create(newTester('ich@felixkrause.at', [ref(BOARDING, 'Boarding')], ['Felix', 'Krause']));
    await create(newTester('ICH@felixkrause.at', [ref(BOARDING, 'Boarding'), ref(BOARDING123, 'boarding123')], ['Felix', 'Krause']));
    const ext = await external();
    assert.equal(ext.testers.filter((t) => t.emailAddress.value === 'ich@felixkrause.at').length, 1);
    assert.deepEqual(groupIds(find(ext, 'ich@felixkrause.at')), [BOARDING, BOARDING123]);
  });

  it('malformed group references are an operation error inside a 200, and nothing is stored', async () => {
    const before = await external();
    const malformed: [string, unknown][] = [
      ['groups is not an array', { id: BOARDING, name: { value: 'Boarding' } }],
      ['a reference is not an object', [BOARDING]],
      ['an id that is not a string', [{ id: 42, name: { value: 'Boarding' } }]],
      ['a name that is not an editable field of a string', [{ id: null, name: 'New group' }]],
      ['an id of no group', [ref('00000000-0000-4000-8000-000000000000', 'Ghost')]],
      ['a new group without a name', [{ id: null }]],
      ['a good reference next to a bad one', [ref(BOARDING, 'Boarding'), ref(null, 'Fine'), ref('nope', 'Nope')]],
    ];
    for (const [what, groups] of malformed) {
      const answer = await create(newTester('malformed@example.com', groups));
      assert.equal(answer.statusCode, 'ERROR', what);
      assert.deepEqual(answer.messages.error, [OPERATION_FAILED], what);
      assert.equal(answer.data, null, what);
    }
    assert.deepEqual(await external(), before);
  });

  it('a new group\'s name that is blank or longer than 25 characters is flagged on that group, and nothing is stored', async () => {
    const before = await external();
    const blank = await create(newTester('blank@example.com', [ref(BOARDING, 'Boarding'), ref(null, '   ')]));
    assert.equal(blank.statusCode, 'SUCCESS', 'the validation shape: errors on the field');
    assert.deepEqual(blank.data.testers[0]!.groups[1]!.name.errorKeys, ['Enter a group name.']);
    assert.equal(blank.data.testers[0]!.groups[0]!.name.errorKeys, null);

    const long = await create(newTester('long@example.com', [ref(null, 'x'.repeat(26))]));
    assert.deepEqual(long.data.testers[0]!.groups[0]!.name.errorKeys, ['The group name must be 25 characters or fewer.']);
    assert.equal(long.data.testers[0]!.groups[0]!.id, null);

    // A bad email in the same request stores neither the tester nor the new group.
    await create(newTester('nope', [ref(null, 'Not Created')]));
    assert.deepEqual(await external(), before);

    const exactly25 = await create(newTester('ok@example.com', [ref(null, 'y'.repeat(25))]));
    assert.match(exactly25.data.testers[0]!.groups[0]!.id ?? '', UUID);
  });

  it('reset() forgets created groups and memberships', async () => {
    const seed = await external();
    await create(newTester('reset@example.com', [ref(BOARDING, 'Boarding'), ref(null, 'Temporary')]));
    env.sb.reset();
    env.jar = await signIn(env.itc);
    assert.deepEqual(await external(), seed);
  });
});
