// Flow integration: table-driven, expected figures worked out by hand in the comments.
import { describe, expect, it } from 'vitest';
import { flowSegments, integrateFlow, type FlowIntegral, type FlowSample } from '../../../src/domain/analytics/fuel.ts';

const T0 = Date.UTC(2026, 0, 14, 5, 0, 0);
const MIN = 60_000;
const H = 3_600_000;
const s = (at_ms: number, flow_kg_h: number): FlowSample => ({ ts_ms: T0 + at_ms, flow_kg_h });

const cases: { name: string; samples: FlowSample[]; max_gap_s: number; want: FlowIntegral }[] = [
  {
    // trapezoid: (2 + 4)/2 kg/h × 0.5 h = 1.5 kg; mean 1.5 kg / 0.5 h = 3 kg/h
    name: 'one interval, simple trapezoid',
    samples: [s(0, 2), s(30 * MIN, 4)], max_gap_s: 3600,
    want: { fuel_kg: 1.5, covered_s: 1800, gaps: [], estimated_kg: 0, peak_flow_kg_h: 4, mean_flow_kg_h: 3 },
  },
  {
    // (0 + 6)/2 × 1 h = 3 kg, then 6 × 1 h = 6 kg: 9 kg over 2 h, mean 4.5 kg/h
    name: 'ramp then steady',
    samples: [s(0, 0), s(H, 6), s(2 * H, 6)], max_gap_s: 3600,
    want: { fuel_kg: 9, covered_s: 7200, gaps: [], estimated_kg: 0, peak_flow_kg_h: 6, mean_flow_kg_h: 4.5 },
  },
  {
    // covered: 4 kg/h × 60 s = 4/60 kg, and 2 kg/h × 60 s = 2/60 kg: 0.1 kg over 120 s (mean 3 kg/h).
    // The 3,600 s between 60 s and 3,660 s exceeds max_gap_s = 120: not bridged. A straight
    // line across it would add (4 + 2)/2 × 1 h = 3 kg: reported as estimated_kg only.
    name: 'gap longer than max_gap_s is reported, not bridged',
    samples: [s(0, 4), s(MIN, 4), s(61 * MIN, 2), s(62 * MIN, 2)], max_gap_s: 120,
    want: {
      fuel_kg: 0.1, covered_s: 120, gaps: [{ from_ms: T0 + MIN, to_ms: T0 + 61 * MIN, duration_s: 3600 }],
      estimated_kg: 3, peak_flow_kg_h: 4, mean_flow_kg_h: 3,
    },
  },
  {
    // same as the first case once sorted; at T0 the later input (2 kg/h) wins over 9 kg/h,
    // as a rewritten point does in InfluxDB: 1.5 kg
    name: 'unsorted input with a duplicate timestamp',
    samples: [s(30 * MIN, 4), s(0, 9), s(0, 2)], max_gap_s: 3600,
    want: { fuel_kg: 1.5, covered_s: 1800, gaps: [], estimated_kg: 0, peak_flow_kg_h: 4, mean_flow_kg_h: 3 },
  },
  {
    // an interval of exactly max_gap_s is integrated: 3 kg/h × 2 min = 0.1 kg
    name: 'interval equal to max_gap_s is covered',
    samples: [s(0, 3), s(2 * MIN, 3)], max_gap_s: 120,
    want: { fuel_kg: 0.1, covered_s: 120, gaps: [], estimated_kg: 0, peak_flow_kg_h: 3, mean_flow_kg_h: 3 },
  },
  {
    // a meter zero offset of −0.2 kg/h reads as 0: (0 + 0)/2 × 1 h = 0 kg
    name: 'negative flow (zero offset) counts as none',
    samples: [s(0, -0.2), s(H, 0)], max_gap_s: 3600,
    want: { fuel_kg: 0, covered_s: 3600, gaps: [], estimated_kg: 0, peak_flow_kg_h: 0, mean_flow_kg_h: 0 },
  },
  {
    name: 'a single sample covers no time',
    samples: [s(0, 5)], max_gap_s: 60,
    want: { fuel_kg: 0, covered_s: 0, gaps: [], estimated_kg: 0, peak_flow_kg_h: 5, mean_flow_kg_h: 0 },
  },
  {
    name: 'no samples',
    samples: [], max_gap_s: 60,
    want: { fuel_kg: 0, covered_s: 0, gaps: [], estimated_kg: 0, peak_flow_kg_h: 0, mean_flow_kg_h: 0 },
  },
];

describe('integrateFlow', () => {
  it.each(cases)('$name', ({ samples, max_gap_s, want }) => {
    const got = integrateFlow(samples, { max_gap_s });
    expect(got.fuel_kg).toBeCloseTo(want.fuel_kg, 9);
    expect(got.covered_s).toBeCloseTo(want.covered_s, 9);
    expect(got.gaps).toEqual(want.gaps);
    expect(got.estimated_kg).toBeCloseTo(want.estimated_kg, 9);
    expect(got.peak_flow_kg_h).toBe(want.peak_flow_kg_h);
    expect(got.mean_flow_kg_h).toBeCloseTo(want.mean_flow_kg_h, 9);
  });

  it('ignores non-finite readings', () => {
    // NaN dropped: the 2 and 4 kg/h samples remain, 1.5 kg as in the first case
    const got = integrateFlow([s(0, 2), s(10 * MIN, Number.NaN), s(30 * MIN, 4)], { max_gap_s: 3600 });
    expect(got.fuel_kg).toBeCloseTo(1.5, 9);
  });
});

describe('flowSegments', () => {
  it('gives one segment per covered interval, at its midpoint, without the gaps', () => {
    // 0→1 h: (0 + 6)/2 × 1 = 3 kg at 0.5 h; 1→2 h: 6 kg at 1.5 h; 2→5 h is a gap (> 1 h): left out
    const got = flowSegments([s(0, 0), s(H, 6), s(2 * H, 6), s(5 * H, 6)], { max_gap_s: 3600 });
    expect(got).toEqual([{ ts_ms: T0 + 0.5 * H, kg: 3 }, { ts_ms: T0 + 1.5 * H, kg: 6 }]);
  });
});
