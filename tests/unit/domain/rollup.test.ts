// The adviser's roll-up by workshop, kiln and local month. Hand-worked figures in comments.
import { describe, expect, it } from 'vitest';
import type { FiringFigures } from '../../../src/domain/savings/firing-figures.ts';
import { ANTHRACITE_IPCC_2006, coalBaselineSchema } from '../../../src/domain/savings/records.ts';
import { distribution, rollup } from '../../../src/domain/savings/rollup.ts';

const f = (firing_id: string, workshop: string, kiln: string, started_at_ms: number, o: Partial<FiringFigures>): FiringFigures => ({
  firing_id, workshop, kiln, started_at_ms, ware_kg: null, good_kg: null, lpg_kg: null, energy_mj: null,
  cost_vnd: null, co2_kg: null, duration_h: null, ...o,
});
// LPG: 47.3 MJ/kg, 35,300 VND/kg, 2.985 kg CO2/kg.
const FIRINGS = [
  // 31 Jan 16:30 UTC = 31 Jan 23:30 local → January. 4,730/900 = 5.2556 MJ/kg set, 4,730/810 = 5.8395 good
  f('f1', 'bt01', 'k1', Date.UTC(2026, 0, 31, 16, 30), { ware_kg: 900, good_kg: 810, lpg_kg: 100, energy_mj: 4730, cost_vnd: 3_530_000, co2_kg: 298.5, duration_h: 20 }),
  // 31 Jan 17:30 UTC = 1 Feb 00:30 local → February (January in UTC). 4,257/800 = 5.32125 set
  f('f2', 'bt01', 'k1', Date.UTC(2026, 0, 31, 17, 30), { ware_kg: 800, good_kg: 720, lpg_kg: 90, energy_mj: 4257, cost_vnd: 3_177_000, co2_kg: 268.65, duration_h: 19 }),
  // 5,676/1,000 = 5.676 set
  f('f3', 'bt01', 'k2', Date.UTC(2026, 1, 10, 2), { ware_kg: 1000, good_kg: 850, lpg_kg: 120, energy_mj: 5676, cost_vnd: 4_236_000, co2_kg: 358.2, duration_h: 22 }),
  // not graded, no price: 2,838/500 = 5.676 set
  f('f4', 'bt02', 'k1', Date.UTC(2026, 0, 15, 2), { ware_kg: 500, lpg_kg: 60, energy_mj: 2838, co2_kg: 179.1, duration_h: 18 }),
];
const src = (value: number) => ({ value, source: "owner's purchase book 2004", confidence: 'M' as const });
// 1,000 kg × 26.7 = 26,700 MJ / (800 kg × 0.7 = 560 kg good) = 47.6786 MJ/kg good
const BT01 = coalBaselineSchema.parse({
  workshop: 'bt01', period: { from: '2004-01-01', to: '2004-12-31' }, coal_kg_per_firing: src(1000),
  ware_kg_per_firing: src(800), yield_pct: src(70), duration_h: src(72), ...ANTHRACITE_IPCC_2006, recorded_at_ms: 0, by: 'lan',
});
const baselineFor = (x: FiringFigures) => (x.workshop === 'bt01' ? BT01 : undefined);
const key = (r: { workshop: string | null; kiln: string | null; month: string | null }) => `${r.workshop}/${r.kiln}/${r.month}`;

describe('rollup by local month (Asia/Ho_Chi_Minh, UTC+7)', () => {
  it('kiln × month: a firing started at 00:30 local on 1 Feb belongs to February', () => {
    const { rows } = rollup(FIRINGS, { level: 'kiln', period: 'month' });
    expect(rows.map(key)).toEqual(['bt01/k1/2026-01', 'bt01/k1/2026-02', 'bt01/k2/2026-02', 'bt02/k1/2026-01']);
  });

  it('workshop × month: sums, yield by mass, SEC spread and savings', () => {
    const { rows } = rollup(FIRINGS, { level: 'workshop', period: 'month', baselineFor });
    const feb = rows.find((r) => key(r) === 'bt01/null/2026-02');
    // f2 + f3: 1,800 kg ware, 1,570 kg good, 210 kg LPG, 9,933 MJ, 7,413,000 VND, 626.85 kg CO2
    expect(feb).toMatchObject({ firings: 2, ware_kg: 1800, good_kg: 1570, lpg_kg: 210, energy_mj: 9933, cost_vnd: 7_413_000, duration_h: 41 });
    expect(feb?.co2_kg).toBeCloseTo(626.85, 9);
    expect(feb?.yield_pct).toBeCloseTo(87.2222, 4); // 1,570 / 1,800
    // [5.32125, 5.676]: p25 = 5.32125 + 0.25 × 0.35475 = 5.40994, median 5.49863, p75 5.58731
    const d = feb?.sec_mj_per_kg_set;
    expect(d?.n).toBe(2);
    expect(d?.min).toBe(5.32125);
    expect(d?.p25).toBeCloseTo(5.40994, 5);
    expect(d?.median).toBeCloseTo(5.49863, 5);
    expect(d?.p75).toBeCloseTo(5.58731, 5);
    expect(d?.max).toBe(5.676);
    // avoided: f2 47.6786 × 720 − 4,257 = 30,071.57; f3 47.6786 × 850 − 5,676 = 34,850.79; Σ 64,922.36 MJ
    expect(feb?.savings?.energy_mj.avoided).toBeCloseTo(64_922.36, 1);
    expect(feb?.savings?.energy_mj.confidence).toBe('M');
    expect(feb?.savings?.cost_vnd.excluded).toEqual({ 'baseline has no coal_price_vnd_per_kg': 2 });
  });

  it('village × month: missing figures are counted, not guessed; firings without baseline are counted', () => {
    const { rows } = rollup(FIRINGS, { level: 'village', period: 'month', baselineFor });
    const jan = rows.find((r) => r.month === '2026-01');
    // f1 + f4: 1,400 kg ware; good only from f1 (810); yield over graded firings only: 810 / 900 = 90 %
    expect(jan).toMatchObject({ workshop: null, kiln: null, firings: 2, ware_kg: 1400, good_kg: 810, cost_vnd: 3_530_000 });
    expect(jan?.missing).toMatchObject({ ware_kg: 0, good_kg: 1, cost_vnd: 1 });
    expect(jan?.yield_pct).toBeCloseTo(90, 9);
    expect(jan?.sec_mj_per_kg_good?.n).toBe(1);
    // f1: 47.6786 × 810 − 4,730 = 33,889.64 MJ; f4 (bt02) has no baseline
    expect(jan?.savings?.energy_mj.avoided).toBeCloseTo(33_889.64, 1);
    expect(jan?.savings?.firings_without_baseline).toBe(1);
  });

  it('in UTC the same firing would fall in January: the offset matters', () => {
    const { rows } = rollup(FIRINGS, { level: 'village', period: 'month', utc_offset_min: 0 });
    expect(rows.map((r) => [r.month, r.firings])).toEqual([['2026-01', 3], ['2026-02', 1]]);
  });

  it('period all; a firing with no valid start is skipped with the reason (only when months are needed)', () => {
    const bad = f('bad', 'bt01', 'k1', NaN, {});
    expect(rollup([...FIRINGS, bad], { level: 'village', period: 'month' }).skipped).toEqual([{ firing_id: 'bad', reason: 'started_at_ms is not a finite number' }]);
    const { rows } = rollup([...FIRINGS, bad], { level: 'village', period: 'all' });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ month: null, firings: 5, energy_mj: 4730 + 4257 + 5676 + 2838, savings: null });
  });
});

describe('distribution (linear interpolation between order statistics)', () => {
  it.each([
    [[], null],
    [[7], { n: 1, min: 7, p25: 7, median: 7, p75: 7, max: 7 }],
    // positions (n − 1) × q = 0.75, 1.5, 2.25 → 1.75, 2.5, 3.25
    [[4, 1, 3, 2], { n: 4, min: 1, p25: 1.75, median: 2.5, p75: 3.25, max: 4 }],
    // positions 1, 2, 3 → 2, 3, 4; the outlier moves only max
    [[100, 1, 2, 3, 4], { n: 5, min: 1, p25: 2, median: 3, p75: 4, max: 100 }],
  ])('%j', (values, expected) => {
    expect(distribution(values)).toEqual(expected);
  });
});
