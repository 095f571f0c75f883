// The one-page savings report of a firing (A4 portrait, the interface language): header, the
// avoided energy, cost and CO₂ with their ranges, energy per kg of first-grade ware against the
// coal baseline, the baseline's inputs with source and confidence, the method, and an appendix.
import { api, firingPath } from '../api.ts';
import type { Chart } from '../charts.ts';
import { h } from '../dom.ts';
import { loadInto } from '../load.ts';
import { coneLabel, fmtC, fmtCo2, fmtDate, fmtH, fmtKg, fmtMj, fmtPct, fmtVnd, num, t, type Key } from '../i18n.ts';
import type { FiringReport } from '../types.ts';
import { appendix, barChart, fitSheet, fmtDay, headline, inputsTable, leavePrintPage, methodSection, printPage, sheetHeader, type InputRow, type SavingsLine } from './print.ts';

type Comparison = NonNullable<FiringReport['baseline_comparison']>;
type Line = Comparison['energy_mj'];
const okLine = (l: Line | undefined): (SavingsLine & { baseline_per_kg_good: number }) | null => (l?.ok ? l : null);
const reasonOf = (l: Line | undefined): string | null => (l && !l.ok ? l.reason : null);

export function renderPrintFiring(root: HTMLElement, [ws = '', kiln = '', id = '']: string[]): () => void {
  const sheet = h('article', { class: 'sheet', id: 'print-sheet' });
  printPage(root, `/firings/${encodeURIComponent(ws)}/${encodeURIComponent(kiln)}/${encodeURIComponent(id)}`, sheet);
  let chart: Chart | null = null;
  let closed = false;
  const load = async (): Promise<void> => {
    const r = await loadInto(sheet, () => api<FiringReport>(firingPath(ws, kiln, id)), () => void load());
    if (!r || closed) return;
    const canvas = h('canvas', { id: 'print-chart' });
    sheet.replaceChildren(...firingSheet(r, canvas));
    fitSheet(sheet);
    const c = r.baseline_comparison;
    const e = okLine(c?.energy_mj);
    if (e && c?.good_kg) {
      chart = barChart(canvas, [t('p_coal_baseline'), t('p_this_firing')], [{ label: t('p_axis_mj_per_kg_good'), data: [e.baseline_per_kg_good, e.actual / c.good_kg] }], t('p_axis_mj_per_kg_good'));
    } else canvas.closest('.sheet-chart-box')?.remove(); // nothing to compare: no chart
    sheet.dataset.ready = 'true';
  };
  void load();
  return () => { closed = true; chart?.destroy(); leavePrintPage(); };
}

function firingSheet(r: FiringReport, canvas: HTMLCanvasElement): HTMLElement[] {
  const c = r.baseline_comparison;
  const why = c ? null : r.baseline_comparison_reason ?? t('baseline_none');
  return [
    sheetHeader(t('p_title_firing'), [[t('workshop'), r.workshop], [t('kiln'), r.kiln], [t('p_firing'), r.firing_id], [t('p_dates'), `${fmtDate(r.start_ms)} – ${fmtDate(r.end_ms)}`]]),
    ...(why ? [h('p', { class: 'sheet-note' }, t('p_no_baseline', { reason: why }))] : []),
    h('section', { class: 'headline' },
      headline('energy_mj', t('avoided_energy'), okLine(c?.energy_mj), fmtMj, reasonOf(c?.energy_mj)),
      headline('cost_vnd', t('avoided_cost'), okLine(c?.cost_vnd), fmtVnd, reasonOf(c?.cost_vnd)),
      headline('co2_kg', t('avoided_co2'), okLine(c?.co2_kg), fmtCo2, reasonOf(c?.co2_kg))),
    h('section', { class: 'sheet-chart-box' }, h('h2', {}, t('p_chart_firing')), h('div', { class: 'sheet-chart' }, canvas)),
    ...(c ? [h('section', { class: 'baseline-inputs' }, h('h2', {}, t('p_inputs')), inputsTable(baselineInputs(c)))] : []),
    methodSection(),
    appendix(details(r)),
  ];
}

/** The baseline's figures used (each once), its duration, its non-routine adjustments; not this firing's own. */
function baselineInputs(c: Comparison): InputRow[] {
  const used = [c.energy_mj, c.cost_vnd, c.co2_kg].flatMap((l) => (l.ok ? l.inputs : [])).filter((i) => !i.name.startsWith('firing '));
  const all = c.baseline_duration_h ? [...used, c.baseline_duration_h] : used; // the duration is optional
  return [...new Map(all.map((i) => [i.name, i])).values()];
}

/** The appendix: the firing's figures with labels and units. */
function details(r: FiringReport): [string, string][] {
  const k = r.kpis;
  const c = r.baseline_comparison;
  const pieces = (f: (p: { first: number; second: number; reject: number }) => number) => (r.grading?.products ?? []).reduce((s, p) => s + f(p), 0);
  const out: [string, string][] = [
    [t('duration'), fmtH(r.duration_h)], [t('peak'), fmtC(r.peak_c)], [t('cone'), r.heating.cone ? coneLabel(r.heating.cone.label) : '—'],
    [t('gas_on_at'), fmtDate(r.gas_on_ms)], [t('gas_off_at'), fmtDate(r.gas_off_ms)],
    [t('a_fuel'), r.fuel.fuel_kg === null ? '—' : `${num(r.fuel.fuel_kg, 1)} ${t('u_kg_lpg')}`],
    ...r.fuel.by_meter.map((m): [string, string] => [t(`a_meter_${m.kind}` as Key), t('a_meter_line', { kg: fmtKg(m.fuel_kg), pct: fmtPct(m.coverage_pct) })]),
    [t('a_energy'), fmtMj(r.energy_mj)], [t('a_cost'), fmtVnd(r.cost?.cost_vnd)], [t('a_co2'), fmtCo2(r.co2_kg)],
    [t('a_lpg_ncv'), `${num(r.fuel_spec.ncv_mj_kg, 1)} MJ/kg`],
    ...(r.cost?.parts ?? []).map((p): [string, string] => [t('a_price', { from: fmtDay(p.price.valid_from) }), `${fmtVnd(p.price.vnd_per_kg)}/kg (${p.price.source})`]),
  ];
  if (r.load) out.push([t('a_load'), fmtKg(r.load.ware_kg)], [t('a_furniture'), fmtKg(r.load.furniture_kg)], [t('a_pieces'), `${num(r.load.products.reduce((s, p) => s + p.pieces, 0))} ${t('u_pieces')}`]);
  if (r.grading) out.push([t('a_graded'), `${num(pieces((p) => p.first))} / ${num(pieces((p) => p.second))} / ${num(pieces((p) => p.reject))} ${t('u_pieces')}`]);
  if (k.good_kg.ok) out.push([t('a_good_kg'), fmtKg(k.good_kg.value)]);
  if (k.yield_pct.ok) out.push([t('yield'), fmtPct(k.yield_pct.value)]);
  if (k.sec_mj_per_kg_good.ok) out.push([t('a_sec_good'), `${num(k.sec_mj_per_kg_good.value, 1)} MJ/kg`]);
  if (c?.energy_mj.ok) out.push([t('a_baseline_sec_good'), `${num(c.energy_mj.baseline_per_kg_good, 1)} MJ/kg`]);
  out.push([t('a_temp_cov'), fmtPct(r.quality.temp_coverage_pct)], [t('a_gas_cov'), fmtPct(r.quality.gas_coverage_pct)]);
  if (r.quality.resolution === '1m') out.push([t('a_resolution'), t('report_from_aggregates')]);
  return out;
}
