// 3b. A firing's report: every figure of its summary, the KPIs, the comparison with the coal
// baseline (each input with its source and confidence), the load and grading forms, the curve,
// a printable layout (print CSS) and CSV downloads (readings from the service; the report's
// figures built here from the same JSON).
import { api, enc, firingPath, putJson } from '../api.ts';
import { lineChart, series, toPts, type Chart, type Pt } from '../charts.ts';
import { errorEl, h, loadingEl } from '../dom.ts';
import { loadInto } from '../load.ts';
import { FormError, input, messageLine, numberField, numberOf, numValue, saveForm, savedByLine, textOf } from '../forms.ts';
import { coneLabel, firingStatusName, meterName, zoneName, type Key, fmtByName, fmtC, fmtDate, fmtH, fmtMj, fmtPct, fmtVnd, fmtCo2, num, stageName, t } from '../i18n.ts';
import type { Entered, Figure, FiringCurve, FiringReport, LoadRecord } from '../types.ts';
import { gradingForm, rejectCausesList } from './grading-form.ts';
import { serverText, valueText } from '../server-text.ts';
import { can } from '../session.ts';
import { fmtAvoided, fmtAvoidedPct, inputLabel, isFactor, type LineKey } from '../savings-format.ts';

/** Flatten the report to (name, value) rows: every scalar figure, arrays of objects summarised by count. */
export function flatten(o: unknown, prefix = ''): [string, string | number | boolean | null][] {
  if (o === null || typeof o !== 'object') return [[prefix, o as string | number | boolean | null]];
  if (Array.isArray(o)) {
    if (o.every((x) => typeof x !== 'object' || x === null)) return [[prefix, o.join(', ')]];
    return o.flatMap((x, i) => flatten(x, `${prefix}[${i}]`));
  }
  return Object.entries(o).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}

const SKIP = /by_hour|by_stage|^load|^grading|^kpis|^baseline_comparison|^own_median/;

interface Ids { readonly ws: string; readonly kiln: string; readonly id: string; readonly base: string }

export function renderReport(root: HTMLElement, [ws = '', kiln = '', id = '']: string[]): () => void {
  const body = h('div', {}, loadingEl(t('loading')));
  root.append(h('p', { class: 'no-print' }, h('a', { href: '/firings', 'data-link': true }, t('back'))), h('h1', {}, `${t('report')}: ${id}`), body);
  let chart: Chart<'line', Pt[]> | null = null;
  let closed = false;
  const ids: Ids = { ws, kiln, id, base: firingPath(ws, kiln, id) };

  async function load(): Promise<void> {
    const r = await loadInto(body, () => api<FiringReport>(ids.base), () => void load());
    if (!r || closed) return;
    body.replaceChildren(...view(r, ids, () => void load()));
    try {
      const c = await api<FiringCurve>(`${ids.base}/curve?points=1500`);
      if (closed) return;
      const canvas = body.querySelector<HTMLCanvasElement>('#chart-report')!;
      const ds = Object.entries(c.zones).map(([z, xs], i) => series(zoneName(z), toPts(xs), i));
      if (c.planned_c) ds.push(series(t('planned'), toPts(c.planned_c), 7, { borderDash: [6, 4], borderColor: '#64748b' }));
      chart = lineChart(canvas, ds, { xTitle: t('hours_since_start'), yTitle: '°C', bands: c.stages });
    } catch (err) {
      body.querySelector('#chart-report')?.parentElement?.after(errorEl(`${t('error')}: ${(err as Error).message}`));
    }
  }

  void load();
  return () => { closed = true; chart?.destroy(); };
}

/** The whole page below the title, top to bottom; `reload` reads the report again (after a save). */
function view(r: FiringReport, ids: Ids, reload: () => void): HTMLElement[] {
  const k = r.kpis;
  return [
    h('p', { class: 'actions no-print' }, h('button', { type: 'button', onclick: () => window.print() }, t('print')), ' ',
      h('a', { class: 'button', id: 'print-sheet-link', href: `/print/firing/${enc(ids.ws)}/${enc(ids.kiln)}/${enc(ids.id)}`, 'data-link': true }, t('print_sheet')), ' ',
      h('a', { class: 'button', href: `${ids.base}/readings.csv`, download: true, id: 'csv-readings' }, t('csv_readings')), ' ',
      h('button', { type: 'button', id: 'csv-report', onclick: () => downloadCsv(r, `${ids.ws}_${ids.kiln}_${ids.id}_report.csv`) }, t('csv_report'))),
    summary(r, ids), h('div', { class: 'chart' }, h('canvas', { id: 'chart-report' })),
    h('p', { class: 'muted' }, serverText(r.fuel.source_reason)),
    ...(r.quality.resolution === '1m' ? [h('p', { class: 'muted', id: 'report-resolution' }, t('report_from_aggregates'))] : []),
    h('h2', {}, t('kpis')), kpiList(k), h('ul', { class: 'muted' }, ...k.assumptions.map((a) => h('li', {}, serverText(a)))),
    ...(r.own_median ? [ownMedian(r.own_median.good)] : []),
    baselineSection(r),
    ...(rejectCausesList(r) ? [rejectCausesList(r)!] : []), ...(can('enter_records') ? [h('div', { class: 'forms no-print' }, loadForm(r, ids.base, reload), gradingForm(r, ids.base, reload))] : []),
    h('h2', {}, t('by_meter')), meters(r), ...stageFuel(r),
    h('h2', {}, t('all_figures')), h('div', { class: 'table-wrap' }, figuresTable(r)),
  ];
}

function summary(r: FiringReport, ids: Ids): HTMLElement {
  return h('dl', { class: 'stats', id: 'report-summary' },
    ...([[t('kiln'), `${ids.ws} / ${ids.kiln}`], [t('status'), h('span', { id: 'report-status', 'data-status': r.status }, firingStatusName(r.status))],
      [t('start'), fmtDate(r.start_ms)], [t('gas_on_at'), fmtDate(r.gas_on_ms)], [t('gas_off_at'), fmtDate(r.gas_off_ms)],
      [t('end'), r.open ? t('status_open') : fmtDate(r.end_ms)], [t('duration'), fmtH(r.duration_h)],
      [t('peak'), fmtC(r.peak_c)], [t('cone'), r.heating.cone ? coneLabel(r.heating.cone.label) : '—'],
      [t('cone_soak_est'), r.heating.cone_with_soak_estimate ? h('span', { title: t('cone_soak_est_title') }, `≈ ${coneLabel(r.heating.cone_with_soak_estimate.label)}`) : '—'], [t('schedule'), r.schedule_name ?? '—'],
      // "so far" only while the firing is open: a finished firing's fuel and cost are final.
      [r.open ? t('fuel_so_far') : t('fuel_used'), fmtByName('fuel_kg', r.fuel.fuel_kg ?? NaN)], [t('energy'), fmtMj(r.energy_mj)],
      [r.open ? t('cost_so_far') : t('cost'), fmtVnd(r.cost?.cost_vnd)], [t('co2'), fmtCo2(r.co2_kg)]] as const)
      .map(([l, v]) => h('div', {}, h('dt', {}, l), h('dd', {}, v))));
}

function kpiList(k: FiringReport['kpis']): HTMLElement {
  const kpi = (label: string, f: Figure, fmt: (v: number) => string) =>
    h('div', { class: 'kpi' }, h('dt', {}, label), h('dd', {}, f.ok ? fmt(f.value) : h('span', { class: 'muted', title: f.reason }, `${t('not_available')} (${serverText(f.reason)})`)));
  return h('dl', { class: 'stats', id: 'report-kpis' },
    kpi(t('yield'), k.yield_pct, fmtPct), kpi('MJ/kg', k.sec_mj_per_kg_set, (v) => `${fmtByName('x', v)} MJ/kg`), kpi(t('sec_good'), k.sec_mj_per_kg_good, (v) => `${fmtByName('x', v)} MJ/kg`),
    kpi('₫/kg', k.vnd_per_kg_good, fmtVnd), kpi('kg CO₂/kg', k.co2_kg_per_kg_good, (v) => fmtByName('x', v)), kpi(t('good_kg'), k.good_kg, (v) => fmtByName('good_kg', v)));
}

/** Every figure not shown in a section of its own. */
function figuresTable(r: FiringReport): HTMLElement {
  const rows = flatten(r).filter(([n]) => !SKIP.test(n));
  return h('table', { id: 'report-figures' }, h('thead', {}, h('tr', {}, h('th', {}, t('figure')), h('th', {}, t('value')))),
    h('tbody', {}, ...rows.map(([n, v]) => h('tr', {}, h('td', {}, h('code', {}, n)), h('td', { class: 'num' }, figureValue(n, v))))));
}

/** A figure's value: numbers by the unit in their name, a source quoted as cited, other strings in the interface language. */
function figureValue(n: string, v: string | number | boolean | null): string | HTMLElement {
  if (typeof v === 'number') return fmtByName(n.replace(/\[\d+\]/g, ''), v);
  if (v === null) return '—';
  if (typeof v === 'boolean') return t(v ? 'yes' : 'no');
  if (/channels$/.test(n)) return h('code', {}, v); // the logger's own channel names
  return /source$/.test(n) && !/fuel\.source$/.test(n) ? h('cite', {}, v) : valueText(v);
}

/** Every figure of the report as CSV, built here from the JSON (the service has no such file). */
function downloadCsv(r: FiringReport, filename: string): void {
  const lines = [['figure', 'value'], ...flatten(r).map(([n, v]) => [n, v === null ? '' : String(v)])]
    .map((l) => l.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','));
  // A byte-order mark, as the service's CSVs: a spreadsheet then reads the Vietnamese as UTF-8.
  const a = h('a', { href: URL.createObjectURL(new Blob(['\uFEFF' + lines.join('\r\n') + '\r\n'], { type: 'text/csv;charset=utf-8' })), download: filename });
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** Each kiln against itself (src/domain/savings/median.ts): flagged past 1.25 × its median. */
function ownMedian(o: NonNullable<FiringReport['own_median']>['good']): HTMLElement {
  const vars = { ratio: fmtByName('x', o.ratio_to_median ?? NaN), median: fmtByName('x', o.median_mj_per_kg ?? NaN), n: String(o.prior_n) };
  const key = o.status === 'markedly_worse' ? 'own_median_worse' : o.status === 'usual' ? 'own_median_usual' : o.status === 'too_few_prior' ? 'own_median_few' : 'own_median_na';
  return h('p', { id: 'own-median', class: o.status === 'markedly_worse' ? 'warn' : 'muted' }, t(key, vars));
}

function meters(r: FiringReport): HTMLElement {
  return h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, ...[t('meter'), 'kg', t('coverage'), t('gap_kg'), t('notes')].map((c) => h('th', {}, c)))),
    h('tbody', {}, ...r.fuel.by_meter.map((m) => h('tr', {}, h('td', {}, meterName(m.kind), m.kind === r.fuel.source ? h('span', { title: t('meter_used') }, ' ✓') : null), h('td', { class: 'num' }, fmtByName('fuel_kg', m.fuel_kg)),
      h('td', { class: 'num' }, fmtPct(m.coverage_pct)), h('td', { class: 'num' }, fmtByName('gap_estimate_kg', m.gap_estimate_kg)), h('td', {}, m.notes.map(serverText).join('; ')))))));
}

/** Gas per stage from the meter the report uses (per hour and per stage are in the report). */
function stageFuel(r: FiringReport): HTMLElement[] {
  const m = r.fuel.by_meter.find((x) => x.kind === r.fuel.source);
  if (!m?.by_stage.length) return [];
  return [h('div', { class: 'table-wrap' }, h('table', { id: 'report-stage-fuel' }, h('thead', {}, h('tr', {}, h('th', {}, t('stage')), h('th', {}, t('start')), h('th', {}, 'kg'))),
    h('tbody', {}, ...m.by_stage.map((x) => h('tr', {}, h('td', {}, stageName(x.stage)), h('td', {}, fmtDate(x.from_ms)), h('td', { class: 'num' }, fmtByName('fuel_kg', x.kg)))))))];
}

function baselineSection(r: FiringReport): HTMLElement {
  const c = r.baseline_comparison;
  if (!c) return h('section', { id: 'baseline' }, h('h2', {}, t('baseline_cmp')), h('p', { class: 'state empty' }, `${t('baseline_none')}: ${serverText(r.baseline_comparison_reason ?? '')} → `, h('a', { href: '/setup', 'data-link': true }, t('nav_setup'))));
  // Each line: baseline, actual, avoided with its range, avoided as a % of the baseline with its range.
  const line = (label: string, key: LineKey, fmt: (v: number) => string) => {
    const s = c[key];
    return s.ok
      ? h('tr', { 'data-line': key }, h('td', {}, label), h('td', { class: 'num' }, fmt(s.baseline)), h('td', { class: 'num' }, fmt(s.actual)),
        h('td', { class: 'num', 'data-col': 'avoided' }, fmtAvoided(s, key)), h('td', { class: 'num', 'data-col': 'avoided_pct' }, fmtAvoidedPct(s)), h('td', {}, s.confidence))
      : h('tr', { 'data-line': key }, h('td', {}, label), h('td', { colspan: 5, class: 'muted' }, `${t('not_available')}: ${serverText(s.reason)}`));
  };
  const inputs = [c.energy_mj, c.cost_vnd, c.co2_kg].flatMap((s) => (s.ok ? s.inputs : []));
  const uniq = [...new Map(inputs.map((i) => [i.name, i])).values()];
  // "firing energy_mj" carries its unit in its last word.
  const valueOf = (name: string, v: number) => (isFactor(name) ? `×${num(v, 2)}` : fmtByName(name.split(' ').at(-1) ?? name, v));
  return h('section', { id: 'baseline' }, h('h2', {}, t('baseline_cmp')),
    h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, ...['figure', 'baseline', 'actual', 'avoided', 'avoided_pct_col', 'confidence'].map((x) => h('th', x === 'avoided' ? { 'data-first': true } : {}, t(x as Key))))),
      h('tbody', {}, line(t('energy'), 'energy_mj', fmtMj), line(t('cost'), 'cost_vnd', fmtVnd), line(t('co2'), 'co2_kg', fmtCo2)))),
    h('p', { class: 'muted', id: 'range-note' }, t('range_note')),
    ...(c.warnings.length ? [h('p', { class: 'warn', id: 'baseline-warnings' }, `${t('baseline_warnings')}: ${c.warnings.map((w) => `${w.message}${w.source ? ` (${w.source})` : ''}`).join('; ')}`)] : []),
    h('h3', {}, `${t('baseline_source')} (${t('confidence')}: ${c.confidence ?? '—'})`),
    h('ul', { class: 'sources', id: 'baseline-inputs' }, ...uniq.map((i) => h('li', {}, `${inputLabel(i.name)} ${valueOf(i.name, i.value)} — `, h('cite', {}, serverText(i.source)), ` [${i.confidence}]`))),
    h('details', {}, h('summary', {}, t('assumptions')), h('ul', {}, ...c.assumptions.map((a) => h('li', {}, serverText(a))))));
}

function productRow(p?: { product: string; pieces: number; ware_kg?: number | undefined }) {
  const product = h('input', { name: 'product', value: p?.product ?? '', 'aria-label': t('product') });
  const pieces = numberField(h('input', { name: 'pieces', value: numValue(p?.pieces), 'aria-label': t('pieces') }), t('u_pieces'));
  const kg = numberField(h('input', { name: 'product_kg', value: numValue(p?.ware_kg), 'aria-label': `${t('product')} (kg)` }), t('u_kg_ware'));
  const tr = h('tr', {}, h('td', {}, product), h('td', {}, pieces), h('td', {}, kg), h('td', {}, h('button', { type: 'button', onclick: () => tr.remove() }, t('remove'))));
  return tr;
}

/** The load record (ware, furniture, products); saved with PUT, then the report is read again. */
function loadForm(r: FiringReport, base: string, reload: () => void): HTMLElement {
  const l = r.load;
  const ware = input('ware_kg', t('ware_kg'), { value: numValue(l?.ware_kg) });
  const furn = input('furniture_kg', t('furniture_kg_opt'), { value: numValue(l?.furniture_kg) });
  numberField(ware.el, t('u_kg_ware')); numberField(furn.el, t('u_kg_furniture'));
  const tbody = h('tbody', {}, ...(l?.products ?? [undefined]).map((p) => productRow(p)));
  const msg = messageLine();
  const read = (): Entered<LoadRecord> => {
    const rec: Entered<LoadRecord> = {
      ware_kg: numberOf(ware.el, t('ware_kg'))!, furniture_kg: numberOf(furn.el, t('furniture_kg'), { min0: true, optional: true }),
      products: Array.from(tbody.rows).map((row) => {
        const [p, n, kg] = Array.from(row.querySelectorAll('input')) as HTMLInputElement[];
        const ware_kg = numberOf(kg!, `${t('product')} kg`, { optional: true });
        return { product: textOf(p!, t('product'))!, pieces: numberOf(n!, t('pieces'), { int: true })!, ...(ware_kg === undefined ? {} : { ware_kg }) };
      }),
    };
    if (rec.products.length === 0) throw new FormError(t('required', { field: t('product') }));
    return rec;
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    await saveForm(msg, read, async (rec) => {
      await putJson(`${base}/load`, rec);
      msg.ok(t('saved'));
      reload();
    });
  };
  return h('form', { id: 'load-form', class: 'card-form', novalidate: true, onsubmit: (e: Event) => void submit(e) },
    h('h2', {}, t('load_form')), ware.label, furn.label,
    h('table', { class: 'rows' }, h('thead', {}, h('tr', {}, h('th', {}, t('product')), h('th', {}, t('pieces')), h('th', {}, 'kg'), h('th', {}, t('actions')))), tbody),
    h('button', { type: 'button', onclick: () => tbody.append(productRow()) }, t('add_row')),
    savedByLine(l?.by, l?.recorded_at_ms), h('button', { type: 'submit' }, t('save')), msg.el);
}

export { stageName };
