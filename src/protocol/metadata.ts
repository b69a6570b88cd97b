// Messages of the metadata panel (shared by every provider with the `metadata` capability).
import type { MetadataChanges, MetadataDocument, SaveResult, VersionInfo } from '../providers/services';
import { isRecord, isString, type PanelError } from './messages';

export type MetadataUpdate =
  | { type: 'init'; provider: string; appName: string; bundleId?: string; versions: VersionInfo[]; canCreateVersion: boolean; canAttachBuild: boolean; canSubmit: boolean }
  | { type: 'document'; document: MetadataDocument }
  | { type: 'saved'; document: MetadataDocument; changed: number }
  | ({ type: 'conflict' } & Omit<Extract<SaveResult, { status: 'conflict' }>, 'status'>)
  | { type: 'saveFailed'; error: PanelError }
  | { type: 'error'; error: PanelError }
  | { type: 'busy'; busy: boolean; label?: string };

export type MetadataRequest =
  | { type: 'ready' }
  | { type: 'selectVersion'; versionId: string; live?: boolean }
  | { type: 'reload' }
  | { type: 'save'; revision: string; changes: MetadataChanges }
  | { type: 'createVersion' }
  | { type: 'attachBuild' }
  | { type: 'openRelease' };

const MAX_LOCALES = 60;
const MAX_FIELDS = 20;
const MAX_VALUE = 8_000;

/** Validates a message from the metadata webview; anything malformed is dropped. */
export function parseMetadataRequest(raw: unknown): MetadataRequest | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.type) {
    case 'ready': case 'reload': case 'createVersion': case 'attachBuild': case 'openRelease':
      return { type: raw.type };
    case 'selectVersion':
      return isString(raw.versionId, 200) ? { type: 'selectVersion', versionId: raw.versionId, live: raw.live === true } : undefined;
    case 'save': {
      if (!isString(raw.revision, 500) || !isRecord(raw.changes) || !Array.isArray(raw.changes.locales)) return undefined;
      if (raw.changes.locales.length > MAX_LOCALES) return undefined;
      const locales: MetadataChanges['locales'] = [];
      for (const l of raw.changes.locales as unknown[]) {
        if (!isRecord(l) || !isString(l.locale, 20) || !isRecord(l.values)) return undefined;
        const entries = Object.entries(l.values);
        if (entries.length > MAX_FIELDS) return undefined;
        const values: Record<string, string> = {};
        for (const [k, v] of entries) {
          if (!/^[A-Za-z]{1,40}$/.test(k) || !isString(v, MAX_VALUE)) return undefined;
          values[k] = v;
        }
        locales.push({ locale: l.locale, values });
      }
      return { type: 'save', revision: raw.revision, changes: { locales } };
    }
    default:
      return undefined;
  }
}
