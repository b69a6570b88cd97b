// A live App Store Connect account: the JWT, the shared per-key limiter, the client, the tree sections and the
// capability services.
import { ascInfo } from './info';
import { AuthError } from '../../core/errors';
import { RedactingLogger, type Logger } from '../../core/logger';
import { registerSecret } from '../../core/redact';
import { secretKey, type AccountConfig, type AppSummary, type BudgetInfo, type Capability, type Connection, type Item, type ListOptions, type Page, type ProviderHost, type Section, type WatchedState } from '../types';
import { AscBuildsService } from './builds';
import { AscClient, limiterFor } from './client';
import type { AscContext } from './context';
import { seg } from './context';
import { AscFeedbackService } from './feedback';
import { fullName, stars, testerStateLabel } from './format';
import { AUDIENCE, ENTERPRISE_AUDIENCE, TokenSource } from './jwt';
import { PROVIDER, parsePrivateKey, readSettings } from './keys';
import { AscMetadataService, toVersionInfo } from './metadata';
import { AscReleaseService } from './release';
import { AscReportsService } from './reports';
import { AscReviewsService } from './reviews';
import { App, AppStoreVersion, Build, collection, findIncluded, relId, single } from './schemas';
import { AscTestersService } from './testers';

/** Apps the watcher polls per account (each costs four requests a poll). */
const WATCHED_APPS = 25;

export const DEFAULT_BASE_URL = 'https://api.appstoreconnect.apple.com';
export const ENTERPRISE_BASE_URL = 'https://api.enterprise.developer.apple.com';
export const CAPABILITIES: readonly Capability[] = ascInfo.capabilities;

const AppList = collection(App);
const AppDoc = single(App);
const VersionList = collection(AppStoreVersion);
const RECONNECT = 'Reconnect the account and choose the AuthKey_<key ID>.p8 file again.';

export function toAppSummary(a: App): AppSummary {
  const at = a.attributes ?? {};
  return {
    id: a.id,
    name: at.name ?? a.id,
    ...(at.bundleId && { bundleId: at.bundleId }),
    storeId: a.id,
    data: { ...(at.sku && { sku: at.sku }), ...(at.primaryLocale && { primaryLocale: at.primaryLocale }) },
  };
}

function shortDate(iso: string | undefined): string {
  return iso && /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10) : '';
}

export class AscConnection implements Connection {
  readonly capabilities: ReadonlySet<Capability> = new Set(CAPABILITIES);
  readonly services: {
    metadata: AscMetadataService;
    builds: AscBuildsService;
    testers: AscTestersService;
    reviews: AscReviewsService;
    feedback: AscFeedbackService;
    release: AscReleaseService;
    reports: AscReportsService;
  };
  readonly client: AscClient;
  readonly tokens: TokenSource;
  readonly ctx: AscContext;
  private readonly logger: Logger;

  constructor(
    readonly account: AccountConfig,
    host: ProviderHost,
  ) {
    // Whatever the host gives us, nothing below logs a key or a token.
    this.logger = new RedactingLogger(host.logger);
    const settings = readSettings(account.settings);
    const baseUrl = (account.baseUrl ?? (settings.inHouse ? ENTERPRISE_BASE_URL : DEFAULT_BASE_URL)).replace(/\/+$/, '');
    this.tokens = new TokenSource({
      keyId: settings.keyId,
      issuerId: settings.issuerId,
      audience: settings.inHouse ? ENTERPRISE_AUDIENCE : AUDIENCE,
      loadKey: async () => {
        const stored = await host.secrets.get(secretKey(account.id, 'privateKey'));
        if (!stored) throw new AuthError({ provider: PROVIDER, summary: `The private key of ${account.label} is missing`, hint: RECONNECT });
        registerSecret(stored);
        try {
          const parsed = parsePrivateKey(stored);
          registerSecret(parsed.pem);
          registerSecret(parsed.pem.replace(/-----[A-Z ]+-----|\s/g, ''));
          return parsed.key;
        } catch (e) {
          throw new AuthError({ provider: PROVIDER, summary: `The stored private key of ${account.label} is not usable`, details: [(e as Error).message], hint: RECONNECT });
        }
      },
    });
    this.client = new AscClient({
      baseUrl,
      tokens: this.tokens,
      limiter: limiterFor(baseUrl, settings.issuerId, settings.keyId, this.logger, host.clock),
      logger: this.logger,
      proxy: host.proxy,
      timeoutMs: host.timeoutMs,
      clock: host.clock,
    });
    this.ctx = { client: this.client, logger: this.logger, settings };
    const metadata = new AscMetadataService(this.ctx);
    this.services = {
      metadata,
      builds: new AscBuildsService(this.ctx),
      testers: new AscTestersService(this.ctx),
      reviews: new AscReviewsService(this.ctx),
      feedback: new AscFeedbackService(this.ctx),
      release: new AscReleaseService(this.ctx, metadata),
      reports: new AscReportsService(this.ctx),
    };
  }

  async verify(signal?: AbortSignal): Promise<void> {
    await this.client.get('/v1/apps', AppList, { query: { limit: 1, 'fields[apps]': 'name' }, signal, cache: false });
  }

  async listApps(opts: ListOptions & { groupId?: string } = {}): Promise<Page<AppSummary>> {
    const p = await this.client.page('/v1/apps', AppList, {
      query: { 'fields[apps]': 'name,bundleId,sku,primaryLocale', sort: 'name', limit: 200 },
      cursor: opts.cursor,
      signal: opts.signal,
    });
    return { items: p.data.map(toAppSummary), ...(p.next && { next: p.next }), ...(p.total !== undefined && { total: p.total }) };
  }

  /** One app by its Apple ID (the CLI takes ids). */
  async getApp(appId: string, signal?: AbortSignal): Promise<AppSummary> {
    const doc = await this.client.get(`/v1/apps/${seg(appId)}`, AppDoc, { query: { 'fields[apps]': 'name,bundleId,sku,primaryLocale' }, signal });
    return toAppSummary(doc.data);
  }

  sections(_app: AppSummary): Section[] {
    const s = this.services;
    return [
      {
        kind: 'versions',
        label: 'App Store Versions',
        icon: 'versions',
        list: async (app, opts) => {
          const p = await this.client.page(`/v1/apps/${seg(app.id)}/appStoreVersions`, VersionList, {
            query: { include: 'build', 'fields[builds]': 'version', limit: 50 },
            cursor: opts.cursor,
            signal: opts.signal,
          });
          const items = p.data.map((v): Item => {
            const info = toVersionInfo(v, findIncluded(p.included, 'builds', relId(v, 'build'), Build));
            return {
              id: info.id,
              label: info.platform && info.platform !== 'IOS' ? `${info.versionString} (${info.platformLabel})` : info.versionString,
              description: info.stateLabel,
              tooltip: `${info.versionString} · ${info.stateLabel}${info.buildLabel ? ` · build ${info.buildLabel}` : ''}`,
              icon: info.live ? 'pass-filled' : info.editable ? 'edit' : 'tag',
              ...(info.tone && { tone: info.tone }),
              tags: ['version', ...(info.editable ? ['editable'] : []), ...(info.live ? ['live'] : [])],
              data: { ...info },
            };
          });
          return { items, ...(p.next && { next: p.next }) };
        },
      },
      {
        kind: 'builds',
        label: 'Builds',
        icon: 'package',
        list: async (app, opts) => {
          const p = await s.builds.list(app, opts);
          return {
            ...p,
            items: p.items.map((b): Item => ({
              id: b.id,
              label: `${b.version} (${b.buildNumber})`,
              description: [String(b.details?.state ?? b.processingState), shortDate(b.uploadedDate)].filter(Boolean).join(' · '),
              icon: b.expired ? 'circle-slash' : b.processingState === 'PROCESSING' ? 'loading~spin' : 'package',
              ...(b.tone && { tone: b.tone }),
              tags: ['build', ...(b.expired ? ['expired'] : []), ...(b.usesNonExemptEncryption === null && b.processingState === 'VALID' ? ['needsExportCompliance'] : [])],
              data: { ...b },
            })),
          };
        },
      },
      {
        kind: 'testers',
        label: 'TestFlight',
        icon: 'beaker',
        list: async (app, opts) => {
          const groups = await s.testers.groups(app, opts);
          return {
            items: groups.map((g): Item => ({
              id: g.id,
              label: g.name,
              description: [g.testerCount !== undefined ? `${g.testerCount} tester${g.testerCount === 1 ? '' : 's'}` : '', g.internal ? 'internal' : 'external', g.publicLink ? 'public link' : '']
                .filter(Boolean)
                .join(' · '),
              ...(g.publicLink && { tooltip: g.publicLink }),
              icon: g.internal ? 'organization' : 'globe',
              expandable: true,
              tags: ['betaGroup', g.internal ? 'internal' : 'external'],
              data: { ...g, groupId: g.id },
            })),
          };
        },
        children: async (app, parent, opts) => {
          const p = await s.testers.testers(app, { ...opts, groupId: parent.id });
          return {
            ...p,
            items: p.items.map((t): Item => {
              const name = fullName(t.firstName, t.lastName);
              return {
                id: `${parent.id}/${t.id}`,
                label: name ?? t.email,
                description: [name ? t.email : '', testerStateLabel(t.state) ?? ''].filter(Boolean).join(' · '),
                icon: 'person',
                ...(t.state === 'REVOKED' && { tone: 'warning' as const }),
                tags: ['tester'],
                data: { ...t, testerId: t.id, groupId: parent.id },
              };
            }),
          };
        },
      },
      {
        kind: 'reviews',
        label: 'Ratings and Reviews',
        icon: 'star-empty',
        list: async (app, opts) => {
          const p = await s.reviews.list(app, { sort: 'newest' }, opts);
          return {
            ...p,
            items: p.items.map((r): Item => ({
              id: r.id,
              label: `${stars(r.rating)} ${r.title ?? ''}`.trim(),
              description: [r.territory ?? '', r.author ?? '', r.response ? (r.response.state === 'PENDING_PUBLISH' ? 'reply pending' : 'answered') : ''].filter(Boolean).join(' · '),
              tooltip: r.body,
              icon: r.response ? 'comment-discussion' : 'comment',
              ...(r.rating <= 2 && { tone: 'warning' as const }),
              tags: ['review', r.response ? 'answered' : 'unanswered'],
              data: { ...r },
            })),
          };
        },
      },
      {
        kind: 'feedback',
        label: 'TestFlight Feedback',
        icon: 'feedback',
        list: async (app, opts) => {
          const p = await s.feedback.list(app, opts);
          return {
            ...p,
            items: p.items.map((f): Item => ({
              id: `${f.type}/${f.id}`,
              label: f.text || (f.type === 'crash' ? 'Crash (no comment)' : 'Screenshot (no comment)'),
              description: [f.author ?? f.email ?? '', f.details?.build ? `build ${String(f.details.build)}` : '', shortDate(f.createdDate)].filter(Boolean).join(' · '),
              icon: f.type === 'crash' ? 'bug' : 'device-camera',
              ...(f.type === 'crash' && { tone: 'warning' as const }),
              tags: ['feedback', f.type],
              data: { ...f },
            })),
          };
        },
      },
    ];
  }

  /**
   * What the watcher compares between polls: version and review-submission states, the newest builds' processing
   * states and the newest reviews, for the first apps (a bounded number, so a poll stays cheap on the hourly budget).
   */
  async watch(signal?: AbortSignal): Promise<WatchedState[]> {
    const apps = (await this.listApps({ signal })).items.slice(0, WATCHED_APPS);
    const perApp = await Promise.all(apps.map(async (app) => {
      const s = this.services;
      const [versions, builds, reviews, submission] = await Promise.all([
        s.metadata.listVersions(app, { signal }),
        s.builds.list(app, { signal, limit: 5 }),
        s.reviews.list(app, { sort: 'newest' }, { signal, limit: 5 }),
        s.release.currentSubmission(app),
      ]);
      const states: WatchedState[] = [
        ...versions.map((v) => ({ key: `version:${v.id}`, kind: 'version' as const, app, label: `Version ${v.versionString}`, state: v.state, stateLabel: v.stateLabel, tone: v.tone })),
        ...builds.items.map((b) => ({
          key: `build:${b.id}`, kind: 'build' as const, app, label: `Build ${b.version} (${b.buildNumber})`, state: b.processingState,
          stateLabel: b.processingState === 'VALID' ? 'Ready (processing finished)' : b.processingState.toLowerCase(), tone: b.tone,
        })),
        ...reviews.items.map((r) => ({ key: `review:${r.id}`, kind: 'review' as const, app, label: `${stars(r.rating)} ${r.title ?? ''}`.trim(), state: 'received', stateLabel: 'Received' })),
      ];
      if (submission) {
        states.push({ key: `submission:${submission.id}`, kind: 'submission', app, label: 'Review submission', state: submission.state, stateLabel: submission.state.replace(/_/g, ' ').toLowerCase() });
      }
      return states;
    }));
    return perApp.flat();
  }

  /** Requests left this (rolling) hour, as the limiter learnt them from `X-Rate-Limit`. */
  async budget(): Promise<BudgetInfo | undefined> {
    const hour = this.client.limiter.status().find((w) => w.name === 'hour');
    if (!hour) return undefined;
    const remaining = Math.max(0, hour.limit - hour.used);
    return {
      label: 'App Store Connect requests left this hour',
      remaining,
      limit: hour.limit,
      ...(remaining === 0 && { resetsAt: this.client.limiter.nextSlotAt() }),
    };
  }

  dispose(): void {
    this.client.dispose();
  }
}
