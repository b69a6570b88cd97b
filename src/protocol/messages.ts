// Typed messages between the extension and its webviews. Messages from a webview are untrusted input:
// every handler validates them with the guards here before acting.

/** Messages every panel's webview may send. */
export type CommonRequest =
  | { type: 'ready' }
  | { type: 'runCommand'; command: AllowedCommand };

/** Commands a webview may ask for; anything else is refused. */
export const allowedCommands = ['appdesk.addAccount', 'appdesk.exploreDemo', 'appdesk.showLogs', 'appdesk.refresh'] as const;
export type AllowedCommand = (typeof allowedCommands)[number];

export interface OverviewProvider {
  id: string;
  label: string;
  description: string;
  capabilities: string[];
  accounts: { label: string; demo: boolean }[];
}

export type OverviewUpdate = { type: 'overview'; providers: OverviewProvider[]; sandboxUrl?: string };

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parseCommonRequest(msg: unknown): CommonRequest | undefined {
  if (!isRecord(msg)) return undefined;
  if (msg.type === 'ready') return { type: 'ready' };
  if (msg.type === 'runCommand' && typeof msg.command === 'string' && (allowedCommands as readonly string[]).includes(msg.command)) {
    return { type: 'runCommand', command: msg.command as AllowedCommand };
  }
  return undefined;
}

/** An error as a webview sees it (plain data; the message already names the provider and what to do). */
export interface PanelError {
  message: string;
  kind: string;
  provider?: string;
  details?: string[];
  /** Keyed `locale/field` or `field`. */
  fieldErrors?: Record<string, string[]>;
  retryAt?: string;
}

export const isString = (v: unknown, max = 100_000): v is string => typeof v === 'string' && v.length <= max;

/** Where a panel should bring the user on opening (e.g. the release checklist's "Fix" → the missing field). */
export interface PanelFocus {
  locale?: string;
  field?: string;
}

/** A focus hint from a message or command argument: short identifier-like strings only, else undefined. */
export function parseFocus(raw: unknown): PanelFocus | undefined {
  if (!isRecord(raw)) return undefined;
  const ok = (x: unknown): x is string => typeof x === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(x);
  const focus: PanelFocus = {};
  if (ok(raw.locale)) focus.locale = raw.locale;
  if (ok(raw.field)) focus.field = raw.field;
  return focus.locale || focus.field ? focus : undefined;
}
