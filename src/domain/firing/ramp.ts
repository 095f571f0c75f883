// The heating rate of the last ~100 °C before the peak: what the Orton chart (cones.ts) is indexed by.
// The firing keeps the first time it reached each 10 °C step of its climb, only the top 100 °C of them,
// so the rate is measured between steps and a noise spike during the soak cannot move the peak's time.
import type { Timed } from './types.ts';
import { appended } from '../appended.ts';

const STEP_C = 10;
const SPAN_C = 100; // docs/sources.md: "the heating rate of the last ~100 °C"

export function markClimb(marks: readonly Timed[], temp_c: number, ts_ms: number): readonly Timed[] {
  const step_c = Math.floor(temp_c / STEP_C) * STEP_C;
  const top = marks[marks.length - 1];
  if (top && step_c <= top.value) return marks;
  const next = appended(marks, { value: step_c, ts_ms });
  const keep = next.findIndex((m) => m.value >= step_c - SPAN_C);
  return keep > 0 ? next.slice(keep) : next;
}

/** °C/h from the step ~100 °C below the top to the top step; null until the climb spans a minute. */
export function last100RateCH(marks: readonly Timed[]): number | null {
  const low = marks[0];
  const top = marks[marks.length - 1];
  if (!low || !top || top.ts_ms - low.ts_ms < 60_000) return null;
  return ((top.value - low.value) * 3_600_000) / (top.ts_ms - low.ts_ms);
}
