// IPMVP-style comparison of gas firings with a user-entered coal baseline. Hand-worked figures:
//   baseline: 1,000 kg coal × 26.7 MJ/kg = 26,700 MJ for 800 kg ware × 0.70 yield = 560 kg good
//             → 47.6786 MJ/kg good (33.375 MJ/kg set)
//   gas firing A: 100 kg LPG × 47.3 = 4,730 MJ for 900 kg × 0.90 = 810 kg good
//             → baseline for 810 kg = 47.6786 × 810 = 38,619.64 MJ; avoided 38,619.64 − 4,730 = 33,889.64 MJ
//   cost: 1,000 kg × 3,000 VND = 3,000,000 VND / 560 = 5,357.14 VND/kg good × 810 = 4,339,285.71;
//         firing 100 kg × 35,300 = 3,530,000 → avoided 809,285.71 VND
//   CO2: 1,000 kg × 2.62461 = 2,624.61 kg / 560 = 4.68680 kg/kg good × 810 = 3,796.31; firing
//         100 × 2.985 = 298.5 → avoided 3,497.81 kg
import { describe, expect, it } from 'vitest';
import { compareWithBaseline, prepareBaseline, type Savings } from '../../../src/domain/savings/baseline.ts';
import type { FiringFigures } from '../../../src/domain/savings/firing-figures.ts';
import { sumSavings } from '../../../src/domain/savings/period-savings.ts';
import { ANTHRACITE_IPCC_2006, coalBaselineSchema, type CoalBaseline } from '../../../src/domain/savings/records.ts';

const src = (value: number, confidence: 'H' | 'M' | 'L', source = "owner's purchase book 2004") => ({ value, source, confidence });
const BASELINE: CoalBaseline = coalBaselineSchema.parse({
  workshop: 'bt01', period: { from: '2004-01-01', to: '2004-12-31' },
  coal_kg_per_firing: src(1000, 'M'),
  ware_kg_per_firing: src(800, 'H', 'weighed, 2004 records'),
  yield_pct: src(70, 'M', 'vneec.gov.vn survey, coal kilns 65–80 %'),
  duration_h: src(72, 'L', 'owner interview'),
  coal_price_vnd_per_kg: src(3000, 'L', "owner's memory"),
  ...ANTHRACITE_IPCC_2006, recorded_at_ms: 0, by: 'adviser-lan',
});
// 2026-02-10 09:00 local (UTC+7)
const A: FiringFigures = {
  firing_id: 'A', workshop: 'bt01', kiln: 'k1', started_at_ms: Date.UTC(2026, 1, 10, 2), ware_kg: 900, good_kg: 810,
  lpg_kg: 100, energy_mj: 4730, cost_vnd: 3_530_000, co2_kg: 298.5, duration_h: 20,
};
const value = (s: Savings) => (s.ok ? s : expect.fail(`not available: ${s.reason}`));

describe('compareWithBaseline: avoided energy, cost and CO2', () => {
  const c = compareWithBaseline(A, BASELINE);
  it.each([
    ['energy_mj', 47.6786, 38_619.64, 4730, 33_889.64, 'M'], // coal M, ware H, yield M, NCV H, firing H
    ['cost_vnd', 5357.14, 4_339_285.71, 3_530_000, 809_285.71, 'L'], // price L
    ['co2_kg', 4.6868, 3796.31, 298.5, 3497.81, 'M'],
  ] as const)('%s', (key, per_kg_good, baseline, actual, avoided, confidence) => {
    const s = value(c[key]);
    expect(s.baseline_per_kg_good).toBeCloseTo(per_kg_good, 2);
    expect(s.baseline).toBeCloseTo(baseline, 1);
    expect(s.actual).toBe(actual);
    expect(s.avoided).toBeCloseTo(avoided, 1);
    expect(s.confidence).toBe(confidence);
  });

  it('carries every input with its source, the adjustments and the assumptions', () => {
    expect(c.confidence).toBe('L'); // lowest of the three lines
    expect(c.baseline_sec_mj_per_kg_set).toBeCloseTo(33.375, 9); // 26,700 / 800
    expect(c.baseline_duration_h).toEqual({ name: 'duration_h', value: 72, source: 'owner interview', confidence: 'L' });
    expect(value(c.cost_vnd).inputs.map((i) => `${i.name}:${i.confidence}`)).toEqual([
      'coal_kg_per_firing:M', 'ware_kg_per_firing:H', 'yield_pct:M', 'coal_price_vnd_per_kg:L', 'firing cost_vnd:H',
    ]);
    expect(value(c.energy_mj).inputs.find((i) => i.name === 'yield_pct')?.source).toBe('vneec.gov.vn survey, coal kilns 65–80 %');
    expect(c.routine_adjustments[0]).toMatch(/kg of first-grade ware/);
    expect(c.assumptions.join('\n')).toMatch(/over 2004-01-01\.\.2004-12-31, entered by adviser-lan/);
    expect(c.assumptions.join('\n')).toMatch(/confidence H \(none given: default\)/);
  });

  it("a firing's own low confidence lowers every line", () => {
    const c2 = compareWithBaseline({ ...A, confidence: 'L' }, BASELINE);
    expect([c2.energy_mj, c2.cost_vnd, c2.co2_kg].map((s) => value(s).confidence)).toEqual(['L', 'L', 'L']);
  });
});

describe('compareWithBaseline: non-routine adjustments apply from their local date', () => {
  const porcelain = coalBaselineSchema.parse({
    ...BASELINE, adjustments: [
      { at: '2026-03-01', description: 'switched to porcelain', effect: { kind: 'baseline_factor', ...src(1.15, 'L', 'adviser estimate') } },
      { at: '2026-01-05', description: 'burner row 2 replaced', effect: { kind: 'logged' } },
    ],
  });
  it.each([
    // 2026-02-28 16:30 UTC = 23:30 local on 28 Feb: before the change; 47.6786 × 810 − 4,730 = 33,889.64
    ['before', Date.UTC(2026, 1, 28, 16, 30), 33_889.64, 'M', 1],
    // 2026-02-28 17:30 UTC = 00:30 local on 1 Mar: 47.6786 × 1.15 = 54.8304 × 810 = 44,412.59 − 4,730 = 39,682.59
    ['after', Date.UTC(2026, 1, 28, 17, 30), 39_682.59, 'L', 2],
  ] as const)('%s', (_name, started_at_ms, avoided, confidence, n_adjustments) => {
    const c = compareWithBaseline({ ...A, started_at_ms }, porcelain);
    expect(value(c.energy_mj).avoided).toBeCloseTo(avoided, 1);
    expect(value(c.energy_mj).confidence).toBe(confidence);
    expect(c.non_routine_adjustments).toHaveLength(n_adjustments);
  });
});

describe('compareWithBaseline: not available, with the reason', () => {
  const { coal_price_vnd_per_kg: _p, ...noPrice } = BASELINE;
  it.each([
    ['ungraded firing', { ...A, good_kg: null }, BASELINE, 'energy_mj', 'no kg of first-grade ware (firing not graded or not weighed)'],
    ['baseline without coal price', A, noPrice, 'cost_vnd', 'baseline has no coal_price_vnd_per_kg'],
    ['firing without energy', { ...A, energy_mj: null }, BASELINE, 'energy_mj', 'firing energy_mj missing'],
    ['no valid start, and the baseline has adjustments', { ...A, started_at_ms: NaN },
      coalBaselineSchema.parse({ ...BASELINE, adjustments: [{ at: '2026-03-01', description: 'kiln rebuilt', effect: { kind: 'logged' } }] }),
      'co2_kg', 'started_at_ms is not a finite number: cannot tell which non-routine adjustments apply'],
  ] as const)('%s', (_name, f, b, key, reason) => {
    expect(compareWithBaseline(f, b)[key]).toEqual({ ok: false, reason });
  });

  it('no line available: overall confidence is null', () => {
    expect(compareWithBaseline({ ...A, good_kg: null }, BASELINE).confidence).toBeNull();
  });
});

describe('sumSavings: a reporting period', () => {
  // B: 90 kg LPG × 47.3 = 4,257 MJ for 800 kg × 0.9 = 720 kg good: 47.6786 × 720 = 34,328.57; avoided 30,071.57
  const B: FiringFigures = { ...A, firing_id: 'B', ware_kg: 800, good_kg: 720, lpg_kg: 90, energy_mj: 4257, cost_vnd: null, co2_kg: 268.65 };
  const C: FiringFigures = { ...A, firing_id: 'C', good_kg: null };
  const D: FiringFigures = { ...A, firing_id: 'D', workshop: 'bt09' }; // no baseline entered for bt09
  const p = sumSavings([A, B, C, D], (f) => (f.workshop === 'bt01' ? BASELINE : undefined));
  it('sums baseline, actual and avoided; counts what it left out, by reason', () => {
    expect(p.energy_mj.firings).toBe(2);
    expect(p.energy_mj.baseline).toBeCloseTo(38_619.64 + 34_328.57, 1);
    expect(p.energy_mj.actual).toBe(4730 + 4257);
    expect(p.energy_mj.avoided).toBeCloseTo(33_889.64 + 30_071.57, 1); // 63,961.21 MJ
    expect(p.energy_mj.confidence).toBe('M');
    expect(p.energy_mj.excluded).toEqual({ 'no kg of first-grade ware (firing not graded or not weighed)': 1 });
    expect(p.cost_vnd.firings).toBe(1); // B has no cost
    expect(p.cost_vnd.confidence).toBe('L');
    expect(p.cost_vnd.excluded).toEqual({ 'firing cost_vnd missing': 1, 'no kg of first-grade ware (firing not graded or not weighed)': 1 });
    expect(p.firings_without_baseline).toBe(1);
  });
  it('agrees with the per-firing comparison', () => {
    const one = compareWithBaseline(A, prepareBaseline(BASELINE));
    expect(sumSavings([A], () => BASELINE).co2_kg.avoided).toBe(value(one.co2_kg).avoided);
  });
  it('an empty period has no confidence', () => {
    expect(sumSavings([], () => BASELINE).co2_kg).toEqual({
      firings: 0, baseline: 0, actual: 0, avoided: 0, confidence: null, excluded: {},
      avoided_pct: null, rel_error: 0, avoided_low: 0, avoided_high: 0, avoided_pct_low: null, avoided_pct_high: null,
    });
  });
});
