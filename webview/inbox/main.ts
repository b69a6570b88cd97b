// Feedback inbox: one virtualized list of reviews and feedback from every source. Only the rows in view exist in
// the DOM, so 10,000 items scroll and filter smoothly; filters run over precomputed lowercase text.
import type { InboxItem, InboxSource, InboxUpdate } from '../../src/protocol/inbox';
import type { PanelError } from '../../src/protocol/messages';
import { append, clear, codicon, h, vscodeApi } from '../shared/dom';
import { button, errorBox, formatDate, loadState, saveState } from '../shared/ui';

interface Filters { sources: InboxSource[]; type: string; rating: string; since: string; search: string; archived: boolean; unanswered: boolean }
interface Row { item: InboxItem; hay: string; time: number }

const ROW_HEIGHT = 68;
const OVERSCAN = 8;
const root = document.getElementById('app')!;
const saved = loadState<{ filters: Filters; selected?: string }>();
const filters: Filters = saved.filters ?? { sources: ['review', 'testflight', 'inapp'], type: '', rating: '', since: '', search: '', archived: false, unanswered: false };
let rows: Row[] = [];
const byKey = new Map<string, Row>();
let visible: Row[] = [];
let selected: string | undefined = saved.selected;
let sources: { source: InboxSource; label: string }[] = [];
let loading = false;
let failures: string[] = [];
let error: PanelError | undefined;
let errorKey: string | undefined;
let dirty = false;

// ---------- layout (built once; only the list window and the detail pane re-render) ----------
const statusLine = h('span', { class: 'muted', 'aria-live': 'polite' });
const search = h('input', { type: 'search', placeholder: 'Search text, author, app…', 'aria-label': 'Search', class: 'grow' });
const typeSelect = h('select', { 'aria-label': 'Type' });
const ratingSelect = h('select', { 'aria-label': 'Rating' });
const since = h('input', { type: 'date', 'aria-label': 'Since' });
const sourceBoxes = h('span', { class: 'row', role: 'group', 'aria-label': 'Sources' });
const archivedBox = h('input', { type: 'checkbox', id: 'f-archived' });
const unansweredBox = h('input', { type: 'checkbox', id: 'f-unanswered' });
const viewport = h('div', { class: 'vlist', role: 'listbox', 'aria-label': 'Feedback', tabindex: '0' });
const spacer = h('div', { class: 'vlist-spacer' });
const windowEl = h('div', { class: 'vlist-window' });
viewport.append(spacer, windowEl);
const detail = h('section', { class: 'inbox-detail', 'aria-label': 'Selected item' });
const banner = h('div', {});

function layout(): void {
  clear(root);
  root.removeAttribute('aria-busy');
  for (const [v, l] of [['', 'Any type'], ['rating', 'Reviews'], ['screenshot', 'Screenshots'], ['crash', 'Crashes'], ['feedback', 'Feedback'], ['message', 'Messages']]) typeSelect.append(h('option', { value: v! }, l!));
  for (const [v, l] of [['', 'Any rating'], ['5', '★★★★★'], ['4', '★★★★'], ['3', '★★★'], ['2', '★★'], ['1', '★'], ['low', '★–★★ (low)']]) ratingSelect.append(h('option', { value: v! }, l!));
  search.value = filters.search;
  typeSelect.value = filters.type;
  ratingSelect.value = filters.rating;
  since.value = filters.since;
  archivedBox.checked = filters.archived;
  unansweredBox.checked = filters.unanswered;
  let debounce: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener('input', () => { clearTimeout(debounce); debounce = setTimeout(() => { filters.search = search.value; applyFilters(); }, 80); });
  typeSelect.addEventListener('change', () => { filters.type = typeSelect.value; applyFilters(); });
  ratingSelect.addEventListener('change', () => { filters.rating = ratingSelect.value; applyFilters(); });
  since.addEventListener('change', () => { filters.since = since.value; applyFilters(); });
  archivedBox.addEventListener('change', () => { filters.archived = archivedBox.checked; applyFilters(); });
  unansweredBox.addEventListener('change', () => { filters.unanswered = unansweredBox.checked; applyFilters(); });
  viewport.addEventListener('scroll', () => requestAnimationFrame(renderWindow));
  viewport.addEventListener('keydown', onKey);
  new ResizeObserver(() => renderWindow()).observe(viewport);
  append(root,
    h('div', { class: 'header' }, h('h1', {}, 'Feedback Inbox'), statusLine,
      button('Refresh', { icon: 'refresh', secondary: true }, () => vscodeApi.postMessage({ type: 'refresh' }))),
    h('div', { class: 'toolbar filters' }, sourceBoxes, typeSelect, ratingSelect, h('label', {}, 'Since ', since),
      h('label', {}, unansweredBox, ' Unanswered'), h('label', {}, archivedBox, ' Archived'), search),
    banner,
    h('div', { class: 'inbox' }, viewport, detail),
  );
}

function renderSources(): void {
  clear(sourceBoxes);
  for (const s of sources) {
    const box = h('input', { type: 'checkbox' });
    box.checked = filters.sources.includes(s.source);
    box.addEventListener('change', () => {
      filters.sources = box.checked ? [...filters.sources, s.source] : filters.sources.filter((x) => x !== s.source);
      applyFilters();
    });
    sourceBoxes.append(h('label', {}, box, ' ', s.label));
  }
}

// ---------- data ----------
function addItems(items: InboxItem[]): void {
  for (const item of items) {
    const row: Row = { item, time: Date.parse(item.date) || 0, hay: [item.text, item.title, item.author, item.appName, item.territory, item.type].filter(Boolean).join('\n').toLowerCase() };
    const old = byKey.get(item.key);
    if (old) rows[rows.indexOf(old)] = row;
    else rows.push(row);
    byKey.set(item.key, row);
  }
  scheduleRefilter();
}

function scheduleRefilter(): void {
  if (dirty) return;
  dirty = true;
  requestAnimationFrame(() => { dirty = false; rows.sort((a, b) => b.time - a.time); applyFilters(); });
}

function matches(r: Row, sinceTime: number, needle: string): boolean {
  const i = r.item;
  if (!filters.sources.includes(i.source)) return false;
  if (filters.type && i.type !== filters.type && !(filters.type === 'feedback' && i.source === 'inapp' && i.type !== 'message')) return false;
  if (filters.rating) {
    if (i.rating === undefined) return false;
    if (filters.rating === 'low' ? i.rating > 2 : i.rating !== Number(filters.rating)) return false;
  }
  if (sinceTime && r.time < sinceTime) return false;
  if (!filters.archived && i.archived) return false;
  if (filters.unanswered && (!i.canReply || i.answered)) return false;
  return !needle || r.hay.includes(needle);
}

function applyFilters(): void {
  const t0 = performance.now();
  const sinceTime = filters.since ? Date.parse(filters.since) : 0;
  const needle = filters.search.trim().toLowerCase();
  visible = rows.filter((r) => matches(r, sinceTime, needle));
  saveState({ filters, selected });
  spacer.style.height = `${visible.length * ROW_HEIGHT}px`;
  renderWindow();
  renderStatus();
  // Exposed for the benchmark: time of the last filter pass over all items.
  document.body.dataset.filterMs = (performance.now() - t0).toFixed(2);
  document.body.dataset.visible = String(visible.length);
  document.body.dataset.total = String(rows.length);
}

function renderStatus(): void {
  statusLine.textContent = `${visible.length.toLocaleString()} of ${rows.length.toLocaleString()} items${loading ? ' · loading…' : ''}`;
  clear(banner);
  if (error && !errorKey) banner.append(errorBox(error, () => { error = undefined; renderStatus(); }));
  if (failures.length) banner.append(errorBox({ kind: 'partial', message: 'Some sources could not be loaded:', details: failures }));
  if (!loading && rows.length === 0) banner.append(h('p', { class: 'muted' }, 'No reviews or feedback yet. Connect App Store Connect or Apptentive accounts to see them here.'));
}

// ---------- virtualized list ----------
function renderWindow(): void {
  const top = viewport.scrollTop;
  const height = viewport.clientHeight || 600;
  const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(visible.length, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
  clear(windowEl);
  windowEl.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
  for (let i = first; i < last; i++) windowEl.append(renderRow(visible[i]!, i));
  renderDetail();
}

function stars(n: number): string {
  return '★'.repeat(Math.max(0, Math.min(5, n))) + '☆'.repeat(Math.max(0, 5 - n));
}

function renderRow(r: Row, index: number): HTMLElement {
  const i = r.item;
  const el = h('div', { class: `vrow${i.key === selected ? ' selected' : ''}`, role: 'option', 'aria-selected': String(i.key === selected), 'aria-posinset': String(index + 1), 'aria-setsize': String(visible.length), 'data-key': i.key },
    h('div', { class: 'vrow-top' },
      h('span', { class: `src src-${i.source}` }, i.source === 'review' ? codicon('star-full') : i.source === 'testflight' ? codicon(i.type === 'crash' ? 'bug' : 'device-camera') : codicon('feedback'), ' ', i.sourceLabel),
      i.rating !== undefined ? h('span', { class: 'stars', 'aria-label': `${i.rating} of 5 stars` }, stars(i.rating)) : h('span', { class: 'tag' }, i.type),
      h('span', { class: 'muted ellipsis' }, i.appName),
      h('span', { class: 'muted right' }, formatDate(i.date)),
    ),
    h('div', { class: 'vrow-text ellipsis' }, i.title ? h('strong', {}, i.title, ' — ') : null, i.text),
    h('div', { class: 'vrow-meta muted ellipsis' }, i.author ?? '', i.territory ? ` · ${i.territory}` : '', i.answered ? ' · answered' : '', i.archived ? ' · archived' : ''),
  );
  el.style.height = `${ROW_HEIGHT}px`;
  el.addEventListener('click', () => select(i.key));
  return el;
}

function select(key: string): void {
  selected = key;
  error = errorKey === key ? error : undefined;
  saveState({ filters, selected });
  renderWindow();
}

function onKey(e: KeyboardEvent): void {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  e.preventDefault();
  const idx = visible.findIndex((r) => r.item.key === selected);
  const next = Math.max(0, Math.min(visible.length - 1, idx + (e.key === 'ArrowDown' ? 1 : -1)));
  const r = visible[next];
  if (!r) return;
  const top = next * ROW_HEIGHT;
  if (top < viewport.scrollTop) viewport.scrollTop = top;
  else if (top + ROW_HEIGHT > viewport.scrollTop + viewport.clientHeight) viewport.scrollTop = top + ROW_HEIGHT - viewport.clientHeight;
  select(r.item.key);
}

// ---------- detail pane ----------
const replyDrafts = new Map<string, string>();

function renderDetail(): void {
  const r = selected ? byKey.get(selected) : undefined;
  if (detail.dataset.key === selected && detail.dataset.version === String(r?.item ? JSON.stringify(r.item).length : 0) && !errorKey) return;
  clear(detail);
  detail.dataset.key = selected ?? '';
  detail.dataset.version = String(r?.item ? JSON.stringify(r.item).length : 0);
  if (!r) { detail.append(h('p', { class: 'muted' }, 'Select an item to read it in full.')); return; }
  const i = r.item;
  append(detail,
    h('div', { class: 'muted' }, `${i.sourceLabel} · ${i.appName} · ${i.accountLabel}`),
    i.rating !== undefined ? h('div', { class: 'stars big', 'aria-label': `${i.rating} of 5 stars` }, stars(i.rating)) : h('span', { class: 'tag' }, i.type),
    i.title ? h('h2', {}, i.title) : null,
    h('p', { class: 'fulltext' }, i.text),
    h('p', { class: 'muted' }, [i.author, i.territory, formatDate(i.date)].filter(Boolean).join(' · ')),
  );
  if (errorKey === i.key && error) detail.append(errorBox(error, () => { error = undefined; errorKey = undefined; renderDetail(); }));
  if (i.hasCrashLog) detail.append(button('Open Crash Log', { icon: 'bug', secondary: true }, () => vscodeApi.postMessage({ type: 'crashLog', key: i.key })));
  if (i.canArchive) {
    detail.append(button(i.archived ? 'Unarchive' : 'Archive', { icon: i.archived ? 'inbox' : 'archive', secondary: true }, () => vscodeApi.postMessage({ type: 'archive', key: i.key, archived: !i.archived })));
  }
  if (i.canReply) {
    if (i.response) detail.append(h('h3', {}, 'Your response'), h('p', { class: 'fulltext response' }, i.response));
    const text = h('textarea', { rows: '4', 'aria-label': 'Response', placeholder: 'Write a public response…', maxlength: '5970' });
    text.value = replyDrafts.get(i.key) ?? i.response ?? '';
    text.addEventListener('input', () => replyDrafts.set(i.key, text.value));
    detail.append(h('h3', {}, i.response ? 'Edit response' : 'Reply'), text,
      button(i.response ? 'Update Response' : 'Send Response', { icon: 'send' }, () => {
        if (!text.value.trim()) return;
        vscodeApi.postMessage({ type: 'reply', key: i.key, text: text.value });
      }));
  }
}

window.addEventListener('message', (event: MessageEvent<InboxUpdate>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'reset': rows = []; byKey.clear(); sources = msg.sources; failures = []; renderSources(); applyFilters(); return;
    case 'items': addItems(msg.items); return;
    case 'progress': loading = msg.loading; failures = msg.failures; renderStatus(); return;
    case 'itemChanged':
      replyDrafts.delete(msg.item.key);
      if (errorKey === msg.item.key) { error = undefined; errorKey = undefined; }
      addItems([msg.item]);
      detail.dataset.key = '';
      return;
    case 'error': error = msg.error; errorKey = msg.key; if (msg.key) { detail.dataset.key = ''; renderDetail(); } else renderStatus(); return;
    case 'busy': return;
  }
});

layout();
renderSources();
applyFilters();
vscodeApi.postMessage({ type: 'ready' });
