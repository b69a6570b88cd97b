// The legacy iTunes Connect endpoints AppDesk uses, relative to `…/WebObjects/iTunesConnect.woa/ra/`.
// Paths are the seed's (002: "The unofficial documentation of the iTunes Connect JSON API"); where the seed has
// none, or only a write path, fastlane's later spellings (spaceship tunes_client.rb) are used and marked so.
import { isProviderError } from '../../core/errors';
import type { Infer } from '../../core/validate';
import {
  AnyEnvelope, AppsSummary, AppVersionResponse, BuildDetails, BuildTrains, CreateAppForm, ResolutionCenter, SubmissionSummary,
  TestInformationResponse, Testers, UserDetail, type AppVersion,
} from './schemas';
import type { ItcSession } from './session';

const seg = (s: string | number) => encodeURIComponent(String(s));

export class ItcApi {
  constructor(readonly session: ItcSession) {}

  /** Seed: GET ra/apps/manageyourapps/summary */
  async summary(signal?: AbortSignal): Promise<Infer<typeof AppsSummary>['data']> {
    return (await this.session.request('GET', 'apps/manageyourapps/summary', { schema: AppsSummary, signal })).data;
  }

  /** Seed: GET ra/apps/version/{app} (the version being edited) or `?v=live`. Undefined when the app has none. */
  async version(appId: string, live: boolean, signal?: AbortSignal): Promise<AppVersion | undefined> {
    try {
      const r = await this.session.request('GET', `apps/version/${seg(appId)}`, { schema: AppVersionResponse, query: live ? { v: 'live' } : undefined, signal });
      return r.data;
    } catch (e) {
      if (isProviderError(e) && e.kind === 'notFound') return undefined;
      throw e;
    }
  }

  /** fastlane: GET ra/apps/{app}/platforms/{platform}/versions/{version} */
  async versionById(appId: string, versionId: string, platform = 'ios', signal?: AbortSignal): Promise<AppVersion> {
    return (await this.session.request('GET', `apps/${seg(appId)}/platforms/${seg(platform)}/versions/${seg(versionId)}`, { schema: AppVersionResponse, signal })).data;
  }

  /**
   * Seed: POST ra/apps/version/save/{app} for the version being edited; fastlane's
   * POST ra/apps/{app}/platforms/{platform}/versions/{version} for any other (the live version's description and URLs).
   */
  async saveVersion(appId: string, body: AppVersion, editVersion: boolean, signal?: AbortSignal): Promise<AppVersion> {
    const path = editVersion ? `apps/version/save/${seg(appId)}` : `apps/${seg(appId)}/platforms/${seg(body.platform ?? 'ios')}/versions/${seg(body.versionId)}`;
    return (await this.session.request('POST', path, { schema: AppVersionResponse, json: body, signal })).data;
  }

  /** Seed: POST ra/apps/version/create/{app} {"version": "2.0"} */
  async createVersion(appId: string, versionString: string, signal?: AbortSignal): Promise<AppVersion> {
    return (await this.session.request('POST', `apps/version/create/${seg(appId)}`, { schema: AppVersionResponse, json: { version: versionString }, signal })).data;
  }

  /** Seed: GET ra/apps/{app}/trains/ */
  async trains(appId: string, signal?: AbortSignal): Promise<Infer<typeof BuildTrains>['data']> {
    return (await this.session.request('GET', `apps/${seg(appId)}/trains/`, { schema: BuildTrains, signal })).data;
  }

  private buildPath(appId: string, train: string, build: string, what: string): string {
    return `apps/${seg(appId)}/trains/${seg(train)}/builds/${seg(build)}/${what}`;
  }

  /** Seed: GET ra/apps/{app}/trains/{train}/builds/{build}/details */
  async buildDetails(appId: string, train: string, build: string, signal?: AbortSignal): Promise<Infer<typeof BuildDetails>['data']> {
    return (await this.session.request('GET', this.buildPath(appId, train, build, 'details'), { schema: BuildDetails, signal })).data;
  }

  /** Seed: GET ra/apps/{app}/trains/{train}/builds/{build}/testInformation */
  async testInformation(appId: string, train: string, build: string, signal?: AbortSignal): Promise<Infer<typeof TestInformationResponse>['data']> {
    return (await this.session.request('GET', this.buildPath(appId, train, build, 'testInformation'), { schema: TestInformationResponse, signal })).data;
  }

  /** Seed: POST the same URL with everything inside `data`. */
  async saveTestInformation(appId: string, train: string, build: string, data: unknown, signal?: AbortSignal): Promise<Infer<typeof TestInformationResponse>['data']> {
    return (await this.session.request('POST', this.buildPath(appId, train, build, 'testInformation'), { schema: TestInformationResponse, json: data, signal })).data;
  }

  /** Seed: GET ra/apps/{app}/trains/{train}/builds/{build}/testers */
  async buildTesters(appId: string, train: string, build: string, signal?: AbortSignal): Promise<Infer<typeof Testers>['data']> {
    return (await this.session.request('GET', this.buildPath(appId, train, build, 'testers'), { schema: Testers, signal })).data;
  }

  /** fastlane: GET ra/users/pre/ext (the account's external testers) */
  async externalTesters(signal?: AbortSignal): Promise<Infer<typeof Testers>['data']> {
    return (await this.session.request('GET', 'users/pre/ext', { schema: Testers, signal })).data;
  }

  /** Seed: POST ra/users/pre/create; `groups` as fastlane's create_tester! sends them (`{id, name: {value}}`). */
  async createTester(t: { email: string; firstName?: string; lastName?: string; groups?: { id: string; name: string }[] }, signal?: AbortSignal): Promise<Infer<typeof Testers>['data']> {
    const body = {
      testers: [{
        emailAddress: { value: t.email, errorKeys: [] },
        firstName: { value: t.firstName ?? '' },
        lastName: { value: t.lastName ?? '' },
        testing: { value: true },
        groups: (t.groups ?? []).map((g) => ({ id: g.id, name: { value: g.name } })),
      }],
    };
    return (await this.session.request('POST', 'users/pre/create', { schema: Testers, json: body, signal })).data;
  }

  /** As recorded by fastlane: GET ra/apps/{app}/versions/{version}/submit/summary (submission, step 1). */
  async submitStart(appId: string, versionId: string, signal?: AbortSignal): Promise<Infer<typeof SubmissionSummary>['data']> {
    return (await this.session.request('GET', `apps/${seg(appId)}/versions/${seg(versionId)}/submit/summary`, { schema: SubmissionSummary, signal })).data;
  }

  /** As recorded by fastlane: POST ra/apps/{app}/versions/{version}/submit/complete with step 1's data (step 2). */
  async submitComplete(appId: string, versionId: string, data: unknown, signal?: AbortSignal): Promise<void> {
    await this.session.request('POST', `apps/${seg(appId)}/versions/${seg(versionId)}/submit/complete`, { schema: AnyEnvelope, json: data, signal });
  }

  /** Seed: POST ra/apps/{app}/versions/{version}/reject */
  async reject(appId: string, versionId: string, signal?: AbortSignal): Promise<void> {
    await this.session.request('POST', `apps/${seg(appId)}/versions/${seg(versionId)}/reject`, { schema: AnyEnvelope, signal });
  }

  /** Seed (as a GET, like fastlane's recording): ra/apps/{app}/resolutionCenter?v=latest */
  async resolutionCenter(appId: string, signal?: AbortSignal): Promise<Infer<typeof ResolutionCenter>['data']> {
    return (await this.session.request('GET', `apps/${seg(appId)}/resolutionCenter`, { schema: ResolutionCenter, query: { v: 'latest' }, signal })).data;
  }

  /** fastlane: GET ra/user/detail — the signed-in user (a cheap call for verify). */
  async userDetail(signal?: AbortSignal): Promise<Infer<typeof UserDetail>['data']> {
    return (await this.session.request('GET', 'user/detail', { schema: UserDetail, signal })).data;
  }

  /** Seed: the new-app form, GET ra/apps/create/?appType={platform} (prefilled with the team's data). */
  async createAppForm(platform: string, signal?: AbortSignal): Promise<Infer<typeof CreateAppForm>['data']> {
    return (await this.session.request('GET', 'apps/create/', { schema: CreateAppForm, query: { appType: platform }, signal })).data;
  }

  /** Seed: POST ra/apps/create/?appType={platform} with the filled form. */
  async createApp(platform: string, form: unknown, signal?: AbortSignal): Promise<Infer<typeof CreateAppForm>['data']> {
    return (await this.session.request('POST', 'apps/create/', { schema: CreateAppForm, query: { appType: platform }, json: form, signal })).data;
  }
}
