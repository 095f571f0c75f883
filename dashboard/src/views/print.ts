// What the one-page savings reports (print-firing.ts, print-period.ts) share: the A4 sheet with
// its header, the headline savings with their ranges, one bar chart sized for the page, the
// baseline's inputs with source and confidence, the method, and an appendix of labelled figures.
// The sheet is 186 × 273 mm on screen and on paper (A4 less 12 mm margins: styles.css), so the
// chart is drawn once at the size it is printed.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale } from 'chart.js';
import { colour } from '../charts.ts';
import { h } from '../dom.ts';
import { chartLocale, fmtDate, getLang, num, t, type Key } from '../i18n.ts';
import { formatNumber } from '../numbers.ts';
import { currentUser } from '../session.ts';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend);
/** Coal baseline, then gas: the same two colours on every sheet. */
const BAR = [colour(6), colour(0)];

/** A savings line as the report and the roll-up give it; the range fields only once the service sends them. */
export interface SavingsLine {
  readonly baseline: number; readonly actual: number; readonly avoided: number; readonly confidence: string | null;
  readonly avoided_pct?: number | null; readonly avoided_pct_low?: number | null; readonly avoided_pct_high?: number | null;
  readonly avoided_low?: number | null; readonly avoided_high?: number | null; readonly rel_error?: number | null;
}

const has = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** "72,5 % (65–79 %)": the avoided share with its range; "" when the service gives no share. */
export function pctWithRange(s: SavingsLine): string {
  if (!has(s.avoided_pct)) return '';
  const range = has(s.avoided_pct_low) && has(s.avoided_pct_high) ? ` (${num(s.avoided_pct_low, 0)}–${num(s.avoided_pct_high, 0)} %)` : '';
  return `${num(s.avoided_pct, 1)} %${range}`;
}

/** One headline figure: the amount avoided, its share and range when given, coal against gas, confidence;
 *  or why it is not available (null: said once above the figures). */
export function headline(id: string, label: string, s: SavingsLine | null, fmt: (v: number) => string, reason: string | null): HTMLElement {
  if (!s) return h('div', { class: 'head-fig na', 'data-line': id }, h('div', { class: 'hf-label' }, label), h('div', { class: 'hf-na' }, reason ? t('p_not_available', { reason }) : '—'));
  const pct = pctWithRange(s);
  return h('div', { class: 'head-fig', 'data-line': id },
    h('div', { class: 'hf-label' }, label),
    h('div', { class: 'hf-amount' }, fmt(s.avoided)),
    pct ? h('div', { class: 'hf-pct' }, pct) : null,
    has(s.avoided_low) && has(s.avoided_high) ? h('div', { class: 'hf-range' }, t('p_range', { lo: fmt(s.avoided_low), hi: fmt(s.avoided_high) })) : null,
    h('div', { class: 'hf-vs' }, t('p_vs', { b: fmt(s.baseline), a: fmt(s.actual) })),
    h('div', { class: 'hf-conf' }, t('p_conf', { c: s.confidence ?? '—' })));
}

/** A local calendar day ('YYYY-MM-DD') the language's way: 01/11/2026. */
export function fmtDay(day: string): string {
  const ms = Date.parse(`${day}T12:00:00+07:00`);
  return Number.isFinite(ms) ? new Intl.DateTimeFormat(getLang() === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' }).format(ms) : day;
}

/** 'YYYY-MM' as "Tháng 11/2026" or "Nov 2026". */
export function fmtMonth(month: string): string {
  const [y, m] = month.split('-');
  if (getLang() === 'vi') return `Tháng ${Number(m)}/${y}`;
  return new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(Number(y), Number(m) - 1, 1));
}

/** The sheet's header: title, then the who / what / when grid, prepared by the logged-in user, now. */
export function sheetHeader(title: string, rows: readonly (readonly [string, string])[]): HTMLElement {
  const all = [...rows, [t('p_prepared_by'), currentUser()?.username ?? '—'], [t('p_prepared_on'), fmtDate(Date.now())]] as const;
  return h('header', { class: 'sheet-head' }, h('h1', {}, title),
    h('dl', { class: 'head-grid' }, ...all.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v)))));
}

const INPUT_NAMES = new Set(['coal_kg_per_firing', 'ware_kg_per_firing', 'yield_pct', 'duration_h', 'coal_ncv_mj_per_kg', 'co2_kg_per_kg_coal', 'coal_price_vnd_per_kg']);

/** A baseline input's label ("Than mỗi mẻ") by its name in the API; adjustments by their description. */
export function inputLabel(name: string): string {
  if (name.startsWith('non-routine: ')) return t('pin_adjustment', { d: name.slice('non-routine: '.length) });
  return INPUT_NAMES.has(name) ? t(`pin_${name}` as Key) : name;
}

/** A baseline input's value with its unit, as entered ("1.200 kg than", "72,5 %"). */
export function inputValueText(name: string, v: number): string {
  const unit: Record<string, string> = {
    coal_kg_per_firing: t('u_kg_coal'), ware_kg_per_firing: t('u_kg_ware'), yield_pct: '%', duration_h: t('u_hours'),
    coal_ncv_mj_per_kg: t('u_mj_per_kg_coal'), co2_kg_per_kg_coal: t('u_co2_per_kg_coal'), coal_price_vnd_per_kg: t('u_vnd_per_kg_coal'),
  };
  return `${formatNumber(v, getLang())} ${unit[name] ?? (name.startsWith('non-routine: ') ? t('u_factor') : '')}`.trim();
}

export interface InputRow { readonly name: string; readonly value: number; readonly source: string; readonly confidence: string }

/** The baseline's inputs: what, how much with its unit, where it comes from, how sure. */
export function inputsTable(rows: readonly InputRow[]): HTMLElement {
  return h('table', { class: 'inputs' },
    h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', { class: 'num' }, t('value')), h('th', {}, t('source')), h('th', {}, t('confidence')))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, h('td', {}, inputLabel(r.name)), h('td', { class: 'num' }, inputValueText(r.name, r.value)), h('td', { class: 'src' }, r.source), h('td', { class: 'conf' }, r.confidence)))));
}

/** The method in two sentences and what the confidence letters mean. */
export const methodSection = (): HTMLElement =>
  h('section', { class: 'method' }, h('h2', {}, t('p_method')), h('p', {}, t('p_method_text')), h('p', { class: 'muted' }, t('p_conf_legend')));

/** The appendix: labelled figures with their units, in columns. */
export const appendix = (items: readonly (readonly [string, string])[], extra?: HTMLElement): HTMLElement =>
  h('section', { class: 'appendix' }, h('h2', {}, t('p_appendix')),
    h('dl', { class: 'app-grid' }, ...items.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v)))), extra ?? null);

/** A bar chart drawn at its printed size, axes titled with their units; one series: a colour per bar, no legend. */
export function barChart(canvas: HTMLCanvasElement, labels: string[], sets: { label: string; data: number[] }[], yTitle: string, xTitle?: string): Chart {
  return new Chart(canvas, {
    type: 'bar',
    data: { labels, datasets: sets.map((s, i) => ({ label: s.label, data: s.data, backgroundColor: sets.length === 1 ? labels.map((_, j) => BAR[j % 2]!) : BAR[i % 2]! })) },
    options: {
      locale: chartLocale(), animation: false, responsive: true, maintainAspectRatio: false, devicePixelRatio: 3,
      plugins: { legend: { display: sets.length > 1, position: 'top', labels: { boxWidth: 10, font: { size: 10 } } } },
      scales: {
        y: { beginAtZero: true, title: { display: true, text: yTitle, font: { size: 10 } }, ticks: { font: { size: 9 }, callback: (v) => num(Number(v), 0) } },
        x: { title: { display: Boolean(xTitle), text: xTitle ?? '', font: { size: 10 } }, ticks: { font: { size: 9 } } },
      },
    },
  });
}

/** The sheet's content box (styles.css: A4 less 12 mm margins), in CSS px. */
const SHEET_HEIGHT_PX = (273 * 96) / 25.4;
const BASE_PT = 8.5;
const MIN_PT = 6.5;

/**
 * A long sheet (a year's months, several baselines) shrinks as a whole, a quarter point at a
 * time down to 6.5 pt, until it fits one page. Before the chart is drawn, so that the chart is
 * drawn at the size it is printed.
 */
export function fitSheet(sheet: HTMLElement): void {
  sheet.style.minHeight = '0';
  let pt = BASE_PT;
  sheet.style.fontSize = `${pt}pt`;
  while (sheet.scrollHeight > SHEET_HEIGHT_PX && pt > MIN_PT) {
    pt -= 0.25;
    sheet.style.fontSize = `${pt}pt`;
  }
  sheet.style.minHeight = '';
  sheet.dataset.fontPt = String(pt);
}

/** The page around the sheet: back and print buttons on screen only. */
export function printPage(root: HTMLElement, back: string, sheet: HTMLElement): void {
  document.body.classList.add('printing-sheet');
  root.append(h('p', { class: 'actions no-print sheet-tools' }, h('a', { href: back, 'data-link': true }, t('back')), ' ',
    h('button', { type: 'button', id: 'print-now', onclick: () => window.print() }, t('print'))), sheet);
}

/** Undo printPage's page-wide class when the view is left. */
export const leavePrintPage = (): void => { document.body.classList.remove('printing-sheet'); };
