import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import { CancelledError, NetworkError, ProtocolError } from '../../../src/core/errors';
import { HttpClient, bypassesProxy, resolveProxy } from '../../../src/core/http';
import { MemoryLogger } from '../../../src/core/logger';
import { sendJson, startServer, type TestServer } from './helpers';

const TSV = 'Provider\tProvider Country\tSKU\nAPPLE\tUS\tcom.example\n';

describe('HttpClient', () => {
  let server: TestServer;
  let other: TestServer;
  const log = new MemoryLogger();
  const client = new HttpClient({ logger: log, proxy: { strictSSL: true }, env: {} });

  before(async () => {
    other = await startServer((_req, res) => sendJson(res, 200, { ok: 'other' }));
    server = await startServer(async (req, res, body) => {
      const u = new URL(req.url ?? '/', 'http://x');
      switch (u.pathname) {
        case '/json':
          return sendJson(res, 200, { hello: 'world', q: u.searchParams.get('q') }, { 'X-Rate-Limit': 'user-hour-lim:3500;user-hour-rem:500;' });
        case '/gzip':
          res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
          return res.end(zlib.gzipSync(JSON.stringify({ enc: 'gzip' })));
        case '/deflate':
          res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'deflate' });
          return res.end(zlib.deflateSync(JSON.stringify({ enc: 'deflate' })));
        case '/deflate-raw':
          res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'deflate' });
          return res.end(zlib.deflateRawSync(JSON.stringify({ enc: 'raw' })));
        case '/br':
          res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'br' });
          return res.end(zlib.brotliCompressSync(JSON.stringify({ enc: 'br' })));
        case '/sales':
          res.writeHead(200, { 'content-type': 'application/a-gzip' });
          return res.end(zlib.gzipSync(TSV));
        case '/bad-gzip':
          res.writeHead(200, { 'content-encoding': 'gzip' });
          return res.end('not gzip at all');
        case '/big-declared':
          res.writeHead(200, { 'content-length': String(5000) });
          return res.end('x'.repeat(5000));
        case '/big-chunked':
          res.writeHead(200, { 'content-type': 'text/plain' });
          for (let i = 0; i < 10; i++) res.write('y'.repeat(1000));
          return res.end();
        case '/bomb':
          res.writeHead(200, { 'content-encoding': 'gzip' });
          return res.end(zlib.gzipSync(Buffer.alloc(100_000)));
        case '/slow':
          setTimeout(() => sendJson(res, 200, {}), 2000).unref();
          return;
        case '/not-json':
          res.writeHead(200, { 'content-type': 'text/html' });
          return res.end('<html>captive portal</html>');
        case '/redirect-same':
          res.writeHead(302, { location: '/json?q=same' });
          return res.end('moved');
        case '/redirect-other':
          res.writeHead(307, { location: other.url('/landing') });
          return res.end();
        case '/redirect-loop':
          res.writeHead(302, { location: '/redirect-loop' });
          return res.end();
        case '/login':
          res.writeHead(302, { location: '/home', 'set-cookie': ['myacinfo=abc; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT', 'dqsid=def'] });
          return res.end();
        case '/post-303':
          res.writeHead(303, { location: '/echo' });
          return res.end();
        case '/echo':
          return sendJson(res, 200, { method: req.method, body, contentType: req.headers['content-type'] ?? null });
        default:
          return sendJson(res, 404, 'Not found');
      }
    });
  });
  after(async () => {
    await client.close();
    await server.close();
    await other.close();
  });

  it('returns status, lower-cased headers, body, url and json/text helpers', async () => {
    const res = await client.request({ url: server.url('/json?q=1') });
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-rate-limit'], 'user-hour-lim:3500;user-hour-rem:500;');
    assert.equal(res.headers['content-type'], 'application/json');
    assert.deepEqual(res.json(), { hello: 'world', q: '1' });
    assert.equal(res.text(), '{"hello":"world","q":"1"}');
    assert.equal(res.url, server.url('/json?q=1'));
    const sent = server.requests.at(-1)!;
    assert.match(String(sent.headers['accept-encoding']), /gzip/);
    assert.equal(sent.headers['user-agent'], 'AppDesk');
  });

  it('reuses a keep-alive connection per origin', async () => {
    const before = server.connections;
    await client.request({ url: server.url('/json') });
    await client.request({ url: server.url('/json') });
    await client.request({ url: server.url('/json') });
    assert.ok(server.connections - before <= 1, `opened ${server.connections - before} connections`);
  });

  it('preconnect opens sockets that the next parallel requests use, sending nothing on them first', async () => {
    const warm = await startServer((_req, res) => sendJson(res, 200, { ok: true }));
    const c = new HttpClient({ env: {} });
    try {
      c.preconnect(warm.url('/'), 3);
      c.preconnect(warm.url('/'), 3); // tops up to 3, does not add 3 more
      for (let i = 0; i < 100 && warm.connections < 3; i++) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(warm.connections, 3);
      assert.equal(warm.requests.length, 0, 'a warm socket carries no request');
      await Promise.all([1, 2, 3].map(() => c.request({ url: warm.url('/p') })));
      assert.equal(warm.requests.length, 3);
      assert.equal(warm.connections, 3, 'the three requests went out on the warm sockets');
    } finally {
      await c.close();
      await warm.close();
    }
  });

  it('preconnect is a no-op through a proxy and for a bad URL, and close() drops warm sockets', async () => {
    const warm = await startServer((_req, res) => sendJson(res, 200, { ok: true }));
    const viaProxy = new HttpClient({ proxy: { url: 'http://127.0.0.1:9', strictSSL: true }, env: {} });
    // Loopback always bypasses a proxy; a named host goes through it (and the proxy would have to dial it).
    viaProxy.preconnect(`http://appdesk.test:${new URL(warm.origin).port}/`, 2);
    viaProxy.preconnect('not a url', 2);
    const direct = new HttpClient({ env: {} });
    direct.preconnect(warm.url('/'), 2);
    for (let i = 0; i < 100 && warm.connections < 2; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(warm.connections, 2, 'only the direct client dialled');
    assert.equal(warm.closedConnections, 0);
    await direct.close();
    for (let i = 0; i < 100 && warm.closedConnections < 2; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(warm.closedConnections, 2, 'close() destroyed the parked sockets');
    await viaProxy.close();
    await warm.close();
  });

  it('a request still succeeds when the server closed the warm socket meant for it', async () => {
    let accepted = 0;
    const srv = http.createServer((_req, res) => sendJson(res, 200, { ok: true }));
    // The first connection (the warm one) is closed by the server while idle.
    srv.on('connection', (socket: net.Socket) => {
      if (++accepted === 1) setTimeout(() => socket.end(), 10);
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
    const c = new HttpClient({ env: {} });
    try {
      c.preconnect(`${origin}/`, 1);
      await new Promise((r) => setTimeout(r, 100));
      const res = await c.request({ url: `${origin}/after`, timeoutMs: 5000 });
      assert.deepEqual(res.json(), { ok: true });
      assert.equal(accepted, 2, 'the closed warm socket was not used');
    } finally {
      await c.close();
      srv.closeAllConnections();
      await new Promise<void>((r) => srv.close(() => r()));
    }
  });

  it('decodes gzip, deflate (zlib and raw) and br content-encoding', async () => {
    assert.deepEqual((await client.request({ url: server.url('/gzip') })).json(), { enc: 'gzip' });
    assert.deepEqual((await client.request({ url: server.url('/deflate') })).json(), { enc: 'deflate' });
    assert.deepEqual((await client.request({ url: server.url('/deflate-raw') })).json(), { enc: 'raw' });
    const br = await client.request({ url: server.url('/br') });
    assert.deepEqual(br.json(), { enc: 'br' });
    assert.equal(br.headers['content-encoding'], undefined, 'decoded body no longer has an encoding');
  });

  it('returns application/a-gzip bodies as raw bytes', async () => {
    const res = await client.request({ url: server.url('/sales'), headers: { accept: 'application/a-gzip' } });
    assert.equal(res.body[0], 0x1f);
    assert.equal(res.body[1], 0x8b);
    assert.equal(zlib.gunzipSync(res.body).toString(), TSV);
  });

  it('fails with ProtocolError on a corrupt encoding or non-JSON body', async () => {
    await assert.rejects(client.request({ url: server.url('/bad-gzip'), provider: 'AppTweak' }), (e) => e instanceof ProtocolError && /could not decode gzip/.test(e.message));
    const res = await client.request({ url: server.url('/not-json'), provider: 'AppTweak' });
    assert.throws(() => res.json(), (e) => e instanceof ProtocolError && /AppTweak returned an unexpected response for GET \/not-json: response is not valid JSON \(text\/html/.test(e.message));
  });

  it('caps the response size (declared, streamed and decompressed)', async () => {
    for (const path of ['/big-declared', '/big-chunked', '/bomb']) {
      await assert.rejects(client.request({ url: server.url(path), maxBytes: 4096 }), (e) => e instanceof ProtocolError && /larger than 4 KB/.test(e.message), path);
    }
    const ok = await client.request({ url: server.url('/big-chunked'), maxBytes: 20_000 });
    assert.equal(ok.body.length, 10_000);
  });

  it('times out with a NetworkError that says so', async () => {
    const t0 = Date.now();
    await assert.rejects(client.request({ url: server.url('/slow'), timeoutMs: 150, provider: 'Apptentive' }), (e) => {
      assert.ok(e instanceof NetworkError);
      assert.equal(e.kind, 'network');
      assert.match(e.message, /^Apptentive did not respond within 0 s/);
      return true;
    });
    assert.ok(Date.now() - t0 < 1500);
  });

  it('is cancelled by an AbortSignal, before or during the request', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    await assert.rejects(client.request({ url: server.url('/slow'), signal: ac.signal }), CancelledError);
    await assert.rejects(client.request({ url: server.url('/json'), signal: AbortSignal.abort() }), CancelledError);
  });

  it('maps connection failures to NetworkError', async () => {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    await assert.rejects(client.request({ url: `http://127.0.0.1:${port}/`, provider: 'AppsFlyer' }), (e) => {
      assert.ok(e instanceof NetworkError);
      assert.match(e.message, /^Could not reach AppsFlyer: ECONNREFUSED\./);
      assert.equal(e.retryable, true);
      return true;
    });
  });

  it('follows same-origin redirects keeping credentials', async () => {
    const res = await client.request({ url: server.url('/redirect-same'), headers: { Authorization: 'Bearer t', Cookie: 'c=1' } });
    assert.deepEqual(res.json(), { hello: 'world', q: 'same' });
    assert.equal(res.url, server.url('/json?q=same'));
    const sent = server.requests.at(-1)!;
    assert.equal(sent.headers.authorization, 'Bearer t');
    assert.equal(sent.headers.cookie, 'c=1');
  });

  it('strips credentials and flagged secret headers on a cross-origin redirect', async () => {
    const res = await client.request({
      url: server.url('/redirect-other'),
      headers: { Authorization: 'Bearer t', Cookie: 'c=1', 'X-Apptweak-Key': 'k', 'X-Trace': 'keep' },
      secretHeaders: ['x-apptweak-key'],
    });
    assert.deepEqual(res.json(), { ok: 'other' });
    const sent = other.requests.at(-1)!;
    assert.equal(sent.url, '/landing');
    assert.equal(sent.headers.authorization, undefined);
    assert.equal(sent.headers.cookie, undefined);
    assert.equal(sent.headers['x-apptweak-key'], undefined);
    assert.equal(sent.headers['x-trace'], 'keep');
  });

  it('gives up after 5 redirects', async () => {
    const n = server.requests.length;
    await assert.rejects(client.request({ url: server.url('/redirect-loop') }), (e) => e instanceof ProtocolError && /more than 5 redirects/.test(e.message));
    assert.equal(server.requests.length - n, 6);
  });

  it('returns the 3xx itself with redirect: manual, cookies intact', async () => {
    const res = await client.request({ url: server.url('/login'), method: 'POST', body: '{}', redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.equal(res.headers.location, '/home');
    assert.deepEqual(res.setCookie, ['myacinfo=abc; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT', 'dqsid=def']);
  });

  it('turns a POST into a GET without body after 303', async () => {
    const res = await client.request({ url: server.url('/post-303'), method: 'POST', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.deepEqual(res.json(), { method: 'GET', body: '', contentType: null });
  });

  it('logs each request at debug with redacted headers and timing', async () => {
    log.entries.length = 0;
    await client.request({ url: server.url('/json'), headers: { authorization: 'Bearer secret-token-123' } });
    const e = log.entries.find((x) => x.level === 'debug');
    assert.ok(e);
    assert.match(String(e.msg), /^HTTP GET http:\/\/127\.0\.0\.1:\d+\/json → 200 in \d+ ms \(\d+ B\)$/);
    assert.doesNotMatch(JSON.stringify(e.args), /secret-token-123/);
    assert.match(JSON.stringify(e.args), /"authorization":"\[REDACTED\]"/);
  });
});

describe('proxy', () => {
  let target: TestServer;
  let proxy: http.Server;
  let proxyUrl: string;
  const connects: string[] = [];

  before(async () => {
    target = await startServer((_req, res) => sendJson(res, 200, { via: 'target' }));
    const targetPort = new URL(target.origin).port;
    // A CONNECT proxy that knows the fake host "appdesk.test" and tunnels it to the local target.
    proxy = http.createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req, socket: net.Socket, head) => {
      connects.push(req.url ?? '');
      const upstream = net.connect(Number(targetPort), '127.0.0.1', () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  after(async () => {
    await target.close();
    proxy.closeAllConnections();
    await new Promise<void>((r) => proxy.close(() => r()));
  });

  it('sends requests through the configured proxy (the host only resolves there)', async () => {
    const client = new HttpClient({ proxy: { url: proxyUrl, strictSSL: true }, env: {} });
    const res = await client.request({ url: `http://appdesk.test:${new URL(target.origin).port}/x` });
    assert.deepEqual(res.json(), { via: 'target' });
    assert.deepEqual(connects, [`appdesk.test:${new URL(target.origin).port}`]);
    await client.close();
  });

  it('uses HTTP_PROXY from the environment when nothing is configured, and honours NO_PROXY', async () => {
    const port = new URL(target.origin).port;
    const viaEnv = new HttpClient({ env: { HTTP_PROXY: proxyUrl } });
    await viaEnv.request({ url: `http://appdesk.test:${port}/y` });
    assert.equal(connects.length, 2);
    const bypass = new HttpClient({ env: { HTTP_PROXY: proxyUrl, NO_PROXY: 'appdesk.test' } });
    await assert.rejects(bypass.request({ url: `http://appdesk.test:${port}/z`, timeoutMs: 5000 }), NetworkError);
    assert.equal(connects.length, 2, 'bypassed the proxy (and so could not resolve the fake host)');
    await viaEnv.close();
    await bypass.close();
  });

  it('resolveProxy: explicit settings win, https falls back to HTTP_PROXY, scheme added', () => {
    const https = new URL('https://api.appstoreconnect.apple.com/v1/apps');
    assert.deepEqual(resolveProxy(https, { url: 'proxy.corp:3128', strictSSL: false }, { HTTPS_PROXY: 'http://env:1' }), { proxyUrl: 'http://proxy.corp:3128', strictSSL: false });
    assert.deepEqual(resolveProxy(https, { strictSSL: true }, { HTTPS_PROXY: 'http://env:1' }), { proxyUrl: 'http://env:1', strictSSL: true });
    assert.deepEqual(resolveProxy(https, undefined, { HTTP_PROXY: 'http://env:2' }), { proxyUrl: 'http://env:2', strictSSL: true });
    assert.deepEqual(resolveProxy(new URL('http://x.com'), undefined, { HTTPS_PROXY: 'http://env:1' }), { strictSSL: true });
    assert.deepEqual(resolveProxy(https, { url: '', strictSSL: true, noProxy: ['apple.com'] }, { HTTPS_PROXY: 'http://env:1' }), { strictSSL: true });
    assert.deepEqual(resolveProxy(https, {}, {}), { strictSSL: true });
  });

  it('bypassesProxy matches like curl and always spares loopback', () => {
    const u = (s: string) => new URL(s);
    assert.equal(bypassesProxy(u('https://api.appsflyer.com'), ['appsflyer.com']), true);
    assert.equal(bypassesProxy(u('https://hq1.appsflyer.com'), ['.appsflyer.com']), true);
    assert.equal(bypassesProxy(u('https://appsflyer.com'), ['*.appsflyer.com']), true);
    assert.equal(bypassesProxy(u('https://notappsflyer.com'), ['appsflyer.com']), false);
    assert.equal(bypassesProxy(u('https://a.com:8443'), ['a.com:443']), false);
    assert.equal(bypassesProxy(u('https://a.com'), ['a.com:443']), true);
    assert.equal(bypassesProxy(u('https://anything.org'), ['*']), true);
    assert.equal(bypassesProxy(u('http://localhost:3000'), []), true);
    assert.equal(bypassesProxy(u('http://127.0.0.1:3000'), []), true);
    assert.equal(bypassesProxy(u('http://[::1]:3000'), []), true);
    assert.equal(bypassesProxy(u('https://api.apptweak.com'), ['', ' ']), false);
  });
});

describe('TLS', () => {
  // A throwaway self-signed certificate, made at test time (skipped where openssl is missing).
  let cert: { key: Buffer; cert: Buffer } | undefined;
  try {
    const dir = mkdtempSync(join(tmpdir(), 'appdesk-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    cert = { key: readFileSync(join(dir, 'k.pem')), cert: readFileSync(join(dir, 'c.pem')) };
    rmSync(dir, { recursive: true, force: true });
  } catch {
    cert = undefined;
  }

  it('rejects an untrusted certificate unless strictSSL is off', { skip: !cert && 'openssl not available' }, async () => {
    const server = https.createServer(cert!, (_req, res) => sendJson(res, 200, { tls: true }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const strict = new HttpClient({ proxy: { strictSSL: true }, env: {} });
    const lax = new HttpClient({ proxy: { strictSSL: false }, env: {} });
    try {
      await assert.rejects(strict.request({ url, provider: 'AppTweak' }), (e) => {
        assert.ok(e instanceof NetworkError);
        assert.equal(e.retryable, false, 'retrying will not fix a certificate');
        assert.match(e.message, /^Could not verify the TLS certificate of 127\.0\.0\.1:\d+: [A-Z_]+\. .*http\.proxyStrictSSL/);
        return true;
      });
      assert.deepEqual((await lax.request({ url })).json(), { tls: true });
    } finally {
      await strict.close();
      await lax.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
