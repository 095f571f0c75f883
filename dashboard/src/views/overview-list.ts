// The overview's card grid, grouped by workshop, with only the rows on screen in the page once the
// fleet is large: each workshop's list keeps its full height with a spacer above and below the
// rows drawn (one or two rows more on each side), worked out again on scroll and resize. Rows
// have one height (the tallest card measured at this width), so a row's place is arithmetic.
// Each workshop is a heading (a button that folds it) and a role=list whose items carry
// aria-setsize/aria-posinset, so a screen reader knows how many kilns a list holds even when only
// some are in the page.
import { h } from '../dom.ts';
import { visibleRows, type FleetGroup } from '../fleet-groups.ts';

/** Rows drawn beyond each edge of the screen: a fast scroll or a Tab to the next card finds it there. */
const OVERSCAN_ROWS = 2;
/** A card's height before one was measured at this width (about a card with no alert). */
const ESTIMATE_CARD_PX = 330;

export interface GroupHead { readonly name: string; readonly detail: string; readonly data: Readonly<Record<string, number>> }

export interface ListHooks {
  /** The card of a kiln coming into the page, filled. */
  show(key: string): HTMLElement;
  /** A kiln's card left the page. */
  hide(key: string): void;
  /** A workshop's header text and counts. */
  head(g: FleetGroup): GroupHead;
  /** The list's accessible name when there is no header (one workshop). */
  listLabel(): string;
}

interface GroupView {
  g: FleetGroup;
  readonly section: HTMLElement;
  readonly h2: HTMLElement;
  readonly toggle: HTMLButtonElement;
  readonly name: HTMLElement;
  readonly detail: HTMLElement;
  readonly list: HTMLElement;
  readonly before: HTMLElement;
  readonly grid: HTMLElement;
  readonly after: HTMLElement;
  shown: string[];
  dirty: boolean;
}

let ids = 0;

export class FleetList {
  readonly el = h('div', { id: 'kiln-cards', class: 'fleet' });
  private views: GroupView[] = [];
  private readonly byWs = new Map<string, GroupView>();
  private readonly slots = new Map<string, HTMLElement>();
  private readonly collapsed = new Set<string>();
  private windowed = false;
  private cols = 1;
  private gap_px = 0;
  private card_px = 0;
  private width_px = -1;
  /** Cards put into the page by this layout. */
  private added = 0;

  constructor(private readonly hooks: ListHooks, private readonly request: () => void) {}

  /** New groups (the fleet, the order or the search changed). heads: one header per workshop;
   *  windowed: only the rows on screen in the page, else every card. */
  setGroups(groups: readonly FleetGroup[], opts: { heads: boolean; windowed: boolean }): void {
    if (opts.windowed !== this.windowed) { this.windowed = opts.windowed; this.el.classList.toggle('windowed', opts.windowed); }
    this.el.classList.toggle('no-heads', !opts.heads);
    const next = groups.map((g) => {
      let v = this.byWs.get(g.workshop);
      if (!v) { v = this.view(g); this.byWs.set(g.workshop, v); }
      v.g = g;
      v.dirty = true;
      v.h2.hidden = !opts.heads;
      if (opts.heads) { v.list.removeAttribute('aria-label'); v.list.setAttribute('aria-labelledby', v.h2.id); }
      else { v.list.removeAttribute('aria-labelledby'); v.list.setAttribute('aria-label', this.hooks.listLabel()); }
      this.writeHead(v);
      return v;
    });
    const keep = new Set(next);
    for (const v of this.views) {
      if (keep.has(v)) continue;
      this.slot(v, []);
      this.byWs.delete(v.g.workshop);
    }
    const same = next.length === this.views.length && next.every((v, i) => v === this.views[i]);
    this.views = next;
    if (!same) this.el.replaceChildren(...next.map((v) => v.section));
  }

  /** The headers' counts again, for these workshops (all when absent). */
  refreshHeads(workshops?: ReadonlySet<string>): void {
    for (const v of this.views) if (!workshops || workshops.has(v.g.workshop)) this.writeHead(v);
  }

  /** Which rows are on screen, and those rows into the page: layout read first, then written.
   *  Called once per animation frame; asks for another frame when a card's height changed. */
  layout(): void {
    const open = this.views.filter((v) => !this.collapsed.has(v.g.workshop));
    let tops: number[] = [];
    if (this.windowed && open.length > 0) {
      const width = this.el.clientWidth;
      if (width !== this.width_px) { // a new width: columns, gap and card height measured anew
        this.width_px = width;
        const style = getComputedStyle(open[0]!.grid);
        this.cols = Math.max(1, style.gridTemplateColumns.split(' ').filter((x) => x.length > 0).length);
        this.gap_px = parseFloat(style.rowGap) || 0;
        this.card_px = 0;
        this.el.style.removeProperty('--card-h'); // the cards at their own height to be measured again
      }
      let tallest = 0;
      for (const v of open) for (const s of Array.from(v.grid.children)) tallest = Math.max(tallest, (s as HTMLElement).offsetHeight);
      if (tallest > this.card_px) {
        this.card_px = tallest;
        this.el.style.setProperty('--card-h', `${tallest}px`);
        for (const v of open) v.dirty = true;
      }
      tops = open.map((v) => v.list.getBoundingClientRect().top);
    }
    const row_px = (this.card_px || ESTIMATE_CARD_PX) + this.gap_px;
    const vh = window.innerHeight;
    this.added = 0;
    open.forEach((v, i) => {
      const rows = Math.ceil(v.g.keys.length / this.cols);
      const [a, b] = this.windowed ? visibleRows(rows, tops[i]!, row_px, vh, OVERSCAN_ROWS) : [0, rows];
      const keys = v.g.keys.slice(a * this.cols, b * this.cols);
      if (!v.dirty && keys.length === v.shown.length && keys.every((k, j) => k === v.shown[j])) return;
      v.dirty = false;
      this.slot(v, keys, a * this.cols);
      const drawn = b > a ? (b - a) * row_px - this.gap_px : 0;
      v.before.style.height = this.windowed ? `${a * row_px}px` : '';
      v.after.style.height = this.windowed && rows > 0 ? `${Math.max(0, rows * row_px - this.gap_px - a * row_px - drawn)}px` : '';
    });
    if (this.windowed && this.added > 0) this.request(); // new cards: measured next frame
  }

  /** The cards of `keys` in the group's grid, in that order; the ones that left handed back. */
  private slot(v: GroupView, keys: readonly string[], first = 0): void {
    const want = new Set(keys);
    for (const k of v.shown) {
      if (want.has(k)) continue;
      this.slots.get(k)?.remove();
      this.slots.delete(k);
      this.hooks.hide(k);
    }
    // Only the new cards go in: a card staying in the page is never moved (that would drop the
    // keyboard focus from it), unless the order itself changed.
    const grid = v.grid.children;
    keys.forEach((k, i) => {
      let s = this.slots.get(k);
      if (!s) { this.slots.set(k, (s = h('div', { role: 'listitem', class: 'slot' }, this.hooks.show(k)))); this.added++; }
      const pos = String(first + i + 1), size = String(v.g.keys.length);
      if (s.getAttribute('aria-posinset') !== pos) s.setAttribute('aria-posinset', pos);
      if (s.getAttribute('aria-setsize') !== size) s.setAttribute('aria-setsize', size);
      if (grid[i] !== s) v.grid.insertBefore(s, grid[i] ?? null);
    });
    v.shown = [...keys];
  }

  private writeHead(v: GroupView): void {
    const head = this.hooks.head(v.g);
    if (v.name.textContent !== head.name) v.name.textContent = head.name;
    if (v.detail.textContent !== head.detail) v.detail.textContent = head.detail;
    for (const [k, n] of Object.entries(head.data)) if (v.h2.dataset[k] !== String(n)) v.h2.dataset[k] = String(n);
  }

  private view(g: FleetGroup): GroupView {
    const id = `ws-${++ids}`;
    const name = h('span', { class: 'ws-name' });
    const detail = h('span', { class: 'ws-detail' });
    const toggle = h('button', { type: 'button', class: 'ws-toggle', 'aria-expanded': 'true', 'aria-controls': `${id}-list` }, name, ' ', detail);
    const h2 = h('h2', { class: 'ws-head', id: `${id}-head` }, toggle);
    const before = h('div', { class: 'pad', 'aria-hidden': 'true' });
    const grid = h('div', { class: 'cards' });
    const after = h('div', { class: 'pad', 'aria-hidden': 'true' });
    const list = h('div', { class: 'ws-list', role: 'list', id: `${id}-list` }, before, grid, after);
    const section = h('section', { class: 'ws-group', 'data-workshop': g.workshop }, h2, list);
    const v: GroupView = { g, section, h2, toggle, name, detail, list, before, grid, after, shown: [], dirty: true };
    toggle.addEventListener('click', () => {
      const fold = !this.collapsed.has(v.g.workshop);
      if (fold) this.collapsed.add(v.g.workshop); else this.collapsed.delete(v.g.workshop);
      toggle.setAttribute('aria-expanded', String(!fold));
      list.hidden = fold;
      if (fold) { this.slot(v, []); before.style.height = after.style.height = ''; }
      v.dirty = true;
      this.request();
    });
    return v;
  }
}
