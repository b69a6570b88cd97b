// Small helpers shared by the AppTweak, AppsFlyer and Apptentive emulators: header access, body parsing
// (JSON, Rails-style nested form fields, multipart), hashing and deterministic seed data.
import { createHash } from 'node:crypto';
import type { SandboxRequest } from '../types';

/** One request header as a string (first value when repeated), or undefined. Names are case-insensitive. */
export function header(req: SandboxRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function md5(text: string | Buffer): string {
  return createHash('md5').update(text).digest('hex');
}

export function sha256(text: string | Buffer): Buffer {
  return createHash('sha256').update(text).digest();
}

export function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

/** Deterministic PRNG (mulberry32): the same seed gives the same demo data on every start. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rnd: () => number, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length) % items.length]!;
}

/** A MongoDB-style ObjectId (24 hex chars): 4-byte seconds, then a 8-byte counter derived from `salt`. */
export function objectId(seconds: number, counter: number, salt = 0): string {
  const ts = (Math.floor(seconds) >>> 0).toString(16).padStart(8, '0');
  const mid = ((salt * 2654435761) >>> 0).toString(16).padStart(8, '0');
  const tail = (counter >>> 0).toString(16).padStart(8, '0');
  return ts + mid + tail;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses Rails-style nested form fields: `record[user][name]=x&record[app_version][supported_locales][]=en`. */
export function parseNestedForm(text: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) assignNested(root, key, value);
  return root;
}

export function assignNested(root: Record<string, unknown>, key: string, value: unknown): void {
  const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!m) { root[key] = value; return; }
  const parts = [m[1]!, ...[...m[2]!.matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1]!)];
  let node: Record<string, unknown> | unknown[] = root;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const last = i === parts.length - 1;
    const nextIsArray = !last && parts[i + 1] === '';
    if (Array.isArray(node)) {
      if (last) { node.push(value); return; }
      const child: Record<string, unknown> | unknown[] = nextIsArray ? [] : {};
      node.push(child);
      node = child;
      continue;
    }
    if (last) { node[part] = value; return; }
    const existing: unknown = node[part];
    if (nextIsArray ? Array.isArray(existing) : isPlainObject(existing)) {
      node = existing as Record<string, unknown> | unknown[];
    } else {
      const child: Record<string, unknown> | unknown[] = nextIsArray ? [] : {};
      node[part] = child;
      node = child;
    }
  }
}

export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** Minimal multipart/form-data parser (enough for `record[file][screenshot]` uploads). Returns undefined if malformed. */
export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] | undefined {
  const bm = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = bm?.[1] ?? bm?.[2];
  if (!boundary) return undefined;
  const delim = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let pos = body.indexOf(delim);
  if (pos < 0) return undefined;
  for (;;) {
    pos += delim.length;
    if (body.subarray(pos, pos + 2).toString() === '--') return parts;
    if (body.subarray(pos, pos + 2).toString() === '\r\n') pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) return undefined;
    const headers = body.subarray(pos, headerEnd).toString('utf8');
    const next = body.indexOf(delim, headerEnd + 4);
    if (next < 0) return undefined;
    let data = body.subarray(headerEnd + 4, next);
    if (data.subarray(-2).toString() === '\r\n') data = data.subarray(0, -2);
    const disp = /content-disposition:[^\r\n]*?\bname="([^"]*)"(?:[^\r\n]*?\bfilename="([^"]*)")?/i.exec(headers);
    if (!disp) return undefined;
    const ct = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1];
    parts.push({ name: disp[1]!, filename: disp[2], contentType: ct, data });
    pos = next;
  }
}

/** RFC 1123 date with second precision, e.g. `Wed, 23 Mar 2011 04:55:00 GMT`. */
export function httpDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toUTCString();
}

/** A JSON body as a string, so emulators can hash it and control the exact bytes and content type. */
export function jsonText(body: unknown): string {
  return JSON.stringify(body);
}
