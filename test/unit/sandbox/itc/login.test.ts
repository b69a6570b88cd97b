// iTunes Connect emulator: sign-in as the seed describes it (form discovery, 302 + cookies, 200 on failure,
// "delete the cookies", two-factor challenge), over HTTP against the real sandbox server.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../../../sandbox/server';
import { CookieJar, discoverLoginAction, itcOf, postLogin, ra, WOA, type Itc } from './itcClient';

describe('iTunes Connect emulator: sign-in', () => {
  let sb: Sandbox;
  let itc: Itc;

  before(async () => {
    sb = await startSandbox();
    itc = itcOf(sb);
  });
  after(async () => sb.close());
  beforeEach(() => sb.reset());

  it('serves demo credentials', () => {
    const c = sb.credentials().itc!;
    assert.equal(c.baseUrl, `${sb.origin}/itc`);
    assert.equal(typeof c.appleId, 'string');
    assert.equal(typeof c.password, 'string');
    assert.equal(typeof c.twoFactorAppleId, 'string');
    assert.notEqual(c.appleId, c.twoFactorAppleId);
  });

  it('the landing page carries the sign-in form, with an action that changes per page', async () => {
    const res = await fetch(itc.base, { redirect: 'manual' });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.deepEqual(res.headers.getSetCookie().map((c) => c.split('=')[0]).sort(), ['woinst', 'wosid']);
    const html = await res.text();
    assert.equal((html.match(/<form\b/g) ?? []).length, 2, 'a GET form precedes the sign-in form');
    assert.match(html, /name="theAccountName"/);
    assert.match(html, /name="theAccountPW"/);
    const a1 = await discoverLoginAction(itc.base);
    const a2 = await discoverLoginAction(`${itc.base}${WOA}`);
    assert.match(new URL(a1).pathname, /^\/itc\/WebObjects\/iTunesConnect\.woa\/wo\/[A-Za-z0-9_-]+\/\d+\.0\.1\.13\.3\.13\.3\.2\.1\.1\.3\.1\.1$/);
    assert.notEqual(a1, a2);
    // The seed's login_url.rb regex still finds it once the sandbox prefix is allowed for.
    assert.match(html, /action="(\/itc\/WebObjects\/iTunesConnect.woa\/wo\/.*)"/);
  });

  it('POST of the credentials answers 302 with the session cookies', async () => {
    const jar = new CookieJar();
    const res = await postLogin(await discoverLoginAction(itc.base), itc.appleId, itc.password, jar);
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), `/itc${WOA}/wa`);
    for (const name of ['myacinfo', 'itctx', 'woinst', 'wosid']) assert.ok(jar.cookies.has(name), `cookie ${name}`);
    const home = await fetch(`${itc.base}${WOA}/wa`, { redirect: 'manual', headers: { cookie: jar.header() } });
    assert.equal(home.status, 200);
    assert.match(await home.text(), /Signed in as demo@appdesk\.example/);
    const list = await ra(itc, jar, 'GET', 'apps/manageyourapps/summary');
    assert.equal(list.status, 200);
    assert.equal(itc.emulator.activeSessions(), 1);
  });

  it('the Apple ID is case-insensitive', async () => {
    const res = await postLogin(await discoverLoginAction(itc.base), itc.appleId.toUpperCase(), itc.password, new CookieJar());
    assert.equal(res.status, 302);
  });

  it('wrong credentials answer 200 with the invalid-login page and no session', async () => {
    for (const [user, pw] of [[itc.appleId, 'wrong'], ['nobody@example.com', itc.password], ['', '']] as const) {
      const jar = new CookieJar();
      const res = await postLogin(await discoverLoginAction(itc.base), user, pw, jar);
      assert.equal(res.status, 200);
      const html = await res.text();
      assert.match(html, /Your Apple ID or password was entered incorrectly/);
      assert.ok(!jar.cookies.has('myacinfo'));
      // The failure page offers a fresh form to try again.
      assert.match(html, /method="post" action="\/itc\/WebObjects\/iTunesConnect\.woa\/wo\//);
    }
  });

  it('credentials sent as JSON are not a form post: 200, not signed in', async () => {
    const res = await fetch(await discoverLoginAction(itc.base), {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ theAccountName: itc.appleId, theAccountPW: itc.password }),
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.getSetCookie().some((c) => c.startsWith('myacinfo=')), false);
  });

  it('a hard-coded or reused form action does not sign in', async () => {
    const hardCoded = `${itc.base}${WOA}/wo/0.0.1.13.3.13.3.2.1.1.3.1.1`;
    const r1 = await postLogin(hardCoded, itc.appleId, itc.password, new CookieJar());
    assert.equal(r1.status, 200);
    assert.equal(r1.headers.getSetCookie().some((c) => c.startsWith('myacinfo=')), false);

    const guessed = `${itc.base}${WOA}/wo/AAAAAAAAAAAAAAAAAAAAAA/1.0.1.13.3.13.3.2.1.1.3.1.1`;
    const r2 = await postLogin(guessed, itc.appleId, itc.password, new CookieJar());
    assert.equal(r2.status, 200);
    assert.match(await r2.text(), /Your session has expired/);

    const action = await discoverLoginAction(itc.base);
    assert.equal((await postLogin(action, itc.appleId, 'wrong', new CookieJar())).status, 200);
    const reused = await postLogin(action, itc.appleId, itc.password, new CookieJar());
    assert.equal(reused.status, 200, 'each form action is good for one POST');
    assert.match(await reused.text(), /Your session has expired/);
  });

  it('"If you get 200 and your credentials are correct, try deleting the cookies"', async () => {
    const jar = new CookieJar();
    assert.equal((await postLogin(await discoverLoginAction(itc.base), itc.appleId, itc.password, jar)).status, 302);
    itc.emulator.expireSessions();
    assert.equal((await ra(itc, jar, 'GET', 'apps/manageyourapps/summary')).status, 401);

    const stale = await postLogin(await discoverLoginAction(itc.base), itc.appleId, itc.password, jar);
    assert.equal(stale.status, 200);
    assert.doesNotMatch(await stale.text(), /entered incorrectly/);

    jar.clear();
    const fresh = await postLogin(await discoverLoginAction(itc.base), itc.appleId, itc.password, jar);
    assert.equal(fresh.status, 302);
    assert.equal((await ra(itc, jar, 'GET', 'apps/manageyourapps/summary')).status, 200);
  });

  it('the two-factor demo account gets the hsa2 challenge, then signs in with the code', async () => {
    const jar = new CookieJar();
    const res = await postLogin(await discoverLoginAction(itc.base), itc.twoFactorAppleId, itc.password, jar);
    assert.equal(res.status, 409);
    assert.deepEqual(await res.json(), { authType: 'hsa2' });
    assert.ok(!jar.cookies.has('myacinfo'));
    const sessionId = res.headers.get('x-apple-id-session-id')!;
    const scnt = res.headers.get('scnt')!;
    assert.ok(sessionId && scnt);
    const h = { 'x-apple-id-session-id': sessionId, scnt, 'content-type': 'application/json', accept: 'application/json' };

    const options = await fetch(`${itc.base}/idmsa/appleauth/auth`, { headers: h });
    assert.equal(options.status, 200);
    const body = (await options.json()) as { authenticationType: string; securityCode: { length: number }; trustedPhoneNumbers: unknown[] };
    assert.equal(body.authenticationType, 'hsa2');
    assert.equal(body.securityCode.length, 6);
    assert.equal(body.trustedPhoneNumbers.length, 1);

    const noHeaders = await fetch(`${itc.base}/idmsa/appleauth/auth`);
    assert.equal(noHeaders.status, 401);

    const verify = `${itc.base}/idmsa/appleauth/auth/verify/trusteddevice/securitycode`;
    const wrong = await fetch(verify, { method: 'POST', headers: h, body: JSON.stringify({ securityCode: { code: '000000' } }) });
    assert.equal(wrong.status, 400);
    assert.match(await wrong.text(), /-21669/);

    const right = await fetch(verify, { method: 'POST', headers: h, body: JSON.stringify({ securityCode: { code: itc.twoFactorCode } }) });
    assert.equal(right.status, 204);
    jar.store(right);
    assert.ok(jar.cookies.has('myacinfo') && jar.cookies.has('itctx'));
    const detail = await ra(itc, jar, 'GET', 'user/detail');
    assert.equal(detail.status, 200);
    assert.equal(((await detail.json()) as { data: { userName: string } }).data.userName, itc.twoFactorAppleId);

    const again = await fetch(verify, { method: 'POST', headers: h, body: JSON.stringify({ securityCode: { code: itc.twoFactorCode } }) });
    assert.equal(again.status, 401, 'the two-factor session is used up');
  });

  it('the two-factor account with a wrong password is just a wrong password', async () => {
    const res = await postLogin(await discoverLoginAction(itc.base), itc.twoFactorAppleId, 'wrong', new CookieJar());
    assert.equal(res.status, 200);
    assert.match(await res.text(), /entered incorrectly/);
  });

  it('the signed-in home page sends visitors without a session back to the landing page', async () => {
    const res = await fetch(`${itc.base}${WOA}/wa`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), `/itc${WOA}`);
  });
});
