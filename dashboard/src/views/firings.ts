// 3a. Firing history: a list of firings with filters (workshop, kiln, dates, status), and two
// firings' curves overlaid (kiln temperature against hours since each one's start).
import { api, enc, firingPath } from '../api.ts';
import { lineChart, series, toPts, type Chart, type Pt } from '../charts.ts';
import { emptyEl, errorEl, h, loadingEl } from '../dom.ts';
import { loadInto } from '../load.ts';
import { coneLabel, fmtC, fmtDate, fmtH, t } from '../i18n.ts';
import { isoDay, knownKilns } from '../known.ts';
import type { FiringCurve, FiringList, FiringListItem } from '../types.ts';

type Row = FiringListItem & { workshop: string; kiln: string };

export function renderFirings(root: HTMLElement, _p: string[], query: URLSearchParams): () => void {
  const wsSel = h('select', { name: 'workshop', id: 'f-workshop' });
  const kilnSel = h('select', { name: 'kiln', id: 'f-kiln' });
  const from = h('input', { type: 'date', name: 'from', id: 'f-from', value: query.get('from') ?? isoDay(30) });
  const to = h('input', { type: 'date', name: 'to', id: 'f-to', value: query.get('to') ?? isoDay(0) });
  const status = h('select', { name: 'status', id: 'f-status' },
    h('option', { value: '' }, t('all')), h('option', { value: 'open' }, t('status_open')), h('option', { value: 'closed' }, t('status_closed')));
  const list = h('div', { id: 'firing-list' });
  const compareBtn = h('button', { type: 'button', id: 'compare', disabled: true }, t('compare'));
  const compareBox = h('div', { class: 'chart', hidden: true }, h('canvas', { id: 'chart-compare' }));
  const form = h('form', { class: 'filters', onsubmit: (e: Event) => { e.preventDefault(); void load(); } },
    h('label', {}, t('workshop'), wsSel), h('label', {}, t('kiln'), kilnSel), h('label', {}, t('from'), from), h('label', {}, t('to'), to),
    h('label', {}, t('status'), status), h('button', { type: 'submit' }, t('show')));
  root.append(h('h1', {}, t('nav_firings')), form, list, h('h2', {}, t('compare_chart')), h('p', { class: 'muted' }, t('compare_two'), ' ', compareBtn), compareBox);

  let kilns: { workshop: string; kiln: string }[] = [];
  let rows: Row[] = [];
  const picked = new Set<string>();
  let chart: Chart<'line', Pt[]> | null = null;
  let closed = false;

  const fillKilns = () => {
    const ws = wsSel.value;
    kilnSel.replaceChildren(h('option', { value: '' }, t('all')), ...kilns.filter((k) => !ws || k.workshop === ws).map((k) => h('option', { value: k.kiln }, k.kiln)));
  };
  wsSel.addEventListener('change', fillKilns);

  async function load(): Promise<void> {
    picked.clear();
    compareBtn.disabled = true;
    const from_iso = new Date(`${from.value}T00:00:00+07:00`).toISOString();
    const to_iso = new Date(Date.parse(`${to.value}T00:00:00+07:00`) + 86_400_000).toISOString();
    const chosen = kilns.filter((k) => (!wsSel.value || k.workshop === wsSel.value) && (!kilnSel.value || k.kiln === kilnSel.value));
    const lists = await loadInto(list, () => Promise.all(chosen.map(async (k) => {
      const l = await api<FiringList>(`${firingPath(k.workshop, k.kiln)}?from=${enc(from_iso)}&to=${enc(to_iso)}&limit=200`);
      return l.firings.map((f) => ({ ...f, workshop: k.workshop, kiln: k.kiln }));
    })), () => void load());
    if (!lists || closed) return;
    rows = lists.flat().filter((f) => !status.value || (status.value === 'open') === f.open).sort((a, b) => b.start_ms - a.start_ms);
    draw();
  }

  function draw(): void {
    if (rows.length === 0) {
      list.replaceChildren(emptyEl(h('p', {}, ...t('no_firings', { cmd: '\u0000' }).split('\u0000').flatMap((s, i) => (i ? [h('code', {}, 'SIMULATE_KILNS=3 npm start'), s] : [s])))));
      return;
    }
    const tbody = h('tbody', {}, ...rows.map((f) => {
      const id = `${f.workshop}/${f.kiln}/${f.id}`;
      const box = h('input', { type: 'checkbox', 'aria-label': t('compare'), onchange: (e: Event) => {
        if ((e.target as HTMLInputElement).checked) picked.add(id); else picked.delete(id);
        compareBtn.disabled = picked.size !== 2;
      } });
      return h('tr', { 'data-firing': f.id },
        h('td', {}, box), h('td', {}, `${f.workshop} / ${f.kiln}`),
        h('td', {}, h('a', { href: `/firings/${enc(f.workshop)}/${enc(f.kiln)}/${enc(f.id)}`, 'data-link': true }, f.id)),
        h('td', {}, fmtDate(f.start_ms)), h('td', {}, fmtH(f.duration_h)), h('td', { class: 'num' }, fmtC(f.peak_c)), h('td', {}, f.cone ? coneLabel(f.cone) : '—'),
        h('td', {}, f.open ? t('status_open') : t('status_closed')));
    }));
    list.replaceChildren(h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ...['', t('kiln'), 'ID', t('start'), t('duration'), t('peak'), t('cone'), t('status')].map((c) => h('th', {}, c)))), tbody)));
  }

  compareBtn.addEventListener('click', () => void (async () => {
    const ids = [...picked];
    compareBox.hidden = false;
    compareBox.before(loadingEl(t('loading')));
    try {
      const curves = await Promise.all(ids.map((id) => { const [ws = '', k = '', f = ''] = id.split('/'); return api<FiringCurve>(`${firingPath(ws, k, f)}/curve?points=1500`); }));
      chart?.destroy();
      chart = lineChart(compareBox.querySelector('canvas')!, curves.map((c, i) => series(`${ids[i]}`, toPts(c.kiln_c), i)), { xTitle: t('hours_since_start'), yTitle: '°C' });
      compareBox.querySelector('canvas')!.setAttribute('data-series', String(curves.filter((c) => c.kiln_c.length > 0).length));
    } catch (err) {
      compareBox.before(errorEl(`${t('error')}: ${(err as Error).message}`));
    } finally {
      compareBox.parentElement?.querySelector('.state.loading')?.remove();
    }
  })());

  void (async () => {
    kilns = await knownKilns();
    if (closed) return;
    const wss = [...new Set(kilns.map((k) => k.workshop))];
    wsSel.replaceChildren(h('option', { value: '' }, t('all')), ...wss.map((w) => h('option', { value: w }, w)));
    if (query.get('workshop')) wsSel.value = query.get('workshop')!;
    fillKilns();
    await load();
  })();
  return () => { closed = true; chart?.destroy(); };
}
