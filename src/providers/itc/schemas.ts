// Shapes of the legacy iTunes Connect JSON API (`…/WebObjects/iTunesConnect.woa/ra/…`), as fastlane recorded them.
// Validated at the boundary with core's `v`: only what AppDesk reads is described, extra keys pass through
// untouched (save posts the whole object back), and `null` is accepted wherever recordings show it.
import { v, type Infer, type Schema } from '../../core/validate';

const str = () => v.nullish(v.string());
const num = () => v.nullish(v.number());
const bool = () => v.nullish(v.boolean());
const id = () => v.union(v.string(), v.number());

/** `{value, isEditable, isRequired, errorKeys}`: most leaves of the API. */
export const Field = v.object({ value: v.unknown(), isEditable: bool(), isRequired: bool(), errorKeys: v.nullish(v.array(v.string())) });
export const TextField = v.object({
  value: str(),
  isEditable: bool(),
  isRequired: bool(),
  errorKeys: v.nullish(v.array(v.string())),
  maxLength: num(),
  minLength: num(),
});
export type TextField = Infer<typeof TextField>;

const list = () => v.nullish(v.array(v.unknown()));
export const Messages = v.nullish(v.object({ warn: list(), error: list(), info: list() }));

/** `{data, messages, statusCode}`. */
export function envelope<T>(data: Schema<T>) {
  return v.object({ data, messages: Messages, statusCode: str() });
}

// ---------- apps ----------

export const VersionRef = v.object({ version: str(), state: str(), stateKey: str(), stateGroup: str(), type: str() });
export const AppSummaryRow = v.object({
  adamId: id(),
  name: str(),
  vendorId: str(),
  bundleId: str(),
  iconUrl: str(),
  type: str(),
  lastModifiedDate: num(),
  versionSets: v.nullish(v.array(v.object({ type: str(), platformString: str(), inFlightVersion: v.nullish(VersionRef), deliverableVersion: v.nullish(VersionRef) }))),
});
export type AppSummaryRow = Infer<typeof AppSummaryRow>;
export const AppsSummary = envelope(v.object({ summaries: v.array(AppSummaryRow), enabledPlatforms: v.nullish(v.array(v.string())) }));

// ---------- versions ----------

export const VersionDetail = v.object({
  language: v.string(),
  localeCode: str(),
  detailId: v.nullish(id()),
  name: v.nullish(TextField),
  description: v.nullish(TextField),
  keywords: v.nullish(TextField),
  releaseNotes: v.nullish(TextField),
  privacyURL: v.nullish(TextField),
  supportUrl: v.nullish(TextField),
  marketingUrl: v.nullish(TextField),
});
export type VersionDetail = Infer<typeof VersionDetail>;

export const AppVersion = v.object({
  versionId: id(),
  version: TextField,
  name: v.nullish(TextField),
  primaryLanguage: v.nullish(TextField),
  copyright: v.nullish(TextField),
  status: str(),
  platform: str(),
  appType: str(),
  canRejectVersion: bool(),
  canSendVersionLive: bool(),
  details: v.object({ value: v.array(VersionDetail), isEditable: bool(), errorKeys: v.nullish(v.array(v.string())) }),
  preReleaseBuildVersionString: v.nullish(TextField),
  preReleaseBuild: v.nullish(v.object({ buildVersion: id() })),
  preReleaseBuildTrainVersionString: str(),
  preReleaseBuildUploadDate: num(),
  sectionErrorKeys: list(),
});
export type AppVersion = Infer<typeof AppVersion>;
export const AppVersionResponse = envelope(AppVersion);

// ---------- builds ----------

export const Build = v.object({
  buildVersion: v.string(),
  trainVersion: str(),
  uploadDate: num(),
  platform: str(),
  appName: str(),
  id: v.nullish(id()),
  processing: bool(),
  processingState: str(),
  valid: bool(),
  internalExpiry: num(),
  externalExpiry: num(),
  internalState: str(),
  betaState: str(),
  missingExportCompliance: bool(),
  installCount: num(),
  sessionCount: num(),
  crashCount: num(),
});
export type Build = Infer<typeof Build>;
export const Train = v.object({ versionString: v.string(), platform: str(), builds: v.array(Build), externalTesting: v.nullish(Field), internalTesting: v.nullish(Field) });
export type Train = Infer<typeof Train>;
export const ProcessingBuild = v.object({ buildVersion: v.string(), trainVersion: v.string(), uploadDate: num(), platform: str(), processingState: str() });
export type ProcessingBuild = Infer<typeof ProcessingBuild>;
export const BuildTrains = envelope(v.object({
  trains: v.array(Train),
  processingBuilds: v.nullish(v.array(ProcessingBuild)),
  currentTestingApps: num(),
  maxTestingApps: num(),
}));

export const BuildDetails = envelope(v.object({
  uploadDate: num(),
  binaryState: str(),
  fileName: str(),
  bundleId: str(),
  appName: str(),
  cfBundleVersion: str(),
  cfBundleShortVersion: str(),
  minOsVersion: str(),
  deviceFamilies: str(),
  supportedArchitectures: str(),
  localizations: str(),
  sizeInBytes: num(),
}));

export const TestInfoDetail = v.object({
  language: str(),
  localeCode: str(),
  whatsNew: v.nullish(TextField),
  description: v.nullish(TextField),
  feedbackEmail: v.nullish(TextField),
  marketingUrl: v.nullish(TextField),
  privacyPolicyUrl: v.nullish(TextField),
});
export const TestInformation = v.object({ primaryLanguage: str(), primaryLocaleCode: str(), details: v.array(TestInfoDetail) });
export type TestInformation = Infer<typeof TestInformation>;
export const TestInformationResponse = envelope(TestInformation);

// ---------- testers ----------

export const TesterGroupRef = v.object({ id: str(), name: v.nullish(TextField) });
export const TesterRow = v.object({
  emailAddress: TextField,
  firstName: v.nullish(TextField),
  lastName: v.nullish(TextField),
  testerId: str(),
  groups: v.nullish(v.array(TesterGroupRef)),
  latestInstalledDate: num(),
  latestInstalledVersion: str(),
  latestInstalledShortVersion: str(),
});
export type TesterRow = Infer<typeof TesterRow>;
export const Testers = envelope(v.object({ testers: v.array(TesterRow), groups: v.nullish(v.record(v.string())) }));

// ---------- review ----------

/** Step 1 of a submission (`…/submit/summary`): the questions, posted back in step 2. */
export const SubmissionSummary = envelope(v.object({
  exportCompliance: v.nullish(v.record(v.unknown())),
  contentRights: v.nullish(v.record(v.unknown())),
  adIdInfo: v.nullish(v.record(v.unknown())),
  versionInfo: v.unknown(),
}));

const ThreadList = v.nullish(v.object({
  threads: v.array(v.object({
    id: id(),
    versionId: v.nullish(id()),
    version: str(),
    messages: v.array(v.object({ from: str(), date: v.nullish(id()), body: str() })),
  })),
}));
export const ResolutionCenter = envelope(v.object({
  replyConstraints: v.nullish(v.object({ minLength: num(), maxLength: num() })),
  appNotes: ThreadList,
  betaNotes: ThreadList,
  appMessages: ThreadList,
}));

// ---------- new app ----------

export const CreateAppForm = envelope(v.object({
  adamId: v.nullish(id()),
  versionString: v.nullish(TextField),
  bundleIds: v.nullish(v.record(v.string())),
  newApp: v.object({ adamId: v.nullish(id()), name: v.nullish(TextField), bundleId: v.nullish(TextField), vendorId: v.nullish(TextField), primaryLanguage: v.nullish(TextField) }),
}));

// ---------- account ----------

export const UserDetail = envelope(v.object({
  userName: str(),
  displayName: str(),
  contentProvider: str(),
  contentProviderId: v.nullish(id()),
  availableProviders: v.nullish(v.array(v.object({ providerId: id(), name: str() }))),
}));

/** `olympus/v1/session` (no envelope): the team the web session belongs to. */
export const OlympusSession = v.object({
  provider: v.object({ providerId: id(), name: v.string(), contentTypes: v.nullish(v.array(v.string())) }),
  availableProviders: v.nullish(v.array(v.object({ providerId: id(), name: v.string() }))),
});

// ---------- ratings and reviews (recorded; not shown by AppDesk's legacy provider) ----------

export const RatingsSummary = envelope(v.object({
  ratingCount: v.number(),
  ratingOneCount: v.number(),
  ratingTwoCount: v.number(),
  ratingThreeCount: v.number(),
  ratingFourCount: v.number(),
  ratingFiveCount: v.number(),
}));

export const Reviews = envelope(v.object({
  reviewCount: v.number(),
  reviews: v.array(v.object({
    value: v.object({
      id: id(),
      rating: v.number(),
      title: str(),
      review: str(),
      lastModified: num(),
      nickname: str(),
      storeFront: str(),
      developerResponse: v.nullish(v.object({ response: str(), responseId: v.nullish(id()), lastModified: num(), pendingState: str() })),
    }),
  })),
}));

/** Any envelope whose `data` AppDesk does not read (reject, complete submission). */
export const AnyEnvelope = envelope(v.unknown());
