// iTunes Connect (legacy "tunes" JSON API) emulator, as the seed 002 ("The unofficial documentation of the
// iTunes Connect JSON API") defines it, answering with the shapes of fastlane's recordings (./fixtures).
//
// URL map: the real host `https://itunesconnect.apple.com` becomes `{sandbox}/itc`; the real path follows unchanged.
// `W` = `/WebObjects/iTunesConnect.woa`, `RA` = `W/ra`. Paths marked (fastlane) are the later spellings fastlane used.
//
// Login (no cookie needed; seed: "All requests (except for the login action) require you to pass cookies")
//   GET  /itc  |  /itc/W                      landing page (HTML). Its POST form (name="appleConnectForm") has
//                                              action="/itc/W/wo/{token}/{n}.0.1.13.3.13.3.2.1.1.3.1.1": a fresh,
//                                              single-use token per page (10 min), so the client must discover it.
//                                              The page has another (GET) form first; pick the POST form / `/wo/` action.
//   POST /itc/W/wo/{token}/{element}           form-encoded `theAccountName`, `theAccountPW` (`theAuxValue`, `1.Continue.x/y` optional)
//                                              302 Location /itc/W/wa + Set-Cookie myacinfo, itctx, woinst, wosid = signed in
//                                              200 HTML "Your Apple ID or password was entered incorrectly." = wrong credentials
//                                              200 HTML sign-in page (no such text) = stale `myacinfo` cookie sent: delete cookies, retry
//                                              200 HTML "Your session has expired." = unknown/used/expired form token
//                                              409 {"authType":"hsa2"} + X-Apple-ID-Session-Id, scnt = two-factor account
//   GET  /itc/W/wa                             signed-in home (302 back to the landing page without a session)
//   GET  /itc/idmsa/appleauth/auth             (real host idmsa.apple.com) two-factor options; send the headers
//                                              X-Apple-ID-Session-Id + scnt from the 409 on every /idmsa call
//   POST /itc/idmsa/appleauth/auth/verify/trusteddevice/securitycode | …/verify/phone/securitycode
//                                              {"securityCode":{"code":"123456"}} → 204 + the session cookies; 400 wrong code
//
// reset() restores the seed and also ends every session and pending form / two-factor login.
// Session rules for every RA call: cookies `myacinfo` + matching `itctx` (missing, unknown or expired → 401; sessions
// expire after SESSION_IDLE_MS idle on the sandbox clock, or via expireSessions()), then header `x-csrf-itc: itc`
// (fastlane sends it on every request; missing or other value → 403). POST bodies are JSON.
//
//   GET  RA/apps/manageyourapps/summary  (+ /v2 fastlane)                   app list
//   GET  RA/apps/version/{app}  [?v=live]                                   edit version / live version
//   GET  RA/apps/{app}/platforms/ios/versions/{version}  (fastlane)         one version
//   POST RA/apps/version/save/{app}                                         save the edit version (full version object)
//   POST RA/apps/{app}/platforms/ios/versions/{version}  (fastlane)         save that version
//   POST RA/apps/version/create/{app}   {"version":"2.0"}                   create a version
//   POST RA/apps/{app}/platforms/ios/versions/create/  {"version":{"value":"2.0"}}  (fastlane)
//   GET  RA/apps/create/?appType=ios  |  RA/apps/create/v2/?platformString=ios       new-app form (prefill)
//   POST RA/apps/create/?appType=ios  |  RA/apps/create/v2                            create app (the filled form)
//   GET  RA/apps/{app}/trains/  [?platform=ios&testingType=internal|external]        build trains
//   GET  RA/apps/{app}[/platforms/ios]/trains/{train}/builds/{build}/details         build details
//   GET  RA/apps/{app}[/platforms/ios]/trains/{train}/builds/{build}/testInformation test information
//   POST RA/apps/{app}[/platforms/ios]/trains/{train}/builds/{build}/testInformation (the `data` object)
//   GET  RA/apps/{app}[/platforms/ios]/trains/{train}/builds/{build}/testers         testers of a build
//   POST RA/users/pre/create   {"testers":[{emailAddress:{value},firstName:{value},lastName:{value},testing:{value:true},groups:[]}]}
//                              groups as fastlane sends them: [{id,name:{value}}] an existing group, [{id:null,name:{value}}]
//                              a new one; the tester is stored in them (see RaApi.createTesters for what is refused)
//   GET  RA/users/pre/ext  (fastlane)                                                external testers
//   POST RA/apps/{app}/details/submit/summary                               submit for review, step 1 (seed URL), edit version
//   GET  RA/apps/{app}/versions/{version}/submit/summary  (fastlane)        submit for review, step 1
//   POST RA/apps/{app}/versions/{version}/submit/complete  |  RA/apps/{app}/version/submit/complete  (fastlane)
//                                                                           step 2: POST step 1's `data` back → waitingForReview
//   POST RA/apps/{app}/versions/{version}/reject                            developer reject (waitingForReview → developerRejected)
//   GET|POST RA/apps/{app}[/platforms/ios]/resolutionCenter?v=latest        review messages (HTML bodies)
//   GET  RA/user/detail  (fastlane)                                         signed-in user
//
// Errors arrive inside HTTP 200 (see ./ra.ts for the two shapes). Unknown app/version/build → 404 with the envelope.
//
// Offline extras (not Apple's): image URLs of the recordings (`https://isN-ssl.mzstatic.com/image/thumb/…`) are
// rewritten to `GET /itc/icons/{key}.png` (generated PNGs, no session needed, like the CDN), and
// `POST /itc/_sandbox/expire-sessions` (204) does what expireSessions() does, for tests in another process.
import type { ApiEmulator, SandboxContext, SandboxRequest, SandboxResponse } from '../types';
import { header, sha256 } from '../shared/http';
import { iconPng } from '../shared/png';
import {
  DEMO_APPLE_ID, DEMO_PASSWORD, ItcAuth, SESSION_IDLE_MS, TWO_FACTOR_APPLE_ID, TWO_FACTOR_CODE, WOA,
} from './auth';
import { clone, failure, isObj, ok } from './model';
import { RaApi } from './ra';
import { createSeed, editVersion, type AppState } from './seed';

export interface ItcEmulator extends ApiEmulator {
  /** Expires every session now: the next RA call answers 401 and the client must sign in again. */
  expireSessions(): void;
  /** Sessions that are still valid. */
  activeSessions(): number;
  /** Idle timeout of a session in milliseconds of the sandbox clock. */
  readonly sessionIdleMs: number;
}

type Params = string[];
type RaHandler = (p: Params, req: SandboxRequest, body: unknown, appleId: string) => SandboxResponse;
interface Route { method: 'GET' | 'POST' | 'GET|POST'; re: RegExp; run: RaHandler }

const ID = '(\\d+)';
const SEG = '([^/]+)';
const PLATFORM = '(?:/platforms/(?:ios|appletvos|osx))?';

export function createItcEmulator(ctx: SandboxContext): ItcEmulator {
  const prefix = '/itc';
  const auth = new ItcAuth(ctx, prefix);
  const api = new RaApi(ctx, createSeed());

  const withApp = (id: string | undefined, f: (app: AppState) => SandboxResponse): SandboxResponse => {
    const app = api.app(id ?? '');
    return app ? f(app) : failure(404, `No app with Apple ID ${id}.`);
  };
  const withVersion = (id: string | undefined, vid: string | undefined, f: (app: AppState, v: NonNullable<ReturnType<RaApi['versionById']>>) => SandboxResponse) =>
    withApp(id, (app) => {
      const v = api.versionById(app, vid ?? '');
      return v ? f(app, v) : failure(404, `No version ${vid} for app ${id}.`);
    });
  const withBuild = (p: Params, f: (app: AppState, b: NonNullable<ReturnType<RaApi['build']>>) => SandboxResponse) =>
    withApp(p[0], (app) => {
      const train = decodeURIComponent(p[1] ?? '');
      const build = decodeURIComponent(p[2] ?? '');
      const b = api.build(app, train, build);
      return b ? f(app, b) : failure(404, `No build ${train} (${build}) for app ${app.adamId}.`);
    });

  const routes: Route[] = [
    { method: 'GET', re: /^\/apps\/manageyourapps\/summary(?:\/v2)?$/, run: () => api.summary() },
    { method: 'GET', re: new RegExp(`^/apps/version/${ID}$`), run: (p, req) => withApp(p[0], (app) => api.version(app, req.url.searchParams.get('v') === 'live')) },
    { method: 'POST', re: new RegExp(`^/apps/version/save/${ID}$`), run: (p, _r, body) => withApp(p[0], (app) => {
      const v = editVersion(app);
      return v ? api.saveVersion(app, v, body) : failure(404, 'This app has no version to edit.');
    }) },
    { method: 'POST', re: new RegExp(`^/apps/version/create/${ID}$`), run: (p, _r, body) => withApp(p[0], (app) => api.createVersion(app, body)) },
    { method: 'POST', re: new RegExp(`^/apps/${ID}/platforms/ios/versions/create$`), run: (p, _r, body) => withApp(p[0], (app) => api.createVersion(app, body)) },
    { method: 'GET', re: new RegExp(`^/apps/${ID}/platforms/ios/versions/${ID}$`), run: (p) => withVersion(p[0], p[1], (_a, v) => ok(clone(v))) },
    { method: 'POST', re: new RegExp(`^/apps/${ID}/platforms/ios/versions/${ID}$`), run: (p, _r, body) => withVersion(p[0], p[1], (app, v) => api.saveVersion(app, v, body)) },
    { method: 'GET', re: /^\/apps\/create(?:\/v2)?$/, run: () => api.createAppForm() },
    { method: 'POST', re: /^\/apps\/create(?:\/v2)?$/, run: (_p, _r, body) => api.createApp(body) },
    { method: 'GET', re: new RegExp(`^/apps/${ID}/trains$`), run: (p, req) => withApp(p[0], (app) => api.trains(app, req.url.searchParams.get('platform'))) },
    { method: 'GET', re: new RegExp(`^/apps/${ID}${PLATFORM}/trains/${SEG}/builds/${SEG}/details$`), run: (p) => withBuild(p, (_a, b) => api.buildDetails(b)) },
    { method: 'GET', re: new RegExp(`^/apps/${ID}${PLATFORM}/trains/${SEG}/builds/${SEG}/testInformation$`), run: (p) => withBuild(p, (_a, b) => api.testInformation(b)) },
    { method: 'POST', re: new RegExp(`^/apps/${ID}${PLATFORM}/trains/${SEG}/builds/${SEG}/testInformation$`), run: (p, _r, body) => withBuild(p, (app, b) => api.saveTestInformation(app, b, body)) },
    { method: 'GET', re: new RegExp(`^/apps/${ID}${PLATFORM}/trains/${SEG}/builds/${SEG}/testers$`), run: (p) => withBuild(p, () => api.buildTesters()) },
    { method: 'POST', re: /^\/users\/pre\/create$/, run: (_p, _r, body) => api.createTesters(body) },
    { method: 'GET', re: /^\/users\/pre\/ext$/, run: () => api.externalTesters() },
    { method: 'POST', re: new RegExp(`^/apps/${ID}/details/submit/summary$`), run: (p) => withApp(p[0], (app) => api.submitStart(app, editVersion(app))) },
    { method: 'GET', re: new RegExp(`^/apps/${ID}/versions/${ID}/submit/summary$`), run: (p) => withVersion(p[0], p[1], (app, v) => api.submitStart(app, v)) },
    { method: 'POST', re: new RegExp(`^/apps/${ID}/versions/${ID}/submit/complete$`), run: (p, _r, body) => withVersion(p[0], p[1], (app, v) => api.submitComplete(app, v, body)) },
    { method: 'POST', re: new RegExp(`^/apps/${ID}/version/submit/complete$`), run: (p, _r, body) => withApp(p[0], (app) => api.submitComplete(app, editVersion(app), body)) },
    { method: 'POST', re: new RegExp(`^/apps/${ID}/versions/${ID}/reject$`), run: (p) => withVersion(p[0], p[1], (app, v) => api.reject(app, v)) },
    { method: 'GET|POST', re: new RegExp(`^/apps/${ID}${PLATFORM}/resolutionCenter$`), run: (p) => withApp(p[0], (app) => api.resolutionCenter(app)) },
    { method: 'GET', re: /^\/user\/detail$/, run: (_p, _r, _b, appleId) => api.userDetail(appleId) },
  ];

  function ra(req: SandboxRequest, rest: string): SandboxResponse {
    const session = auth.authenticate(req);
    if ('status' in session) return session;
    if (header(req, 'x-csrf-itc') !== 'itc') return failure(403, 'Forbidden: the x-csrf-itc header is missing or invalid.');
    const path = rest.replace(/\/+$/, '');
    const matching = routes.filter((r) => r.re.test(path));
    if (matching.length === 0) return failure(404, `No iTunes Connect endpoint at ${rest}.`);
    const route = matching.find((r) => r.method.split('|').includes(req.method));
    if (!route) return { ...failure(405, `${req.method} is not supported here.`), headers: { allow: matching.map((r) => r.method.replace('|', ', ')).join(', ') } };
    let body: unknown;
    if (req.method === 'POST' && req.body.length > 0) {
      try {
        body = JSON.parse(req.body.toString('utf8'));
      } catch {
        return failure(400, 'The request body is not valid JSON.');
      }
    }
    const params = route.re.exec(path)!.slice(1).map((x) => x ?? '');
    return route.run(params, req, body, session.appleId);
  }

  function handle(req: SandboxRequest): SandboxResponse {
    const res = route(req);
    if (Buffer.isBuffer(res.body) || !(isObj(res.body) || Array.isArray(res.body))) return res;
    return { ...res, body: localImages(res.body, `${req.origin}${prefix}`) as object };
  }

  function route(req: SandboxRequest): SandboxResponse {
    const path = req.path.replace(/\/+$/, '') || '/';
    const icon = /^\/icons\/([A-Za-z0-9_-]+)\.png$/.exec(path);
    if (icon && req.method === 'GET') {
      const hue = sha256(icon[1]!).readUInt16BE(0) % 360;
      return { status: 200, headers: { 'content-type': 'image/png', 'cache-control': 'public, max-age=86400' }, body: iconPng(hue) };
    }
    if (path === '/_sandbox/expire-sessions' && req.method === 'POST') {
      auth.expireSessions();
      return { status: 204 };
    }
    if (path === '/' || path === WOA) {
      return req.method === 'GET' ? auth.landingPage() : failure(405, `${req.method} is not supported here.`);
    }
    if (path.startsWith(`${WOA}/wo/`)) {
      // Any other /wo/ URL (a hard-coded or stale action) is a form WebObjects no longer knows: not signed in.
      const form = new RegExp(`^${WOA}/wo/([A-Za-z0-9_-]+)/\\d+\\.[\\d.]+$`).exec(path);
      return req.method === 'POST' ? auth.login(req, form?.[1] ?? '') : { status: 302, headers: { location: `${prefix}${WOA}` }, body: '' };
    }
    if (path === `${WOA}/wa` && req.method === 'GET') return auth.home(req);
    if (path === '/idmsa/appleauth/auth' || path.startsWith('/idmsa/appleauth/auth/')) return auth.idmsa(req, path.slice('/idmsa/appleauth/auth'.length));
    if (req.path.startsWith(`${WOA}/ra/`)) return ra(req, req.path.slice(`${WOA}/ra`.length));
    return failure(404, `No iTunes Connect page at ${req.path}.`);
  }

  return {
    prefix,
    handle,
    reset: () => {
      api.state = createSeed();
      auth.reset();
    },
    credentials: () => ({ appleId: DEMO_APPLE_ID, password: DEMO_PASSWORD, twoFactorAppleId: TWO_FACTOR_APPLE_ID, twoFactorCode: TWO_FACTOR_CODE }),
    expireSessions: () => auth.expireSessions(),
    activeSessions: () => auth.activeSessions(),
    sessionIdleMs: SESSION_IDLE_MS,
  };
}

const CDN_IMAGE = /^https:\/\/(?:is\d-ssl|s\d)\.mzstatic\.com\/(?:image\/thumb\/|us\/r\d+\/)?(.+?\.(?:png|jpe?g))(?:\/[^/]*)?$/i;

/** Recorded image URLs point at Apple's CDN; the offline demo serves stand-ins from `/itc/icons/`. */
function localImages(v: unknown, base: string): unknown {
  if (typeof v === 'string') {
    const m = CDN_IMAGE.exec(v);
    return m ? `${base}/icons/${sha256(m[1]!).toString('base64url').slice(0, 16)}.png` : v;
  }
  if (Array.isArray(v)) return v.map((x) => localImages(x, base));
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, localImages(x, base)]));
  return v;
}
