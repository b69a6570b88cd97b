// The AppsFlyer app-list emulator, over HTTP against the real sandbox server.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../../../sandbox/server';
import type { AppsFlyerApp, AppsFlyerEmulator } from '../../../../sandbox/appsflyer';

interface Page { data: AppsFlyerApp[]; meta: { total_items: number }; links: { self: string; prev?: string; next?: string } }
interface Creds { token: string; protectOnlyToken: string; revokedToken: string; baseUrl: string }

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function emulator(sb: Sandbox): AppsFlyerEmulator {
  return sb.emulators.find((e) => e.prefix === '/appsflyer') as AppsFlyerEmulator;
}

async function get(sb: Sandbox, query: string, auth?: string): Promise<{ status: number; text: string; type: string | null }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (auth !== undefined) headers.authorization = auth;
  const res = await fetch(`${sb.baseUrl('/appsflyer')}/api/mng/apps${query}`, { headers });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
}

describe('AppsFlyer app list emulator', () => {
  let sb: Sandbox;
  let creds: Creds;
  const bearer = () => `Bearer ${creds.token}`;

  before(async () => {
    sb = await startSandbox();
    creds = sb.credentials().appsflyer as unknown as Creds;
  });
  after(async () => { await sb.close(); });
  beforeEach(() => { sb.reset(); });

  it('hands out a realistic 700+ character JWT as the demo token', () => {
    assert.ok(creds.token.length >= 700, `token has ${creds.token.length} characters`);
    const parts = creds.token.split('.');
    assert.equal(parts.length, 3);
    const head = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as { typ: string };
    assert.equal(head.typ, 'JWT');
    assert.equal(creds.baseUrl, `${sb.origin}/appsflyer`);
  });

  it('lists protect_360 apps with the documented shape and absolute links', async () => {
    const r = await get(sb, '?capabilities=protect_360', bearer());
    assert.equal(r.status, 200);
    assert.match(r.type ?? '', /application\/json/);
    const page = JSON.parse(r.text) as Page;
    const expected = emulator(sb).seededApps().filter((a) => a.capabilities.includes('protect_360'));
    assert.equal(page.meta.total_items, expected.length);
    assert.deepEqual(page.data.map((a) => a.id), expected.map((a) => a.id));
    for (const app of page.data) {
      assert.equal(app.type, 'app');
      assert.ok(['android', 'ios'].includes(app.attributes.platform));
      assert.equal(typeof app.attributes.name, 'string');
      assert.match(app.attributes.currency, /^[A-Z]{3}$/);
      assert.equal(typeof app.attributes.time_zone, 'string');
      if ('enable_retargetting' in app.attributes) assert.equal(typeof app.attributes.enable_retargetting, 'boolean');
    }
    assert.equal(page.links.self, `${sb.origin}/appsflyer/api/mng/apps?capabilities=protect_360&offset=0&limit=1000`);
    assert.equal(page.links.next, undefined);
    assert.equal(page.links.prev, undefined);
  });

  it('seeds apps only in protect_360, only in cost, and in both', async () => {
    const ids = async (cap: string) => (JSON.parse((await get(sb, `?capabilities=${cap}`, bearer())).text) as Page).data.map((a) => a.id);
    const protect = new Set(await ids('protect_360'));
    const cost = new Set(await ids('cost'));
    assert.ok([...protect].some((id) => !cost.has(id)), 'an app only in protect_360');
    assert.ok([...cost].some((id) => !protect.has(id)), 'an app only in cost');
    assert.ok([...cost].some((id) => protect.has(id)), 'an app in both');
    assert.equal(new Set([...protect, ...cost]).size, sb.options.appsflyerApps);
  });

  it('pages with limit/offset and links.prev/self/next; the last page has no next', async () => {
    const first = JSON.parse((await get(sb, '?capabilities=cost&limit=1', bearer())).text) as Page;
    assert.equal(first.data.length, 1);
    assert.equal(first.links.prev, undefined);
    assert.equal(first.links.next, `${sb.origin}/appsflyer/api/mng/apps?capabilities=cost&offset=1&limit=1`);
    const seen = [...first.data.map((a) => a.id)];
    let next: string | undefined = first.links.next;
    let last = first;
    while (next) {
      const res = await fetch(next, { headers: { authorization: bearer() } });
      assert.equal(res.status, 200);
      last = (await res.json()) as Page;
      assert.ok(last.links.prev, 'pages after the first have prev');
      seen.push(...last.data.map((a) => a.id));
      next = last.links.next;
    }
    assert.equal(seen.length, first.meta.total_items);
    assert.equal(new Set(seen).size, seen.length);
    assert.equal(last.links.next, undefined);

    const middle = JSON.parse((await get(sb, '?capabilities=cost&limit=2&offset=2', bearer())).text) as Page;
    assert.equal(middle.links.prev, `${sb.origin}/appsflyer/api/mng/apps?capabilities=cost&offset=0&limit=2`);
    assert.equal(middle.links.self, `${sb.origin}/appsflyer/api/mng/apps?capabilities=cost&offset=2&limit=2`);
    const beyond = JSON.parse((await get(sb, '?capabilities=cost&offset=500', bearer())).text) as Page;
    assert.deepEqual(beyond.data, []);
    assert.equal(beyond.links.next, undefined);
  });

  it('answers 400 with an empty JSON object for an illegal or missing capability', async () => {
    for (const q of ['?capabilities=installs', '?capabilities=', '', '?capabilities=PROTECT_360']) {
      const r = await get(sb, q, bearer());
      assert.equal(r.status, 400, q);
      assert.deepEqual(JSON.parse(r.text), {}, q);
    }
  });

  it('answers 400 "Bad request" for limit above 1000 or a bad limit/offset', async () => {
    for (const q of ['limit=1001', 'limit=0', 'limit=abc', 'offset=-1', 'offset=x']) {
      const r = await get(sb, `?capabilities=cost&${q}`, bearer());
      assert.equal(r.status, 400, q);
      assert.equal(JSON.parse(r.text), 'Bad request', q);
    }
    assert.equal((await get(sb, '?capabilities=cost&limit=1000', bearer())).status, 200);
  });

  it('answers 200 with no data when the token is not in a Bearer header (the seed\'s empty-200 case)', async () => {
    for (const auth of [undefined, creds.token, `Token ${creds.token}`, 'Bearer ', 'Bearer']) {
      const r = await get(sb, '?capabilities=protect_360', auth);
      assert.equal(r.status, 200, String(auth).slice(0, 12));
      const body = JSON.parse(r.text) as Page;
      assert.deepEqual(body.data, []);
      assert.equal(body.meta.total_items, 0);
    }
    assert.deepEqual(emulator(sb).limits.usage(), { minute: 0, day: 0 }, 'unauthenticated calls are not counted');
  });

  it('answers 401 "Unauthorized" (a bare JSON string) for a malformed or unknown token', async () => {
    const unknown = `${creds.token.slice(0, -6)}AAAAAA`;
    for (const t of ['abc', 'x.y.z', creds.token.slice(0, 600), `${creds.token}!`, unknown]) {
      const r = await get(sb, '?capabilities=protect_360', `Bearer ${t}`);
      assert.equal(r.status, 401);
      assert.equal(r.text, '"Unauthorized"');
      assert.match(r.type ?? '', /application\/json/);
    }
  });

  it('answers 404 "Not found" for a legal capability without apps, and for a revoked token', async () => {
    const noCost = await get(sb, '?capabilities=cost', `Bearer ${creds.protectOnlyToken}`);
    assert.equal(noCost.status, 404);
    assert.equal(JSON.parse(noCost.text), 'Not found');
    const protect = await get(sb, '?capabilities=protect_360', `Bearer ${creds.protectOnlyToken}`);
    assert.equal(protect.status, 200);
    assert.ok((JSON.parse(protect.text) as Page).data.length > 0);
    const revoked = await get(sb, '?capabilities=protect_360', `Bearer ${creds.revokedToken}`);
    assert.equal(revoked.status, 404);
    assert.equal(JSON.parse(revoked.text), 'Not found');
  });

  it('accepts the Bearer scheme case-insensitively', async () => {
    assert.equal((await get(sb, '?capabilities=cost', `bearer ${creds.token}`)).status, 200);
  });

  it('answers 404 for other paths and methods', async () => {
    const res = await fetch(`${sb.baseUrl('/appsflyer')}/api/mng/apps?capabilities=cost`, { method: 'POST', headers: { authorization: bearer() } });
    assert.equal(res.status, 404);
    const other = await fetch(`${sb.baseUrl('/appsflyer')}/api/mng/nothing`, { headers: { authorization: bearer() } });
    assert.equal(other.status, 404);
  });

  it('serves the benchmark scale (5000 apps) in pages of 1000', async () => {
    const big = await startSandbox({ appsflyerApps: 5000 });
    try {
      const token = (big.credentials().appsflyer as unknown as Creds).token;
      let url: string | undefined = `${big.baseUrl('/appsflyer')}/api/mng/apps?capabilities=protect_360`;
      let total = 0;
      let pages = 0;
      let count = 0;
      while (url) {
        const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        assert.equal(res.status, 200);
        const page = (await res.json()) as Page;
        assert.ok(page.data.length <= 1000);
        total = page.meta.total_items;
        count += page.data.length;
        pages++;
        url = page.links.next;
      }
      assert.equal(count, total);
      assert.equal(pages, Math.ceil(total / 1000));
      assert.ok(total > 3000);
    } finally {
      await big.close();
    }
  });

  it('reseeds when the data scale changes through /_sandbox/options', async () => {
    const res = await fetch(`${sb.origin}/_sandbox/options`, { method: 'POST', body: JSON.stringify({ appsflyerApps: 12 }) });
    assert.equal(res.status, 200);
    try {
      const cost = JSON.parse((await get(sb, '?capabilities=cost', bearer())).text) as Page;
      assert.equal(cost.meta.total_items, 8);
    } finally {
      await fetch(`${sb.origin}/_sandbox/options`, { method: 'POST', body: JSON.stringify({ appsflyerApps: 6 }) });
    }
  });
});

describe('AppsFlyer rate limits (20/minute, 100/day per token)', () => {
  it('answers 429 "Too many requests" after 20 requests in a minute, and again once the minute has passed', async () => {
    // 1 real second = 1 scaled minute.
    const sb = await startSandbox({ clockScale: 60 });
    try {
      const em = emulator(sb);
      const { token } = sb.credentials().appsflyer as unknown as Creds;
      for (let i = 0; i < 20; i++) assert.equal((await get(sb, '?capabilities=cost', `Bearer ${token}`)).status, 200, `request ${i + 1}`);
      const r = await get(sb, '?capabilities=cost', `Bearer ${token}`);
      assert.equal(r.status, 429);
      assert.equal(JSON.parse(r.text), 'Too many requests');
      assert.equal(r.text, '"Too many requests"');
      assert.deepEqual(em.limits.usage(token), { minute: 20, day: 20 }, 'a refused request is not counted');
      // Another token has its own budget.
      assert.equal((await get(sb, '?capabilities=protect_360', `Bearer ${(sb.credentials().appsflyer as unknown as Creds).protectOnlyToken}`)).status, 200);
      await sleep(1100); // 66 scaled seconds
      assert.equal((await get(sb, '?capabilities=cost', `Bearer ${token}`)).status, 200);
      assert.equal(em.limits.usage(token).minute, 1);
    } finally {
      await sb.close();
    }
  });

  it('counts error answers of an authenticated token too (400/404)', async () => {
    const sb = await startSandbox();
    try {
      const { token } = sb.credentials().appsflyer as unknown as Creds;
      await get(sb, '?capabilities=nope', `Bearer ${token}`);
      await get(sb, '?capabilities=cost&limit=5000', `Bearer ${token}`);
      assert.deepEqual(emulator(sb).limits.usage(token), { minute: 2, day: 2 });
    } finally {
      await sb.close();
    }
  });

  it('answers 429 after 100 requests in a day; resetDaily() and reset() clear the counter', async () => {
    const sb = await startSandbox();
    try {
      const em = emulator(sb);
      const { token } = sb.credentials().appsflyer as unknown as Creds;
      for (let i = 0; i < 100; i++) {
        if (i % 20 === 0) em.limits.resetMinute(token);
        assert.equal((await get(sb, '?capabilities=cost', `Bearer ${token}`)).status, 200, `request ${i + 1}`);
      }
      em.limits.resetMinute(token);
      const r = await get(sb, '?capabilities=cost', `Bearer ${token}`);
      assert.equal(r.status, 429);
      assert.equal(JSON.parse(r.text), 'Too many requests');
      assert.equal(em.limits.usage(token).day, 100);
      em.limits.resetDaily(token);
      assert.equal(em.limits.usage(token).day, 0);
      assert.equal((await get(sb, '?capabilities=cost', `Bearer ${token}`)).status, 200);
      sb.reset();
      assert.deepEqual(em.limits.usage(token), { minute: 0, day: 0 });
    } finally {
      await sb.close();
    }
  });

  it('restores the daily budget at the next UTC day of the rate-limit clock', async () => {
    // 1 real second = 1 scaled day, so the minute window never fills and a day passes within a second.
    const sb = await startSandbox({ clockScale: 86_400 });
    try {
      const em = emulator(sb);
      const { token } = sb.credentials().appsflyer as unknown as Creds;
      let refused = -1;
      let dayCount = 0;
      for (let i = 0; i < 250 && refused < 0; i++) {
        if ((await get(sb, '?capabilities=cost', `Bearer ${token}`)).status === 429) { refused = i; dayCount = em.limits.usage(token).day; }
      }
      assert.ok(refused >= 100, 'at least 100 requests pass before a 429');
      assert.equal(dayCount, 100);
      await sleep(1100);
      assert.equal((await get(sb, '?capabilities=cost', `Bearer ${token}`)).status, 200);
    } finally {
      await sb.close();
    }
  });
});
