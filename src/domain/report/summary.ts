// summarizeFiring: one firing's report figures from its record and its kiln's stored points.
// Pure; reuses the tracker's record (start, end, last-100 °C rate) and the analytics functions.
import { co2Kg, costOfConsumption, energyMj } from '../analytics/energy.ts';
import { FUELS } from '../analytics/fuels.ts';
import { DEFAULT_TRACKER_CONFIG as T } from '../firing/config.ts';
import { recordOf } from '../firing/fold.ts';
import type { Point } from '../point.ts';
import { chooseMeter } from './fuel-choice.ts';
import { flowFigure, priceBoundaries, scaleFigure, totalizerFigure } from './meters.ts';
import { scheduleDeviation } from './schedule.ts';
import { coverage, instants, pct, zoneSeries, type Window } from './series.ts';
import { coolingH, heatingRates, peakOf, soakMin, spread, zonePeaks } from './thermal.ts';
import { cutsFor, summarizeMeter } from './fuel-parts.ts';
import type { FiringSummary, MeteredFigure, ReportOptions, SummaryInput } from './types.ts';

const MS_PER_H = 3_600_000;
/** The firing usually ends at its first reading below the unload temperature. Rebuilt from one-minute
 *  aggregates (docs/retention.md) that reading may be gone and a later one of its minute kept: the
 *  cooling looks up to a minute past the end for it. With raw readings the end's own reading is it. */
const AFTER_END_MS = 60_000;

export const DEFAULT_REPORT_OPTIONS: ReportOptions = {
  max_gap_s: T.max_gap_s, // the tracker's: one definition of a data gap
  // Assumption (L): Vietnamese LPG is sold as propane/butane mixes around 50/50; a supplier's assay replaces it.
  propane_mol_frac: 0.5,
  soak_band_c: T.soak_band_c,
  rate_window_s: T.rate_window_s,
  unload_c: T.unload_c, // docs/sources.md: do not open before ~200 °C
  // A full 48 kg cylinder adds ~86 kg gross; 40 kg is half a cylinder. The simulator's scale reads
  // to 0.1 kg with σ 0.05 kg noise: 0.2 kg is above its peaks.
  scale: { swap_min_rise_kg: 40, noise_kg: 0.2 },
  gas_on_kg_h: T.gas_on_kg_h,
  totalizer: {},
};

/** The window the figures cover: the firing, or up to the newest point while it is still open. */
function windowOf(input: SummaryInput): Window {
  const { firing } = input;
  if (firing.end_ms !== null) return { from_ms: firing.start_ms, to_ms: firing.end_ms };
  const newest = input.points.reduce((m, p) => Math.max(m, p.ts_ms), firing.start_ms);
  return { from_ms: firing.start_ms, to_ms: newest };
}

/** Burners out: the last burning flow interval; else when the tracker saw the cooling begin. */
function burningEnd(firing: SummaryInput['firing'], last_flow_ms: number | null, w: Window): number {
  if (last_flow_ms !== null) return last_flow_ms;
  return firing.stages.find((s) => s.stage === 'cooling')?.start_ms ?? w.to_ms;
}

export function summarizeFiring(input: SummaryInput): FiringSummary {
  const o: ReportOptions = { ...DEFAULT_REPORT_OPTIONS, ...input.options };
  const fuel = input.fuel ?? FUELS.lpg;
  const { firing } = input;
  const w = windowOf(input);
  const window_ms = w.to_ms - w.from_ms;
  const points: readonly Point[] = input.points;

  const zones = zoneSeries(points, w);
  const xs = instants(zones, T.zone_fault_jump_c);
  const peak = peakOf(xs);
  const temp_cov = coverage(xs.map((x) => x.ts_ms), w, o.max_gap_s, 'temperature');

  const cuts = cutsFor(w, firing.stages, priceBoundaries(input.prices.map((p) => p.valid_from), w));
  const flow = flowFigure(points, w, o);
  const meters = [totalizerFigure(points, w, o, cuts), flow, scaleFigure(points, w, o, cuts)]
    .filter((m): m is MeteredFigure => m !== null);
  const { chosen, complete, reason } = chooseMeter(meters);
  const fuel_kg = chosen?.fuel_kg ?? null;
  const gap_kg = chosen?.gap_estimate_kg ?? 0;
  const burning_h = (burningEnd(firing, flow?.last_burning_ms ?? null, w) - w.from_ms) / MS_PER_H;
  const cost = chosen && input.prices.length ? costOfConsumption(input.prices, chosen.segments) : null;

  const soak_min = peak ? soakMin(xs, peak, o.soak_band_c) : null;
  return {
    firing_id: firing.id,
    start_ms: w.from_ms,
    end_ms: w.to_ms,
    open: firing.end_ms === null,
    ...(({ status, gas_on_ms, gas_off_ms }) => ({ status, gas_on_ms, gas_off_ms }))(recordOf(firing)),
    duration_h: window_ms / MS_PER_H,
    peak_c: peak?.peak_c ?? null,
    peak_ms: peak?.peak_ms ?? null,
    peak_c_by_zone: zonePeaks(zones),
    soak_at_peak_min: soak_min,
    heating: heatingRates(firing, xs, peak, o.rate_window_s, o.max_gap_s, soak_min),
    spread: spread(xs, peak, Object.keys(zones).length),
    schedule: input.schedule ? scheduleDeviation(input.schedule, xs, w.from_ms) : null,
    cooling_to_unload_h: coolingH(firing.end_ms === null ? xs : [...xs, ...instants(zoneSeries(points, { from_ms: w.to_ms + 1, to_ms: w.to_ms + AFTER_END_MS }), T.zone_fault_jump_c)], peak, o.unload_c),
    fuel: {
      by_meter: meters.map((m) => summarizeMeter(m, w, firing.stages)),
      source: chosen?.kind ?? null,
      source_reason: reason,
      source_complete: complete,
      fuel_kg,
      unmeasured_pct: fuel_kg === null ? null : pct(gap_kg, fuel_kg + gap_kg),
      peak_flow_kg_h: flow?.peak_flow_kg_h ?? null,
      mean_flow_kg_h: fuel_kg !== null && burning_h > 0 ? fuel_kg / burning_h : null,
      burning_h,
    },
    energy_mj: fuel_kg === null ? null : energyMj(fuel_kg, fuel),
    co2_kg: fuel_kg === null ? null : co2Kg(fuel_kg, fuel),
    cost: cost && { cost_vnd: cost.cost_vnd, unpriced_kg: cost.unpriced_kg, parts: cost.parts },
    fuel_spec: fuel,
    quality: {
      temp_coverage_pct: pct(temp_cov.covered_ms, window_ms),
      gas_coverage_pct: chosen?.coverage_pct ?? null,
      gaps: [...temp_cov.gaps, ...meters.flatMap((m) => m.gaps)].sort((a, b) => a.from_ms - b.from_ms),
      late_points: input.late_points ?? 0,
      resolution: input.resolution ?? 'raw',
    },
  };
}
