// The generic JSON:API layer: query parameters checked against the OpenAPI table, filters / exists / sort / cursor
// pagination over a list of resources, `include` and `fields[type]`, document building with Apple's absolute links,
// and request-body validation (type, id, attribute types and enums, required attributes and relationships).
import { ENUMS, FIELDS, type BodySpec, type OpSpec } from './spec.generated';
import { entityError, paramError, ApiError, type ApiErrorItem } from './errors';
import { TYPES, type Attrs, type Res, type Store } from './store';

export const DEFAULT_LIMIT = 50;
/** Apple's default page size for included to-many relationships (`limit[rel]`). */
export const DEFAULT_INCLUDED_LIMIT = 10;

// ---------------------------------------------------------------------------------------------------------------
// Query parameters

export class Query {
  readonly filters = new Map<string, string[]>();
  readonly exists = new Map<string, boolean>();
  readonly fields = new Map<string, Set<string>>();
  readonly relLimits = new Map<string, number>();
  sort: string[] = [];
  include: string[] = [];
  limit: number | undefined;
  offset = 0;

  constructor(readonly params: URLSearchParams) {}

  /** Single value of a parameter (comma-joined if repeated). */
  get(name: string): string | undefined {
    const all = this.params.getAll(name);
    return all.length ? all.join(',') : undefined;
  }
}

const list = (v: string) => v.split(',').map((s) => s.trim());

/** Parses and validates the query string of one operation; throws 400 PARAMETER_ERROR.* like Apple. */
export function parseQuery(params: URLSearchParams, op: OpSpec): Query {
  const q = new Query(params);
  const names = [...new Set(params.keys())];
  const paged = 'limit' in op.q;
  for (const name of names) {
    const value = params.getAll(name).join(',');
    if (name === 'cursor' && paged) {
      q.offset = decodeCursor(value);
      continue;
    }
    const spec = op.q[name];
    if (!spec) throw paramError('ILLEGAL', name, `The parameter '${name}' can not be used with this request`);
    if (value === '') throw paramError('INVALID', name, `The parameter '${name}' has no value`);
    if (name === 'limit' || name.startsWith('limit[')) {
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < 1) throw paramError('INVALID', name, `'${value}' is not a valid value for '${name}'. It must be a positive integer`);
      if (spec.m !== undefined && n > spec.m) throw paramError('INVALID', name, `'${value}' is not a valid value for '${name}'. The maximum limit is ${spec.m}`);
      if (name === 'limit') q.limit = n;
      else q.relLimits.set(name.slice(6, -1), n);
      continue;
    }
    const values = list(value);
    if (spec.e !== undefined) {
      const allowed = ENUMS[spec.e]!;
      const bad = values.find((v) => !allowed.includes(v));
      if (bad !== undefined) throw paramError('INVALID', name, `'${bad}' is not a valid value for '${name}'. Allowed values: ${allowed.join(', ')}`);
    }
    if (name.startsWith('fields[')) {
      const type = name.slice(7, -1);
      const allowed = FIELDS[type];
      const bad = allowed && values.find((v) => !allowed.includes(v));
      if (bad) throw paramError('INVALID', name, `'${bad}' is not a valid field name for '${name}'`);
      q.fields.set(type, new Set(values));
    } else if (name.startsWith('filter[')) {
      q.filters.set(name.slice(7, -1), values);
    } else if (name.startsWith('exists[')) {
      if (value !== 'true' && value !== 'false') throw paramError('INVALID', name, `'${value}' is not a valid value for '${name}'. Expected true or false`);
      q.exists.set(name.slice(7, -1), value === 'true');
    } else if (name === 'sort') {
      q.sort = values;
    } else if (name === 'include') {
      q.include = values;
    }
  }
  for (const [name, spec] of Object.entries(op.q)) {
    if (spec.r && !params.has(name)) throw paramError('REQUIRED', name, `The parameter '${name}' is required`);
  }
  return q;
}

export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

function decodeCursor(value: string): number {
  const m = /^o:(\d+)$/.exec(Buffer.from(value, 'base64url').toString('utf8'));
  if (!m) throw paramError('INVALID', 'cursor', `'${value}' is not a valid value for 'cursor'`);
  return Number(m[1]);
}

// ---------------------------------------------------------------------------------------------------------------
// Filtering, sorting, paging

/** Custom `exists[...]` / `filter[...]` semantics where the generic rule (attribute or relationship) does not fit. */
export type Predicate = (store: Store, res: Res, values: string[]) => boolean;
export const CUSTOM_FILTERS: Record<string, Record<string, Predicate>> = {
  customerReviews: {
    'exists:publishedResponse': (s, r, [v]) => (s.relatedOne(r, 'response')?.attributes.state === 'PUBLISHED') === (v === 'true'),
  },
  betaTesters: {
    email: (_s, r, values) => values.some((v) => v.toLowerCase() === String(r.attributes.email).toLowerCase()),
  },
};

/** Values reached from `res` by a dotted path: attributes, relationship ids, or `id`. */
function pathValues(store: Store, res: Res, path: string[]): string[] | undefined {
  let current = [res];
  for (let i = 0; i < path.length - 1; i++) {
    const name = path[i]!;
    if (!TYPES[current[0]?.type ?? res.type]?.[name]) return undefined;
    current = current.flatMap((r) => store.related(r, name));
  }
  const last = path[path.length - 1]!;
  const out: string[] = [];
  for (const r of current) {
    if (last === 'id') out.push(r.id);
    else if (TYPES[r.type]?.[last]) out.push(...store.related(r, last).map((x) => x.id));
    else if (last in r.attributes) {
      const v = r.attributes[last];
      if (v !== null && v !== undefined) out.push(String(v));
    } else return undefined;
  }
  return out;
}

export function applyFilters(store: Store, items: Res[], q: Query): Res[] {
  if (!q.filters.size && !q.exists.size) return items;
  return items.filter((res) => {
    const custom = CUSTOM_FILTERS[res.type] ?? {};
    for (const [key, values] of q.filters) {
      const c = custom[key];
      if (c) { if (!c(store, res, values)) return false; continue; }
      const got = pathValues(store, res, key.split('.'));
      if (!got || !got.some((v) => values.includes(v))) return false;
    }
    for (const [key, want] of q.exists) {
      const c = custom[`exists:${key}`];
      if (c) { if (!c(store, res, [String(want)])) return false; continue; }
      const got = pathValues(store, res, key.split('.'));
      if ((got !== undefined && got.length > 0) !== want) return false;
    }
    return true;
  });
}

function sortValue(store: Store, res: Res, key: string): unknown {
  if (key in res.attributes) return res.attributes[key];
  const r = TYPES[res.type]?.[key] ? store.relatedOne(res, key) : undefined;
  return r ? (r.attributes.version ?? r.attributes.name ?? r.id) : null;
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  // Version-like strings ("3.10.0", "412") compare numerically segment by segment.
  if (/^\d+(\.\d+)*$/.test(sa) && /^\d+(\.\d+)*$/.test(sb)) {
    const pa = sa.split('.').map(Number);
    const pb = sb.split('.').map(Number);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
      const d = (pa[i] ?? 0) - (pb[i] ?? 0);
      if (d) return d;
    }
    return 0;
  }
  return sa < sb ? -1 : 1;
}

export function applySort(store: Store, items: Res[], sort: string[]): Res[] {
  if (!sort.length) return items;
  const keys = sort.map((s) => (s.startsWith('-') ? { key: s.slice(1), dir: -1 } : { key: s, dir: 1 }));
  return [...items].sort((a, b) => {
    for (const { key, dir } of keys) {
      const d = compare(sortValue(store, a, key), sortValue(store, b, key));
      if (d) return d * dir;
    }
    return 0;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Documents

export interface DocContext {
  store: Store;
  /** `<origin>/asc`, the base of every link. */
  base: string;
  /** The request URL (absolute), for `links.self` and `links.next`. */
  url: URL;
  q: Query;
}

function resourceObject(ctx: DocContext, res: Res, include: string[], included: Map<string, object> | undefined): object {
  const fields = ctx.q.fields.get(res.type);
  const keep = (k: string) => !fields || fields.has(k);
  const attributes: Attrs = {};
  for (const [k, v] of Object.entries(res.attributes)) if (!k.startsWith('_') && keep(k)) attributes[k] = v;
  const self = `${ctx.base}/v1/${res.type}/${res.id}`;
  const relationships: Record<string, object> = {};
  for (const [name, def] of Object.entries(TYPES[res.type] ?? {})) {
    if (def.hidden || !keep(name)) continue;
    const r: Record<string, unknown> = {};
    const mode = def.links ?? 'both';
    if (mode !== 'none') {
      r.links = mode === 'self'
        ? { self: `${self}/relationships/${name}` }
        : { self: `${self}/relationships/${name}`, related: `${self}/${name}` };
    }
    if (include.includes(name)) {
      const targets = ctx.store.related(res, name);
      if (def.many) {
        const limit = ctx.q.relLimits.get(name) ?? DEFAULT_INCLUDED_LIMIT;
        const shown = targets.slice(0, limit);
        r.meta = { paging: { total: targets.length, limit } };
        r.data = shown.map((t) => ({ type: t.type, id: t.id }));
        for (const t of shown) addIncluded(ctx, t, included);
      } else {
        const t = targets[0];
        r.data = t ? { type: t.type, id: t.id } : null;
        if (t) addIncluded(ctx, t, included);
      }
    }
    if (Object.keys(r).length) relationships[name] = r;
  }
  const out: Record<string, unknown> = { type: res.type, id: res.id };
  if (Object.keys(attributes).length) out.attributes = attributes;
  if (Object.keys(relationships).length) out.relationships = relationships;
  out.links = { self };
  return out;
}

function addIncluded(ctx: DocContext, res: Res, included: Map<string, object> | undefined): void {
  const key = `${res.type}/${res.id}`;
  if (included && !included.has(key)) included.set(key, resourceObject(ctx, res, [], undefined));
}

export function serialize(ctx: DocContext, res: Res): object {
  return resourceObject(ctx, res, [], undefined);
}

/** `{data: [...], included?, links: {self, next?}, meta: {paging}}` for one page of `items`. */
export function collectionDocument(ctx: DocContext, items: Res[]): object {
  const limit = ctx.q.limit ?? DEFAULT_LIMIT;
  const page = items.slice(ctx.q.offset, ctx.q.offset + limit);
  const included = new Map<string, object>();
  const data = page.map((r) => resourceObject(ctx, r, ctx.q.include, included));
  const links: Record<string, string> = { self: ctx.url.href };
  const nextOffset = ctx.q.offset + limit;
  if (nextOffset < items.length) {
    const next = new URLSearchParams();
    next.set('cursor', encodeCursor(nextOffset));
    for (const [k, v] of ctx.url.searchParams) if (k !== 'cursor' && k !== 'limit') next.append(k, v);
    next.set('limit', String(limit));
    links.next = `${ctx.url.origin}${ctx.url.pathname}?${next.toString()}`;
  }
  const doc: Record<string, unknown> = { data };
  if (included.size) doc.included = [...included.values()];
  doc.links = links;
  doc.meta = { paging: { total: items.length, limit } };
  return doc;
}

/** `{data: {...}|null, included?, links: {self}}`. */
export function singleDocument(ctx: DocContext, res: Res | undefined | null, selfLink = ctx.url.href): object {
  const included = new Map<string, object>();
  const data = res ? resourceObject(ctx, res, ctx.q.include, included) : null;
  const doc: Record<string, unknown> = { data };
  if (included.size) doc.included = [...included.values()];
  doc.links = { self: selfLink };
  return doc;
}

/** Linkage document for `GET .../relationships/<name>`. */
export function linkageDocument(ctx: DocContext, targets: Res[] | Res | null, related: string): object {
  if (Array.isArray(targets)) {
    const limit = ctx.q.limit ?? DEFAULT_LIMIT;
    const page = targets.slice(ctx.q.offset, ctx.q.offset + limit);
    return {
      data: page.map((t) => ({ type: t.type, id: t.id })),
      links: { self: ctx.url.href, related },
      meta: { paging: { total: targets.length, limit } },
    };
  }
  return { data: targets ? { type: targets.type, id: targets.id } : null, links: { self: ctx.url.href, related } };
}

// ---------------------------------------------------------------------------------------------------------------
// Request bodies

export interface Identifier { type: string; id: string }
export interface ParsedBody {
  attrs: Attrs;
  /** Attribute-level problems (type, enum, format, required), left for the caller to report with its own checks. */
  errors: ApiErrorItem[];
  /** Relationships present in the body: one → identifier or null, many → identifiers. */
  rels: Record<string, Identifier | Identifier[] | null>;
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function isIdentifier(v: unknown): v is Identifier {
  return isObj(v) && typeof v.type === 'string' && typeof v.id === 'string';
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !!u.hostname && u.hostname.includes('.');
  } catch {
    return false;
  }
}

function checkAttr(name: string, spec: { t: string; e?: number; f?: string; n?: 1 }, v: unknown, errors: ApiErrorItem[]): void {
  const pointer = `/data/attributes/${name}`;
  if (v === null) {
    if (!spec.n) errors.push(entityError('ENTITY_ERROR.ATTRIBUTE.INVALID', pointer, `The attribute '${name}' can not be null`));
    return;
  }
  const typeOk = spec.t === 'string' ? typeof v === 'string'
    : spec.t === 'boolean' ? typeof v === 'boolean'
      : spec.t === 'integer' ? Number.isInteger(v)
        : spec.t === 'number' ? typeof v === 'number'
          : spec.t === 'array' ? Array.isArray(v) : isObj(v);
  if (!typeOk) {
    errors.push(entityError('ENTITY_ERROR.ATTRIBUTE.TYPE', pointer, `The attribute '${name}' must be of type ${spec.t}`));
    return;
  }
  if (spec.e !== undefined && !ENUMS[spec.e]!.includes(v as string)) {
    errors.push(entityError('ENTITY_ERROR.ATTRIBUTE.INVALID', pointer, `'${String(v)}' is not a valid value for the attribute '${name}'. Allowed values: ${ENUMS[spec.e]!.join(', ')}`));
  } else if (spec.f === 'uri' && v !== '' && !isHttpUrl(v as string)) {
    errors.push(entityError('ENTITY_ERROR.ATTRIBUTE.INVALID', pointer, `The attribute '${name}' must be a valid URL`));
  } else if (spec.f === 'email' && !EMAIL.test(v as string)) {
    errors.push(entityError('ENTITY_ERROR.ATTRIBUTE.INVALID', pointer, `'${String(v)}' is not a valid email address`));
  } else if (spec.f === 'date-time' && (!/^\d{4}-\d{2}-\d{2}T/.test(v as string) || Number.isNaN(Date.parse(v as string)))) {
    errors.push(entityError('ENTITY_ERROR.ATTRIBUTE.INVALID', pointer, `The attribute '${name}' must be an ISO 8601 date-time`));
  }
}

/**
 * Validates `{data:{type,id?,attributes?,relationships?}}` against the operation's request schema. Structural and
 * relationship problems throw 409 at once; attribute problems are returned in `errors` so that the resource's own
 * rules can add theirs and Apple's "all errors in one response" holds.
 */
export function parseResourceBody(spec: BodySpec, body: unknown, store: Store, pathId?: string): ParsedBody {
  const errors: ApiErrorItem[] = [];
  const attrErrors: ApiErrorItem[] = [];
  const fail = (): never => { throw new ApiError(409, errors); };
  if (!isObj(body) || !isObj(body.data)) {
    errors.push(entityError('ENTITY_ERROR', '/data', 'The request body must be a JSON:API document with a data object'));
    return fail();
  }
  const data = body.data;
  if (data.type !== spec.type) {
    errors.push(entityError('ENTITY_ERROR', '/data/type', `The provided entity type '${String(data.type)}' is not compatible with the request; expected '${spec.type}'`));
    return fail();
  }
  if (spec.id) {
    if (data.id !== pathId) {
      errors.push(entityError('ENTITY_ERROR', '/data/id', `The provided entity id '${String(data.id)}' does not match the id '${pathId ?? ''}' in the request path`));
      return fail();
    }
  } else if (data.id !== undefined) {
    errors.push(entityError('ENTITY_ERROR', '/data/id', 'The resource id can not be provided on create'));
  }
  const attrs: Attrs = {};
  if (data.attributes !== undefined) {
    if (!isObj(data.attributes)) errors.push(entityError('ENTITY_ERROR', '/data/attributes', 'attributes must be an object'));
    else {
      for (const [k, v] of Object.entries(data.attributes)) {
        const a = spec.a?.[k];
        if (!a) {
          attrErrors.push(entityError('ENTITY_ERROR.ATTRIBUTE.UNKNOWN', `/data/attributes/${k}`, `The attribute '${k}' can not be included in a '${spec.id ? 'UPDATE' : 'CREATE'}' request for type '${spec.type}'`));
          continue;
        }
        checkAttr(k, a, v, attrErrors);
        attrs[k] = v;
      }
    }
  }
  for (const k of spec.ar ?? []) {
    if (attrs[k] === undefined) attrErrors.push(entityError('ENTITY_ERROR.ATTRIBUTE.REQUIRED', `/data/attributes/${k}`, `You must provide a value for the attribute '${k}' with this request`));
  }
  const rels: ParsedBody['rels'] = {};
  if (data.relationships !== undefined) {
    if (!isObj(data.relationships)) errors.push(entityError('ENTITY_ERROR', '/data/relationships', 'relationships must be an object'));
    else {
      for (const [k, v] of Object.entries(data.relationships)) {
        const r = spec.r?.[k];
        const pointer = `/data/relationships/${k}`;
        if (!r) {
          errors.push(entityError('ENTITY_ERROR.RELATIONSHIP.UNKNOWN', pointer, `The relationship '${k}' can not be included in this request`));
          continue;
        }
        const d = isObj(v) ? v.data : undefined;
        if (r.m) {
          if (!Array.isArray(d) || !d.every(isIdentifier)) { errors.push(entityError('ENTITY_ERROR.RELATIONSHIP.INVALID', pointer, `The relationship '${k}' must have data: [{type, id}]`)); continue; }
          rels[k] = d;
        } else {
          if (d !== null && !isIdentifier(d)) { errors.push(entityError('ENTITY_ERROR.RELATIONSHIP.INVALID', pointer, `The relationship '${k}' must have data: {type, id}`)); continue; }
          rels[k] = d;
        }
        for (const ident of [rels[k]].flat()) {
          if (!ident) continue;
          if (ident.type !== r.t) errors.push(entityError('ENTITY_ERROR.RELATIONSHIP.INVALID', `${pointer}/data`, `The relationship '${k}' must reference type '${r.t}', not '${ident.type}'`));
          else if (TYPES[r.t] && !store.get(r.t, ident.id)) errors.push(entityError('ENTITY_ERROR.RELATIONSHIP.INVALID', `${pointer}/data`, `There is no resource of type '${r.t}' with id '${ident.id}'`));
        }
      }
    }
  }
  for (const k of spec.rr ?? []) {
    if (!rels[k]) errors.push(entityError('ENTITY_ERROR.RELATIONSHIP.REQUIRED', `/data/relationships/${k}`, `You must provide a value for the relationship '${k}' with this request`));
  }
  if (errors.length) { errors.unshift(...attrErrors); fail(); }
  // Attributes that failed a check are not handed on.
  for (const e of attrErrors) {
    const name = 'source' in e && e.source && 'pointer' in e.source ? e.source.pointer.split('/')[3] : undefined;
    if (name) delete attrs[name];
  }
  return { attrs, rels, errors: attrErrors };
}

/** Validates a relationship linkage body: `{data:[{type,id}...]}` (to-many) or `{data:{type,id}|null}` (to-one). */
export function parseLinkageBody(link: { type: string; many: boolean }, body: unknown, store: Store): Identifier[] | Identifier | null {
  const errors: ApiErrorItem[] = [];
  const d = isObj(body) ? body.data : undefined;
  if (link.many ? !Array.isArray(d) || !d.every(isIdentifier) : d !== null && !isIdentifier(d)) {
    throw new ApiError(409, [entityError('ENTITY_ERROR', '/data', link.many ? 'The request body must be {"data":[{"type","id"}]}' : 'The request body must be {"data":{"type","id"}}')]);
  }
  const ids = (link.many ? d : [d]) as (Identifier | null)[];
  ids.forEach((ident, i) => {
    if (!ident) return;
    const pointer = link.many ? `/data/${i}` : '/data';
    if (ident.type !== link.type) errors.push(entityError('ENTITY_ERROR.RELATIONSHIP.INVALID', `${pointer}/type`, `Expected type '${link.type}', got '${ident.type}'`));
    else if (TYPES[link.type] && !store.get(link.type, ident.id)) errors.push(entityError('ENTITY_ERROR.RELATIONSHIP.INVALID', `${pointer}/id`, `There is no resource of type '${link.type}' with id '${ident.id}'`));
  });
  if (errors.length) throw new ApiError(409, errors);
  return link.many ? (d as Identifier[]) : (d as Identifier | null);
}
