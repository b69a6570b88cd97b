// Errors inside HTTP 200: legacy iTunes Connect answers most failures with a 200 whose body says what went wrong.
// This follows fastlane's `handle_itc_response` (spaceship/lib/spaceship/tunes/tunes_client.rb, MIT):
//   - `errorKeys` of any editable field `{value, isEditable, isRequired, errorKeys}`, anywhere in `data`
//     (the enclosing localization's `language` says which locale it belongs to);
//   - `sectionErrorKeys`, `validationErrors`, `serviceErrors` of `data` and of `data.versionInfo`;
//   - `messages.error` of the envelope (and `statusCode: "ERROR"`);
//   - a single "You haven't made any changes." is not an error; a single "…try again later…" is temporary;
//     a single "Forbidden" is a permission problem.
// `sectionInfoKeys` / `sectionWarningKeys` / `messages.info|warn` are informational only.
import { AuthError, ProtocolError, TransientError, ValidationError, type ProviderError } from '../../core/errors';
import { localeOfLanguage } from './locales';

export const PROVIDER = 'iTunes Connect';

/** iTunes Connect's field names → the keys the shared metadata panel uses. */
export const PANEL_KEY: Readonly<Record<string, string>> = {
  releaseNotes: 'whatsNew',
  privacyURL: 'privacyPolicyUrl',
};

export const NO_CHANGES = "You haven't made any changes.";

export interface ItcFindings {
  /** Apple's words, in order: messages.error, field errorKeys, validation/service errors, section errors. Deduplicated. */
  errors: string[];
  /** `locale/field` (or `field` outside a localization) → Apple's messages for that field. */
  fieldErrors: Record<string, string[]>;
  /** sectionInfoKeys, sectionWarningKeys, messages.info and messages.warn: worth a log line, not an error. */
  info: string[];
  statusCode?: string;
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Flattens strings, nested arrays (`[["Forbidden"]]`) and `{message|title|code}` objects into text. */
function texts(x: unknown): string[] {
  if (typeof x === 'string') return x.trim() ? [x.trim()] : [];
  if (Array.isArray(x)) return x.flatMap(texts);
  if (isObj(x)) {
    const m = x.message ?? x.title ?? x.description ?? x.code;
    if (typeof m === 'string' || typeof m === 'number') return [String(m)];
  }
  return [];
}

/** Collects every error and info carried by a legacy iTunes Connect response body. Never throws. */
export function findItcErrors(body: unknown): ItcFindings {
  const errors: string[] = [];
  const fieldErrors: Record<string, string[]> = {};
  const info: string[] = [];
  if (!isObj(body)) return { errors, fieldErrors, info };

  // "sometimes it's with data, sometimes it isn't"
  const data: unknown = body.data ?? body;
  const messages = isObj(body.messages) ? body.messages : undefined;
  errors.push(...texts(messages?.error));
  info.push(...texts(messages?.info), ...texts(messages?.warn));

  const fieldError = (key: string, locale: string | undefined, msg: string) => {
    const panelKey = PANEL_KEY[key] ?? key;
    const k = locale ? `${locale}/${panelKey}` : panelKey;
    const list = (fieldErrors[k] ??= []);
    if (!list.includes(msg)) list.push(msg);
  };
  const walk = (node: unknown, key: string, locale: string | undefined, depth: number): void => {
    if (depth > 40) return;
    if (Array.isArray(node)) {
      for (const x of node) walk(x, key, locale, depth + 1);
      return;
    }
    if (!isObj(node)) return;
    const here = typeof node.language === 'string' ? localeOfLanguage(node.language, typeof node.localeCode === 'string' ? node.localeCode : null)
      : typeof node.localeCode === 'string' ? node.localeCode : locale;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'errorKeys') {
        for (const msg of texts(v)) {
          errors.push(msg);
          fieldError(key, here, msg);
        }
      } else {
        walk(v, k, here, depth + 1);
      }
    }
  };
  walk(data, '', undefined, 0);

  const sections = [data, isObj(data) ? data.versionInfo : undefined].filter(isObj);
  for (const s of sections) errors.push(...texts(s.validationErrors), ...texts(s.serviceErrors));
  for (const s of sections) errors.push(...texts(s.sectionErrorKeys));
  for (const s of sections) info.push(...texts(s.sectionInfoKeys), ...texts(s.sectionWarningKeys));

  const statusCode = typeof body.statusCode === 'string' ? body.statusCode : undefined;
  const unique = [...new Set(errors)];
  if (statusCode === 'ERROR' && unique.length === 0) unique.push('iTunes Connect reported an error without details (statusCode "ERROR").');
  return { errors: unique, fieldErrors, info: [...new Set(info)], ...(statusCode && { statusCode }) };
}

/** The typed error a response body amounts to, or undefined when it reports success. */
export function itcErrorFor(body: unknown, endpoint?: string): ProviderError | undefined {
  const f = findItcErrors(body);
  if (f.errors.length === 0) return undefined;
  if (f.errors.length === 1) {
    const only = f.errors[0]!;
    if (only === NO_CHANGES) return undefined;
    if (/try again later/i.test(only)) return new TransientError({ provider: PROVIDER, endpoint, details: f.errors });
    if (/^forbidden\b/i.test(only)) {
      return new AuthError({
        provider: PROVIDER,
        endpoint,
        status: 403,
        details: f.errors,
        summary: `${PROVIDER} denied access to ${endpoint ?? 'this action'}`,
        hint: 'Check that this Apple ID has a role (Admin or App Manager) that allows this action.',
      });
    }
  }
  return new ValidationError({ provider: PROVIDER, endpoint, details: f.errors, fieldErrors: f.fieldErrors });
}

/** Throws when a parsed body carries an error; returns it unchanged otherwise. */
export function assertNoItcErrors<T>(body: T, endpoint?: string): T {
  const e = itcErrorFor(body, endpoint);
  if (e) throw e;
  return body;
}

/** A response that is not what a live iTunes Connect would send (HTML, an unknown 404, a shape we do not know). */
export function unexpected(endpoint: string, what: string, status?: number): ProtocolError {
  return new ProtocolError({
    provider: PROVIDER,
    endpoint,
    ...(status !== undefined && { status }),
    details: [what],
    hint: 'The legacy iTunes Connect endpoints went offline in stages; this one may no longer exist. Use an App Store Connect account (API key) instead, or report an issue with the log output.',
  });
}
