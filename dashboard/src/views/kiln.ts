// 2. Kiln live view: every zone against the schedule with the stage bands, gas flow and
// cumulative fuel, rate, time to peak and to end, cost so far. History of the running firing
// comes pre-aggregated from .../curve; each SSE update appends one point per series.
import { api, firingPath } from '../api.ts';
import { lineChart, series, setBands, toPts, type Chart, type Pt } from '../charts.ts';
import { errorEl, h, loadingEl } from '../dom.ts';
import { firingStatusName, fmtC, fmtCo2, fmtDate, fmtH, fmtKg, fmtKgH, fmtMj, fmtRate, fmtVnd, stageName, t, zoneName } from '../i18n.ts';
import { kilnKey, live } from '../live.ts';
import { alerts } from '../alerts.ts';
import { alertHistory } from './alerts.ts';
import type { FiringCurve, KilnLiveView } from '../types.ts';
import { usualFiring, type Usual } from './kiln-usual.ts';
import { channelsSection } from './kiln-channels.ts';

const MS_PER_H = 3_600_000;

/** The two charts of the running firing: history from .../curve, then one point per series per update. */
class FiringCharts {
  origin_ms: number | null = null; // x = 0
  private temp: Chart<'line', Pt[]> | null = null;
  private gas: Chart<'line', Pt[]> | null = null;
  private readonly zoneIdx = new Map<string, number>();
  // Our own references to each series: once the decimation plugin runs, dataset.data returns the
  // decimated copy, so points must be appended to the original array (Chart.js keeps it as _data).
  private tempArr: Pt[][] = [];
  private gasArr: Pt[][] = [];

  constructor(private readonly tempCanvas: HTMLCanvasElement, private readonly gasCanvas: HTMLCanvasElement) {}

  reset(curve: FiringCurve | null): void {
    this.destroy();
    this.zoneIdx.clear();
    const ds = Object.entries(curve?.zones ?? {}).map(([z, xs], i) => { this.zoneIdx.set(z, i); return series(zoneName(z), toPts(xs), i); });
    if (curve?.planned_c) ds.push(series(t('planned'), toPts(curve.planned_c), 7, { borderDash: [6, 4], borderColor: '#64748b' }));
    this.tempArr = ds.map((d) => d.data);
    this.temp = lineChart(this.tempCanvas, ds, { xTitle: t('hours_since_start'), yTitle: '°C', bands: curve?.stages ?? [] });
    this.gasArr = [toPts(curve?.flow_kg_h ?? []), toPts(curve?.fuel_kg ?? [])];
    this.gas = lineChart(this.gasCanvas, [
      series(t('gas_flow'), this.gasArr[0]!, 1, { yAxisID: 'y' }),
      series(t('cumulative_fuel'), this.gasArr[1]!, 2, { yAxisID: 'y2' }),
    ], { xTitle: t('hours_since_start'), yTitle: 'kg/h', y2Title: 'kg' });
    this.markPoints();
  }

  /** The usual firing, dashed, on both charts: the kiln temperature and cumulative gas (not in the live arrays). */
  setUsual(label: string, curve: FiringCurve): void {
    const { temp, gas } = this;
    if (!temp || !gas) return;
    const dash = { borderDash: [2, 3], borderColor: '#111827', backgroundColor: '#111827', borderWidth: 1.5 }; // not the plan's slate dashes
    temp.data.datasets.push(series(`${label} (°C)`, toPts(curve.kiln_c), 6, dash));
    gas.data.datasets.push(series(`${label} (kg)`, toPts(curve.fuel_kg), 6, { ...dash, yAxisID: 'y2' }));
    temp.update('none');
    gas.update('none');
    this.tempCanvas.setAttribute('data-usual', String(curve.kiln_c.length));
  }

  append(v: KilnLiveView): void {
    const { temp, gas, origin_ms } = this;
    if (!temp || !gas || origin_ms === null) return;
    for (const [z, r] of Object.entries(v.zones)) {
      let i = this.zoneIdx.get(z);
      if (i === undefined) {
        i = this.tempArr.length; // into our arrays: the chart also holds the usual firing's series
        const arr: Pt[] = [];
        this.tempArr.push(arr);
        temp.data.datasets.push(series(zoneName(z), arr, this.zoneIdx.size));
        this.zoneIdx.set(z, i);
      }
      const d = this.tempArr[i]!;
      const x = (r.ts_ms - origin_ms) / MS_PER_H;
      if (!r.stale && (d.length === 0 || x > d[d.length - 1]!.x)) d.push({ x, y: r.temp_c });
    }
    const x = ((v.newest_reading_ms ?? Date.now()) - origin_ms) / MS_PER_H;
    const [flow, fuel] = this.gasArr;
    if (v.gas_flow_kg_h !== null && flow && (flow.length === 0 || x > flow[flow.length - 1]!.x)) flow.push({ x, y: v.gas_flow_kg_h });
    if (v.fuel.fuel_kg !== null && fuel && (fuel.length === 0 || x > fuel[fuel.length - 1]!.x)) fuel.push({ x, y: v.fuel.fuel_kg });
    if (v.firing) {
      const bands = (temp.options.plugins as { stageBands?: { bands?: { stage: string; from_h: number; to_h: number }[] } }).stageBands?.bands ?? [];
      const last = bands[bands.length - 1];
      if (last && last.stage === v.stage) setBands(temp, [...bands.slice(0, -1), { ...last, to_h: x }]);
      else if (v.stage !== 'idle') setBands(temp, [...bands, { stage: v.stage, from_h: last?.to_h ?? x, to_h: x }]);
    }
    temp.update('none');
    gas.update('none');
    this.markPoints();
  }

  destroy(): void { this.temp?.destroy(); this.gas?.destroy(); }

  /** How many temperature points the chart holds (the browser test watches it grow). */
  private markPoints(): void { this.tempCanvas.setAttribute('data-points', String(this.tempArr.reduce((n, a) => n + a.length, 0))); }
}

const reportHref = (ws: string, kiln: string, id: string) => `/firings/${encodeURIComponent(ws)}/${encodeURIComponent(kiln)}/${encodeURIComponent(id)}`;

/** The figures and zones at the top of the page, and the last firing's report once the kiln is idle. */
function showStats(v: KilnLiveView, key: string, ws: string, kiln: string, els: { stats: HTMLElement; zones: HTMLElement; reportLink: HTMLElement }): void {
  const rows: [string, string, string][] = [
    ['stage', t('stage'), stageName(v.stage)], ['temp', t('temp'), fmtC(v.kiln_temp_c)], ['rate', t('rate'), fmtRate(v.rate_c_h)],
    ['gas', t('gas_flow'), fmtKgH(v.gas_flow_kg_h)], ['fuel', t('fuel_so_far'), fmtKg(v.fuel.fuel_kg, 2)], ['energy', t('energy'), fmtMj(v.fuel.energy_mj)],
    ['cost', t('cost_so_far'), fmtVnd(v.fuel.cost_vnd)], ['co2', t('co2'), fmtCo2(v.fuel.co2_kg)], ['elapsed', t('elapsed'), fmtH(v.firing?.elapsed_h)],
    ['ttp', t('time_to_peak'), fmtH(v.eta.time_to_peak_h)], ['tte', t('time_to_end'), fmtH(v.eta.time_to_end_h)],
    ['status', live.online(key) ? t('online') : t('offline'), v.firing ? firingStatusName(v.firing.status) : t('idle')],
    ...(v.firing?.gas_off_ms ? [['gas_off', t('gas_off_at'), fmtDate(v.firing.gas_off_ms)] as [string, string, string]] : []),
  ];
  els.stats.replaceChildren(...rows.map(([k, l, val]) => h('div', { 'data-stat': k }, h('dt', {}, l), h('dd', {}, val))));
  els.zones.replaceChildren(...Object.entries(v.zones).sort().map(([z, r]) => h('li', { 'data-zone': z }, h('span', {}, zoneName(z)), h('strong', {}, fmtC(r.temp_c)), r.stale ? h('em', {}, ` (${t('stale')})`) : null)));
  if (v.last_firing && !v.firing) {
    els.reportLink.replaceChildren(h('a', { href: reportHref(ws, kiln, v.last_firing.id), 'data-link': true }, `${t('last_firing')}: ${t('open_report')}`));
  }
}

/** The page's sections, top to bottom; returns the parts that are filled later. */
function kilnPage(root: HTMLElement, ws: string, kiln: string) {
  const stats = h('dl', { class: 'stats', id: 'kiln-stats' });
  const zones = h('ul', { class: 'zones', id: 'kiln-zones' });
  const note = h('p', { class: 'muted' });
  const usualNote = h('p', { class: 'muted', id: 'kiln-usual' });
  const tempCanvas = h('canvas', { id: 'chart-temp', 'aria-label': t('chart_temp') });
  const gasCanvas = h('canvas', { id: 'chart-gas', 'aria-label': t('chart_gas') });
  const reportLink = h('p', {});
  const alertBox = h('div', { id: 'kiln-alerts' });
  const channels = channelsSection();
  root.append(
    h('p', {}, h('a', { href: '/', 'data-link': true }, t('back'))),
    h('h1', {}, `${t('kiln')} ${kiln} `, h('small', {}, `${t('workshop')} ${ws}`)),
    stats, h('h2', {}, t('zones')), zones, channels.el,
    h('h2', {}, t('chart_temp')), note, usualNote, h('div', { class: 'chart' }, tempCanvas),
    h('h2', {}, t('chart_gas')), h('div', { class: 'chart short' }, gasCanvas), reportLink,
    h('h2', {}, t('alert_history')), h('p', { class: 'muted' }, t('alert_history_7d'), ' ', h('a', { href: `/alerts?workshop=${encodeURIComponent(ws)}`, 'data-link': true }, t('nav_alerts'))), alertBox,
  );
  return { stats, zones, note, usualNote, tempCanvas, gasCanvas, reportLink, alertBox, channels };
}

/** The kiln's alerts of the last 7 days, read again (at most every 2 s) when one of its alerts changes; returns how to stop. */
function watchAlerts(alertBox: HTMLElement, key: string, ws: string, kiln: string): () => void {
  let stopped = false;
  alertHistory(alertBox, { workshop: ws, kiln });
  let alertTimer: ReturnType<typeof setTimeout> | null = null;
  const unsubAlerts = alerts.subscribe((changed) => {
    if (!changed.has(key) || alertTimer) return;
    alertTimer = setTimeout(() => { alertTimer = null; if (!stopped) alertHistory(alertBox, { workshop: ws, kiln }); }, 2000);
  });
  return () => { stopped = true; unsubAlerts(); if (alertTimer) clearTimeout(alertTimer); };
}

export function renderKiln(root: HTMLElement, [ws = '', kiln = '']: string[]): () => void {
  const key = kilnKey({ workshop: ws, kiln });
  const { stats, zones, note, usualNote, tempCanvas, gasCanvas, reportLink, alertBox, channels } = kilnPage(root, ws, kiln);
  const stopAlerts = watchAlerts(alertBox, key, ws, kiln);
  const charts = new FiringCharts(tempCanvas, gasCanvas);
  const els = { stats, zones, reportLink };
  let firingId: string | null = null;
  let frame = 0;
  let closed = false;

  async function loadHistory(v: KilnLiveView | undefined): Promise<void> {
    firingId = v?.firing?.id ?? null;
    charts.origin_ms = v?.firing?.start_ms ?? v?.newest_reading_ms ?? Date.now();
    note.textContent = v?.firing ? `${t('start')}: ${fmtDate(v.firing.start_ms)}${v.firing.schedule_name ? ` · ${t('schedule')}: ${v.firing.schedule_name}` : ''}` : t('no_firing');
    if (!v?.firing) { charts.reset(null); return; }
    reportLink.replaceChildren(h('a', { href: reportHref(ws, kiln, v.firing.id), 'data-link': true }, t('open_report')));
    note.after(loadingEl(t('loading')));
    try {
      const curve = await api<FiringCurve>(`${firingPath(ws, kiln, v.firing.id)}/curve?points=1500`);
      if (closed) return;
      charts.reset(curve);
      void showUsual(v.firing);
    } catch (err) {
      charts.reset(null);
      note.after(errorEl(`${t('error')}: ${(err as Error).message}`));
    } finally {
      if (note.nextElementSibling?.classList.contains('loading')) note.nextElementSibling.remove();
    }
  }

  /** The kiln's usual firing of this schedule over the running one; a failure only says so in the note. */
  async function showUsual(f: NonNullable<KilnLiveView['firing']>): Promise<void> {
    usualNote.replaceChildren();
    let u: Usual | null;
    try { u = await usualFiring(ws, kiln, f); } catch (err) { u = null; usualNote.textContent = `${t('error')}: ${(err as Error).message}`; return; }
    if (closed || firingId !== f.id) return;
    if (!u) { usualNote.textContent = t('usual_none'); return; }
    const date = fmtDate(u.start_ms);
    charts.setUsual(t('usual_label', { date }), u.curve);
    usualNote.replaceChildren(t('usual_note', { n: u.of_n, date, kg: fmtKg(u.fuel_kg, 1) }), ' ',
      h('a', { href: reportHref(ws, kiln, u.firing_id), 'data-link': true }, t('open_report')));
  }

  const onChange = (changed: ReadonlySet<string>) => {
    if (!changed.has(key) || frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      const v = live.kilns.get(key);
      if (!v) return;
      showStats(v, key, ws, kiln, els);
      channels.show(v);
      if ((v.firing?.id ?? null) !== firingId) void loadHistory(v);
      else charts.append(v);
    });
  };

  const first = live.kilns.get(key);
  if (first) { showStats(first, key, ws, kiln, els); channels.show(first); }
  else stats.replaceChildren(live.status === 'off' ? errorEl(t('live_off')) : loadingEl(t('loading')));
  void loadHistory(first);
  const unsub = live.subscribe(onChange);
  return () => { closed = true; unsub(); stopAlerts(); channels.stop(); if (frame) cancelAnimationFrame(frame); charts.destroy(); };
}
