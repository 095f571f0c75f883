// A tiny element builder: no framework, text set through textContent (never innerHTML with data).
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | ((e: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (k === 'class') el.className = String(v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export const clear = (el: Element) => { el.replaceChildren(); return el; };

/** A section's loading, error and empty states, one look everywhere. */
export const loadingEl = (text: string) => h('p', { class: 'state loading', role: 'status' }, text);
export const errorEl = (text: string, retry?: () => void, retryText = '↻') =>
  h('div', { class: 'state error', role: 'alert' }, h('span', {}, text), retry ? h('button', { type: 'button', onclick: retry }, retryText) : null);
export const emptyEl = (...children: Child[]) => h('div', { class: 'state empty' }, ...children);

/**
 * Every table of the page is also a stack of cards on a phone (styles.css, below 720 px): each
 * cell gets its column's name as data-label, shown above or beside the value there. One place
 * for every view: main.ts runs this on whatever the views add. A header with data-first marks the
 * column that matters most; its cells come first in each card.
 */
export function labelTable(table: HTMLTableElement): void {
  const heads = table.tHead?.rows[0] ? Array.from(table.tHead.rows[0].cells) : [];
  if (heads.length === 0) return;
  table.classList.add('stack');
  for (const body of Array.from(table.tBodies)) {
    for (const row of Array.from(body.rows)) {
      let col = 0;
      for (const cell of Array.from(row.cells)) {
        const head = heads[col];
        col += cell.colSpan;
        if (!head || cell.colSpan > 1 || cell.hasAttribute('data-label')) continue;
        cell.setAttribute('data-label', head.textContent?.trim() ?? '');
        if (head.hasAttribute('data-first')) cell.setAttribute('data-first', '');
      }
    }
  }
}

/** Labels the tables inside (or around) the nodes a mutation added. */
export function labelAdded(nodes: Iterable<Node>): void {
  const tables = new Set<HTMLTableElement>();
  for (const n of nodes) {
    if (!(n instanceof Element)) continue;
    const own = n.closest('table');
    if (own) tables.add(own);
    for (const x of Array.from(n.getElementsByTagName('table'))) tables.add(x);
  }
  for (const x of tables) labelTable(x);
}

/** A table wider than its box scrolls sideways (between a phone's cards and a wide screen): the
 *  box then takes the keyboard focus, so the arrow keys can scroll it. */
export function markScrollable(root: ParentNode): void {
  for (const wrap of Array.from(root.querySelectorAll<HTMLElement>('.table-wrap'))) {
    if (wrap.scrollWidth > wrap.clientWidth + 1) wrap.setAttribute('tabindex', '0');
    else wrap.removeAttribute('tabindex');
  }
}
