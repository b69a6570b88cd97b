/**
 * Typed provider errors. Every failure that reaches the UI is a ProviderError whose `message` names the
 * provider and says what to do, so trees, notifications, webviews and the CLI can show it as is, and whose
 * `kind` drives behaviour (auth → reconnect action, rateLimit → wait until `retryAt`, transient → keep stale data).
 */

export type ErrorKind =
  | 'auth'
  | 'rateLimit'
  | 'notFound'
  | 'validation'
  | 'transient'
  | 'protocol'
  | 'cancelled'
  | 'network'
  | 'config';

export interface ProviderErrorInit {
  /** Display name, e.g. "App Store Connect". */
  provider: string;
  /** First sentence naming the provider, without a final period. Each subclass has a default. */
  summary?: string;
  /** What the user should do. Each subclass has a default. */
  hint?: string;
  status?: number;
  /** Method and path, e.g. "GET /v1/apps" — never the query string (it may carry tokens). */
  endpoint?: string;
  /** The API's own words, shown after the summary. */
  details?: string[];
  /** Field → messages, for forms. */
  fieldErrors?: Record<string, string[]>;
  retryAt?: Date;
  /** Overrides the kind's default (transient, network and rateLimit are retryable). */
  retryable?: boolean;
  cause?: unknown;
}

export interface ProviderErrorJSON {
  name: string;
  kind: ErrorKind;
  provider: string;
  message: string;
  hint: string;
  retryable: boolean;
  status?: number;
  endpoint?: string;
  details?: string[];
  fieldErrors?: Record<string, string[]>;
  retryAt?: string;
}

export abstract class ProviderError extends Error {
  abstract readonly kind: ErrorKind;
  readonly provider: string;
  readonly hint: string;
  readonly retryable: boolean;
  readonly status?: number;
  readonly endpoint?: string;
  readonly details?: string[];
  readonly fieldErrors?: Record<string, string[]>;
  readonly retryAt?: Date;

  protected constructor(name: string, init: ProviderErrorInit, defaults: { summary: string; hint: string; retryable: boolean }) {
    const hint = init.hint ?? defaults.hint;
    super(composeMessage(init.summary ?? defaults.summary, init.details, hint), init.cause === undefined ? undefined : { cause: init.cause });
    // Explicit, because minified class names are useless in logs.
    this.name = name;
    this.provider = init.provider;
    this.hint = hint;
    this.retryable = init.retryable ?? defaults.retryable;
    if (init.status !== undefined) this.status = init.status;
    if (init.endpoint !== undefined) this.endpoint = init.endpoint;
    if (init.details?.length) this.details = init.details;
    if (init.fieldErrors && Object.keys(init.fieldErrors).length) this.fieldErrors = init.fieldErrors;
    if (init.retryAt !== undefined) this.retryAt = init.retryAt;
  }

  /** Plain data for webview messages and `--json` CLI output. */
  toJSON(): ProviderErrorJSON {
    return {
      name: this.name,
      kind: this.kind,
      provider: this.provider,
      message: this.message,
      hint: this.hint,
      retryable: this.retryable,
      ...(this.status !== undefined && { status: this.status }),
      ...(this.endpoint !== undefined && { endpoint: this.endpoint }),
      ...(this.details && { details: this.details }),
      ...(this.fieldErrors && { fieldErrors: this.fieldErrors }),
      ...(this.retryAt && { retryAt: this.retryAt.toISOString() }),
    };
  }
}

const withStatus = (s: string, status?: number) => (status === undefined ? s : `${s} (${status})`);

export class AuthError extends ProviderError {
  readonly kind = 'auth' as const;
  constructor(init: ProviderErrorInit) {
    const forbidden = init.status === 403;
    super('AuthError', init, {
      summary: withStatus(`${init.provider} ${forbidden ? 'denied access' : 'rejected the credentials'}`, init.status),
      hint: forbidden
        ? 'Check that the account has the role or permission this action needs.'
        : 'Check the credentials for this account, or reconnect it.',
      retryable: false,
    });
  }
}

export class RateLimitError extends ProviderError {
  readonly kind = 'rateLimit' as const;
  constructor(init: ProviderErrorInit) {
    super('RateLimitError', init, {
      summary: withStatus(`${init.provider} rate limit reached`, init.status),
      hint: init.retryAt ? `Try again ${formatRetryAt(init.retryAt)}.` : 'Wait a few minutes and try again.',
      retryable: true,
    });
  }
}

export class NotFoundError extends ProviderError {
  readonly kind = 'notFound' as const;
  constructor(init: ProviderErrorInit) {
    super('NotFoundError', init, {
      summary: withStatus(`${init.provider} could not find ${init.endpoint ?? 'the requested item'}`, init.status),
      hint: 'It may have been deleted, or this account may not have access to it. Refresh and try again.',
      retryable: false,
    });
  }
}

export class ValidationError extends ProviderError {
  readonly kind = 'validation' as const;
  constructor(init: ProviderErrorInit) {
    super('ValidationError', init, {
      summary: withStatus(`${init.provider} rejected the request`, init.status),
      hint: 'Correct the values and try again.',
      retryable: false,
    });
  }
}

export class TransientError extends ProviderError {
  readonly kind: 'transient' | 'network' = 'transient';
  constructor(init: ProviderErrorInit) {
    super('TransientError', init, {
      summary: withStatus(`${init.provider} is temporarily unavailable`, init.status),
      hint: 'Try again in a few minutes.',
      retryable: true,
    });
  }
}

/** The provider could not be reached (DNS, refused, reset, TLS, timeout). Retryable unless it is a TLS/config problem. */
export class NetworkError extends TransientError {
  override readonly kind = 'network' as const;
  constructor(init: ProviderErrorInit) {
    super({
      ...init,
      summary: init.summary ?? `Could not reach ${init.provider}`,
      hint: init.hint ?? 'Check your internet connection and proxy settings (http.proxy).',
    });
    this.name = 'NetworkError';
  }
}

export class ProtocolError extends ProviderError {
  readonly kind = 'protocol' as const;
  constructor(init: ProviderErrorInit) {
    super('ProtocolError', init, {
      summary: `${init.provider} returned an unexpected response${init.endpoint ? ` for ${init.endpoint}` : ''}`,
      hint: 'The API may have changed. If this persists, check for an AppDesk update or report an issue with the log output.',
      retryable: false,
    });
  }
}

export class CancelledError extends ProviderError {
  readonly kind = 'cancelled' as const;
  constructor(init: ProviderErrorInit) {
    super('CancelledError', init, { summary: `Request to ${init.provider} was cancelled`, hint: '', retryable: false });
  }
}

export class ConfigError extends ProviderError {
  readonly kind = 'config' as const;
  constructor(init: ProviderErrorInit) {
    super('ConfigError', init, {
      summary: `${init.provider} is not configured correctly`,
      hint: 'Check the account and AppDesk settings.',
      retryable: false,
    });
  }
}

/** instanceof, with a structural fallback for errors that crossed a bundle boundary. */
export function isProviderError(e: unknown): e is ProviderError {
  if (e instanceof ProviderError) return true;
  const x = e as Partial<ProviderError> | null;
  return e instanceof Error && typeof x?.kind === 'string' && typeof x.provider === 'string' && typeof x.hint === 'string';
}

export function isCancellation(e: unknown): boolean {
  return (isProviderError(e) && e.kind === 'cancelled') || (e instanceof Error && e.name === 'AbortError');
}

/** "GET /v1/apps" — the query string is dropped because it may carry tokens (Apptentive `oauth_token`). */
export function describeEndpoint(method: string, url: string | URL): string {
  try {
    return `${method.toUpperCase()} ${new URL(url).pathname}`;
  } catch {
    return `${method.toUpperCase()} ${String(url).split('?')[0]}`;
  }
}

/** "in 40 s", "in 12 min", or "after 14:05" — short, for messages and status bar tooltips. */
export function formatRetryAt(at: Date, now: number = Date.now()): string {
  const s = Math.max(1, Math.ceil((at.getTime() - now) / 1000));
  if (s <= 90) return `in ${s} s`;
  if (s <= 90 * 60) return `in ${Math.ceil(s / 60)} min`;
  const hm = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
  return s < 20 * 3600 ? `after ${hm}` : `after ${at.toISOString().slice(0, 10)} ${hm}`;
}

function composeMessage(summary: string, details: string[] | undefined, hint: string): string {
  let m = summary;
  const d = (details ?? []).map((x) => x.trim().replace(/\.+$/, '')).filter(Boolean);
  if (d.length) m += `: ${d.slice(0, 3).join('; ')}${d.length > 3 ? ` (and ${d.length - 3} more)` : ''}`;
  m += '.';
  return hint ? `${m} ${hint}` : m;
}
