// The AppDesk LogOutputChannel behind the core's redaction, so no token, cookie or key reaches the log.
import type * as vscode from 'vscode';
import { RedactingLogger, type LogLevel, type Logger } from '../core/logger';
import { defaultRedactor } from '../core/redact';

/** vscode.LogLevel's values (Off 0, Trace 1 … Error 5), without loading `vscode` for an enum. */
const CHANNEL_LEVEL: Record<LogLevel, number> = { trace: 1, debug: 2, info: 3, warn: 4, error: 5 };

export function createHostLogger(channel: vscode.LogOutputChannel): Logger {
  // The channel's level follows "Developer: Set Log Level…"; lines below it are neither built nor redacted.
  return new RedactingLogger(channel, defaultRedactor, (level) => channel.logLevel !== 0 && channel.logLevel <= CHANNEL_LEVEL[level]);
}
