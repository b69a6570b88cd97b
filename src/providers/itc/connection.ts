// One iTunes Connect account: its session, the tree sections (Version, Builds, Testers) and the capability services.
import { itcInfo } from './info';
import type { AccountConfig, AppSummary, Capability, Connection, Item, ListOptions, Page, ProviderHost, Section } from '../types';
import { ItcApi } from './api';
import { ItcBuildsService, ItcReleaseService, ItcTestersService, createItcApp, type NewItcApp } from './capabilities';
import { appSummaryOf, buildItem, testerItem, trainItem, versionItem } from './mapping';
import { ItcMetadataService } from './metadata';
import { ItcSession } from './session';

export const ITC_CAPABILITIES: readonly Capability[] = itcInfo.capabilities;

export interface ItcServices {
  metadata: ItcMetadataService;
  builds: ItcBuildsService;
  testers: ItcTestersService;
  release: ItcReleaseService;
}

export interface ItcConnection extends Connection {
  readonly services: ItcServices;
  readonly session: ItcSession;
  readonly api: ItcApi;
  /** Creates an app (name, bundle id, SKU, first version, primary language). */
  createApp(app: NewItcApp, signal?: AbortSignal): Promise<AppSummary>;
  dispose(): void;
}

export function isItcConnection(c: Connection): c is ItcConnection {
  return c.account.providerId === 'itc' && 'api' in c && 'session' in c;
}

export function connectItc(account: AccountConfig, host: ProviderHost): ItcConnection {
  const session = new ItcSession(account, host);
  const api = new ItcApi(session);
  const metadata = new ItcMetadataService(api);
  const builds = new ItcBuildsService(api);
  const testers = new ItcTestersService(api);
  const release = new ItcReleaseService(api, metadata);
  const services: ItcServices = { metadata, builds, testers, release };

  const versionsSection: Section = {
    kind: 'versions',
    label: 'Version',
    icon: 'versions',
    async list(app, opts): Promise<Page<Item>> {
      const versions = await metadata.listVersions(app, opts);
      return { items: versions.map((v) => versionItem(app.id, v)) };
    },
  };

  const buildsSection: Section = {
    kind: 'builds',
    label: 'Builds',
    icon: 'package',
    async list(app, opts): Promise<Page<Item>> {
      const byTrain = await builds.byTrain(app, opts.signal);
      return { items: [...byTrain].map(([train, list]) => trainItem(app.id, train, list)) };
    },
    async children(app, parent, opts): Promise<Page<Item>> {
      const train = typeof parent.data?.train === 'string' ? parent.data.train : parent.label;
      const list = (await builds.byTrain(app, opts.signal)).get(train) ?? [];
      return { items: list.map((b) => buildItem(app.id, b)) };
    },
  };

  const testersSection: Section = {
    kind: 'testers',
    label: 'Testers',
    icon: 'person',
    async list(app, opts): Promise<Page<Item>> {
      const page = await testers.testers(app, opts);
      return { items: page.items.map((t) => testerItem(app.id, t)), total: page.total };
    },
  };

  return {
    account,
    capabilities: new Set(ITC_CAPABILITIES),
    services,
    session,
    api,
    async verify(signal?: AbortSignal): Promise<void> {
      await session.ensure(signal);
      await api.userDetail(signal);
    },
    async listApps(opts: ListOptions): Promise<Page<AppSummary>> {
      const data = await api.summary(opts.signal);
      const items = data.summaries.map(appSummaryOf);
      return { items, total: items.length };
    },
    sections: () => [versionsSection, buildsSection, testersSection],
    async createApp(app: NewItcApp, signal?: AbortSignal): Promise<AppSummary> {
      const created = await createItcApp(api, app, signal);
      return { id: created.adamId, name: created.name, bundleId: created.bundleId, storeId: created.adamId, platform: app.platform ?? 'ios', data: { sku: created.sku } };
    },
    dispose: () => session.dispose(),
  };
}
