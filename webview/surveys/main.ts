// Surveys: filters, the list, and the selected survey's questions with response counts drawn as bar charts.
import type { Survey } from '../../src/providers/services';
import type { SurveysUpdate } from '../../src/protocol/feedback';
import type { PanelError } from '../../src/protocol/messages';
import { append, clear, codicon, h, vscodeApi } from '../shared/dom';
import { BusyIndicator, button, errorBox, loadState, saveState } from '../shared/ui';

interface Filter { tags: string; status: '' | 'active' | 'inactive'; limit: string }
const root = document.getElementById('app')!;
const busy = new BusyIndicator();
const filter: Filter = loadState<{ filter: Filter }>().filter ?? { tags: '', status: '', limit: '' };
let init: Extract<SurveysUpdate, { type: 'init' }> | undefined;
let surveys: Survey[] = [];
let selected: Survey | undefined;
let error: PanelError | undefined;

function requestList(): void {
  saveState({ filter });
  const tags = filter.tags.split(',').map((t) => t.trim()).filter(Boolean);
  vscodeApi.postMessage({
    type: 'list',
    tags: tags.length ? tags : undefined,
    active: filter.status === '' ? undefined : filter.status === 'active',
    limit: filter.limit ? Number(filter.limit) : undefined,
  });
}

function render(): void {
  clear(root);
  if (!init) { append(root, busy.el); return; }
  const tags = h('input', { type: 'text', placeholder: 'Tags, comma-separated', 'aria-label': 'Tags' });
  tags.value = filter.tags;
  const status = h('select', { 'aria-label': 'Status' }, h('option', { value: '' }, 'Active and inactive'), h('option', { value: 'active' }, 'Active'), h('option', { value: 'inactive' }, 'Inactive'));
  status.value = filter.status;
  const limit = h('input', { type: 'text', placeholder: 'Limit', size: '5', 'aria-label': 'Limit' });
  limit.value = filter.limit;
  const apply = button('Apply', { icon: 'filter', secondary: true }, () => {
    if (limit.value && !/^\d{1,4}$/.test(limit.value)) { error = { kind: 'validation', message: 'Limit must be a whole number.' }; render(); return; }
    Object.assign(filter, { tags: tags.value, status: status.value, limit: limit.value });
    requestList();
  });
  append(root,
    h('div', { class: 'header' }, h('h1', {}, init.appName), h('span', { class: 'sub' }, `Surveys · ${init.provider}`)),
    h('div', { class: 'toolbar' }, tags, status, limit, apply),
    busy.el,
  );
  if (error) append(root, errorBox(error, () => { error = undefined; render(); }));
  const list = h('ul', { class: 'plain entries', 'aria-label': 'Surveys' });
  for (const s of surveys) {
    const li = h('li', { class: `entry${selected?.id === s.id ? ' selected' : ''}`, tabindex: '0' },
      h('div', { class: 'row' }, h('strong', {}, s.name), h('span', { class: `tag ${s.active ? 'ok' : ''}` }, s.active ? 'active' : 'inactive')),
      s.description ? h('div', { class: 'muted ellipsis' }, s.description) : null,
      h('div', { class: 'muted' }, ...(s.tags ?? []).map((t) => h('span', { class: 'tag' }, t)), s.responseCount !== undefined ? ` ${s.responseCount} responses` : ''),
    );
    const open = () => { selected = s; render(); vscodeApi.postMessage({ type: 'open', id: s.id }); };
    li.addEventListener('click', open);
    li.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
    list.append(li);
  }
  if (!surveys.length) list.append(h('li', { class: 'muted' }, 'No surveys match.'));
  append(root, h('div', { class: 'columns' }, h('section', {}, list), h('section', {}, selected ? renderSurvey(selected) : h('p', { class: 'muted' }, 'Select a survey to see its responses.'))));
}

function renderSurvey(s: Survey): HTMLElement {
  const card = h('div', { class: 'card' },
    h('h3', {}, codicon('graph'), ' ', s.name),
    h('p', {}, h('span', { class: `tag ${s.active ? 'ok' : ''}` }, s.active ? 'active' : 'inactive'), s.responseCount !== undefined ? ` ${s.responseCount} responses` : ''),
    s.description ? h('p', { class: 'muted' }, s.description) : null,
  );
  for (const q of s.questions ?? []) {
    const max = Math.max(1, ...q.choices.map((c) => c.count));
    const total = q.choices.reduce((n, c) => n + c.count, 0);
    card.append(h('h4', {}, q.text), h('div', { class: 'muted' }, `${q.type} · ${total} answers`));
    const chart = h('div', { class: 'bars', role: 'table', 'aria-label': q.text });
    for (const c of q.choices) {
      const bar = h('div', { class: 'bar-fill' });
      bar.style.width = `${(c.count / max) * 100}%`;
      chart.append(h('div', { class: 'bar-row', role: 'row' },
        h('span', { class: 'bar-label ellipsis', role: 'cell', title: c.text }, c.text),
        h('span', { class: 'bar', role: 'cell' }, bar),
        h('span', { class: 'bar-count', role: 'cell' }, String(c.count)),
      ));
    }
    card.append(chart);
  }
  if (s.active) card.append(button('Deactivate Survey…', { icon: 'circle-slash', secondary: true }, () => vscodeApi.postMessage({ type: 'deactivate', id: s.id })));
  return card;
}

window.addEventListener('message', (event: MessageEvent<SurveysUpdate>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'busy': busy.set(msg.busy, msg.label); return;
    case 'init': init = msg; render(); return;
    case 'surveys': surveys = msg.surveys; error = undefined; if (selected) selected = surveys.find((s) => s.id === selected!.id); render(); return;
    case 'survey':
      surveys = surveys.map((s) => (s.id === msg.survey.id ? { ...s, ...msg.survey } : s));
      if (!selected || selected.id === msg.survey.id) selected = msg.survey;
      error = undefined;
      render();
      return;
    case 'error': error = msg.error; render(); return;
  }
});
render();
vscodeApi.postMessage({ type: 'ready' });
