// Apple's enum values phrased for people, with a tone for the tree and panels.
import type { Tone } from '../types';

/** Words App Store Connect leaves lowercase inside a label ("Waiting for Review", "Removed from Sale"). */
const MINOR_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'from', 'in', 'of', 'on', 'or', 'the', 'to', 'with']);

/** "PENDING_DEVELOPER_RELEASE" → "Pending Developer Release"; "WAITING_FOR_REVIEW" → "Waiting for Review". */
export function titleCase(value: string): string {
  return value
    .toLowerCase()
    .split('_')
    .filter(Boolean)
    .map((w, i) => (i > 0 && MINOR_WORDS.has(w) ? w : w[0]!.toUpperCase() + w.slice(1)))
    .join(' ');
}

/** "IOS" → "iOS", "MAC_OS" → "macOS"; a platform Apple adds later reads as sent. */
export function platformLabel(p: string): string {
  return { MAC_OS: 'macOS', TV_OS: 'tvOS', VISION_OS: 'visionOS', IOS: 'iOS' }[p] ?? p;
}

const VERSION_LABEL: Record<string, string> = {
  READY_FOR_SALE: 'Ready for Distribution',
  READY_FOR_DISTRIBUTION: 'Ready for Distribution',
  PREPARE_FOR_SUBMISSION: 'Prepare for Submission',
  PROCESSING_FOR_APP_STORE: 'Processing for Distribution',
  WAITING_FOR_EXPORT_COMPLIANCE: 'Waiting for Export Compliance',
};

const VERSION_TONE: Record<string, Tone> = {
  READY_FOR_SALE: 'ok',
  READY_FOR_DISTRIBUTION: 'ok',
  ACCEPTED: 'ok',
  PREPARE_FOR_SUBMISSION: 'info',
  READY_FOR_REVIEW: 'info',
  WAITING_FOR_REVIEW: 'info',
  IN_REVIEW: 'info',
  PENDING_APPLE_RELEASE: 'info',
  PENDING_DEVELOPER_RELEASE: 'warning',
  PROCESSING_FOR_DISTRIBUTION: 'info',
  PROCESSING_FOR_APP_STORE: 'info',
  DEVELOPER_REJECTED: 'warning',
  WAITING_FOR_EXPORT_COMPLIANCE: 'warning',
  REJECTED: 'error',
  METADATA_REJECTED: 'error',
  INVALID_BINARY: 'error',
};

/** States in which a version's metadata can be edited. */
export const EDITABLE_VERSION_STATES = new Set(['PREPARE_FOR_SUBMISSION', 'DEVELOPER_REJECTED', 'REJECTED', 'METADATA_REJECTED', 'INVALID_BINARY', 'READY_FOR_REVIEW']);
export const LIVE_VERSION_STATES = new Set(['READY_FOR_SALE', 'READY_FOR_DISTRIBUTION']);

export function versionState(appVersionState: string | null | undefined, appStoreState: string | null | undefined): { state: string; label: string; tone?: Tone; editable: boolean; live: boolean } {
  const state = appVersionState || appStoreState || 'UNKNOWN';
  const legacy = appStoreState || state;
  return {
    state,
    label: VERSION_LABEL[state] ?? titleCase(state),
    ...((VERSION_TONE[state] ?? VERSION_TONE[legacy]) && { tone: VERSION_TONE[state] ?? VERSION_TONE[legacy] }),
    editable: EDITABLE_VERSION_STATES.has(state) || EDITABLE_VERSION_STATES.has(legacy),
    live: LIVE_VERSION_STATES.has(state) || LIVE_VERSION_STATES.has(legacy),
  };
}

export function buildTone(processingState: string | null | undefined, expired: boolean | null | undefined): Tone | undefined {
  if (expired) return undefined;
  switch (processingState) {
    case 'VALID':
      return 'ok';
    case 'PROCESSING':
      return 'info';
    case 'FAILED':
    case 'INVALID':
      return 'error';
    default:
      return undefined;
  }
}

export function buildStateLabel(processingState: string | null | undefined, expired: boolean | null | undefined, usesNonExemptEncryption?: boolean | null): string {
  if (expired) return 'Expired';
  const s = processingState ? titleCase(processingState) : 'Unknown';
  if (processingState === 'VALID' && (usesNonExemptEncryption === null || usesNonExemptEncryption === undefined)) return `${s} · Missing Export Compliance`;
  return s;
}

export function submissionTone(state: string | null | undefined): Tone | undefined {
  switch (state) {
    case 'COMPLETE':
      return 'ok';
    case 'UNRESOLVED_ISSUES':
      return 'error';
    case 'CANCELING':
      return 'warning';
    case undefined:
    case null:
      return undefined;
    default:
      return 'info';
  }
}

export function testerStateLabel(state: string | null | undefined): string | undefined {
  return state ? titleCase(state) : undefined;
}

export function stars(rating: number): string {
  const r = Math.max(0, Math.min(5, Math.round(rating)));
  return '★'.repeat(r) + '☆'.repeat(5 - r);
}

export function fullName(first: string | null | undefined, last: string | null | undefined): string | undefined {
  const n = [first, last].filter((x) => x && x.trim()).join(' ');
  return n || undefined;
}

/** UTF-8 byte length (Apple limits keywords to 100 bytes, not characters). */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Character count as Apple counts it: code points, not UTF-16 units. */
export function charLength(s: string): number {
  return [...s].length;
}
