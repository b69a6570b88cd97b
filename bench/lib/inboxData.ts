// 10,000 inbox items from in-memory accounts: App Store reviews and TestFlight feedback of many apps, served
// page by page (50 a page, as App Store Connect pages them) through the real Connection/Service interfaces, each
// page parsed from JSON text as a provider would parse a response. Deterministic (seeded), so runs compare.
import type { FeedbackEntry, Review } from '../../src/providers/services';
import type { AccountConfig, AppSummary, Connection, Page } from '../../src/providers/types';

const WORDS = (
  'app crash login sync great love slow update battery widget dark mode notes search export share photo icloud ' +
  'subscription price bug fix please keyboard ipad iphone watch offline backup lost data font size colour ' +
  'notification reminder calendar fast smooth beautiful terrible annoying finally works again support thanks'
).split(' ');
const NAMES = ['Ava', 'Noah', 'Mia', 'Liam', 'Zoe', 'Ethan', 'Lena', 'Omar', 'Yuki', 'Ines', 'Raj', 'Sofia'];
const TERRITORIES = ['USA', 'GBR', 'DEU', 'FRA', 'JPN', 'CAN', 'AUS', 'BRA', 'IND', 'ESP', 'ITA', 'NLD'];

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function text(r: () => number, min: number, max: number): string {
  const n = min + Math.floor(r() * (max - min));
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(WORDS[Math.floor(r() * WORDS.length)]!);
  const s = out.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1) + '.';
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);
const PAGE = 50;

function reviewsOf(appIndex: number, count: number): string[] {
  // One JSON text per page, so every page is parsed afresh when it is "received".
  const r = prng(1000 + appIndex);
  const pages: string[] = [];
  for (let p = 0; p * PAGE < count; p++) {
    const items: Review[] = [];
    for (let i = p * PAGE; i < Math.min(count, (p + 1) * PAGE); i++) {
      const answered = r() < 0.3;
      items.push({
        id: `r-${appIndex}-${i}`,
        rating: 1 + Math.floor(r() * 5),
        title: text(r, 2, 6),
        body: text(r, 15, 90),
        author: `${pick(r, NAMES)}${Math.floor(r() * 10_000)}`,
        territory: pick(r, TERRITORIES),
        createdDate: new Date(NOW - Math.floor(r() * 730 * DAY)).toISOString(),
        ...(answered && { response: { id: `resp-${appIndex}-${i}`, body: text(r, 10, 40), state: 'PUBLISHED' } }),
      });
    }
    pages.push(JSON.stringify(items));
  }
  return pages;
}

function feedbackOf(appIndex: number, count: number): string[] {
  const r = prng(5000 + appIndex);
  const pages: string[] = [];
  for (let p = 0; p * PAGE < count; p++) {
    const items: FeedbackEntry[] = [];
    for (let i = p * PAGE; i < Math.min(count, (p + 1) * PAGE); i++) {
      const crash = r() < 0.4;
      items.push({
        id: `f-${appIndex}-${i}`,
        type: crash ? 'crash' : 'screenshot',
        createdDate: new Date(NOW - Math.floor(r() * 180 * DAY)).toISOString(),
        author: `${pick(r, NAMES)} ${pick(r, NAMES)}`,
        email: `tester${i}@example.com`,
        text: r() < 0.15 ? '' : text(r, 5, 40),
        hasCrashLog: crash,
        details: { build: String(100 + Math.floor(r() * 50)), device: 'iPhone16,2', os: '18.5' },
      });
    }
    pages.push(JSON.stringify(items));
  }
  return pages;
}

function pageOf<T>(pages: string[], cursor: string | undefined): Page<T> {
  const i = cursor ? Number(cursor) : 0;
  const items = JSON.parse(pages[i] ?? '[]') as T[];
  return i + 1 < pages.length ? { items, next: String(i + 1) } : { items };
}

/**
 * Accounts whose apps hold `reviewsPerApp` reviews and `feedbackPerApp` TestFlight submissions each:
 * 20 apps × (400 + 100) = 10,000 items by default.
 */
export function inboxAccounts(apps = 20, reviewsPerApp = 400, feedbackPerApp = 100): { accounts: AccountConfig[]; connection(a: AccountConfig): Promise<Connection>; total: number } {
  const account: AccountConfig = { id: 'bench-inbox', providerId: 'asc', label: 'Bench App Store Connect', settings: {} };
  const summaries: AppSummary[] = Array.from({ length: apps }, (_, i) => ({ id: String(1_700_000_000 + i), name: `Bench App ${i}`, bundleId: `com.example.bench${i}` }));
  const index = new Map(summaries.map((a, i) => [a.id, i]));
  // The response texts stand for the network: made before the measurement, parsed during it.
  const reviewPages = summaries.map((_, i) => reviewsOf(i, reviewsPerApp));
  const feedbackPages = summaries.map((_, i) => feedbackOf(i, feedbackPerApp));
  const conn: Connection = {
    account,
    capabilities: new Set(['reviews', 'feedback']),
    verify: async () => undefined,
    listApps: async () => ({ items: summaries.map((a) => ({ ...a })) }),
    sections: () => [],
    services: {
      reviews: {
        list: async (app, _filter, opts) => pageOf<Review>(reviewPages[index.get(app.id)!]!, opts?.cursor),
        reply: async () => undefined,
        deleteResponse: async () => undefined,
      },
      feedback: {
        list: async (app, opts) => pageOf<FeedbackEntry>(feedbackPages[index.get(app.id)!]!, opts?.cursor),
        setArchived: async (_app, e, archived) => ({ ...e, archived }),
        crashLog: async () => '',
      },
    },
  };
  return { accounts: [account], connection: async () => conn, total: apps * (reviewsPerApp + feedbackPerApp) };
}
