// Verifies App Store Connect bearer tokens the way Apple does ("Generating Tokens for API Requests"): ES256 over the
// registered P-256 key named by `kid`, `aud` = appstoreconnect-v1, team keys carry `iss` = issuer id, individual keys
// carry `sub` = "user" and no `iss`, lifetime (exp - iat) at most 20 minutes (up to six months for GET-only scopes on
// long-lived resources), `iat` not in the future, not expired, and a `scope`, when present, must cover the request.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

export const AUDIENCE = 'appstoreconnect-v1';
export const MAX_LIFETIME_S = 20 * 60;
export const MAX_SCOPED_LIFETIME_S = 180 * 24 * 3600;
/** Clock skew tolerated on `iat`: Apple rejects tokens issued in the future. */
export const IAT_SKEW_S = 5;
/** Resources Apple lets a GET-only scoped token live up to six months for (the ones this emulator serves). */
const LONG_LIVED_PATH = /\/(perfPowerMetrics|diagnosticSignatures|diagnosticLogs)$/;
/** Query parameters Apple ignores when matching a scope. */
const SCOPE_IGNORED = new Set(['limit', 'cursor', 'sort']);

export interface RegisteredKey {
  kid: string;
  publicKey: KeyObject;
  /** Issuer id for team keys, null for individual keys. */
  issuerId: string | null;
}

export class KeyRing {
  private keys = new Map<string, RegisteredKey>();

  /** Registers a P-256 key; accepts a public key or a private key (PKCS#8 or SEC1 PEM), keeping only the public part. */
  register(kid: string, pem: string, issuerId: string | null): RegisteredKey {
    const publicKey = createPublicKey(pem);
    if (publicKey.asymmetricKeyType !== 'ec' || publicKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      throw new Error(`key ${kid} is not a P-256 EC key`);
    }
    const key = { kid, publicKey, issuerId };
    this.keys.set(kid, key);
    return key;
  }

  unregister(kid: string): void { this.keys.delete(kid); }
  get(kid: string): RegisteredKey | undefined { return this.keys.get(kid); }
}

export interface TokenRequest { method: string; path: string; query: URLSearchParams }
export type AuthResult =
  | { ok: true; key: RegisteredKey; individual: boolean }
  | { ok: false; reason: string; kid?: string };

const B64URL = /^[A-Za-z0-9_-]*$/;

function decodeJson(part: string): Record<string, unknown> | undefined {
  if (!B64URL.test(part)) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const fail = (reason: string, kid?: string): AuthResult => ({ ok: false, reason, kid });
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Checks `Authorization` against the key ring; `nowMs` is wall-clock time. */
export function verifyBearer(authorization: string | undefined, keys: KeyRing, nowMs: number, req: TokenRequest): AuthResult {
  if (!authorization) return fail('missing Authorization header');
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!m) return fail('Authorization is not a Bearer token');
  const parts = m[1]!.split('.');
  if (parts.length !== 3) return fail('token is not a compact JWS (header.payload.signature)');
  const [h, p, s] = parts as [string, string, string];
  const header = decodeJson(h);
  const payload = decodeJson(p);
  if (!header || !payload) return fail('token header or payload is not base64url JSON');
  if (header.alg !== 'ES256') return fail(`alg must be ES256, got ${String(header.alg)}`);
  if (typeof header.kid !== 'string' || !header.kid) return fail('header has no kid');
  const kid = header.kid;
  const key = keys.get(kid);
  if (!key) return fail(`unknown key id ${kid}`);
  if (!B64URL.test(s)) return fail('signature is not base64url', kid);
  const sig = Buffer.from(s, 'base64url');
  if (sig.length !== 64) return fail(`ES256 signature must be 64 bytes (r||s), got ${sig.length}; DER-encoded?`, kid);
  const ok = verify('sha256', Buffer.from(`${h}.${p}`), { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, sig);
  if (!ok) return fail('signature does not verify against the registered key', kid);

  if (payload.aud !== AUDIENCE) return fail(`aud must be ${AUDIENCE}`, kid);
  if (key.issuerId !== null) {
    if (payload.iss !== key.issuerId) return fail('iss does not match the issuer id of this team key', kid);
  } else {
    if (payload.iss !== undefined) return fail('individual keys must not carry iss', kid);
    if (payload.sub !== 'user') return fail('individual keys need sub "user"', kid);
  }
  if (!isNum(payload.iat)) return fail('iat missing or not a number', kid);
  if (!isNum(payload.exp)) return fail('exp missing or not a number', kid);
  const now = nowMs / 1000;
  if (payload.iat > now + IAT_SKEW_S) return fail('iat is in the future', kid);
  if (payload.exp <= now) return fail('token has expired', kid);
  if (payload.exp <= payload.iat) return fail('exp is not after iat', kid);

  const scope = payload.scope;
  if (scope !== undefined) {
    if (!Array.isArray(scope) || scope.some((e) => typeof e !== 'string')) return fail('scope must be an array of strings', kid);
    if (!(scope as string[]).some((e) => scopeMatches(e, req))) return fail('request is outside the token scope', kid);
  }
  const lifetime = payload.exp - payload.iat;
  if (lifetime > MAX_LIFETIME_S) {
    const longLived = Array.isArray(scope) && scope.length > 0 && (scope as string[]).every((e) => {
      const [method, target] = e.split(' ', 2);
      return method === 'GET' && !!target && LONG_LIVED_PATH.test(target.split('?')[0]!);
    });
    if (!longLived) return fail(`token lifetime ${lifetime}s exceeds 20 minutes`, kid);
    if (lifetime > MAX_SCOPED_LIFETIME_S) return fail(`token lifetime ${lifetime}s exceeds six months`, kid);
  }
  return { ok: true, key, individual: key.issuerId === null };
}

function scopeMatches(entry: string, req: TokenRequest): boolean {
  const sp = entry.indexOf(' ');
  if (sp < 0) return false;
  const method = entry.slice(0, sp);
  const target = entry.slice(sp + 1).trim();
  if (method !== req.method) return false;
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  if (path !== req.path) return false;
  const norm = (params: URLSearchParams) =>
    [...params].filter(([k]) => !SCOPE_IGNORED.has(k)).map(([k, v]) => `${k}=${v}`).sort().join('&');
  return norm(new URLSearchParams(q < 0 ? '' : target.slice(q + 1))) === norm(req.query);
}
