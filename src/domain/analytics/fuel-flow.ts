// Fuel from a flow meter: trapezoid integration of kg/h samples over device time.
// Gaps are NOT bridged: InfluxQL's INTEGRAL() draws a straight line across a dropped sensor
// and inflates the total (docs/influx.md, "Gaps"). What bridging would add is reported apart.

export interface Timed { readonly ts_ms: number }

/**
 * Sorted by ts_ms, one sample per instant. On a duplicate timestamp the later sample in the
 * input wins, as a rewrite of the same point does in InfluxDB (last write wins).
 */
export function timeOrdered<T extends Timed>(samples: readonly T[]): T[] {
  // Array.prototype.sort is stable (ES2019), so equal timestamps keep their input order.
  const sorted = samples.filter((s) => Number.isFinite(s.ts_ms)).sort((a, b) => a.ts_ms - b.ts_ms);
  const out: T[] = [];
  for (const s of sorted) {
    if (out.length > 0 && out[out.length - 1]!.ts_ms === s.ts_ms) out[out.length - 1] = s;
    else out.push(s);
  }
  return out;
}

export interface FlowSample { readonly ts_ms: number; readonly flow_kg_h: number }
export interface FlowOpts {
  /** Longest interval between two samples that is integrated; longer ones are gaps. */
  readonly max_gap_s: number;
}
export interface Gap { readonly from_ms: number; readonly to_ms: number; readonly duration_s: number }

export interface FlowIntegral {
  /** Trapezoid integral over intervals ≤ max_gap_s only. */
  readonly fuel_kg: number;
  /** Time inside integrated intervals. */
  readonly covered_s: number;
  readonly gaps: readonly Gap[];
  /** What a straight line across each gap WOULD add; never included in fuel_kg. */
  readonly estimated_kg: number;
  readonly peak_flow_kg_h: number;
  /** Time-weighted mean over covered time: fuel_kg ÷ covered hours (0 with no coverage). */
  readonly mean_flow_kg_h: number;
}

/** One interval between consecutive samples, and the fuel a straight line across it gives. */
export interface FlowInterval {
  readonly from_ms: number;
  readonly to_ms: number;
  readonly fuel_kg: number;
  readonly is_gap: boolean;
}

const MS_PER_H = 3_600_000;

/**
 * Cleaned samples: non-finite values dropped; a negative flow (a thermal mass meter's zero
 * offset with the burners off) read as 0, since gas never flows back out of a kiln.
 */
function cleanFlow(samples: readonly FlowSample[]): FlowSample[] {
  return timeOrdered(samples.filter((s) => Number.isFinite(s.flow_kg_h)))
    .map((s) => (s.flow_kg_h < 0 ? { ts_ms: s.ts_ms, flow_kg_h: 0 } : s));
}

export function flowIntervals(samples: readonly FlowSample[], opts: FlowOpts): FlowInterval[] {
  const xs = cleanFlow(samples);
  const out: FlowInterval[] = [];
  for (let i = 1; i < xs.length; i++) {
    const a = xs[i - 1]!;
    const b = xs[i]!;
    const dt_ms = b.ts_ms - a.ts_ms;
    out.push({
      from_ms: a.ts_ms, to_ms: b.ts_ms,
      fuel_kg: ((a.flow_kg_h + b.flow_kg_h) / 2) * (dt_ms / MS_PER_H),
      is_gap: dt_ms > opts.max_gap_s * 1000,
    });
  }
  return out;
}

export function integrateFlow(samples: readonly FlowSample[], opts: FlowOpts): FlowIntegral {
  let fuel_kg = 0;
  let covered_ms = 0;
  let estimated_kg = 0;
  const gaps: Gap[] = [];
  for (const iv of flowIntervals(samples, opts)) {
    const dt_ms = iv.to_ms - iv.from_ms;
    if (iv.is_gap) {
      gaps.push({ from_ms: iv.from_ms, to_ms: iv.to_ms, duration_s: dt_ms / 1000 });
      estimated_kg += iv.fuel_kg;
    } else {
      fuel_kg += iv.fuel_kg;
      covered_ms += dt_ms;
    }
  }
  const peak_flow_kg_h = cleanFlow(samples).reduce((m, s) => Math.max(m, s.flow_kg_h), 0);
  return {
    fuel_kg, covered_s: covered_ms / 1000, gaps, estimated_kg, peak_flow_kg_h,
    mean_flow_kg_h: covered_ms > 0 ? fuel_kg / (covered_ms / MS_PER_H) : 0,
  };
}

/**
 * The consumption timeline for pricing (costOfConsumption): one segment per integrated
 * interval, stamped at its midpoint. Gaps are left out, as in fuel_kg.
 */
export function flowSegments(samples: readonly FlowSample[], opts: FlowOpts): { ts_ms: number; kg: number }[] {
  return flowIntervals(samples, opts)
    .filter((iv) => !iv.is_gap)
    .map((iv) => ({ ts_ms: (iv.from_ms + iv.to_ms) / 2, kg: iv.fuel_kg }));
}
