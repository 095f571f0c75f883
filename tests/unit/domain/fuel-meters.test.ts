// Totaliser registers and cylinder scales: table-driven, figures worked by hand in comments.
import { describe, expect, it } from 'vitest';
import {
  scaleConsumption, totalizerConsumption,
  type ScaleOpts, type ScaleResult, type TotalizerOpts, type TotalizerResult,
} from '../../../src/domain/analytics/fuel.ts';

const T0 = Date.UTC(2026, 0, 14, 5, 0, 0);
const MIN = 60_000;
/** One reading a minute from T0. */
const totals = (...xs: number[]) => xs.map((total, i) => ({ ts_ms: T0 + i * MIN, total }));
const masses = (...xs: number[]) => xs.map((mass_kg, i) => ({ ts_ms: T0 + i * MIN, mass_kg }));

describe('totalizerConsumption', () => {
  const cases: { name: string; samples: { ts_ms: number; total: number }[]; opts: TotalizerOpts; want: TotalizerResult }[] = [
    {
      // 101.2 − 100 = 1.2
      name: 'a steadily rising register',
      samples: totals(100, 100.5, 101.2), opts: {},
      want: { consumed: 1.2, rollovers: 0, resets: [] },
    },
    {
      // 99,999.9 − 99,999.2 = 0.7; wrap: 100,000 − 99,999.9 + 0.4 = 0.5; 1.0 − 0.4 = 0.6: 1.8 in all
      name: 'rollover at 100,000',
      samples: totals(99_999.2, 99_999.9, 0.4, 1.0), opts: { rollover_at: 100_000 },
      want: { consumed: 1.8, rollovers: 1, resets: [] },
    },
    {
      // 502 − 500 = 2; the drop to 3 is a reset (no rollover configured): nothing counted
      // across it; 5 − 3 = 2: 4 in all
      name: 'meter reset',
      samples: totals(500, 502, 3, 5), opts: {},
      want: { consumed: 4, rollovers: 0, resets: [{ at_ms: T0 + 2 * MIN, from: 502, to: 3 }] },
    },
    {
      // the wrap would mean 100,000 − 50,010 + 0 = 49,990 in a minute, more than
      // max_wrap_step (default 100,000 / 10): a meter replacement. 10 + 7 = 17
      name: 'a drop far from the rollover value is a reset',
      samples: totals(50_000, 50_010, 0, 7), opts: { rollover_at: 100_000 },
      want: { consumed: 17, rollovers: 0, resets: [{ at_ms: T0 + 2 * MIN, from: 50_010, to: 0 }] },
    },
    {
      // 10.3 − 10 = 0.3; the 0.1 dip is jitter (≤ 0.2): the high mark stays 10.3; 10.5 − 10.3 = 0.2: 0.5
      name: 'jitter below the tolerance is not a reset',
      samples: totals(10, 10.3, 10.2, 10.5), opts: { jitter: 0.2 },
      want: { consumed: 0.5, rollovers: 0, resets: [] },
    },
    {
      // 1.2 as in the first case once sorted; the duplicate at T0 keeps the later input (100)
      name: 'unsorted with a duplicate',
      samples: [{ ts_ms: T0 + 2 * MIN, total: 101.2 }, { ts_ms: T0, total: 90 }, { ts_ms: T0 + MIN, total: 100.5 }, { ts_ms: T0, total: 100 }],
      opts: {},
      want: { consumed: 1.2, rollovers: 0, resets: [] },
    },
    { name: 'no samples', samples: [], opts: {}, want: { consumed: 0, rollovers: 0, resets: [] } },
  ];
  it.each(cases)('$name', ({ samples, opts, want }) => {
    const got = totalizerConsumption(samples, opts);
    expect(got.consumed).toBeCloseTo(want.consumed, 9);
    expect(got.rollovers).toBe(want.rollovers);
    expect(got.resets).toEqual(want.resets);
  });
});

describe('scaleConsumption', () => {
  const cases: { name: string; samples: { ts_ms: number; mass_kg: number }[]; opts: ScaleOpts; want: ScaleResult }[] = [
    {
      // ±0.05 kg noise and a one-reading spike to 30 kg (someone lifting the cylinder): 30 is
      // 19.8 kg below its left neighbours' median (49.825) and 19.55 kg below its right ones'
      // (49.55), both > 3 × 0.1: replaced by the median of the four, 49.70. Rises within the
      // noise (49.80 → 49.85) are ignored. With one cylinder the sum of drops telescopes to
      // first − last = 50.00 − 49.40 = 0.60 kg. (Unfiltered, the spike alone would add 19.8 kg.)
      name: 'noise and a spike on one cylinder',
      samples: masses(50.0, 49.95, 49.8, 49.85, 30.0, 49.6, 49.5, 49.55, 49.4),
      opts: { swap_min_rise_kg: 20, noise_kg: 0.1 },
      want: { fuel_kg: 0.6, swaps: [], off_scale_samples: 0 },
    },
    {
      // old cylinder 42.6 → 42.3 = 0.3 kg; lifted off (0.2, 0.1, 0.1: three readings more than
      // 20 kg below the level, and more than 10 kg/h × 1 min could burn: off the scale);
      // new cylinder 86.0 → 85.6 = 0.4 kg. Total 0.7 kg, one swap 42.3 → 86.0 at minute 6.
      name: 'cylinder swap with the cylinder off the scale in between',
      samples: masses(42.6, 42.5, 42.3, 0.2, 0.1, 0.1, 86.0, 85.9, 85.8, 85.6),
      opts: { swap_min_rise_kg: 20, noise_kg: 0.1, max_flow_kg_h: 10 },
      want: { fuel_kg: 0.7, swaps: [{ at_ms: T0 + 6 * MIN, before_kg: 42.3, after_kg: 86.0 }], off_scale_samples: 3 },
    },
    {
      // direct swap with no empty reading: 42.6 − 42.3 = 0.3 plus 86.0 − 85.6 = 0.4: 0.7 kg
      name: 'cylinder swap without an empty reading',
      samples: masses(42.6, 42.5, 42.3, 86.0, 85.9, 85.8, 85.6),
      opts: { swap_min_rise_kg: 20, noise_kg: 0.1 },
      want: { fuel_kg: 0.7, swaps: [{ at_ms: T0 + 3 * MIN, before_kg: 42.3, after_kg: 86.0 }], off_scale_samples: 0 },
    },
  ];
  it.each(cases)('$name', ({ samples, opts, want }) => {
    const got = scaleConsumption(samples, opts);
    expect(got.fuel_kg).toBeCloseTo(want.fuel_kg, 9);
    expect(got.swaps).toEqual(want.swaps);
    expect(got.off_scale_samples).toBe(want.off_scale_samples);
  });

  it('counts a big drop across a data gap only if the burners could have used it', () => {
    // 50.0, 49.9, then 3 h without data, then 20.0, 19.9, 19.8. A 29.9 kg drop in 3 h is
    // possible at 12 kg/h (36 kg): counted, 50.0 − 19.8 = 30.2 kg.
    const samples = [
      { ts_ms: T0, mass_kg: 50.0 }, { ts_ms: T0 + MIN, mass_kg: 49.9 },
      { ts_ms: T0 + 181 * MIN, mass_kg: 20.0 }, { ts_ms: T0 + 182 * MIN, mass_kg: 19.9 }, { ts_ms: T0 + 183 * MIN, mass_kg: 19.8 },
    ];
    const known = scaleConsumption(samples, { swap_min_rise_kg: 20, noise_kg: 0.1, max_flow_kg_h: 12 });
    expect(known.fuel_kg).toBeCloseTo(30.2, 9);
    expect(known.off_scale_samples).toBe(0);
    // Without a burner capacity the drop (> 20 kg) reads as "off the scale": only 50.0 − 49.9
    // = 0.1 kg is counted and the three skipped readings are reported.
    const unknown = scaleConsumption(samples, { swap_min_rise_kg: 20, noise_kg: 0.1 });
    expect(unknown.fuel_kg).toBeCloseTo(0.1, 9);
    expect(unknown.off_scale_samples).toBe(3);
  });

  it('a one-reading spike upwards is not a swap', () => {
    // 75.0 is 30 kg above both sides (someone sat on the cylinder): replaced by the median of
    // 45.0, 44.9, 44.8, 44.7 = 44.85; no swap. 45.0 − 44.6 = 0.4 kg
    const got = scaleConsumption(masses(45.0, 44.9, 75.0, 44.8, 44.7, 44.6), { swap_min_rise_kg: 20, noise_kg: 0.05 });
    expect(got.swaps).toEqual([]);
    expect(got.fuel_kg).toBeCloseTo(0.4, 9);
  });

  it('is empty with no samples', () => {
    expect(scaleConsumption([], { swap_min_rise_kg: 20, noise_kg: 0.1 })).toEqual({ fuel_kg: 0, swaps: [], off_scale_samples: 0 });
  });
});
