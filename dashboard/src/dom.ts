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
