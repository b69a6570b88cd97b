// Messages of the reports panel: a sales report as a sortable table with totals, and the metrics summary.
import type { MetricsSummary, TableReport } from '../providers/services';
import { isRecord, isString, type PanelError } from './messages';

export type Frequency = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';

export type ReportsUpdate =
  | { type: 'init'; appName: string; provider: string; vendorNumber?: string; canSales: boolean; canMetrics: boolean }
  | { type: 'sales'; report: TableReport; params: { vendorNumber: string; date: string; frequency: Frequency } }
  | { type: 'metrics'; summary: MetricsSummary }
  | { type: 'error'; error: PanelError }
  | { type: 'busy'; busy: boolean; label?: string };

export type ReportsRequest =
  | { type: 'ready' }
  | { type: 'loadSales'; vendorNumber: string; date: string; frequency: Frequency }
  | { type: 'loadMetrics' };

const FREQUENCIES = new Set(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']);

export function parseReportsRequest(raw: unknown): ReportsRequest | undefined {
  if (!isRecord(raw)) return undefined;
  if (raw.type === 'ready' || raw.type === 'loadMetrics') return { type: raw.type };
  if (raw.type === 'loadSales') {
    if (!isString(raw.vendorNumber, 20) || !/^\d{1,20}$/.test(raw.vendorNumber)) return undefined;
    if (!isString(raw.date, 10) || !/^\d{4}(-\d{2}){0,2}$/.test(raw.date)) return undefined;
    if (!isString(raw.frequency, 10) || !FREQUENCIES.has(raw.frequency)) return undefined;
    return { type: 'loadSales', vendorNumber: raw.vendorNumber, date: raw.date, frequency: raw.frequency as Frequency };
  }
  return undefined;
}
