// Per-app feedback: a list with an archived filter, the selected entry in full, archive/unarchive, crash logs,
// and a form to create a record. A failed create keeps the form as typed.
import type { FeedbackEntry } from '../../src/providers/services';
import type { FeedbackUpdate } from '../../src/protocol/feedback';
import type { PanelError } from '../../src/protocol/messages';
import { append, clear, codicon, h, vscodeApi } from '../shared/dom';
import { BusyIndicator, button, errorBox, formatDate, loadState, saveState } from '../shared/ui';

interface Form { text: string; kind: string; email: string; name: string }
const root = document.getElementById('app')!;
const busy = new BusyIndicator();
const state = loadState<{ form: Form; archived: boolean }>();
const form: Form = state.form ?? { text: '', kind: 'feedback', email: '', name: '' };
let archived = state.archived ?? false;
let init: Extract<FeedbackUpdate, { type: 'init' }> | undefined;
let entries: FeedbackEntry[] = [];
let hasMore = false;
let selected: FeedbackEntry | undefined;
let error: PanelError | undefined;
let createError: PanelError | undefined;
let notice: string | undefined;

const persist = () => saveState({ form, archived });

function render(): void {
  clear(root);
  if (!init) { append(root, busy.el); return; }
  const archivedBox = h('input', { type: 'checkbox', id: 'archived' });
  archivedBox.checked = archived;
  archivedBox.addEventListener('change', () => { archived = archivedBox.checked; persist(); vscodeApi.postMessage({ type: 'list', archived }); });
  append(root,
    h('div', { class: 'header' }, h('h1', {}, init.appName), h('span', { class: 'sub' }, `Feedback · ${init.provider}`)),
    h('div', { class: 'toolbar' },
      init.canArchive ? h('label', {}, archivedBox, ' Archived only') : null,
      button('Refresh', { icon: 'refresh', secondary: true }, () => vscodeApi.postMessage({ type: 'list', archived }))),
    busy.el,
  );
  if (notice) append(root, h('div', { class: 'notice', role: 'status' }, codicon('check'), ' ', notice));
  if (error) append(root, errorBox(error, () => { error = undefined; render(); }));
  const list = h('ul', { class: 'plain entries', 'aria-label': 'Feedback' });
  for (const e of entries) {
    const li = h('li', { class: `entry${selected?.id === e.id ? ' selected' : ''}`, tabindex: '0', 'data-id': e.id },
      h('div', { class: 'row' }, h('span', { class: 'tag' }, e.type), h('span', { class: 'muted' }, formatDate(e.createdDate)), e.archived ? h('span', { class: 'muted' }, '· archived') : null),
      h('div', { class: 'ellipsis fulltext' }, e.text || '(no text)'),
      h('div', { class: 'muted ellipsis' }, e.author ?? e.email ?? ''),
    );
    const open = () => { selected = e; render(); vscodeApi.postMessage({ type: 'open', id: e.id }); };
    li.addEventListener('click', open);
    li.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') open(); });
    list.append(li);
  }
  if (!entries.length) list.append(h('li', { class: 'muted' }, archived ? 'No archived feedback.' : 'No feedback yet.'));
  const left = h('section', {}, list, hasMore ? button('Load More', { icon: 'ellipsis', secondary: true }, () => vscodeApi.postMessage({ type: 'more' })) : null);
  const right = h('section', {}, selected ? renderDetail(selected) : h('p', { class: 'muted' }, 'Select an entry to read it in full.'), init.canCreate ? renderForm() : null);
  append(root, h('div', { class: 'columns' }, left, right));
}

function renderDetail(e: FeedbackEntry): HTMLElement {
  const rows = Object.entries(e.details ?? {}).filter(([, v]) => v !== null && v !== '');
  return h('div', { class: 'card' },
    h('h3', {}, codicon(e.type === 'crash' ? 'bug' : 'feedback'), ` ${e.type} · ${formatDate(e.createdDate)}`),
    h('p', { class: 'fulltext' }, e.text),
    h('p', { class: 'muted' }, [e.author, e.email].filter(Boolean).join(' · ')),
    ...(e.screenshots ?? []).filter((s) => /^https:\/\//.test(s.url)).map((s) => h('img', { src: s.url, alt: 'Screenshot', class: 'shot' })),
    rows.length ? h('table', {}, h('tbody', {}, ...rows.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, String(v)))))) : null,
    h('div', { class: 'row' },
      init?.canArchive ? button(e.archived ? 'Unarchive' : 'Archive', { icon: e.archived ? 'inbox' : 'archive', secondary: true }, () => vscodeApi.postMessage({ type: 'archive', id: e.id, archived: !e.archived })) : null,
      init?.canCrashLog && e.hasCrashLog ? button('Open Crash Log', { icon: 'bug', secondary: true }, () => vscodeApi.postMessage({ type: 'crashLog', id: e.id })) : null,
    ),
  );
}

function renderForm(): HTMLElement {
  const text = h('textarea', { id: 'new-text', rows: '4', placeholder: 'What did the person say?' });
  text.value = form.text;
  const kind = h('select', { id: 'new-kind', 'aria-label': 'Type' });
  for (const k of ['feedback', 'bug', 'question', 'praise']) kind.append(h('option', { value: k }, k));
  kind.value = form.kind;
  const email = h('input', { id: 'new-email', type: 'email', placeholder: 'Email (optional)' });
  email.value = form.email;
  const name = h('input', { id: 'new-name', type: 'text', placeholder: 'Name (optional)' });
  name.value = form.name;
  for (const [el, key] of [[text, 'text'], [kind, 'kind'], [email, 'email'], [name, 'name']] as const) {
    el.addEventListener('input', () => { form[key] = el.value; persist(); });
    el.addEventListener('change', () => { form[key] = el.value; persist(); });
  }
  const submit = button('Create Record', { icon: 'add' }, () => {
    if (!form.text.trim()) { createError = { kind: 'validation', message: 'Write the feedback text first.' }; render(); return; }
    if (form.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.email)) { createError = { kind: 'validation', message: 'That email address does not look right.' }; render(); return; }
    createError = undefined;
    vscodeApi.postMessage({ type: 'create', text: form.text, kind: form.kind, email: form.email, name: form.name });
  });
  return h('form', { class: 'card', 'aria-label': 'New feedback record' },
    h('h3', {}, codicon('add'), ' New feedback record'),
    createError ? errorBox(createError) : null,
    h('div', { class: 'field' }, h('label', { for: 'new-text' }, 'Feedback'), text),
    h('div', { class: 'row' }, kind, email, name),
    h('div', { class: 'row', style: undefined }, submit),
  );
}

window.addEventListener('message', (event: MessageEvent<FeedbackUpdate>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'busy': busy.set(msg.busy, msg.label); return;
    case 'init': init = msg; render(); return;
    case 'entries':
      notice = undefined;
      entries = msg.append ? [...entries, ...msg.entries] : msg.entries;
      hasMore = msg.hasMore;
      archived = msg.archived;
      if (selected && !entries.some((e) => e.id === selected!.id)) selected = undefined;
      render();
      return;
    case 'entry':
      notice = undefined;
      entries = entries.map((e) => (e.id === msg.entry.id ? msg.entry : e)).filter((e) => archived || !e.archived);
      if (selected?.id === msg.entry.id) selected = msg.entry;
      render();
      return;
    case 'created':
      Object.assign(form, { text: '', email: '', name: '' });
      persist();
      entries = [msg.entry, ...entries];
      selected = msg.entry;
      notice = 'Feedback record created.';
      render();
      return;
    case 'error':
      if (msg.context === 'create') createError = msg.error;
      else error = msg.error;
      render();
      return;
  }
});
render();
vscodeApi.postMessage({ type: 'ready' });
