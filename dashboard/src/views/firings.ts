// 3a. Firing history: a list of firings with filters (workshop, kiln, dates, status), and two
// firings picked by kiln and date overlaid (temperature and cumulative gas against hours since
// each one's start).
import { api, enc, firingPath } from '../api.ts';
import { emptyEl, errorEl, h, loadingEl } from '../dom.ts';
import { loadInto } from '../load.ts';
import { coneLabel, firingStatusName, fmtC, fmtDate, fmtH, t } from '../i18n.ts';
import { isoDay, knownKilns } from '../known.ts';
import type { FiringCurve, FiringList, FiringListItem } from '../types.ts';
import { OverlayCharts } from './overlay.ts';

type Row = FiringListItem & { workshop: string; kiln: string };
const rowKey = (f: Row) => `${f.workshop}/${f.kiln}/${f.id}`;
/** What a potter knows a firing by: the kiln, its schedule (when the controller named one), when it
 *  started (the workshop when several are listed), and how hot it got. */
const rowLabel = (f: Row, manyWs: boolean) =>
  `${f.kiln}${manyWs ? ` (${f.workshop})` : ''}${f.schedule_name ? ` · ${f.schedule_name}` : ''} · ${fmtDate(f.start_ms)} · ${f.cone ? coneLabel(f.cone) : fmtC(f.peak_c)}`;

export function renderFirings(root: HTMLElement, _p: string[], query: URLSearchParams): () => void {
  const wsSel = h('select', { name: 'workshop', id: 'f-workshop' });
  const kilnSel = h('select', { name: 'kiln', id: 'f-kiln' });
  const from = h('input', { type: 'date', name: 'from', id: 'f-from', value: query.get('from') ?? isoDay(30) });
  const to = h('input', { type: 'date', name: 'to', id: 'f-to', value: query.get('to') ?? isoDay(0) });
  const status = h('select', { name: 'status', id: 'f-status' },
    h('option', { value: '' }, t('all')), h('option', { value: 'open' }, t('status_open')), h('option', { value: 'closed' }, t('status_closed')));
  const list = h('div', { id: 'firing-list' });
  const pickA = h('select', { id: 'overlay-a' });
  const pickB = h('select', { id: 'overlay-b' });
  const compareBtn = h('button', { type: 'button', id: 'compare', disabled: true }, t('compare'));
  const compareMsg = h('p', { class: 'muted', id: 'compare-msg' });
  const tempCanvas = h('canvas', { id: 'chart-compare', 'aria-label': t('chart_temp') });
  const gasCanvas = h('canvas', { id: 'chart-compare-gas', 'aria-label': t('overlay_gas') });
  const compareBox = h('div', { id: 'compare-box', hidden: true },
    h('h3', {}, t('chart_temp')), h('div', { class: 'chart' }, tempCanvas), h('h3', {}, t('overlay_gas')), h('div', { class: 'chart short' }, gasCanvas));
  const form = h('form', { class: 'filters', onsubmit: (e: Event) => { e.preventDefault(); void load(); } },
    h('label', {}, t('workshop'), wsSel), h('label', {}, t('kiln'), kilnSel), h('label', {}, t('from'), from), h('label', {}, t('to'), to),
    h('label', {}, t('status'), status), h('button', { type: 'submit' }, t('show')));
  const picker = h('div', { class: 'filters' }, h('label', {}, t('overlay_a'), pickA), h('label', {}, t('overlay_b'), pickB), compareBtn);
  root.append(h('h1', {}, t('nav_firings')), form, list, h('h2', {}, t('compare_chart')), h('p', { class: 'muted' }, t('compare_two')), picker, compareMsg, compareBox);

  let kilns: { workshop: string; kiln: string }[] = [];
  let rows: Row[] = [];
  const overlay = new OverlayCharts(tempCanvas, gasCanvas);
  let closed = false;

  const fillKilns = () => {
    const ws = wsSel.value;
    kilnSel.replaceChildren(h('option', { value: '' }, t('all')), ...kilns.filter((k) => !ws || k.workshop === ws).map((k) => h('option', { value: k.kiln }, k.kiln)));
  };
  wsSel.addEventListener('change', fillKilns);

  async function load(): Promise<void> {
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
    fillPickers();
    if (rows.length === 0) {
      list.replaceChildren(emptyEl(h('p', {}, ...t('no_firings', { cmd: '\u0000' }).split('\u0000').flatMap((s, i) => (i ? [h('code', {}, 'SIMULATE_KILNS=3 npm start'), s] : [s])))));
      return;
    }
    const tbody = h('tbody', {}, ...rows.map((f) => h('tr', { 'data-firing': f.id, 'data-status': f.status },
      h('td', {}, `${f.workshop} / ${f.kiln}`),
      h('td', {}, h('a', { href: `/firings/${enc(f.workshop)}/${enc(f.kiln)}/${enc(f.id)}`, 'data-link': true }, f.id)),
      h('td', { class: 'firing-schedule' }, f.schedule_name ?? '—'),
      h('td', {}, fmtDate(f.start_ms)), h('td', {}, fmtH(f.duration_h)), h('td', { class: 'num' }, fmtC(f.peak_c)), h('td', {}, f.cone ? coneLabel(f.cone) : '—'),
      h('td', { class: 'firing-status' }, firingStatusName(f.status)))));
    list.replaceChildren(h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ...[t('kiln'), 'ID', t('schedule'), t('start'), t('duration'), t('peak'), t('cone'), t('status')].map((c) => h('th', {}, c)))), tbody)));
  }

  /** Both pickers list the shown firings by kiln and date; the choice survives a reload when still listed. */
  function fillPickers(): void {
    const manyWs = new Set(rows.map((f) => f.workshop)).size > 1;
    for (const sel of [pickA, pickB]) {
      const was = sel.value;
      sel.replaceChildren(h('option', { value: '' }, t('overlay_pick')), ...rows.map((f) => h('option', { value: rowKey(f) }, rowLabel(f, manyWs))));
      if (rows.some((f) => rowKey(f) === was)) sel.value = was;
    }
    onPick();
  }
  function onPick(): void {
    compareBtn.disabled = !pickA.value || !pickB.value || pickA.value === pickB.value;
    compareMsg.textContent = pickA.value && pickA.value === pickB.value ? t('overlay_need_two') : '';
  }
  pickA.addEventListener('change', onPick);
  pickB.addEventListener('change', onPick);

  compareBtn.addEventListener('click', () => void (async () => {
    const chosen = [pickA, pickB].map((sel) => ({ key: sel.value, label: sel.selectedOptions[0]?.textContent ?? sel.value }));
    compareBox.hidden = false;
    compareBox.before(loadingEl(t('loading')));
    compareBox.parentElement?.querySelector('.state.error')?.remove();
    try {
      const curves = await Promise.all(chosen.map(({ key }) => { const [ws = '', k = '', f = ''] = key.split('/'); return api<FiringCurve>(`${firingPath(ws, k, f)}/curve?points=1500`); }));
      if (!closed) overlay.draw(curves.map((curve, i) => ({ label: chosen[i]!.label, curve })));
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
  return () => { closed = true; overlay.destroy(); };
}
