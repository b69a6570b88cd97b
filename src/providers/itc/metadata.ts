// MetadataService for legacy iTunes Connect (the metadata panel is shared with App Store Connect).
// iTunes Connect has no PATCH: a save posts the WHOLE version object back. So a save re-fetches the version,
// compares it with what the panel loaded (conflict → nothing written), applies only the user's edits to the
// fetched object, and posts that. Errors come back inside HTTP 200 and surface as ValidationError with
// `fieldErrors` keyed `locale/field` (see errors.ts), or `copyright` for the version's own copyright line.
import { NotFoundError, ValidationError } from '../../core/errors';
import type { AppSummary, ListOptions } from '../types';
import type { MetadataChanges, MetadataDocument, MetadataService, SaveResult, VersionInfo } from '../services';
import type { ItcApi } from './api';
import { PROVIDER } from './errors';
import { languageOfLocale, localeOfLanguage } from './locales';
import { COPYRIGHT_FIELD, METADATA_FIELDS, detailField, isLiveVersion, metadataDocumentOf, stateLabel, versionInfoOf } from './mapping';
import type { AppVersion, TextField, VersionDetail } from './schemas';

type Obj = Record<string, unknown>;

export interface FetchedVersion {
  version: AppVersion;
  /** Whether `ra/apps/version/{app}` (the seed's edit endpoint) answers this version: it is saved through the seed's save URL. */
  isEditVersion: boolean;
}

export class ItcMetadataService implements MetadataService {
  constructor(private readonly api: ItcApi) {}

  async listVersions(app: AppSummary, opts: ListOptions = {}): Promise<VersionInfo[]> {
    const [edit, live] = await Promise.all([this.api.version(app.id, false, opts.signal), this.api.version(app.id, true, opts.signal)]);
    const out: VersionInfo[] = [];
    for (const v of [edit, live]) {
      if (v && !out.some((x) => x.id === String(v.versionId))) out.push(versionInfoOf(v));
    }
    // The version in flight first, then the live one.
    return out.sort((a, b) => Number(!!a.live) - Number(!!b.live));
  }

  /** The version with this id: through the seed's edit / `?v=live` endpoints, else fastlane's by-id endpoint. */
  async fetch(appId: string, versionId: string, preferLive: boolean, signal?: AbortSignal): Promise<FetchedVersion> {
    const order = preferLive ? [true, false] : [false, true];
    for (const live of order) {
      const v = await this.api.version(appId, live, signal);
      if (v && String(v.versionId) === versionId) return { version: v, isEditVersion: !isLiveVersion(v) };
    }
    try {
      const v = await this.api.versionById(appId, versionId, 'ios', signal);
      return { version: v, isEditVersion: false };
    } catch (e) {
      if (e instanceof NotFoundError || (e as { kind?: string }).kind === 'notFound') {
        throw new NotFoundError({ provider: PROVIDER, summary: `${PROVIDER} has no version ${versionId} for app ${appId}`, endpoint: (e as NotFoundError).endpoint });
      }
      throw e;
    }
  }

  async load(app: AppSummary, versionId: string, opts: ListOptions & { live?: boolean } = {}): Promise<MetadataDocument> {
    const { version } = await this.fetch(app.id, versionId, !!opts.live, opts.signal);
    return metadataDocumentOf(app.id, version);
  }

  /** The document of the version in flight (or the live one with `live`), for the CLI. */
  async loadCurrent(app: AppSummary, live: boolean, signal?: AbortSignal): Promise<MetadataDocument> {
    const v = (await this.api.version(app.id, live, signal)) ?? (await this.api.version(app.id, !live, signal));
    if (!v) throw new NotFoundError({ provider: PROVIDER, summary: `${PROVIDER} has no version for app ${app.id}` });
    return metadataDocumentOf(app.id, v);
  }

  async save(app: AppSummary, base: MetadataDocument, changes: MetadataChanges, signal?: AbortSignal): Promise<SaveResult> {
    const fetched = await this.fetch(app.id, base.version.id, !!base.version.live, signal);
    const remote = metadataDocumentOf(app.id, fetched.version);

    // 1. Remote changes since `base` that touch a field the user edited (and differ from the edit) are conflicts.
    if (remote.revision !== base.revision) {
      const conflicts: Extract<SaveResult, { status: 'conflict' }>['conflicts'] = [];
      for (const { locale, values } of changes.locales) {
        const b = base.locales.find((l) => l.locale === locale)?.values ?? {};
        const r = remote.locales.find((l) => l.locale === locale)?.values ?? {};
        for (const [key, mine] of Object.entries(values)) {
          const baseValue = b[key] ?? null;
          const remoteValue = r[key] ?? null;
          // null and "" are the same empty field.
          if ((remoteValue ?? '') !== (baseValue ?? '') && (remoteValue ?? '') !== mine) conflicts.push({ locale, key, base: baseValue, remote: remoteValue, mine });
        }
      }
      for (const [key, mine] of Object.entries(changes.version ?? {})) {
        const baseValue = base.versionValues?.[key] ?? null;
        const remoteValue = remote.versionValues?.[key] ?? null;
        if ((remoteValue ?? '') !== (baseValue ?? '') && (remoteValue ?? '') !== mine) conflicts.push({ locale: '', key, base: baseValue, remote: remoteValue, mine });
      }
      if (conflicts.length) return { status: 'conflict', remote, conflicts };
    }

    // 2. The full body: the fetched version with only the user's edits applied.
    const body = applyChanges(fetched.version, changes);
    if (!body) return { status: 'saved', document: remote };
    const saved = await this.api.saveVersion(app.id, body, fetched.isEditVersion, signal);
    return { status: 'saved', document: metadataDocumentOf(app.id, saved) };
  }

  async createVersion(app: AppSummary, versionString: string): Promise<VersionInfo> {
    return versionInfoOf(await this.api.createVersion(app.id, versionString));
  }

  /** Selects the build of a version (`buildId` is `train/build`, as BuildInfo.id). */
  async attachBuild(app: AppSummary, versionId: string, buildId: string): Promise<void> {
    const slash = buildId.lastIndexOf('/');
    const train = slash > 0 ? buildId.slice(0, slash) : '';
    const build = buildId.slice(slash + 1);
    if (!train || !build) throw new ValidationError({ provider: PROVIDER, summary: `"${buildId}" is not a build of ${PROVIDER}`, hint: 'Pick a build from the Builds section.' });
    const fetched = await this.fetch(app.id, versionId, false);
    const body = structuredClone(fetched.version) as AppVersion & Obj;
    if (body.preReleaseBuildVersionString) body.preReleaseBuildVersionString.value = train;
    else body.preReleaseBuildVersionString = { value: train, isEditable: true, isRequired: true, errorKeys: null };
    body.preReleaseBuild = { buildVersion: build };
    body.preReleaseBuildTrainVersionString = train;
    await this.api.saveVersion(app.id, body, fetched.isEditVersion);
  }
}

/**
 * The request body for a save: a deep copy of `version` with the changed values set. Undefined when nothing differs.
 * Throws ValidationError (with fieldErrors) for fields that cannot be changed in the version's state or are unknown.
 */
export function applyChanges(version: AppVersion, changes: MetadataChanges): AppVersion | undefined {
  const body = structuredClone(version);
  const details = body.details.value;
  const fieldErrors: Record<string, string[]> = {};
  let changed = false;
  for (const { locale, values } of changes.locales) {
    let detail = details.find((d) => localeOfLanguage(d.language, d.localeCode) === locale) ?? details.find((d) => d.language === languageOfLocale(locale));
    if (!detail) {
      if (!Object.values(values).some((x) => x !== '')) continue;
      detail = newDetail(details[0], languageOfLocale(locale), locale);
      details.push(detail);
    }
    for (const [key, mine] of Object.entries(values)) {
      const meta = METADATA_FIELDS.find((f) => f.key === key);
      if (!meta) {
        (fieldErrors[`${locale}/${key}`] ??= []).push(`${PROVIDER} has no field "${key}".`);
        continue;
      }
      const current = detailField(detail, meta.itc);
      const now = current?.value ?? null;
      if ((now ?? '') === mine) continue;
      if (current && current.isEditable === false) {
        (fieldErrors[`${locale}/${key}`] ??= []).push(`${meta.spec.label} cannot be changed while the version is ${stateLabel(version.status)}.`);
        continue;
      }
      const field: TextField = current ?? { value: null, isEditable: true, isRequired: false, errorKeys: null };
      field.value = mine;
      (detail as Obj)[meta.itc] = field;
      changed = true;
    }
  }
  // The version's own fields: only the copyright line.
  for (const [key, mine] of Object.entries(changes.version ?? {})) {
    if (key !== COPYRIGHT_FIELD.key) {
      (fieldErrors[key] ??= []).push(`${PROVIDER} has no field "${key}".`);
      continue;
    }
    const current = body.copyright;
    if ((current?.value ?? '') === mine) continue;
    if (current && current.isEditable === false) {
      (fieldErrors[key] ??= []).push(`${COPYRIGHT_FIELD.label} cannot be changed while the version is ${stateLabel(version.status)}.`);
      continue;
    }
    body.copyright = { ...(current ?? { isEditable: true, isRequired: true, errorKeys: null }), value: mine };
    changed = true;
  }
  if (Object.keys(fieldErrors).length) {
    throw new ValidationError({
      provider: PROVIDER,
      summary: `${PROVIDER} does not allow these changes`,
      details: [...new Set(Object.values(fieldErrors).flat())],
      fieldErrors,
      hint: 'Undo the changes to read-only fields and save again.',
    });
  }
  return changed ? body : undefined;
}

/** A new localization shaped like an existing one, all texts empty. */
function newDetail(template: VersionDetail | undefined, language: string, locale: string): VersionDetail {
  const d: Obj = template ? (structuredClone(template) as Obj) : {};
  for (const [k, x] of Object.entries(d)) {
    if (x && typeof x === 'object' && 'value' in x && 'errorKeys' in x) {
      const f = x as TextField;
      d[k] = { ...f, value: Array.isArray(f.value) ? [] : null, errorKeys: null, isEditable: true };
    }
  }
  delete d.detailId;
  d.language = language;
  if ('localeCode' in d) d.localeCode = locale;
  d.sectionErrorKeys = [];
  for (const f of METADATA_FIELDS) d[f.itc] ??= { value: null, isEditable: true, isRequired: false, errorKeys: null };
  return d as VersionDetail;
}

