// The sandbox in its own process (forked by bench/lib/remoteSandbox.ts), so the emulators' CPU work runs beside
// the client under test instead of on its event loop, as a real server's would. Answers a few RPCs over IPC.
import { performance } from 'node:perf_hooks';
import type { AscEmulator } from '../../sandbox/asc';
import type { AppsFlyerEmulator } from '../../sandbox/appsflyer';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import type { SandboxOptions } from '../../sandbox/types';

export type SandboxRpc =
  | { id: number; cmd: 'resetAppsFlyer' }
  | { id: number; cmd: 'ascStats' }
  | { id: number; cmd: 'requests' }
  | { id: number; cmd: 'clearRequests' }
  | { id: number; cmd: 'reset' }
  | { id: number; cmd: 'serverTimes' }
  | { id: number; cmd: 'close' };

let sandbox: Sandbox | undefined;
/** Time each emulator spent producing a response, serialization included (after the injected latency), in order. */
let serverTimes: { path: string; ms: number }[] = [];

function answer(id: number, value: unknown): void {
  process.send?.({ id, value });
}

process.on('message', (raw: unknown) => {
  const msg = raw as SandboxRpc | { cmd: 'start'; options: Partial<SandboxOptions> };
  void (async () => {
    if (msg.cmd === 'start') {
      sandbox = await startSandbox(msg.options);
      for (const em of sandbox.emulators) {
        const handle = em.handle.bind(em);
        (em as { handle: typeof em.handle }).handle = async (req) => {
          const t0 = performance.now();
          try {
            const res = await handle(req);
            // Serialized here, as the server would, so the time counts it (the same bytes go out).
            if (res.body !== undefined && typeof res.body === 'object' && !Buffer.isBuffer(res.body)) {
              const headers = { ...(res.headers ?? {}) };
              if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
              return { ...res, headers, body: JSON.stringify(res.body) };
            }
            return res;
          } finally {
            serverTimes.push({ path: req.url.pathname + req.url.search, ms: performance.now() - t0 });
          }
        };
      }
      process.send?.({ started: { origin: sandbox.origin, credentials: sandbox.credentials(), now: Date.now() } });
      return;
    }
    const sb = sandbox!;
    const asc = () => sb.emulators.find((e) => e.prefix === '/asc') as AscEmulator;
    const af = () => sb.emulators.find((e) => e.prefix === '/appsflyer') as AppsFlyerEmulator;
    switch (msg.cmd) {
      case 'resetAppsFlyer': af().limits.resetDaily(); af().limits.resetMinute(); return answer(msg.id, true);
      case 'ascStats': return answer(msg.id, { ...asc().stats(), rateLimited: asc().rateLimitedCount() });
      case 'requests': return answer(msg.id, sb.requests());
      case 'clearRequests': sb.clearRequests(); return answer(msg.id, true);
      case 'reset': sb.reset(); return answer(msg.id, true);
      case 'serverTimes': { const t = serverTimes; serverTimes = []; return answer(msg.id, t); }
      case 'close': await sb.close(); answer(msg.id, true); process.exit(0);
    }
  })();
});
