// Messages of the unified feedback inbox: App Store reviews, TestFlight feedback and in-app feedback together.
import { isRecord, isString, type PanelError } from './messages';

export type InboxSource = 'review' | 'testflight' | 'inapp';

export interface InboxItem {
  /** Unique across accounts: `<accountId>/<appId>/<source>/<id>`. */
  key: string;
  source: InboxSource;
  sourceLabel: string;
  /** Review: "rating"; TestFlight: screenshot/crash; in-app: feedback type. */
  type: string;
  rating?: number;
  date: string;
  author?: string;
  title?: string;
  text: string;
  appName: string;
  accountLabel: string;
  territory?: string;
  answered?: boolean;
  response?: string;
  archived?: boolean;
  canReply: boolean;
  canArchive: boolean;
  hasCrashLog?: boolean;
}

export type InboxUpdate =
  | { type: 'reset'; sources: { source: InboxSource; label: string }[] }
  | { type: 'items'; items: InboxItem[] }
  | { type: 'progress'; loading: boolean; loaded: number; failures: string[] }
  | { type: 'itemChanged'; item: InboxItem }
  | { type: 'error'; error: PanelError; key?: string }
  | { type: 'busy'; busy: boolean; label?: string };

export type InboxRequest =
  | { type: 'ready' }
  | { type: 'refresh' }
  | { type: 'reply'; key: string; text: string }
  | { type: 'archive'; key: string; archived: boolean }
  | { type: 'crashLog'; key: string };

export function parseInboxRequest(raw: unknown): InboxRequest | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.type) {
    case 'ready': case 'refresh': return { type: raw.type };
    case 'reply':
      return isString(raw.key, 600) && isString(raw.text, 5970) && raw.text.trim() ? { type: 'reply', key: raw.key, text: raw.text } : undefined;
    case 'archive':
      return isString(raw.key, 600) && typeof raw.archived === 'boolean' ? { type: 'archive', key: raw.key, archived: raw.archived } : undefined;
    case 'crashLog':
      return isString(raw.key, 600) ? { type: 'crashLog', key: raw.key } : undefined;
    default:
      return undefined;
  }
}
