// The heating rate of the last ~100 °C before the peak: what the Orton chart (cones.ts) is indexed by.
// The firing keeps the first time it reached each 10 °C step of its climb, only the top 100 °C of them,
// so the rate is measured between steps and a noise spike during the soak cannot move the peak's time.
//
// Flat, as the rate history is (types.ts): each mark as its time then its step, [ts_ms, °C, …].
// Up to 11 marks a firing, held for hours by every kiln's tracker: as {value, ts_ms} objects they
// took ~750 bytes, flat ~220 (docs/benchmarks.md). Checkpoints saved with objects: saved.ts.

const STEP_C = 10;
const SPAN_C = 100; // docs/sources.md: "the heating rate of the last ~100 °C"

export function markClimb(marks: readonly number[], temp_c: number, ts_ms: number): readonly number[] {
  const step_c = Math.floor(temp_c / STEP_C) * STEP_C;
  const n = marks.length;
  if (n > 0 && step_c <= marks[n - 1]!) return marks;
  let drop = 0; // marks more than SPAN_C below the new step
  while (2 * drop < n && marks[2 * drop + 1]! < step_c - SPAN_C) drop++;
  // concat: exactly the length needed (appended.ts).
  return (drop ? marks.slice(2 * drop) : marks).concat([ts_ms, step_c]);
}

/** °C/h from the step ~100 °C below the top to the top step; null until the climb spans a minute. */
export function last100RateCH(marks: readonly number[]): number | null {
  const n = marks.length;
  if (n === 0) return null;
  const low_ms = marks[0]!, top_ms = marks[n - 2]!;
  if (top_ms - low_ms < 60_000) return null;
  return ((marks[n - 1]! - marks[1]!) * 3_600_000) / (top_ms - low_ms);
}
