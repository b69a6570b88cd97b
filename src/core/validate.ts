/**
 * Response-shape validation at the boundary, so a changed API fails with "data[3].attributes.name: expected
 * string, got number" instead of `undefined` deep in a tree view. Extra keys are allowed (real payloads carry
 * undocumented attributes); validated values are returned as is, not copied.
 *
 *   const App = v.object({ id: v.string(), attributes: v.object({ name: v.nullable(v.string()) }) });
 *   type App = Infer<typeof App>;
 *   const apps = parse(v.object({ data: v.array(App) }), json, { provider: 'App Store Connect', endpoint });
 */
import { ProtocolError } from './errors';

type Path = (string | number)[];

export interface Schema<T> {
  /** Human description used in messages, e.g. "string", "array". */
  readonly expected: string;
  /**
   * Returns the value typed, or throws SchemaMismatch. Paths are built only on the way out of a failure, so a
   * valid page of thousands of items allocates nothing here (listing 5,000 apps validates 35,000 values).
   */
  check(value: unknown): T;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: undefined extends Infer<S[K]> ? K : never }[keyof S];
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOutput<S extends Shape> = Simplify<
  { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> }
>;

export class SchemaMismatch extends Error {
  /** Where the mismatch is, relative to the value being checked; each enclosing array or object prepends its key. */
  readonly path: Path;
  constructor(
    path: readonly (string | number)[],
    readonly problem: string,
  ) {
    super(`${formatPath(path)}: ${problem}`);
    this.name = 'SchemaMismatch';
    this.path = [...path];
  }

  /** The same mismatch, one level further out. */
  within(seg: string | number): this {
    this.path.unshift(seg);
    this.message = `${formatPath(this.path)}: ${this.problem}`;
    return this;
  }
}

export function formatPath(path: readonly (string | number)[]): string {
  let s = '';
  for (const seg of path) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(seg)) s += s ? `.${seg}` : seg;
    else s += `[${JSON.stringify(seg)}]`;
  }
  return s || '(root)';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeof value;
}

function schema<T>(expected: string, check: (value: unknown) => T): Schema<T> {
  return { expected, check };
}

/** Primitive schemas keep their test, so `nullish(string())` becomes one test instead of a try around a call. */
const tests = new WeakMap<Schema<unknown>, (x: unknown) => boolean>();

function within(e: unknown, seg: string | number): unknown {
  return e instanceof SchemaMismatch ? e.within(seg) : e;
}

/** `s`, or a value accepted as is; a mismatch at this level names both alternatives. */
function orElse<T, U>(s: Schema<T>, expected: string, accept: (x: unknown) => boolean): Schema<T | U> {
  const test = tests.get(s);
  if (test) return primitive(expected, (x) => accept(x) || test(x));
  return schema(expected, (x) => {
    if (accept(x)) return x as U;
    try {
      return s.check(x);
    } catch (e) {
      if (e instanceof SchemaMismatch && e.path.length === 0) throw new SchemaMismatch([], `expected ${expected}, got ${describe(x)}`);
      throw e;
    }
  });
}

function primitive<T>(name: string, ok: (x: unknown) => boolean): Schema<T> {
  const s = schema<T>(name, (x) => {
    if (!ok(x)) throw new SchemaMismatch([], `expected ${name}, got ${describe(x)}`);
    return x as T;
  });
  tests.set(s, ok);
  return s;
}

export const v = {
  string: (): Schema<string> => primitive('string', (x) => typeof x === 'string'),
  number: (): Schema<number> => primitive('number', (x) => typeof x === 'number' && Number.isFinite(x)),
  boolean: (): Schema<boolean> => primitive('boolean', (x) => typeof x === 'boolean'),
  unknown: (): Schema<unknown> => schema('anything', (x) => x),

  literal<const L extends string | number | boolean>(value: L): Schema<L> {
    return primitive(JSON.stringify(value), (x) => x === value);
  },

  /** Closed set of strings. API enums grow: prefer v.string() where a new value must not break the view. */
  enum<const E extends readonly string[]>(values: E): Schema<E[number]> {
    return primitive(`one of ${values.join(', ')}`, (x) => typeof x === 'string' && values.includes(x));
  },

  array<T>(item: Schema<T>): Schema<T[]> {
    return schema(`array of ${item.expected}`, (x) => {
      if (!Array.isArray(x)) throw new SchemaMismatch([], `expected array, got ${describe(x)}`);
      let i = 0;
      try {
        for (; i < x.length; i++) item.check(x[i]);
      } catch (e) {
        throw within(e, i);
      }
      return x as T[];
    });
  },

  object<S extends Shape>(shape: S): Schema<ObjectOutput<S>> {
    const keys = Object.keys(shape);
    const schemas = keys.map((k) => shape[k]!);
    return schema('object', (x) => {
      if (x === null || typeof x !== 'object' || Array.isArray(x)) throw new SchemaMismatch([], `expected object, got ${describe(x)}`);
      const rec = x as Record<string, unknown>;
      let i = 0;
      try {
        for (; i < keys.length; i++) schemas[i]!.check(rec[keys[i]!]);
      } catch (e) {
        throw within(e, keys[i]!);
      }
      return x as ObjectOutput<S>;
    });
  },

  /** Object used as a map, e.g. AppTweak's `{ "<app id>": {…} }`. */
  record<T>(value: Schema<T>): Schema<Record<string, T>> {
    return schema(`map of ${value.expected}`, (x) => {
      if (x === null || typeof x !== 'object' || Array.isArray(x)) throw new SchemaMismatch([], `expected object, got ${describe(x)}`);
      for (const key in x) {
        if (!Object.prototype.hasOwnProperty.call(x, key)) continue;
        try {
          value.check((x as Record<string, unknown>)[key]);
        } catch (e) {
          throw within(e, key);
        }
      }
      return x as Record<string, T>;
    });
  },

  optional<T>(s: Schema<T>): Schema<T | undefined> {
    return orElse<T, undefined>(s, `${s.expected} or nothing`, (x) => x === undefined);
  },

  nullable<T>(s: Schema<T>): Schema<T | null> {
    return orElse<T, null>(s, `${s.expected} or null`, (x) => x === null);
  },

  /** null or missing: the usual reality of App Store Connect attributes. */
  nullish<T>(s: Schema<T>): Schema<T | null | undefined> {
    return orElse<T, null | undefined>(s, `${s.expected}, null or nothing`, (x) => x === null || x === undefined);
  },

  union<const S extends readonly Schema<unknown>[]>(...schemas: S): Schema<Infer<S[number]>> {
    const expected = schemas.map((s) => s.expected).join(' | ');
    return schema(expected, (x) => {
      for (const s of schemas) {
        try {
          return s.check(x) as Infer<S[number]>;
        } catch (e) {
          if (!(e instanceof SchemaMismatch)) throw e;
        }
      }
      throw new SchemaMismatch([], `expected ${expected}, got ${describe(x)}`);
    });
  },
};

/** Validates `value`; on mismatch throws ProtocolError naming the provider, endpoint and JSON path. */
export function parse<T>(s: Schema<T>, value: unknown, ctx: { provider: string; endpoint?: string }): T {
  try {
    return s.check(value);
  } catch (e) {
    if (!(e instanceof SchemaMismatch)) throw e;
    throw new ProtocolError({ provider: ctx.provider, endpoint: ctx.endpoint, details: [e.message], cause: e });
  }
}

/** Type guard form, for optional shapes (e.g. deciding how to read an error body). */
export function matches<T>(s: Schema<T>, value: unknown): value is T {
  try {
    s.check(value);
    return true;
  } catch {
    return false;
  }
}
