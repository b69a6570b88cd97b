// Apple's error envelope: `{"errors":[{id,status,code,title,detail,source?,meta?}]}` with hierarchical codes.
import { randomUUID } from 'node:crypto';
import type { SandboxResponse } from '../types';

export interface ApiErrorItem {
  id?: string;
  status: string;
  code: string;
  title: string;
  detail?: string;
  source?: { pointer: string } | { parameter: string };
  meta?: Record<string, unknown>;
}

/** Thrown by handlers and validators; the emulator turns it into an error response. */
export class ApiError extends Error {
  constructor(readonly httpStatus: number, readonly items: ApiErrorItem[], readonly headers: Record<string, string> = {}) {
    super(items.map((i) => `${i.code}: ${i.detail ?? i.title}`).join('; '));
  }

  response(): SandboxResponse {
    return { status: this.httpStatus, headers: this.headers, body: { errors: this.items.map((i) => ({ id: i.id ?? randomUUID(), ...i })) } };
  }
}

export const TITLES: Record<string, string> = {
  NOT_AUTHORIZED: 'Authentication credentials are missing or invalid.',
  FORBIDDEN_ERROR: 'The API key in use does not allow this request',
  NOT_FOUND: 'The specified resource does not exist',
  PATH_ERROR: 'The URL path is not valid',
  METHOD_NOT_ALLOWED: 'The request method is not valid for the resource path.',
  'PARAMETER_ERROR.INVALID': 'A parameter has an invalid value',
  'PARAMETER_ERROR.ILLEGAL': 'A given parameter is not allowed for this request',
  'PARAMETER_ERROR.REQUIRED': 'A required parameter is missing',
  ENTITY_INVALID: 'The provided entity is invalid',
  ENTITY_ERROR: 'The provided entity is invalid',
  'ENTITY_ERROR.ATTRIBUTE.INVALID': 'An attribute value is invalid.',
  'ENTITY_ERROR.ATTRIBUTE.INVALID.INVALID_STATE': 'An attribute value is not acceptable for the current resource state.',
  'ENTITY_ERROR.ATTRIBUTE.INVALID.DUPLICATE': 'An attribute value has already been used.',
  'ENTITY_ERROR.ATTRIBUTE.REQUIRED': 'The provided entity is missing a required attribute',
  'ENTITY_ERROR.ATTRIBUTE.UNKNOWN': 'The provided entity includes an unknown attribute',
  'ENTITY_ERROR.ATTRIBUTE.TYPE': 'An attribute in the provided entity has the wrong type',
  'ENTITY_ERROR.RELATIONSHIP.INVALID': 'The provided entity includes a relationship with an invalid value',
  'ENTITY_ERROR.RELATIONSHIP.REQUIRED': 'The provided entity is missing a required relationship',
  'ENTITY_ERROR.RELATIONSHIP.UNKNOWN': 'The provided entity includes an unknown relationship',
  STATE_ERROR: 'The request cannot be fulfilled because of the state of another resource.',
  UNSUPPORTED_MEDIA_TYPE: 'The request entity has an unsupported media type.',
  RATE_LIMIT_EXCEEDED: 'The request rate limit has been reached.',
  NOT_IMPLEMENTED: 'This operation is not emulated by the AppDesk sandbox',
};

export function item(status: number, code: string, detail?: string, extra: Partial<ApiErrorItem> = {}): ApiErrorItem {
  return { status: String(status), code, title: TITLES[code] ?? TITLES[code.split('.').slice(0, 2).join('.')] ?? TITLES[code.split('.')[0]!] ?? code, ...(detail !== undefined ? { detail } : {}), ...extra };
}

export const fail = (status: number, code: string, detail?: string, extra: Partial<ApiErrorItem> = {}): ApiError =>
  new ApiError(status, [item(status, code, detail, extra)]);

export const notFound = (type: string, id: string): ApiError =>
  fail(404, 'NOT_FOUND', `There is no resource of type '${type}' with id '${id}'`);

export const paramError = (code: 'INVALID' | 'ILLEGAL' | 'REQUIRED', parameter: string, detail: string): ApiError =>
  fail(400, `PARAMETER_ERROR.${code}`, detail, { source: { parameter } });

export const entityError = (code: string, pointer: string, detail: string): ApiErrorItem =>
  item(409, code, detail, { source: { pointer } });

export const stateError = (detail: string, associatedErrors?: Record<string, ApiErrorItem[]>): ApiError =>
  fail(409, 'STATE_ERROR', detail, associatedErrors ? { meta: { associatedErrors } } : {});
