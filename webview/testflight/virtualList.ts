// A windowed list: only the rows in view (plus a margin) exist in the DOM, so thousands of testers scroll
// smoothly. Rows have a fixed height; positions are set through the CSSOM (allowed by the panel's CSP, unlike
// style attributes).
import { clear, h } from '../shared/dom';

export class VirtualList<T> {
  readonly el: HTMLElement;
  private readonly spacer: HTMLElement;
  private items: readonly T[] = [];
  private frame = 0;
  private rendered = '';

  constructor(
    private readonly rowHeight: number,
    private readonly renderRow: (item: T, index: number) => HTMLElement,
    ariaLabel: string,
    /** A header row kept at the top of the scroller (sticky), inside the table for assistive technology. */
    header?: HTMLElement,
    private readonly overscan = 10,
  ) {
    this.spacer = h('div', { class: 'tf-vlist-rows', role: 'rowgroup' });
    this.el = h('div', { class: 'tf-vlist', role: 'table', 'aria-label': ariaLabel, tabindex: '0' },
      header ? h('div', { class: 'tf-vlist-head', role: 'rowgroup' }, header) : null, this.spacer);
    this.el.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(this.el);
  }

  setItems(items: readonly T[]): void {
    this.items = items;
    this.el.setAttribute('aria-rowcount', String(items.length));
    this.spacer.style.height = `${items.length * this.rowHeight}px`;
    // Short lists need no scroller of their own.
    this.el.style.maxHeight = items.length > 30 ? '' : 'none';
    this.rendered = '';
    this.draw();
  }

  /** Redraws the visible rows (after a row's data changed). */
  refresh(): void {
    this.rendered = '';
    this.draw();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.draw(); });
  }

  private draw(): void {
    const height = this.el.clientHeight || window.innerHeight;
    const top = Math.max(0, this.el.scrollTop - this.spacer.offsetTop);
    const first = Math.max(0, Math.floor(top / this.rowHeight) - this.overscan);
    const last = Math.min(this.items.length, Math.ceil((top + height) / this.rowHeight) + this.overscan);
    const key = `${first}:${last}`;
    if (key === this.rendered) return;
    this.rendered = key;
    // Keep keyboard focus on a row control across redraws.
    const focusedKey = (document.activeElement?.closest('[data-key]') as HTMLElement | null)?.dataset.key;
    const focusedAction = (document.activeElement as HTMLElement | null)?.dataset?.action;
    clear(this.spacer);
    for (let i = first; i < last; i++) {
      const row = this.renderRow(this.items[i]!, i);
      row.style.top = `${i * this.rowHeight}px`;
      row.style.height = `${this.rowHeight}px`;
      row.setAttribute('aria-rowindex', String(i + 1));
      this.spacer.append(row);
    }
    if (focusedKey && focusedAction) {
      (this.spacer.querySelector(`[data-key="${CSS.escape(focusedKey)}"] [data-action="${CSS.escape(focusedAction)}"]`) as HTMLElement | null)?.focus({ preventScroll: true });
    }
  }
}
