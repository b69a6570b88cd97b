// Non-JSON:API payloads: Sales and Trends reports (gzipped TSV, `application/a-gzip`) and power & performance
// metrics (`application/vnd.apple.xcode-metrics+json`). Values are derived from a hash of the inputs, so the same
// request always gets the same numbers.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Res, Store } from './store';
import { fail, paramError } from './errors';

const DAY = 86_400_000;

function rnd(...parts: (string | number)[]): number {
  return createHash('sha1').update(parts.join('|')).digest().readUInt32BE(0) / 0x1_0000_0000;
}

// -----------------------------------------------------------------------------------------------------------------
// Sales reports

export const SALES_HEADER = [
  'Provider', 'Provider Country', 'SKU', 'Developer', 'Title', 'Version', 'Product Type Identifier', 'Units', 'Developer Proceeds',
  'Begin Date', 'End Date', 'Customer Currency', 'Country Code', 'Currency of Proceeds', 'Apple Identifier', 'Customer Price',
  'Promo Code', 'Parent Identifier', 'Subscription', 'Period', 'Category', 'CMB', 'Device', 'Supported Platforms',
  'Proceeds Reason', 'Preserved Pricing', 'Client', 'Order Type',
];

/** Combinations Apple documents ("Download Sales and Trends Reports"), with the versions each accepts. */
const COMBINATIONS: Record<string, { subTypes: string[]; frequencies: string[]; versions: string[] }> = {
  SALES: { subTypes: ['SUMMARY'], frequencies: ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'], versions: ['1_0', '1_1', '1_3'] },
  PRE_ORDER: { subTypes: ['SUMMARY'], frequencies: ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'], versions: ['1_0'] },
  NEWSSTAND: { subTypes: ['DETAILED'], frequencies: ['DAILY', 'WEEKLY'], versions: ['1_0'] },
  SUBSCRIPTION: { subTypes: ['SUMMARY'], frequencies: ['DAILY'], versions: ['1_3', '1_4'] },
  SUBSCRIPTION_EVENT: { subTypes: ['SUMMARY'], frequencies: ['DAILY'], versions: ['1_3', '1_4'] },
  SUBSCRIBER: { subTypes: ['DETAILED'], frequencies: ['DAILY'], versions: ['1_3', '1_4'] },
  SUBSCRIPTION_OFFER_CODE_REDEMPTION: { subTypes: ['SUMMARY'], frequencies: ['DAILY'], versions: ['1_0'] },
  INSTALLS: { subTypes: ['SUMMARY_INSTALL_TYPE', 'SUMMARY_TERRITORY', 'SUMMARY_CHANNEL'], frequencies: ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'], versions: ['1_0', '1_1', '1_2'] },
  FIRST_ANNUAL: { subTypes: ['DETAILED'], frequencies: ['DAILY'], versions: ['1_0'] },
  WIN_BACK_ELIGIBILITY: { subTypes: ['SUMMARY'], frequencies: ['DAILY'], versions: ['1_0'] },
};

const MARKETS: { cc: string; currency: string; price: number; weight: number }[] = [
  { cc: 'US', currency: 'USD', price: 4.99, weight: 1 }, { cc: 'GB', currency: 'GBP', price: 4.99, weight: 0.35 },
  { cc: 'DE', currency: 'EUR', price: 5.99, weight: 0.3 }, { cc: 'FR', currency: 'EUR', price: 5.99, weight: 0.2 },
  { cc: 'JP', currency: 'JPY', price: 800, weight: 0.25 }, { cc: 'CA', currency: 'CAD', price: 6.99, weight: 0.15 },
  { cc: 'AU', currency: 'AUD', price: 7.99, weight: 0.12 }, { cc: 'BR', currency: 'BRL', price: 27.9, weight: 0.1 },
];

const pad = (n: number) => String(n).padStart(2, '0');
const mdy = (ms: number) => { const d = new Date(ms); return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()}`; };

function reportRange(frequency: string, reportDate: string | undefined, nowMs: number): { begin: number; end: number } {
  const param = 'filter[reportDate]';
  const today = Math.floor(nowMs / DAY) * DAY;
  let begin: number;
  let end: number;
  if (frequency === 'DAILY' || frequency === 'WEEKLY') {
    if (reportDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(reportDate)) throw paramError('INVALID', param, `'${reportDate}' is not a valid value for '${param}'. Use YYYY-MM-DD for ${frequency} reports`);
    const date = reportDate ? Date.parse(`${reportDate}T00:00:00Z`) : today - DAY * (frequency === 'DAILY' ? 1 : 1 + new Date(today).getUTCDay());
    if (Number.isNaN(date)) throw paramError('INVALID', param, `'${reportDate}' is not a valid date`);
    end = date;
    begin = frequency === 'DAILY' ? date : date - 6 * DAY;
  } else if (frequency === 'MONTHLY') {
    if (reportDate !== undefined && !/^\d{4}-\d{2}$/.test(reportDate)) throw paramError('INVALID', param, `'${reportDate}' is not a valid value for '${param}'. Use YYYY-MM for MONTHLY reports`);
    const t = new Date(today);
    const [y, m] = reportDate ? reportDate.split('-').map(Number) as [number, number] : [t.getUTCFullYear(), t.getUTCMonth()];
    begin = Date.UTC(y, m - 1, 1);
    end = Date.UTC(y, m, 0);
  } else {
    if (reportDate !== undefined && !/^\d{4}$/.test(reportDate)) throw paramError('INVALID', param, `'${reportDate}' is not a valid value for '${param}'. Use YYYY for YEARLY reports`);
    const y = reportDate ? Number(reportDate) : new Date(today).getUTCFullYear() - 1;
    begin = Date.UTC(y, 0, 1);
    end = Date.UTC(y, 11, 31);
  }
  if (end >= today) {
    throw fail(404, 'NOT_FOUND', 'Report is not available yet. Daily reports for the Americas are available by 5 am Pacific Time; Japan, Australia, and New Zealand by 5 am Japan Standard Time; and 5 am Central European Time for all other territories.');
  }
  return { begin, end };
}

export interface SalesQuery { reportType: string; reportSubType: string; frequency: string; reportDate?: string; version?: string }

/** The gzipped TSV body of `GET /v1/salesReports`. */
export function salesReport(store: Store, q: SalesQuery, nowMs: number): Buffer {
  const combo = COMBINATIONS[q.reportType]!;
  if (!combo.subTypes.includes(q.reportSubType)) throw paramError('INVALID', 'filter[reportSubType]', `Invalid reportSubType '${q.reportSubType}' for reportType '${q.reportType}'. Allowed: ${combo.subTypes.join(', ')}`);
  if (!combo.frequencies.includes(q.frequency)) throw paramError('INVALID', 'filter[frequency]', `Invalid frequency '${q.frequency}' for reportType '${q.reportType}'. Allowed: ${combo.frequencies.join(', ')}`);
  if (q.version !== undefined && !combo.versions.includes(q.version)) throw paramError('INVALID', 'filter[version]', `Invalid version '${q.version}' for reportType '${q.reportType}'. Allowed: ${combo.versions.join(', ')}`);
  const { begin, end } = reportRange(q.frequency, q.reportDate, nowMs);
  if (q.reportType !== 'SALES') throw fail(404, 'NOT_FOUND', 'There were no sales for the date specified.');
  const days = Math.round((end - begin) / DAY) + 1;
  const rows: string[][] = [];
  for (const app of store.all('apps').slice(0, 50)) {
    const live = store.inverse('appStoreVersions', 'app', app.id).find((v) => v.attributes.appStoreState === 'READY_FOR_SALE');
    const version = String(live?.attributes.versionString ?? '1.0');
    const developer = `${String(app.attributes.name).split(' ')[0]} Labs LLC`;
    for (const m of MARKETS) {
      const base = rnd(app.id, m.cc) * 40 * m.weight;
      const units = (kind: string) => Math.round(base * days * (0.6 + 0.8 * rnd(app.id, m.cc, kind, begin, end)));
      const row = (type: string, n: number, price: number, proceeds: number, parent = '', sku = String(app.attributes.sku), title = String(app.attributes.name), subscription = '', period = '') => {
        if (n > 0) rows.push(['APPLE', 'US', sku, developer, title, type.startsWith('IA') ? '' : version, type, String(n), proceeds.toFixed(2), mdy(begin), mdy(end), m.currency, m.cc, m.currency, app.id, price.toFixed(2), '', parent, subscription, period, String(app.attributes.name).includes('Weather') ? 'Weather' : 'Productivity', '', 'iPhone', 'iOS', '', '', '', '']);
      };
      row('1F', units('dl'), 0, 0);
      row('7F', units('up') * 3, 0, 0);
      row('3F', Math.round(units('re') / 3), 0, 0);
      const iap = Math.round(units('iap') / 8);
      row('IAY', iap, m.price, m.price * 0.7, String(app.attributes.sku), `${String(app.attributes.sku)}.PRO.YEARLY`, `${String(app.attributes.name)} Pro (Yearly)`, 'New', '1 Year');
    }
  }
  const tsv = [SALES_HEADER, ...rows].map((r) => r.join('\t')).join('\n') + '\n';
  return gzipSync(Buffer.from(tsv, 'utf8'));
}

// -----------------------------------------------------------------------------------------------------------------
// Power and performance metrics

const METRICS: Record<string, { id: string; unit: string; name: string; base: number; goal?: string }[]> = {
  LAUNCH: [{ id: 'launchTime', unit: 'ms', name: 'Milliseconds', base: 620, goal: 'launchTimeGoal' }],
  HANG: [{ id: 'hangRate', unit: 's/hr', name: 'Seconds per Hour', base: 1.8, goal: 'hangRateGoal' }],
  MEMORY: [{ id: 'peakMemory', unit: 'MB', name: 'Megabytes', base: 310 }, { id: 'averageSuspendedMemory', unit: 'MB', name: 'Megabytes', base: 48 }],
  DISK: [{ id: 'logicalWrites', unit: 'MB', name: 'Megabytes', base: 95 }],
  BATTERY: [{ id: 'onScreenBatteryUsage', unit: '%/day', name: 'Percent per Day', base: 3.4 }, { id: 'backgroundBatteryUsage', unit: '%/day', name: 'Percent per Day', base: 0.6 }],
  ANIMATION: [{ id: 'scrollHitchRate', unit: 'ms/s', name: 'Milliseconds per Second', base: 4.2, goal: 'hitchRateGoal' }],
  TERMINATION: [{ id: 'onScreenTerminations', unit: 'terminations/day', name: 'Terminations per Day', base: 0.05 }],
  STORAGE: [{ id: 'documentsAndData', unit: 'MB', name: 'Megabytes', base: 140 }],
};
const DEVICES = [
  { device: 'all_iphones', name: 'All iPhones' },
  { device: 'iPhone16,2', name: 'iPhone 15 Pro Max' },
  { device: 'iPhone14,7', name: 'iPhone 14' },
];

export interface MetricsQuery { metricTypes?: string[]; deviceTypes?: string[]; platform?: string[] }

/** `xcodeMetrics` for an app (all its shipped versions) or a single build. */
export function perfPowerMetrics(store: Store, app: Res, build: Res | undefined, q: MetricsQuery): object {
  const versions = build
    ? [String(store.relatedOne(build, 'preReleaseVersion')?.attributes.version ?? '1.0')]
    : store.inverse('appStoreVersions', 'app', app.id)
      .filter((v) => v.attributes.platform === 'IOS' && ['READY_FOR_SALE', 'REPLACED_WITH_NEW_VERSION', 'PENDING_DEVELOPER_RELEASE'].includes(String(v.attributes.appStoreState)))
      .map((v) => String(v.attributes.versionString)).reverse();
  const categories = Object.keys(METRICS).filter((c) => !q.metricTypes || q.metricTypes.includes(c));
  const devices = DEVICES.filter((d) => !q.deviceTypes || q.deviceTypes.includes(d.device));
  const value = (m: { id: string; base: number }, device: string, percentile: string, version: string, i: number) => {
    const drift = 1 + (rnd(app.id, m.id, version) - 0.5) * 0.3 + (m.id === 'launchTime' && i === versions.length - 1 && app.id === '1581234567' ? 0.35 : 0);
    const v = m.base * drift * (percentile === 'p90' ? 2.1 : 1) * (device === 'iPhone14,7' ? 1.25 : device === 'iPhone16,2' ? 0.85 : 1);
    return Math.round(v * 100) / 100;
  };
  const regressions = app.id === '1581234567' && categories.includes('LAUNCH') && versions.length >= 2 ? [{
    metricCategory: 'LAUNCH', latestVersion: versions[versions.length - 1], metric: 'launchTime',
    summaryString: 'Launch time regressed 38% compared with the previous versions', referenceVersions: versions.slice(0, -1).join(', '),
    maxLatestVersionValue: value(METRICS.LAUNCH![0]!, 'all_iphones', 'p90', versions[versions.length - 1]!, versions.length - 1), subSystemLabel: 'Main Thread', highImpact: true,
    populations: [{ deltaPercentage: 38.2, percentile: 'p50', summaryString: 'Typical launch is 38% slower', referenceAverageValue: 612, latestVersionValue: 846, device: 'all_iphones' }],
  }] : [];
  return {
    version: '1.0',
    insights: { trendingUp: [], regressions },
    productData: [{
      platform: 'IOS',
      metricCategories: categories.map((c) => ({
        identifier: c,
        metrics: METRICS[c]!.map((m) => ({
          identifier: m.id,
          goalKeys: m.goal ? [{ goalKey: m.goal, lowerBound: 0, upperBound: Math.round(m.base * 1.5) }] : [],
          unit: { identifier: m.unit, displayName: m.name },
          datasets: devices.flatMap((d) => ['p50', 'p90'].map((percentile) => ({
            filterCriteria: { percentile, device: d.device, deviceMarketingName: d.name },
            points: versions.map((version, i) => ({
              version, value: value(m, d.device, percentile, version, i), errorMargin: Math.round(m.base * 0.04 * 100) / 100,
              percentageBreakdown: { value: 100, subSystemLabel: '' }, goal: m.goal ? (value(m, d.device, percentile, version, i) > m.base * 1.5 ? 'POOR' : 'GOOD') : '',
            })),
          }))),
        })),
      })),
    }],
  };
}
