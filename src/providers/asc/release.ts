// Release: readiness checks before submission, the review submission flow (reviewSubmissions → items → submitted),
// cancelling, phased release and the manual release of an approved version.
import { ValidationError, isProviderError } from '../../core/errors';
import type { PhasedRelease as PhasedReleaseInfo, ReadinessCheck, ReleaseService, SubmissionInfo } from '../services';
import type { AppSummary } from '../types';
import { resourceBody } from './client';
import { byDateDesc, seg, type AscContext } from './context';
import { EDITABLE_VERSION_STATES } from './format';
import { PROVIDER } from './keys';
import type { AscMetadataService } from './metadata';
import { METADATA_FIELDS } from './metadata';
import {
  AppStoreVersion,
  AppStoreVersionReleaseRequest,
  PhasedRelease,
  ReviewSubmission,
  ReviewSubmissionItem,
  collection,
  relId,
  single,
  singleOrNull,
} from './schemas';

const SubmissionList = collection(ReviewSubmission);
const SubmissionDoc = single(ReviewSubmission);
const ItemDoc = single(ReviewSubmissionItem);
const ItemList = collection(ReviewSubmissionItem);
const VersionDoc = single(AppStoreVersion);
const PhasedDoc = singleOrNull(PhasedRelease);
const PhasedSingle = single(PhasedRelease);
const ReleaseRequestDoc = single(AppStoreVersionReleaseRequest);

/** Fields every localization needs before App Review accepts a submission. */
export const REQUIRED_FOR_REVIEW = ['name', 'description', 'keywords', 'supportUrl'] as const;
/** Submissions still in flight (a draft is READY_FOR_REVIEW). */
const OPEN_STATES = ['READY_FOR_REVIEW', 'WAITING_FOR_REVIEW', 'IN_REVIEW', 'UNRESOLVED_ISSUES', 'CANCELING', 'COMPLETING'];

function toSubmission(s: ReviewSubmission, versionId?: string): SubmissionInfo {
  const a = s.attributes ?? {};
  const v = versionId ?? relId(s, 'appStoreVersionForReview');
  return { id: s.id, state: a.state ?? 'UNKNOWN', ...(a.submittedDate && { submittedDate: a.submittedDate }), ...(v && { versionId: v }) };
}

function toPhased(p: PhasedRelease): PhasedReleaseInfo {
  const a = p.attributes ?? {};
  return {
    id: p.id,
    state: a.phasedReleaseState ?? 'INACTIVE',
    ...(typeof a.currentDayNumber === 'number' && { currentDayNumber: a.currentDayNumber }),
    ...(a.startDate && { startDate: a.startDate }),
  };
}

const label = (key: string) => METADATA_FIELDS.find((f) => f.key === key)?.label ?? key;

export class AscReleaseService implements ReleaseService {
  constructor(
    private readonly ctx: AscContext,
    private readonly metadata: AscMetadataService,
  ) {}

  async readiness(app: AppSummary, versionId: string): Promise<ReadinessCheck[]> {
    const { document, build, copyright } = await this.metadata.snapshot(app, versionId);
    const checks: ReadinessCheck[] = [];
    const v = document.version;
    checks.push({
      ok: EDITABLE_VERSION_STATES.has(v.state),
      label: EDITABLE_VERSION_STATES.has(v.state) ? `Version ${v.versionString} can be submitted (${v.stateLabel})` : `Version ${v.versionString} is ${v.stateLabel}; only a version being prepared can be submitted`,
    });
    checks.push(copyright ? { ok: true, label: `Copyright: ${copyright}` } : { ok: false, label: 'The version has no copyright line', fix: { target: 'metadata', field: 'copyright' } });
    if (!document.locales.length) checks.push({ ok: false, label: 'No localization has any metadata', fix: { target: 'metadata' } });
    for (const l of document.locales) {
      const missing = REQUIRED_FOR_REVIEW.filter((k) => !(l.values[k] ?? '').trim());
      checks.push(
        missing.length
          ? { ok: false, label: `${l.locale}: ${missing.map(label).join(', ')} missing`, fix: { target: 'metadata', locale: l.locale, field: missing[0]! } }
          : { ok: true, label: `${l.locale}: name, description, keywords and support URL filled in` },
      );
    }
    if (!v.buildId) {
      checks.push({ ok: false, label: 'No build is attached to this version', fix: { target: 'builds' } });
    } else {
      const a = build?.attributes ?? {};
      checks.push({ ok: true, label: `Build ${v.buildLabel ?? a.version ?? v.buildId} attached` });
      const valid = a.processingState === 'VALID' && !a.expired;
      checks.push({
        ok: valid,
        label: valid ? 'The build is processed and valid' : a.expired ? 'The attached build has expired' : `The attached build is ${(a.processingState ?? 'unknown').toLowerCase()}`,
        ...(!valid && { fix: { target: 'builds' as const } }),
      });
      if (valid) {
        const answered = a.usesNonExemptEncryption !== null && a.usesNonExemptEncryption !== undefined;
        checks.push({ ok: answered, label: answered ? 'Export compliance answered' : 'Export compliance (encryption) is not answered for the build', ...(!answered && { fix: { target: 'builds' as const } }) });
      }
    }
    return checks;
  }

  /**
   * Submits a version: reuses an open draft submission of the app for the version's platform (Apple allows one) or
   * creates one, adds the version as an item unless it is already in it, then marks the submission submitted.
   */
  async submit(app: AppSummary, versionId: string, signal?: AbortSignal): Promise<SubmissionInfo> {
    const c = this.ctx.client;
    const [vdoc, drafts] = await Promise.all([
      c.get(`/v1/appStoreVersions/${seg(versionId)}`, VersionDoc, { query: { 'fields[appStoreVersions]': 'platform,versionString,appVersionState,appStoreState' }, signal }),
      c.page('/v1/reviewSubmissions', SubmissionList, {
        // A draft, or a rejected submission (UNRESOLVED_ISSUES) that is resubmitted after fixing.
        query: { 'filter[app]': app.id, 'filter[state]': 'READY_FOR_REVIEW,UNRESOLVED_ISSUES', include: 'appStoreVersionForReview', limit: 20 },
        signal,
      }),
    ]);
    const platform = vdoc.data.attributes?.platform ?? 'IOS';
    const samePlatform = drafts.data.filter((s) => (s.attributes?.platform ?? platform) === platform);
    let submission = samePlatform.find((s) => s.attributes?.state === 'UNRESOLVED_ISSUES') ?? samePlatform[0];
    if (!submission) {
      submission = (
        await c.post(
          '/v1/reviewSubmissions',
          resourceBody('reviewSubmissions', { platform }, { app: { type: 'apps', id: app.id } }),
          SubmissionDoc,
          { signal },
        )
      ).data;
    }
    if (relId(submission, 'appStoreVersionForReview') !== versionId) {
      const subId = submission.id;
      await c
        .post(
          '/v1/reviewSubmissionItems',
          resourceBody('reviewSubmissionItems', undefined, {
            reviewSubmission: { type: 'reviewSubmissions', id: subId },
            appStoreVersion: { type: 'appStoreVersions', id: versionId },
          }),
          ItemDoc,
          { signal },
        )
        .catch(async (e: unknown) => {
          // Already an item of this submission (the linkage above is not always reported): carry on.
          if (!(isProviderError(e) && e.kind === 'validation') || !(await this.hasItem(subId, versionId, signal))) throw e;
        });
    }
    const done = await c.patch(`/v1/reviewSubmissions/${seg(submission.id)}`, resourceBody('reviewSubmissions', { submitted: true }, undefined, submission.id), SubmissionDoc, { signal });
    this.ctx.logger.info(`App Store Connect: submitted ${app.name} ${vdoc.data.attributes?.versionString ?? versionId} for review`);
    return toSubmission(done.data, versionId);
  }

  private async hasItem(submissionId: string, versionId: string, signal?: AbortSignal): Promise<boolean> {
    return (await this.itemVersions(submissionId, signal)).includes(versionId);
  }

  /** Ids of the App Store versions among a submission's items. */
  private async itemVersions(submissionId: string, signal?: AbortSignal): Promise<string[]> {
    const items = await this.ctx.client.all(`/v1/reviewSubmissions/${seg(submissionId)}/items`, ItemList, { query: { include: 'appStoreVersion', limit: 200 }, signal });
    return items.data.map((i) => relId(i, 'appStoreVersion')).filter((x): x is string => !!x);
  }

  /** The submission in flight (or the draft), newest first. */
  async currentSubmission(app: AppSummary): Promise<SubmissionInfo | undefined> {
    const p = await this.ctx.client.page('/v1/reviewSubmissions', SubmissionList, {
      query: { 'filter[app]': app.id, 'filter[state]': OPEN_STATES.join(','), include: 'appStoreVersionForReview', limit: 20 },
    });
    const ordered = byDateDesc(p.data, (s) => s.attributes?.submittedDate);
    // Something actually with App Review first, then a draft.
    const s = ordered.find((x) => x.attributes?.state !== 'READY_FOR_REVIEW') ?? ordered[0];
    if (!s) return undefined;
    const versionId = relId(s, 'appStoreVersionForReview') ?? (await this.itemVersions(s.id))[0];
    return toSubmission(s, versionId);
  }

  async cancelSubmission(_app: AppSummary, submission: SubmissionInfo): Promise<void> {
    await this.ctx.client.patch(`/v1/reviewSubmissions/${seg(submission.id)}`, resourceBody('reviewSubmissions', { canceled: true }, undefined, submission.id), SubmissionDoc);
  }

  async phasedRelease(_app: AppSummary, versionId: string): Promise<PhasedReleaseInfo | undefined> {
    const doc = await this.ctx.client.get(`/v1/appStoreVersions/${seg(versionId)}/appStoreVersionPhasedRelease`, PhasedDoc);
    return doc.data ? toPhased(doc.data) : undefined;
  }

  async setPhasedRelease(_app: AppSummary, release: PhasedReleaseInfo, state: 'ACTIVE' | 'PAUSED' | 'COMPLETE'): Promise<PhasedReleaseInfo> {
    if (!release.id) throw new ValidationError({ provider: PROVIDER, summary: 'This version has no phased release to change' });
    const doc = await this.ctx.client.patch(
      `/v1/appStoreVersionPhasedReleases/${seg(release.id)}`,
      resourceBody('appStoreVersionPhasedReleases', { phasedReleaseState: state }, undefined, release.id),
      PhasedSingle,
    );
    return toPhased(doc.data);
  }

  /** Starts a phased release for a version that has none (before it goes live). */
  async enablePhasedRelease(_app: AppSummary, versionId: string): Promise<PhasedReleaseInfo> {
    const doc = await this.ctx.client.post(
      '/v1/appStoreVersionPhasedReleases',
      resourceBody('appStoreVersionPhasedReleases', { phasedReleaseState: 'INACTIVE' }, { appStoreVersion: { type: 'appStoreVersions', id: versionId } }),
      PhasedSingle,
    );
    return toPhased(doc.data);
  }

  /** Releases a version that is Pending Developer Release. */
  async releaseVersion(_app: AppSummary, versionId: string): Promise<void> {
    await this.ctx.client.post(
      '/v1/appStoreVersionReleaseRequests',
      resourceBody('appStoreVersionReleaseRequests', undefined, { appStoreVersion: { type: 'appStoreVersions', id: versionId } }),
      ReleaseRequestDoc,
    );
  }
}
