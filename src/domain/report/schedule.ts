// Deviation from the schedule: the planned curve is the schedule laid from the firing start (t0)
// and the kiln temperature then, each segment ramping at its rate to its target and holding there.
// A controller with holdback (one that waits for a slow kiln) makes the actual curve lag the plan:
// that lag is exactly what this figure shows, so the plan is not stretched to fit.
import type { Schedule } from '../../wire/events.ts';
import type { Instant } from './series.ts';

export interface Knot { readonly t_ms: number; readonly temp_c: number }

const MS_PER_H = 3_600_000;

export function plannedCurve(schedule: Schedule, t0_ms: number, start_c: number): Knot[] {
  const knots: Knot[] = [{ t_ms: t0_ms, temp_c: start_c }];
  let t = t0_ms;
  let temp = start_c;
  for (const seg of schedule.segments) {
    // A segment whose target lies behind the current temperature (a cooling rate to a hotter
    // target, or the reverse) is reached at once, as a controller would skip it.
    const toward = Math.sign(seg.target_c - temp) === Math.sign(seg.rate_c_h);
    if (toward) t += (Math.abs(seg.target_c - temp) / Math.abs(seg.rate_c_h)) * MS_PER_H;
    temp = seg.target_c;
    knots.push({ t_ms: t, temp_c: temp });
    if (seg.hold_min > 0) {
      t += seg.hold_min * 60_000;
      knots.push({ t_ms: t, temp_c: temp });
    }
  }
  return knots;
}

/** Planned temperature at t_ms (linear between knots); null outside the plan. */
export function plannedAt(knots: readonly Knot[], t_ms: number): number | null {
  for (let i = 1; i < knots.length; i++) {
    const a = knots[i - 1]!;
    const b = knots[i]!;
    if (t_ms < a.t_ms || t_ms > b.t_ms) continue;
    return b.t_ms === a.t_ms ? b.temp_c : a.temp_c + ((b.temp_c - a.temp_c) * (t_ms - a.t_ms)) / (b.t_ms - a.t_ms);
  }
  return null;
}

/** Max and time-weighted mean of |actual − planned| over the readings inside the plan. */
export function scheduleDeviation(schedule: Schedule, xs: readonly Instant[], t0_ms: number): { max_dev_c: number; mean_dev_c: number; planned_duration_h: number } | null {
  const first = xs[0];
  if (!first) return null;
  const knots = plannedCurve(schedule, t0_ms, first.kiln_c);
  const end_ms = knots[knots.length - 1]!.t_ms;
  let max = 0;
  let sum = 0;
  let span_ms = 0;
  let prev: { t_ms: number; dev: number } | null = null;
  for (let i = 0, k = 1; i < xs.length; i++) {
    const x = xs[i]!;
    if (x.ts_ms < t0_ms || x.ts_ms > end_ms) continue;
    while (k < knots.length - 1 && knots[k]!.t_ms < x.ts_ms) k++; // knots and readings both ascend
    const planned = plannedAt(knots.slice(k - 1, k + 1), x.ts_ms) ?? plannedAt(knots, x.ts_ms);
    if (planned === null) continue;
    const dev = Math.abs(x.kiln_c - planned);
    max = Math.max(max, dev);
    if (prev) {
      sum += ((prev.dev + dev) / 2) * (x.ts_ms - prev.t_ms);
      span_ms += x.ts_ms - prev.t_ms;
    }
    prev = { t_ms: x.ts_ms, dev };
  }
  if (prev === null) return null;
  return { max_dev_c: max, mean_dev_c: span_ms > 0 ? sum / span_ms : max, planned_duration_h: (end_ms - t0_ms) / MS_PER_H };
}
