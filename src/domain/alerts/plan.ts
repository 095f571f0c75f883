// Where the controller's schedule says the kiln should be now. The planned setpoint moves at each
// segment's rate toward its target, then holds for hold_min; like a controller's holdback it
// WAITS while the kiln lags more than holdback_c behind it, and a hold is timed only while the
// kiln is within holdback_c of the target. So a slow kiln is late, not "off"; a kiln that falls
// while its setpoint waits (flame-out) or runs away from it (over-firing) is off the schedule.
import type { Schedule } from '../../wire/events.ts';

export interface Plan {
  readonly firing_id: string | null;
  readonly segments: Schedule['segments'];
  readonly idx: number;
  readonly phase: 'ramp' | 'hold';
  readonly sp_c: number | null;
  readonly hold_s: number;
  readonly last_ms: number;
  readonly done: boolean;
}

export function newPlan(schedule: Schedule, firing_id: string | null, at_ms: number): Plan {
  return { firing_id, segments: schedule.segments, idx: 0, phase: 'ramp', sp_c: null, hold_s: 0, last_ms: at_ms, done: schedule.segments.length === 0 };
}

export function planTarget(p: Plan): number | null {
  let max: number | null = null;
  for (const s of p.segments) if (max === null || s.target_c > max) max = s.target_c;
  return max;
}

/** Advance the plan to at_ms given the kiln temperature now. */
export function advancePlan(p: Plan, temp_c: number, at_ms: number, holdback_c: number): Plan {
  if (p.done) return p;
  if (p.sp_c === null) return { ...p, sp_c: temp_c, last_ms: at_ms };
  let dt_s = Math.max(0, (at_ms - p.last_ms) / 1000);
  let { idx, phase, sp_c, hold_s } = p;
  let done = false;
  while (dt_s > 0 && !done) {
    const seg = p.segments[idx];
    if (!seg) { done = true; break; }
    if (phase === 'ramp') {
      const dir = Math.sign(seg.target_c - sp_c);
      const behind = dir > 0 ? temp_c < sp_c - holdback_c : dir < 0 ? temp_c > sp_c + holdback_c : false;
      if (behind) break; // the setpoint waits for the kiln
      const rate = Math.abs(seg.rate_c_h);
      const need_s = rate > 0 ? (Math.abs(seg.target_c - sp_c) / rate) * 3600 : 0;
      if (dir === 0 || need_s <= dt_s) {
        dt_s -= dir === 0 ? 0 : need_s;
        sp_c = seg.target_c;
        phase = 'hold';
        hold_s = 0;
      } else {
        sp_c += (dir * rate * dt_s) / 3600;
        dt_s = 0;
      }
    } else {
      if (Math.abs(temp_c - seg.target_c) > holdback_c) break; // a hold is timed only at temperature
      const need_s = seg.hold_min * 60 - hold_s;
      if (need_s <= dt_s) {
        dt_s -= Math.max(0, need_s);
        idx++;
        phase = 'ramp';
        hold_s = 0;
        if (idx >= p.segments.length) done = true;
      } else {
        hold_s += dt_s;
        dt_s = 0;
      }
    }
  }
  return { ...p, idx, phase, sp_c, hold_s, last_ms: at_ms, done };
}
