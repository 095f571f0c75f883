// Refusals and warnings a schema cannot give (src/domain/savings/record-checks.ts).
import { describe, expect, it } from 'vitest';
import { baselineProblems, baselineWarnings, gradingProblems, loadProblems, PUBLISHED } from '../../../src/domain/savings/record-checks.ts';
import { ANTHRACITE_IPCC_2006, coalBaselineSchema, defaultCo2PerKgCoal, type CoalBaseline } from '../../../src/domain/savings/records.ts';

const src = (value: number) => ({ value, source: 'owner', confidence: 'M' as const });
const base = (over: Partial<CoalBaseline> = {}): CoalBaseline => coalBaselineSchema.parse({
  workshop: 'bt01', period: { from: '2004-01-01', to: '2004-12-31' },
  coal_kg_per_firing: src(1000), ware_kg_per_firing: src(800), yield_pct: src(70),
  ...ANTHRACITE_IPCC_2006, recorded_at_ms: 0, by: 'x', ...over,
});
const load = { products: [{ product: 'cup', pieces: 400 }, { product: 'vase', pieces: 100 }] };
const graded = (cup: number, vase = 100) => ({ products: [{ product: 'cup', first: cup, second: 0, reject: 0 }, { product: 'vase', first: vase, second: 0, reject: 0 }] });

describe('baseline', () => {
  it('a yield of 1 or less asks whether a fraction was meant', () => {
    expect(baselineProblems(base({ yield_pct: src(0.72) }))).toEqual([{ path: ['yield_pct', 'value'], message: '0.72 looks like a fraction; yield is a percentage (0–100), did you mean 72 %?' }]);
    expect(baselineProblems(base({ yield_pct: src(1.5) }))).toEqual([]);
  });
  it('a stored fraction is shown as a warning, not hidden', () => {
    expect(baselineWarnings(base({ yield_pct: src(0.72) })).map((w) => w.field)).toEqual(['yield_pct']);
  });
  it('within the published ranges: no warning; outside: a warning with the source', () => {
    expect(baselineWarnings(base())).toEqual([]); // 1000 × 26.7 / 800 = 33.4 MJ/kg, 70 %
    const w = baselineWarnings(base({ yield_pct: src(95), coal_kg_per_firing: src(10_000) })); // 10,000 × 26.7 / 800 = 333.75 MJ/kg
    expect(w.map((x) => x.field)).toEqual(['yield_pct', 'coal_kg_per_firing']);
    expect(w[0]!.source).toBe(PUBLISHED.coal_yield_pct.source);
    expect(w[1]!.message).toMatch(/333\.75 MJ per kg of ware, outside the 2\.5–85 MJ\/kg/);
  });
  it('the CO2 default is the IPCC per-TJ factor × the NCV entered, at its grade', () => {
    const d = defaultCo2PerKgCoal({ value: 22, source: 'lab', confidence: 'M' });
    expect(d.value).toBeCloseTo(22 * 98_300 / 1e6, 12);
    expect(d.confidence).toBe('M');
    expect(d.source).toMatch(/IPCC 2006/);
  });
});

describe('grading against the load', () => {
  it('more pieces graded than loaded is refused, per product and in all', () => {
    expect(gradingProblems(graded(400), load)).toEqual([]);
    expect(gradingProblems(graded(500), load)).toEqual([{ path: ['products', 0], message: 'cup: 500 pieces graded (first + second + reject), more than the 400 loaded' }]);
    expect(gradingProblems({ products: [{ product: 'bowl', first: 600, second: 0, reject: 0 }] }, load)).toEqual([{ path: ['products'], message: '600 pieces graded in all, more than the 500 loaded' }]);
    expect(gradingProblems(graded(500), null)).toEqual([]); // no load yet: nothing to check against
  });
  it('a load with fewer pieces than already graded is refused', () => {
    expect(loadProblems({ products: [{ product: 'cup', pieces: 300 }] }, graded(350))).toEqual([{ path: ['products', 0, 'pieces'], message: '300 is fewer than the 350 pieces of cup already graded' }]);
    expect(loadProblems(load, graded(400))).toEqual([]);
  });
});
