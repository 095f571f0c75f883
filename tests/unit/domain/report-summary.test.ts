// summarizeFiring on the hand-made firing of tests/fixtures/report/hand.ts: curve figures worked
// out by hand in the comments.
import { describe, expect, it } from 'vitest';
import { plannedCurve, summarizeFiring, type SummaryInput } from '../../../src/domain/report/index.ts';
import { at, PRICES, RECORD, temperatures } from '../../fixtures/report/hand.ts';

const H = 3_600_000;
const base: SummaryInput = { firing: RECORD, points: temperatures(), prices: PRICES };
// Planned: 100 → 700 at 500 °C/h (72 min), hold 20 min, → 200 at −600 °C/h (50 min): ends at 142 min.
const SCHEDULE = { segments: [{ rate_c_h: 500, target_c: 700, hold_min: 20 }, { rate_c_h: -600, target_c: 200, hold_min: 0 }] };

describe('the curve of a short two-zone firing', () => {
  const s = summarizeFiring({ ...base, schedule: SCHEDULE });
  it.each([
    ['start, end, duration: 131 min', { start_ms: at(0), end_ms: at(131), duration_h: 131 / 60, open: false }],
    // top peaks first at t = 60; bottom holds at 690
    ['peaks per zone and overall', { peak_c: 700, peak_ms: at(60), peak_c_by_zone: { top: 700, bottom: 690 } }],
    // the kiln (hottest zone) is ≥ 690 from t = 59 (690) to t = 81 (690): 22 min
    ['soak at peak within 10 °C', { soak_at_peak_min: 22 }],
    // peak (t = 60) to the first reading under 200 °C (t = 131): 71 min
    ['cooling to unload', { cooling_to_unload_h: 71 / 60 }],
  ] as const)('%s', (_name, want) => {
    expect(s).toMatchObject(want);
  });

  it('heating rates: (700 − 100) °C in 1 h; steady 600 °C/h over any 10 min; last 100 °C 600 °C/h → cone 019', () => {
    expect(s.heating.mean_rate_c_h).toBeCloseTo(600, 9);
    expect(s.heating.max_rate_c_h).toBeCloseTo(600, 9);
    expect(s.heating.max_rate_window_s).toBe(600);
    // ramp.ts steps: 600 °C first at t = 50, 700 °C at t = 60: 100 °C in 10 min
    expect(s.heating.last100_rate_c_h).toBeCloseTo(600, 9);
    expect(s.heating.cone?.label).toBe('cone 019'); // rate clamped to the chart's 150 °C/h: 019 bends at 695 °C
    expect(s.heating.cone_with_soak_estimate?.estimate).toBe(true);
  });

  it('spread: 20 °C all through the heating (and at the peak, t = 60)', () => {
    expect(s.spread).toEqual({ heating_max_c: 20, heating_p95_c: 20, at_peak_c: 20 });
  });

  it('deviation from the schedule, worked by hand', () => {
    // |actual − planned|: 0 → 100 over 0–60 (mean 50), 100 → 0 over 60–72 (50), 0 over 72–80,
    // 0 → 120 over 80–92 (60), then 120 to t = 131 (the plan's cooling runs 12 min behind).
    // Time-weighted: (50·60 + 50·12 + 0·8 + 60·12 + 120·39) / 131 = 9,000 / 131 = 68.70 °C
    expect(s.schedule).not.toBeNull();
    expect(s.schedule!.max_dev_c).toBeCloseTo(120, 9);
    expect(s.schedule!.mean_dev_c).toBeCloseTo(9000 / 131, 9);
    expect(s.schedule!.planned_duration_h).toBeCloseTo(142 / 60, 9);
    expect(plannedCurve(SCHEDULE, 0, 100).map((k) => [k.t_ms / 60_000, k.temp_c])).toEqual([[0, 100], [72, 700], [92, 700], [142, 200]]);
  });

  it('no gas meter: every fuel figure is null with the reason, never 0', () => {
    expect(s.fuel).toMatchObject({ source: null, fuel_kg: null, source_reason: 'no gas meter readings in this firing' });
    expect([s.energy_mj, s.co2_kg, s.cost, s.quality.gas_coverage_pct]).toEqual([null, null, null, null]);
  });
});

describe('data quality', () => {
  it.each([
    // no gap: readings every minute from t = 0 to 131
    { name: 'complete', skip: () => false, coverage_pct: 100, gaps: [] as number[][] },
    // no readings t = 100…110: a 12 min gap from t = 99 to 111; covered (131 − 12) / 131
    { name: '12 min without temperatures', skip: (t: number) => t >= 100 && t <= 110, coverage_pct: (100 * 119) / 131, gaps: [[99, 111]] },
  ])('$name', ({ skip, coverage_pct, gaps }) => {
    const s = summarizeFiring({ ...base, points: temperatures(skip), late_points: 3 });
    expect(s.quality.temp_coverage_pct).toBeCloseTo(coverage_pct, 9);
    expect(s.quality.gaps.map((g) => [(g.from_ms - at(0)) / 60_000, (g.to_ms - at(0)) / 60_000])).toEqual(gaps);
    expect(s.quality.late_points).toBe(3);
  });

  it('an open firing runs to the newest reading and says so', () => {
    const s = summarizeFiring({ ...base, firing: { ...RECORD, end_ms: null }, points: temperatures((t) => t > 100) });
    expect(s).toMatchObject({ open: true, end_ms: at(100), duration_h: 100 / 60, cooling_to_unload_h: null });
    expect(s.end_ms - s.start_ms).toBe(100 * H / 60);
  });
});
