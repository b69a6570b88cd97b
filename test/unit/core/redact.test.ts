import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthError } from '../../../src/core/errors';
import { MemoryLogger, RedactingLogger, streamLogger } from '../../../src/core/logger';
import { REDACTED, Redactor, redactHeaders } from '../../../src/core/redact';

const JWT = 'eyJhbGciOiJFUzI1NiIsImtpZCI6IjJYOVI0SFhGMzQiLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiI1NzI0NjU0MiIsImF1ZCI6ImFwcHN0b3JlY29ubmVjdC12MSJ9.c2lnbmF0dXJlLWJ5dGVzLWhlcmU';
const PEM = '-----BEGIN PRIVATE KEY-----\nMIGTAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBHkwdwIBAQQg\nabcdefghijklmnop\n-----END PRIVATE KEY-----';

describe('Redactor.redactString', () => {
  const r = new Redactor();

  it('removes secret header values in header-line and JSON form', () => {
    for (const h of ['Authorization', 'authorization', 'Cookie', 'Set-Cookie', 'x-apptweak-key', 'X-Apptweak-Key', 'X-API-KEY', 'Proxy-Authorization']) {
      const out = r.redactString(`> ${h}: s3cr3t-value-123\n> Accept: application/json`);
      assert.equal(out, `> ${h}: ${REDACTED}\n> Accept: application/json`, h);
    }
    assert.equal(r.redactString('{"authorization":"Basic dXNlcjpwYXNz","accept":"x"}'), `{"authorization":"${REDACTED}","accept":"x"}`);
    assert.equal(r.redactString('Cookie: myacinfo=DAWTKNV2abc; dqsid=xyz'), `Cookie: ${REDACTED}`);
  });

  it('removes Bearer / OAuth tokens in prose but keeps ordinary words', () => {
    assert.equal(r.redactString('sent Bearer abc.def-123 to host'), `sent Bearer ${REDACTED} to host`);
    assert.equal(r.redactString('using OAuth 0123456789abcdef now'), `using OAuth ${REDACTED} now`);
    assert.equal(r.redactString('Basic authentication is not supported'), 'Basic authentication is not supported');
  });

  it('removes anything JWT-shaped', () => {
    assert.equal(r.redactString(`token=${JWT}`), `token=${REDACTED}`);
    assert.equal(r.redactString(`jwt is ${JWT}.`), 'jwt is [REDACTED JWT].');
    assert.doesNotMatch(r.redactString(JSON.stringify({ data: JWT })), /eyJ/);
  });

  it('removes PEM private keys, even truncated ones', () => {
    assert.equal(r.redactString(`key:\n${PEM}\nend`), 'key:\n[REDACTED PRIVATE KEY]\nend');
    assert.equal(r.redactString('-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI'), '[REDACTED PRIVATE KEY]');
    assert.equal(r.redactString('-----BEGIN CERTIFICATE-----'), '-----BEGIN CERTIFICATE-----', 'public material is kept');
  });

  it('removes secret JSON fields and query/form parameters', () => {
    const json = JSON.stringify({ accountName: 'me@x.com', password: 'hunter2!', token: 'abc', oauth_token: 'o1', api_key: 'k1', accountPassword: 'pw', rememberMe: true, csrfToken: 'c' });
    const out = r.redactString(json);
    for (const s of ['hunter2!', '"abc"', 'o1', 'k1', '"pw"', '"c"']) assert.ok(!out.includes(s), `${s} in ${out}`);
    assert.ok(out.includes('me@x.com') && out.includes('"rememberMe":true'));
    assert.equal(
      r.redactString('GET https://api.apptentive.com/surveys?oauth_token=abcd&active=1'),
      `GET https://api.apptentive.com/surveys?oauth_token=${REDACTED}&active=1`,
    );
    assert.equal(r.redactString('x?api_key=1&password=p%40ss&token=t'), `x?api_key=${REDACTED}&password=${REDACTED}&token=${REDACTED}`);
    assert.equal(r.redactString('accountPassword=hunter2'), `accountPassword=${REDACTED}`);
  });

  it('removes credentials in URLs', () => {
    assert.equal(r.redactString('proxy http://bob:pa55@proxy.corp:8080'), `proxy http://bob:${REDACTED}@proxy.corp:8080`);
  });

  it('removes long opaque tokens but keeps paths, URLs and ids', () => {
    const hex = 'a3f1c9e07b2d4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d';
    const b64 = 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA/RhbmRvbWJ5dGVzaGVyZTEyMzQ1Ng+AB==';
    assert.equal(r.redactString(`key ${hex} end`), `key ${REDACTED} end`);
    assert.equal(r.redactString(`k=${b64}`), `k=${REDACTED}`);
    for (const keep of [
      'https://api.appstoreconnect.apple.com/v1/appStoreVersionLocalizations/abc-123-def/relationships',
      '/work/main/node_modules/undici/lib/dispatcher/client-h1.js:123:45',
      '57246542-96fe-1a63-e053-0824d011072a',
      'at async ApiClient.requestJson (src/core/apiClient.ts:120:17)',
      'appStoreVersionExperimentTreatmentLocalizations',
    ]) assert.equal(r.redactString(keep), keep);
  });

  it('removes registered secrets exactly, including their URL-encoded form', () => {
    const rr = new Redactor();
    rr.registerSecret('p@ss word!');
    rr.registerSecret('ab'); // too short to register: would wreck every log line
    assert.equal(rr.redactString('login p@ss word! then p%40ss%20word! ab'), `login ${REDACTED} then ${REDACTED} ab`);
    rr.unregisterSecret('p@ss word!');
    assert.equal(rr.redactString('p@ss word!'), 'p@ss word!');
  });
});

describe('Redactor.redact (values)', () => {
  const r = new Redactor();

  it('redacts objects deeply by key and by content, without touching the input', () => {
    const input = {
      headers: { Authorization: 'Bearer x', 'x-apptweak-key': 'k', accept: 'application/json' },
      body: { password: 'pw', nested: [{ token: 't' }, `jwt ${JWT}`] },
      enabled: true,
      count: 3,
    };
    const out = r.redact(input);
    assert.deepEqual(out, {
      headers: { Authorization: REDACTED, 'x-apptweak-key': REDACTED, accept: 'application/json' },
      body: { password: REDACTED, nested: [{ token: REDACTED }, 'jwt [REDACTED JWT]'] },
      enabled: true,
      count: 3,
    });
    assert.equal(input.headers.Authorization, 'Bearer x');
  });

  it('is cycle-safe and summarises binary', () => {
    const a: Record<string, unknown> = { name: 'a', buf: Buffer.from('secret bytes') };
    a.self = a;
    const out = r.redact(a) as Record<string, unknown>;
    assert.equal(out.self, '[Circular]');
    assert.equal(out.buf, '[12 bytes]');
  });

  it('redacts Error message, stack, cause and fields, keeping the prototype', () => {
    const e = new AuthError({ provider: 'AppsFlyer', details: [`token ${JWT} rejected`], cause: new Error(`password=hunter2 in ${PEM}`) });
    const out = r.redact(e);
    assert.ok(out instanceof AuthError);
    assert.notEqual(out, e);
    assert.doesNotMatch(out.message, /eyJ/);
    assert.doesNotMatch(out.stack ?? '', /eyJ/);
    assert.match(out.stack ?? '', /AuthError/);
    assert.deepEqual(out.details, ['token [REDACTED JWT] rejected']);
    const cause = out.cause as Error;
    assert.equal(cause.message, `password=${REDACTED} in [REDACTED PRIVATE KEY]`);
    assert.doesNotMatch(cause.stack ?? '', /hunter2/);
    assert.match(e.message, /eyJ/, 'original untouched');
  });

  it('redactHeaders', () => {
    assert.deepEqual(redactHeaders({ authorization: 'Bearer a', 'X-Custom-Secret': 's', accept: 'x', 'set-cookie': ['a=1', 'b=2'] }, ['x-custom-secret']), {
      authorization: REDACTED,
      'X-Custom-Secret': REDACTED,
      accept: 'x',
      'set-cookie': REDACTED,
    });
  });
});

describe('loggers', () => {
  it('RedactingLogger redacts message and arguments before the sink sees them', () => {
    const sink = new MemoryLogger();
    const r = new Redactor();
    r.registerSecret('itc-session-1234');
    const log = new RedactingLogger(sink, r);
    log.debug(`GET /x Authorization: Bearer ${JWT}`, { headers: { cookie: 'a=b' }, note: 'itc-session-1234' });
    log.error(new Error(`failed with ${JWT}`));
    log.info('plain');
    const text = sink.text();
    assert.doesNotMatch(text, /eyJ|a=b|itc-session-1234/);
    assert.equal(sink.entries.length, 3);
    assert.deepEqual(sink.entries[0]?.args, [{ headers: { cookie: REDACTED }, note: REDACTED }]);
    assert.ok(sink.entries[1]?.msg instanceof Error);
    assert.equal(sink.entries[2]?.msg, 'plain');
  });

  it('streamLogger filters by level and formats arguments', () => {
    const lines: string[] = [];
    const log = streamLogger((l) => lines.push(l), 'info');
    log.debug('hidden');
    log.info('shown', { a: 1 });
    log.error(new Error('boom'));
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /\[info\] shown \{ a: 1 \}$/);
    assert.match(lines[1]!, /\[error\] Error: boom/);
  });
});
