// Bearer tokens for the App Store Connect API (Apple, "Generating Tokens for API Requests"): ES256, `kid` header,
// `aud` appstoreconnect-v1, `iss` = issuer ID for team keys or `sub: "user"` for individual keys, `iat` a minute in
// the past (Apple rejects tokens issued in the future; clocks drift), at most 20 minutes of lifetime. A token is
// reused until a minute before it expires, and dropped at once when the API answers 401.
import { vendor } from '../../core/vendor';
import type { KeyObject } from 'node:crypto';
import { systemClock, type Clock } from '../../core/clock';
import { registerSecret } from '../../core/redact';

export const AUDIENCE = 'appstoreconnect-v1';
export const ENTERPRISE_AUDIENCE = 'apple-developer-enterprise-v1';
/** iat is set this far in the past. */
export const IAT_SKEW_S = 60;
/** exp − iat: 19 minutes, under Apple's 20-minute ceiling. */
export const LIFETIME_S = 19 * 60;
/** A cached token is replaced this long before it expires. */
export const RENEW_BEFORE_S = 60;

export interface TokenSourceOptions {
  keyId: string;
  /** Empty for an individual key. */
  issuerId: string;
  audience?: string;
  /** Loads the private key (from the secret store) on first use. */
  loadKey: () => Promise<KeyObject>;
  clock?: Clock;
}

export class TokenSource {
  private token: { value: string; exp: number } | undefined;
  private pending: Promise<string> | undefined;
  private key: Promise<KeyObject> | undefined;
  private readonly clock: Clock;
  /** How many tokens were signed (tests, diagnostics). */
  signed = 0;

  constructor(private readonly opts: TokenSourceOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  /** A valid token: the cached one, or a newly signed one. Concurrent callers share one signing. */
  async get(): Promise<string> {
    const now = this.clock.now() / 1000;
    if (this.token && now < this.token.exp - RENEW_BEFORE_S) return this.token.value;
    this.pending ??= this.sign().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Drops the cached token (after a 401), so the next request signs a fresh one. */
  invalidate(rejected?: string): void {
    if (!rejected || this.token?.value === rejected) this.token = undefined;
  }

  /** Forgets the key too (credentials changed). */
  reset(): void {
    this.token = undefined;
    this.key = undefined;
  }

  private async sign(): Promise<string> {
    this.key ??= this.opts.loadKey().catch((e: unknown) => {
      this.key = undefined;
      throw e;
    });
    const key = await this.key;
    const iat = Math.floor(this.clock.now() / 1000) - IAT_SKEW_S;
    const exp = iat + LIFETIME_S;
    const claims: Record<string, unknown> = this.opts.issuerId ? { iss: this.opts.issuerId } : { sub: 'user' };
    const value = await new (vendor().SignJWT)(claims)
      .setProtectedHeader({ alg: 'ES256', kid: this.opts.keyId, typ: 'JWT' })
      .setAudience(this.opts.audience ?? AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(key);
    // Never in a log, whatever prints it.
    registerSecret(value);
    this.token = { value, exp };
    this.signed++;
    return value;
  }
}
