/**
 * Connections opened ahead of requests a caller knows are coming. A listing whose first page names the total then
 * fetches the other pages at once; on a fresh client each of those requests would first wait for its own TCP (and
 * TLS) handshake. Dialled while the first page is on the wire, they are ready when the total arrives.
 *
 * It wraps undici's connector (the function a Client calls for a socket): a request takes a parked socket for its
 * origin when there is a live one, and dials as usual otherwise. Parked sockets carry no request and no credential;
 * they are unref'd (a CLI exits without waiting for them) and closed after IDLE_MS unused.
 */
import type { Socket } from 'node:net';
import type { buildConnector } from 'undici';

/** undici's connector: what a Client calls for a socket (`buildConnector()` makes the default one). */
export type Connector = buildConnector.connector;

/** Long enough to span a slow first round trip, short of servers' usual keep-alive timeouts (Node's is 5 s). */
export const IDLE_MS = 4_000;
/** More would only hold sockets a server may count against us. */
export const MAX_PARKED = 16;

interface Parked {
  socket: Socket;
  release: () => void;
}

export class WarmConnector {
  private readonly parked = new Map<string, Parked[]>();
  private readonly dialling = new Map<string, number>();
  private closed = false;

  constructor(private readonly dial: Connector) {}

  readonly connect: Connector = (opts, callback) => {
    const socket = this.take(originKey(opts.protocol, opts.hostname, opts.port));
    if (!socket) return this.dial(opts, callback);
    // Asynchronously, as a dial would answer: undici attaches its listeners after this call returns.
    queueMicrotask(() => callback(null, socket));
  };

  /** Tops up the sockets parked or being dialled for `url`'s origin to `count` (at most MAX_PARKED); never throws. */
  preconnect(url: URL, count: number): void {
    if (this.closed) return;
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    const key = originKey(url.protocol, hostname, url.port);
    const have = (this.parked.get(key)?.length ?? 0) + (this.dialling.get(key) ?? 0);
    const n = Math.min(Math.floor(count), MAX_PARKED) - have;
    for (let i = 0; i < n; i++) {
      this.dialling.set(key, (this.dialling.get(key) ?? 0) + 1);
      try {
        this.dial({ host: url.host, hostname, protocol: url.protocol, port: url.port }, (err, socket) => {
          this.dialling.set(key, (this.dialling.get(key) ?? 1) - 1);
          // A failed warm-up is not an error anyone asked about: the request that needs a socket dials its own.
          if (err || !socket) return;
          if (this.closed) socket.destroy();
          else this.park(key, socket);
        });
      } catch {
        this.dialling.set(key, (this.dialling.get(key) ?? 1) - 1);
      }
    }
  }

  /** Parked sockets, by origin (for tests and logs). */
  get parkedCount(): number {
    let n = 0;
    for (const list of this.parked.values()) n += list.length;
    return n;
  }

  close(): void {
    this.closed = true;
    for (const list of this.parked.values()) for (const p of list) p.socket.destroy();
    this.parked.clear();
  }

  private park(key: string, socket: Socket): void {
    const list = this.parked.get(key) ?? [];
    this.parked.set(key, list);
    const drop = () => {
      const i = list.findIndex((p) => p.socket === socket);
      if (i >= 0) list.splice(i, 1);
      socket.destroy();
    };
    const onError = () => drop();
    // A server may close an idle connection at any time, some after an unsolicited 408: such a socket is dropped,
    // never handed out (flowing, so unsolicited bytes are noticed too).
    socket.on('error', onError).on('data', drop).once('end', drop).once('close', drop).setTimeout(IDLE_MS, drop);
    socket.resume();
    socket.unref();
    list.push({
      socket,
      release: () => {
        socket.off('error', onError).off('data', drop).off('end', drop).off('close', drop).off('timeout', drop).setTimeout(0);
        // Back to paused: undici reads it on 'readable'.
        socket.pause();
        socket.ref();
      },
    });
  }

  private take(key: string): Socket | undefined {
    const list = this.parked.get(key);
    while (list?.length) {
      const p = list.shift()!;
      if (p.socket.destroyed || p.socket.readableEnded || !p.socket.writable) continue;
      p.release();
      return p.socket;
    }
    return undefined;
  }
}

function originKey(protocol: string, hostname: string, port: string): string {
  const p = port || (protocol === 'https:' ? '443' : '80');
  return `${protocol}//${hostname.toLowerCase()}:${p}`;
}
