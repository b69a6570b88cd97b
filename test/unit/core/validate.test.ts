import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProtocolError } from '../../../src/core/errors';
import { formatPath, matches, parse, v, type Infer } from '../../../src/core/validate';

const App = v.object({
  id: v.string(),
  type: v.literal('apps'),
  attributes: v.object({
    name: v.nullable(v.string()),
    bundleId: v.optional(v.string()),
    sku: v.nullish(v.string()),
    platform: v.enum(['IOS', 'MAC_OS']),
    isOrEverWasMadeForKids: v.boolean(),
    rating: v.number(),
  }),
});
const Apps = v.object({ data: v.array(App), links: v.object({ next: v.nullish(v.string()) }), meta: v.unknown() });
type AppsT = Infer<typeof Apps>;

const app = (over: Record<string, unknown> = {}) => ({
  id: '1',
  type: 'apps',
  attributes: { name: 'A', platform: 'IOS', isOrEverWasMadeForKids: false, rating: 4.5, extra: 'ignored', ...over },
  relationships: { builds: {} },
});

describe('validate', () => {
  it('returns the input typed, allowing extra keys, null and missing where declared', () => {
    const input = { data: [app(), app({ name: null, sku: null, bundleId: 'com.x' })], links: { self: 's' }, meta: { paging: { total: 2 } } };
    const out: AppsT = parse(Apps, input, { provider: 'App Store Connect', endpoint: 'GET /v1/apps' });
    assert.ok(out === input, 'not copied'); // (assert.equal would narrow `out` to the input's type)
    // Compile-time checks of the inferred type:
    const name: string | null = out.data[0]!.attributes.name;
    const bundleId: string | undefined = out.data[0]!.attributes.bundleId;
    const platform: 'IOS' | 'MAC_OS' = out.data[0]!.attributes.platform;
    const t: 'apps' = out.data[0]!.type;
    // @ts-expect-error name may be null
    const bad: string = out.data[0]!.attributes.name;
    void [name, bundleId, platform, t, bad];
    const optionalKeyOmitted: Infer<typeof App>['attributes'] = { name: null, platform: 'IOS', isOrEverWasMadeForKids: true, rating: 1 };
    assert.ok(optionalKeyOmitted);
  });

  it('names provider, endpoint and JSON path on mismatch', () => {
    const input = { data: [app(), app(), app(), app({ name: 42 })], links: {} };
    assert.throws(
      () => parse(Apps, input, { provider: 'App Store Connect', endpoint: 'GET /v1/apps' }),
      (e) => {
        assert.ok(e instanceof ProtocolError);
        assert.equal(e.provider, 'App Store Connect');
        assert.equal(e.endpoint, 'GET /v1/apps');
        assert.deepEqual(e.details, ['data[3].attributes.name: expected string or null, got number 42']);
        assert.match(e.message, /^App Store Connect returned an unexpected response for GET \/v1\/apps: data\[3\]\.attributes\.name: expected string or null, got number 42\. /);
        return true;
      },
    );
  });

  it('reports each kind of mismatch', () => {
    const fail = (s: Parameters<typeof parse>[0], x: unknown) => {
      try {
        parse(s, x, { provider: 'p' });
      } catch (e) {
        return (e as ProtocolError).details?.[0];
      }
      return 'passed';
    };
    assert.equal(fail(v.string(), undefined), '(root): expected string, got undefined');
    assert.equal(fail(v.number(), '1'), '(root): expected number, got string "1"');
    assert.equal(fail(v.number(), Number.NaN), '(root): expected number, got number NaN');
    assert.equal(fail(v.boolean(), null), '(root): expected boolean, got null');
    assert.equal(fail(v.object({}), []), '(root): expected object, got array');
    assert.equal(fail(v.array(v.string()), {}), '(root): expected array, got object');
    assert.equal(fail(v.enum(['A', 'B']), 'C'), '(root): expected one of A, B, got string "C"');
    assert.equal(fail(v.literal(3), 4), '(root): expected 3, got number 4');
    assert.equal(fail(v.record(v.object({ name: v.string() })), { '111': { name: 1 } }), '["111"].name: expected string, got number 1');
    assert.equal(fail(v.object({ 'x-y': v.string() }), {}), '["x-y"]: expected string, got undefined');
    assert.equal(fail(v.union(v.string(), v.object({ error: v.string() })), 5), '(root): expected string | object, got number 5');
    assert.equal(fail(v.optional(v.string()), null), '(root): expected string or nothing, got null');
    assert.equal(fail(v.nullable(v.string()), undefined), '(root): expected string or null, got undefined');
    assert.equal(fail(v.nullish(v.object({ a: v.string() })), { a: 1 }), 'a: expected string, got number 1', 'inner paths keep the inner message');
    assert.equal(fail(v.unknown(), undefined), 'passed');
    assert.equal(fail(v.string(), 'x'.repeat(100)), 'passed');
    assert.match(fail(v.number(), 'y'.repeat(100)) ?? '', /got string "y{40}…"$/);
  });

  it('union picks the first matching schema; matches() is a guard', () => {
    const body = v.union(v.string(), v.object({ error: v.string() }));
    assert.equal(parse(body, 'Unauthorized', { provider: 'AppsFlyer' }), 'Unauthorized');
    assert.deepEqual(parse(body, { error: 'not authorized' }, { provider: 'Apptentive' }), { error: 'not authorized' });
    assert.equal(matches(v.array(v.number()), [1, 2]), true);
    assert.equal(matches(v.array(v.number()), [1, '2']), false);
  });

  it('formatPath', () => {
    assert.equal(formatPath([]), '(root)');
    assert.equal(formatPath(['data', 3, 'attributes', 'name']), 'data[3].attributes.name');
    assert.equal(formatPath([0, 'a b']), '[0]["a b"]');
  });
});
