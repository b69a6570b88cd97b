// Pieces of the list panels (builds, TestFlight, reviews): header, busy state over overlapping operations,
// notices, empty state and Load More, small-form fields (labels, counters, field errors, selects), tags, and a
// re-render that keeps the user's place. Text always goes through textContent (see dom.ts).
import type { PanelError } from '../../src/protocol/messages';
import { append, codicon, h } from './dom';
import { BusyIndicator, button } from './ui';

/** Busy state that stays on while any operation is running (operations overlap: a load and a reply). */
export class Busy {
  private readonly indicator = new BusyIndicator();
  private count = 0;
  private label: string | undefined;
  get el(): HTMLElement { return this.indicator.el; }
  get active(): boolean { return this.count > 0; }
  set(busy: boolean, label?: string): void {
    if (busy) { this.count++; this.label = label; }
    else this.count = Math.max(0, this.count - 1);
    this.indicator.set(this.count > 0, this.label);
  }
}

export function notice(text: string, onDismiss?: () => void): HTMLElement {
  const el = h('div', { class: 'notice', role: 'status' }, codicon('check'), ' ', text);
  if (onDismiss) {
    const close = h('a', { href: '#', class: 'dismiss', title: 'Dismiss' }, codicon('close'));
    close.addEventListener('click', (e) => { e.preventDefault(); onDismiss(); });
    el.append(close);
  }
  return el;
}

export function emptyState(icon: string, title: string, hint?: string): HTMLElement {
  return h('div', { class: 'empty-state' }, codicon(icon), h('p', {}, title), hint ? h('p', { class: 'muted' }, hint) : null);
}

export function loadMore(label: string, hasMore: boolean, onClick: () => void): HTMLElement | null {
  if (!hasMore) return null;
  return h('div', { class: 'load-more' }, button(label, { icon: 'ellipsis', secondary: true }, onClick));
}

/** Messages of one field under it (from local validation or the API's field errors). */
export function fieldErrors(messages: string[] | undefined): HTMLElement | null {
  if (!messages?.length) return null;
  return h('div', { class: 'field-error', role: 'alert' }, ...messages.flatMap((m, i) => [i ? h('br') : null, codicon('error'), ' ', m]));
}

/** Field errors for `key`, also when the provider keys them by locale (`en-US/feedbackEmail`). */
export function errorsFor(error: PanelError | undefined, key: string): string[] | undefined {
  const found = Object.entries(error?.fieldErrors ?? {}).filter(([k]) => k === key || k.endsWith(`/${key}`)).flatMap(([, v]) => v);
  return found.length ? found : undefined;
}

/**
 * Re-renders without losing the user's place: keeps focus, caret and scroll of the focused input (matched by
 * id) and the window's scroll position.
 */
export function preserving(render: () => void): void {
  const active = document.activeElement as (HTMLElement & Partial<HTMLInputElement>) | null;
  const id = active?.id;
  const sel = active && typeof active.selectionStart === 'number' ? [active.selectionStart, active.selectionEnd ?? active.selectionStart] as const : undefined;
  const scroll = [window.scrollX, window.scrollY] as const;
  render();
  if (id) {
    const el = document.getElementById(id) as (HTMLElement & Partial<HTMLInputElement>) | null;
    if (el && el !== document.activeElement) {
      el.focus({ preventScroll: true });
      if (sel && typeof el.setSelectionRange === 'function') { try { el.setSelectionRange(sel[0], sel[1]); } catch { /* not a text input */ } }
    }
  }
  window.scrollTo(scroll[0], scroll[1]);
}

export function header(appName: string, sub: (string | undefined)[], title: string): HTMLElement {
  return h('div', { class: 'header' }, h('h1', {}, title, ': ', appName), h('span', { class: 'sub' }, sub.filter(Boolean).join(' · ')));
}

/** A labelled input for small forms; `id` keeps focus across re-renders. */
export function labelled(id: string, label: string, control: HTMLElement, extra?: HTMLElement | null): HTMLElement {
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, h('span', {}, label), extra ?? null), control);
}

/** Character count shown next to a field label, red past the limit. */
export function counter(value: string, max: number): HTMLElement {
  const el = h('span', { class: 'count' });
  updateCounter(el, value, max);
  return el;
}

export function updateCounter(el: HTMLElement, value: string, max: number): void {
  const n = [...value].length;
  el.textContent = `${n} / ${max}`;
  el.classList.toggle('over', n > max);
}

export function select(options: { value: string; label: string }[], value: string, ariaLabel: string): HTMLSelectElement {
  const s = h('select', { 'aria-label': ariaLabel });
  for (const o of options) {
    const opt = h('option', { value: o.value }, o.label);
    if (o.value === value) opt.selected = true;
    s.append(opt);
  }
  return s;
}

export function tag(text: string, tone?: string): HTMLElement {
  return h('span', { class: `tag ${tone ?? ''}`.trim() }, text);
}

export function setDisabled(el: HTMLElement, disabled: boolean): void {
  if (disabled) el.setAttribute('disabled', '');
  else el.removeAttribute('disabled');
}

export { append };
