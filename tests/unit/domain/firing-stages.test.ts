// Stages in order, each starting where the curve says it should.
import { describe, expect, it } from 'vitest';
import { foldFirings, type Stage } from '../../../src/domain/firing/index.ts';
import type { Fixture } from '../../fixtures/firings/generate.ts';
import { cone10Controller, scenario } from '../../fixtures/firings/scenarios.ts';

const MIN_MS = 60_000;
// Stage changes are confirmed after 2 min and dated back to when first seen; ±1 °C of noise at
// 85–200 °C/h moves a band crossing by under a minute. 3 min covers both.
const TOL_MS = 3 * MIN_MS;

type Expect = readonly [Stage, (fx: Fixture) => readonly [number, number]];
const at = (t: (fx: Fixture) => number, tol = TOL_MS) => (fx: Fixture) => [t(fx) - tol, t(fx) + tol] as const;
const up = (c: number) => at((fx) => fx.crossing(c, 'up'));
const down = (c: number) => at((fx) => fx.crossing(c, 'down'));
const knot = (i: number) => (fx: Fixture) => fx.knots[i]?.t_ms ?? NaN;

const CONE6: readonly Expect[] = [
  ['water_smoking', at((fx) => fx.knots[1]?.t_ms ?? NaN, 10 * MIN_MS)],
  ['heating', up(200)],
  ['burn_out', up(450)],
  ['quartz_inversion', up(548)],
  ['burn_out', up(598)],
  ['heating', up(900)],
  ['ramp_to_peak', up(1100)], // no schedule: 100 °C below the default 1,200 °C target
  ['soak', (fx) => [knot(5)(fx), knot(6)(fx)]], // inside the 15 min hold at 1,200 °C
  ['cooling', (fx) => [knot(6)(fx), knot(6)(fx) + 5 * MIN_MS]],
  ['quartz_inversion', down(598)],
  ['cooling', down(548)],
];

const CONE10: readonly Expect[] = [
  ['water_smoking', at(knot(1), 0)],
  ['heating', up(200)],
  ['burn_out', up(450)],
  ['quartz_inversion', up(548)],
  ['burn_out', up(598)],
  ['heating', up(900)],
  ['reduction', up(980)], // the controller's atmosphere event
  ['soak', (fx) => [knot(5)(fx), knot(6)(fx)]],
  ['cooling', (fx) => [knot(6)(fx), knot(6)(fx) + 5 * MIN_MS]],
  ['quartz_inversion', down(598)],
  ['cooling', down(548)],
];

describe('stages of a firing', () => {
  const cases = [
    ['cone 6 detected from temperatures', scenario('cone 6 glaze, detected from temperatures').fixture, scenario('cone 6 glaze, detected from temperatures').points, CONE6],
    ['gas cone 10 with controller events', cone10Controller().fixture, cone10Controller().points, CONE10],
  ] as const;

  it.each(cases)('%s: right order, plausible times', (_name, fx, points, expected) => {
    const [firing] = foldFirings(points);
    if (!firing) throw new Error('no firing');
    expect(firing.stages.map((s) => s.stage)).toEqual(expected.map(([stage]) => stage));
    firing.stages.forEach((s, i) => {
      const [lo, hi] = expected[i]?.[1](fx) ?? [NaN, NaN];
      expect(s.start_ms, `${s.stage} #${i}`).toBeGreaterThanOrEqual(lo);
      expect(s.start_ms, `${s.stage} #${i}`).toBeLessThanOrEqual(hi);
      // Spans tile the firing: each ends where the next begins, the last at the firing's end.
      expect(s.end_ms).toBe(firing.stages[i + 1]?.start_ms ?? firing.end_ms);
    });
  });

  it('an aborted firing never reaches ramp to peak or soak, and cools through quartz inversion', () => {
    const [firing] = foldFirings(scenario('gas off at 700 °C, detected').points);
    const stages = firing?.stages.map((s) => s.stage);
    expect(stages).toEqual(['water_smoking', 'heating', 'burn_out', 'quartz_inversion', 'burn_out', 'cooling', 'quartz_inversion', 'cooling']);
  });
});
