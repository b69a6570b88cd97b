// Messages of the release panel: readiness, submission, phased release, manual release, resolution center.
import type { PhasedRelease, ReadinessCheck, SubmissionInfo, VersionInfo } from '../providers/services';
import { isRecord, isString, parseFocus, type PanelError, type PanelFocus } from './messages';

export interface ReleaseFeatures {
  cancel: boolean;
  phased: boolean;
  release: boolean;
  reject: boolean;
  resolutionCenter: boolean;
}

export interface ResolutionThread {
  id: string;
  version?: string;
  messages: { from: string; date: string; html: string }[];
}

export type ReleaseUpdate =
  | { type: 'init'; provider: string; appName: string; versions: VersionInfo[]; features: ReleaseFeatures }
  | { type: 'state'; version: VersionInfo; readiness: ReadinessCheck[]; submission?: SubmissionInfo; phased?: PhasedRelease }
  | { type: 'resolutionCenter'; threads: ResolutionThread[] }
  | { type: 'done'; message: string }
  | { type: 'error'; error: PanelError }
  | { type: 'busy'; busy: boolean; label?: string };

export type ReleaseRequest =
  | { type: 'ready' }
  | { type: 'selectVersion'; versionId: string }
  | { type: 'submit'; versionId: string }
  | { type: 'cancel' }
  | { type: 'setPhased'; state: 'ACTIVE' | 'PAUSED' | 'COMPLETE' }
  | { type: 'releaseNow'; versionId: string }
  | { type: 'reject'; versionId: string }
  | { type: 'fix'; target: 'metadata' | 'builds'; focus?: PanelFocus }
  | { type: 'loadResolutionCenter' };

export function parseReleaseRequest(raw: unknown): ReleaseRequest | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.type) {
    case 'ready': case 'cancel': case 'loadResolutionCenter':
      return { type: raw.type };
    case 'selectVersion': case 'submit': case 'releaseNow': case 'reject':
      return isString(raw.versionId, 200) ? { type: raw.type, versionId: raw.versionId } : undefined;
    case 'setPhased':
      return raw.state === 'ACTIVE' || raw.state === 'PAUSED' || raw.state === 'COMPLETE' ? { type: 'setPhased', state: raw.state } : undefined;
    case 'fix':
      {
        if (raw.target !== 'metadata' && raw.target !== 'builds') return undefined;
        const focus = parseFocus(raw);
        return focus ? { type: 'fix', target: raw.target, focus } : { type: 'fix', target: raw.target };
      }
    default:
      return undefined;
  }
}
