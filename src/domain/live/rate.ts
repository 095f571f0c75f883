// Rate of rise over a sliding window: the kiln temperature (hottest fresh zone) once per device
// instant, oldest dropped as the window slides. O(1) amortised per push, in a typed ring (ring.ts)
// rather than an object per instant, so a fleet's windows take little heap and make no garbage.
//
// The rate is read from two points only, the newest and the anchor (the last point at or before
// the window's start), so the points between are kept only to become the next anchor. They are
// kept at most one per step_s (window_s / 60 by default): at 1 Hz that is ~60 points a kiln
// instead of 600 (1 KB instead of 16 KB: 15 MB at 1,000 kilns), and the anchor sits at most one
// step further back than the window's start. The rate divides by the span actually measured, so
// it stays exact for a steady slope; a changing one is read over 600–610 s instead of 600–601 s.
//
// Packed (ring.ts): each temperature to a thousandth of a degree, 8 bytes a point where doubles
// took 16 (at 10,000 kilns the windows' 61 points each were 13.7 MB in a heap snapshot). A
// reading with at most three decimals, as loggers send them, comes back as the same number, so
// the rate is the one the readings give; any other is off by at most 0.0005 °C at each end:
// 0.006 °C/h over the whole window, 0.06 °C/h over the 60 s the first rate is read from.
import { PairRing } from './ring.ts';

/** Thousandths of a degree: the temperatures' unit in the ring. */
const UNITS_PER_C = 1000;

export class RateWindow {
  private readonly xs = new PairRing(Infinity, 16, UNITS_PER_C);
  private readonly step_ms: number;

  /** window_s: the span measured over; min_span_s: no rate until the window holds this much;
   *  step_s: the points kept between anchor and newest are at least this far apart. */
  constructor(private readonly window_s = 600, private readonly min_span_s = 60, step_s = window_s / 60) {
    this.step_ms = step_s * 1000;
  }

  /** Add a reading; an older one than the newest is ignored (out of order), the same instant replaces. */
  push(ts_ms: number, temp_c: number): void {
    const xs = this.xs;
    const n = xs.length;
    if (n > 0) {
      const last_ms = xs.tsAt(n - 1);
      if (ts_ms < last_ms) return;
      if (ts_ms === last_ms) {
        xs.setNewest(temp_c);
        return;
      }
      // The newest point is less than a step after the one before it: it is only the newest, so
      // this reading takes its place rather than keeping both.
      if (n > 1 && last_ms - xs.tsAt(n - 2) < this.step_ms) xs.dropNewest();
    }
    xs.push(ts_ms, temp_c);
    // Keep one point at or before the window's start (the anchor), drop the rest.
    while (xs.length > 1 && xs.tsAt(1) <= ts_ms - this.window_s * 1000) xs.dropOldest();
  }

  /** °C/h from the oldest kept point to the newest; null until min_span_s of readings. */
  rateCH(): number | null {
    const n = this.xs.length;
    if (n === 0) return null;
    const a_ms = this.xs.tsAt(0), b_ms = this.xs.tsAt(n - 1);
    if (b_ms - a_ms < this.min_span_s * 1000) return null;
    return ((this.xs.valueAt(n - 1) - this.xs.valueAt(0)) * 3_600_000) / (b_ms - a_ms);
  }

  size(): number {
    return this.xs.length;
  }
}
