// Fuel per hour and per stage instead of per interval (src/domain/report/fuel-parts.ts), on paper
// and on the hand-made firing (tests/fixtures/report/hand.ts: hours at t = 0, 60, 120; heating to
// t = 81, then cooling; a price change at t = 60), and the size of a day-long 1 Hz report.
import { describe, expect, it } from 'vitest';
import type { StageSpan } from '../../../src/domain/firing/index.ts';
import { foldFirings } from '../../../src/domain/firing/index.ts';
import type { Point } from '../../../src/domain/point.ts';
import { byHour, byStage, cutsFor } from '../../../src/domain/report/fuel-parts.ts';
import { summarizeFiring } from '../../../src/domain/report/index.ts';
import { flowPoints, PRICES, RECORD, scalePoints, temperatures, totalizerPoints, at } from '../../fixtures/report/hand.ts';
import { makeFiring } from '../../fixtures/firings/generate.ts';

const H = 3_600_000;
const span = (stage: StageSpan['stage'], start_ms: number, end_ms: number | null): StageSpan => ({ stage, start_ms, end_ms });

describe('cutsFor', () => {
  it.each([
    { name: 'hours, a stage change and a price change, sorted, each once', w: { from_ms: 0, to_ms: 3.5 * H }, stages: [span('heating', 0, 1.5 * H), span('cooling', 1.5 * H, null)], prices: [2 * H], want: [H, 1.5 * H, 2 * H, 3 * H] },
    { name: 'a stage starting on the hour is one cut', w: { from_ms: 0, to_ms: 2.5 * H }, stages: [span('heating', 0, H), span('soak', H, null)], prices: [], want: [H, 2 * H] },
    { name: 'nothing outside the window', w: { from_ms: 10, to_ms: 20 }, stages: [span('heating', 0, null)], prices: [5, 30], want: [] },
  ])('$name', ({ w, stages, prices, want }) => {
    expect(cutsFor(w, stages, prices)).toEqual(want);
  });
});

describe('byHour and byStage', () => {
  const w = { from_ms: 0, to_ms: 2.5 * H };
  const segs = [{ ts_ms: 0.5 * H, kg: 1 }, { ts_ms: 0.9 * H, kg: 2 }, { ts_ms: 1.2 * H, kg: 4 }, { ts_ms: 2.4 * H, kg: 8 }];
  it('sums each hour since the start, the last one partial', () => {
    expect(byHour(segs, w)).toEqual([{ from_ms: 0, kg: 3 }, { from_ms: H, kg: 4 }, { from_ms: 2 * H, kg: 8 }]);
  });
  it.each([
    { name: 'two spans', stages: [span('heating', 0, H), span('cooling', H, null)], want: [3, 12] },
    { name: 'a recurring stage keeps its spans apart', stages: [span('reduction', 0, H), span('heating', H, 2 * H), span('reduction', 2 * H, null)], want: [3, 4, 8] },
    { name: 'no stages, no rows', stages: [], want: [] },
  ])('$name', ({ stages, want }) => {
    expect(byStage(segs, stages).map((x) => x.kg)).toEqual(want);
  });
});

describe('a report carries per hour and per stage, never per interval', () => {
  const summary = (gas: Point[]) => summarizeFiring({ firing: RECORD, points: [...temperatures(), ...gas], prices: PRICES });
  it.each([
    // hours 0–60, 60–120, 120–131 min; the same split as the price periods in report-fuel.test.ts
    { kind: 'flow', gas: flowPoints(), hours: [5, 2.05, 0], stages: [7.05, 0] },
    { kind: 'totalizer', gas: totalizerPoints(), hours: [5.9, 2.1, 0], stages: [8, 0] },
    { kind: 'scale', gas: scalePoints(), hours: [5.8, 2.1, 0], stages: [7.9, 0] },
  ])('$kind: $hours kg per hour, $stages kg heating / cooling', ({ kind, gas, hours, stages }) => {
    const m = summary(gas).fuel.by_meter.find((x) => x.kind === kind)!;
    expect(m.by_hour.map((x) => x.from_ms)).toEqual([at(0), at(60), at(120)]);
    m.by_hour.forEach((x, i) => expect(x.kg).toBeCloseTo(hours[i]!, 6));
    expect(m.by_stage.map((x) => x.stage)).toEqual(['heating', 'cooling']);
    m.by_stage.forEach((x, i) => expect(x.kg).toBeCloseTo(stages[i]!, 6));
    expect('segments' in m).toBe(false);
  });

  it.each(['flow', 'totalizer', 'scale'] as const)('%s: gas on at t = 0 and off at t = 80, within one reading (1 min)', (kind) => {
    const gas = { flow: flowPoints(), totalizer: totalizerPoints(), scale: scalePoints() }[kind];
    const m = summary(gas).fuel.by_meter.find((x) => x.kind === kind)!;
    expect(Math.abs(m.gas_on_ms! - at(0))).toBeLessThanOrEqual(60_000);
    expect(Math.abs(m.gas_off_ms! - at(80))).toBeLessThanOrEqual(60_000);
  });

  it('a 24 h firing read at 1 Hz (4 zones + gas flow) makes a report under 50 KB', () => {
    const fx = makeFiring({
      start_ms: Date.UTC(2025, 0, 10), sample_s: 1, gas: true, zone_offsets_c: [0, 6, 12, 18], idle_before_min: 5, idle_after_min: 5,
      legs: [{ rate_c_h: 150, target_c: 1250, hold_min: 30 }, { rate_c_h: -75, target_c: 150 }],
    });
    const [firing] = foldFirings(fx.points);
    const s = summarizeFiring({ firing: firing!, points: fx.points, prices: PRICES });
    expect(s.duration_h).toBeGreaterThan(20);
    const bytes = Buffer.byteLength(JSON.stringify(s));
    expect(bytes).toBeLessThan(50_000);
  }, 60_000);
});
