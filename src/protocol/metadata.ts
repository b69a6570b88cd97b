// Messages of the metadata panel (shared by every provider with the `metadata` capability).
import type { MetadataChanges, MetadataDocument, SaveResult, VersionInfo } from '../providers/services';
import { isRecord, isString, type PanelError, type PanelFocus } from './messages';

export type MetadataUpdate =
  | { type: 'init'; provider: string; appName: string; bundleId?: string; versions: VersionInfo[]; canCreateVersion: boolean; canAttachBuild: boolean; canSubmit: boolean }
  | { type: 'document'; document: MetadataDocument }
  | { type: 'saved'; document: MetadataDocument; changed: number }
  | ({ type: 'conflict' } & Omit<Extract<SaveResult, { status: 'conflict' }>, 'status'>)
  | { type: 'saveFailed'; error: PanelError }
  | { type: 'error'; error: PanelError }
  | { type: 'busy'; busy: boolean; label?: string }
  /** Bring a field (of a locale, or of the version) into view and focus it. */
  | ({ type: 'focus' } & PanelFocus);

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
        if (!isRecord(l) || !isString(l.locale, 20)) return undefined;
        const values = parseValues(l.values);
        if (!values) return undefined;
        locales.push({ locale: l.locale, values });
      }
      // The version's own fields (copyright): optional, same rules as a locale's values.
      if (raw.changes.version === undefined) return { type: 'save', revision: raw.revision, changes: { locales } };
      const version = parseValues(raw.changes.version);
      return version ? { type: 'save', revision: raw.revision, changes: { locales, version } } : undefined;
    }
    default:
      return undefined;
  }
}

/** field → text, at most MAX_FIELDS entries with plain keys and bounded strings; anything else is undefined. */
function parseValues(raw: unknown): Record<string, string> | undefined {
  if (!isRecord(raw)) return undefined;
  const entries = Object.entries(raw);
  if (entries.length > MAX_FIELDS) return undefined;
  const values: Record<string, string> = {};
  for (const [k, v] of entries) {
    if (!/^[A-Za-z]{1,40}$/.test(k) || !isString(v, MAX_VALUE)) return undefined;
    values[k] = v;
  }
  return values;
}
