// Shared helpers for the App Store Connect emulator tests: a real sandbox over HTTP and JWTs signed with jose.
import { SignJWT, importPKCS8, type JWTPayload } from 'jose';
import { startSandbox, type Sandbox } from '../../../../sandbox/server';
import type { SandboxOptions } from '../../../../sandbox/types';
import type { AscEmulator } from '../../../../sandbox/asc';

// Response bodies are read loosely in assertions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

export interface AscHarness {
  sandbox: Sandbox;
  asc: AscEmulator;
  base: string;
  creds: ReturnType<AscEmulator['credentials']>;
  /** A fresh valid team-key token. */
  token(): Promise<string>;
  /** fetch against `<base><path>` with a valid team token unless `auth` is given. */
  call(path: string, init?: RequestInit & { auth?: string | null; json?: unknown }): Promise<Response>;
  /** call() and parse JSON. */
  json<T = Loose>(path: string, init?: RequestInit & { auth?: string | null; json?: unknown }): Promise<{ status: number; body: T; res: Response }>;
  close(): Promise<void>;
}

export interface SignOptions {
  kid?: string;
  alg?: string;
  header?: Record<string, unknown>;
  /** Seconds relative to now. */
  iatOffset?: number;
  lifetime?: number;
  payload?: JWTPayload;
  omit?: string[];
}

export async function sign(pem: string, claims: JWTPayload, opts: SignOptions & { kid: string }): Promise<string> {
  const key = await importPKCS8(pem, 'ES256');
  const now = Math.floor(Date.now() / 1000);
  const iat = now + (opts.iatOffset ?? 0);
  const payload: JWTPayload = { ...claims, iat, exp: iat + (opts.lifetime ?? 600), ...(opts.payload ?? {}) };
  for (const k of opts.omit ?? []) delete payload[k];
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: opts.kid, typ: 'JWT', ...(opts.header ?? {}) }).sign(key);
}

export async function startAsc(opts: Partial<SandboxOptions> = {}): Promise<AscHarness> {
  const sandbox = await startSandbox(opts);
  const asc = sandbox.emulators.find((e) => e.prefix === '/asc') as AscEmulator;
  const creds = asc.credentials();
  const base = sandbox.baseUrl('/asc');
  const token = () => sign(creds.privateKey, { iss: creds.issuerId, aud: 'appstoreconnect-v1' }, { kid: creds.keyId });
  const call: AscHarness['call'] = async (path, init = {}) => {
    const headers = new Headers(init.headers);
    const auth = init.auth === undefined ? await token() : init.auth;
    if (auth !== null) headers.set('authorization', `Bearer ${auth}`);
    let body = init.body;
    if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
    return fetch(base + path, { ...init, headers, body });
  };
  const json: AscHarness['json'] = async (path, init) => {
    const res = await call(path, init);
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, res };
  };
  return { sandbox, asc, base, creds, token, call, json, close: () => sandbox.close() };
}

export const LUMEN = '1581234567';
export const TRAILHEAD = '1609876543';
export const POCKET_LEDGER = '1634567890';
export const TIDEPOOL = '1672345678';
