// `appdesk --provider itc …` against the sandbox: credentials from ITC_USERNAME / ITC_PASSWORD, --base-url, --json;
// an error carried inside an HTTP 200 exits 1 with Apple's message.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cli, useSandbox } from '../support';
import { itcCreds, type ItcCreds } from './helpers';

describe('iTunes Connect provider: CLI', () => {
  let creds: ItcCreds;
  let env: Record<string, string>;
  const run = (...args: string[]) => cli(['--provider', 'itc', '--base-url', creds.baseUrl, '--json', ...args], env);

  useSandbox((sb) => {
    creds = itcCreds(sb);
    env = { ITC_USERNAME: creds.appleId, ITC_PASSWORD: creds.password };
  });

  it('apps --json lists the apps (exit 0)', async () => {
    const r = await run('apps');
    assert.equal(r.code, 0, r.err);
    const apps = JSON.parse(r.out) as { id: string; name: string; bundleId: string }[];
    assert.deepEqual(apps.map((a) => [a.id, a.name, a.bundleId]), [
      ['898536088', 'App Name 1', 'net.sunapps.107'],
      ['1013943394', 'app name why not', 'net.sunapps.realtestda'],
      ['1006641907', 'App Name 3', 'net.sunapps.187'],
    ]);
    assert.equal(r.err, '');
  });

  it('apps without --json prints one line per app', async () => {
    const r = await cli(['--provider', 'itc', '--base-url', creds.baseUrl, 'apps'], env);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out.split('\n')[0], '898536088\tApp Name 1\tnet.sunapps.107\tios');
  });

  it('an error inside a 200 exits 1 with Apple\'s message', async () => {
    const r = await run('create-version', '898536088', '2.0');
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    assert.match(r.err, /^appdesk: iTunes Connect rejected the request: You cannot create a new version of the App in the current state\./);
  });

  it('wrong password exits 1 naming the problem; the password is not printed', async () => {
    const r = await cli(['--provider', 'itc', '--base-url', creds.baseUrl, '--verbose', 'apps'], { ...env, ITC_PASSWORD: 'definitely-wrong-pw' });
    assert.equal(r.code, 1);
    assert.match(r.err, /rejected the Apple ID or password for demo@appdesk\.example/);
    assert.ok(!r.err.includes('definitely-wrong-pw'));
  });

  it('missing credentials name the environment variables', async () => {
    const r = await cli(['--provider', 'itc', '--base-url', creds.baseUrl, 'apps'], { ITC_USERNAME: undefined, ITC_PASSWORD: undefined });
    assert.equal(r.code, 1);
    assert.match(r.err, /ITC_USERNAME, ITC_PASSWORD/);
  });

  it('metadata, builds, testers', async () => {
    const md = await run('metadata', '898536088');
    assert.equal(md.code, 0, md.err);
    const doc = JSON.parse(md.out) as { version: { versionString: string }; locales: { locale: string; values: Record<string, string> }[] };
    assert.equal(doc.version.versionString, '1.0');
    assert.equal(doc.locales[0]!.values.whatsNew, 'Bug fixes and performance improvements.');
    const live = await run('metadata', '898536088', '--live');
    assert.equal((JSON.parse(live.out) as { version: { versionString: string } }).version.versionString, '0.9.13');

    const builds = await run('builds', '898536088');
    assert.equal(builds.code, 0, builds.err);
    assert.deepEqual((JSON.parse(builds.out) as { train: string; builds: { buildNumber: string }[] }[]).map((t) => [t.train, t.builds.map((b) => b.buildNumber)]), [
      ['1.0', ['12', '11', '10']],
      ['0.9.13', ['9']],
    ]);

    const testers = await run('testers', '898536088', '1.0', '10');
    assert.equal(testers.code, 0, testers.err);
    assert.ok((JSON.parse(testers.out) as { email: string }[]).some((t) => t.email === 'ich@felixkrause.at'));
  });

  it('add-tester, create-version, create-app', async () => {
    const t = await run('add-tester', 'cli.tester@example.com', '--first-name', 'Cli', '--last-name', 'Tester');
    assert.equal(t.code, 0, t.err);
    assert.deepEqual(JSON.parse(t.out), { id: 'cli.tester@example.com', email: 'cli.tester@example.com', firstName: 'Cli', lastName: 'Tester', state: 'invited', groups: [] });
    const bad = await run('add-tester', 'not-an-email');
    assert.equal(bad.code, 1);
    assert.match(bad.err, /Enter a valid email address/);

    const v = await run('create-version', '1013943394', '1.1');
    assert.equal(v.code, 0, v.err);
    assert.equal((JSON.parse(v.out) as { versionString: string }).versionString, '1.1');

    const a = await run('create-app', '--name', 'CLI App', '--bundle-id', 'com.krausefx.app_name', '--sku', 'CLI1', '--version', '1.0', '--language', 'English');
    assert.equal(a.code, 0, a.err);
    assert.equal((JSON.parse(a.out) as { name: string }).name, 'CLI App');
    const missing = await run('create-app', '--name', 'CLI App');
    assert.equal(missing.code, 1);
    assert.match(missing.err, /Missing --bundle-id/);
  });

  it('submit, reject, resolution-center', async () => {
    const s = await run('submit', '898536088');
    assert.equal(s.code, 0, s.err);
    assert.equal((JSON.parse(s.out) as { state: string; versionId: string }).versionId, '813314674');
    const again = await run('submit', '898536088');
    assert.equal(again.code, 1);
    assert.match(again.err, /cannot be submitted for review in its current state/);
    const r = await run('reject', '898536088', '813314674');
    assert.equal(r.code, 0, r.err);
    const rc = await run('resolution-center', '1006641907');
    assert.equal(rc.code, 0, rc.err);
    assert.match((JSON.parse(rc.out) as { threads: { messages: { html: string }[] }[] }).threads[0]!.messages[0]!.html, /Guideline 2\.3/);
  });

  it('help lists the itc commands and variables', async () => {
    const r = await cli(['--provider', 'itc', '--help'], {});
    assert.equal(r.code, 0);
    for (const c of ['metadata <appId> [--live]', 'builds <appId>', 'testers <appId> <train> <build>', 'add-tester <email>', 'create-version <appId> <version>', 'create-app --name', 'submit <appId>', 'reject <appId> <versionId>', 'resolution-center <appId>']) {
      assert.ok(r.out.includes(c), c);
    }
    assert.match(r.out, /ITC_USERNAME, ITC_PASSWORD/);
  });
});
