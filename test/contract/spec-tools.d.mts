// Types of spec-tools.mjs for the TypeScript contract test.

export interface OpenApiParameter {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  required?: boolean;
  schema?: Record<string, unknown>;
}
export interface OpenApiOperation {
  operationId?: string;
  parameters?: OpenApiParameter[];
  [k: string]: unknown;
}
export type OpenApiPathItem = { parameters?: OpenApiParameter[] } & { [method: string]: OpenApiOperation | OpenApiParameter[] | undefined };
export interface OpenApi {
  openapi: string;
  info: Record<string, unknown>;
  paths: Record<string, OpenApiPathItem>;
  components: { schemas: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
  [k: string]: unknown;
}
export interface ProviderOperation {
  /** `GET /v1/apps/{}/appInfos` */
  key: string;
  method: string;
  path: string;
  /** `src/providers/asc/metadata.ts:161` */
  sources: string[];
}
export interface FoundOperation {
  template: string;
  key: string;
  operation: OpenApiOperation | undefined;
  pathItem: OpenApiPathItem;
}

export const CONTRACT_DIR: string;
export const REPO_ROOT: string;
export const SUBSET_SPEC: string;
export const WORK_DIR: string;
export const PRISM_SPEC: string;
export const PROVIDER_DIR: string;

export function readJson<T = OpenApi>(file: string): T;
export function sha256(file: string): string;
export function normalizeTemplate(path: string): string;
export function operationKey(method: string, template: string): string;
export function providerOperations(dir?: string): ProviderOperation[];
export function specTemplate(spec: OpenApi, template: string): string | undefined;
export function findOperation(spec: OpenApi, method: string, path: string): FoundOperation | undefined;
export function subsetSpec(full: OpenApi, keys: Iterable<string>, meta?: Record<string, unknown>): { spec: OpenApi; missing: string[] };
export function prismSpec(spec: OpenApi): { spec: OpenApi; relaxed: string[] };
export function checkQuery(found: FoundOperation, searchParams: URLSearchParams): string[];
