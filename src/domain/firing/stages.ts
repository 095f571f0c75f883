// Stage recognition for one decided sample of an active firing (docs/sources.md, "Firing").
import type { TrackerConfig } from './config.ts';
import type { ActiveFiring, FiringEvent, Stage } from './types.ts';

/** The stage a sample looks like, before debouncing. Order matters: soak beats reduction (a
 *  reduction soak is still the soak), reduction beats the temperature bands (it is the operator's
 *  word), and a falling kiln is cooling whatever its temperature, unless the gas is burning and the
 *  kiln rising (`heating`): then it is never cooling, even after a zone's fault looked like a fall.
 *  The peak compared with is the one of the zones read now (ref_peak_c). */
export function classify(temp_c: number, rate_c_h: number | null, f: ActiveFiring, cfg: TrackerConfig, heating = false): Stage {
  const nearQuartz = Math.abs(temp_c - cfg.quartz_c) <= cfg.quartz_band_c;
  const peak_c = f.ref_peak_c ?? f.peak_c;
  const falling = rate_c_h !== null && rate_c_h <= -cfg.soak_max_rate_c_h && temp_c < peak_c - cfg.soak_band_c;
  if (!heating && (f.cooling_since_ms !== null || falling)) return nearQuartz ? 'quartz_inversion' : 'cooling';
  const top_c = f.target_c ?? cfg.default_target_c;
  const nearTop = temp_c >= top_c - cfg.ramp_band_c;
  const holding = rate_c_h !== null && Math.abs(rate_c_h) <= cfg.soak_max_rate_c_h;
  if (nearTop && holding && temp_c >= peak_c - cfg.soak_band_c) return 'soak';
  if (f.atmosphere === 'reduction') return 'reduction';
  if (nearTop) return 'ramp_to_peak';
  if (nearQuartz) return 'quartz_inversion';
  if (temp_c < cfg.water_smoking_max_c) return 'water_smoking';
  if (temp_c >= cfg.burn_out_min_c && temp_c < cfg.burn_out_max_c) return 'burn_out';
  return 'heating'; // 200–450 °C and from 900 °C to the ramp
}

/** Adopt a new stage only after it has held for stage_confirm_s; the change is dated from when
 *  it was first seen, so debouncing delays the event, not the recorded time. */
export function advanceStage(f: ActiveFiring, want: Stage, ts_ms: number, cfg: TrackerConfig): { firing: ActiveFiring; events: FiringEvent[] } {
  if (want === f.stage) return { firing: f.candidate ? { ...f, candidate: null } : f, events: [] };
  const c = f.candidate;
  if (!c || c.stage !== want) return { firing: { ...f, candidate: { stage: want, since_ms: ts_ms } }, events: [] };
  if (ts_ms - c.since_ms < cfg.stage_confirm_s * 1000) return { firing: f, events: [] };
  return {
    firing: { ...f, stage: want, stage_since_ms: c.since_ms, candidate: null },
    events: [{ type: 'stage_changed', firing_id: f.id, stage: want, at_ms: c.since_ms }],
  };
}
