// Fuel by each meter kind a kiln has (docs/influx.md), with the analytics functions doing the
// metering: flow integrated with gaps left out (never bridged), totaliser differences across
// rollovers and resets, cylinder-scale drops across swaps. This file only picks points and cuts time.
import { flowIntervals, flowSegments, integrateFlow, timeOrdered, type FlowSample } from '../analytics/fuel-flow.ts';
import { m3ToKg } from '../analytics/fuel-gas.ts';
import { scaleConsumption, totalizerConsumption, type TotalSample } from '../analytics/fuel-meters.ts';
import { gasOnOff, scaleUsed, totalizerUsed, type GasOnOff } from '../analytics/gas-on-off.ts';
import type { Point } from '../point.ts';
import { coverage, inWindow, pct, type Window } from './series.ts';
import type { GapSpan, MeteredFigure, ReportOptions } from './types.ts';

const num = (v: number | string | undefined): number | undefined => (typeof v === 'number' ? v : undefined);

function byChannel(points: readonly Point[], measurement: Point['measurement'], w: Window): Map<string, Point[]> {
  const out = new Map<string, Point[]>();
  for (const p of points) {
    if (p.measurement !== measurement || !inWindow(p, w)) continue;
    const list = out.get(p.tags.channel) ?? [];
    list.push(p);
    out.set(p.tags.channel, list);
  }
  for (const [k, v] of out) out.set(k, timeOrdered(v));
  return out;
}

/** kg/h of one flow point: a volume meter's m³/h converted at its own reference conditions. */
function flowKgH(p: Point, o: ReportOptions): number | undefined {
  const kg = num(p.fields.flow_kg_h);
  if (kg !== undefined) return kg;
  const m3 = num(p.fields.flow_m3_h);
  const t = num(p.fields.ref_temp_c);
  const kpa = num(p.fields.ref_pressure_kpa);
  return m3 === undefined || t === undefined || kpa === undefined ? undefined : m3ToKg(m3, t, kpa, o.propane_mol_frac);
}

export interface FlowFigure extends MeteredFigure { readonly peak_flow_kg_h: number; readonly last_burning_ms: number | null }

export function flowFigure(points: readonly Point[], w: Window, o: ReportOptions): FlowFigure | null {
  const channels = byChannel(points, 'gas_flow', w);
  if (channels.size === 0) return null;
  const opts = { max_gap_s: o.max_gap_s };
  let fuel_kg = 0, gap_estimate_kg = 0, covered = 0, last_burning_ms: number | null = null;
  const segments: { ts_ms: number; kg: number }[] = [];
  const gaps: GapSpan[] = [];
  const notes: string[] = [];
  const sum_at = new Map<number, number>(); // burner rows metered apart: the kiln's flow is their sum
  for (const [ch, ps] of channels) {
    const xs: FlowSample[] = ps.flatMap((p) => { const f = flowKgH(p, o); return f === undefined ? [] : [{ ts_ms: p.ts_ms, flow_kg_h: f }]; });
    const r = integrateFlow(xs, opts);
    fuel_kg += r.fuel_kg;
    gap_estimate_kg += r.estimated_kg;
    segments.push(...flowSegments(xs, opts));
    const c = coverage(xs.map((x) => x.ts_ms), w, o.max_gap_s, 'flow');
    covered += pct(c.covered_ms, w.to_ms - w.from_ms);
    gaps.push(...c.gaps);
    if (r.gaps.length) notes.push(`${ch}: ${r.gaps.length} gap(s), ${r.estimated_kg.toFixed(1)} kg by straight line across them, not counted`);
    for (const x of xs) sum_at.set(x.ts_ms, (sum_at.get(x.ts_ms) ?? 0) + Math.max(0, x.flow_kg_h));
    for (const iv of flowIntervals(xs, opts)) if (iv.fuel_kg > 0 && !iv.is_gap) last_burning_ms = Math.max(last_burning_ms ?? 0, iv.to_ms);
  }
  return {
    kind: 'flow', channels: [...channels.keys()], fuel_kg, gap_estimate_kg, notes, segments, gaps, resets: 0, ...onOffFields(flowOnOff(sum_at, o.gas_on_kg_h)),
    coverage_pct: covered / channels.size, peak_flow_kg_h: Math.max(0, ...sum_at.values()), last_burning_ms,
  };
}

/** Gas on: the first reading above gas_on_kg_h; off: the first reading after the last one above it
 *  (null while still burning at the last reading). Each within one reading interval of the truth. */
function flowOnOff(sum_at: ReadonlyMap<number, number>, gas_on_kg_h: number): GasOnOff {
  const xs = [...sum_at].sort((a, b) => a[0] - b[0]);
  const on = xs.findIndex(([, f]) => f > gas_on_kg_h);
  if (on < 0) return { on_ms: null, off_ms: null };
  let last = on;
  for (let i = on; i < xs.length; i++) if (xs[i]![1] > gas_on_kg_h) last = i;
  return { on_ms: xs[on]![0], off_ms: xs[last + 1]?.[0] ?? null };
}

const onOffFields = (x: GasOnOff) => ({ gas_on_ms: x.on_ms, gas_off_ms: x.off_ms });

/** The earliest gas-on and the latest gas-off over a meter's channels. */
function merged(xs: readonly GasOnOff[]): GasOnOff {
  const on = xs.flatMap((x) => (x.on_ms === null ? [] : [x.on_ms]));
  const off = xs.flatMap((x) => (x.off_ms === null ? [] : [x.off_ms]));
  return { on_ms: on.length ? Math.min(...on) : null, off_ms: off.length ? Math.max(...off) : null };
}

const FIT_S = 1800; // half an hour of burning dates a register's or a scale's first and last use

/** Instants where a price may change inside the window: local midnights (UTC+7) of the price dates. */
export function priceBoundaries(valid_from: readonly string[], w: Window): number[] {
  const VN_OFFSET_MS = 7 * 3_600_000;
  return [...new Set(valid_from)].map((d) => Date.parse(`${d}T00:00:00Z`) - VN_OFFSET_MS)
    .filter((t) => t > w.from_ms && t < w.to_ms).sort((a, b) => a - b);
}

/** Cumulative readings cut at the boundaries; each piece starts with the last reading before it.
 *  One pass: the readings are time-ordered. */
function pieces<T extends { ts_ms: number }>(xs: readonly T[], cuts: readonly number[]): { lo: number; hi: number; xs: T[] }[] {
  const edges = [-Infinity, ...cuts, Infinity];
  const out: { lo: number; hi: number; xs: T[] }[] = [];
  let i = 0;
  for (let e = 1; e < edges.length; e++) {
    const lo = edges[e - 1]!, hi = edges[e]!;
    const piece: T[] = i > 0 ? [xs[i - 1]!] : [];
    while (i < xs.length && xs[i]!.ts_ms < hi) piece.push(xs[i++]!);
    out.push({ lo, hi, xs: piece });
  }
  return out;
}

/** Whole-series figure, allotted to the price periods in proportion to each period's own reading. */
function cumulativeFigure<T extends { ts_ms: number }>(
  kind: 'totalizer' | 'scale', channels: Map<string, T[]>, w: Window, o: ReportOptions, cuts: readonly number[],
  measure: (xs: readonly T[], ch: string, notes: string[]) => { kg: number; resets: number },
): MeteredFigure | null {
  if (channels.size === 0) return null;
  let fuel_kg = 0, covered = 0, resets = 0;
  const notes: string[] = [];
  const segments: { ts_ms: number; kg: number }[] = [];
  const gaps: GapSpan[] = [];
  for (const [ch, xs] of channels) {
    const m = measure(xs, ch, notes);
    const whole = m.kg;
    fuel_kg += whole;
    resets += m.resets;
    const parts = pieces(xs, cuts).map((p) => ({ p, kg: measure(p.xs, ch, []).kg }));
    const sum = parts.reduce((s, x) => s + x.kg, 0);
    for (const { p, kg } of parts) {
      const a = p.xs[0], b = p.xs.at(-1);
      // Dated inside its own piece, so it lands in the right hour, stage and price period.
      const mid_ms = a && b ? Math.min(Math.max((a.ts_ms + b.ts_ms) / 2, p.lo), p.hi - 1) : 0;
      if (a && b && kg !== 0) segments.push({ ts_ms: mid_ms, kg: sum > 0 ? (whole * kg) / sum : 0 });
    }
    // A register or a scale loses nothing in a data gap (the next reading carries the total):
    // only a missing start or end of the firing, beyond max_gap_s, is uncovered.
    const first = xs[0], last = xs.at(-1);
    if (first && last && xs.length > 1) {
      const max_ms = o.max_gap_s * 1000;
      const lead = first.ts_ms - w.from_ms > max_ms ? first.ts_ms - w.from_ms : 0;
      const trail = w.to_ms - last.ts_ms > max_ms ? w.to_ms - last.ts_ms : 0;
      covered += pct(w.to_ms - w.from_ms - lead - trail, w.to_ms - w.from_ms);
      if (lead) gaps.push({ kind, from_ms: w.from_ms, to_ms: first.ts_ms, duration_s: lead / 1000 });
      if (trail) gaps.push({ kind, from_ms: last.ts_ms, to_ms: w.to_ms, duration_s: trail / 1000 });
    } else {
      gaps.push({ kind, from_ms: w.from_ms, to_ms: w.to_ms, duration_s: (w.to_ms - w.from_ms) / 1000 });
    }
  }
  return { kind, channels: [...channels.keys()], fuel_kg, gap_estimate_kg: 0, notes, segments, gaps, resets, coverage_pct: covered / channels.size, gas_on_ms: null, gas_off_ms: null };
}

export function totalizerFigure(points: readonly Point[], w: Window, o: ReportOptions, cuts: readonly number[]): MeteredFigure | null {
  const chans = new Map<string, (TotalSample & { kg_per_unit: number; rollover_at?: number })[]>();
  for (const [ch, ps] of byChannel(points, 'gas_total', w)) {
    chans.set(ch, ps.flatMap((p) => {
      const kg = num(p.fields.total_kg);
      const m3 = num(p.fields.total_m3);
      const t = num(p.fields.ref_temp_c), kpa = num(p.fields.ref_pressure_kpa);
      const rollover_at = num(p.fields.rollover_at);
      if (kg !== undefined) return [{ ts_ms: p.ts_ms, total: kg, kg_per_unit: 1, rollover_at }];
      if (m3 === undefined || t === undefined || kpa === undefined) return [];
      return [{ ts_ms: p.ts_ms, total: m3, kg_per_unit: m3ToKg(1, t, kpa, o.propane_mol_frac), rollover_at }];
    }));
  }
  const onOff = merged([...chans.values()].map((xs) => gasOnOff(totalizerUsed(xs, { rollover_at: xs[0]?.rollover_at, ...o.totalizer }), { threshold_kg: o.totalizer.jitter ?? 0, fit_s: FIT_S })));
  const fig = cumulativeFigure('totalizer', chans, w, o, cuts, (xs, ch, notes) => {
    const first = xs[0];
    if (!first) return { kg: 0, resets: 0 };
    const r = totalizerConsumption(xs, { rollover_at: first.rollover_at, ...o.totalizer });
    if (r.resets.length) notes.push(`${ch}: ${r.resets.length} reset(s), nothing counted across them`);
    if (r.rollovers) notes.push(`${ch}: ${r.rollovers} rollover(s) at ${first.rollover_at}`);
    return { kg: r.consumed * first.kg_per_unit, resets: r.resets.length }; // register unit (kg, or m³ at its reference) → kg
  });
  return fig && { ...fig, gas_on_ms: onOff.on_ms, gas_off_ms: onOff.off_ms };
}

export function scaleFigure(points: readonly Point[], w: Window, o: ReportOptions, cuts: readonly number[]): MeteredFigure | null {
  const chans = new Map<string, { ts_ms: number; mass_kg: number }[]>();
  for (const [ch, ps] of byChannel(points, 'gas_scale', w)) {
    chans.set(ch, ps.flatMap((p) => { const m = num(p.fields.mass_kg); return m === undefined ? [] : [{ ts_ms: p.ts_ms, mass_kg: m }]; }));
  }
  const onOff = merged([...chans.values()].map((xs) => gasOnOff(scaleUsed(xs, o.scale), { threshold_kg: o.scale.noise_kg, fit_s: FIT_S })));
  const fig = cumulativeFigure('scale', chans, w, o, cuts, (xs, ch, notes) => {
    const r = scaleConsumption(xs, o.scale);
    if (r.swaps.length) notes.push(`${ch}: ${r.swaps.length} cylinder swap(s); what was left in the old cylinders is not counted`);
    if (r.off_scale_samples) notes.push(`${ch}: ${r.off_scale_samples} reading(s) with the cylinders off the scale, skipped`);
    return { kg: r.fuel_kg, resets: 0 };
  });
  return fig && { ...fig, gas_on_ms: onOff.on_ms, gas_off_ms: onOff.off_ms };
}
