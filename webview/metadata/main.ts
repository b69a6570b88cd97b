// Metadata editor. Keeps the user's draft (only changed values) in webview state so a failed save, a reload of
// the window or a conflict never loses it; counts characters/bytes against Apple's limits while typing.
import type { FieldSpec, MetadataDocument } from '../../src/providers/services';
import type { MetadataUpdate } from '../../src/protocol/metadata';
import type { PanelError } from '../../src/protocol/messages';
import { append, clear, codicon, h, vscodeApi } from '../shared/dom';
import { BusyIndicator, button, errorBox, loadState, saveState, versionLabel } from '../shared/ui';

type Draft = Record<string, Record<string, string>>; // locale (ALL: the version's own fields) → field → value
interface State { versionId?: string; locale?: string; draft?: Draft; draftRevision?: string }
type Conflict = Extract<MetadataUpdate, { type: 'conflict' }>;

const root = document.getElementById('app')!;
const busy = new BusyIndicator();
const persisted = loadState<State>();
let init: Extract<MetadataUpdate, { type: 'init' }> | undefined;
let doc: MetadataDocument | undefined;
let locale = persisted.locale;
let draft: Draft = persisted.draft ?? {};
let error: PanelError | undefined;
let conflict: Conflict | undefined;
let notice: string | undefined;
/** Set while the save bar asks whether to discard the draft; runs after the draft is gone. */
let pendingDiscard: (() => void) | undefined;

const encoder = new TextEncoder();
/** The draft "locale" of the version's own fields (copyright): one value for every locale. */
const ALL = '';

function persist(): void {
  saveState<State>({ versionId: doc?.version.id, locale, draft, draftRevision: doc?.revision });
}

function baseValue(loc: string, key: string): string {
  if (loc === ALL) return doc?.versionValues?.[key] ?? '';
  return doc?.locales.find((l) => l.locale === loc)?.values[key] ?? '';
}

function fieldOf(loc: string, key: string): FieldSpec | undefined {
  return (loc === ALL ? doc?.versionFields ?? [] : doc?.fields ?? []).find((x) => x.key === key);
}

/** "en-US Keywords", or "Copyright" for a field of the version itself. */
function scopedLabel(loc: string, f: FieldSpec | undefined, key: string): string {
  return loc === ALL ? f?.label ?? key : `${loc} ${f?.label ?? key}`;
}

function currentValue(loc: string, key: string): string {
  return draft[loc]?.[key] ?? baseValue(loc, key);
}

function setValue(loc: string, key: string, value: string): void {
  const d = (draft[loc] ??= {});
  if (value === baseValue(loc, key)) delete d[key];
  else d[key] = value;
  if (Object.keys(d).length === 0) delete draft[loc];
  persist();
}

function changeCount(): number {
  return Object.values(draft).reduce((n, v) => n + Object.keys(v).length, 0);
}

function measure(f: FieldSpec, value: string): { used: number; max?: number; unit: string } {
  if (f.maxBytes) return { used: encoder.encode(value).length, max: f.maxBytes, unit: 'bytes' };
  return { used: [...value].length, max: f.maxChars, unit: 'characters' };
}

function overLimit(): string[] {
  const problems: string[] = [];
  if (!doc) return problems;
  for (const [loc, values] of Object.entries(draft)) {
    for (const [key, value] of Object.entries(values)) {
      const f = fieldOf(loc, key);
      if (!f) continue;
      const m = measure(f, value);
      if (m.max !== undefined && m.used > m.max) problems.push(`${scopedLabel(loc, f, key)}: ${m.used}/${m.max} ${m.unit}`);
    }
  }
  return problems;
}

function render(): void {
  clear(root);
  if (!init) {
    append(root, busy.el);
    return;
  }
  append(root,
    h('div', { class: 'header' }, h('h1', {}, init.appName), h('span', { class: 'sub' }, [init.bundleId, init.provider].filter(Boolean).join(' · '))),
  );
  const select = h('select', { 'aria-label': 'Version' });
  for (const v of init.versions) {
    const o = h('option', { value: v.id }, `${versionLabel(v)}${v.live ? ' · live' : ''}`);
    if (v.id === doc?.version.id) o.selected = true;
    select.append(o);
  }
  select.addEventListener('change', () => {
    const target = select.value;
    const go = () => {
      draft = {};
      persist();
      const v = init?.versions.find((x) => x.id === target);
      vscodeApi.postMessage({ type: 'selectVersion', versionId: target, live: v?.live === true });
    };
    if (changeCount() === 0) { go(); return; }
    // Stay on this version until the person confirms that the draft goes.
    select.value = doc?.version.id ?? '';
    askDiscard(go);
  });
  const toolbar = h('div', { class: 'toolbar' }, codicon('versions'), select);
  if (doc) toolbar.append(h('span', { class: `tag ${doc.version.tone ?? ''}` }, doc.version.stateLabel));
  if (doc?.version.buildLabel) toolbar.append(h('span', { class: 'muted' }, codicon('package'), ' Build ', doc.version.buildLabel));
  if (init.canCreateVersion) toolbar.append(button('New Version…', { icon: 'add', secondary: true }, () => vscodeApi.postMessage({ type: 'createVersion' })));
  if (init.canAttachBuild && doc?.version.editable) toolbar.append(button('Attach Build…', { icon: 'package', secondary: true }, () => vscodeApi.postMessage({ type: 'attachBuild' })));
  if (init.canSubmit) toolbar.append(button('Submit for Review…', { icon: 'rocket', secondary: true }, () => vscodeApi.postMessage({ type: 'openRelease' })));
  toolbar.append(button('Reload', { icon: 'refresh', secondary: true }, () => vscodeApi.postMessage({ type: 'reload' })));
  append(root, toolbar, busy.el);
  if (notice) append(root, h('div', { class: 'notice', role: 'status' }, codicon('check'), ' ', notice));
  if (error) append(root, errorBox(error, () => { error = undefined; render(); }));
  if (conflict) append(root, renderConflict(conflict));
  if (!doc) return;
  if (!doc.locales.length) {
    append(root, h('p', { class: 'muted' }, 'This version has no localizations yet.'));
    return;
  }
  if (!locale || !doc.locales.some((l) => l.locale === locale)) locale = doc.locales[0]!.locale;
  const tabs = h('div', { class: 'locales', role: 'toolbar', 'aria-label': 'Locales' });
  for (const l of doc.locales) {
    // A refused save may name fields of a locale that is not on screen: its tab says so.
    const refused = Object.keys(error?.fieldErrors ?? {}).some((k) => k.startsWith(`${l.locale}/`));
    const b = h('button', {
      type: 'button', 'aria-pressed': String(l.locale === locale), class: [draft[l.locale] ? 'dirty' : '', refused ? 'invalid' : ''].join(' ').trim() || undefined,
      title: refused ? `A field of ${l.locale} was refused` : undefined,
    }, refused ? codicon('error') : null, refused ? ' ' : null, l.locale);
    b.addEventListener('click', () => { locale = l.locale; persist(); render(); });
    tabs.append(b);
  }
  append(root, tabs);
  const readOnly = !doc.version.editable;
  if (readOnly) append(root, h('p', { class: 'muted' }, codicon('lock'), ` Version ${doc.version.versionString} is ${doc.version.stateLabel.toLowerCase()}; its metadata cannot be edited.`));
  const appFields = doc.fields.filter((f) => f.level === 'app');
  const versionFields = doc.fields.filter((f) => f.level === 'version');
  const columns = h('div', { class: 'columns' });
  if (appFields.length) columns.append(h('section', {}, h('h2', {}, 'App information'), ...appFields.map((f) => renderField(f, locale!, readOnly))));
  // The version's own fields (copyright) follow, the same in every locale tab.
  const ownFields = (doc.versionFields ?? []).map((f) => renderField(f, ALL, readOnly));
  columns.append(h('section', {}, h('h2', {}, 'Version information'), ...versionFields.map((f) => renderField(f, locale!, readOnly)), ...ownFields));
  append(root, columns);
  append(root, renderSaveBar(readOnly));
}

function renderField(f: FieldSpec, loc: string, readOnly: boolean): HTMLElement {
  const id = `f-${f.key}`;
  const value = currentValue(loc, f.key);
  const count = h('span', { class: 'count' });
  const input = f.multiline ? h('textarea', { id, rows: f.key === 'description' ? '8' : '3' }) : h('input', { id, type: 'text', class: 'wide' });
  input.value = value;
  if (readOnly) input.setAttribute('readonly', '');
  const wrap = h('div', { class: 'field', 'data-field': f.key });
  const errors = (loc === ALL ? undefined : error?.fieldErrors?.[`${loc}/${f.key}`]) ?? error?.fieldErrors?.[f.key] ?? [];
  const update = () => {
    const m = measure(f, input.value);
    count.textContent = m.max !== undefined ? `${m.used} / ${m.max}${m.unit === 'bytes' ? ' bytes' : ''}` : '';
    count.classList.toggle('over', m.max !== undefined && m.used > m.max);
    wrap.classList.toggle('changed', input.value !== baseValue(loc, f.key));
  };
  input.addEventListener('input', () => {
    setValue(loc, f.key, input.value);
    update();
    updateSaveBar();
    if (loc !== ALL) document.querySelector(`.locales button[aria-pressed=true]`)?.classList.toggle('dirty', !!draft[loc]);
  });
  const scope = loc === ALL ? h('span', { class: 'muted', title: 'One value for the version, the same in every locale' }, ' · all locales') : null;
  append(wrap, h('label', { for: id }, h('span', {}, f.label, f.required ? ' *' : '', scope), count), input);
  if (errors.length) {
    wrap.classList.add('invalid');
    append(wrap, ...errors.map((e) => h('div', { class: 'field-error' }, codicon('error'), ' ', e)));
  }
  update();
  return wrap;
}

const saveInfo = h('span', { class: 'muted', id: 'save-info' });
let saveButton: HTMLElement | undefined;

function renderSaveBar(readOnly: boolean): HTMLElement {
  saveButton = button('Save…', { icon: 'save', id: 'save' }, () => {
    if (!doc) return;
    const problems = overLimit();
    if (problems.length) {
      error = { kind: 'validation', message: 'Some fields are over Apple\'s limits; shorten them before saving.', details: problems };
      render();
      return;
    }
    const locales = Object.entries(draft).filter(([l]) => l !== ALL).map(([l, values]) => ({ locale: l, values }));
    const version = draft[ALL];
    vscodeApi.postMessage({ type: 'save', revision: doc.revision, changes: { locales, ...(version && { version }) } });
  });
  const discard = button('Discard Changes', { icon: 'discard', secondary: true }, () => {
    if (changeCount() > 0) askDiscard(() => undefined);
  });
  const bar = h('div', { class: 'savebar' }, saveButton, discard, saveInfo);
  if (pendingDiscard) {
    const then = pendingDiscard;
    const n = changeCount();
    bar.replaceChildren(h('div', { class: 'discard-confirm', role: 'alertdialog', 'aria-label': 'Discard changes' },
      codicon('warning'), h('span', {}, `Discard ${n} unsaved change${n === 1 ? '' : 's'}? This cannot be undone.`),
      button('Discard', { icon: 'discard' }, () => { pendingDiscard = undefined; draft = {}; persist(); then(); render(); }),
      button('Keep Editing', { secondary: true }, () => { pendingDiscard = undefined; render(); }),
    ));
  }
  if (readOnly) bar.hidden = true;
  updateSaveBar();
  return bar;
}

function updateSaveBar(): void {
  const n = changeCount();
  saveInfo.textContent = n === 0 ? 'No unsaved changes' : `${n} unsaved change${n === 1 ? '' : 's'}`;
  if (saveButton) {
    if (n === 0) saveButton.setAttribute('disabled', '');
    else saveButton.removeAttribute('disabled');
  }
}

function renderConflict(c: Conflict): HTMLElement {
  const box = h('section', { class: 'conflict', role: 'alert' },
    h('h2', {}, codicon('warning'), ' Someone changed this metadata since you opened it'),
    h('p', {}, c.conflicts.length
      ? 'Nothing was saved. For each field below choose which text to keep, then save again. Fields you did not touch now show the current values.'
      : 'Nothing was saved. Only fields you did not edit changed; they now show the current values and your edits are kept. Review them and save again.'),
  );
  if (!c.conflicts.length) {
    box.append(button('OK', { secondary: true }, () => { conflict = undefined; render(); }));
  }
  for (const item of c.conflicts) {
    const f = fieldOf(item.locale, item.key);
    const keepMine = button('Keep Mine', { secondary: true }, () => resolve(item.locale, item.key, item.mine));
    const takeTheirs = button('Use Theirs', { secondary: true }, () => resolve(item.locale, item.key, item.remote ?? ''));
    box.append(
      h('h3', {}, item.locale === ALL ? `All locales · ${f?.label ?? item.key}` : `${item.locale} · ${f?.label ?? item.key}`),
      h('div', { class: 'sides' },
        h('div', {}, h('strong', {}, 'Yours'), h('pre', { 'data-side': 'mine' }, item.mine)),
        h('div', {}, h('strong', {}, 'Current on the server'), h('pre', { 'data-side': 'remote' }, item.remote ?? '')),
      ),
      h('div', { class: 'row' }, keepMine, takeTheirs),
    );
  }
  return box;
}

function resolve(loc: string, key: string, value: string): void {
  setValue(loc, key, value);
  if (conflict) conflict = { ...conflict, conflicts: conflict.conflicts.filter((c) => !(c.locale === loc && c.key === key)) };
  if (conflict && conflict.conflicts.length === 0) conflict = undefined;
  render();
}

/**
 * Asks in the save bar before the draft goes. Not window.confirm(): VS Code's webview iframe is sandboxed without
 * `allow-modals`, so confirm() returns false at once without showing anything (the draft could never be discarded).
 */
function askDiscard(then: () => void): void {
  pendingDiscard = then;
  render();
}

window.addEventListener('message', (event: MessageEvent<MetadataUpdate>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'busy': busy.set(msg.busy, msg.label); return;
    case 'init': init = msg; notice = undefined; render(); return;
    case 'document': {
      // Keep a restored draft only if it was made against this very revision.
      if (persisted.draftRevision && persisted.draftRevision !== msg.document.revision && msg.document.version.id === persisted.versionId) {
        notice = 'The metadata changed on the server since your draft; your edits are kept — review them before saving.';
      }
      if (doc && doc.version.id !== msg.document.version.id) draft = {};
      doc = msg.document;
      error = undefined;
      persist();
      render();
      return;
    }
    case 'focus': {
      // The panel was opened to fix a field: its locale's tab, then the field itself, in view and focused.
      if (msg.locale && doc?.locales.some((l) => l.locale === msg.locale)) {
        locale = msg.locale;
        persist();
        render();
      }
      const input = msg.field ? document.getElementById(`f-${msg.field}`) : null;
      if (input) {
        input.scrollIntoView({ block: 'center' });
        input.focus();
      }
      return;
    }
    case 'saved':
      doc = msg.document;
      draft = {};
      error = undefined;
      conflict = undefined;
      notice = `${msg.changed} change${msg.changed === 1 ? '' : 's'} saved.`;
      persist();
      render();
      return;
    case 'conflict':
      // The base moves to the remote document; the user's draft stays and is compared against it.
      doc = msg.remote;
      conflict = msg;
      persist();
      render();
      return;
    case 'saveFailed':
    case 'error':
      error = msg.error;
      notice = undefined;
      render();
      return;
  }
});

render();
vscodeApi.postMessage({ type: 'ready' });
