// Login and session of the iTunes Connect emulator.
//
// The seed's login: GET the landing page, find the login form's `action` in it (the URL "changes from time to
// time"; fastlane's login_url.rb scraped it with a regex), POST `theAccountName` / `theAccountPW` form-encoded.
// 302 = signed in (Set-Cookie myacinfo, itctx, woinst, wosid); 200 = not signed in: wrong credentials (the page
// says "Your Apple ID or password was entered incorrectly") or stale cookies sent along ("try deleting the
// cookies"). Here the action carries a fresh single-use token per page, so a hard-coded URL fails.
//
// Two-factor: the demo account `twoFactorAppleId` answers the login POST with Apple's 409 `{"authType":"hsa2"}`
// plus `X-Apple-ID-Session-Id` and `scnt` headers; the code is then sent to `/idmsa/appleauth/auth/verify/…`.
import { randomBytes } from 'node:crypto';
import type { SandboxContext, SandboxRequest, SandboxResponse } from '../types';
import { header } from '../shared/http';
import { failure, isObj, JSON_TYPE } from './model';

export const DEMO_APPLE_ID = 'demo@appdesk.example';
export const DEMO_PASSWORD = 'itc-sandbox-password';
export const TWO_FACTOR_APPLE_ID = 'demo-2fa@appdesk.example';
export const TWO_FACTOR_CODE = '123456';

/** Idle timeout of a session on the sandbox clock (`ctx.now()`); every authorised request extends it. */
export const SESSION_IDLE_MS = 30 * 60_000;
/** How long a landing page's login form stays valid. */
const FORM_TTL_MS = 10 * 60_000;

export const WOA = '/WebObjects/iTunesConnect.woa';
/** WebObjects element id of the sign-in form, as in the seed's example URL `wo/0.0.1.13.3.13.3.2.1.1.3.1.1`. */
const ELEMENT_ID = '0.1.13.3.13.3.2.1.1.3.1.1';

export interface Session {
  myacinfo: string;
  itctx: string;
  woinst: string;
  wosid: string;
  appleId: string;
  lastSeen: number;
  expired: boolean;
}

interface PendingTwoFactor {
  appleId: string;
  scnt: string;
  expiresAt: number;
}

const token = (bytes: number) => randomBytes(bytes).toString('base64url');

export function parseCookies(req: SandboxRequest): Map<string, string> {
  const out = new Map<string, string>();
  const raw = req.headers.cookie;
  for (const line of Array.isArray(raw) ? raw : raw ? [raw] : []) {
    for (const part of line.split(';')) {
      const i = part.indexOf('=');
      if (i > 0) out.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
    }
  }
  return out;
}

const HTML_TYPE = 'text/html;charset=UTF-8';

export class ItcAuth {
  private sessions = new Map<string, Session>();
  private forms = new Map<string, number>();
  private twoFactor = new Map<string, PendingTwoFactor>();
  private formCounter = 0;

  constructor(private readonly ctx: SandboxContext, private readonly prefix: string) {}

  reset(): void {
    this.sessions.clear();
    this.forms.clear();
    this.twoFactor.clear();
  }

  /** Marks every session expired: the next `ra/...` call answers 401, as Apple did for expired sessions. */
  expireSessions(): void {
    for (const s of this.sessions.values()) s.expired = true;
  }

  activeSessions(): number {
    return [...this.sessions.values()].filter((s) => !this.isExpired(s)).length;
  }

  private isExpired(s: Session): boolean {
    return s.expired || this.ctx.now() - s.lastSeen > SESSION_IDLE_MS;
  }

  /** The session of an `ra/...` request, or the 401 to answer. Needs `myacinfo` and the matching `itctx` cookie. */
  authenticate(req: SandboxRequest): Session | SandboxResponse {
    const cookies = parseCookies(req);
    const s = this.sessions.get(cookies.get('myacinfo') ?? '');
    if (!s || cookies.get('itctx') !== s.itctx) return failure(401, 'Unauthorized: sign in to iTunes Connect first.');
    if (this.isExpired(s)) {
      s.expired = true;
      return failure(401, 'Your session has expired. Please sign in again.');
    }
    s.lastSeen = this.ctx.now();
    return s;
  }

  // ---------------------------------------------------------------- landing page and login form

  private newFormAction(): string {
    const now = this.ctx.now();
    for (const [t, exp] of this.forms) if (exp < now) this.forms.delete(t);
    const t = token(16);
    this.forms.set(t, now + FORM_TTL_MS);
    this.formCounter = (this.formCounter + 1) % 100;
    return `${this.prefix}${WOA}/wo/${t}/${this.formCounter}.${ELEMENT_ID}`;
  }

  /** GET `/`, `/WebObjects/iTunesConnect.woa`: the sign-in page with a freshly minted form action. */
  landingPage(notice?: string): SandboxResponse {
    const woinst = String(1000 + Math.floor(Math.random() * 9000));
    return {
      status: 200,
      headers: {
        'content-type': HTML_TYPE,
        'set-cookie': [`woinst=${woinst}; Path=${this.prefix}`, `wosid=${token(16)}; Path=${this.prefix}; HttpOnly`],
      },
      body: page(this.prefix, this.newFormAction(), notice),
    };
  }

  /** POST `/WebObjects/iTunesConnect.woa/wo/{token}/{element}`: the sign-in form. */
  login(req: SandboxRequest, formToken: string): SandboxResponse {
    const now = this.ctx.now();
    const exp = this.forms.get(formToken);
    this.forms.delete(formToken); // single use
    if (exp === undefined || exp < now) return this.landingPage('Your session has expired. Please sign in again.');

    // "If you get 200 and your credentials are correct, try deleting the cookies."
    const stale = parseCookies(req).get('myacinfo');
    if (stale !== undefined) {
      const s = this.sessions.get(stale);
      if (!s || this.isExpired(s)) return this.landingPage();
    }

    const type = (header(req, 'content-type') ?? '').toLowerCase();
    const form = type.startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(req.body.toString('utf8')) : new URLSearchParams();
    const user = (form.get('theAccountName') ?? '').trim().toLowerCase();
    const password = form.get('theAccountPW') ?? '';

    if (password === DEMO_PASSWORD && user === TWO_FACTOR_APPLE_ID) {
      const sessionId = token(24);
      const scnt = token(32);
      this.twoFactor.set(sessionId, { appleId: TWO_FACTOR_APPLE_ID, scnt, expiresAt: now + FORM_TTL_MS });
      return {
        status: 409,
        headers: { 'content-type': JSON_TYPE, 'x-apple-id-session-id': sessionId, scnt },
        body: { authType: 'hsa2' },
      };
    }
    if (password !== DEMO_PASSWORD || user !== DEMO_APPLE_ID) {
      return { status: 200, headers: { 'content-type': HTML_TYPE }, body: page(this.prefix, this.newFormAction(), INVALID_LOGIN_TEXT) };
    }
    return { status: 302, headers: { location: `${this.prefix}${WOA}/wa`, 'set-cookie': this.newSession(DEMO_APPLE_ID) }, body: '' };
  }

  private newSession(appleId: string): string[] {
    const s: Session = {
      myacinfo: 'DAWTKNV2' + token(48),
      itctx: token(24),
      woinst: String(1000 + Math.floor(Math.random() * 9000)),
      wosid: token(16),
      appleId,
      lastSeen: this.ctx.now(),
      expired: false,
    };
    this.sessions.set(s.myacinfo, s);
    const p = `Path=${this.prefix}`;
    return [`myacinfo=${s.myacinfo}; ${p}; HttpOnly`, `itctx=${s.itctx}; ${p}; HttpOnly`, `woinst=${s.woinst}; ${p}`, `wosid=${s.wosid}; ${p}; HttpOnly`];
  }

  /** GET `/WebObjects/iTunesConnect.woa/wa`: where the successful login redirects to. */
  home(req: SandboxRequest): SandboxResponse {
    const s = this.authenticate(req);
    if ('status' in s) return { status: 302, headers: { location: `${this.prefix}${WOA}` }, body: '' };
    return { status: 200, headers: { 'content-type': HTML_TYPE }, body: `<!DOCTYPE html><html><head><title>iTunes Connect</title></head><body><h1>iTunes Connect</h1><p>Signed in as ${escapeHtml(s.appleId)}.</p></body></html>` };
  }

  // ---------------------------------------------------------------- two-factor (idmsa)

  private pending(req: SandboxRequest): PendingTwoFactor | undefined {
    const id = header(req, 'x-apple-id-session-id') ?? '';
    const p = this.twoFactor.get(id);
    if (!p || p.scnt !== header(req, 'scnt') || p.expiresAt < this.ctx.now()) return undefined;
    return p;
  }

  /** `/idmsa/appleauth/auth…` */
  idmsa(req: SandboxRequest, sub: string): SandboxResponse {
    const p = this.pending(req);
    if (!p) return { status: 401, headers: { 'content-type': JSON_TYPE }, body: { serviceErrors: [{ code: '-20101', message: 'Your session has expired. Please sign in again.' }] } };
    if (sub === '' && req.method === 'GET') {
      const phone = { id: 1, numberWithDialCode: '+1 (•••) •••-••42', obfuscatedNumber: '(•••) •••-••42', lastTwoDigits: '42', pushMode: 'sms' };
      return {
        status: 200,
        headers: { 'content-type': JSON_TYPE },
        body: {
          trustedPhoneNumbers: [phone], trustedPhoneNumber: phone, noTrustedDevices: false,
          securityCode: { length: TWO_FACTOR_CODE.length, tooManyCodesSent: false, tooManyCodesValidated: false, securityCodeLocked: false, securityCodeCooldown: false },
          authenticationType: 'hsa2', hsa2Account: true, restrictedAccount: false, managedAccount: false,
        },
      };
    }
    if ((sub === '/verify/trusteddevice/securitycode' || sub === '/verify/phone/securitycode') && req.method === 'POST') {
      let code: unknown;
      try {
        const body: unknown = JSON.parse(req.body.toString('utf8'));
        code = isObj(body) && isObj(body.securityCode) ? body.securityCode.code : undefined;
      } catch {
        code = undefined;
      }
      if (code !== TWO_FACTOR_CODE) {
        return { status: 400, headers: { 'content-type': JSON_TYPE }, body: { service_errors: [{ code: '-21669', title: 'Incorrect Verification Code', message: 'Incorrect verification code.' }], hasError: true } };
      }
      this.twoFactor.delete(header(req, 'x-apple-id-session-id') ?? '');
      return { status: 204, headers: { 'set-cookie': this.newSession(p.appleId) }, body: '' };
    }
    return { status: 404, headers: { 'content-type': JSON_TYPE }, body: { serviceErrors: [{ code: '-1', message: 'Not found.' }] } };
  }
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Body of fastlane's recording invalid_login.html (./fixtures), which the wrong-password page carries. */
const L10N_SCRIPT = `
          <script>
          window.l10login = {
            signIn:   'Sign In',
            appleID:  'Apple ID',
            password: 'Password',
            signedOut: 'You have successfully signed out.',
            sessionExpired: 'Your session has expired.',
          }
          </script>
`;
const INVALID_LOGIN_TEXT = 'Your Apple ID or password was entered incorrectly.';

function page(prefix: string, action: string, notice?: string): string {
  // The login form is not the first form on the page: clients must pick it (method="post", or its /wo/ action).
  // The action stays the last attribute of its line, so the seed's greedy regex `action="(…/wo/.*)"` still works.
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>iTunes Connect</title>${L10N_SCRIPT}</head>
<body>
<div id="header">
<form name="languageForm" method="get" action="${prefix}${WOA}/wa/setLocale">
<select name="locale"><option value="en_US" selected>English</option><option value="de_DE">Deutsch</option></select>
</form>
</div>
<div id="signin">
<h1>Sign In</h1>
${notice ? `<p class="dserror">${escapeHtml(notice)}</p>\n` : ''}<form name="appleConnectForm" method="post" action="${action}">
<label>Apple ID <input type="text" name="theAccountName" id="accountname" size="30" autocapitalize="off"></label>
<label>Password <input type="password" name="theAccountPW" id="accountpassword" size="30"></label>
<input type="hidden" name="theAuxValue" value="">
<input type="image" name="1.Continue" src="${prefix}/images/btn-blue-sign-in.png" alt="Sign In">
</form>
</div>
</body>
</html>
`;
}

