// Schemas for what users enter: load, grading, coal baseline. Table-driven, no mocks.
import { describe, expect, it } from 'vitest';
import {
  ANTHRACITE_IPCC_2006, coalBaselineSchema, gradingRecordSchema, loadRecordSchema,
} from '../../../src/domain/savings/records.ts';

const T = Date.UTC(2026, 1, 10, 3, 0, 0);
const load = {
  ware_kg: 900, furniture_kg: 650, recorded_at_ms: T, by: 'thu',
  products: [{ product: 'bowl', pieces: 600, ware_kg: 540 }, { product: 'vase', pieces: 100 }],
};
const grading = {
  recorded_at_ms: T, by: 'thu',
  products: [{ product: 'bowl', first: 560, second: 30, reject: 10, reject_causes: [{ cause: 'crack', pieces: 6 }, { cause: 'other', pieces: 2, note: 'chipped at unloading' }] }],
};
const src = (value: number, confidence: 'H' | 'M' | 'L' = 'M') => ({ value, source: "owner's purchase book 2004", confidence });
const baseline = {
  workshop: 'bt01', period: { from: '2004-01-01', to: '2004-12-31' },
  coal_kg_per_firing: src(1000), ware_kg_per_firing: src(800), yield_pct: src(70), duration_h: src(72),
  ...ANTHRACITE_IPCC_2006, recorded_at_ms: T, by: 'adviser-lan',
};

describe('records: valid input parses', () => {
  it.each([
    ['load', loadRecordSchema, load],
    ['grading', gradingRecordSchema, grading],
    ['coal baseline pre-filled with IPCC anthracite', coalBaselineSchema, baseline],
    ['baseline with a price and a quantified non-routine adjustment', coalBaselineSchema, {
      ...baseline, kiln: 'k1', coal_price_vnd_per_kg: src(3000, 'L'),
      adjustments: [{ at: '2026-03-01', description: 'switched to porcelain', effect: { kind: 'baseline_factor', ...src(1.15, 'L') } }],
    }],
  ] as const)('%s', (_name, schema, value) => {
    expect(schema.safeParse(value).success).toBe(true);
  });

  it('defaults reject causes and adjustments to empty lists', () => {
    const g = gradingRecordSchema.parse({ ...grading, products: [{ product: 'bowl', first: 1, second: 0, reject: 0 }] });
    expect(g.products[0]?.reject_causes).toEqual([]);
    expect(coalBaselineSchema.parse(baseline).adjustments).toEqual([]);
  });

  it('IPCC anthracite CO2 per kg: 26.7 MJ/kg × 98,300 kg/TJ = 2.6246 kg CO2/kg', () => {
    expect(ANTHRACITE_IPCC_2006.co2_kg_per_kg_coal.value).toBeCloseTo(2.62461, 5);
  });
});

describe('records: what an adviser may not know is optional', () => {
  it('a load without furniture_kg (not weighed) and a baseline without duration_h are taken', () => {
    const { furniture_kg: _f, ...noFurniture } = load;
    expect(loadRecordSchema.parse(noFurniture).furniture_kg).toBeUndefined();
    const { duration_h: _d, ...noDuration } = baseline;
    expect(coalBaselineSchema.parse(noDuration).duration_h).toBeUndefined();
  });
});

describe('records: bad input is refused', () => {
  const { source: _s, ...noSource } = src(1000);
  it.each([
    ['load with a product twice', loadRecordSchema, { ...load, products: [{ product: 'bowl', pieces: 1 }, { product: 'bowl', pieces: 2 }] }],
    ['load with zero ware', loadRecordSchema, { ...load, ware_kg: 0 }],
    ['grading: causes count more than the rejects', gradingRecordSchema, { ...grading, products: [{ product: 'bowl', first: 1, second: 0, reject: 1, reject_causes: [{ cause: 'warp', pieces: 2 }] }] }],
    ['grading: cause "other" without a note', gradingRecordSchema, { ...grading, products: [{ product: 'bowl', first: 1, second: 0, reject: 1, reject_causes: [{ cause: 'other', pieces: 1 }] }] }],
    ['grading: unknown cause', gradingRecordSchema, { ...grading, products: [{ product: 'bowl', first: 1, second: 0, reject: 1, reject_causes: [{ cause: 'dropped', pieces: 1 }] }] }],
    ['baseline figure without a source (never invented)', coalBaselineSchema, { ...baseline, coal_kg_per_firing: noSource }],
    ['baseline figure with an empty source', coalBaselineSchema, { ...baseline, yield_pct: { ...src(70), source: '  ' } }],
    ['baseline confidence not H/M/L', coalBaselineSchema, { ...baseline, yield_pct: { ...src(70), confidence: 'X' } }],
    ['baseline yield over 100 %', coalBaselineSchema, { ...baseline, yield_pct: src(120) }],
    ['baseline period backwards', coalBaselineSchema, { ...baseline, period: { from: '2005-01-01', to: '2004-01-01' } }],
    ['baseline without coal per firing', coalBaselineSchema, { ...baseline, coal_kg_per_firing: undefined }],
  ] as const)('%s', (_name, schema, value) => {
    expect(schema.safeParse(value).success).toBe(false);
  });
});
