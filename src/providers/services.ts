// Capability services: what panels and commands use. A provider's Connection exposes the ones it supports
// (`connection.services.metadata`, …); shared panels are written once against these and serve every provider
// that offers the capability (e.g. the metadata panel serves App Store Connect and iTunes Connect).
import type { AppSummary, ListOptions, Page, Tone } from './types';

// ---------- metadata and versions ----------

/** A metadata field the editor shows; limits are Apple's and shown live while typing. */
export interface FieldSpec {
  key: string;
  label: string;
  /**
   * Where the value lives: the version (its localization, or the version itself for `versionFields`) or the
   * app-level info localization.
   */
  level: 'version' | 'app';
  multiline?: boolean;
  maxChars?: number;
  maxBytes?: number;
  kind?: 'text' | 'url';
  required?: boolean;
}

export interface VersionInfo {
  id: string;
  versionString: string;
  /** The API's value, sent back when a version is created for the same platform. */
  platform?: string;
  /** The platform as people write it: "iOS" for "IOS". */
  platformLabel?: string;
  state: string;
  stateLabel: string;
  tone?: Tone;
  editable: boolean;
  /** Attached build, if any. */
  buildId?: string;
  buildLabel?: string;
  live?: boolean;
}

export interface LocaleValues {
  locale: string;
  values: Record<string, string | null>;
}

export interface MetadataDocument {
  appId: string;
  version: VersionInfo;
  fields: FieldSpec[];
  locales: LocaleValues[];
  /** Fields of the version itself, one value for every locale (e.g. the copyright line): shown once, not per locale. */
  versionFields?: FieldSpec[];
  /** Values of `versionFields`, by key. */
  versionValues?: Record<string, string | null>;
  /** Opaque token the provider uses to detect remote changes at save time. */
  revision: string;
}

/** Only the fields the user changed, per locale, and of the version itself. */
export interface MetadataChanges {
  locales: { locale: string; values: Record<string, string> }[];
  /** Changed `versionFields`, by key. */
  version?: Record<string, string>;
}

export type SaveResult =
  | { status: 'saved'; document: MetadataDocument }
  /**
   * The remote changed since `base` was loaded: nothing was written; both sides are returned. A conflict on a field
   * of the version itself (`versionFields`) has `locale: ''`.
   */
  | { status: 'conflict'; remote: MetadataDocument; conflicts: { locale: string; key: string; base: string | null; remote: string | null; mine: string }[] };

export interface MetadataService {
  listVersions(app: AppSummary, opts?: ListOptions): Promise<VersionInfo[]>;
  load(app: AppSummary, versionId: string, opts?: ListOptions & { live?: boolean }): Promise<MetadataDocument>;
  /** Writes only `changes`; fails with a ValidationError carrying `fieldErrors` keyed `locale/field` (`field` for `versionFields`). */
  save(app: AppSummary, base: MetadataDocument, changes: MetadataChanges, signal?: AbortSignal): Promise<SaveResult>;
  createVersion?(app: AppSummary, versionString: string, platform?: string): Promise<VersionInfo>;
  attachBuild?(app: AppSummary, versionId: string, buildId: string): Promise<void>;
}

// ---------- builds ----------

export interface BuildInfo {
  id: string;
  version: string;
  buildNumber: string;
  /** The API's value ("VALID", "processing"). */
  processingState: string;
  /** The processing state as people read it ("Valid", "Processing"). */
  stateLabel: string;
  tone?: Tone;
  uploadedDate?: string;
  expirationDate?: string;
  expired?: boolean;
  /** The API's value ("APP_STORE_ELIGIBLE"), and as people read it ("App Store Eligible"). */
  audience?: string;
  audienceLabel?: string;
  usesNonExemptEncryption?: boolean | null;
  /** Build train (legacy iTunes Connect) or pre-release version. */
  train?: string;
  details?: Record<string, string | number | boolean | null>;
}

export interface BuildTestInfo {
  whatToTest?: string;
  feedbackEmail?: string;
  description?: string;
  marketingUrl?: string;
  privacyPolicyUrl?: string;
}

export interface BuildsService {
  list(app: AppSummary, opts?: ListOptions): Promise<Page<BuildInfo>>;
  expire?(app: AppSummary, buildId: string): Promise<void>;
  setExportCompliance?(app: AppSummary, buildId: string, usesNonExemptEncryption: boolean): Promise<void>;
  getTestInfo?(app: AppSummary, build: BuildInfo): Promise<BuildTestInfo>;
  setTestInfo?(app: AppSummary, build: BuildInfo, info: BuildTestInfo): Promise<void>;
}

// ---------- testers ----------

export interface TesterGroup {
  id: string;
  name: string;
  internal?: boolean;
  testerCount?: number;
}

export interface Tester {
  id: string;
  email: string;
  firstName?: string | null;
  lastName?: string | null;
  state?: string;
  groups?: string[];
}

export interface NewTester {
  email: string;
  firstName?: string;
  lastName?: string;
  groupId?: string;
}

export interface TestersService {
  groups(app: AppSummary, opts?: ListOptions): Promise<TesterGroup[]>;
  testers(app: AppSummary, opts?: ListOptions & { groupId?: string }): Promise<Page<Tester>>;
  add(app: AppSummary, tester: NewTester, signal?: AbortSignal): Promise<Tester>;
  /** From one group when `groupId` is given, else from the app. */
  remove(app: AppSummary, tester: Tester, groupId?: string): Promise<void>;
}

// ---------- reviews, feedback, surveys ----------

export interface Review {
  id: string;
  rating: number;
  title?: string;
  body: string;
  author?: string;
  territory?: string;
  createdDate: string;
  response?: { id: string; body: string; state?: string; lastModifiedDate?: string };
}

export interface ReviewFilter {
  rating?: number;
  territory?: string;
  answered?: boolean;
  sort?: 'newest' | 'oldest' | 'highest' | 'lowest';
}

export interface ReviewsService {
  list(app: AppSummary, filter: ReviewFilter, opts?: ListOptions): Promise<Page<Review>>;
  /** Creates or replaces the response. */
  reply(app: AppSummary, review: Review, text: string): Promise<Review['response']>;
  deleteResponse(app: AppSummary, review: Review): Promise<void>;
}

export interface FeedbackEntry {
  id: string;
  /** `screenshot`, `crash`, `feedback`, `message`, … */
  type: string;
  createdDate: string;
  author?: string;
  email?: string;
  text: string;
  archived?: boolean;
  hasCrashLog?: boolean;
  screenshots?: { url: string; width?: number; height?: number }[];
  details?: Record<string, string | number | boolean | null>;
}

export interface FeedbackService {
  list(app: AppSummary, opts?: ListOptions & { archived?: boolean }): Promise<Page<FeedbackEntry>>;
  get?(app: AppSummary, id: string): Promise<FeedbackEntry>;
  create?(app: AppSummary, entry: { text: string; type?: string; email?: string; name?: string }): Promise<FeedbackEntry>;
  setArchived?(app: AppSummary, entry: FeedbackEntry, archived: boolean): Promise<FeedbackEntry>;
  crashLog?(app: AppSummary, entry: FeedbackEntry): Promise<string>;
}

export interface SurveyQuestion {
  id: string;
  text: string;
  type: string;
  choices: { id: string; text: string; count: number }[];
}

export interface Survey {
  id: string;
  name: string;
  description?: string;
  active: boolean;
  tags?: string[];
  responseCount?: number;
  questions?: SurveyQuestion[];
}

export interface SurveysService {
  list(app: AppSummary, filter?: { tags?: string[]; active?: boolean; limit?: number }, opts?: ListOptions): Promise<Page<Survey>>;
  get(app: AppSummary, id: string): Promise<Survey>;
  deactivate(app: AppSummary, survey: Survey): Promise<Survey>;
}

// ---------- release ----------

export interface ReadinessCheck {
  ok: boolean;
  label: string;
  /** Where to fix it: a section of the metadata panel, a build, … */
  fix?: { target: 'metadata' | 'builds'; locale?: string; field?: string };
}

export interface SubmissionInfo {
  id: string;
  state: string;
  submittedDate?: string;
  versionId?: string;
}

export interface PhasedRelease {
  id: string;
  state: 'INACTIVE' | 'ACTIVE' | 'PAUSED' | 'COMPLETE' | string;
  currentDayNumber?: number;
  startDate?: string;
}

export interface ReleaseService {
  readiness(app: AppSummary, versionId: string): Promise<ReadinessCheck[]>;
  submit(app: AppSummary, versionId: string, signal?: AbortSignal): Promise<SubmissionInfo>;
  currentSubmission?(app: AppSummary): Promise<SubmissionInfo | undefined>;
  cancelSubmission?(app: AppSummary, submission: SubmissionInfo): Promise<void>;
  /** Legacy: reject a version waiting for review. */
  rejectVersion?(app: AppSummary, versionId: string): Promise<void>;
  phasedRelease?(app: AppSummary, versionId: string): Promise<PhasedRelease | undefined>;
  setPhasedRelease?(app: AppSummary, release: PhasedRelease, state: 'ACTIVE' | 'PAUSED' | 'COMPLETE'): Promise<PhasedRelease>;
  releaseVersion?(app: AppSummary, versionId: string): Promise<void>;
  /** Legacy resolution center: messages from App Review (HTML; render sanitized). */
  resolutionCenter?(app: AppSummary): Promise<{ threads: { id: string; version?: string; messages: { from: string; date: string; html: string }[] }[] }>;
}

// ---------- reports ----------

export interface TableReport {
  columns: string[];
  rows: string[][];
  /** Columns that hold numbers (summed for totals). */
  numericColumns: string[];
}

export interface MetricsSummary {
  categories: { id: string; label: string; metrics: { id: string; label: string; unit?: string; latest?: { version: string; value: number; goal?: string } }[] }[];
}

export interface ReportsService {
  salesReport?(params: { vendorNumber: string; date: string; frequency: 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY' }, signal?: AbortSignal): Promise<TableReport>;
  metrics?(app: AppSummary, signal?: AbortSignal): Promise<MetricsSummary>;
}

export interface CapabilityServices {
  metadata?: MetadataService;
  builds?: BuildsService;
  testers?: TestersService;
  reviews?: ReviewsService;
  feedback?: FeedbackService;
  surveys?: SurveysService;
  release?: ReleaseService;
  reports?: ReportsService;
}
