// Small UI pieces shared by panels: buttons (vscode-elements), error banners, busy state, state persistence.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import type { PanelError } from '../../src/protocol/messages';
import type { VersionInfo } from '../../src/providers/services';
import { append, clear, codicon, h, vscodeApi } from './dom';

export function button(label: string, opts: { icon?: string; secondary?: boolean; disabled?: boolean; title?: string; id?: string } = {}, onClick?: () => void): HTMLElement {
  const b = document.createElement('vscode-button');
  if (opts.icon) b.setAttribute('icon', opts.icon);
  if (opts.secondary) b.setAttribute('secondary', '');
  if (opts.disabled) b.setAttribute('disabled', '');
  if (opts.title) b.setAttribute('title', opts.title);
  if (opts.id) b.id = opts.id;
  b.textContent = label;
  if (onClick) b.addEventListener('click', () => { if (!b.hasAttribute('disabled')) onClick(); });
  return b;
}

export function errorBox(error: PanelError, onDismiss?: () => void): HTMLElement {
  const box = h('div', { class: 'error-box', role: 'alert' }, codicon('error'), ' ', error.message);
  // The message joins details without their final period; compare without it so they are not shown twice.
  if (error.details?.length && !error.details.every((d) => error.message.includes(d.trim().replace(/\.+$/, '')))) {
    append(box, h('ul', {}, ...error.details.map((d) => h('li', {}, d))));
  }
  if (onDismiss) {
    const close = h('a', { href: '#', class: 'dismiss', title: 'Dismiss' }, codicon('close'));
    close.addEventListener('click', (e) => { e.preventDefault(); onDismiss(); });
    append(box, close);
  }
  return box;
}

/** A status line that shows a spinner while the extension is working. */
export class BusyIndicator {
  readonly el = h('div', { class: 'busy', 'aria-live': 'polite' });
  set(busy: boolean, label?: string): void {
    clear(this.el);
    document.getElementById('app')?.setAttribute('aria-busy', String(busy));
    if (busy) {
      const ring = document.createElement('vscode-progress-ring');
      append(this.el, ring, h('span', {}, label ?? 'Working…'));
    }
  }
}

/** The panel target written by the extension into the page (ids and names only). */
export function readTarget(): unknown {
  const raw = document.getElementById('app')?.getAttribute('data-target');
  return raw ? (JSON.parse(raw) as unknown) : undefined;
}

export function saveState<T extends object>(state: T): void {
  vscodeApi.setState({ target: readTarget(), ...state });
}

export function loadState<T>(): Partial<T> {
  return (vscodeApi.getState() as Partial<T> | undefined) ?? {};
}

export function formatDate(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A version as the pickers list it: "3.3.0 (iOS) — Prepare for Submission". */
export function versionLabel(v: VersionInfo): string {
  return `${v.versionString}${v.platform ? ` (${v.platformLabel ?? v.platform})` : ''} — ${v.stateLabel}`;
}
