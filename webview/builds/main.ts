// Builds panel: the builds of one app, newest first, with their processing state, dates, audience and export
// compliance; expire, declare export compliance, and the beta test information where the provider offers it.
// The test information draft lives in webview state, so a failed save or a window reload keeps it.
import type { BuildInfo, BuildTestInfo } from '../../src/providers/services';
import { TEST_INFO_KEYS, TEST_INFO_LIMITS, testInfoProblems, type BuildsUpdate } from '../../src/protocol/builds';
import type { PanelError } from '../../src/protocol/messages';
import { append, clear, codicon, h, vscodeApi } from '../shared/dom';
import { button, errorBox, formatDate, loadState, saveState } from '../shared/ui';
import { Busy, counter, emptyState, errorsFor, fieldErrors, header, labelled, loadMore, notice, preserving, tag, updateCounter } from '../shared/listPanel';

interface State {
  expanded?: string[];
  showExpired?: boolean;
  /** Test information being edited, per build id (the whole form as typed). */
  drafts?: Record<string, BuildTestInfo>;
}

type Init = Extract<BuildsUpdate, { type: 'init' }>;

const root = document.getElementById('app')!;
const busy = new Busy();
const persisted = loadState<State>();
let init: Init | undefined;
let builds: BuildInfo[] | undefined;
let hasMore = false;
let error: PanelError | undefined;
let message: string | undefined;
const expanded = new Set(persisted.expanded ?? []);
let showExpired = persisted.showExpired ?? true;
const drafts: Record<string, BuildTestInfo> = persisted.drafts ?? {};
/** Test information as loaded from the service, per build. */
const testInfo = new Map<string, BuildTestInfo>();
const rowErrors = new Map<string, PanelError>();
const working = new Set<string>();

const FIELD_LABELS: Record<keyof BuildTestInfo, string> = {
  whatToTest: 'What to Test',
  feedbackEmail: 'Feedback email',
  description: 'Beta app description',
  marketingUrl: 'Marketing URL',
  privacyPolicyUrl: 'Privacy policy URL',
};

function persist(): void {
  saveState<State>({ expanded: [...expanded], showExpired, drafts });
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
  append(root, header(init.appName, [init.bundleId, init.provider], 'Builds'));
  const expiredToggle = h('input', { type: 'checkbox', id: 'show-expired' });
  expiredToggle.checked = showExpired;
  expiredToggle.addEventListener('change', () => { showExpired = expiredToggle.checked; persist(); render(); });
  append(root,
    h('div', { class: 'toolbar' },
      button('Refresh', { icon: 'refresh', secondary: true, id: 'refresh' }, () => { error = undefined; vscodeApi.postMessage({ type: 'refresh' }); }),
      h('label', { class: 'check' }, expiredToggle, ' Show expired builds'),
    ),
    busy.el,
  );
  if (message) append(root, notice(message, () => { message = undefined; render(); }));
  if (error) append(root, errorBox(error, () => { error = undefined; render(); }));
  if (!builds) return;
  const shown = builds.filter((b) => showExpired || !b.expired);
  if (builds.length === 0) {
    append(root, emptyState('package', 'No builds yet.', 'Builds appear here once uploaded with Xcode, Transporter or fastlane and processed.'));
    return;
  }
  if (shown.length === 0) {
    append(root, emptyState('package', 'Every loaded build has expired.', 'Tick "Show expired builds" to see them.'));
  } else {
    const table = h('table', { class: 'builds' },
      h('thead', {}, h('tr', {},
        h('th', {}, 'Version'), h('th', {}, 'Build'), h('th', {}, 'State'), h('th', {}, 'Uploaded'), h('th', {}, 'Expires'),
        h('th', {}, 'Audience'), h('th', {}, 'Encryption'), h('th', {}, h('span', { class: 'sr-only' }, 'Actions')),
      )),
    );
    const body = h('tbody');
    for (const b of shown) body.append(...renderBuild(b));
    table.append(body);
    append(root, table);
  }
  append(root, loadMore('Load More Builds', hasMore, () => vscodeApi.postMessage({ type: 'loadMore' })));
}

function renderBuild(b: BuildInfo): HTMLElement[] {
  const open = expanded.has(b.id);
  const toggle = h('button', { type: 'button', class: 'icon-button', 'aria-expanded': String(open), title: open ? 'Hide details' : 'Show details', 'aria-label': `Details of ${b.version} (${b.buildNumber})` }, codicon(open ? 'chevron-down' : 'chevron-right'));
  toggle.addEventListener('click', () => {
    if (open) expanded.delete(b.id);
    else {
      expanded.add(b.id);
      if (init?.can.testInfo && !testInfo.has(b.id)) { working.add(b.id); vscodeApi.postMessage({ type: 'getTestInfo', buildId: b.id }); }
    }
    persist();
    render();
  });
  const actions = h('td', { class: 'actions' });
  if (init?.can.expire && !b.expired) {
    actions.append(button('Expire…', { icon: 'circle-slash', secondary: true, disabled: working.has(b.id), title: 'Stop testers from installing this build' }, () => {
      rowErrors.delete(b.id);
      vscodeApi.postMessage({ type: 'expire', buildId: b.id });
    }));
  }
  const row = h('tr', { class: b.expired ? 'expired' : undefined, 'data-build': b.id },
    h('td', {}, toggle, ' ', h('strong', {}, b.version), b.train && b.train !== b.version ? h('span', { class: 'muted' }, ` · ${b.train}`) : null),
    h('td', {}, b.buildNumber),
    h('td', {}, tag(b.expired ? 'Expired' : b.stateLabel, b.expired ? undefined : b.tone)),
    h('td', {}, formatDate(b.uploadedDate)),
    h('td', {}, b.expirationDate ? formatDate(b.expirationDate) : h('span', { class: 'muted' }, '—')),
    h('td', {}, b.audienceLabel ?? b.audience ?? h('span', { class: 'muted' }, '—')),
    h('td', {}, renderCompliance(b)),
    actions,
  );
  const rows: HTMLElement[] = [row];
  const rowError = rowErrors.get(b.id);
  if (rowError && !open) rows.push(h('tr', { class: 'row-error' }, h('td', { colspan: '8' }, errorBox(rowError, () => { rowErrors.delete(b.id); render(); }))));
  if (open) rows.push(h('tr', { class: 'details' }, h('td', { colspan: '8' }, renderDetails(b))));
  return rows;
}

function renderCompliance(b: BuildInfo): HTMLElement | string {
  if (b.usesNonExemptEncryption === true) return 'Uses non-exempt encryption';
  if (b.usesNonExemptEncryption === false) return 'None / exempt';
  if (!init?.can.exportCompliance || b.expired) return h('span', { class: 'muted' }, '—');
  // The question can be answered once processing has finished.
  if (/PROCESSING/i.test(b.processingState)) return h('span', { class: 'muted', title: 'Export compliance can be declared once the build has finished processing.' }, 'After processing');
  const disabled = working.has(b.id);
  return h('div', { class: 'compliance' },
    tag('Missing', 'warning'),
    h('span', { class: 'muted' }, ' Uses non-exempt encryption? '),
    button('Yes', { secondary: true, disabled, title: 'The app uses encryption that is not exempt from export regulations' }, () => { rowErrors.delete(b.id); vscodeApi.postMessage({ type: 'setExportCompliance', buildId: b.id, usesNonExemptEncryption: true }); }),
    button('No', { secondary: true, disabled, title: 'No encryption, or only exempt encryption such as HTTPS' }, () => { rowErrors.delete(b.id); vscodeApi.postMessage({ type: 'setExportCompliance', buildId: b.id, usesNonExemptEncryption: false }); }),
  );
}

function renderDetails(b: BuildInfo): HTMLElement {
  const box = h('div', { class: 'build-details' });
  const rowError = rowErrors.get(b.id);
  if (rowError) box.append(errorBox(rowError, () => { rowErrors.delete(b.id); render(); }));
  const details = Object.entries(b.details ?? {}).filter(([, v]) => v !== null && v !== '');
  if (details.length) {
    box.append(h('dl', { class: 'kv' }, ...details.flatMap(([k, v]) => [h('dt', {}, humanize(k)), h('dd', {}, String(v))])));
  }
  if (init?.can.testInfo) box.append(renderTestInfo(b, rowError));
  else if (!details.length) box.append(h('p', { class: 'muted' }, 'No further details for this build.'));
  return box;
}

function renderTestInfo(b: BuildInfo, rowError: PanelError | undefined): HTMLElement {
  const section = h('section', { class: 'test-info' }, h('h3', {}, codicon('beaker'), ' Test information'));
  const base = testInfo.get(b.id);
  if (!base && !drafts[b.id]) {
    section.append(h('p', { class: 'muted' }, working.has(b.id) ? 'Loading…' : 'Not loaded.'));
    if (!working.has(b.id)) section.append(button('Load', { secondary: true, icon: 'refresh' }, () => { working.add(b.id); rowErrors.delete(b.id); render(); vscodeApi.postMessage({ type: 'getTestInfo', buildId: b.id }); }));
    return section;
  }
  const editable = !!init?.can.editTestInfo && !b.expired;
  const value = (k: keyof BuildTestInfo) => drafts[b.id]?.[k] ?? base?.[k] ?? '';
  const inputs = new Map<keyof BuildTestInfo, HTMLInputElement | HTMLTextAreaElement>();
  const saveButton = button('Save Test Information', { icon: 'save', id: `save-${b.id}` }, () => {
    const info = Object.fromEntries([...inputs].map(([k, el]) => [k, el.value])) as BuildTestInfo;
    const problems = testInfoProblems(info);
    if (Object.keys(problems).length) {
      rowErrors.set(b.id, { kind: 'validation', message: 'Some test information fields need attention.', fieldErrors: Object.fromEntries(Object.entries(problems).map(([k, v]) => [k, [v]])) });
      render();
      return;
    }
    rowErrors.delete(b.id);
    working.add(b.id);
    render();
    vscodeApi.postMessage({ type: 'setTestInfo', buildId: b.id, info });
  });
  const changed = () => !!drafts[b.id] && TEST_INFO_KEYS.some((k) => (drafts[b.id]?.[k] ?? '') !== (base?.[k] ?? ''));
  const syncSave = () => { if (changed() && !working.has(b.id)) saveButton.removeAttribute('disabled'); else saveButton.setAttribute('disabled', ''); };
  for (const key of TEST_INFO_KEYS) {
    const multiline = key === 'whatToTest' || key === 'description';
    const input = multiline ? h('textarea', { rows: '4' }) : h('input', { type: key === 'feedbackEmail' ? 'email' : 'text', class: 'wide' });
    input.value = value(key);
    if (!editable) input.setAttribute('readonly', '');
    const count = counter(input.value, TEST_INFO_LIMITS[key]);
    input.addEventListener('input', () => {
      const d = (drafts[b.id] ??= { ...(base ?? {}) });
      d[key] = input.value;
      if (!changed()) delete drafts[b.id];
      updateCounter(count, input.value, TEST_INFO_LIMITS[key]);
      persist();
      syncSave();
    });
    inputs.set(key, input);
    const field = labelled(`ti-${b.id}-${key}`, FIELD_LABELS[key], input, count);
    const errs = errorsFor(rowError, key);
    if (errs) field.classList.add('invalid');
    append(field, fieldErrors(errs));
    section.append(field);
  }
  if (editable) {
    const revert = button('Revert', { secondary: true, icon: 'discard' }, () => { delete drafts[b.id]; rowErrors.delete(b.id); persist(); render(); });
    section.append(h('div', { class: 'row' }, saveButton, revert, changed() ? h('span', { class: 'muted' }, 'Unsaved changes') : null));
    syncSave();
  }
  return section;
}

function humanize(key: string): string {
  const s = key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
}

function replaceBuild(updated: BuildInfo): void {
  if (!builds) return;
  builds = builds.map((b) => (b.id === updated.id ? updated : b));
}

window.addEventListener('message', (event: MessageEvent<BuildsUpdate>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'busy': busy.set(msg.busy, msg.label); return;
    case 'init': init = msg; render(); return;
    case 'builds':
      builds = msg.append ? [...(builds ?? []), ...msg.items.filter((b) => !builds?.some((x) => x.id === b.id))] : msg.items;
      hasMore = msg.hasMore;
      error = undefined;
      if (!msg.append) { working.clear(); rowErrors.clear(); }
      // Reload the test information of the builds still expanded after a restore.
      if (init?.can.testInfo) for (const id of expanded) if (!testInfo.has(id) && msg.items.some((b) => b.id === id)) { working.add(id); vscodeApi.postMessage({ type: 'getTestInfo', buildId: id }); }
      render();
      return;
    case 'buildUpdated':
      replaceBuild(msg.build);
      working.delete(msg.build.id);
      rowErrors.delete(msg.build.id);
      if (msg.notice) message = msg.notice;
      render();
      return;
    case 'actionFailed':
      working.delete(msg.buildId);
      rowErrors.set(msg.buildId, msg.error);
      render();
      return;
    case 'testInfo':
      working.delete(msg.buildId);
      testInfo.set(msg.buildId, msg.info);
      render();
      return;
    case 'testInfoSaved':
      working.delete(msg.buildId);
      testInfo.set(msg.buildId, msg.info);
      delete drafts[msg.buildId];
      rowErrors.delete(msg.buildId);
      message = 'Test information saved.';
      persist();
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
vscodeApi.postMessage({ type: 'ready' });
