// The route table: one entry per emulated operation (`METHOD /path/template`, as named in Apple's OpenAPI file).
// Reads use the generic JSON:API handlers; writes go through a per-resource rule that checks what App Store Connect
// checks (state machines, length limits, duplicates) before changing the store.
import type { SandboxRequest, SandboxResponse } from '../types';
import type { OpSpec } from './spec.generated';
import { entityError, fail, notFound, stateError, ApiError, type ApiErrorItem } from './errors';
import {
  applyFilters, applySort, collectionDocument, isHttpUrl, linkageDocument, parseLinkageBody, parseResourceBody, singleDocument,
  type DocContext, type Identifier, type ParsedBody, type Query,
} from './jsonapi';
import { TYPES, type Attrs, type Res, type Store } from './store';
import { appleDate, appVersionStateOf } from './seed';
import { perfPowerMetrics, salesReport } from './reports';
import { DEMO_VENDOR_NUMBER } from './keys';

export interface Call {
  req: SandboxRequest;
  /** `{id}` from the path, if the template has one. */
  id: string;
  op: OpSpec;
  q: Query;
  /** Parsed JSON body (validated per operation by the handler). */
  body: unknown;
  store: Store;
  doc: DocContext;
  individual: boolean;
  /** Wall-clock time in ms (dates written into resources). */
  now: number;
}
export type Handler = (c: Call) => SandboxResponse;

const ok = (body: object, status = 200): SandboxResponse => ({ status, body });
const noContent = (): SandboxResponse => ({ status: 204 });

function mustGet(store: Store, type: string, id: string): Res {
  const r = store.get(type, id);
  if (!r) throw notFound(type, id);
  return r;
}

// -----------------------------------------------------------------------------------------------------------------
// Generic handlers

/** Default order of collections (Apple's is undocumented; newest first where resources carry a date). */
const DEFAULT_SORT: Record<string, string[]> = {
  builds: ['-uploadedDate'],
  appStoreVersions: ['-createdDate'],
  customerReviews: ['-createdDate'],
  betaFeedbackScreenshotSubmissions: ['-createdDate'],
  betaFeedbackCrashSubmissions: ['-createdDate'],
};

function listResponse(c: Call, type: string, items: Res[]): SandboxResponse {
  const sorted = applySort(c.store, applySort(c.store, items, DEFAULT_SORT[type] ?? []), c.q.sort);
  return ok(collectionDocument(c.doc, applyFilters(c.store, sorted, c.q)));
}

const list = (type: string): Handler => (c) => listResponse(c, type, c.store.all(type));
const getOne = (type: string): Handler => (c) => ok(singleDocument(c.doc, mustGet(c.store, type, c.id)));

/** `GET /v1/<parentType>/{id}/<rel>`: a collection for to-many, a single (possibly null) resource for to-one. */
const related = (parentType: string, rel: string): Handler => (c) => {
  const parent = mustGet(c.store, parentType, c.id);
  const def = TYPES[parentType]![rel]!;
  if (def.many) return listResponse(c, def.type, c.store.related(parent, rel));
  return ok(singleDocument(c.doc, c.store.relatedOne(parent, rel) ?? null));
};

/** `GET /v1/<parentType>/{id}/relationships/<rel>`. */
const linkage = (parentType: string, rel: string): Handler => (c) => {
  const parent = mustGet(c.store, parentType, c.id);
  const targets = c.store.related(parent, rel);
  const related = `${c.doc.base}/v1/${parentType}/${c.id}/${rel}`;
  return ok(linkageDocument(c.doc, TYPES[parentType]![rel]!.many ? targets : targets[0] ?? null, related));
};

/** The validated body; attribute errors are thrown unless `lenient`, where the caller reports them with its own. */
function resourceBody(c: Call, lenient = false): ParsedBody {
  const b = parseResourceBody(c.op.b!, c.body, c.store, c.op.b!.id ? c.id : undefined);
  if (!lenient) throwIf(b.errors);
  return b;
}
const linkBody = (c: Call) => parseLinkageBody(c.op.b!.link!, c.body, c.store);
const linkIds = (c: Call): string[] => (linkBody(c) as Identifier[]).map((i) => i.id);
const relId = (b: ParsedBody, name: string): string | null => { const r = b.rels[name]; return r && !Array.isArray(r) ? r.id : null; };
const relIds = (b: ParsedBody, name: string): string[] => { const r = b.rels[name]; return Array.isArray(r) ? r.map((x) => x.id) : []; };

function created(c: Call, res: Res): SandboxResponse {
  return ok(singleDocument(c.doc, res, `${c.doc.base}/v1/${res.type}`), 201);
}
function updated(c: Call, res: Res): SandboxResponse {
  return ok(singleDocument(c.doc, res, `${c.doc.base}/v1/${res.type}/${res.id}`));
}

const throwIf = (errors: ApiErrorItem[]): void => { if (errors.length) throw new ApiError(409, errors); };

// -----------------------------------------------------------------------------------------------------------------
// Rules shared by several resources

const EDITABLE_VERSION = ['PREPARE_FOR_SUBMISSION', 'DEVELOPER_REJECTED', 'REJECTED', 'METADATA_REJECTED', 'INVALID_BINARY'];
const isEditable = (v: Res) => EDITABLE_VERSION.includes(String(v.attributes.appStoreState));
const appInfoEditable = (info: Res) => info.attributes.state !== 'READY_FOR_DISTRIBUTION';

function setVersionState(v: Res, appStoreState: string): void {
  v.attributes.appStoreState = appStoreState;
  v.attributes.appVersionState = appVersionStateOf(appStoreState);
}

const chars = (s: string) => [...s].length;

/** Length limits App Store Connect enforces on metadata (characters, except keywords: bytes). */
const LIMITS: Record<string, { max: number; bytes?: boolean; min?: number }> = {
  description: { max: 4000 }, whatsNew: { max: 4000 }, promotionalText: { max: 170 }, keywords: { max: 100, bytes: true },
  name: { max: 30, min: 2 }, subtitle: { max: 30 }, privacyPolicyText: { max: 4000 },
};

function checkLengths(attrs: Attrs, errors: ApiErrorItem[]): void {
  for (const [k, v] of Object.entries(attrs)) {
    const lim = LIMITS[k];
    if (!lim || typeof v !== 'string') continue;
    const n = lim.bytes ? Buffer.byteLength(v, 'utf8') : chars(v);
    const unit = lim.bytes ? 'bytes' : 'characters';
    if (n > lim.max) errors.push(entityError('ENTITY_ERROR.ATTRIBUTE.INVALID', `/data/attributes/${k}`, `The value for '${k}' is too long: ${n} ${unit}, the maximum is ${lim.max} ${unit}.`));
    else if (lim.min && n < lim.min) errors.push(entityError('ENTITY_ERROR.ATTRIBUTE.INVALID', `/data/attributes/${k}`, `The value for '${k}' is too short: it needs at least ${lim.min} ${unit}.`));
  }
}

function checkUrls(attrs: Attrs, names: string[], errors: ApiErrorItem[]): void {
  for (const k of names) {
    const v = attrs[k];
    if (typeof v === 'string' && v !== '' && !isHttpUrl(v)) errors.push(entityError('ENTITY_ERROR.ATTRIBUTE.INVALID', `/data/attributes/${k}`, `'${v}' is not a valid URL for '${k}'.`));
  }
}

const LOCALE = /^[a-z]{2,3}(-[A-Za-z]{2,4})?(-[A-Z]{2})?$/;

// -----------------------------------------------------------------------------------------------------------------
// App Store versions and localizations

function createVersion(c: Call): SandboxResponse {
  const b = resourceBody(c);
  const app = mustGet(c.store, 'apps', relId(b, 'app')!);
  const platform = String(b.attrs.platform);
  const versionString = String(b.attrs.versionString);
  const errors: ApiErrorItem[] = [];
  if (!/^\d+(\.\d+){0,2}$/.test(versionString)) errors.push(entityError('ENTITY_ERROR.ATTRIBUTE.INVALID', '/data/attributes/versionString', `'${versionString}' is not a valid version number. Use up to three period-separated integers, like 1.2.3.`));
  const siblings = c.store.related(app, 'appStoreVersions').filter((v) => v.attributes.platform === platform);
  if (siblings.some((v) => v.attributes.versionString === versionString)) {
    errors.push(entityError('ENTITY_ERROR.ATTRIBUTE.INVALID.DUPLICATE', '/data/attributes/versionString', `The version number '${versionString}' has already been used.`));
  } else if (siblings.some((v) => isEditable(v) || ['WAITING_FOR_REVIEW', 'IN_REVIEW', 'PENDING_DEVELOPER_RELEASE', 'PENDING_APPLE_RELEASE', 'PROCESSING_FOR_APP_STORE'].includes(String(v.attributes.appStoreState)))) {
    errors.push(entityError('ENTITY_ERROR.RELATIONSHIP.INVALID', '/data/relationships/app', 'You cannot create a new version of the App in the current state.'));
  }
  throwIf(errors);
  const buildId = relId(b, 'build');
  if (buildId) checkBuildForVersion(c.store, app, platform, buildId);
  const previous = siblings[0];
  const id = c.store.newId('appStoreVersions');
  const v = c.store.add('appStoreVersions', id, {
    platform, versionString, appStoreState: 'PREPARE_FOR_SUBMISSION', appVersionState: 'PREPARE_FOR_SUBMISSION',
    copyright: b.attrs.copyright ?? previous?.attributes.copyright ?? null, reviewType: b.attrs.reviewType ?? 'APP_STORE',
    releaseType: b.attrs.releaseType ?? 'AFTER_APPROVAL', earliestReleaseDate: b.attrs.earliestReleaseDate ?? null,
    usesIdfa: b.attrs.usesIdfa ?? null, downloadable: true, createdDate: appleDate(c.now),
  }, { app: app.id, build: buildId });
  // Like App Store Connect, a new version starts from the previous version's metadata, with "What's New" cleared.
  const prevLocs = previous ? c.store.related(previous, 'appStoreVersionLocalizations') : [];
  const locs = prevLocs.length ? prevLocs.map((l) => ({ ...l.attributes, whatsNew: null }))
    : [{ locale: app.attributes.primaryLocale, description: null, keywords: null, marketingUrl: null, promotionalText: null, supportUrl: null, whatsNew: null }];
  for (const l of locs) c.store.add('appStoreVersionLocalizations', c.store.newId('appStoreVersionLocalizations'), l, { appStoreVersion: id });
  ensureEditableAppInfo(c.store, app);
  return created(c, v);
}

/** A new version comes with an editable copy of the live app info (name, subtitle, privacy URLs per locale). */
function ensureEditableAppInfo(store: Store, app: Res): void {
  const infos = store.related(app, 'appInfos');
  if (infos.some(appInfoEditable)) return;
  const live = infos[0];
  const id = store.newId('appInfos');
  store.add('appInfos', id, { ...(live?.attributes ?? { appStoreAgeRating: 'FOUR_PLUS', kidsAgeBand: null }), state: 'PREPARE_FOR_SUBMISSION', appStoreState: 'PREPARE_FOR_SUBMISSION' }, { ...(live?.rels ?? {}), app: app.id });
  for (const l of live ? store.related(live, 'appInfoLocalizations') : []) store.add('appInfoLocalizations', store.newId('appInfoLocalizations'), { ...l.attributes }, { appInfo: id });
}

function checkBuildForVersion(store: Store, app: Res, platform: string, buildId: string): Res {
  const build = mustGet(store, 'builds', buildId);
  const pointer = '/data/relationships/build';
  const train = store.relatedOne(build, 'preReleaseVersion');
  if (build.rels.app !== app.id) throw new ApiError(409, [entityError('ENTITY_ERROR.RELATIONSHIP.INVALID', pointer, `The build '${buildId}' does not belong to this app.`)]);
  if (train && train.attributes.platform !== platform) throw new ApiError(409, [entityError('ENTITY_ERROR.RELATIONSHIP.INVALID', pointer, `The build '${buildId}' is for ${String(train.attributes.platform)}, not ${platform}.`)]);
  if (build.attributes.processingState !== 'VALID') throw new ApiError(409, [entityError('ENTITY_ERROR.RELATIONSHIP.INVALID', pointer, `The build '${buildId}' is ${String(build.attributes.processingState)} and can not be attached to a version.`)]);
  if (build.attributes.expired) throw new ApiError(409, [entityError('ENTITY_ERROR.RELATIONSHIP.INVALID', pointer, `The build '${buildId}' has expired.`)]);
  return build;
}

function updateVersion(c: Call): SandboxResponse {
  const v = mustGet(c.store, 'appStoreVersions', c.id);
  const b = resourceBody(c);
  if (!isEditable(v) && Object.keys(b.attrs).length) {
    throw new ApiError(409, Object.keys(b.attrs).map((k) => entityError('ENTITY_ERROR.ATTRIBUTE.INVALID.INVALID_STATE', `/data/attributes/${k}`, `The attribute '${k}' can not be edited while the version is ${String(v.attributes.appStoreState)}.`)));
  }
  const errors: ApiErrorItem[] = [];
  if (typeof b.attrs.versionString === 'string') {
    if (!/^\d+(\.\d+){0,2}$/.test(b.attrs.versionString)) errors.push(entityError('ENTITY_ERROR.ATTRIBUTE.INVALID', '/data/attributes/versionString', `'${b.attrs.versionString}' is not a valid version number.`));
    const app = mustGet(c.store, 'apps', String(v.rels.app));
    if (c.store.related(app, 'appStoreVersions').some((o) => o.id !== v.id && o.attributes.platform === v.attributes.platform && o.attributes.versionString === b.attrs.versionString)) {
      errors.push(entityError('ENTITY_ERROR.ATTRIBUTE.INVALID.DUPLICATE', '/data/attributes/versionString', `The version number '${b.attrs.versionString}' has already been used.`));
    }
  }
  const releaseType = b.attrs.releaseType ?? v.attributes.releaseType;
  const earliest = 'earliestReleaseDate' in b.attrs ? b.attrs.earliestReleaseDate : v.attributes.earliestReleaseDate;
  if (releaseType === 'SCHEDULED' && !earliest) errors.push(entityError('ENTITY_ERROR.ATTRIBUTE.REQUIRED', '/data/attributes/earliestReleaseDate', 'A scheduled release needs an earliestReleaseDate.'));
  throwIf(errors);
  if ('build' in b.rels) {
    const id = relId(b, 'build');
    if (id) checkBuildForVersion(c.store, mustGet(c.store, 'apps', String(v.rels.app)), String(v.attributes.platform), id);
    v.rels.build = id;
    c.store.touch();
  }
  Object.assign(v.attributes, b.attrs);
  return updated(c, v);
}

function deleteVersion(c: Call): SandboxResponse {
  const v = mustGet(c.store, 'appStoreVersions', c.id);
  if (v.attributes.appStoreState !== 'PREPARE_FOR_SUBMISSION') throw stateError(`A version can only be deleted while it is PREPARE_FOR_SUBMISSION; this one is ${String(v.attributes.appStoreState)}.`);
  for (const l of c.store.related(v, 'appStoreVersionLocalizations')) c.store.remove(l.type, l.id);
  c.store.remove(v.type, v.id);
  return noContent();
}

function attachBuild(c: Call): SandboxResponse {
  const v = mustGet(c.store, 'appStoreVersions', c.id);
  const link = linkBody(c) as Identifier | null;
  if (!isEditable(v)) throw stateError(`The build can not be changed while the version is ${String(v.attributes.appStoreState)}.`);
  if (link) checkBuildForVersion(c.store, mustGet(c.store, 'apps', String(v.rels.app)), String(v.attributes.platform), link.id);
  v.rels.build = link ? link.id : null;
  c.store.touch();
  return noContent();
}

/** Fields App Store Connect lets you change on a live version: everything else waits for the next version. */
const ALWAYS_EDITABLE = new Set(['promotionalText']);

function checkVersionLocalization(version: Res, attrs: Attrs, errors: ApiErrorItem[]): void {
  if (!isEditable(version)) {
    for (const k of Object.keys(attrs)) {
      if (k !== 'locale' && !ALWAYS_EDITABLE.has(k)) errors.push(entityError('ENTITY_ERROR.ATTRIBUTE.INVALID.INVALID_STATE', `/data/attributes/${k}`, `The attribute '${k}' can not be edited at this time: the version is ${String(version.attributes.appStoreState)}.`));
    }
  }
  checkLengths(attrs, errors);
  throwIf(errors);
}

function createVersionLocalization(c: Call): SandboxResponse {
  const b = resourceBody(c, true);
  const v = mustGet(c.store, 'appStoreVersions', relId(b, 'appStoreVersion')!);
  throwIf(b.errors.filter((e) => e.code === 'ENTITY_ERROR.ATTRIBUTE.REQUIRED'));
  const locale = String(b.attrs.locale);
  if (!LOCALE.test(locale)) throw new ApiError(409, [entityError('ENTITY_ERROR.ATTRIBUTE.INVALID', '/data/attributes/locale', `'${locale}' is not a valid locale.`)]);
  if (!isEditable(v)) throw stateError(`Localizations can not be added while the version is ${String(v.attributes.appStoreState)}.`);
  if (c.store.related(v, 'appStoreVersionLocalizations').some((l) => l.attributes.locale === locale)) {
    throw new ApiError(409, [entityError('ENTITY_ERROR.ATTRIBUTE.INVALID.DUPLICATE', '/data/attributes/locale', `A localization for '${locale}' already exists.`)]);
  }
  checkVersionLocalization(v, b.attrs, b.errors);
  const res = c.store.add('appStoreVersionLocalizations', c.store.newId('appStoreVersionLocalizations'), {
    description: null, locale, keywords: null, marketingUrl: null, promotionalText: null, supportUrl: null, whatsNew: null, ...b.attrs,
  }, { appStoreVersion: v.id });
  return created(c, res);
}

function updateVersionLocalization(c: Call): SandboxResponse {
  const loc = mustGet(c.store, 'appStoreVersionLocalizations', c.id);
  const b = resourceBody(c, true);
  checkVersionLocalization(mustGet(c.store, 'appStoreVersions', String(loc.rels.appStoreVersion)), b.attrs, b.errors);
  Object.assign(loc.attributes, b.attrs);
  return updated(c, loc);
}

function deleteVersionLocalization(c: Call): SandboxResponse {
  const loc = mustGet(c.store, 'appStoreVersionLocalizations', c.id);
  const v = mustGet(c.store, 'appStoreVersions', String(loc.rels.appStoreVersion));
  const app = mustGet(c.store, 'apps', String(v.rels.app));
  if (!isEditable(v)) throw stateError(`Localizations can not be removed while the version is ${String(v.attributes.appStoreState)}.`);
  if (loc.attributes.locale === app.attributes.primaryLocale) throw stateError('The localization of the primary language can not be deleted.');
  c.store.remove(loc.type, loc.id);
  return noContent();
}

// -----------------------------------------------------------------------------------------------------------------
// App infos

function updateAppInfo(c: Call): SandboxResponse {
  const info = mustGet(c.store, 'appInfos', c.id);
  const b = resourceBody(c);
  if (!appInfoEditable(info) && Object.keys(b.rels).length) throw stateError('The app information of the live version can not be edited; edit the app info of the version in preparation.');
  for (const [k, v] of Object.entries(b.rels)) info.rels[k] = v && !Array.isArray(v) ? v.id : null;
  c.store.touch();
  return updated(c, info);
}

function checkAppInfoLocalization(info: Res, attrs: Attrs, errors: ApiErrorItem[]): void {
  if (!appInfoEditable(info)) {
    for (const k of Object.keys(attrs)) if (k !== 'locale') errors.push(entityError('ENTITY_ERROR.ATTRIBUTE.INVALID.INVALID_STATE', `/data/attributes/${k}`, `The attribute '${k}' can not be edited at this time.`));
  }
  checkLengths(attrs, errors);
  checkUrls(attrs, ['privacyPolicyUrl', 'privacyChoicesUrl'], errors);
  throwIf(errors);
}

function createAppInfoLocalization(c: Call): SandboxResponse {
  const b = resourceBody(c, true);
  const info = mustGet(c.store, 'appInfos', relId(b, 'appInfo')!);
  throwIf(b.errors.filter((e) => e.code === 'ENTITY_ERROR.ATTRIBUTE.REQUIRED'));
  const locale = String(b.attrs.locale);
  if (!LOCALE.test(locale)) throw new ApiError(409, [entityError('ENTITY_ERROR.ATTRIBUTE.INVALID', '/data/attributes/locale', `'${locale}' is not a valid locale.`)]);
  if (c.store.related(info, 'appInfoLocalizations').some((l) => l.attributes.locale === locale)) {
    throw new ApiError(409, [entityError('ENTITY_ERROR.ATTRIBUTE.INVALID.DUPLICATE', '/data/attributes/locale', `A localization for '${locale}' already exists.`)]);
  }
  checkAppInfoLocalization(info, b.attrs, b.errors);
  const res = c.store.add('appInfoLocalizations', c.store.newId('appInfoLocalizations'), {
    locale, name: null, subtitle: null, privacyPolicyUrl: null, privacyChoicesUrl: null, privacyPolicyText: null, ...b.attrs,
  }, { appInfo: info.id });
  return created(c, res);
}

function updateAppInfoLocalization(c: Call): SandboxResponse {
  const loc = mustGet(c.store, 'appInfoLocalizations', c.id);
  const b = resourceBody(c, true);
  checkAppInfoLocalization(mustGet(c.store, 'appInfos', String(loc.rels.appInfo)), b.attrs, b.errors);
  Object.assign(loc.attributes, b.attrs);
  return updated(c, loc);
}

function deleteAppInfoLocalization(c: Call): SandboxResponse {
  const loc = mustGet(c.store, 'appInfoLocalizations', c.id);
  const info = mustGet(c.store, 'appInfos', String(loc.rels.appInfo));
  const app = mustGet(c.store, 'apps', String(info.rels.app));
  if (!appInfoEditable(info)) throw stateError('The app information of the live version can not be edited.');
  if (loc.attributes.locale === app.attributes.primaryLocale) throw stateError('The localization of the primary language can not be deleted.');
  c.store.remove(loc.type, loc.id);
  return noContent();
}

// -----------------------------------------------------------------------------------------------------------------
// Builds

function updateBuild(c: Call): SandboxResponse {
  const build = mustGet(c.store, 'builds', c.id);
  const b = resourceBody(c);
  const detail = c.store.relatedOne(build, 'buildBetaDetail');
  const errors: ApiErrorItem[] = [];
  if ('expired' in b.attrs) {
    if (b.attrs.expired === false && build.attributes.expired) errors.push(entityError('ENTITY_ERROR.ATTRIBUTE.INVALID', '/data/attributes/expired', 'An expired build can not be made available again.'));
  }
  if ('usesNonExemptEncryption' in b.attrs) {
    if (build.attributes.processingState === 'PROCESSING') errors.push(entityError('ENTITY_ERROR.ATTRIBUTE.INVALID.INVALID_STATE', '/data/attributes/usesNonExemptEncryption', 'Export compliance can be set once the build has finished processing.'));
    else if (build.attributes.usesNonExemptEncryption !== null && build.attributes.usesNonExemptEncryption !== b.attrs.usesNonExemptEncryption) errors.push(entityError('ENTITY_ERROR.ATTRIBUTE.INVALID', '/data/attributes/usesNonExemptEncryption', 'Export compliance information has already been provided for this build.'));
  }
  if ('appEncryptionDeclaration' in b.rels) errors.push(entityError('ENTITY_ERROR.RELATIONSHIP.INVALID', '/data/relationships/appEncryptionDeclaration', 'App encryption declarations are not emulated by the AppDesk sandbox.'));
  throwIf(errors);
  if (b.attrs.expired === true && !build.attributes.expired) {
    build.attributes.expired = true;
    if (detail) detail.attributes.internalBuildState = detail.attributes.externalBuildState = 'EXPIRED';
  }
  if (typeof b.attrs.usesNonExemptEncryption === 'boolean') {
    build.attributes.usesNonExemptEncryption = b.attrs.usesNonExemptEncryption;
    if (detail?.attributes.internalBuildState === 'MISSING_EXPORT_COMPLIANCE') {
      detail.attributes.internalBuildState = 'IN_BETA_TESTING';
      detail.attributes.externalBuildState = 'READY_FOR_BETA_SUBMISSION';
    }
  }
  return updated(c, build);
}

// -----------------------------------------------------------------------------------------------------------------
// TestFlight: beta groups and testers

function addTesterToGroup(store: Store, tester: Res, group: Res): void {
  const groups = tester.rels.betaGroups as string[];
  const apps = tester.rels.apps as string[];
  if (!groups.includes(group.id)) groups.push(group.id);
  const appId = String(group.rels.app);
  if (!apps.includes(appId)) apps.push(appId);
  store.touch();
}

function removeTesterFromApps(store: Store, tester: Res, appIds: string[]): void {
  tester.rels.apps = (tester.rels.apps as string[]).filter((a) => !appIds.includes(a));
  tester.rels.betaGroups = (tester.rels.betaGroups as string[]).filter((g) => !appIds.includes(String(store.get('betaGroups', g)?.rels.app)));
  tester.rels.builds = (tester.rels.builds as string[]).filter((b) => !appIds.includes(String(store.get('builds', b)?.rels.app)));
  store.touch();
}

function createBetaGroup(c: Call): SandboxResponse {
  const b = resourceBody(c);
  const app = mustGet(c.store, 'apps', relId(b, 'app')!);
  const name = String(b.attrs.name).trim();
  const errors: ApiErrorItem[] = [];
  if (!name) errors.push(entityError('ENTITY_ERROR.ATTRIBUTE.INVALID', '/data/attributes/name', 'The group name can not be empty.'));
  if (c.store.related(app, 'betaGroups').some((g) => String(g.attributes.name).toLowerCase() === name.toLowerCase())) {
    errors.push(entityError('ENTITY_ERROR.ATTRIBUTE.INVALID.DUPLICATE', '/data/attributes/name', `A group named '${name}' already exists for this app.`));
  }
  const internal = b.attrs.isInternalGroup === true;
  if (internal && b.attrs.publicLinkEnabled) errors.push(entityError('ENTITY_ERROR.ATTRIBUTE.INVALID', '/data/attributes/publicLinkEnabled', 'Internal groups can not have a public link.'));
  for (const id of relIds(b, 'builds')) if (c.store.get('builds', id)?.rels.app !== app.id) errors.push(entityError('ENTITY_ERROR.RELATIONSHIP.INVALID', '/data/relationships/builds', `The build '${id}' does not belong to this app.`));
  throwIf(errors);
  const id = c.store.newId('betaGroups');
  const linkId = id.replace(/-/g, '').slice(0, 8);
  const group = c.store.add('betaGroups', id, {
    name, createdDate: appleDate(c.now), isInternalGroup: internal, hasAccessToAllBuilds: internal ? (b.attrs.hasAccessToAllBuilds ?? true) : null,
    publicLinkEnabled: !!b.attrs.publicLinkEnabled, publicLinkId: b.attrs.publicLinkEnabled ? linkId : null,
    publicLinkLimitEnabled: !!b.attrs.publicLinkLimitEnabled, publicLinkLimit: b.attrs.publicLinkLimit ?? null,
    publicLink: b.attrs.publicLinkEnabled ? `https://testflight.apple.com/join/${linkId}` : null, feedbackEnabled: b.attrs.feedbackEnabled ?? true,
    iosBuildsAvailableForAppleSiliconMac: false, iosBuildsAvailableForAppleVision: false,
  }, { app: app.id, builds: relIds(b, 'builds') });
  for (const t of relIds(b, 'betaTesters')) addTesterToGroup(c.store, mustGet(c.store, 'betaTesters', t), group);
  return created(c, group);
}

function updateBetaGroup(c: Call): SandboxResponse {
  const group = mustGet(c.store, 'betaGroups', c.id);
  const b = resourceBody(c);
  if (group.attributes.isInternalGroup && b.attrs.publicLinkEnabled) throw new ApiError(409, [entityError('ENTITY_ERROR.ATTRIBUTE.INVALID', '/data/attributes/publicLinkEnabled', 'Internal groups can not have a public link.')]);
  if (typeof b.attrs.name === 'string') {
    const app = mustGet(c.store, 'apps', String(group.rels.app));
    const name = b.attrs.name;
    if (c.store.related(app, 'betaGroups').some((g) => g.id !== group.id && String(g.attributes.name).toLowerCase() === name.toLowerCase())) {
      throw new ApiError(409, [entityError('ENTITY_ERROR.ATTRIBUTE.INVALID.DUPLICATE', '/data/attributes/name', `A group named '${name}' already exists for this app.`)]);
    }
  }
  Object.assign(group.attributes, b.attrs);
  if (b.attrs.publicLinkEnabled === true && !group.attributes.publicLinkId) {
    const linkId = group.id.replace(/-/g, '').slice(0, 8);
    Object.assign(group.attributes, { publicLinkId: linkId, publicLink: `https://testflight.apple.com/join/${linkId}` });
  }
  return updated(c, group);
}

function deleteBetaGroup(c: Call): SandboxResponse {
  const group = mustGet(c.store, 'betaGroups', c.id);
  for (const t of c.store.related(group, 'betaTesters')) t.rels.betaGroups = (t.rels.betaGroups as string[]).filter((g) => g !== group.id);
  c.store.remove(group.type, group.id);
  return noContent();
}

function groupTesters(add: boolean): Handler {
  return (c) => {
    const group = mustGet(c.store, 'betaGroups', c.id);
    for (const id of linkIds(c)) {
      const tester = mustGet(c.store, 'betaTesters', id);
      if (add) addTesterToGroup(c.store, tester, group);
      else tester.rels.betaGroups = (tester.rels.betaGroups as string[]).filter((g) => g !== group.id);
    }
    c.store.touch();
    return noContent();
  };
}

function groupBuilds(add: boolean): Handler {
  return (c) => {
    const group = mustGet(c.store, 'betaGroups', c.id);
    const ids = linkIds(c);
    const errors: ApiErrorItem[] = [];
    ids.forEach((id, i) => {
      const build = mustGet(c.store, 'builds', id);
      if (add && build.rels.app !== group.rels.app) errors.push(entityError('ENTITY_ERROR.RELATIONSHIP.INVALID', `/data/${i}/id`, `The build '${id}' does not belong to the group's app.`));
      else if (add && build.attributes.processingState !== 'VALID') errors.push(entityError('ENTITY_ERROR.RELATIONSHIP.INVALID', `/data/${i}/id`, `The build '${id}' is ${String(build.attributes.processingState)}.`));
    });
    throwIf(errors);
    const current = group.rels.builds as string[];
    group.rels.builds = add ? [...new Set([...current, ...ids])] : current.filter((b) => !ids.includes(b));
    c.store.touch();
    return noContent();
  };
}

function createBetaTester(c: Call): SandboxResponse {
  const b = resourceBody(c);
  const groupIds = relIds(b, 'betaGroups');
  const buildIds = relIds(b, 'builds');
  if (!groupIds.length && !buildIds.length) {
    throw new ApiError(409, [entityError('ENTITY_ERROR.RELATIONSHIP.REQUIRED', '/data/relationships/betaGroups', 'A tester must be added to at least one beta group or build.')]);
  }
  const email = String(b.attrs.email).trim();
  const groups = groupIds.map((id) => mustGet(c.store, 'betaGroups', id));
  const errors: ApiErrorItem[] = [];
  for (const g of groups) {
    if (g.attributes.isInternalGroup) errors.push(entityError('ENTITY_ERROR.RELATIONSHIP.INVALID', '/data/relationships/betaGroups', `'${String(g.attributes.name)}' is an internal group: only App Store Connect users can be added to it.`));
  }
  const existing = c.store.all('betaTesters').find((t) => String(t.attributes.email).toLowerCase() === email.toLowerCase());
  if (existing) {
    const inAll = groups.every((g) => (existing.rels.betaGroups as string[]).includes(g.id)) && buildIds.every((id) => (existing.rels.builds as string[]).includes(id));
    if (inAll) errors.push(entityError('ENTITY_ERROR.ATTRIBUTE.INVALID.DUPLICATE', '/data/attributes/email', `A tester with the email '${email}' already exists in ${groups.length ? 'this group' : 'this build'}.`));
  }
  throwIf(errors);
  const tester = existing ?? c.store.add('betaTesters', c.store.newId('betaTesters'), {
    firstName: b.attrs.firstName ?? null, lastName: b.attrs.lastName ?? null, email, inviteType: 'EMAIL', state: 'INVITED', appDevices: [],
  }, { apps: [], betaGroups: [], builds: [] });
  for (const g of groups) addTesterToGroup(c.store, tester, g);
  for (const id of buildIds) {
    const build = mustGet(c.store, 'builds', id);
    if (!(tester.rels.builds as string[]).includes(id)) (tester.rels.builds as string[]).push(id);
    if (!(tester.rels.apps as string[]).includes(String(build.rels.app))) (tester.rels.apps as string[]).push(String(build.rels.app));
  }
  c.store.touch();
  return created(c, tester);
}

function testerGroups(add: boolean): Handler {
  return (c) => {
    const tester = mustGet(c.store, 'betaTesters', c.id);
    for (const id of linkIds(c)) {
      const group = mustGet(c.store, 'betaGroups', id);
      if (add) addTesterToGroup(c.store, tester, group);
      else tester.rels.betaGroups = (tester.rels.betaGroups as string[]).filter((g) => g !== id);
    }
    c.store.touch();
    return noContent();
  };
}

// -----------------------------------------------------------------------------------------------------------------
// Customer reviews

const MAX_RESPONSE = 5970;

function createReviewResponse(c: Call): SandboxResponse {
  const b = resourceBody(c);
  const review = mustGet(c.store, 'customerReviews', relId(b, 'review')!);
  const text = String(b.attrs.responseBody);
  const errors: ApiErrorItem[] = [];
  if (!text.trim()) errors.push(entityError('ENTITY_ERROR.ATTRIBUTE.INVALID', '/data/attributes/responseBody', 'The response can not be empty.'));
  if (chars(text) > MAX_RESPONSE) errors.push(entityError('ENTITY_ERROR.ATTRIBUTE.INVALID', '/data/attributes/responseBody', `The value for 'responseBody' is too long: ${chars(text)} characters, the maximum is ${MAX_RESPONSE} characters.`));
  throwIf(errors);
  // Posting again replaces the existing response, as in App Store Connect.
  for (const old of c.store.related(review, 'response')) c.store.remove(old.type, old.id);
  const res = c.store.add('customerReviewResponses', c.store.newId('customerReviewResponses'), {
    responseBody: text, lastModifiedDate: new Date(c.now).toISOString(), state: 'PENDING_PUBLISH',
  }, { review: review.id });
  return created(c, res);
}

// -----------------------------------------------------------------------------------------------------------------
// Review submissions

const OPEN_SUBMISSION = ['READY_FOR_REVIEW', 'WAITING_FOR_REVIEW', 'IN_REVIEW', 'UNRESOLVED_ISSUES'];

function createReviewSubmission(c: Call): SandboxResponse {
  const b = resourceBody(c);
  const app = mustGet(c.store, 'apps', relId(b, 'app')!);
  const platform = String(b.attrs.platform ?? 'IOS');
  const open = c.store.related(app, 'reviewSubmissions').find((s) => s.attributes.platform === platform && OPEN_SUBMISSION.includes(String(s.attributes.state)));
  if (open) throw stateError(`The app already has a review submission for ${platform} in state ${String(open.attributes.state)} (id ${open.id}); add items to it or cancel it first.`);
  const res = c.store.add('reviewSubmissions', c.store.newId('reviewSubmissions'), { platform, submittedDate: null, state: 'READY_FOR_REVIEW' }, { app: app.id, appStoreVersionForReview: null });
  return created(c, res);
}

function createReviewSubmissionItem(c: Call): SandboxResponse {
  const b = resourceBody(c);
  const other = Object.keys(b.rels).filter((k) => k !== 'reviewSubmission' && k !== 'appStoreVersion');
  if (other.length) throw new ApiError(409, other.map((k) => entityError('ENTITY_ERROR.RELATIONSHIP.INVALID', `/data/relationships/${k}`, `Review items of kind '${k}' are not emulated by the AppDesk sandbox; only appStoreVersion items are.`)));
  const versionId = relId(b, 'appStoreVersion');
  if (!versionId) throw new ApiError(409, [entityError('ENTITY_ERROR.RELATIONSHIP.REQUIRED', '/data/relationships/appStoreVersion', 'A review submission item needs the resource to review, such as an appStoreVersion.')]);
  const sub = mustGet(c.store, 'reviewSubmissions', relId(b, 'reviewSubmission')!);
  const v = mustGet(c.store, 'appStoreVersions', versionId);
  if (!['READY_FOR_REVIEW', 'UNRESOLVED_ISSUES'].includes(String(sub.attributes.state))) throw stateError(`Items can not be added to a submission in state ${String(sub.attributes.state)}.`);
  const errors: ApiErrorItem[] = [];
  if (v.rels.app !== sub.rels.app) errors.push(entityError('ENTITY_ERROR.RELATIONSHIP.INVALID', '/data/relationships/appStoreVersion', 'The version belongs to another app than the submission.'));
  else if (v.attributes.platform !== sub.attributes.platform) errors.push(entityError('ENTITY_ERROR.RELATIONSHIP.INVALID', '/data/relationships/appStoreVersion', `The version is for ${String(v.attributes.platform)} but the submission is for ${String(sub.attributes.platform)}.`));
  else if (!isEditable(v)) errors.push(entityError('ENTITY_ERROR.RELATIONSHIP.INVALID', '/data/relationships/appStoreVersion', `A version in state ${String(v.attributes.appStoreState)} can not be submitted for review.`));
  else if (c.store.related(sub, 'items').some((i) => i.rels.appStoreVersion === v.id)) errors.push(entityError('ENTITY_ERROR.RELATIONSHIP.INVALID.DUPLICATE', '/data/relationships/appStoreVersion', 'The version is already an item of this submission.'));
  throwIf(errors);
  sub.rels.appStoreVersionForReview = v.id;
  const item = c.store.add('reviewSubmissionItems', c.store.newId('reviewSubmissionItems'), { state: 'READY_FOR_REVIEW' }, { appStoreVersion: v.id, _reviewSubmission: sub.id });
  return created(c, item);
}

function deleteReviewSubmissionItem(c: Call): SandboxResponse {
  const item = mustGet(c.store, 'reviewSubmissionItems', c.id);
  const sub = c.store.get('reviewSubmissions', String(item.rels._reviewSubmission));
  if (sub && !['READY_FOR_REVIEW', 'UNRESOLVED_ISSUES'].includes(String(sub.attributes.state))) throw stateError(`Items can not be removed from a submission in state ${String(sub.attributes.state)}.`);
  c.store.remove(item.type, item.id);
  return noContent();
}

/** What App Store Connect checks when a version is submitted: a valid build with export compliance, metadata. */
function submissionProblems(store: Store, v: Res): Record<string, ApiErrorItem[]> {
  const problems: Record<string, ApiErrorItem[]> = {};
  const add = (path: string, e: ApiErrorItem) => { (problems[path] ??= []).push(e); };
  const vPath = `/v1/appStoreVersions/${v.id}`;
  const build = store.relatedOne(v, 'build');
  if (!build) add(`${vPath}/relationships/build`, entityError('ENTITY_ERROR.RELATIONSHIP.REQUIRED', '/data/relationships/build', 'You must choose a build before you submit this version for review.'));
  else {
    if (build.attributes.processingState !== 'VALID' || build.attributes.expired) add(`/v1/builds/${build.id}`, entityError('ENTITY_ERROR.RELATIONSHIP.INVALID', '/data/relationships/build', `The build ${String(build.attributes.version)} is not valid for submission.`));
    if (build.attributes.usesNonExemptEncryption === null) add(`/v1/builds/${build.id}`, entityError('ENTITY_ERROR.ATTRIBUTE.REQUIRED', '/data/attributes/usesNonExemptEncryption', 'Provide export compliance information for the build.'));
  }
  if (!v.attributes.copyright) add(vPath, entityError('ENTITY_ERROR.ATTRIBUTE.REQUIRED', '/data/attributes/copyright', 'You must provide a value for the attribute \'copyright\'.'));
  for (const loc of store.related(v, 'appStoreVersionLocalizations')) {
    for (const field of ['description', 'keywords', 'supportUrl']) {
      const value = loc.attributes[field];
      if (typeof value !== 'string' || !value.trim()) {
        add(`/v1/appStoreVersionLocalizations/${loc.id}`, entityError('ENTITY_ERROR.ATTRIBUTE.REQUIRED', `/data/attributes/${field}`, `You must provide a value for the attribute '${field}' (${String(loc.attributes.locale)}).`));
      }
    }
  }
  return problems;
}

function updateReviewSubmission(c: Call): SandboxResponse {
  const sub = mustGet(c.store, 'reviewSubmissions', c.id);
  const b = resourceBody(c);
  const state = String(sub.attributes.state);
  const versions = c.store.related(sub, 'items').map((i) => c.store.get('appStoreVersions', String(i.rels.appStoreVersion))).filter((v): v is Res => !!v);
  if (b.attrs.submitted === true && b.attrs.canceled === true) throw new ApiError(409, [entityError('ENTITY_ERROR.ATTRIBUTE.INVALID', '/data/attributes/canceled', 'A submission can not be submitted and canceled at once.')]);
  if (typeof b.attrs.platform === 'string' && b.attrs.platform !== sub.attributes.platform) {
    if (state !== 'READY_FOR_REVIEW' || versions.length) throw stateError('The platform can only change before items are added.');
    sub.attributes.platform = b.attrs.platform;
  }
  if (b.attrs.submitted === true) {
    if (!['READY_FOR_REVIEW', 'UNRESOLVED_ISSUES'].includes(state)) throw stateError(`A submission in state ${state} can not be submitted.`);
    if (!versions.length) throw stateError('Submit for review errors found.', { [`/v1/reviewSubmissions/${sub.id}/items`]: [entityError('ENTITY_ERROR.RELATIONSHIP.REQUIRED', '/data/relationships/items', 'The submission has no items to review.')] });
    const problems = Object.assign({}, ...versions.map((v) => submissionProblems(c.store, v))) as Record<string, ApiErrorItem[]>;
    if (Object.keys(problems).length) throw stateError('Submit for review errors found.', problems);
    Object.assign(sub.attributes, { state: 'WAITING_FOR_REVIEW', submittedDate: new Date(c.now).toISOString() });
    for (const v of versions) setVersionState(v, 'WAITING_FOR_REVIEW');
    for (const i of c.store.related(sub, 'items')) i.attributes.state = 'READY_FOR_REVIEW';
    const app = c.store.get('apps', String(sub.rels.app));
    for (const info of app ? c.store.related(app, 'appInfos') : []) if (appInfoEditable(info)) info.attributes.state = info.attributes.appStoreState = 'WAITING_FOR_REVIEW';
  } else if (b.attrs.canceled === true) {
    if (!OPEN_SUBMISSION.includes(state)) throw stateError(`A submission in state ${state} can not be canceled.`);
    sub.attributes.state = 'CANCELING';
    for (const v of versions) if (['WAITING_FOR_REVIEW', 'IN_REVIEW', 'REJECTED', 'METADATA_REJECTED'].includes(String(v.attributes.appStoreState))) setVersionState(v, 'DEVELOPER_REJECTED');
    for (const i of c.store.related(sub, 'items')) i.attributes.state = 'REMOVED';
  }
  return updated(c, sub);
}

// -----------------------------------------------------------------------------------------------------------------
// Release: phased releases and manual release requests

const PHASED_CREATE_STATES = [...EDITABLE_VERSION, 'WAITING_FOR_REVIEW', 'IN_REVIEW', 'PENDING_DEVELOPER_RELEASE', 'PENDING_APPLE_RELEASE'];

function createPhasedRelease(c: Call): SandboxResponse {
  const b = resourceBody(c);
  const v = mustGet(c.store, 'appStoreVersions', relId(b, 'appStoreVersion')!);
  if (c.store.relatedOne(v, 'appStoreVersionPhasedRelease')) throw stateError('The version already has a phased release.');
  if (!PHASED_CREATE_STATES.includes(String(v.attributes.appStoreState))) throw stateError(`A phased release can not be added to a version in state ${String(v.attributes.appStoreState)}.`);
  const state = b.attrs.phasedReleaseState ?? 'INACTIVE';
  if (state !== 'INACTIVE') throw new ApiError(409, [entityError('ENTITY_ERROR.ATTRIBUTE.INVALID.INVALID_STATE', '/data/attributes/phasedReleaseState', 'A phased release starts INACTIVE and becomes ACTIVE when the version is released.')]);
  const res = c.store.add('appStoreVersionPhasedReleases', c.store.newId('appStoreVersionPhasedReleases'), {
    phasedReleaseState: 'INACTIVE', startDate: null, totalPauseDuration: 0, currentDayNumber: null,
  }, { _appStoreVersion: v.id });
  return created(c, res);
}

const PHASED_TRANSITIONS: Record<string, string[]> = { INACTIVE: ['ACTIVE'], ACTIVE: ['PAUSED', 'COMPLETE'], PAUSED: ['ACTIVE', 'COMPLETE'], COMPLETE: [] };

function updatePhasedRelease(c: Call): SandboxResponse {
  const p = mustGet(c.store, 'appStoreVersionPhasedReleases', c.id);
  const b = resourceBody(c);
  const to = b.attrs.phasedReleaseState as string | null | undefined;
  const from = String(p.attributes.phasedReleaseState);
  if (to && to !== from) {
    const v = c.store.get('appStoreVersions', String(p.rels._appStoreVersion));
    const allowed = PHASED_TRANSITIONS[from] ?? [];
    if (!allowed.includes(to) || (from === 'INACTIVE' && v?.attributes.appStoreState !== 'READY_FOR_SALE')) {
      throw new ApiError(409, [entityError('ENTITY_ERROR.ATTRIBUTE.INVALID.INVALID_STATE', '/data/attributes/phasedReleaseState', `The phased release can not go from ${from} to ${to}.`)]);
    }
    if (from === 'PAUSED') {
      p.attributes.totalPauseDuration = Number(p.attributes.totalPauseDuration) + Math.round((c.now - Number(p.attributes._pausedAt ?? c.now)) / 86_400_000);
      delete p.attributes._pausedAt;
    }
    if (to === 'PAUSED') p.attributes._pausedAt = c.now;
    if (to === 'ACTIVE' && from === 'INACTIVE') Object.assign(p.attributes, { startDate: appleDate(c.now), currentDayNumber: 1 });
    p.attributes.phasedReleaseState = to;
  }
  return updated(c, p);
}

function deletePhasedRelease(c: Call): SandboxResponse {
  const p = mustGet(c.store, 'appStoreVersionPhasedReleases', c.id);
  if (p.attributes.phasedReleaseState !== 'INACTIVE') throw stateError(`A phased release that is ${String(p.attributes.phasedReleaseState)} can not be removed; complete it instead.`);
  c.store.remove(p.type, p.id);
  return noContent();
}

function createReleaseRequest(c: Call): SandboxResponse {
  const b = resourceBody(c);
  const v = mustGet(c.store, 'appStoreVersions', relId(b, 'appStoreVersion')!);
  if (v.attributes.appStoreState !== 'PENDING_DEVELOPER_RELEASE') throw stateError(`Only a version that is PENDING_DEVELOPER_RELEASE can be released; this one is ${String(v.attributes.appStoreState)}.`);
  releaseVersion(c.store, v, c.now);
  const res = c.store.add('appStoreVersionReleaseRequests', c.store.newId('appStoreVersionReleaseRequests'), {}, { _appStoreVersion: v.id });
  return created(c, res);
}

/** Puts a version on the App Store: the previous live version is replaced and an inactive phased release starts. */
export function releaseVersion(store: Store, v: Res, now: number): void {
  const app = store.get('apps', String(v.rels.app));
  for (const other of app ? store.related(app, 'appStoreVersions') : []) {
    if (other.id !== v.id && other.attributes.platform === v.attributes.platform && other.attributes.appStoreState === 'READY_FOR_SALE') setVersionState(other, 'REPLACED_WITH_NEW_VERSION');
  }
  setVersionState(v, 'READY_FOR_SALE');
  const phased = store.relatedOne(v, 'appStoreVersionPhasedRelease');
  if (phased?.attributes.phasedReleaseState === 'INACTIVE') Object.assign(phased.attributes, { phasedReleaseState: 'ACTIVE', startDate: appleDate(now), currentDayNumber: 1 });
  // The app info prepared with this version becomes the live one.
  const infos = app ? store.related(app, 'appInfos') : [];
  const next = infos.find(appInfoEditable);
  if (next) {
    for (const info of infos) {
      if (info === next) continue;
      for (const l of store.related(info, 'appInfoLocalizations')) store.remove(l.type, l.id);
      store.remove(info.type, info.id);
    }
    Object.assign(next.attributes, { state: 'READY_FOR_DISTRIBUTION', appStoreState: 'READY_FOR_SALE' });
  }
}

// -----------------------------------------------------------------------------------------------------------------
// Reports and metrics

function salesReports(c: Call): SandboxResponse {
  if (c.individual) throw fail(403, 'FORBIDDEN_ERROR', 'Individual API keys can not access Sales and Trends reports. Use a team key with the Finance or Sales role.');
  const accept = String(c.req.headers.accept ?? '');
  if (!accept.split(',').some((a) => a.trim().split(';')[0] === 'application/a-gzip')) {
    return { status: 406, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'The requested resource is only capable of generating content not acceptable according to the Accept headers sent in the request. Send Accept: application/a-gzip.' };
  }
  const vendor = c.q.get('filter[vendorNumber]')!;
  if (vendor !== DEMO_VENDOR_NUMBER) throw fail(403, 'FORBIDDEN_ERROR', `The vendor number '${vendor}' is not associated with this account.`);
  const body = salesReport(c.store, {
    reportType: c.q.get('filter[reportType]')!, reportSubType: c.q.get('filter[reportSubType]')!, frequency: c.q.get('filter[frequency]')!,
    reportDate: c.q.get('filter[reportDate]'), version: c.q.get('filter[version]'),
  }, c.now);
  return { status: 200, headers: { 'content-type': 'application/a-gzip' }, body };
}

const METRICS_TYPE = 'application/vnd.apple.xcode-metrics+json';

function metrics(kind: 'apps' | 'builds'): Handler {
  return (c) => {
    const accept = String(c.req.headers.accept ?? '*/*');
    if (!accept.split(',').some((a) => ['*/*', 'application/*', METRICS_TYPE].includes(a.trim().split(';')[0]!))) {
      return { status: 406, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: `This resource is only available as ${METRICS_TYPE}.` };
    }
    const target = mustGet(c.store, kind, c.id);
    const app = kind === 'apps' ? target : mustGet(c.store, 'apps', String(target.rels.app));
    const body = perfPowerMetrics(c.store, app, kind === 'builds' ? target : undefined, {
      metricTypes: c.q.filters.get('metricType'), deviceTypes: c.q.filters.get('deviceType'), platform: c.q.filters.get('platform'),
    });
    return { status: 200, headers: { 'content-type': METRICS_TYPE }, body: JSON.stringify(body) };
  };
}

// -----------------------------------------------------------------------------------------------------------------
// The table

const deleteSimple = (type: string): Handler => (c) => { c.store.remove(type, mustGet(c.store, type, c.id).id); return noContent(); };

export const ROUTES: Record<string, Handler> = {
  'GET /v1/apps': list('apps'),
  'GET /v1/apps/{id}': getOne('apps'),
  'GET /v1/apps/{id}/appStoreVersions': related('apps', 'appStoreVersions'),
  'GET /v1/apps/{id}/appInfos': related('apps', 'appInfos'),
  'GET /v1/apps/{id}/builds': related('apps', 'builds'),
  'GET /v1/apps/{id}/preReleaseVersions': related('apps', 'preReleaseVersions'),
  'GET /v1/apps/{id}/betaGroups': related('apps', 'betaGroups'),
  'GET /v1/apps/{id}/customerReviews': related('apps', 'customerReviews'),
  'GET /v1/apps/{id}/reviewSubmissions': related('apps', 'reviewSubmissions'),
  'GET /v1/apps/{id}/betaFeedbackScreenshotSubmissions': related('apps', 'betaFeedbackScreenshotSubmissions'),
  'GET /v1/apps/{id}/betaFeedbackCrashSubmissions': related('apps', 'betaFeedbackCrashSubmissions'),
  'GET /v1/apps/{id}/perfPowerMetrics': metrics('apps'),
  'DELETE /v1/apps/{id}/relationships/betaTesters': (c) => {
    const app = mustGet(c.store, 'apps', c.id);
    for (const id of linkIds(c)) removeTesterFromApps(c.store, mustGet(c.store, 'betaTesters', id), [app.id]);
    return noContent();
  },

  'GET /v1/appInfos/{id}': getOne('appInfos'),
  'PATCH /v1/appInfos/{id}': updateAppInfo,
  'GET /v1/appInfos/{id}/appInfoLocalizations': related('appInfos', 'appInfoLocalizations'),
  'POST /v1/appInfoLocalizations': createAppInfoLocalization,
  'GET /v1/appInfoLocalizations/{id}': getOne('appInfoLocalizations'),
  'PATCH /v1/appInfoLocalizations/{id}': updateAppInfoLocalization,
  'DELETE /v1/appInfoLocalizations/{id}': deleteAppInfoLocalization,

  'POST /v1/appStoreVersions': createVersion,
  'GET /v1/appStoreVersions/{id}': getOne('appStoreVersions'),
  'PATCH /v1/appStoreVersions/{id}': updateVersion,
  'DELETE /v1/appStoreVersions/{id}': deleteVersion,
  'GET /v1/appStoreVersions/{id}/appStoreVersionLocalizations': related('appStoreVersions', 'appStoreVersionLocalizations'),
  'GET /v1/appStoreVersions/{id}/build': related('appStoreVersions', 'build'),
  'GET /v1/appStoreVersions/{id}/relationships/build': linkage('appStoreVersions', 'build'),
  'PATCH /v1/appStoreVersions/{id}/relationships/build': attachBuild,
  'GET /v1/appStoreVersions/{id}/appStoreVersionPhasedRelease': related('appStoreVersions', 'appStoreVersionPhasedRelease'),
  'GET /v1/appStoreVersions/{id}/customerReviews': related('appStoreVersions', 'customerReviews'),
  'POST /v1/appStoreVersionLocalizations': createVersionLocalization,
  'GET /v1/appStoreVersionLocalizations/{id}': getOne('appStoreVersionLocalizations'),
  'PATCH /v1/appStoreVersionLocalizations/{id}': updateVersionLocalization,
  'DELETE /v1/appStoreVersionLocalizations/{id}': deleteVersionLocalization,

  'GET /v1/builds': list('builds'),
  'GET /v1/builds/{id}': getOne('builds'),
  'PATCH /v1/builds/{id}': updateBuild,
  'GET /v1/builds/{id}/preReleaseVersion': related('builds', 'preReleaseVersion'),
  'GET /v1/builds/{id}/buildBetaDetail': related('builds', 'buildBetaDetail'),
  'GET /v1/builds/{id}/app': related('builds', 'app'),
  'GET /v1/builds/{id}/individualTesters': related('builds', 'individualTesters'),
  'GET /v1/builds/{id}/perfPowerMetrics': metrics('builds'),
  'GET /v1/preReleaseVersions': list('preReleaseVersions'),
  'GET /v1/preReleaseVersions/{id}': getOne('preReleaseVersions'),
  'GET /v1/buildBetaDetails/{id}': getOne('buildBetaDetails'),

  'GET /v1/betaGroups': list('betaGroups'),
  'POST /v1/betaGroups': createBetaGroup,
  'GET /v1/betaGroups/{id}': getOne('betaGroups'),
  'PATCH /v1/betaGroups/{id}': updateBetaGroup,
  'DELETE /v1/betaGroups/{id}': deleteBetaGroup,
  'GET /v1/betaGroups/{id}/betaTesters': related('betaGroups', 'betaTesters'),
  'GET /v1/betaGroups/{id}/builds': related('betaGroups', 'builds'),
  'GET /v1/betaGroups/{id}/relationships/betaTesters': linkage('betaGroups', 'betaTesters'),
  'POST /v1/betaGroups/{id}/relationships/betaTesters': groupTesters(true),
  'DELETE /v1/betaGroups/{id}/relationships/betaTesters': groupTesters(false),
  'POST /v1/betaGroups/{id}/relationships/builds': groupBuilds(true),
  'DELETE /v1/betaGroups/{id}/relationships/builds': groupBuilds(false),
  'GET /v1/betaTesters': list('betaTesters'),
  'POST /v1/betaTesters': createBetaTester,
  'GET /v1/betaTesters/{id}': getOne('betaTesters'),
  'DELETE /v1/betaTesters/{id}': deleteSimple('betaTesters'),
  'GET /v1/betaTesters/{id}/apps': related('betaTesters', 'apps'),
  'GET /v1/betaTesters/{id}/betaGroups': related('betaTesters', 'betaGroups'),
  'DELETE /v1/betaTesters/{id}/relationships/apps': (c) => {
    removeTesterFromApps(c.store, mustGet(c.store, 'betaTesters', c.id), linkIds(c));
    return noContent();
  },
  'POST /v1/betaTesters/{id}/relationships/betaGroups': testerGroups(true),
  'DELETE /v1/betaTesters/{id}/relationships/betaGroups': testerGroups(false),

  'GET /v1/customerReviews/{id}': getOne('customerReviews'),
  'GET /v1/customerReviews/{id}/response': related('customerReviews', 'response'),
  'POST /v1/customerReviewResponses': createReviewResponse,
  'GET /v1/customerReviewResponses/{id}': getOne('customerReviewResponses'),
  'DELETE /v1/customerReviewResponses/{id}': deleteSimple('customerReviewResponses'),

  'GET /v1/reviewSubmissions': list('reviewSubmissions'),
  'POST /v1/reviewSubmissions': createReviewSubmission,
  'GET /v1/reviewSubmissions/{id}': getOne('reviewSubmissions'),
  'PATCH /v1/reviewSubmissions/{id}': updateReviewSubmission,
  'GET /v1/reviewSubmissions/{id}/items': related('reviewSubmissions', 'items'),
  'POST /v1/reviewSubmissionItems': createReviewSubmissionItem,
  'DELETE /v1/reviewSubmissionItems/{id}': deleteReviewSubmissionItem,

  'POST /v1/appStoreVersionPhasedReleases': createPhasedRelease,
  'PATCH /v1/appStoreVersionPhasedReleases/{id}': updatePhasedRelease,
  'DELETE /v1/appStoreVersionPhasedReleases/{id}': deletePhasedRelease,
  'POST /v1/appStoreVersionReleaseRequests': createReleaseRequest,

  'GET /v1/betaFeedbackScreenshotSubmissions/{id}': getOne('betaFeedbackScreenshotSubmissions'),
  'DELETE /v1/betaFeedbackScreenshotSubmissions/{id}': deleteSimple('betaFeedbackScreenshotSubmissions'),
  'GET /v1/betaFeedbackCrashSubmissions/{id}': getOne('betaFeedbackCrashSubmissions'),
  'DELETE /v1/betaFeedbackCrashSubmissions/{id}': deleteSimple('betaFeedbackCrashSubmissions'),
  'GET /v1/betaFeedbackCrashSubmissions/{id}/crashLog': related('betaFeedbackCrashSubmissions', 'crashLog'),

  'GET /v1/salesReports': salesReports,
  'GET /v1/territories': list('territories'),
};

export { setVersionState };
