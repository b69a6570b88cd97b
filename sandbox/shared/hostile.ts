// Hostile mode (`startSandbox({ hostile: true })`, `--hostile`): every text field of every JSON answer, in all five
// emulated APIs, carries the strings an attacker (or an unlucky user) could put in a review, an app name or a
// feedback record: markup, event handlers, script and command links, Markdown links, bidi overrides, terminal
// control characters, and names 10,000 characters long. Identifiers, URLs, dates and enum values are left alone so
// every flow still works; only what a person reads changes. The stored data is untouched: the transformation
// applies to each answer on its way out, so it is the same on every read.
import type { SandboxResponse } from '../types';

/** Appended to every text field. Each part is a separate way to break a renderer. */
export const HOSTILE_TAIL =
  ' <script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"><b onmouseover=alert(3)>b</b>'
  + ' [open](command:workbench.action.quit) [run](javascript:alert(4)) <a href="javascript:alert(5)">a</a>'
  + ' \u202Egnp.exe\u202C \u2066iso\u2069 \x1b]52;c;cHduZWQ=\x07\x1b[2J\x1b[31mred\x1b[0m\rover\x00\x08\u009b';

/** Names also get a 10,000-character unbroken word: layouts must truncate it, not grow with it. */
export const LONG_TAIL = HOSTILE_TAIL + ' ' + 'W'.repeat(10_000 - HOSTILE_TAIL.length - 1);

/** Keys whose string values are text a person reads, across the five APIs. */
const TEXT_KEYS = new Set([
  'name', 'appName', 'title', 'subtitle', 'body', 'text', 'description', 'whatsNew', 'releaseNotes', 'keywords',
  'promotionalText', 'comment', 'label', 'message', 'success_message', 'instructions', 'nickname', 'reviewerNickname',
  'firstName', 'lastName', 'responseBody', 'developer', 'question', 'answer', 'feedback', 'summary',
]);
/** Text keys that are names, shown as headings and tree labels. */
const NAME_KEYS = new Set(['name', 'appName', 'title']);

export function isHostileKey(key: string): boolean {
  return TEXT_KEYS.has(key);
}

/** The same JSON with every text field made hostile. */
export function hostileJson(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (!TEXT_KEYS.has(key) || value === '') return value;
    return value + (NAME_KEYS.has(key) ? LONG_TAIL : HOSTILE_TAIL);
  }
  // Array items and the legacy API's `{ value: … }` wrappers are text of the key that holds them.
  if (Array.isArray(value)) return value.map((v) => hostileJson(v, key));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = hostileJson(v, k === 'value' && TEXT_KEYS.has(key) ? key : k);
    return out;
  }
  return value;
}

function header(r: SandboxResponse, name: string): string | undefined {
  const e = Object.entries(r.headers ?? {}).find(([k]) => k.toLowerCase() === name);
  return e ? String(e[1]) : undefined;
}

/** An emulator's answer as hostile mode sends it: JSON bodies transformed, everything else unchanged. */
export function hostileResponse(r: SandboxResponse): SandboxResponse {
  if (r.body === undefined || Buffer.isBuffer(r.body)) return r;
  if (typeof r.body === 'object') return { ...r, body: hostileJson(r.body) as object };
  if (!/json/i.test(header(r, 'content-type') ?? '')) return r;
  try {
    return { ...r, body: JSON.stringify(hostileJson(JSON.parse(r.body))) };
  } catch {
    return r; // a deliberately malformed answer (fault injection) stays malformed
  }
}
