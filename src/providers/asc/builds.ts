// Builds: newest first with their marketing version (the pre-release version, included in the same request),
// expiring a build and answering the export compliance question.
import type { BuildInfo, BuildsService } from '../services';
import type { AppSummary, ListOptions, Page } from '../types';
import { resourceBody } from './client';
import { seg, type AscContext } from './context';
import { buildStateLabel, buildTone, titleCase } from './format';
import { Build, PreReleaseVersion, collection, findIncluded, relId, single, type AnyResource } from './schemas';

const BuildList = collection(Build);
const BuildDoc = single(Build);

export function toBuildInfo(b: Build, included: readonly AnyResource[] = []): BuildInfo {
  const a = b.attributes ?? {};
  const train = findIncluded(included, 'preReleaseVersions', relId(b, 'preReleaseVersion'), PreReleaseVersion);
  const marketing = train?.attributes?.version ?? undefined;
  const tone = buildTone(a.processingState, a.expired);
  return {
    id: b.id,
    version: marketing ?? '?',
    buildNumber: a.version ?? '?',
    processingState: a.processingState ?? 'UNKNOWN',
    stateLabel: titleCase(a.processingState ?? 'UNKNOWN'),
    ...(tone && { tone }),
    ...(a.uploadedDate && { uploadedDate: a.uploadedDate }),
    ...(a.expirationDate && { expirationDate: a.expirationDate }),
    expired: a.expired ?? false,
    ...(a.buildAudienceType && { audience: a.buildAudienceType, audienceLabel: titleCase(a.buildAudienceType) }),
    usesNonExemptEncryption: a.usesNonExemptEncryption ?? null,
    ...(marketing && { train: marketing }),
    details: {
      state: buildStateLabel(a.processingState, a.expired, a.usesNonExemptEncryption),
      platform: train?.attributes?.platform ?? null,
      minOsVersion: a.minOsVersion ?? null,
      iconUrl: a.iconAssetToken?.templateUrl?.replace('{w}', '64').replace('{h}', '64').replace('{f}', 'png') ?? null,
    },
  };
}

export class AscBuildsService implements BuildsService {
  constructor(private readonly ctx: AscContext) {}

  async list(app: AppSummary, opts: ListOptions & { limit?: number } = {}): Promise<Page<BuildInfo>> {
    const p = await this.ctx.client.page('/v1/builds', BuildList, {
      query: { 'filter[app]': app.id, sort: '-uploadedDate', include: 'preReleaseVersion', limit: opts.limit ?? 50 },
      cursor: opts.cursor,
      signal: opts.signal,
    });
    return { items: p.data.map((b) => toBuildInfo(b, p.included)), ...(p.next && { next: p.next }), ...(p.total !== undefined && { total: p.total }) };
  }

  async get(buildId: string, signal?: AbortSignal): Promise<BuildInfo> {
    const doc = await this.ctx.client.get(`/v1/builds/${seg(buildId)}`, BuildDoc, { query: { include: 'preReleaseVersion' }, signal });
    return toBuildInfo(doc.data, doc.included ?? []);
  }

  async expire(_app: AppSummary, buildId: string): Promise<void> {
    await this.ctx.client.patch(`/v1/builds/${seg(buildId)}`, resourceBody('builds', { expired: true }, undefined, buildId), BuildDoc);
  }

  async setExportCompliance(_app: AppSummary, buildId: string, usesNonExemptEncryption: boolean): Promise<void> {
    await this.ctx.client.patch(`/v1/builds/${seg(buildId)}`, resourceBody('builds', { usesNonExemptEncryption }, undefined, buildId), BuildDoc);
  }
}
