// Sales and Trends (gzipped tab-separated text, `Accept: application/a-gzip`) and power & performance metrics
// (`application/vnd.apple.xcode-metrics+json`, not JSON:API).
import { promisify } from 'node:util';
import { gunzip as gunzipCb } from 'node:zlib';
import { ProtocolError, ValidationError } from '../../core/errors';
import type { MetricsSummary, ReportsService, TableReport } from '../services';
import type { AppSummary } from '../types';
import { seg, type AscContext } from './context';
import { titleCase } from './format';
import { PROVIDER } from './keys';
import { XcodeMetrics } from './schemas';

const gunzip = promisify(gunzipCb);

export const SALES_NUMERIC_COLUMNS = ['Units', 'Developer Proceeds', 'Customer Price'];
export type Frequency = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';

/** The report date Apple expects for a frequency: YYYY-MM-DD (daily, weekly), YYYY-MM, YYYY; longer dates are cut. */
export function reportDateFor(frequency: Frequency, date: string): string {
  const d = date.trim();
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(d);
  const fail = (what: string) =>
    new ValidationError({ provider: PROVIDER, summary: `"${d}" is not a valid date for a ${frequency.toLowerCase()} sales report`, fieldErrors: { date: [what] }, hint: what });
  if (!m) throw fail('Use YYYY-MM-DD (daily, weekly), YYYY-MM (monthly) or YYYY (yearly).');
  const [, y, mo, day] = m;
  if (frequency === 'YEARLY') return y!;
  if (frequency === 'MONTHLY') {
    if (!mo) throw fail('Use YYYY-MM for a monthly report.');
    return `${y}-${mo}`;
  }
  if (!mo || !day) throw fail(`Use YYYY-MM-DD for a ${frequency.toLowerCase()} report.`);
  return `${y}-${mo}-${day}`;
}

/** Tab-separated text → table; numeric columns are the ones both asked for and present. */
export function parseTsv(text: string, numericColumns: readonly string[] = SALES_NUMERIC_COLUMNS): TableReport {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  const columns = (lines.shift() ?? '').split('\t').map((c) => c.trim());
  const rows = lines.map((l) => {
    const cells = l.split('\t');
    while (cells.length < columns.length) cells.push('');
    return cells.slice(0, columns.length);
  });
  return { columns, rows, numericColumns: numericColumns.filter((c) => columns.includes(c)) };
}

function metricLabel(id: string): string {
  const words = id.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words[0]!.toUpperCase() + words.slice(1);
}

export class AscReportsService implements ReportsService {
  constructor(private readonly ctx: AscContext) {}

  async salesReport(params: { vendorNumber: string; date: string; frequency: Frequency }, signal?: AbortSignal): Promise<TableReport> {
    const vendor = params.vendorNumber.trim();
    if (!/^\d{6,12}$/.test(vendor)) {
      throw new ValidationError({
        provider: PROVIDER,
        summary: `"${vendor}" is not a vendor number`,
        fieldErrors: { vendorNumber: ['The vendor number is the 8-digit number in App Store Connect → Payments and Financial Reports.'] },
      });
    }
    const reportDate = reportDateFor(params.frequency, params.date);
    const body = await this.ctx.client.getBytes('/v1/salesReports', {
      query: {
        'filter[vendorNumber]': vendor,
        'filter[reportType]': 'SALES',
        'filter[reportSubType]': 'SUMMARY',
        'filter[frequency]': params.frequency,
        'filter[reportDate]': reportDate,
      },
      accept: 'application/a-gzip',
      signal,
      maxBytes: 50 * 1024 * 1024,
    });
    let text: string;
    try {
      // The API sends gzip; tolerate a proxy that already unpacked it.
      text = (body[0] === 0x1f && body[1] === 0x8b ? await gunzip(body, { maxOutputLength: 200 * 1024 * 1024 }) : body).toString('utf8');
    } catch (e) {
      throw new ProtocolError({ provider: PROVIDER, endpoint: 'GET /v1/salesReports', details: [`the report is not valid gzip: ${(e as Error).message}`] });
    }
    return parseTsv(text);
  }

  async metrics(app: AppSummary, signal?: AbortSignal): Promise<MetricsSummary> {
    const m = await this.ctx.client.get(`/v1/apps/${seg(app.id)}/perfPowerMetrics`, XcodeMetrics, {
      query: { 'filter[platform]': 'IOS' },
      accept: 'application/vnd.apple.xcode-metrics+json',
      signal,
    });
    return summarizeMetrics(m);
  }
}

/** Latest point per metric, preferring all devices at the 50th percentile. */
export function summarizeMetrics(m: XcodeMetrics): MetricsSummary {
  const categories: MetricsSummary['categories'] = [];
  for (const product of m.productData ?? []) {
    for (const cat of product.metricCategories ?? []) {
      let entry = categories.find((c) => c.id === cat.identifier);
      if (!entry) categories.push((entry = { id: cat.identifier, label: titleCase(cat.identifier), metrics: [] }));
      for (const metric of cat.metrics ?? []) {
        const sets = metric.datasets ?? [];
        const pick =
          sets.find((d) => d.filterCriteria?.device === 'all_iphones' && d.filterCriteria?.percentile === 'p50') ??
          sets.find((d) => d.filterCriteria?.percentile === 'p50') ??
          sets[0];
        const points = (pick?.points ?? []).filter((p) => typeof p.value === 'number');
        const last = points[points.length - 1];
        entry.metrics.push({
          id: metric.identifier,
          label: metricLabel(metric.identifier),
          ...((metric.unit?.identifier ?? metric.unit?.displayName) && { unit: (metric.unit?.identifier ?? metric.unit?.displayName)! }),
          ...(last && { latest: { version: last.version ?? '?', value: last.value as number, ...(last.goal && { goal: last.goal }) } }),
        });
      }
    }
  }
  return { categories };
}
