// Time to peak and to the end of the schedule, from the controller's schedule (its firing_start
// event) laid from the firing start, as the report's deviation figure lays it (plannedCurve).
// A controller with holdback waits for a slow kiln, so the clock of the plan is not the wall clock:
// while climbing, the kiln is placed on the plan where the plan first reaches its temperature and
// the rest of the plan is what remains; once the target is reached, the plan runs from then.
import type { Schedule } from '../../wire/events.ts';
import { plannedCurve, type Knot } from '../report/schedule.ts';

const MS_PER_H = 3_600_000;

export interface Eta {
  readonly time_to_peak_h: number | null;
  readonly time_to_end_h: number | null;
  /** Why a figure is null, or how it was estimated. */
  readonly reason: string;
}

export interface EtaInput {
  readonly schedule: Schedule | null;
  readonly start_ms: number;
  /** Kiln temperature at the firing start (the plan starts there). */
  readonly start_c: number | null;
  readonly now_ms: number;
  readonly temp_c: number | null;
  /** When the kiln first came within tolerance_c of the schedule's peak, if it has. */
  readonly peak_reached_ms: number | null;
}

/** The schedule's peak: the hottest target, and the plan's time it is first reached. */
export function planPeak(knots: readonly Knot[]): Knot | null {
  let best: Knot | null = null;
  for (const k of knots) if (best === null || k.temp_c > best.temp_c) best = k;
  return best;
}

/** Plan time at which the climb to the peak first reaches temp_c (knots ascending up to the peak). */
export function planTimeAt(knots: readonly Knot[], temp_c: number, peak: Knot): number {
  for (let i = 1; i < knots.length; i++) {
    const a = knots[i - 1]!;
    const b = knots[i]!;
    if (a.t_ms > peak.t_ms) break;
    if (b.temp_c >= temp_c && b.temp_c > a.temp_c) {
      if (temp_c <= a.temp_c) return a.t_ms;
      return a.t_ms + ((temp_c - a.temp_c) * (b.t_ms - a.t_ms)) / (b.temp_c - a.temp_c);
    }
  }
  return knots[0]?.t_ms ?? peak.t_ms;
}

const h = (ms: number) => Math.max(0, ms) / MS_PER_H;

export function estimateEta(i: EtaInput): Eta {
  if (!i.schedule) return { time_to_peak_h: null, time_to_end_h: null, reason: 'no schedule: the firing_start event carried none (or the firing was detected from readings)' };
  if (i.start_c === null || i.temp_c === null) return { time_to_peak_h: null, time_to_end_h: null, reason: 'no kiln temperature yet' };
  const knots = plannedCurve(i.schedule, i.start_ms, i.start_c);
  const peak = planPeak(knots);
  const end = knots[knots.length - 1];
  if (!peak || !end) return { time_to_peak_h: null, time_to_end_h: null, reason: 'empty schedule' };
  if (i.peak_reached_ms !== null) {
    const elapsed_ms = i.now_ms - i.peak_reached_ms;
    return { time_to_peak_h: 0, time_to_end_h: h(end.t_ms - peak.t_ms - elapsed_ms), reason: 'peak reached: the rest of the schedule from when it was reached' };
  }
  const at = planTimeAt(knots, i.temp_c, peak);
  return {
    time_to_peak_h: h(peak.t_ms - at), time_to_end_h: h(end.t_ms - at),
    reason: 'the rest of the schedule from where the plan first reaches the kiln temperature (a controller with holdback waits for the kiln)',
  };
}
