// Starts the sandbox in a child process (out/bench/bin/sandboxChild.js) and talks to it over IPC. The measure
// keeps its event loop to the client under test; the sandbox's latency and its emulators' work happen beside it.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { RequestLogEntry } from '../../sandbox/server';
import type { SandboxOptions } from '../../sandbox/types';

export interface RemoteSandbox {
  origin: string;
  credentials: Record<string, Record<string, unknown>>;
  /** The child's Date.now() when it started (the origin of its scaled rate-limit clock, ± IPC delay). */
  startedAt: number;
  resetAppsFlyer(): Promise<void>;
  ascStats(): Promise<{ admitted: number; rateLimited: number; unauthorized: number }>;
  requests(): Promise<RequestLogEntry[]>;
  clearRequests(): Promise<void>;
  reset(): Promise<void>;
  /** Time the emulators spent on each request since the last call (excluding the injected latency). */
  serverTimes(): Promise<{ path: string; ms: number }[]>;
  close(): Promise<void>;
}

export async function startRemoteSandbox(options: Partial<SandboxOptions>): Promise<RemoteSandbox> {
  const child: ChildProcess = fork(join(__dirname, 'sandboxChild.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let seq = 0;
  const pending = new Map<number, (v: unknown) => void>();
  const started = new Promise<{ origin: string; credentials: Record<string, Record<string, unknown>>; now: number }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`sandbox child exited (${code})`)));
    child.on('message', (raw: unknown) => {
      const m = raw as { id?: number; value?: unknown; started?: { origin: string; credentials: Record<string, Record<string, unknown>>; now: number } };
      if (m.started) resolve(m.started);
      else if (m.id !== undefined) {
        pending.get(m.id)?.(m.value);
        pending.delete(m.id);
      }
    });
  });
  child.send({ cmd: 'start', options });
  const info = await started;
  const call = <T>(cmd: string): Promise<T> =>
    new Promise<T>((resolve) => {
      const id = ++seq;
      pending.set(id, (v) => resolve(v as T));
      child.send({ id, cmd });
    });
  let closed = false;
  return {
    origin: info.origin,
    credentials: info.credentials,
    startedAt: info.now,
    resetAppsFlyer: () => call('resetAppsFlyer'),
    ascStats: () => call('ascStats'),
    requests: () => call('requests'),
    clearRequests: () => call('clearRequests'),
    reset: () => call('reset'),
    serverTimes: () => call('serverTimes'),
    close: async () => {
      if (closed) return;
      closed = true;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.send({ id: ++seq, cmd: 'close' });
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
