// Handlers of the `ra/...` JSON endpoints. Every answer keeps the recorded envelope; validation failures are
// answered with HTTP 200 in the two shapes Apple used:
//   - recorded "validation" shape (update_app_version_failed.json, create_application_broken.json,
//     app_submission/start_failed.json): statusCode SUCCESS, messages.info, data.sectionErrorKeys,
//     field-level errorKeys (and data.validationError = true on versions);
//   - "operation error" shape (build_trains_operation_failed.json): statusCode ERROR and messages.error,
//     here also with data.sectionErrorKeys / errorKeys when there is a form to point at.
import { randomUUID } from 'node:crypto';
import type { SandboxContext, SandboxResponse } from '../types';
import createAppFx from './fixtures/create_application_success.json';
import startSubmissionFx from './fixtures/app_submission/start_success.json';
import completeSubmissionFx from './fixtures/app_submission/complete_success.json';
import createTesterFx from './fixtures/testers/create_tester.json';
import userDetailFx from './fixtures/user_detail.json';
import {
  clone, collectErrorKeys, EDITABLE_STATES, errorIn200, failure, field, isField, isObj, ok, OPERATION_FAILED, REJECTABLE_STATES,
  reply, sections, STATE_NAMES, type Envelope, type Field, type Str, type VersionData,
} from './model';
import {
  applyState, editVersion, liveVersion, LISTED_GROUP_TEMPLATE, makeDetail, makeVersion, setBuild, SUMMARY_TEMPLATE,
  type AppState, type BuildState, type ItcState, type Tester,
} from './seed';

type Obj = Record<string, unknown>;

const CREATE_TEMPLATE = (createAppFx as unknown as Envelope<Obj & { newApp: Obj }>).data;
const TESTER_TEMPLATE = (createTesterFx as unknown as Envelope<{ testers: Tester[] }>).data.testers[0]!;
/** A group inside the create answer's tester, as recorded (its name field has no length limits there). */
const GROUP_TEMPLATE = TESTER_TEMPLATE.groups[0]!;
/** A group name's maxLength, as recorded on a listed tester's group (testers/get_external.json). */
const GROUP_NAME_MAX = 25;

export const LANGUAGES = [
  'Brazilian Portuguese', 'Danish', 'Dutch', 'English', 'English_Australian', 'English_CA', 'English_UK', 'Finnish', 'French',
  'French_CA', 'German', 'Greek', 'Indonesian', 'Italian', 'Japanese', 'Korean', 'Malay', 'Norwegian', 'Portuguese', 'Russian',
  'Simplified Chinese', 'Spanish', 'Spanish_MX', 'Swedish', 'Thai', 'Traditional Chinese', 'Turkish', 'Vietnamese',
];

const value = (v: unknown): unknown => (isObj(v) ? v.value : undefined);
const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
const VERSION_RE = /^\d+(\.\d+){0,2}$/;
const EMAIL_RE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function isUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function addError(f: Field, msg: string): void {
  f.errorKeys = [...(f.errorKeys ?? []), msg];
}

function distinct(xs: string[]): string[] {
  return [...new Set(xs)];
}

/** Copies the values of editable fields from `incoming` into `target` (recursively); read-only fields keep
 * their value, as iTunes Connect ignores them. Values of the wrong type are ignored too. */
export function mergeEditable(target: Obj, incoming: unknown, skip: ReadonlySet<string> = new Set()): void {
  if (!isObj(incoming)) return;
  for (const [k, tv] of Object.entries(target)) {
    if (skip.has(k)) continue;
    const iv = incoming[k];
    if (iv === undefined) continue;
    if (isField(tv)) {
      if (tv.isEditable && isObj(iv) && 'value' in iv && compatible(tv.value, iv.value)) tv.value = clone(iv.value);
    } else if (isObj(tv)) {
      mergeEditable(tv, iv);
    }
  }
}

function compatible(current: unknown, next: unknown): boolean {
  if (next === null) return true;
  if (current === null || current === undefined) return ['string', 'number', 'boolean'].includes(typeof next);
  return typeof current === typeof next && Array.isArray(current) === Array.isArray(next);
}

function clearErrors(v: unknown): void {
  if (Array.isArray(v)) { v.forEach(clearErrors); return; }
  if (!isObj(v)) return;
  for (const [k, x] of Object.entries(v)) {
    if (k === 'errorKeys' && Array.isArray(x)) v[k] = null;
    else if (k === 'sectionErrorKeys') v[k] = [];
    else clearErrors(x);
  }
}

interface CheckRule { label: string; article?: string; required?: boolean; max?: number; url?: boolean }

/** Field checks of a version's metadata (limits of the 2015 iTunes Connect). */
function checkText(f: Field<Str>, rule: CheckRule): void {
  const raw = f.value;
  if (raw !== null && typeof raw !== 'string') { addError(f, `The ${rule.label} is not valid.`); return; }
  const s = (raw ?? '').trim();
  if (!s) {
    if (rule.required) addError(f, `You must provide ${rule.article ?? 'a'} ${rule.label}.`);
    return;
  }
  if (rule.max !== undefined && [...s].length > rule.max) addError(f, `The ${rule.label} must be ${rule.max} characters or fewer.`);
  if (rule.url && !isUrl(s)) addError(f, `The ${rule.label} is not a valid URL.`);
}

interface VersionCheck {
  /** Localizations with at least one error. */
  localizations: number;
  /** Only "name already used" errors (Apple answered those in the recorded validation shape). */
  onlyDuplicateNames: boolean;
  messages: string[];
}

const DUPLICATE_NAME = 'The App Name you entered has already been used.';

function checkVersion(state: ItcState, app: AppState, v: VersionData, forSubmission: boolean): VersionCheck {
  clearErrors(v);
  checkText(v.copyright, { label: 'copyright', required: true, max: 255 });
  const otherNames = new Set(state.apps.filter((a) => a !== app).flatMap((a) => [
    a.name.toLowerCase(),
    ...a.versions.flatMap((x) => x.details.value.map((d) => (d.name.value ?? '').toLowerCase())),
  ]));
  let localizations = 0;
  let duplicates = 0;
  let others = 0;
  for (const d of v.details.value) {
    checkText(d.name, { label: 'app name', article: 'an', required: true, max: 255 });
    checkText(d.description, { label: 'description', required: true, max: 4000 });
    checkText(d.keywords, { label: 'keywords', required: true, max: 100 });
    checkText(d.releaseNotes, { label: "What's New in This Version text", required: forSubmission && !!liveVersion(app), max: 4000 });
    checkText(d.supportUrl, { label: 'support URL', required: true, url: true });
    checkText(d.marketingUrl, { label: 'marketing URL', url: true });
    checkText(d.privacyURL, { label: 'privacy policy URL', url: true });
    const before = collectErrorKeys(d).length;
    others += before;
    if (typeof d.name.value === 'string' && otherNames.has(d.name.value.trim().toLowerCase())) {
      addError(d.name, DUPLICATE_NAME);
      duplicates++;
    }
    const errs = collectErrorKeys(d);
    d.sectionErrorKeys = distinct(errs);
    if (errs.length) localizations++;
  }
  if (forSubmission && !v.preReleaseBuild) addError(v.preReleaseBuildVersionString, 'You must choose a build.');
  const all = collectErrorKeys(v);
  others += all.length - collectErrorKeys(v.details.value).length;
  if (all.length) {
    v.sectionErrorKeys = [localizations
      ? `There are errors on the page and for ${localizations} of your localization${localizations === 1 ? '' : 's'}.`
      : 'There are errors on the page.'];
    v.validationError = true;
  }
  return { localizations, onlyDuplicateNames: duplicates > 0 && others === 0, messages: distinct(all) };
}

export class RaApi {
  constructor(private readonly ctx: SandboxContext, public state: ItcState) {}

  app(adamId: string): AppState | undefined {
    return this.state.apps.find((a) => a.adamId === adamId);
  }

  // ---------------------------------------------------------------- apps

  summary(): SandboxResponse {
    const { summaries: _s, ...top } = clone(SUMMARY_TEMPLATE);
    const icon = (SUMMARY_TEMPLATE.summaries[0] as { versionSets: { inFlightVersion: { largeAppIcon: Obj } }[] }).versionSets[0]!.inFlightVersion.largeAppIcon;
    const noIcon = { assetToken: null, url: null, thumbNailUrl: null, sortOrder: null, originalFileName: null };
    const ref = (app: AppState, v: VersionData | undefined) => v && {
      type: 'APP', id: null, version: v.version.value, state: STATE_NAMES[v.status] ?? v.status, stateKey: v.status,
      stateGroup: v.status === 'readyForSale' ? 'readyForSale' : 'preRelease',
      largeAppIcon: app.iconUrl ? clone(icon) : { ...noIcon }, supportedHardware: ['iphone'], issuesCount: 0,
    };
    const summaries = this.state.apps.map((app) => ({
      adamId: app.adamId, name: app.name, vendorId: app.vendorId, bundleId: app.bundleId, appType: null,
      versionSets: [{ type: 'APP', platformString: 'ios', inFlightVersion: ref(app, editVersion(app)) ?? null, deliverableVersion: ref(app, liveVersion(app)) ?? null }],
      buildVersionSets: [], lastModifiedDate: app.lastModifiedDate, iconUrl: app.iconUrl, issuesCount: 0,
    }));
    return ok({ ...top, summaries });
  }

  /** `ra/apps/version/{app}` (edit version) and `?v=live`; with one version only, both answer that one. */
  version(app: AppState, live: boolean): SandboxResponse {
    const v = live ? (liveVersion(app) ?? editVersion(app)) : (editVersion(app) ?? liveVersion(app));
    return v ? ok(clone(v)) : failure(404, 'This app has no version.');
  }

  versionById(app: AppState, versionId: string): VersionData | undefined {
    return app.versions.find((v) => String(v.versionId) === versionId);
  }

  /** Saves a version: the client posts the whole version object back. */
  saveVersion(app: AppState, v: VersionData, body: unknown): SandboxResponse {
    if (!isObj(body) || !isObj(body.details) || !Array.isArray(body.details.value)) return errorIn200([OPERATION_FAILED]);
    if (body.versionId !== undefined && String(body.versionId) !== String(v.versionId)) return errorIn200([OPERATION_FAILED]);
    const cand = clone(v);
    clearErrors(cand);
    cand.validationError = false;
    const unchanged = JSON.stringify(cand);
    mergeEditable(cand, body, new Set(['details', 'preReleaseBuild']));
    for (const inc of body.details.value) {
      if (!isObj(inc) || typeof inc.language !== 'string') continue;
      const existing = cand.details.value.find((d) => d.language === inc.language);
      if (existing) {
        mergeEditable(existing, inc);
      } else if (EDITABLE_STATES.has(cand.status) && LANGUAGES.includes(inc.language)) {
        const str = (x: unknown): Str => (typeof value(x) === 'string' ? (value(x) as string) : null);
        const d = makeDetail({
          language: inc.language, name: str(inc.name), description: str(inc.description), keywords: str(inc.keywords),
          releaseNotes: str(inc.releaseNotes), supportUrl: str(inc.supportUrl), marketingUrl: str(inc.marketingUrl), privacyURL: str(inc.privacyURL),
        });
        d.detailId = String(this.state.nextId++);
        cand.details.value.push(d);
        applyState(cand, cand.status, !!liveVersion(app));
      }
    }
    let buildError: string | undefined;
    if (cand.preReleaseBuildVersionString.isEditable) {
      const trainVersion = cand.preReleaseBuildVersionString.value;
      const wanted = isObj(body.preReleaseBuild) ? body.preReleaseBuild.buildVersion : body.preReleaseBuild === null ? null : cand.preReleaseBuild?.buildVersion;
      if (trainVersion === null || wanted === null || wanted === undefined) {
        setBuild(cand, null);
      } else {
        const b = this.build(app, trainVersion, String(wanted));
        if (b && !b.build.processing) setBuild(cand, { train: trainVersion, build: b.build.buildVersion, uploadDate: b.build.uploadDate as number });
        else buildError = 'The build you selected is not available.';
      }
    }
    if (JSON.stringify(cand) === unchanged && !buildError) {
      // fastlane's handle_itc_response special-cases this one: it is the only error worth ignoring.
      return ok({ ...cand, sectionErrorKeys: ["You haven't made any changes."] }, { info: ['Successful POST'] });
    }
    const check = checkVersion(this.state, app, cand, false);
    if (buildError) {
      addError(cand.preReleaseBuildVersionString, buildError);
      check.messages.push(buildError);
      check.onlyDuplicateNames = false;
      cand.sectionErrorKeys = cand.sectionErrorKeys?.length ? cand.sectionErrorKeys : ['There are errors on the page.'];
      cand.validationError = true;
    }
    if (check.messages.length === 0) {
      cand.sectionErrorKeys = [];
      app.versions[app.versions.indexOf(v)] = cand;
      app.lastModifiedDate = this.ctx.now();
      return ok(clone(cand), { info: ['Successful POST'] });
    }
    cand.isSaveError = false;
    // Recorded answer for an app name already used elsewhere: a "Successful POST" that did not save.
    if (check.onlyDuplicateNames) return ok(cand, { info: ['Successful POST'] });
    return errorIn200(check.messages, cand);
  }

  createVersion(app: AppState, body: unknown): SandboxResponse {
    const raw = isObj(body) ? (isObj(body.version) ? body.version.value : body.version) : undefined;
    const versionString = text(raw);
    if (editVersion(app)) return errorIn200(['You cannot create a new version of the App in the current state.']);
    const live = liveVersion(app);
    if (!live) return errorIn200([OPERATION_FAILED]);
    const v = clone(live);
    clearErrors(v);
    v.versionId = this.state.nextId++;
    v.version.value = versionString || null;
    v.version.isEditable = true;
    setBuild(v, null);
    for (const d of v.details.value) {
      d.detailId = String(this.state.nextId++);
      d.releaseNotes.value = null;
    }
    applyState(v, 'prepareForUpload', true);
    let err: string | undefined;
    if (!versionString) err = 'You must provide a version number.';
    else if (!VERSION_RE.test(versionString)) err = 'The version number you entered is not valid.';
    else if (compareVersions(versionString, live.version.value ?? '0') <= 0) err = `The version number must be higher than the previous version number (${live.version.value}).`;
    if (err) {
      addError(v.version, err);
      v.sectionErrorKeys = [err];
      v.validationError = true;
      return ok(v, { info: ['Validation Error(s).'] });
    }
    app.versions.push(v);
    app.lastModifiedDate = this.ctx.now();
    return ok(clone(v), { info: ['Successful POST'] });
  }

  // ---------------------------------------------------------------- new app

  private createPrefill(): Obj & { newApp: Obj } {
    const data = clone(CREATE_TEMPLATE);
    const used = new Set(this.state.apps.map((a) => a.bundleId));
    data.bundleIds = Object.fromEntries(Object.entries(this.state.bundleIds).filter(([id]) => id.endsWith('*') || !used.has(id)));
    return data;
  }

  createAppForm(): SandboxResponse {
    return ok(this.createPrefill());
  }

  createApp(body: unknown): SandboxResponse {
    if (!isObj(body) || !isObj(body.newApp)) return errorIn200([OPERATION_FAILED]);
    const inc = body.newApp;
    const data = this.createPrefill();
    const na = data.newApp as Record<string, Field>;
    const get = (x: unknown) => (typeof value(x) === 'string' ? (value(x) as string) : null);
    const put = (f: Field, v: Str) => { f.value = v; f.errorKeys = []; };
    const name = get(inc.name);
    const bundleId = get(inc.bundleId);
    const suffix = get(inc.bundleIdSuffix);
    const sku = get(inc.vendorId);
    const language = get(inc.primaryLanguage);
    const versionString = get(body.versionString);
    put(na.name!, name);
    put(na.bundleId!, bundleId);
    na.bundleIdSuffix!.value = suffix;
    put(na.vendorId!, sku);
    put(na.primaryLanguage!, language);
    put(data.versionString as Field, versionString);
    data.initialPlatform = typeof body.initialPlatform === 'string' ? body.initialPlatform : 'ios';

    const names = new Set(this.state.apps.map((a) => a.name.toLowerCase()));
    if (!name?.trim()) addError(na.name!, 'You must provide an app name.');
    else if ([...name].length > 255) addError(na.name!, 'The app name must be 255 characters or fewer.');
    else if (names.has(name.trim().toLowerCase())) addError(na.name!, DUPLICATE_NAME);
    if (!language || !LANGUAGES.includes(language)) addError(na.primaryLanguage!, 'You must choose a primary language.');
    if (!sku?.trim()) addError(na.vendorId!, 'You must provide a SKU.');
    else if (this.state.apps.some((a) => a.vendorId === sku.trim())) addError(na.vendorId!, 'The SKU you entered has already been used.');
    if (!versionString?.trim()) addError(data.versionString as Field, 'You must provide a version number.');
    else if (!VERSION_RE.test(versionString.trim())) addError(data.versionString as Field, 'The version number you entered is not valid.');
    let effectiveBundle: string | undefined;
    if (!bundleId) addError(na.bundleId!, 'You must choose a bundle ID.');
    else if (!(bundleId in this.state.bundleIds)) addError(na.bundleId!, 'The bundle ID you selected is not registered for your team.');
    else if (bundleId.endsWith('*')) {
      if (!suffix?.trim()) addError(na.bundleIdSuffix!, 'You must provide a bundle ID suffix.');
      else effectiveBundle = bundleId.slice(0, -1) + suffix.trim();
    } else effectiveBundle = bundleId;

    const errors = collectErrorKeys(data);
    if (errors.length) {
      data.sectionErrorKeys = distinct(errors);
      return ok(data, { info: ['Validation Error(s).'] });
    }
    if (effectiveBundle && this.state.apps.some((a) => a.bundleId === effectiveBundle)) {
      const msg = 'The Bundle ID you entered has already been used.';
      addError(na.bundleId!, msg);
      data.sectionErrorKeys = [msg];
      return errorIn200([msg], data);
    }

    const adamId = String(this.state.nextId++);
    const app: AppState = {
      adamId, name: name!.trim(), vendorId: sku!.trim(), bundleId: effectiveBundle!, primaryLanguage: language!,
      lastModifiedDate: this.ctx.now(), iconUrl: null, versions: [], trains: [], processingBuilds: [],
      resolution: { ...sections(), replyConstraints: { minLength: 1, maxLength: 4000 }, appNotes: { threads: [] }, betaNotes: { threads: [] }, appMessages: { threads: [] } },
      submissions: new Map(),
    };
    app.versions.push(makeVersion({
      adamId, appName: app.name, versionId: this.state.nextId++, version: versionString!.trim(), status: 'prepareForUpload',
      copyright: null, primaryLanguage: language!, build: null,
      locs: [{ language: language!, name: app.name, description: null, keywords: null, releaseNotes: null, supportUrl: null, marketingUrl: null, privacyURL: null }],
    }, false));
    this.state.apps.push(app);
    if (!(effectiveBundle! in this.state.bundleIds)) this.state.bundleIds[effectiveBundle!] = `${app.name} - ${effectiveBundle}`;
    data.adamId = adamId;
    (data.newApp as Obj).adamId = adamId;
    data.sectionErrorKeys = [];
    return ok(data, { info: ['Successful POST'] });
  }

  // ---------------------------------------------------------------- builds

  build(app: AppState, train: string, build: string): BuildState | undefined {
    return app.trains.find((t) => t.train.versionString === train)?.builds.find((b) => b.build.buildVersion === build);
  }

  trains(app: AppState, platform: string | null): SandboxResponse {
    return ok({
      ...sections(),
      trains: app.trains
        .filter((t) => !platform || t.train.platform === platform)
        .map((t) => ({ ...clone(t.train), builds: t.builds.map((b) => clone(b.build)) })),
      processingBuilds: clone(app.processingBuilds).filter((b) => !platform || b.platform === platform),
      currentTestingApps: 1,
      maxTestingApps: 10,
      isBetaDataAvailable: true,
      dailySubmissionCount: 0,
    });
  }

  buildDetails(b: BuildState): SandboxResponse {
    return ok(clone(b.details), { info: ['Success'] });
  }

  testInformation(b: BuildState): SandboxResponse {
    return ok(clone(b.build.buildTestInformationTO));
  }

  saveTestInformation(app: AppState, b: BuildState, body: unknown): SandboxResponse {
    if (!isObj(body)) return errorIn200([OPERATION_FAILED]);
    const cand = clone(b.build.buildTestInformationTO) as Obj & { details: Obj[] };
    clearErrors(cand);
    mergeEditable(cand, body, new Set(['details']));
    if (Array.isArray(body.details)) {
      for (const inc of body.details) {
        const d = isObj(inc) ? cand.details.find((x) => x.language === inc.language || x.localeCode === inc.localeCode) : undefined;
        if (d) mergeEditable(d, inc);
      }
    }
    const check = (f: unknown, label: string, email = false) => {
      if (!isField(f) || f.value === null || f.value === '') return;
      const s = String(f.value);
      if (typeof f.minLength === 'number' && [...s].length < f.minLength) addError(f, `${label} must be at least ${f.minLength} characters.`);
      if (typeof f.maxLength === 'number' && [...s].length > f.maxLength) addError(f, `${label} must be ${f.maxLength} characters or fewer.`);
      if (email && !EMAIL_RE.test(s)) addError(f, `${label} is not a valid email address.`);
    };
    for (const d of cand.details) {
      check(d.whatsNew, 'What to Test');
      check(d.description, 'Beta App Description');
      check(d.feedbackEmail, 'Feedback Email', true);
      check(d.marketingUrl, 'Marketing URL');
      check(d.privacyPolicyUrl, 'Privacy Policy URL');
      d.sectionErrorKeys = distinct(collectErrorKeys(d));
    }
    check(cand.reviewFirstName, 'First Name');
    check(cand.reviewLastName, 'Last Name');
    check(cand.reviewPhone, 'Phone Number');
    check(cand.reviewEmail, 'Email', true);
    check(cand.reviewNotes, 'Review Notes');
    check(cand.reviewUserName, 'User Name');
    check(cand.reviewPassword, 'Password');
    const errors = distinct(collectErrorKeys(cand));
    if (errors.length) {
      cand.sectionErrorKeys = ['There are errors on the page.'];
      return errorIn200(errors, cand);
    }
    b.build.buildTestInformationTO = cand;
    app.lastModifiedDate = this.ctx.now();
    return ok(clone(cand), { info: ['Successful POST'] });
  }

  buildTesters(): SandboxResponse {
    return ok({ ...sections(), testers: clone(this.state.testers) });
  }

  // ---------------------------------------------------------------- testers

  externalTesters(): SandboxResponse {
    return ok({ ...sections(), testers: clone(this.state.testers), devices: clone(this.state.testerDevices), groups: clone(this.state.testerGroups) });
  }

  /** Every group a tester can be put in: the account's `groups` map, and the groups testers already belong to
   * (the recording lists a tester in "App Testers Group", which the map lacks). */
  private knownGroups(): Map<string, string> {
    const known = new Map(Object.entries(this.state.testerGroups));
    for (const t of this.state.testers) {
      for (const g of t.groups) if (typeof g.id === 'string' && !known.has(g.id)) known.set(g.id, g.name.value ?? g.id);
    }
    return known;
  }

  /**
   * `POST ra/users/pre/create`. Each tester's `groups` are references as fastlane's `create_tester!` sends them
   * (recorded request in fastlane's spaceship/spec/tunes/testers_spec.rb, answer in testers/create_tester.json):
   *   `{"id": "<group id>", "name": {"value": "<its name>"}}`  an existing group (the id decides; the name is ignored);
   *   `{"id": null, "name": {"value": "<new name>"}}`          a group created on the fly ("this is expected by the
   *                                                            iTC API", fastlane); here a name that already exists
   *                                                            is that group rather than a second one of the name.
   * The answer lists every group with its id (a new group's too, as recorded for "custom-new-group"); the stored
   * tester and `ra/users/pre/ext` (its tester and its `groups` map) show the membership.
   * Not documented, so the sandbox's choice: `groups` that is not an array, a reference that is not an object, an
   * id that is neither a string nor null, a new group without a string name, or an id of no group → the generic
   * operation error (statusCode ERROR, OPERATION_FAILED); a new group's name that is blank or longer than the
   * recorded maxLength 25 → errorKeys on that group's name (the validation shape, like a bad email). Either way
   * nothing is stored.
   */
  createTesters(body: unknown): SandboxResponse {
    if (!isObj(body) || !Array.isArray(body.testers) || body.testers.length === 0) return errorIn200([OPERATION_FAILED]);
    const known = this.knownGroups();
    /** New groups of this request, by name, with the id they get if the request succeeds. */
    const created = new Map<string, string>();
    const out: Tester[] = [];
    let failed = false;
    for (const inc of body.testers) {
      const t = clone(TESTER_TEMPLATE);
      const email = isObj(inc) ? text(value(inc.emailAddress)).toLowerCase() : '';
      const first = isObj(inc) ? text(value(inc.firstName)) : '';
      const last = isObj(inc) ? text(value(inc.lastName)) : '';
      t.emailAddress.value = email || null;
      t.firstName.value = first;
      t.lastName.value = last;
      if (!EMAIL_RE.test(email)) {
        t.emailAddress.errorKeys = ['Enter a valid email address.'];
        failed = true;
      }
      const refs = isObj(inc) ? inc.groups : undefined;
      if (refs !== undefined && refs !== null && !Array.isArray(refs)) return errorIn200([OPERATION_FAILED]);
      t.groups = [];
      for (const ref of refs ?? []) {
        if (!isObj(ref)) return errorIn200([OPERATION_FAILED]);
        const id = ref.id ?? null;
        const name = ref.name === undefined || ref.name === null ? null : isObj(ref.name) ? ref.name.value : undefined;
        if ((id !== null && typeof id !== 'string') || (name !== null && typeof name !== 'string')) return errorIn200([OPERATION_FAILED]);
        const g = clone(GROUP_TEMPLATE);
        if (id !== null) {
          const knownName = known.get(id);
          if (knownName === undefined) return errorIn200([OPERATION_FAILED]);
          g.id = id;
          g.name.value = knownName;
        } else {
          if (name === null) return errorIn200([OPERATION_FAILED]);
          const wanted = name.trim();
          g.name.value = wanted;
          if (!wanted || [...wanted].length > GROUP_NAME_MAX) {
            g.id = null;
            g.name.errorKeys = [wanted ? `The group name must be ${GROUP_NAME_MAX} characters or fewer.` : 'Enter a group name.'];
            failed = true;
          } else {
            const existing = [...known].find(([, n]) => n === wanted)?.[0];
            g.id = existing ?? created.get(wanted) ?? randomUUID();
            if (!existing) created.set(wanted, g.id);
          }
        }
        if (!t.groups.some((x) => x.id !== null && x.id === g.id)) t.groups.push(g);
      }
      out.push(t);
    }
    if (!failed) {
      for (const [name, id] of created) this.state.testerGroups[id] = name;
      for (const t of out) {
        const listed = t.groups.map((g) => {
          const x = clone(LISTED_GROUP_TEMPLATE);
          x.id = g.id;
          x.name.value = g.name.value;
          return x;
        });
        const existing = this.state.testers.find((x) => x.emailAddress.value === t.emailAddress.value);
        if (existing) {
          // Already a tester: the groups named here are added to the ones they are in.
          for (const g of listed) if (!existing.groups.some((x) => x.id === g.id)) existing.groups.push(g);
          continue;
        }
        const stored = clone(this.state.testers[0] ?? t);
        Object.assign(stored, {
          emailAddress: field(t.emailAddress.value, false, false, { errorKeys: null, maxLength: 2147483647, minLength: 0 }),
          firstName: field(t.firstName.value, false, false, { errorKeys: null, maxLength: 2147483647, minLength: 0 }),
          lastName: field(t.lastName.value, false, false, { errorKeys: null, maxLength: 2147483647, minLength: 0 }),
          testerId: randomUUID(), devices: [], latestInstalledAppAdamId: null, latestInstalledVersion: null, latestInstalledShortVersion: null,
          latestInstalledDate: null, latestInstalledName: null, latestInstallByPlatform: null, hasAddedOrInvitedApp: null, warnOnDelete: true,
          itcUsername: null, groups: listed,
        });
        this.state.testers.push(stored);
      }
    }
    // As recorded (testers/create_tester.json): sectionErrorKeys is null here, and the answer has no testerId.
    return ok({ sectionErrorKeys: null, sectionInfoKeys: [], sectionWarningKeys: [], testers: out });
  }

  // ---------------------------------------------------------------- review

  submitStart(app: AppState, v: VersionData | undefined): SandboxResponse {
    if (!v || !EDITABLE_STATES.has(v.status)) return errorIn200(['This version cannot be submitted for review in its current state.']);
    const cand = clone(v);
    const check = checkVersion(this.state, app, cand, true);
    if (check.messages.length) return ok(cand, { info: ['Validation errors.'] });
    const data = clone(startSubmissionFx as unknown as Envelope<Obj>);
    app.submissions.set(v.versionId, data.data);
    return reply(200, data);
  }

  submitComplete(app: AppState, v: VersionData | undefined, body: unknown): SandboxResponse {
    if (!v || !EDITABLE_STATES.has(v.status) || !app.submissions.has(v.versionId)) return errorIn200([OPERATION_FAILED]);
    if (!isObj(body) || !isObj(body.exportCompliance)) return errorIn200([OPERATION_FAILED]);
    app.submissions.delete(v.versionId);
    applyState(v, 'waitingForReview', !!liveVersion(app));
    app.lastModifiedDate = this.ctx.now();
    return reply(200, clone(completeSubmissionFx));
  }

  reject(app: AppState, v: VersionData): SandboxResponse {
    if (!REJECTABLE_STATES.has(v.status)) return errorIn200([OPERATION_FAILED]);
    applyState(v, 'developerRejected', !!liveVersion(app));
    app.lastModifiedDate = this.ctx.now();
    return ok(clone(v), { info: ['Successful POST'] });
  }

  resolutionCenter(app: AppState): SandboxResponse {
    return ok(clone(app.resolution));
  }

  userDetail(appleId: string): SandboxResponse {
    const data = clone(userDetailFx as unknown as Envelope<Obj>);
    data.data.userName = appleId;
    return reply(200, data);
  }
}

