// The AppDesk LogOutputChannel behind the core's redaction, so no token, cookie or key reaches the log.
import type * as vscode from 'vscode';
import { RedactingLogger, type Logger } from '../core/logger';

export function createHostLogger(channel: vscode.LogOutputChannel): Logger {
  return new RedactingLogger(channel);
}
