// App Store metadata: a version's localizations (description, keywords, What's New, promotional text, support and
// marketing URLs) merged per locale with the app-level info localizations (name, subtitle, privacy policy URL) of
// the app info that goes with the version, plus the version's own copyright line (one for every locale). Loading
// takes one round trip (two requests in parallel, `include=`); saving re-reads the remote first and writes nothing
// when it changed since the editor loaded it.
import { createHash } from 'node:crypto';
import { ConfigError, ValidationError, isProviderError } from '../../core/errors';
import type { Schema } from '../../core/validate';
import type { FieldSpec, LocaleValues, MetadataChanges, MetadataDocument, MetadataService, SaveResult, VersionInfo } from '../services';
import type { AppSummary, ListOptions } from '../types';
import { resourceBody } from './client';
import { byDateDesc, seg, type AscContext } from './context';
import { byteLength, charLength, platformLabel, versionState } from './format';
import { PROVIDER } from './keys';
import {
  AppInfo,
  AppInfoLocalization,
  AppStoreVersion,
  AppStoreVersionLocalization,
  Build,
  collection,
  findIncluded,
  includedOfType,
  relId,
  relIds,
  relTotal,
  single,
  type AnyResource,
} from './schemas';

export const METADATA_FIELDS: readonly FieldSpec[] = [
  { key: 'name', label: 'Name', level: 'app', maxChars: 30, required: true },
  { key: 'subtitle', label: 'Subtitle', level: 'app', maxChars: 30 },
  { key: 'privacyPolicyUrl', label: 'Privacy Policy URL', level: 'app', kind: 'url' },
  { key: 'description', label: 'Description', level: 'version', multiline: true, maxChars: 4000, required: true },
  { key: 'keywords', label: 'Keywords', level: 'version', maxBytes: 100, required: true },
  { key: 'whatsNew', label: "What's New in This Version", level: 'version', multiline: true, maxChars: 4000 },
  { key: 'promotionalText', label: 'Promotional Text', level: 'version', multiline: true, maxChars: 170 },
  { key: 'supportUrl', label: 'Support URL', level: 'version', kind: 'url', required: true },
  { key: 'marketingUrl', label: 'Marketing URL', level: 'version', kind: 'url' },
];
/** Attributes of the appStoreVersion itself, one value for all locales. Apple's spec gives copyright no length limit. */
export const VERSION_FIELDS: readonly FieldSpec[] = [
  { key: 'copyright', label: 'Copyright', level: 'version', required: true },
];
const FIELD_BY_KEY = new Map(METADATA_FIELDS.map((f) => [f.key, f]));
const VERSION_FIELD_BY_KEY = new Map(VERSION_FIELDS.map((f) => [f.key, f]));
const VERSION_KEYS = METADATA_FIELDS.filter((f) => f.level === 'version').map((f) => f.key);
const APP_KEYS = METADATA_FIELDS.filter((f) => f.level === 'app').map((f) => f.key);

/** App info states that belong to the live version (the other app info is the one being edited). */
const LIVE_INFO_STATES = new Set(['READY_FOR_DISTRIBUTION', 'READY_FOR_SALE']);
const PAST_INFO_STATES = new Set(['REPLACED_WITH_NEW_INFO']);

const VersionDoc = single(AppStoreVersion);
const VersionList = collection(AppStoreVersion);
const AppInfoList = collection(AppInfo);
const VersionLocList = collection(AppStoreVersionLocalization);
const InfoLocList = collection(AppInfoLocalization);
const VersionLocDoc = single(AppStoreVersionLocalization);
const InfoLocDoc = single(AppInfoLocalization);

export function toVersionInfo(v: AppStoreVersion, build?: Build): VersionInfo {
  const a = v.attributes ?? {};
  const st = versionState(a.appVersionState, a.appStoreState);
  const buildId = relId(v, 'build');
  return {
    id: v.id,
    versionString: a.versionString ?? '?',
    ...(a.platform && { platform: a.platform, platformLabel: platformLabel(a.platform) }),
    state: st.state,
    stateLabel: st.label,
    ...(st.tone && { tone: st.tone }),
    editable: st.editable,
    ...(buildId && { buildId }),
    ...(build?.attributes?.version && { buildLabel: `${a.versionString ?? '?'} (${build.attributes.version})` }),
    ...(st.live && { live: true }),
  };
}

/** The remote state behind a document: resources by locale, so a save knows what to PATCH and what to POST. */
interface Remote {
  version: AppStoreVersion;
  build?: Build;
  appInfo?: AppInfo;
  versionLocs: Map<string, AppStoreVersionLocalization>;
  infoLocs: Map<string, AppInfoLocalization>;
}

export class AscMetadataService implements MetadataService {
  constructor(private readonly ctx: AscContext) {}

  async listVersions(app: AppSummary, opts: ListOptions = {}): Promise<VersionInfo[]> {
    const { data, included } = await this.ctx.client.all(`/v1/apps/${seg(app.id)}/appStoreVersions`, VersionList, {
      query: { include: 'build', limit: 200, 'fields[builds]': 'version,processingState,uploadedDate' },
      signal: opts.signal,
    });
    return byDateDesc(data, (v) => v.attributes?.createdDate).map((v) => toVersionInfo(v, findIncluded(included, 'builds', relId(v, 'build'), Build)));
  }

  async load(app: AppSummary, versionId: string, opts: ListOptions & { live?: boolean } = {}): Promise<MetadataDocument> {
    const remote = await this.fetchRemote(app, versionId, opts.signal, opts.live);
    return this.toDocument(app, remote);
  }

  /** The document plus the attached build's attributes (release readiness needs its processing state). */
  async snapshot(app: AppSummary, versionId: string, signal?: AbortSignal): Promise<{ document: MetadataDocument; build?: Build; copyright?: string }> {
    const remote = await this.fetchRemote(app, versionId, signal);
    const copyright = remote.version.attributes?.copyright?.trim();
    return { document: this.toDocument(app, remote), ...(remote.build && { build: remote.build }), ...(copyright && { copyright }) };
  }

  async save(app: AppSummary, base: MetadataDocument, changes: MetadataChanges, signal?: AbortSignal): Promise<SaveResult> {
    const baseValues = valueMap(base);
    // Only what differs from what the editor loaded is a change; locale '' is the version itself.
    const wanted: Wanted[] = [];
    const scopes = [...changes.locales, ...(changes.version ? [{ locale: '', values: changes.version }] : [])];
    for (const l of scopes) {
      for (const [key, value] of Object.entries(l.values)) {
        if ((baseValues.get(scoped(l.locale, key)) ?? '') !== value) wanted.push({ locale: l.locale, key, value });
      }
    }
    checkLocally(wanted);
    const remote = await this.fetchRemote(app, base.version.id, signal);
    const remoteDoc = this.toDocument(app, remote);
    if (remoteDoc.revision !== base.revision) {
      const remoteValues = valueMap(remoteDoc);
      const changedRemotely = new Set<string>();
      for (const k of new Set([...baseValues.keys(), ...remoteValues.keys()])) {
        if ((baseValues.get(k) ?? null) !== (remoteValues.get(k) ?? null)) changedRemotely.add(k);
      }
      if (changedRemotely.size) {
        const conflicts = wanted
          .filter((w) => changedRemotely.has(scoped(w.locale, w.key)) && (remoteValues.get(scoped(w.locale, w.key)) ?? '') !== w.value)
          .map((w) => ({ locale: w.locale, key: w.key, base: baseValues.get(scoped(w.locale, w.key)) ?? null, remote: remoteValues.get(scoped(w.locale, w.key)) ?? null, mine: w.value }));
        this.ctx.logger.info(`App Store Connect: metadata of ${app.name} changed remotely since it was loaded (${changedRemotely.size} fields); nothing written`);
        return { status: 'conflict', remote: remoteDoc, conflicts };
      }
    }
    if (!wanted.length) return { status: 'saved', document: remoteDoc };
    await this.write(remote, wanted, signal);
    return { status: 'saved', document: this.toDocument(app, remote) };
  }

  async createVersion(app: AppSummary, versionString: string, platform = 'IOS'): Promise<VersionInfo> {
    const doc = await this.ctx.client.post(
      '/v1/appStoreVersions',
      resourceBody('appStoreVersions', { versionString, platform }, { app: { type: 'apps', id: app.id } }),
      VersionDoc,
    );
    return toVersionInfo(doc.data);
  }

  async attachBuild(_app: AppSummary, versionId: string, buildId: string): Promise<void> {
    await this.ctx.client.patch(`/v1/appStoreVersions/${seg(versionId)}/relationships/build`, { data: { type: 'builds', id: buildId } });
  }

  // ---------- internals ----------

  /** Version + its localizations + build, and the app infos + their localizations: two requests in parallel. */
  private async fetchRemote(app: AppSummary, versionId: string, signal?: AbortSignal, live?: boolean): Promise<Remote> {
    const c = this.ctx.client;
    const [vdoc, infos] = await Promise.all([
      c.get(`/v1/appStoreVersions/${seg(versionId)}`, VersionDoc, {
        query: { include: 'appStoreVersionLocalizations,build', 'limit[appStoreVersionLocalizations]': 50 },
        signal,
      }),
      c.page(`/v1/apps/${seg(app.id)}/appInfos`, AppInfoList, {
        query: { include: 'appInfoLocalizations', 'limit[appInfoLocalizations]': 50, limit: 50 },
        signal,
      }),
    ]);
    const version = vdoc.data;
    const vIncluded = vdoc.included ?? [];
    const appInfo = pickAppInfo(infos.data, versionState(version.attributes?.appVersionState, version.attributes?.appStoreState).live || !!live);

    // Included to-many relationships are capped at 50; Apple has fewer locales, but read the rest if ever needed.
    const [versionLocs, infoLocs] = await Promise.all([
      completeLocs(vIncluded, version, 'appStoreVersionLocalizations', AppStoreVersionLocalization, () =>
        c.all(`/v1/appStoreVersions/${seg(versionId)}/appStoreVersionLocalizations`, VersionLocList, { query: { limit: 200 }, signal }).then((r) => r.data),
      ),
      appInfo
        ? completeLocs(infos.included, appInfo, 'appInfoLocalizations', AppInfoLocalization, () =>
            c.all(`/v1/appInfos/${seg(appInfo.id)}/appInfoLocalizations`, InfoLocList, { query: { limit: 200 }, signal }).then((r) => r.data),
          )
        : Promise.resolve([]),
    ]);
    const build = findIncluded(vIncluded, 'builds', relId(version, 'build'), Build);
    return {
      version,
      ...(build && { build }),
      ...(appInfo && { appInfo }),
      versionLocs: new Map(versionLocs.filter((l) => l.attributes?.locale).map((l) => [l.attributes!.locale!, l])),
      infoLocs: new Map(infoLocs.filter((l) => l.attributes?.locale).map((l) => [l.attributes!.locale!, l])),
    };
  }

  private toDocument(app: AppSummary, r: Remote): MetadataDocument {
    const primary = typeof app.data?.primaryLocale === 'string' ? app.data.primaryLocale : undefined;
    const locales = [...new Set([...r.versionLocs.keys(), ...r.infoLocs.keys()])].sort((a, b) =>
      a === primary ? -1 : b === primary ? 1 : a.localeCompare(b),
    );
    const values: LocaleValues[] = locales.map((locale) => {
      const va = (r.versionLocs.get(locale)?.attributes ?? {}) as Record<string, string | null | undefined>;
      const ia = (r.infoLocs.get(locale)?.attributes ?? {}) as Record<string, string | null | undefined>;
      const out: Record<string, string | null> = {};
      for (const k of VERSION_KEYS) out[k] = va[k] ?? null;
      for (const k of APP_KEYS) out[k] = ia[k] ?? null;
      return { locale, values: out };
    });
    const attrs = (r.version.attributes ?? {}) as Record<string, unknown>;
    const versionValues = Object.fromEntries(VERSION_FIELDS.map((f) => [f.key, typeof attrs[f.key] === 'string' ? (attrs[f.key] as string) : null]));
    const info = toVersionInfo(r.version, r.build);
    return {
      appId: app.id,
      version: info,
      fields: [...METADATA_FIELDS],
      locales: values,
      versionFields: [...VERSION_FIELDS],
      versionValues,
      revision: revisionOf(r.version.id, r.appInfo?.id, values, versionValues),
    };
  }

  /**
   * PATCHes changed fields of existing localizations and POSTs new ones, and PATCHes the version's own attributes
   * (copyright), all in parallel; merges the answers.
   */
  private async write(remote: Remote, wanted: Wanted[], signal?: AbortSignal): Promise<void> {
    const c = this.ctx.client;
    const byLocale = new Map<string, { version: Record<string, string | null>; app: Record<string, string | null> }>();
    const ownAttrs: Record<string, string | null> = {};
    for (const w of wanted) {
      if (w.locale === '') {
        // An emptied copyright is cleared (null), as the other optional fields.
        ownAttrs[w.key] = w.value === '' ? null : w.value;
        continue;
      }
      const entry = byLocale.get(w.locale) ?? { version: {}, app: {} };
      byLocale.set(w.locale, entry);
      const level = FIELD_BY_KEY.get(w.key)!.level;
      // An emptied field is cleared (null); Apple refuses "" for URL attributes.
      entry[level][w.key] = w.value === '' && w.key !== 'name' ? null : w.value;
    }
    const tasks: { locale: string; run: () => Promise<void> }[] = [];
    if (Object.keys(ownAttrs).length) {
      tasks.push({
        locale: '',
        run: async () => {
          const doc = await c.patch(`/v1/appStoreVersions/${seg(remote.version.id)}`, resourceBody('appStoreVersions', ownAttrs, undefined, remote.version.id), VersionDoc, { signal });
          // Apple answers without the relationship data the load included (build): keep those, take the attributes.
          remote.version = { ...remote.version, attributes: { ...remote.version.attributes, ...doc.data.attributes } };
        },
      });
    }
    const missing: Record<string, string[]> = {};
    for (const [locale, { version, app }] of byLocale) {
      if (Object.keys(version).length) {
        const existing = remote.versionLocs.get(locale);
        tasks.push({
          locale,
          run: async () => {
            const doc = existing
              ? await c.patch(`/v1/appStoreVersionLocalizations/${seg(existing.id)}`, resourceBody('appStoreVersionLocalizations', version, undefined, existing.id), VersionLocDoc, { signal })
              : await c.post(
                  '/v1/appStoreVersionLocalizations',
                  resourceBody('appStoreVersionLocalizations', { locale, ...version }, { appStoreVersion: { type: 'appStoreVersions', id: remote.version.id } }),
                  VersionLocDoc,
                  { signal },
                );
            remote.versionLocs.set(locale, doc.data);
          },
        });
      }
      if (Object.keys(app).length) {
        const info = remote.appInfo;
        if (!info) {
          throw new ConfigError({ provider: PROVIDER, summary: 'App Store Connect has no app information to edit for this app', hint: 'Refresh and try again.' });
        }
        const existing = remote.infoLocs.get(locale);
        if (!existing && !app.name) (missing[`${locale}/name`] ??= []).push(`A new localization (${locale}) needs a name.`);
        tasks.push({
          locale,
          run: async () => {
            const doc = existing
              ? await c.patch(`/v1/appInfoLocalizations/${seg(existing.id)}`, resourceBody('appInfoLocalizations', app, undefined, existing.id), InfoLocDoc, { signal })
              : await c.post(
                  '/v1/appInfoLocalizations',
                  resourceBody('appInfoLocalizations', { locale, ...app }, { appInfo: { type: 'appInfos', id: info.id } }),
                  InfoLocDoc,
                  { signal },
                );
            remote.infoLocs.set(locale, doc.data);
          },
        });
      }
    }
    if (Object.keys(missing).length) {
      throw new ValidationError({ provider: PROVIDER, summary: 'App Store Connect needs more values', details: Object.values(missing).flat(), fieldErrors: missing });
    }
    const results = await Promise.allSettled(tasks.map((t) => t.run()));
    const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [{ locale: tasks[i]!.locale, error: r.reason as unknown }] : []));
    if (!failures.length) return;
    const saved = results.length - failures.length;
    const other = failures.find((f) => !(isProviderError(f.error) && f.error.kind === 'validation'));
    if (other) throw other.error;
    const fieldErrors: Record<string, string[]> = {};
    const details: string[] = [];
    for (const f of failures) {
      const e = f.error as ValidationError;
      for (const d of e.details ?? []) details.push(f.locale ? `${f.locale}: ${d}` : d);
      for (const [field, msgs] of Object.entries(e.fieldErrors ?? {})) (fieldErrors[scoped(f.locale, field)] ??= []).push(...msgs);
    }
    throw new ValidationError({
      provider: PROVIDER,
      status: (failures[0]!.error as ValidationError).status,
      summary: 'App Store Connect rejected some metadata',
      details,
      fieldErrors,
      hint: saved ? 'The other changes were saved. Correct the marked fields and save again.' : 'Nothing was saved. Correct the marked fields and save again.',
    });
  }
}

function pickAppInfo(infos: AppInfo[], live: boolean): AppInfo | undefined {
  const stateOf = (i: AppInfo) => i.attributes?.state ?? i.attributes?.appStoreState ?? '';
  const current = infos.filter((i) => !PAST_INFO_STATES.has(stateOf(i)));
  if (live) return current.find((i) => LIVE_INFO_STATES.has(stateOf(i))) ?? current[0] ?? infos[0];
  return current.find((i) => !LIVE_INFO_STATES.has(stateOf(i))) ?? current[0] ?? infos[0];
}

async function completeLocs<T extends { id: string; type: string }>(
  included: readonly AnyResource[],
  owner: Parameters<typeof relIds>[0],
  rel: string,
  schema: Schema<T>,
  fetchAll: () => Promise<T[]>,
): Promise<T[]> {
  const ids = new Set(relIds(owner, rel));
  const found = includedOfType(included, rel, schema).filter((x) => ids.has(x.id));
  const total = relTotal(owner, rel);
  if (total !== undefined && total > found.length) return fetchAll();
  return found;
}

/** A changed value; `locale` '' is a field of the version itself (VERSION_FIELDS). */
interface Wanted { locale: string; key: string; value: string }

/** The key of a value in maps and `fieldErrors`: `locale/field`, or `field` for the version itself. */
function scoped(locale: string, key: string): string {
  return locale ? `${locale}/${key}` : key;
}

function valueMap(doc: MetadataDocument): Map<string, string | null> {
  const m = new Map<string, string | null>();
  for (const l of doc.locales) for (const [k, v] of Object.entries(l.values)) m.set(scoped(l.locale, k), v ?? null);
  for (const [k, v] of Object.entries(doc.versionValues ?? {})) m.set(scoped('', k), v ?? null);
  return m;
}

function revisionOf(versionId: string, appInfoId: string | undefined, locales: LocaleValues[], versionValues: Record<string, string | null>): string {
  const canonical = JSON.stringify([
    versionId,
    appInfoId ?? null,
    [...locales].sort((a, b) => a.locale.localeCompare(b.locale)).map((l) => [l.locale, Object.entries(l.values).sort()]),
    Object.entries(versionValues).sort(),
  ]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 24);
}

/** Apple's limits, checked before anything is sent; errors keyed `locale/field` (`field` for the version's own). */
function checkLocally(wanted: Wanted[]): void {
  const fieldErrors: Record<string, string[]> = {};
  const add = (k: string, m: string) => (fieldErrors[k] ??= []).push(m);
  for (const w of wanted) {
    const spec = (w.locale === '' ? VERSION_FIELD_BY_KEY : FIELD_BY_KEY).get(w.key);
    const k = scoped(w.locale, w.key);
    if (!spec) {
      add(k, `"${w.key}" is not an App Store metadata field.`);
      continue;
    }
    if (spec.maxChars !== undefined && charLength(w.value) > spec.maxChars) add(k, `${spec.label} can be at most ${spec.maxChars} characters (now ${charLength(w.value)}).`);
    if (spec.maxBytes !== undefined && byteLength(w.value) > spec.maxBytes) add(k, `${spec.label} can be at most ${spec.maxBytes} bytes (now ${byteLength(w.value)}; letters outside ASCII take 2–4 bytes).`);
    if (spec.kind === 'url' && w.value !== '' && !isHttpUrl(w.value)) add(k, `${spec.label} must be a full http:// or https:// URL.`);
    // Other required fields may stay empty while editing; readiness reports them before submission.
    if (w.key === 'name' && w.value.trim() === '') add(k, `${spec.label} is required.`);
  }
  if (Object.keys(fieldErrors).length) {
    throw new ValidationError({
      provider: PROVIDER,
      summary: 'App Store Connect would reject these values',
      details: Object.entries(fieldErrors).map(([k, m]) => `${k}: ${m.join(' ')}`),
      fieldErrors,
      hint: 'Nothing was saved. Correct the marked fields and save again.',
    });
  }
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.includes('.');
  } catch {
    return false;
  }
}
