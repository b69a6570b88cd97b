// iTunes Connect emulator: what every `ra/...` call must carry (session cookies, x-csrf-itc) and session expiry.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../../../sandbox/server';
import { itcOf, ra, signIn, type Itc, type ItcEnvelope } from './itcClient';

describe('iTunes Connect emulator: session and CSRF header', () => {
  let sb: Sandbox;
  let itc: Itc;

  before(async () => {
    sb = await startSandbox();
    itc = itcOf(sb);
  });
  after(async () => sb.close());
  beforeEach(() => {
    sb.options.clockScale = 1;
    sb.reset();
  });

  const SUMMARY = 'apps/manageyourapps/summary';

  it('answers 401 without the session cookie, or with only part of it', async () => {
    const none = await ra(itc, null, 'GET', SUMMARY);
    assert.equal(none.status, 401);
    const body = (await none.json()) as ItcEnvelope<null>;
    assert.equal(body.statusCode, 'ERROR');
    assert.ok(body.messages.error?.length);

    const jar = await signIn(itc);
    const myacinfoOnly = `myacinfo=${jar.cookies.get('myacinfo')}`;
    assert.equal((await ra(itc, null, 'GET', SUMMARY, undefined, { cookie: myacinfoOnly })).status, 401);
    const forged = `myacinfo=DAWTKNV2forged; itctx=${jar.cookies.get('itctx')}`;
    assert.equal((await ra(itc, null, 'GET', SUMMARY, undefined, { cookie: forged })).status, 401);
    assert.equal((await ra(itc, jar, 'GET', SUMMARY)).status, 200);
  });

  it('rejects a call without x-csrf-itc, or with another value, with 403', async () => {
    const jar = await signIn(itc);
    const missing = await ra(itc, jar, 'GET', SUMMARY, undefined, { csrf: null });
    assert.equal(missing.status, 403);
    assert.equal(((await missing.json()) as ItcEnvelope<null>).statusCode, 'ERROR');
    assert.equal((await ra(itc, jar, 'GET', SUMMARY, undefined, { csrf: '[asc-ui]' })).status, 403);
    assert.equal((await ra(itc, jar, 'POST', 'apps/version/save/898536088', {}, { csrf: null })).status, 403);
    assert.equal((await ra(itc, jar, 'GET', SUMMARY)).status, 200);
  });

  it('expireSessions() makes the next call answer 401; signing in again works (silent re-login path)', async () => {
    const jar = await signIn(itc);
    assert.equal((await ra(itc, jar, 'GET', SUMMARY)).status, 200);
    itc.emulator.expireSessions();
    assert.equal(itc.emulator.activeSessions(), 0);
    const expired = await ra(itc, jar, 'GET', SUMMARY);
    assert.equal(expired.status, 401);
    assert.match(((await expired.json()) as ItcEnvelope<null>).messages.error?.[0] ?? '', /expired/);
    const again = await signIn(itc);
    assert.equal((await ra(itc, again, 'GET', SUMMARY)).status, 200);
  });

  it('POST /itc/_sandbox/expire-sessions expires sessions for tests in another process', async () => {
    const jar = await signIn(itc);
    const res = await fetch(`${itc.base}/_sandbox/expire-sessions`, { method: 'POST' });
    assert.equal(res.status, 204);
    assert.equal((await ra(itc, jar, 'GET', SUMMARY)).status, 401);
  });

  it('sessions expire after sessionIdleMs of inactivity on the sandbox clock', async () => {
    const jar = await signIn(itc);
    assert.equal((await ra(itc, jar, 'GET', SUMMARY)).status, 200);
    // Speed the sandbox clock up so that well over the idle timeout passes within milliseconds.
    sb.options.clockScale = (itc.emulator.sessionIdleMs * 10) / 1;
    await new Promise((r) => setTimeout(r, 5));
    assert.equal((await ra(itc, jar, 'GET', SUMMARY)).status, 401);
  });

  it('reset() ends every session', async () => {
    const jar = await signIn(itc);
    sb.reset();
    assert.equal((await ra(itc, jar, 'GET', SUMMARY)).status, 401);
  });

  it('POST bodies must be JSON', async () => {
    const jar = await signIn(itc);
    const res = await fetch(`${itc.base}/WebObjects/iTunesConnect.woa/ra/apps/version/save/898536088`, {
      method: 'POST', headers: { cookie: jar.header(), 'x-csrf-itc': 'itc', 'content-type': 'application/json' }, body: '{not json',
    });
    assert.equal(res.status, 400);
  });

  it('unknown endpoints and resources answer 404, wrong methods 405', async () => {
    const jar = await signIn(itc);
    assert.equal((await ra(itc, jar, 'GET', 'apps/nothing/here')).status, 404);
    assert.equal((await ra(itc, jar, 'GET', 'apps/version/1')).status, 404);
    assert.equal((await ra(itc, jar, 'GET', 'apps/898536088/trains/9.9/builds/1/details')).status, 404);
    const wrong = await ra(itc, jar, 'POST', SUMMARY, {});
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET');
  });
});
