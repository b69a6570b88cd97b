// The iTunes Connect session against the real sandbox: sign-in form discovery, wrong password, two-factor,
// cookies kept across a reload, exactly one silent re-login after expiry, nothing secret in the log, and
// answers a live server might give (HTML, unknown 404s, broken JSON).
import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSandbox, type Sandbox } from '../../../../sandbox/server';
import { AuthError, ProtocolError } from '../../../../src/core/errors';
import { MemoryLogger, RedactingLogger } from '../../../../src/core/logger';
import { defaultRedactor } from '../../../../src/core/redact';
import { itcProvider } from '../../../../src/providers/itc';
import { secretKey } from '../../../../src/providers/types';
import { rejects, useSandbox } from '../support';
import { connect, itcCreds, itcEmulator, loginPosts, type ItcCreds } from './helpers';

describe('iTunes Connect provider: session', () => {
  let sb: Sandbox;
  let creds: ItcCreds;
  const { track } = useSandbox((s) => {
    sb = s;
    creds = itcCreds(s);
  }, { reset: false });
  const conn = (...args: Parameters<typeof connect>) => {
    const c = connect(...args);
    track(c.conn);
    return c;
  };

  beforeEach(() => {
    sb.options.clockScale = 1;
    sb.reset();
  });

  it('discovers the sign-in form on the landing page, signs in (302) and verifies with a cheap call', async () => {
    const { conn: c, secrets, logger } = conn(creds.baseUrl, creds.appleId, creds.password);
    await c.verify();
    const log = sb.requests().map((r) => `${r.method} ${r.path.replace(/\/wo\/[^/]+\//, '/wo/{token}/')} ${r.status}`);
    assert.deepEqual(log, [
      'GET /itc 200',
      'POST /itc/WebObjects/iTunesConnect.woa/wo/{token}/1.0.1.13.3.13.3.2.1.1.3.1.1 302',
      'GET /itc/WebObjects/iTunesConnect.woa/ra/user/detail 200',
    ]);
    assert.equal(itcEmulator(sb).activeSessions(), 1);
    const stored = JSON.parse(secrets.data.get(secretKey('itc-test', 'cookies')) ?? '{}') as { origin?: string };
    assert.equal(stored.origin, sb.origin, 'the cookie jar is kept in the secret store');
    assert.match(logger.text(), /signed in as demo@appdesk\.example/);
  });

  it('a reload (new connection, same secret store) keeps the session: no second sign-in', async () => {
    const first = conn(creds.baseUrl, creds.appleId, creds.password);
    await first.conn.verify();
    first.conn.dispose();
    sb.clearRequests();
    const second = conn(creds.baseUrl, creds.appleId, creds.password, { secrets: first.secrets });
    const apps = await second.conn.listApps({});
    assert.equal(apps.items.length, 3);
    assert.equal(loginPosts(sb), 0);
    assert.equal(second.conn.session.logins, 0);
  });

  it('stored cookies of another server are dropped, not sent', async () => {
    const first = conn(creds.baseUrl, creds.appleId, creds.password);
    await first.conn.verify();
    const other = await startSandbox();
    try {
      const second = conn(itcCreds(other).baseUrl, creds.appleId, creds.password, { secrets: first.secrets });
      await second.conn.verify();
      assert.equal(second.conn.session.logins, 1);
      assert.equal(sb.requests().filter((r) => r.path.includes('/ra/')).length, 1, 'nothing went to the first server');
    } finally {
      await other.close();
    }
  });

  it('wrong password: a plain AuthError that does not suggest deleting cookies', async () => {
    const { conn: c } = conn(creds.baseUrl, creds.appleId, 'not-the-password');
    const e = await rejects(c.verify());
    assert.ok(e instanceof AuthError);
    assert.equal(e.kind, 'auth');
    assert.match(e.message, /rejected the Apple ID or password for demo@appdesk\.example/);
    assert.match(e.message, /Your Apple ID or password was entered incorrectly/);
    assert.doesNotMatch(e.message, /cookie/i);
    assert.equal(sb.requests().filter((r) => r.path.includes('/ra/')).length, 0);
  });

  it('two-factor account: a clear AuthError saying what was received', async () => {
    const { conn: c } = conn(creds.baseUrl, creds.twoFactorAppleId, creds.password);
    const e = await rejects(c.verify());
    assert.ok(e instanceof AuthError);
    assert.match(e.message, /asks for two-factor authentication for demo-2fa@appdesk\.example/);
    assert.match(e.message, /HTTP 409, authType "hsa2"/);
    assert.match(e.message, /App Store Connect account with an API key/);
  });

  it('an expired session → exactly one silent re-login, then the call succeeds', async () => {
    const { conn: c } = conn(creds.baseUrl, creds.appleId, creds.password);
    await c.verify();
    itcEmulator(sb).expireSessions();
    sb.clearRequests();
    const apps = app3(await c.listApps({}));
    assert.deepEqual(apps, ['898536088', '1013943394', '1006641907']);
    const log = sb.requests().map((r) => `${r.method} ${r.path.split('?')[0]!.replace(/\/wo\/.*/, '/wo/…')} ${r.status}`);
    assert.deepEqual(log, [
      'GET /itc/WebObjects/iTunesConnect.woa/ra/apps/manageyourapps/summary 401',
      'GET /itc 200',
      'POST /itc/WebObjects/iTunesConnect.woa/wo/… 302',
      'GET /itc/WebObjects/iTunesConnect.woa/ra/apps/manageyourapps/summary 200',
    ]);
    assert.equal(loginPosts(sb), 1);
  });

  it('concurrent calls hitting an expired session share one re-login', async () => {
    const { conn: c } = conn(creds.baseUrl, creds.appleId, creds.password);
    await c.verify();
    itcEmulator(sb).expireSessions();
    sb.clearRequests();
    await Promise.all([c.listApps({}), c.api.userDetail(), c.api.trains('898536088'), c.api.externalTesters()]);
    assert.equal(loginPosts(sb), 1);
  });

  it('idle expiry on the sandbox clock is handled the same way', async () => {
    const { conn: c } = conn(creds.baseUrl, creds.appleId, creds.password);
    await c.verify();
    // A clock scale applies from when it is set: run the sandbox clock fast for 50 ms (about three idle periods),
    // then back at normal speed so the new session survives the retry.
    sb.options.clockScale = Math.ceil((3 * itcEmulator(sb).sessionIdleMs) / 50);
    await new Promise((r) => setTimeout(r, 50));
    sb.options.clockScale = 1;
    sb.clearRequests();
    await c.api.userDetail();
    assert.equal(loginPosts(sb), 1);
  });

  it('when the session is refused again right after signing in: AuthError (the tree shows Reconnect)', async () => {
    const { conn: c } = conn(creds.baseUrl, creds.appleId, creds.password);
    await c.verify();
    sb.addFault({ prefix: '/itc', pathIncludes: '/ra/user/detail', kind: 'status', status: 401, body: { data: null, messages: { error: ['Unauthorized'] }, statusCode: 'ERROR' }, times: 2 });
    sb.clearRequests();
    const e = await rejects(c.api.userDetail());
    assert.ok(e instanceof AuthError);
    assert.match(e.message, /did not accept the session even right after signing in again/);
    assert.equal(loginPosts(sb), 1);
    assert.equal(sb.requests().filter((r) => r.path.includes('/ra/user/detail')).length, 2);
  });

  it('no sign-in form on the landing page → the configured fallback action, and a clear error when it fails', async () => {
    sb.addFault({ prefix: '/itc', pathIncludes: '/itc', kind: 'status', status: 200, headers: { 'content-type': 'text/html' }, body: '<html><body>Maintenance</body></html>' });
    const { conn: c, logger } = conn(creds.baseUrl, creds.appleId, creds.password);
    const e = await rejects(c.verify());
    assert.ok(e instanceof AuthError);
    assert.match(e.message, /did not accept the sign-in form \(it answered "Your session has expired"\)/);
    assert.match(e.message, /had no sign-in form, so the configured sign-in URL was used/);
    assert.match(logger.text(), /no sign-in form on GET \/itc .*using the configured form action/);
    const posts = sb.requests().filter((r) => r.method === 'POST');
    assert.deepEqual(posts.map((r) => r.path), ['/itc/WebObjects/iTunesConnect.woa/wo/0.0.1.13.3.13.3.2.1.1.3.1.1']);
  });

  it('refuses to post the password to a form on another origin', async () => {
    sb.addFault({
      prefix: '/itc', pathIncludes: '/itc', kind: 'status', status: 200, headers: { 'content-type': 'text/html' },
      body: '<form name="appleConnectForm" method="post" action="https://evil.example/WebObjects/iTunesConnect.woa/wo/x/1.0"></form>',
    });
    const { conn: c } = conn(creds.baseUrl, creds.appleId, creds.password);
    const e = await rejects(c.verify());
    assert.ok(e instanceof ProtocolError);
    assert.match(e.message, /Refused to send the iTunes Connect password to evil\.example/);
  });

  it('a busy server during sign-in (5xx, 429 with Retry-After) → the sign-in is repeated from the landing page', async () => {
    sb.addFault({ prefix: '/itc', pathIncludes: '/itc', kind: 'status', status: 503, body: 'Service Unavailable' });
    sb.addFault({ prefix: '/itc', pathIncludes: '/wo/', kind: 'status', status: 429, headers: { 'retry-after': '0' }, body: '"Too many requests"' });
    const { conn: c } = conn(creds.baseUrl, creds.appleId, creds.password);
    await c.verify();
    assert.deepEqual(sb.requests().map((r) => `${r.method} ${r.status}`), ['GET 503', 'GET 200', 'POST 429', 'GET 200', 'POST 302', 'GET 200']);
    assert.equal(c.session.logins, 1);
  });

  it('an unrecognised answer to the sign-in is described, not guessed', async () => {
    sb.addFault({ prefix: '/itc', pathIncludes: '/wo/', kind: 'status', status: 418, headers: { 'content-type': 'application/json' }, body: { teapot: true } });
    const { conn: c } = conn(creds.baseUrl, creds.appleId, creds.password);
    const e = await rejects(c.verify());
    assert.ok(e instanceof ProtocolError);
    assert.match(e.message, /answered the sign-in with something AppDesk does not recognise: HTTP 418, application\/json: \{"teapot":true\}/);
  });

  it('a 200 sign-in page without the wrong-credentials text → the seed advice: delete the cookies', async () => {
    sb.addFault({ prefix: '/itc', pathIncludes: '/wo/', kind: 'status', status: 200, headers: { 'content-type': 'text/html' }, body: '<form name="appleConnectForm" method="post" action="/itc/x"><input name="theAccountPW"></form>' });
    const { conn: c } = conn(creds.baseUrl, creds.appleId, creds.password);
    const e = await rejects(c.verify());
    assert.ok(e instanceof AuthError);
    assert.match(e.message, /without saying the credentials were wrong/);
    assert.match(e.message, /delete the stored cookies/);
  });

  it('answers a live server might give: HTML, an unknown 404, broken JSON, a changed shape → ProtocolError naming the endpoint', async () => {
    const { conn: c } = conn(creds.baseUrl, creds.appleId, creds.password);
    await c.verify();
    const SUMMARY = 'GET /itc/WebObjects/iTunesConnect.woa/ra/apps/manageyourapps/summary';
    sb.addFault({ prefix: '/itc', pathIncludes: 'manageyourapps', kind: 'status', status: 200, headers: { 'content-type': 'text/html' }, body: '<html>App Store Connect</html>' });
    let e = await rejects(c.listApps({}));
    assert.ok(e instanceof ProtocolError);
    assert.ok(e.message.includes(SUMMARY), e.message);
    assert.match(e.message, /answered with text\/html instead of JSON/);

    sb.addFault({ prefix: '/itc', pathIncludes: 'manageyourapps', kind: 'status', status: 404, headers: { 'content-type': 'text/html' }, body: '<html>Not Found</html>' });
    e = await rejects(c.listApps({}));
    assert.ok(e instanceof ProtocolError);
    assert.ok(e.message.includes(SUMMARY), e.message);
    assert.match(e.message, /answered 404 \(an HTML page\)/);

    sb.addFault({ prefix: '/itc', pathIncludes: 'manageyourapps', kind: 'malformed' });
    e = await rejects(c.listApps({}));
    assert.ok(e instanceof ProtocolError);
    assert.match(e.message, /summary/);

    sb.addFault({ prefix: '/itc', pathIncludes: 'manageyourapps', kind: 'status', status: 200, body: { data: { apps: [] }, statusCode: 'SUCCESS' } });
    e = await rejects(c.listApps({}));
    assert.ok(e instanceof ProtocolError);
    assert.match(e.message, /data\.summaries: expected array/);
  });

  it('a redirect on an ra/… call is not followed (no cookies leave the origin): it counts as a lost session', async () => {
    const hits: string[] = [];
    const other = createServer((req, res) => {
      hits.push(`${req.method} ${req.url} cookie=${req.headers.cookie ?? ''}`);
      res.end('{}');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    try {
      const { conn: c } = conn(creds.baseUrl, creds.appleId, creds.password);
      await c.verify();
      const elsewhere = `http://127.0.0.1:${(other.address() as AddressInfo).port}/steal`;
      sb.addFault({ prefix: '/itc', pathIncludes: '/ra/user/detail', kind: 'status', status: 302, headers: { location: elsewhere } });
      sb.clearRequests();
      const user = await c.api.userDetail();
      assert.equal(user.userName, creds.appleId);
      assert.deepEqual(hits, []);
      assert.equal(loginPosts(sb), 1);
    } finally {
      await new Promise<void>((r) => other.close(() => r()));
    }
  });

  it('cookies and the password never reach the log', async () => {
    const logger = new MemoryLogger();
    const { conn: c, secrets } = conn(creds.baseUrl, creds.appleId, creds.password, { logger });
    await c.verify();
    itcEmulator(sb).expireSessions();
    await c.listApps({});
    await rejects(connect(creds.baseUrl, creds.appleId, 'wrong-password-123', { logger }).conn.verify());
    const stored = JSON.parse(secrets.data.get(secretKey('itc-test', 'cookies'))!) as { jar: { cookies: { key: string; value: string }[] } };
    const values = stored.jar.cookies.map((x) => x.value);
    assert.ok(values.length >= 4);
    const text = logger.text();
    assert.ok(text.length > 0);
    for (const secret of [creds.password, 'wrong-password-123', ...values]) assert.ok(!text.includes(secret), `log contains ${secret}`);
    // A host that logs through the default redactor: every cookie value was registered.
    for (const v of values) assert.ok(!defaultRedactor.redactString(`x ${v} y`).includes(v), `cookie ${v} not registered with the redactor`);
    const redacting = new MemoryLogger();
    new RedactingLogger(redacting).info(`password ${creds.password}`);
    assert.ok(!redacting.text().includes(creds.password));
  });

  it('definition: credentials, environment, demo accounts', () => {
    assert.equal(itcProvider.id, 'itc');
    assert.equal(itcProvider.label, 'iTunes Connect (legacy)');
    assert.deepEqual([...itcProvider.capabilities], ['metadata', 'versions', 'builds', 'testers', 'release']);
    assert.deepEqual(itcProvider.secretKeys, ['password', 'cookies']);
    const [appleId, password] = itcProvider.credentialFields;
    assert.equal(appleId!.kind, 'text');
    assert.equal(appleId!.secret, false);
    assert.match(appleId!.validate!('not an email') ?? '', /email/);
    assert.equal(appleId!.validate!('me@example.com'), undefined);
    assert.equal(password!.kind, 'password');
    assert.equal(password!.secret, true);
    assert.deepEqual(itcProvider.fromEnvironment!({ ITC_USERNAME: 'me@example.com', ITC_PASSWORD: 'pw' }, () => '', {}), {
      label: 'iTunes Connect (me@example.com)', settings: { appleId: 'me@example.com' }, secrets: { password: 'pw' },
    });
    assert.equal(itcProvider.fromEnvironment!({ ITC_USERNAME: 'me@example.com' }, () => '', {}), undefined);
    assert.deepEqual(itcProvider.environmentVariables, ['ITC_USERNAME', 'ITC_PASSWORD']);
    assert.deepEqual(itcProvider.demoAccounts!(sb.credentials().itc!), [
      { label: 'Demo iTunes Connect', settings: { appleId: creds.appleId }, secrets: { password: creds.password } },
    ]);
  });
});

function app3(page: { items: { id: string }[] }): string[] {
  return page.items.map((a) => a.id);
}
