// Simulator options for the service's hardest kilns: no controller events, and one meter kind only;
// and the truth it writes: each firing's gas-on, gas-off and end (first reading below cool_until_c).
import { describe, expect, it } from 'vitest';
import { parseCli } from '../../../simulator/cli.ts';
import { buildFleet } from '../../../simulator/fleet.ts';
import { isDone, stepSimKiln, truthOf } from '../../../simulator/model/sim.ts';
import { FIRINGS } from '../../../simulator/model/presets.ts';
import { coneEquivalent } from '../../../src/domain/firing/cones.ts';

const T0 = Date.UTC(2025, 0, 1);

function run(gas: ('flow' | 'totalizer' | 'scale')[], monitor_only: boolean) {
  const { fleet } = buildFleet({ kilns: 1, seed: 3, sim_start_ms: T0, interval_s: 10, cool_until_c: 200, stagger_min: 0, kiln_preset: 'k1', firing: 'bisque04', gas, monitor_only });
  const k = fleet[0]!;
  const kinds = new Set<string>();
  let events = 0, firstCool: { ts_ms: number; hottest: number } | null = null;
  while (!isDone(k) && k.model.now_ms < T0 + 72 * 3_600_000) {
    for (const o of stepSimKiln(k, 1)) {
      if (o.kind === 'event') events++;
      if (o.kind !== 'telemetry') continue;
      const r = JSON.parse(o.payload) as { ts_ms: number; temp_c: Record<string, number>; gas?: Record<string, { kind: string }> };
      for (const g of Object.values(r.gas ?? {})) kinds.add(g.kind);
      const hottest = Math.max(...Object.values(r.temp_c));
      if (!firstCool && k.model.stop && r.ts_ms > k.model.stop.ts_ms && hottest < 200) firstCool = { ts_ms: r.ts_ms, hottest };
    }
  }
  return { truth: truthOf(k), kinds, events, firstCool: firstCool! };
}

describe('monitor-only kilns with one meter kind', () => {
  it.each([
    { gas: ['flow'] as const, monitor_only: true },
    { gas: ['totalizer'] as const, monitor_only: true },
    { gas: ['scale'] as const, monitor_only: false },
  ])('$gas, monitor only: $monitor_only', ({ gas, monitor_only }) => {
    const r = run([...gas], monitor_only);
    expect([...r.kinds]).toEqual([...gas]);
    expect(r.events > 0).toBe(!monitor_only);
    const t = r.truth;
    expect(t.state).toBe('done');
    expect(Math.abs(t.gas_on_ts_ms! - t.start_ts_ms)).toBeLessThan(10_000);
    expect(t.gas_off_ts_ms).toBeLessThanOrEqual(t.stop_ts_ms!);
    expect(t.end_ts_ms).toBe(r.firstCool.ts_ms); // the first reading after gas-off below 200 °C
  });
});

describe('cli', () => {
  it.each([
    { argv: ['--gas', 'totalizer', '--monitor-only'], gas: ['totalizer'], monitor_only: true },
    { argv: ['--gas', 'flow,scale'], gas: ['flow', 'scale'], monitor_only: false },
    { argv: [], gas: undefined, monitor_only: false },
  ])('$argv', ({ argv, gas, monitor_only }) => {
    const o = parseCli(argv, T0);
    expect(o.gas).toEqual(gas);
    expect(o.monitor_only).toBe(monitor_only);
  });
  it('refuses an unknown meter kind', () => expect(() => parseCli(['--gas', 'coal'], T0)).toThrow(/--gas/));
});

it('the cone 10 preset reaches cone 10 on the self-supporting chart at its final rate', () => {
  const segs = FIRINGS.cone10ox!.schedule.segments;
  const last = segs[segs.length - 1]!;
  expect(coneEquivalent(last.target_c, last.rate_c_h).label).toBe('cone 10');
});
