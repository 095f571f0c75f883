// Per-firing yield and SEC per kg set and per kg good (docs/sources.md, "Comparing before and after").
// Expected figures worked out by hand in the comments.
import { describe, expect, it } from 'vitest';
import { firingKpis, type FiringMeasures } from '../../../src/domain/savings/kpis.ts';
import type { GradingRecord, LoadRecord } from '../../../src/domain/savings/records.ts';

// 100 kg LPG × 47.3 MJ/kg = 4,730 MJ; × 35,300 VND/kg = 3,530,000 VND; × 2.985 kg CO2/kg = 298.5 kg.
const M: FiringMeasures = { energy_mj: 4730, fuel_kg: 100, cost_vnd: 3_530_000, co2_kg: 298.5, duration_h: 20 };
// 600 bowls of 0.9 kg = 540 kg and 100 vases of 3.6 kg = 360 kg: 900 kg ware; 650 kg of furniture apart.
const LOAD: LoadRecord = {
  ware_kg: 900, furniture_kg: 650, recorded_at_ms: 0, by: 'thu',
  products: [{ product: 'bowl', pieces: 600, ware_kg: 540 }, { product: 'vase', pieces: 100, ware_kg: 360 }],
};
const LOAD_NO_MASSES: LoadRecord = { ...LOAD, products: [{ product: 'bowl', pieces: 600 }, { product: 'vase', pieces: 100 }] };
const grade = (product: string, first: number, second: number, reject: number) => ({ product, first, second, reject, reject_causes: [] });
const GRADING: GradingRecord = { recorded_at_ms: 0, by: 'thu', products: [grade('bowl', 560, 30, 10), grade('vase', 80, 12, 8)] };

describe('firingKpis: figures', () => {
  it('yield by pieces and by mass; SEC per kg set excludes furniture; per kg good by mass', () => {
    const k = firingKpis(M, LOAD, GRADING);
    // pieces: (560 + 80) first of 700 loaded = 91.43 %
    expect(k.yield_pct.ok && k.yield_pct.value).toBeCloseTo(91.4286, 4);
    // mass: 560 × 0.9 + 80 × 3.6 = 504 + 288 = 792 kg of 900 kg = 88 %
    expect(k.yield_mass_pct.ok && k.yield_mass_pct.value).toBeCloseTo(88, 9);
    expect(k.good_kg.ok && k.good_kg.value).toBeCloseTo(792, 9);
    // 4,730 MJ / 900 kg = 5.2556 MJ/kg set (with the 650 kg furniture it would wrongly be 3.05)
    expect(k.sec_mj_per_kg_set.ok && k.sec_mj_per_kg_set.value).toBeCloseTo(5.2556, 4);
    // 4,730 MJ / 792 kg good = 5.9722 MJ/kg good
    expect(k.sec_mj_per_kg_good.ok && k.sec_mj_per_kg_good.value).toBeCloseTo(5.9722, 4);
    // 100 kg / 900 kg = 0.1111 kg LPG per kg set
    expect(k.fuel_kg_per_kg_set.ok && k.fuel_kg_per_kg_set.value).toBeCloseTo(0.1111, 4);
    // 3,530,000 VND / 792 kg = 4,457.07 VND/kg good
    expect(k.vnd_per_kg_good.ok && k.vnd_per_kg_good.value).toBeCloseTo(4457.07, 2);
    // 298.5 kg / 792 kg = 0.3769 kg CO2 per kg good
    expect(k.co2_kg_per_kg_good.ok && k.co2_kg_per_kg_good.value).toBeCloseTo(0.3769, 4);
    expect(k.duration_h).toEqual({ ok: true, value: 20 });
    expect(k.assumptions).toContain('kg good = ware_kg × yield by mass');
  });

  it('without product masses: good kg by pieces, and says so', () => {
    const k = firingKpis(M, LOAD_NO_MASSES, GRADING);
    expect(k.yield_mass_pct).toEqual({ ok: false, reason: 'ware_kg not given for every product' });
    // 900 kg × 640/700 = 822.857 kg good; 4,730 / 822.857 = 5.7483 MJ/kg good
    expect(k.good_kg.ok && k.good_kg.value).toBeCloseTo(822.857, 3);
    expect(k.sec_mj_per_kg_good.ok && k.sec_mj_per_kg_good.value).toBeCloseTo(5.7483, 4);
    expect(k.assumptions).toContain('kg good = ware_kg × yield by pieces (pieces assumed of equal mass)');
  });

  it('pieces not graded count as not first grade, with a note', () => {
    const k = firingKpis(M, LOAD, { ...GRADING, products: [grade('bowl', 560, 30, 0), grade('vase', 80, 12, 8)] });
    // still 640 first of 700 loaded: 10 bowls unaccounted for
    expect(k.yield_pct.ok && k.yield_pct.value).toBeCloseTo(91.4286, 4);
    expect(k.assumptions).toContain('product "bowl": 10 of 600 pieces not graded, counted as not first grade');
  });
});

describe('firingKpis: not available, with the reason (never NaN, never ÷ 0)', () => {
  const cases: [string, FiringMeasures, LoadRecord | null, GradingRecord | null, string, string][] = [
    ['no grading', M, LOAD, null, 'sec_mj_per_kg_good', 'no grading record'],
    ['no grading: yield', M, LOAD, null, 'yield_pct', 'no grading record'],
    ['no load', M, null, GRADING, 'sec_mj_per_kg_set', 'no load record'],
    ['energy missing', { ...M, energy_mj: null }, LOAD, GRADING, 'sec_mj_per_kg_set', 'energy_mj missing'],
    ['energy NaN', { ...M, energy_mj: NaN }, LOAD, GRADING, 'sec_mj_per_kg_good', 'energy_mj is not a finite number'],
    ['cost missing (no price that month)', { ...M, cost_vnd: undefined }, LOAD, GRADING, 'vnd_per_kg_good', 'cost_vnd missing'],
    ['negative CO2', { ...M, co2_kg: -1 }, LOAD, GRADING, 'co2_kg_per_kg_good', 'co2_kg is negative'],
    ['no first-grade piece', M, LOAD, { ...GRADING, products: [grade('bowl', 0, 0, 600), grade('vase', 0, 0, 100)] }, 'sec_mj_per_kg_good', 'kg of first-grade ware is 0'],
    ['a loaded product not graded', M, LOAD, { ...GRADING, products: [grade('bowl', 560, 30, 10)] }, 'yield_pct', 'grading incomplete: product "vase" not graded'],
    ['a graded product not loaded', M, LOAD, { ...GRADING, products: [...GRADING.products, grade('cup', 1, 0, 0)] }, 'yield_pct', 'graded product "cup" was not in the load'],
    ['more graded than loaded', M, LOAD, { ...GRADING, products: [grade('bowl', 600, 30, 10), grade('vase', 80, 12, 8)] }, 'sec_mj_per_kg_good', 'product "bowl": 640 pieces graded but 600 loaded'],
  ];
  it.each(cases)('%s', (_name, m, load, grading, key, reason) => {
    const k = firingKpis(m, load, grading) as unknown as Record<string, unknown>;
    expect(k[key]).toEqual({ ok: false, reason });
  });

  it('grading missing leaves the per-kg-set figures available', () => {
    const k = firingKpis(M, LOAD, null);
    expect(k.sec_mj_per_kg_set.ok).toBe(true);
    expect(k.good_kg.ok).toBe(false);
  });
});
