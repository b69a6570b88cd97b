/**
 * Logging for vscode-free code. The extension plugs in its LogOutputChannel (which already has this shape),
 * the CLI plugs in `streamLogger(stderr)`, tests plug in `MemoryLogger`. Wrap any of them in RedactingLogger.
 */
import { inspect } from 'node:util';
import { defaultRedactor, type Redactor } from './redact';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

export interface Logger {
  trace(msg: string, ...args: unknown[]): void;
  debug(msg: string, ...args: unknown[]): void;
  info(msg: string, ...args: unknown[]): void;
  warn(msg: string, ...args: unknown[]): void;
  error(msg: string | Error, ...args: unknown[]): void;
  /** Whether a line at `level` would be written anywhere; lets callers skip building (and redacting) it. Absent: yes. */
  enabled?(level: LogLevel): boolean;
}

/** Removes secrets from the message and every argument (deeply) before the sink sees them. */
export class RedactingLogger implements Logger {
  /** `isEnabled` overrides the sink's own `enabled` (e.g. a VS Code channel's log level). */
  constructor(
    private readonly sink: Logger,
    private readonly redactor: Redactor = defaultRedactor,
    private readonly isEnabled?: (level: LogLevel) => boolean,
  ) {}

  enabled(level: LogLevel): boolean {
    return this.isEnabled ? this.isEnabled(level) : (this.sink.enabled?.(level) ?? true);
  }

  // Lines nobody will see are not redacted: every HTTP exchange logs at debug, which is off by default.
  trace(msg: string, ...args: unknown[]): void {
    if (this.enabled('trace')) this.sink.trace(this.msg(msg), ...this.args(args));
  }
  debug(msg: string, ...args: unknown[]): void {
    if (this.enabled('debug')) this.sink.debug(this.msg(msg), ...this.args(args));
  }
  info(msg: string, ...args: unknown[]): void {
    if (this.enabled('info')) this.sink.info(this.msg(msg), ...this.args(args));
  }
  warn(msg: string, ...args: unknown[]): void {
    if (this.enabled('warn')) this.sink.warn(this.msg(msg), ...this.args(args));
  }
  error(msg: string | Error, ...args: unknown[]): void {
    if (this.enabled('error')) this.sink.error(typeof msg === 'string' ? this.redactor.redactString(msg) : this.redactor.redact(msg), ...this.args(args));
  }

  private msg(m: unknown): string {
    return this.redactor.redactString(typeof m === 'string' ? m : String(m));
  }
  private args(args: unknown[]): unknown[] {
    return args.map((a) => this.redactor.redact(a));
  }
}

export const nullLogger: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, enabled: () => false };

/** Formats a line the way an output channel would: message, then arguments inspected. */
export function formatLogLine(level: LogLevel, msg: string | Error, args: unknown[]): string {
  const parts = [msg instanceof Error ? (msg.stack ?? msg.message) : msg, ...args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 6, breakLength: Infinity })))];
  return `${new Date().toISOString()} [${level}] ${parts.join(' ')}`;
}

/** For the CLI: writes lines at or above `minLevel`, e.g. `streamLogger((l) => process.stderr.write(l + '\n'), 'info')`. */
export function streamLogger(write: (line: string) => void, minLevel: LogLevel = 'info'): Logger {
  const min = LOG_LEVELS.indexOf(minLevel);
  const at = (level: LogLevel) => (msg: string | Error, ...args: unknown[]) => {
    if (LOG_LEVELS.indexOf(level) >= min) write(formatLogLine(level, msg, args));
  };
  return { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), enabled: (level) => LOG_LEVELS.indexOf(level) >= min };
}

/** Keeps entries in memory; for tests and for a "copy diagnostics" command. */
export class MemoryLogger implements Logger {
  readonly entries: { level: LogLevel; msg: string | Error; args: unknown[] }[] = [];
  trace(msg: string, ...args: unknown[]): void {
    this.entries.push({ level: 'trace', msg, args });
  }
  debug(msg: string, ...args: unknown[]): void {
    this.entries.push({ level: 'debug', msg, args });
  }
  info(msg: string, ...args: unknown[]): void {
    this.entries.push({ level: 'info', msg, args });
  }
  warn(msg: string, ...args: unknown[]): void {
    this.entries.push({ level: 'warn', msg, args });
  }
  error(msg: string | Error, ...args: unknown[]): void {
    this.entries.push({ level: 'error', msg, args });
  }
  /** Everything logged, formatted; what a user would paste into a bug report. */
  text(): string {
    return this.entries.map((e) => formatLogLine(e.level, e.msg, e.args)).join('\n');
  }
}
