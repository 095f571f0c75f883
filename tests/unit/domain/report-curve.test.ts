// The chart curve's pure part: bucketing (never more buckets than asked, whole seconds, aligned on
// the firing start) and the layout of InfluxDB's aggregates (peaks, hottest zone, cumulative fuel
// from bucket means and its scaling to the report's figure). No I/O: aggregates are data.
import { describe, expect, it } from 'vitest';
import { curveBucketing, firingCurve, samplingIntervalMs, type CurveAggregates, type FlowBucket } from '../../../src/domain/report/curve.ts';
import type { FiringRecord } from '../../../src/domain/firing/fold.ts';

const H = 3_600_000;
const T0 = Date.UTC(2025, 0, 1, 0, 0, 7); // not on a minute: the offset must align buckets on it

describe('curveBucketing', () => {
  it.each([
    // span, points → bucket_ms, buckets
    { span_ms: 24 * H, points: 2000, bucket_ms: 44_000, buckets: 1964 },
    { span_ms: 24 * H, points: 1500, bucket_ms: 58_000, buckets: 1490 },
    { span_ms: 24 * H, points: 86_400, bucket_ms: 2000, buckets: 43_201 },
    { span_ms: 600_000, points: 2000, bucket_ms: 1000, buckets: 601 }, // at least 1 s
    { span_ms: 0, points: 100, bucket_ms: 1000, buckets: 1 },
  ])('$span_ms ms in ≤ $points buckets → $bucket_ms ms', ({ span_ms, points, bucket_ms, buckets }) => {
    const b = curveBucketing(T0, T0 + span_ms, points);
    expect(b.bucket_ms).toBe(bucket_ms);
    expect(b.buckets).toBe(buckets);
    expect(b.bucket_ms % 1000).toBe(0);
    if (b.bucket_ms > 1000) expect(b.buckets).toBeLessThanOrEqual(points);
    expect((T0 - b.offset_ms) % b.bucket_ms).toBe(0); // buckets start at the firing start
  });
});

describe('samplingIntervalMs', () => {
  const dense = (n: number, per: number, bucket_ms: number): FlowBucket[] => Array.from({ length: n }, (_, i) => ({ t_ms: i * bucket_ms, mean_kg_h: 5, n: per }));
  it.each([
    { what: '60 s buckets of 1 Hz readings', buckets: dense(10, 60, 60_000), want: 1000 },
    { what: '1 s buckets of 10 s readings (sparse)', buckets: Array.from({ length: 10 }, (_, i) => ({ t_ms: i * 10_000, mean_kg_h: 5, n: 1 })), want: 10_000 },
    { what: 'a gap is one outlier', buckets: [...dense(5, 60, 60_000), { t_ms: 3_600_000, mean_kg_h: 5, n: 60 }, { t_ms: 3_660_000, mean_kg_h: 5, n: 60 }], want: 1000 },
    { what: 'one bucket: unknown', buckets: dense(1, 60, 60_000), want: null },
  ])('$what', ({ buckets, want }) => expect(samplingIntervalMs(buckets)).toBe(want));
});

describe('firingCurve', () => {
  const record: FiringRecord = {
    id: 'f1', by: 'controller', start_ms: T0, end_ms: T0 + 2 * H, reason: 'complete', target_c: null, peak_c: 1001, peak_ms: T0 + H,
    last100_rate_c_h: null, cone: null, stages: [{ stage: 'water_smoking', start_ms: T0, end_ms: T0 + H }, { stage: 'cooling', start_ms: T0 + H, end_ms: null }], gaps: [],
    gas_on_ms: null, gas_off_ms: null, status: 'ended',
  };
  const bucket_ms = 60_000;
  const agg: CurveAggregates = {
    temps: {
      z2: [{ t_ms: T0, max_c: 100, mean_c: 90 }, { t_ms: T0 + 60_000, max_c: 1001, mean_c: 995 }],
      z1: [{ t_ms: T0, max_c: 120, mean_c: 110 }, { t_ms: T0 + 60_000, max_c: 990, mean_c: 980 }, { t_ms: T0 - 60_000, max_c: 5000, mean_c: 5000 }], // before the start: ignored
    },
    // 1 Hz: 60 readings per full bucket, a missing minute (not bridged), 10 kg/h throughout.
    flows: { burner: [{ t_ms: T0, mean_kg_h: 10, n: 60 }, { t_ms: T0 + 60_000, mean_kg_h: 10, n: 60 }, { t_ms: T0 + 180_000, mean_kg_h: 10, n: 30 }] },
    start_events: [{ ts_ms: T0, data_json: JSON.stringify({ schedule: { name: 's1', segments: [{ rate_c_h: 100, target_c: 1000, hold_min: 10 }] } }) }],
  };

  it('peaks are the max of the bucket maxima; the kiln is the hottest zone; zones sorted', () => {
    const c = firingCurve(record, agg, T0 + 2 * H, bucket_ms, null, 120);
    expect(Object.keys(c.zones)).toEqual(['z1', 'z2']);
    expect(c.peaks_c).toEqual({ z1: 990, z2: 1001 });
    expect(c.kiln_c).toEqual([[0.0083, 120], [0.025, 1001]]);
    expect(c.zones.z1).toEqual([[0.0083, 110], [0.025, 980]]);
    expect(c.schedule_name).toBe('s1');
    expect(c.planned_c).not.toBeNull();
    expect(c.stages).toEqual([{ stage: 'water_smoking', from_h: 0, to_h: 1 }, { stage: 'cooling', from_h: 1, to_h: 2 }]);
  });

  it('cumulative fuel: mean × readings × interval (a gap adds nothing), scaled to the report when it has a figure', () => {
    const flow = firingCurve(record, agg, T0 + 2 * H, bucket_ms, null, 120);
    // 150 readings × 1 s × 10 kg/h = 0.41667 kg
    expect(flow.fuel_method).toBe('flow');
    expect(flow.fuel_kg.map(([, y]) => y)).toEqual([0.167, 0.333, 0.417]);
    const scaled = firingCurve(record, agg, T0 + 2 * H, bucket_ms, 0.5, 120);
    expect(scaled.fuel_method).toBe('report');
    expect(scaled.fuel_scale).toBe(1.2);
    expect(scaled.fuel_kg.at(-1)![1]).toBe(0.5);
  });
});
