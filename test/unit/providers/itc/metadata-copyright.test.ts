// The version's copyright line through the iTunes Connect metadata service, against the real sandbox: loaded as a
// field of the version itself (not per locale), saved in the full-body POST, refused by Apple's checks (errors
// inside a 200 keyed `copyright`), read-only on the live version, and a remote change is a conflict.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Sandbox } from '../../../../sandbox/server';
import { ValidationError } from '../../../../src/core/errors';
import type { ItcConnection } from '../../../../src/providers/itc';
import { rejects } from '../support';
import { app, connect, useSignedIn, type ItcCreds } from './helpers';

const A = '898536088'; // live 0.9.13 + edit 1.0, both "2015 SunApps GmbH"
const EDIT = '813314674';
const LIVE = '812106519';

const raPosts = (sb: Sandbox) => sb.requests().filter((r) => r.method === 'POST' && r.path.includes('/ra/'));

describe('iTunes Connect provider: version copyright', () => {
  let sb: Sandbox;
  let creds: ItcCreds;
  let c: ItcConnection;

  useSignedIn((s, cr) => {
    sb = s;
    creds = cr;
  }, (conn) => {
    c = conn;
  });

  it('loads the copyright once for the version, with the 2015 limit, not as a per-locale value', async () => {
    const doc = await c.services.metadata.load(app(A), EDIT);
    assert.deepEqual(doc.versionFields, [{ key: 'copyright', label: 'Copyright', level: 'version', maxChars: 255, required: true }]);
    assert.deepEqual(doc.versionValues, { copyright: '2015 SunApps GmbH' });
    assert.ok(!doc.fields.some((f) => f.key === 'copyright'));
    assert.ok(doc.locales.every((l) => !('copyright' in l.values)));
  });

  it('saves an edited copyright in the full-body POST; the other fields and the build are kept', async () => {
    const md = c.services.metadata;
    const base = await md.load(app(A), EDIT);
    const r = await md.save(app(A), base, { locales: [], version: { copyright: '2026 SunApps GmbH' } });
    assert.equal(r.status, 'saved');
    assert.equal(raPosts(sb).length, 1);
    if (r.status !== 'saved') return;
    assert.deepEqual(r.document.versionValues, { copyright: '2026 SunApps GmbH' });
    assert.notEqual(r.document.revision, base.revision);
    assert.deepEqual(r.document.locales, base.locales);
    const full = await c.api.version(A, false);
    assert.equal(full!.copyright!.value, '2026 SunApps GmbH', 'the sandbox has it');
    assert.equal(full!.preReleaseBuild?.buildVersion, '10');
    assert.equal((await md.load(app(A), EDIT)).revision, r.document.revision);
  });

  it('Apple\'s refusals come back keyed `copyright`: empty, and over 255 characters', async () => {
    const md = c.services.metadata;
    const base = await md.load(app(A), EDIT);
    for (const [value, message] of [['', 'You must provide a copyright.'], ['©'.repeat(256), 'The copyright must be 255 characters or fewer.']] as const) {
      const e = await rejects(md.save(app(A), base, { locales: [], version: { copyright: value } }));
      assert.ok(e instanceof ValidationError);
      assert.deepEqual(e.fieldErrors, { copyright: [message] });
    }
    assert.equal((await c.api.version(A, false))!.copyright!.value, '2015 SunApps GmbH', 'nothing changed');
  });

  it('the live version\'s copyright is read-only: refused before posting', async () => {
    const md = c.services.metadata;
    const live = await md.load(app(A), LIVE, { live: true });
    assert.deepEqual(live.versionValues, { copyright: '2015 SunApps GmbH' });
    const e = await rejects(md.save(app(A), live, { locales: [], version: { copyright: '2026 SunApps GmbH' } }));
    assert.ok(e instanceof ValidationError);
    assert.deepEqual(e.fieldErrors, { copyright: ['Copyright cannot be changed while the version is Ready for Sale.'] });
    assert.equal(raPosts(sb).length, 0);
  });

  it('a copyright changed remotely since the load is a conflict (locale \'\'), nothing written', async () => {
    const md = c.services.metadata;
    const base = await md.load(app(A), EDIT);
    const other = connect(creds.baseUrl, creds.appleId, creds.password, { id: 'other' }).conn;
    try {
      const theirs = await other.services.metadata.load(app(A), EDIT);
      assert.equal((await other.services.metadata.save(app(A), theirs, { locales: [], version: { copyright: '2026 Theirs' } })).status, 'saved');
    } finally {
      other.dispose();
    }
    sb.clearRequests();
    const r = await md.save(app(A), base, { locales: [], version: { copyright: '2026 Mine' } });
    assert.equal(r.status, 'conflict');
    if (r.status !== 'conflict') return;
    assert.deepEqual(r.conflicts, [{ locale: '', key: 'copyright', base: '2015 SunApps GmbH', remote: '2026 Theirs', mine: '2026 Mine' }]);
    assert.equal(raPosts(sb).length, 0);
  });
});
