// Schedule follower with a guaranteed ramp ("holdback", as on Bartlett/Orton kiln controllers):
// the setpoint moves at the segment rate only while the kiln is within HOLDBACK_C of it, and a
// hold is timed only while the kiln is within HOLDBACK_C of the target. When the burners are at
// full fire the kiln falls behind, the setpoint waits, and the firing takes longer — as it does.
// Gas flow = feed-forward from the heat balance + PI on the error, clamped to burner capacity.
import type { Schedule } from '../../src/wire/events.ts';

export const HOLDBACK_C = 15;
const KP_FRACTION_PER_C = 1 / 40; // 40 °C error → full fire
const INTEGRAL_TIME_S = 900;

export interface ControllerState {
  seg: number;
  phase: 'ramp' | 'hold' | 'done';
  sp_c: number;
  sp_rate_c_s: number;
  hold_s: number;
  integ_kg_h: number;
  /** Seconds the setpoint waited for the kiln (burner capacity or natural cooling too slow). */
  behind_s: number;
}

export function newController(start_c: number): ControllerState {
  return { seg: 0, phase: 'ramp', sp_c: start_c, sp_rate_c_s: 0, hold_s: 0, integ_kg_h: 0, behind_s: 0 };
}

export interface SetpointStep {
  /** Index of a segment entered during this step (0 is entered at firing start, not here). */
  entered?: number;
  done?: boolean;
}

export function advanceSetpoint(c: ControllerState, sched: Schedule, temp_c: number, dt_s: number): SetpointStep {
  const seg = sched.segments[c.seg];
  if (c.phase === 'done' || !seg) return {};
  c.sp_rate_c_s = 0;
  if (c.phase === 'ramp') {
    const gap_c = seg.target_c - c.sp_c;
    if (Math.abs(c.sp_c - temp_c) <= HOLDBACK_C) {
      const step_c = Math.min(Math.abs(gap_c), (Math.abs(seg.rate_c_h) / 3600) * dt_s);
      c.sp_c += Math.sign(gap_c) * step_c;
      c.sp_rate_c_s = (Math.sign(gap_c) * step_c) / dt_s;
    } else if (gap_c !== 0) {
      c.behind_s += dt_s;
    }
    if (c.sp_c === seg.target_c && Math.abs(temp_c - seg.target_c) <= HOLDBACK_C) {
      c.phase = 'hold';
      c.hold_s = 0;
    }
    return {};
  }
  if (Math.abs(temp_c - seg.target_c) <= HOLDBACK_C) c.hold_s += dt_s;
  if (c.hold_s < seg.hold_min * 60) return {};
  c.seg += 1;
  if (c.seg >= sched.segments.length) {
    c.phase = 'done';
    return { done: true };
  }
  c.phase = 'ramp';
  return { entered: c.seg };
}

/** Gas flow command, kg/h: feed-forward plus PI with anti-windup, within 0…max_flow_kg_h. */
export function flowCommand(c: ControllerState, temp_c: number, ff_kg_h: number, max_flow_kg_h: number, dt_s: number): number {
  const kp = max_flow_kg_h * KP_FRACTION_PER_C;
  const err_c = c.sp_c - temp_c;
  const raw = ff_kg_h + kp * err_c + c.integ_kg_h;
  const saturated = (raw >= max_flow_kg_h && err_c > 0) || (raw <= 0 && err_c < 0);
  if (!saturated) {
    c.integ_kg_h += (kp * err_c * dt_s) / INTEGRAL_TIME_S;
    const lim = 0.5 * max_flow_kg_h;
    c.integ_kg_h = Math.max(-lim, Math.min(lim, c.integ_kg_h));
  }
  return Math.max(0, Math.min(max_flow_kg_h, raw));
}
