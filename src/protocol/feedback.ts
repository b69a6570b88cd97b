// Messages of the per-app feedback panel (in-app feedback records, TestFlight submissions) and the surveys panel.
import type { FeedbackEntry, Survey } from '../providers/services';
import { isRecord, isString, type PanelError } from './messages';

export type FeedbackUpdate =
  | { type: 'init'; appName: string; provider: string; canCreate: boolean; canArchive: boolean; canCrashLog: boolean }
  | { type: 'entries'; entries: FeedbackEntry[]; append: boolean; hasMore: boolean; archived: boolean }
  | { type: 'entry'; entry: FeedbackEntry }
  | { type: 'created'; entry: FeedbackEntry }
  | { type: 'error'; error: PanelError; context?: 'create' }
  | { type: 'busy'; busy: boolean; label?: string };

export type FeedbackRequest =
  | { type: 'ready' }
  | { type: 'list'; archived: boolean }
  | { type: 'more' }
  | { type: 'open'; id: string }
  | { type: 'archive'; id: string; archived: boolean }
  | { type: 'crashLog'; id: string }
  | { type: 'create'; text: string; kind?: string; email?: string; name?: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function parseFeedbackRequest(raw: unknown): FeedbackRequest | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.type) {
    case 'ready': case 'more': return { type: raw.type };
    case 'list': return typeof raw.archived === 'boolean' ? { type: 'list', archived: raw.archived } : undefined;
    case 'open': case 'crashLog': return isString(raw.id, 200) ? { type: raw.type, id: raw.id } : undefined;
    case 'archive': return isString(raw.id, 200) && typeof raw.archived === 'boolean' ? { type: 'archive', id: raw.id, archived: raw.archived } : undefined;
    case 'create': {
      if (!isString(raw.text, 10_000) || !raw.text.trim()) return undefined;
      if (raw.email !== undefined && raw.email !== '' && !(isString(raw.email, 320) && EMAIL.test(raw.email))) return undefined;
      if (raw.name !== undefined && !isString(raw.name, 200)) return undefined;
      if (raw.kind !== undefined && !(isString(raw.kind, 40) && /^[a-z_]*$/.test(raw.kind))) return undefined;
      return { type: 'create', text: raw.text, kind: (raw.kind as string) || undefined, email: (raw.email as string) || undefined, name: (raw.name as string) || undefined };
    }
    default: return undefined;
  }
}

export type SurveysUpdate =
  | { type: 'init'; appName: string; provider: string }
  | { type: 'surveys'; surveys: Survey[] }
  | { type: 'survey'; survey: Survey }
  | { type: 'error'; error: PanelError }
  | { type: 'busy'; busy: boolean; label?: string };

export type SurveysRequest =
  | { type: 'ready' }
  | { type: 'list'; tags?: string[]; active?: boolean; limit?: number }
  | { type: 'open'; id: string }
  | { type: 'deactivate'; id: string };

export function parseSurveysRequest(raw: unknown): SurveysRequest | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.type) {
    case 'ready': return { type: 'ready' };
    case 'open': case 'deactivate': return isString(raw.id, 200) ? { type: raw.type, id: raw.id } : undefined;
    case 'list': {
      const tags = raw.tags;
      if (tags !== undefined && !(Array.isArray(tags) && tags.length <= 20 && tags.every((t) => isString(t, 60)))) return undefined;
      if (raw.active !== undefined && typeof raw.active !== 'boolean') return undefined;
      if (raw.limit !== undefined && !(typeof raw.limit === 'number' && Number.isInteger(raw.limit) && raw.limit > 0 && raw.limit <= 1000)) return undefined;
      return { type: 'list', tags: tags as string[] | undefined, active: raw.active as boolean | undefined, limit: raw.limit as number | undefined };
    }
    default: return undefined;
  }
}
