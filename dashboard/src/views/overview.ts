// 1. Workshop overview: every kiln at a glance, grouped by workshop (a header each with its counts,
// folded by a click), with a search by kiln or workshop. A card is built when its kiln comes on
// screen and then only its text changes; all DOM work of a frame is done in one animation frame.
// With many kilns only the rows on screen are in the page (overview-list.ts): a live update of a
// kiln off screen changes the data and its workshop's counts, nothing else.
import { h, emptyEl, loadingEl, errorEl } from '../dom.ts';
import { num, t } from '../i18n.ts';
import { api } from '../api.ts';
import { kilnKey, live } from '../live.ts';
import { alerts } from '../alerts.ts';
import { groupFleet, type Attention, type FleetGroup } from '../fleet-groups.ts';
import { extras } from './overview-extras.ts';
import { buildCard, fillCard, isOpen, type Card } from './overview-card.ts';
import { FleetList } from './overview-list.ts';

/** How often the sparklines and usual gas are read again. */
const EXTRAS_MS = 60_000;
/** Up to this many kilns (after the search) every card is in the page, as the browser's find and a
 *  screen reader's reading mode like it (50 kilns at 1 Hz stay smooth that way); above, only the
 *  rows on screen. */
export const WINDOW_ABOVE_KILNS = 100;
/** The search shows from this many kilns: fewer fit on a screen or two. */
const SEARCH_FROM_KILNS = 13;
const SEVERITY: Record<string, Attention> = { info: 1, warning: 2, critical: 3 };

export function simulatorHint(): HTMLElement {
  const [a = '', rest = ''] = t('empty_kilns_how', { cmd1: '@1@', cmd2: '@2@' }).split('@1@');
  const [b = '', c = ''] = rest.split('@2@');
  return h('p', {}, a, h('code', {}, 'SIMULATE_KILNS=3 npm start'), b, h('code', {}, 'npm run simulate -- --help'), c);
}

export function renderOverview(root: HTMLElement, _params: string[] = [], query = new URLSearchParams()): () => void {
  let q = query.get('q') ?? '';
  const search = h('input', { type: 'search', id: 'kiln-search', name: 'q', autocomplete: 'off', spellcheck: 'false', value: q });
  const count = h('p', { id: 'fleet-count', role: 'status' });
  const tools = h('div', { class: 'fleet-tools', hidden: true }, h('label', { class: 'fleet-search' }, t('search_kilns'), search), count);
  const state = h('div', {});
  const cards = new Map<string, Card>();
  const known = new Set<string>();
  const names = new Map<string, string>();
  const dirty = new Set<string>();
  let attention = new Map<string, Attention>();
  let regroup = true;
  let frame = 0;
  let shown = 0;

  const list = new FleetList({
    show: (key) => {
      const v = live.kilns.get(key)!;
      const c = buildCard(key, v);
      cards.set(key, c);
      fillCard(c, key, v);
      return c.el;
    },
    hide: (key) => { cards.delete(key); },
    head: (g) => {
      let firing = 0, offline = 0, attn = 0;
      for (const k of g.keys) {
        if (live.kilns.get(k)?.firing?.status === 'firing') firing++;
        if (!live.online(k)) offline++;
        if ((attention.get(k) ?? 0) > 0) attn++;
      }
      const n = g.keys.length;
      const detail = [n === 1 ? t('ws_kiln_one') : t('ws_kilns', { n: num(n) })];
      if (firing > 0) detail.push(t('ws_firing', { n: num(firing) }));
      if (offline > 0) detail.push(t('ws_offline', { n: num(offline) }));
      if (attn > 0) detail.push(t('ws_attention', { n: num(attn) }));
      return { name: g.name === g.workshop ? g.name : `${g.name} (${g.workshop})`, detail: detail.join(' · '), data: { kilns: n, firing, offline, attention: attn } };
    },
    listLabel: () => t('kilns_list'),
  }, () => request());
  root.append(h('h1', {}, t('nav_overview')), tools, state, list.el);

  /** The groups again: the fleet, the alerts (the order), the names or the search changed. */
  function group(): void {
    attention = new Map();
    for (const a of alerts.active) {
      if (!isOpen(a)) continue;
      const k = kilnKey(a);
      attention.set(k, Math.max(attention.get(k) ?? 0, SEVERITY[a.severity] ?? 1) as Attention);
    }
    const fleet = [...live.kilns.entries()].map(([key, v]) => ({ key, workshop: v.workshop, kiln: v.kiln, attention: attention.get(key) ?? 0 as Attention }));
    const groups: FleetGroup[] = groupFleet(fleet, names, q);
    shown = groups.reduce((n, g) => n + g.keys.length, 0);
    const workshops = new Set(fleet.map((k) => k.workshop)).size;
    list.setGroups(groups, { heads: workshops > 1, windowed: shown > WINDOW_ABOVE_KILNS });
    tools.hidden = live.kilns.size < SEARCH_FROM_KILNS && q === '';
    const total = num(live.kilns.size);
    count.textContent = q !== '' ? t('fleet_found', { n: num(shown), total }) : workshops > 1 ? t('fleet_count', { n: total, w: num(workshops) }) : t('ws_kilns', { n: total });
    count.dataset.kilns = String(live.kilns.size);
    count.dataset.shown = String(shown);
  }

  function flush(): void {
    frame = 0;
    for (const k of dirty) if (!known.has(k) && live.kilns.has(k)) { known.add(k); regroup = true; }
    if (regroup) { regroup = false; group(); }
    list.layout();
    const workshops = new Set<string>();
    for (const k of dirty) {
      const v = live.kilns.get(k);
      if (!v) continue;
      workshops.add(v.workshop);
      const c = cards.get(k);
      if (c) fillCard(c, k, v); // a kiln off screen: its data is in the live store, no card to change
    }
    dirty.clear();
    list.refreshHeads(workshops);
    state.replaceChildren();
    if (live.status === 'loading' && live.kilns.size === 0) state.append(loadingEl(t('loading')));
    else if (live.status === 'off') state.append(errorEl(t('live_off')));
    else if (live.status === 'error' && live.kilns.size === 0) state.append(errorEl(`${t('error')}: ${live.message}`));
    else if (live.kilns.size === 0) state.append(emptyEl(h('p', {}, h('strong', {}, t('empty_kilns'))), simulatorHint()));
    else if (shown === 0) state.append(emptyEl(h('p', { id: 'search-none' }, t('search_none', { q }))));
  }

  function request(): void {
    if (!frame) frame = requestAnimationFrame(flush);
  }
  const schedule = (changed: Iterable<string>) => {
    for (const k of changed) dirty.add(k);
    request();
  };
  const reorder = (changed: Iterable<string>) => { regroup = true; schedule(changed); };
  search.addEventListener('input', () => {
    q = search.value;
    // In the address too: a reload, the language switch or the way back keeps the search.
    history.replaceState(history.state, '', q === '' ? location.pathname : `${location.pathname}?q=${encodeURIComponent(q)}`);
    regroup = true;
    request();
  });
  schedule(live.kilns.keys());
  const unsub = live.subscribe(schedule);
  const unsubAlerts = alerts.subscribe(reorder);
  const tick = setInterval(() => schedule(live.kilns.keys()), 15_000); // online/offline and 'last message' ages
  window.addEventListener('scroll', request, { passive: true });
  window.addEventListener('resize', request);
  let gone = false;
  void api<{ workshops: { id: string; name: string }[] }>('/api/workshops').then((r) => {
    for (const w of r.workshops) if (w.name) names.set(w.id, w.name);
    if (!gone) reorder([]);
  }).catch(() => { /* the ids alone */ });
  const loadExtras = () => void extras.load().then(() => { if (!gone) schedule(cards.keys()); });
  loadExtras();
  const extrasTick = setInterval(loadExtras, EXTRAS_MS);
  return () => {
    gone = true; unsub(); unsubAlerts(); clearInterval(tick); clearInterval(extrasTick);
    window.removeEventListener('scroll', request);
    window.removeEventListener('resize', request);
    if (frame) cancelAnimationFrame(frame);
  };
}

export { kilnKey };
