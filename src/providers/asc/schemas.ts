// Response shapes checked at the boundary. Real App Store Connect payloads carry `null` where the OpenAPI schema
// says plain string/boolean/object (tester names, dates, `links.next`, relationship data) and undocumented extra
// attributes, so every attribute is nullish and extra keys pass (provider-apis.md §1.8).
import { v, type Infer, type Schema } from '../../core/validate';

const str = () => v.nullish(v.string());
const num = () => v.nullish(v.number());
const bool = () => v.nullish(v.boolean());

export const Identifier = v.object({ type: v.string(), id: v.string() });
export type Identifier = Infer<typeof Identifier>;

const Relationship = v.object({
  data: v.nullish(v.union(Identifier, v.array(Identifier))),
  meta: v.nullish(v.object({ paging: v.nullish(v.object({ total: num(), limit: num() })) })),
});
export type Relationship = Infer<typeof Relationship>;

const Relationships = v.nullish(v.record(v.nullish(Relationship)));

/** One JSON:API resource object with the given attributes (all optional/nullable). */
export function resource<S extends Record<string, Schema<unknown>>>(attributes: S) {
  return v.object({ type: v.string(), id: v.string(), attributes: v.nullish(v.object(attributes)), relationships: Relationships });
}

/** Any resource, for `included`. */
export const AnyResource = v.object({ type: v.string(), id: v.string(), attributes: v.nullish(v.record(v.unknown())), relationships: Relationships });
export type AnyResource = Infer<typeof AnyResource>;

const Links = v.nullish(v.object({ self: str(), next: str() }));
const PagingMeta = v.nullish(v.object({ paging: v.nullish(v.object({ total: num(), limit: num(), nextCursor: str() })) }));

export function collection<T>(item: Schema<T>) {
  return v.object({ data: v.array(item), included: v.nullish(v.array(AnyResource)), links: Links, meta: PagingMeta });
}

export function single<T>(item: Schema<T>) {
  return v.object({ data: item, included: v.nullish(v.array(AnyResource)), links: Links });
}

export function singleOrNull<T>(item: Schema<T>) {
  return v.object({ data: v.nullable(item), included: v.nullish(v.array(AnyResource)), links: Links });
}

// ---------- resources ----------

export const App = resource({ name: str(), bundleId: str(), sku: str(), primaryLocale: str() });
export type App = Infer<typeof App>;

export const AppStoreVersion = resource({
  platform: str(),
  versionString: str(),
  appStoreState: str(),
  appVersionState: str(),
  copyright: str(),
  releaseType: str(),
  earliestReleaseDate: str(),
  downloadable: bool(),
  createdDate: str(),
});
export type AppStoreVersion = Infer<typeof AppStoreVersion>;

export const AppStoreVersionLocalization = resource({
  locale: str(),
  description: str(),
  keywords: str(),
  marketingUrl: str(),
  promotionalText: str(),
  supportUrl: str(),
  whatsNew: str(),
});
export type AppStoreVersionLocalization = Infer<typeof AppStoreVersionLocalization>;

export const AppInfo = resource({ appStoreState: str(), state: str(), appStoreAgeRating: str() });
export type AppInfo = Infer<typeof AppInfo>;

export const AppInfoLocalization = resource({ locale: str(), name: str(), subtitle: str(), privacyPolicyUrl: str(), privacyChoicesUrl: str(), privacyPolicyText: str() });
export type AppInfoLocalization = Infer<typeof AppInfoLocalization>;

export const Build = resource({
  version: str(),
  uploadedDate: str(),
  expirationDate: str(),
  expired: bool(),
  minOsVersion: str(),
  processingState: str(),
  buildAudienceType: str(),
  usesNonExemptEncryption: bool(),
  iconAssetToken: v.nullish(v.object({ templateUrl: str(), width: num(), height: num() })),
});
export type Build = Infer<typeof Build>;

export const PreReleaseVersion = resource({ version: str(), platform: str() });

export const BetaGroup = resource({
  name: str(),
  createdDate: str(),
  isInternalGroup: bool(),
  hasAccessToAllBuilds: bool(),
  publicLinkEnabled: bool(),
  publicLinkId: str(),
  publicLinkLimitEnabled: bool(),
  publicLinkLimit: num(),
  publicLink: str(),
  feedbackEnabled: bool(),
});
export type BetaGroup = Infer<typeof BetaGroup>;

export const BetaTester = resource({ firstName: str(), lastName: str(), email: str(), inviteType: str(), state: str() });
export type BetaTester = Infer<typeof BetaTester>;

export const CustomerReview = resource({ rating: num(), title: str(), body: str(), reviewerNickname: str(), createdDate: str(), territory: str() });
export type CustomerReview = Infer<typeof CustomerReview>;

export const CustomerReviewResponse = resource({ responseBody: str(), lastModifiedDate: str(), state: str() });
export type CustomerReviewResponse = Infer<typeof CustomerReviewResponse>;

export const ReviewSubmission = resource({ platform: str(), submittedDate: str(), state: str() });
export type ReviewSubmission = Infer<typeof ReviewSubmission>;

export const ReviewSubmissionItem = resource({ state: str() });

export const PhasedRelease = resource({ phasedReleaseState: str(), startDate: str(), totalPauseDuration: num(), currentDayNumber: num() });
export type PhasedRelease = Infer<typeof PhasedRelease>;

export const AppStoreVersionReleaseRequest = resource({});

const feedbackAttributes = {
  createdDate: str(),
  comment: str(),
  email: str(),
  deviceModel: str(),
  osVersion: str(),
  locale: str(),
  timeZone: str(),
  architecture: str(),
  connectionType: str(),
  pairedAppleWatch: str(),
  appUptimeInMilliseconds: num(),
  diskBytesAvailable: num(),
  diskBytesTotal: num(),
  batteryPercentage: num(),
  screenWidthInPoints: num(),
  screenHeightInPoints: num(),
  appPlatform: str(),
  devicePlatform: str(),
  deviceFamily: str(),
  buildBundleId: str(),
};
export const ScreenshotSubmission = resource({
  ...feedbackAttributes,
  screenshots: v.nullish(v.array(v.object({ url: v.string(), width: num(), height: num(), expirationDate: str() }))),
});
export type ScreenshotSubmission = Infer<typeof ScreenshotSubmission>;
export const CrashSubmission = resource(feedbackAttributes);
export type CrashSubmission = Infer<typeof CrashSubmission>;
export const CrashLog = resource({ logText: str() });

/** `application/vnd.apple.xcode-metrics+json`: not JSON:API. */
export const XcodeMetrics = v.object({
  version: str(),
  insights: v.nullish(
    v.object({
      regressions: v.nullish(v.array(v.object({ metricCategory: str(), metric: str(), latestVersion: str(), summaryString: str() }))),
      trendingUp: v.nullish(v.array(v.object({ metricCategory: str(), metric: str(), latestVersion: str(), summaryString: str() }))),
    }),
  ),
  productData: v.nullish(
    v.array(
      v.object({
        platform: str(),
        metricCategories: v.nullish(
          v.array(
            v.object({
              identifier: v.string(),
              metrics: v.nullish(
                v.array(
                  v.object({
                    identifier: v.string(),
                    unit: v.nullish(v.object({ identifier: str(), displayName: str() })),
                    datasets: v.nullish(
                      v.array(
                        v.object({
                          filterCriteria: v.nullish(v.object({ percentile: str(), device: str(), deviceMarketingName: str() })),
                          points: v.nullish(v.array(v.object({ version: str(), value: num(), errorMargin: num(), goal: str() }))),
                        }),
                      ),
                    ),
                  }),
                ),
              ),
            }),
          ),
        ),
      }),
    ),
  ),
});
export type XcodeMetrics = Infer<typeof XcodeMetrics>;

// ---------- helpers over documents ----------

/** Ids of a relationship's linkage (to-one or to-many). */
export function relIds(res: { relationships?: Record<string, Relationship | null | undefined> | null } | null | undefined, name: string): string[] {
  const d = res?.relationships?.[name]?.data;
  if (!d) return [];
  return Array.isArray(d) ? d.map((x) => x.id) : [d.id];
}

export function relId(res: Parameters<typeof relIds>[0], name: string): string | undefined {
  return relIds(res, name)[0];
}

/** Total of a to-many relationship from its `meta.paging` (present when included with `limit[rel]`). */
export function relTotal(res: Parameters<typeof relIds>[0], name: string): number | undefined {
  return res?.relationships?.[name]?.meta?.paging?.total ?? undefined;
}

/** Finds and validates one included resource. */
export function findIncluded<T>(included: readonly AnyResource[] | null | undefined, type: string, id: string | undefined, schema: Schema<T>): T | undefined {
  if (!id) return undefined;
  const r = included?.find((x) => x.type === type && x.id === id);
  if (!r) return undefined;
  try {
    return schema.check(r);
  } catch {
    return undefined;
  }
}

/** All included resources of one type, validated (invalid ones are skipped rather than failing the page). */
export function includedOfType<T>(included: readonly AnyResource[] | null | undefined, type: string, schema: Schema<T>): T[] {
  const out: T[] = [];
  for (const r of included ?? []) {
    if (r.type !== type) continue;
    try {
      out.push(schema.check(r));
    } catch {
      // An unexpected included resource must not hide the main data.
    }
  }
  return out;
}
