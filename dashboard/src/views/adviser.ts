// 4. Adviser view (against the roll-up API's contract): energy per kg of first-grade
// ware firing by firing against the coal baseline, monthly avoided energy, cost and CO2, a table
// per workshop and kiln, CSV export (GET /api/rollup.csv with the same query).
import { api, ApiError, enc } from '../api.ts';
import { Chart, colour, lineChart, series, type Pt } from '../charts.ts';
import { emptyEl, h } from '../dom.ts';
import { loadInto } from '../load.ts';
import { chartLocale, fmtCo2, fmtDate, fmtKg, fmtMj, fmtPct, fmtVnd, num, t } from '../i18n.ts';
import { isoDay, knownKilns } from '../known.ts';
import type { CoalBaseline, FiringFigures, RollupRow } from '../types.ts';

interface RollupAnswer { level: string; period: string; from: string; to: string; rows: RollupRow[]; skipped: { firing_id: string; reason: string }[] }

/** Baseline MJ per kg of first-grade coal-fired ware: coal kg × NCV ÷ (ware kg × yield). */
const baselineSecGood = (b: CoalBaseline) => (b.coal_kg_per_firing.value * b.coal_ncv_mj_per_kg.value) / (b.ware_kg_per_firing.value * (b.yield_pct.value / 100));

export const COLS = ['workshop', 'kiln', 'month', 'firings', 'lpg_kg', 'energy_mj', 'good_kg', 'sec_good', 'yield_pct', 'cost_vnd', 'co2_kg', 'avoided_energy_mj', 'avoided_cost_vnd', 'avoided_co2_kg', 'confidence'];

export function renderAdviser(root: HTMLElement): () => void {
  const level = h('select', { id: 'a-level' }, ...(['workshop', 'kiln', 'village'] as const).map((l) => h('option', { value: l }, t(`level_${l}`))));
  const from = h('input', { type: 'date', id: 'a-from', value: isoDay(90) });
  const to = h('input', { type: 'date', id: 'a-to', value: isoDay(0) });
  const ws = h('select', { id: 'a-workshop' }, h('option', { value: '' }, t('all')));
  const out = h('div', { id: 'adviser-out' });
  const exportLink = h('a', { class: 'button', id: 'rollup-csv', download: true }, t('export_csv'));
  root.append(h('h1', {}, t('adviser')),
    h('form', { class: 'filters', onsubmit: (e: Event) => { e.preventDefault(); void load(); } },
      h('label', {}, t('level'), level), h('label', {}, t('workshop'), ws), h('label', {}, t('from'), from), h('label', {}, t('to'), to),
      h('button', { type: 'submit' }, t('show')), exportLink), out);
  const charts: Chart[] = [];
  let closed = false;

  const query = (lvl: string, period: string) => `level=${lvl}&period=${period}&from=${from.value}&to=${to.value}${ws.value ? `&workshop=${enc(ws.value)}` : ''}`;

  async function load(): Promise<void> {
    for (const c of charts.splice(0)) c.destroy();
    exportLink.setAttribute('href', `/api/rollup.csv?${query(level.value, 'month')}`);
    const got = await loadInto(out,
      () => Promise.all([api<RollupAnswer>(`/api/rollup?${query(level.value, 'month')}`), api<RollupAnswer>(`/api/rollup?${query('village', 'month')}`)]),
      () => void load(),
      (err) => (err instanceof ApiError && err.status === 404 ? emptyEl(h('p', {}, t('rollup_missing'))) : undefined));
    if (!got || closed) return;
    const [table, monthly] = got;
    if (table.rows.length === 0) { out.replaceChildren(emptyEl(h('p', {}, t('rollup_empty')))); return; }
    const secCanvas = h('canvas', { id: 'chart-sec' });
    const monthCanvas = h('canvas', { id: 'chart-monthly' });
    out.replaceChildren(
      h('div', { class: 'table-wrap' }, rollupTable(table.rows)),
      table.skipped.length ? h('details', {}, h('summary', {}, `${t('skipped')}: ${table.skipped.length}`), h('ul', {}, ...table.skipped.map((s) => h('li', {}, `${s.firing_id}: ${s.reason}`)))) : '',
      h('h2', {}, t('chart_monthly')), h('div', { class: 'chart short' }, monthCanvas),
      h('h2', {}, t('chart_sec')), h('div', { class: 'chart' }, secCanvas),
    );
    charts.push(new Chart(monthCanvas, {
      type: 'bar',
      data: {
        labels: monthly.rows.map((r) => r.month ?? ''),
        datasets: [
          { label: `${t('avoided_energy')} (GJ)`, data: monthly.rows.map((r) => (r.savings?.energy_mj.avoided ?? 0) / 1000), backgroundColor: colour(0), yAxisID: 'y' },
          { label: `${t('avoided_co2')} (t)`, data: monthly.rows.map((r) => (r.savings?.co2_kg.avoided ?? 0) / 1000), backgroundColor: colour(2), yAxisID: 'y' },
          { label: `${t('avoided_cost')} (10⁶ ₫)`, data: monthly.rows.map((r) => (r.savings?.cost_vnd.avoided ?? 0) / 1e6), backgroundColor: colour(1), yAxisID: 'y' },
        ],
      },
      options: { locale: chartLocale(), animation: false, responsive: true, maintainAspectRatio: false },
    }));
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
    const ds = per.flatMap(({ w, firings, baseline }, i) => {
      const pts: Pt[] = firings.filter((f) => f.energy_mj !== null && f.good_kg !== null && f.good_kg > 0).map((f) => ({ x: day(f.started_at_ms), y: f.energy_mj! / f.good_kg! }));
      const out = [series(`${w}: MJ/kg`, pts, i, { showLine: false, pointRadius: 4 })];
      if (baseline) {
        const y = baselineSecGood(baseline);
        out.push(series(`${w}: ${t('baseline')} (${baseline.coal_kg_per_firing.source}, ${baseline.coal_kg_per_firing.confidence})`, [{ x: 0, y }, { x: day(Date.now()), y }], i, { borderDash: [6, 4] }));
      }
      return out;
    });
    canvas.setAttribute('data-series', String(ds.filter((d) => d.data.length > 0).length));
    charts.push(lineChart(canvas, ds, { xTitle: t('days_from', { date: fmtDate(t0) }), yTitle: 'MJ/kg' }) as unknown as Chart);
  }

  function rollupTable(rows: RollupRow[]): HTMLElement {
    const cols = [t('workshop'), t('kiln'), t('month'), t('firings'), t('lpg_kg'), t('energy'), t('good_kg'), t('sec_good'), t('yield'), t('cost_so_far'), t('co2'), t('avoided_energy'), t('avoided_cost'), t('avoided_co2'), t('confidence')];
    return h('table', { id: 'rollup-table' }, h('thead', {}, h('tr', {}, ...cols.map((c) => h('th', {}, c)))),
      h('tbody', {}, ...rows.map((r) => h('tr', {},
        ...[r.workshop ?? t('level_village'), r.kiln ?? '', r.month ?? '', num(r.firings), fmtKg(r.lpg_kg), fmtMj(r.energy_mj), fmtKg(r.good_kg),
          r.sec_mj_per_kg_good ? num(r.sec_mj_per_kg_good.median, 1) : '—', fmtPct(r.yield_pct), fmtVnd(r.cost_vnd), fmtCo2(r.co2_kg),
          r.savings?.energy_mj.firings ? fmtMj(r.savings.energy_mj.avoided) : '—', r.savings?.cost_vnd.firings ? fmtVnd(r.savings.cost_vnd.avoided) : '—',
          r.savings?.co2_kg.firings ? fmtCo2(r.savings.co2_kg.avoided) : '—', r.savings?.energy_mj.confidence ?? '—'].map((c, i) => h('td', { 'data-col': COLS[i] }, c))))));
  }

  void (async () => {
    const k = await knownKilns();
    for (const w of new Set(k.map((x) => x.workshop))) ws.append(h('option', { value: w }, w));
    if (!closed) await load();
  })();
  return () => { closed = true; for (const c of charts) c.destroy(); };
}
