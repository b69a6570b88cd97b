// Regenerates `spec.generated.ts` from Apple's App Store Connect OpenAPI file: for every operation the emulator serves,
// the query parameters it accepts (required, enum, maximum) and the shape of its request body. The emulator validates
// requests against this table, so a parameter or attribute the real API would reject is rejected here too.
//   node sandbox/asc/gen-spec.mjs /path/to/asc-openapi.json
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const specPath = process.argv[2] ?? '/work/shared/reference/asc-openapi.json';
const spec = JSON.parse(readFileSync(specPath, 'utf8'));
const schemas = spec.components.schemas;

// The operations the emulator implements (method + path template as in the spec).
const OPERATIONS = [
  'GET /v1/apps', 'GET /v1/apps/{id}', 'GET /v1/apps/{id}/appStoreVersions', 'GET /v1/apps/{id}/appInfos',
  'GET /v1/apps/{id}/builds', 'GET /v1/apps/{id}/preReleaseVersions', 'GET /v1/apps/{id}/betaGroups',
  'GET /v1/apps/{id}/customerReviews', 'GET /v1/apps/{id}/reviewSubmissions',
  'GET /v1/apps/{id}/betaFeedbackScreenshotSubmissions', 'GET /v1/apps/{id}/betaFeedbackCrashSubmissions',
  'GET /v1/apps/{id}/perfPowerMetrics', 'DELETE /v1/apps/{id}/relationships/betaTesters',
  'GET /v1/appInfos/{id}', 'PATCH /v1/appInfos/{id}', 'GET /v1/appInfos/{id}/appInfoLocalizations',
  'POST /v1/appInfoLocalizations', 'GET /v1/appInfoLocalizations/{id}', 'PATCH /v1/appInfoLocalizations/{id}',
  'DELETE /v1/appInfoLocalizations/{id}',
  'POST /v1/appStoreVersions', 'GET /v1/appStoreVersions/{id}', 'PATCH /v1/appStoreVersions/{id}', 'DELETE /v1/appStoreVersions/{id}',
  'GET /v1/appStoreVersions/{id}/appStoreVersionLocalizations', 'GET /v1/appStoreVersions/{id}/build',
  'GET /v1/appStoreVersions/{id}/relationships/build', 'PATCH /v1/appStoreVersions/{id}/relationships/build',
  'GET /v1/appStoreVersions/{id}/appStoreVersionPhasedRelease', 'GET /v1/appStoreVersions/{id}/customerReviews',
  'POST /v1/appStoreVersionLocalizations', 'GET /v1/appStoreVersionLocalizations/{id}',
  'PATCH /v1/appStoreVersionLocalizations/{id}', 'DELETE /v1/appStoreVersionLocalizations/{id}',
  'GET /v1/builds', 'GET /v1/builds/{id}', 'PATCH /v1/builds/{id}', 'GET /v1/builds/{id}/preReleaseVersion',
  'GET /v1/builds/{id}/buildBetaDetail', 'GET /v1/builds/{id}/app', 'GET /v1/builds/{id}/individualTesters',
  'GET /v1/builds/{id}/perfPowerMetrics',
  'GET /v1/preReleaseVersions', 'GET /v1/preReleaseVersions/{id}',
  'GET /v1/buildBetaDetails/{id}',
  'GET /v1/betaGroups', 'POST /v1/betaGroups', 'GET /v1/betaGroups/{id}', 'PATCH /v1/betaGroups/{id}', 'DELETE /v1/betaGroups/{id}',
  'GET /v1/betaGroups/{id}/betaTesters', 'GET /v1/betaGroups/{id}/builds',
  'GET /v1/betaGroups/{id}/relationships/betaTesters', 'POST /v1/betaGroups/{id}/relationships/betaTesters',
  'DELETE /v1/betaGroups/{id}/relationships/betaTesters',
  'POST /v1/betaGroups/{id}/relationships/builds', 'DELETE /v1/betaGroups/{id}/relationships/builds',
  'GET /v1/betaTesters', 'POST /v1/betaTesters', 'GET /v1/betaTesters/{id}', 'DELETE /v1/betaTesters/{id}',
  'GET /v1/betaTesters/{id}/apps', 'GET /v1/betaTesters/{id}/betaGroups', 'DELETE /v1/betaTesters/{id}/relationships/apps',
  'POST /v1/betaTesters/{id}/relationships/betaGroups', 'DELETE /v1/betaTesters/{id}/relationships/betaGroups',
  'GET /v1/customerReviews/{id}', 'GET /v1/customerReviews/{id}/response',
  'POST /v1/customerReviewResponses', 'GET /v1/customerReviewResponses/{id}', 'DELETE /v1/customerReviewResponses/{id}',
  'GET /v1/reviewSubmissions', 'POST /v1/reviewSubmissions', 'GET /v1/reviewSubmissions/{id}', 'PATCH /v1/reviewSubmissions/{id}',
  'GET /v1/reviewSubmissions/{id}/items', 'POST /v1/reviewSubmissionItems', 'DELETE /v1/reviewSubmissionItems/{id}',
  'POST /v1/appStoreVersionPhasedReleases', 'PATCH /v1/appStoreVersionPhasedReleases/{id}', 'DELETE /v1/appStoreVersionPhasedReleases/{id}',
  'POST /v1/appStoreVersionReleaseRequests',
  'GET /v1/betaFeedbackScreenshotSubmissions/{id}', 'DELETE /v1/betaFeedbackScreenshotSubmissions/{id}',
  'GET /v1/betaFeedbackCrashSubmissions/{id}', 'DELETE /v1/betaFeedbackCrashSubmissions/{id}',
  'GET /v1/betaFeedbackCrashSubmissions/{id}/crashLog',
  'GET /v1/salesReports', 'GET /v1/territories',
];

const enums = [];
const enumIndex = new Map();
function enumRef(values) {
  const key = JSON.stringify(values);
  if (!enumIndex.has(key)) { enumIndex.set(key, enums.length); enums.push(values); }
  return enumIndex.get(key);
}
const deref = (s) => (s && s.$ref ? schemas[s.$ref.split('/').pop()] : s);

const fields = {};
const ops = {};
const pathMethods = {};
for (const op of OPERATIONS) {
  const [method, path] = op.split(' ');
  const item = spec.paths[path];
  if (!item || !item[method.toLowerCase()]) throw new Error(`not in spec: ${op}`);
  pathMethods[path] = Object.keys(item).filter((m) => m !== 'parameters').map((m) => m.toUpperCase());
  const o = item[method.toLowerCase()];
  const query = {};
  for (const p of o.parameters ?? []) {
    if (p.in !== 'query') continue;
    const items = deref(p.schema?.items ?? p.schema);
    const q = {};
    if (p.required) q.r = 1;
    if (p.name.startsWith('fields[')) {
      const type = p.name.slice(7, -1);
      if (items?.enum) fields[type] = [...new Set([...(fields[type] ?? []), ...items.enum])];
    } else if (items?.enum) q.e = enumRef(items.enum);
    const max = p.schema?.maximum;
    if (max !== undefined) q.m = max;
    query[p.name] = q;
  }
  const entry = { q: query };
  const body = o.requestBody?.content?.['application/json']?.schema;
  if (body) entry.b = bodySpec(deref(body));
  ops[op] = entry;
}

function attrSpec(s0) {
  const s = deref(s0);
  const a = { t: s.type ?? 'object' };
  if (s.enum) a.e = enumRef(s.enum);
  if (s.format) a.f = s.format;
  if (s0.nullable || s.nullable) a.n = 1;
  return a;
}
function bodySpec(schema) {
  const data = deref(schema.properties.data);
  if (data.type === 'array' || (!data.properties?.attributes && !data.properties?.relationships && data.properties?.id && !data.properties?.type?.enum?.[0]?.endsWith('Requests') && !schema.title)) {
    // Linkage request: {data: {type,id}} or {data: [{type,id}]}
    const many = data.type === 'array';
    const item = many ? deref(data.items) : data;
    return { link: { type: item.properties.type.enum[0], many } };
  }
  const b = { type: data.properties.type.enum[0] };
  if ((data.required ?? []).includes('id')) b.id = 1;
  const attrs = deref(data.properties.attributes);
  if (attrs) {
    b.a = Object.fromEntries(Object.entries(attrs.properties ?? {}).map(([k, v]) => [k, attrSpec(v)]));
    if (attrs.required?.length) b.ar = attrs.required;
  }
  const rels = deref(data.properties.relationships);
  if (rels) {
    b.r = Object.fromEntries(Object.entries(rels.properties ?? {}).map(([k, v]) => {
      const d = deref(v.properties.data);
      const many = d.type === 'array';
      const t = (many ? deref(d.items) : d).properties.type.enum[0];
      return [k, many ? { t, m: 1 } : { t }];
    }));
    if (rels.required?.length) b.rr = rels.required;
  }
  return b;
}

const out = `// Generated by gen-spec.mjs from asc-openapi.json (App Store Connect API ${spec.info.version}). Do not edit by hand.
// For each emulated operation: accepted query parameters (r = required, e = index into ENUMS, m = maximum) and
// the request body shape (type, id required, attributes a / required ar, relationships r / required rr, or a
// relationship linkage). FIELDS lists the values each \`fields[type]\` parameter accepts.
export interface QuerySpec { r?: 1; e?: number; m?: number }
export interface AttrSpec { t: string; e?: number; f?: string; n?: 1 }
export interface RelSpec { t: string; m?: 1 }
export interface BodySpec {
  type?: string; id?: 1; a?: Record<string, AttrSpec>; ar?: string[]; r?: Record<string, RelSpec>; rr?: string[];
  link?: { type: string; many: boolean };
}
export interface OpSpec { q: Record<string, QuerySpec>; b?: BodySpec }
export const ENUMS: readonly (readonly string[])[] = ${JSON.stringify(enums)};
export const FIELDS: Record<string, readonly string[]> = ${JSON.stringify(fields)};
export const PATH_METHODS: Record<string, readonly string[]> = ${JSON.stringify(pathMethods)};
export const OPS: Record<string, OpSpec> = ${JSON.stringify(ops)};
/** Every path template of the API, so a real but unemulated path answers 501, not 404. */
export const ALL_PATHS: readonly string[] = ${JSON.stringify(Object.keys(spec.paths))};
`;
const target = join(dirname(fileURLToPath(import.meta.url)), 'spec.generated.ts');
writeFileSync(target, out);
console.log(`wrote ${target} (${out.length} bytes, ${Object.keys(ops).length} operations, ${enums.length} enums)`);
