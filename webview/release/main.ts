// Release panel: readiness before submitting, the submission, phased release, manual release, App Review messages.
import type { ReleaseUpdate } from '../../src/protocol/release';
import type { PanelError } from '../../src/protocol/messages';
import { append, clear, codicon, h, vscodeApi } from '../shared/dom';
import { BusyIndicator, button, errorBox, formatDate, versionLabel } from '../shared/ui';
import { sanitizeHtml } from '../shared/sanitize';

const root = document.getElementById('app')!;
const busy = new BusyIndicator();
let init: Extract<ReleaseUpdate, { type: 'init' }> | undefined;
let state: Extract<ReleaseUpdate, { type: 'state' }> | undefined;
let threads: Extract<ReleaseUpdate, { type: 'resolutionCenter' }>['threads'] | undefined;
let error: PanelError | undefined;
let notice: string | undefined;

const human = (s: string) => s.replace(/_/g, ' ').toLowerCase().replace(/^\w/, (c) => c.toUpperCase());

function render(): void {
  clear(root);
  if (!init) { append(root, busy.el); return; }
  append(root, h('div', { class: 'header' }, h('h1', {}, init.appName), h('span', { class: 'sub' }, `Release · ${init.provider}`)));
  const select = h('select', { 'aria-label': 'Version' });
  for (const v of init.versions) {
    const o = h('option', { value: v.id }, versionLabel(v));
    if (v.id === state?.version.id) o.selected = true;
    select.append(o);
  }
  select.addEventListener('change', () => vscodeApi.postMessage({ type: 'selectVersion', versionId: select.value }));
  append(root, h('div', { class: 'toolbar' }, codicon('versions'), select), busy.el);
  if (notice) append(root, h('div', { class: 'notice', role: 'status' }, codicon('check'), ' ', notice));
  if (error) append(root, errorBox(error, () => { error = undefined; render(); }));
  if (state) renderState(state);
  if (init.features.resolutionCenter) renderResolutionCenter();
}

function renderState(s: NonNullable<typeof state>): void {
  const v = s.version;
  const ready = s.readiness.every((c) => c.ok);
  const checklist = h('ul', { class: 'plain checklist', 'aria-label': 'Readiness' });
  for (const c of s.readiness) {
    const li = h('li', { class: c.ok ? 'ok' : 'missing' }, codicon(c.ok ? 'pass-filled' : 'circle-large-outline'), ' ', c.label);
    if (!c.ok && c.fix) {
      const link = h('a', { href: '#' }, c.fix.target === 'metadata' ? 'Fix in Metadata' : 'Open Builds');
      link.addEventListener('click', (e) => { e.preventDefault(); vscodeApi.postMessage({ type: 'fix', target: c.fix!.target, locale: c.fix!.locale, field: c.fix!.field }); });
      append(li, ' — ', link);
    }
    checklist.append(li);
  }
  append(root, h('section', { class: 'card' },
    h('h3', {}, codicon('checklist'), ` Ready for review? ${v.versionString}`),
    h('p', {}, h('span', { class: `tag ${v.tone ?? ''}` }, v.stateLabel), v.buildLabel ? h('span', { class: 'muted' }, ` Build ${v.buildLabel}`) : null),
    checklist,
    h('div', { class: 'row' },
      v.editable ? button('Submit for Review…', { icon: 'rocket', disabled: !ready, title: ready ? undefined : 'Fix the missing items first' }, () => vscodeApi.postMessage({ type: 'submit', versionId: v.id })) : null,
      !ready && v.editable ? h('span', { class: 'muted' }, `${s.readiness.filter((c) => !c.ok).length} item(s) missing`) : null,
    ),
  ));
  if (s.submission) {
    append(root, h('section', { class: 'card' },
      h('h3', {}, codicon('send'), ' Review submission'),
      h('p', {}, human(s.submission.state), s.submission.submittedDate ? ` · submitted ${formatDate(s.submission.submittedDate)}` : ''),
      init?.features.cancel && !['COMPLETE', 'CANCELING'].includes(s.submission.state) ? button('Cancel Submission…', { icon: 'close', secondary: true }, () => vscodeApi.postMessage({ type: 'cancel' })) : null,
    ));
  }
  if (init?.features.reject && /WAITING_FOR_REVIEW/.test(v.state)) {
    append(root, h('div', { class: 'row' }, button('Remove from Review…', { icon: 'debug-stop', secondary: true }, () => vscodeApi.postMessage({ type: 'reject', versionId: v.id }))));
  }
  if (init?.features.release && /PENDING_DEVELOPER_RELEASE/.test(v.state)) {
    append(root, h('section', { class: 'card' }, h('h3', {}, codicon('unlock'), ' Approved — waiting for you'), button('Release This Version…', { icon: 'rocket' }, () => vscodeApi.postMessage({ type: 'releaseNow', versionId: v.id }))));
  }
  if (s.phased) {
    const p = s.phased;
    append(root, h('section', { class: 'card' },
      h('h3', {}, codicon('graph-line'), ' Phased release'),
      h('p', {}, human(p.state), p.currentDayNumber ? ` · day ${p.currentDayNumber} of 7` : '', p.startDate ? ` · started ${formatDate(p.startDate)}` : ''),
      h('div', { class: 'row' },
        p.state === 'ACTIVE' ? button('Pause', { icon: 'debug-pause', secondary: true }, () => vscodeApi.postMessage({ type: 'setPhased', state: 'PAUSED' })) : null,
        p.state === 'PAUSED' ? button('Resume', { icon: 'debug-continue', secondary: true }, () => vscodeApi.postMessage({ type: 'setPhased', state: 'ACTIVE' })) : null,
        p.state === 'ACTIVE' || p.state === 'PAUSED' ? button('Release to All Users…', { icon: 'rocket', secondary: true }, () => vscodeApi.postMessage({ type: 'setPhased', state: 'COMPLETE' })) : null,
      ),
    ));
  }
}

function renderResolutionCenter(): void {
  const section = h('section', { class: 'card' }, h('h3', {}, codicon('comment-discussion'), ' Resolution Center'));
  if (!threads) {
    section.append(button('Load Messages from App Review', { icon: 'cloud-download', secondary: true }, () => vscodeApi.postMessage({ type: 'loadResolutionCenter' })));
  } else if (threads.length === 0) {
    section.append(h('p', { class: 'muted' }, 'No messages from App Review.'));
  } else {
    for (const t of threads) {
      section.append(h('h4', {}, t.version ? `Version ${t.version}` : 'Thread'));
      for (const m of t.messages) {
        const body = h('div', { class: 'message-body' });
        body.append(sanitizeHtml(m.html));
        section.append(h('div', { class: 'message' }, h('div', { class: 'muted' }, `${m.from} · ${formatDate(m.date)}`), body));
      }
    }
  }
  append(root, section);
}

window.addEventListener('message', (event: MessageEvent<ReleaseUpdate>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'busy': busy.set(msg.busy, msg.label); return;
    case 'init': init = msg; render(); return;
    case 'state': state = msg; error = undefined; render(); return;
    case 'resolutionCenter': threads = msg.threads; render(); return;
    case 'done': notice = msg.message; error = undefined; render(); return;
    case 'error': error = msg.error; notice = undefined; render(); return;
  }
});
render();
vscodeApi.postMessage({ type: 'ready' });
