// Fuel by each meter kind, which one is THE figure, and its price, energy and CO2, on the
// hand-made firing (tests/fixtures/report/hand.ts). Price change at t = 60: 30,000 → 40,000 VND/kg.
import { describe, expect, it } from 'vitest';
import { FUELS } from '../../../src/domain/analytics/fuels.ts';
import type { Point } from '../../../src/domain/point.ts';
import { chooseMeter, summarizeFiring, toFiringFigures, type MeterFigure, type MeterKind } from '../../../src/domain/report/index.ts';
import { flowPoints, PRICES, RECORD, scalePoints, temperatures, totalizerPoints } from '../../fixtures/report/hand.ts';

const summary = (...gas: Point[][]) => summarizeFiring({ firing: RECORD, points: [...temperatures(), ...gas.flat()], prices: PRICES });

describe('each meter kind alone', () => {
  it.each([
    {
      // 6 kg/h × 80 min = 8 kg, + 3 kg/h × 1 min as it drops to 0 (t 80 → 81) = 0.05 kg, − the
      // 10 min gap (t 20 → 30, 1 kg, NOT bridged) = 7.05 kg. Old price: t 0–60 less the gap = 50 min
      // × 0.1 kg = 5 kg; new: 2.05 kg. 5 × 30,000 + 2.05 × 40,000 = 232,000 VND.
      // Covered: 131 min − the 10 min gap = 121 min = 92.37 %: not complete, yet the only meter.
      name: 'flow meter with a gap', kind: 'flow' as MeterKind, gas: flowPoints(),
      fuel_kg: 7.05, gap_kg: 1, cost_vnd: 232_000, coverage_pct: (100 * 121) / 131, unmeasured_pct: (100 * 1) / 8.05,
      reason: /no meter is complete/, note: /1 gap/,
    },
    {
      // 996 → 1,000 (t 0–40), wraps, 0 → 4 (t 40–80): 8 kg, 1 rollover. Cut at t = 60: the piece
      // before is t 0–59 (5.9 kg), the piece after starts at the reading of t = 59 (2.1 kg).
      // 5.9 × 30,000 + 2.1 × 40,000 = 261,000 VND.
      name: 'totaliser rolling over', kind: 'totalizer' as MeterKind, gas: totalizerPoints(),
      fuel_kg: 8, gap_kg: 0, cost_vnd: 261_000, coverage_pct: 100, unmeasured_pct: 0, reason: /first complete/, note: /1 rollover/,
    },
    {
      // 100 → 96.1 (t 0–39) = 3.9 kg; swap to 186 at t = 40; 186 → 182 (t 40–80) = 4 kg: 7.9 kg.
      // The 0.1 kg burnt across the swap (t 39 → 40) cannot be seen. Old price: 3.9 + (186 − 184.1)
      // = 5.8 kg; new: 184.1 → 182 = 2.1 kg. 5.8 × 30,000 + 2.1 × 40,000 = 258,000 VND.
      name: 'cylinder scale with a swap', kind: 'scale' as MeterKind, gas: scalePoints(),
      fuel_kg: 7.9, gap_kg: 0, cost_vnd: 258_000, coverage_pct: 100, unmeasured_pct: 0, reason: /first complete/, note: /1 cylinder swap/,
    },
  ])('$name', ({ kind, gas, fuel_kg, gap_kg, cost_vnd, coverage_pct, unmeasured_pct, reason, note }) => {
    const s = summary(gas);
    expect(s.fuel.source).toBe(kind);
    expect(s.fuel.source_reason).toMatch(reason);
    expect(s.fuel.source_complete).toBe(kind !== 'flow'); // the gappy flow meter is a lower bound
    expect(s.fuel.fuel_kg).toBeCloseTo(fuel_kg, 9);
    expect(s.fuel.unmeasured_pct).toBeCloseTo(unmeasured_pct, 9);
    const m = s.fuel.by_meter[0]!;
    expect(m.gap_estimate_kg).toBeCloseTo(gap_kg, 9);
    expect(m.coverage_pct).toBeCloseTo(coverage_pct, 9);
    expect(m.notes.join()).toMatch(note);
    expect(s.cost!.cost_vnd).toBeCloseTo(cost_vnd, 4);
    expect(s.cost!.parts.map((p) => p.price.valid_from)).toEqual(['2025-11-01', '2025-12-01']);
    expect(s.energy_mj).toBeCloseTo(fuel_kg * 47.3, 9); // IPCC 2006 LPG NCV
    expect(s.co2_kg).toBeCloseTo(fuel_kg * FUELS.lpg.co2_kg_per_kg, 9); // 63,100 kg/TJ × 47.3 MJ/kg = 2.985 kg/kg
  });

  it('flow: peak 6 kg/h, burners out at t = 81, mean 7.05 kg / 1.35 h', () => {
    const s = summary(flowPoints());
    expect(s.fuel).toMatchObject({ peak_flow_kg_h: 6, burning_h: 81 / 60 });
    expect(s.fuel.mean_flow_kg_h).toBeCloseTo(7.05 / 1.35, 9);
    expect(s.quality.gaps.map((g) => g.kind)).toEqual(['flow']);
  });

  it('all three meters: each figure is reported, the totaliser is THE figure', () => {
    const s = summary(flowPoints(), totalizerPoints(), scalePoints());
    expect(s.fuel.by_meter.map((m) => [m.kind, Math.round(m.fuel_kg * 100) / 100])).toEqual([['totalizer', 8], ['flow', 7.05], ['scale', 7.9]]);
    expect(s.fuel.source).toBe('totalizer');
    expect(s.fuel.peak_flow_kg_h).toBe(6); // only a flow meter shows a peak
  });
});

describe('chooseMeter', () => {
  const m = (kind: MeterKind, coverage_pct: number, extra: Partial<MeterFigure> = {}): MeterFigure =>
    ({ kind, channels: [kind], fuel_kg: 1, coverage_pct, gap_estimate_kg: 0, notes: [], gaps: [], resets: 0, gas_on_ms: null, gas_off_ms: null, by_hour: [], by_stage: [], ...extra });
  const gap = [{ kind: 'flow' as const, from_ms: 0, to_ms: 600_000, duration_s: 600 }];
  it.each([
    { name: 'totaliser first when complete', meters: [m('scale', 100), m('flow', 100), m('totalizer', 100)], want: 'totalizer' },
    { name: 'a reset totaliser yields to a complete flow meter', meters: [m('totalizer', 100, { resets: 1 }), m('flow', 100)], want: 'flow' },
    { name: 'a flow meter with a gap yields to a complete scale', meters: [m('flow', 95, { gaps: gap }), m('scale', 100)], want: 'scale' },
    { name: 'a totaliser that missed the end yields to a complete flow meter', meters: [m('totalizer', 90), m('flow', 100)], want: 'flow' },
    { name: 'none complete: the best coverage', meters: [m('totalizer', 60), m('flow', 92, { gaps: gap }), m('scale', 80)], want: 'flow' },
    { name: 'no meter', meters: [], want: null },
  ])('$name', ({ meters, want }) => {
    expect(chooseMeter(meters).chosen?.kind ?? null).toBe(want);
  });
});

describe('toFiringFigures', () => {
  const load = { ware_kg: 100, furniture_kg: 150, products: [{ product: 'bowl', pieces: 200, ware_kg: 100 }], recorded_at_ms: 0, by: 'an' };
  const grading = { products: [{ product: 'bowl', first: 180, second: 15, reject: 5, reject_causes: [] }], recorded_at_ms: 0, by: 'an' };
  it.each([
    // totaliser, complete: 'H'; 180 of 200 pieces first grade × 100 kg = 90 kg good
    { name: 'graded, measured', gas: totalizerPoints(), load, grading, want: { lpg_kg: 8, ware_kg: 100, good_kg: 90, confidence: 'H', duration_h: 131 / 60 } },
    // flow with 12.4 % unmeasured: 'L'; no load or grading: nulls
    { name: 'ungraded, gappy', gas: flowPoints(), load: undefined, grading: undefined, want: { lpg_kg: 7.05, ware_kg: null, good_kg: null, confidence: 'L' } },
  ])('$name', ({ gas, load, grading, want }) => {
    const s = summary(gas);
    const f = toFiringFigures(s, { workshop: 'ws1', kiln: 'k1' }, load, grading);
    expect(f).toMatchObject({ firing_id: 'k1-hand', workshop: 'ws1', kiln: 'k1', started_at_ms: s.start_ms, energy_mj: s.energy_mj, cost_vnd: s.cost!.cost_vnd, co2_kg: s.co2_kg });
    expect({ ...f, lpg_kg: Math.round(f.lpg_kg! * 1e6) / 1e6 }).toMatchObject(want);
  });
});
