// In-memory state of the App Store Connect emulator: resources by type and id, plus the relationship model that
// the JSON:API layer uses for `include`, relationship links, related-resource routes and `filter[rel]`.
// A resource stores its own to-one links (`rels.app = "123"`) and owned to-many links (`rels.betaGroups = [...]`);
// other to-many relationships are the inverse of a link stored on the other side (an app's builds are the builds
// whose `rels.app` is the app's id), so mutations only ever touch one side.
import { createHash } from 'node:crypto';

export type Attrs = Record<string, unknown>;
export type Link = string | string[] | null;

export interface Res {
  type: string;
  id: string;
  attributes: Attrs;
  rels: Record<string, Link>;
}

export interface RelDef {
  /** Resource type at the other end. */
  type: string;
  many: boolean;
  /** Stored on the other side: the name of the relationship there that points back here. */
  inverse?: string;
  /** Relationship links to emit: both (default), `self` only, or none (linkage only when included). */
  links?: 'both' | 'self' | 'none';
  /** Internal bookkeeping, never serialized (e.g. which app a review belongs to). */
  hidden?: boolean;
}

const rel = (type: string, many: boolean, extra: Partial<RelDef> = {}): RelDef => ({ type, many, ...extra });
const one = (type: string, extra?: Partial<RelDef>) => rel(type, false, extra);
const many = (type: string, extra?: Partial<RelDef>) => rel(type, true, extra);

/** The modelled part of Apple's resource graph. */
export const TYPES: Record<string, Record<string, RelDef>> = {
  apps: {
    appStoreVersions: many('appStoreVersions', { inverse: 'app' }),
    appInfos: many('appInfos', { inverse: 'app' }),
    builds: many('builds', { inverse: 'app' }),
    preReleaseVersions: many('preReleaseVersions', { inverse: 'app' }),
    betaGroups: many('betaGroups', { inverse: 'app' }),
    betaTesters: many('betaTesters', { inverse: 'apps', links: 'self' }),
    customerReviews: many('customerReviews', { inverse: '_app' }),
    reviewSubmissions: many('reviewSubmissions', { inverse: 'app' }),
    betaFeedbackScreenshotSubmissions: many('betaFeedbackScreenshotSubmissions', { inverse: '_app' }),
    betaFeedbackCrashSubmissions: many('betaFeedbackCrashSubmissions', { inverse: '_app' }),
  },
  appInfos: {
    app: one('apps', { links: 'none' }),
    appInfoLocalizations: many('appInfoLocalizations', { inverse: 'appInfo' }),
    primaryCategory: one('appCategories'),
    secondaryCategory: one('appCategories'),
  },
  appInfoLocalizations: { appInfo: one('appInfos', { links: 'none' }) },
  appStoreVersions: {
    app: one('apps', { links: 'none' }),
    appStoreVersionLocalizations: many('appStoreVersionLocalizations', { inverse: 'appStoreVersion' }),
    build: one('builds'),
    appStoreVersionPhasedRelease: one('appStoreVersionPhasedReleases', { inverse: '_appStoreVersion' }),
    customerReviews: many('customerReviews', { inverse: '_appStoreVersion', links: 'self' }),
  },
  appStoreVersionLocalizations: { appStoreVersion: one('appStoreVersions', { links: 'none' }) },
  appStoreVersionPhasedReleases: { _appStoreVersion: one('appStoreVersions', { hidden: true }) },
  appStoreVersionReleaseRequests: { _appStoreVersion: one('appStoreVersions', { hidden: true }) },
  builds: {
    preReleaseVersion: one('preReleaseVersions'),
    individualTesters: many('betaTesters'),
    betaGroups: many('betaGroups', { inverse: 'builds', links: 'self' }),
    app: one('apps'),
    buildBetaDetail: one('buildBetaDetails', { inverse: 'build' }),
    appStoreVersion: one('appStoreVersions', { inverse: 'build' }),
  },
  preReleaseVersions: {
    builds: many('builds', { inverse: 'preReleaseVersion' }),
    app: one('apps'),
  },
  buildBetaDetails: { build: one('builds') },
  betaGroups: {
    app: one('apps'),
    builds: many('builds'),
    betaTesters: many('betaTesters', { inverse: 'betaGroups' }),
  },
  betaTesters: {
    apps: many('apps'),
    betaGroups: many('betaGroups'),
    builds: many('builds'),
  },
  customerReviews: {
    response: one('customerReviewResponses', { inverse: 'review' }),
    reviewTerritory: one('territories', { links: 'none' }),
    _app: one('apps', { hidden: true }),
    _appStoreVersion: one('appStoreVersions', { hidden: true }),
  },
  customerReviewResponses: { review: one('customerReviews') },
  reviewSubmissions: {
    app: one('apps', { links: 'none' }),
    items: many('reviewSubmissionItems', { inverse: '_reviewSubmission' }),
    appStoreVersionForReview: one('appStoreVersions', { links: 'none' }),
  },
  reviewSubmissionItems: {
    appStoreVersion: one('appStoreVersions', { links: 'none' }),
    _reviewSubmission: one('reviewSubmissions', { hidden: true }),
  },
  betaFeedbackScreenshotSubmissions: {
    build: one('builds', { links: 'none' }),
    tester: one('betaTesters', { links: 'none' }),
    _app: one('apps', { hidden: true }),
  },
  betaFeedbackCrashSubmissions: {
    crashLog: one('betaCrashLogs', { inverse: '_submission' }),
    build: one('builds', { links: 'none' }),
    tester: one('betaTesters', { links: 'none' }),
    _app: one('apps', { hidden: true }),
  },
  betaCrashLogs: { _submission: one('betaFeedbackCrashSubmissions', { hidden: true }) },
  territories: {},
  appCategories: {},
};

/** Deterministic UUID-shaped id from a seed string (same seed → same id on every run). */
export function uuidFrom(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16]!, 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export class Store {
  private tables = new Map<string, Map<string, Res>>();
  private version = 0;
  private indexCache = new Map<string, { version: number; index: Map<string, Res[]> }>();
  private counter = 0;

  table(type: string): Map<string, Res> {
    let t = this.tables.get(type);
    if (!t) { t = new Map(); this.tables.set(type, t); }
    return t;
  }

  all(type: string): Res[] { return [...this.table(type).values()]; }
  get(type: string, id: string): Res | undefined { return this.table(type).get(id); }

  add(type: string, id: string, attributes: Attrs, rels: Record<string, Link> = {}): Res {
    const r: Res = { type, id, attributes, rels };
    this.table(type).set(id, r);
    this.touch();
    return r;
  }

  remove(type: string, id: string): boolean {
    const ok = this.table(type).delete(id);
    this.touch();
    return ok;
  }

  /** Call after changing any `rels` in place so inverse indexes are rebuilt. */
  touch(): void { this.version++; }

  /** A new id for a resource created through the API: deterministic for a given sequence of creations. */
  newId(type: string): string { return uuidFrom(`${type}:created:${++this.counter}`); }

  clear(): void { this.tables.clear(); this.indexCache.clear(); this.counter = 0; this.touch(); }

  /** Resources of `type` whose link `relName` points at `targetId` (for one links) or contains it (for many links). */
  inverse(type: string, relName: string, targetId: string): Res[] {
    const key = `${type}.${relName}`;
    let c = this.indexCache.get(key);
    if (!c || c.version !== this.version) {
      const index = new Map<string, Res[]>();
      for (const r of this.table(type).values()) {
        const l = r.rels[relName];
        for (const id of Array.isArray(l) ? l : l ? [l] : []) {
          let list = index.get(id);
          if (!list) { list = []; index.set(id, list); }
          list.push(r);
        }
      }
      c = { version: this.version, index };
      this.indexCache.set(key, c);
    }
    return c.index.get(targetId) ?? [];
  }

  /** Resolves a modelled relationship of `res` to resources (missing targets are skipped). */
  related(res: Res, relName: string): Res[] {
    const def = TYPES[res.type]?.[relName];
    if (!def) return [];
    if (def.inverse) return this.inverse(def.type, def.inverse, res.id);
    const l = res.rels[relName];
    const ids = Array.isArray(l) ? l : l ? [l] : [];
    return ids.map((id) => this.get(def.type, id)).filter((r): r is Res => !!r);
  }

  relatedOne(res: Res, relName: string): Res | undefined { return this.related(res, relName)[0]; }
}
