// Builds (trains → builds, test information, details), external testers, review (submit, reject, resolution
// center) and new apps on legacy iTunes Connect.
import { ConfigError, ValidationError } from '../../core/errors';
import type {
  BuildInfo, BuildTestInfo, BuildsService, NewTester, ReadinessCheck, ReleaseService, SubmissionInfo, Tester, TesterGroup, TestersService,
} from '../services';
import type { AppSummary, ListOptions, Page } from '../types';
import type { ItcApi } from './api';
import { PROVIDER, unexpected } from './errors';
import { KNOWN_LANGUAGES, languageOfLocale } from './locales';
import { METADATA_FIELDS, buildsOf, detailField, isLiveVersion, localesOf, primaryTestDetail, testInfoOf, testerOf } from './mapping';
import type { ItcMetadataService } from './metadata';
import type { TextField } from './schemas';

type Obj = Record<string, unknown>;

function splitBuildId(build: Pick<BuildInfo, 'id' | 'train' | 'version' | 'buildNumber'>): { train: string; build: string } {
  return { train: build.train ?? build.version, build: build.buildNumber };
}

// ---------- builds ----------

export class ItcBuildsService implements BuildsService {
  constructor(private readonly api: ItcApi) {}

  /** Builds grouped by train (newest first), processing uploads included. */
  async byTrain(app: AppSummary, signal?: AbortSignal): Promise<Map<string, BuildInfo[]>> {
    const data = await this.api.trains(app.id, signal);
    return buildsOf(data.trains, data.processingBuilds ?? []);
  }

  async list(app: AppSummary, opts: ListOptions = {}): Promise<Page<BuildInfo>> {
    const items = [...(await this.byTrain(app, opts.signal)).values()].flat();
    return { items, total: items.length };
  }

  async getTestInfo(app: AppSummary, build: BuildInfo): Promise<BuildTestInfo> {
    const { train, build: number } = splitBuildId(build);
    return testInfoOf(await this.api.testInformation(app.id, train, number));
  }

  /** Posts the whole test information back with the given values set on its primary localization. */
  async setTestInfo(app: AppSummary, build: BuildInfo, info: BuildTestInfo): Promise<void> {
    const { train, build: number } = splitBuildId(build);
    const data = structuredClone(await this.api.testInformation(app.id, train, number));
    const detail = primaryTestDetail(data) as (Obj & ReturnType<typeof primaryTestDetail>) | undefined;
    if (!detail) throw new ValidationError({ provider: PROVIDER, summary: `${PROVIDER} has no test information to edit for build ${train} (${number})` });
    const set = (key: string, value: string | undefined) => {
      if (value === undefined) return;
      const f = (detail[key] as TextField | null | undefined) ?? { value: null, isEditable: true, isRequired: false, errorKeys: null };
      f.value = value;
      detail[key] = f;
    };
    set('whatsNew', info.whatToTest);
    set('feedbackEmail', info.feedbackEmail);
    set('description', info.description);
    set('marketingUrl', info.marketingUrl);
    set('privacyPolicyUrl', info.privacyPolicyUrl);
    await this.api.saveTestInformation(app.id, train, number, data);
  }

  /** Details of one build's binary (file, SDK, size, minimum OS, …). */
  async details(app: AppSummary, build: Pick<BuildInfo, 'id' | 'train' | 'version' | 'buildNumber'>, signal?: AbortSignal): Promise<Record<string, string | number | boolean | null>> {
    const { train, build: number } = splitBuildId(build);
    const d = await this.api.buildDetails(app.id, train, number, signal);
    const out: Record<string, string | number | boolean | null> = {};
    for (const [k, v] of Object.entries(d)) if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) out[k] = v as string | number | boolean | null;
    return out;
  }
}

// ---------- testers ----------

export class ItcTestersService implements TestersService {
  constructor(private readonly api: ItcApi) {}

  async groups(_app: AppSummary, opts: ListOptions = {}): Promise<TesterGroup[]> {
    const data = await this.api.externalTesters(opts.signal);
    // The `groups` map and the groups the testers belong to (recordings show testers in groups the map lacks).
    const names = new Map(Object.entries(data.groups ?? {}));
    for (const t of data.testers) for (const g of t.groups ?? []) if (g.id && !names.has(g.id)) names.set(g.id, g.name?.value ?? g.id);
    return [...names].map(([id, name]) => ({
      id,
      name,
      internal: false,
      testerCount: data.testers.filter((t) => (t.groups ?? []).some((g) => g.id === id)).length,
    }));
  }

  /** The account's external testers (iTunes Connect keeps them per account, not per app). */
  async testers(_app: AppSummary, opts: ListOptions & { groupId?: string } = {}): Promise<Page<Tester>> {
    const data = await this.api.externalTesters(opts.signal);
    const rows = opts.groupId ? data.testers.filter((t) => (t.groups ?? []).some((g) => g.id === opts.groupId)) : data.testers;
    const items = rows.map(testerOf);
    return { items, total: items.length };
  }

  /** Testers who have access to one build (`train` is the version, `build` the build number). */
  async buildTesters(app: AppSummary, train: string, build: string, signal?: AbortSignal): Promise<Tester[]> {
    return (await this.api.buildTesters(app.id, train, build, signal)).testers.map(testerOf);
  }

  /** Creates an external tester, in `tester.groupId` when given (the group's name goes along, as fastlane sends it). */
  async add(app: AppSummary, tester: NewTester, signal?: AbortSignal): Promise<Tester> {
    const groups: { id: string; name: string }[] = [];
    if (tester.groupId) {
      const group = (await this.groups(app, { signal })).find((g) => g.id === tester.groupId);
      if (!group) {
        throw new ValidationError({
          provider: PROVIDER,
          summary: `${PROVIDER} has no tester group ${tester.groupId}`,
          fieldErrors: { groupId: ['This group no longer exists.'] },
          hint: 'Refresh the groups and choose another one.',
        });
      }
      groups.push({ id: group.id, name: group.name });
    }
    const data = await this.api.createTester({ email: tester.email.trim(), firstName: tester.firstName, lastName: tester.lastName, groups }, signal);
    const row = data.testers[0];
    if (!row) return { id: tester.email, email: tester.email, firstName: tester.firstName ?? null, lastName: tester.lastName ?? null, state: 'invited' };
    const t = testerOf(row);
    return { ...t, state: t.state === 'invited' || !t.state ? 'invited' : t.state };
  }

  async remove(): Promise<void> {
    throw new ConfigError({
      provider: PROVIDER,
      summary: `Removing testers is not available for ${PROVIDER} (legacy)`,
      hint: 'Remove the tester in App Store Connect (TestFlight), or use an App Store Connect account in AppDesk.',
    });
  }
}

// ---------- review ----------

export class ItcReleaseService implements ReleaseService {
  constructor(
    private readonly api: ItcApi,
    private readonly metadata: ItcMetadataService,
  ) {}

  async readiness(app: AppSummary, versionId: string): Promise<ReadinessCheck[]> {
    const { version } = await this.metadata.fetch(app.id, versionId, false);
    const live = await this.api.version(app.id, true);
    const isUpdate = !!live && String(live.versionId) !== versionId && isLiveVersion(live);
    const checks: ReadinessCheck[] = [];
    checks.push({ ok: !!version.preReleaseBuild, label: version.preReleaseBuild ? 'A build is selected' : 'Select a build for this version', fix: { target: 'builds' } });
    if (version.copyright) checks.push({ ok: !!version.copyright.value?.trim(), label: 'Copyright', fix: { target: 'metadata', field: 'copyright' } });
    const locales = localesOf(version);
    version.details.value.forEach((d, i) => {
      const locale = locales[i]!.locale;
      for (const f of METADATA_FIELDS) {
        const value = (detailField(d, f.itc)?.value ?? '').trim();
        const required = f.spec.required || (f.key === 'whatsNew' && isUpdate);
        const tooLong = f.spec.maxChars !== undefined && [...value].length > f.spec.maxChars;
        if (!required && !tooLong) continue;
        const ok = (!required || value.length > 0) && !tooLong;
        const label = tooLong ? `${f.spec.label} (${locale}) is longer than ${f.spec.maxChars} characters` : `${f.spec.label} (${locale})`;
        checks.push({ ok, label, fix: { target: 'metadata', locale, field: f.key } });
      }
    });
    return checks;
  }

  /** Submission as recorded: step 1 (`submit/summary`) returns the questions, step 2 (`submit/complete`) posts them back. */
  async submit(app: AppSummary, versionId: string, signal?: AbortSignal): Promise<SubmissionInfo> {
    const summary = await this.api.submitStart(app.id, versionId, signal);
    await this.api.submitComplete(app.id, versionId, summary, signal);
    return { id: versionId, state: 'waitingForReview', submittedDate: new Date().toISOString(), versionId };
  }

  async rejectVersion(app: AppSummary, versionId: string): Promise<void> {
    await this.api.reject(app.id, versionId);
  }

  /** Messages from App Review; bodies are Apple's HTML, unmodified (the panel sanitizes). */
  async resolutionCenter(app: AppSummary): Promise<{ threads: { id: string; version?: string; messages: { from: string; date: string; html: string }[] }[] }> {
    const data = await this.api.resolutionCenter(app.id);
    const all = [...(data.appNotes?.threads ?? []), ...(data.betaNotes?.threads ?? []), ...(data.appMessages?.threads ?? [])];
    return {
      threads: all.map((t) => ({
        id: String(t.id),
        ...(t.version && { version: t.version }),
        messages: t.messages.map((m) => ({
          from: m.from ?? 'Apple',
          date: typeof m.date === 'number' ? new Date(m.date).toISOString() : String(m.date ?? ''),
          html: m.body ?? '',
        })),
      })),
    };
  }
}

// ---------- new app ----------

export interface NewItcApp {
  name: string;
  bundleId: string;
  sku: string;
  /** Version number of the first version, e.g. "1.0". */
  version: string;
  /** Primary language: an iTunes Connect name ("English") or a locale code ("en-US"). Default English. */
  language?: string;
  /** For a wildcard bundle id (`com.example.*`): the part that replaces `*`. */
  bundleIdSuffix?: string;
  /** Default "ios". */
  platform?: string;
}

/**
 * Creates an app (seed: "Creates a new app on iTunes Connect"): fetches the prefilled new-app form, fills in the
 * values and posts it back. iTunes Connect answers 200 either way; `sectionErrorKeys` and field errors are read
 * (as the seed says) and thrown as ValidationError.
 */
export async function createItcApp(api: ItcApi, app: NewItcApp, signal?: AbortSignal): Promise<{ adamId: string; name: string; bundleId: string; sku: string }> {
  const platform = app.platform ?? 'ios';
  const language = languageOfLocale(app.language ?? 'English');
  if (!KNOWN_LANGUAGES.includes(language)) {
    throw new ValidationError({
      provider: PROVIDER,
      summary: `"${app.language}" is not a language ${PROVIDER} knows`,
      fieldErrors: { primaryLanguage: [`Use one of: ${KNOWN_LANGUAGES.join(', ')} (or a locale code such as en-US).`] },
    });
  }
  const form = structuredClone(await api.createAppForm(platform, signal)) as Obj & { newApp: Obj };
  const put = (target: Obj, key: string, value: string | null) => {
    const f = target[key];
    target[key] = f && typeof f === 'object' ? { ...(f as Obj), value, errorKeys: null } : { value, isEditable: true, isRequired: false, errorKeys: null };
  };
  put(form.newApp, 'name', app.name);
  put(form.newApp, 'bundleId', app.bundleId);
  put(form.newApp, 'bundleIdSuffix', app.bundleIdSuffix ?? null);
  put(form.newApp, 'vendorId', app.sku);
  put(form.newApp, 'primaryLanguage', language);
  put(form, 'versionString', app.version);
  form.initialPlatform = platform;
  const created = await api.createApp(platform, form, signal);
  const adamId = created.adamId ?? created.newApp.adamId;
  if (adamId === null || adamId === undefined) {
    throw unexpected('POST /WebObjects/iTunesConnect.woa/ra/apps/create/', "the answer carries no Apple ID (adamId) for the new app; check the app list, it may have been created anyway");
  }
  return { adamId: String(adamId), name: app.name, bundleId: app.bundleIdSuffix ? app.bundleId.replace(/\*$/, app.bundleIdSuffix) : app.bundleId, sku: app.sku };
}
