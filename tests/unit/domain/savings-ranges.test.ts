// Avoided energy, cost and CO2 as amounts and percentages, each with the range its inputs'
// grades give (src/domain/savings/ranges.ts; docs/analytics.md "Ranges"). Every expected figure
// is written here as arithmetic from the inputs, by hand:
//   baseline: 1,000 kg coal [M] × 26.7 MJ/kg [H] for 800 kg ware [H] × 70 % yield [M]
//   firing A: 810 kg good ware, 4,730 MJ [H]
//   bands: H ±5 %, M ±15 %, L ±30 %
import { describe, expect, it } from 'vitest';
import { compareWithBaseline, type Savings } from '../../../src/domain/savings/baseline.ts';
import type { FiringFigures } from '../../../src/domain/savings/firing-figures.ts';
import { sumSavings } from '../../../src/domain/savings/period-savings.ts';
import { BAND, quadrature, savingsRange } from '../../../src/domain/savings/ranges.ts';
import { ANTHRACITE_IPCC_2006, coalBaselineSchema, type CoalBaseline } from '../../../src/domain/savings/records.ts';

const src = (value: number, confidence: 'H' | 'M' | 'L') => ({ value, source: 'test', confidence });
const BASELINE: CoalBaseline = coalBaselineSchema.parse({
  workshop: 'bt01', period: { from: '2004-01-01', to: '2004-12-31' },
  coal_kg_per_firing: src(1000, 'M'), ware_kg_per_firing: src(800, 'H'), yield_pct: src(70, 'M'),
  coal_price_vnd_per_kg: src(3000, 'L'),
  ...ANTHRACITE_IPCC_2006, recorded_at_ms: 0, by: 'adviser-lan',
});
const A: FiringFigures = {
  firing_id: 'A', workshop: 'bt01', kiln: 'k1', started_at_ms: Date.UTC(2026, 1, 10, 2), ware_kg: 900, good_kg: 810,
  lpg_kg: 100, energy_mj: 4730, cost_vnd: 3_530_000, co2_kg: 298.5, duration_h: 20,
};
const ok = (s: Savings) => (s.ok ? s : expect.fail(`not available: ${s.reason}`));

describe('bands and quadrature', () => {
  it('each grade is a documented relative band; independent factors add in quadrature', () => {
    expect(BAND).toEqual({ H: 0.05, M: 0.15, L: 0.3 });
    expect(quadrature([0.3, 0.4])).toBeCloseTo(0.5, 12);
    expect(quadrature([])).toBe(0);
  });

  it('a zero baseline has no percentage', () => {
    const r = savingsRange(0, 0.1, 10, 0.05);
    expect(r.avoided_pct).toBeNull();
    expect(r.avoided_pct_low).toBeNull();
    expect(r.avoided_low).toBeCloseTo(-10 - 0.5, 12);
  });
});

describe('a firing against the baseline: amounts, percentages and ranges by hand', () => {
  const c = compareWithBaseline(A, BASELINE);

  it('energy', () => {
    const e = ok(c.energy_mj);
    const B = (1000 * 26.7) / (800 * 0.70) * 810; // 38,619.64 MJ
    const A_mj = 4730;
    const rB = Math.sqrt(0.15 ** 2 + 0.05 ** 2 + 0.15 ** 2 + 0.05 ** 2); // coal M, ware H, yield M, NCV H = 0.2236
    const rA = 0.05; // the firing's own figure, H by default
    const avoided = B - A_mj;
    const d = Math.sqrt((B * rB) ** 2 + (A_mj * rA) ** 2);
    const pct = (avoided / B) * 100; // 87.75 %
    const d_pct = 100 * (A_mj / B) * Math.sqrt(rA ** 2 + rB ** 2);
    expect(e.baseline).toBeCloseTo(B, 6);
    expect(e.rel_error).toBeCloseTo(rB, 12);
    expect(e.avoided_pct).toBeCloseTo(pct, 9);
    expect(e.avoided_pct).toBeCloseTo(87.75, 2);
    expect(e.avoided_low).toBeCloseTo(avoided - d, 6);
    expect(e.avoided_high).toBeCloseTo(avoided + d, 6);
    expect(e.avoided_pct_low).toBeCloseTo(pct - d_pct, 9);
    expect(e.avoided_pct_high).toBeCloseTo(pct + d_pct, 9);
  });

  it('cost: the L price widens the range', () => {
    const s = ok(c.cost_vnd);
    const B = (1000 * 3000) / (800 * 0.70) * 810;
    const rB = Math.sqrt(0.15 ** 2 + 0.05 ** 2 + 0.15 ** 2 + 0.3 ** 2); // price L
    const d = Math.sqrt((B * rB) ** 2 + (3_530_000 * 0.05) ** 2);
    expect(s.rel_error).toBeCloseTo(rB, 12);
    expect(s.avoided_pct).toBeCloseTo(((B - 3_530_000) / B) * 100, 9);
    expect(s.avoided_high - s.avoided_low).toBeCloseTo(2 * d, 4);
  });

  it('a firing figure of lower confidence and a non-routine factor count too', () => {
    const withAdj: CoalBaseline = { ...BASELINE, adjustments: [{ at: '2026-01-01', description: 'porcelain', effect: { kind: 'baseline_factor', ...src(1.1, 'L') } }] };
    const co2 = ok(compareWithBaseline({ ...A, confidence: 'M' }, withAdj).co2_kg);
    const B = (1000 * (26.7 * 98_300 / 1e6)) / (800 * 0.70) * 1.1 * 810;
    const rB = Math.sqrt(0.15 ** 2 + 0.05 ** 2 + 0.15 ** 2 + 0.05 ** 2 + 0.3 ** 2); // … CO2 factor H, factor L
    const rA = 0.15;
    expect(co2.baseline).toBeCloseTo(B, 6);
    expect(co2.rel_error).toBeCloseTo(rB, 12);
    expect(co2.avoided_pct_high! - co2.avoided_pct!).toBeCloseTo(100 * (298.5 / B) * Math.sqrt(rA ** 2 + rB ** 2), 9);
  });
});

describe('a period total: firings share the baseline, so their errors add linearly', () => {
  const B2: FiringFigures = { ...A, firing_id: 'B', good_kg: 405, energy_mj: 3000, confidence: 'L' };
  const t = sumSavings([A, B2], () => BASELINE).energy_mj;
  it('avoided, %, and range', () => {
    const per_kg = (1000 * 26.7) / (800 * 0.70);
    const [Ba, Bb] = [per_kg * 810, per_kg * 405];
    const rB = Math.sqrt(0.15 ** 2 + 0.05 ** 2 + 0.15 ** 2 + 0.05 ** 2);
    const B = Ba + Bb, A_mj = 4730 + 3000;
    const dB = Ba * rB + Bb * rB, dA = 4730 * 0.05 + 3000 * 0.3;
    const d = Math.sqrt(dB ** 2 + dA ** 2);
    const pct = ((B - A_mj) / B) * 100;
    const d_pct = 100 * (A_mj / B) * Math.sqrt((dA / A_mj) ** 2 + (dB / B) ** 2);
    expect(t.firings).toBe(2);
    expect(t.rel_error).toBeCloseTo(rB, 12);
    expect(t.avoided_pct).toBeCloseTo(pct, 9);
    expect(t.avoided_low).toBeCloseTo(B - A_mj - d, 6);
    expect(t.avoided_high).toBeCloseTo(B - A_mj + d, 6);
    expect(t.avoided_pct_low).toBeCloseTo(pct - d_pct, 9);
    expect(t.avoided_pct_high).toBeCloseTo(pct + d_pct, 9);
  });
  it('no firing: zeros and no percentage', () => {
    const none = sumSavings([], () => BASELINE).energy_mj;
    expect(none).toMatchObject({ firings: 0, avoided: 0, avoided_pct: null, rel_error: 0, avoided_low: 0, avoided_high: 0 });
  });
});
