// Messages of the builds panel (shared by every provider with the `builds` capability: App Store Connect and
// legacy iTunes Connect). The webview names builds by id only; the extension acts on the BuildInfo it loaded
// itself, so a webview can never make the extension act on data it invented.
import type { BuildInfo, BuildTestInfo } from '../providers/services';
import { isRecord, isString, type PanelError } from './messages';

/** Apple's limits for the beta test information fields. */
export const TEST_INFO_LIMITS: Readonly<Record<keyof BuildTestInfo, number>> = {
  whatToTest: 4000,
  description: 4000,
  feedbackEmail: 254,
  marketingUrl: 2000,
  privacyPolicyUrl: 2000,
};
export const TEST_INFO_KEYS = Object.keys(TEST_INFO_LIMITS) as (keyof BuildTestInfo)[];

export interface BuildsCapabilities {
  expire: boolean;
  exportCompliance: boolean;
  testInfo: boolean;
  editTestInfo: boolean;
}

export type BuildsUpdate =
  | { type: 'init'; provider: string; appName: string; bundleId?: string; can: BuildsCapabilities }
  /** A page of builds; `append` adds it to the list shown, otherwise it replaces the list. */
  | { type: 'builds'; items: BuildInfo[]; hasMore: boolean; append: boolean }
  | { type: 'buildUpdated'; build: BuildInfo; notice?: string }
  /** The outcome of an action on one build failed; the row shows the error. */
  | { type: 'actionFailed'; buildId: string; action: 'expire' | 'exportCompliance' | 'testInfo'; error: PanelError }
  | { type: 'testInfo'; buildId: string; info: BuildTestInfo }
  | { type: 'testInfoSaved'; buildId: string; info: BuildTestInfo }
  | { type: 'error'; error: PanelError }
  | { type: 'busy'; busy: boolean; label?: string };

export type BuildsRequest =
  | { type: 'ready' }
  | { type: 'refresh' }
  | { type: 'loadMore' }
  | { type: 'expire'; buildId: string }
  | { type: 'setExportCompliance'; buildId: string; usesNonExemptEncryption: boolean }
  | { type: 'getTestInfo'; buildId: string }
  | { type: 'setTestInfo'; buildId: string; info: BuildTestInfo };

/** Ids from providers: short, printable, no whitespace. */
export function isId(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= 200 && /^[\x21-\x7e]+$/.test(v);
}

/** Validates a message from the builds webview; anything malformed, oversized or unknown is dropped. */
export function parseBuildsRequest(raw: unknown): BuildsRequest | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.type) {
    case 'ready': case 'refresh': case 'loadMore':
      return { type: raw.type };
    case 'expire': case 'getTestInfo':
      return isId(raw.buildId) ? { type: raw.type, buildId: raw.buildId } : undefined;
    case 'setExportCompliance':
      return isId(raw.buildId) && typeof raw.usesNonExemptEncryption === 'boolean'
        ? { type: 'setExportCompliance', buildId: raw.buildId, usesNonExemptEncryption: raw.usesNonExemptEncryption }
        : undefined;
    case 'setTestInfo': {
      if (!isId(raw.buildId) || !isRecord(raw.info)) return undefined;
      const info: BuildTestInfo = {};
      for (const [k, v] of Object.entries(raw.info)) {
        if (!(TEST_INFO_KEYS as string[]).includes(k)) return undefined;
        if (!isString(v, TEST_INFO_LIMITS[k as keyof BuildTestInfo])) return undefined;
        info[k as keyof BuildTestInfo] = v;
      }
      return { type: 'setTestInfo', buildId: raw.buildId, info };
    }
    default:
      return undefined;
  }
}

/** Field-level problems of a test information form (shared by the webview, for live feedback, and the extension). */
export function testInfoProblems(info: BuildTestInfo): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const key of TEST_INFO_KEYS) {
    const v = info[key];
    if (v === undefined || v === '') continue;
    if ([...v].length > TEST_INFO_LIMITS[key]) problems[key] = `At most ${TEST_INFO_LIMITS[key]} characters.`;
  }
  if (info.feedbackEmail && !isEmail(info.feedbackEmail)) problems.feedbackEmail = 'Enter an email address such as beta@example.com.';
  for (const key of ['marketingUrl', 'privacyPolicyUrl'] as const) {
    const v = info[key];
    if (v && !/^https?:\/\/[^\s]+$/i.test(v)) problems[key] = 'Enter a full URL starting with https://.';
  }
  return problems;
}

/** A pragmatic email check: one @, no spaces or list separators, a dot in the domain. */
export function isEmail(v: string): boolean {
  return v.length <= 254 && /^[^\s@,;<>"()[\]]+@[^\s@,;<>"()[\]]+\.[^\s@,;<>"()[\]]+$/.test(v);
}
