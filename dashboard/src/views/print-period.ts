// The one-page savings report of a period (A4 portrait, the interface language): a workshop's
// month or year, or the whole village (the workshops the user sees), from the roll-up API
// (period=all for the totals, period=month for the chart and the appendix's monthly table).
// Query: ?workshop=…&from=YYYY-MM-DD&to=YYYY-MM-DD (no workshop: the village).
import { api, enc } from '../api.ts';
import type { Chart } from '../charts.ts';
import { h } from '../dom.ts';
import { loadInto } from '../load.ts';
import { fmtCo2, fmtKg, fmtMj, fmtPct, fmtVnd, num, t } from '../i18n.ts';
import type { RollupResponse, RollupRow } from '../types.ts';
import { appendix, barChart, fitSheet, fmtDay, fmtMonth, headline, inputsTable, leavePrintPage, methodSection, pctWithRange, printPage, sheetHeader, type InputRow, type SavingsLine } from './print.ts';

type Savings = NonNullable<RollupRow['savings']>;
type Total = Savings['energy_mj'];
const FIGURES = ['coal_kg_per_firing', 'ware_kg_per_firing', 'yield_pct', 'duration_h', 'coal_ncv_mj_per_kg', 'co2_kg_per_kg_coal', 'coal_price_vnd_per_kg'] as const;
/** Baselines listed on the page; more would push it past one sheet (the roll-up lists them all). */
const MAX_BASELINES = 2;

/** The print link for the adviser view's choice (no workshop: the village). */
export const periodPrintPath = (workshop: string, from: string, to: string): string =>
  `/print/period?${workshop ? `workshop=${enc(workshop)}&` : ''}from=${from}&to=${to}`;

export function renderPrintPeriod(root: HTMLElement, _params: string[], query: URLSearchParams): () => void {
  const ws = query.get('workshop') ?? '';
  const from = query.get('from') ?? '';
  const to = query.get('to') ?? '';
  const q = (period: string) => `/api/rollup?level=${ws ? 'workshop' : 'village'}&period=${period}${ws ? `&workshop=${enc(ws)}` : ''}${from ? `&from=${from}` : ''}${to ? `&to=${to}` : ''}`;
  const sheet = h('article', { class: 'sheet', id: 'print-sheet' });
  printPage(root, '/adviser', sheet);
  let chart: Chart | null = null;
  let closed = false;
  const load = async (): Promise<void> => {
    const got = await loadInto(sheet, () => Promise.all([api<RollupResponse>(q('all')), api<RollupResponse>(q('month'))]), () => void load());
    if (!got || closed) return;
    const [total, monthly] = got;
    const canvas = h('canvas', { id: 'print-chart' });
    sheet.replaceChildren(...periodSheet(total, monthly, ws, canvas));
    fitSheet(sheet);
    const months = monthly.rows.filter((r) => r.savings && r.savings.energy_mj.firings > 0);
    if (months.length > 0) {
      chart = barChart(canvas, months.map((r) => fmtMonth(r.month ?? '')), [
        { label: t('p_coal_baseline'), data: months.map((r) => r.savings!.energy_mj.baseline / 1000) },
        { label: t('p_gas_kiln'), data: months.map((r) => r.savings!.energy_mj.actual / 1000) },
      ], t('p_axis_energy_gj'), t('month'));
    } else canvas.closest('.sheet-chart-box')?.remove();
    sheet.dataset.ready = 'true';
  };
  void load();
  return () => { closed = true; chart?.destroy(); leavePrintPage(); };
}

/** The roll-up's bounds (an instant, `to` exclusive, or a day) as the local day they cover. */
function localDay(at: string, end: boolean): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(at)) return at;
  const ms = Date.parse(at);
  return Number.isFinite(ms) ? new Date(ms - (end ? 1 : 0) + 7 * 3_600_000).toISOString().slice(0, 10) : at;
}

function periodSheet(total: RollupResponse, monthly: RollupResponse, ws: string, canvas: HTMLCanvasElement): HTMLElement[] {
  const row = total.rows[0];
  const s = row?.savings ?? null;
  const line = (x: Total | undefined): SavingsLine | null => (x && x.firings > 0 ? x : null);
  const why = (x: Total | undefined) => (x ? Object.entries(x.excluded).map(([r, n]) => `${r} (${n})`).join('; ') || null : t('baseline_none'));
  return [
    sheetHeader(t('p_title_period'), [
      [t('workshop'), ws || t('p_village_all')], [t('kiln'), t('p_all_kilns')], [t('p_period'), `${fmtDay(localDay(total.from, false))} – ${fmtDay(localDay(total.to, true))}`],
      [t('firings'), t('p_firings_n', { n: num(row?.firings ?? 0), m: num(s?.energy_mj.firings ?? 0) })],
    ]),
    h('section', { class: 'headline' },
      headline('energy_mj', t('avoided_energy'), line(s?.energy_mj), fmtMj, why(s?.energy_mj)),
      headline('cost_vnd', t('avoided_cost'), line(s?.cost_vnd), fmtVnd, why(s?.cost_vnd)),
      headline('co2_kg', t('avoided_co2'), line(s?.co2_kg), fmtCo2, why(s?.co2_kg))),
    h('section', { class: 'sheet-chart-box' }, h('h2', {}, t('p_chart_period')), h('div', { class: 'sheet-chart' }, canvas)),
    ...(total.baselines.length ? [baselinesSection(total.baselines)] : []),
    methodSection(),
    appendix(row ? periodDetails(row) : [], monthTable(monthly.rows, row)),
  ];
}

function baselinesSection(list: RollupResponse['baselines']): HTMLElement {
  const shown = list.slice(0, MAX_BASELINES);
  return h('section', { class: 'baseline-inputs' }, h('h2', {}, t('p_inputs')),
    ...shown.flatMap((b) => {
      const r = b.record;
      const rows: InputRow[] = FIGURES.flatMap((f) => (r[f] ? [{ name: f, ...r[f] }] : []));
      for (const a of r.adjustments) if (a.effect.kind === 'baseline_factor') rows.push({ name: `non-routine: ${a.description}`, value: a.effect.value, source: a.effect.source, confidence: a.effect.confidence });
      return [h('p', { class: 'inputs-of' }, t('p_inputs_of', { who: `${r.workshop}${r.kiln ? ` / ${r.kiln}` : ''}`, from: fmtDay(r.period.from), to: fmtDay(r.period.to) })), inputsTable(rows)];
    }),
    list.length > MAX_BASELINES ? h('p', { class: 'muted' }, t('p_more_baselines', { n: list.length - MAX_BASELINES })) : null);
}

function periodDetails(r: RollupRow): [string, string][] {
  const out: [string, string][] = [
    [t('a_fuel'), `${num(r.lpg_kg, 1)} ${t('u_kg_lpg')}`], [t('energy'), fmtMj(r.energy_mj)], [t('a_gas_cost'), fmtVnd(r.cost_vnd)], [t('co2'), fmtCo2(r.co2_kg)],
    [t('a_load'), fmtKg(r.ware_kg)], [t('a_good_kg'), fmtKg(r.good_kg)], [t('yield'), fmtPct(r.yield_pct)],
  ];
  if (r.sec_mj_per_kg_good) out.push([t('sec_good'), `${num(r.sec_mj_per_kg_good.median, 1)} MJ/kg`]);
  const ex = r.savings ? Object.entries(r.savings.energy_mj.excluded) : [];
  if (ex.length) out.push([t('skipped'), ex.map(([why, n]) => `${why} (${n})`).join('; ')]);
  return out;
}

/** Month by month, then the whole period: firings, LPG, energy, what was avoided. */
function monthTable(rows: readonly RollupRow[], total: RollupRow | undefined): HTMLElement {
  const cells = (label: string, r: RollupRow) => {
    const s = r.savings;
    const e = s && s.energy_mj.firings > 0 ? s.energy_mj : null;
    const pct = e ? pctWithRange(e) : '';
    return [label, num(r.firings), num(r.lpg_kg, 1), num(r.energy_mj / 1000, 2),
      e ? `${num(e.avoided / 1000, 2)}${pct ? ` · ${pct}` : ''}` : '—',
      s && s.cost_vnd.firings > 0 ? num(Math.round(s.cost_vnd.avoided)) : '—', s && s.co2_kg.firings > 0 ? num(s.co2_kg.avoided, 1) : '—'];
  };
  const head = [t('month'), t('firings'), t('a_lpg_kg'), t('a_energy_gj'), t('a_avoided_gj'), t('a_avoided_vnd'), t('a_avoided_co2_kg')];
  return h('table', { class: 'months' }, h('thead', {}, h('tr', {}, ...head.map((c, i) => h('th', { class: i ? 'num' : '' }, c)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...cells(fmtMonth(r.month ?? ''), r).map((c, i) => h('td', { class: i ? 'num' : '' }, c))))),
    total ? h('tfoot', {}, h('tr', {}, ...cells(t('a_total'), total).map((c, i) => h('td', { class: i ? 'num' : '' }, c)))) : null);
}
