import assert from 'node:assert/strict';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { IDLE_MS, MAX_PARKED, WarmConnector, type Connector } from '../../../src/core/warmSockets';

const until = async (ok: () => boolean, what: string) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(ok(), what);
};

describe('WarmConnector', () => {
  let server: net.Server;
  let origin: URL;
  const accepted: net.Socket[] = [];
  let dials = 0;
  let lastDialled: net.Socket | undefined;
  const dial: Connector = (opts, cb) => {
    dials++;
    const s = net.connect(Number(opts.port), opts.hostname);
    lastDialled = s;
    s.once('connect', () => cb(null, s)).once('error', (e) => cb(e, null));
    return s;
  };

  before(async () => {
    server = net.createServer((s) => {
      accepted.push(s);
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  });
  after(async () => {
    for (const s of accepted) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('hands out parked sockets first, then dials', async () => {
    const w = new WarmConnector(dial);
    dials = 0;
    w.preconnect(origin, 2);
    await until(() => w.parkedCount === 2, 'two parked');
    const got: net.Socket[] = [];
    const take = () => new Promise<net.Socket>((r) => w.connect({ hostname: '127.0.0.1', protocol: 'http:', port: origin.port }, (_e, s) => r(s!)));
    got.push(await take(), await take());
    assert.equal(dials, 2, 'both from the park');
    assert.equal(w.parkedCount, 0);
    got.push(await take());
    assert.equal(dials, 3, 'the park is empty: a fresh dial');
    for (const s of got) s.destroy();
    w.close();
  });

  it('drops a parked socket the server closed', async () => {
    const w = new WarmConnector(dial);
    w.preconnect(origin, 1);
    // The server's end of the parked socket, found by port: an earlier test's accept may still arrive late.
    const serverSide = () => accepted.find((a) => a.remotePort === lastDialled?.localPort);
    await until(() => w.parkedCount === 1 && !!serverSide(), 'one parked');
    serverSide()!.end();
    await until(() => w.parkedCount === 0, 'the closed socket left the park');
    w.close();
  });

  it('caps the park, ignores other origins, and closes what it parked', async () => {
    const w = new WarmConnector(dial);
    w.preconnect(origin, MAX_PARKED + 5);
    await until(() => w.parkedCount === MAX_PARKED, `${MAX_PARKED} parked`);
    const other = new URL(origin.href);
    other.hostname = 'localhost';
    dials = 0;
    const s = await new Promise<net.Socket>((r) => w.connect({ hostname: 'localhost', protocol: 'http:', port: other.port }, (_e, x) => r(x!)));
    assert.equal(dials, 1, 'another host is dialled, not served from this origin’s park');
    s.destroy();
    w.close();
    assert.equal(w.parkedCount, 0);
    w.preconnect(origin, 1);
    assert.equal(w.parkedCount, 0, 'a closed connector opens nothing');
    assert.ok(IDLE_MS < 5_000, 'shorter than common server keep-alive timeouts');
  });
});
