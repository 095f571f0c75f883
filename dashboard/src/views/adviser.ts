// 4. Adviser view (against the roll-up API's contract): energy per kg of first-grade
// ware firing by firing against the coal baseline, monthly avoided energy, cost and CO2 (one
// chart each: one quantity per axis, titled with its unit), a table per workshop and kiln with
// each avoided figure's range and percentage, CSV export (GET /api/rollup.csv with the same query).
import { api, ApiError, enc } from '../api.ts';
import { Chart, colour, lineChart, series, type Pt } from '../charts.ts';
import { emptyEl, h } from '../dom.ts';
import { loadInto } from '../load.ts';
import { chartLocale, fmtCo2, fmtKg, fmtMj, fmtPct, fmtVnd, num, t } from '../i18n.ts';
import { isoDay, knownKilns } from '../known.ts';
import type { CoalBaseline, FiringFigures, RollupRow } from '../types.ts';
import { periodPrintPath } from './print-period.ts';
import { fmtAvoided, fmtAvoidedPct, fmtDay, fmtMonth, type LineKey } from '../savings-format.ts';

interface RollupAnswer { level: string; period: string; from: string; to: string; rows: RollupRow[]; skipped: { firing_id: string; reason: string }[] }

/** Baseline MJ per kg of first-grade coal-fired ware: coal kg × NCV ÷ (ware kg × yield). */
const baselineSecGood = (b: CoalBaseline) => (b.coal_kg_per_firing.value * b.coal_ncv_mj_per_kg.value) / (b.ware_kg_per_firing.value * (b.yield_pct.value / 100));

export const COLS = ['workshop', 'kiln', 'month', 'firings', 'lpg_kg', 'energy_mj', 'good_kg', 'sec_good', 'yield_pct', 'cost_vnd', 'co2_kg',
  'avoided_energy_mj', 'avoided_energy_pct', 'avoided_cost_vnd', 'avoided_cost_pct', 'avoided_co2_kg', 'avoided_co2_pct', 'confidence'];

/** One bar chart per quantity: its own axis, titled with its unit in the interface language. */
function monthlyChart(canvas: HTMLCanvasElement, rows: readonly RollupRow[], key: LineKey, scale: number, label: string, i: number): Chart {
  return new Chart(canvas, {
    type: 'bar',
    data: { labels: rows.map((r) => fmtMonth(r.month)), datasets: [{ label, data: rows.map((r) => (r.savings?.[key].avoided ?? 0) / scale), backgroundColor: colour(i) }] },
    options: {
      locale: chartLocale(), animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { display: false } },
      scales: { x: { title: { display: true, text: t('axis_month') } }, y: { title: { display: true, text: label } } },
    },
  });
}

export function renderAdviser(root: HTMLElement): () => void {
  const level = h('select', { id: 'a-level' }, ...(['workshop', 'kiln', 'village'] as const).map((l) => h('option', { value: l }, t(`level_${l}`))));
  const from = h('input', { type: 'date', id: 'a-from', value: isoDay(90) });
  const to = h('input', { type: 'date', id: 'a-to', value: isoDay(0) });
  const ws = h('select', { id: 'a-workshop' }, h('option', { value: '' }, t('all')));
  const out = h('div', { id: 'adviser-out' });
  const exportLink = h('a', { class: 'button', id: 'rollup-csv', download: true }, t('export_csv'));
  const printLink = h('a', { class: 'button', id: 'rollup-print', 'data-link': true }, t('print_sheet'));
  root.append(h('h1', {}, t('adviser')),
    h('form', { class: 'filters', onsubmit: (e: Event) => { e.preventDefault(); void load(); } },
      h('label', {}, t('level'), level), h('label', {}, t('workshop'), ws), h('label', {}, t('from'), from), h('label', {}, t('to'), to),
      h('button', { type: 'submit' }, t('show')), exportLink, printLink), out);
  const charts: Chart[] = [];
  let closed = false;

  const query = (lvl: string, period: string) => `level=${lvl}&period=${period}&from=${from.value}&to=${to.value}${ws.value ? `&workshop=${enc(ws.value)}` : ''}`;

  async function load(): Promise<void> {
    for (const c of charts.splice(0)) c.destroy();
    exportLink.setAttribute('href', `/api/rollup.csv?${query(level.value, 'month')}`);
    printLink.setAttribute('href', periodPrintPath(level.value === 'village' ? '' : ws.value, from.value, to.value));
    const got = await loadInto(out,
      () => Promise.all([api<RollupAnswer>(`/api/rollup?${query(level.value, 'month')}`), api<RollupAnswer>(`/api/rollup?${query('village', 'month')}`)]),
      () => void load(),
      (err) => (err instanceof ApiError && err.status === 404 ? emptyEl(h('p', {}, t('rollup_missing'))) : undefined));
    if (!got || closed) return;
    const [table, monthly] = got;
    if (table.rows.length === 0) { out.replaceChildren(emptyEl(h('p', {}, t('rollup_empty')))); return; }
    const secCanvas = h('canvas', { id: 'chart-sec' });
    const monthly_charts = [
      { id: 'chart-monthly', key: 'energy_mj', scale: 1000, label: t('axis_avoided_gj') },
      { id: 'chart-monthly-co2', key: 'co2_kg', scale: 1000, label: t('axis_avoided_co2_t') },
      { id: 'chart-monthly-cost', key: 'cost_vnd', scale: 1e6, label: t('axis_avoided_cost_m') },
    ] as const;
    const canvases = monthly_charts.map((c) => h('canvas', { id: c.id }));
    out.replaceChildren(
      h('div', { class: 'table-wrap' }, rollupTable(table.rows)),
      h('p', { class: 'muted', id: 'rollup-range-note' }, t('range_note')),
      table.skipped.length ? h('details', {}, h('summary', {}, `${t('skipped')}: ${table.skipped.length}`), h('ul', {}, ...table.skipped.map((s) => h('li', {}, `${s.firing_id}: ${s.reason}`)))) : '',
      h('h2', {}, t('chart_monthly')), h('div', { class: 'chart-grid' }, ...canvases.map((c) => h('div', { class: 'chart short' }, c))),
      h('h2', {}, t('chart_sec')), h('div', { class: 'chart' }, secCanvas),
    );
    monthly_charts.forEach((c, i) => charts.push(monthlyChart(canvases[i]!, monthly.rows, c.key, c.scale, c.label, [0, 2, 1][i]!)));
    await secChart(secCanvas, [...new Set(table.rows.map((r) => r.workshop).filter((w): w is string => w !== null))]);
  }

  async function secChart(canvas: HTMLCanvasElement, workshops: string[]): Promise<void> {
    if (workshops.length === 0) workshops = Array.from(ws.options).map((o) => o.value).filter(Boolean);
    const per = await Promise.all(workshops.map(async (w) => {
      const [f, b] = await Promise.all([
        api<{ firings: FiringFigures[] }>(`/api/workshops/${enc(w)}/firings-figures?from=${from.value}&to=${to.value}`),
        api<{ baselines: { baseline: CoalBaseline }[] }>(`/api/workshops/${enc(w)}/baselines`),
      ]);
      return { w, firings: f.firings, baseline: b.baselines[0]?.baseline ?? null };
    }));
    if (closed) return;
    const t0 = Date.parse(`${from.value}T00:00:00+07:00`);
    const day = (ms: number) => (ms - t0) / 86_400_000;
    const usable = per.map((p) => ({ ...p, firings: p.firings.filter((f) => f.energy_mj !== null && f.good_kg !== null && f.good_kg > 0) }));
    // The x axis spans the firings shown (a day of margin each side), not the whole query range:
    // a few recent firings in a 90-day range would sit squashed against one edge.
    const days = usable.flatMap((p) => p.firings.map((f) => day(f.started_at_ms)));
    const [x0, x1] = days.length ? [Math.min(...days) - 1, Math.max(...days) + 1] : [0, day(Date.now())];
    const ds = usable.flatMap(({ w, firings, baseline }, i) => {
      const pts: Pt[] = firings.map((f) => ({ x: day(f.started_at_ms), y: f.energy_mj! / f.good_kg! }));
      const out = [series(`${w}: MJ/kg`, pts, i, { showLine: false, pointRadius: 4 })];
      if (baseline) {
        const y = baselineSecGood(baseline);
        out.push(series(`${w}: ${t('baseline')} (${baseline.coal_kg_per_firing.source}, ${baseline.coal_kg_per_firing.confidence})`, [{ x: x0, y }, { x: x1, y }], i, { borderDash: [6, 4] }));
      }
      return out;
    });
    canvas.setAttribute('data-series', String(ds.filter((d) => d.data.length > 0).length));
    const chart = lineChart(canvas, ds, { xTitle: t('axis_days_since', { date: fmtDay(t0) }), yTitle: t('axis_mj_per_kg_good') });
    // From 0 MJ/kg: the firings are not pressed against the bottom by a baseline far above them.
    Object.assign(chart.options.scales!.x!, { min: x0, max: x1 });
    Object.assign(chart.options.scales!.y!, { min: 0 });
    chart.update();
    charts.push(chart as unknown as Chart);
  }

  function rollupTable(rows: RollupRow[]): HTMLElement {
    const cols = [t('workshop'), t('kiln'), t('month'), t('firings'), t('lpg_kg'), t('energy'), t('good_kg'), t('sec_good'), t('yield'), t('cost'), t('co2'),
      t('avoided_energy'), t('avoided_energy_pct'), t('avoided_cost'), t('avoided_cost_pct'), t('avoided_co2'), t('avoided_co2_pct'), t('confidence')];
    // Each avoided figure with its range, then as a % of the baseline with its range ("—" without firings for it).
    const avoided = (r: RollupRow, key: LineKey) => { const s = r.savings?.[key]; return s?.firings ? [fmtAvoided(s, key), fmtAvoidedPct(s)] : ['—', '—']; };
    return h('table', { id: 'rollup-table' }, h('thead', {}, h('tr', {}, ...cols.map((c) => h('th', {}, c)))),
      h('tbody', {}, ...rows.map((r) => h('tr', {},
        ...[r.workshop ?? t('level_village'), r.kiln ?? '', fmtMonth(r.month), num(r.firings), fmtKg(r.lpg_kg), fmtMj(r.energy_mj), fmtKg(r.good_kg),
          r.sec_mj_per_kg_good ? `${num(r.sec_mj_per_kg_good.median, 1)} MJ/kg` : '—', fmtPct(r.yield_pct), fmtVnd(r.cost_vnd), fmtCo2(r.co2_kg),
          ...avoided(r, 'energy_mj'), ...avoided(r, 'cost_vnd'), ...avoided(r, 'co2_kg'), r.savings?.energy_mj.confidence ?? '—'].map((c, i) => h('td', { 'data-col': COLS[i] }, c))))));
  }

  void (async () => {
    const k = await knownKilns();
    for (const w of new Set(k.map((x) => x.workshop))) ws.append(h('option', { value: w }, w));
    if (!closed) await load();
  })();
  return () => { closed = true; for (const c of charts) c.destroy(); };
}
