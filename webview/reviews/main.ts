// Reviews panel: customer reviews with their rating, territory and the developer response; filters and sort are
// applied by the service; reply, edit (replace) and delete a response. Reply drafts live in webview state, so a
// failed send or a window reload keeps the text.
import type { Review, ReviewFilter } from '../../src/providers/services';
import { REPLY_MAX_CHARS, replyProblem, SORTS, stars, type ReviewsUpdate } from '../../src/protocol/reviews';
import type { PanelError } from '../../src/protocol/messages';
import { append, clear, codicon, h, vscodeApi } from '../shared/dom';
import { button, errorBox, formatDate, loadState, saveState } from '../shared/ui';
import { Busy, counter, emptyState, header, loadMore, notice, preserving, select, setDisabled, tag, updateCounter } from '../shared/listPanel';

interface State {
  filter?: ReviewFilter;
  /** Reply text being written, per review id. */
  drafts?: Record<string, string>;
  /** Reviews whose editor is open. */
  editing?: string[];
}

type Init = Extract<ReviewsUpdate, { type: 'init' }>;

const root = document.getElementById('app')!;
const busy = new Busy();
const s = loadState<State>();
let init: Init | undefined;
let filter: ReviewFilter = s.filter ?? { sort: 'newest' };
let reviews: Review[] | undefined;
let hasMore = false;
let total: number | undefined;
let error: PanelError | undefined;
let message: string | undefined;
const drafts: Record<string, string> = s.drafts ?? {};
const editing = new Set(s.editing ?? []);
const sending = new Set<string>();
const confirmingDiscard = new Set<string>();
const rowErrors = new Map<string, PanelError>();
const territories = new Set<string>(['USA', 'GBR', 'CAN', 'AUS', 'DEU', 'FRA', 'JPN', 'ESP', 'ITA', 'BRA', 'MEX', 'IND', 'CHN', 'KOR', 'NLD', 'SWE']);

function persist(): void {
  saveState<State>({ filter, drafts, editing: [...editing] });
}

function setFilter(next: ReviewFilter): void {
  filter = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined && v !== '')) as ReviewFilter;
  reviews = undefined;
  error = undefined;
  persist();
  vscodeApi.postMessage({ type: 'setFilter', filter });
  render();
}

function render(): void {
  preserving(renderNow);
}

function renderNow(): void {
  clear(root);
  if (!init) {
    append(root, busy.el);
    return;
  }
  append(root, header(init.appName, [init.bundleId, init.provider], 'Reviews'));
  append(root, renderFilters(), busy.el);
  if (message) append(root, notice(message, () => { message = undefined; render(); }));
  if (error) append(root, errorBox(error, () => { error = undefined; render(); }));
  if (!reviews) return;
  const filtered = filter.rating !== undefined || filter.territory !== undefined || filter.answered !== undefined;
  if (reviews.length === 0) {
    append(root, filtered
      ? emptyState('filter', 'No reviews match these filters.', 'Change or clear the filters above.')
      : emptyState('star-empty', 'No customer reviews yet.', 'Reviews written on the App Store appear here.'));
    return;
  }
  const loaded = `${reviews.length}${total !== undefined && total > reviews.length ? ` of ${total}` : ''} review${reviews.length === 1 ? '' : 's'}`;
  append(root, h('p', { class: 'muted', 'aria-live': 'polite' }, loaded));
  const list = h('div', { class: 'reviews', role: 'list' });
  for (const r of reviews) list.append(renderReview(r));
  append(root, list, loadMore('Load More Reviews', hasMore, () => vscodeApi.postMessage({ type: 'loadMore' })));
}

function renderFilters(): HTMLElement {
  const rating = select([{ value: '', label: 'Any rating' }, ...[5, 4, 3, 2, 1].map((n) => ({ value: String(n), label: `${stars(n)} (${n})` }))], filter.rating ? String(filter.rating) : '', 'Rating');
  rating.id = 'filter-rating';
  rating.addEventListener('change', () => setFilter({ ...filter, rating: rating.value ? Number(rating.value) : undefined }));
  const answered = select([{ value: '', label: 'Answered or not' }, { value: 'no', label: 'Not answered' }, { value: 'yes', label: 'Answered' }], filter.answered === undefined ? '' : filter.answered ? 'yes' : 'no', 'Response');
  answered.id = 'filter-answered';
  answered.addEventListener('change', () => setFilter({ ...filter, answered: answered.value === '' ? undefined : answered.value === 'yes' }));
  const sortLabels: Record<(typeof SORTS)[number], string> = { newest: 'Newest first', oldest: 'Oldest first', highest: 'Highest rated', lowest: 'Lowest rated' };
  const sort = select(SORTS.map((v) => ({ value: v, label: sortLabels[v] })), filter.sort ?? 'newest', 'Sort');
  sort.id = 'filter-sort';
  sort.addEventListener('change', () => setFilter({ ...filter, sort: sort.value as ReviewFilter['sort'] }));
  const territory = h('input', { type: 'text', id: 'filter-territory', list: 'territories', placeholder: 'Territory (e.g. USA)', 'aria-label': 'Territory', maxlength: '3', size: '12' });
  territory.value = filter.territory ?? '';
  const datalist = h('datalist', { id: 'territories' }, ...[...territories].sort().map((t) => h('option', { value: t })));
  const applyTerritory = () => {
    const v = territory.value.trim().toUpperCase();
    if (v === (filter.territory ?? '')) return;
    if (v && !/^[A-Z]{2,3}$/.test(v)) {
      territory.setCustomValidity('Use a territory code such as USA, GBR or FRA.');
      territory.reportValidity();
      return;
    }
    territory.setCustomValidity('');
    setFilter({ ...filter, territory: v || undefined });
  };
  territory.addEventListener('change', applyTerritory);
  territory.addEventListener('keydown', (e) => { if (e.key === 'Enter') applyTerritory(); });
  const clearFilters = filter.rating !== undefined || filter.territory !== undefined || filter.answered !== undefined
    ? button('Clear Filters', { icon: 'clear-all', secondary: true }, () => setFilter({ sort: filter.sort }))
    : null;
  return h('div', { class: 'toolbar', role: 'search' },
    codicon('filter'), rating, territory, datalist, answered, sort, clearFilters,
    button('Refresh', { icon: 'refresh', secondary: true, id: 'refresh' }, () => { error = undefined; vscodeApi.postMessage({ type: 'refresh' }); }),
  );
}

function renderReview(r: Review): HTMLElement {
  const card = h('article', { class: 'card review', role: 'listitem', 'data-review': r.id },
    h('div', { class: 'review-head' },
      h('span', { class: 'stars', 'aria-label': `${r.rating} out of 5 stars`, title: `${r.rating} / 5` }, stars(r.rating)),
      h('strong', { class: 'title' }, r.title || h('span', { class: 'muted' }, '(no title)')),
    ),
    h('div', { class: 'muted meta' }, [r.author, r.territory, formatDate(r.createdDate)].filter(Boolean).join(' · ')),
    h('p', { class: 'body' }, r.body),
  );
  const open = editing.has(r.id);
  if (r.response && !open) {
    const resp = h('div', { class: 'response' },
      h('div', { class: 'response-head' }, codicon('reply'), h('strong', {}, ' Your response'),
        r.response.state ? tag(humanize(r.response.state), /PUBLISHED/.test(r.response.state) && !/PENDING/.test(r.response.state) ? 'ok' : undefined) : null,
        r.response.lastModifiedDate ? h('span', { class: 'muted' }, formatDate(r.response.lastModifiedDate)) : null),
      h('p', { class: 'body' }, r.response.body),
    );
    const edit = button('Edit', { icon: 'edit', secondary: true, disabled: sending.has(r.id) }, () => openEditor(r));
    const del = button('Delete…', { icon: 'trash', secondary: true, disabled: sending.has(r.id) }, () => { rowErrors.delete(r.id); vscodeApi.postMessage({ type: 'deleteResponse', reviewId: r.id }); });
    resp.append(h('div', { class: 'row' }, edit, del));
    card.append(resp);
  } else if (!open) {
    card.append(h('div', { class: 'row' }, button('Reply', { icon: 'reply', secondary: true }, () => openEditor(r))));
  }
  if (open) card.append(renderEditor(r));
  const err = rowErrors.get(r.id);
  if (err) card.append(errorBox(err, () => { rowErrors.delete(r.id); render(); }));
  return card;
}

function openEditor(r: Review): void {
  editing.add(r.id);
  if (drafts[r.id] === undefined) drafts[r.id] = r.response?.body ?? '';
  persist();
  render();
  document.getElementById(`reply-${r.id}`)?.focus();
}

function renderEditor(r: Review): HTMLElement {
  const id = `reply-${r.id}`;
  const area = h('textarea', { id, rows: '5', 'aria-label': r.response ? 'Edit your response' : 'Your response' });
  area.value = drafts[r.id] ?? '';
  const count = counter(area.value, REPLY_MAX_CHARS);
  const pending = sending.has(r.id);
  if (pending) area.setAttribute('readonly', '');
  const send = button(pending ? 'Sending…' : r.response ? 'Replace Response' : 'Send Response', { icon: 'send', disabled: pending }, () => {
    const text = area.value;
    const problem = replyProblem(text);
    if (problem) {
      rowErrors.set(r.id, { kind: 'validation', message: problem });
      render();
      return;
    }
    rowErrors.delete(r.id);
    sending.add(r.id);
    vscodeApi.postMessage({ type: 'reply', reviewId: r.id, text });
    render();
  });
  // Webviews are sandboxed without allow-modals (window.confirm is always false): a dirty draft asks by turning
  // Cancel into "Discard Draft", and only the second click discards it.
  const cancel = button(confirmingDiscard.has(r.id) ? 'Discard Draft' : 'Cancel', { secondary: true, disabled: pending }, () => {
    const original = r.response?.body ?? '';
    if ((drafts[r.id] ?? '') !== original && (drafts[r.id] ?? '').trim() && !confirmingDiscard.has(r.id)) {
      confirmingDiscard.add(r.id);
      render();
      return;
    }
    confirmingDiscard.delete(r.id);
    editing.delete(r.id);
    delete drafts[r.id];
    rowErrors.delete(r.id);
    persist();
    render();
  });
  const sync = () => setDisabled(send, pending || !!replyProblem(area.value));
  area.addEventListener('input', () => {
    drafts[r.id] = area.value;
    updateCounter(count, area.value, REPLY_MAX_CHARS);
    sync();
    persist();
  });
  sync();
  return h('div', { class: 'reply-editor' },
    h('label', { for: id, class: 'field-label' }, h('span', {}, r.response ? 'Edit your response (replaces the published one)' : 'Reply publicly'), count),
    area,
    h('div', { class: 'row' }, send, cancel),
  );
}

function humanize(state: string): string {
  return state.replace(/_/g, ' ').toLowerCase().replace(/^./, (c) => c.toUpperCase());
}

window.addEventListener('message', (event: MessageEvent<ReviewsUpdate>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'busy': busy.set(msg.busy, msg.label); return;
    case 'init': init = msg; render(); return;
    case 'reviews':
      reviews = msg.append ? [...(reviews ?? []), ...msg.items.filter((r) => !reviews?.some((x) => x.id === r.id))] : msg.items;
      hasMore = msg.hasMore;
      total = msg.total;
      filter = msg.filter;
      for (const r of msg.items) {
        if (r.territory) territories.add(r.territory);
        // A reply sent while this view was hidden or reloading: its draft is done.
        if (editing.has(r.id) && r.response && drafts[r.id] === r.response.body) { editing.delete(r.id); delete drafts[r.id]; }
      }
      if (!msg.append) { sending.clear(); rowErrors.clear(); }
      error = undefined;
      persist();
      render();
      return;
    case 'reviewUpdated':
      if (reviews) reviews = reviews.map((r) => (r.id === msg.review.id ? msg.review : r));
      sending.delete(msg.review.id);
      rowErrors.delete(msg.review.id);
      editing.delete(msg.review.id);
      delete drafts[msg.review.id];
      message = msg.notice;
      persist();
      render();
      return;
    case 'replyFailed':
    case 'deleteFailed':
      // The draft stays as typed; the error shows under it.
      sending.delete(msg.reviewId);
      rowErrors.set(msg.reviewId, msg.error);
      render();
      return;
    case 'error':
      error = msg.error;
      message = undefined;
      render();
      return;
  }
});

render();
vscodeApi.postMessage({ type: 'ready', filter });
