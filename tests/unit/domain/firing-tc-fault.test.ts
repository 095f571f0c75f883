// A thermocouple in fault during heating: the zone is left out of the kiln temperature, and a
// kiln burning gas and rising is never shown cooling, nor ended and re-fired.
import { describe, expect, it } from 'vitest';
import { foldFirings, type FiringRecord } from '../../../src/domain/firing/index.ts';
import type { Point } from '../../../src/domain/point.ts';
import { makeFiring, type Leg } from '../../fixtures/firings/generate.ts';

const T0 = Date.UTC(2025, 0, 10, 2, 0);
const MIN = 60_000;
const COOL: readonly Leg[] = [{ rate_c_h: -150, target_c: 500 }, { rate_c_h: -60, target_c: 150 }];
// Zone tc1 is the hottest; the others read 60 and 120 °C lower at 1,000 °C above ambient (a wide
// but normal spread), so losing tc1 drops the kiln temperature by more than cooling_drop_c.
const OFFSETS_C = [0, 60, 120];

type Fault = (p: Point, since_ms: number) => Point | null;
const tc1 = (p: Point) => p.measurement === 'temperature' && p.tags.channel === 'tc1';
const FAULTS: Record<string, Fault> = {
  'hottest zone goes silent': (p, since) => (tc1(p) && p.ts_ms >= since ? null : p),
  'hottest zone reads 0 °C (open circuit)': (p, since) => (tc1(p) && p.ts_ms >= since ? { ...p, fields: { ...p.fields, temp_c: 0 } } : p),
  'hottest zone reads 150 °C low (wire shorted at the head)': (p, since) => (tc1(p) && p.ts_ms >= since ? { ...p, fields: { ...p.fields, temp_c: Number(p.fields.temp_c) - 150 } } : p),
  'hottest zone reads 1,750 °C (upscale burn-out)': (p, since) => (tc1(p) && p.ts_ms >= since ? { ...p, fields: { ...p.fields, temp_c: 1750 } } : p),
  'hottest zone silent for 30 min, then back': (p, since) => (tc1(p) && p.ts_ms >= since && p.ts_ms < since + 30 * MIN ? null : p),
};

const CASES = [
  { name: '61 °C/h on gas', legs: [{ rate_c_h: 120, target_c: 700 }, { rate_c_h: 61, target_c: 1150, hold_min: 20 }], fault_c: 900 },
  { name: '200 °C/h on gas', legs: [{ rate_c_h: 200, target_c: 1200, hold_min: 15 }], fault_c: 800 },
] as const;

const stagesIn = (f: FiringRecord, from_ms: number, to_ms: number) =>
  f.stages.filter((s) => s.start_ms < to_ms && (s.end_ms ?? Infinity) > from_ms).map((s) => s.stage);

describe('a thermocouple fault during heating never shows cooling', () => {
  for (const c of CASES) {
    it.each(Object.keys(FAULTS))(`${c.name}: %s`, (fault) => {
      const fx = makeFiring({ start_ms: T0, legs: [...c.legs, ...COOL], gas: true, zone_offsets_c: OFFSETS_C, sample_s: 30 });
      const since = fx.crossing(c.fault_c, 'up');
      const heat_end_ms = fx.knots[c.legs.length + (c.legs.some((l) => 'hold_min' in l) ? 2 : 1)]!.t_ms; // burners off
      const points = fx.points.flatMap((p) => FAULTS[fault]!(p, since) ?? []);
      const firings = foldFirings(points);
      expect(firings).toHaveLength(1); // never ended and re-fired mid-heating
      const f = firings[0]!;
      expect(stagesIn(f, since, heat_end_ms - 5 * MIN)).not.toContain('cooling');
      expect(stagesIn(f, heat_end_ms, f.end_ms ?? Infinity)).toContain('cooling'); // and cooling is still seen when it cools
      expect(f.peak_c).toBeLessThan(1300); // a zone reading garbage high is not the peak
    });
  }
});
