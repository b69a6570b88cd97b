// Turns validated iTunes Connect payloads into AppDesk's provider model (apps, versions, metadata documents,
// builds, testers, review threads). Pure functions: the unit tests feed them fastlane's recordings.
import { createHash } from 'node:crypto';
import type { BuildInfo, BuildTestInfo, FieldSpec, LocaleValues, MetadataDocument, Tester, VersionInfo } from '../services';
import type { AppSummary, Item, Tone } from '../types';
import { localeOfLanguage } from './locales';
import type { AppSummaryRow, AppVersion, Build, ProcessingBuild, TesterRow, TestInformation, TextField, Train, VersionDetail } from './schemas';

// ---------- states ----------

const STATE_LABELS: Record<string, string> = {
  prepareForUpload: 'Prepare for Upload',
  waitingForUpload: 'Waiting for Upload',
  waitingForExportCompliance: 'Waiting for Export Compliance',
  waitingForReview: 'Waiting for Review',
  inReview: 'In Review',
  pendingContract: 'Pending Contract',
  pendingDeveloperRelease: 'Pending Developer Release',
  pendingAppleRelease: 'Pending Apple Release',
  processingForAppStore: 'Processing for App Store',
  readyForSale: 'Ready for Sale',
  developerRejected: 'Developer Rejected',
  rejected: 'Rejected',
  metadataRejected: 'Metadata Rejected',
  invalidBinary: 'Invalid Binary',
  removedFromSale: 'Removed from Sale',
  developerRemovedFromSale: 'Developer Removed from Sale',
  replacedWithNewVersion: 'Replaced with New Version',
};

const TONES: Record<string, Tone> = {
  readyForSale: 'ok',
  pendingDeveloperRelease: 'ok',
  waitingForReview: 'info',
  inReview: 'info',
  processingForAppStore: 'info',
  pendingAppleRelease: 'info',
  prepareForUpload: 'warning',
  developerRejected: 'warning',
  waitingForExportCompliance: 'warning',
  pendingContract: 'warning',
  developerRemovedFromSale: 'warning',
  rejected: 'error',
  metadataRejected: 'error',
  invalidBinary: 'error',
  removedFromSale: 'error',
};

/** States whose version is the one on the store. */
export const LIVE_STATES = new Set(['readyForSale', 'developerRemovedFromSale', 'removedFromSale']);

/** "pendingDeveloperRelease" → "Pending Developer Release" (unknown keys are de-camel-cased). */
export function stateLabel(key: string | null | undefined, fallback?: string | null): string {
  if (!key) return fallback ?? 'Unknown';
  return STATE_LABELS[key] ?? fallback ?? key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
}

export function stateTone(key: string | null | undefined): Tone | undefined {
  return key ? TONES[key] : undefined;
}

const iso = (ms: number | null | undefined) => (typeof ms === 'number' && ms > 0 ? new Date(ms).toISOString() : undefined);

// ---------- apps ----------

export function appSummaryOf(row: AppSummaryRow): AppSummary {
  const sets = row.versionSets ?? [];
  const platforms = [...new Set(sets.map((s) => s.platformString).filter((p): p is string => !!p))];
  const states = sets.flatMap((s) => [s.inFlightVersion, s.deliverableVersion]).filter((x): x is NonNullable<typeof x> => !!x);
  const description = states.map((s) => [s.version, s.state ?? stateLabel(s.stateKey)].filter(Boolean).join(' ')).join(', ');
  return {
    id: String(row.adamId),
    name: row.name ?? String(row.adamId),
    ...(row.bundleId && { bundleId: row.bundleId }),
    storeId: String(row.adamId),
    ...(platforms.length && { platform: platforms.join(', ') }),
    ...(row.iconUrl && { iconUrl: row.iconUrl }),
    ...(description && { description }),
    data: {
      sku: row.vendorId ?? null,
      type: row.type ?? null,
      versionSets: sets.map((s) => ({
        platform: s.platformString ?? null,
        inFlight: s.inFlightVersion ? { version: s.inFlightVersion.version ?? null, state: s.inFlightVersion.stateKey ?? null } : null,
        deliverable: s.deliverableVersion ? { version: s.deliverableVersion.version ?? null, state: s.deliverableVersion.stateKey ?? null } : null,
      })),
    },
  };
}

// ---------- versions and metadata ----------

/** Panel key → iTunes Connect field of a version localization (`details.value[i]`). */
export const METADATA_FIELDS: readonly { key: string; itc: keyof VersionDetail & string; spec: FieldSpec }[] = [
  { key: 'name', itc: 'name', spec: { key: 'name', label: 'Name', level: 'version', maxChars: 255, required: true } },
  { key: 'description', itc: 'description', spec: { key: 'description', label: 'Description', level: 'version', multiline: true, maxChars: 4000, required: true } },
  { key: 'keywords', itc: 'keywords', spec: { key: 'keywords', label: 'Keywords', level: 'version', maxChars: 100, required: true } },
  { key: 'whatsNew', itc: 'releaseNotes', spec: { key: 'whatsNew', label: "What's New in This Version", level: 'version', multiline: true, maxChars: 4000 } },
  { key: 'supportUrl', itc: 'supportUrl', spec: { key: 'supportUrl', label: 'Support URL', level: 'version', kind: 'url', required: true } },
  { key: 'marketingUrl', itc: 'marketingUrl', spec: { key: 'marketingUrl', label: 'Marketing URL', level: 'version', kind: 'url' } },
  { key: 'privacyPolicyUrl', itc: 'privacyURL', spec: { key: 'privacyPolicyUrl', label: 'Privacy Policy URL', level: 'version', kind: 'url' } },
];

export const FIELD_SPECS: FieldSpec[] = METADATA_FIELDS.map((f) => f.spec);

export function detailField(d: VersionDetail, itcKey: string): TextField | null | undefined {
  return (d as Record<string, unknown>)[itcKey] as TextField | null | undefined;
}

export function isLiveVersion(v: AppVersion): boolean {
  return LIVE_STATES.has(v.status ?? '');
}

export function buildIdOf(train: string, build: string | number): string {
  return `${train}/${build}`;
}

export function versionInfoOf(v: AppVersion): VersionInfo {
  const state = v.status ?? 'unknown';
  const editable =
    !!v.copyright?.isEditable || v.details.value.some((d) => METADATA_FIELDS.some((f) => detailField(d, f.itc)?.isEditable === true));
  const train = v.preReleaseBuildTrainVersionString ?? v.preReleaseBuildVersionString?.value ?? null;
  const build = v.preReleaseBuild?.buildVersion;
  const tone = stateTone(state);
  return {
    id: String(v.versionId),
    versionString: v.version.value ?? '',
    ...(v.platform && { platform: v.platform }),
    state,
    stateLabel: stateLabel(state),
    ...(tone && { tone }),
    editable,
    ...(train && build !== undefined && { buildId: buildIdOf(train, build), buildLabel: `${train} (${build})` }),
    live: isLiveVersion(v),
  };
}

export function localesOf(v: AppVersion): LocaleValues[] {
  return v.details.value.map((d) => ({
    locale: localeOfLanguage(d.language, d.localeCode),
    values: Object.fromEntries(METADATA_FIELDS.map((f) => [f.key, detailField(d, f.itc)?.value ?? null])),
  }));
}

/** The version's own copyright line (`version.copyright`, one for every locale); 255 as the name (2015 limits). */
export const COPYRIGHT_FIELD: FieldSpec = { key: 'copyright', label: 'Copyright', level: 'version', maxChars: 255, required: true };

/** The version's own fields, when the version has them (a copyright line). */
function versionValuesOf(v: AppVersion): Record<string, string | null> | undefined {
  return v.copyright ? { copyright: v.copyright.value ?? null } : undefined;
}

/**
 * Opaque token of everything the panel shows, the copyright line included: a changed token means someone else
 * changed the version.
 */
export function revisionOf(v: AppVersion, locales: LocaleValues[] = localesOf(v), versionValues = versionValuesOf(v)): string {
  const h = createHash('sha256').update(JSON.stringify([String(v.versionId), v.status ?? null, locales, versionValues ?? null])).digest('base64url');
  return `${v.versionId}:${h.slice(0, 22)}`;
}

/** The panel's document of a version: its localizations, plus the copyright line when the version has one. */
export function metadataDocumentOf(appId: string, v: AppVersion): MetadataDocument {
  const locales = localesOf(v);
  const versionValues = versionValuesOf(v);
  const doc: MetadataDocument = { appId, version: versionInfoOf(v), fields: FIELD_SPECS, locales, revision: revisionOf(v, locales, versionValues) };
  return versionValues ? { ...doc, versionFields: [COPYRIGHT_FIELD], versionValues } : doc;
}

export function versionItem(appId: string, info: VersionInfo): Item {
  return {
    id: `itc:version:${appId}:${info.id}`,
    label: info.versionString || '(no version number)',
    description: info.live ? `${info.stateLabel} · live` : info.stateLabel,
    tooltip: [`Version ${info.versionString}`, info.stateLabel, info.buildLabel && `Build ${info.buildLabel}`].filter(Boolean).join('\n'),
    icon: info.live ? 'globe' : 'tag',
    ...(info.tone && { tone: info.tone }),
    tags: ['version', info.live ? 'live' : 'inFlight', ...(info.editable ? ['editable'] : [])],
    data: { appId, versionId: info.id, versionString: info.versionString, state: info.state, live: !!info.live, buildId: info.buildId ?? null },
  };
}

// ---------- builds ----------

export function buildInfoOf(train: Train | { versionString: string }, b: Build, now: number = Date.now()): BuildInfo {
  const processingState = b.processing ? (b.processingState ?? 'processing') : (b.processingState ?? (b.valid === false ? 'invalid' : 'valid'));
  const expiry = typeof b.internalExpiry === 'number' && b.internalExpiry > 0 ? b.internalExpiry : undefined;
  const trainVersion = b.trainVersion ?? train.versionString;
  const tone: Tone | undefined =
    processingState === 'valid' ? 'ok' : /failed|invalid/i.test(processingState) ? 'error' : processingState === 'processing' ? 'info' : undefined;
  return {
    id: buildIdOf(trainVersion, b.buildVersion),
    version: trainVersion,
    buildNumber: b.buildVersion,
    processingState,
    stateLabel: stateLabel(processingState),
    ...(tone && { tone }),
    ...(iso(b.uploadDate) && { uploadedDate: iso(b.uploadDate) }),
    ...(expiry && { expirationDate: iso(expiry), expired: expiry < now }),
    train: trainVersion,
    details: {
      buildId: b.id ?? null,
      betaState: b.betaState ?? null,
      internalState: b.internalState ?? null,
      installs: b.installCount ?? null,
      sessions: b.sessionCount ?? null,
      crashes: b.crashCount ?? null,
      missingExportCompliance: b.missingExportCompliance ?? null,
    },
  };
}

export function processingBuildInfoOf(p: ProcessingBuild): BuildInfo {
  const state = p.processingState ?? 'processing';
  return {
    id: buildIdOf(p.trainVersion, p.buildVersion),
    version: p.trainVersion,
    buildNumber: p.buildVersion,
    processingState: state,
    stateLabel: stateLabel(state),
    tone: /failed|invalid/i.test(state) ? 'error' : 'info',
    ...(iso(p.uploadDate) && { uploadedDate: iso(p.uploadDate) }),
    train: p.trainVersion,
  };
}

/** Builds of every train, newest train first, with the still-processing uploads in their train. */
export function buildsOf(trains: Train[], processing: ProcessingBuild[] = [], now: number = Date.now()): Map<string, BuildInfo[]> {
  const out = new Map<string, BuildInfo[]>();
  for (const t of trains) {
    const list = out.get(t.versionString) ?? [];
    for (const b of t.builds) if (!list.some((x) => x.buildNumber === b.buildVersion)) list.push(buildInfoOf(t, b, now));
    out.set(t.versionString, list);
  }
  for (const p of processing) {
    const list = out.get(p.trainVersion) ?? [];
    if (!list.some((x) => x.buildNumber === p.buildVersion)) list.push(processingBuildInfoOf(p));
    out.set(p.trainVersion, list);
  }
  const numeric = (s: string) => s.split(/[^\d]+/).filter(Boolean).map(Number);
  const cmp = (a: string, b: string) => {
    const x = numeric(a);
    const y = numeric(b);
    for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (y[i] ?? 0) - (x[i] ?? 0);
    return b.localeCompare(a);
  };
  for (const list of out.values()) list.sort((a, b) => cmp(a.buildNumber, b.buildNumber));
  return new Map([...out].sort(([a], [b]) => cmp(a, b)));
}

export function trainItem(appId: string, train: string, builds: BuildInfo[]): Item {
  const processing = builds.filter((b) => b.processingState !== 'valid').length;
  return {
    id: `itc:train:${appId}:${train}`,
    label: train,
    description: `${builds.length} build${builds.length === 1 ? '' : 's'}${processing ? ` · ${processing} not ready` : ''}`,
    icon: 'git-branch',
    tags: ['train'],
    expandable: builds.length > 0,
    data: { appId, train },
  };
}

export function buildItem(appId: string, b: BuildInfo): Item {
  const uploaded = b.uploadedDate?.slice(0, 10);
  return {
    id: `itc:build:${appId}:${b.id}`,
    label: `${b.version} (${b.buildNumber})`,
    description: [b.processingState === 'valid' ? undefined : b.processingState, uploaded, b.expired ? 'expired' : undefined].filter(Boolean).join(' · '),
    icon: 'package',
    ...(b.tone && { tone: b.expired ? 'warning' : b.tone }),
    tags: ['build', ...(b.expired ? ['expired'] : [])],
    data: { appId, buildId: b.id, train: b.train ?? b.version, build: b.buildNumber, processingState: b.processingState },
  };
}

// ---------- build test information ----------

/** The detail of the primary language (what TestFlight shows), or the first. */
export function primaryTestDetail(info: TestInformation): TestInformation['details'][number] | undefined {
  return (
    info.details.find((d) => (info.primaryLocaleCode && d.localeCode === info.primaryLocaleCode) || (info.primaryLanguage && d.language === info.primaryLanguage)) ??
    info.details[0]
  );
}

export function testInfoOf(info: TestInformation): BuildTestInfo {
  const d = primaryTestDetail(info);
  const val = (f: TextField | null | undefined) => f?.value ?? undefined;
  if (!d) return {};
  const whatToTest = val(d.whatsNew);
  const feedbackEmail = val(d.feedbackEmail);
  const description = val(d.description);
  const marketingUrl = val(d.marketingUrl);
  const privacyPolicyUrl = val(d.privacyPolicyUrl);
  return {
    ...(whatToTest !== undefined && { whatToTest }),
    ...(feedbackEmail !== undefined && { feedbackEmail }),
    ...(description !== undefined && { description }),
    ...(marketingUrl !== undefined && { marketingUrl }),
    ...(privacyPolicyUrl !== undefined && { privacyPolicyUrl }),
  };
}

// ---------- testers ----------

export function testerOf(t: TesterRow): Tester {
  const email = t.emailAddress.value ?? '';
  return {
    id: t.testerId ?? email,
    email,
    firstName: t.firstName?.value ?? null,
    lastName: t.lastName?.value ?? null,
    state: t.latestInstalledDate ? `installed ${t.latestInstalledShortVersion ?? ''} (${t.latestInstalledVersion ?? ''})`.replace(' ()', '').trim() : 'invited',
    groups: (t.groups ?? []).map((g) => g.name?.value ?? g.id ?? '').filter(Boolean),
  };
}

export function testerItem(appId: string, t: Tester): Item {
  const name = [t.firstName, t.lastName].filter(Boolean).join(' ');
  return {
    id: `itc:tester:${appId}:${t.id}`,
    label: name || t.email,
    description: name ? t.email : t.state,
    tooltip: [t.email, t.state, t.groups?.length ? `Groups: ${t.groups.join(', ')}` : undefined].filter(Boolean).join('\n'),
    icon: 'person',
    tags: ['tester', 'external'],
    data: { appId, testerId: t.id, email: t.email },
  };
}
