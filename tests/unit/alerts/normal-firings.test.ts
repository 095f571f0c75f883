// The defaults must stay quiet on normal firings: every simulator preset on two kiln sizes, as
// the service would decode them, raises no alert (except glaze6's deliberate 200 °C/h ramp,
// written for electric kilns, which heats through water smoking and 573 °C too fast for a gas
// kiln's ware: those two, and only those, are expected).
import { describe, expect, it } from 'vitest';
import { simulate } from '../../fixtures/report/simulated.ts';
import { replay } from './replay.ts';

const RUNS = [
  { preset: 'k3_5', firing: 'cone10ox' }, { preset: 'k3_5', firing: 'cone10red' }, { preset: 'k3_5', firing: 'bisque04' },
  { preset: 'k1', firing: 'cone8ox' }, { preset: 'k6', firing: 'glaze6' },
] as const;

describe('normal simulated firings raise no alert with the default settings', () => {
  const sims = simulate(RUNS, { interval_s: 10, seed: 3, max_h: 48 });
  it.each(RUNS.map((r, i) => ({ ...r, sim: sims[i]! })))('$firing on $preset', ({ firing, sim }) => {
    const { transitions } = replay(sim.points);
    const raised = transitions.filter((t) => t.type === 'raised').map((t) => `${t.alert.kind}:${t.alert.channel}`);
    if (firing === 'glaze6') expect(raised.sort()).toEqual(['rate_too_fast:quartz_heating', 'rate_too_fast:water_smoking']);
    else expect(raised).toEqual([]);
  });
});
