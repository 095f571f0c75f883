// A firing's curves for the dashboard's chart: each zone's temperature (bucket mean and max), the
// kiln temperature (hottest zone), gas flow and cumulative fuel, the planned curve and the stage
// bands, in at most `max_points` time buckets (docs/sources.md "Platform behaviour": serve history
// pre-aggregated; a 24 h firing at 1 Hz is 86,400 points per series). x is hours since the firing
// start, so the browser needs no date adapter.
//
// Pure: the buckets come in already aggregated (src/adapters/influx/curve-reader.ts asks InfluxDB
// for max and mean per bucket with GROUP BY time(), so no raw point crosses the network:
// docs/analytics.md measured 1.5–2.9 s to fetch a 24 h firing's raw temperatures, ~0.3 s for
// per-minute aggregates). curveBucketing decides the bucket; firingCurve lays the series out.
import type { FiringRecord } from '../firing/fold.ts';
import { scheduleSchema, type Schedule } from '../../wire/events.ts';
import { plannedCurve } from './schedule.ts';

const MS_PER_H = 3_600_000;
export type XY = readonly [number, number];

/** Smallest bucket: device timestamps are whole seconds at most 1 Hz apart (docs/mqtt.md). */
export const MIN_BUCKET_MS = 1000;

export interface CurveBucketing {
  readonly bucket_ms: number;
  /** InfluxQL GROUP BY time() offset so that buckets start at the firing start. */
  readonly offset_ms: number;
  /** Most buckets [start_ms, end_ms] can fall into (≤ max_points). */
  readonly buckets: number;
}

/** Whole-second buckets (whole `step_ms`), as few as make [start_ms, end_ms] (inclusive) fit max_points. */
export function curveBucketing(start_ms: number, end_ms: number, max_points: number, min_bucket_ms = MIN_BUCKET_MS, step_ms = 1000): CurveBucketing {
  const span_ms = Math.max(0, end_ms - start_ms) + 1; // inclusive of the point at end_ms
  const points = Math.max(1, Math.floor(max_points));
  const bucket_ms = Math.max(min_bucket_ms, Math.ceil(span_ms / points / step_ms) * step_ms);
  return { bucket_ms, offset_ms: ((start_ms % bucket_ms) + bucket_ms) % bucket_ms, buckets: Math.ceil(span_ms / bucket_ms) };
}

/** One temperature channel's bucket, as InfluxDB aggregated it; t_ms is the bucket start. */
export interface TempBucket { readonly t_ms: number; readonly max_c: number; readonly mean_c: number }
/** One flow meter's bucket: the mean of its n readings. */
export interface FlowBucket { readonly t_ms: number; readonly mean_kg_h: number; readonly n: number }

export interface CurveAggregates {
  readonly temps: Readonly<Record<string, readonly TempBucket[]>>;
  readonly flows: Readonly<Record<string, readonly FlowBucket[]>>;
  /** The data_json of firing_start events in the window (the schedule comes from the first that has one). */
  readonly start_events: readonly { readonly ts_ms: number; readonly data_json: string }[];
}

export interface FiringCurve {
  readonly firing_id: string;
  readonly start_ms: number;
  readonly end_ms: number;
  readonly bucket_s: number;
  /** Each zone's bucket mean. */
  readonly zones: Readonly<Record<string, readonly XY[]>>;
  /** Each zone's bucket max. */
  readonly zones_max: Readonly<Record<string, readonly XY[]>>;
  /** Each zone's highest reading in the firing (the max of its bucket maxima: exact, not a mean). */
  readonly peaks_c: Readonly<Record<string, number>>;
  /** The hottest zone's bucket max (the tracker's kiln temperature is the hottest thermocouple). */
  readonly kiln_c: readonly XY[];
  /** Bucket mean over every flow meter (summed across meters). */
  readonly flow_kg_h: readonly XY[];
  /** Cumulative kg: see `fuel_method`. */
  readonly fuel_kg: readonly XY[];
  /** 'report': the flow integral scaled so its last value is the report's fuel_kg (fuel_scale the factor);
   *  'flow': bucket mean × readings × sampling interval, summed (no report summary stored yet). */
  readonly fuel_method: 'report' | 'flow';
  readonly fuel_scale: number | null;
  readonly planned_c: readonly XY[] | null;
  readonly schedule_name: string | null;
  readonly stages: readonly { readonly stage: string; readonly from_h: number; readonly to_h: number }[];
}

const r = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;

function parseJson(s: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(s);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A meter's sampling interval from its buckets: the lower median of (next bucket start − this one) /
 *  readings in this one, over consecutive non-empty buckets. Dense buckets give bucket/n, sparse ones
 *  (bucket shorter than the interval) the spacing itself; a gap or a partly filled bucket only
 *  lengthens the spacing, hence the lower median. */
export function samplingIntervalMs(buckets: readonly FlowBucket[]): number | null {
  const xs: number[] = [];
  for (let i = 0; i + 1 < buckets.length; i++) {
    const a = buckets[i]!, b = buckets[i + 1]!;
    if (a.n > 0 && b.t_ms > a.t_ms) xs.push((b.t_ms - a.t_ms) / a.n);
  }
  if (xs.length === 0) return null;
  xs.sort((p, q) => p - q);
  return xs[Math.floor((xs.length - 1) / 2)]!;
}

/** Lay out the aggregated buckets; `report_fuel_kg` (the stored report's fuel) scales the cumulative fuel. */
export function firingCurve(record: FiringRecord, agg: CurveAggregates, end_ms: number, bucket_ms: number, report_fuel_kg: number | null, max_gap_s: number): FiringCurve {
  const start = record.start_ms;
  const n = Math.max(1, Math.ceil((Math.max(0, end_ms - start) + 1) / bucket_ms));
  const idx = (t_ms: number) => Math.floor((t_ms - start) / bucket_ms);
  const h = (i: number) => r((i * bucket_ms + bucket_ms / 2) / MS_PER_H, 4);
  const inRange = (i: number) => i >= 0 && i < n;
  const zones: Record<string, XY[]> = {}, zones_max: Record<string, XY[]> = {};
  const peaks_c: Record<string, number> = {};
  const kilnMax = new Float64Array(n).fill(-Infinity);
  let firstKiln: number | null = null;
  for (const name of Object.keys(agg.temps).sort()) {
    const mean: XY[] = [], hi: XY[] = [];
    let peak = -Infinity;
    for (const b of [...(agg.temps[name] ?? [])].sort((p, q) => p.t_ms - q.t_ms)) {
      const i = idx(b.t_ms);
      if (!inRange(i)) continue;
      mean.push([h(i), r(b.mean_c, 1)]);
      hi.push([h(i), r(b.max_c, 1)]);
      if (b.max_c > peak) peak = b.max_c;
      if (b.max_c > (kilnMax[i] ?? -Infinity)) kilnMax[i] = b.max_c;
    }
    if (mean.length === 0) continue;
    zones[name] = mean; zones_max[name] = hi; peaks_c[name] = peak;
  }
  const kiln_c: XY[] = [];
  for (let i = 0; i < n; i++) {
    const v = kilnMax[i] ?? -Infinity;
    if (v > -Infinity) { kiln_c.push([h(i), r(v, 1)]); firstKiln ??= v; }
  }
  // Flow: means summed across meters; fuel per bucket = mean × n × the meter's sampling interval (a
  // rectangle rule over the readings that exist: a gap adds nothing, as in the report, whose
  // integral does not bridge gaps over max_gap_s). The interval is capped at max_gap_s.
  const flowSum = new Float64Array(n), flowSeen = new Uint8Array(n), fuelAdd = new Float64Array(n);
  for (const buckets of Object.values(agg.flows)) {
    const sorted = [...buckets].sort((p, q) => p.t_ms - q.t_ms);
    const dt_ms = Math.min(samplingIntervalMs(sorted) ?? bucket_ms, max_gap_s * 1000);
    for (const b of sorted) {
      const i = idx(b.t_ms);
      if (!inRange(i) || b.n <= 0) continue;
      flowSum[i] = (flowSum[i] ?? 0) + b.mean_kg_h;
      flowSeen[i] = 1;
      fuelAdd[i] = (fuelAdd[i] ?? 0) + (b.mean_kg_h * b.n * dt_ms) / MS_PER_H;
    }
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += fuelAdd[i] ?? 0;
  const scale = report_fuel_kg !== null && total > 0 ? report_fuel_kg / total : null;
  const flow_kg_h: XY[] = [], fuel_kg: XY[] = [];
  let cum = 0;
  for (let i = 0; i < n; i++) {
    cum += fuelAdd[i] ?? 0;
    if (flowSeen[i]) { flow_kg_h.push([h(i), r(flowSum[i] ?? 0, 3)]); fuel_kg.push([h(i), r(cum * (scale ?? 1), 3)]); }
  }
  let schedule: Schedule | null = null;
  for (const e of [...agg.start_events].sort((a, b) => a.ts_ms - b.ts_ms)) {
    const s = scheduleSchema.safeParse(parseJson(e.data_json).schedule);
    if (s.success) { schedule = s.data; break; }
  }
  let planned_c: XY[] | null = null;
  // Laid from the first kiln temperature, as scheduleDeviation does.
  if (schedule && firstKiln !== null) {
    planned_c = plannedCurve(schedule, start, firstKiln).map((k) => [r((k.t_ms - start) / MS_PER_H, 4), r(k.temp_c, 1)] as const);
  }
  return {
    firing_id: record.id, start_ms: start, end_ms, bucket_s: bucket_ms / 1000,
    zones, zones_max, peaks_c, kiln_c, flow_kg_h, fuel_kg,
    fuel_method: scale === null ? 'flow' : 'report', fuel_scale: scale === null ? null : r(scale, 4),
    planned_c, schedule_name: schedule?.name ?? null,
    stages: record.stages.map((s) => ({ stage: s.stage, from_h: r((s.start_ms - start) / MS_PER_H, 4), to_h: r(((s.end_ms ?? end_ms) - start) / MS_PER_H, 4) })),
  };
}
