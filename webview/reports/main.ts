// Reports panel: sales report table (sortable, with totals) and a metrics summary.
import type { ReportsUpdate, Frequency } from '../../src/protocol/reports';
import type { MetricsSummary, TableReport } from '../../src/providers/services';
import type { PanelError } from '../../src/protocol/messages';
import { append, clear, codicon, h, vscodeApi } from '../shared/dom';
import { BusyIndicator, button, errorBox, loadState, saveState } from '../shared/ui';

interface State { vendorNumber?: string; date?: string; frequency?: Frequency }
const root = document.getElementById('app')!;
const busy = new BusyIndicator();
const state = loadState<State>();
let init: Extract<ReportsUpdate, { type: 'init' }> | undefined;
let sales: Extract<ReportsUpdate, { type: 'sales' }> | undefined;
let metrics: MetricsSummary | undefined;
let error: PanelError | undefined;
let sort: { column: number; desc: boolean } | undefined;

function yesterday(): string {
  const d = new Date(Date.now() - 86_400_000);
  return d.toISOString().slice(0, 10);
}

function render(): void {
  clear(root);
  if (!init) { append(root, busy.el); return; }
  append(root, h('div', { class: 'header' }, h('h1', {}, init.appName), h('span', { class: 'sub' }, `Reports · ${init.provider}`)), busy.el);
  if (error) append(root, errorBox(error, () => { error = undefined; render(); }));
  if (init.canSales) renderSalesForm();
  if (sales) append(root, renderTable(sales.report));
  if (init.canMetrics) {
    append(root, h('h2', {}, 'Power and performance'));
    if (metrics) append(root, renderMetrics(metrics));
    else append(root, button('Load Metrics', { icon: 'pulse', secondary: true }, () => vscodeApi.postMessage({ type: 'loadMetrics' })));
  }
}

function renderSalesForm(): void {
  const vendor = h('input', { type: 'text', 'aria-label': 'Vendor number', placeholder: 'Vendor number', size: '12' });
  vendor.value = state.vendorNumber ?? init?.vendorNumber ?? '';
  const date = h('input', { type: 'date', 'aria-label': 'Report date' });
  date.value = state.date ?? yesterday();
  const freq = h('select', { 'aria-label': 'Frequency' });
  for (const f of ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']) freq.append(h('option', { value: f }, f[0] + f.slice(1).toLowerCase()));
  freq.value = state.frequency ?? 'DAILY';
  const load = button('Get Sales Report', { icon: 'table' }, () => {
    const f = freq.value as Frequency;
    const d = f === 'MONTHLY' ? date.value.slice(0, 7) : f === 'YEARLY' ? date.value.slice(0, 4) : date.value;
    if (!/^\d+$/.test(vendor.value.trim())) { error = { kind: 'validation', message: 'Enter your vendor number (digits only; see Payments and Financial Reports in App Store Connect).' }; render(); return; }
    Object.assign(state, { vendorNumber: vendor.value.trim(), date: date.value, frequency: f });
    saveState(state);
    vscodeApi.postMessage({ type: 'loadSales', vendorNumber: vendor.value.trim(), date: d, frequency: f });
  });
  append(root, h('h2', {}, 'Sales'), h('div', { class: 'toolbar' }, vendor, date, freq, load));
}

function renderTable(r: TableReport): HTMLElement {
  const numeric = new Set(r.numericColumns.map((c) => r.columns.indexOf(c)).filter((i) => i >= 0));
  const rows = [...r.rows];
  if (sort) {
    const { column, desc } = sort;
    rows.sort((a, b) => {
      const x = a[column] ?? '';
      const y = b[column] ?? '';
      const c = numeric.has(column) ? Number(x) - Number(y) : x.localeCompare(y);
      return desc ? -c : c;
    });
  }
  const head = h('tr', {});
  r.columns.forEach((c, i) => {
    const th = h('th', { scope: 'col', class: numeric.has(i) ? 'num' : undefined, 'aria-sort': sort?.column === i ? (sort.desc ? 'descending' : 'ascending') : 'none' });
    const b = h('button', { type: 'button', class: 'linklike' }, c, sort?.column === i ? codicon(sort.desc ? 'arrow-down' : 'arrow-up') : null);
    b.addEventListener('click', () => { sort = { column: i, desc: sort?.column === i ? !sort.desc : numeric.has(i) }; render(); });
    th.append(b);
    head.append(th);
  });
  const body = h('tbody', {});
  for (const row of rows) body.append(h('tr', {}, ...r.columns.map((_, i) => h('td', { class: numeric.has(i) ? 'num' : undefined }, row[i] ?? ''))));
  const totals = h('tr', { class: 'totals' }, ...r.columns.map((_, i) => {
    if (i === 0) return h('th', { scope: 'row' }, `Total (${rows.length} rows)`);
    if (!numeric.has(i)) return h('td', {});
    const money = moneyTotals(r, rows, i);
    if (money) {
      return h('td', { class: 'num money', title: `Units × ${r.columns[i]} per unit, by currency` }, ...money.map(([currency, amount]) => h('div', {}, `${amount.toFixed(2)} ${currency}`)));
    }
    const sum = rows.reduce((s, row) => s + (Number(row[i]) || 0), 0);
    return h('td', { class: 'num' }, Number.isInteger(sum) ? String(sum) : sum.toFixed(2));
  }));
  // The same totals in one line above the table: the report is wider than most editors.
  const summary = h('p', { class: 'report-summary', 'aria-label': 'Totals' }, h('strong', {}, `${rows.length} rows`));
  for (const i of numeric) {
    const money = moneyTotals(r, rows, i);
    const sum = rows.reduce((s, row) => s + (Number(row[i]) || 0), 0);
    const value = money ? money.map(([c, v]) => `${v.toFixed(2)} ${c}`.trim()).join(' · ') : Number.isInteger(sum) ? String(sum) : sum.toFixed(2);
    summary.append(h('span', {}, ` · ${r.columns[i]}: `), h('span', { class: 'num' }, value));
  }
  return h('div', {}, summary, h('div', { class: 'table-wrap' }, h('table', { 'aria-label': 'Sales report' }, h('thead', {}, head), body, h('tfoot', {}, totals))));
}

/**
 * Apple's sales reports give money per unit, each row in its own currency: adding the column up would mix currencies
 * and ignore the units. These columns total as Σ units × amount, one sum per currency.
 */
const PER_UNIT_MONEY: Record<string, string> = { 'Developer Proceeds': 'Currency of Proceeds', 'Customer Price': 'Customer Currency' };

function moneyTotals(r: TableReport, rows: string[][], column: number): [string, number][] | undefined {
  const currencyName = PER_UNIT_MONEY[r.columns[column] ?? ''];
  const currency = currencyName ? r.columns.indexOf(currencyName) : -1;
  const units = r.columns.indexOf('Units');
  if (currency < 0 || units < 0) return undefined;
  const sums = new Map<string, number>();
  for (const row of rows) {
    const c = row[currency] || '?';
    sums.set(c, (sums.get(c) ?? 0) + (Number(row[units]) || 0) * (Number(row[column]) || 0));
  }
  const out = [...sums].filter(([, v]) => Math.abs(v) >= 0.005).sort((a, b) => a[0].localeCompare(b[0]));
  return out.length ? out : [['', 0]];
}

function renderMetrics(m: MetricsSummary): HTMLElement {
  if (!m.categories.length) return h('p', { class: 'muted' }, 'No metrics reported for this app yet.');
  return h('div', { class: 'cards' }, ...m.categories.map((c) => h('section', { class: 'card' },
    h('h3', {}, c.label),
    h('table', {}, h('tbody', {}, ...c.metrics.map((x) => h('tr', {},
      h('td', {}, x.label),
      h('td', { class: 'num' }, x.latest ? `${x.latest.value}${x.unit ? ` ${x.unit}` : ''}` : '—'),
      h('td', { class: 'muted' }, x.latest ? `v${x.latest.version}${x.latest.goal ? ` · ${x.latest.goal}` : ''}` : ''),
    )))),
  )));
}

window.addEventListener('message', (event: MessageEvent<ReportsUpdate>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'busy': busy.set(msg.busy, msg.label); return;
    case 'init': init = msg; render(); return;
    case 'sales': sales = msg; sort = undefined; error = undefined; render(); return;
    case 'metrics': metrics = msg.summary; error = undefined; render(); return;
    case 'error': error = msg.error; render(); return;
  }
});
render();
vscodeApi.postMessage({ type: 'ready' });
