// TestFlight feedback: screenshot and crash submissions, fetched in parallel and merged newest first. The page
// cursor carries both collections' next links.
import { ProtocolError } from '../../core/errors';
import type { FeedbackEntry, FeedbackService } from '../services';
import type { AppSummary, ListOptions, Page } from '../types';
import { seg, type AscContext } from './context';
import { byDateDesc } from './context';
import { fullName } from './format';
import { PROVIDER } from './keys';
import { BetaTester, Build, CrashLog, CrashSubmission, ScreenshotSubmission, collection, findIncluded, relId, single, type AnyResource } from './schemas';

const ScreenshotList = collection(ScreenshotSubmission);
const CrashList = collection(CrashSubmission);
const CrashLogDoc = single(CrashLog);

type Submission = ScreenshotSubmission | CrashSubmission;

function toEntry(kind: 'screenshot' | 'crash', s: Submission, included: readonly AnyResource[]): FeedbackEntry {
  const a = (s.attributes ?? {}) as NonNullable<ScreenshotSubmission['attributes']>;
  const tester = findIncluded(included, 'betaTesters', relId(s, 'tester'), BetaTester);
  const build = findIncluded(included, 'builds', relId(s, 'build'), Build);
  const author = fullName(tester?.attributes?.firstName, tester?.attributes?.lastName);
  const email = a.email ?? tester?.attributes?.email ?? undefined;
  return {
    id: s.id,
    type: kind,
    createdDate: a.createdDate ?? '',
    ...(author && { author }),
    ...(email && { email }),
    text: a.comment ?? '',
    ...(kind === 'crash' && { hasCrashLog: true }),
    ...(a.screenshots?.length && { screenshots: a.screenshots.map((x) => ({ url: x.url, ...(x.width && { width: x.width }), ...(x.height && { height: x.height }) })) }),
    details: {
      build: build?.attributes?.version ?? null,
      device: a.deviceModel ?? null,
      osVersion: a.osVersion ?? null,
      locale: a.locale ?? null,
      connection: a.connectionType ?? null,
      battery: a.batteryPercentage ?? null,
      appUptimeSeconds: typeof a.appUptimeInMilliseconds === 'number' ? Math.round(a.appUptimeInMilliseconds / 1000) : null,
      bundleId: a.buildBundleId ?? null,
    },
  };
}

interface Cursor {
  s?: string;
  c?: string;
}

function encodeCursor(c: Cursor): string | undefined {
  return c.s || c.c ? Buffer.from(JSON.stringify(c)).toString('base64url') : undefined;
}

function decodeCursor(raw: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor;
    if (c && typeof c === 'object') return { ...(typeof c.s === 'string' && { s: c.s }), ...(typeof c.c === 'string' && { c: c.c }) };
  } catch {
    // fall through
  }
  throw new ProtocolError({ provider: PROVIDER, summary: 'The feedback page cursor is damaged', hint: 'Refresh the feedback list.' });
}

export class AscFeedbackService implements FeedbackService {
  constructor(private readonly ctx: AscContext) {}

  async list(app: AppSummary, opts: ListOptions & { archived?: boolean; limit?: number } = {}): Promise<Page<FeedbackEntry>> {
    const c = this.ctx.client;
    const cursor = opts.cursor ? decodeCursor(opts.cursor) : undefined;
    const query = { sort: '-createdDate', include: 'build,tester', limit: opts.limit ?? 25 };
    const empty = { data: [], included: [] as AnyResource[] };
    const [shots, crashes] = await Promise.all([
      cursor && !cursor.s ? empty : c.page(`/v1/apps/${seg(app.id)}/betaFeedbackScreenshotSubmissions`, ScreenshotList, { query, cursor: cursor?.s, signal: opts.signal }),
      cursor && !cursor.c ? empty : c.page(`/v1/apps/${seg(app.id)}/betaFeedbackCrashSubmissions`, CrashList, { query, cursor: cursor?.c, signal: opts.signal }),
    ]);
    const items = byDateDesc(
      [...shots.data.map((s) => toEntry('screenshot', s, shots.included)), ...crashes.data.map((s) => toEntry('crash', s, crashes.included))],
      (e) => e.createdDate,
    );
    const next = encodeCursor({ ...('next' in shots && shots.next && { s: shots.next }), ...('next' in crashes && crashes.next && { c: crashes.next }) });
    return { items, ...(next && { next }) };
  }

  async crashLog(_app: AppSummary, entry: FeedbackEntry): Promise<string> {
    const doc = await this.ctx.client.get(`/v1/betaFeedbackCrashSubmissions/${seg(entry.id)}/crashLog`, CrashLogDoc);
    return doc.data.attributes?.logText ?? '';
  }
}
