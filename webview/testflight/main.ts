// TestFlight panel: beta groups and their testers (windowed list, so thousands of rows stay smooth), add a tester,
// import many from pasted CSV with per-row results and cancel, remove from a group or the app, and the beta
// feedback. Form input, the pasted CSV, the chosen group and tab and the last import's results live in webview
// state, so a failure or a window reload never loses them.
import type { FeedbackEntry, Tester, TesterGroup } from '../../src/providers/services';
import {
  MAX_CSV_CHARS, newTesterProblems, parseTesterCsv, testerName,
  type BulkCounts, type BulkRowResult, type BulkStatus, type TestFlightInit, type TestFlightUpdate,
} from '../../src/protocol/testflight';
import type { PanelError } from '../../src/protocol/messages';
import { append, clear, codicon, h, vscodeApi } from '../shared/dom';
import { button, errorBox, loadState, saveState } from '../shared/ui';
import { Busy, emptyState, errorsFor, fieldErrors, header, labelled, loadMore, notice, preserving, select, setDisabled, tag } from '../shared/listPanel';
import { VirtualList } from './virtualList';
import { feedbackCard } from './feedback';

type Tab = 'testers' | 'feedback';
interface Form { email: string; firstName: string; lastName: string; groupId?: string }
interface ImportRun { runId: number; total: number; groupId: string | null; results: BulkRowResult[]; counts?: BulkCounts; cancelled?: boolean; error?: PanelError; phase?: string }
interface State {
  tab?: Tab;
  groupId?: string | null;
  search?: string;
  formOpen?: boolean;
  form?: Form;
  importOpen?: boolean;
  csv?: string;
  importGroupId?: string;
  lastImport?: ImportRun;
  problemsOnly?: boolean;
}

const ROW_HEIGHT = 34;
const root = document.getElementById('app')!;
const busy = new Busy();
const s: State = loadState<State>();
let init: TestFlightInit | undefined;
let tab: Tab = s.tab ?? 'testers';
let groups: TesterGroup[] | undefined;
let selected: string | null = s.groupId ?? null;
let testers: Tester[] | undefined;
let testersHasMore = false;
let testersTotal: number | undefined;
let search = s.search ?? '';
let form: Form = s.form ?? { email: '', firstName: '', lastName: '' };
let formOpen = s.formOpen ?? false;
let importOpen = s.importOpen ?? false;
let csv = s.csv ?? '';
let importGroupId = s.importGroupId;
let run: ImportRun | undefined = s.lastImport;
let running = false;
let problemsOnly = s.problemsOnly ?? false;
let addPending = false;
let addError: PanelError | undefined;
/** Problems found before sending, by field. */
let addProblems: Record<string, string> = {};
let error: PanelError | undefined;
let message: string | undefined;
const removeErrors = new Map<string, PanelError>();
let feedback: FeedbackEntry[] | undefined;
let feedbackHasMore = false;
let feedbackError: PanelError | undefined;
const crashErrors = new Map<string, PanelError>();

function persist(): void {
  saveState<State>({ tab, groupId: selected, search, formOpen, form, importOpen, csv, importGroupId, lastImport: run && !running ? run : undefined, problemsOnly });
}

// ---------- testers list ----------

const list = new VirtualList<Tester>(ROW_HEIGHT, renderTesterRow, 'Testers',
  h('div', { class: 'tester-row head', role: 'row' },
    h('div', { role: 'columnheader', class: 'cell' }, 'Name'), h('div', { role: 'columnheader', class: 'cell' }, 'Email'),
    h('div', { role: 'columnheader', class: 'cell' }, 'State'), h('div', { role: 'columnheader', class: 'cell' }, h('span', { class: 'sr-only' }, 'Actions'))));
const listCount = h('span', { class: 'muted', id: 'tester-count', 'aria-live': 'polite' });

function filtered(): Tester[] {
  const q = search.trim().toLowerCase();
  if (!testers) return [];
  if (!q) return testers;
  return testers.filter((t) => t.email.toLowerCase().includes(q) || testerName(t).toLowerCase().includes(q) || (t.state ?? '').toLowerCase().includes(q));
}

function updateList(): void {
  const rows = filtered();
  list.setItems(rows);
  const loaded = testers?.length ?? 0;
  const total = testersTotal !== undefined && testersTotal > loaded ? ` of ${testersTotal}` : '';
  listCount.textContent = search.trim() ? `${rows.length} matching of ${loaded} loaded` : `${loaded}${total} tester${loaded === 1 ? '' : 's'}`;
}

function stateTone(state: string | undefined): string | undefined {
  const s = (state ?? '').toUpperCase();
  if (/ACCEPTED|INSTALLED|ACTIVE|TESTING/.test(s)) return 'ok';
  if (/EXPIRED|REVOKED|FAILED|REMOVED/.test(s)) return 'error';
  if (/INVITED|PENDING|NOT_INVITED/.test(s)) return 'warning';
  return undefined;
}

function humanState(state: string | undefined): string {
  if (!state) return '—';
  return state.replace(/_/g, ' ').toLowerCase().replace(/^./, (c) => c.toUpperCase());
}

function renderTesterRow(t: Tester): HTMLElement {
  const name = testerName(t);
  const actions = h('div', { role: 'cell', class: 'cell actions' });
  if (selected !== null) {
    const b = h('button', { type: 'button', class: 'icon-button', 'data-action': 'group', title: 'Remove from this group…', 'aria-label': `Remove ${t.email} from this group` }, codicon('remove'));
    b.addEventListener('click', () => { removeErrors.delete(t.id); vscodeApi.postMessage({ type: 'removeTester', testerId: t.id, groupId: selected }); });
    actions.append(b);
  }
  const all = h('button', { type: 'button', class: 'icon-button', 'data-action': 'app', title: 'Remove from the app…', 'aria-label': `Remove ${t.email} from the app` }, codicon('trash'));
  all.addEventListener('click', () => { removeErrors.delete(t.id); vscodeApi.postMessage({ type: 'removeTester', testerId: t.id, groupId: null }); });
  actions.append(all);
  const err = removeErrors.get(t.id);
  return h('div', { class: `tester-row${err ? ' failed' : ''}`, role: 'row', 'data-key': t.id, title: err ? err.message : undefined },
    h('div', { role: 'cell', class: 'cell' }, name || h('span', { class: 'muted' }, '—')),
    h('div', { role: 'cell', class: 'cell' }, t.email),
    h('div', { role: 'cell', class: 'cell' }, tag(humanState(t.state), stateTone(t.state))),
    err ? h('div', { role: 'cell', class: 'cell row-error-text' }, codicon('error'), ' ', err.message) : actions,
  );
}

// ---------- rendering ----------

function render(): void {
  const scroll = list.el.scrollTop;
  preserving(renderNow);
  list.el.scrollTop = scroll;
}

function renderNow(): void {
  clear(root);
  if (!init) {
    append(root, busy.el);
    return;
  }
  append(root, header(init.appName, [init.bundleId, init.provider], 'TestFlight'));
  if (init.feedback) {
    const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'TestFlight' });
    for (const [id, label, icon] of [['testers', 'Testers', 'organization'], ['feedback', 'Feedback', 'feedback']] as const) {
      const b = h('button', { type: 'button', role: 'tab', id: `tab-${id}`, 'aria-selected': String(tab === id) }, codicon(icon), ' ', label);
      b.addEventListener('click', () => switchTab(id));
      tabs.append(b);
    }
    append(root, tabs);
  }
  append(root, busy.el);
  if (message) append(root, notice(message, () => { message = undefined; render(); }));
  if (error) append(root, errorBox(error, () => { error = undefined; render(); }));
  if (tab === 'feedback' && init.feedback) renderFeedback();
  else renderTesters();
}

function switchTab(next: Tab): void {
  tab = next;
  message = undefined;
  persist();
  if (tab === 'feedback' && !feedback) vscodeApi.postMessage({ type: 'loadFeedback' });
  render();
}

function externalGroups(): TesterGroup[] {
  return (groups ?? []).filter((g) => !g.internal);
}

function groupChoices(): { value: string; label: string }[] {
  return [...externalGroups().map((g) => ({ value: g.id, label: g.name })), { value: '', label: 'No specific group' }];
}

function defaultGroup(): string {
  if (selected !== null && externalGroups().some((g) => g.id === selected)) return selected;
  return externalGroups()[0]?.id ?? '';
}

function groupLabel(id: string | null): string {
  if (id === null) return 'the app';
  return `"${groups?.find((g) => g.id === id)?.name ?? id}"`;
}

function renderTesters(): void {
  const layout = h('div', { class: 'tf-layout' });
  // Groups
  const nav = h('nav', { class: 'groups', 'aria-label': 'Beta groups' });
  const entry = (id: string | null, name: string, count?: number, internal?: boolean) => {
    const b = h('button', { type: 'button', 'aria-pressed': String(selected === id), 'data-group': id ?? '' },
      codicon(id === null ? 'organization' : internal ? 'lock' : 'people'), h('span', { class: 'name' }, name),
      count !== undefined ? h('span', { class: 'count-badge' }, String(count)) : null);
    if (internal) b.title = 'Internal group: App Store Connect users only';
    b.addEventListener('click', () => {
      if (selected === id) return;
      selected = id;
      testers = undefined;
      removeErrors.clear();
      persist();
      vscodeApi.postMessage({ type: 'selectGroup', groupId: id });
      render();
    });
    return b;
  };
  nav.append(entry(null, 'All testers'));
  if (groups) for (const g of groups) nav.append(entry(g.id, g.name, g.testerCount, g.internal));
  if (groups && groups.length === 0) nav.append(h('p', { class: 'muted' }, 'No beta groups.'));
  // Main
  const main = h('section', { class: 'tf-main' });
  const searchInput = h('input', { type: 'search', id: 'search', placeholder: 'Filter by name, email or state', 'aria-label': 'Filter testers' });
  searchInput.value = search;
  let debounce = 0;
  searchInput.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = window.setTimeout(() => { search = searchInput.value; persist(); updateList(); }, 120);
  });
  main.append(h('div', { class: 'toolbar' },
    button('Refresh', { icon: 'refresh', secondary: true }, () => { error = undefined; testers = undefined; render(); vscodeApi.postMessage({ type: 'refresh' }); }),
    button(formOpen ? 'Hide Form' : 'Add Tester…', { icon: 'person-add', secondary: formOpen, id: 'toggle-add' }, () => { formOpen = !formOpen; persist(); render(); }),
    button(importOpen ? 'Hide Import' : 'Import from CSV…', { icon: 'cloud-upload', secondary: true, id: 'toggle-import' }, () => { importOpen = !importOpen; persist(); render(); }),
    searchInput,
  ));
  if (formOpen) main.append(renderAddForm());
  if (importOpen || running) main.append(renderImport());
  else if (run?.counts) main.append(h('p', { class: 'muted' }, `Last import: ${summary(run.counts)}. `, linkButton('Show results', () => { importOpen = true; persist(); render(); })));
  main.append(h('h2', {}, selected === null ? 'All testers' : groups?.find((g) => g.id === selected)?.name ?? 'Testers', ' ', listCount));
  if (!testers) {
    main.append(h('p', { class: 'muted' }, 'Loading testers…'));
  } else if (testers.length === 0) {
    main.append(emptyState('person', selected === null ? 'This app has no testers yet.' : 'This group has no testers yet.', 'Add one with "Add Tester…", or paste a list with "Import from CSV…".'));
  } else {
    main.append(list.el);
    const more = loadMore('Load More Testers', testersHasMore, () => vscodeApi.postMessage({ type: 'loadMoreTesters' }));
    if (more) main.append(more);
  }
  layout.append(nav, main);
  append(root, layout);
  updateList();
}

function linkButton(label: string, onClick: () => void): HTMLElement {
  const a = h('a', { href: '#' }, label);
  a.addEventListener('click', (e) => { e.preventDefault(); onClick(); });
  return a;
}

function renderAddForm(): HTMLElement {
  const box = h('form', { class: 'card form', 'aria-label': 'Add a tester', novalidate: true });
  const email = h('input', { type: 'email', class: 'wide', required: true, autocomplete: 'off', placeholder: 'tester@example.com' });
  const first = h('input', { type: 'text', class: 'wide', autocomplete: 'off' });
  const last = h('input', { type: 'text', class: 'wide', autocomplete: 'off' });
  email.value = form.email;
  first.value = form.firstName;
  last.value = form.lastName;
  const group = select(groupChoices(), form.groupId ?? defaultGroup(), 'Group');
  const sync = () => { form = { email: email.value, firstName: first.value, lastName: last.value, groupId: group.value }; persist(); };
  for (const el of [email, first, last]) el.addEventListener('input', sync);
  // A field's local problem clears as soon as it is fixed (checked when leaving the field).
  email.addEventListener('blur', () => {
    if (!addProblems.email) return;
    const now = newTesterProblems(form);
    if (!now.email) { delete addProblems.email; render(); }
  });
  group.addEventListener('change', sync);
  const field = (id: string, label: string, control: HTMLElement, key: string) => {
    const f = labelled(id, label, control);
    const local = addProblems[key];
    const errs = local ? [local] : errorsFor(addError, key);
    if (errs) f.classList.add('invalid');
    append(f, fieldErrors(errs));
    return f;
  };
  const submit = button(addPending ? 'Adding…' : 'Add Tester', { icon: 'add', disabled: addPending, id: 'add-submit' }, () => box.requestSubmit());
  box.addEventListener('submit', (e) => {
    e.preventDefault();
    if (addPending) return;
    sync();
    addProblems = newTesterProblems(form);
    const first = Object.keys(addProblems)[0];
    if (first) {
      render();
      document.getElementById(`add-${first}`)?.focus();
      return;
    }
    addError = undefined;
    addPending = true;
    vscodeApi.postMessage({ type: 'addTester', email: form.email.trim(), firstName: form.firstName, lastName: form.lastName, groupId: group.value || null });
    render();
  });
  append(box,
    h('h3', {}, codicon('person-add'), ' Add a tester'),
    h('div', { class: 'form-grid' },
      field('add-email', 'Email *', email, 'email'),
      field('add-firstName', 'First name', first, 'firstName'),
      field('add-lastName', 'Last name', last, 'lastName'),
      labelled('add-group', 'Group', group),
    ),
  );
  if (addError) append(box, errorBox(addError, () => { addError = undefined; render(); }));
  // A hidden native submit button lets Enter submit the form.
  append(box, h('div', { class: 'row' }, submit, h('button', { type: 'submit', class: 'sr-only', tabindex: '-1' }, 'Add')));
  return box;
}

// ---------- bulk import ----------

let bulkRefs: { progress: HTMLProgressElement; status: HTMLElement; body: HTMLElement } | undefined;

const STATUS_LABEL: Record<BulkStatus, [string, string | undefined]> = {
  added: ['Added', 'ok'],
  exists: ['Already there', undefined],
  invalid: ['Invalid email', 'warning'],
  failed: ['API error', 'error'],
  cancelled: ['Cancelled', undefined],
};

function summary(c: BulkCounts): string {
  return [`${c.added} added`, c.exists && `${c.exists} already there`, c.invalid && `${c.invalid} invalid`, c.failed && `${c.failed} failed`, c.cancelled && `${c.cancelled} not sent`]
    .filter(Boolean).join(', ');
}

function countsOf(results: BulkRowResult[]): BulkCounts {
  const c: BulkCounts = { added: 0, exists: 0, invalid: 0, failed: 0, cancelled: 0 };
  for (const r of results) c[r.status]++;
  return c;
}

function renderImport(): HTMLElement {
  const box = h('section', { class: 'card import', 'aria-label': 'Import testers from CSV' }, h('h3', {}, codicon('cloud-upload'), ' Import testers'));
  const area = h('textarea', { id: 'csv', rows: '8', spellcheck: 'false', placeholder: 'email,first,last\nada@example.com,Ada,Lovelace\ngrace@example.com,Grace,Hopper', 'aria-describedby': 'csv-help csv-preview' });
  area.value = csv;
  if (running) area.setAttribute('readonly', '');
  const preview = h('div', { id: 'csv-preview', class: 'muted', 'aria-live': 'polite' });
  const group = select(groupChoices(), importGroupId ?? defaultGroup(), 'Group to add them to');
  const start = button('Import', { icon: 'play', id: 'import-start' }, () => {
    const rows = parseTesterCsv(csv);
    if (rows.error || !rows.rows.some((r) => !r.problem)) { updatePreview(); return; }
    running = true;
    run = { runId: -1, total: rows.rows.length, groupId: group.value || null, results: [] };
    vscodeApi.postMessage({ type: 'bulkAdd', csv, groupId: group.value || null });
    render();
  });
  const updatePreview = () => {
    const parsed = parseTesterCsv(csv);
    const valid = parsed.rows.filter((r) => !r.problem).length;
    const invalid = parsed.rows.filter((r) => r.problem?.status === 'invalid').length;
    const dupes = parsed.rows.filter((r) => r.problem?.status === 'exists').length;
    preview.textContent = parsed.error ?? (parsed.rows.length === 0 ? 'Paste one tester per line.' : [`${valid} tester${valid === 1 ? '' : 's'} to add`, invalid && `${invalid} invalid (skipped)`, dupes && `${dupes} listed twice (skipped)`].filter(Boolean).join(' · '));
    preview.classList.toggle('over', !!parsed.error);
    start.textContent = valid ? `Import ${valid} Tester${valid === 1 ? '' : 's'}` : 'Import';
    setDisabled(start, running || valid === 0 || !!parsed.error);
  };
  let debounce = 0;
  area.addEventListener('input', () => {
    csv = area.value.slice(0, MAX_CSV_CHARS + 1);
    clearTimeout(debounce);
    debounce = window.setTimeout(() => { persist(); updatePreview(); }, 200);
  });
  group.addEventListener('change', () => { importGroupId = group.value; persist(); });
  append(box,
    h('p', { id: 'csv-help', class: 'muted' }, 'One tester per line: ', h('code', {}, 'email,first name,last name'), '. A header line is optional; tabs from a spreadsheet work too. Each row is sent separately through the account\'s rate limit, so large lists take a while; you can cancel at any time.'),
    area, preview,
    h('div', { class: 'row' }, labelled('import-group', 'Add to', group), start),
  );
  updatePreview();
  if (run) append(box, renderRun(run));
  return box;
}

function renderRun(r: ImportRun): HTMLElement {
  const wrap = h('div', { class: 'bulk-run' });
  const progress = h('progress', { max: String(Math.max(1, r.total)), 'aria-label': 'Import progress' });
  progress.value = r.results.length;
  const status = h('div', { class: 'bulk-status', 'aria-live': 'polite' });
  const controls = h('div', { class: 'row' }, progress, status);
  if (running) controls.append(button('Cancel', { icon: 'stop-circle', secondary: true, id: 'import-cancel' }, () => vscodeApi.postMessage({ type: 'cancelBulk' })));
  else controls.append(button('Clear Results', { icon: 'clear-all', secondary: true }, () => { run = undefined; persist(); render(); }));
  const toggle = h('input', { type: 'checkbox', id: 'problems-only' });
  toggle.checked = problemsOnly;
  toggle.addEventListener('change', () => { problemsOnly = toggle.checked; persist(); render(); });
  append(wrap, controls, h('label', { class: 'check' }, toggle, ' Show only rows that were not added'));
  if (r.error) append(wrap, errorBox(r.error));
  const body = h('tbody');
  const table = h('table', { class: 'bulk-results' }, h('thead', {}, h('tr', {}, h('th', {}, 'Line'), h('th', {}, 'Email'), h('th', {}, 'Result'), h('th', {}, 'Details'))), body);
  append(wrap, h('div', { class: 'bulk-scroll' }, table));
  bulkRefs = { progress, status, body };
  // While running, rows arrive in completion order; a finished run reads in the order of the pasted lines.
  appendResults(running ? r.results : [...r.results].sort((a, b) => a.line - b.line));
  updateRunStatus();
  return wrap;
}

function appendResults(results: BulkRowResult[]): void {
  if (!bulkRefs) return;
  const frag = document.createDocumentFragment();
  for (const r of results) {
    if (problemsOnly && r.status === 'added') continue;
    const [label, tone] = STATUS_LABEL[r.status];
    frag.append(h('tr', { class: `bulk-${r.status}` }, h('td', {}, String(r.line)), h('td', {}, r.email || h('span', { class: 'muted' }, '—')), h('td', {}, tag(label, tone)), h('td', {}, r.message ?? '')));
  }
  bulkRefs.body.append(frag);
}

function updateRunStatus(): void {
  if (!bulkRefs || !run) return;
  bulkRefs.progress.value = run.results.length;
  bulkRefs.progress.max = Math.max(1, run.total);
  const counts = run.counts ?? countsOf(run.results);
  const where = groupLabel(run.groupId);
  bulkRefs.status.textContent = running
    ? `${run.phase ?? 'Importing…'} ${run.results.length} / ${run.total} — ${summary(counts)}`
    : `${run.cancelled ? 'Cancelled' : 'Done'} (into ${where}): ${summary(counts)}.`;
}

// ---------- feedback ----------

function renderFeedback(): void {
  const section = h('section', { class: 'feedback-list' });
  section.append(h('div', { class: 'toolbar' }, button('Refresh', { icon: 'refresh', secondary: true }, () => { feedbackError = undefined; feedback = undefined; render(); vscodeApi.postMessage({ type: 'loadFeedback' }); })));
  if (feedbackError) section.append(errorBox(feedbackError, () => { feedbackError = undefined; render(); }));
  if (!feedback) {
    if (!feedbackError) section.append(h('p', { class: 'muted' }, 'Loading feedback…'));
  } else if (feedback.length === 0) {
    section.append(emptyState('feedback', 'No beta feedback yet.', 'Screenshots and crash reports that testers send from TestFlight appear here.'));
  } else {
    const cards = h('div', { class: 'feedback-cards' });
    for (const f of feedback) {
      const err = crashErrors.get(f.id);
      cards.append(feedbackCard(f, {
        crashLogs: !!init?.crashLogs,
        onCrashLog: () => { crashErrors.delete(f.id); vscodeApi.postMessage({ type: 'openCrashLog', entryId: f.id }); },
        error: err ? errorBox(err, () => { crashErrors.delete(f.id); render(); }) : null,
      }));
    }
    section.append(cards);
    const more = loadMore('Load More Feedback', feedbackHasMore, () => vscodeApi.postMessage({ type: 'loadMoreFeedback' }));
    if (more) section.append(more);
  }
  append(root, section);
}

// ---------- messages ----------

window.addEventListener('message', (event: MessageEvent<TestFlightUpdate>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'busy': busy.set(msg.busy, msg.label); return;
    case 'init':
      init = msg;
      if (!init.feedback) tab = 'testers';
      if (tab === 'feedback') vscodeApi.postMessage({ type: 'loadFeedback' });
      render();
      return;
    case 'groups':
      groups = msg.groups;
      if (selected !== msg.selected) { selected = msg.selected; testers = undefined; persist(); }
      render();
      return;
    case 'testers':
      if (msg.groupId !== selected) return; // an answer for a group no longer shown
      testers = msg.append ? [...(testers ?? []), ...msg.items.filter((t) => !testers?.some((x) => x.id === t.id))] : msg.items;
      testersHasMore = msg.hasMore;
      testersTotal = msg.total;
      if (!msg.append) removeErrors.clear();
      error = undefined;
      render();
      return;
    case 'testerAdded': {
      addPending = false;
      addError = undefined;
      const t = msg.tester;
      form = { email: '', firstName: '', lastName: '', groupId: form.groupId };
      message = `${testerName(t) || t.email} added to ${groupLabel(msg.groupId)}.`;
      if (testers && (selected === null || selected === msg.groupId) && !testers.some((x) => x.id === t.id)) testers = [t, ...testers];
      if (groups && msg.groupId) groups = groups.map((g) => (g.id === msg.groupId && g.testerCount !== undefined ? { ...g, testerCount: g.testerCount + 1 } : g));
      persist();
      render();
      return;
    }
    case 'addFailed':
      addPending = false;
      addError = msg.error;
      render();
      return;
    case 'testerRemoved': {
      const t = testers?.find((x) => x.id === msg.testerId);
      if (testers && (msg.groupId === null || msg.groupId === selected)) testers = testers.filter((x) => x.id !== msg.testerId);
      if (groups && msg.groupId) groups = groups.map((g) => (g.id === msg.groupId && g.testerCount ? { ...g, testerCount: g.testerCount - 1 } : g));
      message = `${t ? t.email : 'The tester'} removed from ${groupLabel(msg.groupId)}.`;
      render();
      return;
    }
    case 'removeFailed':
      removeErrors.set(msg.testerId, msg.error);
      error = msg.error;
      render();
      return;
    case 'bulkStarted':
      running = true;
      run = { runId: msg.runId, total: msg.total, groupId: msg.groupId, results: [] };
      importOpen = true;
      message = undefined;
      render();
      return;
    case 'bulkPhase':
      if (run && run.runId === msg.runId) { run.phase = msg.label; updateRunStatus(); }
      return;
    case 'bulkProgress':
      if (!run || run.runId !== msg.runId) return;
      run.results.push(...msg.results);
      appendResults(msg.results);
      updateRunStatus();
      return;
    case 'bulkDone':
      if (!run || run.runId !== msg.runId) return;
      running = false;
      run.counts = msg.counts;
      run.cancelled = msg.cancelled;
      run.error = msg.error;
      run.phase = undefined;
      message = msg.error ? undefined : `Import ${msg.cancelled ? 'cancelled' : 'finished'}: ${summary(msg.counts)}.`;
      persist();
      render();
      return;
    case 'feedback':
      feedback = msg.append ? [...(feedback ?? []), ...msg.items.filter((f) => !feedback?.some((x) => x.id === f.id))] : msg.items;
      feedbackHasMore = msg.hasMore;
      feedbackError = undefined;
      render();
      return;
    case 'feedbackFailed':
      feedbackError = msg.error;
      render();
      return;
    case 'crashLogFailed':
      crashErrors.set(msg.entryId, msg.error);
      render();
      return;
    case 'error':
      error = msg.error;
      message = undefined;
      // A failed add or import must not leave its button stuck.
      addPending = false;
      if (running && run?.runId === -1) { running = false; run = undefined; }
      render();
      return;
  }
});

render();
vscodeApi.postMessage({ type: 'ready', groupId: selected });
