// A deliberately small iTunes Connect client for the emulator's tests: plain fetch with `redirect: 'manual'`
// and cookies handled by hand, so every header the emulator checks is visible here.
import { after, before, beforeEach } from 'node:test';
import { startSandbox, type Sandbox } from '../../../../sandbox/server';
import type { ItcEmulator } from '../../../../sandbox/itc';

export interface Itc {
  sandbox: Sandbox;
  emulator: ItcEmulator;
  base: string;
  appleId: string;
  password: string;
  twoFactorAppleId: string;
  twoFactorCode: string;
}

export function itcOf(sandbox: Sandbox): Itc {
  const emulator = sandbox.emulators.find((e) => e.prefix === '/itc') as ItcEmulator;
  const c = sandbox.credentials().itc as Record<string, string>;
  return {
    sandbox, emulator, base: sandbox.baseUrl('/itc'),
    appleId: c.appleId!, password: c.password!, twoFactorAppleId: c.twoFactorAppleId!, twoFactorCode: c.twoFactorCode!,
  };
}

export const WOA = '/WebObjects/iTunesConnect.woa';

export interface ItcEnvelope<T = Record<string, unknown>> {
  data: T;
  messages: { warn: string[] | null; error: string[] | null; info: string[] | null };
  statusCode: 'SUCCESS' | 'ERROR';
}

export class CookieJar {
  readonly cookies = new Map<string, string>();
  store(res: Response): string[] {
    const names: string[] = [];
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0]!;
      const i = pair.indexOf('=');
      this.cookies.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
      names.push(pair.slice(0, i).trim());
    }
    return names;
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  clear(): void {
    this.cookies.clear();
  }
}

/** The sign-in form's action, found the way the seed describes: read the landing page, take the POST form. */
export async function discoverLoginAction(base: string, jar?: CookieJar): Promise<string> {
  const res = await fetch(base, { redirect: 'manual' });
  if (res.status !== 200) throw new Error(`landing page answered ${res.status}`);
  jar?.store(res);
  const html = await res.text();
  for (const tag of html.match(/<form\b[^>]*>/gi) ?? []) {
    if (!/\bmethod="post"/i.test(tag)) continue;
    const action = /\baction="([^"]+)"/i.exec(tag)?.[1];
    if (action) return new URL(action, res.url).toString();
  }
  throw new Error('no sign-in form on the landing page');
}

export function loginForm(user: string, password: string): string {
  return new URLSearchParams({ theAccountName: user, theAccountPW: password, theAuxValue: '', '1.Continue.x': '0', '1.Continue.y': '0' }).toString();
}

export async function postLogin(action: string, user: string, password: string, jar: CookieJar): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (jar.cookies.size) headers.cookie = jar.header();
  const res = await fetch(action, { method: 'POST', redirect: 'manual', headers, body: loginForm(user, password) });
  jar.store(res);
  return res;
}

/** Signs in with the demo account and returns the cookie jar holding the session. */
export async function signIn(itc: Itc): Promise<CookieJar> {
  const jar = new CookieJar();
  const res = await postLogin(await discoverLoginAction(itc.base), itc.appleId, itc.password, jar);
  if (res.status !== 302) throw new Error(`login answered ${res.status}`);
  return jar;
}

export interface RaOptions {
  csrf?: string | null;
  cookie?: string | null;
}

/** Calls `…/WebObjects/iTunesConnect.woa/ra/{path}` with the session cookies and `x-csrf-itc: itc`. */
export async function ra(itc: Itc, jar: CookieJar | null, method: 'GET' | 'POST', path: string, body?: unknown, opts: RaOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const cookie = opts.cookie === undefined ? jar?.header() : opts.cookie;
  if (cookie) headers.cookie = cookie;
  const csrf = opts.csrf === undefined ? 'itc' : opts.csrf;
  if (csrf !== null) headers['x-csrf-itc'] = csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${itc.base}${WOA}/ra/${path}`, {
    method, headers, redirect: 'manual', body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export async function raJson<T = Record<string, unknown>>(itc: Itc, jar: CookieJar | null, method: 'GET' | 'POST', path: string, body?: unknown): Promise<ItcEnvelope<T>> {
  const res = await ra(itc, jar, method, path, body);
  if (res.status !== 200) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as ItcEnvelope<T>;
}

/** A suite's sandbox: started once, reset and signed in again before each test (read the fields inside tests). */
export function useSignedInItc(): { readonly sb: Sandbox; readonly itc: Itc; jar: CookieJar } {
  const ctx = {} as { sb: Sandbox; itc: Itc; jar: CookieJar };
  before(async () => {
    ctx.sb = await startSandbox();
    ctx.itc = itcOf(ctx.sb);
  });
  after(async () => ctx.sb.close());
  beforeEach(async () => {
    ctx.sb.reset();
    ctx.jar = await signIn(ctx.itc);
  });
  return ctx;
}
