// The controller follows every preset within a stated band, and falls behind when the burners cannot keep up.
import { describe, expect, it } from 'vitest';
import { HOLDBACK_C } from '../../../simulator/model/controller.ts';
import { FIRINGS, KILNS } from '../../../simulator/model/presets.ts';
import { firingTruth } from '../../../simulator/model/truth.ts';
import { runFiring } from './helpers.ts';

// Band of |kiln − setpoint| in heating ramps and holds, °C. glaze6's 200 °C/h ramp to 1,080 °C was
// written for electric kilns: a gas kiln sized for cone 10 at 60 °C/h reaches full fire on it and
// lags by up to the holdback, so its band is the holdback itself.
const BANDS_C: Record<string, number> = { bisque04: 3, glaze6: HOLDBACK_C, cone8ox: 3, cone10ox: 3, cone10red: 3 };

function scheduledHours(firing: string, start_c: number): number {
  let t_h = 0, from_c = start_c;
  for (const s of FIRINGS[firing]!.schedule.segments) {
    t_h += Math.abs(s.target_c - from_c) / Math.abs(s.rate_c_h) + s.hold_min / 60;
    from_c = s.target_c;
  }
  return t_h;
}

describe('controller follows each preset (3.5 m³ kiln, typical load)', () => {
  for (const [name, band_c] of Object.entries(BANDS_C)) {
    it(`${name}: within ±${band_c} °C in ramps and holds, completes, reaches the target`, () => {
      const { m, trace } = runFiring(name);
      const heating = trace.filter((p) => (FIRINGS[name]!.schedule.segments[p.seg]?.rate_c_h ?? 0) > 0);
      const worst_c = Math.max(...heating.map((p) => Math.abs(p.charge_c - p.sp_c)));
      expect(worst_c).toBeLessThanOrEqual(band_c);
      const t = firingTruth(m);
      expect(t.stop_reason).toBe('complete');
      const peak_c = Math.max(...FIRINGS[name]!.schedule.segments.map((s) => s.target_c));
      expect(Math.abs(t.peak_c - peak_c)).toBeLessThanOrEqual(3);
      // Never shorter than the schedule; longer only by the time spent waiting for the kiln.
      const planned_s = scheduledHours(name, KILNS.k3_5!.ambient_c) * 3600;
      expect(t.duration_s).toBeGreaterThanOrEqual(planned_s - 60);
      expect(t.duration_s).toBeLessThanOrEqual(planned_s + t.behind_s + 1800);
    });
  }

  it('holds are timed near the target: each hold lasts at least hold_min', () => {
    const { trace } = runFiring('cone10red', 'k3_5', { sample_s: 10 });
    const lastSeg = FIRINGS.cone10red!.schedule.segments.length - 1;
    const soak = trace.filter((p) => p.seg === lastSeg && p.phase === 'hold');
    expect(soak.length * 10).toBeGreaterThanOrEqual(30 * 60 - 20);
    for (const p of soak) expect(Math.abs(p.charge_c - 1285)).toBeLessThanOrEqual(3);
  });
});

describe('falls behind when the burners are at full power', () => {
  it('an under-burnered kiln lags, stretches the firing and records the wait', () => {
    const spec = { ...KILNS.k3_5!, max_flow_kg_h: 12 };
    const { m, trace } = runFiring('cone10ox', spec, { max_h: 60 });
    const t = firingTruth(m);
    expect(t.behind_s).toBeGreaterThan(3600);
    expect(t.duration_s).toBeGreaterThan(firingTruth(runFiring('cone10ox').m).duration_s + 3600);
    expect(Math.max(...trace.map((p) => p.sp_c - p.charge_c))).toBeGreaterThan(10);
  });
});
