// A firing's curves for a chart (issue 5): each zone's temperature, the kiln temperature (hottest
// zone), gas flow and cumulative fuel from the flow meter, the planned curve and the stage bands,
// in at most `max_points` time buckets (design-notes "Browser": serve history pre-aggregated;
// a 24 h firing at 1 Hz is 86,400 points per series). x is hours since the firing start, so the
// browser needs no date adapter. Temperatures are the bucket's mean; flow its mean.
import type { FiringRecord } from '../firing/fold.ts';
import type { Point } from '../point.ts';
import { scheduleSchema, type Schedule } from '../../wire/events.ts';
import { plannedCurve } from './schedule.ts';

const MS_PER_H = 3_600_000;
export type XY = readonly [number, number];

export interface FiringCurve {
  readonly firing_id: string;
  readonly start_ms: number;
  readonly end_ms: number;
  readonly bucket_s: number;
  readonly zones: Readonly<Record<string, readonly XY[]>>;
  readonly kiln_c: readonly XY[];
  readonly flow_kg_h: readonly XY[];
  /** Cumulative kg from the flow meter only (trapezoids, gaps longer than max_gap_s not bridged). */
  readonly fuel_kg: readonly XY[];
  readonly planned_c: readonly XY[] | null;
  readonly schedule_name: string | null;
  readonly stages: readonly { readonly stage: string; readonly from_h: number; readonly to_h: number }[];
}

const r = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;

function parseJson(s: unknown): Record<string, unknown> {
  if (typeof s !== 'string') return {};
  try {
    const v: unknown = JSON.parse(s);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function firingCurve(record: FiringRecord, points: readonly Point[], end_ms: number, max_points: number, max_gap_s: number): FiringCurve {
  const start = record.start_ms;
  const span_ms = Math.max(1000, end_ms - start);
  const bucket_ms = Math.max(1000, Math.ceil(span_ms / Math.max(1, max_points) / 1000) * 1000);
  const n = Math.floor(span_ms / bucket_ms) + 1;
  const h = (i: number) => r((i * bucket_ms + bucket_ms / 2) / MS_PER_H, 4);
  const zoneAcc = new Map<string, { sum: Float64Array; cnt: Uint32Array }>();
  const flowSum = new Float64Array(n), flowCnt = new Uint32Array(n), fuelAdd = new Float64Array(n);
  const lastFlow = new Map<string, { ts_ms: number; kg_h: number }>();
  let schedule: Schedule | null = null;
  let firstKiln: number | null = null;
  const sorted = [...points].sort((a, b) => a.ts_ms - b.ts_ms);
  for (const p of sorted) {
    if (p.ts_ms < start || p.ts_ms > end_ms) continue;
    const i = Math.min(n - 1, Math.floor((p.ts_ms - start) / bucket_ms));
    if (p.measurement === 'temperature' && typeof p.fields.temp_c === 'number') {
      let z = zoneAcc.get(p.tags.channel);
      if (!z) zoneAcc.set(p.tags.channel, (z = { sum: new Float64Array(n), cnt: new Uint32Array(n) }));
      z.sum[i] = (z.sum[i] ?? 0) + p.fields.temp_c;
      z.cnt[i] = (z.cnt[i] ?? 0) + 1;
    } else if (p.measurement === 'gas_flow' && typeof p.fields.flow_kg_h === 'number') {
      const f = p.fields.flow_kg_h;
      flowSum[i] = (flowSum[i] ?? 0) + f;
      flowCnt[i] = (flowCnt[i] ?? 0) + 1;
      const prev = lastFlow.get(p.tags.channel);
      if (prev && p.ts_ms > prev.ts_ms && p.ts_ms - prev.ts_ms <= max_gap_s * 1000) {
        fuelAdd[i] = (fuelAdd[i] ?? 0) + ((prev.kg_h + f) / 2) * ((p.ts_ms - prev.ts_ms) / MS_PER_H);
      }
      lastFlow.set(p.tags.channel, { ts_ms: p.ts_ms, kg_h: f });
    } else if (p.measurement === 'event' && p.tags.type === 'firing_start' && schedule === null) {
      const s = scheduleSchema.safeParse(parseJson(p.fields.data_json).schedule);
      if (s.success) schedule = s.data;
    }
  }
  const zones: Record<string, XY[]> = {};
  const kilnMax = new Float64Array(n).fill(-Infinity);
  for (const [name, z] of [...zoneAcc].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const xs: XY[] = [];
    for (let i = 0; i < n; i++) {
      const c = z.cnt[i] ?? 0;
      if (c === 0) continue;
      const v = (z.sum[i] ?? 0) / c;
      xs.push([h(i), r(v, 1)]);
      if (v > (kilnMax[i] ?? -Infinity)) kilnMax[i] = v;
    }
    zones[name] = xs;
  }
  const kiln_c: XY[] = [];
  for (let i = 0; i < n; i++) {
    const v = kilnMax[i] ?? -Infinity;
    if (v > -Infinity) { kiln_c.push([h(i), r(v, 1)]); firstKiln ??= v; }
  }
  const flow_kg_h: XY[] = [], fuel_kg: XY[] = [];
  let cum = 0;
  for (let i = 0; i < n; i++) {
    cum += fuelAdd[i] ?? 0;
    const c = flowCnt[i] ?? 0;
    if (c > 0) { flow_kg_h.push([h(i), r((flowSum[i] ?? 0) / c, 3)]); fuel_kg.push([h(i), r(cum, 3)]); }
  }
  let planned_c: XY[] | null = null;
  // Laid from the first kiln temperature, as scheduleDeviation does.
  if (schedule && firstKiln !== null) {
    planned_c = plannedCurve(schedule, start, firstKiln).map((k) => [r((k.t_ms - start) / MS_PER_H, 4), r(k.temp_c, 1)] as const);
  }
  return {
    firing_id: record.id, start_ms: start, end_ms, bucket_s: bucket_ms / 1000, zones, kiln_c, flow_kg_h, fuel_kg, planned_c, schedule_name: schedule?.name ?? null,
    stages: record.stages.map((s) => ({ stage: s.stage, from_h: r((s.start_ms - start) / MS_PER_H, 4), to_h: r(((s.end_ms ?? end_ms) - start) / MS_PER_H, 4) })),
  };
}
