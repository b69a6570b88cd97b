// Shapes of the legacy iTunes Connect JSON API (`ra/...`) as recorded by fastlane, and the helpers that build
// its envelope: `{data:{…, sectionErrorKeys, sectionInfoKeys, sectionWarningKeys}, messages:{warn,error,info}, statusCode}`.
// Most leaves are editable fields `{value, isEditable, isRequired, errorKeys}`; a 200 can carry errors in
// `sectionErrorKeys`, in any field's `errorKeys`, in `validationErrors` or in `messages.error`.
import type { SandboxResponse } from '../types';

/** An editable field as iTunes Connect sends it. */
export interface Field<T = unknown> {
  value: T;
  isEditable: boolean;
  isRequired: boolean;
  errorKeys: string[] | null;
  maxLength?: number | null;
  minLength?: number | null;
  [key: string]: unknown;
}

export interface Sections {
  sectionErrorKeys: string[] | null;
  sectionInfoKeys: string[];
  sectionWarningKeys: string[];
}

export type Str = string | null;

export interface VersionDetail extends Sections {
  language: string;
  detailId: string;
  description: Field<Str>;
  releaseNotes: Field<Str>;
  keywords: Field<Str>;
  name: Field<Str>;
  privacyURL: Field<Str>;
  supportUrl: Field<Str>;
  marketingUrl: Field<Str>;
  [key: string]: unknown;
}

export interface VersionData extends Sections {
  versionId: number;
  name: Field<Str>;
  primaryLanguage: Field<Str>;
  version: Field<Str>;
  copyright: Field<Str>;
  canSendVersionLive: boolean;
  canPrepareForUpload: boolean;
  canRejectVersion: boolean;
  status: string;
  platform: string;
  details: Field<VersionDetail[]>;
  appVersionPageLinks: Record<string, string>;
  preReleaseBuildVersionString: Field<Str>;
  preReleaseBuild: { buildVersion: string } | null;
  preReleaseBuildTrainVersionString: Str;
  preReleaseBuildUploadDate: number;
  isSaveError: boolean;
  validationError: boolean;
  [key: string]: unknown;
}

export interface Messages {
  warn: string[] | null;
  error: string[] | null;
  info: string[] | null;
}

export interface Envelope<T> {
  data: T;
  messages: Messages;
  statusCode: 'SUCCESS' | 'ERROR';
}

/** The generic failure iTunes Connect answers with a 200 (recorded in fastlane's build_trains_operation_failed.json). */
export const OPERATION_FAILED = 'ITC.response.error.OPERATION_FAILED';

export const JSON_TYPE = 'application/json;charset=UTF-8';

export function clone<T>(v: T): T {
  return structuredClone(v);
}

export function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isField(v: unknown): v is Field {
  return isObj(v) && 'value' in v && 'isEditable' in v && 'errorKeys' in v;
}

export function field<T>(value: T, isEditable: boolean, isRequired: boolean, extra: Partial<Field<T>> = {}): Field<T> {
  return { value, isEditable, isRequired, errorKeys: null, ...extra };
}

export function sections(errors: string[] = []): Sections {
  return { sectionErrorKeys: errors, sectionInfoKeys: [], sectionWarningKeys: [] };
}

export function messages(m: Partial<Messages> = {}): Messages {
  return { warn: null, error: null, info: null, ...m };
}

export function reply<T>(status: number, body: Envelope<T> | object, headers: Record<string, string | string[]> = {}): SandboxResponse {
  return { status, headers: { 'content-type': JSON_TYPE, ...headers }, body };
}

/** 200 + `statusCode: SUCCESS`. */
export function ok<T>(data: T, m: Partial<Messages> = {}): SandboxResponse {
  return reply(200, { data, messages: messages(m), statusCode: 'SUCCESS' } satisfies Envelope<T>);
}

/** 200 that is an error all the same: `statusCode: ERROR` and `messages.error` (data optional). */
export function errorIn200<T>(errors: string[], data: T | null = null): SandboxResponse {
  return reply(200, { data, messages: messages({ error: errors }), statusCode: 'ERROR' } satisfies Envelope<T | null>);
}

/** A non-200 with the same envelope. */
export function failure(status: number, error: string): SandboxResponse {
  return reply(status, { data: null, messages: messages({ error: [error] }), statusCode: 'ERROR' } satisfies Envelope<null>);
}

/** Every `errorKeys` entry of a response body, like fastlane's `handle_itc_response` collects them. */
export function collectErrorKeys(v: unknown): string[] {
  const out: string[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) { x.forEach(walk); return; }
    if (!isObj(x)) return;
    for (const [k, val] of Object.entries(x)) {
      if (k === 'errorKeys' && Array.isArray(val)) out.push(...val.filter((e): e is string => typeof e === 'string'));
      else walk(val);
    }
  };
  walk(v);
  return out;
}

/** Human state names of the app summary (`state`), keyed by `stateKey`. */
export const STATE_NAMES: Record<string, string> = {
  prepareForUpload: 'Prepare for Upload',
  waitingForReview: 'Waiting For Review',
  inReview: 'In Review',
  pendingDeveloperRelease: 'Pending Developer Release',
  readyForSale: 'Ready for Sale',
  developerRejected: 'Developer Rejected',
  rejected: 'Rejected',
  metadataRejected: 'Metadata Rejected',
};

/** States in which the metadata of a version can be edited and the version submitted. */
export const EDITABLE_STATES = new Set(['prepareForUpload', 'developerRejected', 'rejected', 'metadataRejected']);
/** States in which the developer can still pull a version out of review. */
export const REJECTABLE_STATES = new Set(['waitingForReview', 'inReview', 'pendingDeveloperRelease']);
