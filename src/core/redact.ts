/**
 * Removes credentials from anything that may be logged. Logs are shared in bug reports, so this errs on the
 * side of removing too much: a redacted cursor costs little, a leaked API key costs a revocation.
 */

export const REDACTED = '[REDACTED]';

/** Object keys / JSON fields / query parameters whose values are secrets. Suffix match, case-insensitive. */
const SECRET_NAME = String.raw`[\w.-]*?(?:password|passwd|secret|token|api[_-]?key|apikey|private[_-]?key)`;
const SECRET_KEY = new RegExp(`^(?:${SECRET_NAME}|(?:proxy-)?authorization|cookie|set-cookie|x-apptweak-key|x-api-key)$`, 'i');
const SECRET_HEADERS = String.raw`(?:proxy-)?authorization|cookie|set-cookie|x-apptweak-key|x-api-key`;

const PATTERNS: [RegExp, string | ((...m: string[]) => string)][] = [
  // PEM private keys, including a truncated block with no END line.
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g, '[REDACTED PRIVATE KEY]'],
  // Header lines ("Authorization: …") and header-ish JSON ("cookie":"…").
  [new RegExp(`((?:^|[\\s{,;(\\[])["']?(?:${SECRET_HEADERS})["']?\\s*[:=]\\s*["']?)[^\\r\\n"']+`, 'gim'), `$1${REDACTED}`],
  // JSON string fields: "password": "…"
  [new RegExp(`("${SECRET_NAME}"\\s*:\\s*")(?:[^"\\\\]|\\\\.)*"`, 'gi'), `$1${REDACTED}"`],
  // Query strings and form bodies: ?oauth_token=…&password=…
  [new RegExp(`((?:^|[?&;\\s])${SECRET_NAME}=)[^&\\s#"']*`, 'gi'), `$1${REDACTED}`],
  // JWTs (ASC, AppsFlyer tokens), wherever they appear.
  [/\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g, '[REDACTED JWT]'],
  // Scheme tokens in prose ("Bearer abc…"); requires a digit or symbol so "Basic authentication" survives.
  [/\b(Bearer|OAuth|Basic|Token)\s+([\w.~+/=-]{8,})/g, (m, scheme, tok) => (/[\d.~+/=-]/.test(tok!) ? `${scheme} ${REDACTED}` : m!)],
  // Credentials inside URLs: https://user:pass@proxy
  [/\b([a-z][a-z0-9+.-]*:\/\/[^/\s:@]+):[^/\s@]+@/gi, `$1:${REDACTED}@`],
  // Long opaque runs (API keys, session ids, hex digests): see looksOpaque for what is spared.
  [/(?<![\w+/-])[\w+/-]{40,}={0,2}(?![\w+/=-])/g, (m) => (looksOpaque(m!) ? REDACTED : m!)],
];

/** A long run is a token if it mixes letters and digits and is not a path (mostly alphabetic segments). */
function looksOpaque(s: string): boolean {
  if (!/[a-z]/i.test(s) || !/\d/.test(s) || s.startsWith('/')) return false;
  const segments = s.split('/').filter(Boolean);
  if (segments.length < 2) return true;
  return segments.filter((x) => /^[a-z]+$/i.test(x)).length * 2 < segments.length;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class Redactor {
  private secrets = new Set<string>();
  private secretRe: RegExp | undefined;

  /** Redacts this exact string (and its URL-encoded form) from now on. Strings shorter than 4 chars are ignored. */
  registerSecret(secret: string | undefined): void {
    if (!secret || secret.length < 4) return;
    this.secrets.add(secret);
    this.secrets.add(encodeURIComponent(secret));
    this.secretRe = undefined;
  }

  unregisterSecret(secret: string): void {
    this.secrets.delete(secret);
    this.secrets.delete(encodeURIComponent(secret));
    this.secretRe = undefined;
  }

  isSecretKey(key: string): boolean {
    return SECRET_KEY.test(key);
  }

  redactString(s: string): string {
    if (this.secrets.size) {
      // Longest first, so a secret that contains another is removed whole.
      this.secretRe ??= new RegExp([...this.secrets].sort((a, b) => b.length - a.length).map(escapeRe).join('|'), 'g');
      s = s.replace(this.secretRe, REDACTED);
    }
    for (const [re, rep] of PATTERNS) s = typeof rep === 'string' ? s.replace(re, rep) : s.replace(re, rep);
    return s;
  }

  /** Deep, cycle-safe copy with secrets removed. Errors keep their prototype so loggers still print them as errors. */
  redact<T>(value: T): T {
    return this.walk(value, new WeakMap(), 0) as T;
  }

  private walk(v: unknown, seen: WeakMap<object, unknown>, depth: number): unknown {
    if (typeof v === 'string') return this.redactString(v);
    if (v === null || typeof v !== 'object') return typeof v === 'function' ? '[Function]' : v;
    if (seen.has(v)) return '[Circular]';
    if (depth > 12) return '[…]';
    if (v instanceof Date) return v;
    // Bodies can hold anything; their size is what matters in a log.
    if (v instanceof Uint8Array || v instanceof ArrayBuffer) return `[${v.byteLength} bytes]`;
    if (v instanceof URL) return this.redactString(v.href);
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      seen.set(v, out);
      for (const x of v) out.push(this.walk(x, seen, depth + 1));
      return out;
    }
    if (v instanceof Map) {
      const out = new Map<unknown, unknown>();
      seen.set(v, out);
      for (const [k, x] of v) out.set(k, typeof k === 'string' && this.isSecretKey(k) ? REDACTED : this.walk(x, seen, depth + 1));
      return out;
    }
    const out: Record<string, unknown> = v instanceof Error ? Object.create(Object.getPrototypeOf(v) as object) : {};
    seen.set(v, out);
    if (v instanceof Error) {
      // message, stack and cause are non-enumerable own properties; copy them explicitly.
      for (const k of ['message', 'stack'] as const) {
        Object.defineProperty(out, k, { value: this.redactString(String(v[k] ?? '')), writable: true, configurable: true });
      }
      if ('cause' in v) Object.defineProperty(out, 'cause', { value: this.walk(v.cause, seen, depth + 1), writable: true, configurable: true });
      Object.defineProperty(out, 'name', { value: v.name, writable: true, configurable: true });
    }
    for (const [k, x] of Object.entries(v)) {
      out[k] = this.isSecretKey(k) && x !== null && x !== undefined && typeof x !== 'boolean' ? REDACTED : this.walk(x, seen, depth + 1);
    }
    return out;
  }
}

/**
 * Process-wide redactor used by loggers unless another is passed. Kept on globalThis: the extension's activation
 * bundle and the bundle it loads later (dist/deferred.js) each contain this module, and a secret registered by a
 * provider must be redacted by the host's log too.
 */
const GLOBAL_REDACTOR = Symbol.for('appdesk.defaultRedactor');
export const defaultRedactor: Redactor = ((globalThis as Record<symbol, unknown>)[GLOBAL_REDACTOR] ??= new Redactor()) as Redactor;

export function registerSecret(secret: string | undefined): void {
  defaultRedactor.registerSecret(secret);
}

export function redact<T>(value: T): T {
  return defaultRedactor.redact(value);
}

/** Header values by name, for request logs. */
export function redactHeaders(headers: Record<string, string | string[] | undefined>, extraSecret: string[] = []): Record<string, string> {
  const extra = new Set(extraSecret.map((h) => h.toLowerCase()));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    const value = Array.isArray(v) ? v.join(', ') : v;
    out[k] = SECRET_KEY.test(k) || extra.has(k.toLowerCase()) ? REDACTED : defaultRedactor.redactString(value);
  }
  return out;
}
