// Energy, CO2 and cost: figures worked by hand in comments, the clock passed in as data.
import { describe, expect, it } from 'vitest';
import {
  co2Kg, costOfConsumption, energyMj, energyToe, firingCost, localDateVn, priceAt, priceListProblems,
  type PriceEntry,
} from '../../../src/domain/analytics/energy.ts';
import { DEFAULT_LPG_PRICES } from '../../../src/domain/analytics/energy-prices.ts';
import { flowSegments } from '../../../src/domain/analytics/fuel.ts';
import { FUELS } from '../../../src/domain/analytics/fuels.ts';

describe('energyMj and co2Kg of 100 kg of fuel', () => {
  it.each([
    // LPG: 100 × 47.3 = 4,730 MJ; 4,730 MJ × 63,100 kg/TJ ÷ 1e6 = 298.463 ≈ 298.5 kg CO2
    { fuel: FUELS.lpg, energy_mj: 4730, co2_kg: 298.463, biogenic: false },
    // anthracite: 100 × 26.7 = 2,670 MJ; × 98,300 ÷ 1e6 = 262.461 kg CO2
    { fuel: FUELS.anthracite, energy_mj: 2670, co2_kg: 262.461, biogenic: false },
    // wood: 100 × 15.6 = 1,560 MJ; × 112,000 ÷ 1e6 = 174.72 kg CO2, biogenic (reported apart)
    { fuel: FUELS.wood, energy_mj: 1560, co2_kg: 174.72, biogenic: true },
  ])('$fuel.name', ({ fuel, energy_mj, co2_kg, biogenic }) => {
    expect(energyMj(100, fuel)).toBeCloseTo(energy_mj, 9);
    expect(co2Kg(100, fuel)).toBeCloseTo(co2_kg, 9);
    expect(fuel.biogenic).toBe(biogenic);
    expect(fuel.confidence).toBe('H');
  });

  it('rounds LPG to the 298.5 kg CO2 and 2.985 kg/kg of IPCC 2006', () => {
    expect(co2Kg(100, FUELS.lpg)).toBeCloseTo(298.5, 1);
    expect(FUELS.lpg.co2_kg_per_kg).toBeCloseTo(2.985, 3);
  });

  it('takes a user-entered spec (local coal dust cakes)', () => {
    // 100 kg × 20 MJ/kg = 2,000 MJ; 100 × 2.0 = 200 kg CO2
    const than_cam = { name: 'than cám', ncv_mj_kg: 20, co2_kg_per_kg: 2.0, biogenic: false, source: 'supplier assay', confidence: 'L' } as const;
    expect(energyMj(100, than_cam)).toBe(2000);
    expect(co2Kg(100, than_cam)).toBe(200);
  });

  it('converts to toe', () => {
    // 4,730 MJ ÷ 41,868 MJ/toe = 0.11297 toe
    expect(energyToe(4730)).toBeCloseTo(0.11297, 5);
  });
});

describe('localDateVn and priceAt: the UTC+7 date boundary', () => {
  // 2025-11-30T17:00Z is 2025-12-01 00:00 in Hà Nội: the December price is in force from then.
  const MIDNIGHT_VN = Date.UTC(2025, 10, 30, 17, 0, 0);
  it.each([
    { name: '1 ms before local midnight', ts_ms: MIDNIGHT_VN - 1, date: '2025-11-30', valid_from: '2024-11-01' },
    { name: 'local midnight', ts_ms: MIDNIGHT_VN, date: '2025-12-01', valid_from: '2025-12-01' },
    { name: 'UTC midnight is already 07:00 local', ts_ms: Date.UTC(2025, 11, 1), date: '2025-12-01', valid_from: '2025-12-01' },
    { name: 'before the first entry', ts_ms: Date.UTC(2022, 7, 31, 16, 59), date: '2022-08-31', valid_from: undefined },
    { name: 'first day of the first entry', ts_ms: Date.UTC(2022, 7, 31, 17, 0), date: '2022-09-01', valid_from: '2022-09-01' },
  ])('$name', ({ ts_ms, date, valid_from }) => {
    expect(localDateVn(ts_ms)).toBe(date);
    expect(priceAt(DEFAULT_LPG_PRICES, ts_ms)?.valid_from).toBe(valid_from);
    // the same answer from the list in reverse order
    expect(priceAt([...DEFAULT_LPG_PRICES].reverse(), ts_ms)?.valid_from).toBe(valid_from);
  });

  it('is undefined with an empty list', () => {
    expect(priceAt([], MIDNIGHT_VN)).toBeUndefined();
  });

  it('lets a later entry with the same date win (an appended correction)', () => {
    const list: PriceEntry[] = [
      { valid_from: '2026-01-01', vnd_per_kg: 34_000, source: 'a' },
      { valid_from: '2026-01-01', vnd_per_kg: 34_500, source: 'correction' },
    ];
    expect(priceAt(list, Date.UTC(2026, 0, 10))?.source).toBe('correction');
  });
});

describe('firingCost', () => {
  it('prices 100 kg at the December 2025 Petrolimex price', () => {
    // 1,646,000 VND / 48 kg = 34,291.67 VND/kg × 100 kg = 3,429,166.67 VND
    const got = firingCost(DEFAULT_LPG_PRICES, 100, Date.UTC(2025, 11, 15));
    expect(got?.cost_vnd).toBeCloseTo(3_429_166.67, 2);
    expect(got?.price.source).toMatch(/Petrolimex/);
  });
  it('is undefined before any price', () => {
    expect(firingCost(DEFAULT_LPG_PRICES, 100, Date.UTC(2020, 0, 1))).toBeUndefined();
  });
});

describe('costOfConsumption: a firing across a mid-month price change', () => {
  // Out of order on purpose. The new price is in force from 2026-01-15 00:00 local = 2026-01-14T17:00Z.
  const list: PriceEntry[] = [
    { valid_from: '2026-01-15', vnd_per_kg: 36_000, source: 'mid-month change' },
    { valid_from: '2026-01-01', vnd_per_kg: 34_000, source: 'January' },
  ];
  // 5 kg/h from 2026-01-14 12:00 local (05:00Z) to 2026-01-15 06:00 local (23:00Z), every 10 min: 18 h.
  const start_ms = Date.UTC(2026, 0, 14, 5, 0, 0);
  const samples = Array.from({ length: 18 * 6 + 1 }, (_, i) => ({ ts_ms: start_ms + i * 600_000, flow_kg_h: 5 }));

  it('pays each price for the fuel burnt under it', () => {
    // before local midnight: 12 h × 5 kg/h = 60 kg × 34,000 = 2,040,000 VND
    // after:                  6 h × 5 kg/h = 30 kg × 36,000 = 1,080,000 VND; total 3,120,000 VND
    const got = costOfConsumption(list, flowSegments(samples, { max_gap_s: 900 }));
    expect(got.cost_vnd).toBeCloseTo(3_120_000, 4);
    expect(got.priced_kg).toBeCloseTo(90, 9);
    expect(got.unpriced_kg).toBe(0);
    expect(got.parts.map((p) => [p.price.source, Math.round(p.fuel_kg * 1e6) / 1e6])).toEqual([['January', 60], ['mid-month change', 30]]);
    // priced at the start only, it would read 90 × 34,000 = 3,060,000 VND: 60,000 too little
    expect(firingCost(list, 90, start_ms)?.cost_vnd).toBe(3_060_000);
  });

  it('reports fuel burnt before the first price as unpriced', () => {
    // 2 kg on 2025-12-31 local (no price yet), 3 kg on 2026-01-02 at 34,000: 102,000 VND
    const got = costOfConsumption(list, [
      { ts_ms: Date.UTC(2025, 11, 31, 10), kg: 2 },
      { ts_ms: Date.UTC(2026, 0, 2, 10), kg: 3 },
    ]);
    expect(got).toMatchObject({ cost_vnd: 102_000, priced_kg: 3, unpriced_kg: 2 });
  });
});

describe('priceListProblems', () => {
  it('accepts the seed list', () => {
    expect(priceListProblems(DEFAULT_LPG_PRICES)).toEqual([]);
  });
  it.each([
    { entry: { valid_from: '2025-1-5', vnd_per_kg: 34_000, source: 's' }, problem: /not a YYYY-MM-DD date/ },
    { entry: { valid_from: '2025-13-01', vnd_per_kg: 34_000, source: 's' }, problem: /not a YYYY-MM-DD date/ },
    { entry: { valid_from: '2025-01-01', vnd_per_kg: 0, source: 's' }, problem: /vnd_per_kg must be > 0/ },
    { entry: { valid_from: '2025-01-01', vnd_per_kg: 34_000, source: ' ' }, problem: /source is empty/ },
    { entry: { valid_from: '2025-12-01', vnd_per_kg: 34_000, source: 's' }, problem: /a second price from 2025-12-01/ },
  ])('$entry.valid_from $entry.vnd_per_kg', ({ entry, problem }) => {
    const problems = priceListProblems([...DEFAULT_LPG_PRICES, entry]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(problem);
  });
});
