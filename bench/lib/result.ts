// What every measure hands back to bench/run.mjs: table rows (already phrased, each with its budget, physical
// limit and verdict) plus the raw figures that go into bench-results.json.
import { writeFileSync } from 'node:fs';
import { flag, round, type Summary } from './stats';

export interface TableRow {
  /** Stable id, e.g. `listing.asc`. */
  id: string;
  measure: string;
  how: string;
  /** The headline number the budget applies to. */
  value: number;
  unit: string;
  /** e.g. `1.07 (1.05–1.10, n=7)`. */
  result: string;
  budget: string;
  /** Physical limit where there is one (e.g. sequential round trips × latency), else empty. */
  limit: string;
  pass: boolean;
}

export interface MeasureResult {
  measure: string;
  rows: TableRow[];
  notes: string[];
  details: Record<string, unknown>;
}

/** `median (min–max, n=…)` with a fixed number of decimals. */
export function fmt(s: Summary, digits = 1, unit = ''): string {
  const u = unit ? ` ${unit}` : '';
  if (s.n === 1) return `${s.median.toFixed(digits)}${u}`;
  return `${s.median.toFixed(digits)}${u} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)}, n=${s.n})`;
}

/** Writes the result where the runner asked (`--out=`), or prints it. */
export function emit(result: MeasureResult): void {
  const out = flag('out', '');
  const text = JSON.stringify(result, (_k, v: unknown) => (typeof v === 'number' ? round(v, 4) : v), 2);
  if (out) writeFileSync(out, text);
  else process.stdout.write(`${text}\n`);
}

/** Runs a measure's main, emits its result, and exits with a clear message on failure. */
export function main(fn: () => Promise<MeasureResult>): void {
  fn().then(
    (r) => {
      emit(r);
      process.exit(0);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
